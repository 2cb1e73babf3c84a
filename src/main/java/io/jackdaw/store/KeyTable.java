package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.ValueObject;

/**
 * The keyspace of one database inside one shard: an open-addressing index over records
 * that live in large byte pages, so the collector sees a few big arrays per shard
 * instead of millions of small objects (see docs/architecture.md, "Store").
 *
 * <h2>Index</h2>
 * Linear probing over a {@code long[]}; deletion shifts the run back, so there are no
 * tombstones and every key sits in the unbroken run that starts at its home slot (which is
 * what lets SCAN walk home slots in reverse-binary order, as Redis walks buckets).
 * <pre>
 *  63   62 ............ 32 31 ............ 0
 * +----+------------------+----------------+
 * |TTL |  hash (31 bits)  |   record ref   |      0 = empty slot
 * +----+------------------+----------------+
 * </pre>
 * The home slot is {@code hash31 & mask}, so growing never touches the records.
 *
 * <h2>Records</h2>
 * A ref is {@code page << 18 | offset / 8}: pages up to 2 MiB, 8-byte aligned records.
 * Records bigger than {@link #MAX_INLINE} get a page of their own (offset 0).
 * <pre>
 *  0      1       2        4        6        8              [16]
 * +------+-------+--------+--------+--------+--------------+------------+-----+-------+---+
 * | type | flags | keyLen | valLen | access | expireAt ms  | [lens ext] | key | value |pad|
 * +------+-------+--------+--------+--------+--------------+------------+-----+-------+---+
 *                  u16      u16      u16      only if TTL    only if JUMBO: i32 keyLen, i32 valLen
 * </pre>
 * A write that does not fit the old record's footprint appends a new record and marks the
 * old one DEAD; pages whose dead share grows are evacuated (live records copied to the tail)
 * and recycled, log-structured style.
 */
public final class KeyTable {
    // Record header layout.
    static final int H_TYPE = 0, H_FLAGS = 1, H_KEYLEN = 2, H_VALLEN = 4, H_ACCESS = 6, HEADER = 8;
    /**
     * F_UNSHARED marks an integer value that Redis would hold in a private object rather than
     * its shared small-integer one (COPY duplicates the object): OBJECT REFCOUNT tells them apart.
     */
    static final int F_TTL = 1, F_DEAD = 2, F_JUMBO = 4, F_UNSHARED = 8, F_OBJECT = 16;
    static final int MAX_INLINE = 32 * 1024;
    private static final int OFFSET_BITS = 18;
    private static final int MAX_PAGE = 1 << (OFFSET_BITS + 3);
    private static final int FIRST_PAGE = 8 * 1024;
    /**
     * A new page is a quarter of the table's live page bytes (at least 8 KiB), so the unused tail
     * of the newest page stays under a fifth of the table; past 512 KiB pages are full pages
     * sized to fill exactly one 2 MiB G1 region with their array header: humongous objects the
     * collector never copies, with no tail of the region wasted. With 256 shards per database
     * a shard's table is small (1M keys of ~180 bytes: ~700 KiB each): doubling pages left up
     * to half of that unused (1M 10-field hashes: 283 bytes/key of used_memory_dataset where
     * the records take 187), and an earlier jump to full pages after 128 KiB left a million
     * 100-byte values in 4.6x their size.
     */
    static final int LAST_SMALL_PAGE = 512 * 1024, FULL_PAGE = MAX_PAGE - 64;
    private static final int MAX_PAGES = 1 << (32 - OFFSET_BITS);
    private static final long TTL_BIT = 1L << 63;
    private static final int MIN_CAPACITY = 16;

