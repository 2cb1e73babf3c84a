package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FieldMap against a HashMap model, and HSCAN's guarantee while the map grows and shrinks. */
class FieldMapTest {
    private static byte[] field(Random r, int universe) {
        int n = r.nextInt(universe);
        return switch (n % 4) {
            case 0 -> ("f" + n).getBytes();
            case 1 -> new byte[] {(byte) n, 0, (byte) (n >> 8)};
            case 2 -> String.valueOf(n).getBytes();
            default -> ("field-with-a-longer-name-" + n).getBytes();
        };
    }

    @Test
    void matchesAModelUnderRandomOperations() {
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            boolean values = seed % 2 == 1;
            FieldMap m = new FieldMap(values);
            Map<ByteBuffer, byte[]> model = new HashMap<>();
            Map<ByteBuffer, Long> expiry = new HashMap<>();
            int universe = 50 + r.nextInt(3_000);
            for (int step = 0; step < 40_000; step++) {
                byte[] f = field(r, universe);
                ByteBuffer key = ByteBuffer.wrap(f);
                int op = r.nextInt(10);
                if (op < 5) {
                    byte[] v = new byte[r.nextInt(40)];
                    r.nextBytes(v);
                    boolean keep = r.nextBoolean();
                    boolean isNew = m.put(f, 0, f.length, v, 0, v.length, keep);
                    assertThat(isNew).isEqualTo(!model.containsKey(key));
                    model.put(key, values ? v : null);
                    if (!keep) expiry.remove(key);
                } else if (op < 8) {
                    boolean present = model.containsKey(key);
                    assertThat(m.remove(f, 0, f.length)).isEqualTo(present);
                    model.remove(key);
                    expiry.remove(key);
                } else if (op < 9 && !model.isEmpty()) {
                    int e = m.find(f, 0, f.length);
                    if (e >= 0) {
                        long at = r.nextBoolean() ? -1 : 1_000 + r.nextInt(1_000);
                        m.setExpire(e, at);
                        if (at < 0) expiry.remove(key); else expiry.put(key, at);
                    }
                } else if (m.size() > 0) {
                    int e = r.nextInt(m.size());
                    ByteBuffer k = ByteBuffer.wrap(m.field(e));
                    assertThat(model).containsKey(k);
                    m.removeEntry(e);
                    model.remove(k);
                    expiry.remove(k);
                }
                if (step % 500 == 0 || step == 39_999) {
                    assertThat(m.size()).isEqualTo(model.size());
                    assertThat(m.fieldsWithExpiry()).isEqualTo(expiry.size());
                    for (Map.Entry<ByteBuffer, byte[]> en : model.entrySet()) {
                        byte[] f2 = en.getKey().array();
                        int e = m.find(f2, 0, f2.length);
                        assertThat(e).isGreaterThanOrEqualTo(0);
                        if (values) assertThat(m.value(e)).isEqualTo(en.getValue());
                        else assertThat(m.value(e)).isNull();
                        assertThat(m.expireAt(e)).isEqualTo(expiry.getOrDefault(en.getKey(), -1L));
                    }
                    FieldMap copy = m.duplicate();
                    assertThat(copy.size()).isEqualTo(m.size());
                    assertThat(copy.memoryBytes()).isEqualTo(m.memoryBytes());
                }
            }
        }
    }

    @Test
    void scanReturnsEveryStableFieldWhileTheMapGrowsAndShrinks() {
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            FieldMap m = new FieldMap(true);
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                byte[] f = ("s" + i).getBytes();
                m.put(f, 0, f.length, f, 0, f.length, false);
                stable.add("s" + i);
            }
            Set<String> seen = new HashSet<>();
            java.util.List<String> live = new java.util.ArrayList<>();
            int churn = 0, resizes = 0, cap = m.capacity();
            long cursor = 0;
            do {
                cursor = m.scanBucket(cursor, e -> seen.add(new String(m.field(e))));
                int burst = r.nextInt(300);
                boolean grow = r.nextInt(10) < 4;
                for (int i = 0; i < burst; i++) {
                    if (grow) {
                        String k = "c" + churn++;
                        live.add(k);
                        byte[] f = k.getBytes();
                        m.put(f, 0, f.length, f, 0, f.length, false);
                    } else if (!live.isEmpty()) {
                        byte[] f = live.remove(r.nextInt(live.size())).getBytes();
                        assertThat(m.remove(f, 0, f.length)).isTrue();
                    }
                }
                if (m.capacity() != cap) {
                    resizes++;
                    cap = m.capacity();
                }
            } while (cursor != 0);
            assertThat(seen).containsAll(stable);
            assertThat(resizes).as("seed %d resized during the walk", seed).isGreaterThan(1);
        }
    }

    @Test
    void dueFieldsAreRemovedUpToAQuota() {
        FieldMap m = new FieldMap(true);
        for (int i = 0; i < 10; i++) m.put(("f" + i).getBytes(), 0, 2, "v".getBytes(), 0, 1, false);
        assertThat(m.minExpireAt()).isEqualTo(-1);
        for (int i = 0; i < 6; i++) m.setExpire(m.find(("f" + i).getBytes(), 0, 2), 100 + i * 10);
        assertThat(m.fieldsWithExpiry()).isEqualTo(6);
        assertThat(m.minExpireAt()).isEqualTo(100);
        assertThat(m.removeDue(120, 2)).as("quota").isEqualTo(2);
        assertThat(m.removeDue(120, 100)).as("due at exactly now too").isEqualTo(1);
        assertThat(m.size()).isEqualTo(7);
        assertThat(m.fieldsWithExpiry()).isEqualTo(3);
        assertThat(m.minExpireAt()).isEqualTo(130);
        assertThat(m.find("f2".getBytes(), 0, 2)).isEqualTo(-1);
        // Overwriting a value clears the expiry unless asked to keep it.
        m.put("f3".getBytes(), 0, 2, "w".getBytes(), 0, 1, true);
        assertThat(m.expireAt(m.find("f3".getBytes(), 0, 2))).isEqualTo(130);
        m.put("f3".getBytes(), 0, 2, "w".getBytes(), 0, 1, false);
        assertThat(m.expireAt(m.find("f3".getBytes(), 0, 2))).isEqualTo(-1);
        assertThat(m.removeDue(Long.MAX_VALUE - 1, 100)).isEqualTo(2);
        assertThat(m.size()).isEqualTo(5);
        assertThat(m.fieldsWithExpiry()).isZero();
    }
}
