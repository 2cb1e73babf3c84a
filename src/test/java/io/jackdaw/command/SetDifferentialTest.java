package io.jackdaw.command;

import static io.jackdaw.command.HashDifferentialTest.ITEMS;
import static io.jackdaw.command.HashDifferentialTest.SCAN_KEYS;
import static io.jackdaw.command.HashDifferentialTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The set family replayed on Jackdaw and the reference redis-server 7.0. Replies are compared
 * byte for byte, except where Redis leaves an order open (SMEMBERS, SINTER, SUNION, SDIFF,
 * SSCAN, a whole-set SPOP or SRANDMEMBER of anything but an intset) and for random picks.
 *
 * <p>Documented 7.0-vs-7.2 differences, normalised here and pinned to 7.2 in
 * {@link SetRedis72Test}: 7.0 has no listpack sets, so a small set with a non-integer member
 * is "hashtable" there and "listpack" in 7.2 ({@link #LISTPACK_AS_7_0}), kept in insertion
 * order; and 7.2 presizes a set to a table when one SADD carries more members than
 * set-max-intset-entries, so the sequences here stay below that.
 */
class SetDifferentialTest extends DifferentialTestBase {
    /** OBJECT ENCODING "listpack" (7.2, ours) read as 7.0's "hashtable"; only set keys are in play. */
    static final UnaryOperator<String> LISTPACK_AS_7_0 = raw -> raw.equals("$8\r\nlistpack\r\n") ? "$9\r\nhashtable\r\n" : raw;

    /** An SSCAN reply: the cursor, then the members sorted. */
    static final UnaryOperator<String> SCAN = SCAN_KEYS;

    @BeforeEach
    void connect() throws Exception {
        differential().normalize(raw -> LISTPACK_AS_7_0.apply(ConnectionDifferentialTest.HELLO_VERSION_AND_ID.apply(raw)));
    }

    @AfterEach
    void restoreConfig() throws Exception {
        if (diff == null) return;
        diff.run("CONFIG", "SET", "set-max-intset-entries", "512");
        configureOurs("set-max-listpack-entries", "128");
        configureOurs("set-max-listpack-value", "64");
    }

    /** The listpack thresholds, which 7.0 does not know. */
    static void configureOurs(String name, String value) throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            assertThat(a.call("CONFIG", "SET", name, value)).isEqualTo("+OK\r\n");
        }
    }

    /** SADD key m1 m2 ... from a prefix and a range. */
    static String[] saddRange(String key, String prefix, int from, int to) {
        List<String> a = new ArrayList<>(List.of("SADD", key));
        for (int i = from; i <= to; i++) a.add(prefix + i);
        return a.toArray(String[]::new);
    }

    // ------------------------------------------------------------ single commands

    @Test
    void addRemoveAndMembership() throws Exception {
        diff.runAll(List.of(
                c("SADD", "s", "3", "1", "2", "2"), c("SADD", "s", "1"), c("SCARD", "s"), c("SMEMBERS", "s"),
                c("SISMEMBER", "s", "1"), c("SISMEMBER", "s", "01"), c("SISMEMBER", "s", "x"), c("SISMEMBER", "nokey", "1"),
                c("SMISMEMBER", "s", "1", "9", "2", "01"), c("SMISMEMBER", "nokey", "1", "2"), c("SCARD", "nokey"),
                c("OBJECT", "ENCODING", "s"), c("SREM", "s", "9", "01", "1"), c("SMEMBERS", "s"), c("SREM", "nokey", "1"),
                c("SADD", "s", "-9223372036854775808", "9223372036854775807", "-1", "0", "70000", "-70000"),
                c("SMEMBERS", "s"), c("OBJECT", "ENCODING", "s"), c("SREM", "s", "2", "3", "-9223372036854775808",
                        "9223372036854775807", "-1", "0", "70000", "-70000", "more"), c("EXISTS", "s"),
                c("SADD", "w", "a", "b", "", "a"), c("SCARD", "w"), c("SISMEMBER", "w", ""), c("SMISMEMBER", "w", "a", "c", ""),
                c("OBJECT", "ENCODING", "w"), c("SREM", "w", "a", "a", "zz"), c("SCARD", "w"), c("SREM", "w", "b", ""),
                c("EXISTS", "w"), c("SADD", "t", "1"), c("EXPIRE", "t", "100"), c("SADD", "t", "x"), c("TTL", "t"),
                c("SREM", "t", "1"), c("TTL", "t")));
        diff.run(ITEMS, "SMEMBERS", "w");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void integerLookingMembers() throws Exception {
        String[] odd = {"0", "1", "-1", "01", "-0", "+1", " 1", "1 ", "127", "128", "-4096", "4095", "32767", "32768",
                "-32769", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "1.5", "1e3", "0x10", "00", ""};
        for (String v : odd) diff.run("SADD", "mixed", v);
        for (String v : odd) {
            diff.run("SADD", "ints", v);
            diff.run("OBJECT", "ENCODING", "ints");
        }
        for (String v : odd) {
            diff.run("SISMEMBER", "mixed", v);
            diff.run("SMISMEMBER", "ints", v, v + "0");
        }
        diff.run(ITEMS, "SMEMBERS", "mixed");
        diff.run(ITEMS, "SMEMBERS", "ints");
        diff.run("SCARD", "mixed");
        for (String v : odd) diff.run("SREM", "mixed", v);
        diff.run("EXISTS", "mixed");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void binaryMembers() throws Exception {
        byte[] k = bytes("bin"), m1 = {0, (byte) 0xFF, '\r', '\n', 0}, m2 = {(byte) 0x80, 0, 'x'};
        diff.run(bytes("SADD"), k, m1, m2, m1);
        diff.run(bytes("SISMEMBER"), k, m1);
        diff.run(bytes("SMISMEMBER"), k, m2, bytes("x"));
        diff.run(bytes("SSCAN"), k, bytes("0"), bytes("MATCH"), new byte[] {0, '*'});
        diff.run(bytes("SMOVE"), k, bytes("bin2"), m2);
        diff.run(bytes("SMEMBERS"), bytes("bin2"));
        diff.run(bytes("SREM"), k, m1);
        diff.run(bytes("EXISTS"), k);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void arityAndWrongType() throws Exception {
        diff.runAll(List.of(
                c("SADD", "s"), c("SREM", "s"), c("SMOVE", "a", "b"), c("SISMEMBER", "s"), c("SMISMEMBER", "s"), c("SCARD"),
                c("SCARD", "s", "x"), c("SPOP"), c("SRANDMEMBER"), c("SMEMBERS"), c("SMEMBERS", "a", "b"), c("SINTER"),
                c("SINTERCARD", "1"), c("SINTERSTORE", "d"), c("SUNION"), c("SUNIONSTORE", "d"), c("SDIFF"),
                c("SDIFFSTORE", "d"), c("SSCAN", "s"),
                c("SET", "str", "x"), c("SADD", "str", "a"), c("SREM", "str", "a"), c("SMOVE", "str", "d", "a"),
                c("SISMEMBER", "str", "a"), c("SMISMEMBER", "str", "a"), c("SCARD", "str"), c("SPOP", "str"),
                c("SPOP", "str", "2"), c("SPOP", "str", "0"), c("SRANDMEMBER", "str"), c("SRANDMEMBER", "str", "2"),
                c("SRANDMEMBER", "str", "0"), c("SMEMBERS", "str"), c("SINTER", "str"), c("SINTERCARD", "1", "str"),
                c("SINTERSTORE", "d", "str"), c("SUNION", "str"), c("SUNIONSTORE", "d", "str"), c("SDIFF", "str"),
                c("SDIFFSTORE", "d", "str"), c("SSCAN", "str", "0"), c("SSCAN", "str", "x"),
                c("SADD", "s", "a"), c("GET", "s"), c("HGET", "s", "a"), c("INCR", "s"), c("APPEND", "s", "x"),
                c("HSET", "s", "f", "v"), c("TYPE", "s"), c("HSET", "h", "f", "v"), c("SADD", "h", "x"),
                c("SINTER", "s", "h"), c("SINTER", "h", "s"), c("SUNION", "s", "nokey", "h"), c("SDIFF", "nokey", "h")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void smove() throws Exception {
        diff.runAll(List.of(
                c("SADD", "src", "1", "2", "a"), c("SADD", "ints", "5", "6"), c("SET", "str", "x"),
                c("SMOVE", "nokey", "str", "1"), c("SMOVE", "nokey", "src", "1"), c("SMOVE", "src", "str", "1"),
                c("SMOVE", "str", "src", "1"), c("SMOVE", "src", "str", "zz"), c("SMOVE", "src", "src", "1"),
                c("SMOVE", "src", "src", "zz"), c("SMOVE", "src", "ints", "zz"), c("SMOVE", "src", "ints", "1"),
                c("SMEMBERS", "ints"), c("OBJECT", "ENCODING", "ints"), c("SMOVE", "src", "ints", "a"),
                c("OBJECT", "ENCODING", "ints"), c("SMOVE", "ints", "new1", "5"), c("OBJECT", "ENCODING", "new1"),
                c("SMOVE", "ints", "new2", "a"), c("OBJECT", "ENCODING", "new2"), c("SMOVE", "src", "new1", "2"),
                c("EXISTS", "src"), c("SMEMBERS", "new1"), c("SADD", "dup", "2"), c("SADD", "src2", "2"),
                c("SMOVE", "src2", "dup", "2"), c("EXISTS", "src2"), c("SMEMBERS", "dup"),
                c("SADD", "e", "1"), c("EXPIRE", "e", "100"), c("SMOVE", "new1", "e", "5"), c("TTL", "e"),
                c("SMOVE", "e", "f", "1"), c("TTL", "e"), c("TTL", "f")));
        diff.run(ITEMS, "SMEMBERS", "ints");
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ SPOP and SRANDMEMBER

    @Test
    void spopAndSrandmemberDeterministicCases() throws Exception {
        diff.runAll(List.of(
                c("SPOP", "nokey"), c("SPOP", "nokey", "3"), c("SPOP", "nokey", "0"), c("SPOP", "nokey", "-1"),
                c("SPOP", "nokey", "x"), c("SPOP", "nokey", "1", "2"), c("SADD", "one", "x"), c("SPOP", "one", "-1"),
                c("SPOP", "one", "x"), c("SPOP", "one", "1.5"), c("SPOP", "one", "9223372036854775808"),
                c("SPOP", "one", "1", "2"), c("SPOP", "one", "0"), c("SPOP", "one"), c("EXISTS", "one"),
                c("SADD", "one", "5"), c("SPOP", "one", "1"), c("EXISTS", "one"), c("SADD", "one", "5"),
                c("SPOP", "one", "9223372036854775807"), c("EXISTS", "one"),
                c("SRANDMEMBER", "nokey"), c("SRANDMEMBER", "nokey", "3"), c("SRANDMEMBER", "nokey", "-3"),
                c("SRANDMEMBER", "nokey", "0"), c("SRANDMEMBER", "nokey", "x"), c("SADD", "one", "y"),
                c("SRANDMEMBER", "one"), c("SRANDMEMBER", "one", "1"), c("SRANDMEMBER", "one", "-1"),
                c("SRANDMEMBER", "one", "5"), c("SRANDMEMBER", "one", "-5"), c("SRANDMEMBER", "one", "0"),
                c("SRANDMEMBER", "one", "x"), c("SRANDMEMBER", "one", "1", "2"),
                c("SRANDMEMBER", "one", "-9223372036854775808"), c("SRANDMEMBER", "one", "9223372036854775807"),
                c("SRANDMEMBER", "one", "9223372036854775808"), c("SRANDMEMBER", "nokey", "-9223372036854775808"),
                c("SADD", "ints", "3", "1", "2"), c("SRANDMEMBER", "ints", "3"), c("SRANDMEMBER", "ints", "30"),
                c("SPOP", "ints", "3"), c("EXISTS", "ints"), c("SADD", "ints", "3", "1", "2"), c("SPOP", "ints", "10")));
        // The whole set when the count reaches its size, in every encoding.
        diff.run("SADD", "small", "a", "b", "c", "d");
        diff.run(saddRange("big", "m", 1, 300));
        diff.run(saddRange("bigints", "", 1, 300));
        for (String k : List.of("small", "big", "bigints")) {
            diff.run(ITEMS, "SRANDMEMBER", k, "1000");
            diff.run(ITEMS, "SPOP", k, "1000");
            diff.run("EXISTS", k);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Random picks have Redis's shapes: counts, distinctness, membership; SPOP removes what it returns. */
    @Test
    void randomPicksAsRedisDescribesThem() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            for (String[] fill : List.of(saddRange("s", "", 1, 20), saddRange("s", "m", 1, 20),
                    saddRange("s", "m", 1, 300), saddRange("s", "", 1, 300))) {
                a.call("DEL", "s");
                a.call(fill);
                int size = fill.length - 2;
                Set<String> all = new HashSet<>(List.of(fill).subList(2, fill.length));
                Set<String> seen = new HashSet<>();
                for (long count : new long[] {1, 2, 5, size / 3, size / 2, size - 1, size, size + 1, -1, -5, -size, -3 * size}) {
                    List<?> r = (List<?>) Resp.parse(a.call("SRANDMEMBER", "s", String.valueOf(count)));
                    long expected = count > 0 ? Math.min(count, size) : -count;
                    assertThat(r).as("SRANDMEMBER %d", count).hasSize((int) expected);
                    for (Object m : r) assertThat(all).contains((String) m);
                    if (count > 0) assertThat(new HashSet<>(r)).hasSize(r.size());
                    r.forEach(m -> seen.add((String) m));
                }
                assertThat(seen.size()).isGreaterThan(size / 2);
                assertThat(all).contains((String) Resp.parse(a.call("SRANDMEMBER", "s")));
                // SPOP by each of Redis's ways: few members, most of them, then the rest.
                Set<String> left = new HashSet<>(all);
                for (long count : new long[] {1, 2, Math.max(1, size / 10), size - size / 10 - 4}) {
                    List<?> r = (List<?>) Resp.parse(a.call("SPOP", "s", String.valueOf(count)));
                    assertThat(r).hasSize((int) count);
                    for (Object m : r) assertThat(left.remove((String) m)).as("popped once: %s", m).isTrue();
                    assertThat(a.call("SCARD", "s")).isEqualTo(":" + left.size() + "\r\n");
                }
                String one = (String) Resp.parse(a.call("SPOP", "s"));
                assertThat(left.remove(one)).isTrue();
                List<?> rest = (List<?>) Resp.parse(a.call("SPOP", "s", String.valueOf(size)));
                assertThat(new HashSet<>(rest)).isEqualTo(left);
                assertThat(a.call("EXISTS", "s")).isEqualTo(":0\r\n");
            }
        }
    }

    // ------------------------------------------------------------ the algebra

    @Test
    void interUnionDiffAndTheirStoreForms() throws Exception {
        diff.runAll(List.of(
                c("SADD", "i1", "1", "2", "3", "4"), c("SADD", "i2", "3", "4", "5"), c("SADD", "w1", "a", "b", "3"),
                c("SADD", "w2", "b", "c", "4", "3"), c("SET", "str", "x"), c("HSET", "h", "f", "v")));
        diff.run(saddRange("big1", "m", 1, 200));
        diff.run(saddRange("big2", "m", 150, 400));
        diff.run(saddRange("bigi", "", 1, 600));
        String[][] keySets = {{"i1", "i2"}, {"i2", "i1"}, {"i1", "w2"}, {"w1", "w2"}, {"w2", "w1", "i1"}, {"i1", "nokey"},
                {"nokey", "i1"}, {"i1", "i1"}, {"w1", "w1", "w2"}, {"big1", "big2"}, {"big2", "big1", "w1"}, {"bigi", "i1"},
                {"i1", "bigi", "i2"}, {"nokey"}, {"nokey", "nokey2"}, {"big1"}, {"bigi", "big1"}};
        for (String[] keys : keySets) {
            for (String op : List.of("SINTER", "SUNION", "SDIFF")) {
                List<String> cmd = new ArrayList<>(List.of(op));
                cmd.addAll(List.of(keys));
                diff.run(ITEMS, cmd.toArray(String[]::new));
                cmd.set(0, op + "STORE");
                cmd.add(1, "dst");
                diff.run(cmd.toArray(String[]::new));
                diff.run(ITEMS, "SMEMBERS", "dst");
                diff.run("OBJECT", "ENCODING", "dst");
                diff.run("TYPE", "dst");
                diff.run("SET", "dst", "a-string-to-be-replaced");
            }
            List<String> card = new ArrayList<>(List.of("SINTERCARD", String.valueOf(keys.length)));
            card.addAll(List.of(keys));
            diff.run(card.toArray(String[]::new));
            card.addAll(List.of("LIMIT", "2"));
            diff.run(card.toArray(String[]::new));
        }
        diff.runAll(List.of(
                // A destination that is also a source; one with an expiry loses it.
                c("SADD", "x", "1", "2"), c("SUNIONSTORE", "x", "x", "i2"), c("SMEMBERS", "x"), c("EXPIRE", "x", "100"),
                c("SINTERSTORE", "x", "x", "i1"), c("TTL", "x"), c("SMEMBERS", "x"), c("SDIFFSTORE", "x", "x", "x"),
                c("EXISTS", "x"), c("SDIFFSTORE", "x", "x"), c("SINTERSTORE", "x", "nokey"), c("SUNIONSTORE", "x", "nokey"),
                c("SET", "y", "v"), c("SINTERSTORE", "y", "i1", "nokey"), c("EXISTS", "y"), c("SET", "y", "v"),
                c("SDIFFSTORE", "y", "i1", "i1"), c("EXISTS", "y"), c("SINTERSTORE", "dst", "i1", "str"),
                c("SUNIONSTORE", "dst", "str"), c("SDIFFSTORE", "dst", "nokey", "h"), c("SINTER", "nokey", "str"),
                c("SINTERCARD", "2", "nokey", "str"), c("SINTERCARD", "2", "i1", "i2", "LIMIT", "0"),
                c("SINTERCARD", "2", "i1", "i2", "LIMIT", "1"), c("SINTERCARD", "2", "i1", "i2", "limit", "100")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void sintercardArguments() throws Exception {
        diff.run("SADD", "a", "1");
        diff.runAll(List.of(
                c("SINTERCARD", "0", "a"), c("SINTERCARD", "-1", "a"), c("SINTERCARD", "x", "a"), c("SINTERCARD", "", "a"),
                c("SINTERCARD", "9223372036854775808", "a"), c("SINTERCARD", "2", "a"), c("SINTERCARD", "1", "a", "b"),
                c("SINTERCARD", "1", "a", "LIMIT"), c("SINTERCARD", "1", "a", "LIMIT", "-1"), c("SINTERCARD", "1", "a", "LIMIT", "x"),
                c("SINTERCARD", "1", "a", "LIMIT", "1", "LIMIT", "0"), c("SINTERCARD", "1", "a", "LIMIT", "1", "EXTRA"),
                c("SINTERCARD", "2", "a", "LIMIT"), c("SINTERCARD", "2", "a", "LIMIT", "1"),
                c("SINTERCARD", "1", "a", "LIMIT", "9223372036854775807")));
        assertThat(diff.mismatches()).isEmpty();
    }

    // ------------------------------------------------------------ SSCAN

    @Test
    void sscanOptionsAndErrors() throws Exception {
        diff.runAll(List.of(
                c("SSCAN", "nokey", "0"), c("SSCAN", "nokey", "0", "COUNT", "0"), c("SSCAN", "nokey", "0", "BOGUS"),
                c("SSCAN", "nokey", "x"), c("SADD", "ints", "1", "10", "2", "-5"), c("SSCAN", "ints", "0"),
                c("SSCAN", "ints", "0", "MATCH", "1*"), c("SSCAN", "ints", "0", "MATCH", "-*"), c("SSCAN", "ints", "7"),
                c("SSCAN", "ints", "0", "COUNT", "1"), c("SSCAN", "ints", "0", "COUNT", "0"), c("SSCAN", "ints", "0", "COUNT", "-1"),
                c("SSCAN", "ints", "0", "COUNT", "x"), c("SSCAN", "ints", "0", "COUNT"), c("SSCAN", "ints", "0", "MATCH"),
                c("SSCAN", "ints", "0", "TYPE", "set"), c("SSCAN", "ints", "0", "NOVALUES"), c("SSCAN", "ints", "-1"),
                c("SSCAN", "ints", "18446744073709551616"), c("SSCAN", "ints", "1.5"), c("SSCAN", "ints", "x", "COUNT", "0"),
                c("SSCAN", "ints", "0", "MATCH", "zz*", "COUNT", "5"), c("SADD", "s", "a1", "b2", "a3"),
                c("SSCAN", "s", "0", "COUNT", "x"), c("SSCAN", "s", "0", "NOVALUES"), c("SSCAN", "s", "x")));
        // A small string set is a listpack (returned whole) in 7.2 and a table in 7.0: same members.
        diff.run(SCAN, "SSCAN", "s", "0", "MATCH", "a*");
        diff.run(SCAN, "SSCAN", "s", "0", "MATCH", "*");
        diff.run(SCAN, "SSCAN", "s", "0");
        diff.run(saddRange("big", "m", 1, 600));
        diff.run(SCAN, "SSCAN", "big", "0", "COUNT", "100000");
        diff.run(SCAN, "SSCAN", "big", "0", "COUNT", "100000", "MATCH", "m1*");
        diff.run(SCAN, "SSCAN", "big", "0", "MATCH", "nomatch*", "COUNT", "100000");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void sscanWalksATableCompletely() throws Exception {
        diff.run(saddRange("big", "m", 1, 1000));
        try (RespConnection a = new RespConnection(ours.port())) {
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                List<?> r = (List<?>) Resp.parse(a.call("SSCAN", "big", cursor, "COUNT", "20"));
                cursor = (String) r.get(0);
                for (Object m : (List<?>) r.get(1)) seen.add((String) m);
                calls++;
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(1000);
            assertThat(calls).isGreaterThan(10);
        }
    }

    // ------------------------------------------------------------ RESP3, keyspace, statistics

    @Test
    void resp3Shapes() throws Exception {
        diff.run("SADD", "s", "3", "1", "2");
        diff.run("SADD", "w", "a");
        diff.run("HELLO", "3");
        diff.runAll(List.of(
                c("SMEMBERS", "s"), c("SMEMBERS", "nokey"), c("SMEMBERS", "w"), c("SINTER", "s", "nokey"), c("SINTER", "s"),
                c("SUNION", "s", "nokey"), c("SUNION", "nokey"), c("SDIFF", "s", "nokey"), c("SDIFF", "nokey", "s"),
                c("SPOP", "nokey"), c("SPOP", "nokey", "2"), c("SPOP", "s", "0"), c("SRANDMEMBER", "nokey"),
                c("SRANDMEMBER", "nokey", "2"), c("SRANDMEMBER", "s", "0"), c("SRANDMEMBER", "s", "10"),
                c("SRANDMEMBER", "w", "-2"), c("SMISMEMBER", "s", "1", "x"), c("SSCAN", "s", "0"), c("SSCAN", "nokey", "0"),
                c("SINTERCARD", "1", "s"), c("SISMEMBER", "s", "1"), c("SCARD", "s"), c("SPOP", "w"), c("SPOP", "s", "5")));
        diff.run("HELLO", "2");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void keyspaceCommandsOnEveryEncoding() throws Exception {
        diff.run(saddRange("big", "m", 1, 300));
        diff.run("SADD", "ints", "1", "2", "3");
        diff.run("SADD", "small", "a", "b");
        for (String k : List.of("ints", "small", "big")) {
            diff.runAll(List.of(
                    c("TYPE", k), c("OBJECT", "ENCODING", k), c("COPY", k, k + "-copy"), c("OBJECT", "ENCODING", k + "-copy"),
                    c("SADD", k + "-copy", "changed"), c("SISMEMBER", k, "changed"), c("SCARD", k), c("SCARD", k + "-copy"),
                    c("COPY", k, k + "-copy"), c("COPY", k, k + "-copy", "REPLACE"), c("SISMEMBER", k + "-copy", "changed"),
                    c("COPY", k, k + "-db1", "DB", "1"), c("EXPIRE", k, "1000"), c("RENAME", k, k + "-renamed"),
                    c("TTL", k + "-renamed"), c("OBJECT", "ENCODING", k + "-renamed"), c("SADD", k + "-renamed", "x"),
                    c("TTL", k + "-renamed"), c("MOVE", k + "-renamed", "2"), c("SELECT", "2"), c("SCARD", k + "-renamed"),
                    c("OBJECT", "ENCODING", k + "-renamed"), c("TTL", k + "-renamed"), c("SELECT", "1"), c("SCARD", k + "-db1"),
                    c("OBJECT", "ENCODING", k + "-db1"), c("SELECT", "0"), c("DEBUG", "DIGEST-VALUE", k + "-copy")));
            diff.run(ITEMS, "SMEMBERS", k + "-copy");
        }
        diff.run(SCAN_KEYS, "SCAN", "0", "TYPE", "set", "COUNT", "1000");
        diff.run(SCAN_KEYS, "SCAN", "0", "TYPE", "SET", "COUNT", "1000");
        diff.runAll(List.of(
                c("SADD", "e", "1"), c("PEXPIRE", "e", "1"), c("DEBUG", "SLEEP", "0.01"), c("SISMEMBER", "e", "1"),
                c("SADD", "e", "2"), c("TTL", "e"), c("SWAPDB", "0", "2"), c("SCARD", "big-renamed"), c("FLUSHDB"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** DEBUG DIGEST-VALUE xors each member's SHA1, whatever the encoding and order. */
    @Test
    void debugDigestsEqualRedis() throws Exception {
        diff.runAll(List.of(
                c("SADD", "ints", "1", "2", "-3"), c("SADD", "ints2", "-3", "2", "1"), c("SADD", "w", "a", "", "1"),
                c("SADD", "w2", "1", "", "a")));
        diff.run(saddRange("big", "m", 1, 300));
        diff.runAll(List.of(
                c("DEBUG", "DIGEST-VALUE", "ints", "ints2", "w", "w2", "big", "nokey"), c("COPY", "big", "big2"),
                c("EXPIRE", "big2", "100"), c("DEBUG", "DIGEST-VALUE", "big2"), c("DEBUG", "DIGEST")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Hits and misses as Redis's lookupKeyRead counts them; the change counter as server.dirty. */
    @Test
    void statisticsAndDirtyCounter() throws Exception {
        List<String[]> commands = List.of(
                c("SADD", "s", "1", "2", "3"), c("SADD", "s", "1"), c("SADD", "s", "1", "4"), c("SREM", "s", "9"),
                c("SREM", "s", "4", "9"), c("SREM", "nokey", "1"), c("SISMEMBER", "s", "1"), c("SISMEMBER", "nokey", "1"),
                c("SMISMEMBER", "s", "1"), c("SMISMEMBER", "nokey", "1"), c("SCARD", "s"), c("SCARD", "nokey"),
                c("SMEMBERS", "s"), c("SMEMBERS", "nokey"), c("SRANDMEMBER", "s"), c("SRANDMEMBER", "nokey", "2"),
                c("SRANDMEMBER", "s", "x"), c("SSCAN", "s", "0"), c("SSCAN", "nokey", "0"), c("SSCAN", "s", "x"),
                c("SINTER", "s", "nokey", "s"), c("SINTERCARD", "2", "s", "nokey"), c("SUNION", "s", "nokey"),
                c("SDIFF", "nokey", "s"), c("SINTERSTORE", "d", "s", "s"), c("SINTERSTORE", "d", "s", "nokey"),
                c("SINTERSTORE", "d", "s", "nokey"), c("SUNIONSTORE", "d", "s", "nokey"), c("SDIFFSTORE", "d", "s", "s"),
                c("SDIFFSTORE", "d", "s", "s"), c("SADD", "t", "1", "2"), c("SMOVE", "s", "t", "1"), c("SMOVE", "s", "t", "2"),
                c("SMOVE", "s", "t", "zz"), c("SMOVE", "s", "s", "3"), c("SMOVE", "nokey", "t", "1"),
                c("SMOVE", "t", "new", "1"), c("SPOP", "t"), c("SPOP", "nokey"), c("SPOP", "s", "0"),
                c("SADD", "p", "1", "2", "3", "4", "5"), c("SPOP", "p", "2"), c("SPOP", "p", "10"), c("SPOP", "nokey", "3"),
                c("SET", "str", "x"), c("SADD", "str", "a"), c("SCARD", "str"), c("SINTER", "str"), c("SPOP", "str"));
        assertThat(statsDifferences(commands, false)).isEmpty();
    }

    /**
     * An intset is Redis's intset byte for byte: the record's bytes against the intset in the
     * reference's DUMP payload (RDB type 11), after every edit of a sequence that widens it.
     */
    @Test
    void intsetBytesEqualRedisDump() throws Exception {
        Random rnd = new Random(5L);
        long[] values = {0, 1, -1, 127, -4096, 32767, -32768, 32768, 70000, -2147483648L, 2147483647L, 2147483648L,
                Long.MAX_VALUE, Long.MIN_VALUE, 42, 43, 44};
        int compared = 0;
        try (RespConnection b = new RespConnection(ref.port())) {
            b.call("CONFIG", "SET", "rdbcompression", "no");
            for (int i = 0; i < 300; i++) {
                String v = String.valueOf(values[rnd.nextInt(values.length)]);
                if (rnd.nextInt(3) == 0) diff.run("SREM", "is", v);
                else diff.run("SADD", "is", v);
                byte[] theirs = io.jackdaw.testing.RdbDump.blob(b, "is", 11);
                byte[] mine = ourValueBytes("is", io.jackdaw.store.ValueType.SET_INTSET);
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
        assertThat(compared).isGreaterThan(200);
    }



    // ------------------------------------------------------------ seeded random sequences

    /**
     * Random operations on a few keys with small thresholds, so that sequences cross every
     * conversion. Unordered replies are compared as multisets. SPOP and SRANDMEMBER with a
     * count below the size run on Jackdaw; their picks are checked against the reference's
     * members, and the popped ones are removed there too, so both stay in step.
     */
    @Test
    void seededRandomSequences() throws Exception {
        Random rnd = new Random(20261202L);
        diff.run("CONFIG", "SET", "set-max-intset-entries", "8");
        configureOurs("set-max-listpack-entries", "5");
        configureOurs("set-max-listpack-value", "8");
        String[] keys = {"{t}a", "{t}b", "{t}c", "{t}d", "{t}str"};
        String[] pool = {"0", "1", "-1", "2", "3", "4", "5", "6", "7", "8", "9", "300", "-70000", "2147483648",
                "9223372036854775807", "-9223372036854775808", "01", "-0", "1.5", "", "a", "b", "c", "d", "e", "f",
                "longer-than-eight", "x y", "a\u0000b"};
        diff.run("SET", "{t}str", "string");
        int checkedPicks = 0;
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            for (int i = 0; i < 3000; i++) {
                String k = keys[rnd.nextInt(keys.length)], k2 = keys[rnd.nextInt(keys.length)];
                String m = pool[rnd.nextInt(pool.length)];
                switch (rnd.nextInt(20)) {
                    case 0, 1, 2, 3 -> {
                        // At most 4 members: below set-max-intset-entries (see the class comment).
                        List<String> cmd = new ArrayList<>(List.of("SADD", k));
                        for (int n = 1 + rnd.nextInt(4); n > 0; n--) cmd.add(pool[rnd.nextInt(pool.length)]);
                        diff.run(cmd.toArray(String[]::new));
                    }
                    case 4, 5 -> diff.run("SREM", k, m, pool[rnd.nextInt(pool.length)]);
                    case 6 -> diff.run("SMOVE", k, k2, m);
                    case 7 -> diff.run(rnd.nextBoolean() ? "SISMEMBER" : "SMISMEMBER", k, m);
                    case 8 -> diff.run("SCARD", k);
                    case 9 -> diff.run(ITEMS, "SMEMBERS", k);
                    case 10 -> diff.run(ITEMS, pickAlgebra(rnd, keys, false));
                    case 11 -> diff.run(pickAlgebra(rnd, keys, true));
                    case 12 -> diff.run("SINTERCARD", "2", k, k2, "LIMIT", String.valueOf(rnd.nextInt(4)));
                    case 13 -> diff.run(SCAN, "SSCAN", k, "0", "COUNT", "1000");
                    case 14 -> diff.run("OBJECT", "ENCODING", k);
                    case 15 -> diff.run(ITEMS, rnd.nextBoolean() ? "SPOP" : "SRANDMEMBER", k, "100");
                    case 16, 17 -> checkedPicks += randomPick(a, b, rnd, k);
                    case 18 -> diff.run("COPY", k, k2, "REPLACE");
                    default -> diff.run(rnd.nextBoolean() ? "RENAME" : "DEL", k, k2);
                }
                if (i % 500 == 499) diff.run("SET", "{t}str", "string");
            }
        }
        assertThat(diff.mismatches()).isEmpty();
        assertThat(checkedPicks).isGreaterThan(100);
    }

    private static String[] pickAlgebra(Random rnd, String[] keys, boolean store) {
        String[] ops = store ? new String[] {"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"} : new String[] {"SINTER", "SUNION", "SDIFF"};
        List<String> cmd = new ArrayList<>(List.of(ops[rnd.nextInt(3)]));
        int n = 1 + rnd.nextInt(3) + (store ? 1 : 0);
        for (int j = 0; j < n; j++) cmd.add(keys[rnd.nextInt(keys.length)]);
        return cmd.toArray(String[]::new);
    }

    /** SPOP or SRANDMEMBER with a random count on Jackdaw, checked against the reference; returns picks checked. */
    private int randomPick(RespConnection a, RespConnection b, Random rnd, String k) throws Exception {
        boolean pop = rnd.nextBoolean();
        long count = rnd.nextInt(12) - (pop ? 0 : 6);
        String[] cmd = {pop ? "SPOP" : "SRANDMEMBER", k, String.valueOf(count)};
        String type = b.call("TYPE", k);
        String mine = a.call(cmd);
        if (!type.equals("+set\r\n")) {
            // Absent or another type: the reply is deterministic.
            assertThat(mine).as(String.join(" ", cmd)).isEqualTo(b.call(cmd));
            return 0;
        }
        long size = Long.parseLong(b.call("SCARD", k).substring(1).trim());
        List<?> picks = (List<?>) Resp.parse(mine);
        assertThat(picks).as(String.join(" ", cmd)).hasSize((int) (count >= 0 ? Math.min(count, size) : -count));
        if (count > 0) assertThat(new HashSet<>(picks)).hasSize(picks.size());
        for (Object p : picks) {
            assertThat(b.call("SISMEMBER", k, (String) p)).as("%s picked %s", String.join(" ", cmd), p).isEqualTo(":1\r\n");
        }
        if (pop && !picks.isEmpty()) {
            List<String> srem = new ArrayList<>(List.of("SREM", k));
            picks.forEach(p -> srem.add((String) p));
            b.call(srem.toArray(String[]::new));
        }
        return picks.size();
    }
}
