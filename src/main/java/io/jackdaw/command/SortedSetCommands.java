package io.jackdaw.command;

import io.jackdaw.store.SortedSetOps;
import io.jackdaw.store.SortedSetOps.Entry;
import io.jackdaw.store.SortedSetOps.LexRange;
import io.jackdaw.store.SortedSetOps.ScoreRange;
import io.jackdaw.store.SortedSetOps.ZSet;
import io.jackdaw.store.ValueType;
import io.jackdaw.store.Waiter;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.DoubleFormat;
import io.jackdaw.types.Glob;
import io.jackdaw.types.SortedSet;
import io.jackdaw.types.Strtod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The sorted-set family: argument parsing and replies; encodings and edits live in {@link SortedSetOps}. */
public final class SortedSetCommands {
    private SortedSetCommands() {}

    static void register(CommandTable t) {
        t.register("zadd", c -> zadd(c, false));
        t.register("zincrby", c -> zadd(c, true));
        t.register("zrem", SortedSetCommands::zrem);
        t.register("zcard", SortedSetCommands::zcard);
        t.register("zscore", SortedSetCommands::zscore);
        t.register("zmscore", SortedSetCommands::zmscore);
        t.register("zrank", c -> zrank(c, false));
        t.register("zrevrank", c -> zrank(c, true));
        t.register("zcount", SortedSetCommands::zcount);
        t.register("zlexcount", SortedSetCommands::zlexcount);
        t.register("zrange", c -> zrange(c, 1, false, AUTO, AUTO));
        t.register("zrangestore", c -> zrange(c, 2, true, AUTO, AUTO));
        t.register("zrevrange", c -> zrange(c, 1, false, RANK, REVERSE));
        t.register("zrangebyscore", c -> zrange(c, 1, false, SCORE, FORWARD));
        t.register("zrevrangebyscore", c -> zrange(c, 1, false, SCORE, REVERSE));
        t.register("zrangebylex", c -> zrange(c, 1, false, LEX, FORWARD));
        t.register("zrevrangebylex", c -> zrange(c, 1, false, LEX, REVERSE));
        t.register("zremrangebyrank", c -> zremrange(c, RANK));
        t.register("zremrangebyscore", c -> zremrange(c, SCORE));
        t.register("zremrangebylex", c -> zremrange(c, LEX));
        t.register("zpopmin", c -> zpopMinMax(c, false));
        t.register("zpopmax", c -> zpopMinMax(c, true));
        t.register("zmpop", c -> mpop(c, 1, false));
        t.register("bzmpop", c -> mpop(c, 2, true));
        t.register("bzpopmin", c -> bzpop(c, false));
        t.register("bzpopmax", c -> bzpop(c, true));
        t.register("zrandmember", SortedSetCommands::zrandmember);
        t.register("zunion", c -> combine(c, 1, false, SortedSetOps.UNION, false));
        t.register("zinter", c -> combine(c, 1, false, SortedSetOps.INTER, false));
        t.register("zdiff", c -> combine(c, 1, false, SortedSetOps.DIFF, false));
        t.register("zunionstore", c -> combine(c, 2, true, SortedSetOps.UNION, false));
        t.register("zinterstore", c -> combine(c, 2, true, SortedSetOps.INTER, false));
        t.register("zdiffstore", c -> combine(c, 2, true, SortedSetOps.DIFF, false));
        t.register("zintercard", c -> combine(c, 1, false, SortedSetOps.INTER, true));
        t.register("zscan", SortedSetCommands::zscan);
    }

    // ------------------------------------------------------------ look-ups and replies

    private static final int ABSENT = TypedLookup.ABSENT, FOUND = TypedLookup.FOUND, REPLIED = TypedLookup.REPLIED;

    /** Redis's lookupKeyRead + checkType (see {@link TypedLookup#read}). */
    private static int lookupRead(Call c, int arg) { return TypedLookup.read(c, arg, ValueType::isZset); }

    static SortedSetOps.Limits limits(Call c) {
        return new SortedSetOps.Limits(c.server.zsetMaxListpackEntries(), c.server.zsetMaxListpackValue());
    }

    /** Opens the sorted set at an argument for writing; null after replying WRONGTYPE. */
    private static ZSet openWrite(Call c, int arg) {
        CommandArgs a = c.args;
        ZSet z = SortedSetOps.open(c.db, a.data(), a.offset(arg), a.length(arg), limits(c));
        if (z == null) c.reply.error(Errors.WRONGTYPE);
        return z;
    }

    private static void replyMember(Reply r, Entry e) {
        if (e.isInt) r.bulkLong(e.num);
        else r.bulk(e.buf, e.off, e.len);
    }

