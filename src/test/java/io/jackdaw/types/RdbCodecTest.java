package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CRC-64, LZF and the RDB primitives: check values, seeded round trips, hostile input. */
class RdbCodecTest {
    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    @Test
    void crc64CheckValueIsRedis() {
        byte[] b = ascii("123456789");
        assertThat(Crc64.update(0, b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        // Split updates continue the same checksum (slicing path and byte tail alike).
        byte[] longer = ascii("123456789123456789123456789");
        long whole = Crc64.update(0, longer, 0, longer.length);
        assertThat(Crc64.update(Crc64.update(0, longer, 0, 11), longer, 11, longer.length - 11)).isEqualTo(whole);
        assertThat(Crc64.update(0, new byte[0], 0, 0)).isZero();
    }

    @Test
    void lzfRoundTripsSeededData() {
        Random rnd = new Random(20261122);
        Lzf.Table reused = new Lzf.Table();
        for (int round = 0; round < 2000; round++) {
            int len = 1 + rnd.nextInt(round < 1500 ? 300 : 40_000);
            byte[] in = new byte[len];
            // Small alphabets and repeats so back references of every length occur.
            int alphabet = 1 + rnd.nextInt(round % 3 == 0 ? 256 : 4);
            for (int i = 0; i < len; i++) {
                if (i > 10 && rnd.nextInt(4) == 0) {
                    int from = rnd.nextInt(i), n = Math.min(len - i, 1 + rnd.nextInt(300));
                    for (int k = 0; k < n; k++) in[i + k] = in[from + k];
                    i += n - 1;
                } else {
                    in[i] = (byte) rnd.nextInt(alphabet);
                }
            }
            int off = rnd.nextInt(5);
            byte[] shifted = new byte[off + len];
            System.arraycopy(in, 0, shifted, off, len);
            byte[] out = new byte[len + len / 16 + 64];
            int c = Lzf.compress(shifted, off, len, out, out.length);
            assertThat(c).as("compressed length, round %d", round).isPositive();
            assertThat(Lzf.decompress(out, 0, c, len)).as("round %d", round).isEqualTo(in);
            // A table reused across calls compresses exactly as a fresh one.
            byte[] again = new byte[out.length];
            assertThat(Lzf.compress(reused, shifted, off, len, again, again.length)).isEqualTo(c);
            assertThat(Arrays.copyOf(again, c)).isEqualTo(Arrays.copyOf(out, c));
            // Too small an output buffer is "does not fit", never an overrun.
            assertThat(Lzf.compress(shifted, off, len, new byte[c], c - 1)).isZero();
        }
    }

    @Test
    void lzfCompressesRepeatsToRedisBytes() {
        // Redis 7.x DUMP of SET k (30 x 'a') carries this LZF body (captured from redis-server 7.0.15).
        byte[] in = new byte[30];
        Arrays.fill(in, (byte) 'a');
        byte[] out = new byte[26];
        int c = Lzf.compress(in, 0, in.length, out, 26);
        assertThat(Arrays.copyOf(out, c)).containsExactly(0x01, 'a', 'a', 0xe0, 0x11, 0x00, 0x01, 'a', 'a');
    }

    @Test
    void lzfDecompressorRejectsHostileInput() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] in = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(in);
            int outLen = 1 + rnd.nextInt(2000);
            byte[] out = Lzf.decompress(in, 0, in.length, outLen);
            if (out != null) assertThat(out).hasSize(outLen);
        }
        // A back reference before the start, a literal run past the end of the input.
        assertThat(Lzf.decompress(new byte[] {(byte) 0x20, 0x05}, 0, 2, 10)).isNull();
        assertThat(Lzf.decompress(new byte[] {0x05, 'a'}, 0, 2, 6)).isNull();
        assertThat(Lzf.decompress(new byte[] {0x00, 'a'}, 0, 2, 2)).isNull();
    }

    @Test
    void lzfDeclaredLengthIsBoundedByWhatTheInputCanProduce() {
        assertThat(Lzf.maxExpansion(3)).isEqualTo(264);
        // An LZF string claiming 2^31-17 bytes from 2 compressed bytes: refused before any allocation.
        byte[] p = {(byte) 0xC3, 0x02, (byte) 0x80, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xEF, 0x00, 'a'};
        RdbInput in = new RdbInput(p, 0, p.length);
        assertThatThrownBy(in::readString).isInstanceOf(RdbFormatException.class);
        // The same claim within bounds but not matching the data: the format error too.
        byte[] q = {(byte) 0xC3, 0x02, 0x05, 0x00, 'a'};
        assertThatThrownBy(() -> new RdbInput(q, 0, q.length).readString()).isInstanceOf(RdbFormatException.class);
    }

    @Test
    void stringEncodingsAreRedis() {
        RdbOutput out = new RdbOutput(16, true);
        out.writeString(ascii("-1"));
        out.writeString(ascii("300"));
        out.writeString(ascii("70000"));
        out.writeString(ascii("01"));
        out.writeLongAsString(1L << 40);
        assertThat(out.toByteArray()).containsExactly(
                0xC0, 0xFF, 0xC1, 0x2C, 0x01, 0xC2, 0x70, 0x11, 0x01, 0x00, 0x02, '0', '1',
                13, '1', '0', '9', '9', '5', '1', '1', '6', '2', '7', '7', '7', '6');
        RdbInput in = new RdbInput(out.buffer(), 0, out.size());
        assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo("-1");
        assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo("300");
        assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo("70000");
        assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo("01");
        assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo("1099511627776");
        assertThat(in.remaining()).isZero();
    }

    @Test
    void lengthsRoundTripInTheirShortestForm() {
        long[] lengths = {0, 63, 64, 16383, 16384, 0xFFFFFFFFL, 0x100000000L};
        int[] sizes = {1, 1, 2, 2, 5, 5, 9};
        for (int i = 0; i < lengths.length; i++) {
            RdbOutput out = new RdbOutput(1, false);
            out.writeLength(lengths[i]);
            assertThat(out.size()).as("bytes for %d", lengths[i]).isEqualTo(sizes[i]);
            assertThat(new RdbInput(out.buffer(), 0, out.size()).readLength()).isEqualTo(lengths[i]);
        }
        // A count can never exceed what is left of the input.
        byte[] p = {(byte) 0x80, 0x10, 0, 0, 0};
        assertThatThrownBy(() -> new RdbInput(p, 0, p.length).readCount()).isInstanceOf(RdbFormatException.class);
    }
}
