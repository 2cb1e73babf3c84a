package io.jackdaw.command;

import io.jackdaw.server.config.ServerConfig;
import io.jackdaw.store.Clock;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.SetOps;
import java.util.List;

/** What command handlers may ask of the running server. Implemented by the server package. */
public interface ServerContext {
    Keyspace keyspace();

    CommandTable commands();

    ClientRegistry clients();

    ServerStats stats();

    ServerConfig config();

    Clock clock();

    /** proto-max-bulk-len: also the bound on strings commands build (SETBIT and BITFIELD offsets). */
    default long protoMaxBulkLen() { return config().getLong("proto-max-bulk-len"); }

    /** hash-max-listpack-entries: the most fields a hash keeps in a listpack. */
    default long hashMaxListpackEntries() { return config().getLong("hash-max-listpack-entries"); }

    /** hash-max-listpack-value: the longest field or value a hash keeps in a listpack. */
    default long hashMaxListpackValue() { return config().getLong("hash-max-listpack-value"); }

    /** list-max-listpack-size: a list's listpack (and quicklist node) limit, bytes when negative, entries when positive. */
    default int listMaxListpackSize() { return config().getInt("list-max-listpack-size"); }

    /** list-compress-depth: recorded by new quicklists (nodes are not compressed here). */
    default int listCompressDepth() { return config().getInt("list-compress-depth"); }
    /** set-max-intset-entries, set-max-listpack-entries and set-max-listpack-value: where a set changes encoding. */
    default SetOps.Limits setLimits() {
        return new SetOps.Limits(config().getLong("set-max-intset-entries"), config().getLong("set-max-listpack-entries"),
                config().getLong("set-max-listpack-value"));
    }
    /** hll-sparse-max-bytes: the longest a sparse HyperLogLog grows before it turns dense. */
    default long hllSparseMaxBytes() { return config().getLong("hll-sparse-max-bytes"); }

    /** zset-max-listpack-entries: the most members a sorted set keeps in a listpack. */
    default long zsetMaxListpackEntries() { return config().getLong("zset-max-listpack-entries"); }

    /** zset-max-listpack-value: the longest member a sorted set keeps in a listpack. */
    default long zsetMaxListpackValue() { return config().getLong("zset-max-listpack-value"); }

    /** rdbcompression: whether RDB strings (DUMP payloads too) are LZF-compressed. */
    default boolean rdbCompression() { return config().getBool("rdbcompression"); }

    /** The encoding limits a value loaded from RDB (RESTORE, a file) is built under. */
    default io.jackdaw.store.RdbValues.Limits rdbLoadLimits() {
        return new io.jackdaw.store.RdbValues.Limits(listMaxListpackSize(), listCompressDepth(), hashMaxListpackEntries(),
                hashMaxListpackValue(), setLimits(),
                new io.jackdaw.store.SortedSetOps.Limits(zsetMaxListpackEntries(), zsetMaxListpackValue()));
    }

    /** The INFO text for the named sections (empty = default sections). */
    String info(List<String> sections);

    /** Bytes the server accounts for, as INFO's used_memory. */
    long usedMemory();

    /** Starts an orderly shutdown; returns an error message when refused, else null. */
    /** notify-keyspace-events as bits ({@link KeyspaceEvents}). */
    default int notifyKeyspaceEvents() { return KeyspaceEvents.parse(config().get("notify-keyspace-events")); }

    /** Channels, patterns and their subscribers. */
    default io.jackdaw.pubsub.PubSub pubsub() { throw new UnsupportedOperationException(); }

    /** DEBUG PAUSE-CRON: stops (true) or resumes the periodic work (expiry, timeouts, tracking-table limit). */
    default void pauseCron(boolean paused) { }

    /** Client-side caching: the tracking table, BCAST prefixes and invalidation messages. */
    default ClientTracking tracking() { throw new UnsupportedOperationException(); }

    /** Delivers a pub/sub message to a channel's subscribers (keyspace notifications). */
    default void publish(byte[] channel, byte[] message) { pubsub().publish(channel, message, false); }

    /** Memory in use once started, before any data (MEMORY STATS startup.allocated). */
    default long startupMemory() { return 0; }

    /**
     * The memory maxmemory is compared with: used_memory less what eviction cannot free (dead
     * records awaiting compaction); INFO shows the difference as mem_not_counted_for_evict.
     */
    default long memoryForEviction() { return usedMemory(); }

    /** maxmemory and its policy: evicts keys before a command that may grow memory. */
    default Eviction eviction() { throw new UnsupportedOperationException(); }

    /** The highest used_memory seen. */
    default long peakMemory() { return usedMemory(); }

    /** The process's resident set size. */
    default long residentMemory() { return usedMemory(); }

    /** Memory held for client buffers. */
    default long clientMemory() { return 0; }

    String shutdown(boolean nosave, boolean save, boolean now, boolean force, boolean abort);

    /** dump.rdb: SAVE, DEBUG RELOAD, LASTSAVE. */
    default Snapshots snapshots() { throw new UnsupportedOperationException(); }

    /** Where writes go in deterministic form (the AOF); NONE while nothing listens. */
    default WriteFeed writeFeed() { return WriteFeed.NONE; }
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: when set, scripts may run commands flagged noscript (tests only). */
    default java.util.concurrent.atomic.AtomicBoolean scriptDenyDisabled() { return NO_DENY_SWITCH; }

    /** The switch of contexts that have none of their own (it stays false). */
    java.util.concurrent.atomic.AtomicBoolean NO_DENY_SWITCH = new java.util.concurrent.atomic.AtomicBoolean();
}
