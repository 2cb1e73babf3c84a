package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.ReferenceServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.CommandListFilterByParams;

/**
 * {@link Glob} against Redis's stringmatchlen. The case-sensitive table is what {@code KEYS}
 * answered on redis-server 7.0.15 (x86-64) for a database holding just that key; the nocase
 * table follows {@code COMMAND LIST FILTERBY PATTERN}, which matches without case. Strings are
 * ISO-8859-1 so that each char is one byte. Two seeded differentials replay random patterns on
 * a live reference server when one is installed.
 */
class GlobTest {
    static Arguments c(String pattern, String s, boolean matches) { return Arguments.of(pattern, s, matches); }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static boolean match(String p, String s, boolean nocase) {
        byte[] pb = b(p), sb = b(s);
        return Glob.match(pb, 0, pb.length, sb, 0, sb.length, nocase);
    }

    static Stream<Arguments> redisKeysCases() {
        return Stream.of(
            // Note: KEYS "*" lists every key, the empty one too, without matching (allkeys); the
            // matcher itself says "*" does not match "", as stringmatchlen does.
            c("*", "", false),
            c("*", "abc", true),
            c("", "", true),
            c("", "a", false),
            c("?", "", false),
            c("?", "a", true),
            c("??", "a", false),
            c("a*", "a", true),
            c("*a", "ba", true),
            c("a*b*c", "abc", true),
            c("a*b*c", "aXbYc", true),
            c("a*b*c", "acb", false),
            c("**", "", false),
            c("***a", "bbba", true),
            c("a**", "a", true),
            c("*?*", "", false),
            c("*?*", "x", true),
            c("h?llo", "hello", true),
            c("h?llo", "hllo", false),
            c("h*llo", "hllo", true),
            c("h[ae]llo", "hello", true),
            c("h[ae]llo", "hillo", false),
            c("h[^e]llo", "hallo", true),
            c("h[^e]llo", "hello", false),
            c("h[a-b]llo", "hbllo", true),
            c("h[b-a]llo", "hallo", true),
            c("h[z-a]llo", "hmllo", true),
            c("h[a-c]llo", "hdllo", false),
            c("\\*", "*", true),
            c("\\*", "a", false),
            c("a\\?", "a?", true),
            c("a\\?", "ab", false),
            c("\\[a]", "[a]", true),
            c("\\[a]", "a", false),
            c("[\\]]", "]", true),
            c("[\\-]", "-", true),
            c("[a\\-z]", "-", true),
            c("[a\\-z]", "b", false),
            c("[\\^a]", "^", true),
            c("[\\^a]", "b", false),
            c("a\\", "a\\", true),
            c("a\\", "a", false),
            c("\\", "\\", true),
            c("\\\\", "\\", true),
            c("[\\", "\\", true),
            c("[a\\", "\\", true),
            c("[abc", "a", true),
            c("[abc", "c", true),
            c("[abc", "ab", false),
            c("[abc", "d", false),
            c("[^abc", "d", true),
            c("[^abc", "a", false),
            c("[", "[", false),
            c("[", "", false),
            c("a[", "a[", false),
            c("a[", "a", false),
            c("[]", "]", false),
            c("[]", "", false),
            c("[]a]", "]", false),
            c("[]a]", "a]", false),
            c("[^]", "x", true),
            c("[^]", "", false),
            c("[^]", "xy", false),
            c("[^", "x", true),
            c("[a-]", "_", true),
            c("[a-]", "a", true),
            c("[a-]", "-", false),
            c("[a-]", "b", false),
            c("[-a]", "-", true),
            c("[a-c-e]", "d", false),
            c("[a-c-e]", "-", true),
            c("[a-c-e]", "e", true),
            c("[a-c-e]", "b", true),
            c("*[abc", "xxb", true),
            c("[abc*", "a", true),
            c("x[a-", "xa", true),
            c("x[a-", "x-", true),
            c("a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
            c("*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false),
            c("*?", "abc", true),
            c("?*?", "ab", true),
            c("?*?", "a", false),
            c("[a-\u00ff]", "b", false),
            c("[a-\u00ff]", "0", true),
            c("[a-\u00ff]", "\u00ff", true),
            c("[a-\u00ff]", "\u0080", false),
            c("[\u0080-\u00ff]", "\u0090", true),
            c("[\u0080-\u00ff]", "a", false),
            c("[^a-\u00ff]", "b", true),
            c("[\u0000-\u007f]", "\u0080", false),
            c("\u00e9*", "\u00e9t\u00e9", true),
            c("?", "\u00ff", true),
            c("[*]", "*", true),
            c("[?]", "a", false),
            c("[[]", "[", true),
            c("*]", "a]", true),
            c("]", "]", true),
            c("-", "-", true),
            c("^", "^", true),
            c("a\u0000b", "a\u0000b", true),
            c("a?b", "a\u0000b", true),
            c("[\u0000]", "\u0000", true));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" ~ \"{1}\" = {2}")
    @MethodSource("redisKeysCases")
    void matchesLikeRedisKeys(String pattern, String s, boolean expected) {
        assertThat(match(pattern, s, false)).isEqualTo(expected);
        // Offsets inside bigger arrays are honoured.
        byte[] pb = b("##" + pattern + "##"), sb = b("@" + s + "@@@");
        assertThat(Glob.match(pb, 2, pattern.length(), sb, 1, s.length(), false)).isEqualTo(expected);
    }

    static Stream<Arguments> nocaseCases() {
        return Stream.of(
            c("GET", "get", true), c("G[A-E]T", "get", true), c("[^G]ET", "set", true), c("[^G]ET", "get", false),
            c("\\GET", "get", true),
            // An escaped char inside a class is compared exactly, even without case.
            c("[\\G]ET", "get", false), c("[\\g]et", "get", true),
            c("g[^E]t", "get", false), c("[F-H]et", "get", true), c("[f-h]ET", "get", true), c("G?T", "get", true),
            c("[A-Z]et", "set", true), c("[^a-z]et", "get", false), c("mge[S-U]", "mget", true),
            c("*SCAN*", "hscan", true), c("config|G[A-Z]T", "config|get", true), c("hello", "HeLLo", true),
            c("[z-a]", "Q", true), c("h[^A]llo", "hallo", false), c("\u00c9", "\u00e9", false));
    }

    @ParameterizedTest(name = "[{index}] nocase \"{0}\" ~ \"{1}\" = {2}")
    @MethodSource("nocaseCases")
    void matchesWithoutCase(String pattern, String s, boolean expected) {
        assertThat(match(pattern, s, true)).isEqualTo(expected);
        assertThat(Glob.match(pattern, s, true)).as("String overload").isEqualTo(expected);
    }

    @Test
    void caseMattersUnlessNocase() {
        assertThat(match("HELLO", "hello", false)).isFalse();
        assertThat(match("HELLO", "hello", true)).isTrue();
        assertThat(match("[A-C]", "b", false)).isFalse();
        assertThat(match("[A-C]", "b", true)).isTrue();
    }

    /** Patterns that would backtrack without end finish at once (skip-longer-matches and the nesting cap). */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void pathologicalPatternsFinish() {
        String a = "a".repeat(5000);
        assertThat(match("*a".repeat(40) + "b", a, false)).isFalse();
        assertThat(match("a*".repeat(2000) + "b", a, false)).isFalse();
        assertThat(match("*?".repeat(30) + "x", a, false)).isFalse();
        assertThat(match("*a".repeat(500), a, false)).isTrue();
        // Past 1000 nested stars Redis gives up and reports no match; so does Glob.
        assertThat(match("*a".repeat(1100), "a".repeat(1100), false)).isFalse();
    }

    // ------------------------------------------------------------------ differentials

    static final HexFormat HEX = HexFormat.of();

    static byte[] randomFrom(Random r, byte[] alphabet, int maxLen, int highBytePercent) {
        byte[] out = new byte[r.nextInt(maxLen + 1)];
        for (int i = 0; i < out.length; i++)
            out[i] = r.nextInt(100) < highBytePercent ? (byte) (0x80 + r.nextInt(128)) : alphabet[r.nextInt(alphabet.length)];
        return out;
    }

    /** KEYS with random patterns over random keys on redis-server versus Glob over the same keys. */
    @Test
    void keysDifferentialAgainstTheReferenceServer() throws Exception {
        if (!ReferenceServer.available()) ReferenceServer.warnMissing("GlobTest.keysDifferentialAgainstTheReferenceServer");
        assumeTrue(ReferenceServer.available(), "no reference redis-server installed");
        Random r = new Random(4242);
        byte[] keyAlphabet = b("aabbcAB-^]\\[*?x");
        byte[] patAlphabet = b("aabbcAB**??[[]]^-\\x");
        List<byte[]> keys = new ArrayList<>();
        Set<String> distinct = new LinkedHashSet<>();
        while (keys.size() < 300) {
            byte[] k = randomFrom(r, keyAlphabet, 6, 3);
            if (distinct.add(HEX.formatHex(k))) keys.add(k);
        }
        List<String> mismatches = new ArrayList<>();
        try (ReferenceServer ref = ReferenceServer.start(); Jedis j = new Jedis("127.0.0.1", ref.port())) {
            for (byte[] k : keys) j.set(k, b("v"));
            assertThat(j.dbSize()).isEqualTo(keys.size());
            for (int i = 0; i < 3000; i++) {
                byte[] p = randomFrom(r, patAlphabet, 7, 2);
                List<String> redis = new ArrayList<>();
                for (byte[] k : j.keys(p)) redis.add(HEX.formatHex(k));
                boolean all = p.length == 1 && p[0] == '*';   // KEYS's allkeys shortcut
                List<String> ours = new ArrayList<>();
                for (byte[] k : keys) if (all || Glob.match(p, 0, p.length, k, 0, k.length, false)) ours.add(HEX.formatHex(k));
                redis.sort(null);
                ours.sort(null);
                if (!redis.equals(ours)) mismatches.add(new String(p, StandardCharsets.ISO_8859_1) + " redis=" + redis + " glob=" + ours);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /** Nocase matching: COMMAND LIST FILTERBY PATTERN over the reference's command names versus Glob. */
    @Test
    void nocaseDifferentialAgainstTheReferenceServer() throws Exception {
        if (!ReferenceServer.available()) ReferenceServer.warnMissing("GlobTest.nocaseDifferentialAgainstTheReferenceServer");
        assumeTrue(ReferenceServer.available(), "no reference redis-server installed");
        Random r = new Random(4343);
        byte[] patAlphabet = b("eEtTsSgGaArR*?[]^-|\\");
        List<String> mismatches = new ArrayList<>();
        try (ReferenceServer ref = ReferenceServer.start(); Jedis j = new Jedis("127.0.0.1", ref.port())) {
            List<String> names = j.commandListFilterBy(CommandListFilterByParams.commandListFilterByParams().filterByPattern("*"));
            assertThat(names).hasSizeGreaterThan(200).contains("get", "config|get");
            for (int i = 0; i < 1500; i++) {
                String p = new String(randomFrom(r, patAlphabet, 6, 0), StandardCharsets.ISO_8859_1);
                if (r.nextBoolean()) p = "*" + p;
                if (r.nextBoolean()) p = p + "*";
                List<String> redis = new ArrayList<>(j.commandListFilterBy(
                        CommandListFilterByParams.commandListFilterByParams().filterByPattern(p)));
                List<String> ours = new ArrayList<>();
                for (String n : names) if (match(p, n, true)) ours.add(n);
                redis.sort(null);
                ours.sort(null);
                if (!redis.equals(ours)) mismatches.add(p + " redis=" + redis + " glob=" + ours);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