    private long[] slots = new long[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int size;
    private int ttlCount;

    private byte[][] pages = new byte[8][];
    private int[] pageEnd = new int[8];
    private int[] pageDead = new int[8];
    private int[] freePages = new int[8];
    private int freeCount;
    private int pageCount = 1; // page 0 is never used so that ref 0 means "empty"
    private int current;       // page receiving appends, 0 = none yet
    private long pageBytes;
    private long deadBytes;
    /** Bytes of records appended to pages (the sum of pageEnd): with deadBytes, the live figure. */
    private long written;
    /** Where changes of {@link #liveMemoryBytes()} are added (the keyspace's total), or null. */
    private java.util.concurrent.atomic.LongAdder liveTotal;
    private long nextCompactCheck;
    private int expireCursor;

    // Values held as objects (F_OBJECT records carry a 4-byte handle into this array).
    private ValueObject[] objects = new ValueObject[0];
    private long[] objectAccounted = new long[0];
    private int[] freeObjects = new int[0];
    private int freeObjectCount, objectCount;
    private long objectBytes;
    private int sweepSampled;
    private long sweepTtlSum;
    private FieldExpiryIndex fieldExpiry; // hashes with field expiries; null until the first


    // ---------------------------------------------------------------- index

    public int size() { return size; }
    public int ttlCount() { return ttlCount; }
    public int capacity() { return slots.length; }

    /** Bytes this table holds: pages plus the index. */
    public long memoryBytes() { return pageBytes + 8L * slots.length + objectBytes; }

    /**
     * Bytes of live data: the records in pages (not the dead ones compaction has yet to reclaim,
     * nor the unwritten tail of a fresh page), the index and the value objects. What maxmemory
     * compares, since deleting a key lowers it at once, as freeing does Redis's used_memory.
     * Read racily by other threads: a moment's figure.
     */
    public long liveMemoryBytes() { return written - deadBytes + 8L * slots.length + objectBytes; }

    /**
     * From now on adds every change of {@link #liveMemoryBytes()} to {@code total} (after adding
     * the current figure), so the keyspace's live bytes are one sum, not a walk over tables.
     */
    public void reportLiveBytesTo(java.util.concurrent.atomic.LongAdder total) {
        total.add(liveMemoryBytes());
        liveTotal = total;
    }

    /** Takes this table's bytes back out of the total it reported to (the table is dropped). */
    public void stopReportingLiveBytes() {
        java.util.concurrent.atomic.LongAdder t = liveTotal;
        if (t == null) return;
        t.add(-liveMemoryBytes());
        liveTotal = null;
    }

    private void live(long delta) {
        java.util.concurrent.atomic.LongAdder t = liveTotal;
        if (t != null && delta != 0) t.add(delta);
    }

    /** Bytes of the slot index alone. */
    public long indexBytes() { return 8L * slots.length; }

    private static int h31(long hash) { return (int) (hash >>> 33); }

    /** Slot of the key, or -1. Does not look at expiry. */
    public int lookup(byte[] key, int off, int len, long hash) {
        int h = h31(hash);
        long[] s = slots;
        int m = mask;
        int i = h & m;
        while (true) {
            long w = s[i];
            if (w == 0) return -1;
            if ((int) ((w >>> 32) & 0x7FFFFFFF) == h && keyEquals((int) w, key, off, len)) return i;
            i = (i + 1) & m;
        }
    }

    public int refAt(int slot) { return (int) slots[slot]; }

    public boolean hasTtl(int slot) { return slots[slot] < 0; }

    /** The absolute expiry of the key at a slot, -1 when it has none. */
    public long expireAtSlot(int slot) {
        int ref = refAt(slot);
        return expireAt(page(ref), offset(ref));
    }

    private boolean keyEquals(int ref, byte[] key, int off, int len) {
        byte[] p = page(ref);
        int o = offset(ref);
        if (keyLength(p, o) != len) return false;
        return java.util.Arrays.equals(p, keyOffset(p, o), keyOffset(p, o) + len, key, off, off + len);
    }

    /** Adds a slot for a key known to be absent. */
    private void insertSlot(long hash, int ref, boolean ttl) {
        if ((size + 1) * 4L > slots.length * 3L) resize(slots.length * 2);
        int h = h31(hash);
        int i = h & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = ((long) h << 32) | (ref & 0xFFFFFFFFL) | (ttl ? TTL_BIT : 0);
        size++;
        if (ttl) ttlCount++;
    }

    /** Changed whenever keys may move to other slots (a resize, a removal's back shift): a walk by slot must start over. */
    private int layoutVersion;

    public int layoutVersion() { return layoutVersion; }

    private void resize(int capacity) {
        layoutVersion++;
        long[] old = slots;
        long[] s = new long[capacity];
        int m = capacity - 1;
        for (long w : old) {
            if (w == 0) continue;
            int i = (int) ((w >>> 32) & 0x7FFFFFFF) & m;
            while (s[i] != 0) i = (i + 1) & m;
            s[i] = w;
        }
        live(8L * (capacity - old.length));
        slots = s;
        mask = m;
    }

    /** Removes the slot, shifting the rest of its run back so no tombstone is left. */
    private void removeSlot(int i) {
        layoutVersion++;
        if (slots[i] < 0) ttlCount--;
        long[] s = slots;
        int m = mask;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            long w = s[j];
            if (w == 0) break;
            int home = (int) ((w >>> 32) & 0x7FFFFFFF) & m;
            // Move w back into the hole unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                s[i] = w;
                i = j;
            }
        }
        s[i] = 0;
        size--;
        if (slots.length > MIN_CAPACITY && size * 8L < slots.length) resize(slots.length / 2);
    }

    private void setSlotRef(int slot, int ref, boolean ttl) {
        long w = slots[slot];
        boolean had = w < 0;
        if (had != ttl) ttlCount += ttl ? 1 : -1;
        slots[slot] = (w & 0x7FFFFFFF00000000L) | (ref & 0xFFFFFFFFL) | (ttl ? TTL_BIT : 0);
    }

    // ---------------------------------------------------------------- records

    public byte[] page(int ref) { return pages[ref >>> OFFSET_BITS]; }

    public static int offset(int ref) { return (ref & ((1 << OFFSET_BITS) - 1)) << 3; }

    public static int type(byte[] p, int o) { return p[o + H_TYPE]; }

    private static int flags(byte[] p, int o) { return p[o + H_FLAGS]; }

    public static int keyLength(byte[] p, int o) {
        return (flags(p, o) & F_JUMBO) != 0 ? Bytes.getInt(p, extOffset(p, o)) : Bytes.getU16(p, o + H_KEYLEN);
    }

    public static int valueLength(byte[] p, int o) {
        return (flags(p, o) & F_JUMBO) != 0 ? Bytes.getInt(p, extOffset(p, o) + 4) : Bytes.getU16(p, o + H_VALLEN);
    }

    private static int extOffset(byte[] p, int o) { return o + HEADER + ((flags(p, o) & F_TTL) != 0 ? 8 : 0); }

    public static int keyOffset(byte[] p, int o) {
        int f = flags(p, o);
        return o + HEADER + ((f & F_TTL) != 0 ? 8 : 0) + ((f & F_JUMBO) != 0 ? 8 : 0);
    }

    public static int valueOffset(byte[] p, int o) { return keyOffset(p, o) + keyLength(p, o); }

    public static boolean unshared(byte[] p, int o) { return (flags(p, o) & F_UNSHARED) != 0; }

    public static void markUnshared(byte[] p, int o) { p[o + H_FLAGS] |= F_UNSHARED; }

    /** The record's access field (see {@link AccessTracking}). */
    public static int access(byte[] p, int o) { return Bytes.getU16(p, o + H_ACCESS); }

    public static void setAccess(byte[] p, int o, int v) { Bytes.putU16(p, o + H_ACCESS, v); }

    /**
     * Whether a key with this expiry (-1 = none) is gone at {@code now}: as Redis's keyIsExpired,
     * only once the clock has passed its time. The one rule lazy expiry, the sweep and KEYS share.
     */
    public static boolean isExpired(long expireAt, long now) { return expireAt >= 0 && expireAt < now; }

    /** Absolute expiry in ms, or -1 when the key has none. */
    public static long expireAt(byte[] p, int o) {
        return (flags(p, o) & F_TTL) != 0 ? Bytes.getLong(p, o + HEADER) : -1;
    }

    private static int footprint(boolean ttl, int keyLen, int valLen) {
        boolean jumbo = keyLen > 0xFFFF || valLen > 0xFFFF;
        long n = HEADER + (ttl ? 8 : 0) + (jumbo ? 8 : 0) + (long) keyLen + valLen;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("record too large");
        return (int) ((n + 7) & ~7L);
    }

    private static int footprint(byte[] p, int o) {
        return footprint((flags(p, o) & F_TTL) != 0, keyLength(p, o), valueLength(p, o));
    }

    /** Bytes a record takes in its page, padding included. */
    public static int recordFootprint(byte[] p, int o) { return footprint(p, o); }

    /** Reserves a record and writes its header and key; the caller fills the value. */
    private int newRecord(int type, byte[] key, int kOff, int kLen, int valLen, long expireAt, int access) {
        return newRecord(type, key, kOff, kLen, valLen, expireAt, access, 0);
    }

    /**
     * As above; a record that gets a page of its own gets at least {@code capacity} bytes of
     * page, so that it can later grow in place ({@link #growValue}).
     */
    private int newRecord(int type, byte[] key, int kOff, int kLen, int valLen, long expireAt, int access,
                          int capacity) {
        boolean ttl = expireAt >= 0;
        int size = footprint(ttl, kLen, valLen);
        int ref = allocate(size, capacity);
        byte[] p = page(ref);
        int o = offset(ref);
        boolean jumbo = kLen > 0xFFFF || valLen > 0xFFFF;
        p[o + H_TYPE] = (byte) type;
        p[o + H_FLAGS] = (byte) ((ttl ? F_TTL : 0) | (jumbo ? F_JUMBO : 0));
        Bytes.putU16(p, o + H_KEYLEN, jumbo ? 0xFFFF : kLen);
        Bytes.putU16(p, o + H_VALLEN, jumbo ? 0xFFFF : valLen);
        Bytes.putU16(p, o + H_ACCESS, access);
        if (ttl) Bytes.putLong(p, o + HEADER, expireAt);
        if (jumbo) {
            int e = extOffset(p, o);
            Bytes.putInt(p, e, kLen);
            Bytes.putInt(p, e + 4, valLen);
        }
        System.arraycopy(key, kOff, p, keyOffset(p, o), kLen);
        return ref;
    }

    private int allocate(int size) { return allocate(size, 0); }

    /**
     * Space for a record of {@code size} bytes. A record over {@link #MAX_INLINE} gets its own
     * page of {@code max(size, capacity)} bytes; its page end is the record's footprint, so
     * the spare tail only counts in {@code pageBytes}.
     */
    private int allocate(int size, int capacity) {
        if (size > MAX_INLINE) {
            int idx = takePageIndex();
            int length = Math.max(size, capacity);
            pages[idx] = new byte[length];
            pageEnd[idx] = size;
            pageDead[idx] = 0;
            pageBytes += length;
            written += size;
            live(size);
            return idx << OFFSET_BITS;
        }
        byte[] cur = current == 0 ? null : pages[current];
        if (cur == null || pageEnd[current] + size > cur.length) {
            if (current != 0) retireIfEmpty(current);
            int idx = takePageIndex();
            int ps = Math.max(nextPageSize(), size);
            pages[idx] = new byte[ps];
            pageEnd[idx] = 0;
            pageDead[idx] = 0;
            pageBytes += ps;
            current = idx;
        }
        int off = pageEnd[current];
        pageEnd[current] = off + size;
        written += size;
        live(size);
        return (current << OFFSET_BITS) | (off >>> 3);
    }

    private int nextPageSize() {
        long quarter = (pageBytes - deadBytes) / 4; // of the live data: churn must not inflate pages
        if (quarter > LAST_SMALL_PAGE) return FULL_PAGE;
        return (int) Math.max(FIRST_PAGE, (quarter + 4095) & ~4095L);
    }

    private int takePageIndex() {
        if (freeCount > 0) return freePages[--freeCount];
        if (pageCount == MAX_PAGES) throw new IllegalStateException("shard page table full");
        if (pageCount == pages.length) {
            int n = Math.min(MAX_PAGES, pages.length * 2);
            pages = java.util.Arrays.copyOf(pages, n);
            pageEnd = java.util.Arrays.copyOf(pageEnd, n);
            pageDead = java.util.Arrays.copyOf(pageDead, n);
        }
        return pageCount++;
    }

    private void freePage(int idx) {
        live(-(pageEnd[idx] - pageDead[idx]));
        written -= pageEnd[idx];
        pageBytes -= pages[idx].length;
        deadBytes -= pageDead[idx];
        pages[idx] = null;
        pageEnd[idx] = 0;
        pageDead[idx] = 0;
        if (freeCount == freePages.length) freePages = java.util.Arrays.copyOf(freePages, freeCount * 2);
        freePages[freeCount++] = idx;
        if (idx == current) current = 0;
    }

    private void retireIfEmpty(int idx) {
        if (pageDead[idx] == pageEnd[idx]) freePage(idx);
    }

    /** Marks a record dead; a value object it held is released (the key or its value is gone). */
    private void killRecord(int ref) {
        byte[] p = page(ref);
        int o = offset(ref);
        if ((flags(p, o) & F_OBJECT) != 0) releaseObject(Bytes.getInt(p, valueOffset(p, o)));
        retireRecord(ref);
    }

    /** Marks a record dead whose value lives on in another record (moved, not deleted). */
    private void retireRecord(int ref) {
        byte[] p = page(ref);
        int o = offset(ref);
        int size = footprint(p, o);
        p[o + H_FLAGS] |= F_DEAD;
        int idx = ref >>> OFFSET_BITS;
        pageDead[idx] += size;
        deadBytes += size;
        live(-size);
        // A page that just became half dead is a candidate now, not after another 64 KiB die.
        if (pageDead[idx] * 2 >= pageEnd[idx] && (pageDead[idx] - size) * 2 < pageEnd[idx]) nextCompactCheck = 0;
        if (idx != current && pageDead[idx] == pageEnd[idx]) freePage(idx);
        else maybeCompact();
    }

    /**
     * Evacuates the page with the most dead bytes once dead space passes a quarter of what
     * the pages hold, but only a page at least half dead: then every byte copied frees at
     * least one byte, so compaction costs at most one extra copy of what was written. (With
     * pages uniformly a third dead, a looser rule had each write copy a whole page while
     * freeing little, and SET throughput fell by half.) One page per write bounds the pause.
     */
    private void maybeCompact() {
        if (deadBytes < 256 * 1024 || deadBytes * 4 < pageBytes || deadBytes < nextCompactCheck) return;
        int victim = 0, best = 0;
        for (int i = 1; i < pageCount; i++) {
            if (i != current && pages[i] != null && pageDead[i] > best && pageDead[i] * 2 >= pageEnd[i]) {
                best = pageDead[i];
                victim = i;
            }
        }
        if (victim != 0) {
            evacuate(victim);
            nextCompactCheck = 0;
        } else {
            // No page is half dead yet: look again after another 64 KiB have died.
            nextCompactCheck = deadBytes + 64 * 1024;
        }
    }

    private void evacuate(int idx) {
        byte[] p = pages[idx];
        int end = pageEnd[idx];
        int o = 0;
        while (o < end) {
            int size = footprint(p, o);
            if ((flags(p, o) & F_DEAD) == 0) {
                int oldRef = (idx << OFFSET_BITS) | (o >>> 3);
                int kOff = keyOffset(p, o), kLen = keyLength(p, o);
                int slot = slotOfRef(Bytes.hash(p, kOff, kLen), oldRef);
                int ref = allocate(size);
                System.arraycopy(p, o, page(ref), offset(ref), size);
                setSlotRef(slot, ref, slots[slot] < 0);
            }
            o += size;
        }
        freePage(idx);
    }

    private int slotOfRef(long hash, int ref) {
        int i = h31(hash) & mask;
        while ((int) slots[i] != ref) i = (i + 1) & mask;
        return i;
    }

    // ---------------------------------------------------------------- typed access

    /**
     * Stores a value under a key, replacing any previous record. The record is rewritten in
     * place when the footprint is unchanged (the common overwrite of same-sized values).
     *
     * @return the ref of the record now holding the value
     */
    public int put(byte[] key, int kOff, int kLen, long hash, int type,
                   byte[] val, int vOff, int vLen, long expireAt) {
        return put(key, kOff, kLen, hash, type, val, vOff, vLen, expireAt, 0);
    }

    /**
     * As above; {@code access} is the access field of a new key (a replaced key keeps its own,
     * which is what an LFU counter needs).
     */
    public int put(byte[] key, int kOff, int kLen, long hash, int type,
                   byte[] val, int vOff, int vLen, long expireAt, int access) {
        int slot = lookup(key, kOff, kLen, hash);
        int ref = putRecord(slot, key, kOff, kLen, hash, type, vLen, expireAt, access);
        byte[] p = page(ref);
        System.arraycopy(val, vOff, p, valueOffset(p, offset(ref)), vLen);
        return ref;
    }

    /** As {@link #put} for a 64-bit integer value stored in 8 bytes. */
    public int putLong(byte[] key, int kOff, int kLen, long hash, int type, long value, long expireAt) {
        return putLong(key, kOff, kLen, hash, type, value, expireAt, 0);
    }

    public int putLong(byte[] key, int kOff, int kLen, long hash, int type, long value, long expireAt, int access) {
        int slot = lookup(key, kOff, kLen, hash);
        int ref = putRecord(slot, key, kOff, kLen, hash, type, 8, expireAt, access);
        byte[] p = page(ref);
        Bytes.putLong(p, valueOffset(p, offset(ref)), value);
        return ref;
    }

    private int putRecord(int slot, byte[] key, int kOff, int kLen, long hash, int type, int vLen, long expireAt,
                          int access) {
        boolean ttl = expireAt >= 0;
        if (slot >= 0) {
            int old = refAt(slot);
            byte[] p = page(old);
            int o = offset(old);
            if (!ValueType.isHash(type)) forgetFieldExpiry(p, o);
            boolean jumbo = kLen > 0xFFFF || vLen > 0xFFFF;
            if (footprint(p, o) == footprint(ttl, kLen, vLen) && ((flags(p, o) & F_TTL) != 0) == ttl
                    && ((flags(p, o) & F_JUMBO) != 0) == jumbo) {
                if ((flags(p, o) & F_OBJECT) != 0) releaseObject(Bytes.getInt(p, valueOffset(p, o)));
                p[o + H_FLAGS] &= ~(F_UNSHARED | F_OBJECT);
                p[o + H_TYPE] = (byte) type;
                if ((flags(p, o) & F_JUMBO) != 0) Bytes.putInt(p, extOffset(p, o) + 4, vLen);
                else Bytes.putU16(p, o + H_VALLEN, vLen);
                if (ttl) Bytes.putLong(p, o + HEADER, expireAt);
                return old;
            }
            int ref = newRecord(type, key, kOff, kLen, vLen, expireAt, access(p, o));
            setSlotRef(slot, ref, ttl);
            killRecord(old);
            return ref;
        }
        int ref = newRecord(type, key, kOff, kLen, vLen, expireAt, access);
        insertSlot(hash, ref, ttl);
        return ref;
    }

    /**
     * As {@link #put} with a value of {@code vLen} zero bytes, without the caller building it.
     *
     * @return the ref of the record now holding the value
     */
    public int putZeros(byte[] key, int kOff, int kLen, long hash, int type, int vLen, long expireAt, int access) {
        int slot = lookup(key, kOff, kLen, hash);
        int ref = putRecord(slot, key, kOff, kLen, hash, type, vLen, expireAt, access);
        byte[] p = page(ref);
        int vo = valueOffset(p, offset(ref));
        java.util.Arrays.fill(p, vo, vo + vLen, (byte) 0);
        return ref;
    }

    /**
     * Lengthens the value of the key at the slot to {@code newLen} bytes (at least its current
     * length), the new tail zeroed, and sets the record's type; key and expiry stay. The record
     * grows in place when its footprint does not change or when it has a page of its own with
     * room; otherwise it moves to a new record, which (when it needs a page of its own) gets
     * spare room as Redis's string buffers do: double up to 1 MiB, then 1 MiB more. So
     * appending bit by bit costs amortised O(1) per byte instead of a copy of the whole value.
     *
     * @return the ref of the record now holding the value
     */
    public int growValue(int slot, int type, int newLen) {
        int ref = refAt(slot);
        byte[] p = page(ref);
        int o = offset(ref);
        int f = flags(p, o);
        boolean ttl = (f & F_TTL) != 0;
        int kLen = keyLength(p, o), oldLen = valueLength(p, o);
        if (newLen < oldLen) throw new IllegalArgumentException("growValue cannot shrink");
        int oldSize = footprint(p, o), newSize = footprint(ttl, kLen, newLen);
        boolean jumbo = kLen > 0xFFFF || newLen > 0xFFFF;
        int idx = ref >>> OFFSET_BITS;
        boolean ownPage = oldSize > MAX_INLINE;
        if (((f & F_JUMBO) != 0) == jumbo && (newSize == oldSize || (ownPage && newSize <= p.length))) {
            p[o + H_TYPE] = (byte) type;
            if (jumbo) Bytes.putInt(p, extOffset(p, o) + 4, newLen);
            else Bytes.putU16(p, o + H_VALLEN, newLen);
            int vo = valueOffset(p, o);
            java.util.Arrays.fill(p, vo + oldLen, vo + newLen, (byte) 0);
            if (ownPage) {
                written += newSize - pageEnd[idx];
                live(newSize - pageEnd[idx]);
                pageEnd[idx] = newSize;
            }
            return ref;
        }
        long spare = newSize < (1 << 20) ? 2L * newSize : newSize + (1L << 20);
        int capacity = (int) Math.min(spare, Integer.MAX_VALUE - 16);
        int nref = newRecord(type, p, keyOffset(p, o), kLen, newLen, expireAt(p, o), access(p, o), capacity);
        // newRecord may have opened a page; the old record is read through its own array.
        byte[] np = page(nref);
        int no = offset(nref);
        int nvo = valueOffset(np, no);
        System.arraycopy(p, valueOffset(p, o), np, nvo, oldLen);
        java.util.Arrays.fill(np, nvo + oldLen, nvo + newLen, (byte) 0);
        setSlotRef(slot, nref, ttl);
        killRecord(ref);
        return nref;
    }

    /** Removes the key at the slot. */
    public void removeAt(int slot) {
        int ref = refAt(slot);
        forgetFieldExpiry(page(ref), offset(ref));
        removeSlot(slot);
        killRecord(ref);
    }

    /** Sets or clears (expireAt &lt; 0) the expiry of the key at the slot, moving it if the layout changes. */
    public void setExpire(int slot, long expireAt) {
        int ref = refAt(slot);
        byte[] p = page(ref);
        int o = offset(ref);
        boolean ttl = expireAt >= 0;
        if (((flags(p, o) & F_TTL) != 0) == ttl) {
            if (ttl) Bytes.putLong(p, o + HEADER, expireAt);
            return;
        }
        int kLen = keyLength(p, o), vLen = valueLength(p, o);
        int nref = newRecord(type(p, o), p, keyOffset(p, o), kLen, vLen, expireAt, access(p, o));
        // newRecord may have opened a page; re-read the old one through its ref.
        byte[] op = page(ref);
        byte[] np = page(nref);
        int no = offset(nref);
        System.arraycopy(op, valueOffset(op, o), np, valueOffset(np, no), vLen);
        np[no + H_FLAGS] |= (byte) (op[o + H_FLAGS] & (F_UNSHARED | F_OBJECT));
        setSlotRef(slot, nref, ttl);
        retireRecord(ref); // the value, and any object it refers to, lives on in the new record
    }

    /** Removes everything. */
    public void clear() {
        layoutVersion++;
        live(-liveMemoryBytes());
        written = 0;
        slots = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        size = ttlCount = 0;
        pages = new byte[8][];
        pageEnd = new int[8];
        pageDead = new int[8];
        freeCount = 0;
        pageCount = 1;
        current = 0;
        pageBytes = deadBytes = nextCompactCheck = 0;
        expireCursor = 0;
        objects = new ValueObject[0];
        objectAccounted = new long[0];
        freeObjects = new int[0];
        freeObjectCount = objectCount = 0;
        objectBytes = 0;
        fieldExpiry = null;
    }

    /** The hashes of this table with field expiries (see {@link FieldExpiryIndex}). */
    public FieldExpiryIndex fieldExpiry() {
        if (fieldExpiry == null) fieldExpiry = new FieldExpiryIndex();
        return fieldExpiry;
    }

    /** Whether some hash here may have a field with an expiry (the active cycle skips tables without). */
    public boolean hasFieldExpiry() { return fieldExpiry != null && !fieldExpiry.isEmpty(); }

    /** A hash record going away (removed, or replaced by another type) leaves the field expiry index. */
    private void forgetFieldExpiry(byte[] p, int o) {
        if (fieldExpiry != null && ValueType.isHash(type(p, o)) && !fieldExpiry.isEmpty())
            fieldExpiry.remove(p, keyOffset(p, o), keyLength(p, o));
    }

    // ---------------------------------------------------------------- value objects

    /**
     * Stores a value object under a key, replacing any previous record (and releasing the
     * object it held). The record's value is the object's 4-byte handle.
     *
     * @return the ref of the record now holding the handle
     */
    public int putObject(byte[] key, int kOff, int kLen, long hash, int type, ValueObject value, long expireAt,
                         int access) {
        int handle = takeObjectHandle(value);
        int slot = lookup(key, kOff, kLen, hash);
        int ref = putRecord(slot, key, kOff, kLen, hash, type, 4, expireAt, access);
        byte[] p = page(ref);
        int o = offset(ref);
        p[o + H_FLAGS] |= F_OBJECT;
        Bytes.putInt(p, valueOffset(p, o), handle);
        return ref;
    }

    /** Whether the record holds a value object rather than its value's bytes. */
    public static boolean holdsObject(byte[] p, int o) { return (flags(p, o) & F_OBJECT) != 0; }

    /** The value object of a record that {@link #holdsObject holds one}. */
    public ValueObject object(byte[] p, int o) { return objects[Bytes.getInt(p, valueOffset(p, o))]; }

    /** Re-reads the size of a record's value object after the caller changed it. */
    public void objectResized(byte[] p, int o) {
        int h = Bytes.getInt(p, valueOffset(p, o));
        long now = objects[h].memoryBytes();
        live(now - objectAccounted[h]);
        objectBytes += now - objectAccounted[h];
        objectAccounted[h] = now;
    }

    /** Bytes of the value objects held, as last accounted. */
    public long objectBytes() { return objectBytes; }

    /** Value objects held (for tests and INFO). */
    public int objectCount() { return objectCount; }

    private int takeObjectHandle(ValueObject value) {
        int h;
        if (freeObjectCount > 0) {
            h = freeObjects[--freeObjectCount];
        } else {
            h = objectCount; // no handle is free, so [0, objectCount) are all taken
            if (h == objects.length) {
                int n = Math.max(8, objects.length * 2);
                objects = java.util.Arrays.copyOf(objects, n);
                objectAccounted = java.util.Arrays.copyOf(objectAccounted, n);
            }
        }
        objects[h] = value;
        objectAccounted[h] = value.memoryBytes();
        objectBytes += objectAccounted[h];
        live(objectAccounted[h]);
        objectCount++;
        return h;
    }

    private void releaseObject(int h) {
        objects[h] = null;
        objectBytes -= objectAccounted[h];
        live(-objectAccounted[h]);
        objectAccounted[h] = 0;
        objectCount--;
        if (freeObjectCount == freeObjects.length) freeObjects = java.util.Arrays.copyOf(freeObjects, Math.max(8, freeObjectCount * 2));
        freeObjects[freeObjectCount++] = h;
    }

    // ---------------------------------------------------------------- iteration

    /** Sees each key; the arrays are the table's own pages, valid only during the call. */
    public interface KeyVisitor {
        void visit(byte[] page, int keyOffset, int keyLength, long expireAt);
    }

    /** Visits every key (expired or not; callers filter by time). */
    public void forEach(KeyVisitor v) {
        long[] s = slots;
        for (long w : s) {
            if (w == 0) continue;
            int ref = (int) w;
            byte[] p = page(ref);
            int o = offset(ref);
            v.visit(p, keyOffset(p, o), keyLength(p, o), w < 0 ? expireAt(p, o) : -1);
        }
    }

    /**
     * Visits the live-or-expired keys whose home slot is the cursor's bucket and returns the
     * next cursor, 0 once every bucket was visited. Buckets are walked in reverse-binary order,
     * as Redis walks its dict: a key present for the whole scan is visited at least once even
     * when the index doubles or halves between calls. A key's bucket is {@code hash & mask} and
     * linear probing keeps it inside the unbroken run that starts there.
     */
    public long scanBucket(long cursor, KeyVisitor v) {
        long[] s = slots;
        int m = mask;
        int home = (int) (cursor & m);
        int i = home;
        do {
            long w = s[i];
            if (w == 0) break;
            if ((((int) (w >>> 32)) & 0x7FFFFFFF & m) == home) {
                int ref = (int) w;
                byte[] p = page(ref);
                int o = offset(ref);
                v.visit(p, keyOffset(p, o), keyLength(p, o), w < 0 ? expireAt(p, o) : -1);
            }
            i = (i + 1) & m;
        } while (i != home);
        return io.jackdaw.types.ScanCursor.next(cursor, m);
    }

    /** Whether a slot holds a key (walking every key: SAVE). */
    public boolean occupied(int slot) { return slots[slot] != 0; }

    /** A random occupied slot, or -1 when empty. */
    public int randomSlot(java.util.random.RandomGenerator rnd) {
        if (size == 0) return -1;
        while (true) {
            int i = rnd.nextInt(slots.length);
            if (slots[i] != 0) return i;
        }
    }

    /** A random slot of a key with an expiry, or -1 when there is none (volatile eviction policies). */
    public int randomTtlSlot(java.util.random.RandomGenerator rnd) {
        if (ttlCount == 0) return -1;
        for (int n = 0; n < 32; n++) {
            int i = rnd.nextInt(slots.length);
            if (slots[i] < 0) return i;
        }
        // Few keys expire: walk from a random point to the next one.
        int i = rnd.nextInt(slots.length);
        for (int n = 0; n < slots.length; n++, i = (i + 1) & mask) if (slots[i] < 0) return i;
        return -1;
    }

    // ---------------------------------------------------------------- expiry sweep

    /** Callback for keys the sweep removes. */
    public interface ExpiredKeySink {
        void expired(KeyTable table, byte[] page, int keyOffset, int keyLength);
    }

    /**
     * Checks up to {@code budget} slots from a rolling cursor and removes keys whose time has
     * passed. Returns the number of keys removed; {@link #lastSweepSampled()} tells how many keys
     * with an expiry it looked at, which is what the active cycle's stale ratio is taken over.
     * Incremental so a big shard never stalls.
     */
    public int sweepExpired(long now, int budget, ExpiredKeySink sink) {
        sweepSampled = 0;
        sweepTtlSum = 0;
        if (ttlCount == 0) return 0;
        int removed = 0, sampled = 0;
        long ttlSum = 0;
        int i = expireCursor & mask;
        for (int n = 0; n < budget && ttlCount > 0; n++) {
            long w = slots[i];
            if (w < 0) {
                int ref = (int) w;
                byte[] p = page(ref);
                int o = offset(ref);
                sampled++;
                if (isExpired(Bytes.getLong(p, o + HEADER), now)) {
                    if (sink != null) sink.expired(this, p, keyOffset(p, o), keyLength(p, o));
                    removeAt(i);
                    removed++;
                    i &= mask; // the index may have shrunk
                    // The run shifted back into slot i: look at it again.
                    continue;
                }
                ttlSum += Bytes.getLong(p, o + HEADER) - now;
            }
            i = (i + 1) & mask;
        }
        expireCursor = i;
        sweepSampled = sampled;
        sweepTtlSum = ttlSum;
        return removed;
    }

    /** Keys with an expiry the last {@link #sweepExpired} looked at. */
    public int lastSweepSampled() { return sweepSampled; }

    /** Sum of the remaining ms of the keys the last sweep looked at and left (INFO's avg_ttl). */
    public long lastSweepTtlSum() { return sweepTtlSum; }
}
