package io.jackdaw.types;

/**
 * Reads RDB primitives (rdb.c's rdbLoad* helpers) from a byte range, checking every bound: a
 * truncated or malformed input throws {@link RdbFormatException}, never an index error, so a
 * hostile DUMP payload or a corrupt file ends in "Bad data format" or a clear load error.
 */
public final class RdbInput {
    private final byte[] buf;
    private int pos;
    private final int end;

    public RdbInput(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int position() { return pos; }

    public int remaining() { return end - pos; }

    private void need(long n) {
        if (n < 0 || n > end - pos) throw new RdbFormatException("unexpected end of data");
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public long readLongLE() {
        need(8);
        long v = Bytes.getLong(buf, pos);
        pos += 8;
        return v;
    }

    public int readIntLE() {
        need(4);
        int v = Bytes.getInt(buf, pos);
        pos += 4;
        return v;
    }

    /** Copies {@code n} raw bytes. */
    public byte[] readRaw(long n) {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    /** The first byte of a length, for callers that tell encoded strings from plain lengths. */
    private long lengthAfter(int first) {
        switch (first >> 6) {
            case RdbOutput.LEN_6BIT:
                return first & 0x3F;
            case RdbOutput.LEN_14BIT:
                return ((first & 0x3F) << 8) | readByte();
            default:
                if (first == RdbOutput.LEN_32BIT) {
                    need(4);
                    long v = 0;
                    for (int i = 0; i < 4; i++) v = (v << 8) | (buf[pos++] & 0xFF);
                    return v;
                }
                if (first == RdbOutput.LEN_64BIT) {
                    need(8);
                    long v = 0;
                    for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xFF);
                    if (v < 0) throw new RdbFormatException("length out of range");
                    return v;
                }
                throw new RdbFormatException("unknown length encoding " + first);
        }
    }

    /** rdbLoadLen for a plain length (an encoded-string marker is an error here). */
    public long readLength() {
        int first = readByte();
        if ((first >> 6) == RdbOutput.ENCVAL) throw new RdbFormatException("encoded value where a length belongs");
        return lengthAfter(first);
    }

    /**
     * An element count that the rest of the input can back, each element taking at least
     * {@code minBytesEach} bytes, so arrays sized by it stay within a small multiple of the input.
     */
    public int readCount(int minBytesEach) {
        long n = readLength();
        if (n > remaining() / minBytesEach) throw new RdbFormatException("count larger than the data");
        return (int) n;
    }

    /** {@link #readCount(int)} for elements of at least one byte. */
    public int readCount() { return readCount(1); }

    /** rdbGenericLoadStringObject: integer-encoded, LZF-compressed or plain; the string's bytes. */
    public byte[] readString() {
        int first = readByte();
        if ((first >> 6) == RdbOutput.ENCVAL) {
            switch (first & 0x3F) {
                case RdbOutput.ENC_INT8:
                    return Bytes.decimal((byte) readByte());
                case RdbOutput.ENC_INT16: {
                    int lo = readByte(), hi = readByte();
                    return Bytes.decimal((short) (lo | (hi << 8)));
                }
                case RdbOutput.ENC_INT32:
                    return Bytes.decimal(readIntLE());
                case RdbOutput.ENC_LZF: {
                    long clen = readLength(), len = readLength();
                    need(clen);
                    // The declared length is believed only as far as the compressed bytes could
                    // produce it, so a hostile header cannot make us allocate a huge array.
                    if (len == 0 || clen == 0 || len > Lzf.maxExpansion(clen) || len > Integer.MAX_VALUE - 16) {
                        throw new RdbFormatException("bad LZF length");
                    }
                    byte[] out = Lzf.decompress(buf, pos, (int) clen, (int) len);
                    if (out == null) throw new RdbFormatException("invalid LZF compressed string");
                    pos += (int) clen;
                    return out;
                }
                default:
                    throw new RdbFormatException("unknown string encoding " + (first & 0x3F));
            }
        }
        return readRaw(lengthAfter(first));
    }

    /** rdbLoadBinaryDoubleValue. */
    public double readBinaryDouble() { return Double.longBitsToDouble(readLongLE()); }

    /**
     * rdbLoadDoubleValue (old ZSET type 3): a length byte then that many ASCII characters;
     * 253 is NaN, 254 +inf, 255 -inf.
     */
    public double readAsciiDouble() {
        int len = readByte();
        switch (len) {
            case 253: return Double.NaN;
            case 254: return Double.POSITIVE_INFINITY;
            case 255: return Double.NEGATIVE_INFINITY;
            default: {
                byte[] b = readRaw(len);
                double d = Strtod.string2d(b, 0, b.length);
                if (Double.isNaN(d)) throw new RdbFormatException("bad double value");
                return d;
            }
        }
    }

    public long readMillis() { return readLongLE(); }
}
