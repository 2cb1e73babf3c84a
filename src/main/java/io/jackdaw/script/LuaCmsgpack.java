package io.jackdaw.script;

import party.iroiro.luajava.Lua;

/**
 * The {@code cmsgpack} library Redis bundles (lua-cmsgpack 0.4.0): {@code pack} (variadic),
 * {@code unpack}, {@code unpack_one} and {@code unpack_limit}. Tables become arrays when their
 * keys are exactly 1..N, maps otherwise; tables nested 16 deep are packed as nil; numbers that
 * are whole 64-bit integers take the smallest integer encoding, others a float32 when that is
 * exact, else a double. Decoding knows the formats of the original only (no bin, ext).
 */
final class LuaCmsgpack {
    private LuaCmsgpack() {}

    private static final int MAX_NESTING = 16;

    static void install(Lua lua, LuaNative n) {
        lua.newTable();
        ScriptLibraries.set(lua, n, "pack", L -> pack(n, L));
        ScriptLibraries.set(lua, n, "unpack", L -> unpack(n, L, 0, 0));
        ScriptLibraries.set(lua, n, "unpack_one", L -> {
            long offset = n.optInteger(L, 2, 0);
            n.natives.lua_settop(L, Math.min(1, n.natives.lua_gettop(L)));
            return unpack(n, L, 1, offset);
        });
        ScriptLibraries.set(lua, n, "unpack_limit", L -> {
            long limit = n.checkInteger(L, 2);
            long offset = n.optInteger(L, 3, 0);
            n.natives.lua_settop(L, Math.min(1, n.natives.lua_gettop(L)));
            return unpack(n, L, limit, offset);
        });
        String[][] meta = {
            {"_NAME", "cmsgpack"}, {"_VERSION", "lua-cmsgpack 0.4.0"},
            {"_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"},
            {"_DESCRIPTION", "MessagePack C implementation for Lua"}};
        for (String[] kv : meta) {
            lua.push(kv[1]);
            lua.setField(-2, kv[0]);
        }
        lua.setGlobal("cmsgpack");
    }

    // ------------------------------------------------------------ packing

    private static final class Buffer {
        byte[] b = new byte[64];
        int len;
        final LuaNative n;
        final long L;

        Buffer(LuaNative n, long L) {
            this.n = n;
            this.L = L;
        }

        void ensure(long extra) {
            if (len + extra > LuaCjson.MAX_OUTPUT) throw n.error(L, "not enough memory");
            if (len + extra > b.length) b = java.util.Arrays.copyOf(b, (int) Math.min(LuaCjson.MAX_OUTPUT, Math.max(len + extra, 2L * b.length)));
        }

        void add(int x) {
            ensure(1);
            b[len++] = (byte) x;
        }

        void addBig(long v, int bytes) {
            ensure(bytes);
            for (int i = bytes - 1; i >= 0; i--) b[len++] = (byte) (v >>> (8 * i));
        }

        void add(byte[] s) {
            ensure(s.length);
            System.arraycopy(s, 0, b, len, s.length);
            len += s.length;
        }
    }

    private static int pack(LuaNative n, long L) {
        int nargs = n.natives.lua_gettop(L);
        if (nargs == 0) throw n.argError(L, 0, "MessagePack pack needs input.");
        if (n.natives.lua_checkstack(L, nargs) == 0) throw n.argError(L, 0, "Too many arguments for MessagePack pack.");
        Buffer buf = new Buffer(n, L);
        for (int i = 1; i <= nargs; i++) {
            n.natives.lua_pushvalue(L, i);
            encode(n, L, buf, 0);
        }
        n.push(L, buf.b, 0, buf.len);
        return 1;
    }

