package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import io.jackdaw.testing.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random command sequences run on a live redis-server and mirrored with {@link Listpack}
 * and {@link Intset} calls; after every command the listpack or intset inside Redis's DUMP
 * payload must equal ours byte for byte. Lists (RPUSH, LPUSH, LINSERT, LSET, LREM, LTRIM,
 * LPOP, RPOP), hashes (HSET, HDEL) and integer sets (SADD, SREM) stay small enough to remain
 * one listpack (a list's quicklist one node) or one intset. Skipped, loudly, without
 * redis-server.
 */
class ListpackDifferentialTest {
    static ReferenceServer ref;
    static RespConnection conn;

    @BeforeAll
    static void start() throws Exception {
        if (!ReferenceServer.available()) {
            ReferenceServer.warnMissing("ListpackDifferentialTest");
            return;
        }
        // Uncompressed DUMP payloads, so that the listpack is there as it is in memory.
        ref = ReferenceServer.start("--rdbcompression", "no");
        conn = new RespConnection(ref.port());
    }

    @AfterAll
    static void stop() throws IOException {
        if (conn != null) conn.close();
        if (ref != null) ref.close();
        conn = null;
        ref = null;
    }

    static void requireServer() throws IOException {
        assumeTrue(ref != null, "no reference redis-server installed");
        assertThat(conn.call("FLUSHALL")).isEqualTo("+OK\r\n");
        compared = 0;
        largest = 0;
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static String call(Object... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i] instanceof byte[] bs ? bs : b(String.valueOf(args[i]));
        String reply = conn.call(a);
        assertThat(reply).as("reply to %s", args[0]).doesNotStartWith("-");
        return reply;
    }

    /** The listpack or intset in the DUMP payload of {@code key}, or null when the key does not exist. */
    static byte[] dumpBlob(String key, int expectedType) throws IOException {
        String raw = conn.call("DUMP", key);
        if (raw.equals("$-1\r\n")) return null;
        int crlf = raw.indexOf("\r\n");
        byte[] payload = b(raw.substring(crlf + 2, raw.length() - 2));
        return RdbBlob.extract(payload, expectedType);
    }

    /** The few RDB value layouts DUMP gives for small collections. */
    static final class RdbBlob {
        static final int SET_INTSET = 11, HASH_LISTPACK = 16, ZSET_LISTPACK = 17, LIST_QUICKLIST_2 = 18;
        private final byte[] b;
        private int pos;

        private RdbBlob(byte[] b) { this.b = b; }

        static byte[] extract(byte[] payload, int expectedType) {
            RdbBlob r = new RdbBlob(payload);
            int type = payload[r.pos++] & 0xFF;
            assertThat(type).as("RDB type").isEqualTo(expectedType);
            if (type == LIST_QUICKLIST_2) {
                assertThat(r.length()).as("quicklist nodes").isEqualTo(1);
                assertThat(r.length()).as("node container: packed").isEqualTo(2);
            }
            int n = (int) r.length();
            byte[] blob = Arrays.copyOfRange(payload, r.pos, r.pos + n);
            // After the value: 2 bytes of RDB version and 8 of CRC64.
            assertThat(payload.length).isEqualTo(r.pos + n + 10);
            return blob;
        }

        /** An RDB length: 6-bit, 14-bit, 32-bit or 64-bit big-endian (no special encodings here). */
        private long length() {
            int first = b[pos++] & 0xFF;
            switch (first >>> 6) {
                case 0: return first & 0x3F;
                case 1: return ((first & 0x3F) << 8) | (b[pos++] & 0xFF);
                default:
                    if (first == 0x80) {
                        long v = 0;
                        for (int i = 0; i < 4; i++) v = (v << 8) | (b[pos++] & 0xFF);
                        return v;
                    }
                    if (first == 0x81) {
                        long v = 0;
                        for (int i = 0; i < 8; i++) v = (v << 8) | (b[pos++] & 0xFF);
                        return v;
                    }
                    throw new AssertionError("unexpected RDB length byte " + Integer.toHexString(first)
                            + " (compressed? the server must run with rdbcompression no)");
            }
        }
    }

    static String hex(byte[] b) { return b == null ? "null" : HexFormat.of().formatHex(b); }

    static byte[] value(Random r, int maxLen) {
        byte[] v = ListpackTest.randomValue(r);
        return v.length <= maxLen ? v : Arrays.copyOf(v, r.nextInt(maxLen + 1));
    }

    // ------------------------------------------------------------------ lists

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void listCommands(long seed) throws IOException {
        requireServer();
        Random r = new Random(seed);
        List<byte[]> model = new ArrayList<>();
        byte[] lp = Listpack.newEmpty();
        for (int step = 0; step < 3000; step++) {
            int n = model.size();
            byte[] v = value(r, r.nextInt(20) == 0 ? 600 : 70);
            // A quicklist node holds up to 8 KB here; past that Redis would start a second node.
            boolean roomy = Listpack.size(lp, 0) + Listpack.entrySizeFor(v, 0, v.length) + 700 < 8000;
            // Mostly growth, so lists reach kilobytes; when near a node's limit, only shrinking commands.
            int op = roomy ? r.nextInt(20) : 14 + r.nextInt(5);
            String what;
            switch (op) {
                case 0, 1, 2, 3, 4 -> {
                    what = "RPUSH";
                    call("RPUSH", "l", v);
                    lp = Listpack.append(lp, 0, v);
                    model.add(v);
                }
                case 5, 6, 7 -> {
                    what = "LPUSH";
                    call("LPUSH", "l", v);
                    lp = Listpack.prepend(lp, 0, v);
                    model.add(0, v);
                }
                case 8, 9 -> {
                    what = "RPUSH many";
                    List<byte[]> vs = new ArrayList<>();
                    for (int k = 1 + r.nextInt(4); k > 0; k--) vs.add(value(r, 40));
                    List<Object> args = new ArrayList<>(List.of("RPUSH", "l"));
                    args.addAll(vs);
                    call(args.toArray());
                    lp = Listpack.appendAll(lp, 0, vs);
                    model.addAll(vs);
                }
                case 10, 11 -> {
                    what = "LINSERT";
                    byte[] pivot = n > 0 && r.nextInt(5) != 0 ? model.get(r.nextInt(n)) : value(r, 10);
                    boolean before = r.nextBoolean();
                    call("LINSERT", "l", before ? "BEFORE" : "AFTER", pivot, v);
                    int i = indexOf(model, pivot);
                    if (n > 0 && i >= 0) {
                        int p = Listpack.find(lp, 0, Listpack.first(lp, 0), pivot, 0, pivot.length, 0);
                        assertThat(p).isEqualTo(Listpack.seek(lp, 0, i));
                        lp = Listpack.insert(lp, 0, p, before ? Listpack.BEFORE : Listpack.AFTER, v, 0, v.length);
                        model.add(before ? i : i + 1, v);
                    }
                }
                case 12, 13, 19 -> {
                    what = "LSET";
                    if (n == 0) continue;
                    int i = r.nextInt(n);
                    int index = r.nextBoolean() ? i : i - n;
                    call("LSET", "l", index, v);
                    lp = Listpack.replace(lp, 0, Listpack.seek(lp, 0, index), v, 0, v.length);
                    model.set(i, v);
                }
                case 14, 15 -> {
                    what = "LREM";
                    if (n == 0) continue;
                    byte[] x = model.get(r.nextInt(n));
                    int count = r.nextInt(5) - 2;
                    call("LREM", "l", count, x);
                    lp = lrem(lp, model, count, x);
                }
                case 16 -> {
                    what = "LTRIM";
                    // Usually a little off either end; now and then anything, out of range included.
                    int start = r.nextInt(3), stop = -1 - r.nextInt(3);
                    if (r.nextInt(8) == 0) {
                        start = r.nextInt(n + 2) - 1;
                        stop = r.nextInt(n + 2) - 1 - (r.nextBoolean() ? n : 0);
                    }
                    call("LTRIM", "l", start, stop);
                    lp = ltrim(lp, model, start, stop);
                }
                case 17 -> {
                    what = "LPOP";
                    call("LPOP", "l");
                    if (n > 0) {
                        lp = Listpack.delete(lp, 0, Listpack.first(lp, 0));
                        model.remove(0);
                    }
                }
                default -> {
                    what = "RPOP";
                    call("RPOP", "l");
                    if (n > 0) {
                        lp = Listpack.delete(lp, 0, Listpack.last(lp, 0));
                        model.remove(n - 1);
                    }
                }
            }
            compare("l", RdbBlob.LIST_QUICKLIST_2, lp, model.isEmpty(), seed, step, what);
            if (model.isEmpty()) lp = Listpack.newEmpty();
        }
        System.out.println("list seed " + seed + ": " + compared + " compared, largest " + largest);
        assertCovered(2000);
    }

    static int indexOf(List<byte[]> model, byte[] v) {
        for (int i = 0; i < model.size(); i++) if (Arrays.equals(model.get(i), v)) return i;
        return -1;
    }

    /** LREM with our calls: from the head for count >= 0, from the tail for count < 0, up to |count| (0: all). */
    static byte[] lrem(byte[] lp, List<byte[]> model, int count, byte[] x) {
        int limit = count == 0 ? Integer.MAX_VALUE : Math.abs(count);
        int removed = 0;
        if (count >= 0) {
            int p = Listpack.first(lp, 0);
            while (p != Listpack.NONE && removed < limit) {
                if (Listpack.entryEquals(lp, p, x, 0, x.length)) {
                    lp = Listpack.delete(lp, 0, p); // the next entry now sits where p was
                    removed++;
                    p = (lp[p] & 0xFF) == 0xFF ? Listpack.NONE : p;
                } else {
                    p = Listpack.next(lp, 0, p);
                }
            }
            for (int i = 0, k = 0; i < model.size() && k < limit; ) {
                if (Arrays.equals(model.get(i), x)) {
                    model.remove(i);
                    k++;
                } else {
                    i++;
                }
            }
        } else {
            int p = Listpack.last(lp, 0);
            while (p != Listpack.NONE && removed < limit) {
                int prev = Listpack.prev(lp, 0, p);
                if (Listpack.entryEquals(lp, p, x, 0, x.length)) {
                    lp = Listpack.delete(lp, 0, p);
                    removed++;
                }
                p = prev;
            }
            for (int i = model.size() - 1, k = 0; i >= 0 && k < limit; i--) {
                if (Arrays.equals(model.get(i), x)) {
                    model.remove(i);
                    k++;
                }
            }
        }
        return lp;
    }

    /** LTRIM as Redis does it: a range off the head, then one off the tail. */
    static byte[] ltrim(byte[] lp, List<byte[]> model, long start, long end) {
        long llen = model.size();
        if (start < 0) start = llen + start;
        if (end < 0) end = llen + end;
        if (start < 0) start = 0;
        long ltrim, rtrim;
        if (start > end || start >= llen) {
            ltrim = llen;
            rtrim = 0;
        } else {
            if (end >= llen) end = llen - 1;
            ltrim = start;
            rtrim = llen - end - 1;
        }
        lp = Listpack.deleteRange(lp, 0, 0, ltrim);
        lp = Listpack.deleteRange(lp, 0, -rtrim, rtrim);
        List<byte[]> kept = new ArrayList<>(model.subList((int) ltrim, (int) (llen - rtrim)));
        model.clear();
        model.addAll(kept);
        return lp;
    }

    /** Blobs compared, and the largest, in the current test: to show the sequences did reach sizes that matter. */
    static int compared, largest;

    static void compare(String key, int type, byte[] ours, boolean empty, long seed, int step, String what)
            throws IOException {
        byte[] theirs = dumpBlob(key, type);
        if (empty) {
            assertThat(theirs).as("seed %d step %d %s: key gone", seed, step, what).isNull();
        } else {
            assertThat(hex(ours)).as("seed %d step %d after %s", seed, step, what).isEqualTo(hex(theirs));
            compared++;
            largest = Math.max(largest, ours.length);
        }
    }

    static void assertCovered(int minLargest) {
        assertThat(compared).isGreaterThan(1200);
        assertThat(largest).isGreaterThan(minLargest);
    }

    // ------------------------------------------------------------------ hashes

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void hashCommands(long seed) throws IOException {
        requireServer();
        Random r = new Random(seed);
        // Fields, integer-looking ones among them; at most 60 fields keeps it under 128 entries.
        List<byte[]> fields = new ArrayList<>();
        for (String f : new String[] {"1", "-5", "01", "0", "300", "70000", "", "name", "age", "-0"}) fields.add(b(f));
        while (fields.size() < 60) fields.add(value(r, 64));
        byte[] lp = Listpack.newEmpty();
        for (int step = 0; step < 1500; step++) {
            String what;
            if (r.nextInt(3) != 0) {
                what = "HSET";
                List<Object> args = new ArrayList<>(List.of("HSET", "h"));
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    byte[] f = fields.get(r.nextInt(fields.size()));
                    byte[] v = value(r, 64); // values over 64 bytes would turn the hash into a table
                    args.add(f);
                    args.add(v);
                    int p = Listpack.find(lp, 0, Listpack.first(lp, 0), f, 0, f.length, 1);
                    if (p == Listpack.NONE) {
                        lp = Listpack.append(Listpack.append(lp, 0, f), 0, v);
                    } else {
                        lp = Listpack.replace(lp, 0, Listpack.next(lp, 0, p), v, 0, v.length);
                    }
                }
                call(args.toArray());
            } else {
                what = "HDEL";
                List<Object> args = new ArrayList<>(List.of("HDEL", "h"));
                for (int k = 1 + r.nextInt(2); k > 0; k--) {
                    byte[] f = fields.get(r.nextInt(fields.size()));
                    args.add(f);
                    int p = Listpack.find(lp, 0, Listpack.first(lp, 0), f, 0, f.length, 1);
                    if (p != Listpack.NONE) lp = Listpack.delete(lp, 0, p, 2);
                }
                call(args.toArray());
            }
            boolean empty = Listpack.isEmpty(lp, 0);
            compare("h", RdbBlob.HASH_LISTPACK, lp, empty, seed, step, what);
        }
        System.out.println("hash seed " + seed + ": " + compared + " compared, largest " + largest);
        assertCovered(1500);
    }

    // ------------------------------------------------------------------ integer sets

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void integerSetCommands(long seed) throws IOException {
        requireServer();
        Random r = new Random(seed);
        long[] pool = new long[150];
        for (int i = 0; i < pool.length; i++) pool[i] = IntsetTest.randomValue(r);
        byte[] is = Intset.newEmpty();
        // Widen gradually: the pool's int16 members first, then int32, then all.
        int phase16 = 200 + r.nextInt(300), phase32 = phase16 + r.nextInt(300);
        for (int step = 0; step < 1500; step++) {
            long v = pool[r.nextInt(pool.length)];
            int width = step < phase16 ? Intset.ENC_INT16 : step < phase32 ? Intset.ENC_INT32 : Intset.ENC_INT64;
            if (Intset.valueEncoding(v) > width) v = (short) v;
            String what;
            if (r.nextInt(5) < 3) {
                what = "SADD " + v;
                call("SADD", "s", v);
                byte[] next = Intset.add(is, 0, v);
                if (next != null) is = next;
            } else {
                what = "SREM " + v;
                call("SREM", "s", v);
                byte[] next = Intset.remove(is, 0, v);
                if (next != null) is = next;
            }
            boolean empty = Intset.length(is, 0) == 0;
            compare("s", RdbBlob.SET_INTSET, is, empty, seed, step, what);
            if (empty) is = Intset.newEmpty(); // Redis dropped the key: a new set starts narrow
        }
        System.out.println("intset seed " + seed + ": " + compared + " compared, largest " + largest);
        assertCovered(300);
    }
}
