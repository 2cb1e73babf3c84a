package io.jackdaw.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client blocked on keys (BLPOP, BZPOPMIN, ...): registered in the queue of each of its keys
 * in their shards ({@link BlockedKeys}), served by whichever thread writes one of them while it
 * holds that shard's lock. Its state decides races between that writer, the timeout, CLIENT
 * UNBLOCK and a disconnect: only the one that moves it out of {@link #BLOCKED} acts.
 */
public abstract class Waiter {
    public static final int BLOCKED = 0, SERVING = 1, DONE = 2;

    /**
     * What a waiter waits for: the key must hold a value of this family to serve it. A
     * STREAM_GROUP waiter (XREADGROUP) is also re-run when its key goes or changes type, to
     * fail there as Redis's unblock_on_nokey clients do.
     */
    public enum Kind { LIST, ZSET, STREAM, STREAM_GROUP }

    public final Kind kind;
    public final int db;
    /** The keys waited on, each once, in the order the command named them. */
    public final byte[][] keys;
    /** Their shards, ascending and unique: the order cleanup locks them in. */
    public final int[] shards;
    private final AtomicInteger state = new AtomicInteger(BLOCKED);

    protected Waiter(Kind kind, int db, byte[][] keys, int[] shards) {
        this.kind = kind;
        this.db = db;
        this.keys = keys;
        this.shards = shards;
    }

    public final int state() { return state.get(); }

    /** BLOCKED to SERVING: the caller, holding the ready key's shard lock, may serve it now. */
    public final boolean startServing() { return state.compareAndSet(BLOCKED, SERVING); }

    /** Back to BLOCKED after a serve that found nothing to take. */
    public final void stillBlocked() { state.set(BLOCKED); }

    /** SERVING to DONE once its command ran. */
    public final void served() { state.set(DONE); }

    /**
     * BLOCKED to DONE for a timeout, CLIENT UNBLOCK or disconnect. A serve in progress is
     * waited out (it is short and runs under locks): false when it served the waiter.
     */
    public final boolean cancel() {
        while (true) {
            if (state.compareAndSet(BLOCKED, DONE)) return true;
            if (state.get() == DONE) return false;
            Thread.onSpinWait();
        }
    }

    /** Whether a value of this type satisfies the waiter. */
    public final boolean accepts(int valueType) {
        return switch (kind) {
            case LIST -> ValueType.isList(valueType);
            case ZSET -> ValueType.isZset(valueType);
            case STREAM -> ValueType.isStream(valueType);
            case STREAM_GROUP -> true;
        };
    }

    /** Whether the waiter is re-run even when its key is gone (see {@link Kind#STREAM_GROUP}). */
    public final boolean runsWithoutKey() { return kind == Kind.STREAM_GROUP; }
}
