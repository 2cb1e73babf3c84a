package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KeyTable} checked against a {@code HashMap} model: random operation sequences over
 * several seeds (puts of every record shape, integer puts, removals, expiry changes, sweeps),
 * with the table compared to the model every few operations and in full periodically.
 */
class KeyTableTest {
    /** What the model remembers of a key: the record type, the exact value bytes, and the expiry (-1 = none). */
    record Entry(int type, byte[] value, long expireAt) {}

    static final int MIN_CAPACITY = 16;
    static final int MAX_INLINE = KeyTable.MAX_INLINE;

    /** The table under test plus its model and a random-access list of the model's keys. */
    static final class Harness {
        final KeyTable t;
        final Map<ByteBuffer, Entry> model = new HashMap<>();
        final List<ByteBuffer> keys = new ArrayList<>();
        final Map<ByteBuffer, Integer> keyIndex = new HashMap<>();
        final Random rnd;
        long ops;

        Harness(Random rnd) { this(rnd, new KeyTable()); }

        /** What the table reported of its live bytes (maxmemory's figure). */
        final java.util.concurrent.atomic.LongAdder live = new java.util.concurrent.atomic.LongAdder();

        Harness(Random rnd, KeyTable t) {
            this.rnd = rnd;
            this.t = t;
            t.reportLiveBytesTo(live);
        }

        void modelPut(byte[] k, Entry e) {
            ByteBuffer kb = ByteBuffer.wrap(k);
            if (model.put(kb, e) == null) {
                keyIndex.put(kb, keys.size());
                keys.add(kb);
            }
        }

        void modelRemove(ByteBuffer kb) {
            assertThat(model.remove(kb)).isNotNull();
            int i = keyIndex.remove(kb);
            ByteBuffer last = keys.remove(keys.size() - 1);
            if (i < keys.size()) {
                keys.set(i, last);
                keyIndex.put(last, i);
            }
        }

        byte[] randomExistingKey() { return keys.get(rnd.nextInt(keys.size())).array(); }

        void put(byte[] k, int type, byte[] v, long expireAt) {
            // Give the table the key and value at a non-zero offset inside bigger arrays, to check offsets are honoured.
            byte[] kArr = pad(k, 3), vArr = pad(v, 5);
            int ref = t.put(kArr, 3, k.length, Bytes.hash(k, 0, k.length), type, vArr, 5, v.length, expireAt);
            byte[] p = t.page(ref);
            int o = KeyTable.offset(ref);
            assertThat(KeyTable.valueLength(p, o)).isEqualTo(v.length);
            modelPut(k, new Entry(type, v, expireAt));
            ops++;
        }

        void putLong(byte[] k, long value, long expireAt) {
            t.putLong(k, 0, k.length, Bytes.hash(k, 0, k.length), ValueType.STRING_INT, value, expireAt);
            byte[] v = new byte[8];
            Bytes.putLong(v, 0, value);
            modelPut(k, new Entry(ValueType.STRING_INT, v, expireAt));
            ops++;
        }

        void remove(byte[] k) {
            int slot = lookup(k);
            assertThat(slot).as("slot of a live key").isGreaterThanOrEqualTo(0);
            t.removeAt(slot);
            modelRemove(ByteBuffer.wrap(k));
            assertThat(lookup(k)).isEqualTo(-1);
            ops++;
        }

        void setExpire(byte[] k, long expireAt) {
            int slot = lookup(k);
            assertThat(slot).isGreaterThanOrEqualTo(0);
            t.setExpire(slot, expireAt);
            Entry e = model.get(ByteBuffer.wrap(k));
            modelPut(k, new Entry(e.type, e.value, expireAt));
            ops++;
        }

        /** Lengthens a key's value with zeros through growValue; returns whether the record stayed put. */
        boolean grow(byte[] k, int type, int newLen) {
            int slot = lookup(k);
            assertThat(slot).isGreaterThanOrEqualTo(0);
            int before = t.refAt(slot);
            int ref = t.growValue(slot, type, newLen);
            assertThat(t.refAt(lookup(k))).as("the slot points at the grown record").isEqualTo(ref);
            Entry e = model.get(ByteBuffer.wrap(k));
            modelPut(k, new Entry(type, Arrays.copyOf(e.value, newLen), e.expireAt));
            ops++;
            return ref == before;
        }

        void putZeros(byte[] k, int type, int len, long expireAt) {
            t.putZeros(k, 0, k.length, Bytes.hash(k, 0, k.length), type, len, expireAt, 0);
            modelPut(k, new Entry(type, new byte[len], expireAt));
            ops++;
        }

        int lookup(byte[] k) { return t.lookup(k, 0, k.length, Bytes.hash(k, 0, k.length)); }

