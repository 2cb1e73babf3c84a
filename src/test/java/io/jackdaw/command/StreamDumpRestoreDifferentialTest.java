package io.jackdaw.command;

import static io.jackdaw.command.DumpRestoreDifferentialTest.asVersion;
import static io.jackdaw.command.DumpRestoreDifferentialTest.dump;
import static io.jackdaw.command.DumpRestoreDifferentialTest.restore;
import static io.jackdaw.command.DumpRestoreDifferentialTest.withFooter;
import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.RdbInput;
import io.jackdaw.types.RdbOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Streams through DUMP and RESTORE against redis-server 7.0.15: Redis's payloads restore into
 * Jackdaw, Jackdaw's into Redis and into Jackdaw, and every read (XRANGE, XINFO STREAM FULL,
 * XINFO GROUPS and CONSUMERS, XPENDING) agrees; the listpack nodes are Redis's byte for byte.
 *
 * <p>Formats: Jackdaw writes type 21 (Redis 7.2, RDB 11); 7.0 writes and reads at most type 19
 * (RDB 10). The documented difference (rdb.c) is one field: 21 adds each consumer's active time
 * after its seen time. {@link #downgrade} drops it (and, for type 15, Redis 5 to 6.2, also the
 * first ID, max deleted ID, entries added and each group's entries read, which 19 added).
 *
 * <p>Masked: XINFO's radix-tree-nodes (Redis's tree internals), the idle times (the clock), and
 * the fields 7.2 added to replies (active-time in XINFO STREAM FULL, inactive in XINFO CONSUMERS).
 */
class StreamDumpRestoreDifferentialTest extends DifferentialTestBase {
    private static final int STREAM_15 = 15, STREAM_19 = 19, STREAM_21 = 21;

    private static final Pattern RADIX_NODES = Pattern.compile("(radix-tree-nodes\r\n):\\d+");
    /** A consumer in XINFO STREAM FULL, 7.2's active-time dropped. */
    private static final Pattern FULL_CONSUMER = Pattern.compile(
            "\\*10\r\n(\\$4\r\nname\r\n\\$\\d+\r\n[^\r]*\r\n\\$9\r\nseen-time\r\n:-?\\d+\r\n)\\$11\r\nactive-time\r\n:-?\\d+\r\n");
    private static final UnaryOperator<String> MASK_FULL =
            s -> FULL_CONSUMER.matcher(RADIX_NODES.matcher(s).replaceAll("$1:N")).replaceAll("*8\r\n$1");
    private static final Pattern INACTIVE = Pattern.compile("\\*8\r\n(\\$4\r\nname\r\n(?:[^\r]*\r\n){8})\\$8\r\ninactive\r\n:-?\\d+\r\n");
    private static final Pattern IDLE = Pattern.compile("(\\$4\r\nidle\r\n):\\d+");
    private static final UnaryOperator<String> MASK_CONSUMERS =
            s -> IDLE.matcher(INACTIVE.matcher(s).replaceAll("*6\r\n$1")).replaceAll("$1:IDLE");
    /** XPENDING's extended form: the idle ms before each delivery count. */
    private static final Pattern IDLE_THEN_COUNT = Pattern.compile(":\\d+\r\n(:\\d+\r\n)");
    private static final UnaryOperator<String> MASK_IDLE = s -> IDLE_THEN_COUNT.matcher(s).replaceAll(":IDLE\r\n$1");
    private static final Pattern GROUP_NAME = Pattern.compile("\\$4\r\nname\r\n\\$\\d+\r\n([^\r]*)\r\n");

    // ------------------------------------------------------------ helpers

    private static int version(byte[] p) { return Bytes.getU16(p, p.length - 10); }

