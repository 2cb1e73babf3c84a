package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Intset;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.ListpackEx;
import io.jackdaw.types.Quicklist;
import io.jackdaw.types.RdbFormatException;
import io.jackdaw.types.RdbInput;
import io.jackdaw.types.RdbOutput;
import io.jackdaw.types.SortedSet;
import io.jackdaw.types.Strtod;
import io.jackdaw.types.Ziplist;
import java.util.ArrayList;
import java.util.List;

/**
 * One value in RDB form: the object type byte and the object (rdb.c's rdbSaveObjectType /
 * rdbSaveObject / rdbLoadObject), the unit both DUMP payloads and RDB files are made of.
 *
 * <p>Writing follows Redis 7.2 byte for byte: compact encodings go out as their listpack or
 * intset blob (Jackdaw keeps Redis's own bytes), large ones element by element. A hash with
 * field expiries takes Redis 7.4's types (24, 25), which need RDB version 12.
 *
 * <p>Reading accepts every type Redis 6.2 to 7.4 writes, ziplists and zipmaps included, and is
 * split in two: {@link #read} parses and checks everything into a {@link Loaded} without
 * touching the keyspace, so a bad payload changes nothing; {@link Loaded#store} then builds the
 * value through the same writers the commands use, which pick the encoding by the current
 * limits, as Redis converts a loaded value that passes them.
 */
public final class RdbValues {
    private RdbValues() {}

    // Object type bytes (rdb.h); on disk and on the wire, pinned by RdbValuesTest.
    public static final int TYPE_STRING = 0, TYPE_LIST = 1, TYPE_SET = 2, TYPE_ZSET = 3, TYPE_HASH = 4, TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE_PRE_GA = 6, TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9, TYPE_LIST_ZIPLIST = 10, TYPE_SET_INTSET = 11, TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13, TYPE_LIST_QUICKLIST = 14, TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16, TYPE_ZSET_LISTPACK = 17, TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19, TYPE_SET_LISTPACK = 20, TYPE_STREAM_LISTPACKS_3 = 21;
    public static final int TYPE_HASH_METADATA_PRE_GA = 22, TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
    public static final int TYPE_HASH_METADATA = 24, TYPE_HASH_LISTPACK_EX = 25;

    /** The RDB version Redis 7.2 writes, and the one a hash with field expiries needs (7.4). */
    public static final int VERSION = 11, VERSION_FIELD_EXPIRY = 12;
    /** The newest version read. */
    public static final int MAX_VERSION = 12;

    /** The latest field expiry Redis 7.4 accepts (EB_EXPIRE_TIME_MAX, 48 bits of milliseconds). */
    private static final long MAX_FIELD_EXPIRE_AT = (1L << 48) - 1;

    /**
     * Lists are sized ahead from a payload's count only up to this; past it they grow with the
     * data actually read, so a count cannot reserve memory the payload does not back.
     */
    private static final int PRESIZE_MAX = 1024;

    /** Quicklist node containers in TYPE_LIST_QUICKLIST_2. */
    private static final int CONTAINER_PLAIN = 1, CONTAINER_PACKED = 2;

    // ------------------------------------------------------------ writing

