package io.jackdaw.command;

import io.jackdaw.store.SortedSetOps;
import io.jackdaw.store.SortedSetOps.Entry;
import io.jackdaw.store.SortedSetOps.ScoreRange;
import io.jackdaw.store.SortedSetOps.ZSet;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.DoubleFormat;
import io.jackdaw.types.GeoHash;
import io.jackdaw.types.SortedSet;
import io.jackdaw.types.Strtod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geo family. A geo set is a sorted set whose scores are 52-bit geohashes ({@link GeoHash}),
 * so reads and writes go through {@link SortedSetOps}; GEOADD ends in ZADD's own code. Every
 * search variant (GEORADIUS[BYMEMBER][_RO], GEOSEARCH[STORE]) is one core, {@link #search}, as
 * Redis's georadiusGeneric: find the centre, parse the options in Redis's order (so the same
 * error wins), scan the score ranges of the centre cell and its neighbours, filter by the shape,
 * sort, then reply or store.
 */
public final class GeoCommands {
    private GeoCommands() {}

    private static final int COORDS = 1, MEMBER = 2, NOSTORE = 4, GEOSEARCH = 8, GEOSEARCHSTORE = 16;

    static void register(CommandTable t) {
        t.register("geoadd", GeoCommands::geoadd);
        t.register("geopos", GeoCommands::geopos);
        t.register("geohash", GeoCommands::geohash);
        t.register("geodist", GeoCommands::geodist);
        t.register("georadius", c -> search(c, 1, COORDS));
        t.register("georadius_ro", c -> search(c, 1, COORDS | NOSTORE));
        t.register("georadiusbymember", c -> search(c, 1, MEMBER));
        t.register("georadiusbymember_ro", c -> search(c, 1, MEMBER | NOSTORE));
        t.register("geosearch", c -> search(c, 1, GEOSEARCH));
        t.register("geosearchstore", c -> search(c, 2, GEOSEARCH | GEOSEARCHSTORE));
    }

    // ------------------------------------------------------------ argument helpers

    /** getDoubleFromObjectOrReply; NaN after replying {@code error}. */
    private static double doubleArg(Call c, int i, String error) {
        CommandArgs a = c.args;
        double v = Strtod.string2d(a.data(), a.offset(i), a.length(i));
        if (Double.isNaN(v)) c.reply.error(error);
        return v;
    }

    /** extractLongLatOrReply: {lon, lat} from two arguments, or null after the error. */
    private static double[] lonLatArg(Call c, int i) {
        double lon = doubleArg(c, i, Errors.NOT_FLOAT);
        if (Double.isNaN(lon)) return null;
        double lat = doubleArg(c, i + 1, Errors.NOT_FLOAT);
        if (Double.isNaN(lat)) return null;
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            c.reply.error(Errors.geoInvalidLonLat(DoubleFormat.fixed(lon, 6), DoubleFormat.fixed(lat, 6)));
            return null;
        }
        return new double[] {lon, lat};
    }

    /** extractUnitOrReply: metres per unit, or -1 after the error. */
    private static double unitArg(Call c, int i) {
        CommandArgs a = c.args;
        if (a.is(i, "M")) return 1;
        if (a.is(i, "KM")) return 1000;
        if (a.is(i, "FT")) return 0.3048;
        if (a.is(i, "MI")) return 1609.34;
        c.reply.error(Errors.GEO_UNIT);
        return -1;
    }

    /** A member's point, or null when it is not in the set. */
    private static double[] memberPoint(ZSet z, CommandArgs a, int i) {
        double score = z.score(a.data(), a.offset(i), a.length(i));
        return Double.isNaN(score) ? null : GeoHash.decodeScore(score);
    }

    private static void replyCoordinates(Reply r, double[] xy) {
        r.array(2);
        r.doubleText(DoubleFormat.human(xy[0]));
        r.doubleText(DoubleFormat.human(xy[1]));
    }

    private static void replyDistance(Reply r, double d) { r.bulk(DoubleFormat.fixedPoint(d, 4)); }

    // ------------------------------------------------------------ GEOADD / GEOPOS / GEOHASH / GEODIST

    /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: the points' hashes become ZADD scores. */
    static void geoadd(Call c) {
        CommandArgs a = c.args;
        boolean nx = false, xx = false, ch = false;
        int first = 2;
        for (; first < a.count(); first++) {
            if (a.is(first, "NX")) nx = true;
            else if (a.is(first, "XX")) xx = true;
            else if (a.is(first, "CH")) ch = true;
            else break;
        }
        int left = a.count() - first;
        // An empty list is left to ZADD's own check, which answers the same syntax error.
        if (left % 3 != 0 || (xx && nx) || left == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int elements = left / 3;
        double[] scores = new double[elements];
        int[] members = new int[elements];
        for (int j = 0; j < elements; j++) {
            double[] xy = lonLatArg(c, first + 3 * j);
            if (xy == null) return;
            scores[j] = GeoHash.score(xy[0], xy[1]);
            members[j] = first + 3 * j + 2;
        }
        int flags = (nx ? SortedSetOps.IN_NX : 0) | (xx ? SortedSetOps.IN_XX : 0);
        SortedSetCommands.addScored(c, flags, ch, scores, members);
    }

    /** GEOPOS key [member ...]: each member's position, a null array for a missing one. */
    static void geopos(Call c) {
        int r = TypedLookup.read(c, 1, ValueType::isZset);
        if (r == TypedLookup.REPLIED) return;
        CommandArgs a = c.args;
        ZSet z = r == TypedLookup.FOUND ? SortedSetOps.found(c.db) : null;
        c.reply.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            double[] xy = z == null ? null : memberPoint(z, a, i);
            if (xy == null) c.reply.nullArray();
            else replyCoordinates(c.reply, xy);
        }
    }

    /** GEOHASH key [member ...]: standard 11-character geohash strings, null for a missing member. */
    static void geohash(Call c) {
        int r = TypedLookup.read(c, 1, ValueType::isZset);
        if (r == TypedLookup.REPLIED) return;
        CommandArgs a = c.args;
        ZSet z = r == TypedLookup.FOUND ? SortedSetOps.found(c.db) : null;
        c.reply.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            double score = z == null ? Double.NaN : z.score(a.data(), a.offset(i), a.length(i));
            if (Double.isNaN(score)) c.reply.nullBulk();
            else c.reply.bulk(GeoHash.standardString(score));
        }
    }

    /** GEODIST key member1 member2 [unit]. */
    static void geodist(Call c) {
        CommandArgs a = c.args;
        double toMeter = 1;
        if (a.count() == 5) {
            toMeter = unitArg(c, 4);
            if (toMeter < 0) return;
        } else if (a.count() > 5) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int r = TypedLookup.read(c, 1, ValueType::isZset);
        if (r == TypedLookup.REPLIED) return;
        if (r == TypedLookup.ABSENT) {
            c.reply.nullBulk();
            return;
        }
        ZSet z = SortedSetOps.found(c.db);
        double[] p1 = memberPoint(z, a, 2);
        double[] p2 = p1 == null ? null : memberPoint(z, a, 3);
        if (p2 == null) {
            c.reply.nullBulk();
            return;
        }
        replyDistance(c.reply, GeoHash.distance(p1[0], p1[1], p2[0], p2[1]) / toMeter);
    }

    // ------------------------------------------------------------ the search core

    /** A match: the member, its hash score, its position and its distance from the centre. */
    private record Point(byte[] member, double score, double lon, double lat, double dist) {}

    private static final int SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;

    /**
     * GEORADIUS / GEORADIUSBYMEMBER / their _RO forms / GEOSEARCH / GEOSEARCHSTORE, as Redis's
     * georadiusGeneric. {@code src} is the source key's argument.
     */
    static void search(Call c, int src, int flags) {
        CommandArgs a = c.args;
        int r = TypedLookup.read(c, src, ValueType::isZset);
        if (r == TypedLookup.REPLIED) return;
        ZSet z = r == TypedLookup.FOUND ? SortedSetOps.found(c.db) : null;

        int storeArg = -1;
        boolean storedist = false;
        double[] centre = null;
        double radius = 0, width = 0, height = 0, conversion = 1;
        boolean box = false;
        int base;
        if ((flags & COORDS) != 0) {
            base = 6;
            if ((centre = lonLatArg(c, 2)) == null) return;
            double[] dist = distanceArg(c, 4);
            if (dist == null) return;
            radius = dist[0];
            conversion = dist[1];
        } else if ((flags & MEMBER) != 0) {
            base = 5;
            // With no source key Redis still parses the options, to pick the reply for STORE.
            if (z != null) {
                if ((centre = memberPoint(z, a, 2)) == null) {
                    c.reply.error(Errors.GEO_MEMBER_DECODE);
                    return;
                }
                double[] dist = distanceArg(c, 3);
                if (dist == null) return;
                radius = dist[0];
                conversion = dist[1];
            }
        } else {
            base = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                base = 3;
                storeArg = 1;
            }
        }

        boolean withdist = false, withhash = false, withcoords = false, any = false;
        boolean frommember = false, fromloc = false, byradius = false, bybox = false;
        int sort = SORT_NONE;
        long count = 0;
        int remaining = a.count() - base;
        boolean geosearch = (flags & GEOSEARCH) != 0, canStore = (flags & (NOSTORE | GEOSEARCH)) == 0;
        for (int i = 0; i < remaining; i++) {
            int j = base + i;
            if (a.is(j, "WITHDIST")) {
                withdist = true;
            } else if (a.is(j, "WITHHASH")) {
                withhash = true;
            } else if (a.is(j, "WITHCOORD")) {
                withcoords = true;
            } else if (a.is(j, "ANY")) {
                any = true;
            } else if (a.is(j, "ASC")) {
                sort = SORT_ASC;
            } else if (a.is(j, "DESC")) {
                sort = SORT_DESC;
            } else if (a.is(j, "COUNT") && i + 1 < remaining) {
                if (!a.parseLong(j + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                count = a.lastLong();
                if (count <= 0) {
                    c.reply.error(Errors.GEO_COUNT_POSITIVE);
                    return;
                }
                i++;
            } else if (a.is(j, "STORE") && i + 1 < remaining && canStore) {
                storeArg = j + 1;
                storedist = false;
                i++;
            } else if (a.is(j, "STOREDIST") && i + 1 < remaining && canStore) {
                storeArg = j + 1;
                storedist = true;
                i++;
            } else if (a.is(j, "STOREDIST") && geosearch && (flags & GEOSEARCHSTORE) != 0) {
                storedist = true;
            } else if (a.is(j, "FROMMEMBER") && i + 1 < remaining && geosearch && !fromloc) {
                if (z != null && (centre = memberPoint(z, a, j + 1)) == null) {
                    c.reply.error(Errors.GEO_MEMBER_DECODE);
                    return;
                }
                frommember = true;
                i++;
            } else if (a.is(j, "FROMLONLAT") && i + 2 < remaining && geosearch && !frommember) {
                if ((centre = lonLatArg(c, j + 1)) == null) return;
                fromloc = true;
                i += 2;
            } else if (a.is(j, "BYRADIUS") && i + 2 < remaining && geosearch && !bybox) {
                double[] dist = distanceArg(c, j + 1);
                if (dist == null) return;
                radius = dist[0];
                conversion = dist[1];
                box = false;
                byradius = true;
                i += 2;
            } else if (a.is(j, "BYBOX") && i + 3 < remaining && geosearch && !byradius) {
                double w = doubleArg(c, j + 1, Errors.GEO_WIDTH_NUMERIC);
                if (Double.isNaN(w)) return;
                double h = doubleArg(c, j + 2, Errors.GEO_HEIGHT_NUMERIC);
                if (Double.isNaN(h)) return;
                if (h < 0 || w < 0) {
                    c.reply.error(Errors.GEO_BOX_NEGATIVE);
                    return;
                }
                double unit = unitArg(c, j + 3);
                if (unit < 0) return;
                width = w;
                height = h;
                conversion = unit;
                box = true;
                bybox = true;
                i += 3;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }

        if (storeArg >= 0 && (withdist || withhash || withcoords)) {
            c.reply.error(Errors.geoStoreWith((flags & GEOSEARCHSTORE) != 0));
            return;
        }
        if (geosearch && !(frommember || fromloc)) {
            c.reply.error(Errors.geoFromNeeded(a.string(0)));
            return;
        }
        if (geosearch && !(byradius || bybox)) {
            c.reply.error(Errors.geoByNeeded(a.string(0)));
            return;
        }
        if (any && count == 0) {
            c.reply.error(Errors.GEO_ANY_NEEDS_COUNT);
            return;
        }
        if (z == null) {
            if (storeArg >= 0) {
                deleteTarget(c, storeArg);
                c.reply.integer(0);
            } else {
                c.reply.array(0);
            }
            return;
        }
        // COUNT needs an order to pick the nearest; ANY takes the first found instead.
        if (count != 0 && sort == SORT_NONE && !any) sort = SORT_ASC;

        GeoHash.Shape shape = box
                ? GeoHash.Shape.box(centre[0], centre[1], width, height, conversion)
                : GeoHash.Shape.circle(centre[0], centre[1], radius, conversion);
        List<Point> found = collect(z, shape, any ? count : 0);
        if (found.isEmpty() && storeArg < 0) {
            c.reply.array(0);
            return;
        }
        if (sort == SORT_ASC) found.sort(Comparator.comparingDouble(Point::dist));
        else if (sort == SORT_DESC) found.sort(Comparator.comparingDouble(Point::dist).reversed());
        int returned = count == 0 || found.size() < count ? found.size() : (int) count;

        if (storeArg < 0) {
            int options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
            c.reply.array(returned);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (options > 0) c.reply.array(options + 1);
                c.reply.bulk(p.member);
                if (withdist) replyDistance(c.reply, p.dist / conversion);
                if (withhash) c.reply.integer((long) p.score);
                if (withcoords) replyCoordinates(c.reply, new double[] {p.lon, p.lat});
            }
            return;
        }
        if (returned == 0) {
            deleteTarget(c, storeArg);
            c.reply.integer(0);
            return;
        }
        SortedSet result = new SortedSet();
        long longest = 0, total = 0;
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            result.insert(p.member, 0, p.member.length, storedist ? p.dist / conversion : p.score);
            longest = Math.max(longest, p.member.length);
            total += p.member.length;
        }
        ZSet target = SortedSetOps.ofSkipList(c.db, a.data(), a.offset(storeArg), a.length(storeArg),
                SortedSetCommands.limits(c), result);
        target.toListpackIfFits(longest, total);
        target.store();
        KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, geosearch ? "geosearchstore" : "georadiusstore", storeArg);
        c.dirty += returned;
        c.reply.integer(returned);
    }

    /** extractDistanceOrReply: {radius, metres per unit}, or null after the error. */
    private static double[] distanceArg(Call c, int i) {
        double d = doubleArg(c, i, Errors.GEO_RADIUS_NUMERIC);
        if (Double.isNaN(d)) return null;
        if (d < 0) {
            c.reply.error(Errors.GEO_RADIUS_NEGATIVE);
            return null;
        }
        double unit = unitArg(c, i + 1);
        return unit < 0 ? null : new double[] {d, unit};
    }

    /** An empty result deletes the destination, as Redis does. */
    private static void deleteTarget(Call c, int arg) {
        CommandArgs a = c.args;
        if (c.db.delete(a.data(), a.offset(arg), a.length(arg))) {
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", arg);
        }
    }

    /**
     * membersOfAllNeighbors: each score range [min, max) of the shape's cells, every member in
     * it that lies inside the shape; stops once {@code limit} (ANY's COUNT) matches are in.
     */
    private static List<Point> collect(ZSet z, GeoHash.Shape shape, long limit) {
        List<Point> out = new ArrayList<>();
        ScoreRange range = new ScoreRange();
        Entry e = new Entry();
        long size = z.size();
        for (long[] cell : shape.scoreRanges()) {
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) break;
            range.min = cell[0];
            range.max = cell[1];
            range.minex = false;
            range.maxex = true;
            for (long rank = z.scoreStart(range); rank < size; rank++) {
                z.entry(rank, e);
                if (!range.lteMax(e.score)) break;
                double[] xy = GeoHash.decodeScore(e.score);
                double dist = shape.distanceIfWithin(xy[0], xy[1]);
                if (!Double.isNaN(dist)) out.add(new Point(e.toBytes(), e.score, xy[0], xy[1], dist));
                if (!out.isEmpty() && limit != 0 && out.size() >= limit) break;
            }
        }
        return out;
    }
}
