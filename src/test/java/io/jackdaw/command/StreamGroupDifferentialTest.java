package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumer groups replayed on Jackdaw and the reference redis-server 7.0, replies compared byte
 * for byte. IDs are explicit and minimum idle times 0 so the replies do not depend on the
 * clock; the one clock-dependent number replied, XPENDING's idle time, is masked in every reply.
 *
 * <p>Not replayed, because Redis 7.2 changed them and Jackdaw follows 7.2: XINFO CONSUMERS
 * (7.2 adds {@code inactive}), XINFO STREAM FULL (7.2 adds {@code active-time}); they are
 * checked in {@link StreamGroupClientTest}. XINFO STREAM's radix-tree counts describe Redis's
 * own tree and are masked.
 */
class StreamGroupDifferentialTest extends DifferentialTestBase {

    /** XPENDING's extended form: the idle ms before each delivery count. */
    private static final Pattern IDLE_THEN_COUNT = Pattern.compile(":\\d+\r\n(:\\d+\r\n)");
    private static final UnaryOperator<String> MASK_IDLE = s -> IDLE_THEN_COUNT.matcher(s).replaceAll(":IDLE\r\n$1");
    /** XINFO GROUPS' consumer count: Redis 7.0 makes a consumer when it first gets an entry, 7.2 on its first read or claim. */
    private static final Pattern CONSUMERS = Pattern.compile("(consumers\r\n):\\d+");
    private static final UnaryOperator<String> MASK_CONSUMERS = s -> CONSUMERS.matcher(s).replaceAll("$1:N");
    private static final Pattern RADIX = Pattern.compile("(radix-tree-(?:keys|nodes)\r\n):\\d+");
    private static final UnaryOperator<String> MASK_RADIX = s -> RADIX.matcher(s).replaceAll("$1:N");

    @BeforeEach
    void connect() throws Exception {
        differential().normalize(s -> MASK_IDLE.apply(ConnectionDifferentialTest.HELLO_VERSION_AND_ID.apply(s)));
    }

