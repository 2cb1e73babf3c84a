package io.jackdaw.command;

import io.jackdaw.common.Log;
import io.jackdaw.store.Keyspace;


/**
 * The one gate every command passes: look-up, arity, authentication, then the shard locks
 * its key specs call for, the handler, and the statistics. Handlers do only their command.
 */
public final class Dispatcher {
    private final ServerContext server;
    private final CommandTable table;
    private final ServerStats stats;
    private final ClientPause pauses;
    private final MonitorFeed monitors;
    private final ClientTracking tracking;
    private final Eviction eviction;
    /** Set when scripting registers: tells the gate whether a script has run past busy-reply-threshold. */
    ScriptCommands scripts;

    /** MONITOR sees EVAL and FCALL before the commands they run (they are skip_monitor in the table). */
    boolean monitorsActive() { return monitors.active(); }

    void feedMonitors(Call c) {
        if (monitors.active()) monitors.feed(c);
    }

    /** Cached scripts, functions and libraries, for INFO memory. */
    public long[] scriptCounts() { return scripts == null ? new long[3] : scripts.counts(); }

    /** The function libraries as dump.rdb saves and loads them. */
    public io.jackdaw.store.RdbFile.Functions rdbFunctions() {
        return scripts == null ? io.jackdaw.store.RdbFile.Functions.NONE : scripts.rdbFunctions();
    }
    /** Where writes go (the AOF); NONE until persistence sets one. */
    private volatile WriteFeed feed = WriteFeed.NONE;

    public void setWriteFeed(WriteFeed f) { this.feed = f == null ? WriteFeed.NONE : f; }

    public WriteFeed writeFeed() { return feed; }

    private volatile String requirePass;
    private volatile String enableDebugCommand = "no";

    public Dispatcher(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.stats = server.stats();
        this.pauses = server.clients().pause();
        this.monitors = server.clients().monitors();
        this.tracking = server.tracking();
        this.eviction = server.eviction();
    }

    /** Sets the password of the default user (requirepass); null or empty = none. */
    public void setRequirePass(String pass) { this.requirePass = pass == null || pass.isEmpty() ? null : pass; }

    public String requirePass() { return requirePass; }

    /** enable-debug-command: "yes", "no" or "local". */
    public void setEnableDebugCommand(String mode) { this.enableDebugCommand = mode; }

    /** True when the client must authenticate before running commands. */
    public boolean authRequired(ClientSession c) { return requirePass != null && !c.authenticated; }

    /** Runs the command in {@code call.args}; the reply goes to {@code call.reply}. */
    public void execute(Call call) {
        dispatch(call);
        if (!call.nested) afterCommand(call);
    }

    /**
     * What follows every command, once its locks are released: client-side caching's messages
     * held for the end of the command, and the end of a CLIENT CACHING that covered it (Redis
     * keeps it over CLIENT commands and until EXEC).
     */
    private void afterCommand(Call call) {
        // Any tracking client counts: a blocked client this command served may be the one owed a message.
        if (tracking.trackingClients() == 0 && tracking.prefixCount() == 0) return;
        ClientTracking.State t = call.client.tracking;
        tracking.flushDeferred();
        if (tracking.broadcastPending()) tracking.flushBroadcasts();
        if (t != null && t.caching && call.client.multi == null && !call.client.isBlocked()
                && (call.spec == null || call.spec.parent == null || !"client".equals(call.spec.parent.name))) {
            t.caching = false;
        }
    }

