package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Intset} against Redis's intset bytes. Every golden hex string is the blob inside the
 * DUMP payload that redis-server 7.0.15 gave for a set built by the SADD/SREM commands named
 * (started with {@code --rdbcompression no}). {@link ListpackDifferentialTest} also replays
 * random SADD/SREM sequences against a live server when one is installed.
 */
class IntsetTest {
    static final HexFormat HEX = HexFormat.of();

    static String hex(byte[] b) { return HEX.formatHex(b); }

    static byte[] hex(String h) { return HEX.parseHex(h); }

    static byte[] addAll(byte[] is, long... values) {
        for (long v : values) {
            byte[] next = Intset.add(is, 0, v);
            if (next != null) is = next;
        }
        return is;
    }

    // ------------------------------------------------------------------ golden bytes

    @Test
    void emptyIntset() {
        byte[] is = Intset.newEmpty();
        assertThat(hex(is)).isEqualTo("0200000000000000");
        assertThat(Intset.length(is, 0)).isZero();
        assertThat(Intset.blobLength(is, 0)).isEqualTo(8);
        assertThat(Intset.contains(is, 0, 0)).isFalse();
        assertThat(Intset.search(is, 0, 5)).isEqualTo(-1);
        assertThat(Intset.remove(is, 0, 5)).isNull();
        // Redis never saves an empty set, so an empty intset from outside is refused.
        assertThat(Intset.validate(is, 0, is.length, false)).isFalse();
        assertThatThrownBy(() -> Intset.random(is, 0, new Random(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Intset.min(is, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** SADD s 1 2 3. */
    @Test
    void int16AsRedisWritesIt() {
        assertThat(hex(addAll(Intset.newEmpty(), 1, 2, 3))).isEqualTo("0200000003000000010002000300");
        assertThat(hex(addAll(Intset.newEmpty(), 3, 1, 2, 2))).isEqualTo("0200000003000000010002000300");
    }

    /** SADD s4 -32768 32767, then SADD s4 -32769: widened to int32 with the new value first. */
    @Test
    void int16LimitsAndWideningBelow() {
        byte[] is = addAll(Intset.newEmpty(), -32768, 32767);
        assertThat(hex(is)).isEqualTo("02000000020000000080ff7f");
        is = Intset.add(is, 0, -32769);
        assertThat(hex(is)).isEqualTo("0400000003000000ff7fffff0080ffffff7f0000");
    }

    /**
     * SADD s2 5 -3 40000 (widened to int32 with 40000 last), SADD s2 -5000000000 (int64, first),
     * SREM s2 40000 -5000000000 (the encoding stays int64).
     */
    @Test
    void wideningAndRemovalAsRedisDoesThem() {
        byte[] is = addAll(Intset.newEmpty(), 5, -3, 40000);
        assertThat(hex(is)).isEqualTo("0400000003000000fdffffff05000000409c0000");
        is = Intset.add(is, 0, -5000000000L);
        assertThat(hex(is)).isEqualTo("0800000004000000000efad5fefffffffdffffffffffffff0500000000000000409c000000000000");
        is = Intset.remove(is, 0, 40000);
        is = Intset.remove(is, 0, -5000000000L);
        assertThat(hex(is)).isEqualTo("0800000002000000fdffffffffffffff0500000000000000");
        assertThat(Intset.encoding(is, 0)).isEqualTo(Intset.ENC_INT64);
    }

    /** SADD s3 9223372036854775807 -9223372036854775808 0. */
    @Test
    void int64Limits() {
        byte[] is = addAll(Intset.newEmpty(), Long.MAX_VALUE, Long.MIN_VALUE, 0);
        assertThat(hex(is)).isEqualTo("080000000300000000000000000000800000000000000000ffffffffffffff7f");
        assertThat(Intset.min(is, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(Intset.max(is, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(Intset.get(is, 0, 1)).isZero();
    }

    @Test
    void valueEncodings() {
        assertThat(Intset.valueEncoding(0)).isEqualTo(2);
        assertThat(Intset.valueEncoding(Short.MAX_VALUE)).isEqualTo(2);
        assertThat(Intset.valueEncoding(Short.MIN_VALUE)).isEqualTo(2);
        assertThat(Intset.valueEncoding(Short.MAX_VALUE + 1)).isEqualTo(4);
        assertThat(Intset.valueEncoding(Short.MIN_VALUE - 1)).isEqualTo(4);
        assertThat(Intset.valueEncoding(Integer.MAX_VALUE)).isEqualTo(4);
        assertThat(Intset.valueEncoding(Integer.MIN_VALUE)).isEqualTo(4);
        assertThat(Intset.valueEncoding(Integer.MAX_VALUE + 1L)).isEqualTo(8);
        assertThat(Intset.valueEncoding(Integer.MIN_VALUE - 1L)).isEqualTo(8);
    }

    @Test
    void addAndRemoveReportNoChangeWithNull() {
        byte[] is = addAll(Intset.newEmpty(), 1, 2, 3);
        assertThat(Intset.add(is, 0, 2)).isNull();
        assertThat(Intset.remove(is, 0, 4)).isNull();
        assertThat(Intset.remove(is, 0, 1L << 40)).isNull(); // wider than the set: cannot be a member
        assertThat(Intset.contains(is, 0, 1L << 40)).isFalse();
        assertThat(Intset.contains(is, 0, 65536 + 2)).isFalse();
        assertThatThrownBy(() -> Intset.get(is, 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Intset.get(is, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void worksAtAnOffset() {
        byte[] is = addAll(Intset.newEmpty(), 10, -70000, 20);
        byte[] big = new byte[is.length + 13];
        System.arraycopy(is, 0, big, 5, is.length);
        assertThat(Intset.validate(big, 5, is.length, true)).isTrue();
        assertThat(Intset.length(big, 5)).isEqualTo(3);
        assertThat(Intset.get(big, 5, 0)).isEqualTo(-70000);
        assertThat(Intset.contains(big, 5, 20)).isTrue();
        assertThat(Intset.add(big, 5, 15)).isEqualTo(Intset.add(is, 0, 15));
        assertThat(Intset.remove(big, 5, 10)).isEqualTo(Intset.remove(is, 0, 10));
    }

    @Test
    void randomIsUniformOverMembers() {
        byte[] is = addAll(Intset.newEmpty(), 1, 5, 9, 100000);
        Random r = new Random(5);
        int[] hits = new int[4];
        for (int i = 0; i < 40000; i++) {
            long v = Intset.random(is, 0, r);
            hits[Intset.search(is, 0, v)]++;
        }
        for (int h : hits) assertThat(h).isBetween(9000, 11000);
    }

    // ------------------------------------------------------------------ model tests

    static long randomValue(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> r.nextInt(200) - 100;
            case 2 -> r.nextInt(65536) - 32768;
            case 3 -> r.nextInt(200000) - 100000;
            case 4 -> r.nextInt();
            case 5 -> r.nextLong();
            case 6 -> {
                long[] edges = {Short.MIN_VALUE, Short.MAX_VALUE, Short.MIN_VALUE - 1, Short.MAX_VALUE + 1,
                    Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L,
                    Long.MIN_VALUE, Long.MAX_VALUE, 0, -1};
                yield edges[r.nextInt(edges.length)];
            }
            default -> r.nextInt(50);
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 77, 78})
    void randomEditsAgainstATreeSetModel(long seed) {
        Random r = new Random(seed);
        TreeSet<Long> model = new TreeSet<>();
        byte[] is = Intset.newEmpty();
        int enc = Intset.ENC_INT16;
        // Values stay within int16 until step16, within int32 until step32, so that the set
        // widens 16 -> 32 -> 64 in some runs and 16 -> 64 at once in others, with members present.
        int step16 = 300 + r.nextInt(1000);
        int step32 = seed % 2 == 0 ? step16 : step16 + 300 + r.nextInt(1000);
        int widenings = 0;
        for (int step = 0; step < 5000; step++) {
            long v = r.nextBoolean() || model.isEmpty() ? randomValue(r) : pick(model, r);
            if (step < step16) v = (short) v;
            else if (step < step32) v = (int) v;
            int sign = r.nextBoolean() ? 1 : -1; // a widening value goes first when negative, last when positive
            if (step == step16 && step16 != step32) v = sign * (40000L + r.nextInt(1000));
            if (step == step32) v = sign * (5_000_000_000L + r.nextInt(1000));
            boolean remove = model.size() > 300 ? r.nextInt(3) != 0 : r.nextInt(3) == 0;
            if (step == step16 || step == step32) remove = false;
            if (remove) {
                byte[] next = Intset.remove(is, 0, v);
                assertThat(next != null).isEqualTo(model.remove(v));
                if (next != null) is = next;
            } else {
                byte[] next = Intset.add(is, 0, v);
                assertThat(next != null).isEqualTo(model.add(v));
                if (next != null) is = next;
                if (Intset.valueEncoding(v) > enc) widenings++;
                enc = Math.max(enc, Intset.valueEncoding(v));
            }
            check(is, model, enc, r);
        }
        assertThat(widenings).isEqualTo(seed % 2 == 0 ? 1 : 2);
    }

    static long pick(TreeSet<Long> model, Random r) {
        Long v = model.ceiling(randomValue(r));
        return v == null ? model.first() : v;
    }

    static void check(byte[] is, TreeSet<Long> model, int enc, Random r) {
        long[] sorted = model.stream().mapToLong(Long::longValue).toArray();
        int n = sorted.length;
        assertThat(Intset.length(is, 0)).isEqualTo(n);
        assertThat(Intset.encoding(is, 0)).isEqualTo(enc);
        assertThat(Intset.blobLength(is, 0)).isEqualTo(is.length).isEqualTo(8 + n * enc);
        assertThat(Intset.validate(is, 0, is.length, true)).isEqualTo(n > 0);
        // The exact bytes: header, then the sorted values at the encoding.
        byte[] want = new byte[8 + n * enc];
        Bytes.putInt(want, 0, enc);
        Bytes.putInt(want, 4, n);
        for (int i = 0; i < n; i++) {
            switch (enc) {
                case 2 -> Bytes.putU16(want, 8 + 2 * i, (int) sorted[i]);
                case 4 -> Bytes.putInt(want, 8 + 4 * i, (int) sorted[i]);
                default -> Bytes.putLong(want, 8 + 8 * i, sorted[i]);
            }
        }
        assertThat(is).isEqualTo(want);
        for (int k = 0; k < 4; k++) {
            long probe = n > 0 && r.nextBoolean() ? sorted[r.nextInt(n)] : randomValue(r);
            assertThat(Intset.search(is, 0, probe)).isEqualTo(Arrays.binarySearch(sorted, probe));
            assertThat(Intset.contains(is, 0, probe)).isEqualTo(model.contains(probe));
        }
        if (n > 0) {
            int i = r.nextInt(n);
            assertThat(Intset.get(is, 0, i)).isEqualTo(sorted[i]);
            assertThat(Intset.min(is, 0)).isEqualTo(sorted[0]);
            assertThat(Intset.max(is, 0)).isEqualTo(sorted[n - 1]);
            assertThat(model).contains(Intset.random(is, 0, r));
        }
    }

    // ------------------------------------------------------------------ hostile input

    @Test
    void badIntsetsAreRefused() {
        byte[] is = addAll(Intset.newEmpty(), 1, 2, 3);
        assertThat(Intset.validate(is, 0, is.length, true)).isTrue();
        for (int enc : new int[] {0, 1, 3, 5, 16, -2, Integer.MIN_VALUE}) {
            byte[] bad = is.clone();
            Bytes.putInt(bad, 0, enc);
            assertThat(Intset.validate(bad, 0, bad.length, false)).as("encoding %d", enc).isFalse();
        }
        for (int len : new int[] {0, 2, 4, 0x7FFFFFFF, -1, 0x80000001, 0x40000002}) {
            byte[] bad = is.clone();
            Bytes.putInt(bad, 4, len);
            assertThat(Intset.validate(bad, 0, bad.length, false)).as("length %d", len).isFalse();
        }
        // Length 2^29 + 3 at 8 bytes wraps a 32-bit size to 8 + 24: must not pass here.
        byte[] wrap = addAll(Intset.newEmpty(), 1, 2, 1L << 40);
        Bytes.putInt(wrap, 4, (1 << 29) + 3);
        assertThat(Intset.validate(wrap, 0, wrap.length, true)).isFalse();
        // Unsorted and duplicated values are caught by the deep check.
        byte[] unsorted = hex("0200000003000000010003000200");
        assertThat(Intset.validate(unsorted, 0, unsorted.length, false)).isTrue();
        assertThat(Intset.validate(unsorted, 0, unsorted.length, true)).isFalse();
        byte[] dup = hex("0200000003000000010002000200");
        assertThat(Intset.validate(dup, 0, dup.length, true)).isFalse();
        byte[] dup64 = hex("0800000002000000" + "0100000000000000" + "0100000000000000");
        assertThat(Intset.validate(dup64, 0, dup64.length, true)).isFalse();
        // Region checks.
        assertThat(Intset.validate(null, 0, 8, true)).isFalse();
        assertThat(Intset.validate(is, -1, is.length, true)).isFalse();
        assertThat(Intset.validate(is, 1, is.length, true)).isFalse();
        assertThat(Intset.validate(is, 0, is.length + 1, true)).isFalse();
        assertThat(Intset.validate(is, 0, is.length - 1, true)).isFalse();
        assertThat(Intset.validate(is, 0, -3, true)).isFalse();
        assertThat(Intset.validate(is, Integer.MAX_VALUE, 8, true)).isFalse();
        for (int len = 0; len < is.length; len++) {
            assertThat(Intset.validate(Arrays.copyOf(is, len), 0, len, true)).isFalse();
        }
    }

    @Test
    void randomByteFlipsNeverBreakTheValidator() {
        Random r = new Random(21);
        List<byte[]> samples = new ArrayList<>();
        samples.add(addAll(Intset.newEmpty(), 1, 2, 3));
        samples.add(addAll(Intset.newEmpty(), 5, -3, 40000));
        samples.add(addAll(Intset.newEmpty(), Long.MAX_VALUE, Long.MIN_VALUE, 0, 7, -7));
        for (int k = 0; k < 10; k++) {
            byte[] is = Intset.newEmpty();
            for (int i = r.nextInt(40) + 1; i > 0; i--) is = addAll(is, randomValue(r));
            samples.add(is);
        }
        int accepted = 0;
        for (int k = 0; k < 30000; k++) {
            byte[] is = samples.get(r.nextInt(samples.size())).clone();
            for (int flips = 1 + r.nextInt(2); flips > 0; flips--) {
                int i = r.nextInt(is.length);
                is[i] = r.nextBoolean() ? (byte) (is[i] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
            }
            if (!Intset.validate(is, 0, is.length, true)) continue;
            accepted++;
            int n = Intset.length(is, 0);
            for (int i = 1; i < n; i++) assertThat(Intset.get(is, 0, i)).isGreaterThan(Intset.get(is, 0, i - 1));
            for (int i = 0; i < n; i++) assertThat(Intset.search(is, 0, Intset.get(is, 0, i))).isEqualTo(i);
        }
        assertThat(accepted).isGreaterThan(1000);
    }
}