    @Test
    void groupLifecycleAndErrors() throws Exception {
        diff.runAll(List.of(
                c("XGROUP", "CREATE", "s", "g", "$"), c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), c("TYPE", "s"), c("XLEN", "s"),
                c("XGROUP", "CREATE", "s", "g", "$"), c("XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "5"),
                c("XGROUP", "CREATE", "s", "g3", "0", "ENTRIESREAD", "-2"), c("XGROUP", "CREATE", "s", "g3", "0", "ENTRIESREAD", "x"),
                c("XGROUP", "CREATE", "s", "g3", "bad"), c("XGROUP", "CREATE", "s", "g3", "-"), c("XGROUP", "CREATE", "s", "g3", "0", "FOO"),
                c("XGROUP", "CREATE", "s", "g3", "0", "MKSTREAM", "MKSTREAM", "MKSTREAM", "MKSTREAM"),
                c("XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "-1", "MKSTREAM"), c("XINFO", "GROUPS", "s"),
                c("XGROUP", "SETID", "s", "g", "5-5"), c("XGROUP", "SETID", "s", "g", "$"), c("XGROUP", "SETID", "s", "g", "+"),
                c("XGROUP", "SETID", "s", "g", "-", "ENTRIESREAD", "3"), c("XGROUP", "SETID", "s", "nog", "0"),
                c("XGROUP", "SETID", "s", "g", "0", "MKSTREAM"), c("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD"),
                c("XGROUP", "SETID", "s", "g", "bad"), c("XGROUP", "SETID", "nokey", "g", "0"), c("XINFO", "GROUPS", "s"),
                c("XGROUP", "CREATECONSUMER", "s", "g", "alice"), c("XGROUP", "CREATECONSUMER", "s", "g", "alice"),
                c("XGROUP", "CREATECONSUMER", "s", "nog", "alice"), c("XGROUP", "CREATECONSUMER", "nokey", "g", "alice"),
                c("XGROUP", "DELCONSUMER", "s", "g", "alice"), c("XGROUP", "DELCONSUMER", "s", "g", "alice"),
                c("XGROUP", "DELCONSUMER", "s", "nog", "alice"), c("XGROUP", "DESTROY", "s", "g"), c("XGROUP", "DESTROY", "s", "g"),
                c("XGROUP", "DESTROY", "nokey", "g"), c("XGROUP", "DESTROY", "s", "g", "extra"), c("XGROUP", "FOO", "s", "g"),
                c("XGROUP", "CREATE", "s"), c("XGROUP"), c("XGROUP", "CREATECONSUMER", "s", "g2"),
                c("SET", "str", "x"), c("XGROUP", "CREATE", "str", "g", "$"), c("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"),
                c("XGROUP", "DESTROY", "str", "g"), c("XINFO", "GROUPS", "str"), c("XINFO", "GROUPS", "nokey"),
                c("XINFO", "CONSUMERS", "s", "nog"), c("XINFO", "CONSUMERS", "nokey", "g"), c("XINFO", "STREAM", "nokey"),
                c("XINFO", "STREAM", "s", "FOO"), c("XINFO", "STREAM", "s", "FULL", "COUNT"), c("XINFO", "STREAM", "s", "FULL", "X", "1"),
                c("XINFO", "STREAM", "s", "FULL", "COUNT", "x"), c("XINFO", "FOO", "s"), c("XINFO", "GROUPS", "s", "x")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void readAckPendingAndClaim() throws Exception {
        List<String[]> cmds = new ArrayList<>();
        for (int i = 1; i <= 8; i++) cmds.add(c("XADD", "s", i + "-0", "f", "v" + i));
        cmds.addAll(List.of(
                c("XGROUP", "CREATE", "s", "g", "0"), c("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "carol", "NOACK", "COUNT", "1", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"), c("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-0"),
                c("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "0"),
                c("XREADGROUP", "GROUP", "g", "nobody", "STREAMS", "s", "0"), c("XPENDING", "s", "g"),
                c("XPENDING", "s", "g", "-", "+", "10"), c("XPENDING", "s", "g", "-", "+", "10", "bob"),
                c("XPENDING", "s", "g", "(1-0", "(5-0", "10"), c("XPENDING", "s", "g", "-", "+", "1"),
                c("XPENDING", "s", "g", "-", "+", "-1"), c("XPENDING", "s", "g", "-", "+", "10", "nobody"),
                c("XPENDING", "s", "g", "IDLE", "0", "-", "+", "10"), c("XPENDING", "s", "g", "IDLE", "99999999", "-", "+", "10"),
                c("XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"), c("XPENDING", "s", "g", "IDLE", "0", "-", "+"),
                c("XPENDING", "s", "g", "-", "+"), c("XPENDING", "s", "g", "-", "+", "x"), c("XPENDING", "s", "g", "bad", "+", "1"),
                c("XPENDING", "s", "g", "(18446744073709551615-18446744073709551615", "+", "1"), c("XPENDING", "s", "g", "-", "(0-0", "1"),
                c("XPENDING", "s", "nog"), c("XPENDING", "nokey", "g"), c("XPENDING", "s", "g", "-", "+", "1", "bob", "x", "y"),
                c("XACK", "s", "g", "1-0", "1-0", "9-0"), c("XACK", "s", "g", "bad"), c("XACK", "s", "g", "2-0", "bad"),
                c("XACK", "s", "nog", "bad"), c("XACK", "nokey", "g", "1-0"), c("XPENDING", "s", "g"),
                c("XCLAIM", "s", "g", "bob", "0", "2-0", "3-0", "JUSTID"), c("XCLAIM", "s", "g", "bob", "0", "2-0"),
                c("XCLAIM", "s", "g", "dave", "0", "4-0", "7-0", "RETRYCOUNT", "7"), c("XCLAIM", "s", "g", "dave", "0", "7-0", "FORCE"),
                c("XCLAIM", "s", "g", "dave", "0", "99-0", "FORCE"), c("XCLAIM", "s", "g", "dave", "99999999", "5-0"),
                c("XCLAIM", "s", "g", "dave", "0", "5-0", "IDLE", "1000", "LASTID", "8-0"), c("XINFO", "GROUPS", "s"),
                c("XCLAIM", "s", "g", "dave", "0", "5-0", "TIME", "1000"), c("XCLAIM", "s", "g", "dave", "0", "5-0", "TIME", "-5"),
                c("XCLAIM", "s", "g", "dave", "x", "5-0"), c("XCLAIM", "s", "g", "dave", "0", "5-0", "IDLE", "x"),
                c("XCLAIM", "s", "g", "dave", "0", "5-0", "TIME", "x"), c("XCLAIM", "s", "g", "dave", "0", "5-0", "RETRYCOUNT", "x"),
                c("XCLAIM", "s", "g", "dave", "0", "5-0", "LASTID", "bad"), c("XCLAIM", "s", "g", "dave", "0", "5-0", "BOGUS"),
                c("XCLAIM", "s", "g", "dave", "0", "5-0", "IDLE"), c("XCLAIM", "s", "nog", "dave", "x", "5-0"),
                c("XCLAIM", "nokey", "g", "dave", "0", "5-0"), c("XPENDING", "s", "g", "-", "+", "10"),
                c("XDEL", "s", "5-0"), c("XREADGROUP", "GROUP", "g", "dave", "STREAMS", "s", "0"),
                c("XCLAIM", "s", "g", "erin", "0", "5-0", "4-0"), c("XPENDING", "s", "g"), c("XINFO", "GROUPS", "s"),
                c("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
                c("XINFO", "GROUPS", "s")));
        cmds.add(c("XPENDING", "s", "g", "IDLE", "0", "-", "+", "10", "erin"));
        diff.runAll(cmds);
        diff.run(MASK_RADIX, "XINFO", "STREAM", "s");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void autoclaim() throws Exception {
        List<String[]> cmds = new ArrayList<>();
        for (int i = 1; i <= 12; i++) cmds.add(c("XADD", "s", i + "-0", "f", "v" + i));
        cmds.addAll(List.of(
                c("XGROUP", "CREATE", "s", "g", "0"), c("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
                c("XDEL", "s", "3-0", "4-0", "9-0"), c("XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "2"),
                c("XAUTOCLAIM", "s", "g", "bob", "0", "3-0", "COUNT", "2"), c("XAUTOCLAIM", "s", "g", "bob", "0", "(5-0", "COUNT", "3", "JUSTID"),
                c("XAUTOCLAIM", "s", "g", "bob", "0", "0"), c("XAUTOCLAIM", "s", "g", "carol", "99999999", "0"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "-", "COUNT", "1"), c("XAUTOCLAIM", "s", "g", "carol", "0", "+"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "0"), c("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "x"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1152921504606846976"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1152921504606846975", "JUSTID"),
                c("XAUTOCLAIM", "s", "g", "carol", "x", "0"), c("XAUTOCLAIM", "s", "g", "carol", "0", "bad"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "0", "FOO"), c("XAUTOCLAIM", "s", "nog", "carol", "0", "0"),
                c("XAUTOCLAIM", "nokey", "g", "carol", "0", "0"), c("XAUTOCLAIM", "s", "nog", "carol", "0", "0", "FOO"),
                c("XAUTOCLAIM", "s", "g", "carol", "0", "(18446744073709551615-18446744073709551615"), c("XPENDING", "s", "g"),
                c("SET", "str", "x"), c("XAUTOCLAIM", "str", "g", "c", "0", "0"), c("XCLAIM", "str", "g", "c", "0", "1-0"),
                c("XPENDING", "str", "g"), c("XACK", "str", "g", "1-0"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">")));
        diff.runAll(cmds);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void readgroupArgumentErrors() throws Exception {
        diff.runAll(List.of(
                c("XADD", "s", "1-0", "f", "v"), c("XGROUP", "CREATE", "s", "g", "0"), c("XADD", "t", "1-0", "f", "v"),
                c("XREADGROUP", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"),
                c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"),
                c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "bad"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", ">"),
                c("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"),
                c("XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", "0"),
                c("MULTI"), c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"), c("EXEC"),
                c("XREADGROUP", "GROUP", "g", "c", "COUNT", "-3", "STREAMS", "s", "0")));
        diff.run("HELLO", "3");
        diff.runAll(List.of(c("XADD", "s", "2-0", "f", "v"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
                c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"), c("XPENDING", "s", "g"), c("XPENDING", "s", "nog"),
                c("XAUTOCLAIM", "s", "g", "c", "0", "0"), c("XINFO", "GROUPS", "s")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** entries-read and lag through reads, deletions, trims and SETID (the counters XINFO GROUPS shows). */
    @Test
    void readCounterAndLag() throws Exception {
        List<String[]> cmds = new ArrayList<>(List.of(
                c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), c("XINFO", "GROUPS", "s")));
        for (int i = 1; i <= 6; i++) cmds.add(c("XADD", "s", i + "-0", "f", "v"));
        cmds.addAll(List.of(c("XGROUP", "CREATE", "s", "late", "0"), c("XGROUP", "CREATE", "s", "top", "$"), c("XINFO", "GROUPS", "s"),
                c("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"), c("XINFO", "GROUPS", "s"),
                c("XDEL", "s", "4-0"), c("XINFO", "GROUPS", "s"), c("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"),
                c("XINFO", "GROUPS", "s"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"), c("XINFO", "GROUPS", "s"),
                c("XDEL", "s", "1-0"), c("XINFO", "GROUPS", "s"), c("XTRIM", "s", "MAXLEN", "2"), c("XINFO", "GROUPS", "s"),
                c("XGROUP", "SETID", "s", "late", "0", "ENTRIESREAD", "0"), c("XINFO", "GROUPS", "s"),
                c("XGROUP", "SETID", "s", "late", "5-0"), c("XINFO", "GROUPS", "s"), c("XADD", "s", "7-0", "f", "v"),
                c("XREADGROUP", "GROUP", "late", "c", "STREAMS", "s", ">"), c("XINFO", "GROUPS", "s"),
                c("XSETID", "s", "9-0", "ENTRIESADDED", "20", "MAXDELETEDID", "8-0"), c("XINFO", "GROUPS", "s"),
                c("XTRIM", "s", "MAXLEN", "0"), c("XINFO", "GROUPS", "s"), c("XADD", "s", "10-0", "f", "v"), c("XINFO", "GROUPS", "s")));
        diff.runAll(cmds);
        diff.run(MASK_RADIX, "XINFO", "STREAM", "s");
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * Seeded random sequences over two groups and four consumers: every command's reply
     * compared (XPENDING's idle and XINFO GROUPS' consumer count masked), then the groups' state.
     */
    @Test
    void randomSequences() throws Exception {
        Random rnd = new Random(20261122L);
        String[] consumers = {"a", "b", "c", "d"}, groups = {"g1", "g2"};
        for (int round = 0; round < 4; round++) {
            diff.run("DEL", "s");
            diff.run("XGROUP", "CREATE", "s", "g1", "$", "MKSTREAM");
            diff.run("XGROUP", "CREATE", "s", "g2", "0");
            long next = 1;
            for (int step = 0; step < 250; step++) {
                String g = groups[rnd.nextInt(2)], who = consumers[rnd.nextInt(4)];
                String id = (1 + rnd.nextInt((int) next + 1)) + "-0";
                switch (rnd.nextInt(14)) {
                    case 0, 1, 2 -> diff.run("XADD", "s", (next++) + "-0", "f", "v" + step);
                    case 3, 4 -> diff.run("XREADGROUP", "GROUP", g, who, "COUNT", String.valueOf(1 + rnd.nextInt(3)), "STREAMS", "s", ">");
                    case 5 -> diff.run("XREADGROUP", "GROUP", g, who, "COUNT", String.valueOf(rnd.nextInt(3)), "STREAMS", "s",
                            rnd.nextBoolean() ? "0" : id);
                    case 6 -> diff.run("XACK", "s", g, id, (1 + rnd.nextInt((int) next + 1)) + "-0");
                    case 7 -> diff.run("XCLAIM", "s", g, who, "0", id, rnd.nextBoolean() ? "JUSTID" : "FORCE");
                    case 8 -> diff.run("XAUTOCLAIM", "s", g, who, "0", id, "COUNT", String.valueOf(1 + rnd.nextInt(4)));
                    case 9 -> diff.run("XDEL", "s", id);
                    case 10 -> diff.run("XPENDING", "s", g, "-", "+", "20", who);
                    case 11 -> diff.run("XPENDING", "s", g);
                    case 12 -> diff.run(MASK_CONSUMERS, "XINFO", "GROUPS", "s");
                    default -> {
                        switch (rnd.nextInt(4)) {
                            case 0 -> diff.run("XTRIM", "s", "MAXLEN", String.valueOf(3 + rnd.nextInt(6)));
                            case 1 -> diff.run("XGROUP", "DELCONSUMER", "s", g, who);
                            case 2 -> diff.run("XGROUP", "SETID", "s", g, id);
                            default -> diff.run("XGROUP", "DELCONSUMER", "s", g, consumers[rnd.nextInt(4)]);
                        }
                    }
                }
            }
            for (String g : groups) {
                diff.run("XPENDING", "s", g, "-", "+", "1000");
                diff.run("XPENDING", "s", g);
            }
            diff.run(MASK_CONSUMERS, "XINFO", "GROUPS", "s");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void dirtyCounterAndStats() throws Exception {
        List<String[]> cmds = List.of(c("XADD", "s", "1-0", "a", "1"), c("XADD", "s", "2-0", "a", "1"), c("XADD", "s", "3-0", "a", "1"),
                c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "n", "g", "0", "MKSTREAM"),
                c("XGROUP", "CREATECONSUMER", "s", "g", "x"), c("XGROUP", "CREATECONSUMER", "s", "g", "x"),
                // Consumers made up front: Redis 7.0 makes them only when it delivers or claims, 7.2 (and Jackdaw) at once.
                c("XGROUP", "CREATECONSUMER", "s", "g", "a"), c("XGROUP", "CREATECONSUMER", "s", "g", "b"),
                c("XGROUP", "CREATECONSUMER", "n", "g", "b"), c("XGROUP", "CREATECONSUMER", "s", "g", "c"),
                c("XGROUP", "CREATECONSUMER", "s", "g", "d"), c("XGROUP", "CREATECONSUMER", "s", "g", "e"),
                c("XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0"),
                c("XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", "n", ">", ">"), c("XACK", "s", "g", "1-0", "1-0", "7-0"),
                c("XACK", "s", "nog", "1-0"), c("XCLAIM", "s", "g", "c", "0", "2-0", "3-0"), c("XCLAIM", "s", "g", "c", "0", "9-0"),
                c("XCLAIM", "s", "g", "c", "0", "9-0", "LASTID", "5-0"), c("XCLAIM", "s", "g", "d", "0", "2-0", "LASTID", "6-0"),
                c("XDEL", "s", "3-0"), c("XAUTOCLAIM", "s", "g", "e", "0", "0"), c("XPENDING", "s", "g"), c("XPENDING", "nokey", "g"),
                c("XINFO", "GROUPS", "s"), c("XINFO", "STREAM", "nokey"), c("XGROUP", "SETID", "s", "g", "0"),
                c("XGROUP", "DELCONSUMER", "s", "g", "a"), c("XGROUP", "DELCONSUMER", "s", "g", "a"), c("XGROUP", "DESTROY", "s", "g"),
                c("XGROUP", "DESTROY", "s", "g"));
        assertThat(statsDifferences(cmds, true)).isEmpty();
    }
}