    private void dispatch(Call call) {
        CommandArgs args = call.args;
        int argc = args.count();
        call.spec = null;
        CommandSpec spec = table.lookup(args);
        if (spec == null) {
            call.client.lastCommand = "NULL";
            flagTransaction(call);
            call.reply.error(Errors.unknownCommand(args));
            return;
        }
        if (spec.isContainer() && argc >= 2) {
            CommandSpec sub = spec.subcommand(args, 1);
            if (sub == null) {
                call.client.lastCommand = "NULL";
                flagTransaction(call);
                call.reply.error(Errors.unknownSubcommand(args, spec.name));
                return;
            }
            spec = sub;
        }
        // As Redis's processCommand: the last command is the one looked up, set before the checks
        // and the handler run, so CLIENT LIST/INFO show "cmd=client|list" on the caller's own line.
        // EXEC's commands do not pass here in Redis: CLIENT LIST keeps showing cmd=exec.
        if (!call.nested) call.client.lastCommand = spec.name;
        call.spec = spec;
        if (!spec.arityOk(argc)) {
            reject(call, spec, Errors.wrongArity(spec.name));
            return;
        }
        ClientSession client = call.client;
        if (requirePass != null && !client.authenticated && !spec.has(CommandFlags.NO_AUTH)) {
            reject(call, spec, Errors.NOAUTH);
            return;
        }

        if (spec.has(CommandFlags.PROTECTED) && !protectedAllowed(client)) {
            reject(call, spec, Errors.DEBUG_DISABLED_PREFIX);
            return;
        }

        // A RESP2 client with subscriptions may only manage them, PING, QUIT or RESET.
        if (client.resp == 2 && (spec.gate & CommandSpec.GATE_SUBSCRIBED_OK) == 0 && client.inPubSub()) {
            reject(call, spec, Errors.onlyPubSubAllowed(spec.name));
            return;
        }

        // Valkey 8: unsubscribing without any subscription is an error, in either protocol.
        if ((spec.gate & CommandSpec.GATE_UNSUBSCRIBE) != 0 && !client.inPubSub()) {
            reject(call, spec, Errors.noSubscriptions(spec.name));
            return;
        }

        // ---- MONITOR and CLIENT PAUSE (ClientPause, MonitorFeed). A monitor is a replica to Redis:
        // kept off the keyspace and never paused. A paused command waits with the client's later
        // input and runs from here again when the pause ends.
        boolean reprocessing = client.reprocessing;
        client.reprocessing = false;
        if (client.monitor && spec.has(CommandFlags.WRITE | CommandFlags.READONLY | CommandFlags.MAY_REPLICATE)) {
            reject(call, spec, Errors.REPLICA_KEYSPACE);
            return;
        }
        // EVAL and FCALL take the flags of the script they run (Redis's getCommandFlags).
        long flags = scripts != null && (spec.gate & CommandSpec.GATE_SCRIPT_FLAGS) != 0 ? scripts.commandFlags(call, spec) : spec.flags;
        long pauseFlags = flags;
        if ((spec.gate & CommandSpec.GATE_EXEC) != 0 && client.multi != null) pauseFlags |= client.multi.flags;
        if (!client.monitor && !call.nested && pauses.holds(pauseFlags) && pauses.postpone(call, pauseFlags)) return;
        // ---- end MONITOR and CLIENT PAUSE

        // maxmemory, as Redis's processCommand: every command first evicts keys as the policy
        // allows; if memory stays over the limit, a DENYOOM command (an EXEC with
        // one queued, anything but the transaction's own commands inside MULTI) is refused. An
        // evicted key this client tracked is invalidated ahead of the reply, as in Redis.
        if (!call.nested && eviction.limited()) {
            boolean inMulti = client.multi != null;
            boolean denyOom = (flags & CommandFlags.DENYOOM) != 0
                    || ((spec.gate & CommandSpec.GATE_EXEC) != 0 && inMulti && (client.multi.flags & CommandFlags.DENYOOM) != 0);
            boolean rejectOnOom = denyOom || (inMulti && !OOM_EXEMPT_IN_MULTI.contains(spec.name));
            boolean outOfMemory = eviction.perform() == Eviction.FAIL;
            client.channel().takePushesNow();
            if (outOfMemory && rejectOnOom) {
                reject(call, spec, Errors.OOM);
                return;
            }
        }

        // Client-side caching: a table over tracking-table-max-keys sheds keys before the command
        // runs, and their invalidations reach this client ahead of its reply, as Redis.
        if (!call.nested && tracking.trackingClients() != 0 && tracking.overLimit() && tracking.enforceLimit()) {
            client.channel().takePushesNow();
        }

        // Data that cannot reach the disk: write commands (an EXEC with one queued) and PING are
        // refused while a background save failed or the AOF cannot be written (Redis's MISCONF).
        if (!call.nested && ((flags & CommandFlags.WRITE) != 0 || (spec.gate & CommandSpec.GATE_DISK_CHECKED) != 0
                || (spec.gate & CommandSpec.GATE_EXEC) != 0 && client.multi != null && (client.multi.flags & CommandFlags.WRITE) != 0)) {
            int disk = server.snapshots().diskError();
            if (disk != Snapshots.DISK_OK) {
                reject(call, spec, disk == Snapshots.DISK_RDB ? Errors.MISCONF_RDB : Errors.misconfAof(server.snapshots().aofError()));
                return;
            }
        }

        // A script past busy-reply-threshold: only ALLOW_BUSY commands (SCRIPT KILL, FUNCTION
        // KILL/STATS, SHUTDOWN NOSAVE...) get through, as in Redis's processCommand.
        if (!call.nested && scripts != null && !spec.has(CommandFlags.ALLOW_BUSY)) {
            String busy = scripts.busyError();
            if (busy != null) {
                reject(call, spec, busy);
                return;
            }
        }

        // Between MULTI and EXEC: commands are queued once they passed the checks above.
        if (client.multi != null && !call.nested) {
            if (spec.has(CommandFlags.NO_MULTI)) {
                reject(call, spec, Errors.NOT_IN_TRANSACTION);
                return;
            }
            if ((spec.gate & CommandSpec.GATE_RUNS_IN_MULTI) == 0) {
                client.multi.queue(args, flags);
                call.reply.status("QUEUED");
                return;
            }
        }

        // One clock snapshot per execution unit, as Redis 7.2: the commands of EXEC and of a
        // script see the time their EXEC or script started at.
        call.now = call.nested && call.frozenNow != 0 ? call.frozenNow : server.clock().millis();
        call.db.at(client.db, call.now);
        if (client.noTouch) call.db.noTouch(true);
        long start = System.nanoTime();
        int errorsBefore = errorMark(call);
        call.dirty = 0;
        call.blocked = false;
        // EXEC's commands run under EXEC's locks; EVAL and FCALL go to the script thread, which
        // takes every shard there (locking them here as well cost 512 lock operations per script).
        if (!call.nested && (spec.gate & CommandSpec.GATE_SCRIPT_FLAGS) == 0 && !lock(call, spec)) {
            // It waited for shards a script holds, and the script went past busy-reply-threshold.
            reject(call, spec, scripts.busyError() != null ? scripts.busyError() : Errors.SCRIPT_BUSY_EVAL);
            return;
        }
        // A snapshot being written (BGSAVE, BGREWRITEAOF) captures a shard before anything but a read
        // changes it. EXEC and scripts hold every shard, so their commands pass it one by one, for their own keys.
        if (server.keyspace().snapshotting() && !spec.has(CommandFlags.READONLY)) {
            if (call.nested) barrierForNested(call, spec);
            else if ((spec.gate & (CommandSpec.GATE_EXEC | CommandSpec.GATE_SCRIPT_FLAGS)) == 0) snapshotBarrier(call, spec);
        }
        try {
            run(call, spec);
            // Clients waiting on keys this command gave values to are served before anyone
            // else can take them, under the same locks (see Blocking); after EXEC, not inside it.
            if (!call.nested && server.keyspace().blockedClients() > 0) Blocking.serveReady(this, server);
        } finally {
            if (!call.nested) unlock(call);
        }
        syncFed(call);
        // MONITOR sees a command once it ran, and a blocked one once, as Redis's call().
        if (monitors.active() && !reprocessing && !spec.has(CommandFlags.SKIP_MONITOR | CommandFlags.ADMIN)) {
            monitors.feed(call);
        }
        if (call.blocked) return; // counted when it ends
        countCall(spec, call.client, (System.nanoTime() - start) / 1000, errorMark(call) != errorsBefore);
    }

