package io.jackdaw.types;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream: entries ordered by a 128-bit ID (ms, seq; both unsigned), kept in byte chunks
 * indexed by a sorted map from each chunk's first ID, as Redis keeps listpacks in a radix tree.
 * A seek is O(log chunks) plus a walk inside one chunk. Deletion only flags an entry (as Redis
 * does); a chunk whose entries are all deleted leaves the map. Appends go to the last chunk
 * until it reaches {@code stream-node-max-bytes} or {@code stream-node-max-entries}.
 *
 * <pre>
 * chunk = entry*                      (the map key holds the chunk's first ID: base)
 * entry = flags:u8                    bit 0: deleted
 *         msDelta:varint              ms - base.ms
 *         seq:varint                  seq - base.seq when ms == base.ms, else seq
 *         pairs:varint                number of field/value pairs
 *         (len:varint bytes)*         field, value, field, value...
 * </pre>
 */
public final class Stream implements ValueObject {
    /** A stream ID; compared unsigned as Redis's uint64 pair. */
    public record Id(long ms, long seq) implements Comparable<Id> {
        public static final Id MIN = new Id(0, 0), MAX = new Id(-1L, -1L);

        @Override public int compareTo(Id o) {
            int c = Long.compareUnsigned(ms, o.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
        }

        /** The next ID, or null past the last possible one. */
        public Id next() {
            if (seq != -1L) return new Id(ms, seq + 1);
            return ms == -1L ? null : new Id(ms + 1, 0);
        }

        /** The previous ID, or null before 0-0. */
        public Id previous() {
            if (seq != 0) return new Id(ms, seq - 1);
            return ms == 0 ? null : new Id(ms - 1, -1L);
        }

        @Override public String toString() { return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq); }
    }

    /** One entry as read out: its ID and its fields and values alternating. */
    public record Entry(Id id, byte[][] fieldsAndValues) {}

    private static final class Chunk {
        byte[] data = new byte[64];
        int used;
        int live;     // entries not deleted
        int total;    // entries written, deleted ones included
        Id last;
    }

    private final TreeMap<Id, Chunk> chunks = new TreeMap<>();
    private long length;
    private long bytes;
    private Id lastId = Id.MIN;
    private Id maxDeletedId = Id.MIN;
    private long entriesAdded;
    /** Redis's first_id: the first live entry's ID as last recorded, 0-0 when empty. */
    private Id recordedFirstId = Id.MIN;
    /** Consumer groups by name (byte order), null until the first is created. */
    private java.util.TreeMap<byte[], StreamGroup> groups;

    public long length() { return length; }

    /** How many chunks hold the entries (tests and MEMORY figures). */
    public int chunkCount() { return chunks.size(); }

    public Id lastId() { return lastId; }

    public Id maxDeletedId() { return maxDeletedId; }

    public long entriesAdded() { return entriesAdded; }

    public void setLastId(Id id) { lastId = id; }

    public void setMaxDeletedId(Id id) { maxDeletedId = id; }

    public void setEntriesAdded(long n) { entriesAdded = n; }

    public Id recordedFirstId() { return recordedFirstId; }

    // ------------------------------------------------------------ consumer groups

    public StreamGroup group(byte[] name) { return groups == null ? null : groups.get(name); }

    /** Creates a group; null when one of that name exists. */
    public StreamGroup createGroup(byte[] name, Id lastId, long entriesRead) {
        if (groups == null) groups = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
        if (groups.containsKey(name)) return null;
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        groups.put(name.clone(), g);
        return g;
    }

    /** Removes a group; false when there is none of that name. */
    public boolean destroyGroup(byte[] name) { return groups != null && groups.remove(name) != null; }

    /** The groups by name, in byte order. */
    public java.util.SortedMap<byte[], StreamGroup> groups() {
        return groups == null ? java.util.Collections.emptySortedMap() : java.util.Collections.unmodifiableSortedMap(groups);
    }

    public int groupCount() { return groups == null ? 0 : groups.size(); }

    /** The live entry with this ID, or null. */
    public Entry entry(Id id) {
        Entry[] found = {null};
        range(id, id, false, e -> {
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /** Redis's streamRangeHasTombstones: whether a deleted entry may lie in [start, MAX]. */
    public boolean rangeHasTombstones(Id start) {
        if (length == 0 || maxDeletedId.equals(Id.MIN)) return false;
        if (recordedFirstId.compareTo(maxDeletedId) > 0) return false;
        return start.compareTo(maxDeletedId) <= 0;
    }

    /**
     * Redis's streamEstimateDistanceFromFirstEverEntry: how many entries were ever added up to
     * and including {@code id}, when that can be known without counting; else
     * {@link StreamGroup#ENTRIES_READ_UNKNOWN}.
     */
    public long entriesAddedUpTo(Id id) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && id.compareTo(lastId) <= 0) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return StreamGroup.ENTRIES_READ_UNKNOWN;
        if (maxDeletedId.equals(Id.MIN) || maxDeletedId.compareTo(recordedFirstId) < 0) {
            int cmpFirst = id.compareTo(recordedFirstId);
            if (cmpFirst < 0) return entriesAdded - length;
            if (cmpFirst == 0) return entriesAdded - length + 1;
        }
        return StreamGroup.ENTRIES_READ_UNKNOWN;
    }

    /** Redis's streamReplyWithCGLag: entries the group has yet to read, or -1 when unknown. */
    public long lag(StreamGroup g) {
        if (entriesAdded == 0) return 0;
        if (g.entriesRead != StreamGroup.ENTRIES_READ_UNKNOWN && !rangeHasTombstones(g.lastId)) {
            return entriesAdded - g.entriesRead;
        }
        long read = entriesAddedUpTo(g.lastId);
        return read == StreamGroup.ENTRIES_READ_UNKNOWN ? -1 : entriesAdded - read;
    }

    /** Moves a group past an entry it delivers, keeping its entries-read count as Redis does. */
    public void advanceGroup(StreamGroup g, Id id) {
        if (id.compareTo(g.lastId) <= 0) return;
        if (g.entriesRead != StreamGroup.ENTRIES_READ_UNKNOWN && !rangeHasTombstones(id)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = entriesAddedUpTo(id);
        }
        g.lastId = id;
    }

    /** The ID XADD would give an entry now: {@code *} at time {@code nowMs}, after the last ID. */
    public Id nextAutoId(long nowMs) {
        if (Long.compareUnsigned(nowMs, lastId.ms) > 0) return new Id(nowMs, 0);
        return lastId.next();
    }

    /**
     * Appends an entry (its ID must be above {@link #lastId}); fields and values alternate in
     * {@code args[from..to)}, given as offsets and lengths into {@code data}.
     */
    public void append(Id id, byte[] data, int[] offsets, int[] lengths, int from, int to, long maxBytes, long maxEntries) {
        Map.Entry<Id, Chunk> tail = chunks.lastEntry();
        Chunk c = tail == null ? null : tail.getValue();
        Id base = tail == null ? null : tail.getKey();
        if (c == null || (maxBytes > 0 && c.used >= maxBytes) || (maxEntries > 0 && c.total >= maxEntries)) {
            c = new Chunk();
            base = id;
            chunks.put(id, c);
        }
        int need = 1 + 10 + 10 + 5;
        for (int i = from; i < to; i++) need += 5 + lengths[i];
        ensure(c, need);
        int before = c.used;
        int p = c.used;
        byte[] d = c.data;
        d[p++] = 0;
        p = putVarint(d, p, id.ms - base.ms);
        p = putVarint(d, p, id.ms == base.ms ? id.seq - base.seq : id.seq);
        p = putVarint(d, p, (to - from) / 2);
        for (int i = from; i < to; i++) {
            p = putVarint(d, p, lengths[i]);
            System.arraycopy(data, offsets[i], d, p, lengths[i]);
            p += lengths[i];
        }
        c.used = p;
        c.live++;
        c.total++;
        c.last = id;
        bytes += p - before;
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) recordedFirstId = id;
    }

    private void ensure(Chunk c, int extra) {
        if (c.used + extra <= c.data.length) return;
        int n = Math.max(c.data.length * 2, c.used + extra);
        bytes += n - c.data.length;
        c.data = java.util.Arrays.copyOf(c.data, n);
    }

    /** The first live entry's ID, or null when empty. */
    public Id firstId() {
        for (Map.Entry<Id, Chunk> e : chunks.entrySet()) {
            Cursor cur = new Cursor(e.getKey(), e.getValue());
            while (cur.next()) if (!cur.deleted) return cur.id;
        }
        return null;
    }

    /** The last live entry's ID, or null when empty (Redis's streamLastValidID). */
    public Id lastLiveId() {
        Id[] found = {null};
        range(Id.MIN, Id.MAX, true, e -> {
            found[0] = e.id();
            return false;
        });
        return found[0];
    }

    /** Visits entries with IDs in [start, end], oldest first or ({@code reverse}) newest first, until the visitor says stop. */
    public void range(Id start, Id end, boolean reverse, Visitor v) {
        if (start.compareTo(end) > 0) return;
        Id from = chunks.floorKey(start);
        NavigableMap<Id, Chunk> view = from == null ? chunks.headMap(end, true) : chunks.subMap(from, true, end, true);
        if (reverse) view = view.descendingMap();
        for (Map.Entry<Id, Chunk> e : view.entrySet()) {
            Chunk c = e.getValue();
            if (c.last.compareTo(start) < 0) continue;
            if (!reverse) {
                Cursor cur = new Cursor(e.getKey(), c);
                while (cur.next()) {
                    if (cur.deleted || cur.id.compareTo(start) < 0) continue;
                    if (cur.id.compareTo(end) > 0) return;
                    if (!v.visit(cur.entry())) return;
                }
            } else {
                // Entries of a chunk are read forward, then visited backward.
                java.util.ArrayList<Entry> in = new java.util.ArrayList<>();
                Cursor cur = new Cursor(e.getKey(), c);
                while (cur.next()) {
                    if (cur.deleted || cur.id.compareTo(start) < 0) continue;
                    if (cur.id.compareTo(end) > 0) break;
                    in.add(cur.entry());
                }
                for (int i = in.size() - 1; i >= 0; i--) if (!v.visit(in.get(i))) return;
            }
        }
    }

    /** Receives entries from {@link #range}; false stops the walk. */
    public interface Visitor {
        boolean visit(Entry e);
    }

    /** Flags the entry with this ID deleted; false when there is none. */
    public boolean delete(Id id) {
        Map.Entry<Id, Chunk> e = chunks.floorEntry(id);
        if (e == null) return false;
        Chunk c = e.getValue();
        if (c.last.compareTo(id) < 0) return false;
        Cursor cur = new Cursor(e.getKey(), c);
        while (cur.next()) {
            int cmp = cur.id.compareTo(id);
            if (cmp > 0) return false;
            if (cmp == 0) {
                if (cur.deleted) return false;
                c.data[cur.start] |= 1;
                c.live--;
                length--;
                if (c.live == 0) dropChunk(e.getKey());
                if (id.compareTo(maxDeletedId) > 0) maxDeletedId = id;
                if (length == 0) recordedFirstId = Id.MIN;
                else if (id.equals(recordedFirstId)) recordedFirstId = firstId();
                return true;
            }
        }
        return false;
    }

    private void dropChunk(Id key) {
        Chunk c = chunks.remove(key);
        bytes -= c.data.length;
    }

    /**
     * Trims the oldest entries: to {@code maxLen} entries, or (when {@code minId} is given)
     * those below it. Approximate trimming removes whole chunks only, at most {@code limit}
     * entries (0: no limit). Returns how many entries went.
     */
    public long trim(long maxLen, Id minId, boolean approx, long limit) {
        long removed = 0;
        while (!chunks.isEmpty()) {
            if (minId == null && length <= maxLen) break;
            Map.Entry<Id, Chunk> first = chunks.firstEntry();
            Chunk c = first.getValue();
            boolean wholeChunk = minId == null ? length - c.live >= maxLen : c.last.compareTo(minId) < 0;
            if (wholeChunk) {
                if (limit > 0 && removed + c.live > limit) break;
                removed += c.live;
                length -= c.live;
                dropChunk(first.getKey());
                continue;
            }
            if (approx) break;
            // Exact: flag entries of this chunk one at a time.
            Cursor cur = new Cursor(first.getKey(), c);
            while (cur.next()) {
                if (cur.deleted) continue;
                if (minId == null ? length <= maxLen : cur.id.compareTo(minId) >= 0) break;
                c.data[cur.start] |= 1;
                c.live--;
                length--;
                removed++;
            }
            break;
        }
        if (removed > 0) recordedFirstId = length == 0 ? Id.MIN : firstId();
        return removed;
    }

    /** Walks a chunk's entries. */
    private static final class Cursor {
        final Id base;
        final Chunk c;
        int pos, start, fieldsAt, pairs;
        boolean deleted;
        Id id;

        Cursor(Id base, Chunk c) {
            this.base = base;
            this.c = c;
        }

        boolean next() {
            if (pos >= c.used) return false;
            byte[] d = c.data;
            start = pos;
            deleted = (d[pos++] & 1) != 0;
            long[] v = new long[1];
            pos = getVarint(d, pos, v);
            long ms = base.ms + v[0];
            pos = getVarint(d, pos, v);
            long seq = v[0] + (ms == base.ms ? base.seq : 0);
            id = new Id(ms, seq);
            pos = getVarint(d, pos, v);
            pairs = (int) v[0];
            fieldsAt = pos;
            for (int i = 0; i < pairs * 2; i++) {
                pos = getVarint(d, pos, v);
                pos += (int) v[0];
            }
            return true;
        }

        Entry entry() {
            byte[][] out = new byte[pairs * 2][];
            long[] v = new long[1];
            int p = fieldsAt;
            for (int i = 0; i < out.length; i++) {
                p = getVarint(c.data, p, v);
                out[i] = java.util.Arrays.copyOfRange(c.data, p, p + (int) v[0]);
                p += (int) v[0];
            }
            return new Entry(id, out);
        }
    }

    static int putVarint(byte[] d, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            d[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d[p++] = (byte) v;
        return p;
    }

    static int getVarint(byte[] d, int p, long[] out) {
        long v = 0;
        int shift = 0;
        byte b;
        do {
            b = d[p++];
            v |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        out[0] = v;
        return p;
    }

    @Override public long memoryBytes() {
        long n = 64 + bytes + chunks.size() * 64L;
        if (groups != null) for (Map.Entry<byte[], StreamGroup> e : groups.entrySet()) n += 48 + e.getKey().length + e.getValue().memoryBytes();
        return n;
    }

    @Override public ValueObject duplicate() {
        Stream s = new Stream();
        for (Map.Entry<Id, Chunk> e : chunks.entrySet()) {
            Chunk c = e.getValue(), d = new Chunk();
            d.data = c.data.clone();
            d.used = c.used;
            d.live = c.live;
            d.total = c.total;
            d.last = c.last;
            s.chunks.put(e.getKey(), d);
        }
        s.length = length;
        s.bytes = bytes;
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        s.recordedFirstId = recordedFirstId;
        if (groups != null) {
            s.groups = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
            for (Map.Entry<byte[], StreamGroup> e : groups.entrySet()) s.groups.put(e.getKey(), e.getValue().duplicate());
        }
        return s;
    }
}
