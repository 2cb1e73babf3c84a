package io.jackdaw.types;

import java.util.Arrays;
import java.util.List;

/**
 * Redis's listpack, byte for byte: the compact sequence of strings and integers that Redis uses
 * for small hashes, lists, sets and sorted sets. We keep small collections in exactly this format
 * inside our pages, so that RDB files and DUMP/RESTORE payloads carry them as plain byte copies
 * and a small collection costs the memory it costs in Redis.
 *
 * <pre>
 *  offset 0          4          6
 *         +----------+----------+---------+---------+-----+---------+------+
 *         | total    | count    | entry 0 | entry 1 | ... | entry n | 0xFF |
 *         | u32 LE   | u16 LE   |         |         |     |         |      |
 *         +----------+----------+---------+---------+-----+---------+------+
 *   total  bytes of the whole listpack, header and terminator included (7 when empty)
 *   count  number of entries; 65535 means "65535 or more, walk to count them"
 *
 *  one entry:
 *         +-------------------------+----------+
 *         | encoding byte(s) [data] | backlen  |
 *         +-------------------------+----------+
 *   backlen  the byte length L of "encoding + data", in 1 to 5 bytes of 7 bits each, most
 *            significant group first; the first byte has bit 7 clear, every later one has it
 *            set. Reading leftwards from an entry's last byte and stopping after the byte with
 *            bit 7 clear gives L, which is how an iterator steps backwards.
 *            L &lt;= 127: 1 byte, L &lt; 16383: 2, L &lt; 2097151: 3, L &lt; 268435455: 4, else 5
 *            (the upper bounds are exclusive: 16383 itself takes 3 bytes, as Redis writes it).
 *
 *   first byte       meaning                                   bytes after the first
 *   0vvvvvvv         integer 0..127                            none
 *   10llllll         string, length 0..63                      the string
 *   110vvvvv         integer -4096..4095, 13-bit two's         1 (low 8 bits of the value)
 *                    complement, high 5 bits here
 *   1110llll         string, length 64..4095: 4 high bits      1 (low length byte), string
 *                    here
 *   0xF0             string, 32-bit length                     4 (length LE), string
 *   0xF1 / F2 / F3   integer in 16 / 24 / 32 bits              2 / 3 / 4, two's complement LE
 *   0xF4             integer in 64 bits                        8, LE
 *   0xF5 .. 0xFE     unused: never valid
 *   0xFF             terminator
 * </pre>
 *
 * <p>A value given as bytes is stored as an integer whenever it is the canonical decimal of an
 * int64 (Redis's {@code lpStringToInt64}, the same rules as {@link Bytes#parseLong}), in the
 * smallest integer form that holds it; any other value is a string in the smallest string form.
 * Since that choice depends only on the value, the bytes of a listpack we build depend only on
 * its values (and the count field's 65535 rule), so they match what Redis builds for the same
 * values whatever the order of edits. Listpacks from elsewhere may use larger forms than needed
 * (or keep integer-looking strings as strings); they read correctly all the same.
 *
 * <p>Everything here is static over a region {@code (buf, base)}: {@code base} is where the
 * listpack starts. Entries are named by their absolute offset {@code p} in {@code buf};
 * {@link #NONE} means no entry. Readers assume a well-formed listpack: one we built, or one that
 * passed {@link #validate} with {@code deep} (a shallow check is not enough to read it: a
 * corrupt entry could send a reader into the bytes around the region).
 *
 * <p>Edits come in two forms, both O(size) copies like Redis's memmove: the plain methods return
 * a new array holding the result at offset 0, in which the new (or following) entry lies at the
 * same offset relative to the start as {@code p} did ({@code p - base}; for {@link #AFTER}, just
 * after {@code p}'s entry); the {@code ...Into} methods write the result at {@code (dst,
 * dstBase)}, which must hold the new size and must either be exactly the source region (an
 * in-place edit, as Redis's realloc + memmove) or not overlap it at all, and return the
 * absolute offset in {@code dst}. In an in-place edit the value must not come from the listpack
 * itself.
 */
