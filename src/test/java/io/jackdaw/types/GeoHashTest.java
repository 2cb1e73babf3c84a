package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The geohash arithmetic and the number formats geo replies use, on figures Redis documents. */
class GeoHashTest {
    @Test
    void scoresAndPositionsOfTheSicilyExample() {
        // redis.io's GEORADIUS ... WITHHASH and GEOPOS pages.
        assertThat(GeoHash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
        assertThat(GeoHash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
        double[] xy = GeoHash.decodeScore(3479099956230698L);
        assertThat(DoubleFormat.human(xy[0])).isEqualTo("13.36138933897018433");
        assertThat(DoubleFormat.human(xy[1])).isEqualTo("38.11555639549629859");
        assertThat(GeoHash.standardString(3479099956230698L)).isEqualTo("sqc8b49rny0");
        assertThat(GeoHash.standardString(3479447370796909L)).isEqualTo("sqdtr74hyu0");
    }

    @Test
    void theTopEdgeOverflowsIntoBit52AsInRedis() {
        // latitude == max gives an offset of exactly 2^26, which C's uint32 keeps and interleaves.
        assertThat(GeoHash.score(180, GeoHash.LAT_MAX)).isGreaterThanOrEqualTo(1L << 52);
        double[] xy = GeoHash.decodeScore(GeoHash.score(180, GeoHash.LAT_MAX));
        assertThat(xy[1]).isLessThanOrEqualTo(GeoHash.LAT_MAX);
        assertThat(xy[0]).isLessThanOrEqualTo(GeoHash.LONG_MAX);
    }

    @Test
    void encodeDecodeRoundTripStaysInsideTheCell() {
        Random rnd = new Random(52);
        for (int i = 0; i < 10_000; i++) {
            double lon = rnd.nextDouble() * 360 - 180, lat = rnd.nextDouble() * 170 - 85;
            double[] xy = GeoHash.decodeScore(GeoHash.score(lon, lat));
            // a step-26 cell is 360/2^26 degrees wide in longitude and 170.1/2^26 in latitude
            assertThat(Math.abs(xy[0] - lon)).isLessThanOrEqualTo(360.0 / (1 << 26));
            assertThat(Math.abs(xy[1] - lat)).isLessThanOrEqualTo(171.0 / (1 << 26));
        }
    }

    @Test
    void distancesAndFormats() {
        double d = GeoHash.distance(13.36138933897018433, 38.11555639549629859, 15.08726745843887329, 37.50266842333162032);
        assertThat(DoubleFormat.fixedPoint(d, 4)).isEqualTo("166274.1516");
        assertThat(DoubleFormat.fixedPoint(d / 1000, 4)).isEqualTo("166.2742");
        assertThat(DoubleFormat.fixedPoint(0, 4)).isEqualTo("0.0000");
        assertThat(DoubleFormat.fixedPoint(0.00004, 4)).isEqualTo("0.0000");
        assertThat(DoubleFormat.fixedPoint(0.0005, 4)).isEqualTo("0.0005");
        assertThat(DoubleFormat.fixedPoint(12.5, 4)).isEqualTo("12.5000");
        // 7.2 rounds d*10^4 half to even (llrint): 0.00025*10000 is exactly 2.5 in doubles, so
        // "0.0002", where 7.0's %.4f of the slightly larger exact value printed "0.0003".
        assertThat(0.00025 * 10000).isEqualTo(2.5);
        assertThat(DoubleFormat.fixedPoint(0.00025, 4)).isEqualTo("0.0002");
        assertThat(DoubleFormat.fixed(0.00025, 4)).isEqualTo("0.0003");
        assertThat(DoubleFormat.fixed(200, 6)).isEqualTo("200.000000");
        assertThat(DoubleFormat.fixed(-0.0, 6)).isEqualTo("-0.000000");
        assertThat(DoubleFormat.fixed(1e20, 6)).isEqualTo("100000000000000000000.000000");
        assertThat(DoubleFormat.fixed(Double.POSITIVE_INFINITY, 6)).isEqualTo("inf");
        assertThat(DoubleFormat.human(-0.0)).isEqualTo("0");
        assertThat(DoubleFormat.human(1.5)).isEqualTo("1.5");
    }
}
