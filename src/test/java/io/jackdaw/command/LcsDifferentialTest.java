package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LCS replayed on Jackdaw and the reference redis-server, compared byte for byte, in RESP2 and
 * RESP3 (IDX answers a map in RESP3 and a flat array in RESP2). The only normalisation is of
 * HELLO's own reply (server version and connection id).
 */
class LcsDifferentialTest extends DifferentialTestBase {

    /** Each list of commands runs once in RESP2, then again after HELLO 3. */
    private void inBothProtocols(List<String[]> script) throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
        diff.runAll(script);
        diff.run("HELLO", "3");
        diff.runAll(script);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void repliesAndOptions() throws Exception {
        inBothProtocols(List.of(
                c("MSET", "a", "ohmytext", "b", "mynewtext"),
                c("LCS", "a", "b"), c("LCS", "a", "b", "LEN"), c("LCS", "a", "b", "IDX"),
                c("LCS", "a", "b", "IDX", "WITHMATCHLEN"), c("LCS", "a", "b", "idx", "minmatchlen", "4"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"),
                c("LCS", "a", "b", "WITHMATCHLEN", "MINMATCHLEN", "2", "IDX"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "0"), c("LCS", "a", "b", "IDX", "MINMATCHLEN", "-3"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "9223372036854775807"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "9223372036854775808"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "x"), c("LCS", "a", "b", "IDX", "MINMATCHLEN", ""),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN"), c("LCS", "a", "b", "MINMATCHLEN", "3"),
                c("LCS", "a", "b", "WITHMATCHLEN"), c("LCS", "a", "b", "MINMATCHLEN", "4", "LEN"),
                // Repeated options: flags stay set, the last MINMATCHLEN wins.
                c("LCS", "a", "b", "IDX", "IDX"), c("LCS", "a", "b", "LEN", "LEN"),
                c("LCS", "a", "b", "IDX", "MINMATCHLEN", "1", "MINMATCHLEN", "4"),
                c("LCS", "a", "b", "IDX", "WITHMATCHLEN", "WITHMATCHLEN"),
                // LEN with IDX is refused only after every option parsed.
                c("LCS", "a", "b", "LEN", "IDX"), c("LCS", "a", "b", "IDX", "LEN"),
                c("LCS", "a", "b", "LEN", "IDX", "BOGUS"), c("LCS", "a", "b", "LEN", "IDX", "MINMATCHLEN", "x"),
                c("LCS", "a", "b", "BOGUS"), c("LCS", "a", "b", "IDX", "4"), c("LCS", "a"), c("LCS"),
                // Missing keys read as empty strings.
                c("LCS", "a", "nokey"), c("LCS", "nokey", "b", "IDX"), c("LCS", "nokey", "other", "LEN"),
                c("LCS", "nokey", "other"), c("LCS", "nokey", "other", "IDX", "WITHMATCHLEN"),
                c("SET", "e", ""), c("LCS", "e", "e"), c("LCS", "e", "a", "IDX"), c("LCS", "a", "e", "LEN"),
                // Identical strings, a key with itself, nothing in common.
                c("LCS", "a", "a"), c("LCS", "a", "a", "IDX", "WITHMATCHLEN"), c("SET", "c", "ohmytext"),
                c("LCS", "a", "c", "IDX"), c("SET", "z", "QQQQ"), c("LCS", "a", "z"), c("LCS", "a", "z", "IDX"),
                c("LCS", "z", "a", "LEN"),
                // Integer-encoded values read as their digits.
                c("SET", "n", "1234567"), c("SET", "m", "-9223372036854775808"), c("LCS", "n", "m"),
                c("LCS", "n", "m", "IDX", "WITHMATCHLEN"), c("INCR", "n"), c("LCS", "m", "n", "LEN"),
                c("SET", "f", "1.5e3"), c("LCS", "f", "n", "IDX"),
                // Matches touching the first byte of either string end the walk there.
                c("MSET", "p", "abcXabc", "q", "abc"), c("LCS", "p", "q", "IDX", "WITHMATCHLEN"),
                c("LCS", "q", "p", "IDX", "WITHMATCHLEN"), c("MSET", "p", "aaaa", "q", "aa"),
                c("LCS", "p", "q", "IDX", "WITHMATCHLEN"), c("LCS", "q", "p", "IDX")));
    }

    @Test
    void binaryValues() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
        byte[] x = {0, (byte) 0xff, '\r', '\n', 0, 'a', (byte) 0x80, 0, 0, (byte) 0xfe, '\n'};
        byte[] y = {(byte) 0xff, 0, '\n', 'a', 0, (byte) 0x80, '\r', (byte) 0xfe, 0};
        for (String proto : List.of("2", "3")) {
            diff.run("HELLO", proto);
            diff.run(b("SET"), b("x"), x);
            diff.run(b("SET"), b("y"), y);
            diff.run("LCS", "x", "y");
            diff.run("LCS", "y", "x");
            diff.run("LCS", "x", "y", "IDX", "WITHMATCHLEN");
            diff.run("LCS", "y", "x", "IDX", "MINMATCHLEN", "2");
            diff.run("LCS", "x", "y", "LEN");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * Random pairs over small alphabets, where many paths tie: Redis's walk-back picks one, and
     * the subsequence, the ranges and their order must be the same as its.
     */
    @Test
    void randomPairsTieBreaking() throws Exception {
        Random rnd = new Random(0x1c5L);
        List<String[]> script = new ArrayList<>();
        for (int n = 0; n < 150; n++) {
            String alphabet = n % 3 == 0 ? "ab" : n % 3 == 1 ? "abc" : "ACGT";
            script.add(c("MSET", "s1", randomString(rnd, alphabet, rnd.nextInt(60)),
                    "s2", randomString(rnd, alphabet, rnd.nextInt(60))));
            script.add(c("LCS", "s1", "s2"));
            script.add(c("LCS", "s2", "s1", "LEN"));
            script.add(c("LCS", "s1", "s2", "IDX", "WITHMATCHLEN"));
            script.add(c("LCS", "s2", "s1", "IDX", "MINMATCHLEN", String.valueOf(rnd.nextInt(4))));
        }
        inBothProtocols(script);
    }

    /**
     * The memory bound: Redis refuses when (|a|+1)·(|b|+1)·4 bytes of table would pass
     * proto-max-bulk-len (here lowered to its 1 MB minimum, 512·512·4 = 1 MB exactly), and
     * checks it after the options, with LEN too.
     */
    @Test
    void tableLargerThanProtoMaxBulkLen() throws Exception {
        differential();
        String s511 = "x".repeat(511), s512 = "x".repeat(512);
        try {
            diff.runAll(List.of(
                    c("CONFIG", "SET", "proto-max-bulk-len", "1mb"),
                    c("MSET", "a", s511, "b", s511, "c", s512, "d", "xy".repeat(300)),
                    c("LCS", "a", "b", "LEN"), c("LCS", "a", "c", "LEN"), c("LCS", "c", "c", "LEN"),
                    c("LCS", "c", "c"), c("LCS", "c", "c", "IDX"), c("LCS", "c", "c", "LEN", "IDX"),
                    c("LCS", "c", "c", "BOGUS"), c("LCS", "a", "d", "IDX", "MINMATCHLEN", "2"),
                    c("LCS", "d", "nokey", "LEN"), c("LCS", "d", "a", "LEN")));
        } finally {
            diff.run("CONFIG", "SET", "proto-max-bulk-len", "512mb");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    private static String randomString(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
