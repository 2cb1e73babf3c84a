package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LongDouble}: Redis's string2ld (strtold plus its extra refusals) and x87 80-bit
 * arithmetic and {@code %.17Lf} printing. Where a row says what Redis does, it is what
 * redis-server 7.0.15 on x86-64 answered to INCRBYFLOAT.
 */
class LongDoubleTest {
    static LongDouble.Value parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        // At an offset inside a bigger array, to check the slice is honoured.
        byte[] padded = new byte[b.length + 6];
        java.util.Arrays.fill(padded, (byte) '7');
        System.arraycopy(b, 0, padded, 3, b.length);
        return LongDouble.parse(padded, 3, b.length);
    }

    static BigDecimal pow2(int e) {
        BigDecimal two = BigDecimal.valueOf(2);
        return e >= 0 ? two.pow(e) : BigDecimal.ONE.divide(two.pow(-e));
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {
        "", " 1", "\t1", "\n1", "\u000b1", "\f1", "\r1", "1 ", "1\n", "1x", "1e", "1e+", "e5", ".", "+", "-", "+-1",
        "1.5.5", "1,5", "0x", "0xg", "0x1p", "0x1p0 ", "0x1p0f", "0x1p0d", "0x1p3.5", "nan", "NaN", "-nan", "nan(1)",
        "infx", "in", "infinit", "1e5000", "-1e5000", "1e-5000", "1e-4951", "0x1p-16446", "0x1p99999", "1\u00001",
        "\u00001", "1_000", "\u0661"})
    void refusesWhatString2ldRefuses(String s) {
        assertThat(parse(s)).isNull();
    }

    @Test
    void refusesFiveKilobytes() {
        assertThat(parse("0".repeat(5119))).isNotNull();
        assertThat(parse("0".repeat(5120))).isNull();
        assertThat(parse("1." + "0".repeat(5117)).exact()).isEqualByComparingTo("1");
        assertThat(parse("1." + "0".repeat(5118))).isNull();
        assertThat(parse("1".repeat(6000))).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
        "1e10|10000000000", ".5|0.5", "5.|5", "+.5e1|5", "00012|12", "-0|0", "0e999999999|0",
        "0x10|16", "0X10|16", "-0x10|-16", "0x.8|0.5", "0x1.8p1|3", "0x1p+3|8", "0x1P-1|0.5", "1.5e+3|1500",
        "18446744073709551615|18446744073709551615", "-.5E1|-5", "18446744073709551617|18446744073709551616",
        "36893488147419103233|36893488147419103232", "9007199254740993|9007199254740993",
        "0x123456789abcdef123p-8|1311768467463790321.125"})
    void acceptsAndRoundsToLongDouble(String s, String exact) {
        LongDouble.Value v = parse(s);
        assertThat(v).isNotNull();
        assertThat(v.isInfinite()).isFalse();
        assertThat(v.exact()).isEqualByComparingTo(exact);
    }

    @Test
    void infinitiesParse() {
        for (String s : new String[] {"inf", "INF", "+inf", "infinity", "Infinity", "+INFINITY"}) {
            assertThat(parse(s).isInfinite()).as(s).isTrue();
            assertThat(parse(s).infinitySign()).as(s).isEqualTo(1);
        }
        for (String s : new String[] {"-inf", "-infinity", "-Inf"}) {
            assertThat(parse(s).isInfinite()).as(s).isTrue();
            assertThat(parse(s).infinitySign()).as(s).isEqualTo(-1);
        }
    }

    @Test
    void decimalsRoundToTheNearest64BitSignificand() {
        // 0.1 = 0xCCCCCCCCCCCCCCCD * 2^-67 as a long double.
        BigDecimal tenth = new BigDecimal(new BigInteger("CCCCCCCCCCCCCCCD", 16)).multiply(pow2(-67));
        assertThat(parse("0.1").exact()).isEqualByComparingTo(tenth);
        assertThat(tenth.toPlainString()).isEqualTo("0.1000000000000000000013552527156068805425093160010874271392822265625");
        assertThat(parse("-0.1").exact()).isEqualByComparingTo(tenth.negate());
        // 1 + 2^-64 is half an ulp above 1: ties go to the even significand, 1. 1 + 3 * 2^-65 goes up.
        assertThat(LongDouble.round(BigDecimal.ONE.add(pow2(-64))).exact()).isEqualByComparingTo("1");
        assertThat(LongDouble.round(BigDecimal.ONE.add(pow2(-64)).add(pow2(-65))).exact())
                .isEqualByComparingTo(BigDecimal.ONE.add(pow2(-63)));
        assertThat(LongDouble.round(BigDecimal.ONE.add(pow2(-63)).add(pow2(-64))).exact())
                .isEqualByComparingTo(BigDecimal.ONE.add(pow2(-62)));
    }

    @Test
    void rangeEdges() {
        BigDecimal max = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)).multiply(pow2(16384 - 64));
        assertThat(LongDouble.round(max).isInfinite()).isFalse();
        assertThat(LongDouble.round(max.add(pow2(16384 - 66))).isInfinite()).as("below half an ulp more").isFalse();
        assertThat(LongDouble.round(max.add(pow2(16384 - 65))).isInfinite()).as("half an ulp more rounds up").isTrue();
        assertThat(LongDouble.round(max.negate().multiply(BigDecimal.TEN)).infinitySign()).isEqualTo(-1);
        // Subnormals: multiples of 2^-16445, ties to even; half the least one rounds to zero.
        assertThat(parse("0x1p-16445").exact()).isEqualByComparingTo(pow2(-16445));
        assertThat(parse("0x1.8p-16445").exact()).isEqualByComparingTo(pow2(-16444));
        assertThat(parse("0x1.8p-16446").exact()).isEqualByComparingTo(pow2(-16445));
        assertThat(parse("3e-4951").exact()).isEqualByComparingTo(pow2(-16445));
        assertThat(parse("1e-4950").exact()).isEqualByComparingTo(pow2(-16445).multiply(BigDecimal.valueOf(3)));
        assertThat(LongDouble.round(pow2(-16446)).exact()).isEqualByComparingTo("0");
        // The least normal keeps full precision.
        BigDecimal leastNormalPlus = pow2(-16382).add(pow2(-16445));
        assertThat(LongDouble.round(leastNormalPlus).exact()).isEqualByComparingTo(leastNormalPlus);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void absurdExponentsAreRefusedAtOnce() {
        for (String s : new String[] {"1e10000000", "1e999999999", "-1e2147483647", "1e-2147483648", "1e-999999999",
                "1e99999999999", "0x1p2147483647", "0x1p-9999999999", "0x1p99999999999999999999"}) {
            assertThat(parse(s)).as(s).isNull();
        }
        assertThat(parse("0x0p99999999999999999999").exact()).isEqualByComparingTo("0");
    }

    // ------------------------------------------------------------------ add and format

    static String addFormat(String a, String b) {
        LongDouble.Value s = LongDouble.add(parse(a), parse(b));
        return s == null ? "NaN" : LongDouble.format(s);
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "10.5|0.1|10.6", "3.0e3|1|3001", "1.1|2.2|3.3", "0.1|0.2|0.3", "5|-5|0", "0.1|-0.1|0", "1|1e-20|1",
        "0|1e-17|0.00000000000000001", "0|6e-18|0.00000000000000001", "0|5e-18|0", "-1|1e-30|-1", "0|-1e-30|0",
        "100|-0.1|99.9", "2.5|0.0000001|2.5000001", "17179869184|0.5|17179869184.5",
        "9223372036854775807|1|9223372036854775808", "-9223372036854775808|-1|-9223372036854775809",
        "0|0.000003814697265625|0.00000381469726562", "0|-0.000003814697265625|-0.00000381469726562",
        "0|0.000011444091796875|0.00001144409179688", "0|1e25|10000000000000000000000000",
        "inf|1|inf", "-inf|-1e300|-inf", "inf|inf|inf", "-inf|-inf|-inf", "inf|-inf|NaN", "-inf|inf|NaN",
        "1e4932|1e4932|inf", "-1e4932|-1e4932|-inf"})
    void addAndPrintAsRedis(String a, String b, String expected) {
        assertThat(addFormat(a, b)).isEqualTo(expected);
    }

    @Test
    void formatHasNoTrailingZerosNorNegativeZero() {
        Random r = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            BigDecimal x = BigDecimal.valueOf(r.nextLong(), r.nextInt(40) - 10);
            LongDouble.Value v = LongDouble.round(x);
            String s = LongDouble.format(v);
            assertThat(s).as("%s", x).matches("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?").isNotEqualTo("-0");
            // At most 17 decimals, and within half a unit of the 17th of the exact long double value.
            BigDecimal printed = new BigDecimal(s);
            assertThat(printed.scale()).isLessThanOrEqualTo(17);
            assertThat(printed.subtract(v.exact()).abs()).isLessThanOrEqualTo(new BigDecimal("0.000000000000000005"));
        }
    }
}
