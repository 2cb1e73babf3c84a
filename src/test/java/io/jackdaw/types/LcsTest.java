package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Lcs} against a plain full-table model of the walk Redis documents: lengths of
 * every prefix pair, then back from the end, diagonal on equal bytes, up when the cell above
 * is strictly longer, otherwise left. The bit table must reproduce it exactly.
 */
class LcsTest {

    /** Subsequence and ranges (aStart, aEnd, bStart, bEnd per run, min length applied) from a full table. */
    private static Object[] model(byte[] a, byte[] b, long min) {
        int[][] t = new int[a.length + 1][b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        StringBuilder rev = new StringBuilder();
        List<Integer> ranges = new ArrayList<>();
        List<int[]> path = new ArrayList<>(); // matched (i-1, j-1) pairs, from the end
        int i = a.length, j = b.length;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                rev.append((char) (a[i - 1] & 0xff));
                path.add(new int[] {--i, --j});
            } else if (t[i - 1][j] > t[i][j - 1]) {
                i--;
                path.add(null);
            } else {
                j--;
                path.add(null);
            }
        }
        // Runs: maximal stretches of consecutive diagonal steps in the walk.
        int k = 0;
        while (k < path.size()) {
            if (path.get(k) == null) { k++; continue; }
            int[] end = path.get(k), start = end;
            while (k + 1 < path.size() && path.get(k + 1) != null) start = path.get(++k);
            k++;
            if (end[0] - start[0] + 1 >= min) {
                ranges.add(start[0]);
                ranges.add(end[0]);
                ranges.add(start[1]);
                ranges.add(end[1]);
            }
        }
        return new Object[] {new StringBuilder(rev).reverse().toString(), ranges, t[a.length][b.length]};
    }

    private static void check(byte[] a, byte[] b, long min) {
        Object[] m = model(a, b, min);
        Lcs l = Lcs.compute(a, b);
        assertThat(l).isNotNull();
        assertThat(l.length()).isEqualTo(m[2]);
        assertThat(Lcs.length(a, b)).isEqualTo(m[2]);
        assertThat(new String(l.subsequence(), StandardCharsets.ISO_8859_1)).isEqualTo(m[0]);
        List<Integer> got = new ArrayList<>();
        for (int v : l.matches(min)) got.add(v);
        assertThat(got).as("ranges of %s / %s", new String(a, StandardCharsets.ISO_8859_1),
                new String(b, StandardCharsets.ISO_8859_1)).isEqualTo(m[1]);
    }

    @Test
    void knownExample() {
        Lcs l = Lcs.compute("ohmytext".getBytes(), "mynewtext".getBytes());
        assertThat(new String(l.subsequence())).isEqualTo("mytext");
        // Redis's documented answer: [4,7]/[5,8] then [2,3]/[0,1].
        assertThat(l.matches(0)).containsExactly(4, 7, 5, 8, 2, 3, 0, 1);
        assertThat(l.matches(4)).containsExactly(4, 7, 5, 8);
    }

    @Test
    void emptyAndDisjoint() {
        for (String[] p : new String[][] {{"", ""}, {"", "abc"}, {"abc", ""}, {"abc", "xyz"}}) {
            Lcs l = Lcs.compute(p[0].getBytes(), p[1].getBytes());
            assertThat(l.length()).isZero();
            assertThat(l.subsequence()).isEmpty();
            assertThat(l.matches(0)).isEmpty();
        }
    }

    @Test
    void randomAgainstFullTable() {
        Random rnd = new Random(7);
        for (int n = 0; n < 3000; n++) {
            int k = 1 + rnd.nextInt(n % 2 == 0 ? 2 : 256);
            byte[] a = new byte[rnd.nextInt(40)], b = new byte[rnd.nextInt(40)];
            for (int i = 0; i < a.length; i++) a[i] = (byte) rnd.nextInt(k);
            for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(k);
            check(a, b, rnd.nextInt(4));
        }
    }

    @Test
    void rowsSpanningSeveralWords() {
        // Rows of more than 64 cells that do not start on a word boundary.
        byte[] a = "ab".repeat(150).getBytes(), b = "ba".repeat(97).getBytes();
        check(a, b, 0);
    }
}