public final class Listpack {
    private Listpack() {}

    public static final int HEADER_SIZE = 6;
    public static final int EMPTY_SIZE = 7;
    /** Value of the count field that means the count has to be walked. */
    public static final int COUNT_UNKNOWN = 0xFFFF;
    /** No entry (past either end, not found). */
    public static final int NONE = -1;
    /** Where an insert goes relative to the entry it is given. */
    public static final int BEFORE = 0, AFTER = 1, REPLACE = 2;
    /** Redis refuses to let a listpack grow past 1 GiB ({@code lpSafeToAdd}). */
    public static final long SAFETY_SIZE = 1L << 30;

    private static final int EOF = 0xFF;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    // What an edit writes: nothing (a delete), an integer, or a string.
    private static final int KIND_NONE = 0, KIND_INT = 1, KIND_STRING = 2;

    // ---------------------------------------------------------------- whole listpack

    /** A new empty listpack: total 7, count 0, terminator. */
    public static byte[] newEmpty() {
        byte[] b = new byte[EMPTY_SIZE];
        b[0] = EMPTY_SIZE;
        b[HEADER_SIZE] = (byte) EOF;
        return b;
    }

    /** Total bytes of the listpack, from its header. */
    public static int size(byte[] buf, int base) { return Bytes.getInt(buf, base); }

    /** The raw count field: the number of entries, or {@link #COUNT_UNKNOWN}. */
    public static int headerCount(byte[] buf, int base) { return Bytes.getU16(buf, base + 4); }

    /** Number of entries; walks the listpack when the count field says {@link #COUNT_UNKNOWN}. */
    public static int count(byte[] buf, int base) {
        int c = headerCount(buf, base);
        if (c != COUNT_UNKNOWN) return c;
        int n = 0;
        for (int p = first(buf, base); p != NONE; p = next(buf, base, p)) n++;
        return n;
    }

    /**
     * As {@link #count}, and like Redis's {@code lpLength} writes a walked count below 65535 back
     * into the header (after deletes brought it down), so our bytes follow Redis's where it does.
     */
    public static int countAndCache(byte[] buf, int base) {
        int n = count(buf, base);
        if (n < COUNT_UNKNOWN) Bytes.putU16(buf, base + 4, n);
        return n;
    }

    /** True when the listpack has no entries. */
    public static boolean isEmpty(byte[] buf, int base) { return (buf[base + HEADER_SIZE] & 0xFF) == EOF; }

    /** Whether growing the listpack by {@code add} bytes keeps it within Redis's 1 GiB limit. */
    public static boolean safeToAdd(byte[] buf, int base, long add) {
        return size(buf, base) + add <= SAFETY_SIZE;
    }

    // ---------------------------------------------------------------- iteration

    /** Offset of the terminator; inserting {@link #BEFORE} it appends. */
    public static int eof(byte[] buf, int base) { return base + size(buf, base) - 1; }

    /** The first entry, or {@link #NONE} when empty. */
    public static int first(byte[] buf, int base) {
        int p = base + HEADER_SIZE;
        return (buf[p] & 0xFF) == EOF ? NONE : p;
    }

    /** The last entry, or {@link #NONE} when empty. */
    public static int last(byte[] buf, int base) { return prev(buf, base, eof(buf, base)); }

    /** The entry after {@code p}, or {@link #NONE} when {@code p} is the last. */
    public static int next(byte[] buf, int base, int p) {
        int q = p + entrySize(buf, p);
        return (buf[q] & 0xFF) == EOF ? NONE : q;
    }

    /** The entry before {@code p} (which may be the terminator), or {@link #NONE} when {@code p} is the first. */
    public static int prev(byte[] buf, int base, int p) {
        if (p - base == HEADER_SIZE) return NONE;
        int body = (int) decodeBacklen(buf, p - 1);
        return p - body - backlenSize(body);
    }