    /**
     * A stream payload (type 19 or 21) rewritten to an older type: 19 lacks the consumers'
     * active times, 15 also the first ID, max deleted ID, entries added and entries read.
     * Strings are re-written with compression on, as Redis writes them.
     */
    static byte[] downgrade(byte[] payload, int toType, int version) {
        RdbInput in = new RdbInput(payload, 0, payload.length - 10);
        int from = in.readByte();
        assertThat(from).isIn(STREAM_19, STREAM_21);
        RdbOutput out = new RdbOutput(payload.length, true);
        out.writeByte(toType);
        long nodes = in.readLength();
        out.writeLength(nodes);
        for (long i = 0; i < 2 * nodes; i++) out.writeString(in.readString());
        for (int i = 0; i < 3; i++) out.writeUnsignedLength(in.readUnsignedLength()); // length, last ID
        for (int i = 0; i < 5; i++) {
            long v = in.readUnsignedLength(); // first ID, max deleted ID, entries added
            if (toType >= STREAM_19) out.writeUnsignedLength(v);
        }
        long groups = in.readLength();
        out.writeLength(groups);
        for (long g = 0; g < groups; g++) {
            out.writeString(in.readString());
            out.writeUnsignedLength(in.readUnsignedLength());
            out.writeUnsignedLength(in.readUnsignedLength());
            long read = in.readUnsignedLength();
            if (toType >= STREAM_19) out.writeUnsignedLength(read);
            long pel = in.readLength();
            out.writeLength(pel);
            for (long p = 0; p < pel; p++) {
                out.writeRaw(in.readRaw(16), 0, 16);
                out.writeLongLE(in.readLongLE());
                out.writeUnsignedLength(in.readUnsignedLength());
            }
            long consumers = in.readLength();
            out.writeLength(consumers);
            for (long c = 0; c < consumers; c++) {
                out.writeString(in.readString());
                out.writeLongLE(in.readLongLE());
                if (from == STREAM_21) {
                    long active = in.readLongLE();
                    if (toType == STREAM_21) out.writeLongLE(active);
                }
                long owned = in.readLength();
                out.writeLength(owned);
                for (long p = 0; p < owned; p++) out.writeRaw(in.readRaw(16), 0, 16);
            }
        }
        assertThat(in.remaining()).isZero();
        return withFooter(out.toByteArray(), version);
    }

    /** Every read that shows a stream, its groups, consumers and pending entries. */
    private void compareStream(String key) throws IOException {
        diff.run("TYPE", key);
        diff.run("XLEN", key);
        diff.run("XRANGE", key, "-", "+");
        diff.run("XREVRANGE", key, "+", "-", "COUNT", "3");
        diff.run(MASK_FULL, "XINFO", "STREAM", key, "FULL", "COUNT", "0");
        diff.run(MASK_FULL, "XINFO", "STREAM", key);
        String groups = diff.run("XINFO", "GROUPS", key);
        Matcher m = GROUP_NAME.matcher(groups);
        while (m.find()) {
            String g = m.group(1);
            diff.run(MASK_CONSUMERS, "XINFO", "CONSUMERS", key, g);
            diff.run("XPENDING", key, g);
            diff.run(MASK_IDLE, "XPENDING", key, g, "-", "+", "1000");
        }
        diff.run("PEXPIRETIME", key);
    }

