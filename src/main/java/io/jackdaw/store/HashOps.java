package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.ListpackEx;
import io.jackdaw.types.LongDouble;

/**
 * Typed hash operations over a {@link Database}, with Redis's encoding rules: a hash starts as
 * a listpack of field, value, field, value... inside its record ({@link ValueType#HASH_LISTPACK})
 * and becomes a {@link FieldMap} ({@link ValueType#HASH_TABLE}) once it has more fields than
 * {@code hash-max-listpack-entries} or a field or value longer than
 * {@code hash-max-listpack-value}; it never goes back. A hash with no fields does not exist.
 *
 * <p>Fields may expire (Redis 7.4): the first HEXPIRE on a listpack hash makes it a
 * {@link ValueType#HASH_LISTPACK_EX} (field, value, expiry triplets, see {@link ListpackEx}); a
 * table keeps expiries in its {@link FieldMap}. A field whose time has passed is logically gone:
 * readers skip it, and the look-ups Redis makes with lazy expiry ({@link #getLive}) delete it,
 * and the hash with it when it was the last. HLEN and HDEL still see it until then, as in Redis.
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
        /** For a field, or a value read with its field: the field's expiry in ms, -1 for none. */
        public long expireAt = -1;

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

    /** Whether a field with this expiry (-1 none) is logically gone at {@code now} (Redis's hashTypeIsExpired). */
    public static boolean isFieldExpired(long expireAt, long now) { return expireAt >= 0 && expireAt < now; }

    /** Whether a value of this type (and object) has fields with an expiry. */
    public static boolean hasFieldExpiry(int type, io.jackdaw.types.ValueObject object) {
        return type == ValueType.HASH_LISTPACK_EX
                || (type == ValueType.HASH_TABLE && object instanceof FieldMap m && m.fieldsWithExpiry() > 0);
    }

    /**
     * Fields stored in the found hash, those past their time but not yet deleted included (as
     * Redis's HLEN counts them). A listpack walk caches its count in the header, as Redis's lpLength.
     */
    public static int length(Database db) {
        return switch (db.type()) {
            case ValueType.HASH_TABLE -> ((FieldMap) db.foundObject()).size();
            case ValueType.HASH_LISTPACK_EX -> ListpackEx.count(db.valuePage(), db.valueOffset());
            default -> Listpack.countAndCache(db.valuePage(), db.valueOffset()) / 2;
        };
    }

    /** Fields of the found hash not past their time at the view's clock (HGETALL's count). */
    public static int liveLength(Database db) {
        long now = db.now();
        switch (db.type()) {
            case ValueType.HASH_TABLE -> {
                FieldMap m = (FieldMap) db.foundObject();
                if (m.fieldsWithExpiry() == 0) return m.size();
                int n = 0;
                for (int e = 0; e < m.size(); e++) if (!isFieldExpired(m.expireAt(e), now)) n++;
                return n;
            }
            case ValueType.HASH_LISTPACK_EX -> {
                byte[] lp = db.valuePage();
                int base = db.valueOffset();
                // Expired fields are a prefix; expireAt <= now there, so count those below now.
                int due = ListpackEx.duePrefix(lp, base, now - 1, Integer.MAX_VALUE);
                return ListpackEx.count(lp, base) - due;
            }
            default -> {
                return length(db);
            }
        }
    }

    /**
     * Finds a field's value in the found hash, expired or not ({@code out.expireAt} tells); false
     * when the field is absent.
     */
    public static boolean get(Database db, byte[] f, int off, int len, Value out) {
        return switch (db.type()) {
            case ValueType.HASH_TABLE -> mapGet((FieldMap) db.foundObject(), f, off, len, out);
            case ValueType.HASH_LISTPACK_EX -> listpackExGet(db.valuePage(), db.valueOffset(), f, off, len, out);
            default -> listpackGet(db.valuePage(), db.valueOffset(), f, off, len, out);
        };
    }

    /** What {@link #getLive} found (Redis's GetFieldRes). */
    public static final int FIELD_FOUND = 0, FIELD_ABSENT = 1, FIELD_EXPIRED = 2, FIELD_EXPIRED_HASH = 3;

    /**
     * Reads a field of the found hash at key {@code k} with lazy expiry, as Redis's
     * hashTypeGetValue: a field past its time is deleted ({@link #FIELD_EXPIRED}), and when it was
     * the last the hash is deleted too ({@link #FIELD_EXPIRED_HASH}, the view no longer on a key).
     */
    public static int getLive(Database db, byte[] k, int kOff, int kLen, byte[] f, int off, int len, Value out) {
        if (!get(db, f, off, len, out)) return FIELD_ABSENT;
        if (!isFieldExpired(out.expireAt, db.now())) return FIELD_FOUND;
        Writer w = openFound(db, k, kOff, kLen, Long.MAX_VALUE, Long.MAX_VALUE);
        w.delete(f, off, len);
        boolean hashGone = w.length() == 0;
        w.commit();
        db.keyspace().fieldExpiryListener().fieldsExpired(db.index(), k, kOff, kLen, 1, hashGone);
        if (!hashGone) db.findNoTouch(k, kOff, kLen); // back on the rewritten record
        return hashGone ? FIELD_EXPIRED_HASH : FIELD_EXPIRED;
    }

    /**
     * A field's expiry in the found hash for HTTL and its kin: -2 when absent or past its time,
     * -1 when it has none, else the time in ms. As Redis 7.4, a listpack counts a field due at
     * exactly now as gone and a table does not.
     */
    public static long fieldExpireAt(Database db, byte[] f, int off, int len) {
        Value v = new Value();
        if (!get(db, f, off, len, v)) return -2;
        if (v.expireAt < 0) return -1;
        boolean gone = db.type() == ValueType.HASH_LISTPACK_EX ? v.expireAt <= db.now() : v.expireAt < db.now();
        return gone ? -2 : v.expireAt;
    }

    /** Visits every field and value of the found hash, in its order, those past their time included. */
    public static void forEach(Database db, PairVisitor v) { forEach(db, Long.MIN_VALUE, v); }

    /** As {@link #forEach}, skipping fields past their time at the view's clock. */
    public static void forEachLive(Database db, PairVisitor v) { forEach(db, db.now(), v); }

    private static void forEach(Database db, long now, PairVisitor v) {
        Value field = new Value(), value = new Value();
        if (db.type() == ValueType.HASH_TABLE) {
            FieldMap m = (FieldMap) db.foundObject();
            for (int e = 0, n = m.size(); e < n; e++) {
                long exp = m.expireAt(e);
                if (isFieldExpired(exp, now)) continue;
                byte[] fb = m.field(e), vb = m.value(e);
                field.set(fb, 0, fb.length);
                value.set(vb, 0, vb.length);
                field.expireAt = value.expireAt = exp;
                v.visit(field, value);
            }
            return;
        }
        byte[] lp = db.valuePage();
        int base = db.valueOffset();
        boolean ex = db.type() == ValueType.HASH_LISTPACK_EX;
        for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
            int q = Listpack.next(lp, base, p);
            long exp = ex ? ListpackEx.expireAt(lp, base, p) : -1;
            int after = ex ? Listpack.next(lp, base, q) : q;
            if (!isFieldExpired(exp, now)) {
                field.entry(lp, p);
                value.entry(lp, q);
                field.expireAt = value.expireAt = exp;
                v.visit(field, value);
            }
            p = Listpack.next(lp, base, after);
        }
    }

    /**
     * The found hash's pairs as a random-access view: for a listpack the offsets of its fields
     * (one walk), for a table its dense entries. {@link #pair} then reads the i-th pair. Fields
     * past their time are included: HRANDFIELD deletes them first ({@link #expireAllDue}).
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
                int stride = db.type() == ValueType.HASH_LISTPACK_EX ? 3 : 2;
                int n = Listpack.countAndCache(lp, base) / stride;
                fieldAt = new int[n];
                int i = 0;
                for (int p = Listpack.first(lp, base); p != Listpack.NONE && i < n; ) {
                    fieldAt[i++] = p;
                    for (int s = 0; s < stride && p != Listpack.NONE; s++) p = Listpack.next(lp, base, p);
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
        out.expireAt = m.expireAt(e);
        return true;
    }

    private static boolean listpackGet(byte[] lp, int base, byte[] f, int off, int len, Value out) {
        int p = Listpack.first(lp, base);
        if (p == Listpack.NONE) return false;
        p = Listpack.find(lp, base, p, f, off, len, 1);
        if (p == Listpack.NONE) return false;
        out.entry(lp, Listpack.next(lp, base, p));
        out.expireAt = -1;
        return true;
    }

    private static boolean listpackExGet(byte[] lp, int base, byte[] f, int off, int len, Value out) {
        int p = ListpackEx.find(lp, base, f, off, len);
        if (p == Listpack.NONE) return false;
        out.entry(lp, ListpackEx.valueOf(lp, base, p));
        out.expireAt = ListpackEx.expireAt(lp, base, p);
        return true;
    }

    // ------------------------------------------------------------ expiry of fields

    /**
     * HRANDFIELD's preparation (Redis's hashTypeExpireIfNeeded): when some field of the found
     * hash at {@code k} is past its time, deletes every field due at or before now. Returns true
     * when that deleted the hash; otherwise the view is on the (possibly rewritten) hash.
     */
    public static boolean expireAllDue(Database db, byte[] k, int kOff, int kLen) {
        long now = db.now();
        long min = switch (db.type()) {
            case ValueType.HASH_LISTPACK_EX -> ListpackEx.minExpireAt(db.valuePage(), db.valueOffset());
            case ValueType.HASH_TABLE -> ((FieldMap) db.foundObject()).minExpireAt();
            default -> -1;
        };
        if (!isFieldExpired(min, now)) return false;
        return expireDue(db, k, kOff, kLen, now, Integer.MAX_VALUE) < 0;
    }

    /**
     * Deletes up to {@code max} fields of the found hash at {@code k} due at or before
     * {@code now}, files the hash again under its next field expiry, and tells the listener.
     * Returns the number deleted, or -1 - that number when the hash went with them.
     */
    static int expireDue(Database db, byte[] k, int kOff, int kLen, long now, int max) {
        Writer w = openFound(db, k, kOff, kLen, Long.MAX_VALUE, Long.MAX_VALUE);
        int n = w.removeDue(now, max);
        boolean hashGone = n > 0 && w.length() == 0;
        w.commit();
        if (n > 0) db.keyspace().fieldExpiryListener().fieldsExpired(db.index(), k, kOff, kLen, n, hashGone);
        if (hashGone) return -1 - n;
        db.findNoTouch(k, kOff, kLen);
        long next = w.nextFieldExpiry();
        if (next >= 0) db.registerFieldExpiry(k, kOff, kLen, next);
        return n;
    }

    /**
     * The active cycle's share for hash fields in one table (Redis's hashTypeDbActiveExpire):
     * visits the hashes filed as due at {@code now}, earliest first, deleting their due fields
     * until {@code quota} fields were deleted. The view must be bound to the table's database at
     * {@code now}. Returns the number of fields deleted.
     */
    public static int activeExpire(Database db, KeyTable t, long now, int quota) {
        if (!t.hasFieldExpiry()) return 0;
        FieldExpiryIndex index = t.fieldExpiry();
        int done = 0;
        while (done < quota) {
            byte[] k = index.pollDue(now);
            if (k == null) break;
            if (!db.findNoTouch(k, 0, k.length) || !ValueType.isHash(db.type())) continue;
            int n = expireDue(db, k, 0, k.length, now, quota - done);
            done += n < 0 ? -1 - n : n;
        }
        return done;
    }

    // ------------------------------------------------------------ writing

    /** Status codes of the read-modify-write operations. */
    public static final int OK = 0, NOT_INTEGER = 1, OVERFLOW = 2, NOT_FLOAT = 3, NAN_OR_INF = 4;

    /**
     * Opens the hash at a key for writing, as Redis's hashTypeLookupWriteOrCreate: an absent key
     * is a new empty hash (stored only if it gets a field). Null when the key holds another type.
     */
    public static Writer open(Database db, byte[] k, int kOff, int kLen, long maxEntries, long maxValue) {
        if (!db.find(k, kOff, kLen)) {
            Writer w = new Writer(db, k, kOff, kLen, maxEntries, maxValue);
            w.lp = Listpack.newEmpty();
            return w;
        }
        return ValueType.isHash(db.type()) ? openFound(db, k, kOff, kLen, maxEntries, maxValue) : null;
    }

    /** Opens the hash the view is on (found under {@code k}) for writing. */
    static Writer openFound(Database db, byte[] k, int kOff, int kLen, long maxEntries, long maxValue) {
        Writer w = new Writer(db, k, kOff, kLen, maxEntries, maxValue);
        w.exists = true;
        w.expireAt = db.expireAt();
        int type = db.type();
        if (type == ValueType.HASH_TABLE) {
            w.map = (FieldMap) db.foundObject();
        } else {
            w.lp = db.valuePage();
            w.base = db.valueOffset();
            w.ex = type == ValueType.HASH_LISTPACK_EX;
        }
        return w;
    }

    /** HEXPIRE's per-field results (Redis's SetExRes) and conditions. */
    public static final int EXPIRE_NO_FIELD = -2, EXPIRE_NOT_MET = 0, EXPIRE_SET = 1, EXPIRE_DELETED = 2;
    public static final int COND_NONE = 0, COND_NX = 1, COND_XX = 2, COND_GT = 3, COND_LT = 4;
    /** HPERSIST's per-field results. */
    public static final int PERSIST_NO_FIELD = -2, PERSIST_NO_EXPIRY = -1, PERSIST_DONE = 1;

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
        private boolean ex;         // the listpack holds field, value, expiry triplets
        private FieldMap map;       // the table, or null
        private boolean exists, converted, changed;
        private long expireAt = -1;
        private long earliestSet = Long.MAX_VALUE; // earliest field expiry this command set
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

        /** Fields stored, those past their time included (Redis's hashTypeLength(o, 0)). */
        public int length() {
            if (map != null) return map.size();
            return ex ? ListpackEx.count(lp, base) : Listpack.countAndCache(lp, base) / 2;
        }

        /** Finds a field, expired or not ({@code out.expireAt} tells). */
        public boolean get(byte[] f, int off, int len, Value out) {
            if (map != null) return mapGet(map, f, off, len, out);
            return ex ? listpackExGet(lp, base, f, off, len, out) : listpackGet(lp, base, f, off, len, out);
        }

        public boolean exists(byte[] f, int off, int len) { return get(f, off, len, scratch); }

        /**
         * Lazy expiry for a write that reads the field first (HSETNX, HINCRBY): a field past its
         * time is deleted and the listener told. When it was the last, the hash is as Redis leaves
         * it, deleted and replaced by a new empty one (a plain listpack without the key's TTL).
         */
        public void expireIfDue(byte[] f, int off, int len) {
            if (!get(f, off, len, scratch) || !isFieldExpired(scratch.expireAt, db.now())) return;
            delete(f, off, len);
            boolean hashGone = length() == 0;
            db.keyspace().fieldExpiryListener().fieldsExpired(db.index(), key, kOff, kLen, 1, hashGone);
            if (hashGone) {
                lp = Listpack.newEmpty();
                base = 0;
                map = null;
                ex = converted = false;
                expireAt = -1;
            }
        }

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

        /** Sets a field (Redis's hashTypeSet), clearing any expiry it had; true when the field is new. */
        public boolean set(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen) {
            return set(f, fOff, fLen, v, vOff, vLen, false);
        }

        /** As {@link #set}, keeping an existing field's expiry when {@code keepExpiry} (HINCRBY's HASH_SET_KEEP_TTL). */
        public boolean set(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen, boolean keepExpiry) {
            changed = true;
            if (map == null && (fLen > maxValue || vLen > maxValue)) convert();
            if (map != null) return map.put(f, fOff, fLen, v, vOff, vLen, keepExpiry);
            boolean created;
            if (ex) {
                int p = ListpackEx.find(lp, base, f, fOff, fLen);
                if (p != Listpack.NONE) {
                    long old = ListpackEx.expireAt(lp, base, p);
                    lp = ListpackEx.replaceValue(lp, base, p, v, vOff, vLen);
                    // The field keeps its offset: re-point p into the new array.
                    if (old >= 0 && !keepExpiry) lp = ListpackEx.setExpireAt(lp, 0, p - base, -1);
                    created = false;
                } else {
                    lp = ListpackEx.add(lp, base, f, fOff, fLen, v, vOff, vLen, -1);
                    created = true;
                }
                base = 0;
                if (ListpackEx.count(lp, 0) > maxEntries) convert();
                return created;
            }
            int p = Listpack.first(lp, base);
            if (p != Listpack.NONE) p = Listpack.find(lp, base, p, f, fOff, fLen, 1);
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

        /** Removes a field, expired or not; false when it was absent. */
        public boolean delete(byte[] f, int off, int len) {
            if (map != null) {
                if (!map.remove(f, off, len)) return false;
                changed = true;
                return true;
            }
            int p = ex ? ListpackEx.find(lp, base, f, off, len) : Listpack.find(lp, base, Listpack.first(lp, base), f, off, len, 1);
            if (p == Listpack.NONE) return false;
            lp = Listpack.delete(lp, base, p, ex ? 3 : 2);
            base = 0;
            changed = true;
            return true;
        }

        /** HINCRBY: the new value lands in {@code out[0]}; the field keeps its expiry. */
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
            set(f, off, len, digits, 0, digits.length, true);
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
            set(f, off, len, b, 0, b.length, true);
            out[0] = s;
            return OK;
        }

        // -------------------------------------------------------- field expiry

        /**
         * Readies the hash to hold field expiries, as Redis's hashTypeSetExInit: a plain listpack
         * becomes a listpackex (and stays one, whatever the fields end up with).
         */
        public void enableFieldExpiry() {
            if (map != null || ex) return;
            lp = ListpackEx.fromPairs(lp, base);
            base = 0;
            ex = true;
            changed = true;
        }

        /**
         * HEXPIRE's edit of one field (Redis's hashTypeSetEx): checks the condition against the
         * field's current expiry (none counts as infinite, so LT passes and GT/XX fail), then
         * deletes the field when {@code when} is not in the future, else sets it.
         */
        public int setFieldExpiry(byte[] f, int off, int len, long when, int cond) {
            if (!get(f, off, len, scratch)) return EXPIRE_NO_FIELD;
            long prev = scratch.expireAt;
            if (prev < 0) {
                if (cond == COND_XX || cond == COND_GT) return EXPIRE_NOT_MET;
            } else if ((cond == COND_GT && prev >= when) || (cond == COND_LT && prev <= when) || cond == COND_NX) {
                return EXPIRE_NOT_MET;
            }
            if (when <= db.now()) {
                delete(f, off, len);
                return EXPIRE_DELETED;
            }
            changed = true;
            earliestSet = Math.min(earliestSet, when);
            if (map != null) {
                map.setExpire(map.find(f, off, len), when);
            } else {
                lp = ListpackEx.setExpireAt(lp, base, ListpackEx.find(lp, base, f, off, len), when);
                base = 0;
            }
            return EXPIRE_SET;
        }

        /** HPERSIST of one field: a field past its time reads as absent (and stays until deleted). */
        public int persistField(byte[] f, int off, int len) {
            if (!get(f, off, len, scratch)) return PERSIST_NO_FIELD;
            long prev = scratch.expireAt;
            if (prev < 0) return PERSIST_NO_EXPIRY;
            if (prev < db.now()) return PERSIST_NO_FIELD;
            changed = true;
            if (map != null) {
                map.setExpire(map.find(f, off, len), -1);
            } else {
                lp = ListpackEx.setExpireAt(lp, base, ListpackEx.find(lp, base, f, off, len), -1);
                base = 0;
            }
            return PERSIST_DONE;
        }

        /** Deletes up to {@code max} fields due at or before {@code now}; returns how many. */
        int removeDue(long now, int max) {
            int n;
            if (map != null) {
                n = map.removeDue(now, max);
            } else if (ex) {
                n = ListpackEx.duePrefix(lp, base, now, max);
                if (n > 0) {
                    lp = ListpackEx.removePrefix(lp, base, n);
                    base = 0;
                }
            } else {
                n = 0;
            }
            if (n > 0) changed = true;
            return n;
        }

        /** The earliest field expiry, -1 for none. */
        long nextFieldExpiry() {
            if (map != null) return map.minExpireAt();
            return ex ? ListpackEx.minExpireAt(lp, base) : -1;
        }

        /** Converts the listpack into a table (Redis's hashTypeConvert), field expiries included. */
        private void convert() {
            FieldMap m = new FieldMap(true);
            Value field = new Value(), value = new Value();
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
                int q = Listpack.next(lp, base, p);
                long exp = ex ? ListpackEx.expireAt(lp, base, p) : -1;
                field.entry(lp, p);
                value.entry(lp, q);
                byte[] fb = field.isInt ? field.toBytes() : null, vb = value.isInt ? value.toBytes() : null;
                m.put(fb != null ? fb : field.buf, fb != null ? 0 : field.off, fb != null ? fb.length : field.len,
                        vb != null ? vb : value.buf, vb != null ? 0 : value.off, vb != null ? vb.length : value.len, false);
                if (exp >= 0) m.setExpire(m.size() - 1, exp);
                p = Listpack.next(lp, base, ex ? Listpack.next(lp, base, q) : q);
            }
            map = m;
            lp = null;
            ex = false;
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
                db.put(key, kOff, kLen, ex ? ValueType.HASH_LISTPACK_EX : ValueType.HASH_LISTPACK, lp, base,
                        Listpack.size(lp, base), expireAt);
            } else if (converted || !exists) {
                db.putObject(key, kOff, kLen, ValueType.HASH_TABLE, map, expireAt);
            } else {
                db.foundObjectResized();
            }
            // The index keeps a hash's entry across rewrites; only an earlier expiry needs filing.
            if (earliestSet != Long.MAX_VALUE) db.registerFieldExpiry(key, kOff, kLen, earliestSet);
        }
    }
}
