package io.jackdaw.command;

import io.jackdaw.types.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * The arguments of one command, copied once out of the network buffer into a reusable
 * arena: {@code argv[i]} is {@code data[offset(i) .. offset(i)+length(i))}. Nothing here
 * allocates per command; the arena grows for big arguments and shrinks back afterwards.
 */
public final class CommandArgs {
    private static final int INITIAL_ARENA = 16 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;

    private byte[] data = new byte[INITIAL_ARENA];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int argc;
    private int used;
    private final long[] scratch = new long[1];

    public int count() { return argc; }

    /** Bytes of all arguments together (CLIENT LIST argv-mem). */
    public int totalBytes() { return used; }

    public byte[] data() { return data; }

    public int offset(int i) { return offsets[i]; }

    public int length(int i) { return lengths[i]; }

    public void clear() {
        argc = 0;
        used = 0;
        if (data.length > SHRINK_ABOVE) data = new byte[INITIAL_ARENA];
    }

    /** Starts a new argument whose bytes follow through {@link #append}. */
    public void begin() {
        if (argc == offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, argc * 2);
            lengths = java.util.Arrays.copyOf(lengths, argc * 2);
        }
        offsets[argc] = used;
        lengths[argc] = 0;
        argc++;
    }

    /** Makes room for {@code n} more bytes of the current argument, growing by doubling. */
    public void reserve(long n) {
        long need = used + n;
        if (need > data.length) {
            long cap = Math.max(need, Math.min((long) data.length * 2, Integer.MAX_VALUE - 16));
            data = java.util.Arrays.copyOf(data, (int) cap);
        }
    }

    /** Appends bytes to the current argument. */
    public void append(byte[] src, int off, int len) {
        reserve(len);
        System.arraycopy(src, off, data, used, len);
        used += len;
        lengths[argc - 1] += len;
    }

    /** Appends bytes read by {@code filler} straight into the arena (used by the decoder with a ByteBuf). */
    public int appendTarget(int len) {
        reserve(len);
        int at = used;
        used += len;
        lengths[argc - 1] += len;
        return at;
    }

    public void add(byte[] arg) {
        begin();
        append(arg, 0, arg.length);
    }

    /** Replaces these arguments with a copy of {@code other}'s (a blocked command kept for later). */
    public void copyFrom(CommandArgs other) {
        clear();
        reserve(other.used);
        for (int i = 0; i < other.argc; i++) {
            begin();
            append(other.data, other.offsets[i], other.lengths[i]);
        }
    }

    // ------------------------------------------------------------ reading

    public byte[] bytes(int i) { return java.util.Arrays.copyOfRange(data, offsets[i], offsets[i] + lengths[i]); }

    public String string(int i) { return new String(data, offsets[i], lengths[i], StandardCharsets.UTF_8); }

    /** Case-insensitive match with an upper-case ASCII token. */
    public boolean is(int i, byte[] upperToken) { return Bytes.equalsIgnoreCase(data, offsets[i], lengths[i], upperToken); }

    /** As {@link #is(int, byte[])} for an upper-case ASCII literal, without allocating. */
    public boolean is(int i, String upperToken) {
        int len = lengths[i];
        if (len != upperToken.length()) return false;
        int off = offsets[i];
        for (int j = 0; j < len; j++) {
            int c = data[off + j];
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != upperToken.charAt(j)) return false;
        }
        return true;
    }

    /** Parses argument i as a Redis integer; the parsed value is then at {@link #lastLong()}. */
    public boolean parseLong(int i) { return Bytes.parseLong(data, offsets[i], lengths[i], scratch); }

    public long lastLong() { return scratch[0]; }

    /**
     * Parses a SCAN cursor as C's strtoul does for Redis: an unsigned 64-bit number, an optional
     * sign (a minus negates modulo 2^64), an empty string reading as 0; leading space, trailing
     * junk and overflow are refused. The value lands in {@link #lastLong()}.
     */
    public boolean parseCursor(int i) {
        int o = offsets[i], end = o + lengths[i];
        if (o < end && Character.isWhitespace(data[o])) return false;
        boolean negative = false;
        int p = o;
        if (p < end && (data[p] == '+' || data[p] == '-')) negative = data[p++] == '-';
        int digitsFrom = p;
        long v = 0;
        for (; p < end; p++) {
            int d = data[p] - '0';
            if (d < 0 || d > 9) return false;
            if (Math.unsignedMultiplyHigh(v, 10) != 0) return false;
            long lo = v * 10;
            v = lo + d;
            if (Long.compareUnsigned(v, lo) < 0) return false;
        }
        // strtoul consumes nothing from a lone sign: the sign is then trailing junk.
        if (p == digitsFrom && digitsFrom != o) return false;
        scratch[0] = negative ? -v : v;
        return true;
    }

}
