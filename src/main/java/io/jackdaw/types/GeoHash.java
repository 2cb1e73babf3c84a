package io.jackdaw.types;

/**
 * Redis's 52-bit geohash. Longitude spans -180..180 and latitude the Web-Mercator band
 * -85.05112878..85.05112878; 26 bits of each are interleaved (latitude in the even bits), and the
 * result is a sorted-set score. The arithmetic follows geohash.c and geohash_helper.c step for
 * step (same operation order, same truncations) so that positions, distances and the set of
 * cells a search visits come out bit-identical to Redis's.
 */
public final class GeoHash {
    private GeoHash() {}

    public static final int STEP_MAX = 26;
    public static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180, LONG_MAX = 180;
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    static final double D_R = Math.PI / 180.0;

    /** A cell: its interleaved bits and the number of bits per coordinate; step 0 and bits 0 is "none". */
    public record Cell(long bits, int step) {
        public boolean isZero() { return bits == 0 && step == 0; }
    }

    /** A decoded cell's bounds. */
    public record Area(double lonMin, double lonMax, double latMin, double latMax) {}

    private static long interleave64(long xlo, long ylo) {
        long x = xlo & 0xFFFFFFFFL, y = ylo & 0xFFFFFFFFL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    private static long deinterleave64(long v) {
        long x = v, y = v >>> 1;
        x &= 0x5555555555555555L;
        y &= 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    /** C's double to uint32_t for the non-negative values geohashEncode produces. */
    private static long toUint32(double d) { return ((long) d) & 0xFFFFFFFFL; }

    /** geohashEncode over the given ranges; null where Redis returns 0. */
    public static Cell encode(double lonMin, double lonMax, double latMin, double latMax,
                              double longitude, double latitude, int step) {
        if (step > 32 || step == 0) return null;
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) return null;
        if (latitude < latMin || latitude > latMax || longitude < lonMin || longitude > lonMax) return null;
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new Cell(interleave64(toUint32(latOffset), toUint32(longOffset)), step);
    }

    /** geohashEncodeWGS84. */
    public static Cell encode(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The 52-bit score of a point (GEOADD's), as geohashAlign52Bits of a step-26 hash. */
    public static long score(double longitude, double latitude) {
        return align52(encode(longitude, latitude, STEP_MAX));
    }

    public static long align52(Cell c) { return c.bits << (52 - c.step * 2); }

    /** geohashDecode over the WGS84 ranges; null for the zero cell. */
    public static Area decode(Cell c) {
        if (c.isZero()) return null;
        long sep = deinterleave64(c.bits);
        double latScale = LAT_MAX - LAT_MIN, longScale = LONG_MAX - LONG_MIN;
        long ilato = sep & 0xFFFFFFFFL, ilono = (sep >>> 32) & 0xFFFFFFFFL;
        double div = (double) (1L << c.step);
        return new Area(
                LONG_MIN + (ilono * 1.0 / div) * longScale,
                LONG_MIN + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale,
                LAT_MIN + (ilato * 1.0 / div) * latScale,
                LAT_MIN + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale);
    }

    /** x86-64's cvttsd2si: truncation, with 0x8000000000000000 for anything out of range. */
    private static long cvttsd2si(double d) {
        return d >= 0x1p63 || !(d >= -0x1p63) ? Long.MIN_VALUE : (long) d;
    }

    /**
     * C's (uint64_t) of a score as gcc compiles it for x86-64 (scores GEOADD made are exact;
     * this matters only for members ZADD gave other scores).
     */
    static long scoreBits(double score) {
        if (score < 0x1p63) return cvttsd2si(score);
        return cvttsd2si(score - 0x1p63) ^ Long.MIN_VALUE;
    }

    /** decodeGeohash: a score's point as {longitude, latitude}, the cell centre clamped to the ranges. */
    public static double[] decodeScore(double score) {
        Area a = decode(new Cell(scoreBits(score), STEP_MAX));
        double[] xy = new double[2];
        xy[0] = (a.lonMin + a.lonMax) / 2;
        if (xy[0] > LONG_MAX) xy[0] = LONG_MAX;
        if (xy[0] < LONG_MIN) xy[0] = LONG_MIN;
        xy[1] = (a.latMin + a.latMax) / 2;
        if (xy[1] > LAT_MAX) xy[1] = LAT_MAX;
        if (xy[1] < LAT_MIN) xy[1] = LAT_MIN;
        return xy;
    }

    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    /** GEOHASH's 11-character string: the point re-encoded over -180..180 / -90..90, the last character '0'. */
    public static String standardString(double score) {
        double[] xy = decodeScore(score);
        Cell h = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
        long bits = h == null ? 0 : h.bits;
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
            out[i] = ALPHABET.charAt(idx);
        }
        return new String(out);
    }

    // ------------------------------------------------------------ neighbours (geohash.c)

    private static long moveX(long bits, int step, int d) {
        if (d == 0) return bits;
        long x = bits & 0xaaaaaaaaaaaaaaaaL, y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    private static long moveY(long bits, int step, int d) {
        if (d == 0) return bits;
        long x = bits & 0xaaaaaaaaaaaaaaaaL, y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }

    private static Cell move(Cell c, int dx, int dy) {
        return new Cell(moveY(moveX(c.bits, c.step, dx), c.step, dy), c.step);
    }

    // ------------------------------------------------------------ distances (geohash_helper.c)

    static double degRad(double ang) { return ang * D_R; }

    static double radDeg(double ang) { return ang / D_R; }

    public static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** Haversine distance in metres, as geohashGetDistance. */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d), lon2r = degRad(lon2d);
        double v = LibM.sin((lon2r - lon1r) / 2);
        if (v == 0.0) return latDistance(lat1d, lat2d);
        double lat1r = degRad(lat1d), lat2r = degRad(lat2d);
        double u = LibM.sin((lat2r - lat1r) / 2);
        double a = u * u + LibM.cos(lat1r) * LibM.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * LibM.asin(Math.sqrt(a));
    }

    static int estimateStepsByRadius(double rangeMeters, double lat) {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // so the range is covered in most cases
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        if (step < 1) step = 1;
        if (step > 26) step = 26;
        return step;
    }

    /**
     * A search area: a circle (radius) or an axis-aligned box (width, height) around a centre,
     * its sizes in the request's unit and {@code conversion} metres per unit.
     */
    public static final class Shape {
        public final boolean box;
        public final double lon, lat, radius, width, height, conversion;

        private Shape(boolean box, double lon, double lat, double radius, double width, double height, double conversion) {
            this.box = box;
            this.lon = lon;
            this.lat = lat;
            this.radius = radius;
            this.width = width;
            this.height = height;
            this.conversion = conversion;
        }

        public static Shape circle(double lon, double lat, double radius, double conversion) {
            return new Shape(false, lon, lat, radius, 0, 0, conversion);
        }

        public static Shape box(double lon, double lat, double width, double height, double conversion) {
            return new Shape(true, lon, lat, 0, width, height, conversion);
        }

        /**
         * geoWithinShape: the distance in metres from the centre to a point, or NaN when the point
         * lies outside.
         */
        public double distanceIfWithin(double x2, double y2) {
            if (!box) {
                double d = distance(lon, lat, x2, y2);
                return d > radius * conversion ? Double.NaN : d;
            }
            double w = width * conversion, h = height * conversion;
            if (latDistance(y2, lat) > h / 2) return Double.NaN;
            if (distance(x2, y2, lon, y2) > w / 2) return Double.NaN;
            return distance(lon, lat, x2, y2);
        }

        /** geohashBoundingBox: {minLon, minLat, maxLon, maxLat}. */
        double[] bounds() {
            double height = conversion * (!box ? radius : this.height / 2);
            double width = conversion * (!box ? radius : this.width / 2);
            double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
            double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / LibM.cos(degRad(lat + latDelta)));
            double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / LibM.cos(degRad(lat - latDelta)));
            boolean south = lat < 0;
            return new double[] {
                south ? lon - longDeltaBottom : lon - longDeltaTop,
                lat - latDelta,
                south ? lon + longDeltaBottom : lon + longDeltaTop,
                lat + latDelta};
        }