    /** One member of a WITHSCORES reply: a [member, score] pair in RESP3, flat in RESP2. */
    private static void replyPair(Reply r, Entry e, boolean withScores) {
        if (withScores && r.protocol() > 2) r.array(2);
        replyMember(r, e);
        if (withScores) r.doubleValue(e.score);
    }

    private static void arrayOfPairs(Reply r, long n, boolean withScores) {
        r.array((int) (withScores && r.protocol() == 2 ? n * 2 : n));
    }

    /** getLongFromObjectOrReply: a 64-bit integer argument, or false after the error. */
    private static boolean longArg(Call c, int i, String error) {
        if (c.args.parseLong(i)) return true;
        c.reply.error(error != null ? error : Errors.NOT_INTEGER);
        return false;
    }

    /** getRangeLongFromObjectOrReply with one message for every failure. */
    private static boolean rangeArg(Call c, int i, long min, long max, String error) {
        if (!c.args.parseLong(i) || c.args.lastLong() < min || c.args.lastLong() > max) {
            c.reply.error(error);
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------ ZADD / ZINCRBY / ZREM

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY key increment member. */
    static void zadd(Call c, boolean zincrby) {
        CommandArgs a = c.args;
        int flags = zincrby ? SortedSetOps.IN_INCR : 0;
        boolean ch = false;
        int scoreIdx = 2;
        for (; scoreIdx < a.count(); scoreIdx++) {
            if (a.is(scoreIdx, "NX")) flags |= SortedSetOps.IN_NX;
            else if (a.is(scoreIdx, "XX")) flags |= SortedSetOps.IN_XX;
            else if (a.is(scoreIdx, "CH")) ch = true;
            else if (a.is(scoreIdx, "INCR")) flags |= SortedSetOps.IN_INCR;
            else if (a.is(scoreIdx, "GT")) flags |= SortedSetOps.IN_GT;
            else if (a.is(scoreIdx, "LT")) flags |= SortedSetOps.IN_LT;
            else break;
        }
        boolean incr = (flags & SortedSetOps.IN_INCR) != 0, nx = (flags & SortedSetOps.IN_NX) != 0;
        boolean xx = (flags & SortedSetOps.IN_XX) != 0, gt = (flags & SortedSetOps.IN_GT) != 0;
        boolean lt = (flags & SortedSetOps.IN_LT) != 0;
        int elements = a.count() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        elements /= 2;
        if (nx && xx) {
            c.reply.error(Errors.ZSET_XX_NX);
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            c.reply.error(Errors.ZSET_GT_LT_NX);
            return;
        }
        if (incr && elements > 1) {
            c.reply.error(Errors.ZSET_INCR_PAIR);
            return;
        }
        byte[] d = a.data();
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            int i = scoreIdx + 2 * j;
            scores[j] = Strtod.string2d(d, a.offset(i), a.length(i));
            if (Double.isNaN(scores[j])) {
                c.reply.error(Errors.NOT_FLOAT);
                return;
            }
        }
        int[] members = new int[elements];
        for (int j = 0; j < elements; j++) members[j] = scoreIdx + 2 * j + 1;
        addScored(c, flags, ch, scores, members);
    }

    /**
     * ZADD's work once its arguments are checked: adds {@code scores[j]} for the member at argument
     * {@code members[j]}, then replies, counts and notifies. GEOADD ends here too, as Redis's
     * geoadd hands its computed scores to zaddCommand.
     */
    static void addScored(Call c, int flags, boolean ch, double[] scores, int[] members) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        boolean incr = (flags & SortedSetOps.IN_INCR) != 0, xx = (flags & SortedSetOps.IN_XX) != 0;
        int elements = scores.length;
        ZSet z = openWrite(c, 1);
        if (z == null) return;
        long added = 0, updated = 0, processed = 0;
        double score = 0;
        double[] newScore = new double[1];
        if (!z.exists()) {
            if (xx) {
                replyZadd(c, incr, ch, 0, 0, 0, 0);
                return;
            }
            // 7.2 sizes a new set by the pair count and the first member's length only.
            z.create(elements, a.length(members[0]));
        } else {
            z.maybeConvert(elements);
        }
        for (int j = 0; j < elements; j++) {
            int m = members[j];
            int out = z.add(scores[j], d, a.offset(m), a.length(m), flags, newScore);
            if ((out & SortedSetOps.OUT_NAN) != 0) {
                z.commit();
                c.dirty += added + updated;
                if (added + updated > 0) KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", 1);
                c.reply.error(Errors.ZSET_NAN);
                return;
            }
            if ((out & SortedSetOps.OUT_ADDED) != 0) added++;
            if ((out & SortedSetOps.OUT_UPDATED) != 0) updated++;
            if ((out & SortedSetOps.OUT_NOP) == 0) processed++;
            score = newScore[0];
        }
        z.commit();
        c.dirty += added + updated;
        if (added + updated > 0) KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", 1);
        replyZadd(c, incr, ch, added, updated, processed, score);
    }