        /** One key: present exactly when the model has it, with the model's type, value and expiry. */
        void checkKey(byte[] k) {
            Entry e = model.get(ByteBuffer.wrap(k));
            int slot = lookup(k);
            if (e == null) {
                assertThat(slot).as("absent key %s", describe(k)).isEqualTo(-1);
                return;
            }
            assertThat(slot).as("present key %s", describe(k)).isGreaterThanOrEqualTo(0);
            int ref = t.refAt(slot);
            byte[] p = t.page(ref);
            int o = KeyTable.offset(ref);
            assertThat(KeyTable.type(p, o)).isEqualTo(e.type);
            assertThat(KeyTable.keyLength(p, o)).isEqualTo(k.length);
            int ko = KeyTable.keyOffset(p, o);
            assertThat(Arrays.equals(p, ko, ko + k.length, k, 0, k.length)).as("key bytes").isTrue();
            assertThat(KeyTable.valueLength(p, o)).as("value length of %s", describe(k)).isEqualTo(e.value.length);
            int vo = KeyTable.valueOffset(p, o);
            assertThat(Arrays.equals(p, vo, vo + e.value.length, e.value, 0, e.value.length))
                    .as("value bytes of %s", describe(k)).isTrue();
            assertThat(KeyTable.expireAt(p, o)).as("expireAt of %s", describe(k)).isEqualTo(e.expireAt);
            assertThat(t.hasTtl(slot)).isEqualTo(e.expireAt >= 0);
        }

        void checkCounts() {
            assertThat(t.size()).isEqualTo(model.size());
            long ttl = model.values().stream().filter(e -> e.expireAt >= 0).count();
            assertThat(t.ttlCount()).isEqualTo((int) ttl);
            int cap = t.capacity();
            assertThat(Integer.bitCount(cap)).as("capacity is a power of two").isEqualTo(1);
            // Documented load factors: at most 3/4 full; below 1/8 full it shrinks (down to the minimum).
            assertThat(t.size() * 4L).as("load <= 0.75").isLessThanOrEqualTo(cap * 3L);
            if (cap > MIN_CAPACITY) assertThat(t.size() * 8L).as("load >= 1/8 above the minimum").isGreaterThanOrEqualTo(cap);
        }

        /** Full comparison: every model key found intact, and forEach visits exactly the model's keys. */
        void checkAll() {
            checkCounts();
            for (ByteBuffer kb : keys) checkKey(kb.array());
            // Live bytes: exactly the live records, the index and the objects; the reported sum agrees.
            long records = 0;
            for (ByteBuffer kb : keys) {
                int ref = t.refAt(lookup(kb.array()));
                records += KeyTable.recordFootprint(t.page(ref), KeyTable.offset(ref));
            }
            assertThat(t.liveMemoryBytes()).as("live bytes").isEqualTo(records + 8L * t.capacity() + t.objectBytes());
            assertThat(live.sum()).as("reported live bytes").isEqualTo(t.liveMemoryBytes());
            Map<ByteBuffer, Long> seen = new HashMap<>();
            t.forEach((page, ko, kl, expireAt) -> {
                ByteBuffer kb = ByteBuffer.wrap(Arrays.copyOfRange(page, ko, ko + kl));
                assertThat(seen.put(kb, expireAt)).as("forEach visits each key once").isNull();
            });
            assertThat(seen.keySet()).isEqualTo(model.keySet());
            for (Map.Entry<ByteBuffer, Long> s : seen.entrySet())
                assertThat(s.getValue()).isEqualTo(model.get(s.getKey()).expireAt);
        }

        /** A few keys around the last operation: cheap enough for every step. */
        void spotCheck(byte[] touched) {
            checkCounts();
            checkKey(touched);
            for (int i = 0; i < 3 && !keys.isEmpty(); i++) checkKey(randomExistingKey());
        }
    }

    static byte[] pad(byte[] b, int before) {
        byte[] r = new byte[b.length + before + 2];
        Arrays.fill(r, (byte) 0x5A);
        System.arraycopy(b, 0, r, before, b.length);
        return r;
    }

