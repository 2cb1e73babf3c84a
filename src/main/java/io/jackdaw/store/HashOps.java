package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.LongDouble;

/**
 * Typed hash operations over a {@link Database}, with Redis's encoding rules: a hash starts as
 * a listpack of field, value, field, value... inside its record ({@link ValueType#HASH_LISTPACK})
 * and becomes a {@link FieldMap} ({@link ValueType#HASH_TABLE}) once it has more fields than
 * {@code hash-max-listpack-entries} or a field or value longer than
 * {@code hash-max-listpack-value}; it never goes back. A hash with no fields does not exist.
 *
 * <p>Readers work on the record the database view has found; writers open a {@link Writer},
 * which edits a working copy and stores it once when the command commits.
 */
public final class HashOps {
    private HashOps() {}

    /** A field or value as found: bytes in some buffer, or a listpack integer. Reused, not kept. */
    public static final class Value {
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

        /** Reads the listpack entry at {@code p}. */
        void entry(byte[] lp, int p) {
            if (Listpack.isInt(lp, p)) setInt(Listpack.getInt(lp, p));
            else set(lp, Listpack.strOffset(lp, p), Listpack.strLength(lp, p));
        }

        /** Length of the value as a string (an integer's decimal digits). */
        public int length() { return isInt ? Bytes.longLength(num) : len; }

        /** The value's bytes (an integer's decimal), as a new array. */
        public byte[] toBytes() {
            if (isInt) return Bytes.decimal(num);
            return java.util.Arrays.copyOfRange(buf, off, off + len);
        }
    }

    /** Sees one field and its value; both are reused for the next pair. */
    public interface PairVisitor {
        void visit(Value field, Value value);
    }

    // ------------------------------------------------------------ reading the found hash

    /** Fields in the found hash (a listpack walk caches its count in the header, as Redis's lpLength). */
    public static int length(Database db) {
        if (db.type() == ValueType.HASH_TABLE) return ((FieldMap) db.foundObject()).size();
        return Listpack.countAndCache(db.valuePage(), db.valueOffset()) / 2;
    }

    /** Finds a field's value in the found hash; false when the field is absent. */
    public static boolean get(Database db, byte[] f, int off, int len, Value out) {
        if (db.type() == ValueType.HASH_TABLE) return mapGet((FieldMap) db.foundObject(), f, off, len, out);
        return listpackGet(db.valuePage(), db.valueOffset(), f, off, len, out);
    }

