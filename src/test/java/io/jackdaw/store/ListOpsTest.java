package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.Quicklist;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ListOps} against a plain list model, checking Redis 7.2's two conversion rules after
 * every write: a listpack becomes a quicklist exactly when the bytes it has plus the raw bytes
 * being added (or its count plus the elements added) pass the limit; a quicklist left by a
 * shrinking write becomes a listpack exactly when it is one packed node within half the limit.
 */
class ListOpsTest {
    Keyspace ks;
    Database db;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(1, 4);
        db = new Database(ks).at(0, 1_000);
    }

    static byte[] b(String s) { return Bytes.utf8(s); }

    ListOps.Writer open(String key, int fill) {
        byte[] k = b(key);
        return ListOps.open(db, k, 0, k.length, fill, 0);
    }

    int type(String key) {
        byte[] k = b(key);
        return db.findNoTouch(k, 0, k.length) ? db.type() : -1;
    }

    List<String> contents(String key) {
        byte[] k = b(key);
        if (!db.findNoTouch(k, 0, k.length)) return List.of();
        List<String> out = new ArrayList<>();
        Quicklist.Element e = new Quicklist.Element();
        for (ListOps.Iter it = ListOps.iterAt(db, 0, new ListOps.Iter()); it.valid(); it.step(true)) {
            it.read(e);
            out.add(new String(e.toBytes()));
        }
        assertThat(ListOps.length(db)).isEqualTo(out.size());
        return out;
    }

    /** The found record's listpack size and count, or the quicklist's shape. */
    record Shape(boolean listpack, long bytes, long count, int nodes, boolean headPlain, long headBytes) {}

    Shape shape(String key) {
        byte[] k = b(key);
        if (!db.findNoTouch(k, 0, k.length)) return null;
        if (db.type() == ValueType.LIST_LISTPACK) {
            return new Shape(true, db.valueLength(), Listpack.count(db.valuePage(), db.valueOffset()), 1, false, 0);
        }
        Quicklist q = (Quicklist) db.foundObject();
        Quicklist.Node h = q.headNode();
        return new Shape(false, 0, q.count(), q.nodeCount(), h.isPlain(), h.size());
    }

    static boolean convertsBack(Shape s, int fill) {
        return !s.listpack() && s.nodes() == 1 && !s.headPlain() && s.headBytes() <= Quicklist.sizeLimit(fill) / 2
                && s.count() <= Quicklist.countLimit(fill) / 2;
    }

    static String value(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> String.valueOf(rnd.nextInt(100000) - 50000);
            case 1 -> "s" + rnd.nextInt(4);
            case 2 -> "m".repeat(rnd.nextInt(200));
            case 3 -> "L".repeat(500 + rnd.nextInt(2500));
            default -> "";
        };
    }

    @Test
    void conversionRulesAgainstAModel() {
        int[] fills = {-1, -2, 0, 3, 8, 100};
        int grown = 0, shrunk = 0;
        for (int round = 0; round < 24; round++) {
            Random rnd = new Random(round);
            int fill = fills[round % fills.length];
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                Shape before = shape("l");
                ListOps.Writer w = open("l", fill);
                boolean shrinking = false;
                switch (rnd.nextInt(7)) {
                    case 0, 1, 2 -> {
                        List<String> vs = new ArrayList<>();
                        for (int i = rnd.nextInt(3); i >= 0; i--) vs.add(value(rnd));
                        long bytes = vs.stream().mapToLong(v -> b(v).length).sum();
                        w.prepareGrowth(bytes, vs.size());
                        boolean head = rnd.nextBoolean();
                        for (String v : vs) {
                            w.push(head, b(v), 0, b(v).length);
                            if (head) model.addFirst(v);
                            else model.add(v);
                        }
                        w.commit();
                        Shape after = shape("l");
                        boolean wasListpack = before == null || before.listpack();
                        if (wasListpack) {
                            long lpBytes = before == null ? Listpack.EMPTY_SIZE : before.bytes();
                            long lpCount = before == null ? 0 : before.count();
                            assertThat(after.listpack()).as("round %d step %d", round, step)
                                    .isEqualTo(!Quicklist.exceedsLimit(fill, lpBytes + bytes, lpCount + vs.size()));
                            if (!after.listpack()) grown++;
                        } else {
                            assertThat(after.listpack()).isFalse(); // growing never converts back
                        }
                        continue;
                    }
                    case 3 -> {
                        if (model.isEmpty()) continue;
                        long n = 1 + rnd.nextInt(10);
                        boolean head = rnd.nextBoolean();
                        long k = Math.min(n, model.size());
                        w.deleteRange(head ? 0 : -k, k);
                        for (long i = 0; i < k; i++) {
                            if (head) model.removeFirst();
                            else model.removeLast();
                        }
                        shrinking = true;
                    }
                    case 4 -> {
                        if (model.isEmpty()) continue;
                        String needle = model.get(rnd.nextInt(model.size()));
                        long count = rnd.nextInt(5) - 2;
                        long removed = w.remove(count, new Quicklist.Element().prepareNeedle(b(needle), 0, b(needle).length));
                        long expected = 0;
                        if (count >= 0) {
                            for (int i = 0; i < model.size() && (count == 0 || expected < count); ) {
                                if (model.get(i).equals(needle)) {
                                    model.remove(i);
                                    expected++;
                                } else {
                                    i++;
                                }
                            }
                        } else {
                            for (int i = model.size() - 1; i >= 0 && expected < -count; i--) {
                                if (model.get(i).equals(needle)) {
                                    model.remove(i);
                                    expected++;
                                }
                            }
                        }
                        assertThat(removed).isEqualTo(expected);
                        shrinking = true;
                    }
                    case 5 -> {
                        if (model.isEmpty()) continue;
                        String v = value(rnd);
                        int i = rnd.nextInt(model.size());
                        w.prepareGrowth(b(v).length, 1);
                        assertThat(w.set(i, b(v), 0, b(v).length)).isTrue();
                        model.set(i, v);
                        shrinking = true; // LSET tries the shrinking conversion after its growing check
                    }
                    default -> {
                        if (model.isEmpty()) continue;
                        String pivot = model.get(rnd.nextInt(model.size())), v = value(rnd);
                        boolean after = rnd.nextBoolean();
                        w.prepareGrowth(b(v).length, 1);
                        assertThat(w.insert(new Quicklist.Element().prepareNeedle(b(pivot), 0, b(pivot).length), after,
                                b(v), 0, b(v).length)).isTrue();
                        int at = model.indexOf(pivot);
                        model.add(after ? at + 1 : at, v);
                        w.commit();
                        continue;
                    }
                }
                if (shrinking) {
                    // The state the write left, before the conversion: a quicklist stays one exactly
                    // when it does not meet the condition.
                    Shape mid = null;
                    if (w.length() > 0 && !w.isListpack()) {
                        w.commit();
                        mid = shape("l");
                        w = open("l", fill);
                    }
                    if (w.length() > 0) w.shrunk();
                    w.commit();
                    Shape after = shape("l");
                    if (model.isEmpty()) {
                        assertThat(after).isNull();
                    } else if (mid != null) {
                        assertThat(after.listpack()).as("round %d step %d", round, step).isEqualTo(convertsBack(mid, fill));
                        if (after.listpack()) shrunk++;
                    }
                }
                assertThat(contents("l")).as("round %d step %d", round, step).isEqualTo(model);
            }
            byte[] k = b("l");
            if (db.findNoTouch(k, 0, k.length)) db.deleteFound();
        }
        // Both conversions happened often enough for the checks to mean something.
        assertThat(grown).isGreaterThan(20);
        assertThat(shrunk).isGreaterThan(15);
    }

    @Test
    void moveKeepsTheExpiryAndAnEmptyListHasNoKey() {
        ListOps.Writer w = open("l", -2);
        w.push(false, b("a"), 0, 1);
        w.commit();
        byte[] k = b("l");
        db.find(k, 0, k.length);
        db.setExpireFound(5_000);
        w = open("l", -2);
        w.push(true, b("b"), 0, 1);
        w.commit();
        db.find(k, 0, k.length);
        assertThat(db.expireAt()).isEqualTo(5_000);
        w = open("l", -2);
        assertThat(new String(w.pop(true))).isEqualTo("b");
        assertThat(new String(w.pop(false))).isEqualTo("a");
        w.commit();
        assertThat(type("l")).isEqualTo(-1);
        byte[] s = b("s");
        db.put(s, 0, 1, ValueType.STRING_RAW, b("x"), 0, 1, -1);
        assertThat(open("s", -2)).isNull();
    }

    @Test
    void integersPoppedFromAQuicklistAreFlagged() {
        ListOps.Writer w = open("q", 1);
        w.prepareGrowth(10, 3);
        for (String v : List.of("12345", "abc", "7")) w.push(false, b(v), 0, b(v).length);
        w.commit();
        assertThat(type("q")).isEqualTo(ValueType.LIST_QUICKLIST);
        w = open("q", 1);
        w.pop(true);
        assertThat(w.poppedQuicklistInt()).isTrue();
        w.pop(true);
        assertThat(w.poppedQuicklistInt()).isFalse();
        ListOps.Writer lp = open("p", -2);
        lp.push(false, b("5"), 0, 1);
        lp.pop(true);
        assertThat(lp.poppedQuicklistInt()).isFalse(); // a listpack hands on a string object
    }
}
