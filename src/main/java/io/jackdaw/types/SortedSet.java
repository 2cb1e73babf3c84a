package io.jackdaw.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A large sorted set: a skip list ordered by (score, member bytes unsigned), whose links carry
 * spans so that rank look-ups and by-rank access are O(log n), plus an open-addressing index
 * member -> node for O(1) score look-ups. The same design as Redis's zset (skiplist + dict), so
 * complexity, tie order and ZSCAN's cursor behave as there.
 *
 * <pre>
 *  header ─L2──────────────► c ─────────────► null      span = elements a link jumps over
 *  header ─L1──► a ────────► c ──► d ───────► null
 *  header ─L0──► a ──► b ──► c ──► d ──► e ─► null      backward links at L0 only
 *  index  Node[] slots, linear probing by member hash, backward-shift delete
 * </pre>
 */
public final class SortedSet implements ValueObject {
    private static final int MAX_LEVEL = 32;
    private static final int MIN_CAPACITY = 8;

    /** One member. The skip list owns it; callers read it and must not keep it past an edit. */
    public static final class Node {
        final byte[] member;
        double score;
        final int hash;
        Node backward;
        final Node[] forward;
        final int[] span;

        Node(byte[] member, double score, int hash, int level) {
            this.member = member;
            this.score = score;
            this.hash = hash;
            this.forward = new Node[level];
            this.span = new int[level];
        }

        public byte[] member() { return member; }

        public double score() { return score; }
    }

    /** Tests a node against one bound; must hold for a prefix of the order and fail after it. */
    public interface Prefix {
        boolean holds(Node n);
    }

    private final Node header = new Node(null, 0, 0, MAX_LEVEL);
    private Node tail;
    private int level = 1;
    private int length;
    private Node[] slots = new Node[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private long nodeBytes;
    // Scratch for inserts and deletes (the structure is used by one thread at a time).
    private final Node[] update = new Node[MAX_LEVEL];
    private final int[] rank = new int[MAX_LEVEL];

    public int size() { return length; }

    public Node first() { return header.forward[0]; }

    public Node last() { return tail; }

    public static Node next(Node n) { return n.forward[0]; }

    public static Node prev(Node n) { return n.backward; }

    private static int hash(byte[] b, int off, int len) { return (int) (Bytes.hash(b, off, len) >>> 32); }

    /** The order of the skip list: score, then member bytes (shorter first on a common prefix). */
    private static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    // ------------------------------------------------------------ look-ups

    /** The node of a member, or null. */
    public Node find(byte[] m, int off, int len) {
        int h = hash(m, off, len);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Node n = slots[i];
            if (n == null) return null;
            if (n.hash == h && Arrays.equals(n.member, 0, n.member.length, m, off, off + len)) return n;
        }
    }