    /**
     * The entry at {@code index}, counting from 0 at the head, or from -1 at the tail when
     * negative; {@link #NONE} when out of range. Walks from the nearer end when the count is known.
     */
    public static int seek(byte[] buf, int base, long index) {
        int c = headerCount(buf, base);
        boolean forward = true;
        if (c != COUNT_UNKNOWN) {
            if (index < 0) index += c;
            if (index < 0 || index >= c) return NONE;
            if (index > c / 2) {
                forward = false;
                index -= c;
            }
        } else if (index < 0) {
            forward = false;
        }
        if (forward) {
            int p = first(buf, base);
            while (index > 0 && p != NONE) {
                p = next(buf, base, p);
                index--;
            }
            return p;
        }
        int p = last(buf, base);
        while (index < -1 && p != NONE) {
            p = prev(buf, base, p);
            index++;
        }
        return p;
    }

    // ---------------------------------------------------------------- reading one entry

    /** Bytes of the entry at {@code p}: encoding, data and backlen. */
    public static int entrySize(byte[] buf, int p) {
        int body = bodySize(buf, p);
        return body + backlenSize(body);
    }

    /** Whether the entry at {@code p} holds an integer (else a string). */
    public static boolean isInt(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        return b < 0x80 || (b & 0xE0) == 0xC0 || (b >= 0xF1 && b <= 0xF4);
    }

    /** The integer of an integer entry. */
    public static long getInt(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if (b < 0x80) return b;
        if ((b & 0xE0) == 0xC0) {
            int u = ((b & 0x1F) << 8) | (buf[p + 1] & 0xFF);
            return u >= 4096 ? u - 8192 : u;
        }
        return switch (b) {
            case 0xF1 -> (short) Bytes.getU16(buf, p + 1);
            case 0xF2 -> ((buf[p + 1] & 0xFF) | (buf[p + 2] & 0xFF) << 8 | buf[p + 3] << 16);
            case 0xF3 -> Bytes.getInt(buf, p + 1);
            case 0xF4 -> Bytes.getLong(buf, p + 1);
            default -> throw new IllegalArgumentException("listpack entry at " + p + " is not an integer");
        };
    }

    /** Offset in {@code buf} of a string entry's bytes. */
    public static int strOffset(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if ((b & 0xC0) == 0x80) return p + 1;
        if ((b & 0xF0) == 0xE0) return p + 2;
        if (b == 0xF0) return p + 5;
        throw new IllegalArgumentException("listpack entry at " + p + " is not a string");
    }

    /** Length of a string entry's bytes. */
    public static int strLength(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if ((b & 0xC0) == 0x80) return b & 0x3F;
        if ((b & 0xF0) == 0xE0) return ((b & 0x0F) << 8) | (buf[p + 1] & 0xFF);
        if (b == 0xF0) return Bytes.getInt(buf, p + 1);
        throw new IllegalArgumentException("listpack entry at " + p + " is not a string");
    }

    /** Length of the entry's value as bytes: the string, or the integer's decimal. */
    public static int valueLength(byte[] buf, int p) {
        return isInt(buf, p) ? Bytes.longLength(getInt(buf, p)) : strLength(buf, p);
    }

    /** Writes the entry's value as bytes (the string, or the integer's decimal) at {@code at}; returns the end. */
    public static int writeValue(byte[] buf, int p, byte[] dst, int at) {
        if (isInt(buf, p)) return Bytes.writeLong(dst, at, getInt(buf, p));
        int n = strLength(buf, p);
        System.arraycopy(buf, strOffset(buf, p), dst, at, n);
        return at + n;
    }

    /** The entry's value as a new array (the string, or the integer's decimal). */
    public static byte[] toBytes(byte[] buf, int p) {
        byte[] out = new byte[valueLength(buf, p)];
        writeValue(buf, p, out, 0);
        return out;
    }

