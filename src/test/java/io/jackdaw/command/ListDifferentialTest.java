package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list family replayed on Jackdaw and the reference redis-server, replies compared byte for
 * byte (list order is defined, so nothing is canonicalised). The reference is Redis 7.0, whose
 * lists are always quicklists: OBJECT ENCODING is therefore not compared here (ListEncodingTest
 * checks 7.2's listpack/quicklist choices), and neither are the two replies 7.2 changed
 * (LPOS RANK and LREM count of -2^63, see {@link #longMinArgumentsAsRedis72}).
 */
class ListDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    @AfterEach
    void restoreConfig() throws Exception {
        if (diff == null) return;
        diff.run("CONFIG", "SET", "list-max-listpack-size", "-2");
    }

    private static String[] push(String cmd, String key, int from, int to, String prefix) {
        List<String> a = new ArrayList<>(List.of(cmd, key));
        for (int i = from; i <= to; i++) a.add(prefix + i);
        return a.toArray(String[]::new);
    }

    @Test
    void pushAndPop() throws Exception {
        diff.runAll(List.of(
                c("LPUSH", "l", "a"), c("LPUSH", "l", "b", "c"), c("RPUSH", "l", "d", "e", "f"), c("LRANGE", "l", "0", "-1"),
                c("LPUSHX", "l", "x", "y"), c("RPUSHX", "l", "z"), c("LPUSHX", "nokey", "x"), c("RPUSHX", "nokey", "x", "y"),
                c("EXISTS", "nokey"), c("LLEN", "l"), c("LLEN", "nokey"), c("LPOP", "l"), c("RPOP", "l"),
                c("LPOP", "l", "2"), c("RPOP", "l", "2"), c("LPOP", "l", "0"), c("RPOP", "l", "0"), c("LPOP", "l", "100"),
                c("EXISTS", "l"), c("LPOP", "l"), c("RPOP", "l", "1"), c("LPOP", "nokey", "0"), c("RPOP", "nokey", "5"),
                c("RPUSH", "l", "1", "2", "3"), c("LPOP", "l", "-1"), c("LPOP", "l", "abc"), c("RPOP", "l", "1.5"),
                c("RPOP", "l", ""), c("LPOP", "l", "9223372036854775807"), c("RPUSH", "l", "1", "2", "3"),
                c("LPOP", "l", "9223372036854775808"), c("LPOP", "l", "1", "2"), c("RPOP", "l", "1", "2", "3"),
                c("RPOP", "l", "2"), c("LPOP", "nokey", "-1"), c("LPOP", "nokey", "x")));
        // The nulls of RESP3.
        diff.run("HELLO", "3");
        diff.runAll(List.of(c("LPOP", "nokey"), c("RPOP", "nokey", "2"), c("LPOP", "nokey", "0"), c("RPUSH", "l", "a", "b"),
                c("LPOP", "l", "0"), c("RPOP", "l", "5"), c("LMPOP", "1", "nokey", "LEFT"), c("RPOPLPUSH", "nokey", "x"),
                c("LMOVE", "nokey", "x", "LEFT", "RIGHT"), c("LINDEX", "nokey", "0"), c("LPOS", "nokey", "a"),
                c("RPUSH", "l", "a"), c("LPOS", "l", "zz"), c("LINDEX", "l", "5"), c("LMPOP", "1", "l", "RIGHT", "COUNT", "3")));
        diff.run("HELLO", "2");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void integerLookingAndBinaryElements() throws Exception {
        String[] odd = {"0", "1", "-1", "01", "-0", "+1", " 1", "1 ", "127", "128", "-4096", "-4097", "4095", "4096",
                "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609", "2147483647",
                "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "1.5", "1e3", "0x10", "00", "abc", ""};
        for (String v : odd) {
            diff.run("RPUSH", "l", v);
            diff.run("LPUSH", "l", v);
        }
        diff.run("LRANGE", "l", "0", "-1");
        for (String v : odd) {
            diff.run("LPOS", "l", v, "COUNT", "0");
            diff.run("LINSERT", "l", "BEFORE", v, v + "!");
            diff.run("LREM", "l", "1", v);
        }
        diff.run("LRANGE", "l", "0", "-1");
        diff.run("LSET", "l", "0", "123456789");
        diff.run("LSET", "l", "-1", "-0");
        diff.run("LRANGE", "l", "0", "-1");
        byte[] k = bytes("bin"), v1 = {0, (byte) 0xFF, '\r', '\n', 0}, v2 = {(byte) 0x80, 0, 'x'};
        diff.run(bytes("RPUSH"), k, v1, v2, v1);
        diff.run(bytes("LRANGE"), k, bytes("0"), bytes("-1"));
        diff.run(bytes("LPOS"), k, v1, bytes("RANK"), bytes("-1"));
        diff.run(bytes("LREM"), k, bytes("0"), v1);
        diff.run(bytes("LINSERT"), k, bytes("AFTER"), v2, v1);
        diff.run(bytes("LPOP"), k, bytes("5"));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void rangeIndexAndTrim() throws Exception {
        diff.run(push("RPUSH", "l", 0, 9, ""));
        String[] idx = {"0", "1", "5", "9", "10", "100", "-1", "-5", "-10", "-11", "-100", "9223372036854775807",
                "-9223372036854775808"};
        for (String a : idx) {
            diff.run("LINDEX", "l", a);
            for (String b : idx) diff.run("LRANGE", "l", a, b);
        }
        diff.runAll(List.of(
                c("LINDEX", "l", "x"), c("LINDEX", "l", "1.0"), c("LINDEX", "nokey", "x"), c("LRANGE", "l", "x", "1"),
                c("LRANGE", "l", "0", "x"), c("LRANGE", "nokey", "0", "-1"), c("LRANGE", "nokey", "x", "-1"),
                c("LINDEX", "l", "9223372036854775808"), c("LTRIM", "l", "1", "-2"), c("LRANGE", "l", "0", "-1"),
                c("LTRIM", "l", "-3", "100"), c("LRANGE", "l", "0", "-1"), c("LTRIM", "l", "0", "0"), c("LRANGE", "l", "0", "-1"),
                c("LTRIM", "l", "5", "1"), c("EXISTS", "l"), c("LTRIM", "nokey", "0", "1"), c("LTRIM", "nokey", "x", "1"),
                c("RPUSH", "l", "a", "b", "c"), c("LTRIM", "l", "0", "x"), c("LTRIM", "l", "-100", "-2"),
                c("LRANGE", "l", "0", "-1"), c("LTRIM", "l", "-1", "-2"), c("EXISTS", "l")));
        for (int i = 0; i < 30; i++) {
            diff.run(push("RPUSH", "t", 0, 20, "e"));
            diff.run("LTRIM", "t", String.valueOf(i - 15), String.valueOf(25 - i));
            diff.run("LRANGE", "t", "0", "-1");
            diff.run("DEL", "t");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void setInsertAndRemove() throws Exception {
        diff.runAll(List.of(
                c("LSET", "nokey", "0", "x"), c("LSET", "nokey", "x", "x"), c("RPUSH", "l", "a", "b", "c", "b", "a"),
                c("LSET", "l", "0", "A"), c("LSET", "l", "-1", "Z"), c("LSET", "l", "5", "x"), c("LSET", "l", "-6", "x"),
                c("LSET", "l", "x", "y"), c("LSET", "l", "2", "12345"), c("LRANGE", "l", "0", "-1"),
                c("LINSERT", "l", "BEFORE", "b", "x"), c("LINSERT", "l", "after", "b", "y"), c("LINSERT", "l", "AFTER", "Z", "end"),
                c("LINSERT", "l", "before", "A", "start"), c("LINSERT", "l", "BEFORE", "zz", "w"), c("LINSERT", "l", "AFTR", "b", "w"),
                c("LINSERT", "nokey", "BEFORE", "a", "b"), c("LINSERT", "nokey", "BAD", "a", "b"), c("LRANGE", "l", "0", "-1"),
                c("LREM", "l", "0", "b"), c("LREM", "l", "1", "nothere"), c("RPUSH", "l", "q", "q", "q", "r", "q"),
                c("LREM", "l", "-2", "q"), c("LRANGE", "l", "0", "-1"), c("LREM", "l", "1", "q"), c("LRANGE", "l", "0", "-1"),
                c("LREM", "l", "x", "q"), c("LREM", "l", "1.5", "q"), c("LREM", "nokey", "1", "q"), c("LREM", "nokey", "x", "q"),
                c("LREM", "l", "9223372036854775807", "q"), c("LRANGE", "l", "0", "-1"), c("LREM", "l", "-9223372036854775807", "r"),
                c("DEL", "l"), c("RPUSH", "l", "a", "a"), c("LREM", "l", "0", "a"), c("EXISTS", "l")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void lposOptions() throws Exception {
        diff.run("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c", "-1", "c");
        String[][] opts = {{}, {"RANK", "1"}, {"RANK", "2"}, {"RANK", "4"}, {"RANK", "-1"}, {"RANK", "-3"}, {"RANK", "0"},
                {"RANK", "-9223372036854775807"}, {"RANK", "x"}, {"COUNT", "0"}, {"COUNT", "1"}, {"COUNT", "2"},
                {"COUNT", "100"}, {"COUNT", "-1"}, {"COUNT", "x"}, {"MAXLEN", "0"}, {"MAXLEN", "3"}, {"MAXLEN", "7"},
                {"MAXLEN", "-1"}, {"MAXLEN", "x"}, {"COUNT", "0", "RANK", "2"}, {"COUNT", "2", "RANK", "-1"},
                {"COUNT", "0", "MAXLEN", "3", "RANK", "-1"}, {"COUNT", "0", "MAXLEN", "8", "RANK", "2"}, {"RANK"}, {"COUNT"},
                {"BOGUS", "1"}, {"rank", "1", "count", "0", "maxlen", "0"}, {"RANK", "1", "RANK", "-1"}, {"MAXLEN", "1"}};
        for (String needle : List.of("c", "a", "1", "-1", "x", "01")) {
            for (String[] o : opts) {
                List<String> cmd = new ArrayList<>(List.of("LPOS", "l", needle));
                cmd.addAll(List.of(o));
                diff.run(cmd.toArray(String[]::new));
                cmd.set(1, "nokey");
                diff.run(cmd.toArray(String[]::new));
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void moveAndMultiPop() throws Exception {
        diff.runAll(List.of(
                c("RPUSH", "{t}src", "a", "b", "c", "1", "2"), c("RPOPLPUSH", "{t}src", "{t}dst"), c("LMOVE", "{t}src", "{t}dst", "LEFT", "RIGHT"),
                c("LMOVE", "{t}src", "{t}dst", "right", "left"), c("LMOVE", "{t}src", "{t}dst", "LEFT", "LEFT"),
                c("LMOVE", "{t}src", "{t}dst", "RIGHT", "RIGHT"), c("LRANGE", "{t}dst", "0", "-1"), c("EXISTS", "{t}src"),
                c("RPOPLPUSH", "{t}src", "{t}dst"), c("LMOVE", "{t}dst", "{t}dst", "LEFT", "RIGHT"), c("RPOPLPUSH", "{t}dst", "{t}dst"),
                c("LRANGE", "{t}dst", "0", "-1"), c("LMOVE", "{t}dst", "{t}dst", "RIGHT", "RIGHT"),
                c("LMOVE", "{t}dst", "{t}dst", "LEFT", "LEFT"), c("LRANGE", "{t}dst", "0", "-1"), c("LMOVE", "{t}dst", "{t}x", "UP", "LEFT"),
                c("LMOVE", "{t}dst", "{t}x", "LEFT", "DOWN"), c("LMOVE", "nokey", "{t}x", "BAD", "LEFT"),
                c("SET", "{t}str", "v"), c("RPOPLPUSH", "{t}dst", "{t}str"), c("LRANGE", "{t}dst", "0", "-1"),
                c("RPOPLPUSH", "{t}str", "{t}dst"), c("RPOPLPUSH", "{t}none", "{t}str"), c("LMOVE", "{t}dst", "{t}str", "LEFT", "LEFT"),
                c("RPUSH", "{t}one", "x"), c("RPOPLPUSH", "{t}one", "{t}one"), c("LMOVE", "{t}one", "{t}new", "LEFT", "LEFT"),
                c("EXISTS", "{t}one"), c("LRANGE", "{t}new", "0", "-1"),
                c("LMPOP", "2", "{t}a", "{t}dst", "LEFT"), c("LMPOP", "2", "{t}a", "{t}dst", "RIGHT", "COUNT", "2"),
                c("LMPOP", "1", "{t}dst", "left", "count", "100"), c("LMPOP", "3", "{t}a", "{t}b", "{t}c", "LEFT"),
                c("RPUSH", "{t}b", "1", "2", "3"), c("LMPOP", "3", "{t}a", "{t}b", "{t}b", "RIGHT", "COUNT", "2"),
                c("LMPOP", "2", "{t}str", "{t}b", "LEFT"), c("LMPOP", "2", "{t}b", "{t}str", "LEFT"), c("LMPOP", "1", "{t}b", "LEFT"),
                c("LMPOP", "0", "{t}b", "LEFT"), c("LMPOP", "-1", "{t}b", "LEFT"), c("LMPOP", "a", "{t}b", "LEFT"),
                c("LMPOP", "2", "{t}b", "LEFT"), c("LMPOP", "1", "{t}b", "MIDDLE"), c("LMPOP", "1", "{t}b", "LEFT", "COUNT"),
                c("LMPOP", "1", "{t}b", "LEFT", "COUNT", "0"), c("LMPOP", "1", "{t}b", "LEFT", "COUNT", "-1"),
                c("LMPOP", "1", "{t}b", "LEFT", "COUNT", "x"), c("LMPOP", "1", "{t}b", "LEFT", "COUNT", "1", "COUNT", "2"),
                c("LMPOP", "1", "{t}b", "LEFT", "extra"), c("LMPOP", "1", "{t}b", "RIGHT", "LEFT"), c("LMPOP", "1", "{t}b", "COUNT"),
                c("LMPOP", "9223372036854775807", "{t}b", "LEFT"), c("LMPOP", "2", "{t}b", "{t}b", "bad_arg"),
                c("LMPOP", "1", "{t}b", "LEFT", "COUNT", "9223372036854775807"), c("EXISTS", "{t}b")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void arityAndWrongType() throws Exception {
        diff.runAll(List.of(
                c("LPUSH", "l"), c("RPUSH"), c("LPUSHX", "l"), c("RPUSHX", "l"), c("LPOP"), c("RPOP"), c("LLEN"),
                c("LLEN", "l", "x"), c("LRANGE", "l", "0"), c("LINDEX", "l"), c("LSET", "l", "0"), c("LINSERT", "l", "BEFORE", "a"),
                c("LREM", "l", "0"), c("LTRIM", "l", "0"), c("LPOS", "l"), c("LMOVE", "a", "b", "LEFT"), c("RPOPLPUSH", "a"),
                c("LMPOP", "1", "l"), c("LMPOP"),
                c("SET", "s", "x"), c("LPUSH", "s", "a"), c("RPUSH", "s", "a"), c("LPUSHX", "s", "a"), c("RPUSHX", "s", "a"),
                c("LPOP", "s"), c("RPOP", "s", "2"), c("LPOP", "s", "x"), c("LLEN", "s"), c("LRANGE", "s", "0", "-1"),
                c("LRANGE", "s", "x", "-1"), c("LINDEX", "s", "0"), c("LINDEX", "s", "x"), c("LSET", "s", "0", "v"),
                c("LSET", "s", "x", "v"), c("LINSERT", "s", "BEFORE", "a", "b"), c("LINSERT", "s", "X", "a", "b"),
                c("LREM", "s", "0", "a"), c("LREM", "s", "x", "a"), c("LTRIM", "s", "0", "1"), c("LPOS", "s", "a"),
                c("LPOS", "s", "a", "RANK", "0"), c("LMOVE", "s", "d", "LEFT", "LEFT"), c("RPOPLPUSH", "s", "s"),
                c("LMPOP", "1", "s", "LEFT"), c("HSET", "h", "f", "v"), c("LLEN", "h"),
                c("RPUSH", "l", "a"), c("GET", "l"), c("HGET", "l", "f"), c("INCR", "l"), c("APPEND", "l", "x"), c("STRLEN", "l"),
                c("HSET", "l", "f", "v"), c("SETRANGE", "l", "0", "x"), c("GETDEL", "l"), c("TYPE", "l"), c("LLEN", "l")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Long lists under several node limits: replies must not depend on where nodes split. */
    @Test
    void longListsUnderSeveralLimits() throws Exception {
        Random rnd = new Random(11);
        for (String fill : List.of("-1", "-2", "-5", "1", "4", "128")) {
            diff.run("CONFIG", "SET", "list-max-listpack-size", fill);
            diff.run("DEL", "l");
            for (int i = 0; i < 60; i++) {
                String v = rnd.nextInt(4) == 0 ? "v".repeat(rnd.nextInt(3000)) : String.valueOf(rnd.nextInt(1000));
                diff.run(rnd.nextBoolean() ? "LPUSH" : "RPUSH", "l", v, "e" + i);
            }
            diff.run("LLEN", "l");
            for (int i = 0; i < 40; i++) {
                int a = rnd.nextInt(150) - 75, b = rnd.nextInt(150) - 75;
                diff.run("LRANGE", "l", String.valueOf(a), String.valueOf(b));
                diff.run("LINDEX", "l", String.valueOf(a));
                diff.run("LSET", "l", String.valueOf(b), rnd.nextBoolean() ? "s" + i : "S".repeat(rnd.nextInt(9000)));
                diff.run("LINSERT", "l", rnd.nextBoolean() ? "BEFORE" : "AFTER", "e" + rnd.nextInt(60), "i" + i);
                diff.run("LPOS", "l", "e" + rnd.nextInt(60), "RANK", String.valueOf(rnd.nextBoolean() ? 1 : -1));
            }
            diff.run("LREM", "l", "0", "s3");
            diff.run("LTRIM", "l", "5", "-5");
            diff.run("LPOP", "l", "7");
            diff.run("RPOP", "l", "7");
            diff.run("LRANGE", "l", "0", "-1");
            diff.run("DEBUG", "DIGEST-VALUE", "l");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void keyspaceCommandsAndDigests() throws Exception {
        diff.run("RPUSH", "small", "a", "1", "b");
        diff.run(push("RPUSH", "big", 1, 3000, "element-"));
        for (String k : List.of("small", "big")) {
            diff.runAll(List.of(
                    c("TYPE", k), c("EXISTS", k), c("DEBUG", "DIGEST-VALUE", k), c("COPY", k, k + "-copy"),
                    c("RPUSH", k + "-copy", "changed"), c("LLEN", k), c("LLEN", k + "-copy"), c("LINDEX", k + "-copy", "-1"),
                    c("LINDEX", k, "-1"), c("COPY", k, k + "-copy"), c("COPY", k, k + "-copy", "REPLACE"),
                    c("DEBUG", "DIGEST-VALUE", k, k + "-copy"), c("COPY", k, k + "-db1", "DB", "1"), c("EXPIRE", k, "1000"),
                    c("RENAME", k, k + "-renamed"), c("TTL", k + "-renamed"), c("RPUSH", k + "-renamed", "x"),
                    c("LPOP", k + "-renamed"), c("TTL", k + "-renamed"), c("LRANGE", k + "-renamed", "0", "3"),
                    c("MOVE", k + "-renamed", "2"), c("SELECT", "2"), c("LLEN", k + "-renamed"), c("TTL", k + "-renamed"),
                    c("LRANGE", k + "-renamed", "-3", "-1"), c("SELECT", "1"), c("LRANGE", k + "-db1", "0", "2"), c("SELECT", "0")));
        }
        diff.run(HashDifferentialTest.SCAN_KEYS, "SCAN", "0", "TYPE", "list", "COUNT", "1000");
        diff.run(HashDifferentialTest.SCAN_KEYS, "SCAN", "0", "TYPE", "string", "COUNT", "1000");
        diff.runAll(List.of(
                c("DEBUG", "DIGEST"), c("RPUSH", "e", "x"), c("PEXPIRE", "e", "1"), c("DEBUG", "SLEEP", "0.01"),
                c("LLEN", "e"), c("RPUSH", "t", "a"), c("EXPIRE", "t", "100"), c("LPOP", "t"), c("EXISTS", "t"),
                c("RPUSH", "t", "a"), c("TTL", "t"), c("DEBUG", "DIGEST-VALUE", "t", "nokey"), c("DEBUG", "DIGEST"),
                c("SWAPDB", "0", "2"), c("LLEN", "big-renamed"), c("FLUSHDB"), c("DBSIZE")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Hits and misses as lookupKeyRead counts them; the change counter as server.dirty. */
    @Test
    void statisticsAndDirtyCounter() throws Exception {
        List<String[]> commands = List.of(
                c("LPUSH", "l", "a", "b", "c"), c("RPUSH", "l", "d"), c("LPUSHX", "nokey", "a"), c("RPUSHX", "l", "e", "f"),
                c("LPOP", "l"), c("RPOP", "l", "2"), c("LPOP", "l", "0"), c("LPOP", "nokey"), c("RPOP", "nokey", "3"),
                c("LLEN", "l"), c("LLEN", "nokey"), c("LRANGE", "l", "0", "-1"), c("LRANGE", "nokey", "0", "-1"),
                c("LINDEX", "l", "0"), c("LINDEX", "nokey", "0"), c("LPOS", "l", "a"), c("LPOS", "nokey", "a"),
                c("LSET", "l", "0", "x"), c("LSET", "l", "99", "x"), c("LINSERT", "l", "BEFORE", "x", "y"),
                c("LINSERT", "l", "BEFORE", "zz", "y"), c("RPUSH", "l", "y", "y", "q"), c("LREM", "l", "0", "y"),
                c("LREM", "l", "0", "zz"), c("LTRIM", "l", "0", "-1"), c("RPUSH", "l", "1", "2", "3", "4"),
                c("LTRIM", "l", "1", "-2"), c("RPUSH", "{t}a", "1", "2", "3"), c("LMOVE", "{t}a", "{t}b", "LEFT", "LEFT"),
                c("RPOPLPUSH", "{t}a", "{t}a"), c("RPOPLPUSH", "{t}none", "{t}a"), c("LMPOP", "2", "{t}none", "{t}a", "LEFT", "COUNT", "5"),
                c("LMPOP", "1", "{t}none", "LEFT"), c("SET", "s", "x"), c("LLEN", "s"), c("LRANGE", "s", "0", "1"),
                c("LPUSH", "s", "a"), c("LINDEX", "s", "0"), c("LPOS", "s", "a"), c("LTRIM", "l", "5", "1"));
        assertThat(statsDifferences(commands, true)).isEmpty();
    }

    /**
     * Redis 7.2 reads LPOS's RANK and LREM's count within [-2^63+1, 2^63-1] and refuses -2^63
     * (the 7.0 reference negated it); checked on Jackdaw alone.
     */
    @Test
    void longMinArgumentsAsRedis72() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            a.call("RPUSH", "lm", "a", "b", "c");
            String refused = "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n";
            assertThat(a.call("LPOS", "lm", "c", "RANK", "-9223372036854775808")).isEqualTo(refused);
            assertThat(a.call("LREM", "lm", "-9223372036854775808", "a")).isEqualTo(refused);
            // The least rank accepted: that many matches from the tail, of which there is one.
            assertThat(a.call("LPOS", "lm", "c", "RANK", "-9223372036854775807")).isEqualTo("$-1\r\n");
            assertThat(a.call("LPOS", "lm", "c", "RANK", "-1")).isEqualTo(":2\r\n");
            assertThat(a.call("LRANGE", "lm", "0", "-1")).isEqualTo("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
            a.call("DEL", "lm");
        }
    }

    @Test
    void seededRandomSequences() throws Exception {
        Random rnd = new Random(20261122L);
        String[] fills = {"-1", "-2", "2", "3", "5"};
        String[] keys = {"{t}1", "{t}2", "{t}3", "{t}s"};
        String[] small = {"a", "b", "c", "", "1", "-1", "01", "12345678901", "x y"};
        diff.run("SET", "{t}s", "string");
        for (int i = 0; i < 4000; i++) {
            if (i % 400 == 0) diff.run("CONFIG", "SET", "list-max-listpack-size", fills[rnd.nextInt(fills.length)]);
            String k = keys[rnd.nextInt(keys.length)], k2 = keys[rnd.nextInt(keys.length)];
            String v = rnd.nextInt(8) == 0 ? "v".repeat(rnd.nextInt(2500)) : small[rnd.nextInt(small.length)];
            String p = small[rnd.nextInt(small.length)];
            String side = rnd.nextBoolean() ? "LEFT" : "RIGHT", side2 = rnd.nextBoolean() ? "LEFT" : "RIGHT";
            switch (rnd.nextInt(18)) {
                case 0, 1, 2 -> {
                    List<String> cmd = new ArrayList<>(List.of(rnd.nextBoolean() ? "LPUSH" : "RPUSH", k));
                    for (int j = rnd.nextInt(4); j >= 0; j--) cmd.add(j == 0 ? v : small[rnd.nextInt(small.length)]);
                    diff.run(cmd.toArray(String[]::new));
                }
                case 3 -> diff.run(rnd.nextBoolean() ? "LPUSHX" : "RPUSHX", k, v);
                case 4 -> diff.run(rnd.nextBoolean() ? "LPOP" : "RPOP", k);
                case 5 -> diff.run(rnd.nextBoolean() ? "LPOP" : "RPOP", k, String.valueOf(rnd.nextInt(5)));
                case 6 -> diff.run("LRANGE", k, String.valueOf(rnd.nextInt(20) - 10), String.valueOf(rnd.nextInt(20) - 5));
                case 7 -> diff.run("LINDEX", k, String.valueOf(rnd.nextInt(20) - 10));
                case 8 -> diff.run("LSET", k, String.valueOf(rnd.nextInt(12) - 6), v);
                case 9 -> diff.run("LINSERT", k, rnd.nextBoolean() ? "BEFORE" : "AFTER", p, v);
                case 10 -> diff.run("LREM", k, String.valueOf(rnd.nextInt(5) - 2), p);
                case 11 -> diff.run("LTRIM", k, String.valueOf(rnd.nextInt(10) - 5), String.valueOf(rnd.nextInt(20) - 5));
                case 12 -> diff.run("LPOS", k, p, "RANK", String.valueOf(rnd.nextBoolean() ? 1 : -2), "COUNT",
                        String.valueOf(rnd.nextInt(3)), "MAXLEN", String.valueOf(rnd.nextInt(8)));
                case 13 -> diff.run("LMOVE", k, k2, side, side2);
                case 14 -> diff.run("RPOPLPUSH", k, k2);
                case 15 -> diff.run("LMPOP", "2", k, k2, side, "COUNT", String.valueOf(1 + rnd.nextInt(4)));
                case 16 -> diff.run("LLEN", k);
                default -> diff.run("DEBUG", "DIGEST-VALUE", k);
            }
            if (i % 500 == 499) {
                for (String key : keys) diff.run("LRANGE", key, "0", "-1");
                diff.run("SET", "{t}s", "string");
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * A small list's listpack must be Redis's byte for byte: our record against the one node of
     * the reference's (uncompressed) DUMP, after every edit of a sequence.
     */
    @Test
    void smallListListpackBytesEqualRedisDump() throws Exception {
        Random rnd = new Random(5L);
        String[] values = {"", "0", "127", "-4096", "32767", "8388607", "-2147483648", "9223372036854775807", "y".repeat(63),
                "z".repeat(64), "abc", "1.5", "w".repeat(300)};
        int compared = 0;
        try (RespConnection b = new RespConnection(ref.port())) {
            b.call("CONFIG", "SET", "rdbcompression", "no");
            for (int i = 0; i < 400; i++) {
                String v = values[rnd.nextInt(values.length)];
                switch (rnd.nextInt(7)) {
                    case 0, 1 -> diff.run(rnd.nextBoolean() ? "LPUSH" : "RPUSH", "lp", v);
                    case 2 -> diff.run(rnd.nextBoolean() ? "LPOP" : "RPOP", "lp");
                    case 3 -> diff.run("LSET", "lp", String.valueOf(rnd.nextInt(4)), v);
                    case 4 -> diff.run("LINSERT", "lp", "AFTER", values[rnd.nextInt(values.length)], v);
                    case 5 -> diff.run("LREM", "lp", "1", v);
                    default -> diff.run("LTRIM", "lp", "0", String.valueOf(rnd.nextInt(20)));
                }
                byte[] theirs = onlyNode(b, "lp");
                byte[] mine = ourValueBytes("lp", io.jackdaw.store.ValueType.LIST_LISTPACK);
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

    /** The listpack of a one-node list in a Redis 7.0 DUMP (RDB type 18, quicklist v2), or null when absent. */
    private static byte[] onlyNode(RespConnection c, String key) throws Exception {
        byte[] p = io.jackdaw.testing.RdbDump.payload(c, key, 18);
        if (p == null) return null;
        int[] at = {1};
        assertThat(io.jackdaw.testing.RdbDump.length(p, at)).as("nodes").isEqualTo(1);
        assertThat(io.jackdaw.testing.RdbDump.length(p, at)).as("packed container").isEqualTo(2);
        return io.jackdaw.testing.RdbDump.string(p, at);
    }



    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
