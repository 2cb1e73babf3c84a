package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Strtod}: C's strtod prefix rules and Redis's two checks built on it. */
class StrtodTest {
    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static double whole(String s) { return Strtod.string2d(b(s), 0, s.length()); }

    static double bound(String s) { return Strtod.rangeBound(b(s), 0, s.length()); }

    static int end(String s) { return Strtod.parse(b(s), 0, s.length(), new Strtod.Result()).end; }

    @Test
    void decimalsReadAsJavaReadsThem() {
        Random rnd = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) continue;
            String s = Double.toString(d).replace("E", "e");
            assertThat(whole(s)).as(s).isEqualTo(d);
            String g = DoubleFormat.shortest(d);
            assertThat(whole(g)).as(g).isEqualTo(d);
        }
    }

    @Test
    void prefixesAsStrtodReadsThem() {
        assertThat(end("1.5abc")).isEqualTo(3);
        assertThat(end("  -2e5x")).isEqualTo(6);
        assertThat(end("1e")).isEqualTo(1);
        assertThat(end("1e+")).isEqualTo(1);
        assertThat(end("0x")).isEqualTo(1);
        assertThat(end("0x1p")).isEqualTo(3);
        assertThat(end("infinity")).isEqualTo(8);
        assertThat(end("infinit")).isEqualTo(3);
        assertThat(end("nan(123)")).isEqualTo(8);
        assertThat(end("nan(12")).isEqualTo(3);
        assertThat(end(".")).isEqualTo(0);
        assertThat(end("+")).isEqualTo(0);
        assertThat(end("")).isEqualTo(0);
    }

    @Test
    void wholeArgumentsAsString2d() {
        assertThat(whole("0x10")).isEqualTo(16);
        assertThat(whole("0X1P-2")).isEqualTo(0.25);
        assertThat(whole("0x.8")).isEqualTo(0.5);
        assertThat(whole("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(whole("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(whole(".5")).isEqualTo(0.5);
        assertThat(whole("5.")).isEqualTo(5);
        assertThat(whole("-0")).isEqualTo(-0.0);
        assertThat(whole("4e-320")).isEqualTo(4e-320); // a subnormal: ERANGE, but not zero
        for (String bad : new String[] {"", " 1", "1 ", "\t1", "nan", "-nan", "1e400", "-1e400", "1e-400", "abc", "1e",
                "0x", "1.5.5", "1\u00002", "1d", "1f", "--1"}) {
            assertThat(whole(bad)).as("'%s'", bad).isNaN();
        }
        assertThat(whole("0e-400")).isEqualTo(0); // zero on purpose is no underflow
    }

    @Test
    void rangeBoundsAsZslParseRange() {
        assertThat(bound("")).isEqualTo(0);
        assertThat(bound(" 1")).isEqualTo(1);
        assertThat(bound("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(bound("1e-400")).isEqualTo(0);
        assertThat(bound("2\u0000junk")).isEqualTo(2); // Redis reads a C string
        assertThat(bound("1 ")).isNaN();
        assertThat(bound("nan")).isNaN();
        assertThat(bound("x")).isNaN();
    }
}