    static String describe(byte[] k) {
        return k.length <= 24 ? Arrays.toString(k) : "[" + k.length + " bytes, hash " + Bytes.hash(k, 0, k.length) + "]";
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Key lengths 0..100, and now and then a 70 KB key (jumbo header, own page). */
    static byte[] randomKey(Random r) {
        if (r.nextInt(2000) == 0) return randomBytes(r, 70_000 + r.nextInt(100));
        return randomBytes(r, r.nextInt(101));
    }

    /** Value lengths 0..3000, small ones, 32 KiB..64 KiB (own page) and over 65535 (jumbo header). */
    static byte[] randomValue(Random r) {
        int c = r.nextInt(100);
        int len;
        if (c < 3) len = MAX_INLINE + r.nextInt(65536 - MAX_INLINE);       // own page, 16-bit lengths
        else if (c < 5) len = 65536 + r.nextInt(6000);                     // own page, 32-bit lengths
        else if (c < 15) len = r.nextInt(17);
        else len = r.nextInt(3001);
        return randomBytes(r, len);
    }

    static long randomExpire(Random r) { return r.nextInt(3) == 0 ? r.nextInt(10_000) : -1; }

    /**
     * Runs {@code steps} random operations. The mix alternates between growing phases (mostly
     * new keys) and draining phases (mostly removals) so the index both grows and shrinks.
     */
    static void randomRun(Harness h, int steps, int peak, List<byte[]> keyUniverse) {
        Random r = h.rnd;
        boolean growing = true;
        int maxCap = 0, minCapAfterPeak = Integer.MAX_VALUE;
        boolean drainedAfterPeak = false;
        for (int step = 0; step < steps; step++) {
            if (growing && h.model.size() >= peak) growing = false;
            else if (!growing && h.model.size() <= 2) {
                growing = true;
                drainedAfterPeak |= maxCap >= 2048;
            }
            int op = r.nextInt(100);
            byte[] touched;
            boolean any = !h.keys.isEmpty();
            if (op < (growing ? 45 : 12)) {                       // put (new or overwrite)
                byte[] k = any && r.nextInt(3) == 0 ? h.randomExistingKey()
                        : keyUniverse != null ? keyUniverse.get(r.nextInt(keyUniverse.size())) : randomKey(r);
                h.put(k, r.nextInt(8), randomValue(r), randomExpire(r));
                touched = k;
            } else if (op < (growing ? 55 : 20)) {                // integer put
                byte[] k = any && r.nextBoolean() ? h.randomExistingKey()
                        : keyUniverse != null ? keyUniverse.get(r.nextInt(keyUniverse.size())) : randomKey(r);
                h.putLong(k, r.nextLong(), randomExpire(r));
                touched = k;
            } else if (op < (growing ? 70 : 85)) {                // remove
                if (!any) continue;
                touched = h.randomExistingKey();
                h.remove(touched);
            } else if (op < 90) {                                 // set or clear expiry
                if (!any) continue;
                touched = h.randomExistingKey();
                h.setExpire(touched, r.nextInt(4) == 0 ? -1 : r.nextInt(10_000));
            } else if (op < 99) {                                 // lookups of absent keys
                touched = keyUniverse != null ? keyUniverse.get(r.nextInt(keyUniverse.size())) : randomKey(r);
            } else {                                              // an incremental sweep
                long now = r.nextInt(10_000);
                int budget = 1 + r.nextInt(20);
                sweepAndReconcile(h, now, budget);
                touched = h.keys.isEmpty() ? new byte[0] : h.randomExistingKey(); // the sweep may have emptied it
            }
            h.spotCheck(touched);
            maxCap = Math.max(maxCap, h.t.capacity());
            if (drainedAfterPeak) minCapAfterPeak = Math.min(minCapAfterPeak, h.t.capacity());
            if (step % 2000 == 1999) h.checkAll();
        }
        h.checkAll();
        assertThat(maxCap).as("the index grew").isGreaterThanOrEqualTo(2048);
        assertThat(drainedAfterPeak).as("a draining phase ran after the peak").isTrue();
        assertThat(minCapAfterPeak).as("the index shrank back when drained").isLessThanOrEqualTo(64);
    }

    /** One sweep call: what it reports must be expired model keys, and those leave the model. */
    static int sweepAndReconcile(Harness h, long now, int budget) {
        List<byte[]> reported = new ArrayList<>();
        int removed = h.t.sweepExpired(now, budget, (table, page, ko, kl) -> {
            assertThat(table).isSameAs(h.t);
            reported.add(Arrays.copyOfRange(page, ko, ko + kl));
        });
        assertThat(removed).isEqualTo(reported.size()).isLessThanOrEqualTo(budget);
        for (byte[] k : reported) {
            Entry e = h.model.get(ByteBuffer.wrap(k));
            assertThat(e).as("swept key was live").isNotNull();
            assertThat(e.expireAt).as("swept key had expired (now > expireAt)").isBetween(0L, now - 1);
            h.modelRemove(ByteBuffer.wrap(k));
            assertThat(h.lookup(k)).isEqualTo(-1);
        }
        return removed;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 0xC0FFEE})
    void randomOperationsMatchTheModel(long seed) {
        Harness h = new Harness(new Random(seed));
        randomRun(h, 100_000, 3000, null);
        assertThat(h.ops).isGreaterThan(80_000);
    }

