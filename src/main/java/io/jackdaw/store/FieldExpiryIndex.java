package io.jackdaw.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeSet;

/**
 * The hashes of one {@link KeyTable} that may have fields with an expiry, each under a time at
 * or before its earliest one, so the active cycle visits only hashes with something due (Redis
 * keeps db->hexpires for this). The time may be early: a field that lost its expiry or was
 * deleted leaves it as it was, and the cycle, finding nothing due, files the hash again under
 * its true earliest expiry or drops it. A key is dropped when it is removed or stops holding a
 * hash, so there is at most one entry per hash key. Guarded by the shard's lock.
 */
public final class FieldExpiryIndex {
    private record Entry(long when, byte[] key) {}

    private final HashMap<ByteBuffer, Entry> byKey = new HashMap<>();
    private final TreeSet<Entry> byTime = new TreeSet<>((a, b) -> {
        int c = Long.compare(a.when, b.when);
        return c != 0 ? c : Arrays.compare(a.key, b.key);
    });

    public boolean isEmpty() { return byKey.isEmpty(); }

    public int size() { return byKey.size(); }

    /** Files a key under a time, unless it is already filed under an earlier one. */
    public void register(byte[] k, int off, int len, long when) {
        Entry old = byKey.get(ByteBuffer.wrap(k, off, len));
        if (old != null) {
            if (old.when <= when) return;
            byTime.remove(old);
        }
        byte[] key = Arrays.copyOfRange(k, off, off + len);
        Entry e = new Entry(when, key);
        byKey.put(ByteBuffer.wrap(key), e);
        byTime.add(e);
    }

    /** Drops a key. */
    public void remove(byte[] k, int off, int len) {
        Entry old = byKey.remove(ByteBuffer.wrap(k, off, len));
        if (old != null) byTime.remove(old);
    }

    /** Takes out and returns the key filed under the earliest time, if that time is at or before {@code now}. */
    public byte[] pollDue(long now) {
        if (byTime.isEmpty() || byTime.first().when > now) return null;
        Entry e = byTime.pollFirst();
        byKey.remove(ByteBuffer.wrap(e.key));
        return e.key;
    }

    /** The time a key is filed under, or -1 (for tests). */
    public long whenOf(byte[] k) {
        Entry e = byKey.get(ByteBuffer.wrap(k));
        return e == null ? -1 : e.when;
    }
}
