package io.jackdaw.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Bits} against slow, obviously correct models: one bit at a time for positions, counts
 * and fields, arbitrary-precision arithmetic for BITFIELD's overflow detection.
 */
class BitsTest {
    /** Bit i of the slice, MSB first, by the definition. */
    private static int bitAt(byte[] b, int base, long i) { return (b[base + (int) (i / 8)] >> (7 - (int) (i % 8))) & 1; }

    /** Random bytes with long runs of 0x00 and 0xFF, so the word-at-a-time paths are taken. */
    private static byte[] runs(Random r, int n) {
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int len = 1 + r.nextInt(r.nextBoolean() ? 3 : 40);
            int kind = r.nextInt(3);
            for (int j = 0; j < len && i < n; j++, i++) b[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 0xFF : r.nextInt(256));
        }
        return b;
    }

    @Test
    void countsAndSearchesMatchABitByBitScan() {
        Random r = new Random(1);
        for (int round = 0; round < 3000; round++) {
            int base = r.nextInt(9), len = 1 + r.nextInt(70);
            byte[] b = new byte[base + len + r.nextInt(9)];
            System.arraycopy(runs(r, len), 0, b, base, len);
            long first = r.nextInt(len * 8), last = r.nextInt(len * 8);
            long count = 0, firstOne = -1, firstZero = -1;
            for (long i = first; i <= last; i++) {
                int v = bitAt(b, base, i);
                count += v;
                if (v == 1 && firstOne < 0) firstOne = i;
                if (v == 0 && firstZero < 0) firstZero = i;
            }
            assertThat(Bits.countRange(b, base, first, last)).isEqualTo(count);
            assertThat(Bits.first(b, base, first, last, 1)).isEqualTo(firstOne);
            assertThat(Bits.first(b, base, first, last, 0)).isEqualTo(firstZero);
            long bytesFrom = first / 8, bytesTo = last / 8 + 1, whole = 0;
            for (long i = bytesFrom * 8; i < bytesTo * 8; i++) whole += bitAt(b, base, i);
            assertThat(Bits.popcount(b, base, bytesFrom, bytesTo)).isEqualTo(whole);
            for (int probe = 0; probe < 5; probe++) {
                long pos = r.nextInt(len * 8 + 40);
                assertThat(Bits.get(b, base, len, pos)).isEqualTo(pos < len * 8L ? bitAt(b, base, pos) : 0);
            }
        }
    }

    @Test
    void fieldsReadAndWriteExactlyTheirBits() {
        Random r = new Random(2);
        for (int round = 0; round < 5000; round++) {
            int base = r.nextInt(5), len = 1 + r.nextInt(20);
            byte[] b = new byte[base + len + 2];
            r.nextBytes(b);
            int bits = 1 + r.nextInt(64);
            long pos = r.nextInt(len * 8 + 16);
            long expected = 0;
            for (int j = 0; j < bits; j++) {
                long i = pos + j;
                expected = (expected << 1) | (i < len * 8L ? bitAt(b, base, i) : 0);
            }
            assertThat(Bits.getField(b, base, len, pos, bits)).isEqualTo(expected);
            if (pos + bits > len * 8L) continue;
            byte[] before = b.clone();
            long value = r.nextLong();
            Bits.setField(b, base, pos, bits, value);
            for (long i = 0; i < (long) (b.length - base) * 8 && base + i / 8 < b.length; i++) {
                int want = i >= pos && i < pos + bits ? (int) (value >>> (bits - 1 - (i - pos))) & 1 : bitAt(before, base, i);
                assertThat(bitAt(b, base, i)).as("bit %d", i).isEqualTo(want);
            }
            assertThat(java.util.Arrays.equals(b, 0, base, before, 0, base)).as("bytes before the slice").isTrue();
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            assertThat(Bits.getField(b, base, len, pos, bits)).isEqualTo(value & mask);
            assertThat(Bits.signExtend(value & mask, bits))
                    .isEqualTo(BigInteger.valueOf(value & mask).subtract(
                            ((value >>> (bits - 1)) & 1) == 1 && bits < 64 ? BigInteger.ONE.shiftLeft(bits) : BigInteger.ZERO)
                            .longValue());
        }
    }

    /** The exact answer: 0 when value + incr fits, 1 above, -1 below. */
    private static int exact(long value, long incr, int bits, boolean signed) {
        BigInteger v = signed ? BigInteger.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
        BigInteger sum = v.add(BigInteger.valueOf(incr));
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        return sum.compareTo(max) > 0 ? 1 : sum.compareTo(min) < 0 ? -1 : 0;
    }

    private static long interesting(Random r, int bits) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt(9) - 4;
            case 2 -> (1L << (bits - 1)) + r.nextInt(5) - 2;
            case 3 -> -(1L << (bits - 1)) + r.nextInt(5) - 2;
            case 4 -> (bits == 64 ? 0 : 1L << bits) + r.nextInt(5) - 2;
            default -> r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(3) : Long.MIN_VALUE + r.nextInt(3);
        };
    }

    @Test
    void incrbyOverflowIsExactAndWrapAndSatLandWhereTheyShould() {
        Random r = new Random(3);
        long[] out = new long[1];
        for (int round = 0; round < 200_000; round++) {
            boolean signed = r.nextBoolean();
            int bits = 1 + r.nextInt(signed ? 64 : 63);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            // INCRBY starts from a value the field can hold.
            long value = signed ? Bits.signExtend(r.nextLong() & mask, bits) : r.nextLong() & mask;
            if (r.nextInt(4) == 0) value = signed ? Bits.signExtend(interesting(r, bits) & mask, bits) : interesting(r, bits) & mask;
            long incr = interesting(r, bits);
            int want = exact(value, incr, bits, signed);
            out[0] = 12345;
            int got = signed ? Bits.fitSigned(value, incr, bits, Bits.WRAP, out) : Bits.fitUnsigned(value, incr, bits, Bits.WRAP, out);
            assertThat(got).as("%s%d %d + %d", signed ? "i" : "u", bits, value, incr).isEqualTo(want);
            if (want != 0) {
                long wrapped = (value + incr) & mask;
                assertThat(out[0]).isEqualTo(signed ? Bits.signExtend(wrapped, bits) : wrapped);
                int sat = signed ? Bits.fitSigned(value, incr, bits, Bits.SAT, out) : Bits.fitUnsigned(value, incr, bits, Bits.SAT, out);
                assertThat(sat).isEqualTo(want);
                long max = signed ? (bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1) : mask;
                long min = signed ? -max - 1 : 0;
                assertThat(out[0]).isEqualTo(want > 0 ? max : min);
            } else {
                assertThat(out[0]).as("untouched when it fits").isEqualTo(12345);
            }
        }
    }

    @Test
    void setValuesClassifyAsRedisDoes() {
        long[] out = new long[1];
        // Exact for values a client would send...
        for (int bits = 1; bits <= 64; bits++) {
            for (long v : new long[] {0, 1, -1, 100, -100, 1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE + (1L << 62)}) {
                assertThat(Bits.fitSigned(v, 0, bits, Bits.FAIL, out)).as("i%d %d", bits, v).isEqualTo(exact(v, 0, bits, true));
                if (bits < 64 && v >= 0) {
                    assertThat(Bits.fitUnsigned(v, 0, bits, Bits.FAIL, out)).isEqualTo(exact(v, 0, bits, false));
                }
            }
        }
        // ...while a negative value for an unsigned field reads as a huge unsigned one (too big,
        // so SAT stores the maximum), and a value at most max above -2^63 classifies as too big for
        // a narrow signed field: Redis's limit test wraps there (checked against redis-server).
        assertThat(Bits.fitUnsigned(-1, 0, 8, Bits.SAT, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(255);
        assertThat(Bits.fitUnsigned(-1, 0, 8, Bits.WRAP, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(255);
        assertThat(Bits.fitSigned(Long.MIN_VALUE, 0, 8, Bits.SAT, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(127);
        assertThat(Bits.fitSigned(Long.MIN_VALUE, 0, 8, Bits.WRAP, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(0);
        assertThat(Bits.fitSigned(Long.MIN_VALUE + 127, 0, 8, Bits.SAT, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(127);
        assertThat(Bits.fitSigned(Long.MIN_VALUE + 128, 0, 8, Bits.SAT, out)).isEqualTo(-1);
        assertThat(out[0]).isEqualTo(-128);
    }
}
