package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.ValueObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Value objects held by handle from page records: every live object is reachable from its key
 * and accounted once; replacing, deleting or expiring the key releases it; moving the record
 * (expiry change, page evacuation) keeps it.
 */
class KeyTableObjectTest {
    /** A value object whose size the test can change. */
    static final class Blob implements ValueObject {
        final int id;
        long size;

        Blob(int id, long size) {
            this.id = id;
            this.size = size;
        }

        @Override public long memoryBytes() { return size; }

        @Override public ValueObject duplicate() { return new Blob(id, size); }
    }

    private static byte[] key(int i) { return ("key:" + i).getBytes(StandardCharsets.UTF_8); }

    private static int slotOf(KeyTable t, byte[] k) { return t.lookup(k, 0, k.length, Bytes.hash(k, 0, k.length)); }

    @Test
    void objectsFollowTheirKeysThroughEveryKindOfWrite() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            KeyTable t = new KeyTable();
            Map<Integer, Blob> model = new HashMap<>();   // key -> object it should hold
            Map<Integer, Long> expiry = new HashMap<>();
            int nextId = 0;
            for (int step = 0; step < 60_000; step++) {
                int k = r.nextInt(2_000);
                byte[] kb = key(k);
                long hash = Bytes.hash(kb, 0, kb.length);
                switch (r.nextInt(8)) {
                    case 0, 1 -> {
                        Blob b = new Blob(nextId++, 100 + r.nextInt(5_000));
                        long exp = r.nextInt(4) == 0 ? 1_000 + r.nextInt(1_000) : -1;
                        t.putObject(kb, 0, kb.length, hash, 50, b, exp, 0);
                        model.put(k, b);
                        if (exp >= 0) expiry.put(k, exp); else expiry.remove(k);
                    }
                    case 2 -> { // a plain value replaces an object
                        byte[] v = new byte[r.nextInt(300)];
                        t.put(kb, 0, kb.length, hash, ValueType.STRING_RAW, v, 0, v.length, -1);
                        model.remove(k);
                        expiry.remove(k);
                    }
                    case 3 -> {
                        int s = slotOf(t, kb);
                        if (s >= 0) t.removeAt(s);
                        model.remove(k);
                        expiry.remove(k);
                    }
                    case 4 -> { // expiry set or cleared: the record moves, the object stays
                        int s = slotOf(t, kb);
                        if (s >= 0) {
                            long exp = r.nextBoolean() ? 1_000 + r.nextInt(1_000) : -1;
                            t.setExpire(s, exp);
                            if (exp >= 0) expiry.put(k, exp); else expiry.remove(k);
                        }
                    }
                    case 5 -> { // the caller grows an object in place and tells the table
                        Blob b = model.get(k);
                        if (b != null) {
                            b.size += r.nextInt(1_000);
                            int ref = t.refAt(slotOf(t, kb));
                            t.objectResized(t.page(ref), KeyTable.offset(ref));
                        }
                    }
                    case 6 -> { // the sweep removes what has expired
                        long now = 1_000 + r.nextInt(1_000);
                        t.sweepExpired(now, 64, null);
                        // A swept key is gone from the table; drop it from the model where it went.
                        model.keySet().removeIf(key -> {
                            byte[] b = key(key);
                            return slotOf(t, b) < 0;
                        });
                        expiry.keySet().removeIf(key -> slotOf(t, key(key)) < 0);
                    }
                    default -> { // overwrite with another object of the same footprint (in place)
                        if (model.containsKey(k)) {
                            Blob b = new Blob(nextId++, 64);
                            t.putObject(kb, 0, kb.length, hash, 51, b, expiry.getOrDefault(k, -1L), 0);
                            model.put(k, b);
                        }
                    }
                }
                if (step % 997 == 0 || step == 59_999) {
                    long sum = 0;
                    for (Map.Entry<Integer, Blob> e : model.entrySet()) {
                        byte[] kb2 = key(e.getKey());
                        int s = slotOf(t, kb2);
                        assertThat(s).as("seed %d step %d key %d", seed, step, e.getKey()).isGreaterThanOrEqualTo(0);
                        int ref = t.refAt(s);
                        byte[] p = t.page(ref);
                        int o = KeyTable.offset(ref);
                        assertThat(KeyTable.holdsObject(p, o)).isTrue();
                        assertThat(((Blob) t.object(p, o)).id).isEqualTo(e.getValue().id);
                        assertThat(KeyTable.expireAt(p, o)).isEqualTo(expiry.getOrDefault(e.getKey(), -1L));
                        sum += e.getValue().size;
                    }
                    assertThat(t.objectCount()).as("seed %d step %d", seed, step).isEqualTo(model.size());
                    assertThat(t.objectBytes()).as("seed %d step %d: accounted object bytes", seed, step).isEqualTo(sum);
                }
            }
        }
    }

    @Test
    void clearDropsEveryObject() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 100; i++) {
            byte[] kb = key(i);
            t.putObject(kb, 0, kb.length, Bytes.hash(kb, 0, kb.length), 50, new Blob(i, 1_000), -1, 0);
        }
        assertThat(t.objectCount()).isEqualTo(100);
        assertThat(t.memoryBytes()).isGreaterThanOrEqualTo(100_000);
        t.clear();
        assertThat(t.objectCount()).isZero();
        assertThat(t.memoryBytes()).isLessThan(100_000);
    }
}
