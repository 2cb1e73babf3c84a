package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BitmapOps}' storage rules, which replies alone do not show: what a bit write leaves
 * in the record (type, length, expiry) and when it edits the value where it lies.
 */
class BitmapOpsTest {
    /** A record type that is not a string (lists and the rest arrive later). */
    static final int OTHER_TYPE = 0x7F;

    Keyspace ks;
    Database db;
    final long[] out = new long[2];

    @BeforeEach
    void setUp() {
        ks = new Keyspace(1, 8);
        db = new Database(ks).at(0, 1_000);
    }

    static byte[] b(String s) { return Bytes.ascii(s); }

    void put(String k, int type, byte[] v, long expireAt) {
        byte[] kb = b(k);
        db.put(kb, 0, kb.length, type, v, 0, v.length, expireAt);
    }

    boolean find(String k) {
        byte[] kb = b(k);
        return db.find(kb, 0, kb.length);
    }

    byte[] value(String k) {
        assertThat(find(k)).isTrue();
        return StringOps.foundBytes(db);
    }

    int setBit(String k, long pos, int bit) {
        byte[] kb = b(k);
        return BitmapOps.setBit(db, kb, 0, kb.length, pos, bit, out);
    }

    @Test
    void aWriteToAMissingKeyCreatesZerosUpToTheLastBitWithoutExpiry() {
        assertThat(setBit("k", 17, 1)).isEqualTo(BitmapOps.OK);
        assertThat(out[0]).isZero();
        assertThat(find("k")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_MODIFIED);
        assertThat(db.expireAt()).isEqualTo(-1);
        assertThat(value("k")).containsExactly(0, 0, 0x40);
    }

    @Test
    void integerEncodedValuesBecomeTheirDigitsAndKeepTheirExpiry() {
        byte[] k = b("n");
        db.putLong(k, 0, k.length, 123, 50_000);
        assertThat(setBit("n", 7, 1)).isEqualTo(BitmapOps.OK);
        assertThat(out[0]).isEqualTo('1' & 1);
        assertThat(find("n")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_MODIFIED);
        assertThat(db.expireAt()).isEqualTo(50_000);
        assertThat(value("n")).isEqualTo(b("123"));
        assertThat(setBit("n", 40, 1)).isEqualTo(BitmapOps.OK);
        assertThat(value("n")).containsExactly('1', '2', '3', 0, 0, 0x80);
        assertThat(db.expireAt()).isEqualTo(50_000);
    }

    @Test
    void aBitWithinTheValueIsSetWhereTheValueLies() {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 0x0F);
        put("big", ValueType.STRING_RAW, big, 9_999);
        assertThat(find("big")).isTrue();
        byte[] page = db.valuePage();
        int at = db.valueOffset();
        assertThat(setBit("big", 8L * 150_000, 1)).isEqualTo(BitmapOps.OK);
        assertThat(out[0]).isZero();
        assertThat(find("big")).isTrue();
        assertThat(db.valuePage()).as("same array: no copy").isSameAs(page);
        assertThat(db.valueOffset()).isEqualTo(at);
        assertThat(db.type()).as("edited in place, so Redis would call it raw").isEqualTo(ValueType.STRING_MODIFIED);
        assertThat(db.expireAt()).isEqualTo(9_999);
        assertThat(page[at + 150_000]).isEqualTo((byte) 0x8F);
        assertThat(page[at + 149_999]).isEqualTo((byte) 0x0F);
        // Unchanged bit, same answer, still no copy.
        assertThat(setBit("big", 4, 1)).isEqualTo(BitmapOps.OK);
        assertThat(out[0]).isEqualTo(1);
        assertThat(find("big")).isTrue();
        assertThat(db.valuePage()).isSameAs(page);
    }

    @Test
    void otherTypesAreRefusedAndLeftAlone() {
        put("list", OTHER_TYPE, b("opaque"), -1);
        byte[] k = b("list");
        assertThat(setBit("list", 0, 1)).isEqualTo(BitmapOps.WRONGTYPE);
        assertThat(BitmapOps.openForWrite(db, k, 0, k.length, 100)).isEqualTo(BitmapOps.WRONGTYPE);
        assertThat(find("list")).isTrue();
        assertThat(db.type()).isEqualTo(OTHER_TYPE);
        assertThat(Arrays.copyOfRange(db.valuePage(), db.valueOffset(), db.valueOffset() + db.valueLength()))
                .isEqualTo(b("opaque"));
    }

    long bitop(int op, String dest, String... sources) {
        byte[] d = String.join("", dest, String.join("", sources)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[] off = new int[sources.length], len = new int[sources.length];
        int at = dest.length();
        for (int i = 0; i < sources.length; i++) {
            off[i] = at;
            len[i] = sources[i].length();
            at += len[i];
        }
        return BitmapOps.bitop(db, op, d, 0, dest.length(), off, len, sources.length, out);
    }

    @Test
    void bitopStoresWithoutExpiryDeletesOnEmptyAndStopsAtAnotherType() {
        put("a", ValueType.STRING_RAW, new byte[] {(byte) 0xF0, 0x0F}, -1);
        put("b", ValueType.STRING_RAW, new byte[] {(byte) 0xFF}, -1);
        put("d", ValueType.STRING_RAW, b("old"), 5_000);
        assertThat(bitop(BitmapOps.AND, "d", "a", "b", "x")).isEqualTo(2);
        assertThat(out[0]).as("hits").isEqualTo(2);
        assertThat(out[1]).as("misses").isEqualTo(1);
        assertThat(value("d")).containsExactly(0, 0);
        assertThat(db.type()).isEqualTo(ValueType.STRING_MODIFIED);
        assertThat(db.expireAt()).isEqualTo(-1);
        assertThat(bitop(BitmapOps.XOR, "d", "a", "b")).isEqualTo(2);
        assertThat(value("d")).containsExactly(0x0F, 0x0F);

        put("o", OTHER_TYPE, b("zz"), -1);
        assertThat(bitop(BitmapOps.OR, "d", "a", "o", "b")).isEqualTo(-1);
        assertThat(out[0]).isEqualTo(2);
        assertThat(value("d")).as("untouched").containsExactly(0x0F, 0x0F);

        put("e", ValueType.STRING_RAW, new byte[0], -1);
        assertThat(bitop(BitmapOps.OR, "o", "e", "missing")).isZero();
        assertThat(find("o")).as("an empty result deletes the destination, whatever it held").isFalse();
    }
}