    /** One finished call in commandstats and the processed counters (a blocked one when it ends). */
    void countCall(CommandSpec spec, ClientSession client, long usec, boolean failed) {
        spec.calls.increment();
        spec.usec.add(usec);
        if (failed) spec.failedCalls.increment();
        stats.commandsProcessed.increment();
        client.commandsProcessed++;
    }

    /** The handler, with the dirty count added and WATCHes touched while the locks are still held. */
    private void run(Call call, CommandSpec spec) {
        call.modifiedCount = 0;
        call.propagationReplaced = false;
        call.propagationForced = false;
        if (!call.nested) {
            call.unit.clear();
            call.unit.enabled = feed.active();
        }
        boolean trackingClients = tracking.trackingClients() != 0;
        if (trackingClients) tracking.enter(call.client);
        try {
            spec.handler.handle(call);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug must cost one reply, never the server or a stack trace on the wire.
            Log.warning("Error while running '" + spec.name + "': " + e);
            call.reply.error("ERR internal error while running '" + spec.name + "'");
        } finally {
            // Still under the shard locks: the write reaches the feed in the order the locks gave it.
            if (call.dirty != 0) stats.dirty.add(call.dirty);
            if (call.unit.enabled) propagate(call, spec);
            if (server.keyspace().watchedKeys() != 0 || tracking.active()) signalModifiedKeys(call, spec);
            if (trackingClients) {
                // A read-only script's own keys are not remembered, only those its commands read (as Redis).
                if (call.client.tracking != null && spec.has(CommandFlags.READONLY) && (spec.gate & CommandSpec.GATE_SCRIPT_FLAGS) == 0) {
                    tracking.remember(call, spec);
                }
                tracking.exit();
            }
        }
    }

