package io.jackdaw.command;

import io.jackdaw.script.FunctionLibraries;
import io.jackdaw.script.ScriptEngine;
import io.jackdaw.script.ScriptValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH, and the command layer's side
 * of the script engine: {@code redis.call} comes back here and runs through the dispatcher as a
 * nested call under the script's locks (EVAL holds every shard, as EXEC does), after the
 * checks Redis's scriptCall makes.
 */
final class ScriptCommands implements ScriptEngine.Host {
    private final Dispatcher dispatcher;
    private volatile ScriptEngine engine;
    /** The EVAL being run (the engine runs one script at a time). */
    private Call outer;
    private final Collector collector = new Collector(2);
    private final CommandArgs lookupArgs = new CommandArgs();

    private ScriptCommands(Dispatcher dispatcher) { this.dispatcher = dispatcher; }

    static void register(CommandTable t, Dispatcher dispatcher) {
        ScriptCommands s = new ScriptCommands(dispatcher);
        dispatcher.scripts = s;
        t.register("script|kill", c -> s.kill(c, true));
        t.register("script|help", c -> Help.reply(c, "SCRIPT", SCRIPT_HELP));
        t.register("script|show", s::scriptShow);
        t.register("eval", c -> s.eval(c, false, false));
        t.register("evalsha", c -> s.eval(c, true, false));
        t.register("eval_ro", c -> s.eval(c, false, true));
        t.register("evalsha_ro", c -> s.eval(c, true, true));
        t.register("script|load", s::scriptLoad);
        t.register("script|exists", s::scriptExists);
        t.register("script|flush", s::scriptFlush);
        t.register("fcall", c -> s.fcall(c, false));
        t.register("fcall_ro", c -> s.fcall(c, true));
        FunctionCommands.register(t, s);
    }

    private static final java.util.List<String> SCRIPT_HELP = java.util.List.of(
            "EXISTS <sha1> [<sha1> ...]",
            "    For each SHA1, 1 when a script with that digest is cached, else 0.",
            "FLUSH [ASYNC|SYNC]",
            "    Empty the script cache.",
            "KILL",
            "    Stop the running script, if it has not written anything.",
            "LOAD <script>",
            "    Compile a script into the cache and return its SHA1 digest.",
            "SHOW <sha1>",
            "    Return the body of the cached script with this SHA1 digest.");

    // ------------------------------------------------------------ the running script

    /**
     * EVAL and FCALL run on this one thread, not on the caller's event loop: a long script then
     * holds only the shards (every one, which is what makes it atomic), so the event loops keep
     * answering other clients: -BUSY past busy-reply-threshold, SCRIPT KILL, FUNCTION STATS.
     */
    /** This server's script thread (its queue tells the dispatcher whether more scripts wait); it ends when idle a minute. */
    private final java.util.concurrent.ThreadPoolExecutor scriptThread = newScriptThread();