    private static void replyZadd(Call c, boolean incr, boolean ch, long added, long updated, long processed, double score) {
        if (incr) {
            if (processed > 0) c.reply.doubleValue(score);
            else c.reply.nullBulk();
        } else {
            c.reply.integer(ch ? added + updated : added);
        }
    }

    static void zrem(Call c) {
        CommandArgs a = c.args;
        ZSet z = openWrite(c, 1);
        if (z == null) return;
        long deleted = 0;
        if (z.exists()) {
            for (int i = 2; i < a.count(); i++) {
                if (z.remove(a.data(), a.offset(i), a.length(i))) deleted++;
                if (z.size() == 0) break;
            }
            z.commit();
        }
        c.dirty += deleted;
        if (deleted > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, "zrem", 1);
            if (z.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        }
        c.reply.integer(deleted);
    }

    // ------------------------------------------------------------ point reads

    static void zcard(Call c) {
        int r = lookupRead(c, 1);
        if (r != REPLIED) c.reply.integer(r == FOUND ? SortedSetOps.found(c.db).size() : 0);
    }

    static void zscore(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        double s = r == FOUND ? SortedSetOps.found(c.db).score(a.data(), a.offset(2), a.length(2)) : Double.NaN;
        if (Double.isNaN(s)) c.reply.nullBulk();
        else c.reply.doubleValue(s);
    }