    /**
     * Adds the command to its unit as given unless the handler rewrote it, and hands a finished
     * top-level unit to the feed. EXEC and scripts propagate the commands they ran, never themselves.
     */
    private void propagate(Call call, CommandSpec spec) {
        Propagation u = call.unit;
        if (!call.propagationReplaced && (call.dirty != 0 || call.propagationForced)
                && (spec.gate & (CommandSpec.GATE_EXEC | CommandSpec.GATE_SCRIPT_FLAGS)) == 0) {
            u.add(call.db.index(), call.args);
        }
        if (call.nested || u.count() == 0) return;
        feed.append(u);
        u.clear();
        // A client this write served gets its reply from its own loop, possibly before ours: sync now.
        if (call.serving) feed.sync();
        else call.fed = true;
    }

    /** appendfsync always: what this command appended is on disk before its reply can leave. */
    private void syncFed(Call call) {
        if (!call.fed) return;
        call.fed = false;
        feed.sync();
    }

    /** What a transaction may still do when memory is over maxmemory (Redis's processCommand list). */
    private static final java.util.Set<String> OOM_EXEMPT_IN_MULTI = java.util.Set.of("exec", "discard", "multi", "watch",
            "quit", "reset");

    private static final long WRITTEN_KEY = KeySpec.parseFlag("RW") | KeySpec.parseFlag("OW") | KeySpec.parseFlag("RM");

    /**
     * Redis's signalModifiedKey: WATCHes on the key fail and tracking clients that cached it are
     * told. The keys are those a handler named with {@link Call#modified}, or else, when the
     * command changed anything (dirty), every key its key specs mark as written.
     */
    private void signalModifiedKeys(Call call, CommandSpec spec) {
        CommandArgs a = call.args;
        if (call.modifiedCount > 0) {
            for (int i = 0; i < call.modifiedCount; i++) {
                int db = call.modifiedDb[i];
                signalModifiedKey(call, a, call.modified[i], db < 0 ? call.db.index() : db);
            }
            return;
        }
        if (call.dirty == 0) return;
        for (KeySpec k : spec.keySpecs) {
            if ((k.flags() & WRITTEN_KEY) == 0) continue;
            k.extract(a, a.count(), (argIndex, flags) -> signalModifiedKey(call, a, argIndex, call.db.index()));
        }
    }

