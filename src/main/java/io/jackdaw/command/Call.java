package io.jackdaw.command;

import io.jackdaw.store.Database;

/**
 * One command being executed: the client, its arguments, where the reply goes, the
 * database view and the clock snapshot. One instance per connection, reused for every
 * command so that dispatch allocates nothing.
 */
public final class Call {
    public final ServerContext server;
    public final ClientSession client;
    public final CommandArgs args;
    public final Reply reply;
    public final Database db;
    public CommandSpec spec;
    /** Clock snapshot for this command, ms since the epoch. */
    public long now;
    /** Scratch space for numeric out-parameters, so handlers allocate nothing. */
    public final long[] scratch = new long[2];
    /**
     * Changes this command made to the dataset, as Redis counts them in server.dirty (one per
     * key written, none for a write that changed nothing); the gate adds it to the server's.
     */
    public long dirty;
    /** Set by a handler that blocked its client: no reply yet, statistics wait for the end. */
    boolean blocked;
    /** A blocked command re-run by the writer that gave its key a value. */
    boolean serving;
    /** For a nested call (EXEC's commands, a script's redis.call): the outer command's clock snapshot. */
    long frozenNow;
    /** Run by a script's redis.call (Redis's CLIENT_SCRIPT): SORT then orders a set it would leave unsorted. */
    boolean fromScript;
    /** With {@link #frozenNow}: the same instant in microseconds, for TIME. */
    long frozenMicros;
    /** Running on the script thread (EVAL/FCALL moved off the client's event loop, see ScriptCommands). */
    boolean onScriptThread;
    /** Set when such a re-run found nothing after all: the client stays blocked. */
    boolean reblocked;
    /** Inside a transaction or script a blocking command answers at once as if timed out. */
    public boolean noBlock;
    /** A command run by EXEC: the locks are held already, and blocked clients are served after EXEC. */
    boolean nested;
    /** Keys (argument indexes) the handler said it modified; when none, the key specs' written keys count (see Dispatcher). */
    int[] modified = new int[4];
    /** The database of each modified key; -1 for the call's own. */
    int[] modifiedDb = new int[4];
    int modifiedCount;

    /**
     * Redis's signalModifiedKey for a handler that knows better than its key specs which keys it
     * changed (SMOVE onto a member already there changes only the source).
     */
    public void modified(int argIndex) { modifiedIn(argIndex, -1); }

    /** As {@link #modified(int)} for the key in database {@code db} (MOVE's and COPY ... DB's target). */
    public void modifiedIn(int argIndex, int db) {
        if (modifiedCount == modified.length) {
            modified = java.util.Arrays.copyOf(modified, modifiedCount * 2);
            modifiedDb = java.util.Arrays.copyOf(modifiedDb, modifiedCount * 2);
        }
        modifiedDb[modifiedCount] = db;
        modified[modifiedCount++] = argIndex;
    }

    /** The execution unit this command's writes join: its own, or that of the EXEC or script running it. */
    Propagation unit = new Propagation();
    /** Set by {@link #propagateAs} and {@link #propagateNothing}: the command is not replayed as given. */
    boolean propagationReplaced;
    /** Set by {@link #forcePropagation}: replayed even though it changed nothing. */
    boolean propagationForced;
    /** The gate handed this command's unit to the write feed; it syncs once the locks are released. */
    boolean fed;

    /**
     * Propagates this command as the command started here instead of as itself (Redis's
     * rewriteClientCommandVector; called again, alsoPropagate): follow with {@code argc}
     * {@code arg} calls. Nothing is encoded while no feed listens.
     */
    public Propagation propagateAs(int argc) {
        propagationReplaced = true;
        return unit.begin(db.index(), argc);
    }

    /** This command's effects reach the feed some other way, or need not (Redis's preventCommandPropagation). */
    public void propagateNothing() { propagationReplaced = true; }

    /** Propagated even when it changed nothing (FLUSHALL on an empty server, as Redis's forceCommandPropagation). */
    public void forcePropagation() { propagationForced = true; }

    /** Whether writes are being propagated at all, for handlers whose rewrite costs work to prepare. */
    public boolean propagating() { return unit.enabled; }

    final ShardLocks locks;

    public Call(ServerContext server, ClientSession client, CommandArgs args, Reply reply) {
        this.server = server;
        this.client = client;
        this.args = args;
        this.reply = reply;
        this.db = new Database(server.keyspace());
        this.locks = new ShardLocks(server.keyspace(), db);
    }

    /**
     * A call for commands replayed from the append-only file: run as EXEC runs its commands
     * (the loader holds every shard; no gate checks; nothing blocks), propagated nowhere.
     */
    public static Call forReplay(ServerContext server, ClientSession client, Reply reply) {
        Call c = new Call(server, client, new CommandArgs(), reply);
        c.nested = true;
        c.noBlock = true;
        return c;
    }

    public int argc() { return args.count(); }

    /** The command's full name as errors print it ("get", "config|get"). */
    public String name() { return spec.name; }

    /**
     * Reads a 32-bit integer argument as Redis's getIntFromObjectOrReply does, replying with its
     * errors (or with {@code customError}, when given, for both failures). The value lands in
     * {@code scratch[0]}.
     */
    public boolean intArg(int i, String customError) {
        if (!args.parseLong(i)) {
            reply.error(customError != null ? customError : Errors.NOT_INTEGER);
            return false;
        }
        long v = args.lastLong();
        if (v != (int) v) {
            reply.error(customError != null ? customError : Errors.INT_RANGE);
            return false;
        }
        scratch[0] = v;
        return true;
    }
}