    /** Visits every field and value of the found hash, in its order. */
    public static void forEach(Database db, PairVisitor v) {
        Value field = new Value(), value = new Value();
        if (db.type() == ValueType.HASH_TABLE) {
            FieldMap m = (FieldMap) db.foundObject();
            for (int e = 0, n = m.size(); e < n; e++) {
                byte[] fb = m.field(e), vb = m.value(e);
                field.set(fb, 0, fb.length);
                value.set(vb, 0, vb.length);
                v.visit(field, value);
            }
            return;
        }
        byte[] lp = db.valuePage();
        int base = db.valueOffset();
        for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
            int q = Listpack.next(lp, base, p);
            field.entry(lp, p);
            value.entry(lp, q);
            v.visit(field, value);
            p = Listpack.next(lp, base, q);
        }
    }

    /**
     * The found hash's pairs as a random-access view: for a listpack the offsets of its fields
     * (one walk), for a table its dense entries. {@link #pair} then reads the i-th pair.
     */
    public static final class Indexed {
        private final byte[] lp;
        private final int base;
        private final int[] fieldAt;
        private final FieldMap map;

        Indexed(Database db) {
            if (db.type() == ValueType.HASH_TABLE) {
                map = (FieldMap) db.foundObject();
                lp = null;
                base = 0;
                fieldAt = null;
            } else {
                map = null;
                lp = db.valuePage();
                base = db.valueOffset();
                int n = Listpack.countAndCache(lp, base) / 2;
                fieldAt = new int[n];
                int i = 0;
                for (int p = Listpack.first(lp, base); p != Listpack.NONE && i < n; p = Listpack.next(lp, base, p)) {
                    fieldAt[i++] = p;
                    p = Listpack.next(lp, base, p);
                }
            }
        }

        public int size() { return map != null ? map.size() : fieldAt.length; }

        /** Reads pair {@code i} into {@code field} and, when not null, {@code value}. */
        public void pair(int i, Value field, Value value) {
            if (map != null) {
                byte[] fb = map.field(i);
                field.set(fb, 0, fb.length);
                if (value != null) {
                    byte[] vb = map.value(i);
                    value.set(vb, 0, vb.length);
                }
                return;
            }
            int p = fieldAt[i];
            field.entry(lp, p);
            if (value != null) value.entry(lp, Listpack.next(lp, base, p));
        }
    }

    /** A random-access view of the found hash (valid until the next write). */
    public static Indexed indexed(Database db) { return new Indexed(db); }

    private static boolean mapGet(FieldMap m, byte[] f, int off, int len, Value out) {
        int e = m.find(f, off, len);
        if (e < 0) return false;
        byte[] v = m.value(e);
        out.set(v, 0, v.length);
        return true;
    }

    private static boolean listpackGet(byte[] lp, int base, byte[] f, int off, int len, Value out) {
        int p = Listpack.first(lp, base);
        if (p == Listpack.NONE) return false;
        p = Listpack.find(lp, base, p, f, off, len, 1);
        if (p == Listpack.NONE) return false;
        out.entry(lp, Listpack.next(lp, base, p));
        return true;
    }

    // ------------------------------------------------------------ writing

    /** Status codes of the read-modify-write operations. */
    public static final int OK = 0, NOT_INTEGER = 1, OVERFLOW = 2, NOT_FLOAT = 3, NAN_OR_INF = 4;

    /**
     * Opens the hash at a key for writing, as Redis's hashTypeLookupWriteOrCreate: an absent key
     * is a new empty hash (stored only if it gets a field). Null when the key holds another type.
     */
    public static Writer open(Database db, byte[] k, int kOff, int kLen, long maxEntries, long maxValue) {
        Writer w = new Writer(db, k, kOff, kLen, maxEntries, maxValue);
        if (db.find(k, kOff, kLen)) {
            int type = db.type();
            if (!ValueType.isHash(type)) return null;
            w.exists = true;
            w.expireAt = db.expireAt();
            if (type == ValueType.HASH_TABLE) {
                w.map = (FieldMap) db.foundObject();
            } else {
                w.lp = db.valuePage();
                w.base = db.valueOffset();
            }
        } else {
            w.lp = Listpack.newEmpty();
        }
        return w;
    }

    /**
     * One command's edits to one hash. A listpack is edited as a copy (each edit yields a new
     * array, as Redis reallocates) and stored back once by {@link #commit}; a table is edited
     * where it lives. Between {@link HashOps#open} and {@link #commit} the command must not move
     * the database view to another key.
     */
    public static final class Writer {
        private final Database db;
        private final byte[] key;
        private final int kOff, kLen;
        private final long maxEntries, maxValue;
        private byte[] lp;          // the listpack (in the page until the first edit), or null
        private int base;
        private FieldMap map;       // the table, or null
        private boolean exists, converted, changed;
        private long expireAt = -1;
        private final Value scratch = new Value();

        Writer(Database db, byte[] key, int kOff, int kLen, long maxEntries, long maxValue) {
            this.db = db;
            this.key = key;
            this.kOff = kOff;
            this.kLen = kLen;
            this.maxEntries = maxEntries;
            this.maxValue = maxValue;
        }

        public boolean isListpack() { return map == null; }

        /** Whether the key held a hash when opened. */
        public boolean existed() { return exists; }

        public int length() { return map != null ? map.size() : Listpack.countAndCache(lp, base) / 2; }

        public boolean get(byte[] f, int off, int len, Value out) {
            return map != null ? mapGet(map, f, off, len, out) : listpackGet(lp, base, f, off, len, out);
        }

        public boolean exists(byte[] f, int off, int len) { return get(f, off, len, scratch); }

        /**
         * Redis's hashTypeTryConversion before a write of {@code pairs} field/value pairs whose
         * longest argument is {@code longest} bytes and which add up to {@code total} bytes: more
         * pairs than hash-max-listpack-entries (duplicates or not), an argument longer than
         * hash-max-listpack-value, or a listpack that would pass 1 GiB make it a table first.
         */
        public void prepare(long pairs, long longest, long total) {
            if (map != null) return;
            if (pairs > maxEntries || longest > maxValue || !Listpack.safeToAdd(lp, base, total)) convert();
        }

        /** Sets a field (Redis's hashTypeSet); true when the field is new. */
        public boolean set(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen) {
            changed = true;
            if (map == null && (fLen > maxValue || vLen > maxValue)) convert();
            if (map != null) return map.put(f, fOff, fLen, v, vOff, vLen, false);
            int p = Listpack.first(lp, base);
            if (p != Listpack.NONE) p = Listpack.find(lp, base, p, f, fOff, fLen, 1);
            boolean created;
            if (p != Listpack.NONE) {
                lp = Listpack.replace(lp, base, Listpack.next(lp, base, p), v, vOff, vLen);
                created = false;
            } else {
                lp = Listpack.append(lp, base, f, fOff, fLen);
                lp = Listpack.append(lp, 0, v, vOff, vLen);
                created = true;
            }
            base = 0;
            if (Listpack.countAndCache(lp, 0) / 2 > maxEntries) convert();
            return created;
        }

        /** Removes a field; false when it was absent. */
        public boolean delete(byte[] f, int off, int len) {
            if (map != null) {
                if (!map.remove(f, off, len)) return false;
                changed = true;
                return true;
            }
            int p = Listpack.first(lp, base);
            if (p != Listpack.NONE) p = Listpack.find(lp, base, p, f, off, len, 1);
            if (p == Listpack.NONE) return false;
            lp = Listpack.delete(lp, base, p, 2);
            base = 0;
            changed = true;
            return true;
        }

        /** HINCRBY: the new value lands in {@code out[0]}. */
        public int incrBy(byte[] f, int off, int len, long by, long[] out) {
            long value = 0;
            if (get(f, off, len, scratch)) {
                if (scratch.isInt) value = scratch.num;
                else if (!Bytes.parseLong(scratch.buf, scratch.off, scratch.len, out)) return NOT_INTEGER;
                else value = out[0];
            }
            if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value) || (by > 0 && value > 0 && by > Long.MAX_VALUE - value))
                return OVERFLOW;
            value += by;
            byte[] digits = Bytes.decimal(value);
            set(f, off, len, digits, 0, digits.length);
            out[0] = value;
            return OK;
        }

        /** HINCRBYFLOAT with long double arithmetic (the increment already checked finite); the result lands in out[0]. */
        public int incrByFloat(byte[] f, int off, int len, LongDouble.Value by, String[] out) {
            LongDouble.Value current = new LongDouble.Value(java.math.BigDecimal.ZERO, 0);
            if (get(f, off, len, scratch)) {
                if (scratch.isInt) {
                    current = new LongDouble.Value(java.math.BigDecimal.valueOf(scratch.num), 0);
                } else {
                    current = LongDouble.parse(scratch.buf, scratch.off, scratch.len);
                    if (current == null) return NOT_FLOAT;
                }
            }
            LongDouble.Value sum = LongDouble.add(current, by);
            if (sum == null || sum.isInfinite()) return NAN_OR_INF;
            String s = LongDouble.format(sum);
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            set(f, off, len, b, 0, b.length);
            out[0] = s;
            return OK;
        }

        /** Converts the listpack into a table (Redis's hashTypeConvert). */
        private void convert() {
            FieldMap m = new FieldMap(true);
            Value field = new Value(), value = new Value();
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
                int q = Listpack.next(lp, base, p);
                field.entry(lp, p);
                value.entry(lp, q);
                byte[] fb = field.isInt ? field.toBytes() : null, vb = value.isInt ? value.toBytes() : null;
                m.put(fb != null ? fb : field.buf, fb != null ? 0 : field.off, fb != null ? fb.length : field.len,
                        vb != null ? vb : value.buf, vb != null ? 0 : value.off, vb != null ? vb.length : value.len, false);
                p = Listpack.next(lp, base, q);
            }
            map = m;
            lp = null;
            converted = true;
            changed = true;
        }

        /** Stores the result: the listpack or a new table under the key, or no key when no field is left. */
        public void commit() {
            if (!changed) return;
            if (length() == 0) {
                if (exists) db.deleteFound();
                return;
            }
            if (map == null) {
                db.put(key, kOff, kLen, ValueType.HASH_LISTPACK, lp, base, Listpack.size(lp, base), expireAt);
            } else if (converted || !exists) {
                db.putObject(key, kOff, kLen, ValueType.HASH_TABLE, map, expireAt);
            } else {
                db.foundObjectResized();
            }
        }
    }
}