    private static String id(long ms, long seq) { return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq); }

    /**
     * Streams on both servers, the same commands: node limits crossed by count and by bytes,
     * deleted and trimmed entries, integer values, extreme IDs, empty streams, groups.
     * Returns the keys with no consumer groups, then those with (whose times differ).
     */
    private List<List<String>> populate() throws IOException {
        r("XADD", "st:small", "1-1", "f", "v", "g", "12");
        r("XADD", "st:small", "2-0", "f", "x", "g", "-5");
        r("XADD", "st:small", "2-1", "other", "1");
        r("XADD", "st:small", "2-2", "f", "last", "g", "9223372036854775807");
        for (int i = 0; i < 1000; i++) {
            String[] fv = switch (i % 4) {
                case 0, 1 -> new String[] {"name", "n" + i, "count", String.valueOf(i * 37 - 5000)};
                case 2 -> new String[] {"name", "n" + i};
                default -> new String[] {"count", String.valueOf(i), "name", "x", "extra", "y".repeat(i % 30)};
            };
            String[] cmd = new String[3 + fv.length];
            cmd[0] = "XADD";
            cmd[1] = "st:big";
            cmd[2] = id(1000 + i / 3, i % 3);
            System.arraycopy(fv, 0, cmd, 3, fv.length);
            r(cmd);
        }
        for (int i = 0; i < 60; i++) r("XADD", "st:bytes", id(5, i), "v", "b".repeat(400 + i));
        r("XADD", "st:bytes", "6-0", "v", "c".repeat(5000));
        r("XADD", "st:bytes", "7-0", "v", "d");
        for (int i = 0; i < 300; i++) r("XADD", "st:del", id(i + 1, 0), "f", String.valueOf(i));
        r("XDEL", "st:del", "101-0", "1-0", "50-0", "299-0");
        for (int i = 201; i <= 300; i++) r("XDEL", "st:del", id(i, 0)); // a whole node
        for (int i = 0; i < 500; i++) r("XADD", "st:trim", id(10, i), "f", "v" + i);
        r("XTRIM", "st:trim", "MAXLEN", "430");
        r("XTRIM", "st:trim", "MAXLEN", "~", "250");
        r("XTRIM", "st:trim", "MINID", "10-420");
        r("XADD", "st:emptied", "5-0", "f", "v");
        r("XDEL", "st:emptied", "5-0");
        r("XADD", "st:setid", "1-0", "f", "v");
        r("XSETID", "st:setid", "100-5", "ENTRIESADDED", "50", "MAXDELETEDID", "90-0");
        // XSETID can leave the last ID below a deleted entry (the max deleted ID moved back first).
        r("XADD", "st:setid-back", "5-0", "f", "v");
        r("XADD", "st:setid-back", "6-0", "f", "v");
        r("XDEL", "st:setid-back", "6-0");
        r("XSETID", "st:setid-back", "6-0", "MAXDELETEDID", "1-0");
        r("XSETID", "st:setid-back", "5-0");
        r("XADD", "st:wide", "5-0", "f", "v");
        r("XADD", "st:wide", "18446744073709551614-18446744073709551615", "f", "w");
        r("XADD", "st:wide", "18446744073709551615-3", "g", "w");

        for (int i = 0; i < 250; i++) r("XADD", "st:groups", id(20, i), "f", "v" + i);
        r("XGROUP", "CREATE", "st:groups", "g1", "0");
        r("XGROUP", "CREATE", "st:groups", "g2", "20-100", "ENTRIESREAD", "101");
        r("XGROUP", "CREATE", "st:groups", "g3", "$");
        r("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "30", "STREAMS", "st:groups", ">");
        r("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "120", "STREAMS", "st:groups", ">");
        r("XREADGROUP", "GROUP", "g2", "alice", "COUNT", "5", "STREAMS", "st:groups", ">");
        r("XACK", "st:groups", "g1", "20-0", "20-3", "20-40", "20-41");
        r("XCLAIM", "st:groups", "g1", "carol", "0", "20-5", "20-6", "20-100");
        r("XCLAIM", "st:groups", "g1", "carol", "0", "20-7", "RETRYCOUNT", "9");
        r("XGROUP", "CREATECONSUMER", "st:groups", "g1", "dave");
        r("XDEL", "st:groups", "20-10", "20-200");
        r("XGROUP", "CREATE", "st:cg-empty", "g", "$", "MKSTREAM");
        return List.of(List.of("st:small", "st:big", "st:bytes", "st:del", "st:trim", "st:emptied", "st:setid", "st:setid-back",
                "st:wide"),
                List.of("st:groups", "st:cg-empty"));
    }

    private static List<String> allKeys(List<List<String>> keys) {
        List<String> out = new ArrayList<>(keys.get(0));
        out.addAll(keys.get(1));
        return out;
    }

    // ------------------------------------------------------------ payloads both ways

    @Test
    void referencePayloadsRestoreIntoJackdaw() throws Exception {
        differential();
        List<String> keys = allKeys(populate());
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = dump(r, k);
                assertThat(p[0] & 0xFF).isEqualTo(STREAM_19);
                assertThat(version(p)).isEqualTo(10);
                assertThat(restore(a, "r:" + k, "0", p)).as(k).isEqualTo("+OK\r\n");
                assertThat(restore(r, "r:" + k, "0", p)).as(k).isEqualTo("+OK\r\n");
            }
        }
        for (String k : keys) compareStream("r:" + k);
        assertThat(diff.mismatches()).isEmpty();
        // Restored from one payload, the values are equal to the byte, times included: dumped
        // again, Jackdaw's type 21 less the active times is Redis's type 19.
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] mine = dump(a, "r:" + k);
                assertThat(mine[0] & 0xFF).isEqualTo(STREAM_21);
                assertThat(version(mine)).isEqualTo(11);
                assertThat(downgrade(mine, STREAM_19, 10)).as(k).isEqualTo(dump(r, "r:" + k));
            }
        }
    }

    /** Without groups (no clock in the value), a stream built by the same commands dumps to Redis's bytes. */
    @Test
    void nodesAreRedisListpacksByteForByte() throws Exception {
        differential();
        List<String> plain = populate().get(0);
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : plain) assertThat(downgrade(dump(a, k), STREAM_19, 10)).as(k).isEqualTo(dump(r, k));
            // Other node limits, entries and bytes, on both.
            for (String[] limits : new String[][] {{"5", "4096"}, {"100", "300"}, {"0", "0"}, {"1", "100"}}) {
                for (RespConnection c : List.of(a, r)) {
                    c.call("CONFIG", "SET", "stream-node-max-entries", limits[0]);
                    c.call("CONFIG", "SET", "stream-node-max-bytes", limits[1]);
                    c.call("DEL", "lim");
                    for (int i = 0; i < 120; i++) c.call("XADD", "lim", id(1, i), "f", "v".repeat(i % 50), "n", String.valueOf(i));
                    c.call("XDEL", "lim", "1-3", "1-60");
                }
                assertThat(downgrade(dump(a, "lim"), STREAM_19, 10)).as(Arrays.toString(limits)).isEqualTo(dump(r, "lim"));
            }
        } finally {
            for (int port : new int[] {ours.port(), ref.port()}) {
                try (RespConnection c = new RespConnection(port)) {
                    c.call("CONFIG", "SET", "stream-node-max-entries", "100");
                    c.call("CONFIG", "SET", "stream-node-max-bytes", "4096");
                }
            }
        }
    }

    @Test
    void jackdawPayloadsRestoreIntoRedisAndJackdaw() throws Exception {
        differential();
        List<String> keys = allKeys(populate());
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = dump(a, k);
                assertThat(restore(a, "j:" + k, "0", p)).as(k).isEqualTo("+OK\r\n");
                // 7.0 refuses version 11 outright, and type 21 as data it cannot read.
                assertThat(restore(r, "j:" + k, "0", p)).isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
                assertThat(restore(r, "j:" + k, "0", asVersion(p, 10))).isEqualTo("-ERR Bad data format\r\n");
                byte[] old = downgrade(p, STREAM_19, 10);
                assertThat(restore(r, "j:" + k, "0", old)).as(k).isEqualTo("+OK\r\n");
                assertThat(restore(a, "j19:" + k, "0", old)).as(k).isEqualTo("+OK\r\n");
                assertThat(restore(r, "j19:" + k, "0", old)).as(k).isEqualTo("+OK\r\n");
                // Jackdaw to Jackdaw keeps everything, active times included: the dumps agree.
                assertThat(dump(a, "j:" + k)).as(k).isEqualTo(p);
                assertThat(a.call("XINFO", "STREAM", "j:" + k, "FULL", "COUNT", "0"))
                        .isEqualTo(a.call("XINFO", "STREAM", k, "FULL", "COUNT", "0"));
            }
        }
        for (String k : keys) {
            compareStream("j19:" + k);
            // j: was restored into Jackdaw from type 21 and into Redis from type 19: the
            // consumers' active times may differ, which the masks leave out.
            compareStream("j:" + k);
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Type 15 (Redis 5 to 6.2): the counters 7.0 added are derived on load, as Redis derives them. */
    @Test
    void legacyType15DerivesTheNewCounters() throws Exception {
        differential();
        List<String> keys = allKeys(populate());
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = downgrade(dump(r, k), STREAM_15, 9);
                assertThat(restore(a, "l:" + k, "0", p)).as(k).isEqualTo("+OK\r\n");
                assertThat(restore(r, "l:" + k, "0", p)).as(k).isEqualTo("+OK\r\n");
            }
        }
        for (String k : keys) compareStream("l:" + k);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void restoredStreamsKeepWorking() throws Exception {
        differential();
        List<String> keys = allKeys(populate());
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] p = dump(r, k);
                restore(a, "w:" + k, "0", p);
                restore(r, "w:" + k, "0", p);
            }
        }
        for (String k : keys) {
            String w = "w:" + k;
            r("XADD", w, "18446744073709551615-18446744073709551615", "f", "new");
            r("XADD", w, "*", "f", "auto");
            r("XDEL", w, "1-1", "20-11", "1000-1");
            r("XTRIM", w, "MAXLEN", "~", "150");
        }
        r("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "w:st:groups", ">");
        r("XACK", "w:st:groups", "g1", "20-5", "20-30");
        r("XAUTOCLAIM", "w:st:groups", "g1", "erin", "0", "0", "COUNT", "4", "JUSTID");
        for (String k : keys) {
            diff.run("XLEN", "w:" + k);
            diff.run("XRANGE", "w:" + k, "-", "+", "COUNT", "20");
            diff.run("XPENDING", "w:" + k, "g1");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /** RESTORE of a stream wakes clients blocked on the key, as Redis's dbAdd signals it. */
    @Test
    void restoredStreamServesBlockedReaders() throws Exception {
        differential();
        r("XADD", "src", "1-1", "f", "v");
        r("XADD", "src", "2-0", "f", "w");
        r("XGROUP", "CREATE", "src", "g", "0");
        byte[] p;
        try (RespConnection r = new RespConnection(ref.port())) {
            p = dump(r, "src");
        }
        List<String> replies = new ArrayList<>();
        for (int port : new int[] {ours.port(), ref.port()}) {
            try (RespConnection c = new RespConnection(port); RespConnection reader = new RespConnection(port);
                 RespConnection grouped = new RespConnection(port)) {
                reader.send("XREAD", "BLOCK", "0", "STREAMS", "target", "$");
                io.jackdaw.testing.InfoFields.awaitBlockedClients(c, 1);
                assertThat(restore(c, "target", "0", p)).isEqualTo("+OK\r\n");
                replies.add(reader.readReply());
                // The restored group hands out the entries past its last ID.
                grouped.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "target", ">");
                io.jackdaw.testing.InfoFields.awaitBlockedClients(c, 0);
                replies.add(grouped.readReply());
                c.call("XADD", "target", "3-0", "f", "x");
                replies.add(c.call("XPENDING", "target", "g"));
            }
        }
        assertThat(replies.subList(0, 3)).isEqualTo(replies.subList(3, 6));
        assertThat(replies.get(0)).contains("1-1").contains("2-0");
    }

    // ------------------------------------------------------------ hostile payloads

    /**
     * Seeded byte changes to stream payloads (Redis's and ours) with the CRC fixed: every reply
     * is OK or "Bad data format", what was accepted dumps and restores again, and the server
     * answers throughout.
     */
    @Test
    void corruptedStreamPayloadsAreRefusedWithoutHarm() throws Exception {
        differential();
        List<String> keys = allKeys(populate());
        List<byte[]> seeds = new ArrayList<>();
        try (RespConnection a = new RespConnection(ours.port()); RespConnection r = new RespConnection(ref.port())) {
            for (String k : keys) {
                byte[] mine = dump(a, k);
                if (mine.length < 3000) seeds.add(mine);
                byte[] theirs = dump(r, k);
                if (theirs.length < 3000) seeds.add(theirs);
            }
            Random rnd = new Random(2121);
            int accepted = 0, refused = 0;
            for (int round = 0; round < 4000; round++) {
                byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
                byte[] body = Arrays.copyOf(seed, seed.length - 10);
                int edits = 1 + rnd.nextInt(3);
                for (int e = 0; e < edits; e++) body[1 + rnd.nextInt(body.length - 1)] = (byte) rnd.nextInt(256);
                if (rnd.nextInt(6) == 0) body = Arrays.copyOf(body, 1 + rnd.nextInt(body.length));
                String reply = restore(a, "victim", "0", withFooter(body, 11), "REPLACE");
                assertThat(reply).as("round %d", round).isIn("+OK\r\n", "-ERR Bad data format\r\n");
                if (reply.equals("+OK\r\n")) {
                    accepted++;
                    byte[] again = dump(a, "victim");
                    assertThat(restore(a, "copy", "0", again, "REPLACE")).as("round %d", round).isEqualTo("+OK\r\n");
                    assertThat(a.call("XINFO", "STREAM", "copy", "FULL")).startsWith("*");
                    a.call("XRANGE", "victim", "-", "+");
                    a.call("XREVRANGE", "victim", "+", "-");
                } else {
                    refused++;
                }
            }
            assertThat(refused).isGreaterThan(accepted);
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    /** Payloads Redis's checks refuse, each made from a valid one with one thing wrong. */
    @Test
    void inconsistentStreamsAreBadDataFormat() throws Exception {
        try (RespConnection a = new RespConnection(ours.port())) {
            a.call("FLUSHALL");
            a.call("XADD", "s", "1-0", "f", "v");
            a.call("XADD", "s", "2-0", "f", "w");
            a.call("XGROUP", "CREATE", "s", "g", "0");
            a.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
            byte[] good = dump(a, "s");
            assertThat(restore(a, "ok", "0", good)).isEqualTo("+OK\r\n");
            String bad = "-ERR Bad data format\r\n";
            // Node key of 15 bytes.
            assertThat(restore(a, "x", "0", node(new byte[15], lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "4")))).isEqualTo(bad);
            byte[] key = new byte[16];
            key[7] = 1;
            // The well-formed node these variants break: count 1, deleted 0, fields [f], entry 1-0 f=v.
            assertThat(restore(a, "x", "0", node(key, lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "4")))).isEqualTo("+OK\r\n");
            assertThat(a.call("XRANGE", "x", "-", "+")).isEqualTo("*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
            a.call("DEL", "x");
            // Wrong lp-count; master terminator not 0; a string where the count belongs; trailing element;
            // count disagreeing with the flags; entry ID below the node's key; no entries at all; unknown flags.
            for (byte[] lp : List.of(lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "5"), lp("1", "0", "1", "f", "1", "2", "0", "0", "v", "4"),
                    lp("x", "0", "1", "f", "0", "2", "0", "0", "v", "4"), lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "4", "9"),
                    lp("1", "0", "1", "f", "0", "3", "0", "0", "v", "4"), lp("1", "0", "1", "f", "0", "2", "-1", "0", "v", "4"),
                    lp("0", "0", "1", "f", "0"), lp("1", "0", "1", "f", "0", "6", "0", "0", "v", "4"))) {
                assertThat(restore(a, "x", "0", node(key, lp))).isEqualTo(bad);
            }
            assertThat(a.call("EXISTS", "x")).isEqualTo(":0\r\n");
            // Group PEL entry with no consumer; consumer PEL entry missing from the group's.
            RdbOutput o = streamHead(key, lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "4"));
            o.writeLength(1);
            o.writeString(b("g"));
            o.writeLength(1);
            o.writeLength(0);
            o.writeLength(1);
            o.writeLength(1);
            o.writeRaw(key, 0, 16);
            o.writeLongLE(1000);
            o.writeLength(1);
            o.writeLength(0);
            assertThat(restore(a, "x", "0", withFooter(o.toByteArray(), 11))).isEqualTo(bad);
            o = streamHead(key, lp("1", "0", "1", "f", "0", "2", "0", "0", "v", "4"));
            o.writeLength(1);
            o.writeString(b("g"));
            o.writeLength(1);
            o.writeLength(0);
            o.writeLength(1);
            o.writeLength(0);
            o.writeLength(1);
            o.writeString(b("c"));
            o.writeLongLE(1000);
            o.writeLongLE(1000);
            o.writeLength(1);
            o.writeRaw(key, 0, 16);
            assertThat(restore(a, "x", "0", withFooter(o.toByteArray(), 11))).isEqualTo(bad);
            assertThat(a.call("EXISTS", "x")).isEqualTo(":0\r\n");
        }
    }

    private static byte[] b(String s) { return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); }

    private static byte[] lp(String... elements) {
        List<byte[]> el = new ArrayList<>();
        for (String e : elements) el.add(b(e));
        return io.jackdaw.types.Listpack.of(el);
    }

    /** Type 21 with one node, length 1, last ID 1-0, first ID 1-0, nothing deleted, 1 added; groups follow. */
    private static RdbOutput streamHead(byte[] key, byte[] lp) {
        RdbOutput o = new RdbOutput(64, false);
        o.writeByte(STREAM_21);
        o.writeLength(1);
        o.writeString(key);
        o.writeString(lp);
        for (long v : new long[] {1, 1, 0, 1, 0, 0, 0, 1}) o.writeLength(v);
        return o;
    }

    private static byte[] node(byte[] key, byte[] lp) {
        RdbOutput o = streamHead(key, lp);
        o.writeLength(0);
        return withFooter(o.toByteArray(), 11);
    }
}