    /**
     * Whether the entry equals the value {@code v[off, off+len)}, as Redis's {@code lpCompare}: a
     * string entry by its bytes, an integer entry when the value is the canonical decimal of it.
     */
    public static boolean entryEquals(byte[] buf, int p, byte[] v, int off, int len) {
        if (isInt(buf, p)) {
            long[] parsed = new long[1];
            return Bytes.parseLong(v, off, len, parsed) && parsed[0] == getInt(buf, p);
        }
        return Bytes.equals(buf, strOffset(buf, p), strLength(buf, p), v, off, len);
    }

    /**
     * The first entry from {@code p} on (inclusive) that equals the value (as
     * {@link #entryEquals}), looking only at every {@code skip + 1}-th entry: with {@code skip}
     * 1 from a hash's first entry it looks at fields only. {@link #NONE} when none does.
     */
    public static int find(byte[] buf, int base, int p, byte[] v, int off, int len, int skip) {
        if (skip < 0) throw new IllegalArgumentException("skip must not be negative: " + skip);
        if (p == NONE) return NONE;
        int wanted = 0; // 0: not parsed yet, 1: v is an integer (in want), 2: it is not
        long want = 0;
        int skipLeft = 0;
        while ((buf[p] & 0xFF) != EOF) {
            if (skipLeft == 0) {
                if (isInt(buf, p)) {
                    if (wanted == 0) {
                        long[] parsed = new long[1];
                        wanted = Bytes.parseLong(v, off, len, parsed) ? 1 : 2;
                        want = parsed[0];
                    }
                    if (wanted == 1 && getInt(buf, p) == want) return p;
                } else if (Bytes.equals(buf, strOffset(buf, p), strLength(buf, p), v, off, len)) {
                    return p;
                }
                skipLeft = skip;
            } else {
                skipLeft--;
            }
            p += entrySize(buf, p);
        }
        return NONE;
    }

    // ---------------------------------------------------------------- sizes of new entries

    /** Bytes an entry holding the value would take, backlen included. */
    public static int entrySizeFor(byte[] v, int off, int len) {
        long[] parsed = new long[1];
        int body = Bytes.parseLong(v, off, len, parsed) ? intBodySize(parsed[0]) : stringBodySize(len);
        return body + backlenSize(body);
    }

    /** Bytes an entry holding the value would take, as {@link #entrySizeFor}, parsing only what may be an integer. */
    public static int entrySizeForFast(byte[] v, int off, int len) {
        if (len == 0 || len > 20) return stringEntrySize(len);
        byte b = v[off];
        if (b != '-' && (b < '0' || b > '9')) return stringEntrySize(len);
        return entrySizeFor(v, off, len);
    }

    private static int stringEntrySize(int len) {
        int body = stringBodySize(len);
        return body + backlenSize(body);
    }

    /** Bytes an entry holding the integer would take, backlen included. */
    public static int entrySizeForInt(long v) {
        int body = intBodySize(v);
        return body + backlenSize(body);
    }

    // ---------------------------------------------------------------- edits returning a new array

    /** Appends the value at the tail. */
    public static byte[] append(byte[] buf, int base, byte[] v, int off, int len) {
        return insert(buf, base, eof(buf, base), BEFORE, v, off, len);
    }

    public static byte[] append(byte[] buf, int base, byte[] v) { return append(buf, base, v, 0, v.length); }

    /** Appends the integer at the tail. */
    public static byte[] appendInt(byte[] buf, int base, long v) {
        return insertInt(buf, base, eof(buf, base), BEFORE, v);
    }

    /** Inserts the value at the head. */
    public static byte[] prepend(byte[] buf, int base, byte[] v, int off, int len) {
        return insert(buf, base, base + HEADER_SIZE, BEFORE, v, off, len);
    }

    public static byte[] prepend(byte[] buf, int base, byte[] v) { return prepend(buf, base, v, 0, v.length); }

    /** Inserts the integer at the head. */
    public static byte[] prependInt(byte[] buf, int base, long v) {
        return insertInt(buf, base, base + HEADER_SIZE, BEFORE, v);
    }