    /**
     * Keys chosen so that their home slots coincide at every capacity up to 2048: runs are long,
     * so lookups probe far and deletes shift long runs back (wrapping the end of the index).
     */
    @Test
    void clusteredHomeSlotsMatchTheModel() {
        Random r = new Random(77);
        List<byte[]> universe = new ArrayList<>();
        int[] targets = {0, 2047, 1024, 17};  // 2047 and 0 make runs wrap around the end of the index
        for (int target : targets) {
            int found = 0;
            while (found < 1000) {
                byte[] k = randomBytes(r, 1 + r.nextInt(12));
                if (((int) (Bytes.hash(k, 0, k.length) >>> 33) & 2047) == target) {
                    universe.add(k);
                    found++;
                }
            }
        }
        Harness h = new Harness(new Random(78));
        randomRun(h, 60_000, 1700, universe);
    }

    // ------------------------------------------------------------------ record shapes

    /** Every length boundary of the record layout, with and without TTL, overwritten by every other shape. */
    @Test
    void recordShapeBoundaries() {
        int[] keyLens = {0, 1, 7, 8, 100, 0xFFFF, 0x10000, 70_000};
        // HEADER (8) + key + value = MAX_INLINE exactly stays inline for key length 0; one byte more gets its own page.
        int[] valLens = {0, 1, 8, 9, MAX_INLINE - 8, MAX_INLINE - 7, MAX_INLINE + 1, 0xFFFF, 0x10000, 100_000};
        Random r = new Random(5);
        Harness h = new Harness(r);
        int n = 0;
        for (int kl : keyLens) {
            byte[] k = randomBytes(r, kl);
            for (int vl : valLens) {
                for (long exp : new long[] {-1, 0, 123_456_789_012L}) {
                    h.put(k, n++ & 0x7F, randomBytes(r, vl), exp);
                    h.checkKey(k);
                    h.setExpire(k, exp >= 0 ? -1 : 42);   // changes the layout: the record moves
                    h.checkKey(k);
                    h.setExpire(k, 99);                   // same layout: rewritten in place
                    h.checkKey(k);
                }
            }
            h.putLong(k, Long.MIN_VALUE, -1);
            h.checkKey(k);
            h.checkAll();
        }
        for (ByteBuffer kb : List.copyOf(h.keys)) h.remove(kb.array());
        h.checkAll();
        assertThat(h.t.size()).isZero();
    }

