package io.jackdaw.types;

/**
 * Redis's HyperLogLog as the very bytes Redis stores in a string value, so that a value moves
 * between Jackdaw and Redis with GET/SET and counts the same on both.
 *
 * <p>Design note: 16384 six-bit registers (P = 14) fed by MurmurHash64A (seed 0xadc83b19);
 * the estimate is Ertl's improved estimator over the register histogram, computed in the same
 * double arithmetic as Redis so results agree to the unit. A value starts sparse (run-length
 * opcodes) and becomes dense once a register exceeds 32 or the sparse form would pass
 * {@code hll-sparse-max-bytes}. An instance is a working copy of one value: load, edit, store.
 *
 * <pre>
 * header (16 bytes):
 * +------+------+------+------+-----+---------+--------------------------------+
 * | 'H'  | 'Y'  | 'L'  | 'L'  | enc | 3 unused| cardinality, 8 bytes LE         |
 * +------+------+------+------+-----+---------+--------------------------------+
 *   enc: 0 dense, 1 sparse. Top bit of the last cardinality byte set = cache invalid.
 * dense:  12288 bytes, register i in bits [6i, 6i+6), least significant bit first.
 * sparse opcodes:
 *   00xxxxxx           ZERO:  xxxxxx+1 (1..64) zero registers
 *   01xxxxxx yyyyyyyy  XZERO: xxxxxxyyyyyyyy+1 (1..16384) zero registers
 *   1vvvvvxx           VAL:   xx+1 (1..4) registers of value vvvvv+1 (1..32)
 * </pre>
 */
public final class HyperLogLog {
    public static final int P = 14, Q = 64 - P, REGISTERS = 1 << P, BITS = 6, REGISTER_MAX = (1 << BITS) - 1;
    public static final int HDR = 16, DENSE_SIZE = HDR + (REGISTERS * BITS + 7) / 8;
    public static final int DENSE = 0, SPARSE = 1;
    private static final int VAL_MAX_VALUE = 32, VAL_MAX_LEN = 4, ZERO_MAX_LEN = 64, XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** The value's bytes from {@link #off}; only {@link #len} count. */
    private byte[] b;
    private int off, len;
    /** A view on stored bytes (dense edits go in place); sparse edits first take a copy. */
    private boolean borrowed;

    private HyperLogLog(byte[] b, int len) {
        this.b = b;
        this.len = len;
    }

    /** A working copy of a stored value (which must have passed {@link #isValid}). */
    public static HyperLogLog of(byte[] v, int off, int len) {
        byte[] copy = new byte[Math.max(len + 8, 32)];
        System.arraycopy(v, off, copy, 0, len);
        return new HyperLogLog(copy, len);
    }

    /**
     * A view on stored bytes without a copy: reads, and dense register updates made in place
     * (the caller must then treat the stored value as edited). Sparse updates detach first.
     */
    public static HyperLogLog view(byte[] v, int off, int len) {
        HyperLogLog h = new HyperLogLog(v, len);
        h.off = off;
        h.borrowed = true;
        return h;
    }

    /** Whether this still edits the stored bytes in place (a view not detached by a sparse edit). */
    public boolean inPlace() { return borrowed; }

    private void detach() {
        if (!borrowed) return;
        byte[] copy = new byte[Math.max(len + 8, 32)];
        System.arraycopy(b, off, copy, 0, len);
        b = copy;
        off = 0;
        borrowed = false;
    }

    /** An empty HLL, sparse: one XZERO opcode covering all registers, as Redis creates it. */
    public static HyperLogLog create() {
        byte[] v = new byte[32];
        v[0] = 'H'; v[1] = 'Y'; v[2] = 'L'; v[3] = 'L';
        v[4] = SPARSE;
        int l = XZERO_MAX_LEN - 1;
        v[HDR] = (byte) (0x40 | (l >>> 8));
        v[HDR + 1] = (byte) l;
        return new HyperLogLog(v, HDR + 2);
    }

    /** Redis's isHLLObjectOrReply: magic, a known encoding, and the exact dense length. */
    public static boolean isValid(byte[] v, int off, int len) {
        if (len < HDR) return false;
        if (v[off] != 'H' || v[off + 1] != 'Y' || v[off + 2] != 'L' || v[off + 3] != 'L') return false;
        int enc = v[off + 4] & 0xFF;
        if (enc > SPARSE) return false;
        return enc != DENSE || len == DENSE_SIZE;
    }

    public byte[] bytes() { return b; }

    public int offset() { return off; }

    public int length() { return len; }

    public int encoding() { return b[off + 4]; }

    public boolean cacheValid() { return (b[off + HDR - 1] & 0x80) == 0; }

    public long cachedCard() { return Bytes.getLong(b, off + 8); }

    public void setCachedCard(long card) { Bytes.putLong(b, off + 8, card); }

    public void invalidateCache() { b[off + HDR - 1] |= (byte) 0x80; }

    /** Cache bytes of a stored value (offset 8, 8 bytes): PFCOUNT writes them in place. */
    public static final int CARD_OFFSET = 8;

    // ------------------------------------------------------------ hashing

