package io.jackdaw.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Redis's DEBUG DIGEST / DIGEST-VALUE: SHA1-based digests of values that tests compare across
 * copies, reloads and replicas. The same bytes as Redis's: a value's digest mixes its type code
 * (big-endian), then its content (a string in order; a list element by element, in order; a
 * hash or sorted set as the xor of one mixed digest per field and value, or member and score,
 * a hash field marked when it has an expiry, and a set as the xor of its members' SHA1s, so
 * order does not matter), then a marker when the key has an expiry.
 */
public final class ValueDigest {
    private ValueDigest() {}

    // Redis's OBJ_* type codes.
    private static final int OBJ_STRING = 0, OBJ_LIST = 1, OBJ_SET = 2, OBJ_ZSET = 3, OBJ_HASH = 4, OBJ_STREAM = 6;
    private static final byte[] EXPIRE = "!!expire!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] FIELD_EXPIRE = "!!hexpire!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** digest ^= SHA1(data). */
    static void xor(byte[] digest, byte[] b, int off, int len) {
        MessageDigest md = sha1();
        md.update(b, off, len);
        byte[] h = md.digest();
        for (int i = 0; i < 20; i++) digest[i] ^= h[i];
    }

    /** digest = SHA1(digest ^ SHA1(data)): order-preserving. */
    static void mix(byte[] digest, byte[] b, int off, int len) {
        xor(digest, b, off, len);
        MessageDigest md = sha1();
        md.update(digest, 0, 20);
        System.arraycopy(md.digest(), 0, digest, 0, 20);
    }

    private static int objType(int type) {
        if (ValueType.isString(type)) return OBJ_STRING;
        if (ValueType.isHash(type)) return OBJ_HASH;
        if (ValueType.isList(type)) return OBJ_LIST;
        if (ValueType.isSet(type)) return OBJ_SET;
        if (ValueType.isZset(type)) return OBJ_ZSET;
        return OBJ_STREAM;
    }

    /** Xors the found key's value digest (Redis's xorObjectDigest) into {@code digest}. */
    public static void xorFound(Database db, byte[] digest) {
        int type = db.type(), obj = objType(type);
        byte[] aux = {(byte) (obj >>> 24), (byte) (obj >>> 16), (byte) (obj >>> 8), (byte) obj};
        mix(digest, aux, 0, 4);
        if (obj == OBJ_STRING) {
            byte[] v = StringOps.foundBytes(db);
            mix(digest, v, 0, v.length);
        } else if (obj == OBJ_LIST) {
            // Each element mixed in order, as its string form.
            ListOps.Iter it = ListOps.iterAt(db, 0, new ListOps.Iter());
            io.jackdaw.types.Quicklist.Element e = new io.jackdaw.types.Quicklist.Element();
            byte[] digits = new byte[20];
            for (; it.valid(); it.step(true)) {
                it.read(e);
                if (e.isInt) mix(digest, digits, 0, io.jackdaw.types.Bytes.writeLong(digits, 0, e.num));
                else mix(digest, e.buf, e.off, e.len);
            }
        } else if (obj == OBJ_HASH) {
            byte[] element = new byte[20];
            HashOps.forEach(db, (f, v) -> {
                java.util.Arrays.fill(element, (byte) 0);
                byte[] fb = f.toBytes(), vb = v.toBytes();
                mix(element, fb, 0, fb.length);
                mix(element, vb, 0, vb.length);
                // Redis 7.4 marks a field with an expiry, not its time (fields past it included).
                if (f.expireAt >= 0) xor(element, FIELD_EXPIRE, 0, FIELD_EXPIRE.length);
                xor(digest, element, 0, 20);
            });
        } else if (obj == OBJ_SET) {
            // Members xor in, each digested alone: order does not matter.
            SetOps.found(db, null, null, 0, 0).forEach(m -> {
                byte[] b = m.toBytes();
                xor(digest, b, 0, b.length);
            });
        } else if (obj == OBJ_ZSET) {
            // Each member mixed with its score as fpconv_dtoa prints it (no integer path), xored.
            byte[] element = new byte[20];
            SortedSetOps.ZSet z = SortedSetOps.found(db);
            SortedSetOps.Entry e = new SortedSetOps.Entry();
            for (int i = 0, n = z.size(); i < n; i++) {
                z.entry(i, e);
                java.util.Arrays.fill(element, (byte) 0);
                byte[] m = e.toBytes(), s = io.jackdaw.types.Bytes.ascii(io.jackdaw.types.DoubleFormat.fpconv(e.score));
                mix(element, m, 0, m.length);
                mix(element, s, 0, s.length);
                xor(digest, element, 0, 20);
            }
        }
        if (db.expireAt() != -1) xor(digest, EXPIRE, 0, EXPIRE.length);
    }

    /** DEBUG DIGEST-VALUE of one key: 20 zero bytes when it is absent. */
    public static byte[] ofKey(Database db, byte[] k, int off, int len) {
        byte[] digest = new byte[20];
        if (db.findNoTouch(k, off, len)) xorFound(db, digest);
        return digest;
    }

    /**
     * DEBUG DIGEST: for each non-empty database its index is mixed in, then the xor over its
     * keys of mix(key) + the value's digest. The caller holds every shard's lock.
     */
    public static byte[] ofDataset(Database db, int databases, long now) {
        byte[] result = new byte[20];
        Keyspace ks = db.keyspace();
        int home = db.index();
        try {
            for (int j = 0; j < databases; j++) {
                java.util.List<byte[]> keys = new java.util.ArrayList<>();
                for (int s = 0; s < ks.shardCount(); s++) {
                    KeyTable t = ks.shard(s).tableIfPresent(j);
                    if (t != null) t.forEach((page, ko, kl, exp) -> keys.add(java.util.Arrays.copyOfRange(page, ko, ko + kl)));
                }
                if (keys.isEmpty()) continue;
                byte[] aux = {(byte) (j >>> 24), (byte) (j >>> 16), (byte) (j >>> 8), (byte) j};
                mix(result, aux, 0, 4);
                db.at(j, now);
                for (byte[] k : keys) {
                    if (!db.findNoTouch(k, 0, k.length)) continue;
                    byte[] digest = new byte[20];
                    mix(digest, k, 0, k.length);
                    xorFound(db, digest);
                    xor(result, digest, 0, 20);
                }
            }
        } finally {
            db.at(home, now);
        }
        return result;
    }
}
