package io.jackdaw.script;

import party.iroiro.luajava.Lua;

/**
 * The libraries Redis bundles into its Lua beside the standard ones: {@code cjson},
 * {@code struct}, {@code cmsgpack} and {@code bit}, as global tables. They are written in Java
 * (byte-exact string handling, no interpretation overhead) and behave as Redis's C versions,
 * error texts included. The sandbox, which runs after them, makes their tables readonly.
 */
public final class ScriptLibraries {
    private ScriptLibraries() {}

    /**
     * Installs the four libraries as globals of {@code lua}; call before the sandbox runs.
     * Returns the interpreter's native string access, which the engine shares.
     */
    static LuaNative install(Lua lua) {
        LuaNative n = new LuaNative(lua);
        LuaCjson.install(lua, n);
        LuaStruct.install(lua, n);
        LuaCmsgpack.install(lua, n);
        LuaBit.install(lua, n);
        return n;
    }

    /** Sets field {@code name} of the table on top of the stack to a library function. */
    static void set(Lua lua, LuaNative n, String name, LuaNative.Body body) {
        lua.push(n.function(body));
        lua.setField(-2, name);
    }
}
