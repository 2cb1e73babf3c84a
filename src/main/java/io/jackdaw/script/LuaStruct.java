package io.jackdaw.script;

import java.io.ByteArrayOutputStream;
import party.iroiro.luajava.Lua;

/**
 * The {@code struct} library Redis bundles (Roberto Ierusalimschy's, with the bounds checks
 * Redis added): {@code pack}, {@code unpack} and {@code size} over a format string. The format
 * is read as C reads it (up to the first NUL, signed chars); sizes are those of x86-64 Linux
 * (long and size_t 8 bytes, native order little-endian, maximum alignment 8).
 */
final class LuaStruct {
    private LuaStruct() {}

    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;

    static void install(Lua lua, LuaNative n) {
        lua.newTable();
        ScriptLibraries.set(lua, n, "pack", L -> pack(n, L));
        ScriptLibraries.set(lua, n, "unpack", L -> unpack(n, L));
        ScriptLibraries.set(lua, n, "size", L -> size(n, L));
        lua.setGlobal("struct");
    }

    /** The format string and where its reader is; endianness and alignment as the options set them. */
    private static final class Format {
        final byte[] f;
        int at;
        boolean little = true;
        int align = 1;

        Format(byte[] raw) {
            int end = 0;
            while (end < raw.length && raw[end] != 0) end++;
            f = end == raw.length ? raw : java.util.Arrays.copyOf(raw, end);
        }

        boolean more() { return at < f.length; }

        int next() { return f[at++]; } // signed, as C's char

        boolean digitNext() { return at < f.length && f[at] >= '0' && f[at] <= '9'; }
    }

