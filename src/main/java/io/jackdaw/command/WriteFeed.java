package io.jackdaw.command;

/**
 * Where writes go, in deterministic form and in the one order the shard locks give them: the
 * append-only file now, replicas later. Every method is called while the writer still holds
 * the shard locks of the keys involved, so two writes to one key reach the feed in the order
 * they happened.
 */
public interface WriteFeed {
    WriteFeed NONE = new WriteFeed() {
        @Override public boolean active() { return false; }
        @Override public void append(Propagation unit) { }
        @Override public void deleted(int db, byte[] key, int off, int len) { }
        @Override public void sync() { }
    };

    /** Whether writes are wanted at all; when not, the gate encodes nothing. */
    boolean active();

    /** One execution unit; more than one command is wrapped in MULTI/EXEC, as Redis propagates it. */
    void append(Propagation unit);

    /** A key removed by expiry or eviction: DEL key, in that database. */
    void deleted(int db, byte[] key, int off, int len);

    /** Makes what was appended so far durable when the fsync policy promises that before the reply (appendfsync always). */
    void sync();
}
