package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.InfoFields;
import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.Crc64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DUMP and RESTORE against redis-server 7.0.15: payloads travel both ways and the restored
 * values read the same; the payload bytes match where Redis 7.0 and 7.2 encode alike; every
 * error, option, keyspace event and dirty count is compared with the reference.
 *
 * <p>Versions: Jackdaw writes RDB version 11 as Redis 7.2 does (12 for hashes with field
 * expiries); 7.0.15 writes 10 and refuses anything newer. For the Jackdaw-to-Redis direction the
 * test rewrites the footer's version to 10 and recomputes the CRC ({@link #asVersion}), for
 * payloads whose type byte 7.0 knows (not 20, the 7.2 set listpack). Jackdaw reads 10 as is.
 */
class DumpRestoreDifferentialTest extends DifferentialTestBase {
    private static final int SET_LISTPACK = 20;

    /**
     * Keys whose encoding 7.2 (our target) names differently from 7.0: small lists are
     * listpacks (7.0: quicklist) and small sets of strings listpacks (7.0: hashtable).
     */
    private static final List<String> SEVEN_TWO_ENCODINGS = List.of("list:small", "set:strings");

    @AfterEach
    void resetConfig() throws Exception {
        if (ref == null) return;
        for (int port : new int[] {ours.port(), ref.port()}) {
            try (RespConnection r = new RespConnection(port)) {
                r.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                r.call("CONFIG", "SET", "lfu-decay-time", "1");
                r.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    // ------------------------------------------------------------ helpers

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** DUMP's payload, or null for an absent key. */
    static byte[] dump(RespConnection c, String key) throws IOException {
        Object o = Resp.parse(c.call("DUMP", key));
        return o == null ? null : b((String) o);
    }

    static String restore(RespConnection c, String key, String ttl, byte[] payload, String... options) throws IOException {
        byte[][] argv = new byte[4 + options.length][];
        argv[0] = b("RESTORE");
        argv[1] = b(key);
        argv[2] = b(ttl);
        argv[3] = payload;
        for (int i = 0; i < options.length; i++) argv[4 + i] = b(options[i]);
        return c.call(argv);
    }

    /** The payload with its footer's version replaced and the CRC recomputed. */
    static byte[] asVersion(byte[] p, int version) {
        byte[] q = p.clone();
        int footer = q.length - 10;
        Bytes.putU16(q, footer, version);
        Bytes.putLong(q, footer + 2, Crc64.update(0, q, 0, footer + 2));
        return q;
    }

    /** A payload of {@code body} (type byte and object) with a valid footer of {@code version}. */
    static byte[] withFooter(byte[] body, int version) {
        byte[] q = Arrays.copyOf(body, body.length + 10);
        return asVersion(q, version);
    }

    private static int version(byte[] p) { return Bytes.getU16(p, p.length - 10); }

    /** Ordinary reads that show a key's whole value and expiry, by its type (compared as multisets where unordered). */
    private void compareValue(String key) throws IOException {
        String type = diff.run("TYPE", key);
        UnaryOperator<String> sorted = HashDifferentialTest.ITEMS, pairs = HashDifferentialTest.PAIRS;
        switch (type) {
            case "+string\r\n" -> diff.run("GET", key);
            case "+list\r\n" -> diff.run("LRANGE", key, "0", "-1");
            case "+set\r\n" -> diff.run(sorted, "SMEMBERS", key);
            case "+zset\r\n" -> diff.run(SortedSetDifferentialTest.SHORTEST, "ZRANGE", key, "0", "-1", "WITHSCORES");
            case "+hash\r\n" -> diff.run(pairs, "HGETALL", key);
            default -> throw new AssertionError("unexpected type of " + key + ": " + type);
        }
        diff.run("PEXPIRETIME", key);
        diff.run("EXISTS", key);
    }

    /** Fills both servers with one key per type and encoding (scores exact in binary, so 7.0's %.17g agrees). */
    private List<String> populate(Random rnd) throws IOException {
        List<String> keys = new ArrayList<>();
        r("SET", "str:int", "12345");
        r("SET", "str:neg", "-9000000000");
        r("SET", "str:raw", "hello world");
        r("SET", "str:lzf", "abcabcabcabcabcabcabcabcabcabcabcabcabcabc-xyz-abcabcabc");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) big.append((char) ('a' + rnd.nextInt(26)));
        r("SET", "str:big", big.toString());
        r("SET", "str:bin", "\u0000\u00ff\r\n\u0080");
        r("SET", "str:ttl", "v", "PXAT", "4102444800000");
        keys.addAll(List.of("str:int", "str:neg", "str:raw", "str:lzf", "str:big", "str:bin", "str:ttl"));

        r("RPUSH", "list:small", "a", "1", "bb", "-7", "300000", "c");
        for (int i = 0; i < 3000; i++) r("RPUSH", "list:big", "element-" + i, String.valueOf(i * 7));
        r("RPUSH", "list:plain", "x".repeat(10_000), "y");
        // Nodes left part-filled by deletes and inserts in the middle.
        for (int i = 0; i < 2000; i++) r("RPUSH", "list:holes", "item-" + (i % 50));
        r("LREM", "list:holes", "300", "item-7");
        r("LINSERT", "list:holes", "BEFORE", "item-20", "inserted");
        r("LTRIM", "list:holes", "5", "-5");
        keys.addAll(List.of("list:small", "list:big", "list:plain", "list:holes"));

        r("SADD", "set:intset", "1", "-5", "70000", "9000000000");
        r("SADD", "set:strings", "a", "b", "c", "12");
        for (int i = 0; i < 700; i++) r("SADD", "set:table", "member-" + i);
        for (int i = 0; i < 600; i++) r("SADD", "set:bigints", String.valueOf(i * 3));
        keys.addAll(List.of("set:intset", "set:strings", "set:table", "set:bigints"));

        r("ZADD", "zset:lp", "1", "a", "2.5", "b", "-3", "c", "0", "12");
        for (int i = 0; i < 300; i++) r("ZADD", "zset:skip", String.valueOf(i * 0.25), "m" + i);
        r("ZADD", "zset:long", "1", "x".repeat(100));
        r("ZADD", "zset:inf", "inf", "up", "-inf", "down", "0", "zero");
        keys.addAll(List.of("zset:lp", "zset:skip", "zset:long", "zset:inf"));

        r("HSET", "hash:lp", "f1", "v1", "f2", "2", "num", "-12345678901");
        for (int i = 0; i < 300; i++) r("HSET", "hash:table", "field" + i, "value" + i);
        r("HSET", "hash:long", "f", "v".repeat(200));
        r("PEXPIREAT", "hash:long", "4102444800000");
        keys.addAll(List.of("hash:lp", "hash:table", "hash:long"));
        return keys;
    }

    // ------------------------------------------------------------ payloads both ways

    @Test
    void referencePayloadsRestoreIntoJackdaw() throws Exception {
        differential();
        List<String> keys = populate(new Random(1));
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = dump(r, k);
                assertThat(version(p)).isEqualTo(10);
                String pttl = r.call("PEXPIRETIME", k).substring(1).trim();
                String ttl = pttl.equals("-1") ? "0" : pttl;
                assertThat(restore(a, "r:" + k, ttl, p, "ABSTTL")).as(k).isEqualTo("+OK\r\n");
                assertThat(restore(r, "r:" + k, ttl, p, "ABSTTL")).as(k).isEqualTo("+OK\r\n");
            }
        }
        for (String k : keys) {
            compareValue("r:" + k);
            if (!SEVEN_TWO_ENCODINGS.contains(k)) diff.run("OBJECT", "ENCODING", "r:" + k);
        }
        assertThat(diff.mismatches()).isEmpty();
        // A restored list keeps the payload's nodes, as Redis does: dumped again, the bytes agree.
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : List.of("list:small", "list:big", "list:plain", "list:holes")) {
                assertThat(asVersion(dump(a, "r:" + k), 10)).as(k).isEqualTo(dump(r, "r:" + k));
            }
        }
    }

    @Test
    void jackdawPayloadsRestoreIntoRedis() throws Exception {
        differential();
        List<String> keys = populate(new Random(2));
        int restoredByRedis = 0;
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = dump(a, k);
                assertThat(version(p)).as(k).isEqualTo(11);
                String pttl = a.call("PEXPIRETIME", k).substring(1).trim();
                String ttl = pttl.equals("-1") ? "0" : pttl;
                assertThat(restore(a, "j:" + k, ttl, p, "ABSTTL")).as(k).isEqualTo("+OK\r\n");
                if ((p[0] & 0xFF) == SET_LISTPACK) {
                    // 7.0 does not know the type: the version check alone refuses the payload.
                    assertThat(restore(r, "j:" + k, ttl, p, "ABSTTL")).isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
                    assertThat(restore(r, "j:" + k, ttl, asVersion(p, 10), "ABSTTL")).isEqualTo("-ERR Bad data format\r\n");
                    continue;
                }
                assertThat(restore(r, "j:" + k, ttl, asVersion(p, 10), "ABSTTL")).as(k).isEqualTo("+OK\r\n");
                restoredByRedis++;
            }
        }
        assertThat(restoredByRedis).isEqualTo(keys.size() - 1);
        for (String k : keys) {
            if (k.equals("set:strings")) continue;
            compareValue("j:" + k);
            if (!SEVEN_TWO_ENCODINGS.contains(k)) diff.run("OBJECT", "ENCODING", "j:" + k);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Where 7.0 and 7.2 encode a value alike, the payloads are equal but for the version and CRC. */
    @Test
    void payloadBytesMatchRedisWhereEncodingsAgree() throws Exception {
        differential();
        populate(new Random(3));
        // Not list:plain: 7.2 gives an element over the node size a plain node of its own, 7.0 packs it.
        List<String> same = List.of("str:int", "str:neg", "str:raw", "str:lzf", "str:big", "str:bin", "str:ttl", "list:small",
                "list:big", "set:intset", "zset:lp", "zset:long", "zset:inf", "hash:lp", "hash:long");
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : same) {
                byte[] mine = dump(a, k), theirs = dump(r, k);
                assertThat(Arrays.copyOf(mine, mine.length - 10)).as(k).isEqualTo(Arrays.copyOf(theirs, theirs.length - 10));
                assertThat(asVersion(mine, 10)).as(k).isEqualTo(theirs);
            }
            // rdbcompression off: the long string goes out as is, on both.
            a.call("CONFIG", "SET", "rdbcompression", "no");
            r.call("CONFIG", "SET", "rdbcompression", "no");
            try {
                byte[] mine = dump(a, "str:lzf"), theirs = dump(r, "str:lzf");
                assertThat(mine[1] & 0xFF).isEqualTo(56);
                assertThat(asVersion(mine, 10)).isEqualTo(theirs);
            } finally {
                a.call("CONFIG", "SET", "rdbcompression", "yes");
                r.call("CONFIG", "SET", "rdbcompression", "yes");
            }
        }
        diff.run("DUMP", "absent");
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * A listpack or intset within its entry-count limit is kept as it arrived, long values and
     * all; past the count it converts (Redis's rdbLoadObject checks only the count).
     */
    @Test
    void compactPayloadsConvertOnlyByEntryCount() throws Exception {
        differential();
        List<byte[]> payloads = new ArrayList<>();
        try (RespConnection r = new RespConnection(ref.port())) {
            r.call("CONFIG", "SET", "hash-max-listpack-value", "1000");
            r.call("CONFIG", "SET", "zset-max-listpack-value", "1000");
            r.call("CONFIG", "SET", "hash-max-listpack-entries", "1000");
            r.call("CONFIG", "SET", "zset-max-listpack-entries", "1000");
            r.call("CONFIG", "SET", "set-max-intset-entries", "1000");
            try {
                r.call("HSET", "h-long", "f", "v".repeat(500), "g", "1");
                r.call("ZADD", "z-long", "1", "m".repeat(500), "2", "n");
                for (int i = 0; i < 600; i++) r.call("HSET", "h-many", "f" + i, "v");
                for (int i = 0; i < 200; i++) r.call("ZADD", "z-many", String.valueOf(i), "m" + i);
                for (int i = 0; i < 600; i++) r.call("SADD", "s-many", String.valueOf(i));
                for (String k : List.of("h-long", "z-long", "h-many", "z-many", "s-many")) payloads.add(dump(r, k));
            } finally {
                r.call("CONFIG", "SET", "hash-max-listpack-value", "64");
                r.call("CONFIG", "SET", "zset-max-listpack-value", "64");
                r.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
                r.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
                r.call("CONFIG", "SET", "set-max-intset-entries", "512");
            }
            // Restored under the default limits on both.
            try (RespConnection a = new RespConnection(ours.port())) {
                for (int i = 0; i < payloads.size(); i++) {
                    String k = "c:" + List.of("h-long", "z-long", "h-many", "z-many", "s-many").get(i);
                    assertThat(restore(a, k, "0", payloads.get(i))).isEqualTo("+OK\r\n");
                    assertThat(restore(r, k, "0", payloads.get(i))).isEqualTo("+OK\r\n");
                }
            }
        }
        for (String k : List.of("h-long", "z-long", "h-many", "z-many", "s-many")) {
            compareValue("c:" + k);
            diff.run("OBJECT", "ENCODING", "c:" + k);
        }
        assertThat(diff.mismatches()).isEmpty();
        assertThat(diff.run("OBJECT", "ENCODING", "c:h-long")).isEqualTo("$8\r\nlistpack\r\n");
        assertThat(diff.run("OBJECT", "ENCODING", "c:s-many")).isEqualTo("$9\r\nhashtable\r\n");
    }

    // ------------------------------------------------------------ formats older Redis versions wrote

    private static byte[] body(int type, java.util.function.Consumer<io.jackdaw.types.RdbOutput> object) {
        io.jackdaw.types.RdbOutput out = new io.jackdaw.types.RdbOutput(64, false);
        out.writeByte(type);
        object.accept(out);
        return out.toByteArray();
    }

    private static void strings(io.jackdaw.types.RdbOutput out, String... s) {
        for (String x : s) out.writeString(b(x));
    }

    /** Payloads in the encodings of Redis 2.x-6.x (ziplists, zipmaps, plain collections), version 9. */
    @Test
    void legacyEncodingsRestoreAsInRedis() throws Exception {
        differential();
        List<String[]> cases = new ArrayList<>();
        java.util.Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
        bodies.put("string", body(0, o -> strings(o, "plain")));
        bodies.put("list", body(1, o -> { o.writeLength(3); strings(o, "a", "12", "ccc"); }));
        bodies.put("set", body(2, o -> { o.writeLength(3); strings(o, "x", "7", "y"); }));
        bodies.put("set-ints", body(2, o -> { o.writeLength(3); strings(o, "3", "1", "2"); }));
        bodies.put("zset-ascii", body(3, o -> {
            o.writeLength(3);
            strings(o, "m1");
            o.writeByte(3);
            o.writeRaw(b("1.5"), 0, 3);
            strings(o, "m2");
            o.writeByte(254); // +inf
            strings(o, "m3");
            o.writeByte(2);
            o.writeRaw(b("-2"), 0, 2);
        }));
        bodies.put("hash", body(4, o -> { o.writeLength(2); strings(o, "f1", "v1", "f2", "22"); }));
        bodies.put("zipmap", body(9, o -> o.writeString(io.jackdaw.types.ZiplistTest.zipmap(1, "f1", "v1", "f2", "v2"))));
        bodies.put("list-ziplist", body(10, o -> o.writeString(
                io.jackdaw.types.ZiplistTest.ziplist("a", 12L, "hello", 300L, 3_000_000_000L, "x".repeat(70)))));
        bodies.put("zset-ziplist", body(12, o -> o.writeString(io.jackdaw.types.ZiplistTest.ziplist("m0", "-2", "m1", "1.5", "m2", 3L))));
        bodies.put("hash-ziplist", body(13, o -> o.writeString(
                io.jackdaw.types.ZiplistTest.ziplist("f1", "v1", "f2", 12L, "f3", "x".repeat(100)))));
        bodies.put("quicklist", body(14, o -> {
            o.writeLength(2);
            o.writeString(io.jackdaw.types.ZiplistTest.ziplist("a", "b"));
            o.writeString(io.jackdaw.types.ZiplistTest.ziplist(1L, "c"));
        }));
        // Malformed: duplicates, an empty collection, a ziplist count that disagrees.
        bodies.put("bad-dup-hash", body(13, o -> o.writeString(io.jackdaw.types.ZiplistTest.ziplist("f", "1", "f", "2"))));
        bodies.put("bad-dup-set", body(2, o -> { o.writeLength(2); strings(o, "a", "a"); }));
        bodies.put("bad-empty-list", body(1, o -> o.writeLength(0)));
        bodies.put("bad-odd-zset", body(12, o -> o.writeString(io.jackdaw.types.ZiplistTest.ziplist("m0", "1", "m1"))));
        for (var e : bodies.entrySet()) {
            String payload = new String(withFooter(e.getValue(), 9), StandardCharsets.ISO_8859_1);
            r("RESTORE", e.getKey(), "0", payload);
            r("EXISTS", e.getKey());
            if (!e.getKey().startsWith("bad-")) compareValue(e.getKey());
        }
        // Redis 7.0 has no listpack lists or sets, so those encodings are compared only where 7.0 has them.
        for (String k : List.of("string", "set-ints", "zset-ascii", "hash", "zipmap", "zset-ziplist", "hash-ziplist")) {
            diff.run("OBJECT", "ENCODING", k);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** LZF output is Redis's byte for byte: seeded strings of every compressibility and length. */
    @Test
    void lzfCompressedStringsAreRedisBytes() throws Exception {
        differential();
        Random rnd = new Random(5150);
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            int compressed = 0;
            for (int i = 0; i < 400; i++) {
                int len = 15 + rnd.nextInt(i < 300 ? 400 : 20_000);
                int alphabet = 1 + rnd.nextInt(i % 2 == 0 ? 3 : 60);
                StringBuilder v = new StringBuilder();
                while (v.length() < len) {
                    if (v.length() > 8 && rnd.nextInt(5) == 0) {
                        int from = rnd.nextInt(v.length());
                        v.append(v, from, Math.min(v.length(), from + 1 + rnd.nextInt(300)));
                    } else {
                        v.append((char) ('a' + rnd.nextInt(alphabet)));
                    }
                }
                String value = v.substring(0, len);
                a.call("SET", "s", value);
                r.call("SET", "s", value);
                byte[] mine = dump(a, "s"), theirs = dump(r, "s");
                assertThat(asVersion(mine, 10)).as("string %d of %d bytes", i, len).isEqualTo(theirs);
                if ((theirs[1] & 0xFF) == 0xC3) compressed++;
            }
            assertThat(compressed).isGreaterThan(300);
        }
    }

    // ------------------------------------------------------------ errors, byte for byte

    @Test
    void errorsAreRedis() throws Exception {
        differential();
        r("SET", "src", "value");
        r("SET", "busy", "x");
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            p = dump(r, "src");
        }
        String payload = new String(p, StandardCharsets.ISO_8859_1);
        r("RESTORE", "k", "0");
        r("RESTORE", "k", "0", payload, "BOGUS");
        r("RESTORE", "k", "0", payload, "IDLETIME");
        r("RESTORE", "k", "0", payload, "FREQ");
        r("RESTORE", "k", "0", payload, "IDLETIME", "10", "FREQ", "5");
        r("RESTORE", "k", "0", payload, "FREQ", "5", "IDLETIME", "10");
        r("RESTORE", "k", "0", payload, "IDLETIME", "abc");
        r("RESTORE", "k", "0", payload, "IDLETIME", "-1");
        r("RESTORE", "k", "0", payload, "FREQ", "256");
        r("RESTORE", "k", "0", payload, "FREQ", "-1");
        r("RESTORE", "k", "0", payload, "FREQ", "1.5");
        r("RESTORE", "busy", "0", payload);
        r("RESTORE", "busy", "abc", payload);
        r("RESTORE", "k", "abc", payload);
        r("RESTORE", "k", "-1", payload);
        r("RESTORE", "k", "99999999999999999999", payload);
        r("RESTORE", "k", "0", "short");
        r("RESTORE", "k", "0", "");
        byte[] flipped = p.clone();
        flipped[2] ^= 1;
        r("RESTORE", "k", "0", new String(flipped, StandardCharsets.ISO_8859_1));
        byte[] badCrc = p.clone();
        badCrc[badCrc.length - 1] ^= (byte) 0x80;
        r("RESTORE", "k", "0", new String(badCrc, StandardCharsets.ISO_8859_1));
        // A version neither reads, with a valid CRC.
        r("RESTORE", "k", "0", new String(asVersion(p, 255), StandardCharsets.ISO_8859_1));
        // Valid CRCs over bodies that are not values.
        for (byte[] body : List.of(new byte[] {99, 1, 'a'}, new byte[] {0, 50, 'a', 'b'}, new byte[] {0},
                new byte[] {0, 1, 'a', 'z'}, new byte[] {2, 0}, new byte[] {11, 3, 1, 2, 3}, new byte[] {4, 1, 1, 'f'},
                new byte[] {15, 0}, new byte[] {(byte) 0xC3, 1, 2, 'a'},
                // Counts the data cannot back: 100 million list elements, two scores for one.
                new byte[] {1, (byte) 0x80, 0x05, (byte) 0xF5, (byte) 0xE1, 0x00, 1, 'a'},
                new byte[] {5, 2, 1, 'm', 0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F})) {
            r("RESTORE", "k", "0", new String(withFooter(body, 9), StandardCharsets.ISO_8859_1));
        }
        r("EXISTS", "k");
        r("GET", "busy");
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ options and their effects

    @Test
    void replaceAbsttlAndExpiredTtls() throws Exception {
        differential();
        r("SET", "src", "value");
        r("RPUSH", "old", "a", "b");
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            p = dump(r, "src");
        }
        String payload = new String(p, StandardCharsets.ISO_8859_1);
        r("RESTORE", "old", "0", payload, "REPLACE");
        r("TYPE", "old");
        r("GET", "old");
        r("RESTORE", "fresh", "0", payload, "REPLACE");
        r("GET", "fresh");
        // A relative TTL far ahead, an absolute one far ahead, and absolute ones already past.
        r("RESTORE", "rel", "100000000", payload);
        diff.run(raw -> raw.startsWith(":") && Long.parseLong(raw.substring(1).trim()) > 99_000 ? ":near\r\n" : raw, "TTL", "rel");
        r("RESTORE", "abs", "4102444800000", payload, "ABSTTL");
        r("PEXPIRETIME", "abs");
        r("RESTORE", "past", "1", payload, "ABSTTL");
        r("EXISTS", "past");
        r("RESTORE", "old", "1000", payload, "ABSTTL", "REPLACE");
        r("EXISTS", "old");
        r("RESTORE", "old", "1000", payload, "ABSTTL");
        r("EXISTS", "old");
        r("RESTORE", "fresh", "0", payload, "REPLACE", "ABSTTL", "IDLETIME", "5");
        r("PEXPIRETIME", "fresh");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void idletimeAndFreqSetTheAccessField() throws Exception {
        differential();
        r("SET", "src", "value");
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            p = dump(r, "src");
        }
        String payload = new String(p, StandardCharsets.ISO_8859_1);
        r("RESTORE", "idle", "0", payload, "IDLETIME", "1000");
        // The reference's clock runs on: its idle time is 1000 or a second or two more.
        for (RespConnection c : new RespConnection[] {new RespConnection(ours.port()), new RespConnection(ref.port())}) {
            try (c) {
                long idle = Long.parseLong(c.call("OBJECT", "IDLETIME", "idle").substring(1).trim());
                assertThat(idle).isBetween(1000L, 1002L);
            }
        }
        // FREQ under an LRU policy and IDLETIME under LFU change nothing, as in Redis.
        r("RESTORE", "freq-under-lru", "0", payload, "FREQ", "100");
        diff.run(raw -> raw.equals(":0\r\n") || raw.equals(":1\r\n") ? ":recent\r\n" : raw, "OBJECT", "IDLETIME", "freq-under-lru");
        r("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        r("CONFIG", "SET", "lfu-decay-time", "0");
        r("RESTORE", "freq", "0", payload, "FREQ", "100");
        r("OBJECT", "FREQ", "freq");
        r("RESTORE", "freq0", "0", payload, "FREQ", "0");
        r("OBJECT", "FREQ", "freq0");
        r("RESTORE", "freq255", "0", payload, "FREQ", "255");
        r("OBJECT", "FREQ", "freq255");
        r("RESTORE", "idle-under-lfu", "0", payload, "IDLETIME", "1000");
        r("OBJECT", "FREQ", "idle-under-lfu");
        r("OBJECT", "IDLETIME", "idle-under-lfu");
        assertThat(diff.mismatches()).isEmpty();
    }

    /** With a clock we drive, the idle time RESTORE sets is exact. */
    @Test
    void idletimeIsExactOnAManualClock() throws Exception {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (TestServer s = TestServer.start(clock); RespConnection c = new RespConnection(s.port())) {
            c.call("SET", "src", "v");
            byte[] p = dump(c, "src");
            assertThat(restore(c, "k", "0", p, "IDLETIME", "3600")).isEqualTo("+OK\r\n");
            assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(":3600\r\n");
            clock.advance(5000);
            assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(":3605\r\n");
            assertThat(restore(c, "k", "0", p, "REPLACE")).isEqualTo("+OK\r\n");
            assertThat(c.call("OBJECT", "IDLETIME", "k")).isEqualTo(":0\r\n");
        }
    }

    // ------------------------------------------------------------ events and the dirty counter

    private static List<String> events(int port, String classes, List<byte[][]> script) throws Exception {
        try (RespConnection admin = new RespConnection(port); RespConnection sub = new RespConnection(port)) {
            admin.call("FLUSHALL");
            admin.call("CONFIG", "SET", "notify-keyspace-events", classes);
            sub.call("PSUBSCRIBE", "__key*__:*");
            sub.call("SUBSCRIBE", "end-of-script");
            for (byte[][] cmd : script) admin.call(cmd);
            admin.call("PUBLISH", "end-of-script", "done");
            List<String> out = new ArrayList<>();
            while (true) {
                String msg = sub.readReply();
                if (msg.contains("end-of-script")) return out;
                out.add(msg);
            }
        }
    }

    private static List<byte[][]> restoreScript(byte[] p) {
        String payload = new String(p, StandardCharsets.ISO_8859_1);
        return List.of(
                latin1("SET", "busy", "x"),
                latin1("RESTORE", "a", "0", payload),
                latin1("RESTORE", "a", "0", payload),
                latin1("RESTORE", "a", "0", payload, "REPLACE"),
                latin1("RESTORE", "b", "100000", payload),
                latin1("RESTORE", "busy", "1", payload, "REPLACE", "ABSTTL"),
                latin1("RESTORE", "gone", "1", payload, "ABSTTL"),
                latin1("RESTORE", "c", "0", "garbage"),
                latin1("RESTORE", "busy", "0", payload, "BOGUS"));
    }

    @Test
    void keyspaceEventsAreRedis() throws Exception {
        differential();
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            r.call("RPUSH", "src", "a", "b");
            p = dump(r, "src");
        }
        List<byte[][]> script = restoreScript(p);
        List<String> mine = events(ours.port(), "KEA", script), theirs = events(ref.port(), "KEA", script);
        assertThat(mine).isEqualTo(theirs);
        assertThat(String.join("", theirs)).contains("restore").contains("del");
    }

    @Test
    void dirtyCounterIsRedis() throws Exception {
        differential();
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            r.call("SADD", "src", "1", "2", "3");
            p = dump(r, "src");
        }
        List<String> differences = new ArrayList<>();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (byte[][] cmd : restoreScript(p)) {
                long beforeA = InfoFields.changes(a), beforeB = InfoFields.changes(b);
                String ra = a.call(cmd), rb = b.call(cmd);
                if (!ra.equals(rb)) differences.add(new String(cmd[1], StandardCharsets.ISO_8859_1) + ": " + ra + " vs " + rb);
                long da = InfoFields.changes(a) - beforeA, db = InfoFields.changes(b) - beforeB;
                if (da != db) differences.add(new String(cmd[1], StandardCharsets.ISO_8859_1) + ": jackdaw +" + da + ", redis +" + db);
            }
        }
        assertThat(differences).isEmpty();
    }

    // ------------------------------------------------------------ hostile payloads

    /**
     * Seeded garbage with valid footers, and valid payloads with bytes changed and the CRC fixed:
     * every reply is OK or "Bad data format", a value that was accepted reads back, and the
     * connection and server stay usable.
     */
    @Test
    void hostilePayloadsAreRefusedWithoutHarm() throws Exception {
        Random rnd = new Random(88);
        try (RespConnection c = new RespConnection(ours.port())) {
            c.call("FLUSHALL");
            List<byte[]> seeds = new ArrayList<>();
            c.call("SET", "s", "abcabcabcabcabcabcabcabcabcabcabcabc");
            c.call("RPUSH", "l", "a", "1", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
            c.call("SADD", "si", "1", "2", "300000");
            c.call("SADD", "sl", "a", "b");
            c.call("ZADD", "z", "1", "a", "2", "b");
            c.call("HSET", "h", "f", "v", "g", "12");
            c.call("HSET", "hx", "f", "v");
            c.call("HPEXPIRE", "hx", "100000000", "FIELDS", "1", "f");
            for (String k : List.of("s", "l", "si", "sl", "z", "h", "hx")) seeds.add(dump(c, k));
            for (int i = 0; i < 150; i++) c.call("SADD", "st", "member" + i);
            seeds.add(dump(c, "st"));
            int accepted = 0;
            for (int round = 0; round < 3000; round++) {
                byte[] body;
                if (round % 3 == 0) {
                    body = new byte[1 + rnd.nextInt(40)];
                    rnd.nextBytes(body);
                    body[0] = (byte) rnd.nextInt(26);
                } else {
                    byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
                    body = Arrays.copyOf(seed, seed.length - 10);
                    int edits = 1 + rnd.nextInt(3);
                    for (int e = 0; e < edits; e++) body[rnd.nextInt(body.length)] = (byte) rnd.nextInt(256);
                    if (rnd.nextInt(5) == 0) body = Arrays.copyOf(body, rnd.nextInt(body.length) + 1);
                }
                String reply = restore(c, "victim", "0", withFooter(body, 11), "REPLACE");
                assertThat(reply).as("round %d", round).isIn("+OK\r\n", "-ERR Bad data format\r\n");
                if (reply.equals("+OK\r\n")) {
                    accepted++;
                    // What was accepted is a well-formed value: it dumps, and the dump restores.
                    byte[] again = dump(c, "victim");
                    if (again != null) assertThat(restore(c, "copy", "0", again, "REPLACE")).isEqualTo("+OK\r\n");
                }
            }
            assertThat(accepted).isPositive();
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
