package io.jackdaw.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the two compact encodings older Redis versions saved (RDB files and DUMP payloads
 * from Redis before 7.0), which a loaded value is converted from: the ziplist and the zipmap.
 * Nothing is written in these forms. Every read is bounds-checked; a malformed blob throws
 * {@link RdbFormatException}.
 *
 * <pre>
 * ziplist: zlbytes(u32 LE) zltail(u32 LE) zllen(u16 LE) entry... 0xFF
 *   entry: prevlen (1 byte &lt; 254, or 0xFE + u32 LE) encoding data
 *   encoding: 00pppppp               string, 6-bit length
 *             01pppppp qqqqqqqq      string, 14-bit length (big-endian)
 *             10000000 + u32 BE      string, 32-bit length
 *             11000000 int16 | 11010000 int32 | 11100000 int64 | 11110000 int24 | 11111110 int8 (LE)
 *             1111xxxx               immediate 0..12 (xxxx - 1), xxxx in 0001..1101
 * zipmap:  zmlen(u8) (len key len free value free-bytes)... 0xFF
 *   len: 1 byte &lt; 254, or 254 + u32 LE
 * </pre>
 */
public final class Ziplist {
    private Ziplist() {}

    private static final int HEADER = 10, END = 0xFF;

    private static RdbFormatException bad() { return new RdbFormatException("ziplist integrity check failed"); }

    /** The entries of a ziplist, integers as their decimal strings. */
    public static List<byte[]> entries(byte[] z) {
        if (z.length < HEADER + 1 || Integer.toUnsignedLong(Bytes.getInt(z, 0)) != z.length || (z[z.length - 1] & 0xFF) != END) {
            throw bad();
        }
        List<byte[]> out = new ArrayList<>();
        int p = HEADER, end = z.length - 1;
        int prevEntryLen = 0;
        while (p < end) {
            int start = p;
            // prevlen must agree with the previous entry's size (Redis checks this too).
            int first = z[p] & 0xFF;
            int prevlen;
            if (first < 254) {
                prevlen = first;
                p += 1;
            } else if (first == 254) {
                if (p + 5 > end) throw bad();
                prevlen = Bytes.getInt(z, p + 1);
                p += 5;
            } else {
                throw bad();
            }
            if (prevlen != prevEntryLen) throw bad();
            if (p >= end) throw bad();
            int enc = z[p] & 0xFF;
            switch (enc >> 6) {
                case 0 -> {
                    int len = enc & 0x3F;
                    p = string(z, p + 1, len, end, out);
                }
                case 1 -> {
                    if (p + 2 > end) throw bad();
                    int len = ((enc & 0x3F) << 8) | (z[p + 1] & 0xFF);
                    p = string(z, p + 2, len, end, out);
                }
                case 2 -> {
                    if (enc != 0x80 || p + 5 > end) throw bad();
                    long len = ((z[p + 1] & 0xFFL) << 24) | ((z[p + 2] & 0xFF) << 16) | ((z[p + 3] & 0xFF) << 8) | (z[p + 4] & 0xFF);
                    if (len > end) throw bad();
                    p = string(z, p + 5, (int) len, end, out);
                }
                default -> {
                    long v;
                    int size;
                    if (enc == 0xC0) {
                        size = 2;
                        need(p + 1 + size, end);
                        v = (short) Bytes.getU16(z, p + 1);
                    } else if (enc == 0xD0) {
                        size = 4;
                        need(p + 1 + size, end);
                        v = Bytes.getInt(z, p + 1);
                    } else if (enc == 0xE0) {
                        size = 8;
                        need(p + 1 + size, end);
                        v = Bytes.getLong(z, p + 1);
                    } else if (enc == 0xF0) {
                        size = 3;
                        need(p + 1 + size, end);
                        v = ((z[p + 1] & 0xFF) | ((z[p + 2] & 0xFF) << 8) | (z[p + 3] << 16));
                    } else if (enc == 0xFE) {
                        size = 1;
                        need(p + 1 + size, end);
                        v = z[p + 1];
                    } else if (enc >= 0xF1 && enc <= 0xFD) {
                        size = 0;
                        v = (enc & 0x0F) - 1;
                    } else {
                        throw bad();
                    }
                    out.add(Bytes.decimal(v));
                    p += 1 + size;
                }
            }
            prevEntryLen = p - start;
        }
        int count = Bytes.getU16(z, 8);
        if (count != 0xFFFF && count != out.size()) throw bad();
        return out;
    }

    private static void need(int upTo, int end) {
        if (upTo > end) throw bad();
    }

    private static int string(byte[] z, int at, int len, int end, List<byte[]> out) {
        if ((long) at + len > end) throw bad();
        out.add(java.util.Arrays.copyOfRange(z, at, at + len));
        return at + len;
    }

    /** The keys and values of a zipmap, alternating. */
    public static List<byte[]> zipmapEntries(byte[] z) {
        if (z.length < 2 || (z[z.length - 1] & 0xFF) != END) throw bad();
        List<byte[]> out = new ArrayList<>();
        int p = 1, end = z.length - 1;
        while (p < end) {
            int[] len = new int[1];
            p = zipmapLength(z, p, end, len);
            p = string(z, p, len[0], end, out);
            p = zipmapLength(z, p, end, len);
            if (p >= end) throw bad();
            int free = z[p++] & 0xFF;
            p = string(z, p, len[0], end, out);
            if ((long) p + free > end) throw bad();
            p += free;
        }
        return out;
    }

    private static int zipmapLength(byte[] z, int p, int end, int[] len) {
        if (p >= end) throw bad();
        int first = z[p] & 0xFF;
        if (first < 254) {
            len[0] = first;
            return p + 1;
        }
        if (first != 254 || p + 5 > end) throw bad();
        int l = Bytes.getInt(z, p + 1);
        if (l < 0) throw bad();
        len[0] = l;
        return p + 5;
    }
}
