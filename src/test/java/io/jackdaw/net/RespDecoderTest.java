package io.jackdaw.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jackdaw.command.CommandArgs;
import io.jackdaw.command.Errors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request parser on its own: every request form, whole, byte by byte and cut at every
 * boundary; pipelines; big bulks; inline quoting; and every protocol error Redis's
 * networking.c answers, with its exact text.
 */
class RespDecoderTest {

    // ------------------------------------------------------------ harness

    /** What a byte stream decoded to: the commands (each argument as ISO-8859-1 text) and a final error, if any. */
    record Outcome(List<List<String>> commands, String error, boolean midRequest) {
        static Outcome of(List<List<String>> commands) { return new Outcome(commands, null, false); }
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static List<String> cmd(String... args) { return List.of(args); }

    private static RespDecoder decoder() { return new RespDecoder(); }

    /**
     * Feeds {@code input} cut at the given offsets, the way the connection does: unconsumed bytes stay
     * in front of the next read, and the decoder runs until it needs more or fails.
     */
    static Outcome feed(RespDecoder d, byte[] input, int... cuts) {
        ByteBuf acc = Unpooled.buffer();
        CommandArgs args = new CommandArgs();
        List<List<String>> commands = new ArrayList<>();
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : input.length;
                acc.writeBytes(input, from, to - from);
                from = to;
                while (true) {
                    int r = d.decode(acc, args);
                    if (r == RespDecoder.COMMAND) {
                        commands.add(argv(args));
                        args.clear();
                    } else if (r == RespDecoder.ERROR) {
                        return new Outcome(commands, d.error(), false);
                    } else {
                        assertThat(r).isEqualTo(RespDecoder.NEED_MORE);
                        break;
                    }
                }
                acc.discardReadBytes();
            }
            return new Outcome(commands, null, d.midRequest());
        } finally {
            acc.release();
        }
    }

    static Outcome feedWhole(byte[] input) { return feed(decoder(), input); }

    static List<String> argv(CommandArgs a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.count(); i++) out.add(new String(a.data(), a.offset(i), a.length(i), StandardCharsets.ISO_8859_1));
        return out;
    }

    private static int[] everyByte(int n) {
        int[] cuts = new int[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) cuts[i - 1] = i;
        return cuts;
    }

    /** Asserts the same outcome whole, byte by byte, at every single cut, and (for short inputs) at every pair of cuts. */
    private static void assertSameEverywhere(byte[] input, Outcome expected) {
        assertThat(feedWhole(input)).as("whole").isEqualTo(expected);
        assertThat(feed(decoder(), input, everyByte(input.length))).as("byte by byte").isEqualTo(expected);
        for (int i = 1; i < input.length; i++) {
            assertThat(feed(decoder(), input, i)).as("cut at %d", i).isEqualTo(expected);
        }
        if (input.length <= 80) {
            for (int i = 1; i < input.length; i++) {
                for (int j = i + 1; j < input.length; j++) {
                    assertThat(feed(decoder(), input, i, j)).as("cuts at %d,%d", i, j).isEqualTo(expected);
                }
            }
        }
    }

    // ------------------------------------------------------------ request forms

    /** Each request form with the commands it must yield. */
    private static final List<Object[]> FORMS = List.of(
            new Object[] {"*1\r\n$4\r\nPING\r\n", List.of(cmd("PING"))},
            new Object[] {"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", List.of(cmd("SET", "key", "value"))},
            new Object[] {"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", List.of(cmd("ECHO", ""))},
            new Object[] {"*2\r\n$4\r\nECHO\r\n$8\r\na\r\n\u0000\u00ff$*\n\r\n", List.of(cmd("ECHO", "a\r\n\u0000\u00ff$*\n"))},
            new Object[] {"*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n", List.of(cmd("GET", "0123456789"))},
            new Object[] {"PING\r\n", List.of(cmd("PING"))},
            new Object[] {"PING\n", List.of(cmd("PING"))},
            new Object[] {"SET  a\t b   \r\n", List.of(cmd("SET", "a", "b"))},
            new Object[] {"SET \"a b\" 'c d'\r\n", List.of(cmd("SET", "a b", "c d"))},
            new Object[] {"*0\r\n*-1\r\n*-7\r\nPING\r\n", List.of(cmd("PING"))},
            new Object[] {"\r\n\n   \r\n\t\r\nPING\r\n", List.of(cmd("PING"))},
            new Object[] {"*1\r\n$4\r\nPINGxx", List.of(cmd("PING"))}, // Redis skips the CRLF after a bulk unchecked
            new Object[] {"*12\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"
                    + "$1\r\ne\r\n$1\r\n5\r\n$1\r\nf\r\n",
                    List.of(cmd("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f"))});

    @Test
    void everyFormWholeByteByByteAndAtEveryCut() {
        for (Object[] f : FORMS) {
            @SuppressWarnings("unchecked")
            List<List<String>> expected = (List<List<String>>) f[1];
            assertSameEverywhere(b((String) f[0]), Outcome.of(expected));
        }
    }

    @Test
    void pipelinedRequestsInOneBuffer() {
        StringBuilder all = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (Object[] f : FORMS) {
            all.append((String) f[0]);
            @SuppressWarnings("unchecked")
            List<List<String>> e = (List<List<String>>) f[1];
            expected.addAll(e);
        }
        byte[] input = b(all.toString());
        assertThat(feedWhole(input).commands()).hasSize(FORMS.size()).isEqualTo(expected);
        assertThat(feed(decoder(), input, everyByte(input.length))).isEqualTo(Outcome.of(expected));
        for (int i = 1; i < input.length; i++) assertThat(feed(decoder(), input, i)).as("cut at %d", i).isEqualTo(Outcome.of(expected));
    }

    @Test
    void manyPipelinedCommandsInOneBuffer() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String k = "key:" + i, v = "v".repeat(i % 50);
            if (i % 3 == 0) {
                o.writeBytes(b("SET " + k + " x" + v + "\r\n"));
                expected.add(cmd("SET", k, "x" + v));
            } else {
                o.writeBytes(io.jackdaw.testing.RespConnection.encode(b("SET"), b(k), b(v)));
                expected.add(cmd("SET", k, v));
            }
        }
        assertThat(feedWhole(o.toByteArray())).isEqualTo(Outcome.of(expected));
    }

    @Test
    void partialRequestReportsMidRequestAndPendingBulk() {
        RespDecoder d = decoder();
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(b("*2\r\n$3\r\nGET\r\n$10\r\n0123"));
        CommandArgs args = new CommandArgs();
        assertThat(d.midRequest()).isFalse();
        assertThat(d.decode(buf, args)).isEqualTo(RespDecoder.NEED_MORE);
        assertThat(d.midRequest()).isTrue();
        assertThat(d.pendingBulk()).isEqualTo(6);
        assertThat(buf.isReadable()).as("bulk bytes are copied out as they arrive").isFalse();
        buf.writeBytes(b("456789\r\n"));
        assertThat(d.decode(buf, args)).isEqualTo(RespDecoder.COMMAND);
        assertThat(argv(args)).containsExactly("GET", "0123456789");
        assertThat(d.midRequest()).isFalse();
        assertThat(d.pendingBulk()).isZero();
        buf.release();
    }

    @Test
    @Timeout(60)
    void eightMegabyteBulkInRandomChunks() {
        Random rnd = new Random(8_000_000L);
        byte[] payload = new byte[8 * 1024 * 1024];
        rnd.nextBytes(payload);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(io.jackdaw.testing.RespConnection.encode(b("SET"), b("big"), payload));
        o.writeBytes(b("*1\r\n$4\r\nPING\r\n"));
        byte[] input = o.toByteArray();
        List<Integer> cuts = new ArrayList<>();
        for (int at = rnd.nextInt(16) + 1; at < input.length; at += 1 + rnd.nextInt(8192)) cuts.add(at);
        RespDecoder d = decoder();
        ByteBuf acc = Unpooled.buffer();
        CommandArgs args = new CommandArgs();
        List<List<String>> small = new ArrayList<>();
        byte[] got = null;
        int from = 0;
        for (int i = 0; i <= cuts.size(); i++) {
            int to = i < cuts.size() ? cuts.get(i) : input.length;
            acc.writeBytes(input, from, to - from);
            from = to;
            int r;
            while ((r = d.decode(acc, args)) == RespDecoder.COMMAND) {
                if (args.count() == 3) got = args.bytes(2);
                else small.add(argv(args));
                args.clear();
            }
            assertThat(r).isEqualTo(RespDecoder.NEED_MORE);
            // Only an unfinished header line may wait in the buffer; bulk bytes never pile up there.
            assertThat(acc.readableBytes()).isLessThan(64);
            acc.discardReadBytes();
        }
        acc.release();
        assertThat(got).isNotNull();
        assertThat(Arrays.equals(got, payload)).as("8 MB payload round-trips").isTrue();
        assertThat(small).containsExactly(cmd("PING"));
    }

    // ------------------------------------------------------------ inline

    @Test
    void inlineQuotingAndEscapes() {
        Object[][] cases = {
                {"ECHO \"\\x41\\x4a\\x4b\"\r\n", cmd("ECHO", "AJK")},
                {"ECHO \"\\x4\"\r\n", cmd("ECHO", "x4")},            // not a complete \xHH: backslash drops, x stays
                {"ECHO \"\\xzz\"\r\n", cmd("ECHO", "xzz")},
                {"ECHO \"a\\nb\\rc\\td\\be\\af\\\\g\\\"h\\qi\"\r\n", cmd("ECHO", "a\nb\rc\td\be\u0007f\\g\"hqi")},
                {"ECHO 'it\\'s'\r\n", cmd("ECHO", "it's")},
                {"ECHO 'a\\nb'\r\n", cmd("ECHO", "a\\nb")},           // single quotes take only \'
                {"ECHO 'a\"b'\r\n", cmd("ECHO", "a\"b")},
                {"ECHO \"a'b\"\r\n", cmd("ECHO", "a'b")},
                {"ECHO ab\"cd\"\r\n", cmd("ECHO", "abcd")},            // a quote may open mid-token
                {"ECHO ab'c d'\r\n", cmd("ECHO", "abc d")},
                {"ECHO \"\"\r\n", cmd("ECHO", "")},
                {"ECHO ''\r\n", cmd("ECHO", "")},
                {"ECHO \"a\"\tb\r\n", cmd("ECHO", "a", "b")},
                {"ECHO a\u000bb\r\n", cmd("ECHO", "a\u000bb")},        // \v and \f do not end a bare token
                {"ECHO a\u000cb\r\n", cmd("ECHO", "a\u000cb")},
                {"\u000bECHO\u000b a\r\n", cmd("ECHO\u000b", "a")},    // but are skipped between tokens
                {"\u000c ECHO \u000c\u000ba\r\n", cmd("ECHO", "a")},
                {"ECHO a\rb\r\n", cmd("ECHO", "a", "b")},
                {"ECHO x\r\r\n", cmd("ECHO", "x")},
                {"ECHO \"\\x00\\xff\"\r\n", cmd("ECHO", "\u0000\u00ff")},
                {"  PING  \n", cmd("PING")},
        };
        for (Object[] c : cases) {
            byte[] in = b((String) c[0]);
            @SuppressWarnings("unchecked")
            List<String> expected = (List<String>) c[1];
            assertSameEverywhere(in, Outcome.of(List.of(expected)));
        }
    }

    @Test
    void blankLinesAndEmptyMultibulksAreIgnored() {
        assertSameEverywhere(b("\r\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("\n\n\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("   \t \r\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("*0\r\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("*-1\r\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("*-2147483648\r\n"), Outcome.of(List.of()));
        assertSameEverywhere(b("*0\r\n\r\n*-1\r\nGET a\r\n"), Outcome.of(List.of(cmd("GET", "a"))));
    }

    // ------------------------------------------------------------ protocol errors

    private static void assertError(byte[] in, String expected) { assertError(decoder(), in, expected); }

    private static void assertError(RespDecoder d, byte[] in, String expected) {
        Outcome whole = feed(d, in);
        assertThat(whole.error()).as("error for %s", printable(in)).isEqualTo(expected);
        // The same error however the bytes arrive.
        if (in.length < 300) {
            RespDecoder fresh = new RespDecoder();
            fresh.unauthenticated = d.unauthenticated;
            fresh.protoMaxBulkLen = d.protoMaxBulkLen;
            assertThat(feed(fresh, in, everyByte(in.length)).error()).as("byte by byte: %s", printable(in)).isEqualTo(expected);
        }
    }

    private static String printable(byte[] in) {
        String s = new String(in, 0, Math.min(in.length, 60), StandardCharsets.ISO_8859_1);
        return io.jackdaw.testing.Differential.printable(s) + (in.length > 60 ? "...(" + in.length + " bytes)" : "");
    }

    private static void assertWaits(RespDecoder d, byte[] in) {
        Outcome o = feed(d, in);
        assertThat(o.error()).as("no error for %s", printable(in)).isNull();
        assertThat(o.commands()).isEmpty();
        assertThat(o.midRequest()).isTrue();
    }

    @Test
    void invalidMultibulkLength() {
        for (String s : List.of("*abc\r\n", "*3000000000\r\n", "*2147483648\r\n", "*1x\r\n", "*\r\n", "*+1\r\n",
                "*01\r\n", "*-0\r\n", "* 1\r\n", "*1 \r\n", "*99999999999999999999999\r\n")) {
            assertError(b(s), "ERR Protocol error: invalid multibulk length");
        }
        assertThat(Errors.PROTO_INVALID_MBULK).isEqualTo("ERR Protocol error: invalid multibulk length");
        assertWaits(decoder(), b("*2147483647\r\n"));
    }

    @Test
    void tooBigMultibulkCountString() {
        // More than 64 KB of count line without a CR.
        byte[] over = b("*" + "1".repeat(64 * 1024));
        assertError(over, "ERR Protocol error: too big mbulk count string");
        byte[] atLimit = b("*" + "1".repeat(64 * 1024 - 1));
        Outcome o = feedWhole(atLimit);
        assertThat(o.error()).isNull();
        assertThat(o.midRequest()).isTrue();
        // A CR ends the search: a long line with its CR is parsed (and is then an invalid number).
        assertError(b("*" + "1".repeat(70_000) + "\r\n"), "ERR Protocol error: invalid multibulk length");
    }

    @Test
    void expectedDollar() {
        assertError(b("*1\r\nxyz\r\n"), "ERR Protocol error: expected '$', got 'x'");
        assertError(b("*2\r\n$4\r\nECHO\r\n:1\r\n"), "ERR Protocol error: expected '$', got ':'");
        assertError(b("*2\r\n$4\r\nECHO\r\n*1\r\n"), "ERR Protocol error: expected '$', got '*'");
        // The decoder reports the byte itself; the writer turns CR/LF into spaces on the wire.
        assertError(b("*1\r\n\r\n"), "ERR Protocol error: expected '$', got '\r'");
        assertError(b("*1\r\n\u00ffa\r\n"), "ERR Protocol error: expected '$', got '\u00ff'");
    }

    @Test
    void invalidBulkLength() {
        for (String len : List.of("-5", "-1", "abc", "-0", "01", "+1", " 1", "1 ", "", "1.5", "9223372036854775808")) {
            assertError(b("*1\r\n$" + len + "\r\n"), "ERR Protocol error: invalid bulk length");
        }
        RespDecoder d = decoder();
        d.protoMaxBulkLen = 1024 * 1024;
        assertError(d, b("*1\r\n$1048577\r\n"), "ERR Protocol error: invalid bulk length");
        RespDecoder ok = decoder();
        ok.protoMaxBulkLen = 1024 * 1024;
        assertWaits(ok, b("*1\r\n$1048576\r\n"));
        assertThat(ok.pendingBulk()).isEqualTo(1024 * 1024);
        // The default limit is Redis's 512 MB.
        assertError(b("*1\r\n$536870913\r\n"), "ERR Protocol error: invalid bulk length");
        assertWaits(decoder(), b("*1\r\n$536870912\r\n"));
    }

    @Test
    void tooBigBulkCountString() {
        assertError(b("*1\r\n$" + "1".repeat(64 * 1024)), "ERR Protocol error: too big bulk count string");
        Outcome o = feedWhole(b("*1\r\n$" + "1".repeat(64 * 1024 - 1)));
        assertThat(o.error()).isNull();
        assertThat(o.midRequest()).isTrue();
    }

    @Test
    void unauthenticatedLimits() {
        RespDecoder d = decoder();
        d.unauthenticated = true;
        assertError(d, b("*11\r\n"), "ERR Protocol error: unauthenticated multibulk length");
        RespDecoder d2 = decoder();
        d2.unauthenticated = true;
        assertError(d2, b("*1\r\n$16385\r\n"), "ERR Protocol error: unauthenticated bulk length");
        RespDecoder d3 = decoder();
        d3.unauthenticated = true;
        assertWaits(d3, b("*10\r\n$16384\r\n"));
        // Validity is checked before the unauthenticated limit, as in Redis.
        RespDecoder d4 = decoder();
        d4.unauthenticated = true;
        assertError(d4, b("*3000000000\r\n"), "ERR Protocol error: invalid multibulk length");
        RespDecoder d5 = decoder();
        d5.unauthenticated = true;
        assertError(d5, b("*1\r\n$-1\r\n"), "ERR Protocol error: invalid bulk length");
        // Authenticated clients have no such limits.
        assertWaits(decoder(), b("*11\r\n$16385\r\n"));
        // Inline requests have no argument limits, authenticated or not.
        RespDecoder d6 = decoder();
        d6.unauthenticated = true;
        assertThat(feed(d6, b("MSET a 1 b 2 c 3 d 4 e 5 f 6\r\n")).commands()).hasSize(1);
    }

    @Test
    void unbalancedQuotes() {
        for (String s : List.of("SET \"a\r\n", "SET 'a\r\n", "SET \"a\"b\r\n", "SET 'a'b\r\n", "ECHO \"a\\\"\r\n",
                "ECHO \"\r\n", "ECHO '\\'\r\n", "\"\r\n")) {
            assertError(b(s), "ERR Protocol error: unbalanced quotes in request");
        }
        // The commands before the bad line are still delivered.
        Outcome o = feedWhole(b("PING\r\n*1\r\n$4\r\nPING\r\nECHO \"x\r\nPING\r\n"));
        assertThat(o.commands()).containsExactly(cmd("PING"), cmd("PING"));
        assertThat(o.error()).isEqualTo("ERR Protocol error: unbalanced quotes in request");
    }

    @Test
    void tooBigInlineRequest() {
        assertError(b("a".repeat(64 * 1024 + 1)), "ERR Protocol error: too big inline request");
        Outcome o = feedWhole(b("a".repeat(64 * 1024)));
        assertThat(o.error()).isNull();
        assertThat(o.commands()).isEmpty();
        assertThat(o.midRequest()).isTrue();
    }

    @Test
    void errorMessagesAreRedisWording() {
        assertThat(Errors.PROTO_TOO_BIG_MBULK).isEqualTo("ERR Protocol error: too big mbulk count string");
        assertThat(Errors.PROTO_TOO_BIG_BULK).isEqualTo("ERR Protocol error: too big bulk count string");
        assertThat(Errors.PROTO_INVALID_BULK).isEqualTo("ERR Protocol error: invalid bulk length");
        assertThat(Errors.PROTO_UNAUTH_MBULK).isEqualTo("ERR Protocol error: unauthenticated multibulk length");
        assertThat(Errors.PROTO_UNAUTH_BULK).isEqualTo("ERR Protocol error: unauthenticated bulk length");
        assertThat(Errors.PROTO_TOO_BIG_INLINE).isEqualTo("ERR Protocol error: too big inline request");
        assertThat(Errors.PROTO_UNBALANCED).isEqualTo("ERR Protocol error: unbalanced quotes in request");
    }

    // ------------------------------------------------------------ garbage

    private static final Set<String> KNOWN_ERRORS = Set.of(Errors.PROTO_TOO_BIG_MBULK, Errors.PROTO_INVALID_MBULK,
            Errors.PROTO_UNAUTH_MBULK, Errors.PROTO_TOO_BIG_BULK, Errors.PROTO_INVALID_BULK, Errors.PROTO_UNAUTH_BULK,
            Errors.PROTO_TOO_BIG_INLINE, Errors.PROTO_UNBALANCED);

    private static final byte[] ALPHABET = b("*$\r\n\r\n0123456789-+ \t\"'\\xaAPING");

    @Test
    @Timeout(120)
    void seededRandomGarbageFailsCleanly() {
        int commands = 0, errors = 0, waiting = 0;
        for (long seed = 1; seed <= 3000; seed++) {
            Random rnd = new Random(seed);
            int len = 1 + rnd.nextInt(seed % 100 == 0 ? 70_000 : 400);
            byte[] in = new byte[len];
            for (int i = 0; i < len; i++) {
                in[i] = rnd.nextInt(8) == 0 ? (byte) rnd.nextInt(256) : ALPHABET[rnd.nextInt(ALPHABET.length)];
            }
            // Sometimes start with a well-formed prefix so the parser gets deep into a request.
            if (rnd.nextBoolean()) {
                byte[] prefix = b("*" + (1 + rnd.nextInt(4)) + "\r\n$" + rnd.nextInt(6) + "\r\n");
                byte[] joined = Arrays.copyOf(prefix, prefix.length + in.length);
                System.arraycopy(in, 0, joined, prefix.length, in.length);
                in = joined;
            }
            RespDecoder d = decoder();
            d.unauthenticated = rnd.nextBoolean();
            d.protoMaxBulkLen = 1024 * 1024;
            List<Integer> cuts = new ArrayList<>();
            for (int at = 1 + rnd.nextInt(32); at < in.length; at += 1 + rnd.nextInt(64)) cuts.add(at);
            Outcome o;
            try {
                o = feed(d, in, cuts.stream().mapToInt(Integer::intValue).toArray());
            } catch (RuntimeException | AssertionError e) {
                fail("seed " + seed + " threw " + e + " on " + printable(in), e);
                return;
            }
            for (List<String> c : o.commands()) assertThat(c).as("seed %d: a command has arguments", seed).isNotEmpty();
            if (o.error() != null) {
                errors++;
                boolean known = KNOWN_ERRORS.contains(o.error())
                        || o.error().matches("(?s)ERR Protocol error: expected '\\$', got '.'");
                assertThat(known).as("seed %d: unexpected error text %s", seed, o.error()).isTrue();
            } else if (o.midRequest()) {
                waiting++;
            }
            commands += o.commands().size();
            // Whole or cut, the same bytes give the same outcome.
            RespDecoder again = decoder();
            again.unauthenticated = d.unauthenticated;
            again.protoMaxBulkLen = d.protoMaxBulkLen;
            assertThat(feed(again, in)).as("seed %d whole vs cut", seed).isEqualTo(o);
        }
        // The generator reaches every outcome, so the run means something.
        assertThat(commands).isPositive();
        assertThat(errors).isPositive();
        assertThat(waiting).isPositive();
    }
}
