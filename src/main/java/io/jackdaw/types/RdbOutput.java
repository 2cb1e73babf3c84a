package io.jackdaw.types;

import java.util.Arrays;

/**
 * A growing buffer of RDB primitives (rdb.c's rdbSave* helpers): lengths, strings with their
 * integer and LZF encodings, binary doubles and millisecond times, byte for byte as Redis 7.2
 * writes them. DUMP payloads are built in one; RDB files stream their chunks.
 */
public final class RdbOutput {
    // Length prefixes: 00xxxxxx, 01xxxxxx xxxxxxxx, 0x80 + 32 bits, 0x81 + 64 bits (big-endian).
    public static final int LEN_6BIT = 0, LEN_14BIT = 1, LEN_32BIT = 0x80, LEN_64BIT = 0x81;
    /** 11xxxxxx: a specially encoded string follows; the low six bits say which. */
    public static final int ENCVAL = 3;
    public static final int ENC_INT8 = 0, ENC_INT16 = 1, ENC_INT32 = 2, ENC_LZF = 3;

    private byte[] buf;
    private int size;
    private final boolean compress;
    private byte[] scratch = new byte[0];
    private final long[] parsed = new long[1];
    private Lzf.Table lzfTable;

    /** {@code compress}: rdbcompression (LZF for strings over 20 bytes). */
    public RdbOutput(int capacity, boolean compress) {
        this.buf = new byte[Math.max(16, capacity)];
        this.compress = compress;
    }

    public int size() { return size; }

    public byte[] buffer() { return buf; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, size); }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public void writeLongLE(long v) {
        ensure(8);
        Bytes.putLong(buf, size, v);
        size += 8;
    }

    /** rdbSaveLen: the shortest of the four length forms. */
    public void writeLength(long len) {
        if (len < (1 << 6)) {
            writeByte((int) len | (LEN_6BIT << 6));
        } else if (len < (1 << 14)) {
            writeByte((int) (len >>> 8) | (LEN_14BIT << 6));
            writeByte((int) len);
        } else if (len <= 0xFFFFFFFFL) {
            writeByte(LEN_32BIT);
            ensure(4);
            for (int i = 3; i >= 0; i--) buf[size++] = (byte) (len >>> (8 * i));
        } else {
            writeByte(LEN_64BIT);
            ensure(8);
            for (int i = 7; i >= 0; i--) buf[size++] = (byte) (len >>> (8 * i));
        }
    }

    /** rdbEncodeInteger: 8, 16 or 32-bit little-endian after the ENCVAL byte; false when wider. */
    private boolean writeEncodedInteger(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte((ENCVAL << 6) | ENC_INT8);
            writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte((ENCVAL << 6) | ENC_INT16);
            writeByte((int) v);
            writeByte((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte((ENCVAL << 6) | ENC_INT32);
            ensure(4);
            Bytes.putInt(buf, size, (int) v);
            size += 4;
        } else {
            return false;
        }
        return true;
    }

    /** rdbSaveLongLongAsStringObject: an integer-encoded string, or its decimal digits. */
    public void writeLongAsString(long v) {
        if (writeEncodedInteger(v)) return;
        byte[] digits = Bytes.decimal(v);
        writeLength(digits.length);
        writeRaw(digits, 0, digits.length);
    }

    /**
     * rdbSaveRawString: up to 11 bytes that are a canonical 32-bit integer go as an integer;
     * over 20 bytes LZF is tried when compression is on (kept only if it saves 4 bytes or more);
     * else the length and the bytes.
     */
    public void writeString(byte[] s, int off, int len) {
        if (len <= 11) {
            if (Bytes.parseLong(s, off, len, parsed) && writeEncodedInteger(parsed[0])) return;
        }
        if (compress && len > 20) {
            int outLen = len - 4;
            if (scratch.length < outLen + 1) scratch = new byte[outLen + 1];
            if (lzfTable == null) lzfTable = new Lzf.Table();
            int comp = Lzf.compress(lzfTable, s, off, len, scratch, outLen);
            if (comp > 0) {
                writeByte((ENCVAL << 6) | ENC_LZF);
                writeLength(comp);
                writeLength(len);
                writeRaw(scratch, 0, comp);
                return;
            }
        }
        writeLength(len);
        writeRaw(s, off, len);
    }

    public void writeString(byte[] s) { writeString(s, 0, s.length); }

    /** rdbSaveBinaryDoubleValue: the IEEE bits, little-endian. */
    public void writeBinaryDouble(double d) { writeLongLE(Double.doubleToRawLongBits(d)); }

    /** rdbSaveMillisecondTime: 64-bit little-endian. */
    public void writeMillis(long ms) { writeLongLE(ms); }
}
