package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link SortedSet}, model-checked against a TreeSet of (score, member) and a map member -> score. */
class SortedSetTest {
    record Item(double score, String member) {}

    static final java.util.Comparator<Item> ORDER = (a, b) -> {
        int c = Double.compare(a.score, b.score);
        if (a.score == b.score) c = 0; // -0.0 and 0.0 are one score, as C compares them
        return c != 0 ? c : Arrays.compareUnsigned(bytes(a.member), bytes(b.member));
    };

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static void check(SortedSet s, TreeSet<Item> model, Map<String, Double> scores) {
        assertThat(s.size()).isEqualTo(model.size());
        List<Item> ordered = new ArrayList<>(model);
        int i = 0;
        SortedSet.Node prev = null;
        for (SortedSet.Node n = s.first(); n != null; n = SortedSet.next(n), i++) {
            Item want = ordered.get(i);
            assertThat(new String(n.member(), StandardCharsets.ISO_8859_1)).isEqualTo(want.member);
            assertThat(n.score()).isEqualTo(want.score);
            assertThat(SortedSet.prev(n)).isSameAs(prev);
            prev = n;
        }
        assertThat(i).isEqualTo(model.size());
        assertThat(s.last()).isSameAs(prev);
        for (int r = 0; r < ordered.size(); r++) {
            Item it = ordered.get(r);
            byte[] m = bytes(it.member);
            SortedSet.Node n = s.find(m, 0, m.length);
            assertThat(n).isNotNull();
            assertThat(s.rank(n)).isEqualTo(r);
            assertThat(s.byRank(r)).isSameAs(n);
        }
        assertThat(s.byRank(model.size())).isNull();
        assertThat(s.byRank(-1)).isNull();
        for (String m : scores.keySet()) assertThat(s.find(bytes(m), 0, m.length()).score()).isEqualTo(scores.get(m));
    }

    @Test
    void randomEditsMatchTheModel() {
        Random rnd = new Random(42);
        SortedSet s = new SortedSet();
        TreeSet<Item> model = new TreeSet<>(ORDER);
        Map<String, Double> scores = new HashMap<>();
        double[] pool = {Double.NEGATIVE_INFINITY, -3, -1.5, 0, 1, 1, 2, 2, 2, 7.25, 1e10, Double.POSITIVE_INFINITY};
        for (int step = 0; step < 20_000; step++) {
            String m = "m" + rnd.nextInt(400);
            byte[] mb = bytes(m);
            double score = pool[rnd.nextInt(pool.length)];
            switch (rnd.nextInt(4)) {
                case 0, 1 -> {
                    SortedSet.Node n = s.find(mb, 0, mb.length);
                    if (n == null) {
                        s.insert(mb, 0, mb.length, score);
                    } else {
                        model.remove(new Item(n.score(), m));
                        s.updateScore(n, score);
                    }
                    model.add(new Item(score, m));
                    scores.put(m, score);
                }
                case 2 -> {
                    boolean had = scores.containsKey(m);
                    assertThat(s.remove(mb, 0, mb.length)).isEqualTo(had);
                    if (had) model.remove(new Item(scores.remove(m), m));
                }
                default -> {
                    // A prefix count is the rank where a score bound would start.
                    long below = s.prefixLength(n -> n.score() < score);
                    assertThat(below).isEqualTo(model.stream().filter(it -> it.score < score).count());
                    long atMost = s.prefixLength(n -> n.score() <= score);
                    assertThat(atMost).isEqualTo(model.stream().filter(it -> it.score <= score).count());
                }
            }
            if (step % 1000 == 0) check(s, model, scores);
        }
        check(s, model, scores);
        SortedSet copy = s.duplicate();
        check(copy, model, scores);
        byte[] first = s.first().member();
        s.remove(first, 0, first.length);
        assertThat(copy.size()).isEqualTo(model.size());
        assertThat(copy.find(first, 0, first.length)).isNotNull();
    }

    @Test
    void equalScoresOrderByMemberBytesUnsigned() {
        SortedSet s = new SortedSet();
        String[] members = {"b", "a", "", "ab", "\u00ff", "A", "aa", "\u0080"};
        for (String m : members) s.insert(bytes(m), 0, m.length(), 1);
        List<String> got = new ArrayList<>();
        for (SortedSet.Node n = s.first(); n != null; n = SortedSet.next(n)) got.add(new String(n.member(), StandardCharsets.ISO_8859_1));
        assertThat(got).containsExactly("", "A", "a", "aa", "ab", "b", "\u0080", "\u00ff");
    }

    @Test
    void scanVisitsEveryMemberOnceAcrossGrowthAndShrinking() {
        SortedSet s = new SortedSet();
        for (int i = 0; i < 1000; i++) s.insert(bytes("k" + i), 0, ("k" + i).length(), i);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = s.scanBucket(cursor, n -> seen.add(new String(n.member(), StandardCharsets.ISO_8859_1)));
            // Change the table size in the middle of the walk: members present throughout must still come back.
            if (++calls == 100) for (int i = 1000; i < 3000; i++) s.insert(bytes("k" + i), 0, ("k" + i).length(), i);
            if (calls == 900) for (int i = 1000; i < 3000; i++) s.remove(bytes("k" + i), 0, ("k" + i).length());
        } while (cursor != 0);
        for (int i = 0; i < 1000; i++) assertThat(seen).contains("k" + i);
    }

    @Test
    void memoryTracksContents() {
        SortedSet s = new SortedSet();
        long empty = s.memoryBytes();
        for (int i = 0; i < 100; i++) s.insert(bytes("member" + i), 0, ("member" + i).length(), i);
        long full = s.memoryBytes();
        assertThat(full).isGreaterThan(empty + 100 * 40);
        for (int i = 0; i < 100; i++) s.remove(bytes("member" + i), 0, ("member" + i).length());
        assertThat(s.memoryBytes()).isLessThan(full).isEqualTo(empty);
    }
}
