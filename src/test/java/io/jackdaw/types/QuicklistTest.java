package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Quicklist} against a plain list model: random pushes, pops, inserts, replaces, range
 * and cursor deletes under several fills (and with the plain-node test threshold), checking
 * after every step the elements both ways, random seeks, the node chain's bookkeeping (counts,
 * sizes, links, memory) and that every node built by pushes keeps within its fill.
 */
class QuicklistTest {
    @AfterEach
    void resetThreshold() { Quicklist.setPackedThreshold(0); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String read(Quicklist.Cursor c) {
        Quicklist.Element e = new Quicklist.Element();
        c.read(e);
        return new String(e.toBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The elements walking forwards, checked against walking backwards. */
    private static List<String> contents(Quicklist q) {
        List<String> fwd = new ArrayList<>(), back = new ArrayList<>();
        for (Quicklist.Cursor c = q.seek(0, new Quicklist.Cursor()); c.valid(); c.next()) fwd.add(read(c));
        for (Quicklist.Cursor c = q.seek(-1, new Quicklist.Cursor()); c.valid(); c.prev()) back.addFirst(read(c));
        assertThat(back).isEqualTo(fwd);
        return fwd;
    }

    /** Counts, sizes, links and memory of the node chain agree with each other. */
    private static void checkChain(Quicklist q) {
        long count = 0, memory = 48;
        int nodes = 0;
        Quicklist.Node prev = null;
        for (Quicklist.Node n = q.headNode(); n != null; n = n.next) {
            assertThat(n.prev).isSameAs(prev);
            assertThat(n.count).isPositive();
            if (n.plain) {
                assertThat(n.count).isEqualTo(1);
            } else {
                assertThat(Listpack.validate(n.buf, 0, n.sz, true)).isTrue();
                assertThat(Listpack.count(n.buf, 0)).isEqualTo(n.count);
            }
            count += n.count;
            memory += n.buf.length + 48;
            nodes++;
            prev = n;
        }
        assertThat(count).isEqualTo(q.count());
        assertThat(nodes).isEqualTo(q.nodeCount());
        assertThat(memory).isEqualTo(q.memoryBytes());
    }

    private static String value(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> String.valueOf(rnd.nextInt(20000) - 10000);
            case 1 -> "x".repeat(rnd.nextInt(5));
            case 2 -> "s" + rnd.nextInt(10);
            case 3 -> "m".repeat(50 + rnd.nextInt(400));
            case 4 -> "L".repeat(1000 + rnd.nextInt(4000));
            default -> "H".repeat(4000 + rnd.nextInt(9000));
        };
    }

    @Test
    void randomOperationsAgainstAModel() {
        int[] fills = {-1, -2, -5, 1, 2, 5, 16};
        for (int round = 0; round < 28; round++) {
            Random rnd = new Random(round);
            int fill = fills[round % fills.length];
            Quicklist.setPackedThreshold(round % 4 == 3 ? 300 : 0);
            Quicklist q = new Quicklist(fill);
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                String v = value(rnd);
                byte[] vb = b(v);
                switch (rnd.nextInt(9)) {
                    case 0, 1 -> {
                        boolean head = rnd.nextBoolean();
                        q.push(head, vb, 0, vb.length);
                        if (head) model.addFirst(v);
                        else model.add(v);
                    }
                    case 2 -> {
                        if (model.isEmpty()) continue;
                        boolean head = rnd.nextBoolean();
                        q.popEnd(head);
                        if (head) model.removeFirst();
                        else model.removeLast();
                    }
                    case 3 -> {
                        if (model.isEmpty()) continue;
                        int i = rnd.nextInt(model.size());
                        boolean after = rnd.nextBoolean();
                        q.insert(q.seek(i, new Quicklist.Cursor()), after, vb, 0, vb.length);
                        model.add(after ? i + 1 : i, v);
                    }
                    case 4 -> {
                        long i = rnd.nextInt(model.size() * 2 + 2) - model.size() - 1;
                        boolean in = i >= -model.size() && i < model.size();
                        assertThat(q.replace(i, vb, 0, vb.length)).isEqualTo(in);
                        if (in) model.set((int) (i < 0 ? i + model.size() : i), v);
                    }
                    case 5 -> {
                        long start = rnd.nextInt(model.size() * 2 + 2) - model.size() - 1, num = rnd.nextInt(8);
                        q.deleteRange(start, num);
                        long from = start < 0 ? start + model.size() : start;
                        if (from >= 0 && from < model.size()) {
                            long to = Math.min(model.size(), from + num);
                            model.subList((int) from, (int) to).clear();
                        }
                    }
                    case 6 -> {
                        // Delete every element equal to a needle, walking either way (LREM's loop).
                        String needle = model.isEmpty() ? "none" : model.get(rnd.nextInt(model.size()));
                        boolean forward = rnd.nextBoolean();
                        Quicklist.Element n = new Quicklist.Element().prepareNeedle(b(needle), 0, needle.length());
                        Quicklist.Cursor c = q.seek(forward ? 0 : -1, new Quicklist.Cursor());
                        while (c.valid()) {
                            if (c.matches(n)) q.deleteAt(c, forward);
                            else if (forward) c.next();
                            else c.prev();
                        }
                        model.removeIf(needle::equals);
                    }
                    case 7 -> {
                        Quicklist d = q.duplicate();
                        checkChain(d);
                        assertThat(contents(d)).isEqualTo(model);
                        d.push(true, vb, 0, vb.length); // the copy shares nothing with the original
                    }
                    default -> {
                        for (int k = 0; k < 5 && !model.isEmpty(); k++) {
                            int i = rnd.nextInt(model.size());
                            assertThat(read(q.seek(i, new Quicklist.Cursor()))).isEqualTo(model.get(i));
                            assertThat(read(q.seek(i - model.size(), new Quicklist.Cursor()))).isEqualTo(model.get(i));
                        }
                        assertThat(q.seek(model.size(), new Quicklist.Cursor()).valid()).isFalse();
                        assertThat(q.seek(-model.size() - 1, new Quicklist.Cursor()).valid()).isFalse();
                    }
                }
                checkChain(q);
                assertThat(contents(q)).as("round %d step %d", round, step).isEqualTo(model);
            }
        }
    }

    @Test
    void pushesKeepNodesWithinTheirFill() {
        for (int fill : new int[] {-1, -2, 3}) {
            Quicklist q = new Quicklist(fill);
            Random rnd = new Random(fill);
            for (int i = 0; i < 3000; i++) {
                byte[] v = b("v".repeat(rnd.nextInt(200)));
                q.push(rnd.nextBoolean(), v, 0, v.length);
            }
            for (Quicklist.Node n = q.headNode(); n != null; n = n.next) {
                if (fill < 0) assertThat((long) n.sz).isLessThanOrEqualTo(Quicklist.sizeLimit(fill));
                else assertThat((long) n.count).isLessThanOrEqualTo(fill);
            }
            checkChain(q);
        }
    }

    @Test
    void limitsFollowTheFill() {
        assertThat(Quicklist.sizeLimit(-1)).isEqualTo(4096);
        assertThat(Quicklist.sizeLimit(-2)).isEqualTo(8192);
        assertThat(Quicklist.sizeLimit(-5)).isEqualTo(65536);
        assertThat(Quicklist.sizeLimit(-100)).isEqualTo(65536);
        assertThat(Quicklist.countLimit(0)).isEqualTo(1);
        assertThat(Quicklist.countLimit(7)).isEqualTo(7);
        // A count limit still caps a node at 8 KiB.
        assertThat(Quicklist.exceedsLimit(100, 8192, 5)).isFalse();
        assertThat(Quicklist.exceedsLimit(100, 8193, 5)).isTrue();
        assertThat(Quicklist.exceedsLimit(4, 100, 5)).isTrue();
        assertThat(Quicklist.exceedsLimit(-1, 4096, 100000)).isFalse();
        assertThat(Quicklist.exceedsLimit(-1, 4097, 1)).isTrue();
        assertThat(Quicklist.setPackedThreshold((1L << 32) - (1 << 20))).isTrue();
        assertThat(Quicklist.setPackedThreshold((1L << 32) - (1 << 20) + 1)).isFalse();
        assertThat(Quicklist.setPackedThreshold(-1)).isFalse();
    }

    @Test
    void elementsPastTheNodeLimitGetPlainNodes() {
        Quicklist q = new Quicklist(-1);
        byte[] big = b("b".repeat(4097)), small = b("s");
        q.push(false, small, 0, 1);
        q.push(false, big, 0, big.length);
        q.push(false, small, 0, 1);
        assertThat(q.nodeCount()).isEqualTo(3);
        assertThat(q.headNode().next.plain).isTrue();
        assertThat(q.headNode().next.sz).isEqualTo(4097);
        // A plain node keeps an integer-looking element as bytes; it still matches as a value.
        Quicklist.setPackedThreshold(1);
        byte[] nine = b("9");
        q.push(true, nine, 0, 1);
        assertThat(q.headNode().plain).isTrue();
        assertThat(q.seek(0, new Quicklist.Cursor()).matches(new Quicklist.Element().prepareNeedle(nine, 0, 1))).isTrue();
        assertThat(contents(q)).containsExactly("9", "s", "b".repeat(4097), "s");
    }

    /**
     * Redis's "LSET splits a quicklist node, and then merge" at small scale: replacing inside a
     * full packed node with a large element splits it, and the split-off head merges with the
     * node before it.
     */
    @Test
    void replaceWithALargeElementSplitsAndMerges() {
        Quicklist.setPackedThreshold(100);
        Quicklist q = new Quicklist(-1);
        byte[] x = b("x".repeat(99 * 20)), y = b("y".repeat(99 * 20));
        q.push(false, x, 0, x.length); // over the test threshold: a plain node
        for (String s : List.of("a", "b", "c", "d", "e", "f", "g")) q.push(true, b(s), 0, 1);
        q.push(true, y, 0, y.length);
        // [y] [g f e d c b a] [x]
        assertThat(q.nodeCount()).isEqualTo(3);
        byte[] large = b("L".repeat(200));
        q.replace(3, large, 0, large.length);
        // [y] [g f] [L] [d c b a] [x]: the head of the split node could not merge with a plain node
        assertThat(contents(q)).containsExactly(new String(y, StandardCharsets.ISO_8859_1), "g", "f", "L".repeat(200),
                "d", "c", "b", "a", new String(x, StandardCharsets.ISO_8859_1));
        assertThat(q.nodeCount()).isEqualTo(5);
        checkChain(q);
        // Replacing the last element of a node needs no split: [y] [g] [L] [L] [d c b a] [x].
        q.replace(2, large, 0, large.length);
        assertThat(q.nodeCount()).isEqualTo(6);
        assertThat(contents(q).subList(0, 4)).containsExactly(new String(y, StandardCharsets.ISO_8859_1), "g",
                "L".repeat(200), "L".repeat(200));
        checkChain(q);
    }

    @Test
    void insertNextToAFullNodeUsesTheNeighbourOrANewNode() {
        Quicklist q = new Quicklist(2);
        for (String s : List.of("a", "b", "c", "d")) q.push(false, b(s), 0, 1);
        // [a b] [c d]: after b goes to the head of the next node only if it has room; it has not.
        q.insert(q.seek(1, new Quicklist.Cursor()), true, b("x"), 0, 1);
        assertThat(contents(q)).containsExactly("a", "b", "x", "c", "d");
        assertThat(q.nodeCount()).isEqualTo(3);
        // Before "a" at the head of a full node, with no node before it: a new head node.
        q.insert(q.seek(0, new Quicklist.Cursor()), false, b("0"), 0, 1);
        assertThat(q.nodeCount()).isEqualTo(4);
        // Inside a full node: split, then the pieces merge where the fill allows.
        q.insert(q.seek(2, new Quicklist.Cursor()), false, b("m"), 0, 1);
        assertThat(contents(q)).containsExactly("0", "a", "m", "b", "x", "c", "d");
        checkChain(q);
    }

    @Test
    void adoptAndDetachCarryTheListpack() {
        byte[] lp = Listpack.of(List.of(b("a"), b("12"), b("c")));
        Quicklist.Node n = Quicklist.Node.ofListpack(lp, 0);
        Quicklist q = Quicklist.adopt(-2, 0, n);
        assertThat(q.count()).isEqualTo(3);
        assertThat(q.nodeCount()).isEqualTo(1);
        checkChain(q);
        Quicklist.Node back = q.detachOnlyNode();
        assertThat(back.toListpack()).isEqualTo(lp);
        assertThat(q.count()).isZero();
        assertThat(q.memoryBytes()).isEqualTo(48);
        assertThat(Quicklist.adopt(-2, 0, Quicklist.Node.emptyPacked()).nodeCount()).isZero();
    }
}
