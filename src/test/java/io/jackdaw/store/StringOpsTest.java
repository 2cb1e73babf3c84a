package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StringOps}: integer encoding, INCRBY status codes and INCRBYFLOAT results. Expected
 * INCRBYFLOAT outputs are Redis's answers, taken from redis-server 7.0.15 (x86-64, 80-bit long
 * double) with {@code SET k <start>} (or no key) then {@code INCRBYFLOAT k <incr>}.
 */
class StringOpsTest {
    Keyspace ks;
    Database db;
    final long[] scratch = new long[1];
    final List<String> expired = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ks = new Keyspace(16, 4);
        ks.setExpiryListener((d, key, off, len) -> expired.add(Bytes.string(key, off, len)));
        db = new Database(ks);
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    void set(String k, String v, long expireAt) {
        byte[] kb = b(k), vb = b(v);
        // Value at an offset inside a bigger array, to check offsets are honoured.
        byte[] padded = new byte[vb.length + 4];
        System.arraycopy(vb, 0, padded, 2, vb.length);
        StringOps.set(db.at(0, 0), kb, 0, kb.length, padded, 2, vb.length, expireAt, scratch);
    }

    boolean find(String k) {
        byte[] kb = b(k);
        return db.at(0, 0).find(kb, 0, kb.length);
    }

