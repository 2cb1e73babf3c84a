package io.jackdaw.types;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream: entries ordered by a 128-bit ID (ms, seq; both unsigned), kept in byte chunks
 * indexed by a sorted map from each chunk's first ID, as Redis keeps listpacks in a radix tree.
 * A seek is O(log chunks) plus a walk inside one chunk. Deletion only flags an entry (as Redis
 * does); a chunk whose entries are all deleted leaves the map. Appends go to the last chunk
 * until Redis would open a new node (by {@code stream-node-max-entries}, or by
 * {@code stream-node-max-bytes} measured on the chunk as Redis's listpack), so chunks are
 * Redis's nodes one to one and DUMP writes them as Redis's listpacks.
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
        /**
         * Bytes of this chunk as Redis's listpack, less its live and deleted counters (which
         * change size as they grow): Redis opens a new node by the listpack's size.
         */
        long lpFixed;
        /** The first entry's pair count and where its fields start: Redis's master fields. */
        int masterPairs, masterAt;
    }

    /** Redis's STREAM_LISTPACK_MAX_SIZE: the node size limit when stream-node-max-bytes is 0 or above it. */
    private static final long LISTPACK_MAX = 1L << 30;
    /** Entry flags in Redis's stream listpack. */
    static final int LP_DELETED = 1, LP_SAMEFIELDS = 2;

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
        // Redis's streamAppendItem rule, so chunks are the nodes Redis would build: a new node
        // when the listpack plus the new strings reach the byte limit, or the entries (deleted
        // ones counted) reach the entry limit.
        long strings = 0;
        for (int i = from; i < to; i++) strings += lengths[i];
        long nodeMax = maxBytes <= 0 || maxBytes > LISTPACK_MAX ? LISTPACK_MAX : maxBytes;
        boolean same;
        if (c == null || lpBytes(c) + strings >= nodeMax || (maxEntries > 0 && c.total >= maxEntries)) {
            c = new Chunk();
            base = id;
            chunks.put(id, c);
            // Empty listpack, then the master entry: [count, deleted,] fields, field..., 0.
            long master = Listpack.EMPTY_SIZE + Listpack.entrySizeForInt((to - from) / 2) + Listpack.entrySizeForInt(0);
            for (int i = from; i < to; i += 2) master += Listpack.entrySizeForFast(data, offsets[i], lengths[i]);
            c.lpFixed = master;
            c.masterPairs = (to - from) / 2;
            same = true;
        } else {
            same = sameFieldsAsMaster(c, data, offsets, lengths, from, to);
        }
        c.lpFixed += lpEntryBytes(same, id.ms - base.ms, id.seq - base.seq, data, offsets, lengths, from, to);
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
        if (before == 0) c.masterAt = p;
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

    /** The chunk's size as Redis's listpack. */
    private static long lpBytes(Chunk c) {
        return c.lpFixed + Listpack.entrySizeForInt(c.live) + Listpack.entrySizeForInt(c.total - c.live);
    }

    /** Bytes one entry takes in Redis's listpack: flags, ms and seq deltas, [fields,] values, lp-count. */
    private static long lpEntryBytes(boolean same, long msDelta, long seqDelta, byte[] data, int[] offsets, int[] lengths,
                                     int from, int to) {
        int pairs = (to - from) / 2;
        long n = Listpack.entrySizeForInt(same ? LP_SAMEFIELDS : 0) + Listpack.entrySizeForInt(msDelta)
                + Listpack.entrySizeForInt(seqDelta);
        if (!same) n += Listpack.entrySizeForInt(pairs);
        for (int i = from; i < to; i++) {
            if (same && (i - from) % 2 == 0) continue;
            n += Listpack.entrySizeForFast(data, offsets[i], lengths[i]);
        }
        return n + Listpack.entrySizeForInt(same ? pairs + 3 : 2L * pairs + 4);
    }

    /** Whether the fields (in order) are those of the chunk's first entry, Redis's master fields. */
    private static boolean sameFieldsAsMaster(Chunk c, byte[] data, int[] offsets, int[] lengths, int from, int to) {
        if (c.masterPairs != (to - from) / 2) return false;
        byte[] d = c.data;
        int p = c.masterAt;
        for (int i = from; i < to; i += 2) {
            int len = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = d[p++];
                len |= (b & 0x7F) << shift;
                if (b >= 0) break;
            }
            if (len != lengths[i] || !java.util.Arrays.equals(d, p, p + len, data, offsets[i], offsets[i] + len)) return false;
            p += len;
            int skip = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = d[p++];
                skip |= (b & 0x7F) << shift;
                if (b >= 0) break;
            }
            p += skip;
        }
        return true;
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

    // ------------------------------------------------------------ Redis's listpack nodes (DUMP, RDB)

    /*
     * One node as Redis keeps it (t_stream.c): a listpack under the master ID, the ID of the
     * node's first entry (radix-tree key, 16 bytes big-endian). Every element below is one
     * listpack element; numbers are listpack integers, deltas are uint64 differences.
     *
     *   master entry: | count | deleted | n-fields | field 1 | ... | field n | 0 |
     *   entry:        | flags | ms-delta | seq-delta | n | field 1 | value 1 | ... | lp-count |
     *   entry with flags & SAMEFIELDS (fields are the master's):
     *                 | flags | ms-delta | seq-delta | value 1 | ... | value n | lp-count |
     *
     * flags: 1 deleted, 2 same fields. lp-count is the entry's element count before it
     * (n + 3 with same fields, 2n + 4 without), so the listpack can be walked backwards.
     */

    /** Receives one node: its master ID and its listpack in Redis's layout. */
    public interface NodeVisitor {
        void node(Id master, byte[] listpack);
    }

    /** Each chunk as the listpack node Redis would hold, in ID order. */
    public void forEachNode(NodeVisitor v) {
        for (Map.Entry<Id, Chunk> e : chunks.entrySet()) v.node(e.getKey(), toListpack(e.getKey(), e.getValue()));
    }

    private static byte[] toListpack(Id base, Chunk c) {
        java.util.ArrayList<byte[]> el = new java.util.ArrayList<>();
        Cursor cur = new Cursor(base, c);
        cur.next();
        byte[][] master = cur.entry().fieldsAndValues();
        int mf = master.length / 2;
        el.add(Bytes.decimal(c.live));
        el.add(Bytes.decimal(c.total - c.live));
        el.add(Bytes.decimal(mf));
        for (int i = 0; i < mf; i++) el.add(master[2 * i]);
        el.add(Bytes.decimal(0));
        cur = new Cursor(base, c);
        while (cur.next()) {
            byte[][] fv = cur.entry().fieldsAndValues();
            int pairs = fv.length / 2;
            boolean same = pairs == mf;
            for (int i = 0; same && i < mf; i++) same = java.util.Arrays.equals(fv[2 * i], master[2 * i]);
            el.add(Bytes.decimal((cur.deleted ? LP_DELETED : 0) | (same ? LP_SAMEFIELDS : 0)));
            el.add(Bytes.decimal(cur.id.ms - base.ms));
            el.add(Bytes.decimal(cur.id.seq - base.seq));
            if (!same) el.add(Bytes.decimal(pairs));
            for (int i = 0; i < fv.length; i++) if (!same || i % 2 == 1) el.add(fv[i]);
            el.add(Bytes.decimal(same ? pairs + 3 : 2L * pairs + 4));
        }
        return Listpack.of(el);
    }

    /**
     * Builds a stream from Redis's nodes, checking each as Redis's deep sanitization does
     * (streamValidateListpackIntegrity) and, beyond it, what our chunks rely on: the live count
     * agrees with the flags, IDs ascend through the whole stream from each node's key, and
     * the stream's length and last ID agree with the entries. Anything else throws
     * {@link RdbFormatException}.
     */
    public static final class Loader {
        private final Stream s = new Stream();

        /** Adds one node: a 16-byte big-endian master ID and its listpack. */
        public void node(byte[] key, byte[] lp) {
            if (key.length != 16) throw bad("stream node key is not a stream ID");
            Id master = new Id(Bytes.getLongBE(key, 0), Bytes.getLongBE(key, 8));
            if (s.chunks.containsKey(master)) throw bad("stream node re-added with an existing key");
            if (!Listpack.validate(lp, 0, lp.length, true)) throw bad("stream listpack integrity check failed");
            int p = Listpack.first(lp, 0);
            if (p == Listpack.NONE) throw bad("empty listpack inside stream");
            int countAt = p;
            long count = intAt(lp, p);
            p = Listpack.next(lp, 0, p);
            int deletedAt = p;
            long deleted = intAt(lp, p);
            p = Listpack.next(lp, 0, p);
            long mf = intAt(lp, p);
            p = Listpack.next(lp, 0, p);
            // Each entry and field takes at least one byte, so these bound every loop below.
            if (count <= 0 || deleted < 0 || mf < 0 || count + deleted > lp.length || mf > lp.length) {
                throw bad("bad stream master entry");
            }
            byte[][] masterFields = new byte[(int) mf][];
            for (int j = 0; j < mf; j++) {
                masterFields[j] = strAt(lp, p);
                p = Listpack.next(lp, 0, p);
            }
            if (intAt(lp, p) != 0) throw bad("bad stream master entry terminator");
            p = Listpack.next(lp, 0, p);
            Chunk c = new Chunk();
            c.lpFixed = lp.length - Listpack.entrySize(lp, countAt) - Listpack.entrySize(lp, deletedAt);
            Id prev = null;
            for (long k = count + deleted; k > 0; k--) {
                long flags = intAt(lp, p);
                p = Listpack.next(lp, 0, p);
                if ((flags & ~(long) (LP_DELETED | LP_SAMEFIELDS)) != 0) throw bad("bad stream entry flags");
                long msDelta = intAt(lp, p);
                p = Listpack.next(lp, 0, p);
                long seqDelta = intAt(lp, p);
                p = Listpack.next(lp, 0, p);
                Id id = new Id(master.ms + msDelta, master.seq + seqDelta);
                if (id.compareTo(master) < 0 || (prev != null && id.compareTo(prev) <= 0)) throw bad("stream IDs out of order");
                prev = id;
                boolean same = (flags & LP_SAMEFIELDS) != 0;
                long pairs = mf;
                if (!same) {
                    pairs = intAt(lp, p);
                    p = Listpack.next(lp, 0, p);
                    if (pairs < 0 || pairs > lp.length) throw bad("bad stream entry field count");
                }
                byte[][] fv = new byte[(int) (2 * pairs)][];
                for (int j = 0; j < pairs; j++) {
                    if (same) {
                        fv[2 * j] = masterFields[j];
                    } else {
                        fv[2 * j] = strAt(lp, p);
                        p = Listpack.next(lp, 0, p);
                    }
                    fv[2 * j + 1] = strAt(lp, p);
                    p = Listpack.next(lp, 0, p);
                }
                if (intAt(lp, p) != (same ? pairs + 3 : 2 * pairs + 4)) throw bad("bad stream lp-count");
                p = Listpack.next(lp, 0, p);
                s.appendLoaded(c, master, id, (flags & LP_DELETED) != 0, fv);
            }
            if (p != Listpack.NONE) throw bad("stream listpack has trailing elements");
            if (c.live != count) throw bad("stream live count disagrees with entry flags");
            s.chunks.put(master, c);
        }

        /**
         * Finishes with the stream's saved fields; {@code firstId} null for the oldest format
         * (type 15), which had none of the last three: they are derived as Redis does.
         */
        public Stream finish(long length, Id lastId, Id firstId, Id maxDeletedId, long entriesAdded) {
            long live = 0;
            Id prevLast = null;
            for (Map.Entry<Id, Chunk> e : s.chunks.entrySet()) {
                if (prevLast != null && e.getKey().compareTo(prevLast) <= 0) throw bad("stream nodes overlap");
                prevLast = e.getValue().last;
                live += e.getValue().live;
            }
            if (live != length) throw bad("stream length disagrees with its entries");
            // Only live entries: XSETID may move the last ID below a deleted one, as in Redis.
            Id lastLive = s.lastLiveId();
            if (lastLive != null && lastLive.compareTo(lastId) > 0) throw bad("stream entry past the last ID");
            s.length = length;
            s.lastId = lastId;
            if (firstId == null) {
                // Redis's streamGetEdgeID: an empty stream's first ID is the greatest ID.
                Id first = s.firstId();
                s.recordedFirstId = first == null ? Id.MAX : first;
                s.maxDeletedId = Id.MIN;
                s.entriesAdded = length;
            } else {
                s.recordedFirstId = firstId;
                s.maxDeletedId = maxDeletedId;
                s.entriesAdded = entriesAdded;
            }
            return s;
        }

        private static long intAt(byte[] lp, int p) {
            if (p == Listpack.NONE) throw bad("stream listpack ends early");
            if (Listpack.isInt(lp, p)) return Listpack.getInt(lp, p);
            byte[] b = Listpack.toBytes(lp, p);
            long[] v = new long[1];
            if (!Bytes.parseLong(b, 0, b.length, v)) throw bad("stream listpack: integer expected");
            return v[0];
        }

        private static byte[] strAt(byte[] lp, int p) {
            if (p == Listpack.NONE) throw bad("stream listpack ends early");
            return Listpack.isInt(lp, p) ? Bytes.decimal(Listpack.getInt(lp, p)) : Listpack.toBytes(lp, p);
        }

        private static RdbFormatException bad(String why) { return new RdbFormatException(why); }
    }

    /** Writes a loaded entry into a chunk keyed by {@code base}, in our chunk layout. */
    private void appendLoaded(Chunk c, Id base, Id id, boolean deleted, byte[][] fv) {
        int need = 1 + 10 + 10 + 5;
        for (byte[] b : fv) need += 5 + b.length;
        ensure(c, need);
        int before = c.used;
        int p = c.used;
        byte[] d = c.data;
        d[p++] = (byte) (deleted ? 1 : 0);
        p = putVarint(d, p, id.ms - base.ms);
        p = putVarint(d, p, id.ms == base.ms ? id.seq - base.seq : id.seq);
        p = putVarint(d, p, fv.length / 2);
        for (byte[] b : fv) {
            p = putVarint(d, p, b.length);
            System.arraycopy(b, 0, d, p, b.length);
            p += b.length;
        }
        c.used = p;
        if (!deleted) c.live++;
        c.total++;
        c.last = id;
        bytes += p - before;
        if (before == 0) {
            c.masterPairs = fv.length / 2;
            c.masterAt = p;
            for (byte[] b : fv) c.masterAt -= varintSize(b.length) + b.length;
        }
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
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
            d.lpFixed = c.lpFixed;
            d.masterPairs = c.masterPairs;
            d.masterAt = c.masterAt;
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
