package io.jackdaw.types;

/**
 * A large list as Redis 7.2 keeps it: a doubly linked chain of nodes, each a listpack of
 * consecutive elements bounded by {@code list-max-listpack-size} (the "fill": negative is a byte
 * limit per node, -1 4 KiB ... -5 64 KiB; positive a count limit, with an 8 KiB safety cap), or
 * a "plain" node holding one element too large for a listpack as its bare bytes. Push and pop at
 * either end are O(1) amortised (a memmove inside one bounded node); an index is found by walking
 * nodes from the nearer end.
 *
 * <p>Where nodes split and merge follows Redis's quicklist.c rule for rule (insert next to a
 * full node, replace with a large element, merging a split node with its neighbours), because
 * the node layout is observable: a list converts back to a listpack only when it has shrunk to
 * one packed node. Compression of inner nodes ({@code list-compress-depth}) is not done.
 *
 * <p>Each node's listpack lives at offset 0 of a buffer with spare room at its end, so edits are
 * in place (as Redis's realloc + memmove) and only growth past the room copies.
 */
public final class Quicklist implements ValueObject {
    /** Byte limits per node for fill -1 .. -5. */
    private static final int[] SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};
    /** Largest multi-element node under a count limit. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Redis's over-estimate of one entry's overhead when deciding whether a node has room. */
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;
    private static final long NODE_OVERHEAD = 48, LIST_OVERHEAD = 48;

    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD: when not 0, elements of at least this many bytes go to
     * plain nodes whatever the fill (for tests). Server-wide, as in Redis.
     */
    private static volatile long packedThreshold;

    /** Sets the test threshold for plain nodes (0 = off); false when Redis would refuse it. */
    public static boolean setPackedThreshold(long bytes) {
        if (bytes < 0 || bytes > (1L << 32) - (1 << 20)) return false;
        packedThreshold = bytes;
        return true;
    }

    private final int fill;
    /**
     * list-compress-depth when the list was made. Kept and reported (DEBUG OBJECT ql_compressed)
     * as Redis keeps it; nodes are never compressed here (docs/compatibility.md).
     */
    private int compressDepth;
    private Node head, tail;
    private long count;
    private int nodes;
    private long memory = LIST_OVERHEAD;

    /** An empty quicklist whose nodes are bounded by {@code fill}. */
    public Quicklist(int fill) { this.fill = fill; }

    // ------------------------------------------------------------ limits (Redis's quicklistNodeLimit)

    /** Byte limit of one node for a fill, or Long.MAX_VALUE for a count limit. */
    public static long sizeLimit(int fill) {
        return fill >= 0 ? Long.MAX_VALUE : SIZE_LEVELS[(int) Math.min(-(long) fill - 1, SIZE_LEVELS.length - 1)];
    }

    /** Entry limit of one node for a fill (0 counts as 1), or Long.MAX_VALUE for a byte limit. */
    public static long countLimit(int fill) { return fill >= 0 ? Math.max(fill, 1) : Long.MAX_VALUE; }

    /** Whether a listpack of {@code bytes} bytes and {@code entries} entries would be past the limit. */
    public static boolean exceedsLimit(int fill, long bytes, long entries) {
        if (fill < 0) return bytes > sizeLimit(fill);
        return bytes > SIZE_SAFETY_LIMIT || entries > countLimit(fill);
    }

    private static boolean isLarge(long len, int fill) {
        long t = packedThreshold;
        if (t != 0) return len >= t;
        return fill >= 0 ? len > SIZE_SAFETY_LIMIT : len > sizeLimit(fill);
    }

    private boolean allowInsert(Node n, int len) {
        if (n == null || n.plain || isLarge(len, fill)) return false;
        return !exceedsLimit(fill, (long) n.sz + len + SIZE_ESTIMATE_OVERHEAD, n.count + 1L);
    }

    private boolean allowMerge(Node a, Node b) {
        if (a == null || b == null || a.plain || b.plain) return false;
        return !exceedsLimit(fill, (long) a.sz + b.sz - Listpack.EMPTY_SIZE, (long) a.count + b.count);
    }

    // ------------------------------------------------------------ nodes

    /**
     * One node: a listpack at offset 0 of {@code buf} (with room after it), or a plain node whose
     * {@code buf[0, sz)} is one element. Also used alone as the growable buffer of a
     * listpack-encoded list being edited.
     */
    public static final class Node {
        Node prev, next;
        byte[] buf;
        int sz;
        int count;
        boolean plain;

        private Node() {}

        /** A packed node holding a copy of the listpack at {@code (src, base)}. */
        public static Node ofListpack(byte[] src, int base) {
            Node n = new Node();
            int size = Listpack.size(src, base);
            n.buf = java.util.Arrays.copyOfRange(src, base, base + size);
            n.sz = size;
            n.count = Listpack.count(n.buf, 0);
            return n;
        }

        /** An empty packed node (a new listpack). */
        public static Node emptyPacked() {
            Node n = new Node();
            n.buf = Listpack.newEmpty();
            n.sz = Listpack.EMPTY_SIZE;
            return n;
        }

        /** A plain node holding {@code v} (the array is taken, not copied). */
        public static Node ofPlain(byte[] v) {
            Node n = new Node();
            n.buf = v;
            n.sz = v.length;
            n.count = 1;
            n.plain = true;
            return n;
        }

        static Node plainOf(byte[] v, int off, int len) {
            Node n = new Node();
            n.buf = java.util.Arrays.copyOfRange(v, off, off + len);
            n.sz = len;
            n.count = 1;
            n.plain = true;
            return n;
        }

        public int size() { return sz; }

        /** The node after this one, or null at the tail. */
        public Node next() { return next; }

        public int count() { return count; }

        public boolean isPlain() { return plain; }

        /** The buffer (a listpack at offset 0 for a packed node); valid until the next edit. */
        public byte[] buffer() { return buf; }

        /** The listpack as an array of its exact size. */
        public byte[] toListpack() { return java.util.Arrays.copyOf(buf, sz); }

        long capacity() { return buf.length; }

        private void ensure(long newSize) {
            if (newSize <= buf.length) return;
            if (newSize > Integer.MAX_VALUE - 16) throw new IllegalStateException("listpack would be too large");
            // A quarter more room, as an allocator's size classes leave, so repeated pushes copy rarely.
            long cap = Math.min(Integer.MAX_VALUE - 16, Math.max(newSize, newSize + (newSize >> 2)));
            buf = java.util.Arrays.copyOf(buf, (int) cap);
        }

        private void shrinkIfSparse() {
            if (buf.length > 64 && sz < buf.length / 2) buf = java.util.Arrays.copyOf(buf, sz + (sz >> 2));
        }

        /** Inserts a value {@link Listpack#BEFORE} or {@link Listpack#AFTER} entry {@code p}; returns its offset. */
        public int insert(int p, int where, byte[] v, int off, int len) {
            ensure((long) sz + Listpack.entrySizeFor(v, off, len));
            int at = Listpack.insertInto(buf, 0, p, where, v, off, len, buf, 0);
            sz = Listpack.size(buf, 0);
            count++;
            return at;
        }

        /** Inserts at the head ({@code head}) or the tail. */
        public void push(boolean head, byte[] v, int off, int len) {
            insert(head ? Listpack.HEADER_SIZE : sz - 1, Listpack.BEFORE, v, off, len);
        }

        /** Replaces entry {@code p} with a value; returns its offset. */
        public int replace(int p, byte[] v, int off, int len) {
            // An in-place replace needs room for the result first.
            ensure((long) sz - Listpack.entrySize(buf, p) + Listpack.entrySizeFor(v, off, len));
            int at = Listpack.insertInto(buf, 0, p, Listpack.REPLACE, v, off, len, buf, 0);
            sz = Listpack.size(buf, 0);
            shrinkIfSparse();
            return at;
        }

        /** Deletes up to {@code num} entries from {@code p}; returns the entry after them or NONE. */
        public int delete(int p, int num) {
            int before = count;
            int n = 0;
            for (int q = p; n < num && q != Listpack.NONE; q = Listpack.next(buf, 0, q)) n++;
            int after = Listpack.deleteInto(buf, 0, p, n, buf, 0);
            sz = Listpack.size(buf, 0);
            count = before - n;
            shrinkIfSparse();
            return after;
        }

        /** Deletes {@code num} entries from index {@code index} (0-based, non-negative), as lpDeleteRange. */
        public void deleteRange(int index, int num) {
            if (num <= 0) return;
            int p = Listpack.seek(buf, 0, index);
            if (p != Listpack.NONE) delete(p, num);
        }
    }

    // ------------------------------------------------------------ whole list

    public long count() { return count; }

    /** Number of nodes. */
    public int nodeCount() { return nodes; }

    /** The fill this list was created with (Redis keeps it per list). */
    public int fill() { return fill; }

    public int compressDepth() { return compressDepth; }

    /** The first node, for the listpack conversion check. */
    public Node headNode() { return head; }

    @Override public long memoryBytes() { return memory; }

    /** Bytes of all nodes' listpacks (and plain values) together, as DEBUG OBJECT reports them. */
    public long listpackBytes() {
        long sum = 0;
        for (Node n = head; n != null; n = n.next) sum += n.sz;
        return sum;
    }

    /** A new quicklist whose only node adopts {@code node}'s listpack (a list leaving the listpack encoding). */
    public static Quicklist adopt(int fill, int compressDepth, Node node) {
        Quicklist q = new Quicklist(fill);
        q.compressDepth = compressDepth;
        if (node.count > 0) q.linkNode(null, node, true);
        return q;
    }

    /** Appends a node as it is, without merging or splitting (Redis's quicklistAppendListpack, loading RDB). */
    public void appendNode(Node n) { linkNode(tail, n, true); }

    /** Releases the only node, for conversion back to a listpack; the list is empty afterwards. */
    public Node detachOnlyNode() {
        if (nodes != 1) throw new IllegalStateException("quicklist has " + nodes + " nodes");
        Node n = head;
        unlinkNode(n);
        return n;
    }

    @Override public Quicklist duplicate() {
        Quicklist q = new Quicklist(fill);
        q.compressDepth = compressDepth;
        for (Node n = head; n != null; n = n.next) {
            Node c = new Node();
            c.buf = java.util.Arrays.copyOf(n.buf, n.sz);
            c.sz = n.sz;
            c.count = n.count;
            c.plain = n.plain;
            q.linkNode(q.tail, c, true);
        }
        return q;
    }

    // ------------------------------------------------------------ linking

    /** Links {@code n} after (or before) {@code old}; with no {@code old} it becomes the only node. */
    private void linkNode(Node old, Node n, boolean after) {
        if (after) {
            n.prev = old;
            n.next = old == null ? null : old.next;
            if (old != null) {
                if (old.next != null) old.next.prev = n;
                old.next = n;
            }
            if (tail == old) tail = n;
        } else {
            n.next = old;
            n.prev = old == null ? null : old.prev;
            if (old != null) {
                if (old.prev != null) old.prev.next = n;
                old.prev = n;
            }
            if (head == old) head = n;
        }
        if (nodes == 0) head = tail = n;
        nodes++;
        count += n.count;
        memory += n.capacity() + NODE_OVERHEAD;
    }

    private void unlinkNode(Node n) {
        if (n.next != null) n.next.prev = n.prev;
        if (n.prev != null) n.prev.next = n.next;
        if (n == tail) tail = n.prev;
        if (n == head) head = n.next;
        n.prev = n.next = null;
        nodes--;
        count -= n.count;
        memory -= n.capacity() + NODE_OVERHEAD;
    }

    /** After an edit of a linked node: keeps the element count and memory figures in step. */
    private void edited(Node n, long countBefore, long capBefore) {
        count += n.count - countBefore;
        memory += n.capacity() - capBefore;
    }

    private void pushInto(Node n, boolean atHead, byte[] v, int off, int len) {
        long c = n.count, cap = n.capacity();
        n.push(atHead, v, off, len);
        edited(n, c, cap);
    }

    // ------------------------------------------------------------ push and pop

    /** Pushes a value at the head or the tail (Redis's quicklistPushHead/Tail). */
    public void push(boolean atHead, byte[] v, int off, int len) {
        Node end = atHead ? head : tail;
        if (isLarge(len, fill)) {
            linkNode(end, Node.plainOf(v, off, len), !atHead);
        } else if (allowInsert(end, len)) {
            pushInto(end, atHead, v, off, len);
        } else {
            Node n = Node.emptyPacked();
            n.push(true, v, off, len);
            linkNode(end, n, !atHead);
        }
    }

    /** Deletes the entry at {@code c} (Redis's quicklistDelIndex); true when its node went. */
    private boolean deleteEntry(Node n, int p) {
        if (n.plain) {
            unlinkNode(n);
            return true;
        }
        long c = n.count, cap = n.capacity();
        n.delete(p, 1);
        edited(n, c, cap);
        if (n.count > 0) return false;
        unlinkNode(n);
        return true;
    }

    /** Removes the element at the head or the tail. */
    public void popEnd(boolean atHead) {
        Node n = atHead ? head : tail;
        if (n == null) return;
        deleteEntry(n, n.plain ? 0 : atHead ? Listpack.first(n.buf, 0) : Listpack.last(n.buf, 0));
    }

    // ------------------------------------------------------------ cursors

    /** A position on one element: its node and the entry's offset in the node's buffer. */
    public static final class Cursor {
        Node node;
        int p;
        /** Index of the entry inside its node. */
        int offset;

        public boolean valid() { return node != null; }

        /** Reads the element under the cursor. */
        public void read(Element e) {
            if (node.plain) e.set(node.buf, 0, node.sz);
            else e.entry(node.buf, p);
        }

        /** Whether the element under the cursor equals the needle (Redis's quicklistCompare). */
        public boolean matches(Element needle) {
            if (node.plain) return Bytes.equals(node.buf, 0, node.sz, needle.buf, needle.off, needle.len);
            return needle.equalsEntry(node.buf, p);
        }

        /** Moves to the next element (towards the tail); false (and invalid) past the end. */
        public boolean next() {
            if (!node.plain) {
                int q = Listpack.next(node.buf, 0, p);
                if (q != Listpack.NONE) {
                    p = q;
                    offset++;
                    return true;
                }
            }
            return enter(node.next, true);
        }

        /** Moves to the previous element (towards the head); false (and invalid) past the start. */
        public boolean prev() {
            if (!node.plain) {
                int q = Listpack.prev(node.buf, 0, p);
                if (q != Listpack.NONE) {
                    p = q;
                    offset--;
                    return true;
                }
            }
            return enter(node.prev, false);
        }

        private boolean enter(Node n, boolean atFirst) {
            node = n;
            if (n == null) return false;
            if (n.plain) {
                p = 0;
                offset = 0;
            } else if (atFirst) {
                p = Listpack.first(n.buf, 0);
                offset = 0;
            } else {
                p = Listpack.last(n.buf, 0);
                offset = n.count - 1;
            }
            return true;
        }
    }

    /**
     * A cursor on the element at {@code index} (negative counts from the tail), found by walking
     * nodes from the nearer end; invalid when out of range.
     */
    public Cursor seek(long index, Cursor c) {
        c.node = null;
        if (index < 0) index += count;
        if (index < 0 || index >= count) return c;
        Node n;
        long accum;
        if (index <= (count - 1) / 2) {
            n = head;
            accum = 0;
            while (accum + n.count <= index) {
                accum += n.count;
                n = n.next;
            }
        } else {
            n = tail;
            accum = count - n.count;
            while (accum > index) {
                n = n.prev;
                accum -= n.count;
            }
        }
        c.node = n;
        c.offset = (int) (index - accum);
        c.p = n.plain ? 0 : Listpack.seek(n.buf, 0, c.offset);
        return c;
    }

    // ------------------------------------------------------------ edits at a cursor

    /**
     * Deletes the element under the cursor and moves it to the element that followed in the
     * direction of travel ({@code forward}: towards the tail), invalid when there is none.
     */
    public void deleteAt(Cursor c, boolean forward) {
        Node n = c.node, prev = n.prev, next = n.next;
        int offset = c.offset;
        boolean gone = deleteEntry(n, c.p);
        if (gone) {
            c.enter(forward ? next : prev, forward);
            return;
        }
        if (forward) {
            if (offset < n.count) {
                c.p = Listpack.seek(n.buf, 0, offset);
            } else {
                c.enter(next, true);
            }
        } else if (offset > 0) {
            c.offset = offset - 1;
            c.p = Listpack.seek(n.buf, 0, c.offset);
        } else {
            c.enter(prev, false);
        }
    }

    /** Inserts a value before or after the element under the cursor (Redis's _quicklistInsert); the cursor is spent. */
    public void insert(Cursor c, boolean after, byte[] v, int off, int len) {
        Node node = c.node;
        int offset = c.offset;
        boolean full = !allowInsert(node, len);
        boolean atTail = false, atHead = false, availNext = false, availPrev = false;
        if (after && offset == node.count - 1) {
            atTail = true;
            availNext = allowInsert(node.next, len);
        }
        if (!after && offset == 0) {
            atHead = true;
            availPrev = allowInsert(node.prev, len);
        }
        c.node = null;
        if (isLarge(len, fill)) {
            if (node.plain || (atTail && after) || (atHead && !after)) {
                linkNode(node, Node.plainOf(v, off, len), after);
            } else {
                Node rest = split(node, offset, after);
                Node entry = Node.plainOf(v, off, len);
                linkNode(node, entry, after);
                linkNode(entry, rest, after);
            }
            return;
        }
        if (!full) {
            long cnt = node.count, cap = node.capacity();
            node.insert(c.p, after ? Listpack.AFTER : Listpack.BEFORE, v, off, len);
            edited(node, cnt, cap);
        } else if (atTail && availNext && after) {
            pushInto(node.next, true, v, off, len);
        } else if (atHead && availPrev && !after) {
            pushInto(node.prev, false, v, off, len);
        } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
            Node n = Node.emptyPacked();
            n.push(true, v, off, len);
            linkNode(node, n, after);
        } else {
            Node n = split(node, offset, after);
            n.push(after, v, off, len);
            linkNode(node, n, after);
            mergeAround(node);
        }
    }

    /**
     * Splits a packed, linked node (Redis's _quicklistSplitNode): with {@code after} the node keeps
     * entries [0, offset] and the returned (unlinked) node gets the rest; otherwise the returned
     * node gets [0, offset) and the node keeps the rest.
     */
    private Node split(Node node, int offset, boolean after) {
        Node n = new Node();
        n.buf = java.util.Arrays.copyOf(node.buf, node.sz);
        n.sz = node.sz;
        n.count = node.count;
        long cnt = node.count, cap = node.capacity();
        if (after) {
            node.deleteRange(offset + 1, Integer.MAX_VALUE);
            n.deleteRange(0, offset + 1);
        } else {
            node.deleteRange(0, offset);
            n.deleteRange(offset, Integer.MAX_VALUE);
        }
        edited(node, cnt, cap); // the elements that moved come back when the new node is linked
        return n;
    }

    /** Merges two adjacent packed nodes ({@code a} before {@code b}) into {@code a}; returns it. */
    private Node merge(Node a, Node b) {
        long cnt = a.count, cap = a.capacity();
        int aEntries = a.sz - Listpack.EMPTY_SIZE, bEntries = b.sz - Listpack.EMPTY_SIZE;
        int size = a.sz + bEntries;
        a.ensure(size);
        System.arraycopy(b.buf, Listpack.HEADER_SIZE, a.buf, Listpack.HEADER_SIZE + aEntries, bEntries + 1);
        a.sz = size;
        a.count += b.count;
        Bytes.putInt(a.buf, 0, size);
        Bytes.putU16(a.buf, 4, Math.min(Listpack.COUNT_UNKNOWN, a.count));
        unlinkNode(b);
        edited(a, cnt, cap);
        return a;
    }

    /** Redis's _quicklistMergeNodes: tries the pairs around {@code center}; returns the node it ended in. */
    private Node mergeAround(Node center) {
        Node prev = center.prev, prevPrev = prev == null ? null : prev.prev;
        Node next = center.next, nextNext = next == null ? null : next.next;
        if (allowMerge(prev, prevPrev)) merge(prevPrev, prev);
        if (allowMerge(next, nextNext)) merge(next, nextNext);
        Node target = center;
        if (allowMerge(center, center.prev)) target = merge(center.prev, center);
        if (allowMerge(target, target.next)) target = merge(target, target.next);
        return target;
    }

    /** Replaces the element at {@code index} (Redis's quicklistReplaceAtIndex); false when out of range. */
    public boolean replace(long index, byte[] v, int off, int len) {
        Cursor c = seek(index, new Cursor());
        if (!c.valid()) return false;
        Node node = c.node;
        boolean large = isLarge(len, fill);
        if (!node.plain && !large) {
            long cnt = node.count, cap = node.capacity();
            node.replace(c.p, v, off, len);
            edited(node, cnt, cap);
        } else if (node.plain) {
            if (large) {
                long cap = node.capacity();
                node.buf = java.util.Arrays.copyOfRange(v, off, off + len);
                node.sz = len;
                memory += node.capacity() - cap;
            } else {
                insert(c, true, v, off, len);
                unlinkNode(node);
            }
        } else {
            // A large element inside a packed node: it goes to a plain node of its own after the
            // split-off head of the node, and the old element leaves.
            Node rest = c.offset != node.count - 1 ? split(node, c.offset, true) : null;
            Node entry = Node.plainOf(v, off, len);
            linkNode(node, entry, true);
            if (rest != null) linkNode(entry, rest, true);
            if (node.count == 1) {
                unlinkNode(node);
            } else {
                deleteEntry(node, Listpack.last(node.buf, 0));
                mergeAround(entry);
            }
        }
        return true;
    }

    /**
     * Deletes {@code num} elements from {@code start} (negative counts from the tail), clamped to
     * the list (Redis's quicklistDelRange).
     */
    public void deleteRange(long start, long num) {
        if (num <= 0) return;
        long extent = num;
        if (start >= 0 && extent > count - start) extent = count - start;
        else if (start < 0 && extent > -start) extent = -start;
        Cursor c = seek(start, new Cursor());
        if (!c.valid()) return;
        Node node = c.node;
        int offset = c.offset;
        while (extent > 0) {
            Node next = node.next;
            long del = Math.min(node.count - offset, extent);
            if ((offset == 0 && del == node.count) || node.plain) {
                unlinkNode(node);
            } else {
                long cnt = node.count, cap = node.capacity();
                node.deleteRange(offset, (int) del);
                edited(node, cnt, cap);
                if (node.count == 0) unlinkNode(node);
            }
            extent -= del;
            node = next;
            offset = 0;
        }
    }

    // ------------------------------------------------------------ elements

    /**
     * An element as found (bytes in some buffer, or a listpack integer), or a value to look for
     * (then {@link #prepareNeedle} has parsed it once). Reused, not kept.
     */
    public static final class Element {
        public byte[] buf;
        public int off, len;
        public boolean isInt;
        public long num;
        private final long[] parsed = new long[1];

        public void set(byte[] b, int o, int l) {
            buf = b;
            off = o;
            len = l;
            isInt = false;
        }

        /** Reads the listpack entry at {@code p}. */
        public void entry(byte[] lp, int p) {
            if (Listpack.isInt(lp, p)) {
                isInt = true;
                num = Listpack.getInt(lp, p);
            } else {
                set(lp, Listpack.strOffset(lp, p), Listpack.strLength(lp, p));
            }
        }

        /** Length of the element as a string. */
        public int length() { return isInt ? Bytes.longLength(num) : len; }

        /** The element's bytes (an integer's decimal), as a new array. */
        public byte[] toBytes() {
            if (isInt) return Bytes.decimal(num);
            return java.util.Arrays.copyOfRange(buf, off, off + len);
        }

        /**
         * Makes this a needle for the value {@code v[off, off+len)}: the bytes are kept, and whether
         * they are the canonical decimal of an integer is worked out once.
         */
        public Element prepareNeedle(byte[] v, int o, int l) {
            buf = v;
            off = o;
            len = l;
            isInt = Bytes.parseLong(v, o, l, parsed);
            num = parsed[0];
            return this;
        }

        /** As Redis's lpCompare: an integer entry matches a needle that is its canonical decimal. */
        public boolean equalsEntry(byte[] lp, int p) {
            if (Listpack.isInt(lp, p)) return isInt && Listpack.getInt(lp, p) == num;
            return Bytes.equals(lp, Listpack.strOffset(lp, p), Listpack.strLength(lp, p), buf, off, len);
        }
    }
}
