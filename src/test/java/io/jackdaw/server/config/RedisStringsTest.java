package io.jackdaw.server.config;

import io.jackdaw.types.Glob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedisStringsTest {

    @Test
    void splitArgsFollowsSdssplitargs() {
        assertThat(RedisStrings.splitArgs("  set  a   b ")).containsExactly("set", "a", "b");
        assertThat(RedisStrings.splitArgs("")).isEmpty();
        assertThat(RedisStrings.splitArgs("a \"b c\" 'd e'")).containsExactly("a", "b c", "d e");
        assertThat(RedisStrings.splitArgs("\"\\n\\r\\t\\b\\a\\\\\\\"\\q\"")).containsExactly("\n\r\t\b\u0007\\\"q");
        assertThat(RedisStrings.splitArgs("\"\\x41\\x7a\\xc3\\xa4\\xZZ\"")).containsExactly("AzäxZZ");
        assertThat(RedisStrings.splitArgs("'it\\'s' '\\n'")).containsExactly("it's", "\\n");
        assertThat(RedisStrings.splitArgs("\"\" ''")).containsExactly("", "");
        // A quote may start in the middle of an argument, but a closing one must end it.
        assertThat(RedisStrings.splitArgs("ab\"c d\"")).containsExactly("abc d");
        assertThat(RedisStrings.splitArgs("\"a\"b")).isNull();
        assertThat(RedisStrings.splitArgs("'a'b")).isNull();
        assertThat(RedisStrings.splitArgs("\"open")).isNull();
        assertThat(RedisStrings.splitArgs("'open")).isNull();
        assertThat(RedisStrings.splitArgs("\"trailing backslash\\")).isNull();
        // Form feed separates arguments only between them, not inside an unquoted one.
        assertThat(RedisStrings.splitArgs("a\fb")).containsExactly("a\fb");
        assertThat(RedisStrings.splitArgs("\u000ba")).containsExactly("a");
    }

    @Test
    void reprRoundTripsThroughSplitArgs() {
        Random rnd = new Random(42);
        String alphabet = "ab \"'\\\n\r\t\u0007\b\u0001\u007fé€😀x";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int j = 0; j < len; j++) {
                int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length()))));
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            String repr = RedisStrings.repr(s);
            assertThat(repr.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).as(repr).isTrue();
            assertThat(RedisStrings.splitArgs("x " + repr)).as(repr).containsExactly("x", s);
        }
        assertThat(RedisStrings.repr("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\x01\\xc3\\xa9\"");
    }

    @Test
    void string2llIsStrict() {
        assertThat(RedisStrings.string2ll("0")).isZero();
        assertThat(RedisStrings.string2ll("-1")).isEqualTo(-1);
        assertThat(RedisStrings.string2ll("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(RedisStrings.string2ll("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        for (String bad : List.of("", "-", "+1", "01", "-0", " 1", "1 ", "1e3", "9223372036854775808",
                "-9223372036854775809", "99999999999999999999", "0x10", "1.0")) {
            assertThat(RedisStrings.string2ll(bad)).as(bad).isNull();
        }
        Random rnd = new Random(1);
        for (int i = 0; i < 5000; i++) {
            long v = rnd.nextLong() >> rnd.nextInt(64);
            assertThat(RedisStrings.string2ll(Long.toString(v))).isEqualTo(v);
        }
    }

    @Test
    void strtollBehavesLikeC() {
        assertThat(RedisStrings.strtoll("", 10)).isEqualTo(new RedisStrings.Strtol(0, 0, false));
        assertThat(RedisStrings.strtoll("  +42x", 10)).isEqualTo(new RedisStrings.Strtol(42, 5, false));
        assertThat(RedisStrings.strtoll("-17", 10).value()).isEqualTo(-17);
        assertThat(RedisStrings.strtoll("0777", 8).value()).isEqualTo(511);
        assertThat(RedisStrings.strtoll("78", 8)).isEqualTo(new RedisStrings.Strtol(7, 1, false));
        assertThat(RedisStrings.strtoll("99999999999999999999", 10).overflow()).isTrue();
        assertThat(RedisStrings.strtoll("-9223372036854775808", 10).value()).isEqualTo(Long.MIN_VALUE);
        assertThat(RedisStrings.strtoll("x", 10).consumedAll("x")).isFalse();
    }

    @Test
    void memtoullUnits() {
        assertThat(RedisStrings.memtoull("1")).isEqualTo(1);
        assertThat(RedisStrings.memtoull("1b")).isEqualTo(1);
        assertThat(RedisStrings.memtoull("1k")).isEqualTo(1000);
        assertThat(RedisStrings.memtoull("1KB")).isEqualTo(1024);
        assertThat(RedisStrings.memtoull("2m")).isEqualTo(2_000_000);
        assertThat(RedisStrings.memtoull("2Mb")).isEqualTo(2 * 1024 * 1024);
        assertThat(RedisStrings.memtoull("3g")).isEqualTo(3_000_000_000L);
        assertThat(RedisStrings.memtoull("3gB")).isEqualTo(3L << 30);
        assertThat(RedisStrings.memtoull("")).isZero();
        assertThat(RedisStrings.memtoull("18446744073709551615")).isEqualTo(-1L);
        for (String bad : List.of("-1", "1x", "1 mb", "1tb", "mb1", " 1", "1.5mb")) {
            assertThat(RedisStrings.memtoull(bad)).as(bad).isNull();
        }
        assertThat(RedisStrings.formatMemory(0)).isEqualTo("0");
        assertThat(RedisStrings.formatMemory(1024)).isEqualTo("1kb");
        assertThat(RedisStrings.formatMemory(1536 * 1024)).isEqualTo("1536kb");
        assertThat(RedisStrings.formatMemory(64L << 20)).isEqualTo("64mb");
        assertThat(RedisStrings.formatMemory(2L << 30)).isEqualTo("2gb");
        assertThat(RedisStrings.formatMemory(1000)).isEqualTo("1000");
    }

    @Test
    void globMatchesLikeRedis() {
        assertThat(Glob.match("*", "anything", false)).isTrue();
        // Redis's matcher never matches an empty string, not even with "*".
        assertThat(Glob.match("*", "", false)).isFalse();
        assertThat(Glob.match("a*b", "ab", false)).isTrue();
        assertThat(Glob.match("a?c", "abc", false)).isTrue();
        assertThat(Glob.match("a?c", "ac", false)).isFalse();
        assertThat(Glob.match("[a-c]x", "bx", false)).isTrue();
        assertThat(Glob.match("[c-a]x", "bx", false)).isTrue();
        assertThat(Glob.match("[^a-c]x", "bx", false)).isFalse();
        assertThat(Glob.match("\\*", "*", false)).isTrue();
        assertThat(Glob.match("\\*", "a", false)).isFalse();
        assertThat(Glob.match("[\\]]", "]", false)).isTrue();
        assertThat(Glob.match("PORT", "port", true)).isTrue();
        assertThat(Glob.match("PORT", "port", false)).isFalse();
        assertThat(Glob.match("[A-C]", "b", true)).isTrue();
        // An unterminated class matches the characters it lists so far.
        assertThat(Glob.match("a[bc", "ab", false)).isTrue();
        assertThat(Glob.match("a[", "a", false)).isFalse();
    }

    /** Patterns without the odd corners must agree with an equivalent regular expression. */
    @Test
    void globAgreesWithRegexOnRandomInput() {
        Random rnd = new Random(99);
        String[] pieces = {"a", "b", "c", "*", "?", "[ab]", "[^a]", "[a-b]", "\\*", "**"};
        String[] regex = {"a", "b", "c", ".*", ".", "[ab]", "[^a]", "[a-b]", "\\*", ".*"};
        for (int i = 0; i < 3000; i++) {
            StringBuilder p = new StringBuilder();
            StringBuilder r = new StringBuilder();
            int len = 1 + rnd.nextInt(5);
            for (int j = 0; j < len; j++) {
                int k = rnd.nextInt(pieces.length);
                p.append(pieces[k]);
                r.append(regex[k]);
            }
            StringBuilder s = new StringBuilder();
            int slen = 1 + rnd.nextInt(6);
            for (int j = 0; j < slen; j++) {
                s.append("abc*".charAt(rnd.nextInt(4)));
            }
            boolean expected = Pattern.compile(r.toString(), Pattern.DOTALL).matcher(s).matches();
            assertThat(Glob.match(p.toString(), s.toString(), false))
                    .as("pattern %s string %s", p, s).isEqualTo(expected);
        }
    }
}
