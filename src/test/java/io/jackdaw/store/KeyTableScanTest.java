package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SCAN's guarantee at the table level: a walk with {@link KeyTable#scanBucket} returns every
 * key present for the whole walk at least once, while other keys come and go and the index
 * doubles and halves between calls; and a walk over a quiet table returns each key exactly once.
 */
class KeyTableScanTest {
    private static byte[] key(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static void put(KeyTable t, String k) {
        byte[] b = key(k);
        t.put(b, 0, b.length, Bytes.hash(b, 0, b.length), ValueType.STRING_RAW, b, 0, b.length, -1);
    }

    private static void remove(KeyTable t, String k) {
        byte[] b = key(k);
        int slot = t.lookup(b, 0, b.length, Bytes.hash(b, 0, b.length));
        if (slot >= 0) t.removeAt(slot);
    }

    private static long step(KeyTable t, long cursor, Map<String, Integer> seen) {
        return t.scanBucket(cursor, (p, ko, kl, exp) ->
                seen.merge(new String(p, ko, kl, StandardCharsets.UTF_8), 1, Integer::sum));
    }

    @Test
    void quietTableIsWalkedExactlyOnce() {
        for (int n : new int[] {0, 1, 11, 12, 13, 100, 5_000}) {
            KeyTable t = new KeyTable();
            for (int i = 0; i < n; i++) put(t, "k" + i);
            Map<String, Integer> seen = new HashMap<>();
            long cursor = 0;
            int calls = 0;
            do {
                cursor = step(t, cursor, seen);
                calls++;
            } while (cursor != 0);
            assertThat(calls).as("one call per bucket").isEqualTo(t.capacity());
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).allMatch(v -> v == 1);
        }
    }

    @Test
    void stableKeysSurviveGrowthAndShrinkDuringTheWalk() {
        for (long seed = 1; seed <= 6; seed++) {
            Random rnd = new Random(seed);
            KeyTable t = new KeyTable();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                stable.add("s" + i);
                put(t, "s" + i);
            }
            List<String> churn = new ArrayList<>();
            int next = 0;
            Map<String, Integer> seen = new HashMap<>();
            long cursor = 0;
            int capacityChanges = 0, lastCapacity = t.capacity();
            do {
                cursor = step(t, cursor, seen);
                // Between calls: bursts of inserts (growth) or of deletes (shrink), as other clients would.
                int mode = rnd.nextInt(10);
                int burst = rnd.nextInt(400);
                if (mode < 4) {
                    for (int i = 0; i < burst; i++) {
                        String k = "c" + next++;
                        churn.add(k);
                        put(t, k);
                    }
                } else if (mode < 9) {
                    for (int i = 0; i < burst && !churn.isEmpty(); i++) remove(t, churn.remove(rnd.nextInt(churn.size())));
                }
                if (t.capacity() != lastCapacity) {
                    capacityChanges++;
                    lastCapacity = t.capacity();
                }
            } while (cursor != 0);
            assertThat(seen.keySet()).as("seed %d", seed).containsAll(stable);
            assertThat(capacityChanges).as("seed %d resized the index during the walk", seed).isGreaterThan(2);
        }
    }
}