    @Test
    void sameFootprintOverwriteIsInPlace() {
        KeyTable t = new KeyTable();
        byte[] k = Bytes.ascii("counter");
        long hash = Bytes.hash(k, 0, k.length);
        int ref = t.putLong(k, 0, k.length, hash, ValueType.STRING_INT, 1, -1);
        for (long v = 2; v < 1000; v++) {
            assertThat(t.putLong(k, 0, k.length, hash, ValueType.STRING_INT, v, -1)).isEqualTo(ref);
        }
        byte[] p = t.page(ref);
        assertThat(Bytes.getLong(p, KeyTable.valueOffset(p, KeyTable.offset(ref)))).isEqualTo(999);
        // Header 8 + key 7 + value pads to 24 bytes for values of 2..9 bytes: all rewritten in place.
        assertThat(t.put(k, 0, k.length, hash, ValueType.STRING_RAW, Bytes.ascii("abcdefghi"), 0, 9, -1)).isEqualTo(ref);
        assertThat(t.put(k, 0, k.length, hash, ValueType.STRING_RAW, Bytes.ascii("ab"), 0, 2, -1)).isEqualTo(ref);
        assertThat(KeyTable.valueLength(p, KeyTable.offset(ref))).isEqualTo(2);
        assertThat(KeyTable.type(p, KeyTable.offset(ref))).isEqualTo(ValueType.STRING_RAW);
        int vo = KeyTable.valueOffset(p, KeyTable.offset(ref));
        assertThat(Arrays.copyOfRange(p, vo, vo + 2)).isEqualTo(Bytes.ascii("ab"));
        // Ten bytes (footprint 32) and one byte (footprint 16) do not: a new record each time.
        int ref2 = t.put(k, 0, k.length, hash, ValueType.STRING_RAW, Bytes.ascii("abcdefghij"), 0, 10, -1);
        assertThat(ref2).isNotEqualTo(ref);
        assertThat(t.put(k, 0, k.length, hash, ValueType.STRING_RAW, Bytes.ascii("a"), 0, 1, -1)).isNotEqualTo(ref2);
        // Adding a TTL changes the layout; changing an existing TTL does not.
        int slot = t.lookup(k, 0, k.length, hash);
        int before = t.refAt(slot);
        t.setExpire(slot, 10);
        int withTtl = t.refAt(slot);
        assertThat(withTtl).isNotEqualTo(before);
        t.setExpire(slot, 20);
        assertThat(t.refAt(slot)).isEqualTo(withTtl);
        assertThat(KeyTable.expireAt(t.page(withTtl), KeyTable.offset(withTtl))).isEqualTo(20);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.ttlCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ growing values (bitmaps)

    /**
     * Values lengthened with zeros (SETBIT and BITFIELD past the end) and zero-filled puts, mixed
     * with ordinary writes: every step leaves exactly the model, across every record shape (inline,
     * own page, 16- and 32-bit lengths) and with records that were rewritten in place before, whose
     * padding may hold old bytes that must not reappear as the value grows.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32})
    void growingValuesMatchTheModel(long seed) {
        Random r = new Random(seed);
        Harness h = new Harness(r);
        List<byte[]> universe = new ArrayList<>();
        for (int i = 0; i < 300; i++) universe.add(randomKey(r));
        for (int step = 0; step < 20_000; step++) {
            int op = r.nextInt(100);
            byte[] k = h.keys.isEmpty() || r.nextInt(4) == 0 ? universe.get(r.nextInt(universe.size())) : h.randomExistingKey();
            boolean present = h.model.containsKey(ByteBuffer.wrap(k));
            if (op < 15) {
                h.put(k, r.nextInt(3), randomValue(r), randomExpire(r));
            } else if (op < 25) {
                h.putZeros(k, r.nextInt(3), r.nextInt(10) == 0 ? MAX_INLINE + r.nextInt(40_000) : r.nextInt(200),
                        randomExpire(r));
            } else if (op < 85 && present) {
                int len = h.model.get(ByteBuffer.wrap(k)).value.length;
                int by = switch (r.nextInt(10)) {
                    case 0 -> 1000 + r.nextInt(40_000);
                    case 1 -> 0;
                    default -> 1 + r.nextInt(16);
                };
                h.grow(k, ValueType.STRING_MODIFIED, Math.min(len + by, 300_000));
            } else if (op < 95 && present) {
                h.remove(k);
            } else if (present) {
                h.setExpire(k, r.nextInt(3) == 0 ? -1 : r.nextInt(10_000));
            }
            h.spotCheck(k);
            if (step % 5000 == 4999) h.checkAll();
        }
        h.checkAll();
        for (ByteBuffer kb : List.copyOf(h.keys)) h.remove(kb.array());
        assertThat(h.t.memoryBytes()).as("every page given back (but the current one), spare room included")
                .isLessThanOrEqualTo(8L * h.t.capacity() + KeyTable.FULL_PAGE);
    }

    /** Growing byte by byte is in place almost always: within the padding, then within an own page's spare room. */
    @Test
    void growingByteByByteRarelyMoves() {
        KeyTable t = new KeyTable();
        byte[] k = Bytes.ascii("bitmap");
        long hash = Bytes.hash(k, 0, k.length);
        t.putZeros(k, 0, k.length, hash, ValueType.STRING_MODIFIED, 1, -1, 0);
        int moves = 0, ref = t.refAt(t.lookup(k, 0, k.length, hash));
        for (int len = 2; len <= 3_000_000; len++) {
            int slot = t.lookup(k, 0, k.length, hash);
            int now = t.growValue(slot, ValueType.STRING_MODIFIED, len);
            if (now != ref) moves++;
            ref = now;
            // Mark the byte just added; the marks must all survive the moves.
            byte[] p = t.page(ref);
            p[KeyTable.valueOffset(p, KeyTable.offset(ref)) + len - 1] = (byte) len;
        }
        byte[] p = t.page(ref);
        int o = KeyTable.offset(ref), vo = KeyTable.valueOffset(p, o);
        assertThat(KeyTable.valueLength(p, o)).isEqualTo(3_000_000);
        for (int len = 2; len <= 3_000_000; len++) assertThat(p[vo + len - 1]).isEqualTo((byte) len);
        // Inline: a move per 8 bytes up to 32 KiB (4096 moves); then spare room doubling to 1 MiB
        // and growing by 1 MiB past it, plus the switch to 32-bit lengths: a dozen more at most.
        assertThat(moves).isBetween(4096, 4096 + 12);
        // The spare room is accounted for, and is at most 1 MiB (beside the current small-record page).
        long footprint = (8 + k.length + 8 + 3_000_000 + 7) & ~7L;
        assertThat(t.memoryBytes() - footprint).isLessThanOrEqualTo((1 << 20) + KeyTable.FULL_PAGE + 8L * t.capacity());
        t.removeAt(t.lookup(k, 0, k.length, hash));
        assertThat(t.memoryBytes()).isLessThanOrEqualTo(KeyTable.FULL_PAGE + 8L * t.capacity());
    }

    @Test
    void growingAnInPlaceRewrittenRecordZeroesItsOldPadding() {
        Harness h = new Harness(new Random(4));
        byte[] k = Bytes.ascii("k");
        h.put(k, ValueType.STRING_RAW, Bytes.ascii("abcdefghijklmno"), -1); // footprint 8 + 1 + 15 -> 24
        h.put(k, ValueType.STRING_RAW, Bytes.ascii("xy"), -1);              // 8 + 1 + 2 -> 16: a new record
        h.put(k, ValueType.STRING_RAW, Bytes.ascii("abcdefghijklmno"), -1);
        h.put(k, ValueType.STRING_RAW, Bytes.ascii("abcdefghij"), -1);      // 8 + 1 + 10 -> 24: in place, "klmno" left behind
        assertThat(h.grow(k, ValueType.STRING_MODIFIED, 15)).as("same footprint: in place").isTrue();
        h.checkKey(k); // the model says zeros where the old bytes were
    }

    // ------------------------------------------------------------------ compaction

    /** Sum of record footprints (header, TTL, extended lengths, key, value, 8-byte padding) of what is live. */
    static long liveFootprint(Harness h) {
        long n = 0;
        for (Map.Entry<ByteBuffer, Entry> e : h.model.entrySet()) {
            int kl = e.getKey().capacity(), vl = e.getValue().value.length;
            boolean jumbo = kl > 0xFFFF || vl > 0xFFFF;
            n += (8 + (e.getValue().expireAt >= 0 ? 8 : 0) + (jumbo ? 8 : 0) + kl + vl + 7) & ~7L;
        }
        return n;
    }

    /**
     * 1000 keys overwritten 200 times. Same-size rounds rewrite in place, so memory does not
     * move at all; different-size rounds leave a dead record per write, and compaction must
     * keep the pages near the live data.
     *
     * <p>The bound: pages = live + dead + unused. Compaction evacuates the page with the most
     * dead bytes on every write once dead bytes pass both 256 KiB and a quarter of the pages, so
     * dead stays under max(256 KiB, pages / 4). Unused space is the unfilled tail of the page
     * receiving appends (pages grow to 2 MiB, so at most 2 MiB) plus, at the end of each retired
     * page, less than one record (here under 2 KiB). Hence pages &lt;= 4/3 * (live + 2 MiB + slack),
     * and memoryBytes() &lt;= 4/3 * live + 3 MiB + the index (8 bytes per slot). With ~1 MB live
     * that is ~4.5 MB; keeping every dead record would need ~200 MB.
     */
    @Test
    void overwritesAreCompacted() {
        Random r = new Random(11);
        Harness h = new Harness(r);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) keys.add(Bytes.ascii(String.format("key:%06d", i)));
        for (byte[] k : keys) h.put(k, 0, randomBytes(r, 1 + r.nextInt(2000)), -1);
        long maxRatioMemory = 0;
        long written = 0;
        for (int round = 0; round < 200; round++) {
            boolean sameSize = round % 2 == 0;
            long before = h.t.memoryBytes();
            for (byte[] k : keys) {
                int len = sameSize ? h.model.get(ByteBuffer.wrap(k)).value.length : 1 + r.nextInt(2000);
                byte[] v = randomBytes(r, len);
                h.put(k, 0, v, -1);
                written += len;
            }
            if (sameSize) assertThat(h.t.memoryBytes()).as("same-size overwrite is in place").isEqualTo(before);
            long live = liveFootprint(h);
            long mem = h.t.memoryBytes();
            assertThat(mem).as("round %d: memory %d for live %d", round, mem, live)
                    .isLessThanOrEqualTo(live * 4 / 3 + 3L * 1024 * 1024 + 8L * h.t.capacity());
            maxRatioMemory = Math.max(maxRatioMemory, mem);
            if (round % 20 == 0) h.checkAll();
        }
        h.checkAll();
        assertThat(written).as("enough churn that keeping dead records would blow the bound").isGreaterThan(30L * maxRatioMemory);
    }