    /**
     * Inserts the value {@link #BEFORE} or {@link #AFTER} the entry at {@code p}, or puts it in
     * its place ({@link #REPLACE}). {@code p} may be the terminator for {@link #BEFORE}.
     */
    public static byte[] insert(byte[] buf, int base, int p, int where, byte[] v, int off, int len) {
        long[] parsed = new long[1];
        int kind = Bytes.parseLong(v, off, len, parsed) ? KIND_INT : KIND_STRING;
        byte[] out = new byte[sizeAfter(buf, base, p, where, kind, parsed[0], len)];
        edit(buf, base, p, where, kind, parsed[0], v, off, len, out, 0);
        return out;
    }

    /** As {@link #insert} with an integer. */
    public static byte[] insertInt(byte[] buf, int base, int p, int where, long v) {
        byte[] out = new byte[sizeAfter(buf, base, p, where, KIND_INT, v, 0)];
        edit(buf, base, p, where, KIND_INT, v, null, 0, 0, out, 0);
        return out;
    }

    /** Replaces the entry at {@code p} with the value. */
    public static byte[] replace(byte[] buf, int base, int p, byte[] v, int off, int len) {
        return insert(buf, base, p, REPLACE, v, off, len);
    }

    /** Replaces the entry at {@code p} with the integer. */
    public static byte[] replaceInt(byte[] buf, int base, int p, long v) { return insertInt(buf, base, p, REPLACE, v); }

    /** Deletes the entry at {@code p}. */
    public static byte[] delete(byte[] buf, int base, int p) { return delete(buf, base, p, 1); }

    /** Deletes up to {@code num} entries from {@code p} on (fewer when the tail comes first). */
    public static byte[] delete(byte[] buf, int base, int p, int num) {
        int end = skipEntries(buf, p, num);
        byte[] out = new byte[size(buf, base) - (end - p)];
        deleteInto(buf, base, p, num, out, 0);
        return out;
    }

    /**
     * Deletes up to {@code num} entries starting at {@code index} (negative from the tail), as
     * Redis's {@code lpDeleteRange}; an index out of range or {@code num <= 0} deletes nothing
     * (the result is then a copy).
     */
    public static byte[] deleteRange(byte[] buf, int base, long index, long num) {
        int p = num <= 0 ? NONE : seek(buf, base, index);
        if (p == NONE) return Arrays.copyOfRange(buf, base, base + size(buf, base));
        return delete(buf, base, p, (int) Math.min(num, Integer.MAX_VALUE));
    }

    /**
     * Deletes the entries at the given ascending offsets in one copy, as Redis's
     * {@code lpBatchDelete} (the count field drops by their number unless it is unknown).
     */
    public static byte[] deleteEntries(byte[] buf, int base, int[] sortedOffsets) {
        int oldSize = size(buf, base);
        long removed = 0;
        for (int p : sortedOffsets) removed += entrySize(buf, p);
        byte[] out = new byte[(int) (oldSize - removed)];
        int from = base, at = 0;
        for (int p : sortedOffsets) {
            System.arraycopy(buf, from, out, at, p - from);
            at += p - from;
            from = p + entrySize(buf, p);
        }
        System.arraycopy(buf, from, out, at, base + oldSize - from);
        Bytes.putInt(out, 0, out.length);
        int c = headerCount(buf, base);
        if (c != COUNT_UNKNOWN) Bytes.putU16(out, 4, c - sortedOffsets.length);
        return out;
    }

    /** Appends all the values at the tail in one copy (as many {@link #append}s would, byte for byte). */
    public static byte[] appendAll(byte[] buf, int base, List<byte[]> values) {
        int oldSize = size(buf, base);
        long newSize = oldSize;
        for (byte[] v : values) newSize += entrySizeFor(v, 0, v.length);
        checkSize(newSize);
        byte[] out = new byte[(int) newSize];
        System.arraycopy(buf, base, out, 0, oldSize - 1);
        int at = oldSize - 1;
        long[] parsed = new long[1];
        for (byte[] v : values) {
            if (Bytes.parseLong(v, 0, v.length, parsed)) {
                at = writeEntry(out, at, KIND_INT, parsed[0], null, 0, 0);
            } else {
                at = writeEntry(out, at, KIND_STRING, 0, v, 0, v.length);
            }
        }
        out[at] = (byte) EOF;
        Bytes.putInt(out, 0, (int) newSize);
        int c = headerCount(buf, base);
        if (c != COUNT_UNKNOWN) Bytes.putU16(out, 4, (int) Math.min(COUNT_UNKNOWN, (long) c + values.size()));
        return out;
    }

