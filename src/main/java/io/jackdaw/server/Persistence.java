package io.jackdaw.server;

import io.jackdaw.command.Snapshots;
import io.jackdaw.common.Log;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.RdbFile;
import io.jackdaw.types.RdbFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * dump.rdb for the server: loading it at startup, SAVE, DEBUG RELOAD and the save on shutdown,
 * with the figures INFO persistence reports. A save holds every shard for its duration (SAVE
 * blocks the server in Redis too); snapshots in the background (BGSAVE) are a later step.
 */
final class Persistence implements Snapshots {
    private final JackdawServer server;
    private volatile long lastSaveSeconds;
    private volatile boolean lastSaveOk = true;
    private volatile long saves;
    private volatile long lastLoadLoaded, lastLoadExpired;

    Persistence(JackdawServer server) {
        this.server = server;
        this.lastSaveSeconds = server.startedMs() / 1000;
    }

    Path rdbPath() {
        return Path.of(server.config().get("dir")).resolve(server.config().get("dbfilename"));
    }

    /** Whether `save` has any save points (a shutdown then saves, as Redis). */
    boolean hasSavePoints() {
        String v = server.config().get("save");
        return v != null && !v.isBlank();
    }

    long lastSaveSeconds() { return lastSaveSeconds; }

    boolean lastSaveOk() { return lastSaveOk; }

    long saves() { return saves; }

    long lastLoadLoaded() { return lastLoadLoaded; }

    long lastLoadExpired() { return lastLoadExpired; }

    private RdbFile.SaveOptions options() {
        String policy = server.config().get("maxmemory-policy");
        return new RdbFile.SaveOptions(server.config().getBool("rdbcompression"), server.config().getBool("rdbchecksum"),
                policy.contains("lru"), policy.contains("lfu"), io.jackdaw.command.ConnectionCommands.REDIS_VERSION,
                server.usedMemory());
    }

    /** Loads dump.rdb when it exists (server start); a file that cannot be loaded stops the start, as in Redis. */
    void loadAtStartup() {
        Path p = rdbPath();
        if (!Files.exists(p)) return;
        long start = System.nanoTime();
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            RdbFile.LoadResult r = RdbFile.load(ks, p, server.rdbLoadLimits(), functions(), server.clock().millis(), false);
            lastLoadLoaded = r.keysLoaded();
            lastLoadExpired = r.keysExpired();
            Log.notice(String.format("Done loading RDB, keys loaded: %d, keys expired: %d.", r.keysLoaded(), r.keysExpired()));
            Log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
        } catch (IOException | RdbFormatException e) {
            Log.warning("Fatal error loading the DB: " + e.getMessage() + ". Exiting.");
            throw new IllegalStateException("Fatal error loading the DB " + p + ": " + e.getMessage(), e);
        } finally {
            ks.unlockAll();
        }
    }

    @Override public String save() {
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            return saveLocked();
        } finally {
            ks.unlockAll();
        }
    }

    /** Writes the file; the caller holds every shard. */
    private String saveLocked() {
        long dirty = server.stats().dirty.sum();
        try {
            RdbFile.save(server.keyspace(), rdbPath(), options(), functions(), server.clock().millis());
        } catch (IOException | RuntimeException e) {
            lastSaveOk = false;
            Log.warning("Failed opening the temp RDB file for writing or writing it: " + e.getMessage());
            return "ERR";
        }
        server.stats().dirtyAtLastSave = dirty;
        lastSaveSeconds = server.clock().millis() / 1000;
        lastSaveOk = true;
        saves++;
        Log.notice("DB saved on disk");
        return null;
    }

    /** The function libraries, through the dispatcher's scripting (none in a server without it). */
    private RdbFile.Functions functions() { return server.dispatcher().rdbFunctions(); }

    @Override public String reload(boolean nosave, boolean noflush, boolean merge) {
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            if (!nosave) {
                String err = saveLocked();
                if (err != null) return err;
            }
            if (!noflush) {
                ks.flushAll();
                functions().flush();
            }
            try {
                RdbFile.LoadResult r = RdbFile.load(ks, rdbPath(), server.rdbLoadLimits(), functions(),
                        server.clock().millis(), merge);
                lastLoadLoaded = r.keysLoaded();
                lastLoadExpired = r.keysExpired();
            } catch (IOException | RdbFormatException e) {
                Log.warning("Error trying to load the RDB dump: " + e.getMessage());
                return "ERR Error trying to load the RDB dump, check server logs.";
            }
            Log.notice("DB reloaded by DEBUG RELOAD");
            return null;
        } finally {
            ks.unlockAll();
        }
    }

    @Override public long lastSave() { return lastSaveSeconds; }
}
