package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link Stream} checked against a sorted map of ID to fields under seeded random operations. */
class StreamTest {

    private static void append(Stream s, Stream.Id id, String[] fv, long maxBytes, long maxEntries) {
        StringBuilder all = new StringBuilder();
        int[] offs = new int[fv.length], lens = new int[fv.length];
        for (int i = 0; i < fv.length; i++) {
            offs[i] = all.length();
            lens[i] = fv[i].length();
            all.append(fv[i]);
        }
        s.append(id, all.toString().getBytes(StandardCharsets.ISO_8859_1), offs, lens, 0, fv.length, maxBytes, maxEntries);
    }

    private static List<String> read(Stream s, Stream.Id start, Stream.Id end, boolean reverse, int count) {
        List<String> out = new ArrayList<>();
        if (count == 0) return out; // the visitor is asked after each entry, so COUNT 0 is the caller's case
        s.range(start, end, reverse, e -> {
            StringBuilder b = new StringBuilder(e.id().toString());
            for (byte[] x : e.fieldsAndValues()) b.append(' ').append(new String(x, StandardCharsets.ISO_8859_1));
            out.add(b.toString());
            return count < 0 || out.size() < count;
        });
        return out;
    }

    private static List<String> model(TreeMap<Stream.Id, String> m, Stream.Id start, Stream.Id end, boolean reverse, int count) {
        List<String> out = new ArrayList<>();
        if (start.compareTo(end) > 0) return out;
        var view = m.subMap(start, true, end, true);
        for (Map.Entry<Stream.Id, String> e : (reverse ? view.descendingMap() : view).entrySet()) {
            if (count >= 0 && out.size() >= count) break;
            out.add(e.getKey() + e.getValue());
        }
        return out;
    }

    @Test
    void randomOperationsMatchASortedMap() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            Stream s = new Stream();
            TreeMap<Stream.Id, String> m = new TreeMap<>();
            long maxEntries = 1 + rnd.nextInt(6), maxBytes = rnd.nextBoolean() ? 0 : 40 + rnd.nextInt(200);
            long ms = rnd.nextBoolean() ? 0 : Long.MAX_VALUE - 10; // also IDs past the signed range
            for (int step = 0; step < 2000; step++) {
                int op = rnd.nextInt(10);
                if (op < 5) {
                    ms += rnd.nextInt(3);
                    Stream.Id id = s.nextAutoId(ms);
                    int pairs = 1 + rnd.nextInt(3);
                    String[] fv = new String[pairs * 2];
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < fv.length; i++) {
                        fv[i] = "x".repeat(rnd.nextInt(5)) + rnd.nextInt(50);
                        b.append(' ').append(fv[i]);
                    }
                    append(s, id, fv, maxBytes, maxEntries);
                    m.put(id, b.toString());
                    assertThat(s.lastId()).isEqualTo(id);
                } else if (op < 7 && !m.isEmpty()) {
                    Stream.Id id = pick(rnd, m, s);
                    assertThat(s.delete(id)).isEqualTo(m.remove(id) != null);
                } else if (op == 7) {
                    if (rnd.nextBoolean()) {
                        long maxLen = rnd.nextInt(30);
                        long removed = s.trim(maxLen, null, false, 0);
                        long expected = Math.max(0, m.size() - maxLen);
                        assertThat(removed).isEqualTo(expected);
                        while (m.size() > maxLen) m.pollFirstEntry();
                    } else if (!m.isEmpty()) {
                        Stream.Id min = pick(rnd, m, s);
                        long expected = m.headMap(min, false).size();
                        assertThat(s.trim(0, min, false, 0)).isEqualTo(expected);
                        m.headMap(min, false).clear();
                    }
                } else {
                    Stream.Id a = m.isEmpty() ? Stream.Id.MIN : pick(rnd, m, s), b = m.isEmpty() ? Stream.Id.MAX : pick(rnd, m, s);
                    if (rnd.nextInt(4) == 0) a = Stream.Id.MIN;
                    if (rnd.nextInt(4) == 0) b = Stream.Id.MAX;
                    boolean reverse = rnd.nextBoolean();
                    int count = rnd.nextInt(10) - 1;
                    assertThat(read(s, a, b, reverse, count)).as("seed %d step %d", seed, step)
                            .isEqualTo(model(m, a, b, reverse, count));
                }
                assertThat(s.length()).isEqualTo(m.size());
                assertThat(s.firstId()).isEqualTo(m.isEmpty() ? null : m.firstKey());
            }
            assertThat(read(s, Stream.Id.MIN, Stream.Id.MAX, false, -1)).isEqualTo(model(m, Stream.Id.MIN, Stream.Id.MAX, false, -1));
            Stream copy = (Stream) s.duplicate();
            assertThat(read(copy, Stream.Id.MIN, Stream.Id.MAX, true, -1)).isEqualTo(model(m, Stream.Id.MIN, Stream.Id.MAX, true, -1));
        }
    }

    /** An ID near the model's: one present, or a neighbour of one that may be absent. */
    private static Stream.Id pick(Random rnd, TreeMap<Stream.Id, String> m, Stream s) {
        List<Stream.Id> keys = new ArrayList<>(m.keySet());
        Stream.Id id = keys.isEmpty() ? s.lastId() : keys.get(rnd.nextInt(keys.size()));
        return switch (rnd.nextInt(4)) {
            case 0 -> id.next() == null ? id : id.next();
            case 1 -> id.previous() == null ? id : id.previous();
            default -> id;
        };
    }

    @Test
    void idsCompareUnsignedAndStepAcrossMilliseconds() {
        Stream.Id big = new Stream.Id(-1L, 0);
        assertThat(big.compareTo(new Stream.Id(Long.MAX_VALUE, -1L))).isPositive();
        assertThat(new Stream.Id(1, -1L).next()).isEqualTo(new Stream.Id(2, 0));
        assertThat(new Stream.Id(2, 0).previous()).isEqualTo(new Stream.Id(1, -1L));
        assertThat(Stream.Id.MAX.next()).isNull();
        assertThat(Stream.Id.MIN.previous()).isNull();
        assertThat(Stream.Id.MAX.toString()).isEqualTo("18446744073709551615-18446744073709551615");
    }

    @Test
    void chunksSplitAtTheEntryAndByteBounds() {
        Stream s = new Stream();
        for (int i = 1; i <= 10; i++) append(s, new Stream.Id(i, 0), new String[] {"f", "v"}, 0, 3);
        assertThat(s.chunkCount()).isEqualTo(4);
        // Approximate trimming drops whole chunks only: 10 entries to at least 5 leaves 7.
        assertThat(s.trim(5, null, true, 0)).isEqualTo(3);
        assertThat(s.length()).isEqualTo(7);
        Stream b = new Stream();
        for (int i = 1; i <= 10; i++) append(b, new Stream.Id(i, 0), new String[] {"f", "x".repeat(20)}, 50, 0);
        assertThat(b.chunkCount()).isEqualTo(5);
    }
}
