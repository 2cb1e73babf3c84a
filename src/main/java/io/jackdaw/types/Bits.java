package io.jackdaw.types;

/**
 * Bit arithmetic over byte slices in Redis's bitmap order: bit 0 is the most significant bit
 * of the first byte, so a field that starts and ends on byte boundaries reads as big-endian.
 * Positions are absolute bit numbers counted from {@code base}; nothing here knows the store.
 */
public final class Bits {
    private Bits() {}

    /** The bit at {@code pos}, or 0 when it lies beyond {@code len} bytes. */
    public static int get(byte[] b, int base, int len, long pos) {
        long i = pos >>> 3;
        if (i >= len) return 0;
        return (b[base + (int) i] >>> (7 - (int) (pos & 7))) & 1;
    }

    /** Sets or clears the bit at {@code pos} (which must lie inside the slice). */
    public static void set(byte[] b, int base, long pos, int bit) {
        int i = base + (int) (pos >>> 3);
        int mask = 0x80 >>> (int) (pos & 7);
        b[i] = (byte) (bit != 0 ? b[i] | mask : b[i] & ~mask);
    }

    /** Set bits in bytes {@code [from, to)} of the slice starting at {@code base}. */
    public static long popcount(byte[] b, int base, long from, long to) {
        int i = base + (int) from, end = base + (int) to;
        long n = 0;
        for (; end - i >= 8; i += 8) n += Long.bitCount(Bytes.getLong(b, i));
        for (; i < end; i++) n += Integer.bitCount(b[i] & 0xFF);
        return n;
    }

    /** Set bits among bit positions {@code [first, last]} (inclusive), all inside the slice. */
    public static long countRange(byte[] b, int base, long first, long last) {
        if (first > last) return 0;
        long firstByte = first >>> 3, lastByte = last >>> 3;
        // Count whole bytes, then take away the bits of the edge bytes that lie outside.
        long n = popcount(b, base, firstByte, lastByte + 1);
        int head = b[base + (int) firstByte] & (0xFF00 >>> (int) (first & 7)) & 0xFF;
        int tail = b[base + (int) lastByte] & (0xFF >>> ((int) (last & 7) + 1));
        return n - Integer.bitCount(head) - Integer.bitCount(tail);
    }

    /**
     * Position of the first bit equal to {@code bit} among positions {@code [first, last]}
     * (inclusive, inside the slice), or -1 when there is none.
     */
    public static long first(byte[] b, int base, long first, long last, int bit) {
        if (first > last) return -1;
        long firstByte = first >>> 3, lastByte = last >>> 3;
        int skip = bit != 0 ? 0 : 0xFF; // a byte with nothing to find
        for (long i = firstByte; i <= lastByte; i++) {
            int v = b[base + (int) i] & 0xFF;
            // Make the bits outside the range read as the value we are not looking for.
            if (i == firstByte) v = bit != 0 ? v & (0xFF >>> (int) (first & 7)) : v | (0xFF00 >>> (int) (first & 7)) & 0xFF;
            if (i == lastByte) {
                int outside = 0xFF >>> ((int) (last & 7) + 1);
                v = bit != 0 ? v & ~outside : v | outside;
            }
            if (v == skip) {
                // Whole 8-byte words at once through the middle of long runs.
                while (i + 8 < lastByte && Bytes.getLong(b, base + (int) i + 1) == (bit != 0 ? 0L : -1L)) i += 8;
                continue;
            }
            int x = bit != 0 ? v : ~v & 0xFF;
            return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
        }
        return -1;
    }

    /**
     * The {@code bits}-wide unsigned field at bit {@code pos}, reading zeros past {@code len}
     * bytes. {@code bits} is 1..64; a 64-bit field comes back as its two's complement.
     */
    public static long getField(byte[] b, int base, int len, long pos, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++) v = (v << 1) | get(b, base, len, pos + j);
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code pos}, most significant first. */
    public static void setField(byte[] b, int base, long pos, int bits, long value) {
        for (int j = 0; j < bits; j++) set(b, base, pos + j, (int) (value >>> (bits - 1 - j)) & 1);
    }

    /** A {@code bits}-wide two's complement field widened to a long. */
    public static long signExtend(long raw, int bits) {
        return bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
    }

    // ------------------------------------------------------------ BITFIELD overflow

    /** BITFIELD's OVERFLOW modes. */
    public static final int WRAP = 0, SAT = 1, FAIL = 2;

    /**
     * Whether {@code value + incr} fits a signed field of {@code bits} (1..64): 0 when it does,
     * 1 when it overflows, -1 when it underflows. On overflow {@code out[0]} receives what WRAP
     * or SAT store. The limits are tested with wrapping 64-bit arithmetic, as Redis tests them,
     * so extreme SET values classify exactly as there (SAT of i8 given -2^63 stores 127).
     */
    public static int fitSigned(long value, long incr, int bits, int mode, long[] out) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long roomUp = max - value, roomDown = min - value; // may wrap, deliberately
        int result;
        if (value > max || (bits != 64 && incr > roomUp) || (value >= 0 && incr > 0 && incr > roomUp)) result = 1;
        else if (value < min || (bits != 64 && incr < roomDown) || (value < 0 && incr < 0 && incr < roomDown)) result = -1;
        else return 0;
        if (mode == WRAP) out[0] = signExtend(value + incr, bits);
        else if (mode == SAT) out[0] = result > 0 ? max : min;
        return result;
    }

    /**
     * As {@link #fitSigned} for an unsigned field of {@code bits} (1..63); {@code value} is read
     * as unsigned, so a negative SET value counts as too large (SAT stores the maximum).
     */
    public static int fitUnsigned(long value, long incr, int bits, int mode, long[] out) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long roomUp = max - value, roomDown = -value;
        int result;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > roomUp)) result = 1;
        else if (incr < 0 && incr < roomDown) result = -1;
        else return 0;
        if (mode == WRAP) out[0] = (value + incr) & max;
        else if (mode == SAT) out[0] = result > 0 ? max : 0;
        return result;
    }
}
