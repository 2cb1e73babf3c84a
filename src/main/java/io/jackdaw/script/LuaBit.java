package io.jackdaw.script;

import party.iroiro.luajava.Lua;

/**
 * The {@code bit} library Redis bundles (LuaBitOp 1.0.2): 32-bit operations on Lua numbers.
 * A number becomes 32 bits the way LuaBitOp does it: add 2^52+2^51 and keep the low word of
 * the double, which rounds half to even and wraps modulo 2^32; results are signed.
 */
final class LuaBit {
    private LuaBit() {}

    private static final double MAGIC = 6755399441055744.0; // 2^52 + 2^51

    static void install(Lua lua, LuaNative n) {
        lua.newTable();
        ScriptLibraries.set(lua, n, "tobit", L -> ret(n, L, arg(n, L, 1)));
        ScriptLibraries.set(lua, n, "bnot", L -> ret(n, L, ~arg(n, L, 1)));
        ScriptLibraries.set(lua, n, "band", L -> {
            int b = arg(n, L, 1);
            for (int i = n.natives.lua_gettop(L); i > 1; i--) b &= arg(n, L, i);
            return ret(n, L, b);
        });
        ScriptLibraries.set(lua, n, "bor", L -> {
            int b = arg(n, L, 1);
            for (int i = n.natives.lua_gettop(L); i > 1; i--) b |= arg(n, L, i);
            return ret(n, L, b);
        });
        ScriptLibraries.set(lua, n, "bxor", L -> {
            int b = arg(n, L, 1);
            for (int i = n.natives.lua_gettop(L); i > 1; i--) b ^= arg(n, L, i);
            return ret(n, L, b);
        });
        // Java masks int shift counts to 5 bits, as LuaBitOp does explicitly.
        ScriptLibraries.set(lua, n, "lshift", L -> ret(n, L, arg(n, L, 1) << arg(n, L, 2)));
        ScriptLibraries.set(lua, n, "rshift", L -> ret(n, L, arg(n, L, 1) >>> arg(n, L, 2)));
        ScriptLibraries.set(lua, n, "arshift", L -> ret(n, L, arg(n, L, 1) >> arg(n, L, 2)));
        ScriptLibraries.set(lua, n, "rol", L -> ret(n, L, Integer.rotateLeft(arg(n, L, 1), arg(n, L, 2))));
        ScriptLibraries.set(lua, n, "ror", L -> ret(n, L, Integer.rotateRight(arg(n, L, 1), arg(n, L, 2))));
        ScriptLibraries.set(lua, n, "bswap", L -> ret(n, L, Integer.reverseBytes(arg(n, L, 1))));
        ScriptLibraries.set(lua, n, "tohex", L -> {
            int b = arg(n, L, 1);
            int digits = n.natives.lua_type(L, 2) == LuaNative.TNONE ? 8 : arg(n, L, 2);
            String hex = "0123456789abcdef";
            if (digits < 0) {
                digits = -digits;
                hex = "0123456789ABCDEF";
            }
            // -(-2^31) overflows; Redis's optimised build treats it as more than 8 (seen on 7.0.15).
            if (digits > 8 || digits < 0) digits = 8;
            byte[] out = new byte[digits];
            for (int i = digits - 1; i >= 0; i--) {
                out[i] = (byte) hex.charAt(b & 15);
                b >>>= 4;
            }
            n.push(L, out);
            return 1;
        });
        lua.setGlobal("bit");
    }

    /** LuaBitOp's barg: any number to 32 bits; a non-number is an error unless it converts. */
    private static int arg(LuaNative n, long L, int idx) {
        double d = n.natives.lua_tonumber(L, idx);
        int b = (int) Double.doubleToRawLongBits(d + MAGIC);
        if (b == 0 && n.natives.lua_isnumber(L, idx) == 0) throw n.typeError(L, idx, "number");
        return b;
    }

    private static int ret(LuaNative n, long L, int b) {
        n.natives.lua_pushnumber(L, b);
        return 1;
    }
}
