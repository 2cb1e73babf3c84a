package io.jackdaw.command;

import io.jackdaw.types.Bytes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything Jackdaw knows about one command or subcommand, loaded from the JSON table
 * under {@code resources/io/jackdaw/command/table}. The handler is attached at start-up by
 * the family class that implements it.
 */
public final class CommandSpec {
    /** How the gate locks shards for this command. */
    public enum Locking {
        /** Lock the shards of the keys named by the key specs (none when it has no keys). */
        KEYS,
        /** Lock every shard in order: the command reads or writes the whole keyspace. */
        ALL
    }

    public final String name;      // lower case, "config|get" for subcommands
    public final String group;
    public final int arity;
    public final long flags;
    public final long aclCategories;
    public final List<KeySpec> keySpecs;
    public final Locking locking;
    public final String summary, since, complexity, deprecatedSince, replacedBy;
    public final List<String> docFlags;
    public final List<String[]> history;
    public final List<String> tips;
    public final List<ArgDoc> args;
    public final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    public CommandSpec parent;
    final byte[] upperName;   // for raw-byte look-up of the last name component
    final int legacyFirst, legacyLast, legacyStep;

    CommandHandler handler;

    /**
     * What the gate treats specially, as Redis compares command procs in processCommand:
     * decided once from the name, so the per-command checks are bit tests.
     */
    static final int GATE_SUBSCRIBED_OK = 1, GATE_UNSUBSCRIBE = 2, GATE_RUNS_IN_MULTI = 4, GATE_EXEC = 8, GATE_SCRIPT_FLAGS = 16, GATE_DISK_CHECKED = 32,
            GATE_OTHER_DB = 64;
    final int gate;

    // Statistics for INFO commandstats; adders stay cheap on the per-command path.
    public final LongAdder calls = new LongAdder(), usec = new LongAdder(),
            rejectedCalls = new LongAdder(), failedCalls = new LongAdder();

    CommandSpec(String name, String group, int arity, long flags, long aclCategories, List<KeySpec> keySpecs,
                Locking locking, String summary, String since, String complexity, String deprecatedSince,
                String replacedBy, List<String> docFlags, List<String[]> history, List<String> tips, List<ArgDoc> args) {
        this.name = name;
        this.group = group;
        this.arity = arity;
        this.aclCategories = aclCategories;
        this.keySpecs = keySpecs;
        this.locking = locking;
        this.summary = summary;
        this.since = since;
        this.complexity = complexity;
        this.deprecatedSince = deprecatedSince;
        this.replacedBy = replacedBy;
        this.docFlags = docFlags;
        this.history = history;
        this.tips = tips;
        this.args = args;
        int bar = name.indexOf('|');
        this.upperName = Bytes.ascii(name.substring(bar + 1).toUpperCase(java.util.Locale.ROOT));
        this.gate = gateRoles(name);

        // Redis's legacy (first, last, step) triple and the movablekeys flag, derived from the specs.
        long f = flags;
        int first = 0, last = 0, step = 0;
        if (keySpecs.size() == 1 && keySpecs.get(0).beginType() == KeySpec.BeginType.INDEX
                && keySpecs.get(0).findType() == KeySpec.FindType.RANGE) {
            KeySpec k = keySpecs.get(0);
            if ((k.flags() & KeySpec.INCOMPLETE) != 0) f |= CommandFlags.MOVABLE_KEYS;
            first = k.index();
            last = k.lastKey() >= 0 ? k.lastKey() + first : k.lastKey();
            step = k.keyStep();
        } else if (!keySpecs.isEmpty()) {
            int fk = Integer.MAX_VALUE, lk = 0, prevLast = 0;
            for (KeySpec k : keySpecs) {
                if (k.beginType() != KeySpec.BeginType.INDEX || k.findType() != KeySpec.FindType.RANGE) {
                    f |= CommandFlags.MOVABLE_KEYS;
                    continue;
                }
                if (k.keyStep() != 1 || (prevLast != 0 && prevLast != k.index() - 1)) {
                    f |= CommandFlags.MOVABLE_KEYS;
                    continue;
                }
                if ((k.flags() & KeySpec.INCOMPLETE) != 0) f |= CommandFlags.MOVABLE_KEYS;
                fk = Math.min(fk, k.index());
                int abs = k.lastKey() >= 0 ? k.lastKey() + k.index() : k.lastKey();
                lk = Integer.compareUnsigned(lk, abs) >= 0 ? lk : abs;
                prevLast = lk;
            }
            if (fk == Integer.MAX_VALUE) {
                f |= CommandFlags.MOVABLE_KEYS;
            } else {
                first = fk;
                last = lk;
                step = 1;
            }
        }
        this.flags = f;
        this.legacyFirst = first;
        this.legacyLast = last;
        this.legacyStep = step;
    }

    public boolean has(long flag) { return (flags & flag) != 0; }

    public boolean isContainer() { return !subcommands.isEmpty(); }

    public CommandHandler handler() { return handler; }

    /** Subcommand whose name matches argument {@code i} case-insensitively, or null. */
    public CommandSpec subcommand(CommandArgs args, int i) {
        for (CommandSpec s : subcommands.values()) if (args.is(i, s.upperName)) return s;
        return null;
    }

    /** Checks the argument count against the arity (negative = at least). */
    public boolean arityOk(int argc) { return arity > 0 ? argc == arity : argc >= -arity; }

    @Override public String toString() { return name; }

    private static int gateRoles(String name) {
        return switch (name) {
            // RESP2 subscribed mode lets these through; unsubscribing also needs a subscription (Valkey 8).
            case "unsubscribe", "punsubscribe", "sunsubscribe" -> GATE_SUBSCRIBED_OK | GATE_UNSUBSCRIBE;
            // Refused like a write while data cannot reach the disk (MISCONF), as Redis's processCommand.
            case "ping" -> GATE_SUBSCRIBED_OK | GATE_DISK_CHECKED;
            case "subscribe", "psubscribe", "ssubscribe" -> GATE_SUBSCRIBED_OK;
            // They run rather than queue between MULTI and EXEC (MULTI and WATCH are no_multi).
            case "quit", "reset" -> GATE_SUBSCRIBED_OK | GATE_RUNS_IN_MULTI;
            case "exec" -> GATE_RUNS_IN_MULTI | GATE_EXEC;
            case "discard" -> GATE_RUNS_IN_MULTI;
            // Their flags are the flags of the script they run (see ScriptCommands.commandFlags).
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> GATE_SCRIPT_FLAGS;
            // They write a key of another database: a snapshot captures their whole shards.
            case "move", "copy" -> GATE_OTHER_DB;
            default -> 0;
        };
    }
}
