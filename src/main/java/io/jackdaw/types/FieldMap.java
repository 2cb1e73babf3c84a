package io.jackdaw.types;

import java.util.Arrays;

/**
 * A large hash (or set, with no values): binary field -> binary value, with an optional
 * expiry per field for hash-field expiry. Used past the listpack thresholds, so sizes run from
 * a hundred fields to millions.
 *
 * <pre>
 *  slots  int[capacity]   0 = empty, else entry index + 1; linear probing, backward-shift
 *                         delete, so a field sits in the unbroken run from its home slot
 *  entries, dense:        fields[i]  values[i]  hashes[i]  [expires[i]]
 * </pre>
 * Dense entries give O(1) random picks (HRANDFIELD, SPOP) and cheap iteration; deleting moves
 * the last entry into the hole. The home slot is {@code hash & mask}, so {@link #scanBucket}
 * walks buckets in reverse-binary order as Redis walks a dict, keeping HSCAN's guarantee
 * across growth and shrinking.
 */
public final class FieldMap implements ValueObject {
    private static final int MIN_CAPACITY = 8;
    private static final long NO_EXPIRY = -1;

    private int[] slots = new int[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private byte[][] fields = new byte[4][];
    private byte[][] values = new byte[4][];
    private int[] hashes = new int[4];
    private long[] expires;          // null until a field gets an expiry
    private int size;
    private int withExpiry;
    private long payloadBytes;       // field and value bytes, for memoryBytes()
    private final boolean hasValues;

    /** A map with values (a hash) or without (a set: values are all null). */
    public FieldMap(boolean hasValues) { this.hasValues = hasValues; }

    public int size() { return size; }

    public boolean hasValues() { return hasValues; }

    private static int hash(byte[] b, int off, int len) { return (int) (Bytes.hash(b, off, len) >>> 32); }

    private int slotOf(byte[] f, int off, int len, int h) {
        int i = h & mask;
        while (true) {
            int e = slots[i];
            if (e == 0) return -1;
            e--;
            if (hashes[e] == h && Arrays.equals(fields[e], 0, fields[e].length, f, off, off + len)) return i;
            i = (i + 1) & mask;
        }
    }

    /** Entry index of a field, or -1. */
    public int find(byte[] f, int off, int len) {
        int s = slotOf(f, off, len, hash(f, off, len));
        return s < 0 ? -1 : slots[s] - 1;
    }

    public byte[] field(int entry) { return fields[entry]; }

    public byte[] value(int entry) { return values[entry]; }

    /** Absolute expiry of a field in ms, or -1. */
    public long expireAt(int entry) { return expires == null ? NO_EXPIRY : expires[entry]; }

    /** Fields that have an expiry. */
    public int fieldsWithExpiry() { return withExpiry; }

    /**
     * Sets a field's value (a copy of the given bytes), keeping its expiry when it existed only
     * if {@code keepExpiry}. Returns true when the field is new.
     */
    public boolean put(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen, boolean keepExpiry) {
        int h = hash(f, fOff, fLen);
        int s = slotOf(f, fOff, fLen, h);
        byte[] value = hasValues ? Arrays.copyOfRange(v, vOff, vOff + vLen) : null;
        if (s >= 0) {
            int e = slots[s] - 1;
            if (hasValues) payloadBytes += vLen - values[e].length;
            values[e] = value;
            if (!keepExpiry) setExpire(e, NO_EXPIRY);
            return false;
        }
        if ((size + 1) * 4L > slots.length * 3L) resize(slots.length * 2);
        if (size == fields.length) {
            int n = size * 2;
            fields = Arrays.copyOf(fields, n);
            values = Arrays.copyOf(values, n);
            hashes = Arrays.copyOf(hashes, n);
            if (expires != null) expires = Arrays.copyOf(expires, n);
        }
        int e = size++;
        fields[e] = Arrays.copyOfRange(f, fOff, fOff + fLen);
        values[e] = value;
        hashes[e] = h;
        if (expires != null) expires[e] = NO_EXPIRY;
        payloadBytes += fLen + (hasValues ? vLen : 0);
        int i = h & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = e + 1;
        return true;
    }

    /** Sets or clears (-1) a field's expiry. */
    public void setExpire(int entry, long expireAt) {
        if (expires == null) {
            if (expireAt == NO_EXPIRY) return;
            expires = new long[fields.length];
            Arrays.fill(expires, NO_EXPIRY);
        }
        long old = expires[entry];
        if ((old == NO_EXPIRY) != (expireAt == NO_EXPIRY)) withExpiry += expireAt == NO_EXPIRY ? -1 : 1;
        expires[entry] = expireAt;
    }

    /** The earliest field expiry, -1 when no field has one (a walk over the entries). */
    public long minExpireAt() {
        if (withExpiry == 0) return NO_EXPIRY;
        long min = Long.MAX_VALUE;
        for (int e = 0; e < size; e++) {
            if (expires[e] != NO_EXPIRY && expires[e] < min) min = expires[e];
        }
        return min;
    }

    /**
     * Removes up to {@code max} fields whose expiry is at or before {@code now} (a walk over the
     * entries) and returns how many it removed.
     */
    public int removeDue(long now, int max) {
        int removed = 0;
        for (int e = 0; e < size && removed < max && withExpiry > 0; ) {
            long t = expires[e];
            if (t != NO_EXPIRY && t <= now) {
                removeEntry(e); // the last entry moves into e: look at e again
                removed++;
            } else {
                e++;
            }
        }
        return removed;
    }

    /** Removes a field; false when absent. */
    public boolean remove(byte[] f, int off, int len) {
        int s = slotOf(f, off, len, hash(f, off, len));
        if (s < 0) return false;
        removeAtSlot(s);
        return true;
    }

    /** Removes the entry at a dense index. */
    public void removeEntry(int entry) {
        removeAtSlot(slotOfEntry(entry));
    }

    private int slotOfEntry(int entry) {
        int i = hashes[entry] & mask;
        while (slots[i] != entry + 1) i = (i + 1) & mask;
        return i;
    }

    private void removeAtSlot(int s) {
        int e = slots[s] - 1;
        payloadBytes -= fields[e].length + (hasValues ? values[e].length : 0);
        if (expires != null && expires[e] != NO_EXPIRY) withExpiry--;
        // Backward-shift delete in the index.
        int i = s, j = s;
        while (true) {
            j = (j + 1) & mask;
            int w = slots[j];
            if (w == 0) break;
            int home = hashes[w - 1] & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                slots[i] = w;
                i = j;
            }
        }
        slots[i] = 0;
        // Move the last entry into the hole.
        int last = --size;
        if (e != last) {
            slots[slotOfEntry(last)] = e + 1;
            fields[e] = fields[last];
            values[e] = values[last];
            hashes[e] = hashes[last];
            if (expires != null) expires[e] = expires[last];
        }
        fields[last] = null;
        values[last] = null;
        if (slots.length > MIN_CAPACITY && size * 8L < slots.length) resize(slots.length / 2);
    }

