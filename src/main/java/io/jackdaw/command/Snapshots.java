package io.jackdaw.command;

/** The server's dump.rdb: SAVE, DEBUG RELOAD, LASTSAVE (implemented by the server's persistence). */
public interface Snapshots {
    /** Writes the snapshot now (the caller holds no shard lock); null on success, else the error reply. */
    String save();

    /**
     * DEBUG RELOAD: saves unless {@code nosave}, empties the keyspace unless {@code noflush},
     * and loads the file ({@code merge}: what is loaded replaces what is there); null on
     * success, else the error reply.
     */
    String reload(boolean nosave, boolean noflush, boolean merge);

    /** Unix time in seconds of the last successful save (the start time before any). */
    long lastSave();

    /** BGREWRITEAOF: the status reply ("Background append only file rewriting started" or "... scheduled"), or an error starting with ERR. */
    String rewriteAof();

    /** BGSAVE [SCHEDULE]: the status reply ("Background saving started" or "... scheduled"), or an error starting with ERR. */
    String bgsave(boolean schedule);

    /** DEBUG LOADAOF: what is pending reaches the file, the data is emptied and the AOF replayed; null or the error reply. */
    String loadAof();

    /** {@link #diskError()}: writes are accepted. */
    int DISK_OK = 0;
    /** The last background save failed, save points exist and stop-writes-on-bgsave-error is on. */
    int DISK_RDB = 1;
    /** The AOF is on and its last write or fsync failed ({@link #aofError()} says why). */
    int DISK_AOF = 2;

    /** Whether writes must be refused because the data cannot reach the disk (Redis's writeCommandsDeniedByDiskError); cheap when all is well. */
    int diskError();

    /** The system's text for the AOF's last write or fsync error. */
    String aofError();
}