    static void zmscore(Call c) {
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        CommandArgs a = c.args;
        ZSet z = r == FOUND ? SortedSetOps.found(c.db) : null;
        c.reply.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            double s = z == null ? Double.NaN : z.score(a.data(), a.offset(i), a.length(i));
            if (Double.isNaN(s)) c.reply.nullBulk();
            else c.reply.doubleValue(s);
        }
    }

    /** ZRANK / ZREVRANK key member [WITHSCORE]. */
    static void zrank(Call c, boolean reverse) {
        CommandArgs a = c.args;
        if (a.count() > 4) {
            c.reply.error(Errors.wrongArity(c.spec.name));
            return;
        }
        boolean withScore = false;
        if (a.count() == 4) {
            if (!a.is(3, "WITHSCORE")) {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            withScore = true;
        }
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        ZSet z = r == FOUND ? SortedSetOps.found(c.db) : null;
        long rank = z == null ? -1 : z.rank(a.data(), a.offset(2), a.length(2));
        if (rank < 0) {
            if (withScore) c.reply.nullArray();
            else c.reply.nullBulk();
            return;
        }
        double score = z.scoreOf(rank);
        if (withScore) c.reply.array(2);
        c.reply.integer(reverse ? z.size() - 1 - rank : rank);
        if (withScore) c.reply.doubleValue(score);
    }

    // ------------------------------------------------------------ ranges

    private static final int AUTO = 0, RANK = 1, SCORE = 2, LEX = 3;
    private static final int FORWARD = 1, REVERSE = 2;

    /** Parses a score range (ZRANGEBYSCORE's min and max); null after replying the error. */
    static ScoreRange scoreRange(Call c, int minIdx, int maxIdx) {
        ScoreRange r = new ScoreRange();
        CommandArgs a = c.args;
        byte[] d = a.data();
        for (int k = 0; k < 2; k++) {
            int i = k == 0 ? minIdx : maxIdx, off = a.offset(i), len = a.length(i);
            boolean ex = len > 0 && d[off] == '(';
            double v = ex ? Strtod.rangeBound(d, off + 1, len - 1) : Strtod.rangeBound(d, off, len);
            if (Double.isNaN(v)) {
                c.reply.error(Errors.ZSET_MIN_MAX_FLOAT);
                return null;
            }
            if (k == 0) {
                r.min = v;
                r.minex = ex;
            } else {
                r.max = v;
                r.maxex = ex;
            }
        }
        return r;
    }

    static LexRange lexRange(Call c, int minIdx, int maxIdx) {
        CommandArgs a = c.args;
        LexRange r = LexRange.parse(a.data(), a.offset(minIdx), a.length(minIdx), a.offset(maxIdx), a.length(maxIdx));
        if (r == null) c.reply.error(Errors.ZSET_MIN_MAX_LEX);
        return r;
    }

    /** A run of ranks to emit: {@code count} members from {@code first}, stepping down when {@code reverse}. */
    private record Run(long first, long count, boolean reverse) {
        static final Run EMPTY = new Run(0, 0, false);
    }

    /** The members of a rank range (ZRANGE's sanitizing of start/stop). */
    private static Run rankRun(ZSet z, long start, long end, boolean reverse) {
        long len = z.size();
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (start > end || start >= len) return Run.EMPTY;
        if (end >= len) end = len - 1;
        long n = end - start + 1;
        return reverse ? new Run(len - 1 - start, n, true) : new Run(start, n, false);
    }

    /**
     * The members of a score range after LIMIT: as Redis walks it, a negative offset skips past
     * the end (nothing), a negative count means no limit.
     */
    private static Run scoreRun(ZSet z, ScoreRange r, long offset, long limit, boolean reverse) {
        long size = z.size();
        if (offset < 0 || (offset > 0 && offset >= size)) return Run.EMPTY;
        long start = z.scoreStart(r), end = z.scoreEnd(r);
        long avail = end - start - offset;
        if (avail <= 0) return Run.EMPTY;
        long n = limit < 0 ? avail : Math.min(avail, limit);
        return reverse ? new Run(end - 1 - offset, n, true) : new Run(start + offset, n, false);
    }

    /**
     * The members of a lex range after LIMIT, walked as Redis walks them (which matters only for
     * members of mixed scores). {@code probe}: first Redis's check that the range can hold
     * anything (every lex command but ZREMRANGEBYLEX on a skip list makes it).
     */
    private static Run lexRun(ZSet z, LexRange r, long offset, long limit, boolean reverse, boolean probe) {
        long size = z.size();
        if (offset < 0 || (offset > 0 && offset >= size)) return Run.EMPTY;
        if (probe && !z.mayHoldLex(r)) return Run.EMPTY;
        Entry e = new Entry();
        long first;
        long n = 0;
        if (!reverse) {
            first = z.lexStart(r) + offset;
            for (long i = first; i < size && (limit < 0 || n < limit) && z.lexLteMax(i, r, e); i++) n++;
        } else {
            first = z.lexEnd(r) - 1 - offset;
            for (long i = first; i >= 0 && (limit < 0 || n < limit) && z.lexGteMin(i, r, e); i--) n++;
        }
        return n == 0 ? Run.EMPTY : new Run(first, n, reverse);
    }

    /**
     * ZRANGE, ZRANGESTORE and the older ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, as
     * Redis's zrangeGenericCommand: {@code src} is the source key's argument, {@code type} and
     * {@code direction} are fixed by the older commands and AUTO for ZRANGE/ZRANGESTORE.
     */
    static void zrange(Call c, int src, boolean store, int type, int direction) {
        CommandArgs a = c.args;
        int minIdx = src + 1, maxIdx = src + 2;
        boolean withScores = false;
        long offset = 0, limit = -1;
        for (int j = src + 3; j < a.count(); j++) {
            int left = a.count() - j - 1;
            if (!store && a.is(j, "WITHSCORES")) {
                withScores = true;
            } else if (a.is(j, "LIMIT") && left >= 2) {
                if (!longArg(c, j + 1, null)) return;
                offset = a.lastLong();
                if (!longArg(c, j + 2, null)) return;
                limit = a.lastLong();
                j += 2;
            } else if (direction == AUTO && a.is(j, "REV")) {
                direction = REVERSE;
            } else if (type == AUTO && a.is(j, "BYLEX")) {
                type = LEX;
            } else if (type == AUTO && a.is(j, "BYSCORE")) {
                type = SCORE;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (direction == AUTO) direction = FORWARD;
        if (type == AUTO) type = RANK;
        if (limit != -1 && type == RANK) {
            c.reply.error(Errors.ZSET_LIMIT_NEEDS_BY);
            return;
        }
        if (withScores && type == LEX) {
            c.reply.error(Errors.ZSET_WITHSCORES_BYLEX);
            return;
        }
        boolean reverse = direction == REVERSE;
        if (reverse && type != RANK) {
            int t = minIdx;
            minIdx = maxIdx;
            maxIdx = t;
        }
        long start = 0, end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        if (type == RANK) {
            if (!longArg(c, minIdx, null)) return;
            start = a.lastLong();
            if (!longArg(c, maxIdx, null)) return;
            end = a.lastLong();
        } else if (type == SCORE) {
            if ((scores = scoreRange(c, minIdx, maxIdx)) == null) return;
        } else if ((lex = lexRange(c, minIdx, maxIdx)) == null) {
            return;
        }
        int r = lookupRead(c, src);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            if (store) storeRange(c, null, Run.EMPTY, 0);
            else c.reply.array(0);
            return;
        }
        ZSet z = SortedSetOps.found(c.db);
        Run run = switch (type) {
            case RANK -> rankRun(z, start, end, reverse);
            case SCORE -> scoreRun(z, scores, offset, limit, reverse);
            default -> lexRun(z, lex, offset, limit, reverse, true);
        };
        if (store) {
            // 7.2.5 sizes the destination by the run for ranks and as empty for score and lex ranges.
            storeRange(c, z, run, type == RANK ? run.count : 0);
            return;
        }
        arrayOfPairs(c.reply, run.count, withScores);
        Entry e = new Entry();
        for (long i = 0; i < run.count; i++) {
            z.entry(run.reverse ? run.first - i : run.first + i, e);
            replyPair(c.reply, e, withScores);
        }
    }

    /** ZRANGESTORE's destination: a new set sized by the run, filled member by member as Redis adds them. */
    private static void storeRange(Call c, ZSet source, Run run, long sizeHint) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        if (run.count == 0) {
            c.reply.integer(0);
            if (c.db.delete(d, a.offset(1), a.length(1))) {
                c.dirty++;
                KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
            }
            return;
        }
        ZSet target = SortedSetOps.newTarget(c.db, d, a.offset(1), a.length(1), limits(c), sizeHint, 0);
        Entry e = new Entry();
        double[] unused = new double[1];
        for (long i = 0; i < run.count; i++) {
            source.entry(run.reverse ? run.first - i : run.first + i, e);
            byte[] m = e.isInt ? Bytes.decimal(e.num) : e.buf;
            int off = e.isInt ? 0 : e.off, len = e.isInt ? m.length : e.len;
            target.add(e.score, m, off, len, 0, unused);
        }
        target.store();
        c.dirty++;
        KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, "zrangestore", 1);
        c.reply.integer(run.count);
    }

    static void zcount(Call c) {
        ScoreRange range = scoreRange(c, 2, 3);
        if (range == null) return;
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT) {
            c.reply.integer(0);
            return;
        }
        ZSet z = SortedSetOps.found(c.db);
        c.reply.integer(Math.max(0, z.scoreEnd(range) - z.scoreStart(range)));
    }

    static void zlexcount(Call c) {
        LexRange range = lexRange(c, 2, 3);
        if (range == null) return;
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        c.reply.integer(r == ABSENT ? 0 : lexRun(SortedSetOps.found(c.db), range, 0, -1, false, true).count);
    }

    /** ZREMRANGEBYRANK / BYSCORE / BYLEX key min max. */
    static void zremrange(Call c, int type) {
        CommandArgs a = c.args;
        long start = 0, end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        if (type == RANK) {
            if (!longArg(c, 2, null)) return;
            start = a.lastLong();
            if (!longArg(c, 3, null)) return;
            end = a.lastLong();
        } else if (type == SCORE) {
            if ((scores = scoreRange(c, 2, 3)) == null) return;
        } else if ((lex = lexRange(c, 2, 3)) == null) {
            return;
        }
        ZSet z = openWrite(c, 1);
        if (z == null) return;
        if (!z.exists()) {
            c.reply.integer(0);
            return;
        }
        Run run = switch (type) {
            case RANK -> rankRun(z, start, end, false);
            case SCORE -> scoreRun(z, scores, 0, -1, false);
            default -> lexRun(z, lex, 0, -1, false, z.isListpack());
        };
        long deleted = z.removeRanks(run.first, run.first + run.count - 1);
        z.commit();
        c.dirty += deleted;
        if (deleted > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.ZSET,
                    type == RANK ? "zremrangebyrank" : type == SCORE ? "zremrangebyscore" : "zremrangebylex", 1);
            if (z.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
        }
        c.reply.integer(deleted);
    }

    // ------------------------------------------------------------ pops

    /**
     * Redis's genericZpopCommand, shared with the blocking pops: pops up to {@code count} (-1:
     * one, as a plain pop) members from the first existing sorted set among the keys at
     * arguments {@code keyArgs}, lowest scores first or, with {@code max}, highest. The reply
     * shape: {@code nested} gives [member, score] pairs, {@code emitKey} puts the key first
     * (ZMPOP/BZMPOP nest the pairs under it, BZPOPMIN/MAX flatten them), {@code nilWhenEmpty}
     * answers a null array instead of an empty one when no key exists. Returns the number of
     * members popped, -1 after an error.
     */
    public static long pop(Call c, int[] keyArgs, boolean max, long count, boolean nested, boolean emitKey,
                           boolean nilWhenEmpty) {
        CommandArgs a = c.args;
        ZSet z = null;
        int keyArg = -1;
        for (int k : keyArgs) {
            z = openWrite(c, k);
            if (z == null) return -1;
            if (z.exists()) {
                keyArg = k;
                break;
            }
        }
        if (keyArg < 0) {
            if (nilWhenEmpty) c.reply.nullArray();
            else c.reply.array(0);
            return 0;
        }
        if (count == 0) {
            c.reply.array(0);
            return 0;
        }
        if (count == -1) count = 1;
        long n = Math.min(count, z.size());
        if (!nested && !emitKey) {
            c.reply.array((int) (n * 2));
        } else if (nested && !emitKey) {
            c.reply.array((int) n);
        } else if (!nested) {
            c.reply.array((int) (n * 2 + 1));
            c.reply.bulk(a.data(), a.offset(keyArg), a.length(keyArg));
        } else {
            c.reply.array(2);
            c.reply.bulk(a.data(), a.offset(keyArg), a.length(keyArg));
            c.reply.array((int) n);
        }
        Entry e = new Entry();
        for (long i = 0; i < n; i++) {
            long rank = max ? z.size() - 1 : 0;
            z.entry(rank, e);
            if (nested) c.reply.array(2);
            replyMember(c.reply, e);
            c.reply.doubleValue(e.score);
            z.removeRanks(rank, rank);
            c.dirty++;
        }
        z.commit();
        if (n > 0) {
            KeyspaceEvents.notify(c, KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", keyArg);
            if (z.size() == 0) KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", keyArg);
        }
        return n;
    }

    /** ZPOPMIN / ZPOPMAX key [count]. */
    static void zpopMinMax(Call c, boolean max) {
        CommandArgs a = c.args;
        if (a.count() > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        if (a.count() == 3) {
            if (!rangeArg(c, 2, 0, Long.MAX_VALUE, Errors.MUST_BE_POSITIVE)) return;
            count = a.lastLong();
        }
        pop(c, new int[] {1}, max, count, c.reply.protocol() > 2 && count != -1, false, false);
    }

    /**
     * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] and BZMPOP timeout numkeys ...: pops
     * from the first non-empty sorted set; BZMPOP blocks when all are empty.
     */
    static void mpop(Call c, int numkeysArg, boolean block) {
        CommandArgs a = c.args;
        long deadline = 0;
        if (block && (deadline = Blocking.deadline(c, 1)) < 0) return;
        if (!rangeArg(c, numkeysArg, 1, Long.MAX_VALUE, Errors.NUMKEYS_POSITIVE)) return;
        long numKeys = a.lastLong();
        if (numKeys >= a.count() - numkeysArg - 1) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int whereIdx = (int) numKeys + numkeysArg + 1;
        boolean max;
        if (a.is(whereIdx, "MIN")) max = false;
        else if (a.is(whereIdx, "MAX")) max = true;
        else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        for (int j = whereIdx + 1; j < a.count(); j++) {
            if (count == -1 && a.is(j, "COUNT") && j + 1 < a.count()) {
                if (!rangeArg(c, ++j, 1, Long.MAX_VALUE, Errors.COUNT_POSITIVE)) return;
                count = a.lastLong();
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (count == -1) count = 1;
        int[] keys = new int[(int) numKeys];
        for (int i = 0; i < keys.length; i++) keys[i] = numkeysArg + 1 + i;
        if (!block) {
            pop(c, keys, max, count, true, true, true);
            return;
        }
        int found = firstExisting(c, keys);
        if (found < 0) return;
        if (found > 0) pop(c, new int[] {found}, max, count, true, true, true);
        else if (Blocking.denied(c)) c.reply.nullArray();
        else Blocking.block(c, Waiter.Kind.ZSET, numkeysArg + 1, keys.length, deadline);
    }

    /** BZPOPMIN and BZPOPMAX key [key ...] timeout: [key, member, score] from the first non-empty sorted set, else block. */
    static void bzpop(Call c, boolean max) {
        long deadline = Blocking.deadline(c, c.argc() - 1);
        if (deadline < 0) return;
        int[] keys = new int[c.argc() - 2];
        for (int i = 0; i < keys.length; i++) keys[i] = 1 + i;
        int found = firstExisting(c, keys);
        if (found < 0) return;
        if (found > 0) pop(c, new int[] {found}, max, -1, false, true, false);
        else if (Blocking.denied(c)) c.reply.nullArray();
        else Blocking.block(c, Waiter.Kind.ZSET, 1, keys.length, deadline);
    }

    /** The argument of the first key holding a sorted set, 0 when none does, -1 after replying WRONGTYPE. */
    private static int firstExisting(Call c, int[] keyArgs) {
        for (int k : keyArgs) {
            ZSet z = openWrite(c, k);
            if (z == null) return -1;
            if (z.exists()) return k;
        }
        return 0;
    }

    // ------------------------------------------------------------ ZRANDMEMBER

    /** ZRANDMEMBER key [count [WITHSCORES]]. */
    static void zrandmember(Call c) {
        CommandArgs a = c.args;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Entry e = new Entry();
        if (a.count() < 3) {
            int r = lookupRead(c, 1);
            if (r == REPLIED) return;
            if (r == ABSENT) {
                c.reply.nullBulk();
                return;
            }
            ZSet z = SortedSetOps.found(c.db);
            z.entry(rnd.nextInt(z.size()), e);
            replyMember(c.reply, e);
            return;
        }
        if (!longArg(c, 2, null)) return;
        long l = a.lastLong();
        if (l == Long.MIN_VALUE) {
            c.reply.error(Errors.LONG_RANGE);
            return;
        }
        boolean withScores = false;
        if (a.count() > 4 || (a.count() == 4 && !a.is(3, "WITHSCORES"))) {
            c.reply.error(Errors.SYNTAX);
            return;
        } else if (a.count() == 4) {
            withScores = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                c.reply.error(Errors.OUT_OF_RANGE);
                return;
            }
        }
        int r = lookupRead(c, 1);
        if (r == REPLIED) return;
        if (r == ABSENT || l == 0) {
            c.reply.array(0);
            return;
        }
        ZSet z = SortedSetOps.found(c.db);
        int size = z.size();
        boolean unique = l > 0;
        long count = unique ? l : -l;
        if (!unique || count == 1) {
            // Repeats allowed, in random order (one reply holds at most 2^30 picks, as HRANDFIELD).
            int picks = (int) Math.min(count, 1 << 30);
            arrayOfPairs(c.reply, picks, withScores);
            for (int i = 0; i < picks; i++) {
                z.entry(rnd.nextInt(size), e);
                replyPair(c.reply, e, withScores);
            }
            return;
        }
        int n = (int) Math.min(count, size);
        arrayOfPairs(c.reply, n, withScores);
        if (n == size) {
            // The whole set, as Redis's zset iterator walks it: from the highest score down.
            for (int i = size - 1; i >= 0; i--) {
                z.entry(i, e);
                replyPair(c.reply, e, withScores);
            }
            return;
        }
        // Distinct picks (Floyd's sampling), in the set's order as Redis gives a listpack's.
        HashSet<Integer> chosen = new HashSet<>();
        for (int j = size - n; j < size; j++) {
            int t = rnd.nextInt(j + 1);
            if (!chosen.add(t)) chosen.add(j);
        }
        int[] picks = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i : picks) {
            z.entry(i, e);
            replyPair(c.reply, e, withScores);
        }
    }

    // ------------------------------------------------------------ ZUNION / ZINTER / ZDIFF

    /**
     * ZUNION, ZINTER, ZDIFF (numkeys at argument 1), their STORE forms (destination 1, numkeys
     * 2) and ZINTERCARD, parsed as Redis's zunionInterDiffGenericCommand: the inputs are looked
     * up (sorted sets or sets) before the options are read.
     */
    static void combine(Call c, int numKeysIdx, boolean store, int op, boolean cardOnly) {
        CommandArgs a = c.args;
        if (!longArg(c, numKeysIdx, null)) return;
        long setnum = a.lastLong();
        if (setnum < 1) {
            c.reply.error(Errors.atLeastOneKey(c.spec.name));
            return;
        }
        if (setnum > a.count() - (numKeysIdx + 1)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int n = (int) setnum;
        SortedSetOps.Source[] src = new SortedSetOps.Source[n];
        double[] weights = new double[n];
        int j = numKeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            byte[] k = a.bytes(j);
            weights[i] = 1.0;
            if (!c.db.find(k, 0, k.length)) {
                KeyspaceEvents.keyMiss(c, k, 0, k.length);
                continue;
            }
            c.server.stats().keyspaceHits.increment();
            src[i] = SortedSetOps.source(c.db, k);
            if (src[i] == null) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
        }
        int aggregate = SortedSetOps.SUM;
        boolean withScores = false;
        long limit = 0;
        byte[] d = a.data();
        while (j < a.count()) {
            int remaining = a.count() - j;
            if (op != SortedSetOps.DIFF && !cardOnly && remaining >= n + 1 && a.is(j, "WEIGHTS")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    weights[i] = Strtod.string2d(d, a.offset(j), a.length(j));
                    if (Double.isNaN(weights[i])) {
                        c.reply.error(Errors.ZSET_WEIGHT_FLOAT);
                        return;
                    }
                }
            } else if (op != SortedSetOps.DIFF && !cardOnly && remaining >= 2 && a.is(j, "AGGREGATE")) {
                j++;
                if (a.is(j, "SUM")) aggregate = SortedSetOps.SUM;
                else if (a.is(j, "MIN")) aggregate = SortedSetOps.MIN;
                else if (a.is(j, "MAX")) aggregate = SortedSetOps.MAX;
                else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                j++;
            } else if (!store && !cardOnly && a.is(j, "WITHSCORES")) {
                j++;
                withScores = true;
            } else if (cardOnly && remaining >= 2 && a.is(j, "LIMIT")) {
                if (!rangeArg(c, j + 1, 0, Long.MAX_VALUE, Errors.LIMIT_NEGATIVE)) return;
                limit = a.lastLong();
                j += 2;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (cardOnly) {
            long[] card = new long[1];
            SortedSetOps.combine(src, weights, op, aggregate, limit, card);
            c.reply.integer(card[0]);
            return;
        }
        SortedSet result = SortedSetOps.combine(src, weights, op, aggregate, 0, null);
        if (store) {
            if (result.size() == 0) {
                c.reply.integer(0);
                if (c.db.delete(d, a.offset(1), a.length(1))) {
                    c.dirty++;
                    KeyspaceEvents.notify(c, KeyspaceEvents.GENERIC, "del", 1);
                }
                return;
            }
            long longest = 0, total = 0;
            for (SortedSet.Node x = result.first(); x != null; x = SortedSet.next(x)) {
                longest = Math.max(longest, x.member().length);
                total += x.member().length;
            }
            ZSet z = SortedSetOps.ofSkipList(c.db, d, a.offset(1), a.length(1), limits(c), result);
            z.toListpackIfFits(longest, total);
            z.store();
            c.dirty++;
            KeyspaceEvents.notify(c, KeyspaceEvents.ZSET,
                    op == SortedSetOps.UNION ? "zunionstore" : op == SortedSetOps.INTER ? "zinterstore" : "zdiffstore", 1);
            c.reply.integer(result.size());
            return;
        }
        arrayOfPairs(c.reply, result.size(), withScores);
        for (SortedSet.Node x = result.first(); x != null; x = SortedSet.next(x)) {
            if (withScores && c.reply.protocol() > 2) c.reply.array(2);
            c.reply.bulk(x.member());
            if (withScores) c.reply.doubleValue(x.score());
        }
    }

    // ------------------------------------------------------------ ZSCAN

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count] [NOSCORES]. A listpack is returned whole
     * with cursor 0, its scores as the listpack holds them; a skip list is walked bucket by
     * bucket, its scores printed as Redis's ld2string does ({@code %.17g}).
     */
    static void zscan(Call c) {
        ScanOptions opt = TypedLookup.beginScan(c, ScanOptions.ZSET, ValueType::isZset);
        if (opt == null) return;
        long cursor = c.scratch[0];
        byte[] pattern = opt.pattern;
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        ZSet z = SortedSetOps.found(c.db);
        if (z.isListpack()) {
            Entry e = new Entry();
            for (int i = 0, n = z.size(); i < n; i++) {
                z.entry(i, e);
                byte[] m = e.toBytes();
                if (pattern != null && !Glob.match(pattern, 0, pattern.length, m, 0, m.length, false)) continue;
                out.add(m);
                if (!opt.noValues) out.add(z.listpackScoreText(i));
            }
        } else {
            SortedSet s = z.skipList();
            long budget = opt.budget();
            long[] sampled = {0};
            SortedSet.NodeVisitor visit = x -> {
                sampled[0]++;
                byte[] m = x.member();
                if (pattern != null && !Glob.match(pattern, 0, pattern.length, m, 0, m.length, false)) return;
                out.add(m);
                if (!opt.noValues) out.add(Bytes.ascii(DoubleFormat.g17(x.score())));
            };
            next = cursor;
            do {
                next = s.scanBucket(next, visit);
            } while (next != 0 && budget-- > 0 && sampled[0] < opt.count);
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.array(out.size());
        for (byte[] b : out) c.reply.bulk(b);
    }
}
