package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.Listpack;
import java.util.HashMap;
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
}
