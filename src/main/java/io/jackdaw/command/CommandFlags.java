package io.jackdaw.command;

import java.util.List;

/** Command flags as bits; {@link #PRINTED} is the order COMMAND INFO lists them in. */
public final class CommandFlags {
    private CommandFlags() {}

    public static final long WRITE = 1L, READONLY = 1L << 1, DENYOOM = 1L << 2, MODULE = 1L << 3, ADMIN = 1L << 4,
            PUBSUB = 1L << 5, NOSCRIPT = 1L << 6, BLOCKING = 1L << 7, LOADING = 1L << 8, STALE = 1L << 9,
            SKIP_MONITOR = 1L << 10, SKIP_SLOWLOG = 1L << 11, ASKING = 1L << 12, FAST = 1L << 13, NO_AUTH = 1L << 14,
            MAY_REPLICATE = 1L << 15, NO_MANDATORY_KEYS = 1L << 16, NO_ASYNC_LOADING = 1L << 17, NO_MULTI = 1L << 18,
            MOVABLE_KEYS = 1L << 19, ALLOW_BUSY = 1L << 20, SENTINEL = 1L << 21, ONLY_SENTINEL = 1L << 22,
            PROTECTED = 1L << 23, TOUCHES_ARBITRARY_KEYS = 1L << 24;

    record Named(long bit, String name) {}

    /** Flags COMMAND INFO shows, in Redis's order; may_replicate and the sentinel ones stay hidden as in Redis. */
    static final List<Named> PRINTED = List.of(
            new Named(WRITE, "write"), new Named(READONLY, "readonly"), new Named(DENYOOM, "denyoom"),
            new Named(MODULE, "module"), new Named(ADMIN, "admin"), new Named(PUBSUB, "pubsub"),
            new Named(NOSCRIPT, "noscript"), new Named(BLOCKING, "blocking"), new Named(LOADING, "loading"),
            new Named(STALE, "stale"), new Named(SKIP_MONITOR, "skip_monitor"), new Named(SKIP_SLOWLOG, "skip_slowlog"),
            new Named(ASKING, "asking"), new Named(FAST, "fast"), new Named(NO_AUTH, "no_auth"),
            new Named(NO_MANDATORY_KEYS, "no_mandatory_keys"), new Named(NO_ASYNC_LOADING, "no_async_loading"),
            new Named(NO_MULTI, "no_multi"), new Named(MOVABLE_KEYS, "movablekeys"), new Named(ALLOW_BUSY, "allow_busy"));

    private static final List<Named> ALL_NAMES = List.of(
            new Named(MAY_REPLICATE, "may_replicate"), new Named(SENTINEL, "sentinel"),
            new Named(ONLY_SENTINEL, "only_sentinel"), new Named(PROTECTED, "protected"),
            new Named(TOUCHES_ARBITRARY_KEYS, "touches_arbitrary_keys"));

    static long parse(String name) {
        for (Named n : PRINTED) if (n.name.equals(name)) return n.bit;
        for (Named n : ALL_NAMES) if (n.name.equals(name)) return n.bit;
        throw new IllegalArgumentException("unknown command flag: " + name);
    }
}