    /** MurmurHash64A as Redis uses it (little-endian reads, endian neutral). */
    public static long murmur64a(byte[] key, int off, int len, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = (seed & 0xFFFFFFFFL) ^ (len * m);
        int end = off + (len - (len & 7));
        for (int i = off; i < end; i += 8) {
            long k = Bytes.getLong(key, i);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rem = len & 7;
        if (rem != 0) {
            for (int i = rem - 1; i >= 0; i--) h ^= (long) (key[end + i] & 0xFF) << (8 * i);
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Register index in the high bits ({@code >>> 8}) and the 000..1 run length (1..Q+1) in the low byte. */
    static int patLen(byte[] ele, int off, int len) {
        long hash = murmur64a(ele, off, len, 0xadc83b19);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = 1 + Long.numberOfTrailingZeros(hash);
        return index << 8 | count;
    }

    // ------------------------------------------------------------ dense registers

    static int denseGet(byte[] p, int base, int reg) {
        int bit = reg * BITS, by = base + (bit >>> 3), fb = bit & 7;
        int b0 = p[by] & 0xFF, b1 = by + 1 < p.length ? p[by + 1] & 0xFF : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseSet(byte[] p, int base, int reg, int val) {
        int bit = reg * BITS, by = base + (bit >>> 3), fb = bit & 7;
        p[by] = (byte) ((p[by] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (fb > 2) p[by + 1] = (byte) ((p[by + 1] & ~(REGISTER_MAX >>> (8 - fb))) | (val >>> (8 - fb)));
    }

    /** Sets register i of a dense value (PFSELFTEST). */
    public void setRegister(int i, int val) { denseSet(b, off + HDR, i, val); }

    /** Register i of a dense value. */
    public int register(int i) { return denseGet(b, off + HDR, i); }

    // ------------------------------------------------------------ adding

    /** PFADD of one element: 1 when a register grew, 0 when none did, -1 for a corrupt value. */
    public int add(byte[] ele, int off, int eleLen, long sparseMaxBytes) {
        int pl = patLen(ele, off, eleLen);
        int index = pl >>> 8, count = pl & 0xFF;
        return set(index, count, sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count}: 1 changed, 0 not, -1 corrupt. */
    public int set(int index, int count, long sparseMaxBytes) {
        if (b[off + 4] == DENSE) {
            if (count > denseGet(b, off + HDR, index)) {
                denseSet(b, off + HDR, index, count);
                return 1;
            }
            return 0;
        }
        detach();
        return sparseSet(index, count, sparseMaxBytes);
    }

    private static boolean isZero(int op) { return (op & 0xC0) == 0; }

    private static boolean isXZero(int op) { return (op & 0xC0) == 0x40; }

    private static boolean isVal(int op) { return (op & 0x80) != 0; }

    private static int valValue(int op) { return ((op >>> 2) & 0x1F) + 1; }

    private static int valLen(int op) { return (op & 3) + 1; }

    private static int zeroLen(int op) { return (op & 0x3F) + 1; }

    private int xzeroLen(int p) { return (((b[p] & 0x3F) << 8) | (b[p + 1] & 0xFF)) + 1; }

    private static byte val(int value, int runLen) { return (byte) (0x80 | (value - 1) << 2 | (runLen - 1)); }

    /** Writes a ZERO or XZERO run of {@code n} at seq[i]; returns the next free index. */
    private static int zeros(byte[] seq, int i, int n) {
        if (n > ZERO_MAX_LEN) {
            seq[i] = (byte) (0x40 | ((n - 1) >>> 8));
            seq[i + 1] = (byte) (n - 1);
            return i + 2;
        }
        seq[i] = (byte) (n - 1);
        return i + 1;
    }

    /** The sparse update, opcode by opcode as Redis does it, so the bytes come out the same. */
    /** Works on a detached copy (off == 0). */
    private int sparseSet(int index, int count, long maxBytes) {
        if (count > VAL_MAX_VALUE) return promoteAndSet(index, count);
        int end = len, p = HDR, prev = -1, first = 0, span = 0;
        while (p < end) {
            int op = b[p] & 0xFF, oplen = 1;
            if (isZero(op)) span = zeroLen(op);
            else if (isVal(op)) span = valLen(op);
            else {
                if (p + 1 >= end) return -1;
                span = xzeroLen(p);
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;
        int op = b[p] & 0xFF;
        boolean zero = isZero(op), xzero = isXZero(op);
        int runlen = zero ? zeroLen(op) : xzero ? xzeroLen(p) : valLen(op);
        boolean updated = false;
        if (!zero && !xzero) {
            int old = valValue(op);
            if (old >= count) return 0;
            if (runlen == 1) {
                b[p] = val(count, 1);
                updated = true;
            }
        }
        if (!updated && zero && runlen == 1) {
            b[p] = val(count, 1);
            updated = true;
        }
        if (!updated) {
            byte[] seq = new byte[5];
            int n = 0, last = first + span - 1;
            if (zero || xzero) {
                if (index != first) n = zeros(seq, n, index - first);
                seq[n++] = val(count, 1);
                if (index != last) n = zeros(seq, n, last - index);
            } else {
                int cur = valValue(op);
                if (index != first) seq[n++] = val(cur, index - first);
                seq[n++] = val(count, 1);
                if (index != last) seq[n++] = val(cur, last - index);
            }
            int oldlen = xzero ? 2 : 1, delta = n - oldlen;
            if (delta > 0 && (long) len + delta > maxBytes) return promoteAndSet(index, count);
            ensure(len + delta);
            int next = p + oldlen;
            if (delta != 0 && next < end) System.arraycopy(b, next, b, next + delta, end - next);
            len += delta;
            System.arraycopy(seq, 0, b, p, n);
            end += delta;
        }
        // Merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from prev.
        p = prev >= 0 ? prev : HDR;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int o = b[p] & 0xFF;
            if (isXZero(o)) { p += 2; continue; }
            if (isZero(o)) { p++; continue; }
            if (p + 1 < end && isVal(b[p + 1] & 0xFF)) {
                int o2 = b[p + 1] & 0xFF;
                if (valValue(o) == valValue(o2)) {
                    int l = valLen(o) + valLen(o2);
                    if (l <= VAL_MAX_LEN) {
                        b[p + 1] = val(valValue(o), l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promoteAndSet(int index, int count) {
        if (!toDense()) return -1;
        denseSet(b, off + HDR, index, count);
        return 1;
    }

    private void ensure(int need) {
        if (need > b.length) b = java.util.Arrays.copyOf(b, Math.max(need, b.length * 2));
    }

    /** Converts a sparse value to dense, header (cache included) kept; false when the sparse form is corrupt. */
    public boolean toDense() {
        if (b[off + 4] == DENSE) return true;
        detach();
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HDR);
        d[4] = DENSE;
        int idx = 0, p = HDR;
        while (p < len) {
            int op = b[p] & 0xFF;
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXZero(op)) {
                if (p + 1 >= len) return false;
                idx += xzeroLen(p);
                p += 2;
            } else {
                int run = valLen(op), v = valValue(op);
                if (run + idx > REGISTERS) break;
                while (run-- > 0) denseSet(d, HDR, idx++, v);
                p++;
            }
        }
        if (idx != REGISTERS) return false;
        b = d;
        len = DENSE_SIZE;
        return true;
    }

    // ------------------------------------------------------------ merging and counting

    /** max[i] = max(max[i], register i); false when a sparse value is corrupt. */
    public boolean mergeInto(byte[] max) {
        if (b[off + 4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, off + HDR, i);
                if (v > (max[i] & 0xFF)) max[i] = (byte) v;
            }
            return true;
        }
        int i = 0, p = off + HDR, end = off + len;
        while (p < end) {
            int op = b[p] & 0xFF;
            if (isZero(op)) {
                i += zeroLen(op);
                p++;
            } else if (isXZero(op)) {
                if (p + 1 >= end) return false;
                i += xzeroLen(p);
                p += 2;
            } else {
                int run = valLen(op), v = valValue(op);
                if (run + i > REGISTERS) break;
                while (run-- > 0) {
                    if (v > (max[i] & 0xFF)) max[i] = (byte) v;
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** The estimate from this value's registers; -1 when the sparse form is corrupt. */
    public long count() {
        int[] histo = new int[64];
        if (b[off + 4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) histo[denseGet(b, off + HDR, i)]++;
        } else {
            int idx = 0, p = off + HDR, end = off + len;
            while (p < end) {
                int op = b[p] & 0xFF;
                if (isZero(op)) {
                    int r = zeroLen(op);
                    idx += r;
                    histo[0] += r;
                    p++;
                } else if (isXZero(op)) {
                    if (p + 1 >= end) return -1;
                    int r = xzeroLen(p);
                    idx += r;
                    histo[0] += r;
                    p += 2;
                } else {
                    int r = valLen(op);
                    idx += r;
                    histo[valValue(op)] += r;
                    p++;
                }
            }
            if (idx != REGISTERS) return -1;
        }
        return estimate(histo);
    }

    /** The estimate from registers held one per byte (PFCOUNT of several keys). */
    public static long countRaw(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) histo[registers[i] & 0x3F]++;
        return estimate(histo);
    }

    /** Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284). */
    private static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) return Double.POSITIVE_INFINITY;
        double zPrime, y = 1, z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) return 0.;
        double zPrime, y = 1.0, z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ------------------------------------------------------------ debugging

    /** PFDEBUG DECODE: the sparse opcodes as "z:n", "Z:n" and "v:value,n", space separated. */
    public String decodeSparse() {
        StringBuilder s = new StringBuilder();
        int p = off + HDR, end = off + len;
        while (p < end) {
            int op = b[p] & 0xFF;
            if (s.length() > 0) s.append(' ');
            if (isZero(op)) {
                s.append("z:").append(zeroLen(op));
                p++;
            } else if (isXZero(op)) {
                int l = p + 1 < end ? xzeroLen(p) : ((op & 0x3F) << 8) + 1;
                s.append("Z:").append(l);
                p += 2;
            } else {
                s.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
        }
        return s.toString();
    }
}