    private static int number(LuaNative n, long L, Format fmt, int def) {
        if (!fmt.digitNext()) return def;
        int a = 0;
        do {
            int d = fmt.f[fmt.at] - '0';
            if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) throw n.error(L, "integral size overflow");
            a = a * 10 + d;
            fmt.at++;
        } while (fmt.digitNext());
        return a;
    }

    private static long optionSize(LuaNative n, long L, int opt, Format fmt) {
        switch (opt) {
            case 'B', 'b', 'x': return 1;
            case 'H', 'h': return 2;
            case 'f': return 4;
            case 'L', 'l', 'T', 'd': return 8;
            case 'c': return number(n, L, fmt, 1);
            case 'i', 'I': {
                int sz = number(n, L, fmt, 4);
                if (sz > MAX_INT_SIZE) throw n.error(L, "integral size " + sz + " is larger than limit of " + MAX_INT_SIZE);
                return sz;
            }
            default: return 0;
        }
    }

    private static long padding(long len, Format fmt, int opt, long size) {
        if (size == 0 || opt == 'c') return 0;
        if (size > fmt.align) size = fmt.align;
        return (size - (len & (size - 1))) & (size - 1);
    }

    private static void control(LuaNative n, long L, int opt, Format fmt) {
        switch (opt) {
            case ' ': return;
            case '>': fmt.little = false; return;
            case '<': fmt.little = true; return;
            case '!': {
                int a = number(n, L, fmt, MAX_ALIGN);
                if (a <= 0 || (a & (a - 1)) != 0) throw n.error(L, "alignment " + a + " is not a power of 2");
                fmt.align = a;
                return;
            }
            default: {
                byte[] prefix = "invalid format option '".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                byte[] msg = java.util.Arrays.copyOf(prefix, prefix.length + 2);
                msg[prefix.length] = (byte) opt;
                msg[prefix.length + 1] = '\'';
                throw n.argError(L, 1, msg);
            }
        }
    }

    private static boolean isInteger(int opt) {
        return switch (opt) {
            case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> true;
            default -> false;
        };
    }

    // ------------------------------------------------------------ pack

    private static int pack(LuaNative n, long L) {
        Format fmt = new Format(n.checkBytes(L, 1));
        n.natives.lua_pushnil(L); // the original's mark after the arguments: one too many reads "got nil"
        int arg = 2;
        long total = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (fmt.more()) {
            int opt = fmt.next();
            long size = optionSize(n, L, opt, fmt);
            long pad = padding(total, fmt, opt, size);
            total += pad;
            for (long i = 0; i < pad; i++) out.write(0);
            if (isInteger(opt)) {
                putInteger(out, n.checkNumber(L, arg++), fmt.little, (int) size);
            } else if (opt == 'x') {
                out.write(0);
            } else if (opt == 'f') {
                int bits = Float.floatToRawIntBits((float) n.checkNumber(L, arg++));
                putInteger(out, bits & 0xFFFFFFFFL, fmt.little, 4);
            } else if (opt == 'd') {
                putInteger(out, Double.doubleToRawLongBits(n.checkNumber(L, arg++)), fmt.little, 8);
            } else if (opt == 'c' || opt == 's') {
                byte[] s = n.checkBytes(L, arg++);
                if (size == 0) size = s.length;
                // As the original: the argument number reported is the one after the string.
                if (s.length < size) throw n.argError(L, arg, "string too short");
                out.write(s, 0, (int) size);
                if (opt == 's') {
                    out.write(0);
                    size++;
                }
            } else {
                control(n, L, opt, fmt);
            }
            total += size;
        }
        n.push(L, out.toByteArray());
        return 1;
    }

    /** C's conversions of a double to the library's 64-bit integer (signed below zero, unsigned above). */
    private static void putInteger(ByteArrayOutputStream out, double d, boolean little, int size) {
        long value = d < 0 ? LuaNative.cLong(d) : toUnsigned(d);
        putInteger(out, value, little, size);
    }

    private static void putInteger(ByteArrayOutputStream out, long value, boolean little, int size) {
        byte[] b = new byte[size];
        if (little) {
            for (int i = 0; i < size; i++, value >>>= 8) b[i] = (byte) value;
        } else {
            for (int i = size - 1; i >= 0; i--, value >>>= 8) b[i] = (byte) value;
        }
        out.write(b, 0, size);
    }

    /** A double to uint64 as x86-64 code does it: NaN and values past 2^64 give the invalid-conversion bits. */
    static long toUnsigned(double d) {
        if (!(d >= 0x1p63)) return LuaNative.cLong(d);
        return LuaNative.cLong(d - 0x1p63) ^ Long.MIN_VALUE;
    }

    // ------------------------------------------------------------ unpack

    private static int unpack(LuaNative n, long L) {
        Format fmt = new Format(n.checkBytes(L, 1));
        byte[] data = n.checkBytes(L, 2);
        long ld = data.length;
        long pos = n.optInteger(L, 3, 1); // a size_t in C: negative offsets pass the check below
        if (pos == 0) throw n.argError(L, 3, "offset must be 1 or greater");
        pos--;
        int results = 0;
        while (fmt.more()) {
            int opt = fmt.next();
            long size = optionSize(n, L, opt, fmt);
            pos += padding(pos, fmt, opt, size);
            if (!fits(size, pos, ld)) throw n.argError(L, 2, "data string too short");
            n.checkStack(L, 2, "too many results");
            if (isInteger(opt)) {
                long raw = getInteger(data, (int) pos, fmt.little, (int) size);
                double value;
                if (Character.isLowerCase(opt)) {
                    long mask = -1L << (size * 8 - 1);
                    if ((raw & mask) != 0) raw |= mask;
                    value = raw;
                } else {
                    value = unsignedToDouble(raw);
                }
                n.natives.lua_pushnumber(L, value);
                results++;
            } else if (opt == 'x') {
                // padding only
            } else if (opt == 'f') {
                n.natives.lua_pushnumber(L, Float.intBitsToFloat((int) getInteger(data, (int) pos, fmt.little, 4)));
                results++;
            } else if (opt == 'd') {
                n.natives.lua_pushnumber(L, Double.longBitsToDouble(getInteger(data, (int) pos, fmt.little, 8)));
                results++;
            } else if (opt == 'c') {
                if (size == 0) {
                    if (results == 0 || n.natives.lua_isnumber(L, -1) == 0) throw n.error(L, "format 'c0' needs a previous size");
                    size = toUnsigned(n.natives.lua_tonumber(L, -1));
                    n.natives.lua_pop(L, 1);
                    results--;
                    if (!fits(size, pos, ld)) throw n.argError(L, 2, "data string too short");
                }
                n.push(L, data, (int) pos, (int) size);
                results++;
            } else if (opt == 's') {
                int end = (int) pos;
                while (end < data.length && data[end] != 0) end++;
                if (end == data.length) throw n.error(L, "unfinished string in data");
                size = end - pos + 1;
                n.push(L, data, (int) pos, end - (int) pos);
                results++;
            } else {
                control(n, L, opt, fmt);
            }
            pos += size;
        }
        n.natives.lua_pushnumber(L, (double) (pos + 1));
        return results + 1;
    }

    /** {@code size <= ld && pos <= ld - size}, all unsigned as in C. */
    private static boolean fits(long size, long pos, long ld) {
        return Long.compareUnsigned(size, ld) <= 0 && Long.compareUnsigned(pos, ld - size) <= 0;
    }

    private static long getInteger(byte[] data, int pos, boolean little, int size) {
        long l = 0;
        if (!little) {
            for (int i = 0; i < size; i++) l = (l << 8) | (data[pos + i] & 0xFF);
        } else {
            for (int i = size - 1; i >= 0; i--) l = (l << 8) | (data[pos + i] & 0xFF);
        }
        return l;
    }

    /** C's uint64 to double, rounded to nearest. */
    static double unsignedToDouble(long u) {
        if (u >= 0) return u;
        return ((double) ((u >>> 1) | (u & 1))) * 2.0;
    }

    // ------------------------------------------------------------ size

    private static int size(LuaNative n, long L) {
        Format fmt = new Format(n.checkBytes(L, 1));
        long pos = 0;
        while (fmt.more()) {
            int opt = fmt.next();
            long size = optionSize(n, L, opt, fmt);
            pos += padding(pos, fmt, opt, size);
            if (opt == 's') throw n.argError(L, 1, "option 's' has no fixed size");
            else if (opt == 'c' && size == 0) throw n.argError(L, 1, "option 'c0' has no fixed size");
            // Unknown letters and digits are skipped here, as in the original.
            boolean alnum = (opt >= 'a' && opt <= 'z') || (opt >= 'A' && opt <= 'Z') || (opt >= '0' && opt <= '9');
            if (!alnum) control(n, L, opt, fmt);
            pos += size;
        }
        n.natives.lua_pushnumber(L, (double) pos);
        return 1;
    }
}
