package io.jackdaw.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters INFO stats and errorstats report; CONFIG RESETSTAT zeroes them. */
public final class ServerStats {
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    /** Hash fields removed because their time passed (Redis 7.4's expired_subkeys). */
    public final LongAdder expiredSubkeys = new LongAdder();
    /** Changes made to the dataset (Redis's server.dirty): what save points and INFO count. */
    public final LongAdder dirty = new LongAdder();
    /** {@link #dirty} when the last snapshot was taken. */
    public volatile long dirtyAtLastSave;
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    public final LongAdder clientQueryBufferLimitDisconnections = new LongAdder();
    public final LongAdder clientOutputBufferLimitDisconnections = new LongAdder();
    public final LongAdder ioReadsProcessed = new LongAdder();
    public final LongAdder ioWritesProcessed = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    public volatile long startedMs = System.currentTimeMillis();

    /** Counts an error reply under its code (the first word, as INFO errorstats groups them). */
    public void error(String message) {
        errorReplies.increment();
        int sp = message.indexOf(' ');
        String code = sp < 0 ? message : message.substring(0, sp);
        LongAdder a = errors.get(code);
        if (a == null) {
            // Redis stops tracking new error codes past 128 of them.
            if (errors.size() >= 128) return;
            a = errors.computeIfAbsent(code, k -> new LongAdder());
        }
        a.increment();
    }

    public Map<String, LongAdder> errorCounts() { return errors; }

    public void reset(CommandTable table) {
        for (LongAdder a : new LongAdder[] {commandsProcessed, connectionsReceived, rejectedConnections, keyspaceHits,
                keyspaceMisses, expiredKeys, evictedKeys, expiredSubkeys, netInputBytes, netOutputBytes, errorReplies, unexpectedErrorReplies,
                clientQueryBufferLimitDisconnections, clientOutputBufferLimitDisconnections, ioReadsProcessed, ioWritesProcessed}) a.reset();
        errors.clear();
        for (CommandSpec c : table.all()) {
            resetCommand(c);
            for (CommandSpec s : c.subcommands.values()) resetCommand(s);
        }
    }

    private static void resetCommand(CommandSpec c) {
        c.calls.reset();
        c.usec.reset();
        c.rejectedCalls.reset();
        c.failedCalls.reset();
    }
}