    String get(String k) {
        assertThat(find(k)).as("key %s exists", k).isTrue();
        return new String(StringOps.foundBytes(db), StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ encoding

    /** Only canonical decimal 64-bit integers (Redis's string2ll, at most 20 characters) are int-encoded. */
    @ParameterizedTest(name = "\"{0}\" -> int encoded: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0|true", "1|true", "-1|true", "42|true", "9223372036854775807|true", "-9223372036854775808|true",
        "1000000|true", "-100|true",
        "01|false", "-0|false", "00|false", "+1|false", "\" 1\"|false", "\"1 \"|false", "1.0|false", "1e3|false",
        "9223372036854775808|false", "-9223372036854775809|false", "18446744073709551615|false",
        "99999999999999999999|false", "123456789012345678901|false", "-|false", "abc|false", "0x10|false",
        "\"\"|false", "1-|false", "--1|false"})
    void integerEncodingOnlyForCanonicalIntegers(String value, boolean intEncoded) {
        set("k", value, -1);
        assertThat(find("k")).isTrue();
        assertThat(db.type()).isEqualTo(intEncoded ? ValueType.STRING_INT : ValueType.STRING_RAW);
        // Either way the string reads back byte for byte, with its length.
        assertThat(get("k")).isEqualTo(value);
        assertThat(StringOps.foundLength(db)).isEqualTo(b(value).length);
        if (intEncoded) {
            assertThat(db.longValue()).isEqualTo(Long.parseLong(value));
            assertThat(ValueType.encodingName(db.type(), 0)).isEqualTo("int");
        }
    }

    @Test
    void setKeepsTheGivenExpiryAndReplacesTheOldRecord() {
        set("k", "123", 50);
        set("k", "text", 60);
        assertThat(find("k")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_RAW);
        assertThat(db.expireAt()).isEqualTo(60);
        set("k", "7", -1);
        assertThat(find("k")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_INT);
        assertThat(db.expireAt()).isEqualTo(-1);
        assertThat(ks.size(0)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ INCRBY

    int incrBy(String k, long delta) {
        byte[] kb = b(k);
        return StringOps.incrBy(db.at(0, 0), kb, 0, kb.length, delta, scratch);
    }

    @Test
    void incrByCreatesAddsAndKeepsTheExpiry() {
        assertThat(incrBy("c", 5)).isEqualTo(StringOps.OK);
        assertThat(scratch[0]).isEqualTo(5);
        assertThat(incrBy("c", -7)).isEqualTo(StringOps.OK);
        assertThat(scratch[0]).isEqualTo(-2);
        assertThat(get("c")).isEqualTo("-2");
        assertThat(db.type()).isEqualTo(ValueType.STRING_INT);
        set("t", "10", 12_345);
        assertThat(incrBy("t", 1)).isEqualTo(StringOps.OK);
        assertThat(find("t")).isTrue();
        assertThat(db.expireAt()).isEqualTo(12_345);
        assertThat(db.longValue()).isEqualTo(11);
        // A raw string holding a canonical integer counts too (stored raw via a put of the bytes).
        byte[] k = b("raw"), v = b("99");
        db.at(0, 0).put(k, 0, k.length, ValueType.STRING_RAW, v, 0, v.length, -1);
        assertThat(incrBy("raw", 1)).isEqualTo(StringOps.OK);
        assertThat(get("raw")).isEqualTo("100");
    }

    @Test
    void incrByOnAnExpiredKeyStartsFromZeroWithoutExpiry() {
        byte[] kb = b("e");
        StringOps.set(db.at(0, 0), kb, 0, kb.length, b("41"), 0, 2, 100, scratch);
        // Expired once the clock passes expireAt (Redis's now > when), so at 101.
        assertThat(StringOps.incrBy(db.at(0, 101), kb, 0, kb.length, 1, scratch)).isEqualTo(StringOps.OK);
        assertThat(scratch[0]).isEqualTo(1);
        assertThat(expired).containsExactly("e");
        assertThat(db.at(0, 101).find(kb, 0, kb.length)).isTrue();
        assertThat(db.expireAt()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "\"{0}\" incrby {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "9223372036854775807|1|OVERFLOW", "9223372036854775806|1|OK", "-9223372036854775808|-1|OVERFLOW",
        "-9223372036854775807|-1|OK", "0|-9223372036854775808|OK", "-1|-9223372036854775808|OVERFLOW",
        "1|-9223372036854775808|OK", "1|9223372036854775807|OVERFLOW", "-1|9223372036854775807|OK",
        "9223372036854775807|-9223372036854775808|OK", "-9223372036854775808|9223372036854775807|OK",
        "abc|1|NOT_INTEGER", "\" 1\"|1|NOT_INTEGER", "\"1 \"|1|NOT_INTEGER", "01|1|NOT_INTEGER",
        "-0|1|NOT_INTEGER", "1.5|1|NOT_INTEGER", "9223372036854775808|0|NOT_INTEGER", "\"\"|1|NOT_INTEGER",
        "12345678901234567890|1|NOT_INTEGER"})
    void incrByStatusCodes(String start, long delta, String status) {
        set("k", start, -1);
        int code = incrBy("k", delta);
        assertThat(code).isEqualTo(switch (status) {
            case "OK" -> StringOps.OK;
            case "OVERFLOW" -> StringOps.OVERFLOW;
            case "NOT_INTEGER" -> StringOps.NOT_INTEGER;
            default -> throw new IllegalArgumentException(status);
        });
        if (code == StringOps.OK) {
            long expected = Long.parseLong(start) + delta;
            assertThat(scratch[0]).isEqualTo(expected);
            assertThat(get("k")).isEqualTo(Long.toString(expected));
        } else {
            assertThat(get("k")).as("unchanged on error").isEqualTo(start);
        }
    }

    @Test
    void incrByOnAnotherTypeIsWrongType() {
        byte[] k = b("h"), v = b("5");
        db.at(0, 0).put(k, 0, k.length, 9, v, 0, 1, -1);
        assertThat(incrBy("h", 1)).isEqualTo(StringOps.WRONGTYPE);
        String[] out = new String[1];
        assertThat(StringOps.incrByFloat(db.at(0, 0), k, 0, k.length, b("1"), 0, 1, out)).isEqualTo(StringOps.WRONGTYPE);
        assertThat(find("h")).isTrue();
        assertThat(db.type()).isEqualTo(9);
    }

    // ------------------------------------------------------------------ INCRBYFLOAT

    static final String E308_TIMES_2 = "19999999999999999999337175931169129132112019969483113441559409598984346973767612"
            + "374420025384377707864089349445010802644630426949918792116719484162886039283753591820003920638155732621"
            + "920901421333587830679157787782912108712612253672980323726043417317850688976324758260171151463628484902"
            + "0905456510092687857156096";
    static final String E308 = "999999999999999999966858796558456456605600998474155672077970479949217348688380618721"
            + "001269218885393204467472250540132231521347495939605835974208144301964187679591000196031907786631096045"
            + "071066679391533957889389145605435630612683649016186302170865892534448816237913008557573181424245104527"
            + "28255046343928578048";
    static final String DBL_MAX = "1797693134862315699959210467741044340483864469443291784853144207651766285231243963547018686083870855"
            + "6442879341942552068930870836345113605535789727802647761707349897768628839483561816329404559443492953"
            + "7447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863"
            + "339536384";

    String[] incrByFloat(String k, String incr) {
        byte[] kb = b(k), ib = b(incr);
        String[] out = new String[1];
        int code = StringOps.incrByFloat(db.at(0, 0), kb, 0, kb.length, ib, 0, ib.length, out);
        return new String[] {String.valueOf(code), out[0]};
    }

    /** start "-" = no key. Expected: a number, or NOT_FLOAT / NAN_OR_INF (Redis's two error replies). */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "10.5|0.1|10.6", "3.0e3|1|3001", "1.1|2.2|3.3", "0.1|0.2|0.3", "1|0.1|1.1", "5|-5|0", "-0.0|0|0",
        "-|-0.0|0", "1|1e-20|1", "0|1e-17|0.00000000000000001", "0|1e-18|0", "0|5e-18|0",
        "0|6e-18|0.00000000000000001", "-|3.0000000000000000001|3", "1.5|1.5|3",
        "9223372036854775807|1|9223372036854775808", "-9223372036854775808|-1|-9223372036854775809",
        "17179869184|0.5|17179869184.5", "100|-0.1|99.9", "2.5|0.0000001|2.5000001",
        "-|123456789012345678901234567890|123456789012345678899921813504", "-|0.1|0.1",
        "-|1.23456789012345678|1.23456789012345678", "3|-3.0000000000000000001|0", "-|1e-100|0",
        "-|12345678901234567890.123|12345678901234567890", "0.1|-0.1|0", "-|-1e-18|0", "-|4.5e15|4500000000000000",
        "-|123.456|123.456", "9007199254740993|0|9007199254740993", "-|18446744073709551617|18446744073709551616",
        "-|36893488147419103233|36893488147419103232", "-|1e20|100000000000000000000",
        "-|1e25|10000000000000000000000000", "1|-1e-30|1", "-1|1e-30|-1", "-|-1e-30|0",
        // %.17Lf rounds ties to even: 2^-18 and 3 * 2^-18 have 18 decimals ending in 5.
        "-|0.000003814697265625|0.00000381469726562", "-|-0.000003814697265625|-0.00000381469726562",
        "-|0.00000762939453125|0.00000762939453125", "-|0.000011444091796875|0.00001144409179688",
        "-|1.000000000000000000015|1",
        // strtold syntax Redis accepts.
        "-|.5|0.5", "-|5.|5", "-|+.5e1|5", "-|-.5E-1|-0.05", "-|1.5e+3|1500", "-|00012|12", "-|0x10|16", "-|0X10|16",
        "-|-0x10|-16", "-|0x1p3|8", "-|0x1P3|8", "-|0x1p+3|8", "-|0x1.p3|8", "-|0x.8|0.5", "-|0x1.8p1|3",
        "-|0x123456789abcdef123p-8|1311768467463790321.125", "-|0x1.0000000000000002p0|1",
        "-|0x1.fffffffffffffffffp0|2", "-|0x.00000000000000018p64|1.5",
        // Subnormal long doubles are accepted (and print as 0); only underflow to zero is refused.
        "-|1e-4950|0", "-|1e-4940|0", "-|3e-4951|0", "-|0x1p-16445|0", "-|1e-4951|NOT_FLOAT",
        "-|0x1p-16446|NOT_FLOAT", "-|1e-5000|NOT_FLOAT", "-|0x1p-99999|NOT_FLOAT",
        // Overflow, infinities, NaN.
        "-|1e5000|NOT_FLOAT", "-|0x1p99999|NOT_FLOAT", "-|1e99999999|NOT_FLOAT", "-|1e-99999999|NOT_FLOAT",
        "-|1e999999999999|NOT_FLOAT", "1e4932|1e4932|NAN_OR_INF", "-|inf|NAN_OR_INF", "-|-inf|NAN_OR_INF",
        "-|+inf|NAN_OR_INF", "-|infinity|NAN_OR_INF", "-|INF|NAN_OR_INF", "-|Infinity|NAN_OR_INF",
        "-|nan|NOT_FLOAT", "-|-nan|NOT_FLOAT", "-|NaN|NOT_FLOAT", "-|infx|NOT_FLOAT",
        // Malformed.
        "-|\" 1\"|NOT_FLOAT", "-|\"1 \"|NOT_FLOAT", "-|1e|NOT_FLOAT", "-|.|NOT_FLOAT", "-|+|NOT_FLOAT",
        "-|-|NOT_FLOAT", "-|e5|NOT_FLOAT", "-|1,5|NOT_FLOAT", "-|1.5.5|NOT_FLOAT", "-|0x|NOT_FLOAT",
        "-|0xg|NOT_FLOAT", "-|\"0x1p0 \"|NOT_FLOAT", "-|0x1p0f|NOT_FLOAT", "-|0x1p0d|NOT_FLOAT",
        "-|0x1p3.5|NOT_FLOAT", "\" 1\"|1|NOT_FLOAT", "abc|1|NOT_FLOAT", "-|\"\"|NOT_FLOAT"})
    void incrByFloatMatchesRedis(String start, String incr, String expected) {
        if (!start.equals("-")) set("f", start, -1);
        String[] r = incrByFloat("f", incr);
        switch (expected) {
            case "NOT_FLOAT" -> assertThat(r[0]).isEqualTo(String.valueOf(StringOps.NOT_FLOAT));
            case "NAN_OR_INF" -> assertThat(r[0]).isEqualTo(String.valueOf(StringOps.NAN_OR_INF));
            default -> {
                assertThat(r[0]).isEqualTo(String.valueOf(StringOps.OK));
                assertThat(r[1]).isEqualTo(expected);
                assertThat(get("f")).isEqualTo(expected);
                assertThat(db.type()).as("INCRBYFLOAT stores raw, as Redis").isEqualTo(ValueType.STRING_RAW);
            }
        }
        if (!expected.matches("[A-Z_]+")) return;
        // On error the key is untouched.
        if (start.equals("-")) assertThat(find("f")).isFalse();
        else assertThat(get("f")).isEqualTo(start);
    }

    @Test
    void incrByFloatOfHugeValues() {
        assertThat(incrByFloat("a", "1e308")).containsExactly("0", E308);
        assertThat(incrByFloat("a", "1e308")).containsExactly("0", E308_TIMES_2);
        assertThat(incrByFloat("b", "1.7976931348623157e308")).containsExactly("0", DBL_MAX);
        // 1e4000 rounds to a long double just below it: 4000 digits, starting and ending as Redis's answer does.
        String[] r = incrByFloat("c", "1e4000");
        assertThat(r[1]).hasSize(4000).startsWith("99999999999999999999654638730996237849324925835069576313015083")
                .endsWith("1956972190272729951206648276349901340672");
    }

    @Test
    void incrByFloatKeepsTheExpiryAndReadsIntEncodedValues() {
        set("f", "5", 777);
        assertThat(find("f")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_INT);
        assertThat(incrByFloat("f", "1.5")).containsExactly("0", "6.5");
        assertThat(find("f")).isTrue();
        assertThat(db.expireAt()).isEqualTo(777);
        // A result that looks like an integer stays a raw string; INCR then parses it.
        assertThat(incrByFloat("f", "0.5")).containsExactly("0", "7");
        assertThat(find("f")).isTrue();
        assertThat(db.type()).isEqualTo(ValueType.STRING_RAW);
        assertThat(incrBy("f", 1)).isEqualTo(StringOps.OK);
        assertThat(scratch[0]).isEqualTo(8);
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {5119, 5120, 6000})
    void incrByFloatInputLengthLimit(int len) {
        // Redis refuses strings of 5120 characters and more (MAX_LONG_DOUBLE_CHARS), whatever they hold.
        String zeros = "0".repeat(len);
        assertThat(incrByFloat("z", zeros)[0]).isEqualTo(String.valueOf(len < 5120 ? StringOps.OK : StringOps.NOT_FLOAT));
        String one = "1." + "0".repeat(len - 2);
        assertThat(incrByFloat("o", one)[0]).isEqualTo(String.valueOf(len < 5120 ? StringOps.OK : StringOps.NOT_FLOAT));
        // The stored value is checked with the same rule.
        set("s", zeros, -1);
        assertThat(incrByFloat("s", "1")[0]).isEqualTo(String.valueOf(len < 5120 ? StringOps.OK : StringOps.NOT_FLOAT));
    }

    /** Exponents far out of range are refused at once, not computed (this used to take minutes or throw). */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void absurdExponentsAreRefusedQuickly() {
        for (String s : new String[] {"1e10000000", "1e999999999", "1e-999999999", "-1e2147483647", "1e-2147483648",
                "1e99999999999", "0x1p2147483647", "0x1p-9999999999", "0x1p99999999999999999999"}) {
            assertThat(incrByFloat("x", s)[0]).as(s).isEqualTo(String.valueOf(StringOps.NOT_FLOAT));
        }
        assertThat(incrByFloat("x", "0e999999999")).as("zero with any exponent is zero").containsExactly("0", "0");
        assertThat(incrByFloat("y", "0x0p99999999999999999999")).containsExactly("0", "0");
    }
}