    private void resize(int capacity) {
        int[] s = new int[capacity];
        int m = capacity - 1;
        for (int w : slots) {
            if (w == 0) continue;
            int i = hashes[w - 1] & m;
            while (s[i] != 0) i = (i + 1) & m;
            s[i] = w;
        }
        slots = s;
        mask = m;
    }

    /** Sees the entries of one bucket during a scan. */
    public interface EntryVisitor {
        void visit(int entry);
    }

    /**
     * Visits the entries whose home slot is the cursor's bucket and returns the next cursor,
     * 0 when done (reverse-binary order, as {@code KeyTable.scanBucket}).
     */
    public long scanBucket(long cursor, EntryVisitor v) {
        int m = mask;
        int home = (int) (cursor & m);
        int i = home;
        do {
            int w = slots[i];
            if (w == 0) break;
            if ((hashes[w - 1] & m) == home) v.visit(w - 1);
            i = (i + 1) & m;
        } while (i != home);
        return ScanCursor.next(cursor, m);
    }

    /** Buckets of the index (one SCAN call visits one). */
    public int capacity() { return slots.length; }

    @Override public long memoryBytes() {
        // Two array headers per entry (16 B each with compact headers, rounded up), the payload,
        // the dense arrays and the index.
        long perEntry = 2 * 16 + 8 + 4 + (expires != null ? 8 : 0);
        return 64 + payloadBytes + (long) fields.length * perEntry + 4L * slots.length;
    }

    @Override public FieldMap duplicate() {
        FieldMap c = new FieldMap(hasValues);
        c.slots = slots.clone();
        c.mask = mask;
        c.fields = new byte[fields.length][];
        c.values = new byte[values.length][];
        for (int i = 0; i < size; i++) {
            c.fields[i] = fields[i].clone();
            c.values[i] = values[i] == null ? null : values[i].clone();
        }
        c.hashes = hashes.clone();
        c.expires = expires == null ? null : expires.clone();
        c.size = size;
        c.withExpiry = withExpiry;
        c.payloadBytes = payloadBytes;
        return c;
    }
}
