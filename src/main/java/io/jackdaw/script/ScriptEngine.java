package io.jackdaw.script;

import io.jackdaw.types.DoubleFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The Lua engine: one Lua 5.1 interpreter shared by every script, as Redis has. A script body
 * is compiled once into a function kept under its SHA1 (Redis's {@code f_<sha1>}) and then run
 * with fresh KEYS and ARGV. {@code redis.call}/{@code redis.pcall} go back to the command layer
 * through {@link Host}, which runs them through the same gate as clients' commands; replies
 * travel as {@link ScriptValue} trees both ways, so this package never sees the network.
 *
 * <p>Threading: the interpreter is used by one thread at a time (every method holds this
 * object's monitor); EVAL also holds every shard lock, which is what makes a script atomic.
 *
 * <p>Strings are bytes: luajava only pushes Java strings, so a string that is not plain
 * 7-bit text is pushed by loading a tiny precompiled chunk that returns it as a constant.
 */
public final class ScriptEngine {

    /** What a script's {@code redis.call} needs from the command layer. */
    public interface Host {
        /**
         * Runs one command for the script and returns its reply as a value tree built for
         * protocol {@code run.resp}; a refusal (unknown command, arity, not allowed from
         * scripts, write in a read-only script, OOM) comes back as an {@link ScriptValue.Err}
         * with {@code run.rejected} set.
         */
        Object call(byte[][] argv, Run run);

        /** Whether argv names a command (and subcommand) of the table (redis.acl_check_cmd). */
        boolean commandExists(byte[][] argv);
    }

    /** The state of the script being run, shared with the host for its checks. */
    public static final class Run {
        /** EVAL_RO/EVALSHA_RO: no write commands. */
        public boolean readOnly;
        /** The script already ran a write command (read by SCRIPT KILL on another thread). */
        public volatile boolean wrote;
        /** The protocol redis.call replies are converted from (redis.setresp). */
        public int resp = 2;
        /** Set by the host when it refused the command before running it. */
        public boolean rejected;
        /** The protocol of the client that runs the script: the result is converted for it. */
        public int clientResp = 2;
        /** redis.set_repl: where the script's writes propagate (REPL_ALL = 3 by default). */
        public int replFlags = 3;
        /** The script may run write commands only within the memory limit unless allow-oom (shebang or function flags). */
        public boolean allowOom;
        /** Set by SCRIPT KILL / FUNCTION KILL from another thread: the error the script stops with. */
        public volatile String killedMessage;
        /**
         * Set (System.nanoTime) for a run on its client's event loop: past it, a run that has
         * done nothing it cannot do again is stopped and marked {@link #movedOff}, for the host
         * to run it again on the script thread. 0 for other runs.
         */
        public long moveOffAfterNanos;
        /** False once the run did something that must not happen twice (a write, a publish, redis.log). */
        public boolean repeatable = true;
        /** The run was stopped to be run again elsewhere; its result means nothing. */
        public boolean movedOff;
    }

    /** The error a run stopped to be moved off its loop raises; no client ever sees it. */
    private static final String MOVED_OFF = "ERR script moved to the script thread";

    /** A script that could not be compiled or run: the reply is {@code message} as an error. */
    public static final class ScriptException extends Exception {
        public ScriptException(String message) { super(message, null, false, false); }
    }

    private final Host host;
    private Lua lua;
    /** lua_tolstring/lua_pushlstring through FFM: no buffer object or Java String per string (performance.md). */
    private LuaNative strings;
    private Lua51Natives natives;
    private long ptr;
    // Read without the engine's monitor (INFO, SCRIPT SHOW) while a script may be running.
    private final Map<String, Integer> scripts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    private Run run;
    private int env;
    private int setLoading;
    private int sethookRef, countHookRef, errHandlerRef;
    private final boolean functions;
    /** The functions a library registers while {@link #loadLibrary} runs it; null otherwise. */
    private List<FunctionDef> registering;
    /** One generator for the interpreter's life, as Redis: not reset between scripts. */
    private final Lrand48 random = new Lrand48();

    public ScriptEngine(Host host) { this(host, false); }

    /**
     * {@code functions}: the interpreter of FUNCTION libraries, separate from EVAL's as in
     * Redis; it has {@code redis.register_function} and loads libraries with {@link #loadLibrary}.
     */
    public ScriptEngine(Host host, boolean functions) {
        this.host = host;
        this.functions = functions;
        reset();
    }

    private void reset() {
        if (lua != null) lua.close();
        scripts.clear();
        bodies.clear();
        scriptFlags.clear();
        lua = new Lua51();
        natives = (Lua51Natives) lua.getLuaNatives();
        ptr = lua.getPointer();
        for (String lib : new String[] {"base", "table", "string", "math", "debug"}) lua.openLibrary(lib);
        strings = ScriptLibraries.install(lua); // cjson, struct, cmsgpack, bit
        lua.newTable();
        lua.push(l -> redisCall(l, true));
        lua.setField(-2, "call");
        lua.push(l -> redisCall(l, false));
        lua.setField(-2, "pcall");
        lua.push(this::sha1hexLua);
        lua.setField(-2, "sha1hex");
        lua.push(l -> errorTable(l, statusText(l), true));
        lua.setField(-2, "error_reply");
        lua.push(l -> statusTable(l));
        lua.setField(-2, "status_reply");
        lua.push(this::setResp);
        lua.setField(-2, "setresp");
        addLogAndVersion(lua);
        lua.push(this::setRepl);
        lua.setField(-2, "set_repl");
        for (String[] c : new String[][] {{"REPL_NONE", "0"}, {"REPL_AOF", "1"}, {"REPL_SLAVE", "2"}, {"REPL_REPLICA", "2"}, {"REPL_ALL", "3"}}) {
            lua.push(Integer.parseInt(c[1]));
            lua.setField(-2, c[0]);
        }
        lua.push(this::aclCheckCmd);
        lua.setField(-2, "acl_check_cmd");
        if (!functions) {
            // No debugger here: breakpoint says none is attached, debug logs nowhere, and
            // replicate_commands is the no-op it is since Redis 7 (effects replication always).
            lua.push(l -> {
                l.push(false);
                return 1;
            });
            lua.setField(-2, "breakpoint");
            lua.push(l -> 0);
            lua.setField(-2, "debug");
            lua.push(l -> {
                l.push(true);
                return 1;
            });
            lua.setField(-2, "replicate_commands");
        }
        lua.setGlobal("redis");
        if (functions) {
            // What a library sees while FUNCTION LOAD runs it: only these (Redis's library API).
            lua.newTable();
            lua.newTable();
            lua.push(this::registerFunction);
            lua.setField(-2, "register_function");
            addLogAndVersion(lua);
            lua.pushValue(-1);
            lua.setField(-3, "redis");
            lua.setField(-2, "server");
            lua.setGlobal("__jackdaw_load_api");
        }
        lua.getGlobal("redis");
        lua.setGlobal("server"); // Valkey's alias
        // As Redis: the error handler turns every error into a table and notes where the script was.
        String handler = "local dbg = debug\n"
                + "debug = nil\n"
                + "function __redis__err__handler(err)\n"
                + "  local i = dbg.getinfo(2,'nSl')\n"
                + "  if i and i.what == 'C' then i = dbg.getinfo(3,'nSl') end\n"
                // Jackdaw's sandbox functions stand where Redis has C code: report their caller.
                + "  if i and i.source == '@sandbox' then i = dbg.getinfo(4,'nSl') end\n"
                + "  if type(err) ~= 'table' then err = {err='ERR ' .. tostring(err)} end\n"
                + "  if i then err['source'] = i.source err['line'] = i.currentline end\n"
                + "  return err\n"
                + "end\n"
                // Every 100000 instructions the host may stop the script (SCRIPT KILL); once it
                // did, every line raises the error again, so pcall cannot swallow it (as Redis).
                + "local sethook, interrupt = dbg.sethook, __jackdaw_interrupt\n"
                + "__jackdaw_interrupt = nil\n"
                + "local function count_hook()\n"
                + "  local msg = interrupt()\n"
                + "  if msg then\n"
                + "    sethook(function() error({err = msg}) end, 'l')\n"
                + "    error({err = msg})\n"
                + "  end\n"
                + "end\n"
                + "sethook(count_hook, '', 100000)\n"
                + "__jackdaw_sethook, __jackdaw_count_hook = sethook, count_hook\n";
        lua.push(l -> {
            l.push(random.next());
            return 1;
        });
        lua.setGlobal("__jackdaw_lrand");
        lua.push(l -> {
            random.seed((int) (long) l.toNumber(1));
            return 0;
        });
        lua.setGlobal("__jackdaw_srand");
        lua.push(l -> {
            l.push(System.nanoTime() / 1e9);
            return 1;
        });
        lua.setGlobal("__jackdaw_clock");
        lua.push(l -> {
            Run r = run;
            String msg = r == null ? null : r.killedMessage;
            if (msg == null && r != null && r.moveOffAfterNanos != 0 && r.repeatable && System.nanoTime() - r.moveOffAfterNanos > 0) {
                r.movedOff = true;
                msg = r.killedMessage = MOVED_OFF;
            }
            if (msg == null && loadDeadline != 0 && System.nanoTime() - loadDeadline > 0) msg = loadTimedOut = "ERR FUNCTION LOAD timeout";
            if (msg == null) return 0;
            l.push(msg);
            return 1;
        });
        lua.setGlobal("__jackdaw_interrupt");
        try {
            // Named as the sandbox is, so the error handler skips its frames (the kill hooks).
            byte[] hb = handler.getBytes(StandardCharsets.UTF_8);
            ByteBuffer hbuf = ByteBuffer.allocateDirect(hb.length);
            hbuf.put(hb).flip();
            if (natives.luaJ_loadbuffer(ptr, hbuf, hb.length, "@sandbox") != 0 || natives.lua_pcall(ptr, 0, 0, 0) != 0) {
                throw new IllegalStateException("Lua error handler: " + string(-1));
            }
            lua.getGlobal("__redis__err__handler");
            errHandlerRef = lua.ref(); // fetched by reference per run, not by name
            lua.getGlobal("__jackdaw_sethook");
            sethookRef = lua.ref();
            lua.getGlobal("__jackdaw_count_hook");
            countHookRef = lua.ref();
            lua.pushNil();
            lua.setGlobal("__jackdaw_sethook");
            lua.pushNil();
            lua.setGlobal("__jackdaw_count_hook");
            byte[] sandbox;
            try (var in = ScriptEngine.class.getResourceAsStream("sandbox.lua")) {
                sandbox = in.readAllBytes();
            }
            ByteBuffer b = ByteBuffer.allocateDirect(sandbox.length);
            b.put(sandbox).flip();
            if (natives.luaJ_loadbuffer(ptr, b, sandbox.length, "@sandbox") != 0 || natives.lua_pcall(ptr, 0, 2, 0) != 0) {
                throw new IllegalStateException("Lua sandbox: " + string(-1));
            }
            setLoading = lua.ref(); // switches the globals' lookups to the library API and back
            env = lua.ref(); // the globals proxy every script runs in
        } catch (Exception e) {
            throw new IllegalStateException("Lua sandbox", e);
        }
    }

    /** Redis's redisLrand48/redisSrand48: the 48-bit generator of POSIX lrand48, same sequence everywhere. */
    static final class Lrand48 {
        long x = 0x1234ABCD330EL;

        int next() {
            x = (0x5DEECE66DL * x + 0xB) & 0xFFFFFFFFFFFFL;
            return (int) (x >>> 17);
        }

        void seed(int s) { x = ((s & 0xFFFFFFFFL) << 16) | 0x330E; }
    }

    // ------------------------------------------------------------ the script cache

    public static String sha1hex(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(body);
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #flags}: no such script cached; a script without shebang (EVAL's compatibility mode). */
    public static final int NOT_CACHED = -1, FLAGS_COMPAT = -2;
    // Read without the engine's monitor: the gate asks while a script runs.
    private final Map<String, Integer> scriptFlags = new java.util.concurrent.ConcurrentHashMap<>();

    /** The flags of a cached script: its shebang's, {@link #FLAGS_COMPAT}, or {@link #NOT_CACHED}. */
    public int flags(String sha) {
        Integer f = scriptFlags.get(sha);
        return f == null ? NOT_CACHED : f;
    }

    /**
     * Redis's evalExtractShebangFlags: {@code #!lua [flags=a,b]} on the first line gives the
     * script's flags; no shebang gives {@link #FLAGS_COMPAT}. {@code shebangLen[0]} gets the
     * line's length (the newline stays, so line numbers hold).
     */
    public static int shebangFlags(byte[] body, int[] shebangLen) throws ScriptException {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return FLAGS_COMPAT;
        int nl = -1;
        for (int i = 0; i < body.length && body[i] != 0; i++) {
            if (body[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) throw new ScriptException("ERR Invalid script shebang");
        List<byte[]> parts = io.jackdaw.net.InlineSplitter.split(body, 0, nl);
        if (parts == null || parts.isEmpty()) throw new ScriptException("ERR Invalid engine in script shebang");
        String engine = cString(parts.get(0));
        if (!engine.equals("#!lua")) throw new ScriptException("ERR Unexpected engine in script shebang: " + engine);
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            String part = cString(parts.get(j));
            if (part.startsWith("flags=")) {
                String list = part.substring(6);
                if (list.isEmpty()) continue;
                for (String f : list.split(",", -1)) {
                    int bit = flagBit(f, false);
                    if (bit == 0) throw new ScriptException("ERR Unexpected flag in script shebang: " + f);
                    flags |= bit;
                }
            } else {
                throw new ScriptException("ERR Unknown lua shebang option: " + part);
            }
        }
        shebangLen[0] = nl;
        return flags;
    }

    /** Bytes as C's %s prints them: up to the first NUL (shebang and library metadata messages). */
    static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** SCRIPT LOAD and EVAL's first run: compiles the body unless cached; returns its SHA1. */
    public synchronized String load(byte[] body) throws ScriptException {
        String sha = sha1hex(body);
        if (scripts.containsKey(sha)) return sha;
        int[] shebangLen = {0};
        int flags = shebangFlags(body, shebangLen);
        int codeLen = body.length - shebangLen[0];
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, codeLen));
        b.put(body, shebangLen[0], codeLen).flip();
        int status = natives.luaJ_loadbuffer(ptr, b, codeLen, "@user_script");
        if (status != 0) {
            String msg = string(-1);
            lua.pop(1);
            throw new ScriptException("ERR Error compiling script (new function): " + msg);
        }
        lua.refGet(env);
        natives.lua_setfenv(ptr, -2);
        scripts.put(sha, lua.ref());
        bodies.put(sha, body);
        scriptFlags.put(sha, flags);
        return sha;
    }

    public synchronized boolean exists(String sha) { return scripts.containsKey(sha.toLowerCase(java.util.Locale.ROOT)); }

    /** SCRIPT FLUSH: a fresh interpreter, as Redis's scriptingReset. */
    public synchronized void flush() { reset(); }

    public int cachedScripts() { return scripts.size(); }

    /** SCRIPT SHOW: the body of a cached script by its exact (lower-case) SHA1, or null. */
    public byte[] body(String sha) { return bodies.get(sha); }

    /**
     * Runs the cached script {@code sha} (lower-case) with KEYS and ARGV and returns its result
     * converted for the client's protocol, or null when no such script is cached.
     */
    public synchronized Object run(String sha, byte[][] keys, byte[][] args, Run r) {
        Integer ref = scripts.get(sha);
        if (ref == null) return null;
        int base = lua.getTop();
        run = r;
        long seed = random.x;
        try {
            lua.refGet(errHandlerRef);
            setArray(KEYS, keys);
            setArray(ARGV, args);
            lua.refGet(ref);
            int status = natives.lua_pcall(ptr, 0, 1, base + 1);
            if (status != 0) return errorResult(sha);
            return toReply(-1, r.clientResp, 0);
        } finally {
            finish(r, base, seed);
        }
    }

    private void finish(Run r, int base, long seed) {
        run = null;
        if (r.movedOff) random.x = seed; // the run again sees the numbers this one drew
        lua.setTop(base);
        if (r.resp != 2) r.resp = 2;
        if (r.killedMessage != null) {
            rearmCountHook();
            lua.setTop(base);
        }
    }

    /**
     * Back from the line hook that stopped a script to the count hook. debug.sethook is called
     * straight from here: running any Lua line first would meet the line hook's error.
     */
    private void rearmCountHook() {
        int top = lua.getTop();
        lua.refGet(sethookRef);
        lua.refGet(countHookRef);
        lua.push("");
        lua.push(100000);
        natives.lua_pcall(ptr, 3, 0, 0);
        lua.setTop(top);
    }

    /** FUNCTION LOAD stops a library that runs longer than this (Redis's LOAD_TIMEOUT_MS). */
    private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;
    private long loadDeadline;
    private String loadTimedOut;

    /** The globals set on every EVAL run, as C strings made once (no JNI string conversion per run). */
    private static final java.lang.foreign.MemorySegment KEYS = java.lang.foreign.Arena.global().allocateFrom("KEYS"),
            ARGV = java.lang.foreign.Arena.global().allocateFrom("ARGV");

    private void setArray(java.lang.foreign.MemorySegment name, byte[][] items) {
        pushArray(items);
        strings.setGlobal(ptr, name);
    }

    /** The reply for a script that raised an error (Redis's luaCallFunction). */
    private Object errorResult(String sha) {
        if (!lua.isTable(-1)) {
            String msg = lua.isString(-1) ? string(-1) : "execution failure";
            if (msg.length() > 100) msg = msg.substring(0, 100);
            return new ScriptValue.Err("ERR Error running script " + sha + ", " + msg);
        }
        String msg = field(-1, "err");
        String source = field(-1, "source");
        String line = field(-1, "line");
        boolean counted = rawBoolean(-1, "ignore_error_stats_update");
        if (msg == null) msg = "ERR unknown error";
        StringBuilder sb = new StringBuilder(msg);
        if (source != null && line != null) sb.append(" script: ").append(sha).append(", on ").append(source).append(':').append(line).append('.');
        return new ScriptValue.Err(sb.toString(), counted);
    }

    /**
     * Pushes t[name] without metamethods. Reading a script's table with getField outside a
     * protected call would run its __index, and an error there aborts the process (Redis
     * reads these fields raw too).
     */
    private void rawField(int idx, String name) {
        int abs = idx < 0 ? lua.getTop() + idx + 1 : idx;
        lua.push(name);
        lua.rawGet(abs);
    }

    /** Whether t[name] is true, read raw. */
    private boolean rawBoolean(int idx, String name) {
        rawField(idx, name);
        boolean v = lua.isBoolean(-1) && lua.toBoolean(-1);
        lua.pop(1);
        return v;
    }

    private String field(int idx, String name) {
        rawField(idx, name);
        try {
            return lua.isString(-1) ? string(-1) : null;
        } finally {
            lua.pop(1);
        }
    }

    // ------------------------------------------------------------ function libraries

    /** Script flags, as Redis's scripts_flags_def, in its order (FUNCTION LIST shows them so). */
    public static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    public static final int FLAG_NO_WRITES = 1, FLAG_ALLOW_OOM = 2, FLAG_ALLOW_STALE = 4, FLAG_NO_CLUSTER = 8, FLAG_ALLOW_CROSS_SLOT = 16;

    /** A function a library registered: its callback is kept in the Lua registry under {@code ref}. */
    public record FunctionDef(String name, byte[] description, int flags, int ref) {}

    /**
     * FUNCTION LOAD's engine step (Redis's luaEngineCreate): runs the library's code (from the
     * end of its shebang line, so line numbers hold) with only the library API visible and
     * returns the functions it registered. On failure nothing stays registered.
     */
    public synchronized List<FunctionDef> loadLibrary(byte[] code) throws ScriptException {
        int base = lua.getTop();
        List<FunctionDef> defs = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, code.length));
        b.put(code).flip();
        try {
            if (natives.luaJ_loadbuffer(ptr, b, code.length, "@user_function") != 0) {
                throw new ScriptException("Error compiling function: " + string(-1));
            }
            lua.refGet(env);
            natives.lua_setfenv(ptr, -2);
            loading(true);
            registering = defs;
            loadDeadline = System.nanoTime() + LOAD_TIMEOUT_NANOS;
            try {
                if (natives.lua_pcall(ptr, 0, 0, 0) != 0) {
                    String msg;
                    if (lua.isTable(-1)) {
                        msg = field(-1, "err");
                        if (msg == null) msg = "";
                    } else {
                        msg = "ERR " + (lua.isString(-1) ? string(-1) : "");
                    }
                    throw new ScriptException("Error registering functions: " + msg);
                }
            } finally {
                registering = null;
                loadDeadline = 0;
                if (loadTimedOut != null) {
                    loadTimedOut = null;
                    rearmCountHook();
                }
                loading(false);
            }
            List<FunctionDef> done = defs;
            defs = null;
            return done;
        } finally {
            if (defs != null) for (FunctionDef d : defs) lua.unref(d.ref());
            lua.setTop(base);
        }
    }

    /** Drops a function's callback (FUNCTION DELETE, FLUSH, a replaced library). */
    public synchronized void release(FunctionDef f) { lua.unref(f.ref()); }

    private void loading(boolean on) {
        lua.refGet(setLoading);
        lua.push(on);
        natives.lua_pcall(ptr, 1, 0, 0);
    }

    /**
     * Runs a registered function with KEYS and ARGV as its two arguments (Redis's function
     * mode of luaCallFunction); errors name the function.
     */
    public synchronized Object call(FunctionDef f, byte[][] keys, byte[][] args, Run r) {
        int base = lua.getTop();
        run = r;
        long seed = random.x;
        try {
            lua.refGet(errHandlerRef);
            lua.refGet(f.ref());
            pushArray(keys);
            pushArray(args);
            int status = natives.lua_pcall(ptr, 2, 1, base + 1);
            if (status != 0) return errorResult(f.name());
            return toReply(-1, r.clientResp, 0);
        } finally {
            finish(r, base, seed);
        }
    }

    private void pushArray(byte[][] items) {
        lua.createTable(items.length, 0);
        for (int i = 0; i < items.length; i++) {
            pushBytes(items[i]);
            lua.rawSetI(-2, i + 1);
        }
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=..., callback=..., flags=..., description=...}. */
    private int registerFunction(Lua l) {
        List<FunctionDef> defs = registering;
        if (defs == null) return raise(l, "redis.register_function can only be called on FUNCTION LOAD command");
        int argc = l.getTop();
        if (argc < 1 || argc > 2) return raise(l, "wrong number of arguments to redis.register_function");
        String name = null;
        byte[] desc = null;
        int flags = 0, ref = 0;
        boolean haveCallback = false;
        if (argc == 1) {
            if (!l.isTable(1)) {
                return raise(l, "calling redis.register_function with a single argument is only applicable to Lua table"
                        + " (representing named arguments).");
            }
            l.pushNil();
            while (l.next(1) != 0) {
                String err = null;
                if (!l.isString(-2)) {
                    err = "named argument key given to redis.register_function is not a string";
                } else {
                    String key = new String(bytes(l, -2), StandardCharsets.ISO_8859_1);
                    if (key.equalsIgnoreCase("function_name")) {
                        if (!l.isString(-1)) err = "function_name argument given to redis.register_function must be a string";
                        else name = new String(bytes(l, -1), StandardCharsets.ISO_8859_1);
                    } else if (key.equalsIgnoreCase("description")) {
                        if (!l.isString(-1)) err = "description argument given to redis.register_function must be a string";
                        else desc = bytes(l, -1);
                    } else if (key.equalsIgnoreCase("callback")) {
                        if (!l.isFunction(-1)) {
                            err = "callback argument given to redis.register_function must be a function";
                        } else {
                            if (haveCallback) l.unref(ref);
                            ref = l.ref(); // pops the value
                            haveCallback = true;
                            continue;
                        }
                    } else if (key.equalsIgnoreCase("flags")) {
                        if (!l.isTable(-1)) {
                            err = "flags argument to redis.register_function must be a table representing function flags";
                        } else {
                            int f = readFlags(l);
                            if (f < 0) err = "unknown flag given";
                            else flags = f;
                        }
                    } else {
                        err = "unknown argument given to redis.register_function";
                    }
                }
                if (err != null) {
                    if (haveCallback) l.unref(ref);
                    return raise(l, err);
                }
                l.pop(1);
            }
            if (name == null) {
                if (haveCallback) l.unref(ref);
                return raise(l, "redis.register_function must get a function name argument");
            }
            if (!haveCallback) return raise(l, "redis.register_function must get a callback argument");
        } else {
            if (!l.isString(1)) return raise(l, "first argument to redis.register_function must be a string");
            name = new String(bytes(l, 1), StandardCharsets.ISO_8859_1);
            if (!l.isFunction(2)) return raise(l, "second argument to redis.register_function must be a function");
            l.pushValue(2);
            ref = l.ref();
        }
        String err = null;
        if (!validName(name)) {
            err = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
        } else {
            for (FunctionDef d : defs) if (d.name().equals(name)) err = "Function already exists in the library";
        }
        if (err != null) {
            l.unref(ref);
            return raise(l, err);
        }
        defs.add(new FunctionDef(name, desc, flags, ref));
        return 0;
    }

    /** The flags table on top of the stack as a bit set, or -1 for an unknown flag. */
    private int readFlags(Lua l) {
        int flags = 0;
        for (int j = 1; ; j++) {
            l.rawGetI(-1, j);
            if (l.isNil(-1)) {
                l.pop(1);
                return flags;
            }
            if (!l.isString(-1)) {
                l.pop(1);
                return -1;
            }
            String f = new String(bytes(l, -1), StandardCharsets.ISO_8859_1);
            l.pop(1);
            int bit = flagBit(f, true);
            if (bit == 0) return -1;
            flags |= bit;
        }
    }

    /** The bit of a script flag name, or 0; FUNCTION flags match ignoring case, shebang flags exactly. */
    public static int flagBit(String name, boolean ignoreCase) {
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if (ignoreCase ? FLAG_NAMES[i].equalsIgnoreCase(name) : FLAG_NAMES[i].equals(name)) return 1 << i;
        }
        return 0;
    }

    /** Redis's functionsVerifyName: letters, digits and underscores, at least one. */
    public static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) return false;
        }
        return true;
    }

    /** Raises Redis's error table {err = "ERR <msg>"} (luaPushError then luaError). */
    private int raise(Lua l, String msg) {
        errorTable(l, "ERR " + msg, false);
        return -1;
    }

    // ------------------------------------------------------------ redis.log, versions, replication flags

    private void addLogAndVersion(Lua l) {
        l.push(lua -> {
            Run r = run;
            if (r != null) r.repeatable = false; // a line logged twice
            return log(lua);
        });
        l.setField(-2, "log");
        String[] levels = {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"};
        for (int i = 0; i < levels.length; i++) {
            l.push(i);
            l.setField(-2, levels[i]);
        }
        l.push(VERSION_NUM);
        l.setField(-2, "REDIS_VERSION_NUM");
        l.push(VERSION);
        l.setField(-2, "REDIS_VERSION");
    }

    /** The Redis version scripts see (redis.REDIS_VERSION), as INFO reports it. */
    public static final String VERSION = "7.2.4";
    static final int VERSION_NUM = 0x070204;

    private int log(Lua l) {
        int argc = l.getTop();
        if (argc < 2) return raiseStatic(l, "redis.log() requires two arguments or more.");
        if (!l.isNumber(1)) return raiseStatic(l, "First argument must be a number (log level).");
        int level = (int) l.toNumber(1);
        if (level < 0 || level > 3) return raiseStatic(l, "Invalid debug level.");
        io.jackdaw.common.Log.Level lv = io.jackdaw.common.Log.Level.values()[level];
        if (lv.ordinal() < io.jackdaw.common.Log.level().ordinal()) return 0;
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (int j = 2; j <= argc; j++) {
            if (!l.isString(j)) continue; // as Redis: what lua_tolstring cannot convert is left out
            if (!first) sb.append(' ');
            sb.append(new String(bytesOf(l, j), StandardCharsets.UTF_8));
            first = false;
        }
        io.jackdaw.common.Log.log(lv, sb.toString());
        return 0;
    }

    private static int raiseStatic(Lua l, String msg) {
        l.setTop(0);
        l.newTable();
        l.push("ERR " + msg);
        l.setField(-2, "err");
        return -1;
    }

    private int setRepl(Lua l) {
        if (l.getTop() != 1) return raise(l, "redis.set_repl() requires one argument.");
        int flags = (int) l.toNumber(-1);
        if ((flags & ~3) != 0) return raise(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        if (run != null) run.replFlags = flags;
        return 0;
    }

    /** redis.acl_check_cmd: true when the command exists and (with no ACL users here) may be run. */
    private int aclCheckCmd(Lua l) {
        int argc = l.getTop();
        if (argc == 0) return raise(l, "Please specify at least one argument for this redis lib call");
        byte[][] argv = new byte[argc][];
        for (int i = 1; i <= argc; i++) {
            Lua.LuaType t = l.type(i);
            if (t == Lua.LuaType.NUMBER) argv[i - 1] = numberArg(l.toNumber(i)).getBytes(StandardCharsets.US_ASCII);
            else if (t == Lua.LuaType.STRING) argv[i - 1] = bytes(l, i);
            else return raise(l, "Lua redis lib command arguments must be strings or integers");
        }
        if (!host.commandExists(argv)) return raise(l, "Invalid command passed to redis.acl_check_cmd()");
        l.setTop(0);
        l.push(true);
        return 1;
    }

    // ------------------------------------------------------------ redis.* functions

    private int redisCall(Lua l, boolean raise) {
        Run r = run;
        int argc = l.getTop();
        if (r == null) return raiseOrReturn(l, "ERR redis.call/pcall can only be called inside a script invocation", raise);
        if (argc == 0) return raiseOrReturn(l, "ERR Please specify at least one argument for this redis lib call", raise);
        byte[][] argv = new byte[argc][];
        for (int i = 1; i <= argc; i++) {
            Lua.LuaType t = l.type(i);
            if (t == Lua.LuaType.NUMBER) {
                argv[i - 1] = numberArg(l.toNumber(i)).getBytes(StandardCharsets.US_ASCII);
            } else if (t == Lua.LuaType.STRING) {
                argv[i - 1] = bytes(l, i);
            } else {
                return raiseOrReturn(l, "ERR Lua redis lib command arguments must be strings or integers", raise);
            }
        }
        r.rejected = false;
        Object reply = host.call(argv, r);
        l.setTop(0);
        if (reply instanceof ScriptValue.Err e) {
            errorTable(l, e.text(), false);
            // The host counted it in the error stats already (as Redis does when the command runs).
            l.push(true);
            l.setField(-2, "ignore_error_stats_update");
            return raise ? -1 : 1;
        }
        pushReply(l, reply, r.resp);
        return 1;
    }

    private static String numberArg(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e17) return Long.toString((long) d);
        return DoubleFormat.shortest(d);
    }

    private int raiseOrReturn(Lua l, String error, boolean raise) {
        l.setTop(0);
        errorTable(l, error, false);
        return raise ? -1 : 1;
    }

    /**
     * Pushes Redis's error table. {@code parse}: the text came from the script
     * (redis.error_reply): a leading "-CODE" becomes the code, otherwise the code is ERR.
     */
    private int errorTable(Lua l, String text, boolean parse) {
        if (parse) {
            String s = text.startsWith("-") ? text : "-" + text;
            int sp = s.indexOf(' ');
            String code = sp < 0 ? "ERR" : s.substring(1, sp);
            String msg = sp < 0 ? s.substring(1) : s.substring(sp + 1);
            text = code + " " + trimCrLf(msg);
        }
        l.setTop(0);
        l.newTable();
        pushString(l, text);
        l.setField(-2, "err");
        return 1;
    }

    private static String trimCrLf(String s) {
        int a = 0, b = s.length();
        while (a < b && (s.charAt(a) == '\r' || s.charAt(a) == '\n')) a++;
        while (b > a && (s.charAt(b - 1) == '\r' || s.charAt(b - 1) == '\n')) b--;
        return s.substring(a, b);
    }

    private String statusText(Lua l) {
        if (l.getTop() != 1 || !l.isString(1)) return "wrong number or type of arguments";
        return new String(bytes(l, 1), StandardCharsets.ISO_8859_1);
    }

    private int statusTable(Lua l) {
        if (l.getTop() != 1 || !l.isString(1)) {
            errorTable(l, "ERR wrong number or type of arguments", false);
            return -1;
        }
        byte[] s = bytes(l, 1);
        l.setTop(0);
        l.newTable();
        pushBytes(s);
        l.setField(-2, "ok");
        return 1;
    }

    private int sha1hexLua(Lua l) {
        if (l.getTop() != 1) {
            l.setTop(0);
            l.push("wrong number of arguments");
            return -1;
        }
        byte[] b = l.isString(1) || l.isNumber(1) ? bytesOf(l, 1) : new byte[0];
        l.setTop(0);
        l.push(sha1hex(b));
        return 1;
    }

    private int setResp(Lua l) {
        if (l.getTop() != 1) {
            errorTable(l, "ERR redis.setresp() requires one argument.", false);
            return -1;
        }
        long v = l.toInteger(1);
        if (v != 2 && v != 3) {
            errorTable(l, "ERR RESP version must be 2 or 3.", false);
            return -1;
        }
        if (run != null) run.resp = (int) v;
        return 0;
    }

    // ------------------------------------------------------------ reply -> Lua

    private void pushReply(Lua l, Object v, int resp) {
        if (v instanceof byte[] b) {
            pushBytes(l, b);
        } else if (v instanceof Long n) {
            l.push((long) n);
        } else if (v instanceof ScriptValue.Status s) {
            l.newTable();
            pushString(l, s.text());
            l.setField(-2, "ok");
        } else if (v instanceof ScriptValue.Err e) {
            l.newTable();
            pushString(l, e.text());
            l.setField(-2, "err");
        } else if (v == ScriptValue.NULL || v == ScriptValue.NULL_ARRAY) {
            if (resp == 3) l.pushNil();
            else l.push(false);
        } else if (v instanceof Object[] a) {
            l.createTable(a.length, 0);
            for (int i = 0; i < a.length; i++) {
                pushReply(l, a[i], resp);
                l.rawSetI(-2, i + 1);
            }
        } else if (v instanceof ScriptValue.MapValue m) {
            l.newTable();
            l.newTable(); // not pre-sized: Lua's iteration order then matches Redis's table, filled the same way
            for (int i = 0; i + 1 < m.kv().length; i += 2) {
                pushReply(l, m.kv()[i], resp);
                pushReply(l, m.kv()[i + 1], resp);
                l.rawSet(-3);
            }
            l.setField(-2, "map");
        } else if (v instanceof ScriptValue.SetValue s) {
            l.newTable();
            l.newTable(); // as for maps
            for (Object o : s.items()) {
                pushReply(l, o, resp);
                l.push(true);
                l.rawSet(-3);
            }
            l.setField(-2, "set");
        } else if (v instanceof Boolean b) {
            l.push((boolean) b);
        } else if (v instanceof ScriptValue.DoubleValue d) {
            l.newTable();
            l.push(d.value());
            l.setField(-2, "double");
        } else if (v instanceof ScriptValue.BigNumber b) {
            l.newTable();
            pushString(l, b.digits());
            l.setField(-2, "big_number");
        } else if (v instanceof ScriptValue.Verbatim vb) {
            l.newTable();
            l.newTable();
            pushString(l, vb.text());
            l.setField(-2, "string");
            pushString(l, vb.format());
            l.setField(-2, "format");
            l.setField(-2, "verbatim_string");
        } else {
            l.push(false);
        }
    }

    // ------------------------------------------------------------ Lua -> reply

    private static final int MAX_DEPTH = 1000;

    /** Redis's luaReplyToRedisReply, for a client speaking {@code resp}. */
    private Object toReply(int idx, int resp, int depth) {
        int abs = idx < 0 ? lua.getTop() + idx + 1 : idx;
        Lua.LuaType t = lua.type(abs);
        if (t == null) return ScriptValue.NULL;
        switch (t) {
            case STRING:
                return bytes(lua, abs);
            case BOOLEAN:
                // As Redis: the script's protocol (redis.setresp) decides, not the caller's.
                if (run.resp == 2) return lua.toBoolean(abs) ? (Object) 1L : ScriptValue.NULL;
                return lua.toBoolean(abs);
            case NUMBER:
                return truncate(lua.toNumber(abs));
            case TABLE:
                if (depth >= MAX_DEPTH) return new ScriptValue.Err("ERR reached lua stack limit");
                return tableReply(abs, resp, depth);
            default:
                return ScriptValue.NULL;
        }
    }

    /** C's (long long) cast on x86-64: out of range and NaN give the minimum, where Java saturates. */
    static long truncate(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    private Object tableReply(int abs, int resp, int depth) {
        rawField(abs, "err");
        if (lua.isString(-1)) {
            String msg = string(-1);
            lua.pop(1);
            return new ScriptValue.Err(msg.replace('\r', ' ').replace('\n', ' '), rawBoolean(abs, "ignore_error_stats_update"));
        }
        lua.pop(1);
        rawField(abs, "ok");
        if (lua.isString(-1)) {
            String s = string(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            return new ScriptValue.Status(s);
        }
        lua.pop(1);
        rawField(abs, "double");
        if (lua.isNumber(-1)) {
            double d = lua.toNumber(-1);
            lua.pop(1);
            return new ScriptValue.DoubleValue(d);
        }
        lua.pop(1);
        rawField(abs, "big_number");
        if (lua.isString(-1)) {
            String s = string(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            return new ScriptValue.BigNumber(s);
        }
        lua.pop(1);
        rawField(abs, "map");
        if (lua.isTable(-1)) {
            List<Object> kv = new ArrayList<>();
            int m = lua.getTop();
            lua.pushNil();
            while (lua.next(m) != 0) {
                kv.add(toReply(-2, resp, depth + 1));
                kv.add(toReply(-1, resp, depth + 1));
                lua.pop(1);
            }
            lua.pop(1);
            return new ScriptValue.MapValue(kv.toArray());
        }
        lua.pop(1);
        rawField(abs, "set");
        if (lua.isTable(-1)) {
            List<Object> items = new ArrayList<>();
            int m = lua.getTop();
            lua.pushNil();
            while (lua.next(m) != 0) {
                items.add(toReply(-2, resp, depth + 1));
                lua.pop(1);
            }
            lua.pop(1);
            return new ScriptValue.SetValue(items.toArray());
        }
        lua.pop(1);
        rawField(abs, "verbatim_string");
        if (lua.isTable(-1)) {
            String fmt = field(-1, "format"), text = field(-1, "string");
            lua.pop(1);
            if (fmt != null && text != null) return new ScriptValue.Verbatim(fmt, text);
            return ScriptValue.NULL;
        }
        lua.pop(1);
        // An array up to the first nil.
        List<Object> items = new ArrayList<>();
        for (int i = 1; ; i++) {
            lua.rawGetI(abs, i);
            if (lua.isNil(-1)) {
                lua.pop(1);
                break;
            }
            items.add(toReply(-1, resp, depth + 1));
            lua.pop(1);
        }
        return items.toArray();
    }

    // ------------------------------------------------------------ strings as bytes

    private String string(int idx) { return new String(bytes(lua, idx), StandardCharsets.UTF_8); }

    private byte[] bytes(Lua l, int idx) { return bytesOf(l, idx); }

    /** The bytes of the string (or number, converted in place) at {@code idx}; empty for other types. */
    private byte[] bytesOf(Lua l, int idx) {
        byte[] b = strings.bytes(l.getPointer(), idx);
        return b == null ? new byte[0] : b;
    }

    private void pushString(Lua l, String s) { pushBytes(l, s.getBytes(StandardCharsets.UTF_8)); }

    private void pushBytes(byte[] b) { pushBytes(lua, b); }

    private void pushBytes(Lua l, byte[] b) { strings.push(l.getPointer(), b); }
}
