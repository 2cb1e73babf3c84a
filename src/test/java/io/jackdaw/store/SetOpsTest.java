package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.store.SetOps.Member;
import io.jackdaw.store.SetOps.SetValue;
import io.jackdaw.types.Bytes;
import io.jackdaw.types.Intset;
import io.jackdaw.types.Listpack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SetOps} against a model: members against a plain set, encodings against Redis 7.2's
 * rules written out independently here, and the compact bytes against what {@link Intset} and
 * {@link Listpack} build from the members in the expected order.
 */
class SetOpsTest {
    static final SetOps.Limits LIMITS = new SetOps.Limits(6, 4, 5);
    Keyspace ks;
    Database db;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(1, 4);
        db = new Database(ks).at(0, 1_000);
    }

    static byte[] b(String s) { return Bytes.utf8(s); }

    static boolean isInteger(String s) {
        byte[] v = b(s);
        return Bytes.parseLong(v, 0, v.length, new long[1]);
    }

    static List<String> members(SetValue s) {
        List<String> out = new ArrayList<>();
        s.forEach(m -> out.add(new String(m.toBytes())));
        assertThat(s.size()).isEqualTo(out.size());
        return out;
    }

    /**
     * The model: members in the order Redis keeps them (ascending for an intset, insertion order
     * for a listpack, no order for a table) and the encoding Redis 7.2 gives after each edit.
     */
    static final class Model {
        final SetOps.Limits l;
        int encoding;
        List<String> order = new ArrayList<>();

        Model(SetOps.Limits l, int encoding) {
            this.l = l;
            this.encoding = encoding;
        }

        boolean add(String v) {
            if (order.contains(v) || (isInteger(v) && order.stream().anyMatch(o -> isInteger(o) && Long.parseLong(o) == Long.parseLong(v))))
                return false;
            switch (encoding) {
                case ValueType.SET_INTSET -> {
                    if (isInteger(v)) {
                        order.add(v);
                        order.sort((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y)));
                        if (order.size() > l.intsetEntries()) encoding = ValueType.SET_TABLE;
                    } else {
                        long longest = order.stream().mapToLong(String::length).max().orElse(0);
                        boolean fits = order.size() < l.listpackEntries() && v.length() <= l.listpackValue()
                                && longest <= l.listpackValue();
                        encoding = fits ? ValueType.SET_LISTPACK : ValueType.SET_TABLE;
                        order.add(v);
                    }
                }
                case ValueType.SET_LISTPACK -> {
                    if (order.size() >= l.listpackEntries() || v.length() > l.listpackValue()) encoding = ValueType.SET_TABLE;
                    order.add(v);
                }
                default -> order.add(v);
            }
            return true;
        }

        boolean remove(String v) {
            return order.removeIf(o -> o.equals(v) || (isInteger(o) && isInteger(v) && Long.parseLong(o) == Long.parseLong(v)));
        }

        void check(SetValue s) {
            assertThat(s.encoding()).as("encoding of %s", order).isEqualTo(encoding);
            List<String> got = members(s);
            if (encoding == ValueType.SET_TABLE) assertThat(got).containsExactlyInAnyOrderElementsOf(order);
            else assertThat(got).containsExactlyElementsOf(order);
        }
    }

    @Test
    void randomEditsFollowTheModelThroughEveryEncoding() {
        Random rnd = new Random(42);
        String[] pool = {"0", "1", "-1", "7", "300", "-70000", "9223372036854775807", "-9223372036854775808", "12",
                "01", "a", "bb", "abcde", "abcdef", "", "-0", "1.5", "x", "y", "z"};
        int conversions = 0;
        for (int round = 0; round < 400; round++) {
            String first = pool[rnd.nextInt(pool.length)];
            int hint = 1 + rnd.nextInt(8);
            SetValue s = SetOps.create(LIMITS, b(first), 0, b(first).length, hint);
            int expected = isInteger(first) && hint <= LIMITS.intsetEntries() ? ValueType.SET_INTSET
                    : hint <= LIMITS.listpackEntries() ? ValueType.SET_LISTPACK : ValueType.SET_TABLE;
            Model m = new Model(LIMITS, expected);
            m.check(s);
            for (int step = 0; step < 30; step++) {
                String v = pool[rnd.nextInt(pool.length)];
                int before = m.encoding;
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> assertThat(s.add(b(v), 0, b(v).length)).isEqualTo(m.add(v));
                    case 2 -> {
                        if (isInteger(v)) assertThat(s.addInt(Long.parseLong(v))).isEqualTo(m.add(v));
                        else assertThat(s.add(b(v), 0, b(v).length)).isEqualTo(m.add(v));
                    }
                    default -> assertThat(s.remove(b(v), 0, b(v).length)).isEqualTo(m.remove(v));
                }
                if (m.encoding != before) conversions++;
                m.check(s);
                for (String p : pool) {
                    boolean in = m.order.contains(p) || (isInteger(p) && m.order.stream().anyMatch(
                            o -> isInteger(o) && Long.parseLong(o) == Long.parseLong(p)));
                    assertThat(s.contains(b(p), 0, b(p).length)).as("contains %s", p).isEqualTo(in);
                }
                checkBytes(s, m);
            }
        }
        assertThat(conversions).isGreaterThan(100);
    }

    /** The compact encodings hold exactly the bytes Intset and Listpack build from the members in order. */
    static void checkBytes(SetValue s, Model m) {
        Database scratch = new Database(new Keyspace(1, 1)).at(0, 0);
        if (s.size() == 0) return;
        byte[] k = b("k");
        s.storeAs(scratch, k, 0, 1, -1);
        assertThat(scratch.find(k, 0, 1)).isTrue();
        byte[] stored = Arrays.copyOfRange(scratch.valuePage(), scratch.valueOffset(), scratch.valueOffset() + scratch.valueLength());
        if (m.encoding == ValueType.SET_INTSET) {
            assertThat(scratch.type()).isEqualTo(ValueType.SET_INTSET);
            // Redis never narrows an intset, so only the values are model-checked; the width is at least what they need.
            assertThat(Intset.length(stored, 0)).isEqualTo(m.order.size());
            for (int i = 0; i < m.order.size(); i++) assertThat(Intset.get(stored, 0, i)).isEqualTo(Long.parseLong(m.order.get(i)));
        } else if (m.encoding == ValueType.SET_LISTPACK) {
            assertThat(scratch.type()).isEqualTo(ValueType.SET_LISTPACK);
            assertThat(stored).isEqualTo(Listpack.of(m.order.stream().map(SetOpsTest::b).toList()));
        } else {
            assertThat(scratch.type()).isEqualTo(ValueType.SET_TABLE);
        }
    }

    @Test
    void createAndMaybeConvertFollowTheSizeHint() {
        assertThat(SetOps.create(LIMITS, b("5"), 0, 1, 6).encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(SetOps.create(LIMITS, b("5"), 0, 1, 7).encoding()).isEqualTo(ValueType.SET_TABLE);
        assertThat(SetOps.create(LIMITS, b("5"), 0, 1, 4).encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(SetOps.create(LIMITS, b("a"), 0, 1, 4).encoding()).isEqualTo(ValueType.SET_LISTPACK);
        assertThat(SetOps.create(LIMITS, b("a"), 0, 1, 5).encoding()).isEqualTo(ValueType.SET_TABLE);
        // A long first member still starts a listpack; adding it then makes the table.
        SetValue s = SetOps.create(LIMITS, b("abcdefgh"), 0, 8, 1);
        assertThat(s.encoding()).isEqualTo(ValueType.SET_LISTPACK);
        s.add(b("abcdefgh"), 0, 8);
        assertThat(s.encoding()).isEqualTo(ValueType.SET_TABLE);

        SetValue lp = SetOps.newListpack(LIMITS);
        lp.add(b("a"), 0, 1);
        lp.maybeConvert(4);
        assertThat(lp.encoding()).isEqualTo(ValueType.SET_LISTPACK);
        lp.maybeConvert(5);
        assertThat(lp.encoding()).isEqualTo(ValueType.SET_TABLE);
        assertThat(members(lp)).containsExactly("a");
        SetValue is = SetOps.newIntset(LIMITS);
        is.addInt(3);
        is.maybeConvert(6);
        assertThat(is.encoding()).isEqualTo(ValueType.SET_INTSET);
        is.maybeConvert(7);
        assertThat(is.encoding()).isEqualTo(ValueType.SET_TABLE);
        assertThat(members(is)).containsExactly("3");
    }

    @Test
    void anIntsetWithWideValuesBecomesATableForAString() {
        // set-max-listpack-value 5: "123456" is too long to be a listpack entry as a string.
        SetValue s = SetOps.newIntset(LIMITS);
        s.addInt(123456);
        s.add(b("a"), 0, 1);
        assertThat(s.encoding()).isEqualTo(ValueType.SET_TABLE);
        s = SetOps.newIntset(LIMITS);
        s.addInt(-1234);
        s.add(b("a"), 0, 1);
        assertThat(s.encoding()).isEqualTo(ValueType.SET_LISTPACK);
        assertThat(members(s)).containsExactly("-1234", "a");
    }

    @Test
    void savedEditsKeepTheKeyAndItsExpiryAndAnEmptySetIsDeleted() {
        byte[] k = b("s");
        SetValue s = SetOps.create(LIMITS, b("1"), 0, 1, 1);
        s.addInt(1);
        s.storeAs(db, k, 0, 1, 5_000);
        for (String v : List.of("2", "a", "b", "c", "d", "e")) {
            assertThat(db.find(k, 0, 1)).isTrue();
            SetValue f = SetOps.found(db, LIMITS, k, 0, 1);
            assertThat(f.add(b(v), 0, v.length())).isTrue();
            f.save(db);
            assertThat(db.find(k, 0, 1)).isTrue();
            assertThat(db.expireAt()).isEqualTo(5_000);
        }
        assertThat(db.type()).isEqualTo(ValueType.SET_TABLE);
        // An edit of the table in place, then the last members go and the key with them.
        for (String v : List.of("1", "2", "a", "b", "c", "d", "e")) {
            assertThat(db.find(k, 0, 1)).isTrue();
            SetValue f = SetOps.found(db, LIMITS, k, 0, 1);
            assertThat(f.remove(b(v), 0, v.length())).isTrue();
            f.save(db);
        }
        assertThat(db.find(k, 0, 1)).isFalse();
    }

    // ------------------------------------------------------------ algebra

    static SetValue setOf(String... members) {
        SetValue s = SetOps.create(LIMITS, b(members[0]), 0, b(members[0]).length, members.length);
        for (String m : members) s.add(b(m), 0, b(m).length);
        return s;
    }

    @Test
    void intersectionVisitsTheSmallestSetInItsOrderUpToALimit() {
        SetValue big = setOf("e", "d", "c", "b", "a"); // a table (more than 4)
        SetValue small = setOf("c", "a", "x");          // a listpack, smallest: its order leads
        SetValue[] sets = {big, small};
        List<String> out = new ArrayList<>();
        assertThat(SetOps.intersect(sets, 0, m -> out.add(new String(m.toBytes())))).isEqualTo(2);
        assertThat(out).containsExactly("c", "a");
        assertThat(SetOps.intersect(new SetValue[] {big, small}, 1, m -> {})).isEqualTo(1);
        // The same object twice is not probed against itself.
        assertThat(SetOps.intersect(new SetValue[] {small, small}, 0, m -> {})).isEqualTo(3);
    }

    @Test
    void intersectStoreEncodingsAsRedis72() {
        // The smallest an intset: an intset.
        SetValue r = SetOps.intersectStore(new SetValue[] {setOf("1", "2", "3"), setOf("3", "2", "a")}, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(members(r)).containsExactly("2", "3");
        // Listpacks whose common members are integers: an intset at the end.
        r = SetOps.intersectStore(new SetValue[] {setOf("a", "5", "1"), setOf("1", "5", "b")}, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(members(r)).containsExactly("1", "5");
        // A string among them: a listpack in the smallest set's order.
        r = SetOps.intersectStore(new SetValue[] {setOf("a", "5", "1"), setOf("1", "a", "5", "q")}, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_LISTPACK);
        assertThat(members(r)).containsExactly("a", "5", "1");
        // Two tables of integers: members come as strings, join as integers, end as an intset.
        SetValue t1 = SetOps.newTable(LIMITS), t2 = SetOps.newTable(LIMITS);
        for (String v : List.of("10", "20", "30", "x")) t1.add(b(v), 0, v.length());
        for (String v : List.of("30", "10", "y")) t2.add(b(v), 0, v.length());
        r = SetOps.intersectStore(new SetValue[] {t1, t2}, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(members(r)).containsExactly("10", "30");
    }

    @Test
    void unionStartsAsAnIntsetAndConvertsOnTheWay() {
        SetValue r = SetOps.unionOrDiff(new SetValue[] {setOf("3", "1"), null, setOf("2", "1")}, false, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_INTSET);
        assertThat(members(r)).containsExactly("1", "2", "3");
        r = SetOps.unionOrDiff(new SetValue[] {setOf("3", "b"), setOf("1", "a")}, false, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_LISTPACK);
        // "b" turns the result's intset {3} into a listpack; the rest is appended.
        assertThat(members(r)).containsExactly("3", "b", "1", "a");
        r = SetOps.unionOrDiff(new SetValue[] {setOf("a", "b", "c"), setOf("d", "e")}, false, LIMITS);
        assertThat(r.encoding()).isEqualTo(ValueType.SET_TABLE);
        assertThat(members(r)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    }

    @Test
    void differenceByEitherAlgorithm() {
        // Probing (first set small against the work of removing): first set's order kept.
        SetValue first = setOf("c", "a", "b");
        SetValue r = SetOps.unionOrDiff(new SetValue[] {first, setOf("a"), null, setOf("z", "y")}, true, LIMITS);
        assertThat(members(r)).containsExactly("c", "b");
        // Removing (first set large against small others): the same members.
        SetValue large = SetOps.newTable(LIMITS);
        for (int i = 0; i < 20; i++) large.add(b("m" + i), 0, b("m" + i).length);
        r = SetOps.unionOrDiff(new SetValue[] {large, setOf("m1"), setOf("m2"), setOf("zz")}, true, LIMITS);
        assertThat(new HashSet<>(members(r))).hasSize(18).doesNotContain("m1", "m2");
        assertThat(r.encoding()).isEqualTo(ValueType.SET_TABLE);
        // The first set named again, or absent: empty.
        assertThat(SetOps.unionOrDiff(new SetValue[] {first, setOf("q"), first}, true, LIMITS).size()).isZero();
        assertThat(SetOps.unionOrDiff(new SetValue[] {null, first}, true, LIMITS).size()).isZero();
        // Everything removed stops the walk early and leaves an empty intset.
        assertThat(SetOps.unionOrDiff(new SetValue[] {setOf("1"), setOf("1", "2", "3", "4", "5", "6")}, true, LIMITS)
                .size()).isZero();
    }

    @Test
    void randomAccessAndBatchRemovalInEveryEncoding() {
        Random rnd = new Random(3);
        for (String[] members : List.of(new String[] {"5", "1", "3", "9"}, new String[] {"a", "1", "b", "c"},
                new String[] {"a", "b", "c", "d", "e", "f", "g"})) {
            SetValue s = setOf(members);
            List<String> order = members(s);
            Member m = new Member();
            for (int i = 0; i < order.size(); i++) {
                s.at(i, m);
                assertThat(new String(m.toBytes())).isEqualTo(order.get(i));
            }
            int[] picked = SetOps.sampleIndexes(order.size(), 2, rnd);
            assertThat(picked).hasSize(2).isSorted();
            Set<String> expected = new LinkedHashSet<>(order);
            for (int i : picked) expected.remove(order.get(i));
            s.removeIndexes(picked);
            assertThat(members(s)).containsExactlyInAnyOrderElementsOf(expected);
            if (s.encoding() != ValueType.SET_TABLE) assertThat(members(s)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void sampleIndexesIsAUniformSubset() {
        Random rnd = new Random(11);
        int[] hits = new int[10];
        for (int round = 0; round < 20_000; round++) {
            int[] p = SetOps.sampleIndexes(10, 3, rnd);
            assertThat(new TreeSet<>(Arrays.stream(p).boxed().toList())).hasSize(3);
            for (int i : p) hits[i]++;
        }
        // Each index is in 3/10 of the samples: 6000, give or take a few percent.
        for (int h : hits) assertThat(h).isBetween(5600, 6400);
        assertThat(SetOps.sampleIndexes(4, 9, rnd)).containsExactly(0, 1, 2, 3);
    }
}