    /**
     * Writes the found value's type byte and object; returns the RDB version it needs
     * ({@link #VERSION}, or {@link #VERSION_FIELD_EXPIRY} for a hash with field expiries).
     */
    public static int writeFound(Database db, RdbOutput out) {
        int type = db.type();
        byte[] page = db.valuePage();
        int off = db.valueOffset();
        switch (type) {
            case ValueType.STRING_INT -> {
                out.writeByte(TYPE_STRING);
                out.writeLongAsString(db.longValue());
            }
            case ValueType.STRING_RAW, ValueType.STRING_MODIFIED -> {
                out.writeByte(TYPE_STRING);
                out.writeString(page, off, db.valueLength());
            }
            case ValueType.LIST_LISTPACK -> {
                // A small list goes out as a quicklist of one packed node.
                out.writeByte(TYPE_LIST_QUICKLIST_2);
                out.writeLength(1);
                out.writeLength(CONTAINER_PACKED);
                out.writeString(page, off, Listpack.size(page, off));
            }
            case ValueType.LIST_QUICKLIST -> {
                Quicklist ql = (Quicklist) db.foundObject();
                out.writeByte(TYPE_LIST_QUICKLIST_2);
                out.writeLength(ql.nodeCount());
                for (Quicklist.Node n = ql.headNode(); n != null; n = n.next()) {
                    out.writeLength(n.isPlain() ? CONTAINER_PLAIN : CONTAINER_PACKED);
                    out.writeString(n.buffer(), 0, n.size());
                }
            }
            case ValueType.SET_INTSET -> {
                out.writeByte(TYPE_SET_INTSET);
                out.writeString(page, off, Intset.blobLength(page, off));
            }
            case ValueType.SET_LISTPACK -> {
                out.writeByte(TYPE_SET_LISTPACK);
                out.writeString(page, off, Listpack.size(page, off));
            }
            case ValueType.SET_TABLE -> {
                FieldMap m = (FieldMap) db.foundObject();
                out.writeByte(TYPE_SET);
                out.writeLength(m.size());
                for (int e = 0, n = m.size(); e < n; e++) out.writeString(m.field(e));
            }
            case ValueType.ZSET_LISTPACK -> {
                out.writeByte(TYPE_ZSET_LISTPACK);
                out.writeString(page, off, Listpack.size(page, off));
            }
            case ValueType.ZSET_SKIPLIST -> {
                // Greatest first, so a loader inserts each at the head (Redis's order).
                SortedSet s = (SortedSet) db.foundObject();
                out.writeByte(TYPE_ZSET_2);
                out.writeLength(s.size());
                for (SortedSet.Node n = s.last(); n != null; n = SortedSet.prev(n)) {
                    out.writeString(n.member());
                    out.writeBinaryDouble(n.score());
                }
            }
            case ValueType.HASH_LISTPACK -> {
                out.writeByte(TYPE_HASH_LISTPACK);
                out.writeString(page, off, Listpack.size(page, off));
            }
            case ValueType.HASH_LISTPACK_EX -> {
                long min = ListpackEx.minExpireAt(page, off);
                out.writeByte(TYPE_HASH_LISTPACK_EX);
                out.writeMillis(min < 0 ? 0 : min);
                out.writeString(page, off, Listpack.size(page, off));
                return VERSION_FIELD_EXPIRY;
            }
            case ValueType.HASH_TABLE -> {
                FieldMap m = (FieldMap) db.foundObject();
                long min = m.minExpireAt();
                boolean meta = min >= 0;
                out.writeByte(meta ? TYPE_HASH_METADATA : TYPE_HASH);
                if (meta) out.writeMillis(min);
                out.writeLength(m.size());
                for (int e = 0, n = m.size(); e < n; e++) {
                    if (meta) {
                        // 0 = no expiry; otherwise relative to the earliest, plus one.
                        long exp = m.expireAt(e);
                        out.writeLength(exp < 0 ? 0 : exp - min + 1);
                    }
                    out.writeString(m.field(e));
                    out.writeString(m.value(e));
                }
                return meta ? VERSION_FIELD_EXPIRY : VERSION;
            }
            default -> throw new IllegalStateException("no RDB form for value type " + type);
        }
        return VERSION;
    }

    // ------------------------------------------------------------ reading

    /** Encoding limits a loaded value is built under (the current config). */
    public record Limits(int listFill, int listCompressDepth, long hashEntries, long hashValue,
                         SetOps.Limits set, SortedSetOps.Limits zset) {}

    /** A parsed value, not yet stored. */
    public abstract static sealed class Loaded permits LoadedString, LoadedList, LoadedSet, LoadedZset, LoadedHash,
            LoadedCompact, LoadedQuicklist {
        /**
         * Stores the value under an absent key with the given expiry (-1 for none); false when
         * nothing was left to store (a hash whose every field had expired).
         */
        public abstract boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt);

