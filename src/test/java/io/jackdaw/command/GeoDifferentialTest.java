package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The geo family replayed on Jackdaw and the reference redis-server, byte for byte, in RESP2 and
 * RESP3. Stored distances read back as scores print in shortest form (7.2) where 7.0 prints
 * %.17g; those reads are compared after {@link SortedSetDifferentialTest#SHORTEST}. Distances print with 7.2's fixedpoint_d2string (llrint of d*10^4) where 7.0 uses
 * {@code %.4f}; the two differ only when d*10^4 lies within half an ulp of a .5 tie, which none
 * of these cases hit, so no normalisation is applied.
 */
class GeoDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential().normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
    }

    private static final String[] SICILY = {
        "GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
        "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2", "13.583333", "37.316667", "Agrigento"};

    private static final String[] NYC = {
        "GEOADD", "nyc", "-73.9454966", "40.747533", "lic market", "-73.9733487", "40.7648057", "central park n/q/r",
        "-73.9903085", "40.7362513", "union square", "-74.0131604", "40.7126674", "wtc one",
        "-73.7858139", "40.6428986", "jfk", "-73.9375699", "40.7498929", "q4", "-73.9564142", "40.7480973", "4545"};

    private void both(List<String[]> cmds) throws Exception {
        diff.runAll(cmds);
        diff.run("HELLO", "3");
        diff.runAll(cmds);
        diff.run("HELLO", "2");
    }

    @Test
    void geoaddOptionsAndErrors() throws Exception {
        diff.runAll(List.of(
                SICILY, c("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"),
                c("GEOADD", "Sicily", "CH", "13.361390", "38.115556", "Palermo", "1", "2", "new"),
                c("GEOADD", "Sicily", "NX", "10", "10", "Palermo", "11", "11", "nx1"),
                c("GEOADD", "Sicily", "XX", "10", "10", "Palermo", "11", "11", "xx1"),
                c("GEOADD", "Sicily", "CH", "NX", "12", "12", "Palermo", "12", "12", "nx2"),
                c("GEOADD", "Sicily", "CH", "XX", "12", "12", "Palermo", "12", "12", "xx2"),
                c("GEOADD", "Sicily", "XX", "NX", "1", "1", "a"), c("GEOADD", "Sicily", "GT", "1", "1", "a"),
                c("GEOADD", "Sicily", "LT", "CH", "1", "1", "a"), c("GEOADD", "Sicily", "1", "1"),
                c("GEOADD", "Sicily", "1", "1", "a", "2"), c("GEOADD", "Sicily", "NX", "CH", "XX"),
                c("GEOADD", "Sicily", "x", "1", "a"), c("GEOADD", "Sicily", "1", "y", "a"),
                c("GEOADD", "Sicily", "200", "100", "a"), c("GEOADD", "Sicily", "-180.0001", "0", "a"),
                c("GEOADD", "Sicily", "0", "85.05112879", "a"), c("GEOADD", "Sicily", "0", "-85.06", "a"),
                c("GEOADD", "Sicily", "1e300", "0", "a"), c("GEOADD", "Sicily", "inf", "0", "a"),
                c("GEOADD", "Sicily", "-inf", "-inf", "a"), c("GEOADD", "Sicily", "nan", "0", "a"),
                c("GEOADD", "Sicily", "0.0000005", "-1234.0000005", "a"), c("GEOADD", "Sicily", "1", "1", "ok", "999", "1", "bad"),
                c("GEOADD", "Sicily", "180", "85.05112878", "corner1", "-180", "-85.05112878", "corner2", "0", "0", "zero"),
                c("GEOADD", "Sicily", "XX", "1", "1", "nobody"), c("GEOADD", "nokey", "XX", "1", "1", "a"), c("EXISTS", "nokey"),
                c("ZRANGE", "Sicily", "0", "-1", "WITHSCORES"), c("OBJECT", "ENCODING", "Sicily"),
                c("SET", "str", "x"), c("GEOADD", "str", "1", "1", "a"), c("GEOADD", "str", "1", "1000", "a")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void posHashDist() throws Exception {
        diff.runAll(List.of(SICILY, NYC, c("SET", "str", "x"),
                c("GEOADD", "Sicily", "180", "85.05112878", "corner1", "-180", "-85.05112878", "corner2", "0", "0", "zero"),
                c("ZADD", "Sicily", "-5", "neg", "1e20", "huge", "0", "z0", "4503599627370496", "two52", "inf", "pinf",
                        "-inf", "ninf", "1e19", "big", "-1e300", "nhuge", "0.5", "half")));
        both(List.of(
                c("GEOPOS", "Sicily", "Palermo", "Catania", "nope", "corner1", "corner2", "zero", "neg", "z0", "two52"),
                // members ZADD scored outside the geohash range decode as C's (uint64_t) cast does
                c("GEOPOS", "Sicily", "huge", "pinf", "ninf", "big", "nhuge", "half"),
                c("GEOHASH", "Sicily", "neg", "huge", "pinf", "ninf", "big", "nhuge", "half"),
                c("GEODIST", "Sicily", "neg", "big"),
                c("GEOPOS", "Sicily"), c("GEOPOS", "nokey", "a", "b"), c("GEOPOS", "nokey"), c("GEOPOS", "str", "a"),
                c("GEOHASH", "Sicily", "Palermo", "Catania", "nope", "corner1", "corner2", "zero", "z0", "two52"),
                c("GEOHASH", "Sicily"), c("GEOHASH", "nokey", "a"), c("GEOHASH", "str", "a"),
                c("GEOPOS", "nyc", "lic market", "central park n/q/r", "union square", "wtc one", "jfk", "q4", "4545"),
                c("GEOHASH", "nyc", "lic market", "central park n/q/r", "union square", "wtc one", "jfk", "q4", "4545"),
                c("GEODIST", "Sicily", "Palermo", "Catania"), c("GEODIST", "Sicily", "Palermo", "Catania", "km"),
                c("GEODIST", "Sicily", "Palermo", "Catania", "MI"), c("GEODIST", "Sicily", "Palermo", "Catania", "Ft"),
                c("GEODIST", "Sicily", "Palermo", "Catania", "M"), c("GEODIST", "Sicily", "Palermo", "Catania", "yards"),
                c("GEODIST", "Sicily", "Palermo", "Catania", "km", "x"), c("GEODIST", "Sicily", "Palermo", "nope"),
                c("GEODIST", "Sicily", "nope", "Palermo"), c("GEODIST", "Sicily", "Palermo", "Palermo"),
                c("GEODIST", "Sicily", "corner1", "corner2"), c("GEODIST", "Sicily", "zero", "z0", "km"),
                c("GEODIST", "nokey", "a", "b"), c("GEODIST", "nokey", "a", "b", "parsec"), c("GEODIST", "str", "a", "b"),
                c("GEODIST", "nyc", "jfk", "wtc one", "km"), c("GEODIST", "nyc", "q4", "4545")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void radiusAndSearchReplies() throws Exception {
        diff.runAll(List.of(SICILY, NYC, c("SET", "str", "x")));
        both(List.of(
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "3", "km", "ASC"),
                c("GEORADIUS_RO", "nyc", "-73.9798091", "40.7598464", "3", "km", "asc"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "-73.9798091", "40.7598464", "BYRADIUS", "3", "km", "ASC"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "3", "km", "WITHDIST", "ASC"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "-73.9798091", "40.7598464", "BYRADIUS", "3", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "DESC"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "3"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "2", "DESC", "WITHCOORD"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "2", "ANY"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "2", "ANY", "ASC"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "ANY"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "0"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "-3"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "COUNT", "x"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "WITHDIST", "WITHHASH", "WITHCOORD", "WITHDIST"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "50000", "km", "WITHDIST"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "parsec"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "x", "km"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "-1", "km"),
                c("GEORADIUS", "nyc", "-73.9798091", "140", "1", "km"), c("GEORADIUS", "nyc", "a", "40", "1", "km"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "0", "km"),
                c("GEORADIUS", "nyc", "-73.9798091", "40.7598464", "10", "km", "BOGUS"),
                c("GEORADIUS_RO", "nyc", "-73.9798091", "40.7598464", "10", "km", "STORE", "x"),
                c("GEORADIUSBYMEMBER", "nyc", "wtc one", "7", "km"),
                c("GEORADIUSBYMEMBER_RO", "nyc", "wtc one", "7", "km", "WITHDIST", "WITHCOORD"),
                c("GEORADIUSBYMEMBER", "nyc", "nope", "7", "km"), c("GEORADIUSBYMEMBER", "nyc", "nope", "x", "km"),
                c("GEORADIUSBYMEMBER", "nyc", "wtc one", "x", "km"), c("GEORADIUSBYMEMBER", "nyc", "wtc one", "7", "au"),
                c("GEORADIUSBYMEMBER", "nokey", "nope", "x", "au"), c("GEORADIUSBYMEMBER", "nokey", "nope", "x", "au", "BOGUS"),
                c("GEORADIUSBYMEMBER", "nokey", "m", "1", "km", "STORE", "dst"),
                c("GEORADIUS", "nokey", "1", "1", "1", "km"), c("GEORADIUS", "nokey", "1", "100", "1", "km"),
                c("GEORADIUS", "str", "1", "100", "1", "km"), c("GEOSEARCH", "str", "FOO"),
                c("GEOSEARCH", "nyc", "FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km"),
                c("GEOSEARCH", "nyc", "FROMMEMBER", "wtc one", "BYBOX", "14", "14", "km", "WITHDIST", "ASC"),
                c("GEOSEARCH", "nyc", "FROMMEMBER", "wtc one", "BYRADIUS", "14", "km", "WITHHASH", "COUNT", "2"),
                c("GEOSEARCH", "nyc", "FROMMEMBER", "nope", "BYRADIUS", "14", "km"),
                c("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "14", "km"),
                c("GEOSEARCH", "nokey", "FROMMEMBER", "nope"),
                c("GEOSEARCH", "nyc", "FROMMEMBER", "wtc one", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "FROMMEMBER", "wtc one", "BYRADIUS", "1", "km"),
                c("GEOSEARCH", "nyc", "BYRADIUS", "1", "km", "WITHDIST"), c("geosearch", "nyc", "BYRADIUS", "1", "km", "ASC"),
                c("GeoSearch", "nyc", "FROMLONLAT", "1", "1", "ASC", "ASC"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "1", "1", "km", "BYRADIUS", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "x", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "1", "x", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "-1", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "1", "1", "km2"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYBOX", "1", "1"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYRADIUS", "-1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "91", "BYRADIUS", "1", "km"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "STORE", "x"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "STOREDIST"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "ANY"),
                c("GEOSEARCH", "nyc", "FROMLONLAT", "-73.9798091", "40.7598464", "BYRADIUS", "100", "km", "COUNT", "3", "ANY", "WITHDIST"),
                c("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHDIST", "WITHCOORD"),
                c("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "100", "400", "km", "DESC", "WITHHASH"),
                c("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"),
                c("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "0", "m", "WITHCOORD")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /**
     * STORE results read back with ZRANGE WITHSCORES: a stored distance prints in 7.2's shortest
     * form where 7.0 prints %.17g, so those reads compare after {@link SortedSetDifferentialTest#SHORTEST}.
     */
    @Test
    void storeVariants() throws Exception {
        runReadingScores(List.of(SICILY, NYC, c("SET", "str", "x"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst", "WITHDIST"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHHASH", "STOREDIST", "dst"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"), c("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
                c("OBJECT", "ENCODING", "dst"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst"), c("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "a", "STOREDIST", "dst2", "COUNT", "1", "DESC"),
                c("ZRANGE", "dst2", "0", "-1", "WITHSCORES"), c("EXISTS", "a"),
                c("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STORE", "dst3", "COUNT", "2"),
                c("ZRANGE", "dst3", "0", "-1", "WITHSCORES"),
                c("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "dst3", "COUNT", "2", "ASC"),
                c("ZRANGE", "dst3", "0", "-1", "WITHSCORES"),
                c("GEORADIUS", "Sicily", "100", "37", "1", "km", "STORE", "dst3"), c("EXISTS", "dst3"),
                c("GEORADIUS", "nokey", "100", "37", "1", "km", "STORE", "dst2"), c("EXISTS", "dst2"),
                c("GEORADIUS", "nokey", "100", "37", "1", "km", "STORE", "dst2"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km"),
                c("ZRANGE", "dst4", "0", "-1", "WITHSCORES"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST", "DESC", "COUNT", "2"),
                c("ZRANGE", "dst4", "0", "-1", "WITHSCORES"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "WITHDIST"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STORE", "x"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST", "x"),
                c("GEOSEARCHSTORE", "dst4", "Sicily", "FROMMEMBER", "nope", "BYBOX", "400", "400", "km"),
                c("GEOSEARCHSTORE", "dst4", "nokey", "FROMMEMBER", "nope", "BYBOX", "400", "400", "km"), c("EXISTS", "dst4"),
                c("GEOSEARCHSTORE", "dst4", "str", "FROMMEMBER", "nope", "BYBOX", "400", "400", "km"),
                c("GEOSEARCHSTORE", "str", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"), c("TYPE", "str"),
                c("EXPIRE", "dst", "100"), c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"), c("TTL", "dst"),
                c("CONFIG", "SET", "zset-max-listpack-entries", "2"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"), c("OBJECT", "ENCODING", "dst"),
                c("CONFIG", "SET", "zset-max-listpack-entries", "128")));
        assertThat(diff.mismatches()).isEmpty();
    }

    private void runReadingScores(List<String[]> cmds) throws Exception {
        for (String[] cmd : cmds) {
            if (cmd[0].equals("ZRANGE")) diff.run(SortedSetDifferentialTest.SHORTEST, cmd);
            else diff.run(cmd);
        }
    }

    /** The STORE destinations are keys (keyword key specs): COMMAND GETKEYS names them and WATCH sees the write. */
    @Test
    void storeKeysAreKeys() throws Exception {
        diff.runAll(List.of(SICILY,
                c("COMMAND", "GETKEYS", "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"),
                c("COMMAND", "GETKEYS", "GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst"),
                c("COMMAND", "GETKEYS", "GEORADIUS", "Sicily", "15", "37", "200", "km"),
                c("COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STORE", "dst"),
                c("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"),
                c("COMMAND", "GETKEYS", "GEOADD", "Sicily", "1", "1", "a"),
                c("COMMAND", "GETKEYS", "GEOPOS", "Sicily", "a")));
        for (int port : new int[] {ours.port(), ref.port()}) {
            try (io.jackdaw.testing.RespConnection a = new io.jackdaw.testing.RespConnection(port);
                 io.jackdaw.testing.RespConnection b = new io.jackdaw.testing.RespConnection(port)) {
                a.call("WATCH", "dst");
                b.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst");
                a.call("MULTI");
                a.call("PING");
                assertThat(a.call("EXEC")).as("port " + port).isEqualTo("*-1\r\n");
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void dirtyCounterAndKeyspaceStats() throws Exception {
        List<String[]> cmds = List.of(SICILY, c("GEOADD", "Sicily", "NX", "1", "1", "Palermo"), c("GEOADD", "Sicily", "1", "1000", "x"),
                c("GEOPOS", "Sicily", "Palermo"), c("GEOPOS", "nokey", "a"), c("GEOHASH", "Sicily", "a"), c("GEOHASH", "nokey", "a"),
                c("GEODIST", "Sicily", "Palermo", "Catania"), c("GEODIST", "nokey", "a", "b"),
                c("GEODIST", "nokey", "a", "b", "xx"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km"), c("GEORADIUS", "nokey", "15", "37", "200", "km"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"),
                c("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"),
                c("GEORADIUS", "Sicily", "100", "37", "1", "km", "STORE", "d"),
                c("GEORADIUS", "Sicily", "100", "37", "1", "km", "STORE", "d"),
                c("GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"),
                c("GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"),
                c("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"),
                c("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "COUNT", "1"));
        differential();
        assertThat(statsDifferences(cmds, true)).isEmpty();
    }

    /**
     * Seeded random points and queries: circles and boxes of every unit and size, around points
     * and members, with every option, compared reply for reply.
     */
    @Test
    void randomSearchesMatchTheReference() throws Exception {
        Random rnd = new Random(0x6E0L);
        String[] units = {"m", "km", "mi", "ft"};
        for (int round = 0; round < 6; round++) {
            diff.run("DEL", "pts");
            double lon0 = rnd.nextDouble() * 360 - 180, lat0 = rnd.nextDouble() * 160 - 80;
            double spread = new double[] {0.01, 0.5, 5, 60}[round % 4];
            List<String> add = new ArrayList<>(List.of("GEOADD", "pts"));
            int n = round % 2 == 0 ? 100 : 300; // both encodings
            for (int i = 0; i < n; i++) {
                double lon = Math.max(-180, Math.min(180, lon0 + (rnd.nextDouble() * 2 - 1) * spread));
                double lat = Math.max(-85, Math.min(85, lat0 + (rnd.nextDouble() * 2 - 1) * spread));
                add.add(String.format(Locale.ROOT, "%.6f", lon));
                add.add(String.format(Locale.ROOT, "%.6f", lat));
                add.add("m" + i);
            }
            diff.run(add.toArray(String[]::new));
            for (int q = 0; q < 25; q++) {
                String unit = units[rnd.nextInt(units.length)];
                double perUnit = switch (unit) {
                    case "m" -> 1;
                    case "km" -> 1000;
                    case "mi" -> 1609.34;
                    default -> 0.3048;
                };
                double size = spread * 111_000 * rnd.nextDouble() * 1.5 / perUnit;
                String sz = String.format(Locale.ROOT, "%.3f", size);
                String sz2 = String.format(Locale.ROOT, "%.3f", size * (0.2 + rnd.nextDouble() * 2));
                List<String> cmd = new ArrayList<>(List.of("GEOSEARCH", "pts"));
                if (rnd.nextBoolean()) {
                    cmd.addAll(List.of("FROMMEMBER", "m" + rnd.nextInt(n)));
                } else {
                    cmd.addAll(List.of("FROMLONLAT", String.format(Locale.ROOT, "%.5f", lon0 + (rnd.nextDouble() - 0.5) * spread),
                            String.format(Locale.ROOT, "%.5f", lat0 + (rnd.nextDouble() - 0.5) * spread)));
                }
                if (rnd.nextBoolean()) cmd.addAll(List.of("BYRADIUS", sz, unit));
                else cmd.addAll(List.of("BYBOX", sz, sz2, unit));
                cmd.add(rnd.nextBoolean() ? "ASC" : "DESC");
                if (rnd.nextInt(3) == 0) cmd.addAll(List.of("COUNT", Integer.toString(1 + rnd.nextInt(20))));
                cmd.addAll(List.of("WITHDIST", "WITHCOORD", "WITHHASH"));
                diff.run(cmd.toArray(String[]::new));
                // The same area through GEORADIUS[BYMEMBER] and a STORE, read back.
                if (cmd.contains("BYRADIUS")) {
                    List<String> radius = new ArrayList<>();
                    if (cmd.get(2).equals("FROMMEMBER")) radius.addAll(List.of("GEORADIUSBYMEMBER", "pts", cmd.get(3)));
                    else radius.addAll(List.of("GEORADIUS", "pts", cmd.get(3), cmd.get(4)));
                    radius.addAll(List.of(sz, unit, "STOREDIST", "out", "ASC"));
                    diff.run(radius.toArray(String[]::new));
                    diff.run(SortedSetDifferentialTest.SHORTEST, "ZRANGE", "out", "0", "-1", "WITHSCORES");
                }
            }
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void tcltestEdgeCases() throws Exception {
        diff.runAll(List.of(
                // issue #2767: a huge radius
                c("GEOADD", "users", "-47.271613776683807", "-54.534504198047678", "user_000000"),
                c("GEORADIUS", "users", "0", "0", "50000", "km", "WITHCOORD"),
                // crossing the pole, and the -180/180 seam
                c("GEOADD", "k", "45", "65", "n1", "-135", "85.05", "n2"),
                c("GEORADIUSBYMEMBER", "k", "n1", "5009431", "m"),
                c("GEOADD", "pts", "179.5", "36", "point1", "-179.5", "36", "point2"),
                c("GEOSEARCH", "pts", "FROMLONLAT", "179", "36", "BYBOX", "400", "400", "km", "ASC"),
                c("GEOSEARCH", "pts", "FROMLONLAT", "-179", "36", "BYBOX", "400", "400", "km", "ASC"),
                // small distances
                c("GEOADD", "small", "-122.407107", "37.794300", "1", "-122.227336", "37.794300", "2"),
                c("GEORADIUS", "small", "-122.317222", "37.794300", "10", "km", "WITHDIST", "ASC"),
                c("GEOSEARCH", "small", "FROMLONLAT", "-122.317222", "37.794300", "BYRADIUS", "7.9", "km", "WITHDIST")));
        assertThat(diff.mismatches()).isEmpty();
    }
}