    /** Encodes and pops the value on top of the stack. */
    private static void encode(LuaNative n, long L, Buffer buf, int level) {
        int t = n.natives.lua_type(L, -1);
        if (t == LuaNative.TTABLE && level == MAX_NESTING) t = LuaNative.TNIL;
        switch (t) {
            case LuaNative.TSTRING -> {
                byte[] s = n.bytes(L, -1);
                int len = s.length;
                if (len < 32) {
                    buf.add(0xa0 | len);
                } else if (len <= 0xff) {
                    buf.add(0xd9);
                    buf.add(len);
                } else if (len <= 0xffff) {
                    buf.add(0xda);
                    buf.addBig(len, 2);
                } else {
                    buf.add(0xdb);
                    buf.addBig(len, 4);
                }
                buf.add(s);
            }
            case LuaNative.TBOOLEAN -> buf.add(n.natives.lua_toboolean(L, -1) != 0 ? 0xc3 : 0xc2);
            case LuaNative.TNUMBER -> number(buf, n.natives.lua_tonumber(L, -1));
            case LuaNative.TTABLE -> {
                if (isArray(n, L)) array(n, L, buf, level);
                else map(n, L, buf, level);
            }
            default -> buf.add(0xc0);
        }
        n.natives.lua_pop(L, 1);
    }

