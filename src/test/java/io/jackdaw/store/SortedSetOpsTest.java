package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.FieldMap;
import io.jackdaw.types.Intset;
import io.jackdaw.types.Listpack;
import io.jackdaw.types.SortedSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SortedSetOps}: encodings, conversions and the set-operation core, against plain models. */
class SortedSetOpsTest {
    static final SortedSetOps.Limits LIMITS = new SortedSetOps.Limits(6, 8);
    Keyspace ks;
    Database db;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(1, 4);
        db = new Database(ks).at(0, 1_000);
    }

    static byte[] b(String s) { return Bytes.utf8(s); }

    SortedSetOps.ZSet open(String key) {
        byte[] k = b(key);
        return SortedSetOps.open(db, k, 0, k.length, LIMITS);
    }

    /** The set's members in order with their scores, read back through a fresh look-up. */
    List<String> contents(String key) {
        byte[] k = b(key);
        if (!db.find(k, 0, k.length)) return null;
        SortedSetOps.ZSet z = SortedSetOps.found(db);
        List<String> out = new ArrayList<>();
        SortedSetOps.Entry e = new SortedSetOps.Entry();
        for (int i = 0; i < z.size(); i++) {
            z.entry(i, e);
            out.add(new String(e.toBytes()) + "=" + e.score);
        }
        return out;
    }

    int type(String key) {
        byte[] k = b(key);
        return db.find(k, 0, k.length) ? db.type() : -1;
    }

    static List<String> model(Map<String, Double> m) {
        TreeMap<String, String> sorted = new TreeMap<>((x, y) -> {
            double sx = m.get(x), sy = m.get(y);
            if (sx != sy) return Double.compare(sx, sy);
            return Arrays.compareUnsigned(b(x), b(y));
        });
        for (String k : m.keySet()) sorted.put(k, k + "=" + m.get(k));
        return new ArrayList<>(sorted.values());
    }

    @Test
    void randomEditsThroughBothEncodingsMatchAMap() {
        Random rnd = new Random(9);
        Map<String, Double> model = new HashMap<>();
        String[] members = {"a", "b", "c", "d", "e", "f", "g", "1", "-2", "10", "", "long-member-x"};
        double[] scores = {0, 1, -1, 2.5, 1e19, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 7, 0.1};
        boolean sawSkipList = false, sawListpack = false;
        for (int step = 0; step < 3000; step++) {
            String m = members[rnd.nextInt(members.length)];
            byte[] mb = b(m);
            SortedSetOps.ZSet z = open("z");
            if (!z.exists()) z.create(1, mb.length);
            if (rnd.nextInt(3) > 0) {
                double s = scores[rnd.nextInt(scores.length)];
                double[] out = new double[1];
                int flags = z.add(s, mb, 0, mb.length, 0, out);
                assertThat((flags & SortedSetOps.OUT_ADDED) != 0).isEqualTo(!model.containsKey(m));
                model.put(m, s);
            } else {
                assertThat(z.remove(mb, 0, mb.length)).isEqualTo(model.remove(m) != null);
            }
            z.commit();
            if (model.isEmpty()) {
                assertThat(type("z")).isEqualTo(-1);
                continue;
            }
            assertThat(contents("z")).isEqualTo(model(model));
            int t = type("z");
            // Past 6 members or with a member longer than 8 bytes it is a skip list; it never goes back.
            if (model.size() > 6 || model.containsKey("long-member-x")) assertThat(t).isEqualTo(ValueType.ZSET_SKIPLIST);
            sawSkipList |= t == ValueType.ZSET_SKIPLIST;
            sawListpack |= t == ValueType.ZSET_LISTPACK;
            if (t == ValueType.ZSET_SKIPLIST && rnd.nextInt(50) == 0) {
                assertThat(db.delete(b("z"), 0, 1)).isTrue();
                model.clear();
            }
            // Ranks and scores of every member.
            SortedSetOps.ZSet r = SortedSetOps.found(db);
            List<String> order = model(model);
            for (int i = 0; i < order.size(); i++) {
                String name = order.get(i).substring(0, order.get(i).lastIndexOf('='));
                assertThat(r.rank(b(name), 0, b(name).length)).isEqualTo(i);
                assertThat(r.score(b(name), 0, b(name).length)).isEqualTo(model.get(name));
            }
        }
        assertThat(sawSkipList).isTrue();
        assertThat(sawListpack).isTrue();
    }

    @Test
    void listpackScoresAreIntegersWithin2To62AndTextOtherwise() {
        SortedSetOps.ZSet z = open("z");
        z.create(4, 1);
        double[] out = new double[1];
        z.add(5, b("a"), 0, 1, 0, out);
        z.add(-0.0, b("b"), 0, 1, 0, out);
        z.add(0x1p62, b("c"), 0, 1, 0, out);
        z.add(2.5, b("d"), 0, 1, 0, out);
        z.commit();
        db.find(b("z"), 0, 1);
        byte[] lp = db.valuePage();
        int base = db.valueOffset();
        List<String> entries = new ArrayList<>();
        for (int p = Listpack.first(lp, base); p != Listpack.NONE; p = Listpack.next(lp, base, p)) {
            entries.add(Listpack.isInt(lp, p) ? "int:" + Listpack.getInt(lp, p) : "str:" + new String(Listpack.toBytes(lp, p)));
        }
        // -0 is stored as the integer 0 (double2ll takes it), so it reads back as +0.
        assertThat(entries).containsExactly("str:b", "int:0", "str:d", "str:2.5", "str:a", "int:5", "str:c", "int:4611686018427387904");
        assertThat(Double.doubleToRawLongBits(SortedSetOps.found(db).score(b("b"), 0, 1))).isEqualTo(0L);
    }

    @Test
    void newSetsFollowTheCreateHintsAndStoreResultsGoBack() {
        SortedSetOps.ZSet z = open("big");
        z.create(7, 1); // more pairs than the limit: a skip list from the start
        double[] out = new double[1];
        z.add(1, b("a"), 0, 1, 0, out);
        z.commit();
        assertThat(type("big")).isEqualTo(ValueType.ZSET_SKIPLIST);
        SortedSetOps.ZSet small = open("small");
        small.create(2, 3);
        small.add(1, b("x"), 0, 1, 0, out);
        small.commit();
        assertThat(type("small")).isEqualTo(ValueType.ZSET_LISTPACK);
        SortedSetOps.ZSet grown = open("small");
        grown.maybeConvert(7);
        grown.commit();
        assertThat(type("small")).isEqualTo(ValueType.ZSET_SKIPLIST);
        assertThat(contents("small")).containsExactly("x=1.0");

        SortedSet result = new SortedSet();
        result.insert(b("m"), 0, 1, 3);
        SortedSetOps.ZSet store = SortedSetOps.ofSkipList(db, b("dst"), 0, 3, LIMITS, result);
        store.toListpackIfFits(1, 1);
        store.store();
        assertThat(type("dst")).isEqualTo(ValueType.ZSET_LISTPACK);
        assertThat(contents("dst")).containsExactly("m=3.0");
        SortedSet wide = new SortedSet();
        wide.insert(b("123456789"), 0, 9, 1);
        SortedSetOps.ZSet store2 = SortedSetOps.ofSkipList(db, b("dst2"), 0, 4, LIMITS, wide);
        store2.toListpackIfFits(9, 9);
        store2.store();
        assertThat(type("dst2")).isEqualTo(ValueType.ZSET_SKIPLIST);
    }

    // ------------------------------------------------------------ the set-operation core

    void putIntset(String key, long... values) {
        byte[] is = Intset.newEmpty();
        for (long v : values) is = Intset.add(is, 0, v);
        db.put(b(key), 0, key.length(), ValueType.SET_INTSET, is, 0, is.length, -1);
    }

    void putListpackSet(String key, String... members) {
        byte[] lp = Listpack.newEmpty();
        for (String m : members) lp = Listpack.append(lp, 0, b(m));
        db.put(b(key), 0, key.length(), ValueType.SET_LISTPACK, lp, 0, lp.length, -1);
    }

    void putTableSet(String key, String... members) {
        FieldMap m = new FieldMap(false);
        for (String s : members) m.put(b(s), 0, s.length(), null, 0, 0, false);
        db.putObject(b(key), 0, key.length(), ValueType.SET_TABLE, m, -1);
    }

    void putZset(String key, Object... pairs) {
        SortedSetOps.ZSet z = open(key);
        z.create(pairs.length / 2, 1);
        double[] out = new double[1];
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] m = b((String) pairs[i + 1]);
            z.add(((Number) pairs[i]).doubleValue(), m, 0, m.length, 0, out);
        }
        z.commit();
    }

    SortedSetOps.Source[] sources(String... keys) {
        SortedSetOps.Source[] out = new SortedSetOps.Source[keys.length];
        for (int i = 0; i < keys.length; i++) {
            byte[] k = b(keys[i]);
            out[i] = db.find(k, 0, k.length) ? SortedSetOps.source(db, k) : null;
        }
        return out;
    }

    static List<String> list(SortedSet s) {
        List<String> out = new ArrayList<>();
        for (SortedSet.Node n = s.first(); n != null; n = SortedSet.next(n)) out.add(new String(n.member()) + "=" + n.score());
        return out;
    }

    @Test
    void setsOfEveryEncodingCountWithScoreOne() {
        putIntset("ints", 1, 2, 3);
        putListpackSet("lp", "2", "x", "y");
        putTableSet("table", "3", "y", "z");
        putZset("z", 10, "1", 20, "y", 30, "q");
        double[] w = {1, 1, 1, 1};
        assertThat(list(SortedSetOps.combine(sources("ints", "lp", "table", "z"), w, SortedSetOps.UNION, SortedSetOps.SUM, 0, null)))
                .containsExactly("x=1.0", "z=1.0", "2=2.0", "3=2.0", "1=11.0", "y=22.0", "q=30.0");
        assertThat(list(SortedSetOps.combine(sources("lp", "table", "z"), new double[] {2, 3, 1}, SortedSetOps.INTER,
                SortedSetOps.MAX, 0, null))).containsExactly("y=20.0");
        assertThat(list(SortedSetOps.combine(sources("ints", "lp", "nokey"), new double[] {1, 1, 1}, SortedSetOps.DIFF,
                SortedSetOps.SUM, 0, null))).containsExactly("1=1.0", "3=1.0");
        long[] card = new long[1];
        assertThat(SortedSetOps.combine(sources("ints", "table"), new double[] {1, 1}, SortedSetOps.INTER, SortedSetOps.SUM, 0, card))
                .isNull();
        assertThat(card[0]).isEqualTo(1);
        // A sum of inf and -inf is 0, as Redis makes it; so is a weight of 0 on an infinite score.
        putZset("pinf", Double.POSITIVE_INFINITY, "a");
        putZset("ninf", Double.NEGATIVE_INFINITY, "a");
        assertThat(list(SortedSetOps.combine(sources("pinf", "ninf"), new double[] {1, 1}, SortedSetOps.UNION, SortedSetOps.SUM, 0, null)))
                .containsExactly("a=0.0");
        assertThat(list(SortedSetOps.combine(sources("pinf"), new double[] {0}, SortedSetOps.UNION, SortedSetOps.SUM, 0, null)))
                .containsExactly("a=0.0");
    }
}
