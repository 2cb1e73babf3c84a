package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link ListpackEx}, Redis 7.4's listpackex layout: field, value, expiry triplets, ordered by
 * expiry with fields without one last, in the same listpack bytes Redis builds.
 */
class ListpackExTest {
    static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static List<String> entries(byte[] lp) {
        List<String> out = new ArrayList<>();
        for (int p = Listpack.first(lp, 0); p != Listpack.NONE; p = Listpack.next(lp, 0, p))
            out.add(new String(Listpack.toBytes(lp, p), StandardCharsets.ISO_8859_1));
        return out;
    }

    static byte[] add(byte[] lp, String f, String v, long expireAt) {
        return ListpackEx.add(lp, 0, b(f), 0, f.length(), b(v), 0, v.length(), expireAt);
    }

    @Test
    void conversionAppendsAnIntegerZeroToEveryPair() {
        byte[] pairs = Listpack.of(List.of(b("a"), b("1"), b("b"), b("xyz")));
        byte[] ex = ListpackEx.fromPairs(pairs, 0);
        assertThat(entries(ex)).containsExactly("a", "1", "0", "b", "xyz", "0");
        // Each empty expiry is one 7-bit integer entry (0x00) and its backlen (0x01), as lpInsertInteger(0) writes.
        assertThat(Listpack.size(ex, 0)).isEqualTo(Listpack.size(pairs, 0) + 2 * 2);
        assertThat(Listpack.headerCount(ex, 0)).isEqualTo(6);
        assertThat(ListpackEx.count(ex, 0)).isEqualTo(2);
        assertThat(ListpackEx.minExpireAt(ex, 0)).isEqualTo(-1);
    }

    @Test
    void triplesStayInExpiryOrderWithoutExpiryLast() {
        byte[] lp = Listpack.newEmpty();
        lp = add(lp, "none1", "v", -1);
        lp = add(lp, "late", "v", 300);
        lp = add(lp, "early", "v", 100);
        // A new expiry goes before the first triplet with an equal or later one (cbFindInListpack's >=).
        lp = add(lp, "early2", "v", 100);
        lp = add(lp, "none2", "v", -1);
        assertThat(entries(lp)).containsExactly("early2", "v", "100", "early", "v", "100", "late", "v", "300",
                "none1", "v", "0", "none2", "v", "0");
        assertThat(ListpackEx.minExpireAt(lp, 0)).isEqualTo(100);
        int p = ListpackEx.find(lp, 0, b("none1"), 0, 5);
        assertThat(ListpackEx.expireAt(lp, 0, p)).isEqualTo(-1);
        // A new expiry moves the triplet; losing it sends it to the tail.
        lp = ListpackEx.setExpireAt(lp, 0, p, 200);
        lp = ListpackEx.setExpireAt(lp, 0, ListpackEx.find(lp, 0, b("early"), 0, 5), -1);
        assertThat(entries(lp)).containsExactly("early2", "v", "100", "none1", "v", "200", "late", "v", "300",
                "none2", "v", "0", "early", "v", "0");
        lp = ListpackEx.replaceValue(lp, 0, ListpackEx.find(lp, 0, b("late"), 0, 4), b("12345"), 0, 5);
        assertThat(entries(lp).subList(6, 9)).containsExactly("late", "12345", "300");
    }

    @Test
    void dueFieldsAreAPrefix() {
        byte[] lp = Listpack.newEmpty();
        for (int i = 1; i <= 5; i++) lp = add(lp, "f" + i, "v", i * 10L);
        lp = add(lp, "forever", "v", -1);
        assertThat(ListpackEx.duePrefix(lp, 0, 29, 100)).isEqualTo(2);
        assertThat(ListpackEx.duePrefix(lp, 0, 30, 100)).as("due at exactly now").isEqualTo(3);
        assertThat(ListpackEx.duePrefix(lp, 0, 1000, 4)).as("capped").isEqualTo(4);
        assertThat(ListpackEx.duePrefix(lp, 0, Long.MAX_VALUE, 100)).as("never the fields without expiry").isEqualTo(5);
        lp = ListpackEx.removePrefix(lp, 0, 3);
        assertThat(entries(lp)).containsExactly("f4", "v", "40", "f5", "v", "50", "forever", "v", "0");
        assertThat(ListpackEx.count(lp, 0)).isEqualTo(3);
    }

    @Test
    void randomEditsKeepOrderAndMatchAModel() {
        Random r = new Random(42);
        TreeMap<String, long[]> model = new TreeMap<>();
        byte[] lp = Listpack.newEmpty();
        for (int step = 0; step < 2000; step++) {
            String f = "f" + r.nextInt(20);
            int p = ListpackEx.find(lp, 0, b(f), 0, f.length());
            long when = r.nextInt(4) == 0 ? -1 : 1 + r.nextInt(50); // 0 is never stored: a time that old deletes the field
            if (p == Listpack.NONE) {
                lp = add(lp, f, String.valueOf(step), when);
                model.put(f, new long[] {step, when});
            } else if (r.nextBoolean()) {
                lp = ListpackEx.setExpireAt(lp, 0, p, when);
                model.get(f)[1] = when;
            } else {
                lp = ListpackEx.remove(lp, 0, p);
                model.remove(f);
            }
            assertThat(Listpack.validate(lp, 0, lp.length, true)).isTrue();
            List<String> e = entries(lp);
            assertThat(e).hasSize(3 * model.size());
            long last = Long.MIN_VALUE;
            for (int i = 0; i < e.size(); i += 3) {
                long[] m = model.get(e.get(i));
                assertThat(m).isNotNull();
                assertThat(e.get(i + 1)).isEqualTo(String.valueOf(m[0]));
                long t = Long.parseLong(e.get(i + 2));
                assertThat(t).isEqualTo(m[1] < 0 ? 0 : m[1]);
                long order = t == 0 ? Long.MAX_VALUE : t;
                assertThat(order).isGreaterThanOrEqualTo(last);
                last = order;
            }
        }
    }
}
