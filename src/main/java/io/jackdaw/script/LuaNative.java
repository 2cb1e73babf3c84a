package io.jackdaw.script;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The few Lua C API calls the bundled libraries need and luajava does not offer, made through
 * the Foreign Function API on the Lua library luajava has already loaded: pushing a string of
 * any bytes in one call ({@code lua_pushlstring}), reading one without a buffer object
 * ({@code lua_tolstring}), and the name a C function was called by ({@code lua_getinfo}), which
 * Lua's own argument errors print. Also the error conventions of C library functions:
 * {@link #error} raises {@link LuaRaise}, which {@link #function} turns into a Lua error.
 *
 * <p>One instance per interpreter; the interpreter is used by one thread at a time, which is
 * what makes the scratch memory safe to share between calls.
 */
final class LuaNative {
    /** Lua 5.1's LUAI_MAXCSTACK: the most stack slots one C function may use. */
    static final int MAX_C_STACK = 8000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile MethodHandle pushlstring, tolstring, getstack, getinfo, setfield;
    /** Lua 5.1's pseudo-index of the globals table. */
    static final int GLOBALS_INDEX = -10002;

    final Lua51Natives natives;
    private final Arena arena = Arena.ofAuto();
    private MemorySegment scratch;
    private final MemorySegment lengthOut;
    private final MemorySegment debugInfo;
    private final MemorySegment what;

    LuaNative(Lua lua) {
        natives = (Lua51Natives) lua.getLuaNatives();
        bind();
        scratch = arena.allocate(4096);
        lengthOut = arena.allocate(ValueLayout.JAVA_LONG);
        debugInfo = arena.allocate(256); // lua_Debug is 120 bytes on x86-64
        what = arena.allocateFrom("n");
    }

    private static synchronized void bind() {
        if (pushlstring != null) return;
        // The symbols of the library luajava loaded into this class loader.
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        var J = ValueLayout.JAVA_LONG;
        var I = ValueLayout.JAVA_INT;
        var A = ValueLayout.ADDRESS;
        tolstring = LINKER.downcallHandle(find(lookup, "lua_tolstring"), FunctionDescriptor.of(A, J, I, A));
        getstack = LINKER.downcallHandle(find(lookup, "lua_getstack"), FunctionDescriptor.of(I, J, I, A));
        getinfo = LINKER.downcallHandle(find(lookup, "lua_getinfo"), FunctionDescriptor.of(I, J, A, A));
        setfield = LINKER.downcallHandle(find(lookup, "lua_setfield"), FunctionDescriptor.ofVoid(J, I, A));
        pushlstring = LINKER.downcallHandle(find(lookup, "lua_pushlstring"), FunctionDescriptor.ofVoid(J, A, J));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("Lua symbol not found: " + name));
    }

    // ------------------------------------------------------------ strings

    void push(long L, byte[] b) { push(L, b, 0, b.length); }

    void push(long L, byte[] b, int off, int len) {
        if (len > SCRATCH_MAX) { // a one-off native copy, freed at once, rather than a big buffer kept
            try (Arena once = Arena.ofConfined()) {
                MemorySegment copy = once.allocate(len);
                MemorySegment.copy(b, off, copy, ValueLayout.JAVA_BYTE, 0, len);
                pushlstring.invokeExact(L, copy, (long) len);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return;
        }
        if (scratch.byteSize() < len) scratch = arena.allocate(Math.max(len, scratch.byteSize() * 2));
        MemorySegment.copy(b, off, scratch, ValueLayout.JAVA_BYTE, 0, len);
        try {
            pushlstring.invokeExact(L, scratch, (long) len);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final int SCRATCH_MAX = 1 << 20;

    /** Pops the value on top of the stack into the global {@code name} (a C string). */
    void setGlobal(long L, MemorySegment name) {
        try {
            setfield.invokeExact(L, GLOBALS_INDEX, name);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    void push(long L, String ascii) { push(L, ascii.getBytes(StandardCharsets.ISO_8859_1)); }

    /** {@code lua_tolstring}: the bytes of a string, or of a number converted in place; null otherwise. */
    byte[] bytes(long L, int idx) {
        MemorySegment p = stringAt(L, idx);
        if (p == null) return null;
        return p.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The string at {@code idx} as a view of Lua's memory, valid while the value stays on the stack. */
    MemorySegment stringAt(long L, int idx) {
        try {
            MemorySegment p = (MemorySegment) tolstring.invokeExact(L, idx, lengthOut);
            if (p.address() == 0) return null;
            return p.reinterpret(lengthOut.get(ValueLayout.JAVA_LONG, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ------------------------------------------------------------ errors as C libraries raise them

    /** A Lua error on its way out of a library function: the message is already complete. */
    static final class LuaRaise extends RuntimeException {
        final byte[] message;

        LuaRaise(byte[] message) {
            super(null, null, false, false);
            this.message = message;
        }
    }

    interface Body {
        int call(long L);
    }

    /** A library function: a {@link LuaRaise} becomes the Lua error it carries. */
    JFunction function(Body body) {
        return l -> {
            long L = l.getPointer();
            try {
                return body.call(L);
            } catch (LuaRaise e) {
                push(L, e.message);
                return -1;
            }
        };
    }

    /** luaL_error: the message after the position of the calling Lua code ("user_script:1: "). */
    LuaRaise error(long L, String message) { return error(L, message.getBytes(StandardCharsets.ISO_8859_1)); }

    LuaRaise error(long L, byte[] message) {
        natives.luaL_where(L, 1);
        byte[] where = bytes(L, -1);
        natives.lua_pop(L, 1);
        byte[] all = new byte[where.length + message.length];
        System.arraycopy(where, 0, all, 0, where.length);
        System.arraycopy(message, 0, all, where.length, message.length);
        return new LuaRaise(all);
    }

    /** luaL_argerror: "bad argument #n to 'name' (...)", the name being what the caller called us by. */
    LuaRaise argError(long L, int arg, String extra) { return argError(L, arg, extra.getBytes(StandardCharsets.ISO_8859_1)); }

    LuaRaise argError(long L, int arg, byte[] extra) {
        String name = null, namewhat = "";
        boolean frame;
        try {
            frame = (int) getstack.invokeExact(L, 0, debugInfo) != 0;
            if (frame) {
                int found = (int) getinfo.invokeExact(L, what, debugInfo); // always 1 for "n"
                name = cString(debugInfo.get(ValueLayout.ADDRESS, 8));
                namewhat = cString(debugInfo.get(ValueLayout.ADDRESS, 16));
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        String x = new String(extra, StandardCharsets.ISO_8859_1);
        if (!frame) return error(L, "bad argument #" + arg + " (" + x + ")");
        if ("method".equals(namewhat)) {
            arg--;
            if (arg == 0) return error(L, "calling '" + name + "' on bad self (" + x + ")");
        }
        if (name == null) name = "?";
        return error(L, "bad argument #" + arg + " to '" + name + "' (" + x + ")");
    }

    private static String cString(MemorySegment p) {
        if (p.address() == 0) return null;
        return p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.ISO_8859_1);
    }

    /** luaL_typerror: "number expected, got string", with "no value" for a missing argument. */
    LuaRaise typeError(long L, int arg, String expected) {
        return argError(L, arg, expected + " expected, got " + typeName(L, arg));
    }

    String typeName(long L, int idx) {
        int t = natives.lua_type(L, idx);
        return switch (t) {
            case -1 -> "no value";
            case 0 -> "nil";
            case 1 -> "boolean";
            case 2, 7 -> "userdata";
            case 3 -> "number";
            case 4 -> "string";
            case 5 -> "table";
            case 6 -> "function";
            case 8 -> "thread";
            default -> "?";
        };
    }

    // ------------------------------------------------------------ luaL_check* as C libraries use them

    static final int TNONE = -1, TNIL = 0, TBOOLEAN = 1, TLIGHTUSERDATA = 2, TNUMBER = 3, TSTRING = 4, TTABLE = 5;

    /** luaL_checklstring: a string (a number is converted in place). */
    byte[] checkBytes(long L, int arg) {
        byte[] b = bytes(L, arg);
        if (b == null) throw typeError(L, arg, "string");
        return b;
    }

    double checkNumber(long L, int arg) {
        double d = natives.lua_tonumber(L, arg);
        if (d == 0 && natives.lua_isnumber(L, arg) == 0) throw typeError(L, arg, "number");
        return d;
    }

    /** luaL_checkinteger: lua_tointeger is a plain C cast of the double (Redis builds Lua with LUA_ANSI). */
    long checkInteger(long L, int arg) {
        double d = checkNumber(L, arg);
        return LuaNative.cLong(d);
    }

    /** C's (long) cast of a double on x86-64: NaN and out-of-range values give the minimum, where Java saturates. */
    static long cLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    long optInteger(long L, int arg, long def) {
        int t = natives.lua_type(L, arg);
        if (t == TNONE || t == TNIL) return def;
        return checkInteger(L, arg);
    }

    /** lua_checkstack with luaL_checkstack's message. */
    void checkStack(long L, int extra, String message) {
        if (natives.lua_checkstack(L, extra) == 0) throw error(L, "stack overflow (" + message + ")");
    }
}
