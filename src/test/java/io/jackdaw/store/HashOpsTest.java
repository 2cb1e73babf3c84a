package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.Listpack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HashOps}: the encoding rules and edits against a plain map, through both encodings. */
class HashOpsTest {
    static final long MAX_ENTRIES = 6, MAX_VALUE = 8;
    Keyspace ks;
    Database db;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(1, 4);
        db = new Database(ks).at(0, 1_000);
    }

    static byte[] b(String s) { return Bytes.utf8(s); }

    HashOps.Writer open(String key) {
        byte[] k = b(key);
        return HashOps.open(db, k, 0, k.length, MAX_ENTRIES, MAX_VALUE);
    }

    Map<String, String> contents(String key) {
        Map<String, String> out = new HashMap<>();
        byte[] k = b(key);
        if (!db.find(k, 0, k.length)) return null;
        HashOps.forEach(db, (f, v) -> out.put(new String(f.toBytes()), new String(v.toBytes())));
        assertThat(HashOps.length(db)).isEqualTo(out.size());
        return out;
    }

    int type(String key) {
        byte[] k = b(key);
        return db.find(k, 0, k.length) ? db.type() : -1;
    }

    @Test
    void convertsPastEitherLimitAndNeverBack() {
        HashOps.Writer w = open("h");
        for (int i = 0; i < 6; i++) w.set(b("f" + i), 0, 2, b("v"), 0, 1);
        w.commit();
        assertThat(type("h")).isEqualTo(ValueType.HASH_LISTPACK);
        w = open("h");
        assertThat(w.set(b("f6"), 0, 2, b("v"), 0, 1)).isTrue();
        w.commit();
        assertThat(type("h")).isEqualTo(ValueType.HASH_TABLE);
        w = open("h");
        for (int i = 0; i < 6; i++) assertThat(w.delete(b("f" + i), 0, 2)).isTrue();
        w.commit();
        assertThat(type("h")).isEqualTo(ValueType.HASH_TABLE);
        assertThat(contents("h")).isEqualTo(Map.of("f6", "v"));
        w = open("h");
        assertThat(w.delete(b("f6"), 0, 2)).isTrue();
        w.commit();
        assertThat(type("h")).isEqualTo(-1);

        w = open("v");
        w.set(b("f"), 0, 1, b("123456789"), 0, 9);
        w.commit();
        assertThat(type("v")).isEqualTo(ValueType.HASH_TABLE);
        w = open("p");
        w.prepare(7, 1, 14); // seven pairs in one command: a table before the first write
        w.set(b("f"), 0, 1, b("v"), 0, 1);
        w.commit();
        assertThat(type("p")).isEqualTo(ValueType.HASH_TABLE);
    }

    @Test
    void nothingIsStoredForAnUnchangedOrEmptyHash() {
        HashOps.Writer w = open("h");
        assertThat(w.delete(b("x"), 0, 1)).isFalse();
        w.commit();
        assertThat(type("h")).isEqualTo(-1);
        long[] out = new long[1];
        w = open("h");
        assertThat(w.incrBy(b("n"), 0, 1, 41, out)).isEqualTo(HashOps.OK);
        w.commit();
        w = open("h");
        assertThat(w.incrBy(b("n"), 0, 1, 1, out)).isEqualTo(HashOps.OK);
        w.commit();
        assertThat(out[0]).isEqualTo(42);
        assertThat(contents("h")).isEqualTo(Map.of("n", "42"));
        w = open("h");
        assertThat(w.incrBy(b("n"), 0, 1, Long.MAX_VALUE, out)).isEqualTo(HashOps.OVERFLOW);
        byte[] k = b("s");
        db.put(k, 0, 1, ValueType.STRING_RAW, b("x"), 0, 1, -1);
        assertThat(open("s")).isNull();
    }

    /** Random edits through both encodings, checked against a map after every commit. */
    @Test
    void randomEditsMatchAModel() {
        Random rnd = new Random(42);
        String[] fields = {"a", "b", "c", "d", "e", "f", "g", "1", "-5", "01", "", "longfieldname"};
        String[] values = {"", "0", "7", "-4096", "x", "123456789", "9223372036854775807", "abc"};
        Map<String, String> model = new HashMap<>();
        boolean everTable = false;
        for (int step = 0; step < 5000; step++) {
            HashOps.Writer w = open("h");
            int ops = 1 + rnd.nextInt(3);
            boolean deleting = rnd.nextInt(3) == 0; // one command either sets (HSET) or deletes (HDEL)
            for (int o = 0; o < ops; o++) {
                String f = fields[rnd.nextInt(fields.length)], v = values[rnd.nextInt(values.length)];
                byte[] fb = b(f), vb = b(v);
                if (deleting) {
                    assertThat(w.delete(fb, 0, fb.length)).isEqualTo(model.remove(f) != null);
                    if (model.isEmpty()) break;
                } else {
                    assertThat(w.set(fb, 0, fb.length, vb, 0, vb.length)).isEqualTo(!model.containsKey(f));
                    model.put(f, v);
                    // Converted by a long field or value, or by one field too many; never back.
                    everTable |= model.size() > MAX_ENTRIES || f.length() > MAX_VALUE || v.length() > MAX_VALUE;
                }
            }
            w.commit();
            int type = type("h");
            if (model.isEmpty()) {
                assertThat(type).isEqualTo(-1);
                everTable = false;
                continue;
            }
            assertThat(contents("h")).isEqualTo(model);
            assertThat(type).as("step %d", step).isEqualTo(everTable ? ValueType.HASH_TABLE : ValueType.HASH_LISTPACK);
            if (type == ValueType.HASH_LISTPACK) {
                assertThat(Listpack.validate(db.valuePage(), db.valueOffset(), db.valueLength(), true)).isTrue();
            }
        }
    }

    // ------------------------------------------------------------ field expiry

    long expiry(String key, String field) {
        byte[] k = b(key), f = b(field);
        assertThat(db.findNoTouch(k, 0, k.length)).isTrue();
        return HashOps.fieldExpireAt(db, f, 0, f.length);
    }

    FieldExpiryIndex index(String key) {
        byte[] k = b(key);
        return ks.shard(ks.shardOf(k, 0, k.length)).table(0).fieldExpiry();
    }

    @Test
    void expiriesSurviveListpackToListpackexToTable() {
        HashOps.Writer w = open("h");
        w.set(b("a"), 0, 1, b("1"), 0, 1);
        w.set(b("b"), 0, 1, b("2"), 0, 1);
        w.commit();
        w = open("h");
        w.enableFieldExpiry();
        assertThat(w.setFieldExpiry(b("b"), 0, 1, 5_000, HashOps.COND_NONE)).isEqualTo(HashOps.EXPIRE_SET);
        assertThat(w.setFieldExpiry(b("z"), 0, 1, 5_000, HashOps.COND_NONE)).isEqualTo(HashOps.EXPIRE_NO_FIELD);
        w.commit();
        assertThat(type("h")).isEqualTo(ValueType.HASH_LISTPACK_EX);
        assertThat(index("h").whenOf(b("h"))).as("filed under its earliest expiry").isEqualTo(5_000);
        assertThat(contents("h")).isEqualTo(Map.of("a", "1", "b", "2"));
        // Growing past the entry limit makes a table with the expiries in it.
        w = open("h");
        for (int i = 0; i < 6; i++) w.set(b("f" + i), 0, 2, b("v"), 0, 1);
        w.commit();
        assertThat(type("h")).isEqualTo(ValueType.HASH_TABLE);
        assertThat(expiry("h", "b")).isEqualTo(5_000);
        assertThat(expiry("h", "a")).isEqualTo(-1);
        assertThat(index("h").whenOf(b("h"))).as("a conversion keeps the entry").isEqualTo(5_000);
        // HSET clears an expiry, HINCRBY keeps it.
        w = open("h");
        assertThat(w.setFieldExpiry(b("a"), 0, 1, 7_000, HashOps.COND_NONE)).isEqualTo(HashOps.EXPIRE_SET);
        long[] out = new long[1];
        assertThat(w.incrBy(b("a"), 0, 1, 1, out)).isEqualTo(HashOps.OK);
        w.set(b("b"), 0, 1, b("x"), 0, 1);
        w.commit();
        assertThat(expiry("h", "a")).isEqualTo(7_000);
        assertThat(expiry("h", "b")).isEqualTo(-1);
    }

    @Test
    void theIndexForgetsAHashThatGoesOrStopsBeingAHash() {
        for (String key : List.of("gone", "string", "kept")) {
            HashOps.Writer w = open(key);
            w.set(b("a"), 0, 1, b("1"), 0, 1);
            w.commit();
            w = open(key);
            w.enableFieldExpiry();
            w.setFieldExpiry(b("a"), 0, 1, 9_000, HashOps.COND_NONE);
            w.commit();
            assertThat(index(key).whenOf(b(key))).isEqualTo(9_000);
        }
        db.delete(b("gone"), 0, 4);
        db.put(b("string"), 0, 6, ValueType.STRING_RAW, b("x"), 0, 1, -1);
        assertThat(index("gone").whenOf(b("gone"))).isEqualTo(-1);
        assertThat(index("string").whenOf(b("string"))).isEqualTo(-1);
        assertThat(index("kept").whenOf(b("kept"))).isEqualTo(9_000);
        // A detached hash stored under a new name (RENAME) is filed as due, to be refiled by the cycle.
        byte[] k = b("kept");
        assertThat(db.find(k, 0, k.length)).isTrue();
        Database.Detached v = db.detachFound(false);
        db.deleteFound();
        db.putDetached(b("moved"), 0, 5, v, true);
        assertThat(index("kept").whenOf(b("kept"))).isEqualTo(-1);
        assertThat(index("moved").whenOf(b("moved"))).isEqualTo(0);
    }

    @Test
    void activeExpiryDeletesDueFieldsWithinItsQuota() {
        for (String key : List.of("x", "y")) {
            HashOps.Writer w = open(key);
            for (int i = 0; i < 4; i++) w.set(b("f" + i), 0, 2, b("v"), 0, 1);
            w.commit();
            w = open(key);
            w.enableFieldExpiry();
            w.setFieldExpiry(b("f0"), 0, 2, 2_000, HashOps.COND_NONE);
            w.setFieldExpiry(b("f1"), 0, 2, 3_000, HashOps.COND_NONE);
            if (key.equals("y")) {
                w.setFieldExpiry(b("f2"), 0, 2, 2_000, HashOps.COND_NONE);
                w.setFieldExpiry(b("f3"), 0, 2, 2_000, HashOps.COND_NONE);
            }
            w.commit();
        }
        Database cron = new Database(ks).at(0, 2_500);
        int removed = 0;
        for (int s = 0; s < ks.shardCount(); s++) {
            KeyTable t = ks.shard(s).tableIfPresent(0);
            if (t != null) removed += HashOps.activeExpire(cron, t, 2_500, 10);
        }
        assertThat(removed).isEqualTo(4);
        assertThat(contents("x")).containsOnlyKeys("f1", "f2", "f3");
        assertThat(contents("y")).containsOnlyKeys("f1");
        assertThat(index("x").whenOf(b("x"))).as("refiled under the next expiry").isEqualTo(3_000);
        cron.at(0, 3_000);
        for (int s = 0; s < ks.shardCount(); s++) {
            KeyTable t = ks.shard(s).tableIfPresent(0);
            if (t != null) removed += HashOps.activeExpire(cron, t, 3_000, 1);
        }
        assertThat(removed).as("each table within its quota of one").isEqualTo(6);
        assertThat(type("y")).as("its last field gone, the hash goes").isEqualTo(-1);
        assertThat(contents("x")).containsOnlyKeys("f2", "f3");
        assertThat(index("x").whenOf(b("x"))).isEqualTo(-1);
    }
}
