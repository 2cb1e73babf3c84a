package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Database}: a client's view of one database, with lazy expiry at the command's clock snapshot. */
class DatabaseTest {
    record Expired(int db, String key) {}

    Keyspace ks;
    Database db;
    final List<Expired> told = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ks = new Keyspace(16, 8);
        ks.setExpiryListener((d, key, off, len) -> told.add(new Expired(d, Bytes.string(key, off, len))));
        db = new Database(ks);
    }

    static byte[] b(String s) { return Bytes.utf8(s); }

    void put(int dbIndex, long now, String k, String v, long expireAt) {
        byte[] kb = b(k), vb = b(v);
        db.at(dbIndex, now).put(kb, 0, kb.length, ValueType.STRING_RAW, vb, 0, vb.length, expireAt);
    }

    boolean find(int dbIndex, long now, String k) {
        byte[] kb = b(k);
        return db.at(dbIndex, now).find(kb, 0, kb.length);
    }

    String foundValue() {
        return Bytes.string(db.valuePage(), db.valueOffset(), db.valueLength());
    }

    @Test
    void findSeesALiveKeyUntilItsTimeThenRemovesItAndTellsTheListener() {
        put(0, 0, "session", "data", 1_000);
        put(0, 0, "forever", "x", -1);
        assertThat(find(0, 999, "session")).isTrue();
        assertThat(foundValue()).isEqualTo("data");
        assertThat(db.expireAt()).isEqualTo(1_000);
        assertThat(told).isEmpty();
        assertThat(ks.size(0)).isEqualTo(2);
        assertThat(ks.ttlCount(0)).isEqualTo(1);

        // Expired only once now > expireAt, as Redis's keyIsExpired: alive at its own millisecond.
        assertThat(find(0, 1_000, "session")).isTrue();
        assertThat(told).isEmpty();
        assertThat(find(0, 1_001, "session")).isFalse();
        assertThat(told).containsExactly(new Expired(0, "session"));
        assertThat(ks.size(0)).isEqualTo(1);
        assertThat(ks.ttlCount(0)).isZero();

        // Gone for good: an earlier clock does not bring it back, and nobody is told twice.
        assertThat(find(0, 0, "session")).isFalse();
        assertThat(told).hasSize(1);
        assertThat(find(0, Long.MAX_VALUE, "forever")).isTrue();
        assertThat(db.expireAt()).isEqualTo(-1);
        assertThat(told).hasSize(1);
    }

    @Test
    void expiryIsPerDatabaseAndTheListenerHearsWhichOne() {
        put(3, 0, "k", "in3", 10);
        put(4, 0, "k", "in4", 20);
        assertThat(find(5, 0, "k")).isFalse();
        assertThat(find(3, 15, "k")).isFalse();
        assertThat(told).containsExactly(new Expired(3, "k"));
        assertThat(find(4, 15, "k")).isTrue();
        assertThat(foundValue()).isEqualTo("in4");
        assertThat(db.index()).isEqualTo(4);
        assertThat(db.now()).isEqualTo(15);
    }

    @Test
    void deleteOfAnExpiredKeyReportsAbsentButStillExpiresIt() {
        put(0, 0, "a", "1", 5);
        put(0, 0, "b", "2", -1);
        byte[] a = b("a"), bk = b("b");
        assertThat(db.at(0, 6).delete(a, 0, a.length)).isFalse();
        assertThat(told).containsExactly(new Expired(0, "a"));
        assertThat(db.at(0, 6).delete(bk, 0, bk.length)).isTrue();
        assertThat(db.at(0, 6).delete(bk, 0, bk.length)).isFalse();
        assertThat(db.size()).isZero();
        assertThat(told).hasSize(1);
    }

    @Test
    void setExpireFoundMovesTheRecordAndKeepsThePositionValid() {
        put(0, 0, "k", "value", -1);
        assertThat(find(0, 0, "k")).isTrue();
        db.setExpireFound(500);          // the record grows a TTL field and moves
        assertThat(db.expireAt()).isEqualTo(500);
        assertThat(foundValue()).isEqualTo("value");
        db.setExpireFound(-1);
        assertThat(db.expireAt()).isEqualTo(-1);
        assertThat(foundValue()).isEqualTo("value");
        assertThat(ks.ttlCount(0)).isZero();
        db.setExpireFound(7);
        assertThat(find(0, 7, "k")).isTrue();
        assertThat(find(0, 8, "k")).isFalse();
        assertThat(told).containsExactly(new Expired(0, "k"));
    }

    @Test
    void detachedValueAndDeleteActAsRenameAcrossShards() {
        // Pick a destination in another shard than the source.
        String src = "src", dst = null;
        byte[] sb = b(src);
        for (int i = 0; dst == null; i++) {
            byte[] c = b("dst" + i);
            if (ks.shardOf(c, 0, c.length) != ks.shardOf(sb, 0, sb.length)) dst = "dst" + i;
        }
        put(0, 0, src, "payload", 900);
        assertThat(find(0, 0, src)).isTrue();
        byte[] d = b(dst);
        Database.Detached v = db.detachFound(false);
        db.putDetached(d, 0, d.length, v, true);
        assertThat(find(0, 0, src)).isTrue();
        db.deleteFound();
        assertThat(find(0, 0, src)).isFalse();
        assertThat(find(0, 0, dst)).isTrue();
        assertThat(foundValue()).isEqualTo("payload");
        assertThat(db.expireAt()).isEqualTo(900);
        assertThat(new String(db.foundKey())).isEqualTo(dst);
        assertThat(db.size()).isEqualTo(1);
    }

    @Test
    void integerRecordsReadBackAsLongs() {
        byte[] k = b("n");
        db.at(0, 0).putLong(k, 0, k.length, -42, 77);
        assertThat(db.type()).isEqualTo(ValueType.STRING_INT);
        assertThat(db.longValue()).isEqualTo(-42);
        assertThat(find(0, 1, "n")).isTrue();
        assertThat(db.longValue()).isEqualTo(-42);
        assertThat(db.expireAt()).isEqualTo(77);
        assertThat(db.valueLength()).isEqualTo(8);
    }

    @Test
    void positionAtReadsTheKeyInASlot() {
        put(2, 0, "only", "v", -1);
        byte[] k = b("only");
        KeyTable t = ks.shard(ks.shardOf(k, 0, k.length)).table(2);
        int slot = t.randomSlot(new java.util.Random(1));
        db.at(2, 0).positionAt(t, slot);
        assertThat(new String(db.foundKey())).isEqualTo("only");
        assertThat(foundValue()).isEqualTo("v");
        db.deleteFound();
        assertThat(ks.size(2)).isZero();
    }
}