    /** 0-based rank of a node in the set. */
    public long rank(Node target) {
        long r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, target.score, target.member) <= 0) {
                r += x.span[i];
                x = x.forward[i];
            }
            if (x == target) return r - 1;
        }
        throw new IllegalStateException("node not in the skip list");
    }

    /** The node at a 0-based rank, or null past the end. */
    public Node byRank(long r) {
        if (r < 0 || r >= length) return null;
        long wanted = r + 1, traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= wanted) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == wanted) return x;
        }
        return null;
    }

    /** How many nodes from the first on satisfy {@code p} (a range bound's position). */
    public long prefixLength(Prefix p) {
        long r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && p.holds(x.forward[i])) {
                r += x.span[i];
                x = x.forward[i];
            }
        }
        return r;
    }

    // ------------------------------------------------------------ edits

    private static int randomLevel() {
        int l = 1;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while ((rnd.nextInt() & 0xFFFF) < (int) (0.25 * 0xFFFF)) l++;
        return Math.min(l, MAX_LEVEL);
    }

    /** Adds a member that is not in the set yet (the bytes are copied). */
    public Node insert(byte[] m, int off, int len, double score) {
        byte[] member = Arrays.copyOfRange(m, off, off + len);
        Node n = link(member, score, hash(m, off, len));
        if ((length + 1L) * 4 > slots.length * 3L) resize(slots.length * 2);
        int i = n.hash & mask;
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = n;
        length++;
        nodeBytes += nodeBytes(n);
        return n;
    }

    private Node link(byte[] member, double score, int h) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span[i] = length;
            }
            level = lvl;
        }
        Node n = new Node(member, score, h, lvl);
        for (int i = 0; i < lvl; i++) {
            n.forward[i] = update[i].forward[i];
            update[i].forward[i] = n;
            n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = rank[0] - rank[i] + 1;
        }
        for (int i = lvl; i < level; i++) update[i].span[i]++;
        n.backward = update[0] == header ? null : update[0];
        if (n.forward[0] != null) n.forward[0].backward = n;
        else tail = n;
        return n;
    }

    /** Unlinks a node from the skip list (not from the index). */
    private void unlink(Node target) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && x.forward[i] != target
                    && compare(x.forward[i].score, x.forward[i].member, target.score, target.member) < 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == target) {
                update[i].span[i] += target.span[i] - 1;
                update[i].forward[i] = target.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (target.forward[0] != null) target.forward[0].backward = target.backward;
        else tail = target.backward;
        while (level > 1 && header.forward[level - 1] == null) level--;
    }

    /** Changes a member's score, moving it only when its place changes (as Redis's zslUpdateScore). */
    public Node updateScore(Node n, double score) {
        if ((n.backward == null || n.backward.score < score) && (n.forward[0] == null || n.forward[0].score > score)) {
            n.score = score;
            return n;
        }
        unlink(n);
        nodeBytes -= nodeBytes(n);
        length--; // link() sizes a new top level's header span by the nodes in the list
        Node moved = link(n.member, score, n.hash);
        length++;
        nodeBytes += nodeBytes(moved);
        slots[slotOf(n)] = moved;
        return moved;
    }

    /** Removes a member; false when absent. */
    public boolean remove(byte[] m, int off, int len) {
        Node n = find(m, off, len);
        if (n == null) return false;
        remove(n);
        return true;
    }

    /** Removes a node of this set. */
    public void remove(Node n) {
        unlink(n);
        removeSlot(slotOf(n));
        length--;
        nodeBytes -= nodeBytes(n);
    }

    private int slotOf(Node n) {
        int i = n.hash & mask;
        while (slots[i] != n) i = (i + 1) & mask;
        return i;
    }

    private void removeSlot(int s) {
        int i = s, j = s;
        while (true) {
            j = (j + 1) & mask;
            Node w = slots[j];
            if (w == null) break;
            int home = w.hash & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                slots[i] = w;
                i = j;
            }
        }
        slots[i] = null;
        if (slots.length > MIN_CAPACITY && length * 8L < slots.length) resize(slots.length / 2);
    }

    private void resize(int capacity) {
        Node[] s = new Node[capacity];
        int m = capacity - 1;
        for (Node n : slots) {
            if (n == null) continue;
            int i = n.hash & m;
            while (s[i] != null) i = (i + 1) & m;
            s[i] = n;
        }
        slots = s;
        mask = m;
    }

    // ------------------------------------------------------------ ZSCAN

    /** Sees the members of one bucket during a scan. */
    public interface NodeVisitor {
        void visit(Node n);
    }

    /** Visits the members whose home slot is the cursor's bucket; the next cursor, 0 when done (as FieldMap). */
    public long scanBucket(long cursor, NodeVisitor v) {
        int m = mask;
        int home = (int) (cursor & m);
        int i = home;
        do {
            Node n = slots[i];
            if (n == null) break;
            if ((n.hash & m) == home) v.visit(n);
            i = (i + 1) & m;
        } while (i != home);
        return ScanCursor.next(cursor, m);
    }

    // ------------------------------------------------------------ ValueObject

    private static long nodeBytes(Node n) {
        // Node object, two arrays of its level, the member array (16-byte headers, 4-byte refs).
        return 48 + 2L * (16 + 4L * n.forward.length) + 16 + n.member.length + 4;
    }

    @Override public long memoryBytes() { return 128 + nodeBytes + 4L * slots.length; }

    /** A copy sharing nothing, built from the tail so each insert lands at the head (as Redis's zsetDup). */
    @Override public SortedSet duplicate() {
        SortedSet c = new SortedSet();
        for (Node n = tail; n != null; n = n.backward) c.insert(n.member, 0, n.member.length, n.score);
        return c;
    }
}
