package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream family replayed on Jackdaw and the reference redis-server 7.0, replies compared
 * byte for byte. XADD's {@code *} takes the clock, so IDs here are explicit or {@code ms-*}.
 *
 * <p>Documented 7.0-vs-7.2 difference: {@code XADD key ms-*} when the last ID's seq is
 * 18446744073709551615 and ms is the same: 7.0 replies "Elements are too large to be stored",
 * 7.2 (and Jackdaw) "The ID specified in XADD is equal or smaller than the target stream top
 * item"; and XREAD's "Unbalanced" error names the command as {@code 'xread'} in 7.2,
 * {@code XREAD} in 7.0; XSETID below the stream's largest deleted ID is refused by 7.2 only.
 * These are pinned in {@link #exhaustedSequenceIs72}, not replayed.
 */
class StreamDifferentialTest extends DifferentialTestBase {

    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    @AfterEach
    void restoreConfig() throws Exception {
        if (diff == null) return;
        diff.run("CONFIG", "SET", "stream-node-max-entries", "100");
        diff.run("CONFIG", "SET", "stream-node-max-bytes", "4096");
    }

    @Test
    void addLengthAndRanges() throws Exception {
        diff.runAll(List.of(
                c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-*", "b", "2"),
                c("XADD", "s", "0-0", "a", "1"), c("XADD", "s", "0-*", "a", "1"), c("XADD", "s", "2", "c", "3", "d", "4"),
                c("XADD", "s", "5-*", "c", "3", "d", "4"), c("XADD", "s", "3-*", "x", "y"),
                c("XADD", "s", "NOMKSTREAM", "7", "x", "y"), c("XADD", "n", "NOMKSTREAM", "7", "x", "y"), c("EXISTS", "n"),
                c("XADD", "s", "8-0", "", ""), c("XLEN", "s"), c("XLEN", "nokey"),
                c("XRANGE", "s", "-", "+"), c("XREVRANGE", "s", "+", "-"), c("XRANGE", "s", "(1-1", "+"),
                c("XRANGE", "s", "-", "(5", "COUNT", "1"), c("XRANGE", "s", "-", "+", "COUNT", "0"),
                c("XRANGE", "s", "-", "+", "COUNT", "-1"), c("XRANGE", "s", "-", "+", "COUNT", "2", "COUNT", "3"),
                c("XREVRANGE", "s", "(8", "(1-1"), c("XREVRANGE", "s", "5", "2", "COUNT", "1"), c("XRANGE", "s", "2", "2"),
                c("XRANGE", "s", "5", "1"), c("XRANGE", "nokey", "-", "+"), c("XRANGE", "nokey", "-", "+", "COUNT", "0"),
                c("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"), c("XRANGE", "s", "-", "(0-0"),
                c("XREVRANGE", "s", "(0", "-"), c("XRANGE", "s", "(-", "+"), c("XRANGE", "s", "-", "(+"), c("XRANGE", "s", "(", "+"),
                c("XRANGE", "s", "-", "+", "foo"), c("XRANGE", "s", "-", "+", "COUNT"), c("XRANGE", "s", "-", "+", "COUNT", "x"),
                c("XRANGE", "s", "abc", "+"), c("XRANGE", "s", "1-x", "+"), c("XRANGE", "s", "-", "1-"),
                c("TYPE", "s"), c("OBJECT", "ENCODING", "s"), c("XADD", "s", "18446744073709551615-18446744073709551615", "z", "z"),
                c("XADD", "s", "18446744073709551615-*", "z", "z"), c("XADD", "s", "9-0", "z", "z"), c("XLEN", "s")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void idSyntax() throws Exception {
        String[] ids = {"18446744073709551616", "-1", "+", "-", "99999999999999999999-1", "1-18446744073709551616", "1-",
                "-1-1", "1--1", " 1", "+1", "01-02", "1-2-3", "1.5", "x-1", "1-*-", "*-1", "**", "", "1-" + "9".repeat(200),
                "18446744073709551615", "9223372036854775808-9223372036854775808"};
        for (String id : ids) {
            diff.run("XADD", "s", id, "f", "v");
            diff.run("XRANGE", "s", id, "+");
            diff.run("XRANGE", "s", "(" + id, "+");
            diff.run("XDEL", "s", id);
        }
        diff.run("XRANGE", "s", "-", "+");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void deleteAndTrim() throws Exception {
        List<String[]> cmds = new ArrayList<>();
        for (int i = 1; i <= 30; i++) cmds.add(c("XADD", "s", i + "-1", "f", "v" + i));
        cmds.addAll(List.of(
                c("XDEL", "s", "3-1", "3-1", "4-1", "99-1", "0-1"), c("XDEL", "s", "abc"), c("XDEL", "s", "5-1", "x"),
                c("XLEN", "s"), c("XDEL", "nokey", "1-1"), c("XDEL", "nokey", "bad"), c("XRANGE", "s", "-", "5"),
                c("XTRIM", "s", "MAXLEN", "25"), c("XRANGE", "s", "-", "(10"), c("XTRIM", "s", "MAXLEN", "=", "20"),
                c("XTRIM", "s", "MINID", "15"), c("XTRIM", "s", "MINID", "=", "15-2"), c("XRANGE", "s", "-", "(18"),
                c("XLEN", "s"), c("XTRIM", "s", "MAXLEN", "~", "2"), c("XLEN", "s"), c("XTRIM", "s", "MAXLEN", "~", "2", "LIMIT", "1"),
                c("XTRIM", "s"), c("XTRIM", "s", "LIMIT", "5"), c("XTRIM", "s", "LIMIT", "5", "MAXLEN", "2"),
                c("XTRIM", "s", "MAXLEN", "-1"), c("XTRIM", "s", "MAXLEN", "x"), c("XTRIM", "s", "MAXLEN", "1", "MINID", "1"),
                c("XTRIM", "s", "MINID", "1", "MAXLEN", "1"), c("XTRIM", "s", "MINID", "-"), c("XTRIM", "s", "MINID", "+"),
                c("XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "-1"), c("XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "x"),
                c("XTRIM", "s", "MAXLEN", "1", "foo"), c("XTRIM", "s", "MAXLEN"), c("XTRIM", "nokey", "MAXLEN", "1"),
                c("XTRIM", "nokey", "MAXLEN", "-1"), c("XTRIM", "s", "MAXLEN", "0"), c("XLEN", "s"), c("EXISTS", "s"),
                c("XRANGE", "s", "-", "+"), c("XADD", "s", "1-1", "a", "b"), c("XADD", "s", "31-0", "a", "b"),
                c("XDEL", "s", "31-0"), c("XLEN", "s"), c("EXISTS", "s"), c("TYPE", "s")));
        diff.runAll(cmds);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void addWithTrimming() throws Exception {
        List<String[]> cmds = new ArrayList<>();
        cmds.add(c("CONFIG", "SET", "stream-node-max-bytes", "0"));
        cmds.add(c("CONFIG", "SET", "stream-node-max-entries", "10"));
        for (int i = 1; i <= 60; i++) cmds.add(c("XADD", "s", "MAXLEN", "~", "25", i + "-0", "f", "v"));
        cmds.addAll(List.of(c("XLEN", "s"), c("XRANGE", "s", "-", "+", "COUNT", "3")));
        for (int i = 1; i <= 60; i++) cmds.add(c("XADD", "m", "MINID", "~", String.valueOf(i - 15), i + "-0", "f", "v"));
        cmds.addAll(List.of(c("XLEN", "m"), c("XRANGE", "m", "-", "+", "COUNT", "3")));
        for (int i = 1; i <= 40; i++) cmds.add(c("XADD", "l", "MAXLEN", "~", "5", "LIMIT", "10", i + "-0", "f", "v"));
        cmds.addAll(List.of(c("XLEN", "l"), c("XRANGE", "l", "-", "+", "COUNT", "1")));
        for (int i = 1; i <= 20; i++) cmds.add(c("XADD", "e", "MAXLEN", "=", "3", i + "-0", "f", "v"));
        cmds.addAll(List.of(c("XLEN", "e"), c("XRANGE", "e", "-", "+"),
                c("XADD", "e", "MINID", "19", "21-0", "f", "v"), c("XRANGE", "e", "-", "+"),
                c("XADD", "e", "MAXLEN", "0", "22-0", "f", "v"), c("XLEN", "e"), c("EXISTS", "e"),
                c("XADD", "x", "MAXLEN", "0", "1-0", "f", "v"), c("XLEN", "x"), c("EXISTS", "x"),
                c("XADD", "x", "MAXLEN", "1", "LIMIT", "1", "2-0", "f", "v"), c("XADD", "x", "LIMIT", "1", "2-0", "f", "v"),
                c("XADD", "x", "MAXLEN", "-1", "2-0", "f", "v"), c("XADD", "x", "MAXLEN", "1", "MINID", "1", "2-0", "f", "v"),
                c("XADD", "x", "MAXLEN"), c("XADD", "x", "MAXLEN", "1"), c("XADD", "x", "*", "f"), c("XADD", "x", "*"),
                c("XADD", "x", "2-0", "f", "v", "g"), c("XADD", "x", "NOMKSTREAM"), c("XADD", "x", "FOO", "f", "v"),
                c("XADD", "x", "MAXLEN", "~", "x", "*", "f", "v"), c("XADD", "x", "MINID", "bad", "*", "f", "v"),
                c("XADD", "x", "MINID", "~", "bad", "*", "f", "v"), c("XLEN", "x")));
        diff.runAll(cmds);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void wrongTypeAndArity() throws Exception {
        diff.runAll(List.of(
                c("SET", "str", "x"), c("XADD", "str", "1-0", "a", "b"), c("XADD", "str", "*", "a", "b"), c("XLEN", "str"),
                c("XRANGE", "str", "-", "+"), c("XREVRANGE", "str", "+", "-"), c("XDEL", "str", "1-0"), c("XDEL", "str", "bad"),
                c("XTRIM", "str", "MAXLEN", "1"), c("XTRIM", "str", "MAXLEN", "-1"), c("XRANGE", "str", "bad", "+"),
                c("XADD", "str", "bad", "a", "b"), c("XADD", "s"), c("XADD", "s", "1-0"), c("XADD", "s", "1-0", "a"),
                c("XLEN"), c("XLEN", "a", "b"), c("XRANGE", "s", "-"), c("XREVRANGE", "s"), c("XDEL", "s"), c("XTRIM", "s"),
                c("XADD", "s", "1-0", "a", "b"), c("GET", "s"), c("LPUSH", "s", "x"), c("TYPE", "s")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void binaryFieldsAndValues() throws Exception {
        byte[] f = {0, (byte) 0xFF, '\r', '\n'}, v = new byte[300];
        for (int i = 0; i < v.length; i++) v[i] = (byte) i;
        diff.run(b("XADD"), b("bin"), b("1-0"), f, v, v, f);
        diff.run(b("XADD"), b("bin"), b("2-0"), b(""), new byte[70000]);
        diff.run(b("XRANGE"), b("bin"), b("-"), b("+"));
        diff.run(b("XREVRANGE"), b("bin"), b("+"), b("-"), b("COUNT"), b("1"));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void resp3Replies() throws Exception {
        diff.run("HELLO", "3");
        diff.runAll(List.of(c("XADD", "s", "1-0", "a", "1"), c("XADD", "s", "2-0", "b", "2"), c("XRANGE", "s", "-", "+"),
                c("XRANGE", "s", "-", "+", "COUNT", "0"), c("XRANGE", "none", "-", "+"), c("XADD", "no", "NOMKSTREAM", "*", "a", "b"),
                c("XREVRANGE", "s", "+", "-", "COUNT", "1"), c("XDEL", "s", "1-0"), c("XTRIM", "s", "MAXLEN", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void dirtyCounterAndStats() throws Exception {
        List<String[]> cmds = List.of(c("XADD", "s", "1-0", "a", "1"), c("XADD", "s", "2-0", "b", "2", "c", "3"),
                c("XADD", "s", "MAXLEN", "1", "3-0", "a", "1"), c("XADD", "s", "1-0", "a", "1"), c("XLEN", "s"), c("XLEN", "none"),
                c("XRANGE", "s", "-", "+"), c("XRANGE", "none", "-", "+"), c("XDEL", "s", "3-0", "9-0"), c("XDEL", "s", "3-0"),
                c("XADD", "s", "4-0", "a", "1"), c("XADD", "s", "5-0", "a", "1"), c("XTRIM", "s", "MAXLEN", "0"),
                c("XTRIM", "s", "MAXLEN", "0"), c("XADD", "s", "NOMKSTREAM", "6-0", "a", "1"), c("XADD", "t", "NOMKSTREAM", "6-0", "a", "1"));
        assertThat(statsDifferences(cmds, true)).isEmpty();
    }

    @Test
    void readWithoutBlocking() throws Exception {
        diff.runAll(List.of(
                c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "t", "5-0", "c", "3"),
                c("XREAD", "STREAMS", "s", "0"), c("XREAD", "COUNT", "1", "STREAMS", "s", "t", "0", "0"),
                c("XREAD", "STREAMS", "s", "t", "1-1", "0"), c("XREAD", "STREAMS", "s", "t", "2-1", "5"),
                c("XREAD", "STREAMS", "s", "$"), c("XREAD", "STREAMS", "nokey", "0"), c("XREAD", "STREAMS", "nokey", "$"),
                c("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"), c("XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
                c("XREAD", "BLOCK", "0", "STREAMS", "s", "0"), c("XREAD", "BLOCK", "10", "COUNT", "1", "STREAMS", "s", "1"),
                c("XREAD", "COUNT", "x", "STREAMS", "s", "0"), c("XREAD", "COUNT", "-5", "STREAMS", "s", "0"),
                c("XREAD", "COUNT", "0", "STREAMS", "s", "0"), c("XREAD", "foo", "STREAMS", "s", "0"), c("XREAD", "STREAMS"),
                c("XREAD", "COUNT", "1"), c("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"), c("XREAD", "NOACK", "STREAMS", "s", "0"),
                c("XREAD", "STREAMS", "s", ">"), c("XREAD", "STREAMS", "s", "bad"), c("XREAD", "STREAMS", "s", "-"),
                c("XREAD", "STREAMS", "s", "18446744073709551615-18446744073709551615"), c("XREAD", "STREAMS", "s", "s", "0", "1-1"),
                c("SET", "str", "x"), c("XREAD", "STREAMS", "str", "0"), c("XREAD", "STREAMS", "s", "str", "0", "0"),
                c("XREAD", "STREAMS", "str", "bad"), c("XREAD", "STREAMS", "nokey", "bad"),
                c("MULTI"), c("XREAD", "BLOCK", "0", "STREAMS", "s", "5"), c("XREAD", "BLOCK", "0", "STREAMS", "s", "0"), c("EXEC")));
        diff.run("HELLO", "3");
        diff.runAll(List.of(c("XREAD", "STREAMS", "s", "t", "0", "0"), c("XREAD", "STREAMS", "s", "9"),
                c("XREAD", "COUNT", "1", "STREAMS", "t", "s", "0", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void setIdAndKeyspaceEvents() throws Exception {
        diff.run("CONFIG", "SET", "notify-keyspace-events", "KEA");
        diff.runAll(List.of(
                c("XSETID", "nokey", "1-0"), c("XADD", "s", "5-0", "a", "1"), c("XADD", "s", "6-0", "a", "1"),
                c("XSETID", "s", "4-0"), c("XSETID", "s", "6-0"), c("XSETID", "s", "10-0"), c("XADD", "s", "9-0", "a", "1"),
                c("XADD", "s", "10-*", "a", "1"), c("XSETID", "s", "20", "ENTRIESADDED", "1"),
                c("XSETID", "s", "20", "ENTRIESADDED", "-1"), c("XSETID", "s", "20", "ENTRIESADDED", "x"),
                c("XSETID", "s", "20", "ENTRIESADDED", "100", "MAXDELETEDID", "21"), c("XSETID", "s", "20", "MAXDELETEDID", "bad"),
                c("XSETID", "s", "20", "ENTRIESADDED", "100", "MAXDELETEDID", "15"), c("XSETID", "s", "16"),
                c("XSETID", "s", "20", "FOO"), c("XSETID", "s", "20", "ENTRIESADDED"), c("XSETID", "s", "bad"),
                c("XSETID", "s", "+"), c("XDEL", "s", "10-1"), c("XADD", "s", "20-*", "b", "2"),
                c("XDEL", "s", "5-0", "6-0", "20-0"), c("XLEN", "s"), c("XSETID", "s", "25-0"),
                c("SET", "str", "x"), c("XSETID", "str", "1-0"), c("XSETID", "str", "bad"), c("XSETID", "s")));
        diff.run("CONFIG", "SET", "notify-keyspace-events", "");
        assertThat(diff.mismatches()).isEmpty();
    }

    /** A seeded random sequence of stream commands over a few keys, small nodes so that chunks split often. */
    @Test
    void randomSequence() throws Exception {
        diff.run("CONFIG", "SET", "stream-node-max-entries", "4");
        diff.run("CONFIG", "SET", "stream-node-max-bytes", "0");
        Random rnd = new Random(20261122L);
        long[] next = {1, 1, 1};
        for (int step = 0; step < 1500; step++) {
            String key = "k" + rnd.nextInt(3);
            int k = key.charAt(1) - '0';
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> {
                    String id = rnd.nextBoolean() ? next[k] + "-" + rnd.nextInt(3) : next[k] + "-*";
                    if (rnd.nextInt(4) > 0) next[k] += rnd.nextInt(3);
                    List<String> cmd = new ArrayList<>(List.of("XADD", key));
                    if (rnd.nextInt(6) == 0) cmd.add("NOMKSTREAM");
                    if (rnd.nextInt(8) == 0) cmd.addAll(List.of("MAXLEN", rnd.nextBoolean() ? "~" : "=", String.valueOf(rnd.nextInt(12))));
                    cmd.add(id);
                    for (int f = rnd.nextInt(3); f >= 0; f--) cmd.addAll(List.of("f" + rnd.nextInt(4), "v" + rnd.nextInt(100)));
                    diff.run(cmd.toArray(String[]::new));
                }
                case 3 -> diff.run("XDEL", key, randomId(rnd, next[k]), randomId(rnd, next[k]));
                case 4 -> {
                    if (rnd.nextBoolean()) diff.run("XTRIM", key, "MAXLEN", rnd.nextBoolean() ? "~" : "=", String.valueOf(rnd.nextInt(15)));
                    else diff.run("XTRIM", key, "MINID", rnd.nextBoolean() ? "~" : "=", randomId(rnd, next[k]));
                }
                case 5 -> diff.run("XLEN", key);
                case 6, 7 -> diff.run("XRANGE", key, bound(rnd, next[k], "-"), bound(rnd, next[k], "+"), "COUNT",
                        String.valueOf(rnd.nextInt(8) - 1));
                case 8 -> diff.run("XREVRANGE", key, bound(rnd, next[k], "+"), bound(rnd, next[k], "-"));
                default -> diff.run("XRANGE", key, "-", "+");
            }
        }
        for (int k = 0; k < 3; k++) diff.run("XRANGE", "k" + k, "-", "+");
        assertThat(diff.mismatches()).isEmpty();
    }

    private static String randomId(Random rnd, long top) {
        long ms = rnd.nextLong(top + 2);
        return rnd.nextBoolean() ? String.valueOf(ms) : ms + "-" + rnd.nextInt(3);
    }

    private static String bound(Random rnd, long top, String open) {
        return switch (rnd.nextInt(4)) {
            case 0 -> open;
            case 1 -> "(" + randomId(rnd, top);
            default -> randomId(rnd, top);
        };
    }

    /** 7.2's reply where 7.0 says "Elements are too large to be stored" (see the class note). */
    @Test
    void exhaustedSequenceIs72() throws Exception {
        try (io.jackdaw.testing.RespConnection a = new io.jackdaw.testing.RespConnection(ours.port())) {
            a.call("FLUSHALL");
            assertThat(a.call("XADD", "s", "5-18446744073709551615", "x", "y")).isEqualTo("$22\r\n5-18446744073709551615\r\n");
            assertThat(a.call("XADD", "s", "5-*", "x", "y"))
                    .isEqualTo("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
            assertThat(a.call("XADD", "s", "6-*", "x", "y")).isEqualTo("$3\r\n6-0\r\n");
            // 7.2 refuses a last ID below the stream's largest deleted ID; 7.0 accepted it.
            assertThat(a.call("XDEL", "s", "6-0")).isEqualTo(":1\r\n");
            assertThat(a.call("XSETID", "s", "6-0", "MAXDELETEDID", "6-0")).isEqualTo("+OK\r\n");
            assertThat(a.call("XSETID", "s", "5-0"))
                    .isEqualTo("-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n");
            // 7.2 names the command as typed in lower case and quoted; 7.0 wrote "XREAD".
            assertThat(a.call("XREAD", "STREAMS", "s", "t", "0"))
                    .isEqualTo("-ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\r\n");
        }
    }

    private static byte[] b(String s) { return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); }
}