        /**
         * geohashCalculateAreasByShapeWGS84 then membersOfAllNeighbors's walk: the score ranges
         * [min, max) to scan, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), skipping
         * zeroed neighbours and one equal to the last one visited.
         */
        public long[][] scoreRanges() {
            double[] b = bounds();
            double minLon = b[0], minLat = b[1], maxLon = b[2], maxLat = b[3];
            double radiusMeters = !box ? radius
                    : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
            radiusMeters *= conversion;
            int steps = estimateStepsByRadius(radiusMeters, lat);
            Cell hash = encode(lon, lat, steps);
            Cell[] n = neighbours(hash);
            Area area = decode(hash);
            boolean decrease = decode(n[1]).latMax() < maxLat || decode(n[2]).latMin() > minLat
                    || decode(n[3]).lonMax() < maxLon || decode(n[4]).lonMin() > minLon;
            if (steps > 1 && decrease) {
                steps--;
                hash = encode(lon, lat, steps);
                n = neighbours(hash);
                area = decode(hash);
            }
            Cell zero = new Cell(0, 0);
            if (steps >= 2) {
                if (area.latMin() < minLat) n[2] = n[8] = n[7] = zero;  // south, south-west, south-east
                if (area.latMax() > maxLat) n[1] = n[5] = n[6] = zero;  // north, north-east, north-west
                if (area.lonMin() < minLon) n[4] = n[8] = n[6] = zero;  // west, south-west, north-west
                if (area.lonMax() > maxLon) n[3] = n[7] = n[5] = zero;  // east, south-east, north-east
            }
            long[][] out = new long[9][];
            int count = 0, last = 0;
            for (int i = 0; i < 9; i++) {
                if (n[i].isZero()) continue;
                if (last != 0 && n[i].bits == n[last].bits && n[i].step == n[last].step) continue;
                long min = align52(n[i]);
                long max = align52(new Cell(n[i].bits + 1, n[i].step));
                out[count++] = new long[] {min, max};
                last = i;
            }
            return java.util.Arrays.copyOf(out, count);
        }
    }

    /** The cell and its neighbours in membersOfAllNeighbors's order: self, N, S, E, W, NE, NW, SE, SW. */
    static Cell[] neighbours(Cell h) {
        return new Cell[] {
            h, move(h, 0, 1), move(h, 0, -1), move(h, 1, 0), move(h, -1, 0),
            move(h, 1, 1), move(h, -1, 1), move(h, 1, -1), move(h, -1, -1)};
    }
}