    private static void number(Buffer buf, double d) {
        // A whole number in int64 range (C's cast, where out of range gives INT64_MIN) packs as an integer.
        if (!Double.isInfinite(d) && (double) LuaNative.cLong(d) == d) {
            integer(buf, LuaNative.cLong(d));
            return;
        }
        float f = (float) d;
        if (d == (double) f) {
            buf.add(0xca);
            buf.addBig(Float.floatToRawIntBits(f) & 0xFFFFFFFFL, 4);
        } else {
            buf.add(0xcb);
            buf.addBig(Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void integer(Buffer buf, long v) {
        if (v >= 0) {
            if (v <= 127) {
                buf.add((int) v);
            } else if (v <= 0xff) {
                buf.add(0xcc);
                buf.add((int) v);
            } else if (v <= 0xffff) {
                buf.add(0xcd);
                buf.addBig(v, 2);
            } else if (v <= 0xffffffffL) {
                buf.add(0xce);
                buf.addBig(v, 4);
            } else {
                buf.add(0xcf);
                buf.addBig(v, 8);
            }
        } else {
            if (v >= -32) {
                buf.add((int) v);
            } else if (v >= -128) {
                buf.add(0xd0);
                buf.add((int) v);
            } else if (v >= -32768) {
                buf.add(0xd1);
                buf.addBig(v, 2);
            } else if (v >= -2147483648L) {
                buf.add(0xd2);
                buf.addBig(v, 4);
            } else {
                buf.add(0xd3);
                buf.addBig(v, 8);
            }
        }
    }

    /** Keys exactly 1..N (positive whole numbers that fit a C int, as many as the highest). */
    private static boolean isArray(LuaNative n, long L) {
        int top = n.natives.lua_gettop(L);
        n.checkStack(L, 2, "in function table_is_an_array");
        int count = 0, max = 0;
        n.natives.lua_pushnil(L);
        while (n.natives.lua_next(L, -2) != 0) {
            n.natives.lua_pop(L, 1);
            double k;
            if (n.natives.lua_type(L, -1) != LuaNative.TNUMBER || (k = n.natives.lua_tonumber(L, -1)) <= 0
                    || Double.isInfinite(k) || k != Math.rint(k) || k > Integer.MAX_VALUE) {
                n.natives.lua_settop(L, top);
                return false;
            }
            max = Math.max(max, (int) k);
            count++;
        }
        n.natives.lua_settop(L, top);
        return max == count;
    }

    private static void array(LuaNative n, long L, Buffer buf, int level) {
        long len = n.natives.lua_objlen(L, -1);
        header(buf, len, 0x90, 0xdc, 0xdd);
        n.checkStack(L, 1, "in function mp_encode_lua_table_as_array");
        for (long j = 1; j <= len; j++) {
            // lua_gettable in the original; with keys exactly 1..N no metamethod can run, so raw is the same.
            n.natives.lua_rawgeti(L, -1, (int) j);
            encode(n, L, buf, level + 1);
        }
    }

    private static void map(LuaNative n, long L, Buffer buf, int level) {
        n.checkStack(L, 3, "in function mp_encode_lua_table_as_map");
        long len = 0;
        n.natives.lua_pushnil(L);
        while (n.natives.lua_next(L, -2) != 0) {
            n.natives.lua_pop(L, 1);
            len++;
        }
        header(buf, len, 0x80, 0xde, 0xdf);
        n.natives.lua_pushnil(L);
        while (n.natives.lua_next(L, -2) != 0) {
            n.natives.lua_pushvalue(L, -2);
            encode(n, L, buf, level + 1); // the key
            encode(n, L, buf, level + 1); // the value
        }
    }

    private static void header(Buffer buf, long count, int fix, int code16, int code32) {
        if (count <= 15) {
            buf.add(fix | (int) count);
        } else if (count <= 65535) {
            buf.add(code16);
            buf.addBig(count, 2);
        } else {
            buf.add(code32);
            buf.addBig(count, 4);
        }
    }

    // ------------------------------------------------------------ unpacking

    /** Bytes ran out, or a type byte the library does not know: the original's cursor errors. */
    private static final class Stop extends RuntimeException {
        final boolean eof;

        Stop(boolean eof) {
            super(null, null, false, false);
            this.eof = eof;
        }
    }

    private static final Stop EOF = new Stop(true), BADFMT = new Stop(false);

    private static final class Cursor {
        final byte[] s;
        int p;

        Cursor(byte[] s, int p) {
            this.s = s;
            this.p = p;
        }

        int left() { return s.length - p; }

        void need(long n) { if (left() < n) throw EOF; }

        int u8(int at) { return s[p + at] & 0xFF; }

        long big(int at, int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) v = (v << 8) | u8(at + i);
            return v;
        }
    }

    private static int unpack(LuaNative n, long L, long limit, long offset) {
        byte[] s = n.checkBytes(L, 1);
        int len = s.length;
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            // As the original, which prints the input length where it means the limit.
            throw n.error(L, "Invalid request to unpack with offset of " + (int) offset + " and limit of " + len + ".");
        } else if (offset > len) {
            throw n.error(L, "Start offset " + (int) offset + " greater than input length " + len + ".");
        }
        if (all) limit = Integer.MAX_VALUE;
        Cursor c = new Cursor(s, (int) offset);
        int count = 0;
        try {
            for (; c.left() > 0 && count < limit; count++) decode(n, L, c);
        } catch (Stop stop) {
            throw n.error(L, stop.eof ? "Missing bytes in input." : "Bad data format in input.");
        }
        if (!all) {
            n.checkStack(L, 1, "in function mp_unpack_full");
            n.natives.lua_pushnumber(L, c.left() == 0 ? -1 : c.p);
            n.natives.lua_insert(L, 2);
            count++;
        }
        return count;
    }

    /** An array or map being filled while its elements are decoded. */
    private static final class Frame {
        final boolean map;
        long left;
        long index = 1;
        boolean keyDone;

        Frame(boolean map, long left) {
            this.map = map;
            this.left = left;
        }
    }

    /**
     * Decodes one value onto the Lua stack. Iterative, so deep nesting meets Lua's stack limit
     * (the original's error) rather than Java's; the Lua calls come in the original's order.
     */
    private static void decode(LuaNative n, long L, Cursor c) {
        java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();
        while (true) {
            Frame opened = item(n, L, c);
            boolean completed;
            if (opened != null) {
                frames.push(opened);
                completed = false;
            } else {
                completed = true;
            }
            while (true) {
                Frame f = frames.peek();
                if (completed) {
                    if (f == null) return;
                    if (f.map && !f.keyDone) {
                        f.keyDone = true;
                        break; // now the value
                    }
                    if (f.map) {
                        setField(n, L);
                        f.keyDone = false;
                    } else {
                        n.natives.lua_settable(L, -3);
                    }
                    completed = false;
                }
                if (f.left == 0) {
                    frames.pop();
                    completed = true;
                    continue;
                }
                f.left--;
                if (!f.map) n.natives.lua_pushnumber(L, f.index++);
                break;
            }
        }
    }

    /** Decodes a scalar onto the stack, or opens a container (its table pushed) and returns its frame. */
    private static Frame item(LuaNative n, long L, Cursor c) {
        c.need(1);
        n.checkStack(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
        int type = c.u8(0);
        switch (type) {
            case 0xcc -> { c.need(2); pushInt(n, L, c.u8(1)); c.p += 2; }
            case 0xd0 -> { c.need(2); pushInt(n, L, (byte) c.u8(1)); c.p += 2; }
            case 0xcd -> { c.need(3); pushInt(n, L, c.big(1, 2)); c.p += 3; }
            case 0xd1 -> { c.need(3); pushInt(n, L, (short) c.big(1, 2)); c.p += 3; }
            case 0xce -> { c.need(5); pushInt(n, L, c.big(1, 4)); c.p += 5; }
            case 0xd2 -> { c.need(5); pushInt(n, L, (int) c.big(1, 4)); c.p += 5; }
            // uint 64 goes through a signed lua_Integer, as in the original: 2^63 and up come out negative.
            case 0xcf, 0xd3 -> { c.need(9); pushInt(n, L, c.big(1, 8)); c.p += 9; }
            case 0xc0 -> { n.natives.lua_pushnil(L); c.p += 1; }
            case 0xc3 -> { n.natives.lua_pushboolean(L, 1); c.p += 1; }
            case 0xc2 -> { n.natives.lua_pushboolean(L, 0); c.p += 1; }
            case 0xca -> { c.need(5); n.natives.lua_pushnumber(L, Float.intBitsToFloat((int) c.big(1, 4))); c.p += 5; }
            case 0xcb -> { c.need(9); n.natives.lua_pushnumber(L, Double.longBitsToDouble(c.big(1, 8))); c.p += 9; }
            case 0xd9 -> { c.need(2); string(n, L, c, 2, c.u8(1)); }
            case 0xda -> { c.need(3); string(n, L, c, 3, c.big(1, 2)); }
            case 0xdb -> { c.need(5); long l = c.big(1, 4); c.p += 5; string(n, L, c, 0, l); }
            case 0xdc -> { c.need(3); long l = c.big(1, 2); c.p += 3; return array(n, L, l); }
            case 0xdd -> { c.need(5); long l = c.big(1, 4); c.p += 5; return array(n, L, l); }
            case 0xde -> { c.need(3); long l = c.big(1, 2); c.p += 3; return map(n, L, l); }
            case 0xdf -> { c.need(5); long l = c.big(1, 4); c.p += 5; return map(n, L, l); }
            default -> {
                if ((type & 0x80) == 0) {
                    pushInt(n, L, type);
                    c.p += 1;
                } else if ((type & 0xe0) == 0xe0) {
                    pushInt(n, L, (byte) type);
                    c.p += 1;
                } else if ((type & 0xe0) == 0xa0) {
                    string(n, L, c, 1, type & 0x1f);
                } else if ((type & 0xf0) == 0x90) {
                    c.p += 1;
                    return array(n, L, type & 0xf);
                } else if ((type & 0xf0) == 0x80) {
                    c.p += 1;
                    return map(n, L, type & 0xf);
                } else {
                    throw BADFMT;
                }
            }
        }
        return null;
    }

    private static void pushInt(LuaNative n, long L, long v) { n.natives.lua_pushnumber(L, (double) v); }

    private static void string(LuaNative n, long L, Cursor c, int header, long len) {
        c.need(header + len);
        n.push(L, c.s, c.p + header, (int) len);
        c.p += header + (int) len;
    }

    private static Frame array(LuaNative n, long L, long len) {
        n.natives.lua_createtable(L, 0, 0);
        n.checkStack(L, 1, "in function mp_decode_to_lua_array");
        return new Frame(false, len);
    }

    private static Frame map(LuaNative n, long L, long len) {
        n.natives.lua_createtable(L, 0, 0);
        return new Frame(true, len);
    }

    /** lua_settable on a fresh table: a nil or NaN key is the error Lua raises. */
    private static void setField(LuaNative n, long L) {
        int kt = n.natives.lua_type(L, -2);
        if (kt == LuaNative.TNIL) throw new LuaNative.LuaRaise("table index is nil".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (kt == LuaNative.TNUMBER && Double.isNaN(n.natives.lua_tonumber(L, -2))) {
            throw new LuaNative.LuaRaise("table index is NaN".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        n.natives.lua_rawset(L, -3);
    }
}
