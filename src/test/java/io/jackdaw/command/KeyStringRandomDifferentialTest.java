package io.jackdaw.command;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.Differential;
import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random command sequences over the generic-key and string commands, replayed on
 * Jackdaw and the reference redis-server and compared reply by reply, byte for byte.
 *
 * <p>A handful of keys (one empty, one binary, two sharing a hash tag) so that commands keep
 * meeting each other's values; values of shapes that find parsing and encoding bugs (empty,
 * binary, integers at the 64-bit edges, floats, long strings, near-numbers such as {@code 01},
 * {@code " 1"}, {@code -0}); every option of SET, GETEX, EXPIRE and LCS in random order and case,
 * with invalid arguments mixed in. Odd seeds run in RESP3.
 *
 * <p>Time: relative expiry times are large (at least 1000 s) and never repeat within a sequence,
 * in multiples of 1000 s, so that no two expiry times set a few milliseconds apart on the two
 * servers can compare differently under GT/LT; absolute times are far in the future or in the
 * past (SET's only in the future, see {@code futureTime}). Nothing expires while a sequence runs.
 *
 * <p>A sequence stops at its first mismatch (the two keyspaces may differ after it) and the
 * failure names the seed, the step, the command and the commands before it. The bugs these
 * sequences found also have fixed cases in StringDifferentialTest.
 */
class KeyStringRandomDifferentialTest extends DifferentialTestBase {
    private static final int STEPS = 3000;

    private static final String[] KEYS = {"k1", "k2", "k3", "{t}a", "{t}b", "", "bin\u0000\u00ff"};

    private static final String[] EDGE_INTEGERS = {
            "9223372036854775807", "9223372036854775806", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775807", "-9223372036854775809", "18446744073709551615", "0", "1", "-1",
            "4294967296", "-2147483648", "12345678901234567890"};

    private static final String[] FLOATS = {
            "3.5", "-0.0", "0.1", "1e10", "1.5e-7", "1e308", "-1e308", "2.5E3", "inf", "-inf", "+inf", "nan",
            "1e4000", "1e5000", "0.0000000000000000001", "3.0000000000000000001", "1.7976931348623157e308",
            "5e-324", "10.50", ".5", "5.", "1e", "0x10", "1_0"};

    private static final String[] NEAR_NUMBERS = {
            "-0", " 1", "1 ", "01", "+1", "00", "-", "+", "0x1A", "1e3", "1.0", "--1", "1\u0000", "\t1", "1\u00a0"};

    /*
     * TTL, PTTL, EXPIRETIME and PEXPIRETIME: both servers read their own clock, and a relative
     * expiry is fixed from each one's own "now", a few milliseconds apart. Where both replies
     * are positive (a live expiry) they may therefore differ by the time between the two
     * servers' handling, which rounding can turn into one second. Those replies are compared
     * within 1 s (or 1000 ms); -1 and -2, and every other reply, must be identical. This is
     * the only normalisation: no reply of these commands differs between the reference's 7.0.15
     * and our 7.2 target (INCRBYFLOAT's formatting included), so none is normalised for version.
     */
    private static final Set<String> CLOCK_READERS = Set.of("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME");
    private static final Pattern POSITIVE = Pattern.compile(":([1-9][0-9]*)\r\n");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 20261122L, 0xC0FFEEL, 77_777L, 314159L, 1009L, 1096L})
    void randomSequence(long seed) throws Exception {
        assumeTrue(ref != null, "no reference redis-server installed");
        Random rnd = new Random(seed);
        Generator g = new Generator(rnd);
        try (RespConnection a = new RespConnection(ours.port()); RespConnection b = new RespConnection(ref.port())) {
            a.call("FLUSHALL");
            b.call("FLUSHALL");
            boolean resp3 = (seed & 1) == 1;
            if (resp3) {
                // HELLO's own reply carries each server's version; ConnectionDifferentialTest compares it.
                a.call("HELLO", "3");
                b.call("HELLO", "3");
            }
            Deque<String> recent = new ArrayDeque<>();
            for (int step = 0; step < STEPS; step++) {
                byte[][] cmd = g.next();
                String shown = show(cmd);
                String mine = a.call(cmd), theirs = b.call(cmd);
                if (!sameReply(cmd, mine, theirs)) {
                    fail("seed " + seed + (resp3 ? " (RESP3)" : " (RESP2)") + ", step " + step + ": " + shown
                            + "\n  jackdaw: " + Differential.printable(mine)
                            + "\n  redis:   " + Differential.printable(theirs)
                            + "\n  preceding commands:\n    " + String.join("\n    ", recent));
                }
                recent.addLast(step + ": " + shown);
                if (recent.size() > 8) recent.removeFirst();
            }
            // The final keyspaces agree too: every key's value and expiry state.
            for (String k : KEYS) {
                for (String check : List.of("TYPE", "GET", "TTL", "STRLEN")) {
                    byte[][] cmd = {bytes(check), bytes(k)};
                    String mine = a.call(cmd), theirs = b.call(cmd);
                    if (!sameReply(cmd, mine, theirs)) {
                        fail("seed " + seed + ", final state: " + show(cmd) + "\n  jackdaw: "
                                + Differential.printable(mine) + "\n  redis:   " + Differential.printable(theirs));
                    }
                }
            }
        }
    }

    private static boolean sameReply(byte[][] cmd, String mine, String theirs) {
        if (mine.equals(theirs)) return true;
        String name = new String(cmd[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        if (!CLOCK_READERS.contains(name)) return false;
        Matcher m1 = POSITIVE.matcher(mine), m2 = POSITIVE.matcher(theirs);
        if (!m1.matches() || !m2.matches()) return false;
        long slack = name.startsWith("P") ? 1000 : 1;
        return Math.abs(Long.parseLong(m1.group(1)) - Long.parseLong(m2.group(1))) <= slack;
    }

    /** Builds one random command at a time. */
    private static final class Generator {
        private final Random r;
        /** Relative times handed out so far, in seconds: never reused (see the class comment). */
        private final Set<Long> usedRelative = new HashSet<>();

        Generator(Random r) { this.r = r; }

        byte[][] next() {
            List<String> c = new ArrayList<>();
            int pick = r.nextInt(106);
            if (pick < 10) set(c);
            else if (pick < 14) c.addAll(List.of("GET", key()));
            else if (pick < 16) c.addAll(List.of("SETNX", key(), value()));
            else if (pick < 18) c.addAll(List.of("SETEX", key(), relativeTime(false), value()));
            else if (pick < 19) c.addAll(List.of("PSETEX", key(), relativeTime(true), value()));
            else if (pick < 21) c.addAll(List.of("GETSET", key(), value()));
            else if (pick < 23) c.addAll(List.of("GETDEL", key()));
            else if (pick < 26) getex(c);
            else if (pick < 28) keys(c, "MGET", 1 + r.nextInt(4));
            else if (pick < 30) mset(c, "MSET");
            else if (pick < 31) mset(c, "MSETNX");
            else if (pick < 35) c.addAll(List.of("APPEND", key(), value()));
            else if (pick < 37) c.addAll(List.of("STRLEN", key()));
            else if (pick < 40) c.addAll(List.of(r.nextInt(4) == 0 ? "SUBSTR" : "GETRANGE", key(), offset(), offset()));
            else if (pick < 43) c.addAll(List.of("SETRANGE", key(), setrangeOffset(), value()));
            else if (pick < 46) c.addAll(List.of("INCR", key()));
            else if (pick < 48) c.addAll(List.of("DECR", key()));
            else if (pick < 51) c.addAll(List.of("INCRBY", key(), integer()));
            else if (pick < 53) c.addAll(List.of("DECRBY", key(), integer()));
            else if (pick < 57) c.addAll(List.of("INCRBYFLOAT", key(), floatArg()));
            else if (pick < 61) lcs(c);
            else if (pick < 63) keys(c, "DEL", 1 + r.nextInt(3));
            else if (pick < 64) keys(c, "UNLINK", 1 + r.nextInt(3));
            else if (pick < 67) keys(c, "EXISTS", 1 + r.nextInt(3));
            else if (pick < 69) c.addAll(List.of("TYPE", key()));
            else if (pick < 71) c.addAll(List.of("RENAME", key(), key()));
            else if (pick < 72) c.addAll(List.of("RENAMENX", key(), key()));
            else if (pick < 73) keys(c, "TOUCH", 1 + r.nextInt(3));
            else if (pick < 82) expire(c);
            else if (pick < 89) c.addAll(List.of(oneOf("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"), key()));
            else if (pick < 92) c.addAll(List.of("PERSIST", key()));
            else if (pick < 94) c.add("DBSIZE");
            else if (pick < 97) c.addAll(List.of("SET", key(), value()));
            else if (pick < 98) wrongArity(c);
            else if (pick < 101) copy(c);
            else if (pick < 102) c.addAll(List.of("MOVE", key(), oneOf("0", "1", "1", "16", "x")));
            else if (pick < 105) c.addAll(List.of(casing("OBJECT"), oneOf("ENCODING", "encoding", "REFCOUNT"), key()));
            else c.addAll(List.of("SWAPDB", "0", oneOf("1", "1", "0", "-1")));
            byte[][] out = new byte[c.size()][];
            for (int i = 0; i < out.length; i++) out[i] = bytes(c.get(i));
            return out;
        }

        // ---------------------------------------------------------- commands

        /** COPY within db 0 or into db 1 (MOVE and SWAPDB bring such keys back into view). */
        private void copy(List<String> c) {
            c.addAll(List.of(casing("COPY"), key(), key()));
            if (r.nextInt(3) == 0) c.addAll(List.of(casing("DB"), oneOf("0", "1", "1", "16", "x")));
            if (r.nextInt(2) == 0) c.add(casing("REPLACE"));
        }

        private void set(List<String> c) {
            c.addAll(List.of(casing("SET"), key(), value()));
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(9)) {
                    case 0 -> c.add(casing("NX"));
                    case 1 -> c.add(casing("XX"));
                    case 2 -> c.add(casing("GET"));
                    case 3 -> c.add(casing("KEEPTTL"));
                    case 4 -> c.addAll(List.of(casing("EX"), relativeTime(false)));
                    case 5 -> c.addAll(List.of(casing("PX"), relativeTime(true)));
                    case 6 -> c.addAll(List.of(casing("EXAT"), futureTime(false)));
                    case 7 -> c.addAll(List.of(casing("PXAT"), futureTime(true)));
                    default -> c.add(oneOf("EX", "BOGUS", "PERSIST"));  // missing time, unknown, GETEX-only
                }
            }
        }

        private void getex(List<String> c) {
            c.addAll(List.of(casing("GETEX"), key()));
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(7)) {
                    case 0 -> c.addAll(List.of(casing("EX"), relativeTime(false)));
                    case 1 -> c.addAll(List.of(casing("PX"), relativeTime(true)));
                    case 2 -> c.addAll(List.of(casing("EXAT"), absoluteTime(false)));
                    case 3 -> c.addAll(List.of(casing("PXAT"), absoluteTime(true)));
                    case 4 -> c.add(casing("PERSIST"));
                    default -> c.add(oneOf("KEEPTTL", "NX", "PX"));
                }
            }
        }

        private void expire(List<String> c) {
            int kind = r.nextInt(4);
            String name = new String[] {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"}[kind];
            boolean ms = kind % 2 == 1;
            String time = kind < 2 ? relativeTime(ms) : absoluteTime(ms);
            if (kind < 2 && r.nextInt(8) == 0) time = oneOf("0", "-1", "-100");  // deletes, as a past time does
            c.addAll(List.of(casing(name), key(), time));
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) c.add(casing(oneOf("NX", "XX", "GT", "LT", "GT", "LT", "BOGUS")));
        }

        private void lcs(List<String> c) {
            c.addAll(List.of(casing("LCS"), key(), key()));
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(6)) {
                    case 0 -> c.add(casing("LEN"));
                    case 1, 2 -> c.add(casing("IDX"));
                    case 3 -> c.add(casing("WITHMATCHLEN"));
                    case 4 -> c.addAll(List.of(casing("MINMATCHLEN"), oneOf("0", "1", "2", "3", "-1", "100", "x",
                            "9223372036854775807")));
                    default -> c.add(oneOf("MINMATCHLEN", "BOGUS"));
                }
            }
        }

        private void mset(List<String> c, String name) {
            c.add(name);
            int pairs = 1 + r.nextInt(3);
            for (int i = 0; i < pairs; i++) c.addAll(List.of(key(), value()));
            if (r.nextInt(15) == 0) c.add(key());  // odd count: wrong number of arguments
        }

        private void keys(List<String> c, String name, int n) {
            c.add(casing(name));
            for (int i = 0; i < n; i++) c.add(key());
        }

        private void wrongArity(List<String> c) {
            switch (r.nextInt(8)) {
                case 0 -> c.add("GET");
                case 1 -> c.addAll(List.of("SET", key()));
                case 2 -> c.addAll(List.of("SETEX", key(), "100"));
                case 3 -> c.addAll(List.of("GETRANGE", key(), "0"));
                case 4 -> c.addAll(List.of("LCS", key()));
                case 5 -> c.addAll(List.of("EXPIRE", key()));
                case 6 -> c.addAll(List.of("DBSIZE", key()));
                default -> c.addAll(List.of("TTL", key(), key()));
            }
        }

        // ---------------------------------------------------------- arguments

        private String key() { return KEYS[r.nextInt(KEYS.length)]; }

        private String oneOf(String... s) { return s[r.nextInt(s.length)]; }

        /** An option or command name in upper, lower or mixed case. */
        private String casing(String s) {
            return switch (r.nextInt(3)) {
                case 0 -> s.toLowerCase(Locale.ROOT);
                case 1 -> s;
                default -> {
                    StringBuilder sb = new StringBuilder(s);
                    for (int i = 0; i < sb.length(); i += 2) sb.setCharAt(i, Character.toLowerCase(sb.charAt(i)));
                    yield sb.toString();
                }
            };
        }

        String value() {
            return switch (r.nextInt(10)) {
                case 0 -> "";
                case 1 -> binary(1 + r.nextInt(24));
                case 2 -> nearBoundary();
                case 3 -> String.valueOf(r.nextInt(201) - 100);
                case 4 -> FLOATS[r.nextInt(FLOATS.length)];
                // Past the 44-byte embstr limit; now and then past 64 KiB (records with a long header).
                case 5 -> r.nextInt(40) == 0 ? text("ab", 65_530 + r.nextInt(20))
                        : text("abcdefghij", 45 + r.nextInt(300));
                case 6 -> NEAR_NUMBERS[r.nextInt(NEAR_NUMBERS.length)];
                default -> text("abc", r.nextInt(10));
            };
        }

        /** An integer at, or within 2 of, an edge of the 64-bit range (some just outside it). */
        private String nearBoundary() {
            BigInteger base = switch (r.nextInt(3)) {
                case 0 -> BigInteger.valueOf(Long.MAX_VALUE);
                case 1 -> BigInteger.valueOf(Long.MIN_VALUE);
                default -> BigInteger.ZERO;
            };
            return base.add(BigInteger.valueOf(r.nextInt(5) - 2)).toString();
        }

        private String binary(int n) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(r.nextInt(4) == 0 ? oneOf("\u0000", "\r", "\n", "\u00ff", "\u0080").charAt(0)
                        : (char) r.nextInt(256));
            }
            return sb.toString();
        }

        private String text(String alphabet, int n) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            return sb.toString();
        }

        private String integer() {
            return switch (r.nextInt(6)) {
                case 0 -> EDGE_INTEGERS[r.nextInt(EDGE_INTEGERS.length)];
                case 1 -> NEAR_NUMBERS[r.nextInt(NEAR_NUMBERS.length)];
                case 2 -> nearBoundary();
                default -> String.valueOf(r.nextInt(2001) - 1000);
            };
        }

        private String floatArg() {
            return switch (r.nextInt(4)) {
                case 0 -> integer();
                case 1 -> String.valueOf(r.nextInt(2001) - 1000) + "." + r.nextInt(1000);
                default -> FLOATS[r.nextInt(FLOATS.length)];
            };
        }

        /** GETRANGE offsets: small, mostly, sometimes at the 64-bit edges. */
        private String offset() {
            return r.nextInt(8) == 0 ? oneOf("9223372036854775807", "-9223372036854775808", "x", "")
                    : String.valueOf(r.nextInt(41) - 20);
        }

        /** SETRANGE offsets: small, negative, or so large that Redis refuses before allocating. */
        private String setrangeOffset() {
            return switch (r.nextInt(10)) {
                case 0 -> oneOf("-1", "x", "536870912", "9223372036854775807");
                case 1 -> String.valueOf(r.nextInt(5) == 0 ? 65_500 + r.nextInt(100) : 100 + r.nextInt(400));
                default -> String.valueOf(r.nextInt(20));
            };
        }

        /**
         * A relative time (seconds, or ms when {@code ms}): fresh multiples of 1000 s, or an
         * invalid or overflowing one now and then.
         */
        private String relativeTime(boolean ms) {
            if (r.nextInt(10) == 0) {
                return oneOf("0", "-5", "abc", "", "1.5", "9223372036854775807", "-9223372036854775808",
                        "9223372036854775", "9223372036854776");
            }
            long s;
            do {
                s = 1000L * (1 + r.nextInt(1_000_000));
            } while (!usedRelative.add(s));
            return String.valueOf(ms ? s * 1000 : s);
        }

        /** An absolute unix time: far future (years 2096 to 2286), or well past, or invalid. */
        private String absoluteTime(boolean ms) {
            long s = switch (r.nextInt(10)) {
                case 0 -> 1 + r.nextInt(1_000_000_000);  // before 2002: the key is deleted
                case 1 -> 0;
                case 2 -> -1;
                default -> 4_000_000_000L + 1000L * r.nextInt(6_000_000) + 7;
            };
            if (r.nextInt(20) == 0) return oneOf("x", "9223372036854775807");
            return String.valueOf(ms ? s * 1000 : s);
        }

        /**
         * SET's EXAT/PXAT: a far-future time, or zero, negative or invalid ones (errors), but no
         * positive past time. Redis 7.0 and 7.2 store such a key already expired, and DBSIZE
         * counts it until their expire cycle (every 100 ms) happens to remove it, so DBSIZE
         * would answer by timing; Jackdaw never stores it. Every read answers the same either
         * way, and StringDifferentialTest covers those reads (SET ... EXAT 1, then GET).
         */
        private String futureTime(boolean ms) {
            if (r.nextInt(10) == 0) return oneOf("0", "-1", "x", "9223372036854775807", "9223372036854775");
            return String.valueOf((4_000_000_000L + 1000L * r.nextInt(6_000_000) + 7) * (ms ? 1000 : 1));
        }
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String show(byte[][] cmd) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : cmd) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append('"').append(Differential.printable(new String(a, StandardCharsets.ISO_8859_1))).append('"');
        }
        return sb.toString();
    }
}