    /** A new listpack of the values, in order. */
    public static byte[] of(List<byte[]> values) { return appendAll(newEmpty(), 0, values); }

    // ---------------------------------------------------------------- edits into a given region

    /**
     * As {@link #insert}, writing the result at {@code (dst, dstBase)}, which must have room for
     * {@code size + entrySizeFor(value)} bytes (less the replaced entry's size for
     * {@link #REPLACE}); returns the offset of the new entry in {@code dst}.
     */
    public static int insertInto(byte[] buf, int base, int p, int where, byte[] v, int off, int len,
                                 byte[] dst, int dstBase) {
        long[] parsed = new long[1];
        int kind = Bytes.parseLong(v, off, len, parsed) ? KIND_INT : KIND_STRING;
        return edit(buf, base, p, where, kind, parsed[0], v, off, len, dst, dstBase);
    }

    /** As {@link #insertInto} with an integer. */
    public static int insertIntInto(byte[] buf, int base, int p, int where, long v, byte[] dst, int dstBase) {
        return edit(buf, base, p, where, KIND_INT, v, null, 0, 0, dst, dstBase);
    }

    /**
     * Deletes up to {@code num} entries from {@code p} on, writing the result at
     * {@code (dst, dstBase)}; returns the offset in {@code dst} of the entry that followed them,
     * or {@link #NONE} when they reached the tail. In place this never needs more room.
     */
    public static int deleteInto(byte[] buf, int base, int p, int num, byte[] dst, int dstBase) {
        int end = p;
        int n = 0;
        while (n < num && (buf[end] & 0xFF) != EOF) {
            end += entrySize(buf, end);
            n++;
        }
        int at = splice(buf, base, p, end, n, KIND_NONE, 0, null, 0, 0, dst, dstBase);
        return (dst[at] & 0xFF) == EOF ? NONE : at;
    }

    /** Bytes spanned by up to {@code num} entries from {@code p} on: what deleting them frees. */
    public static int spanBytes(byte[] buf, int p, int num) { return skipEntries(buf, p, num) - p; }

    // ---------------------------------------------------------------- validation

    /**
     * Whether {@code buf[base, base+len)} holds a well-formed listpack, for bytes from outside
     * (RDB, RESTORE), as Redis's {@code lpValidateIntegrity}. Never throws and never reads outside
     * the region. Shallow: the region is inside {@code buf}, at least 7 bytes, its total field
     * equals {@code len} and it ends with the terminator. Deep, also: every entry has a known
     * encoding, lies wholly before the terminator, and has a backlen that reads back as its
     * "encoding + data" length (so walking backwards agrees with walking forwards); the
     * terminator comes only at the end; the count field equals the number of entries unless it
     * is 65535. A listpack that passes deep may be read with every method here.
     */
    public static boolean validate(byte[] buf, int base, int len, boolean deep) {
        if (buf == null || base < 0 || len < EMPTY_SIZE || (long) base + len > buf.length) return false;
        if (Integer.toUnsignedLong(Bytes.getInt(buf, base)) != len) return false;
        int end = base + len - 1;
        if ((buf[end] & 0xFF) != EOF) return false;
        if (!deep) return true;
        int p = base + HEADER_SIZE;
        long n = 0;
        while (p < end) {
            int b = buf[p] & 0xFF;
            long body;
            if (b < 0x80) {
                body = 1;
            } else if (b < 0xC0) {
                body = 1 + (b & 0x3F);
            } else if (b < 0xE0) {
                body = 2;
            } else if (b < 0xF0) {
                if (p + 2 > end) return false; // the length's second byte must be readable
                body = 2 + (((b & 0x0F) << 8) | (buf[p + 1] & 0xFF));
            } else {
                switch (b) {
                    case 0xF0 -> {
                        if (p + 5 > end) return false;
                        body = 5 + Integer.toUnsignedLong(Bytes.getInt(buf, p + 1));
                    }
                    case 0xF1 -> body = 3;
                    case 0xF2 -> body = 4;
                    case 0xF3 -> body = 5;
                    case 0xF4 -> body = 9;
                    default -> {
                        return false; // unused encodings, and a terminator before the end
                    }
                }
            }
            long entry = body + backlenSize(body);
            if (p + entry > end) return false;
            if (decodeBacklen(buf, (int) (p + entry - 1)) != body) return false;
            p += (int) entry;
            n++;
        }
        int c = headerCount(buf, base);
        return c == COUNT_UNKNOWN || c == n;
    }