    private void signalModifiedKey(Call call, CommandArgs a, int arg, int db) {
        Keyspace ks = server.keyspace();
        byte[] d = a.data();
        int off = a.offset(arg), len = a.length(arg);
        if (ks.watchedKeys() != 0) ks.touchWatched(ks.shard(ks.shardOf(d, off, len)), db, d, off, len);
        if (tracking.active()) tracking.invalidate(call.client, d, off, len);
    }

    /** A command refused at the gate dooms the transaction it would have joined (Redis's flagTransaction). */
    private static void flagTransaction(Call call) {
        Transactions.MultiState m = call.client.multi;
        if (m != null && !call.nested) {
            m.aborted = true;
            m.queued.clear();
        }
    }

    /**
     * Re-runs a blocked command for the writer that gave its key a value; the caller holds
     * every lock it needs. Counted as one call unless it blocks again.
     */
    void runServed(Call call, Blocking.BlockedCall w) {
        CommandSpec spec = w.spec;
        call.spec = spec;
        call.now = server.clock().millis();
        call.db.at(w.db, call.now);
        if (call.client.noTouch) call.db.noTouch(true);
        call.dirty = 0;
        long start = System.nanoTime();
        int errorsBefore = errorMark(call);
        run(call, spec);
        if (call.reblocked) return;
        countCall(spec, call.client, (System.nanoTime() - start) / 1000, errorMark(call) != errorsBefore);
    }

    private boolean protectedAllowed(ClientSession c) {
        String mode = enableDebugCommand;
        return "yes".equals(mode) || ("local".equals(mode) && ConfigCommands.isLocal(c));
    }

    private static int errorMark(Call call) {
        return call.reply instanceof ErrorCounting e ? e.errorCount() : 0;
    }

    /** Implemented by replies that count the errors they wrote, so the gate can tell failed calls. */
    public interface ErrorCounting {
        int errorCount();
    }

    private void reject(Call call, CommandSpec spec, String error) {
        if (spec != null) spec.rejectedCalls.increment();
        if (spec != null && (spec.gate & CommandSpec.GATE_EXEC) != 0 && call.client.multi != null && !call.nested) {
            // A refused EXEC ends the transaction (Redis's execCommandAbort).
            call.client.multi = null;
            Transactions.unwatchAll(call.client, server.keyspace(), false);
            call.reply.error(Errors.execAbort(error));
            return;
        }
        flagTransaction(call);
        call.reply.error(error);
    }

    // ------------------------------------------------------------ shard locking

    /**
     * Takes the command's shards. While a script runs, a command that waits for shards it
     * holds gives up (false) once the script is past busy-reply-threshold, so it gets -BUSY
     * rather than waiting silently; ALLOW_BUSY commands wait.
     */
    private boolean lock(Call call, CommandSpec spec) {
        ShardLocks locks = call.locks;
        locks.begin(call.args);
        ScriptCommands s = scripts;
        java.util.function.BooleanSupplier giveUp = s == null || spec.has(CommandFlags.ALLOW_BUSY) ? null : s.pastThreshold;
        return needsAllShards(call, spec) ? locks.lockAll(giveUp) : locks.lockCollected(giveUp);
    }

    /** Collects the shards of the command's keys into its ShardLocks; true when it needs every shard instead. */
    private static boolean needsAllShards(Call call, CommandSpec spec) {
        if (spec.locking == CommandSpec.Locking.ALL) return true;
        int argc = call.args.count();
        java.util.List<KeySpec> specs = spec.keySpecs;
        for (int i = 0, n = specs.size(); i < n; i++) { // indexed: no iterator per command
            KeySpec ks = specs.get(i);
            // Specs that cannot name every key, and arguments that do not fit the spec (the
            // handler will answer with its error), fall back to the whole keyspace.
            if ((ks.flags() & KeySpec.INCOMPLETE) != 0 || !ks.extract(call.args, argc, call.locks)) return true;
        }
        return false;
    }

    /**
     * The snapshot write barrier of a command holding its shards: each key it names keeps its
     * value as the snapshot began; a command holding every shard, or writing another database
     * (MOVE, COPY ... DB), has its whole shards captured.
     */
    private void snapshotBarrier(Call call, CommandSpec spec) {
        ShardLocks l = call.locks;
        if (l.holdsAll() || (spec.gate & CommandSpec.GATE_OTHER_DB) != 0) l.beforeWrites();
        else l.beforeWriteKeys(spec.keySpecs, call.db.index());
    }

