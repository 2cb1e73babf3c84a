package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Intset;
import io.jackdaw.types.Listpack;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * Typed set operations with Redis 7.2's encoding rules (t_set.c), since OBJECT ENCODING, reply
 * order and memory show them. A set is one of:
 * <ul>
 *   <li>{@link ValueType#SET_INTSET}: Redis's intset bytes in the record, while every member is
 *       an integer and there are at most {@code set-max-intset-entries};</li>
 *   <li>{@link ValueType#SET_LISTPACK}: a listpack of members in insertion order, while there are
 *       at most {@code set-max-listpack-entries} of at most {@code set-max-listpack-value} bytes;</li>
 *   <li>{@link ValueType#SET_TABLE}: a {@link FieldMap} without values.</li>
 * </ul>
 * A set changes encoding only where Redis's does (adds past a limit, a size hint, the results
 * SINTERSTORE and SPOP build); an empty set does not exist.
 *
 * <p>A {@link SetValue} is what Redis calls a set object: one found in the database (read where
 * it lies; the first edit of compact bytes makes a copy, as Redis reallocates) or a new one a
 * command builds. Commands that write several keys finish reading before they write.
 */
public final class SetOps {
    private SetOps() {}

    /** The three thresholds, read live from CONFIG. */
    public record Limits(long intsetEntries, long listpackEntries, long listpackValue) {
        /** Redis caps an intset at 2^30 members whatever the setting. */
        long intsetMax() { return Math.min(intsetEntries, 1L << 30); }
    }

    /** A member as read: bytes in some buffer, or an integer (intset, listpack integer). Reused, not kept. */
    public static final class Member {
        public byte[] buf;
        public int off, len;
        public boolean isInt;
        public long num;

        void set(byte[] b, int o, int l) {
            buf = b;
            off = o;
            len = l;
            isInt = false;
        }

        void setInt(long v) {
            isInt = true;
            num = v;
        }

        void entry(byte[] lp, int p) {
            if (Listpack.isInt(lp, p)) setInt(Listpack.getInt(lp, p));
            else set(lp, Listpack.strOffset(lp, p), Listpack.strLength(lp, p));
        }

        /** The member's bytes (an integer's decimal), as a new array. */
        public byte[] toBytes() {
            return isInt ? Bytes.decimal(num) : Arrays.copyOfRange(buf, off, off + len);
        }
    }

    /** Sees members one by one; the member is reused for the next. */
    public interface MemberVisitor {
        void visit(Member m);
    }

    // ------------------------------------------------------------ creating and finding

    /** An empty intset-encoded set. */
    public static SetValue newIntset(Limits l) { return new SetValue(l, ValueType.SET_INTSET, Intset.newEmpty(), null); }

    /** An empty listpack-encoded set. */
    public static SetValue newListpack(Limits l) { return new SetValue(l, ValueType.SET_LISTPACK, Listpack.newEmpty(), null); }

    /** An empty table-encoded set. */
    public static SetValue newTable(Limits l) { return new SetValue(l, ValueType.SET_TABLE, null, new FieldMap(false)); }

    /**
     * Redis's setTypeCreate: the encoding a new set starts in, from its first member and how many
     * members are about to be added.
     */
    public static SetValue create(Limits l, byte[] first, int off, int len, long sizeHint) {
        if (Bytes.parseLong(first, off, len, new long[1]) && sizeHint <= l.intsetEntries) return newIntset(l);
        if (sizeHint <= l.listpackEntries) return newListpack(l);
        return newTable(l);
    }

    /** The set the database view has found (its type must be a set), bound to its key for {@link SetValue#save}. */
    public static SetValue found(Database db, Limits l, byte[] k, int kOff, int kLen) {
        int type = db.type();
        SetValue s = type == ValueType.SET_TABLE
                ? new SetValue(l, type, null, (FieldMap) db.foundObject())
                : new SetValue(l, type, db.valuePage(), null);
        s.base = type == ValueType.SET_TABLE ? 0 : db.valueOffset();
        s.key = k;
        s.kOff = kOff;
        s.kLen = kLen;
        s.expireAt = db.expireAt();
        s.storedMap = s.map;
        return s;
    }

    // ------------------------------------------------------------ the set object

    public static final class SetValue {
        private final Limits limits;
        private int encoding;
        private byte[] buf;          // intset or listpack bytes (the record's page until the first edit)
        private int base;
        private FieldMap map;
        // When found in the database: the key, its expiry and the table it held, for save().
        private byte[] key;
        private int kOff, kLen;
        private long expireAt = -1;
        private FieldMap storedMap;
        private boolean changed;
        private int[] offsets;       // listpack entry offsets for random access, built on demand

        SetValue(Limits limits, int encoding, byte[] buf, FieldMap map) {
            this.limits = limits;
            this.encoding = encoding;
            this.buf = buf;
            this.map = map;
        }

        /** One of {@link ValueType#SET_INTSET}, {@link ValueType#SET_LISTPACK}, {@link ValueType#SET_TABLE}. */
        public int encoding() { return encoding; }

        public int size() {
            return switch (encoding) {
                case ValueType.SET_INTSET -> Intset.length(buf, base);
                case ValueType.SET_LISTPACK -> Listpack.countAndCache(buf, base);
                default -> map.size();
            };
        }

        // -------------------------------------------------------- membership

        public boolean contains(byte[] v, int off, int len) {
            return switch (encoding) {
                case ValueType.SET_INTSET -> {
                    long[] n = new long[1];
                    yield Bytes.parseLong(v, off, len, n) && Intset.contains(buf, base, n[0]);
                }
                case ValueType.SET_LISTPACK -> Listpack.find(buf, base, Listpack.first(buf, base), v, off, len, 0) != Listpack.NONE;
                default -> map.find(v, off, len) >= 0;
            };
        }

        public boolean containsInt(long v) {
            if (encoding == ValueType.SET_INTSET) return Intset.contains(buf, base, v);
            byte[] d = Bytes.decimal(v);
            return contains(d, 0, d.length);
        }

        public boolean contains(Member m) { return m.isInt ? containsInt(m.num) : contains(m.buf, m.off, m.len); }

        // -------------------------------------------------------- adding (Redis's setTypeAddAux)

        /** Adds a member given as bytes; true when it is new. */
        public boolean add(byte[] v, int off, int len) {
            switch (encoding) {
                case ValueType.SET_TABLE -> {
                    return mark(map.put(v, off, len, null, 0, 0, false));
                }
                case ValueType.SET_LISTPACK -> {
                    if (contains(v, off, len)) return false;
                    if (Listpack.countAndCache(buf, base) < limits.listpackEntries && len <= limits.listpackValue
                            && Listpack.safeToAdd(buf, base, len)) {
                        setBytes(Listpack.append(buf, base, v, off, len));
                    } else {
                        convert(ValueType.SET_TABLE);
                        map.put(v, off, len, null, 0, 0, false);
                    }
                    return mark(true);
                }
                default -> {
                    long[] n = new long[1];
                    if (Bytes.parseLong(v, off, len, n)) return addInt(n[0]);
                    // A string joins an intset: a listpack if everything fits one, else a table.
                    int count = Intset.length(buf, base);
                    long longest = 0, total = 0;
                    if (count > 0) {
                        long min = Intset.min(buf, base), max = Intset.max(buf, base);
                        longest = Math.max(Bytes.longLength(min), Bytes.longLength(max));
                        total = Math.max((long) Listpack.entrySizeForInt(min) * count,
                                (long) Listpack.entrySizeForInt(max) * count);
                    }
                    if (count < limits.listpackEntries && len <= limits.listpackValue && longest <= limits.listpackValue
                            && total + len <= Listpack.SAFETY_SIZE) {
                        convert(ValueType.SET_LISTPACK);
                        setBytes(Listpack.append(buf, base, v, off, len));
                    } else {
                        convert(ValueType.SET_TABLE);
                        map.put(v, off, len, null, 0, 0, false);
                    }
                    return mark(true);
                }
            }
        }

        /** Adds an integer member; true when it is new. */
        public boolean addInt(long v) {
            if (encoding != ValueType.SET_INTSET) {
                if (encoding == ValueType.SET_LISTPACK && !containsInt(v)
                        && Listpack.countAndCache(buf, base) < limits.listpackEntries
                        && Bytes.longLength(v) <= limits.listpackValue
                        && Listpack.safeToAdd(buf, base, Bytes.longLength(v))) {
                    setBytes(Listpack.appendInt(buf, base, v));
                    return mark(true);
                }
                byte[] d = Bytes.decimal(v);
                return add(d, 0, d.length);
            }
            byte[] grown = Intset.add(buf, base, v);
            if (grown == null) return false;
            setBytes(grown);
            if (Intset.length(buf, base) > limits.intsetMax()) convert(ValueType.SET_TABLE);
            return mark(true);
        }

        public boolean add(Member m) { return m.isInt ? addInt(m.num) : add(m.buf, m.off, m.len); }

        // -------------------------------------------------------- removing

        /** Removes a member given as bytes; true when it was there. */
        public boolean remove(byte[] v, int off, int len) {
            switch (encoding) {
                case ValueType.SET_TABLE -> {
                    return mark(map.remove(v, off, len));
                }
                case ValueType.SET_LISTPACK -> {
                    int p = Listpack.find(buf, base, Listpack.first(buf, base), v, off, len, 0);
                    if (p == Listpack.NONE) return false;
                    setBytes(Listpack.delete(buf, base, p));
                    return mark(true);
                }
                default -> {
                    long[] n = new long[1];
                    return Bytes.parseLong(v, off, len, n) && removeInt(n[0]);
                }
            }
        }

        public boolean removeInt(long v) {
            if (encoding == ValueType.SET_INTSET) {
                byte[] shrunk = Intset.remove(buf, base, v);
                if (shrunk == null) return false;
                setBytes(shrunk);
                return mark(true);
            }
            byte[] d = Bytes.decimal(v);
            return remove(d, 0, d.length);
        }

        public boolean remove(Member m) { return m.isInt ? removeInt(m.num) : remove(m.buf, m.off, m.len); }

        // -------------------------------------------------------- conversions

        /** Redis's setTypeMaybeConvert: a table first when about {@code sizeHint} members are coming. */
        public void maybeConvert(long sizeHint) {
            if ((encoding == ValueType.SET_LISTPACK && sizeHint > limits.listpackEntries)
                    || (encoding == ValueType.SET_INTSET && sizeHint > limits.intsetEntries)) {
                convert(ValueType.SET_TABLE);
            }
        }

        /** Redis's maybeConvertToIntset: an intset again when every member is an integer and they fit. */
        public void maybeConvertToIntset() {
            if (encoding == ValueType.SET_INTSET || size() > limits.intsetMax()) return;
            byte[] is = Intset.newEmpty();
            Iterator it = iterator();
            Member m = new Member();
            long[] n = new long[1];
            while (it.next(m)) {
                long v = m.isInt ? m.num : parsedInteger(m, n);
                is = Intset.add(is, 0, v);
            }
            encoding = ValueType.SET_INTSET;
            map = null;
            setBytes(is);
            changed = true;
        }

        private static long parsedInteger(Member m, long[] n) {
            if (!Bytes.parseLong(m.buf, m.off, m.len, n)) throw new IllegalStateException("not an integer member");
            return n[0];
        }

        /** Converts to another encoding, keeping the order of iteration (setTypeConvert). */
        void convert(int to) {
            Iterator it = iterator();
            Member m = new Member();
            if (to == ValueType.SET_TABLE) {
                FieldMap t = new FieldMap(false);
                while (it.next(m)) {
                    if (m.isInt) {
                        byte[] d = Bytes.decimal(m.num);
                        t.put(d, 0, d.length, null, 0, 0, false);
                    } else {
                        t.put(m.buf, m.off, m.len, null, 0, 0, false);
                    }
                }
                map = t;
                buf = null;
                base = 0;
            } else {
                byte[] lp = Listpack.newEmpty();
                while (it.next(m)) lp = m.isInt ? Listpack.appendInt(lp, 0, m.num) : Listpack.append(lp, 0, m.buf, m.off, m.len);
                map = null;
                buf = lp;
                base = 0;
            }
            encoding = to;
            offsets = null;
            changed = true;
        }

        private void setBytes(byte[] b) {
            buf = b;
            base = 0;
            offsets = null;
        }

        private boolean mark(boolean didChange) {
            if (didChange) {
                changed = true;
                offsets = null;
            }
            return didChange;
        }

        // -------------------------------------------------------- reading in order

        /** Walks the members in the set's order: ascending (intset), insertion (listpack), table order. */
        public Iterator iterator() { return new Iterator(this); }

        public void forEach(MemberVisitor v) {
            Iterator it = iterator();
            Member m = new Member();
            while (it.next(m)) v.visit(m);
        }

        /** The member at an index of the set's order (an O(1) read after one walk of a listpack). */
        public void at(int i, Member out) {
            switch (encoding) {
                case ValueType.SET_INTSET -> out.setInt(Intset.get(buf, base, i));
                case ValueType.SET_LISTPACK -> {
                    if (offsets == null) {
                        int[] o = new int[Listpack.countAndCache(buf, base)];
                        int n = 0;
                        for (int p = Listpack.first(buf, base); p != Listpack.NONE; p = Listpack.next(buf, base, p)) o[n++] = p;
                        offsets = o;
                    }
                    out.entry(buf, offsets[i]);
                }
                default -> {
                    byte[] f = map.field(i);
                    out.set(f, 0, f.length);
                }
            }
        }

        /** A uniformly chosen member (setTypeRandomElement); the set must not be empty. */
        public void random(Random rnd, Member out) { at(rnd.nextInt(size()), out); }

        /** The table of a table-encoded set (SSCAN walks its buckets). */
        public FieldMap table() { return map; }

        // -------------------------------------------------------- several members at once (SPOP, SRANDMEMBER)

        /**
         * Removes the members at the given ascending indexes of the set's order, as one edit
         * (Redis's lpBatchDelete for a listpack).
         */
        public void removeIndexes(int[] sorted) {
            if (sorted.length == 0) return;
            if (encoding == ValueType.SET_LISTPACK) {
                at(0, new Member()); // builds the offsets
                int[] ps = new int[sorted.length];
                for (int i = 0; i < sorted.length; i++) ps[i] = offsets[sorted[i]];
                setBytes(Listpack.deleteEntries(buf, base, ps));
            } else {
                // Read them all first: removing from a table moves its last entry into the hole.
                Member m = new Member();
                byte[][] members = new byte[sorted.length][];
                long[] ints = new long[sorted.length];
                for (int i = 0; i < sorted.length; i++) {
                    at(sorted[i], m);
                    if (m.isInt) ints[i] = m.num;
                    else members[i] = m.toBytes();
                }
                for (int i = 0; i < sorted.length; i++) {
                    if (members[i] != null) remove(members[i], 0, members[i].length);
                    else removeInt(ints[i]);
                }
            }
            mark(true);
        }

        // -------------------------------------------------------- storing

        /**
         * Stores a found set back under its key, keeping the expiry: the key goes when the set is
         * empty, compact bytes are rewritten when edited, a table edited in place is re-accounted.
         */
        public void save(Database db) {
            if (!changed) return;
            if (size() == 0) {
                db.delete(key, kOff, kLen);
            } else if (map == null || map != storedMap) {
                storeAs(db, key, kOff, kLen, expireAt);
            } else if (db.findNoTouch(key, kOff, kLen)) {
                db.foundObjectResized();
            }
            changed = false;
            storedMap = map;
        }

        /** Stores this set under a key, replacing whatever was there (the set must not be empty). */
        public void storeAs(Database db, byte[] k, int off, int len, long expireAt) {
            if (encoding == ValueType.SET_TABLE) {
                db.putObject(k, off, len, ValueType.SET_TABLE, map, expireAt);
            } else {
                int n = encoding == ValueType.SET_INTSET ? Intset.blobLength(buf, base) : Listpack.size(buf, base);
                db.put(k, off, len, encoding, buf, base, n, expireAt);
            }
        }

        /** The expiry of the key it was found under (ms), or -1. */
        public long expireAt() { return expireAt; }
    }

    /** Walks a set in its order. */
    public static final class Iterator {
        private final SetValue s;
        private int i, p;

        Iterator(SetValue s) {
            this.s = s;
            this.p = s.encoding == ValueType.SET_LISTPACK ? Listpack.first(s.buf, s.base) : 0;
        }

        /** Reads the next member into {@code out}; false at the end. */
        public boolean next(Member out) {
            switch (s.encoding) {
                case ValueType.SET_INTSET -> {
                    if (i >= Intset.length(s.buf, s.base)) return false;
                    out.setInt(Intset.get(s.buf, s.base, i++));
                }
                case ValueType.SET_LISTPACK -> {
                    if (p == Listpack.NONE) return false;
                    out.entry(s.buf, p);
                    p = Listpack.next(s.buf, s.base, p);
                }
                default -> {
                    if (i >= s.map.size()) return false;
                    byte[] f = s.map.field(i++);
                    out.set(f, 0, f.length);
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------ algebra (SINTER, SUNION, SDIFF and their variants)

    private static final Comparator<SetValue> BY_SIZE = Comparator.comparingInt(SetValue::size);

    /**
     * SINTER's core, shared by SMEMBERS, SINTERCARD and SINTERSTORE: sorts the sets by size (as
     * Redis does, stably; it decides the order of the reply) and visits each member of the first
     * that every other holds, stopping after {@code limit} of them (0: no limit). A set given
     * twice is the same object and is not probed against itself. Returns the count visited.
     */
    public static long intersect(SetValue[] sets, long limit, MemberVisitor v) {
        Arrays.sort(sets, BY_SIZE);
        long found = 0;
        Iterator it = sets[0].iterator();
        Member m = new Member();
        while (it.next(m)) {
            int j = 1;
            for (; j < sets.length; j++) {
                if (sets[j] != sets[0] && !sets[j].contains(m)) break;
            }
            if (j < sets.length) continue;
            v.visit(m);
            if (++found == limit) break;
        }
        return found;
    }

    /**
     * SINTERSTORE's result, built as Redis builds it: an intset when the smallest set is one,
     * else a listpack that members join as integers while they look like them (going to a table
     * past the limits), and an intset again at the end when every member was an integer.
     */
    public static SetValue intersectStore(SetValue[] sets, Limits l) {
        Arrays.sort(sets, BY_SIZE);
        SetValue dst = sets[0].encoding == ValueType.SET_INTSET ? newIntset(l) : newListpack(l);
        boolean fromTable = sets[0].encoding == ValueType.SET_TABLE;
        boolean[] onlyIntegers = {true};
        long[] n = new long[1];
        intersect(sets, 0, m -> {
            if (!m.isInt && onlyIntegers[0]) {
                if (fromTable && Bytes.parseLong(m.buf, m.off, m.len, n)) {
                    if (dst.encoding != ValueType.SET_TABLE) {
                        dst.addInt(n[0]);
                        return;
                    }
                } else {
                    onlyIntegers[0] = false;
                }
            }
            dst.add(m);
        });
        if (dst.size() > 0 && onlyIntegers[0]) dst.maybeConvertToIntset();
        return dst;
    }

    /**
     * SUNION's and SDIFF's core (also SPOP's reply when it takes the whole set): the result
     * starts as an intset, as in Redis 7.2, and grows through the usual conversions, which
     * decides its order and, for the STORE forms, its encoding. {@code sets} holds null for an
     * absent key; a key given twice is the same object.
     */
    public static SetValue unionOrDiff(SetValue[] sets, boolean diff, Limits l) {
        SetValue dst = newIntset(l);
        int n = sets.length;
        boolean sameAsFirst = false;
        for (int j = 1; j < n; j++) {
            if (sets[j] != null && sets[j] == sets[0]) sameAsFirst = true;
        }
        Member m = new Member();
        if (!diff) {
            for (SetValue s : sets) {
                if (s == null) continue;
                Iterator it = s.iterator();
                while (it.next(m)) dst.add(m);
            }
            return dst;
        }
        if (sets[0] == null || sameAsFirst) return dst;
        // Redis picks between probing each member of the first set in the others (work: its size
        // times the sets, halved for the early exit) and adding it all then removing the others.
        long probeWork = 0, removeWork = 0;
        for (SetValue s : sets) {
            if (s == null) continue;
            probeWork += sets[0].size();
            removeWork += s.size();
        }
        if (probeWork / 2 <= removeWork) {
            // Larger sets first: a member is likelier to be found early.
            if (n > 1) Arrays.sort(sets, 1, n, Comparator.comparingInt((SetValue s) -> s == null ? 0 : s.size()).reversed());
            Iterator it = sets[0].iterator();
            while (it.next(m)) {
                int j = 1;
                for (; j < n; j++) {
                    if (sets[j] == null) continue;
                    if (sets[j] == sets[0] || sets[j].contains(m)) break;
                }
                if (j == n) dst.add(m);
            }
        } else {
            long cardinality = 0;
            for (int j = 0; j < n; j++) {
                if (sets[j] == null) continue;
                Iterator it = sets[j].iterator();
                while (it.next(m)) {
                    if (j == 0) {
                        if (dst.add(m)) cardinality++;
                    } else if (dst.remove(m)) {
                        cardinality--;
                    }
                }
                if (cardinality == 0) break;
            }
        }
        return dst;
    }

    // ------------------------------------------------------------ random picks

    /** {@code count} distinct indexes below {@code size}, ascending (Floyd's sampling): a uniform random subset. */
    public static int[] sampleIndexes(int size, int count, Random rnd) {
        if (count >= size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        java.util.BitSet chosen = new java.util.BitSet(size);
        for (int j = size - count; j < size; j++) {
            int t = rnd.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) out[k++] = i;
        return out;
    }
}