    /**
     * Hot keys overwritten in random order while a few never-rewritten cold keys are added every
     * round: every page keeps some live records, so no page ever empties by itself and only
     * evacuation gets space back (without it the pages would hold all ~200 MB written). Same
     * bound as {@link #overwritesAreCompacted}; values must survive being moved.
     */
    @Test
    void pagesWithScatteredLiveRecordsAreEvacuated() {
        Random r = new Random(13);
        Harness h = new Harness(r);
        List<byte[]> hot = new ArrayList<>();
        for (int i = 0; i < 1000; i++) hot.add(Bytes.ascii("hot:" + i));
        long written = 0, maxMemory = 0;
        int cold = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 1000; i++) {
                if (i % 200 == 0) h.put(Bytes.ascii("cold:" + cold++), 2, randomBytes(r, 1 + r.nextInt(2000)), -1);
                byte[] v = randomBytes(r, 1 + r.nextInt(2000));
                h.put(hot.get(r.nextInt(hot.size())), 1, v, r.nextInt(4) == 0 ? round : -1);
                written += v.length;
            }
            long live = liveFootprint(h), mem = h.t.memoryBytes();
            assertThat(mem).as("round %d: memory %d for live %d", round, mem, live)
                    .isLessThanOrEqualTo(live * 4 / 3 + 3L * 1024 * 1024 + 8L * h.t.capacity());
            maxMemory = Math.max(maxMemory, mem);
            if (round % 25 == 0) h.checkAll();
        }
        h.checkAll();
        assertThat(written).isGreaterThan(30L * maxMemory);
    }

    /** Values with pages of their own give the page back as soon as they are overwritten or removed. */
    @Test
    void bigValuesReleaseTheirPages() {
        Random r = new Random(12);
        Harness h = new Harness(r);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) keys.add(Bytes.ascii("big:" + i));
        for (int round = 0; round < 100; round++) {
            for (byte[] k : keys) h.put(k, 0, randomBytes(r, 40_000 + r.nextInt(40_000)), round % 3 == 0 ? 5 : -1);
            long live = liveFootprint(h);
            // Each big record is its own page, exactly its footprint; the rest is the index and at most one small page.
            assertThat(h.t.memoryBytes()).isLessThanOrEqualTo(live + 8L * h.t.capacity() + 64 * 1024);
        }
        h.checkAll();
        for (byte[] k : keys) h.remove(k);
        assertThat(h.t.memoryBytes()).isLessThanOrEqualTo(8L * h.t.capacity() + 64 * 1024);
    }

    // ------------------------------------------------------------------ expiry sweep

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void sweepRemovesExactlyTheExpiredKeysAcrossSmallBudgets(long seed) {
        Random r = new Random(seed);
        Harness h = new Harness(r);
        long now = 5_000;
        Set<ByteBuffer> expired = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            byte[] k = Bytes.ascii("k" + i + ":" + r.nextInt());
            int kind = r.nextInt(3);
            // Due: expireAt < now. Not due: expireAt >= now, the boundary included (Redis expires once now > when).
            long exp = kind == 0 ? -1 : kind == 1 ? r.nextInt((int) now) : now + r.nextInt(10_000);
            h.put(k, 0, randomBytes(r, r.nextInt(50)), exp);
            if (kind == 1) expired.add(ByteBuffer.wrap(k));
        }
        h.checkAll();
        int budget = 1 + r.nextInt(16);
        int calls = 0;
        Set<ByteBuffer> swept = new HashSet<>();
        while (swept.size() < expired.size()) {
            List<byte[]> reported = new ArrayList<>();
            int removed = h.t.sweepExpired(now, budget, (t, p, ko, kl) -> reported.add(Arrays.copyOfRange(p, ko, ko + kl)));
            calls++;
            assertThat(removed).isEqualTo(reported.size()).isLessThanOrEqualTo(budget);
            for (byte[] k : reported) {
                ByteBuffer kb = ByteBuffer.wrap(k);
                assertThat(expired).as("only expired keys are swept").contains(kb);
                assertThat(swept.add(kb)).as("each key swept once").isTrue();
                h.modelRemove(kb);
            }
            h.checkCounts();
            assertThat(calls).as("the sweep makes progress").isLessThan(50_000);
        }
        assertThat(calls).as("incremental: many small calls").isGreaterThan(expired.size() / budget - 1);
        h.checkAll();
        // Nothing left to take at this time, however often it runs; unexpired keys untouched.
        for (int i = 0; i < 500; i++) assertThat(h.t.sweepExpired(now, budget, null)).isZero();
        assertThat(h.t.size()).isEqualTo(3000 - expired.size());
        h.checkAll();
        // Later, everything with a TTL goes and the persistent keys stay.
        int ttlLeft = h.t.ttlCount();
        int total = 0;
        for (int i = 0; i < 100_000 && h.t.ttlCount() > 0; i++) total += h.t.sweepExpired(Long.MAX_VALUE, 50, null);
        assertThat(total).isEqualTo(ttlLeft);
        assertThat(h.t.ttlCount()).isZero();
        long persistent = h.model.values().stream().filter(e -> e.expireAt < 0).count();
        assertThat(h.t.size()).isEqualTo((int) persistent);
    }

    /**
     * Without a resize, one call whose budget covers the whole index removes every expired key:
     * removals shift later entries back into the slot just checked, which is looked at again
     * (each such second look costs one unit of budget, so the budget is capacity + removals).
     * Keys share home slots so that shifts are frequent.
     */
    @Test
    void oneFullPassSweepsEverythingDueWhenTheIndexKeepsItsSize() {
        Random r = new Random(24);
        Harness h = new Harness(r);
        int expiredCount = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] k;
            do {
                k = randomBytes(r, 1 + r.nextInt(10));
            } while ((((int) (Bytes.hash(k, 0, k.length) >>> 33)) & 0x3F) != 0 && r.nextInt(4) != 0);
            if (h.model.containsKey(ByteBuffer.wrap(k))) continue;
            boolean due = r.nextInt(20) == 0;
            if (due) expiredCount++;
            h.put(k, 0, new byte[] {1}, due ? 100 : r.nextBoolean() ? -1 : 1000);
        }
        int cap = h.t.capacity();
        assertThat((h.t.size() - expiredCount) * 8L).as("no shrink during the pass").isGreaterThanOrEqualTo(cap);
        int removed = sweepAndReconcile(h, 500, cap + expiredCount);
        assertThat(removed).isEqualTo(expiredCount);
        assertThat(h.t.capacity()).isEqualTo(cap);
        h.checkAll();
    }

    @Test
    void sweepWithNothingDueRemovesNothing() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 100; i++) {
            byte[] k = Bytes.ascii("k" + i);
            t.put(k, 0, k.length, Bytes.hash(k, 0, k.length), 0, k, 0, k.length, 1000 + i);
        }
        for (int i = 0; i < 100; i++) assertThat(t.sweepExpired(999, 10, (a, b, c, d) -> { throw new AssertionError(); })).isZero();
        assertThat(t.size()).isEqualTo(100);
        // expireAt == now is still live, as Redis's activeExpireCycleTryExpire (now > when); one ms later it is due.
        assertThat(t.sweepExpired(1000, 1000, (a, b, c, d) -> { throw new AssertionError(); })).isZero();
        assertThat(t.size()).isEqualTo(100);
        assertThat(t.sweepExpired(1001, 1000, null)).isEqualTo(1);
        assertThat(t.size()).isEqualTo(99);
    }

    // ------------------------------------------------------------------ clear

    @Test
    void clearEmptiesAndTheTableIsReusable() {
        Random r = new Random(31);
        Harness h = new Harness(r);
        for (int i = 0; i < 5000; i++) h.put(randomKey(r), 1, randomValue(r), randomExpire(r));
        assertThat(h.t.capacity()).isGreaterThan(MIN_CAPACITY);
        List<ByteBuffer> old = List.copyOf(h.keys);
        h.t.clear();
        assertThat(h.t.size()).isZero();
        assertThat(h.t.ttlCount()).isZero();
        assertThat(h.t.capacity()).isEqualTo(MIN_CAPACITY);
        assertThat(h.t.memoryBytes()).isEqualTo(8L * MIN_CAPACITY);
        for (ByteBuffer kb : old) assertThat(h.lookup(kb.array())).isEqualTo(-1);
        int[] visits = {0};
        h.t.forEach((p, ko, kl, e) -> visits[0]++);
        assertThat(visits[0]).isZero();
        assertThat(h.t.sweepExpired(Long.MAX_VALUE, 100, null)).isZero();
        assertThat(h.t.randomSlot(r)).isEqualTo(-1);

        // The cleared table works as new: a fresh model over the same instance.
        Harness again = new Harness(new Random(33), h.t);
        Random r2 = again.rnd;
        for (int i = 0; i < 3000; i++) {
            byte[] k = randomKey(r2);
            if (r2.nextInt(4) == 0 && !again.keys.isEmpty()) again.remove(again.randomExistingKey());
            else again.put(k, 3, randomValue(r2), randomExpire(r2));
            again.spotCheck(k);
        }
        again.checkAll();
    }

    @Test
    void randomSlotOnlyReturnsOccupiedSlots() {
        Random r = new Random(41);
        Harness h = new Harness(r);
        for (int i = 0; i < 300; i++) h.put(Bytes.ascii("r" + i), 0, new byte[1], -1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            int s = h.t.randomSlot(r);
            int ref = h.t.refAt(s);
            assertThat(ref).isNotZero();
            seen.add(s);
        }
        assertThat(seen).hasSize(300);
    }
}