    /** The snapshot write barrier for a command inside EXEC or a script, for its own keys (the outer unit holds the shards). */
    private void barrierForNested(Call call, CommandSpec spec) {
        ShardLocks l = call.locks;
        l.begin(call.args);
        if (needsAllShards(call, spec)) {
            Keyspace ks = server.keyspace();
            for (int i = 0, n = ks.shardCount(); i < n; i++) ks.beforeWrite(ks.shard(i));
        } else if ((spec.gate & CommandSpec.GATE_OTHER_DB) != 0) {
            l.beforeWrites();
        } else {
            l.beforeWriteKeys(spec.keySpecs, call.db.index());
        }
        l.begin(null);
    }

    /**
     * Runs an EVAL/FCALL on the script thread, as a client's command: under every shard,
     * counted when done (ScriptCommands moved it there from the client's event loop).
     */
    void runOnScriptThread(Call call) {
        CommandSpec spec = call.spec;
        call.onScriptThread = true;
        call.now = server.clock().millis();
        call.db.at(call.client.db, call.now);
        if (call.client.noTouch) call.db.noTouch(true);
        call.dirty = 0;
        long start = System.nanoTime();
        int errorsBefore = errorMark(call);
        call.locks.begin(call.args);
        holdAllForScripts();
        try {
            run(call, spec);
            if (server.keyspace().blockedClients() > 0) Blocking.serveReady(this, server);
        } finally {
            releaseAfterScript();
        }
        syncFed(call);
        countCall(spec, call.client, (System.nanoTime() - start) / 1000, errorMark(call) != errorsBefore);
    }

    private static void unlock(Call call) { call.locks.unlock(); }

    /** Per event-loop thread: whether it holds every shard for the scripts of the reads it is handling. */
    private final ThreadLocal<boolean[]> loopHold = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * Every shard, for a script run on its client's own loop, kept until the loop has handled
     * what it read (one lockAll per batch of reads, not per script; commands of the same loop
     * meanwhile take their shards again, the locks being reentrant). False, holding nothing,
     * when another script went past busy-reply-threshold while this waited.
     */
    boolean holdAllOnLoop(Call call) {
        boolean[] held = loopHold.get();
        if (held[0]) return true;
        Keyspace ks = server.keyspace();
        if (!ShardLocks.lockEvery(ks, scripts.pastThreshold)) return false;
        held[0] = true;
        call.client.channel().execute(() -> {
            held[0] = false;
            ks.unlockAll();
        });
        return true;
    }

    /** How long the script thread keeps every shard across scripts waiting in its queue. */
    private static final long SCRIPT_HOLD_NANOS = 1_000_000;
    /** Used by the script thread only: whether it holds every shard, and since when. */
    private boolean scriptsHoldAll;
    private long scriptsHoldSince;

    /**
     * Every shard for the script about to run. Taking and releasing all 256 locks per script
     * was most of a short script's cost, so while more scripts wait in the queue the locks are
     * kept for the next one, up to {@link #SCRIPT_HOLD_NANOS}; other clients wait at most that
     * long, as they would behind one script that long.
     */
    private void holdAllForScripts() {
        if (scriptsHoldAll) return;
        server.keyspace().lockAll();
        scriptsHoldAll = true;
        scriptsHoldSince = System.nanoTime();
    }

    private void releaseAfterScript() {
        if (scripts != null && scripts.moreQueued() && System.nanoTime() - scriptsHoldSince < SCRIPT_HOLD_NANOS) return;
        Keyspace ks = server.keyspace();
        ks.unlockAll();
        scriptsHoldAll = false;
        // Non-fair locks: let a waiting client take its shard before the next script takes them all again.
        for (int i = 0, n = ks.shardCount(); i < n; i++) {
            if (ks.shard(i).lock.hasQueuedThreads()) {
                Thread.yield();
                break;
            }
        }
    }
}