    // ---------------------------------------------------------------- internals

    /** Bytes of the entry's encoding and data, without the backlen. */
    private static int bodySize(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if (b < 0x80) return 1;
        if (b < 0xC0) return 1 + (b & 0x3F);
        if (b < 0xE0) return 2;
        if (b < 0xF0) return 2 + (((b & 0x0F) << 8) | (buf[p + 1] & 0xFF));
        return switch (b) {
            case 0xF0 -> 5 + Bytes.getInt(buf, p + 1);
            case 0xF1 -> 3;
            case 0xF2 -> 4;
            case 0xF3 -> 5;
            case 0xF4 -> 9;
            default -> throw new IllegalArgumentException("no listpack entry at " + p + " (byte " + b + ")");
        };
    }

    static int backlenSize(long body) {
        if (body <= 127) return 1;
        if (body < 16383) return 2;
        if (body < 2097151) return 3;
        if (body < 268435455) return 4;
        return 5;
    }

    /** Reads the backlen ending at {@code q} leftwards; -1 when it runs past 5 bytes. */
    private static long decodeBacklen(byte[] buf, int q) {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = buf[q] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
            shift += 7;
            q--;
            if (shift > 28) return -1;
        }
    }

    private static int intBodySize(long v) {
        if (v >= 0 && v <= 127) return 1;
        if (v >= -4096 && v <= 4095) return 2;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 3;
        if (v >= -(1 << 23) && v < (1 << 23)) return 4;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        return 9;
    }

    private static int stringBodySize(int len) {
        if (len < 64) return 1 + len;
        if (len < 4096) return 2 + len;
        return 5 + len; // callers check the total against the array limit
    }

    private static int skipEntries(byte[] buf, int p, int num) {
        for (int n = 0; n < num && (buf[p] & 0xFF) != EOF; n++) p += entrySize(buf, p);
        return p;
    }

    private static void checkSize(long newSize) {
        if (newSize > MAX_ARRAY) throw new IllegalStateException("listpack would exceed " + MAX_ARRAY + " bytes");
    }

    private static int sizeAfter(byte[] buf, int base, int p, int where, int kind, long iv, int len) {
        int body = kind == KIND_INT ? intBodySize(iv) : stringBodySize(len);
        long s = (long) size(buf, base) + body + backlenSize(body);
        if (where == REPLACE) s -= entrySize(buf, p);
        checkSize(s);
        return (int) s;
    }

    private static int edit(byte[] buf, int base, int p, int where, int kind, long iv, byte[] v, int off, int len,
                            byte[] dst, int dstBase) {
        return switch (where) {
            case BEFORE -> splice(buf, base, p, p, 0, kind, iv, v, off, len, dst, dstBase);
            case AFTER -> {
                int q = p + entrySize(buf, p);
                yield splice(buf, base, q, q, 0, kind, iv, v, off, len, dst, dstBase);
            }
            case REPLACE -> splice(buf, base, p, p + entrySize(buf, p), 1, kind, iv, v, off, len, dst, dstBase);
            default -> throw new IllegalArgumentException("where must be BEFORE, AFTER or REPLACE: " + where);
        };
    }

    /**
     * The one edit: bytes {@code [from, to)} of the source (whole entries, {@code removed} of
     * them) give way to one new entry (or none), the result going to {@code (dst, dstBase)}.
     * The tail moves first, so an in-place edit works like memmove in either direction.
     */
    private static int splice(byte[] buf, int base, int from, int to, int removed,
                              int kind, long iv, byte[] v, int off, int len, byte[] dst, int dstBase) {
        int oldSize = size(buf, base);
        int oldCount = headerCount(buf, base);
        int added = 0;
        if (kind != KIND_NONE) {
            int body = kind == KIND_INT ? intBodySize(iv) : stringBodySize(len);
            added = body + backlenSize(body);
        }
        long newSize = (long) oldSize - (to - from) + added;
        checkSize(newSize);
        int rel = from - base;
        boolean inPlace = dst == buf && dstBase == base;
        System.arraycopy(buf, to, dst, dstBase + rel + added, base + oldSize - to);
        if (!inPlace) System.arraycopy(buf, base, dst, dstBase, rel);
        if (kind != KIND_NONE) writeEntry(dst, dstBase + rel, kind, iv, v, off, len);
        Bytes.putInt(dst, dstBase, (int) newSize);
        if (oldCount != COUNT_UNKNOWN) {
            int c = oldCount - removed + (kind != KIND_NONE ? 1 : 0);
            Bytes.putU16(dst, dstBase + 4, Math.min(COUNT_UNKNOWN, Math.max(0, c)));
        }
        return dstBase + rel;
    }

    /** Writes one whole entry (encoding, data, backlen) at {@code at}; returns its end. */
    private static int writeEntry(byte[] dst, int at, int kind, long iv, byte[] v, int off, int len) {
        int start = at;
        if (kind == KIND_INT) {
            at = writeIntBody(dst, at, iv);
        } else if (len < 64) {
            dst[at++] = (byte) (0x80 | len);
            System.arraycopy(v, off, dst, at, len);
            at += len;
        } else if (len < 4096) {
            dst[at++] = (byte) (0xE0 | (len >>> 8));
            dst[at++] = (byte) len;
            System.arraycopy(v, off, dst, at, len);
            at += len;
        } else {
            dst[at++] = (byte) 0xF0;
            Bytes.putInt(dst, at, len);
            at += 4;
            System.arraycopy(v, off, dst, at, len);
            at += len;
        }
        int body = at - start;
        int n = backlenSize(body);
        for (int i = 0; i < n; i++) {
            int group = (body >>> (7 * (n - 1 - i))) & 0x7F;
            dst[at++] = (byte) (i == 0 ? group : group | 0x80);
        }
        return at;
    }

    private static int writeIntBody(byte[] dst, int at, long v) {
        if (v >= 0 && v <= 127) {
            dst[at] = (byte) v;
            return at + 1;
        }
        if (v >= -4096 && v <= 4095) {
            int u = (int) v & 0x1FFF; // 13-bit two's complement
            dst[at] = (byte) (0xC0 | (u >>> 8));
            dst[at + 1] = (byte) u;
            return at + 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            dst[at] = (byte) 0xF1;
            Bytes.putU16(dst, at + 1, (int) v);
            return at + 3;
        }
        if (v >= -(1 << 23) && v < (1 << 23)) {
            dst[at] = (byte) 0xF2;
            dst[at + 1] = (byte) v;
            dst[at + 2] = (byte) (v >> 8);
            dst[at + 3] = (byte) (v >> 16);
            return at + 4;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            dst[at] = (byte) 0xF3;
            Bytes.putInt(dst, at + 1, (int) v);
            return at + 5;
        }
        dst[at] = (byte) 0xF4;
        Bytes.putLong(dst, at + 1, v);
        return at + 9;
    }
}
