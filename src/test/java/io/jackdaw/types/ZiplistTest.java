package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The legacy ziplist and zipmap readers: every entry encoding, and hostile blobs. */
public class ZiplistTest {
    /**
     * Builds a ziplist as Redis before 7.0 wrote it (test-side encoder): strings as 6-, 14- or
     * 32-bit lengths, longs in the narrowest integer form.
     */
    public static byte[] ziplist(Object... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0, lastOffset = 10;
        for (Object e : entries) {
            ByteArrayOutputStream en = new ByteArrayOutputStream();
            if (prev < 254) {
                en.write(prev);
            } else {
                en.write(254);
                for (int i = 0; i < 4; i++) en.write(prev >>> (8 * i));
            }
            if (e instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                if (b.length < 64) {
                    en.write(b.length);
                } else if (b.length < 16384) {
                    en.write(0x40 | (b.length >>> 8));
                    en.write(b.length);
                } else {
                    en.write(0x80);
                    for (int i = 3; i >= 0; i--) en.write(b.length >>> (8 * i));
                }
                en.writeBytes(b);
            } else {
                long v = (Long) e;
                if (v >= 0 && v <= 12) {
                    en.write(0xF1 + (int) v);
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    en.write(0xFE);
                    en.write((int) v);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    en.write(0xC0);
                    le(en, v, 2);
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    en.write(0xF0);
                    le(en, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    en.write(0xD0);
                    le(en, v, 4);
                } else {
                    en.write(0xE0);
                    le(en, v, 8);
                }
            }
            lastOffset = 10 + body.size();
            prev = en.size();
            body.writeBytes(en.toByteArray());
        }
        int total = 10 + body.size() + 1;
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        le(z, total, 4);
        le(z, lastOffset, 4);
        le(z, entries.length, 2);
        z.writeBytes(body.toByteArray());
        z.write(0xFF);
        return z.toByteArray();
    }

    /** A zipmap of field/value pairs (short lengths, no free bytes but for {@code free} after each value). */
    public static byte[] zipmap(int free, String... pairs) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] f = pairs[i].getBytes(StandardCharsets.ISO_8859_1), v = pairs[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            z.write(f.length);
            z.writeBytes(f);
            z.write(v.length);
            z.write(free);
            z.writeBytes(v);
            for (int k = 0; k < free; k++) z.write(0);
        }
        z.write(0xFF);
        return z.toByteArray();
    }

    private static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) o.write((int) (v >>> (8 * i)));
    }

    private static List<String> strings(List<byte[]> l) {
        return l.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void readsEveryEntryEncoding() {
        String s300 = "y".repeat(300), s70k = "z".repeat(70_000);
        byte[] z = ziplist("a", 0L, 12L, -5L, 300L, -70_000L, 100_000L, 3_000_000_000L, Long.MIN_VALUE, "", s300, s70k);
        assertThat(strings(Ziplist.entries(z))).containsExactly("a", "0", "12", "-5", "300", "-70000", "100000",
                "3000000000", "-9223372036854775808", "", s300, s70k);
    }

    @Test
    void readsAZipmap() {
        assertThat(strings(Ziplist.zipmapEntries(zipmap(0, "f1", "v1", "f2", "")))).containsExactly("f1", "v1", "f2", "");
        assertThat(strings(Ziplist.zipmapEntries(zipmap(3, "f", "value")))).containsExactly("f", "value");
    }

    @Test
    void refusesMalformedBlobs() {
        byte[] z = ziplist("abc", 7L);
        byte[] wrongCount = z.clone();
        wrongCount[8] = 5;
        assertThatThrownBy(() -> Ziplist.entries(wrongCount)).isInstanceOf(RdbFormatException.class);
        byte[] wrongPrevlen = z.clone();
        wrongPrevlen[10 + 5] = 9;
        assertThatThrownBy(() -> Ziplist.entries(wrongPrevlen)).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Ziplist.entries(new byte[3])).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Ziplist.zipmapEntries(new byte[] {1, 5, 'a'})).isInstanceOf(RdbFormatException.class);
    }

    /** Seeded mutations of valid blobs: the result is entries or the format exception, nothing else. */
    @Test
    void hostileBlobsOnlyEverFailAsFormatErrors() {
        Random rnd = new Random(404);
        byte[][] seeds = {ziplist("a", 0L, 300L, "hello world", -70_000L, 3_000_000_000L, "y".repeat(100)),
            zipmap(2, "f1", "v1", "field", "value")};
        int parsed = 0;
        for (int round = 0; round < 50_000; round++) {
            boolean isZipmap = round % 2 == 1;
            byte[] b = seeds[isZipmap ? 1 : 0].clone();
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            if (rnd.nextInt(4) == 0) b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            try {
                List<byte[]> out = isZipmap ? Ziplist.zipmapEntries(b) : Ziplist.entries(b);
                assertThat(out).isNotNull();
                parsed++;
            } catch (RdbFormatException expected) {
                // the only failure allowed
            }
        }
        assertThat(parsed).isPositive();
    }
}
