package io.jackdaw.store;

import io.jackdaw.types.ByteKey;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.DoubleFormat;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.SortedSet;
import io.jackdaw.types.Strtod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Typed sorted-set operations with Redis 7.2's encoding rules. A small sorted set is a listpack
 * of member, score, member, score... in (score, member) order inside its record
 * ({@link ValueType#ZSET_LISTPACK}); a score that is an integer within &plusmn;2^62 is an
 * integer entry, any other the d2string text. Past {@code zset-max-listpack-entries} members or
 * a member longer than {@code zset-max-listpack-value} it becomes a {@link SortedSet}
 * ({@link ValueType#ZSET_SKIPLIST}); only the results of ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE go
 * back (Redis's zsetConvertToListpackIfNeeded).
 *
 * <p>A {@link ZSet} handle reads either encoding by rank (a listpack through an index of its
 * member offsets, a skip list through its spans, sequential steps O(1)), so one range engine
 * serves every ZRANGE variant, ZCOUNT, ZREMRANGE* and the pops.
 */
public final class SortedSetOps {
    private SortedSetOps() {}

    /** Limits a write obeys: zset-max-listpack-entries and -value, read live. */
    public record Limits(long maxEntries, long maxValue) {}

    /** One member and its score as read; reused, not kept. An integer listpack member is in {@link #num}. */
    public static final class Entry {
        public byte[] buf;
        public int off, len;
        public boolean isInt;
        public long num;
        public double score;

        void set(byte[] b, int o, int l) {
            buf = b;
            off = o;
            len = l;
            isInt = false;
        }

        void member(byte[] lp, int p) {
            if (Listpack.isInt(lp, p)) {
                isInt = true;
                num = Listpack.getInt(lp, p);
            } else {
                set(lp, Listpack.strOffset(lp, p), Listpack.strLength(lp, p));
            }
        }

        /** The member's bytes (an integer's decimal) as a new array. */
        public byte[] toBytes() { return isInt ? Bytes.decimal(num) : Arrays.copyOfRange(buf, off, off + len); }

        /** The member's length as a string. */
        public int length() { return isInt ? Bytes.longLength(num) : len; }
    }

    /** A score interval: ZRANGEBYSCORE's min and max, each inclusive or exclusive. */
    public static final class ScoreRange {
        public double min, max;
        public boolean minex, maxex;

        public boolean gteMin(double v) { return minex ? v > min : v >= min; }

        public boolean lteMax(double v) { return maxex ? v < max : v <= max; }
    }

    /** A member interval: ZRANGEBYLEX's bounds, each a string ('[' or '(') or '-' / '+'. */
    public static final class LexRange {
        static final int STRING = 0, MINUS = 1, PLUS = 2;
        int minKind, maxKind;
        byte[] min, max;
        boolean minex, maxex;

        /** Parses both bounds; null when either is not a valid range item. */
        public static LexRange parse(byte[] d, int minOff, int minLen, int maxOff, int maxLen) {
            LexRange r = new LexRange();
            if (!r.item(d, minOff, minLen, true) || !r.item(d, maxOff, maxLen, false)) return null;
            return r;
        }

        private boolean item(byte[] d, int off, int len, boolean isMin) {
            if (len == 0) return false;
            int kind;
            boolean ex;
            byte[] value = null;
            switch (d[off]) {
                case '+', '-' -> {
                    // Redis reads a C string: "+" followed by a NUL is still "+".
                    if (len > 1 && d[off + 1] != 0) return false;
                    kind = d[off] == '+' ? PLUS : MINUS;
                    ex = true;
                }
                case '(', '[' -> {
                    kind = STRING;
                    ex = d[off] == '(';
                    value = Arrays.copyOfRange(d, off + 1, off + len);
                }
                default -> {
                    return false;
                }
            }
            if (isMin) {
                minKind = kind;
                minex = ex;
                min = value;
            } else {
                maxKind = kind;
                maxex = ex;
                max = value;
            }
            return true;
        }

        private static int compare(byte[] v, int off, int len, int kind, byte[] bound) {
            if (kind == MINUS) return 1;
            if (kind == PLUS) return -1;
            return Arrays.compareUnsigned(v, off, off + len, bound, 0, bound.length);
        }

        /** Redis's test for ranges that are always empty: min after max, or equal with either end open. */
        public boolean alwaysEmpty() {
            int c;
            if (minKind == STRING && maxKind == STRING) c = Arrays.compareUnsigned(min, max);
            else if (minKind == maxKind) c = 0;
            else if (minKind == MINUS || maxKind == PLUS) c = -1;
            else c = 1;
            return c > 0 || (c == 0 && (minex || maxex));
        }

        public boolean gteMin(byte[] v, int off, int len) {
            int c = compare(v, off, len, minKind, min);
            return minex ? c > 0 : c >= 0;
        }

        public boolean lteMax(byte[] v, int off, int len) {
            int c = compare(v, off, len, maxKind, max);
            return maxex ? c < 0 : c <= 0;
        }

        boolean gteMin(Entry e) {
            if (!e.isInt) return gteMin(e.buf, e.off, e.len);
            byte[] b = Bytes.decimal(e.num);
            return gteMin(b, 0, b.length);
        }

        boolean lteMax(Entry e) {
            if (!e.isInt) return lteMax(e.buf, e.off, e.len);
            byte[] b = Bytes.decimal(e.num);
            return lteMax(b, 0, b.length);
        }
    }

    // ZADD's flags in and out, as Redis's zsetAdd.
    public static final int IN_INCR = 1, IN_NX = 2, IN_XX = 4, IN_GT = 8, IN_LT = 16;
    public static final int OUT_NAN = 1, OUT_ADDED = 2, OUT_UPDATED = 4, OUT_NOP = 8;

    /** The sorted set the database view has found (its type already checked), for reading. */
    public static ZSet found(Database db) {
        ZSet z = new ZSet(db, null, 0, 0, null);
        z.attachFound();
        return z;
    }

    /**
     * Opens the sorted set at a key for writing: an absent key gives a handle with no value yet
     * ({@link ZSet#exists()} false; {@link ZSet#create} makes one). Null when the key holds
     * another type.
     */
    public static ZSet open(Database db, byte[] k, int kOff, int kLen, Limits limits) {
        ZSet z = new ZSet(db, k, kOff, kLen, limits);
        if (db.find(k, kOff, kLen)) {
            if (!ValueType.isZset(db.type())) return null;
            z.attachFound();
            z.expireAt = db.expireAt();
        }
        return z;
    }

    /** A new sorted set to be stored under a key (a STORE command's destination), replacing what is there. */
    public static ZSet newTarget(Database db, byte[] k, int kOff, int kLen, Limits limits, long sizeHint, long lenHint) {
        ZSet z = new ZSet(db, k, kOff, kLen, limits);
        z.create(sizeHint, lenHint);
        return z;
    }

    /** A computed sorted set (a set operation's result) to be stored under a key. */
    public static ZSet ofSkipList(Database db, byte[] k, int kOff, int kLen, Limits limits, SortedSet s) {
        ZSet z = new ZSet(db, k, kOff, kLen, limits);
        z.sl = s;
        z.changed = true;
        return z;
    }

    /**
     * A sorted set being read or edited. Listpack edits go to a copy (a new array per edit, as
     * Redis reallocates) stored once by {@link #commit}; a skip list is edited where it lives.
     * Between opening and {@link #commit} the command must not write other keys.
     */
    public static final class ZSet {
        private final Database db;
        private final byte[] key;
        private final int kOff, kLen;
        private final Limits limits;
        private byte[] lp;
        private int base;
        private int[] at;                 // offsets of the listpack's members by rank; null when stale
        private SortedSet sl;
        private boolean exists, converted, changed;
        private long expireAt = -1;
        private final Strtod.Result num = new Strtod.Result();
        private SortedSet.Node cursor;    // the last node read by rank, for O(1) sequential steps
        private long cursorRank = -1;

        ZSet(Database db, byte[] key, int kOff, int kLen, Limits limits) {
            this.db = db;
            this.key = key;
            this.kOff = kOff;
            this.kLen = kLen;
            this.limits = limits;
        }

        void attachFound() {
            exists = true;
            if (db.type() == ValueType.ZSET_SKIPLIST) {
                sl = (SortedSet) db.foundObject();
            } else {
                lp = db.valuePage();
                base = db.valueOffset();
            }
        }

        /** Whether the key held a sorted set when opened. */
        public boolean exists() { return exists; }

        public boolean isListpack() { return sl == null; }

        /** Whether there is a value yet (an existing set, or one {@link #create} made). */
        public boolean hasValue() { return lp != null || sl != null; }

        /** Makes the value of a new key as Redis's zsetTypeCreate: a listpack unless the hints pass the limits. */
        public void create(long sizeHint, long lenHint) {
            if (sizeHint <= limits.maxEntries() && lenHint <= limits.maxValue()) lp = Listpack.newEmpty();
            else sl = new SortedSet();
            base = 0;
            changed = true;
        }

        /** Redis's zsetTypeMaybeConvert: a listpack about to get more than the entry limit becomes a skip list. */
        public void maybeConvert(long sizeHint) {
            if (sl == null && sizeHint > limits.maxEntries()) convert();
        }

        public int size() {
            if (sl != null) return sl.size();
            return lp == null ? 0 : Listpack.countAndCache(lp, base) / 2;
        }

        private void stale() {
            at = null;
            cursor = null;
            cursorRank = -1;
        }

        private int[] index() {
            if (at == null) {
                int n = size();
                at = new int[n];
                int i = 0;
                for (int p = Listpack.first(lp, base); p != Listpack.NONE && i < n; p = Listpack.next(lp, base, Listpack.next(lp, base, p))) {
                    at[i++] = p;
                }
            }
            return at;
        }

        private double scoreAt(int p) {
            if (Listpack.isInt(lp, p)) return Listpack.getInt(lp, p);
            int o = Listpack.strOffset(lp, p), l = Math.min(Listpack.strLength(lp, p), 127);
            return Strtod.parse(lp, o, l, num).value;
        }

        private SortedSet.Node node(long rank) {
            SortedSet.Node n;
            if (cursor != null && rank == cursorRank + 1) n = SortedSet.next(cursor);
            else if (cursor != null && rank == cursorRank - 1) n = SortedSet.prev(cursor);
            else if (cursor != null && rank == cursorRank) n = cursor;
            else n = sl.byRank(rank);
            cursor = n;
            cursorRank = rank;
            return n;
        }

        /** Reads the member and score at a 0-based rank (ascending). */
        public void entry(long rank, Entry out) {
            if (sl != null) {
                SortedSet.Node n = node(rank);
                out.set(n.member(), 0, n.member().length);
                out.score = n.score();
                return;
            }
            int p = index()[(int) rank];
            out.member(lp, p);
            out.score = scoreAt(Listpack.next(lp, base, p));
        }

        /** The score at a rank. */
        public double scoreOf(long rank) {
            if (sl != null) return node(rank).score();
            return scoreAt(Listpack.next(lp, base, index()[(int) rank]));
        }

        private int findListpack(byte[] m, int off, int len) {
            int p = Listpack.first(lp, base);
            return p == Listpack.NONE ? Listpack.NONE : Listpack.find(lp, base, p, m, off, len, 1);
        }

        /** A member's score, or NaN when it is absent (a score is never NaN). */
        public double score(byte[] m, int off, int len) {
            if (sl != null) {
                SortedSet.Node n = sl.find(m, off, len);
                return n == null ? Double.NaN : n.score();
            }
            if (lp == null) return Double.NaN;
            int p = findListpack(m, off, len);
            return p == Listpack.NONE ? Double.NaN : scoreAt(Listpack.next(lp, base, p));
        }

        /** A member's 0-based ascending rank, or -1 when absent. */
        public long rank(byte[] m, int off, int len) {
            if (sl != null) {
                SortedSet.Node n = sl.find(m, off, len);
                return n == null ? -1 : sl.rank(n);
            }
            long r = 0;
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; p = Listpack.next(lp, base, Listpack.next(lp, base, p))) {
                if (Listpack.entryEquals(lp, p, m, off, len)) return r;
                r++;
            }
            return -1;
        }

        // ------------------------------------------------------------ range positions

        /** Rank of the first member whose score is at least the range's min. */
        public long scoreStart(ScoreRange r) {
            if (sl != null) return sl.prefixLength(n -> !r.gteMin(n.score()));
            int lo = 0, hi = size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (r.gteMin(scoreOf(mid))) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }

        /** Number of members whose score is at most the range's max (one past the last in range). */
        public long scoreEnd(ScoreRange r) {
            if (sl != null) return sl.prefixLength(n -> r.lteMax(n.score()));
            int lo = 0, hi = size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (r.lteMax(scoreOf(mid))) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        /**
         * Rank of the first member at or past the lex range's min: a listpack is walked from its
         * head as Redis walks it; a skip list is searched down its levels.
         */
        public long lexStart(LexRange r) {
            if (sl != null) return sl.prefixLength(n -> !r.gteMin(n.member(), 0, n.member().length));
            Entry e = new Entry();
            int n = size();
            for (int i = 0; i < n; i++) {
                e.member(lp, index()[i]);
                if (r.gteMin(e)) return i;
            }
            return n;
        }

        /** One past the last member at or before the lex range's max (a listpack walked from its tail). */
        public long lexEnd(LexRange r) {
            if (sl != null) return sl.prefixLength(n -> r.lteMax(n.member(), 0, n.member().length));
            Entry e = new Entry();
            for (int i = size() - 1; i >= 0; i--) {
                e.member(lp, index()[i]);
                if (r.lteMax(e)) return i + 1;
            }
            return 0;
        }

        /**
         * Redis's zslIsInLexRange / zzlIsInLexRange: the range can hold members only when it is
         * not always empty, the last member is past its min and the first before its max.
         */
        public boolean mayHoldLex(LexRange r) {
            int n = size();
            if (n == 0 || r.alwaysEmpty()) return false;
            Entry e = new Entry();
            entry(n - 1, e);
            if (!r.gteMin(e)) return false;
            entry(0, e);
            return r.lteMax(e);
        }

        /** Whether the member at a rank is within the lex range's max (min). */
        public boolean lexLteMax(long rank, LexRange r, Entry scratch) {
            entry(rank, scratch);
            return r.lteMax(scratch);
        }

        public boolean lexGteMin(long rank, LexRange r, Entry scratch) {
            entry(rank, scratch);
            return r.gteMin(scratch);
        }

        // ------------------------------------------------------------ edits

        /**
         * Redis's zsetAdd: adds or updates one member under the IN_* flags; returns OUT_* flags.
         * The resulting score lands in {@code newScore[0]} when the member was added or could be
         * updated.
         */
        public int add(double score, byte[] m, int off, int len, int flags, double[] newScore) {
            boolean incr = (flags & IN_INCR) != 0, nx = (flags & IN_NX) != 0, xx = (flags & IN_XX) != 0;
            boolean gt = (flags & IN_GT) != 0, lt = (flags & IN_LT) != 0;
            if (Double.isNaN(score)) return OUT_NAN;
            if (sl == null) {
                int p = findListpack(m, off, len);
                if (p != Listpack.NONE) {
                    if (nx) return OUT_NOP;
                    double cur = scoreAt(Listpack.next(lp, base, p));
                    if (incr) {
                        score += cur;
                        if (Double.isNaN(score)) return OUT_NAN;
                    }
                    if ((lt && score >= cur) || (gt && score <= cur)) return OUT_NOP;
                    newScore[0] = score;
                    if (score != cur) {
                        lp = Listpack.delete(lp, base, p, 2);
                        base = 0;
                        listpackInsert(m, off, len, score);
                        return OUT_UPDATED;
                    }
                    return 0;
                }
                if (xx) return OUT_NOP;
                if (size() + 1 > limits.maxEntries() || len > limits.maxValue() || !Listpack.safeToAdd(lp, base, len)) {
                    convert();
                } else {
                    listpackInsert(m, off, len, score);
                    newScore[0] = score;
                    return OUT_ADDED;
                }
            }
            SortedSet.Node n = sl.find(m, off, len);
            if (n != null) {
                if (nx) return OUT_NOP;
                double cur = n.score();
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) return OUT_NAN;
                }
                if ((lt && score >= cur) || (gt && score <= cur)) return OUT_NOP;
                newScore[0] = score;
                if (score != cur) {
                    sl.updateScore(n, score);
                    edited();
                    return OUT_UPDATED;
                }
                return 0;
            }
            if (xx) return OUT_NOP;
            sl.insert(m, off, len, score);
            edited();
            newScore[0] = score;
            return OUT_ADDED;
        }

        private void edited() {
            changed = true;
            stale();
        }

        /** Redis's zzlInsert: the pair goes before the first member that sorts after it. */
        private void listpackInsert(byte[] m, int off, int len, double score) {
            int before = Listpack.NONE;
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
                int s = Listpack.next(lp, base, p);
                double cur = scoreAt(s);
                if (cur > score || (cur == score && compareMember(p, m, off, len) > 0)) {
                    before = p;
                    break;
                }
                p = Listpack.next(lp, base, s);
            }
            int at = before == Listpack.NONE ? Listpack.eof(lp, base) : before;
            byte[] out = Listpack.insert(lp, base, at, Listpack.BEFORE, m, off, len);
            int memberAt = at - base;
            out = insertScore(out, memberAt, score);
            lp = out;
            base = 0;
            edited();
        }

        private static byte[] insertScore(byte[] lp, int memberAt, double score) {
            // zzlInsertAt: an integer within double2ll's range is an integer entry, else d2string's text.
            if (score >= -0x1p62 && score <= 0x1p62 && score == Math.rint(score)) {
                return Listpack.insertInt(lp, 0, memberAt, Listpack.AFTER, (long) score);
            }
            byte[] text = Bytes.ascii(DoubleFormat.shortest(score));
            return Listpack.insert(lp, 0, memberAt, Listpack.AFTER, text, 0, text.length);
        }

        /** memcmp order of a listpack member (an integer by its decimal) against bytes. */
        private int compareMember(int p, byte[] m, int off, int len) {
            if (Listpack.isInt(lp, p)) {
                byte[] d = Bytes.decimal(Listpack.getInt(lp, p));
                return Arrays.compareUnsigned(d, 0, d.length, m, off, off + len);
            }
            int o = Listpack.strOffset(lp, p);
            return Arrays.compareUnsigned(lp, o, o + Listpack.strLength(lp, p), m, off, off + len);
        }

        /** Removes a member; false when absent. */
        public boolean remove(byte[] m, int off, int len) {
            if (sl != null) {
                if (!sl.remove(m, off, len)) return false;
            } else {
                if (lp == null) return false;
                int p = findListpack(m, off, len);
                if (p == Listpack.NONE) return false;
                lp = Listpack.delete(lp, base, p, 2);
                base = 0;
            }
            edited();
            return true;
        }

        /** Removes the members of ranks lo..hi (inclusive, within the set); returns how many. */
        public long removeRanks(long lo, long hi) {
            long n = hi - lo + 1;
            if (n <= 0) return 0;
            if (sl != null) {
                SortedSet.Node x = sl.byRank(lo);
                for (long i = 0; i < n; i++) {
                    SortedSet.Node next = SortedSet.next(x);
                    sl.remove(x);
                    x = next;
                }
            } else {
                lp = Listpack.deleteRange(lp, base, 2 * lo, 2 * n);
                base = 0;
            }
            edited();
            return n;
        }

        /** Converts the listpack into a skip list (Redis's zsetConvert). */
        private void convert() {
            SortedSet s = new SortedSet();
            Entry e = new Entry();
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
                int q = Listpack.next(lp, base, p);
                e.member(lp, p);
                double score = scoreAt(q);
                if (e.isInt) {
                    byte[] d = Bytes.decimal(e.num);
                    s.insert(d, 0, d.length, score);
                } else {
                    s.insert(e.buf, e.off, e.len, score);
                }
                p = Listpack.next(lp, base, q);
            }
            sl = s;
            lp = null;
            converted = true;
            changed = true;
            stale();
        }

        /**
         * Redis's zsetConvertToListpackIfNeeded for a STORE result: back to a listpack when it
         * fits the limits ({@code longest} and {@code total} are its members' longest and summed
         * lengths).
         */
        public void toListpackIfFits(long longest, long total) {
            if (sl == null) return;
            if (sl.size() > limits.maxEntries() || longest > limits.maxValue() || total > Listpack.SAFETY_SIZE) return;
            List<byte[]> values = new ArrayList<>(sl.size() * 2);
            byte[] out = Listpack.newEmpty();
            for (SortedSet.Node n = sl.first(); n != null; n = SortedSet.next(n)) {
                values.add(n.member());
                values.add(Bytes.ascii(DoubleFormat.shortest(n.score())));
            }
            lp = Listpack.appendAll(out, 0, values);
            base = 0;
            sl = null;
            converted = true;
            stale();
        }

        /** The score entry of a listpack at a rank as its text (ZSCAN shows it as stored). */
        public byte[] listpackScoreText(long rank) {
            int p = Listpack.next(lp, base, index()[(int) rank]);
            return Listpack.isInt(lp, p) ? Bytes.decimal(Listpack.getInt(lp, p)) : Listpack.toBytes(lp, p);
        }

        /** The skip list (only when not a listpack), for ZSCAN. */
        public SortedSet skipList() { return sl; }

        /** Stores the result: a listpack or skip list under the key, or no key once it is empty. */
        public void commit() {
            if (!changed) return;
            if (size() == 0) {
                if (exists) db.deleteFound();
                return;
            }
            if (sl == null) {
                db.put(key, kOff, kLen, ValueType.ZSET_LISTPACK, lp, base, Listpack.size(lp, base), expireAt);
            } else if (converted || !exists) {
                db.putObject(key, kOff, kLen, ValueType.ZSET_SKIPLIST, sl, expireAt);
            } else {
                db.foundObjectResized();
            }
        }

        /** Stores a STORE command's result, replacing whatever the key held (its expiry too). */
        public void store() {
            if (sl == null) db.put(key, kOff, kLen, ValueType.ZSET_LISTPACK, lp, base, Listpack.size(lp, base), -1);
            else db.putObject(key, kOff, kLen, ValueType.ZSET_SKIPLIST, sl, -1);
        }
    }

    // ------------------------------------------------------------ ZUNION / ZINTER / ZDIFF

    /** What one input of a set operation offers: its size, its members in order, a look-up. */
    public interface Source {
        int size();

        /** Calls {@code v} with each member (bytes) and score, in the input's order. */
        void forEach(MemberVisitor v);

        /** The member's score, or NaN when absent. */
        double score(byte[] m);

        /** The key this input was read from (Redis compares inputs by object, so a key given twice is one input). */
        byte[] key();
    }

    public interface MemberVisitor {
        /** Returns false to stop. */
        boolean visit(byte[] member, double score);
    }

    /** The found value as a set-operation input: a sorted set, or a set whose members all score 1. Null for other types. */
    public static Source source(Database db, byte[] key) {
        int type = db.type();
        if (ValueType.isZset(type)) {
            ZSet z = found(db);
            return new Source() {
                public int size() { return z.size(); }

                public void forEach(MemberVisitor v) {
                    Entry e = new Entry();
                    for (int i = 0, n = z.size(); i < n; i++) {
                        z.entry(i, e);
                        if (!v.visit(e.isInt ? Bytes.decimal(e.num) : Arrays.copyOfRange(e.buf, e.off, e.off + e.len), e.score)) return;
                    }
                }

                public double score(byte[] m) { return z.score(m, 0, m.length); }

                public byte[] key() { return key; }
            };
        }
        if (ValueType.isSet(type)) return setSource(db, key);
        return null;
    }

    /** A plain set as an input of ZUNION/ZINTER/ZDIFF: each member with score 1, read through SetOps. */
    private static Source setSource(Database db, byte[] key) {
        SetOps.SetValue set = SetOps.found(db, null, key, 0, key.length);
        return new Source() {
            public int size() { return set.size(); }

            public void forEach(MemberVisitor v) {
                SetOps.Iterator it = set.iterator();
                SetOps.Member m = new SetOps.Member();
                while (it.next(m)) if (!v.visit(m.toBytes(), 1.0)) return;
            }

            public double score(byte[] m) { return set.contains(m, 0, m.length) ? 1.0 : Double.NaN; }

            public byte[] key() { return key; }
        };
    }

    public static final int UNION = 0, INTER = 1, DIFF = 2;
    public static final int SUM = 0, MIN = 1, MAX = 2;

    private static double aggregate(double target, double val, int aggregate) {
        return switch (aggregate) {
            case SUM -> {
                double s = target + val;
                // inf + -inf is NaN; Redis makes it 0.
                yield Double.isNaN(s) ? 0.0 : s;
            }
            case MIN -> val < target ? val : target;
            default -> val > target ? val : target;
        };
    }

    /**
     * The one core of ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as Redis's
     * zunionInterDiffGenericCommand computes them: inputs (null = absent key, an empty input)
     * taken smallest first for union and intersection, weights applied, scores aggregated in
     * that order (sums of inf and -inf are 0). With {@code cardinality} non-null only the size
     * of the intersection is counted there (stopping at {@code limit} when positive) and null is
     * returned.
     */
    public static SortedSet combine(Source[] in, double[] weights, int op, int aggregate, long limit, long[] cardinality) {
        int n = in.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (op != DIFF) Arrays.sort(order, (a, b) -> Integer.compare(size(in[a]), size(in[b])));
        Source[] src = new Source[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            src[i] = in[order[i]];
            w[i] = weights[order[i]];
        }
        SortedSet out = cardinality == null ? new SortedSet() : null;
        if (op == INTER) {
            if (size(src[0]) == 0) return out;
            long[] count = {0};
            src[0].forEach((m, s) -> {
                double score = w[0] * s;
                if (Double.isNaN(score)) score = 0;
                int j;
                for (j = 1; j < n; j++) {
                    double value;
                    if (sameInput(src[j], src[0])) value = s * w[j];
                    else {
                        value = src[j].score(m);
                        if (Double.isNaN(value)) break;
                        value *= w[j];
                    }
                    score = aggregate(score, value, aggregate);
                }
                if (j < n) return true;
                if (cardinality != null) {
                    count[0]++;
                    return limit <= 0 || count[0] < limit;
                }
                out.insert(m, 0, m.length, score);
                return true;
            });
            if (cardinality != null) cardinality[0] = count[0];
            return out;
        }
        if (op == UNION) {
            HashMap<ByteKey, double[]> acc = new HashMap<>();
            List<byte[]> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (size(src[i]) == 0) continue;
                double wi = w[i];
                src[i].forEach((m, s) -> {
                    double score = wi * s;
                    if (Double.isNaN(score)) score = 0;
                    double[] cur = acc.get(ByteKey.of(m));
                    if (cur == null) {
                        acc.put(ByteKey.of(m), new double[] {score});
                        members.add(m);
                    } else {
                        cur[0] = aggregate(cur[0], score, aggregate);
                    }
                    return true;
                });
            }
            for (byte[] m : members) out.insert(m, 0, m.length, acc.get(ByteKey.of(m))[0]);
            return out;
        }
        // DIFF: the first input's members found in no other, with their own scores.
        if (size(src[0]) == 0) return out;
        for (int j = 1; j < n; j++) if (sameInput(src[j], src[0])) return out;
        src[0].forEach((m, s) -> {
            for (int j = 1; j < n; j++) if (src[j] != null && !Double.isNaN(src[j].score(m))) return true;
            out.insert(m, 0, m.length, s);
            return true;
        });
        return out;
    }

    private static int size(Source s) { return s == null ? 0 : s.size(); }

    private static boolean sameInput(Source a, Source b) { return a != null && b != null && Arrays.equals(a.key(), b.key()); }
}