        /** Sets the key's expiry after a store that could not pass it along. */
        static void expire(Database db, byte[] k, int off, int len, long expireAt) {
            if (expireAt != -1 && db.findNoTouch(k, off, len)) db.setExpireFound(expireAt);
        }
    }

    static final class LoadedString extends Loaded {
        final byte[] value;

        LoadedString(byte[] value) { this.value = value; }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            StringOps.set(db, k, off, len, value, 0, value.length, expireAt, new long[1]);
            return true;
        }
    }

    /**
     * A compact value kept in the bytes it arrived in (or a listpack converted from a ziplist),
     * as Redis keeps a loaded listpack or intset that is within the entry-count limit, whatever
     * its values' lengths.
     */
    static final class LoadedCompact extends Loaded {
        final int valueType;
        final byte[] blob;

        LoadedCompact(int valueType, byte[] blob) {
            this.valueType = valueType;
            this.blob = blob;
        }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            db.put(k, off, len, valueType, blob, 0, blob.length, expireAt);
            return true;
        }
    }

    /**
     * A list saved as quicklist nodes, kept node for node; one packed node within the
     * list-max-listpack-size limit becomes a plain listpack list (Redis's
     * listTypeTryConversion after loading).
     */
    static final class LoadedQuicklist extends Loaded {
        final List<Quicklist.Node> nodes;

        LoadedQuicklist(List<Quicklist.Node> nodes) { this.nodes = nodes; }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            Quicklist.Node first = nodes.get(0);
            if (nodes.size() == 1 && !first.isPlain()
                    && !Quicklist.exceedsLimit(l.listFill(), first.size(), first.count())) {
                db.put(k, off, len, ValueType.LIST_LISTPACK, first.buffer(), 0, first.size(), expireAt);
                return true;
            }
            Quicklist q = Quicklist.adopt(l.listFill(), l.listCompressDepth(), first);
            for (int i = 1; i < nodes.size(); i++) q.appendNode(nodes.get(i));
            db.putObject(k, off, len, ValueType.LIST_QUICKLIST, q, expireAt);
            return true;
        }
    }

    static final class LoadedList extends Loaded {
        final List<byte[]> elements;

        LoadedList(List<byte[]> elements) { this.elements = elements; }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            ListOps.Writer w = ListOps.open(db, k, off, len, l.listFill(), l.listCompressDepth());
            long bytes = 0;
            for (byte[] e : elements) bytes += e.length;
            w.prepareGrowth(bytes, elements.size());
            for (byte[] e : elements) w.push(false, e, 0, e.length);
            w.commit();
            expire(db, k, off, len, expireAt);
            return true;
        }
    }

    static final class LoadedSet extends Loaded {
        final SetOps.SetValue set;

        LoadedSet(SetOps.SetValue set) { this.set = set; }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            set.storeAs(db, k, off, len, expireAt);
            return true;
        }
    }

    static final class LoadedZset extends Loaded {
        final List<byte[]> members;
        final double[] scores;

        LoadedZset(List<byte[]> members, double[] scores) {
            this.members = members;
            this.scores = scores;
        }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            long longest = 0;
            for (byte[] m : members) longest = Math.max(longest, m.length);
            SortedSetOps.ZSet z = SortedSetOps.newTarget(db, k, off, len, l.zset(), members.size(), longest);
            double[] scratch = new double[1];
            for (int i = 0; i < members.size(); i++) {
                byte[] m = members.get(i);
                z.add(scores[i], m, 0, m.length, 0, scratch);
            }
            z.store();
            expire(db, k, off, len, expireAt);
            return true;
        }
    }

    static final class LoadedHash extends Loaded {
        final List<byte[]> pairs;
        /** Per field: its expiry in ms, -1 for none; null when no field has one. */
        final long[] expiries;

        LoadedHash(List<byte[]> pairs, long[] expiries) {
            this.pairs = pairs;
            this.expiries = expiries;
        }

        @Override public boolean store(Database db, byte[] k, int off, int len, Limits l, long expireAt) {
            HashOps.Writer w = HashOps.open(db, k, off, len, l.hashEntries(), l.hashValue());
            long longest = 0, total = 0;
            for (byte[] b : pairs) {
                longest = Math.max(longest, b.length);
                total += b.length;
            }
            w.prepare(pairs.size() / 2, longest, total);
            if (expiries != null) w.enableFieldExpiry();
            for (int i = 0; i < pairs.size(); i += 2) {
                byte[] f = pairs.get(i), v = pairs.get(i + 1);
                w.set(f, 0, f.length, v, 0, v.length);
                if (expiries != null && expiries[i / 2] >= 0) {
                    w.setFieldExpiry(f, 0, f.length, expiries[i / 2], HashOps.COND_NONE);
                }
            }
            w.commit();
            if (!db.findNoTouch(k, off, len)) return false;
            if (expireAt != -1) db.setExpireFound(expireAt);
            return true;
        }
    }

    private static RdbFormatException bad(String why) { return new RdbFormatException(why); }

    /**
     * Parses one object of RDB type {@code type} (the type byte already read). Throws
     * {@link RdbFormatException} for anything malformed, and for empty collections and
     * duplicates, which Redis refuses too. {@code now} decides nothing here: expired hash
     * fields are kept and expire as usual once stored.
     */
    public static Loaded read(int type, RdbInput in, Limits l) {
        return switch (type) {
            case TYPE_STRING -> new LoadedString(in.readString());
            case TYPE_LIST -> {
                int n = nonEmpty(in.readCount(1));
                List<byte[]> el = new ArrayList<>(Math.min(n, PRESIZE_MAX));
                for (int i = 0; i < n; i++) el.add(in.readString());
                yield new LoadedList(el);
            }
            case TYPE_LIST_ZIPLIST -> new LoadedList(nonEmpty(Ziplist.entries(in.readString())));
            case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> {
                // The nodes are kept as they were saved (Redis's quicklistAppendListpack), not
                // re-split by the current fill.
                int nodes = in.readCount(2);
                List<Quicklist.Node> kept = new ArrayList<>(Math.min(nodes, PRESIZE_MAX));
                for (int i = 0; i < nodes; i++) {
                    int container = CONTAINER_PACKED;
                    if (type == TYPE_LIST_QUICKLIST_2) {
                        long c = in.readLength();
                        if (c != CONTAINER_PLAIN && c != CONTAINER_PACKED) throw bad("bad quicklist container");
                        container = (int) c;
                    }
                    byte[] blob = in.readString();
                    if (container == CONTAINER_PLAIN) {
                        kept.add(Quicklist.Node.ofPlain(blob));
                        continue;
                    }
                    if (type == TYPE_LIST_QUICKLIST) {
                        List<byte[]> entries = Ziplist.entries(blob);
                        if (entries.isEmpty()) continue;
                        blob = listpackOf(entries);
                    } else if (listpackEntries(blob).isEmpty()) {
                        continue; // an empty node is skipped, as Redis does
                    }
                    kept.add(Quicklist.Node.ofListpack(blob, 0));
                }
                if (kept.isEmpty()) throw bad("empty collection");
                yield new LoadedQuicklist(kept);
            }
            case TYPE_SET -> {
                int n = nonEmpty(in.readCount(1));
                List<byte[]> el = new ArrayList<>(Math.min(n, PRESIZE_MAX));
                for (int i = 0; i < n; i++) el.add(in.readString());
                yield set(el, l);
            }
            case TYPE_SET_INTSET -> {
                byte[] blob = in.readString();
                if (!Intset.validate(blob, 0, blob.length, true)) throw bad("intset integrity check failed");
                int n = Intset.length(blob, 0);
                if (n <= l.set().intsetEntries() && n <= 1 << 30) yield new LoadedCompact(ValueType.SET_INTSET, blob);
                List<byte[]> el = new ArrayList<>(n);
                for (int i = 0; i < n; i++) el.add(Bytes.decimal(Intset.get(blob, 0, i)));
                yield set(nonEmpty(el), l);
            }
            case TYPE_SET_LISTPACK -> {
                byte[] blob = in.readString();
                List<byte[]> members = nonEmpty(listpackEntries(blob));
                if (members.size() > l.set().listpackEntries()) yield set(members, l);
                noDuplicates(members, 1, "duplicate set members");
                yield new LoadedCompact(ValueType.SET_LISTPACK, blob);
            }
            case TYPE_ZSET, TYPE_ZSET_2 -> {
                int n = nonEmpty(in.readCount(type == TYPE_ZSET_2 ? 9 : 2));
                List<byte[]> members = new ArrayList<>(Math.min(n, PRESIZE_MAX));
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    members.add(in.readString());
                    scores[i] = type == TYPE_ZSET_2 ? in.readBinaryDouble() : in.readAsciiDouble();
                    if (Double.isNaN(scores[i])) throw bad("zset with NaN score");
                }
                yield zset(members, scores);
            }
            case TYPE_ZSET_ZIPLIST -> {
                List<byte[]> entries = Ziplist.entries(in.readString());
                yield compactZset(entries, null, l);
            }
            case TYPE_ZSET_LISTPACK -> {
                byte[] blob = in.readString();
                yield compactZset(listpackEntries(blob), blob, l);
            }
            case TYPE_HASH -> {
                int n = nonEmpty(in.readCount(2));
                List<byte[]> pairs = new ArrayList<>(Math.min(2 * n, PRESIZE_MAX));
                for (int i = 0; i < n; i++) {
                    pairs.add(in.readString());
                    pairs.add(in.readString());
                }
                yield hash(pairs, null, false);
            }
            case TYPE_HASH_ZIPMAP -> hash(Ziplist.zipmapEntries(in.readString()), null, false);
            case TYPE_HASH_ZIPLIST -> compactHash(Ziplist.entries(in.readString()), null, l);
            case TYPE_HASH_LISTPACK -> {
                byte[] blob = in.readString();
                yield compactHash(listpackEntries(blob), blob, l);
            }
            case TYPE_HASH_METADATA, TYPE_HASH_METADATA_PRE_GA -> {
                long min = type == TYPE_HASH_METADATA ? in.readMillis() : 0;
                int n = nonEmpty(in.readCount(3));
                List<byte[]> pairs = new ArrayList<>(Math.min(2 * n, PRESIZE_MAX));
                long[] exp = new long[n];
                for (int i = 0; i < n; i++) {
                    long ttl = in.readLength();
                    // 7.4 GA: 0 = none, else min + ttl - 1; the RC form held absolute times.
                    if (type == TYPE_HASH_METADATA) exp[i] = ttl == 0 ? -1 : min + ttl - 1;
                    else exp[i] = ttl == 0 ? -1 : ttl;
                    if (exp[i] > MAX_FIELD_EXPIRE_AT || (ttl != 0 && exp[i] < 0)) throw bad("bad field expiry");
                    pairs.add(in.readString());
                    pairs.add(in.readString());
                }
                yield hash(pairs, exp, false);
            }
            case TYPE_HASH_LISTPACK_EX, TYPE_HASH_LISTPACK_EX_PRE_GA -> {
                if (type == TYPE_HASH_LISTPACK_EX) in.readMillis(); // the earliest expiry, derived again
                List<byte[]> triplets = listpackEntries(in.readString());
                if (triplets.size() % 3 != 0) throw bad("listpackex with a partial triplet");
                List<byte[]> pairs = new ArrayList<>(triplets.size() / 3 * 2);
                long[] exp = new long[triplets.size() / 3];
                long[] v = new long[1];
                for (int i = 0; i < triplets.size(); i += 3) {
                    pairs.add(triplets.get(i));
                    pairs.add(triplets.get(i + 1));
                    byte[] t = triplets.get(i + 2);
                    if (!Bytes.parseLong(t, 0, t.length, v) || v[0] < 0 || v[0] > MAX_FIELD_EXPIRE_AT) {
                        throw bad("bad field expiry");
                    }
                    exp[i / 3] = v[0] == 0 ? -1 : v[0];
                }
                yield hash(pairs, exp, true);
            }
            case TYPE_MODULE_PRE_GA, TYPE_MODULE_2 -> throw bad("module values are not supported");
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 ->
                    throw bad("stream values are not supported yet");
            default -> throw bad("unknown RDB object type " + type);
        };
    }

    private static int nonEmpty(int n) {
        if (n == 0) throw bad("empty collection");
        return n;
    }

    private static List<byte[]> nonEmpty(List<byte[]> l) {
        if (l.isEmpty()) throw bad("empty collection");
        return l;
    }

    /** The entries of a listpack blob as strings, after a deep integrity check. */
    static List<byte[]> listpackEntries(byte[] blob) {
        if (!Listpack.validate(blob, 0, blob.length, true)) throw bad("listpack integrity check failed");
        List<byte[]> out = new ArrayList<>();
        for (int p = Listpack.first(blob, 0); p != Listpack.NONE; p = Listpack.next(blob, 0, p)) {
            out.add(Listpack.isInt(blob, p) ? Bytes.decimal(Listpack.getInt(blob, p)) : Listpack.toBytes(blob, p));
        }
        return out;
    }

    private static Loaded set(List<byte[]> members, Limits l) {
        byte[] first = members.get(0);
        SetOps.SetValue s = SetOps.create(l.set(), first, 0, first.length, members.size());
        for (byte[] m : members) {
            if (!s.add(m, 0, m.length)) throw bad("duplicate set members");
        }
        return new LoadedSet(s);
    }

    private static void noDuplicates(List<byte[]> entries, int step, String why) {
        java.util.HashSet<io.jackdaw.types.ByteKey> seen = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i += step) {
            if (!seen.add(io.jackdaw.types.ByteKey.of(entries.get(i)))) throw bad(why);
        }
    }

    /** The entries as a new listpack (a ziplist's, converted as Redis converts them on load). */
    private static byte[] listpackOf(List<byte[]> entries) {
        byte[] lp = Listpack.newEmpty();
        for (byte[] e : entries) lp = Listpack.append(lp, 0, e);
        return lp;
    }

    /** A hash listpack (or ziplist) within hash-max-listpack-entries stays compact, as in Redis. */
    private static Loaded compactHash(List<byte[]> pairs, byte[] listpack, Limits l) {
        Loaded h = hash(pairs, null, false); // checks the shape and duplicates
        if (pairs.size() / 2 > l.hashEntries()) return h;
        return new LoadedCompact(ValueType.HASH_LISTPACK, listpack != null ? listpack : listpackOf(pairs));
    }

    /**
     * A sorted-set listpack (or ziplist) within zset-max-listpack-entries stays compact, as in
     * Redis, if its pairs are in the set's order (a payload out of order is rebuilt, so the
     * order every look-up relies on holds).
     */
    private static Loaded compactZset(List<byte[]> pairs, byte[] listpack, Limits l) {
        LoadedZset z = (LoadedZset) zsetOfPairs(pairs);
        int n = z.members.size();
        if (n > l.zset().maxEntries()) return z;
        for (int i = 1; i < n; i++) {
            double a = z.scores[i - 1], b = z.scores[i];
            if (a > b || (a == b && java.util.Arrays.compareUnsigned(z.members.get(i - 1), z.members.get(i)) >= 0)) return z;
        }
        return new LoadedCompact(ValueType.ZSET_LISTPACK, listpack != null ? listpack : listpackOf(pairs));
    }

    private static Loaded zsetOfPairs(List<byte[]> entries) {
        if (entries.isEmpty() || entries.size() % 2 != 0) throw bad("sorted set blob with an odd entry count");
        int n = entries.size() / 2;
        List<byte[]> members = new ArrayList<>(n);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members.add(entries.get(2 * i));
            byte[] s = entries.get(2 * i + 1);
            scores[i] = Strtod.string2d(s, 0, s.length);
            if (Double.isNaN(scores[i])) throw bad("bad sorted set score");
        }
        return zset(members, scores);
    }

    private static Loaded zset(List<byte[]> members, double[] scores) {
        java.util.HashSet<io.jackdaw.types.ByteKey> seen = new java.util.HashSet<>();
        for (byte[] m : members) {
            if (!seen.add(io.jackdaw.types.ByteKey.of(m))) throw bad("duplicate sorted set members");
        }
        return new LoadedZset(members, scores);
    }

    /** {@code keepEx}: a listpackex stays one (OBJECT ENCODING) even with no expiry left. */
    private static Loaded hash(List<byte[]> pairs, long[] expiries, boolean keepEx) {
        if (pairs.isEmpty() || pairs.size() % 2 != 0) throw bad("hash with an odd entry count");
        java.util.HashSet<io.jackdaw.types.ByteKey> seen = new java.util.HashSet<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!seen.add(io.jackdaw.types.ByteKey.of(pairs.get(i)))) throw bad("duplicate hash fields");
        }
        boolean anyExpiry = false;
        if (expiries != null) for (long e : expiries) anyExpiry |= e >= 0;
        return new LoadedHash(pairs, anyExpiry || keepEx ? expiries : null);
    }
}
