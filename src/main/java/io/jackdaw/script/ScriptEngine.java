package io.jackdaw.script;

import io.jackdaw.types.DoubleFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    }

    /** The state of the script being run, shared with the host for its checks. */
    public static final class Run {
        /** EVAL_RO/EVALSHA_RO: no write commands. */
        public boolean readOnly;
        /** The script already ran a write command. */
        public boolean wrote;
        /** The protocol redis.call replies are converted from (redis.setresp). */
        public int resp = 2;
        /** Set by the host when it refused the command before running it. */
        public boolean rejected;
        /** The protocol of the client that runs the script: the result is converted for it. */
        public int clientResp = 2;
    }

    /** A script that could not be compiled or run: the reply is {@code message} as an error. */
    public static final class ScriptException extends Exception {
        public ScriptException(String message) { super(message, null, false, false); }
    }

    private final Host host;
    private Lua lua;
    private Lua51Natives natives;
    private long ptr;
    private final Map<String, Integer> scripts = new HashMap<>();
    private final Map<String, byte[]> bodies = new HashMap<>();
    private Run run;
    private int env;
    /** One generator for the interpreter's life, as Redis: not reset between scripts. */
    private final Lrand48 random = new Lrand48();

    public ScriptEngine(Host host) {
        this.host = host;
        reset();
    }

    private void reset() {
        if (lua != null) lua.close();
        scripts.clear();
        bodies.clear();
        lua = new Lua51();
        natives = (Lua51Natives) lua.getLuaNatives();
        ptr = lua.getPointer();
        for (String lib : new String[] {"base", "table", "string", "math", "debug"}) lua.openLibrary(lib);
        ScriptLibraries.install(lua); // cjson, struct, cmsgpack, bit
        lua.newTable();
        lua.push(l -> redisCall(l, true));
        lua.setField(-2, "call");
        lua.push(l -> redisCall(l, false));
        lua.setField(-2, "pcall");
        lua.push(ScriptEngine::sha1hexLua);
        lua.setField(-2, "sha1hex");
        lua.push(l -> errorTable(l, statusText(l), true));
        lua.setField(-2, "error_reply");
        lua.push(l -> statusTable(l));
        lua.setField(-2, "status_reply");
        lua.push(this::setResp);
        lua.setField(-2, "setresp");
        lua.setGlobal("redis");
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
                + "end\n";
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
        try {
            lua.run(handler);
            byte[] sandbox;
            try (var in = ScriptEngine.class.getResourceAsStream("sandbox.lua")) {
                sandbox = in.readAllBytes();
            }
            ByteBuffer b = ByteBuffer.allocateDirect(sandbox.length);
            b.put(sandbox).flip();
            if (natives.luaJ_loadbuffer(ptr, b, sandbox.length, "@sandbox") != 0 || natives.lua_pcall(ptr, 0, 1, 0) != 0) {
                throw new IllegalStateException("Lua sandbox: " + string(-1));
            }
            env = lua.ref(); // the globals proxy every script runs in
        } catch (Exception e) {
            throw new IllegalStateException("Lua sandbox", e);
        }
    }

    /** Redis's redisLrand48/redisSrand48: the 48-bit generator of POSIX lrand48, same sequence everywhere. */
    static final class Lrand48 {
        private long x = 0x1234ABCD330EL;

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

    /** SCRIPT LOAD and EVAL's first run: compiles the body unless cached; returns its SHA1. */
    public synchronized String load(byte[] body) throws ScriptException {
        String sha = sha1hex(body);
        if (scripts.containsKey(sha)) return sha;
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, body.length));
        b.put(body).flip();
        int status = natives.luaJ_loadbuffer(ptr, b, body.length, "@user_script");
        if (status != 0) {
            String msg = string(-1);
            lua.pop(1);
            throw new ScriptException("ERR Error compiling script (new function): " + msg);
        }
        lua.refGet(env);
        natives.lua_setfenv(ptr, -2);
        scripts.put(sha, lua.ref());
        bodies.put(sha, body);
        return sha;
    }

    public synchronized boolean exists(String sha) { return scripts.containsKey(sha.toLowerCase(java.util.Locale.ROOT)); }

    /** SCRIPT FLUSH: a fresh interpreter, as Redis's scriptingReset. */
    public synchronized void flush() { reset(); }

    public synchronized int cachedScripts() { return scripts.size(); }

    /**
     * Runs the cached script {@code sha} (lower-case) with KEYS and ARGV and returns its result
     * converted for the client's protocol, or null when no such script is cached.
     */
    public synchronized Object run(String sha, byte[][] keys, byte[][] args, Run r) {
        Integer ref = scripts.get(sha);
        if (ref == null) return null;
        int base = lua.getTop();
        run = r;
        try {
            lua.getGlobal("__redis__err__handler");
            setArray("KEYS", keys);
            setArray("ARGV", args);
            lua.refGet(ref);
            int status = natives.lua_pcall(ptr, 0, 1, base + 1);
            if (status != 0) return errorResult(sha);
            return toReply(-1, r.clientResp, 0);
        } finally {
            run = null;
            lua.setTop(base);
            if (r.resp != 2) r.resp = 2;
        }
    }

    private void setArray(String name, byte[][] items) {
        lua.createTable(items.length, 0);
        for (int i = 0; i < items.length; i++) {
            pushBytes(items[i]);
            lua.rawSetI(-2, i + 1);
        }
        lua.setGlobal(name);
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
        if (msg == null) msg = "ERR unknown error";
        StringBuilder sb = new StringBuilder(msg);
        if (source != null && line != null) sb.append(" script: ").append(sha).append(", on ").append(source).append(':').append(line).append('.');
        return new ScriptValue.Err(sb.toString());
    }

    private String field(int idx, String name) {
        lua.getField(idx, name);
        try {
            return lua.isString(-1) ? string(-1) : null;
        } finally {
            lua.pop(1);
        }
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
            if (r.rejected) {
                l.push(true);
                l.setField(-2, "ignore_error_stats_update");
            }
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

    private static int sha1hexLua(Lua l) {
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
            l.createTable(0, m.kv().length / 2);
            for (int i = 0; i + 1 < m.kv().length; i += 2) {
                pushReply(l, m.kv()[i], resp);
                pushReply(l, m.kv()[i + 1], resp);
                l.rawSet(-3);
            }
            l.setField(-2, "map");
        } else if (v instanceof ScriptValue.SetValue s) {
            l.newTable();
            l.createTable(0, s.items().length);
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
        lua.getField(abs, "err");
        if (lua.isString(-1)) {
            String msg = string(-1);
            lua.pop(1);
            return new ScriptValue.Err(msg.replace('\r', ' ').replace('\n', ' '));
        }
        lua.pop(1);
        lua.getField(abs, "ok");
        if (lua.isString(-1)) {
            String s = string(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            return new ScriptValue.Status(s);
        }
        lua.pop(1);
        lua.getField(abs, "double");
        if (lua.isNumber(-1)) {
            double d = lua.toNumber(-1);
            lua.pop(1);
            return new ScriptValue.DoubleValue(d);
        }
        lua.pop(1);
        lua.getField(abs, "big_number");
        if (lua.isString(-1)) {
            String s = string(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            return new ScriptValue.BigNumber(s);
        }
        lua.pop(1);
        lua.getField(abs, "map");
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
        lua.getField(abs, "set");
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
        lua.getField(abs, "verbatim_string");
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

    private static byte[] bytes(Lua l, int idx) { return bytesOf(l, idx); }

    private static byte[] bytesOf(Lua l, int idx) {
        // A view of Lua's own bytes (no allocation of native memory), copied while still on the stack.
        ByteBuffer b = l.toDirectBuffer(idx);
        if (b == null) return new byte[0];
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private void pushString(Lua l, String s) { pushBytes(l, s.getBytes(StandardCharsets.UTF_8)); }

    private void pushBytes(byte[] b) { pushBytes(lua, b); }

    private void pushBytes(Lua l, byte[] b) {
        boolean plain = true;
        for (byte x : b) {
            if (x <= 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            l.push(new String(b, StandardCharsets.ISO_8859_1));
            return;
        }
        // A Lua 5.1 binary chunk (x86-64 layout) whose one function returns the string constant.
        ByteBuffer c = ByteBuffer.allocateDirect(96 + b.length).order(ByteOrder.LITTLE_ENDIAN);
        c.put(CHUNK_HEADER);
        c.putLong(0).putInt(0).putInt(0); // no source name, lines 0..0
        c.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 2); // upvalues, params, vararg, stack
        c.putInt(2).putInt(LOADK_0_0).putInt(RETURN_0_2);
        c.putInt(1).put((byte) 4).putLong(b.length + 1L).put(b).put((byte) 0);
        c.putInt(0).putInt(0).putInt(0).putInt(0); // protos, line info, locals, upvalue names
        c.flip();
        Lua51Natives n = (Lua51Natives) l.getLuaNatives();
        if (n.luaJ_loadbuffer(l.getPointer(), c, c.limit(), "=bytes") != 0 || n.lua_pcall(l.getPointer(), 0, 1, 0) != 0) {
            throw new IllegalStateException("pushing a binary string failed");
        }
    }

    private static final byte[] CHUNK_HEADER = {0x1b, 'L', 'u', 'a', 0x51, 0, 1, 4, 8, 4, 8, 0};
    private static final int LOADK_0_0 = 1;
    private static final int RETURN_0_2 = 30 | (2 << 23);
}
