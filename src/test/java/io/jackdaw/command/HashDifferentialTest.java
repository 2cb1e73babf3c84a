package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hash family replayed on Jackdaw and the reference redis-server. Replies are compared
 * byte for byte, except where Redis leaves an order open: a table-encoded hash's HGETALL,
 * HKEYS, HVALS and HSCAN are compared as multisets (a listpack's order is insertion order in
 * both, so those stay byte for byte), and random picks by their shape and membership.
 */
class HashDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    @AfterEach
    void restoreConfig() throws Exception {
        if (diff == null) return;
        diff.run("CONFIG", "SET", "hash-max-listpack-entries", "512");
        diff.run("CONFIG", "SET", "hash-max-listpack-value", "64");
    }

    // ------------------------------------------------------------ canonical forms of unordered replies

    /** Elements sorted; a flat field/value array sorted by pairs; a map by its keys. */
    static final UnaryOperator<String> PAIRS = raw -> canonical(Resp.parse(raw), true);
    /** Elements sorted one by one (HKEYS, HVALS). */
    static final UnaryOperator<String> ITEMS = raw -> canonical(Resp.parse(raw), false);
    /** An HSCAN reply: the cursor, then the elements sorted by pairs. */
    static final UnaryOperator<String> SCAN = raw -> {
        Object o = Resp.parse(raw);
        if (!(o instanceof List<?> l)) return String.valueOf(o);
        return l.get(0) + " " + canonical(l.get(1), true);
    };

    /** A SCAN reply: the cursor, then the keys sorted. */
    static final UnaryOperator<String> SCAN_KEYS = raw -> {
        Object o = Resp.parse(raw);
        if (!(o instanceof List<?> l)) return String.valueOf(o);
        return l.get(0) + " " + canonical(l.get(1), false);
    };

    @SuppressWarnings("unchecked")
    static String canonical(Object o, boolean pairs) {
        if (o instanceof Map<?, ?> m) {
            TreeMap<String, String> t = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) t.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            return "map" + t;
        }
        if (!(o instanceof List<?>)) return String.valueOf(o);
        List<Object> l = (List<Object>) o;
        List<String> items = new ArrayList<>();
        boolean nested = !l.isEmpty() && l.get(0) instanceof List;
        if (pairs && !nested && l.size() % 2 == 0) {
            for (int i = 0; i < l.size(); i += 2) items.add(l.get(i) + "\u0000" + l.get(i + 1));
        } else {
            for (Object x : l) items.add(String.valueOf(x));
        }
        Collections.sort(items);
        return "list" + items;
    }

    // ------------------------------------------------------------ single commands and options

    @Test
    void setGetAndFriends() throws Exception {
        diff.runAll(List.of(
                c("HSET", "h", "f1", "v1"), c("HSET", "h", "f1", "v2", "f2", "v2"), c("HGET", "h", "f1"),
                c("HGET", "h", "nofield"), c("HGET", "nokey", "f"), c("HSET", "h", "", ""), c("HGET", "h", ""),
                c("HSTRLEN", "h", ""), c("HEXISTS", "h", ""), c("HLEN", "h"), c("HLEN", "nokey"),
                c("HMSET", "h", "a", "1", "b", "2"), c("HMGET", "h", "a", "b", "zz", "f1"), c("HMGET", "nokey", "a", "b"),
                c("HSETNX", "h", "a", "9"), c("HSETNX", "h", "c", "3"), c("HSETNX", "n2", "x", "y"), c("HGETALL", "n2"),
                c("HGETALL", "h"), c("HKEYS", "h"), c("HVALS", "h"), c("HGETALL", "nokey"), c("HKEYS", "nokey"),
                c("HVALS", "nokey"), c("HEXISTS", "h", "a"), c("HEXISTS", "h", "zz"), c("HEXISTS", "nokey", "a"),
                c("HSTRLEN", "h", "a"), c("HSTRLEN", "h", "zz"), c("HSTRLEN", "nokey", "a"),
                c("HDEL", "h", "a", "a", "zz"), c("HDEL", "h", "zz"), c("HDEL", "nokey", "a"), c("HGETALL", "h"),
                c("HDEL", "h", "f1", "f2", "", "b", "c", "more"), c("EXISTS", "h"), c("TYPE", "n2"),
                c("OBJECT", "ENCODING", "n2")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void integerLookingFieldsAndValues() throws Exception {
        String[] odd = {"0", "1", "-1", "01", "-0", "+1", " 1", "1 ", "127", "128", "-4096", "-4097", "4095", "4096",
                "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609", "2147483647",
                "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "1.5", "1e3", "0x10", "00", "abc", ""};
        for (String v : odd) {
            diff.run("HSET", "h", v, v);
            diff.run("HSET", "h", "v" + v, v);
        }
        for (String v : odd) {
            diff.run("HGET", "h", v);
            diff.run("HSTRLEN", "h", v);
            diff.run("HSTRLEN", "h", "v" + v);
            diff.run("HEXISTS", "h", v);
            diff.run("HINCRBY", "h", "v" + v, "1");
            diff.run("HINCRBYFLOAT", "h", v, "0.5");
        }
        diff.run("HGETALL", "h");
        diff.run("HKEYS", "h");
        diff.run("HVALS", "h");
        diff.run("HSCAN", "h", "0");
        diff.run("OBJECT", "ENCODING", "h");
        for (String v : odd) diff.run("HDEL", "h", v);
        diff.run("HGETALL", "h");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void binaryFieldsAndValues() throws Exception {
        byte[] h = bytes("bin"), f = {0, (byte) 0xFF, '\r', '\n', 0}, v = {(byte) 0x80, 0, 'x', (byte) 0xC0};
        diff.run(bytes("HSET"), h, f, v, v, f);
        diff.run(bytes("HGET"), h, f);
        diff.run(bytes("HGET"), h, v);
        diff.run(bytes("HMGET"), h, f, v, bytes("x"));
        diff.run(bytes("HSTRLEN"), h, f);
        diff.run(bytes("HGETALL"), h);
        diff.run(bytes("HSCAN"), h, bytes("0"), bytes("MATCH"), new byte[] {0, '*'});
        diff.run(bytes("HINCRBY"), h, f, bytes("1"));
        diff.run(bytes("HDEL"), h, f);
        diff.run(bytes("HGETALL"), h);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void arityAndWrongType() throws Exception {
        diff.runAll(List.of(
                c("HSET", "h"), c("HSET", "h", "f"), c("HSET", "h", "f", "v", "g"), c("HMSET", "h", "f", "v", "g"),
                c("HMSET", "h", "f"), c("HSETNX", "h", "f"), c("HSETNX", "h", "f", "v", "w"), c("HGET", "h"),
                c("HGET", "h", "f", "g"), c("HMGET", "h"), c("HDEL", "h"), c("HLEN"), c("HLEN", "h", "x"),
                c("HSTRLEN", "h"), c("HEXISTS", "h"), c("HGETALL"), c("HKEYS", "h", "x"), c("HVALS"),
                c("HINCRBY", "h", "f"), c("HINCRBYFLOAT", "h", "f"), c("HRANDFIELD"), c("HSCAN", "h"),
                c("EXISTS", "h"),
                c("SET", "s", "x"), c("HSET", "s", "f", "v"), c("HMSET", "s", "f", "v"), c("HSETNX", "s", "f", "v"),
                c("HGET", "s", "f"), c("HMGET", "s", "f"), c("HDEL", "s", "f"), c("HLEN", "s"), c("HSTRLEN", "s", "f"),
                c("HEXISTS", "s", "f"), c("HGETALL", "s"), c("HKEYS", "s"), c("HVALS", "s"), c("HINCRBY", "s", "f", "1"),
                c("HINCRBYFLOAT", "s", "f", "1"), c("HRANDFIELD", "s"), c("HRANDFIELD", "s", "0"),
                c("HRANDFIELD", "s", "3", "WITHVALUES"), c("HSCAN", "s", "0"), c("HSCAN", "s", "x"),
                c("HSCAN", "s", "0", "COUNT", "0"), c("HINCRBY", "s", "f", "x"), c("HINCRBYFLOAT", "s", "f", "x"),
                c("HSET", "h", "f", "v"), c("GET", "h"), c("INCR", "h"), c("APPEND", "h", "x"), c("STRLEN", "h"),
                c("SETBIT", "h", "1", "1"), c("GETRANGE", "h", "0", "1"), c("MGET", "h", "s"), c("LCS", "h", "s"),
                c("GETDEL", "h"), c("GETEX", "h"), c("INCRBYFLOAT", "h", "1"), c("SET", "h", "now-a-string"),
                c("TYPE", "h"), c("HGET", "h", "f")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void hincrby() throws Exception {
        diff.runAll(List.of(
                c("HINCRBY", "h", "n", "5"), c("HINCRBY", "h", "n", "-10"), c("HGET", "h", "n"),
                c("HINCRBY", "h", "n", "x"), c("HINCRBY", "h", "n", "1.5"), c("HINCRBY", "h", "n", ""),
                c("HINCRBY", "h", "n", "9223372036854775808"), c("HSET", "h", "big", "9223372036854775807"),
                c("HINCRBY", "h", "big", "1"), c("HINCRBY", "h", "big", "0"), c("HINCRBY", "h", "big", "-1"),
                c("HSET", "h", "small", "-9223372036854775808"), c("HINCRBY", "h", "small", "-1"),
                c("HINCRBY", "h", "small", "9223372036854775807"), c("HSET", "h", "sp", " 1"),
                c("HINCRBY", "h", "sp", "1"), c("HSET", "h", "sp", "1 "), c("HINCRBY", "h", "sp", "1"),
                c("HSET", "h", "z", "01"), c("HINCRBY", "h", "z", "1"), c("HSET", "h", "f", "1.0"),
                c("HINCRBY", "h", "f", "1"), c("HSET", "h", "e", ""), c("HINCRBY", "h", "e", "1"),
                c("HINCRBY", "h", "new", "-4097"), c("HINCRBY", "h", "new", "2147483648"), c("HGETALL", "h"),
                c("HINCRBY", "nokey", "f", "x"), c("EXISTS", "nokey"), c("HINCRBY", "nokey2", "f", "0"),
                c("HGETALL", "nokey2"), c("OBJECT", "ENCODING", "h"),
                c("HSET", "t", "a", "1"), c("EXPIRE", "t", "1000"), c("HINCRBY", "t", "a", "1"), c("TTL", "t")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void hincrbyfloat() throws Exception {
        diff.runAll(List.of(
                c("HINCRBYFLOAT", "h", "f", "10.5"), c("HINCRBYFLOAT", "h", "f", "0.1"), c("HINCRBYFLOAT", "h", "f", "-5e3"),
                c("HINCRBYFLOAT", "h", "f", "abc"), c("HINCRBYFLOAT", "h", "f", "inf"), c("HINCRBYFLOAT", "h", "f", "-inf"),
                c("HINCRBYFLOAT", "h", "f", "+Infinity"), c("HINCRBYFLOAT", "h", "f", "nan"), c("HINCRBYFLOAT", "h", "f", ""),
                c("HINCRBYFLOAT", "h", "f", " 1"), c("HINCRBYFLOAT", "h", "g", "1.0e2"),
                c("HINCRBYFLOAT", "h", "g", "3.0000000000000000001"), c("HINCRBYFLOAT", "h", "z", "0"), c("HGET", "h", "z"),
                c("HINCRBYFLOAT", "h", "z", "-0.0"), c("HSET", "h", "i", "5"), c("HINCRBYFLOAT", "h", "i", "1.5"),
                c("HINCRBY", "h", "i", "1"), c("HSET", "h", "s", "abc"), c("HINCRBYFLOAT", "h", "s", "1"),
                c("HSET", "h", "sp", "1 "), c("HINCRBYFLOAT", "h", "sp", "1"), c("HSET", "h", "inf", "inf"),
                c("HINCRBYFLOAT", "h", "inf", "1"), c("HSET", "h", "mx", "1.1e4932"), c("HINCRBYFLOAT", "h", "mx", "1e4932"),
                c("HINCRBYFLOAT", "h", "huge", "1e300"), c("OBJECT", "ENCODING", "h"), c("HSTRLEN", "h", "huge"),
                c("HINCRBYFLOAT", "h2", "x", "0x10"), c("HINCRBYFLOAT", "h2", "x", "1e-5"), c("HGETALL", "h2"),
                c("HINCRBYFLOAT", "h2", "big", "9223372036854775807"), c("HINCRBYFLOAT", "h2", "big", "1"),
                c("HINCRBYFLOAT", "nokey", "f", "inf"), c("EXISTS", "nokey")));
        diff.run(PAIRS, "HGETALL", "h");
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ encodings

    /** HSET k f1 v f2 v ... fn v as one command. */
    private static String[] hsetFields(String key, int from, int to, String value) {
        List<String> a = new ArrayList<>(List.of("HSET", key));
        for (int i = from; i <= to; i++) {
            a.add("field:" + i);
            a.add(value);
        }
        return a.toArray(String[]::new);
    }

    @Test
    void conversionAtTheEntryLimit() throws Exception {
        // Redis's built-in default (redis.conf's 128 is set below): 512 fields stay a listpack, 513 do not.
        diff.run(hsetFields("h", 1, 512, "v"));
        diff.run("OBJECT", "ENCODING", "h");
        diff.run("HSETNX", "h", "field:1", "x");
        diff.run("OBJECT", "ENCODING", "h");
        diff.run("HSETNX", "h", "field:513", "x");
        diff.run("OBJECT", "ENCODING", "h");
        diff.run(PAIRS, "HGETALL", "h");
        diff.run(ITEMS, "HKEYS", "h");
        diff.run(ITEMS, "HVALS", "h");
        diff.run("HLEN", "h");
        diff.run("CONFIG", "SET", "hash-max-listpack-entries", "128");
        for (String k : List.of("a", "b", "c")) {
            diff.run(hsetFields(k, 1, 128, "1"));
            diff.run("OBJECT", "ENCODING", k);
        }
        diff.run("HSET", "a", "field:129", "1");
        diff.run("HINCRBY", "b", "field:129", "1");
        diff.run("HINCRBYFLOAT", "c", "field:129", "1");
        for (String k : List.of("a", "b", "c")) {
            diff.run("OBJECT", "ENCODING", k);
            diff.run(PAIRS, "HGETALL", k);
        }
        // Never back: down to one field and still a table.
        for (int i = 1; i <= 128; i++) diff.run("HDEL", "a", "field:" + i);
        diff.run("OBJECT", "ENCODING", "a");
        diff.run("HGETALL", "a");
        diff.run("HDEL", "a", "field:129");
        diff.run("EXISTS", "a");
        // Updates of existing fields do not convert; 128 distinct fields in one HSET do not either.
        diff.run(hsetFields("d", 1, 128, "x"));
        diff.run(hsetFields("d", 1, 128, "y"));
        diff.run("OBJECT", "ENCODING", "d");
        diff.run("HGETALL", "d");
        diff.run(hsetFields("e", 1, 129, "x"));
        diff.run("OBJECT", "ENCODING", "e");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void conversionAtTheValueLimit() throws Exception {
        String v64 = "v".repeat(64), v65 = "v".repeat(65), f64 = "f".repeat(64), f65 = "f".repeat(65);
        diff.runAll(List.of(
                c("HSET", "a", "f", v64), c("OBJECT", "ENCODING", "a"), c("HSET", "a", f64, "x"), c("OBJECT", "ENCODING", "a"),
                c("HSET", "a", "g", v65), c("OBJECT", "ENCODING", "a"), c("HGET", "a", "g"), c("HSTRLEN", "a", "g"),
                c("HSET", "b", f65, "x"), c("OBJECT", "ENCODING", "b"),
                // A long argument anywhere in the command converts first, even for a field that stays short.
                c("HSET", "c", "f", "x", "g", v65), c("OBJECT", "ENCODING", "c"),
                c("HSET", "d", "f", "1"), c("HSETNX", "d", "f", v65), c("OBJECT", "ENCODING", "d"),
                c("HSETNX", "d", "g", v65), c("OBJECT", "ENCODING", "d"),
                c("HSET", "e", "f", "1"), c("HINCRBY", "e", f65, "1"), c("OBJECT", "ENCODING", "e"),
                c("HSET", "g", "f", "1"), c("HINCRBYFLOAT", "g", "f", "1e70"), c("OBJECT", "ENCODING", "g"),
                c("HGET", "g", "f"), c("HMSET", "i", "f", "1", "g", v65), c("OBJECT", "ENCODING", "i"),
                c("HSET", "j", "1234567890123456789", "x"), c("OBJECT", "ENCODING", "j"),
                c("CONFIG", "SET", "hash-max-listpack-value", "3"),
                c("HSET", "k", "abc", "123"), c("OBJECT", "ENCODING", "k"),
                c("HSET", "k", "ab", "1234"), c("OBJECT", "ENCODING", "k"),
                c("HSET", "l", "1", "1"), c("HINCRBY", "l", "1", "1000"), c("OBJECT", "ENCODING", "l"), c("HGET", "l", "1"),
                c("CONFIG", "SET", "hash-max-listpack-value", "0"), c("HSET", "m", "", ""), c("OBJECT", "ENCODING", "m"),
                c("HSET", "m", "a", ""), c("OBJECT", "ENCODING", "m"),
                c("CONFIG", "SET", "hash-max-listpack-entries", "0"), c("HSET", "n", "", ""), c("OBJECT", "ENCODING", "n"),
                c("HGETALL", "n")));
        diff.run(PAIRS, "HGETALL", "k");
        diff.run(PAIRS, "CONFIG", "GET", "hash-max-*");
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * Redis 7.2 (redis#12019) converts before writing when a command carries more pairs than
     * hash-max-listpack-entries, duplicates or not; the 7.0 reference counts fields. Checked on
     * Jackdaw alone: duplicates of one field in 129 pairs make a one-field table.
     */
    @Test
    void manyPairsConvertFirstAsRedis72() throws Exception {
        assumeTrue(ours != null);
        try (RespConnection a = new RespConnection(ours.port())) {
            a.call("FLUSHALL");
            a.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
            List<String> cmd = new ArrayList<>(List.of("HSET", "dup"));
            for (int i = 0; i < 129; i++) cmd.addAll(List.of("f", String.valueOf(i)));
            assertThat(a.call(cmd.toArray(String[]::new))).isEqualTo(":1\r\n");
            assertThat(a.call("OBJECT", "ENCODING", "dup")).isEqualTo("$9\r\nhashtable\r\n");
            assertThat(a.call("HGETALL", "dup")).isEqualTo("*2\r\n$1\r\nf\r\n$3\r\n128\r\n");
            cmd = new ArrayList<>(List.of("HSET", "ok"));
            for (int i = 0; i < 128; i++) cmd.addAll(List.of("f", String.valueOf(i)));
            a.call(cmd.toArray(String[]::new));
            assertThat(a.call("OBJECT", "ENCODING", "ok")).isEqualTo("$8\r\nlistpack\r\n");
            a.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
        }
    }

    // ------------------------------------------------------------ HRANDFIELD

    @Test
    void hrandfieldDeterministicCases() throws Exception {
        diff.runAll(List.of(
                c("HRANDFIELD", "nokey"), c("HRANDFIELD", "nokey", "5"), c("HRANDFIELD", "nokey", "-5", "WITHVALUES"),
                c("HRANDFIELD", "nokey", "0"), c("HSET", "one", "f", "v"), c("HRANDFIELD", "one"),
                c("HRANDFIELD", "one", "1"), c("HRANDFIELD", "one", "-1"), c("HRANDFIELD", "one", "5"),
                c("HRANDFIELD", "one", "-5"), c("HRANDFIELD", "one", "-3", "WITHVALUES"),
                c("HRANDFIELD", "one", "3", "withvalues"), c("HRANDFIELD", "one", "0"), c("HRANDFIELD", "one", "0", "WITHVALUES"),
                c("HRANDFIELD", "one", "x"), c("HRANDFIELD", "one", "1.5"), c("HRANDFIELD", "one", "1", "WITHVALUE"),
                c("HRANDFIELD", "one", "1", "WITHVALUES", "x"), c("HRANDFIELD", "one", "x", "y"),
                c("HRANDFIELD", "one", "-9223372036854775808"), c("HRANDFIELD", "one", "-9223372036854775808", "WITHVALUES"),
                c("HRANDFIELD", "one", "9223372036854775807", "WITHVALUES"),
                c("HRANDFIELD", "one", "-9223372036854775807", "WITHVALUES"),
                c("HRANDFIELD", "one", "4611686018427387904", "WITHVALUES"),
                c("HRANDFIELD", "one", "-4611686018427387904", "WITHVALUES"),
                c("HRANDFIELD", "one", "9223372036854775807"), c("HRANDFIELD", "nokey", "-9223372036854775807", "WITHVALUES"),
                c("HRANDFIELD", "nokey", "9223372036854775808"), c("HSET", "int", "1", "2"), c("HRANDFIELD", "int", "-2", "WITHVALUES")));
        // The whole hash when the count reaches its size, in both encodings.
        diff.run(hsetFields("small", 1, 20, "v"));
        diff.run(hsetFields("big", 1, 600, "v"));
        for (String k : List.of("small", "big")) {
            diff.run(PAIRS, "HRANDFIELD", k, "600", "WITHVALUES");
            diff.run(PAIRS, "HRANDFIELD", k, "1000", "WITHVALUES");
            diff.run(ITEMS, "HRANDFIELD", k, "1000");
        }
        diff.run("HELLO", "3");
        diff.runAll(List.of(c("HRANDFIELD", "one", "-3", "WITHVALUES"), c("HRANDFIELD", "one", "2", "WITHVALUES"),
                c("HRANDFIELD", "one", "2"), c("HRANDFIELD", "one"), c("HRANDFIELD", "nokey"), c("HRANDFIELD", "nokey", "1"),
                c("HRANDFIELD", "int", "1", "WITHVALUES")));
        diff.run(PAIRS, "HRANDFIELD", "small", "100", "WITHVALUES");
        diff.run(PAIRS, "HRANDFIELD", "big", "1000", "WITHVALUES");
        diff.run("HELLO", "2");
        assertThat(diff.mismatches()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    @Test
    void hrandfieldPicksAsRedisDescribesThem() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            a.call(hsetFields("small", 1, 20, "v"));
            a.call(hsetFields("big", 1, 600, "w"));
            for (String key : List.of("small", "big")) {
                int size = key.equals("small") ? 20 : 600;
                String value = key.equals("small") ? "v" : "w";
                Set<String> seenOverall = new HashSet<>();
                for (long count : new long[] {1, 2, 5, 19, 20, 21, 150, 599, -1, -5, -20, -700}) {
                    for (boolean withValues : new boolean[] {false, true}) {
                        List<Object> r = (List<Object>) Resp.parse(withValues
                                ? a.call("HRANDFIELD", key, String.valueOf(count), "WITHVALUES")
                                : a.call("HRANDFIELD", key, String.valueOf(count)));
                        long expected = count > 0 ? Math.min(count, size) : -count;
                        assertThat(r).hasSize((int) (withValues ? expected * 2 : expected));
                        List<String> fields = new ArrayList<>();
                        for (int i = 0; i < r.size(); i += withValues ? 2 : 1) {
                            fields.add((String) r.get(i));
                            if (withValues) assertThat(r.get(i + 1)).isEqualTo(value);
                        }
                        for (String f : fields) assertThat(f).matches("field:(\\d+)");
                        if (count > 0) assertThat(new HashSet<>(fields)).hasSize(fields.size());
                        seenOverall.addAll(fields);
                    }
                }
                // Random enough to have touched most of the small hash.
                if (key.equals("small")) assertThat(seenOverall.size()).isGreaterThan(15);
                // RESP3: WITHVALUES gives [field, value] pairs.
                a.call("HELLO", "3");
                List<Object> r3 = (List<Object>) Resp.parse(a.call("HRANDFIELD", key, "-4", "WITHVALUES"));
                assertThat(r3).hasSize(4).allSatisfy(p -> assertThat((List<Object>) p).hasSize(2).element(1).isEqualTo(value));
                r3 = (List<Object>) Resp.parse(a.call("HRANDFIELD", key, "3", "WITHVALUES"));
                assertThat(r3).hasSize(3).allSatisfy(p -> assertThat((List<Object>) p).hasSize(2));
                a.call("HELLO", "2");
                Object one = Resp.parse(a.call("HRANDFIELD", key));
                assertThat((String) one).matches("field:\\d+");
            }
        }
    }

    // ------------------------------------------------------------ HSCAN

    @Test
    void hscanOptionsAndErrors() throws Exception {
        diff.runAll(List.of(
                c("HSCAN", "nokey", "0"), c("HSCAN", "nokey", "0", "COUNT", "0"), c("HSCAN", "nokey", "0", "BOGUS"),
                c("HSCAN", "nokey", "x"), c("HSET", "h", "a1", "1", "b2", "2", "a3", "3", "1", "one", "-5", "neg"),
                c("HSCAN", "h", "0"), c("HSCAN", "h", "123"), c("HSCAN", "h", "0", "MATCH", "a*"),
                c("HSCAN", "h", "0", "MATCH", "*"), c("HSCAN", "h", "0", "match", "?"), c("HSCAN", "h", "0", "MATCH", "-*"),
                c("HSCAN", "h", "0", "COUNT", "1"), c("HSCAN", "h", "0", "COUNT", "0"), c("HSCAN", "h", "0", "COUNT", "-1"),
                c("HSCAN", "h", "0", "COUNT", "x"), c("HSCAN", "h", "0", "COUNT"), c("HSCAN", "h", "0", "MATCH"),
                c("HSCAN", "h", "0", "TYPE", "string"), c("HSCAN", "h", "0", "MATCH", "a*", "COUNT", "5", "MATCH", "b*"),
                c("HSCAN", "h", "-1"), c("HSCAN", "h", "18446744073709551615"), c("HSCAN", "h", "18446744073709551616"),
                c("HSCAN", "h", "1.5"), c("HSCAN", "h", "x", "COUNT", "0"), c("HSCAN", "h", ""),
                c("HSCAN", "h", "0", "COUNT", "9223372036854775807")));
        diff.run(hsetFields("big", 1, 600, "v"));
        diff.run(SCAN, "HSCAN", "big", "0", "COUNT", "100000");
        diff.run(SCAN, "HSCAN", "big", "0", "COUNT", "100000", "MATCH", "field:1*");
        diff.run(SCAN, "HSCAN", "big", "0", "MATCH", "nomatch*", "COUNT", "100000");
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Redis 7.4 / Valkey 8's NOVALUES (the 7.0 reference calls it a syntax error), on Jackdaw alone. */
    @Test
    void hscanNoValues() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            a.call("HSET", "h", "a", "1", "b", "2");
            assertThat(a.call("HSCAN", "h", "0", "NOVALUES")).isEqualTo("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
            assertThat(a.call("HSCAN", "h", "0", "novalues", "MATCH", "b")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n");
            assertThat(a.call("SCAN", "0", "NOVALUES")).isEqualTo("-ERR syntax error\r\n"); // as Redis 7.2
            a.call(hsetFields("big", 1, 600, "v"));
            Set<String> fields = new HashSet<>();
            String cursor = "0";
            do {
                List<?> r = (List<?>) Resp.parse(a.call("HSCAN", "big", cursor, "NOVALUES", "COUNT", "50"));
                cursor = (String) r.get(0);
                for (Object f : (List<?>) r.get(1)) assertThat(fields.add((String) f)).isTrue();
            } while (!cursor.equals("0"));
            assertThat(fields).hasSize(600).allMatch(f -> f.startsWith("field:"));
            a.call("FLUSHALL");
        }
    }

    @Test
    void hscanWalksATableCompletely() throws Exception {
        diff.run(hsetFields("big", 1, 1000, "v"));
        try (RespConnection a = new RespConnection(ours.port())) {
            Map<String, String> seen = new TreeMap<>();
            String cursor = "0";
            int calls = 0;
            do {
                List<?> r = (List<?>) Resp.parse(a.call("HSCAN", "big", cursor, "COUNT", "20"));
                cursor = (String) r.get(0);
                List<?> items = (List<?>) r.get(1);
                assertThat(items.size()).isEven();
                for (int i = 0; i < items.size(); i += 2) seen.put((String) items.get(i), (String) items.get(i + 1));
                calls++;
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(1000);
            assertThat(calls).isGreaterThan(10);
        }
    }

    // ------------------------------------------------------------ RESP3, keyspace, statistics

    @Test
    void resp3Shapes() throws Exception {
        diff.run("HSET", "h", "a", "1", "b", "x");
        diff.run(hsetFields("big", 1, 600, "v"));
        diff.run("HELLO", "3");
        diff.runAll(List.of(
                c("HGETALL", "h"), c("HGETALL", "nokey"), c("HKEYS", "nokey"), c("HVALS", "nokey"), c("HKEYS", "h"),
                c("HVALS", "h"), c("HGET", "h", "zz"), c("HGET", "nokey", "zz"), c("HMGET", "h", "a", "zz"),
                c("HMGET", "nokey", "a"), c("HINCRBYFLOAT", "h", "a", "1.5"), c("HINCRBY", "h", "n", "1"),
                c("HSCAN", "h", "0"), c("HSCAN", "nokey", "0"), c("HLEN", "h"), c("HSTRLEN", "h", "a"),
                c("HEXISTS", "h", "a"), c("HSETNX", "h", "a", "1"), c("HMSET", "h", "c", "3")));
        diff.run(PAIRS, "HGETALL", "big");
        diff.run("HELLO", "2");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void keyspaceCommandsOnBothEncodings() throws Exception {
        diff.run(hsetFields("big", 1, 600, "v"));
        diff.run("HSET", "small", "a", "1", "b", "2");
        for (String k : List.of("small", "big")) {
            diff.runAll(List.of(
                    c("TYPE", k), c("OBJECT", "ENCODING", k), c("EXISTS", k), c("COPY", k, k + "-copy"),
                    c("OBJECT", "ENCODING", k + "-copy"), c("HSET", k + "-copy", "a", "changed", "new", "1"),
                    c("HGET", k, "a"), c("HGET", k + "-copy", "a"), c("HLEN", k), c("HLEN", k + "-copy"),
                    c("COPY", k, k + "-copy"), c("COPY", k, k + "-copy", "REPLACE"), c("HGET", k + "-copy", "a"),
                    c("COPY", k, k + "-db1", "DB", "1"), c("EXPIRE", k, "1000"), c("RENAME", k, k + "-renamed"),
                    c("TTL", k + "-renamed"), c("OBJECT", "ENCODING", k + "-renamed"), c("HLEN", k + "-renamed"),
                    c("HSET", k + "-renamed", "x", "y"), c("TTL", k + "-renamed"), c("MOVE", k + "-renamed", "2"),
                    c("EXISTS", k + "-renamed"), c("SELECT", "2"), c("HLEN", k + "-renamed"),
                    c("OBJECT", "ENCODING", k + "-renamed"), c("TTL", k + "-renamed"), c("HDEL", k + "-renamed", "x"),
                    c("SELECT", "1"), c("HLEN", k + "-db1"), c("OBJECT", "ENCODING", k + "-db1"), c("SELECT", "0")));
            diff.run(PAIRS, "HGETALL", k + "-copy");
        }
        diff.run(SCAN_KEYS, "SCAN", "0", "TYPE", "hash", "COUNT", "1000");
        diff.run(SCAN_KEYS, "SCAN", "0", "TYPE", "string", "COUNT", "1000");
        diff.runAll(List.of(
                c("DEL", "small-copy", "big-copy"), c("EXISTS", "big-copy"),
                c("HSET", "e", "f", "v"), c("PEXPIRE", "e", "1"), c("DEBUG", "SLEEP", "0.01"), c("HGET", "e", "f"),
                c("HSET", "e", "g", "v"), c("TTL", "e"), c("HSET", "t", "f", "v"), c("EXPIRE", "t", "100"),
                c("HDEL", "t", "f"), c("EXISTS", "t"), c("HSET", "t", "f", "v"), c("TTL", "t"),
                c("SWAPDB", "0", "2"), c("OBJECT", "ENCODING", "big-renamed"), c("HLEN", "big-renamed"),
                c("FLUSHDB"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }



    /** Hits and misses as Redis's lookupKeyRead counts them; the change counter as server.dirty. */
    @Test
    void statisticsAndDirtyCounter() throws Exception {
        List<String[]> commands = List.of(
                c("HSET", "h", "a", "1", "b", "2"), c("HSET", "h", "a", "1"), c("HMSET", "h", "a", "1", "c", "3"),
                c("HSETNX", "h", "a", "1"), c("HSETNX", "h", "d", "1"), c("HGET", "h", "a"), c("HGET", "h", "zz"),
                c("HGET", "nokey", "a"), c("HMGET", "h", "a", "b"), c("HMGET", "nokey", "a"), c("HLEN", "h"),
                c("HLEN", "nokey"), c("HSTRLEN", "h", "a"), c("HSTRLEN", "nokey", "a"), c("HEXISTS", "h", "a"),
                c("HEXISTS", "nokey", "a"), c("HGETALL", "h"), c("HKEYS", "nokey"), c("HVALS", "h"),
                c("HRANDFIELD", "h"), c("HRANDFIELD", "nokey"), c("HRANDFIELD", "h", "0"), c("HRANDFIELD", "nokey", "2"),
                c("HRANDFIELD", "h", "x"), c("HSCAN", "h", "0"), c("HSCAN", "nokey", "0"), c("HSCAN", "h", "x"),
                c("HINCRBY", "h", "n", "5"), c("HINCRBY", "h", "a", "x"), c("HINCRBY", "h", "b", "9223372036854775807"),
                c("HINCRBY", "h", "b", "9223372036854775807"), c("HINCRBYFLOAT", "h", "n", "1.5"),
                c("HINCRBYFLOAT", "h", "n", "inf"), c("HDEL", "h", "a", "zz", "b"), c("HDEL", "h", "zz"),
                c("HDEL", "nokey", "a"), c("SET", "s", "x"), c("HGET", "s", "a"), c("HLEN", "s"), c("HSET", "s", "a", "b"),
                c("HDEL", "s", "a"), c("HSET", "h2", "a", "1"), c("GET", "h2"), c("MGET", "h2", "s", "nokey"),
                c("GETRANGE", "h2", "0", "1"), c("STRLEN", "h2"), c("GETEX", "h2"), c("GETDEL", "h2"),
                c("STRLEN", "s"), c("STRLEN", "nokey"), c("GETRANGE", "s", "0", "-1"), c("GETRANGE", "nokey", "0", "1"),
                c("HDEL", "h", "c", "d", "n", "x"), c("HLEN", "h"));
        assertThat(statsDifferences(commands, false)).isEmpty();
    }

    /** DEBUG DIGEST-VALUE and DEBUG DIGEST are Redis's SHA1 mixes, the same bytes for strings and hashes. */
    @Test
    void debugDigestsEqualRedis() throws Exception {
        diff.runAll(List.of(
                c("DEBUG", "DIGEST"), c("DEBUG", "DIGEST-VALUE"), c("DEBUG", "DIGEST-VALUE", "nokey"),
                c("SET", "s", "hello"), c("SET", "i", "12345"), c("SET", "e", ""), c("APPEND", "m", "x"),
                c("HSET", "h", "a", "1", "b", "two", "", ""), c("HSET", "h2", "b", "two", "", "", "a", "1"),
                c("DEBUG", "DIGEST-VALUE", "s", "i", "e", "m", "h", "h2", "nokey"), c("DEBUG", "DIGEST")));
        diff.run(hsetFields("big", 1, 600, "v"));
        diff.runAll(List.of(
                c("DEBUG", "DIGEST-VALUE", "big"), c("COPY", "big", "big2"), c("DEBUG", "DIGEST-VALUE", "big2"),
                c("EXPIRE", "big2", "100"), c("EXPIRE", "s", "100"), c("DEBUG", "DIGEST-VALUE", "big2", "s"),
                c("SELECT", "3"), c("SET", "x", "y"), c("SELECT", "0"), c("DEBUG", "DIGEST"), c("DEBUG", "digest-value", "h")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ seeded random sequences

    @Test
    void seededRandomSequences() throws Exception {
        Random rnd = new Random(20261201L);
        // Small limits so that sequences cross both conversions often.
        diff.run("CONFIG", "SET", "hash-max-listpack-entries", "8");
        diff.run("CONFIG", "SET", "hash-max-listpack-value", "16");
        String[] keys = {"h1", "h2", "h3", "{t}a", "{t}b", "str"};
        String[] fields = {"f", "g", "", "1", "01", "-0", "-1", "123456", "f".repeat(17), "x y", "fieldname", "a\u0000b",
                "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"};
        String[] values = {"", "0", "1", "-1", "01", "abc", "3.5", "9223372036854775807", "v".repeat(17), "1e3", " 2"};
        diff.run("SET", "str", "string");
        for (int i = 0; i < 3000; i++) {
            String k = keys[rnd.nextInt(keys.length)], k2 = keys[rnd.nextInt(keys.length)];
            String f = fields[rnd.nextInt(fields.length)], v = values[rnd.nextInt(values.length)];
            switch (rnd.nextInt(22)) {
                case 0, 1, 2 -> {
                    List<String> cmd = new ArrayList<>(List.of(rnd.nextBoolean() ? "HSET" : "HMSET", k));
                    int pairs = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 10 : 3);
                    for (int p = 0; p < pairs; p++) {
                        cmd.add(fields[rnd.nextInt(fields.length)]);
                        cmd.add(values[rnd.nextInt(values.length)]);
                    }
                    diff.run(cmd.toArray(String[]::new));
                }
                case 3 -> diff.run("HSETNX", k, f, v);
                case 4 -> diff.run("HGET", k, f);
                case 5 -> diff.run("HMGET", k, f, fields[rnd.nextInt(fields.length)]);
                case 6, 7 -> diff.run("HDEL", k, f, fields[rnd.nextInt(fields.length)]);
                case 8 -> diff.run("HLEN", k);
                case 9 -> diff.run("HSTRLEN", k, f);
                case 10 -> diff.run("HEXISTS", k, f);
                case 11 -> diff.run(PAIRS, "HGETALL", k);
                case 12 -> diff.run(ITEMS, rnd.nextBoolean() ? "HKEYS" : "HVALS", k);
                case 13 -> diff.run("HINCRBY", k, f, String.valueOf(rnd.nextInt(2001) - 1000));
                case 14 -> diff.run("HINCRBYFLOAT", k, f, rnd.nextBoolean() ? "0.25" : "-1.5e1");
                case 15 -> {
                    if (rnd.nextBoolean()) diff.run(PAIRS, "HRANDFIELD", k, "100", "WITHVALUES");
                    else diff.run(ITEMS, "HRANDFIELD", k, "100");
                }
                case 16 -> diff.run(SCAN, "HSCAN", k, "0", "COUNT", "1000");
                case 17 -> diff.run("OBJECT", "ENCODING", k);
                case 18 -> diff.run(rnd.nextBoolean() ? "TYPE" : "EXISTS", k);
                case 19 -> diff.run("COPY", k, k2, "REPLACE");
                case 20 -> diff.run(rnd.nextBoolean() ? "RENAME" : "DEL", k, k2);
                default -> diff.run("HRANDFIELD", k, "0");
            }
            if (i % 500 == 499) diff.run("SET", "str", "string");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ the listpack bytes themselves

    /**
     * A small hash's listpack must be Redis's byte for byte: the record's bytes against the
     * listpack in the reference's (uncompressed) DUMP payload, after every edit of a sequence.
     */
    @Test
    void smallHashListpackBytesEqualRedisDump() throws Exception {
        Random rnd = new Random(7L);
        String[] fields = {"a", "b", "1", "-7", "4096", "70000", "2147483648", "x".repeat(40), "", "01", "c", "d"};
        String[] values = {"", "0", "127", "-4096", "32767", "8388607", "-2147483648", "9223372036854775807", "y".repeat(63),
                "abc", "1.5"};
        int compared = 0;
        try (RespConnection b = new RespConnection(ref.port())) {
            b.call("CONFIG", "SET", "rdbcompression", "no");
            for (int i = 0; i < 400; i++) {
                String f = fields[rnd.nextInt(fields.length)], v = values[rnd.nextInt(values.length)];
                switch (rnd.nextInt(5)) {
                    case 0, 1 -> diff.run("HSET", "lp", f, v);
                    case 2 -> diff.run("HDEL", "lp", f);
                    case 3 -> diff.run("HINCRBY", "lp", f, String.valueOf(rnd.nextInt(100000) - 50000));
                    default -> diff.run("HSETNX", "lp", f, v);
                }
                byte[] theirs = io.jackdaw.testing.RdbDump.blob(b, "lp", 16);
                byte[] mine = ourValueBytes("lp", io.jackdaw.store.ValueType.HASH_LISTPACK);
                if (theirs == null) {
                    assertThat(mine).as("step %d", i).isNull();
                } else {
                    assertThat(mine).as("step %d", i).isEqualTo(theirs);
                    compared++;
                }
            }
            b.call("CONFIG", "SET", "rdbcompression", "yes");
        }
        assertThat(diff.mismatches()).isEmpty();
        assertThat(compared).isGreaterThan(300);
    }



    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
