package io.jackdaw.script;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loaded function libraries (Redis's functionsLibCtx): libraries by exact name, functions by
 * name ignoring case, as Redis's dicts compare them, over one {@link ScriptEngine} in
 * functions mode. A library's payload is kept whole (shebang included) for FUNCTION LIST
 * WITHCODE and FUNCTION DUMP. Callers serialise access (the commands hold every shard).
 */
public final class FunctionLibraries {
    /** The one engine, as FUNCTION LIST and STATS name it. */
    public static final String ENGINE = "LUA";

    public record Library(String name, byte[] code, List<Function> functions) {}

    public record Function(ScriptEngine.FunctionDef def, Library library) {
        public String name() { return def.name(); }
    }

    private final ScriptEngine engine;
    private final LinkedHashMap<String, Library> libraries = new LinkedHashMap<>();
    // Read by the gate without locks (FCALL's flags) while a command may be changing it.
    private final java.util.concurrent.ConcurrentHashMap<String, Function> functions = new java.util.concurrent.ConcurrentHashMap<>();

    public FunctionLibraries(ScriptEngine engine) { this.engine = engine; }

    public ScriptEngine engine() { return engine; }

    public Collection<Library> libraries() { return libraries.values(); }

    public int functionCount() { return functions.size(); }

    public Function function(String name) { return functions.get(name.toLowerCase(Locale.ROOT)); }

    public Library library(String name) { return libraries.get(name); }

    /**
     * FUNCTION LOAD (Redis's functionsCreateWithLibraryCtx): parses the shebang, runs the code
     * and links its functions; returns the library's name. A failure leaves everything as it
     * was, a replaced library included. Messages are without their "ERR " code.
     */
    public String load(byte[] payload, boolean replace) throws ScriptEngine.ScriptException {
        Meta md = metadata(payload);
        if (!ScriptEngine.validName(md.name)) {
            throw new ScriptEngine.ScriptException(
                    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (!md.engine.equalsIgnoreCase("lua")) throw new ScriptEngine.ScriptException("Engine '" + md.engine + "' not found");
        Library old = library(md.name);
        if (old != null && !replace) throw new ScriptEngine.ScriptException("Library '" + md.name + "' already exists");
        if (old != null) unlink(old);
        List<ScriptEngine.FunctionDef> defs;
        try {
            defs = engine.loadLibrary(md.code);
        } catch (ScriptEngine.ScriptException e) {
            if (old != null) link(old);
            throw e;
        }
        String error = null;
        if (defs.isEmpty()) {
            error = "No functions registered";
        } else {
            for (ScriptEngine.FunctionDef d : defs) {
                if (functions.containsKey(d.name().toLowerCase(Locale.ROOT))) {
                    error = "Function " + d.name() + " already exists";
                    break;
                }
            }
        }
        if (error != null) {
            for (ScriptEngine.FunctionDef d : defs) engine.release(d);
            if (old != null) link(old);
            throw new ScriptEngine.ScriptException(error);
        }
        List<Function> fs = new ArrayList<>();
        Library lib = new Library(md.name, payload.clone(), fs);
        for (ScriptEngine.FunctionDef d : defs) fs.add(new Function(d, lib));
        link(lib);
        if (old != null) free(old);
        return md.name;
    }

    /** FUNCTION DELETE: false when there is no such library. */
    public boolean delete(String name) {
        Library lib = library(name);
        if (lib == null) return false;
        unlink(lib);
        free(lib);
        return true;
    }

    /** FUNCTION FLUSH. */
    public void flush() {
        for (Library lib : new ArrayList<>(libraries.values())) {
            unlink(lib);
            free(lib);
        }
    }

    private void link(Library lib) {
        libraries.put(lib.name(), lib);
        // Two functions of one library that differ only in case both register (the library's own
        // check is exact), but only the first is reachable by name, as in Redis.
        for (Function f : lib.functions()) functions.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f);
    }

    private void unlink(Library lib) {
        libraries.remove(lib.name());
        for (Function f : lib.functions()) functions.remove(f.name().toLowerCase(Locale.ROOT));
    }

    private void free(Library lib) {
        for (Function f : lib.functions()) engine.release(f.def());
    }

    private record Meta(String engine, String name, byte[] code) {}

    /** Redis's functionExtractLibMetaData: "#!<engine> name=<name>" on the first line. */
    private static Meta metadata(byte[] payload) throws ScriptEngine.ScriptException {
        if (payload.length < 2 || payload[0] != '#' || payload[1] != '!') {
            throw new ScriptEngine.ScriptException("Missing library metadata");
        }
        int nl = -1;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == '\n') {
                nl = i;
                break;
            }
            if (payload[i] == 0) break; // C strings end here: no newline within
        }
        if (nl < 0) throw new ScriptEngine.ScriptException("Invalid library metadata");
        List<byte[]> parts = io.jackdaw.net.InlineSplitter.split(payload, 0, nl);
        if (parts == null || parts.isEmpty()) throw new ScriptEngine.ScriptException("Invalid library metadata");
        String engine = latin1(parts.get(0)).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = latin1(parts.get(i));
            if (part.length() >= 5 && part.substring(0, 5).equalsIgnoreCase("name=")) {
                if (name != null) {
                    throw new ScriptEngine.ScriptException("Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new ScriptEngine.ScriptException("Invalid metadata value given: " + ScriptEngine.cString(parts.get(i)));
        }
        if (name == null) throw new ScriptEngine.ScriptException("Library name was not given");
        byte[] code = java.util.Arrays.copyOfRange(payload, nl, payload.length);
        return new Meta(engine, name, code);
    }

    private static String latin1(byte[] b) { return new String(b, StandardCharsets.ISO_8859_1); }

    // ------------------------------------------------------------ FUNCTION DUMP / RESTORE

    /** RDB's opcode before each library in a payload (RDB_OPCODE_FUNCTION2), and the pre-GA one Redis refuses. */
    public static final int OPCODE_FUNCTION2 = 245, OPCODE_FUNCTION_PRE_GA = 246;

    /** The libraries as FUNCTION DUMP's body: each one's opcode and code as an RDB string. */
    public void dump(io.jackdaw.types.RdbOutput out) {
        for (Library lib : libraries.values()) {
            out.writeByte(OPCODE_FUNCTION2);
            out.writeString(lib.code());
        }
    }

    /** How FUNCTION RESTORE treats libraries already loaded. */
    public enum RestorePolicy { APPEND, REPLACE, FLUSH }

    /**
     * FUNCTION RESTORE's body (Redis's functionRestoreCommand after the footer check): loads
     * every library of the payload into a scratch set first, then joins it to the loaded
     * ones as the policy says; on any failure nothing changes. Messages without "ERR ".
     */
    public void restore(io.jackdaw.types.RdbInput in, int bodyEnd, RestorePolicy policy) throws ScriptEngine.ScriptException {
        FunctionLibraries scratch = new FunctionLibraries(engine);
        try {
            while (in.position() < bodyEnd) {
                int type;
                try {
                    type = in.readByte();
                } catch (io.jackdaw.types.RdbFormatException e) {
                    throw new ScriptEngine.ScriptException("can not read data type");
                }
                if (type == OPCODE_FUNCTION_PRE_GA) throw new ScriptEngine.ScriptException("Pre-GA function format not supported");
                if (type != OPCODE_FUNCTION2) throw new ScriptEngine.ScriptException("given type is not a function");
                byte[] code;
                try {
                    code = in.readString();
                } catch (io.jackdaw.types.RdbFormatException e) {
                    throw new ScriptEngine.ScriptException("Failed loading library payload");
                }
                scratch.load(code, false);
            }
            if (policy == RestorePolicy.FLUSH) {
                flush();
                for (Library lib : scratch.libraries.values()) link(lib);
                scratch.libraries.clear();
                return;
            }
            join(scratch, policy == RestorePolicy.REPLACE);
            scratch.libraries.clear();
        } finally {
            scratch.flush(); // what was not taken over
        }
    }

    /** Redis's libraryJoin: adds another set's libraries; a name already here fails unless replacing, a function name always. */
    private void join(FunctionLibraries src, boolean replace) throws ScriptEngine.ScriptException {
        List<Library> replaced = new ArrayList<>();
        try {
            for (Library lib : src.libraries.values()) {
                Library old = libraries.get(lib.name());
                if (old == null) continue;
                if (!replace) throw new ScriptEngine.ScriptException("Library " + lib.name() + " already exists");
                unlink(old);
                replaced.add(old);
            }
            for (Library lib : src.libraries.values()) {
                for (Function f : lib.functions()) {
                    if (functions.containsKey(f.name().toLowerCase(Locale.ROOT))) {
                        throw new ScriptEngine.ScriptException("Function " + f.name() + " already exists");
                    }
                }
            }
        } catch (ScriptEngine.ScriptException e) {
            for (Library old : replaced) link(old);
            throw e;
        }
        for (Library lib : src.libraries.values()) link(lib);
        for (Library old : replaced) free(old);
    }

    /** Library names as the entries of FUNCTION STATS: libraries and functions per engine. */
    public Map<String, long[]> engineCounts() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(ENGINE, new long[] {libraries.size(), functions.size()});
        return m;
    }
}