    private static java.util.concurrent.ThreadPoolExecutor newScriptThread() {
        java.util.concurrent.ThreadPoolExecutor t = new java.util.concurrent.ThreadPoolExecutor(1, 1, 60,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread th = new Thread(r, "jackdaw-script");
                    th.setDaemon(true);
                    return th;
                });
        t.allowCoreThreadTimeOut(true);
        return t;
    }

    /** Whether scripts wait behind the one running (the script thread then keeps the shards for them). */
    boolean moreQueued() { return !scriptThread.getQueue().isEmpty(); }

    /** The script being run, for other clients' -BUSY, SCRIPT KILL and FUNCTION STATS. */
    private record Running(long startMs, boolean eval, String name, byte[][] argv, ScriptEngine.Run run) {}

    /** Scripts that ran past busy-reply-threshold so far, and the -BUSY text of the last; written by the script thread. */
    private volatile long busyEpisodes;
    private volatile String lastBusyError;

    private volatile Running running;
    /** When the running script started, in microseconds: TIME inside it answers this. */
    private long scriptStartMicros;

    /** The -BUSY error other commands get while a script is past busy-reply-threshold; null otherwise. */
    String busyError() {
        Running r = running;
        if (r == null) return null;
        long elapsed = server.clock().millis() - r.startMs;
        if (elapsed <= 0) return null; // configuration read only when the threshold could be reached
        long threshold = server.config().getLong("busy-reply-threshold");
        if (threshold <= 0 || elapsed < threshold) return null;
        return r.eval ? Errors.SCRIPT_BUSY_EVAL : Errors.SCRIPT_BUSY_FUNCTION;
    }

    /** What a command waiting for a shard asks (one object, not a lambda per command). */
    final java.util.function.BooleanSupplier pastThreshold = () -> busyError() != null;

    private ServerContext server;

    /**
     * The flags the gate applies to EVAL and FCALL and their variants (Redis's evalGetCommandFlags and
     * fcallGetCommandFlags): a script with flags (a shebang, or a function) is a write command
     * unless no-writes and may not run out of memory unless allow-oom or no-writes; one
     * without keeps the command's own flags.
     */
    long commandFlags(Call c, CommandSpec spec) {
        int flags;
        switch (spec.name) {
            case "eval", "eval_ro", "evalsha", "evalsha_ro" -> {
                if (c.argc() < 2) return spec.flags;
                boolean bySha = spec.name.startsWith("evalsha");
                ScriptEngine e = engine;
                flags = e == null ? ScriptEngine.NOT_CACHED
                        : e.flags(bySha ? c.args.string(1).toLowerCase(Locale.ROOT) : ScriptEngine.sha1hex(c.args.bytes(1)));
                if (flags == ScriptEngine.NOT_CACHED) {
                    if (bySha) return spec.flags;
                    try {
                        flags = ScriptEngine.shebangFlags(c.args.bytes(1), new int[1]);
                    } catch (ScriptEngine.ScriptException ex) {
                        return spec.flags;
                    }
                }
            }
            case "fcall", "fcall_ro" -> {
                FunctionLibraries libs = functions;
                FunctionLibraries.Function f = libs == null || c.argc() < 2 ? null : libs.function(c.args.string(1));
                if (f == null) return spec.flags;
                flags = f.def().flags();
            }
            default -> {
                return spec.flags;
            }
        }
        if (flags == ScriptEngine.FLAGS_COMPAT) return spec.flags;
        long out = spec.flags & ~(CommandFlags.STALE | CommandFlags.DENYOOM | CommandFlags.WRITE | CommandFlags.MAY_REPLICATE);
        if ((flags & (ScriptEngine.FLAG_ALLOW_OOM | ScriptEngine.FLAG_NO_WRITES)) == 0) out |= CommandFlags.DENYOOM;
        if ((flags & ScriptEngine.FLAG_NO_WRITES) == 0) out |= CommandFlags.WRITE;
        if ((flags & ScriptEngine.FLAG_ALLOW_STALE) != 0) out |= CommandFlags.STALE;
        return out;
    }

    /**
     * Scripts (by SHA1, or a function as loaded) whose last {@link #INLINE_AFTER} runs each
     * took under {@link #INLINE_UNDER_NANOS} run on the client's own loop, saving the two
     * thread switches of the script thread (half the CPU of a short EVALSHA went to the
     * kernel's task switching). A run on the loop that goes on past that time and has done
     * nothing it must not do twice (a write, a publish, redis.log) is stopped and run again
     * from the start on the script thread, where a long script leaves every loop free to
     * answer -BUSY and SCRIPT KILL; any slow run sends the script back to the script thread
     * until it is short again that many times. An unknown script goes there first.
     */
    private final java.util.concurrent.ConcurrentHashMap<Object, Integer> shortRuns = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long INLINE_UNDER_NANOS = 2_000_000;
    private static final int INLINE_AFTER = 3;
    /** Reloaded functions leave their old entries behind: past this many the record starts over. */
    private static final int SHORT_RUNS_KEPT = 4096;

    /**
     * Decides where a top-level script runs: true to go on here, on the client's loop, holding
     * every shard; false when it was handed to the script thread or answered -BUSY. With a
     * MONITOR attached scripts stay on the script thread: a run moved off would be fed twice.
     */
    private boolean runsInline(Call c, Object key) {
        if (key == null || shortRuns.getOrDefault(key, 0) < INLINE_AFTER || dispatcher.monitorsActive()) {
            offload(c);
            return false;
        }
        if (!dispatcher.holdAllOnLoop(c)) {
            c.reply.error(busyError() != null ? busyError() : Errors.SCRIPT_BUSY_EVAL);
            return false;
        }
        return true;
    }

    /** Records how long a top-level script took, for {@link #runsInline}. */
    private void recordDuration(Object key, long nanos) {
        if (key == null) return;
        if (nanos >= INLINE_UNDER_NANOS) {
            shortRuns.put(key, 0);
        } else if (shortRuns.getOrDefault(key, 0) < INLINE_AFTER) {
            if (shortRuns.size() >= SHORT_RUNS_KEPT) shortRuns.clear();
            shortRuns.merge(key, 1, Integer::sum);
        }
    }

    /** Moves the call to the script thread; the client waits, as a blocked one, for its reply. */
    private void offload(Call c) {
        ClientSession client = c.client;
        CommandArgs args = new CommandArgs();
        args.copyFrom(c.args);
        Reply out = client.channel().detachedReply();
        Call sc = new Call(c.server, client, args, out);
        sc.spec = c.spec;
        client.runningScript = true;
        c.blocked = true; // counted by the script thread when it ends
        long episode = busyEpisodes;
        scriptThread.execute(() -> {
            try {
                if (busyEpisodes != episode) {
                    // A script went past busy-reply-threshold while this one waited: Redis would have
                    // answered it -BUSY from inside that script, so it gets that answer, not a run.
                    sc.spec.rejectedCalls.increment();
                    out.error(lastBusyError);
                } else {
                    dispatcher.runOnScriptThread(sc);
                }
            } finally {
                client.channel().execute(() -> {
                    client.runningScript = false;
                    client.channel().resumeAfterBlock(out);
                });
            }
        });
    }

    /** Whether a call is a top-level script on its client's own loop (not yet on the script thread). */
    private static boolean onClientLoop(Call c) { return !c.nested && !c.onScriptThread; }

    /**
     * Runs the script body under the engine's monitor as the running script, and records how
     * long it took under {@code key} for {@link #runsInline}; SELECT inside it stays its own.
     * A run on the client's loop gets its deadline for moving off it (see {@link #shortRuns});
     * one stopped there is handed to the script thread here (its result means nothing).
     */
    private Object runScript(Call c, ScriptEngine e, boolean eval, String name, Object key, ScriptEngine.Run run,
            java.util.function.Supplier<Object> body) {
        int db = c.client.db;
        Object result;
        synchronized (e) {
            outer = c;
            try {
                result = runRecorded(c, eval, name, key, run, body);
            } finally {
                outer = null;
                c.client.db = db;
            }
        }
        if (run.movedOff) offload(c);
        return result;
    }

    private Object runRecorded(Call c, boolean eval, String name, Object key, ScriptEngine.Run run, java.util.function.Supplier<Object> body) {
        byte[][] argv = new byte[c.argc()][];
        for (int i = 0; i < argv.length; i++) argv[i] = c.args.bytes(i);
        // Not the command's snapshot c.now: the script thread may have created the engine since.
        scriptStartMicros = c.server.clock().micros();
        Running r = new Running(scriptStartMicros / 1000, eval, name, argv, run);
        running = r;
        long t0 = System.nanoTime();
        if (onClientLoop(c)) run.moveOffAfterNanos = (t0 + INLINE_UNDER_NANOS) | 1;
        try {
            return body.get();
        } finally {
            long nanos = System.nanoTime() - t0;
            if (!c.nested) {
                recordDuration(key, nanos);
                // Configuration and clock are read only when the run could have reached the
                // threshold; the clock is the one busyError() reads, so a run others were told
                // was busy is always counted here.
                long threshold = nanos < 1_000_000 ? 0 : c.server.config().getLong("busy-reply-threshold");
                if (threshold > 0 && c.server.clock().millis() - r.startMs() >= threshold) {
                    lastBusyError = eval ? Errors.SCRIPT_BUSY_EVAL : Errors.SCRIPT_BUSY_FUNCTION;
                    busyEpisodes++; // only the script thread writes it
                }
            }
            running = null;
        }
    }

    /** SCRIPT KILL ({@code eval}) and FUNCTION KILL, as Redis's scriptKill. */
    void kill(Call c, boolean eval) {
        Running r = running;
        if (r == null) {
            c.reply.error("NOTBUSY No scripts in execution right now.");
        } else if (r.run.wrote) {
            c.reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either"
                    + " wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        } else if (eval && !r.eval) {
            c.reply.error(Errors.SCRIPT_BUSY_FUNCTION);
        } else if (!eval && r.eval) {
            c.reply.error(Errors.SCRIPT_BUSY_EVAL);
        } else {
            r.run.killedMessage = eval ? "ERR Script killed by user with SCRIPT KILL..." : "ERR Script killed by user with FUNCTION KILL...";
            c.reply.ok();
        }
    }

    /** FUNCTION STATS' running_script: name, command and duration, or a null; an EVAL in progress makes it -BUSY. */
    boolean replyRunningFunction(Call c) {
        Running r = running;
        if (r != null && r.eval) {
            c.reply.error(Errors.SCRIPT_BUSY_EVAL);
            return false;
        }
        c.reply.map(2);
        c.reply.bulk("running_script");
        if (r == null) {
            c.reply.nullBulk();
        } else {
            c.reply.map(3);
            c.reply.bulk("name");
            c.reply.bulk(r.name);
            c.reply.bulk("command");
            c.reply.array(r.argv.length);
            for (byte[] a : r.argv) c.reply.bulk(a);
            c.reply.bulk("duration_ms");
            c.reply.integer(c.server.clock().millis() - r.startMs);
        }
        return true;
    }

    private volatile FunctionLibraries functions;

    /** The function libraries, with their own interpreter (made on first use, as EVAL's). */
    FunctionLibraries functions() {
        FunctionLibraries f = functions;
        if (f == null) {
            synchronized (this) {
                if (functions == null) functions = new FunctionLibraries(new ScriptEngine(this, true));
                f = functions;
            }
        }
        return f;
    }

    /** The libraries for dump.rdb: their code, in load order, and loading one back. */
    io.jackdaw.store.RdbFile.Functions rdbFunctions() {
        return new io.jackdaw.store.RdbFile.Functions() {
            @Override public Iterable<byte[]> libraries() {
                FunctionLibraries f = functions;
                if (f == null) return java.util.List.of();
                java.util.List<byte[]> codes = new java.util.ArrayList<>();
                for (FunctionLibraries.Library lib : f.libraries()) codes.add(lib.code());
                return codes;
            }

            @Override public void load(byte[] code, boolean replace) throws Exception {
                functions().load(code, replace);
            }

            @Override public void flush() { flushFunctions(); }
        };
    }

    void flushFunctions() {
        if (functions != null) functions.flush();
    }

    /** The interpreter starts with the first script, so a server that runs none never loads Lua. */
    private ScriptEngine engine() {
        ScriptEngine e = engine;
        if (e == null) {
            synchronized (this) {
                if (engine == null) engine = new ScriptEngine(this);
                e = engine;
            }
        }
        return e;
    }

    private void eval(Call c, boolean bySha, boolean readOnly) {
        server = c.server;
        String sha = bySha && c.args.length(1) == 40 ? c.args.string(1).toLowerCase(Locale.ROOT) : null;
        if (onClientLoop(c) && !runsInline(c, sha)) return;
        dispatcher.feedMonitors(c); // first, so the script's commands appear after it
        if (!c.args.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long numkeys = c.args.lastLong();
        if (numkeys > c.argc() - 3) {
            c.reply.error(Errors.NUMKEYS_TOO_MANY);
            return;
        } else if (numkeys < 0) {
            c.reply.error(Errors.NUMKEYS_NEGATIVE);
            return;
        }
        ScriptEngine e = engine();
        if (bySha) {
            if (sha == null) {
                c.reply.error(Errors.NOSCRIPT);
                return;
            }
        } else {
            try {
                sha = e.load(c.args.bytes(1));
            } catch (ScriptEngine.ScriptException ex) {
                c.reply.error(ex.getMessage());
                return;
            }
        }
        int flags = e.flags(sha);
        if (flags == ScriptEngine.NOT_CACHED) {
            c.reply.error(Errors.NOSCRIPT);
            return;
        }
        ScriptEngine.Run run = prepare(c, flags, readOnly);
        if (run == null) return;
        int n = (int) numkeys;
        byte[][] keys = new byte[n][], argv = new byte[c.argc() - 3 - n][];
        for (int i = 0; i < n; i++) keys[i] = c.args.bytes(3 + i);
        for (int i = 0; i < argv.length; i++) argv[i] = c.args.bytes(3 + n + i);
        String name = sha;
        Object result = runScript(c, e, true, name, name, run, () -> e.run(name, keys, argv, run));
        if (run.movedOff) return;
        if (result == null) {
            c.reply.error(Errors.NOSCRIPT);
            return;
        }
        write(c.reply, result);
    }

    /**
     * Redis's scriptPrepareForRun: a script with flags (a shebang, or any function) that may
     * write cannot run through a *_RO command, nor when memory is over the limit unless it
     * allows OOM; a script without (EVAL's compatibility mode) only takes the *_RO command's
     * restriction. Null after replying.
     */
    private static ScriptEngine.Run prepare(Call c, int flags, boolean readOnlyCommand) {
        ScriptEngine.Run run = new ScriptEngine.Run();
        boolean compat = flags == ScriptEngine.FLAGS_COMPAT;
        if (!compat) {
            boolean noWrites = (flags & ScriptEngine.FLAG_NO_WRITES) != 0;
            int disk = noWrites ? Snapshots.DISK_OK : c.server.snapshots().diskError();
            if (disk != Snapshots.DISK_OK) {
                c.reply.error(disk == Snapshots.DISK_RDB ? Errors.MISCONF_RDB_SCRIPT : Errors.misconfAofScript(c.server.snapshots().aofError()));
                return null;
            }
            if (!noWrites && readOnlyCommand) {
                c.reply.error(Errors.SCRIPT_RO_WITH_WRITE_FLAG);
                return null;
            }
            if ((flags & (ScriptEngine.FLAG_ALLOW_OOM | ScriptEngine.FLAG_NO_WRITES)) == 0 && c.server.eviction().limited()
                    && c.server.eviction().perform() == Eviction.FAIL) {
                c.reply.error(Errors.SCRIPT_OOM_NO_ALLOW_OOM);
                return null;
            }
            run.readOnly = readOnlyCommand || noWrites;
            run.allowOom = (flags & ScriptEngine.FLAG_ALLOW_OOM) != 0;
        } else {
            run.readOnly = readOnlyCommand;
        }
        run.clientResp = c.reply.protocol();
        return run;
    }

    /** FCALL function numkeys key... arg... and FCALL_RO. */
    private void fcall(Call c, boolean readOnly) {
        server = c.server;
        FunctionLibraries libs = functions();
        FunctionLibraries.Function f = libs.function(c.args.string(1));
        if (onClientLoop(c) && !runsInline(c, f == null ? null : f.def())) return;
        dispatcher.feedMonitors(c);
        if (f == null) {
            c.reply.error("ERR Function not found");
            return;
        }
        if (!c.args.parseLong(2)) {
            c.reply.error("ERR Bad number of keys provided");
            return;
        }
        long numkeys = c.args.lastLong();
        if (numkeys > c.argc() - 3) {
            c.reply.error(Errors.NUMKEYS_TOO_MANY);
            return;
        } else if (numkeys < 0) {
            c.reply.error(Errors.NUMKEYS_NEGATIVE);
            return;
        }
        ScriptEngine.Run run = prepare(c, f.def().flags(), readOnly);
        if (run == null) return;
        int n = (int) numkeys;
        byte[][] keys = new byte[n][], argv = new byte[c.argc() - 3 - n][];
        for (int i = 0; i < n; i++) keys[i] = c.args.bytes(3 + i);
        for (int i = 0; i < argv.length; i++) argv[i] = c.args.bytes(3 + n + i);
        ScriptEngine e = libs.engine();
        Object result = runScript(c, e, false, f.name(), f.def(), run, () -> e.call(f.def(), keys, argv, run));
        if (run.movedOff) return;
        write(c.reply, result);
    }

    @Override
    public boolean commandExists(byte[][] argv) {
        Call c = outer;
        CommandArgs args = new CommandArgs();
        args.add(argv[0]);
        if (argv.length > 1) args.add(argv[1]);
        CommandSpec spec = c.server.commands().lookup(args);
        if (spec != null && spec.isContainer()) spec = argv.length >= 2 ? spec.subcommand(args, 1) : null;
        return spec != null;
    }

    private void scriptLoad(Call c) {
        try {
            c.reply.bulk(engine().load(c.args.bytes(2)));
        } catch (ScriptEngine.ScriptException ex) {
            c.reply.error(ex.getMessage());
        }
    }

    /** SCRIPT SHOW sha1 (Valkey 8): the cached script's body; the SHA1 must match exactly, as Valkey's dict look-up. */
    private void scriptShow(Call c) {
        ScriptEngine e = engine;
        byte[] body = e == null || c.args.length(2) != 40 ? null : e.body(c.args.string(2));
        if (body == null) c.reply.error(Errors.NOSCRIPT);
        else c.reply.bulk(body);
    }

    /** INFO memory's number_of_cached_scripts, number_of_functions, number_of_libraries. */
    long[] counts() {
        ScriptEngine e = engine;
        FunctionLibraries f = functions;
        return new long[] {e == null ? 0 : e.cachedScripts(), f == null ? 0 : f.functionCount(), f == null ? 0 : f.libraries().size()};
    }

    private void scriptExists(Call c) {
        ScriptEngine e = engine();
        c.reply.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) c.reply.integer(e.exists(c.args.string(i)) ? 1 : 0);
    }

    private void scriptFlush(Call c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.args.is(2, "SYNC") && !c.args.is(2, "ASYNC"))) {
            c.reply.error(Errors.SCRIPT_FLUSH_OPTION);
            return;
        }
        if (engine != null) engine.flush();
        c.reply.ok();
    }

    // ------------------------------------------------------------ redis.call

    @Override
    public Object call(byte[][] argv, ScriptEngine.Run run) {
        Call c = outer;
        CommandArgs args = lookupArgs;
        args.clear();
        args.add(argv[0]);
        if (argv.length > 1) args.add(argv[1]);
        CommandSpec spec = c.server.commands().lookup(args);
        if (spec != null && spec.isContainer() && argv.length >= 2) spec = spec.subcommand(args, 1);
        if (spec == null || !spec.arityOk(argv.length)) {
            return reject(c, run, spec, spec == null ? Errors.SCRIPT_UNKNOWN_COMMAND : Errors.SCRIPT_WRONG_ARITY);
        }
        if (spec.has(CommandFlags.NOSCRIPT) && !c.server.scriptDenyDisabled().get()) {
            return reject(c, run, spec, Errors.SCRIPT_NOSCRIPT_COMMAND);
        }
        if (run.readOnly && spec.has(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) {
            return reject(c, run, spec, Errors.SCRIPT_READONLY_WRITE);
        }
        if (spec.has(CommandFlags.WRITE)) {
            int disk = c.server.snapshots().diskError();
            if (disk != Snapshots.DISK_OK) {
                return reject(c, run, spec, disk == Snapshots.DISK_RDB ? Errors.MISCONF_RDB : Errors.misconfAof(c.server.snapshots().aofError()));
            }
        }
        if (!run.wrote && !run.allowOom && spec.has(CommandFlags.DENYOOM) && c.server.eviction().limited()
                && c.server.eviction().perform() == Eviction.FAIL) {
            return reject(c, run, spec, Errors.OOM);
        }
        if (spec.has(CommandFlags.WRITE)) run.wrote = true;
        if (spec.has(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE | CommandFlags.ADMIN)) run.repeatable = false;
        // One nested call kept for the client running scripts (the engine runs one script at a time).
        Call in = c.client.scriptCall;
        if (in == null) c.client.scriptCall = in = new Call(c.server, c.client, new CommandArgs(), collector);
        Collector reply = collector;
        reply.reset(run.resp);
        in.args.clear();
        for (byte[] a : argv) in.args.add(a);
        in.noBlock = true;
        in.nested = true;
        in.unit = c.unit; // the script's effects propagate, wrapped in MULTI/EXEC, never the script
        in.fromScript = true;
        in.frozenNow = c.now; // the script's time stands still while it runs, as in Redis
        in.frozenMicros = scriptStartMicros;
        // The inner command counts its own dirty changes and signals the keys it modifies.
        dispatcher.execute(in);
        Object result = reply.result();
        // Its error is counted now, as Redis counts it when the command runs; the script passes it on uncounted.
        if (result instanceof ScriptValue.Err e) c.server.stats().error(e.text());
        return result;
    }

    /** A command refused before it ran (Redis's scriptCall checks): counted as rejected, its error counted once. */
    private static Object reject(Call c, ScriptEngine.Run run, CommandSpec spec, String error) {
        run.rejected = true;
        if (spec != null) spec.rejectedCalls.increment();
        c.server.stats().error(error);
        return new ScriptValue.Err(error);
    }

    // ------------------------------------------------------------ value trees -> replies

    private static void write(Reply r, Object v) {
        if (v instanceof byte[] b) {
            r.bulk(b);
        } else if (v instanceof Long n) {
            r.integer(n);
        } else if (v instanceof ScriptValue.Status s) {
            r.status(s.text());
        } else if (v instanceof ScriptValue.Err e) {
            String text = e.text().startsWith("-") ? e.text().substring(1) : e.text();
            if (e.counted()) r.errorCounted(text);
            else r.error(text);
        } else if (v instanceof Object[] a) {
            r.array(a.length);
            for (Object o : a) write(r, o);
        } else if (v instanceof ScriptValue.MapValue m) {
            r.map(m.kv().length / 2);
            for (Object o : m.kv()) write(r, o);
        } else if (v instanceof ScriptValue.SetValue s) {
            r.set(s.items().length);
            for (Object o : s.items()) write(r, o);
        } else if (v instanceof Boolean b) {
            r.bool(b);
        } else if (v instanceof ScriptValue.DoubleValue d) {
            r.doubleValue(d.value());
        } else if (v instanceof ScriptValue.BigNumber b) {
            r.bigNumber(b.digits());
        } else if (v instanceof ScriptValue.Verbatim vb) {
            r.verbatim(vb.format(), vb.text());
        } else {
            r.nullBulk();
        }
    }

    /** A reply that builds the value tree redis.call hands to the script. */
    private static final class Collector implements Reply, Dispatcher.ErrorCounting {
        private int resp;
        private Object root;
        private final ArrayDeque<Object[]> open = new ArrayDeque<>();
        private final ArrayDeque<int[]> fill = new ArrayDeque<>();
        private int errors;

        Collector(int resp) { this.resp = resp; }

        void reset(int protocol) {
            resp = protocol;
            root = null;
            open.clear();
            fill.clear();
        }

        Object result() { return root == null ? ScriptValue.NULL : root; }

        private void add(Object v) {
            if (open.isEmpty()) {
                if (root == null) root = v;
            } else {
                Object[] a = open.peek();
                int[] i = fill.peek();
                a[i[0]++] = v;
            }
            while (!open.isEmpty() && fill.peek()[0] == open.peek().length) {
                open.pop();
                fill.pop();
            }
        }

        private void aggregate(Object holder, Object[] items) {
            add(holder);
            if (items.length > 0) {
                open.push(items);
                fill.push(new int[1]);
            }
        }

        @Override public int protocol() { return resp; }
        @Override public int errorCount() { return errors; }
        @Override public void ok() { add(new ScriptValue.Status("OK")); }
        @Override public void status(String text) { add(new ScriptValue.Status(text)); }
        @Override public void error(String message) {
            errors++;
            add(new ScriptValue.Err(message));
        }
        @Override public void error(byte[] message) { error(new String(message, StandardCharsets.UTF_8)); }
        @Override public void integer(long value) { add(value); }
        @Override public void bulk(byte[] b, int off, int len) { add(java.util.Arrays.copyOfRange(b, off, off + len)); }
        @Override public void bulk(String s) { add(s.getBytes(StandardCharsets.UTF_8)); }
        @Override public void bulkLong(long value) { add(Long.toString(value).getBytes(StandardCharsets.US_ASCII)); }
        @Override public void nullBulk() { add(ScriptValue.NULL); }
        @Override public void nullArray() { add(ScriptValue.NULL_ARRAY); }
        @Override public void array(int count) {
            Object[] a = new Object[count];
            aggregate(a, a);
        }
        @Override public void map(int count) {
            Object[] kv = new Object[count * 2];
            aggregate(resp == 3 ? new ScriptValue.MapValue(kv) : kv, kv);
        }
        @Override public void set(int count) {
            Object[] a = new Object[count];
            aggregate(resp == 3 ? new ScriptValue.SetValue(a) : a, a);
        }
        @Override public void doubleValue(double d) {
            if (resp == 3) add(new ScriptValue.DoubleValue(d));
            else add(io.jackdaw.types.DoubleFormat.shortest(d).getBytes(StandardCharsets.US_ASCII));
        }
        @Override public void doubleText(String text) {
            if (resp == 3) add(new ScriptValue.DoubleValue(Double.parseDouble(text)));
            else add(text.getBytes(StandardCharsets.US_ASCII));
        }
        @Override public void bool(boolean b) {
            if (resp == 3) add(b);
            else add(b ? 1L : 0L);
        }
        @Override public void verbatim(String fmt, String text) {
            if (resp == 3) add(new ScriptValue.Verbatim(fmt, text));
            else add(text.getBytes(StandardCharsets.UTF_8));
        }
        @Override public void push(int count) { array(count); }
        @Override public void bigNumber(String digits) {
            if (resp == 3) add(new ScriptValue.BigNumber(digits));
            else add(digits.getBytes(StandardCharsets.US_ASCII));
        }
        @Override public void attribute(int count) {
            // Not exposed to scripts, as in Redis: its pairs fill a frame nobody keeps, then the real reply follows.
            if (count == 0) return;
            open.push(new Object[count * 2]);
            fill.push(new int[1]);
        }
        @Override public long pendingBytes() { return 0; }
    }
}
