package io.jackdaw.server;

import io.jackdaw.command.Snapshots;
import io.jackdaw.common.Log;
import io.jackdaw.persist.AofLoader;
import io.jackdaw.persist.AppendOnlyFile;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.RdbFile;
import io.jackdaw.store.VersionedSnapshot;
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

    @Override
    public int diskError() {
        AppendOnlyFile a = aof;
        if (lastBgsaveOk && (a == null || a.lastWriteOk())) return DISK_OK; // two volatile reads per write command
        if (!lastBgsaveOk && server.config().getBool("stop-writes-on-bgsave-error") && hasSavePoints()) return DISK_RDB;
        return a != null && !a.lastWriteOk() ? DISK_AOF : DISK_OK;
    }

    @Override
    public String aofError() {
        AppendOnlyFile a = aof;
        return a == null ? "" : a.lastWriteError();
    }

    boolean lastSaveOk() { return lastSaveOk; }

    long saves() { return saves; }

    long lastLoadLoaded() { return lastLoadLoaded; }

    long lastLoadExpired() { return lastLoadExpired; }

    RdbFile.SaveOptions options() {
        String policy = server.config().get("maxmemory-policy");
        return new RdbFile.SaveOptions(server.config().getBool("rdbcompression"), server.config().getBool("rdbchecksum"),
                policy.contains("lru"), policy.contains("lfu"), io.jackdaw.command.ConnectionCommands.REDIS_VERSION,
                server.usedMemory(), false);
    }

    /**
     * Loads the data at server start: the append-only file when appendonly is on (then dump.rdb
     * is not read, as in Redis), else dump.rdb when it exists. A file that cannot be loaded stops
     * the start, as in Redis.
     */
    void loadAtStartup() {
        config().addListener("appendonly", (n, v) -> {
            String err = "yes".equalsIgnoreCase(v) ? startAof() : stopAofByConfig();
            if (err != null) throw new IllegalStateException(err);
        });
        config().addListener("appendfsync", (n, v) -> {
            AppendOnlyFile a = aof;
            if (a != null) a.setFsync(fsyncPolicy());
        });
        config().addListener("aof-timestamp-enabled", (n, v) -> {
            AppendOnlyFile a = aof;
            if (a != null) a.setTimestamps(config().getBool("aof-timestamp-enabled"));
        });
        if (config().getBool("appendonly")) {
            loadAofAtStartup();
            return;
        }
        loadRdb();
    }

    private io.jackdaw.server.config.ServerConfig config() { return server.config(); }

    private void loadRdb() {
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
        if (background != null) return "ERR Background save already in progress";
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
            lastBgsaveOk = false; // as Redis, a failed SAVE shows in rdb_last_bgsave_status too
            Log.warning("Failed opening the temp RDB file for writing or writing it: " + e.getMessage());
            return "ERR";
        }
        server.stats().dirtyAtLastSave = dirty;
        lastSaveSeconds = server.clock().millis() / 1000;
        lastSaveOk = true;
        lastBgsaveOk = true;
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

    // ------------------------------------------------------------ append-only file

    private volatile AppendOnlyFile aof;
    private volatile long aofRewrites, aofLastRewriteSeconds = -1;
    private volatile boolean aofLastRewriteOk = true;

    AppendOnlyFile aof() { return aof; }

    long aofRewrites() { return aofRewrites; }

    long aofLastRewriteSeconds() { return aofLastRewriteSeconds; }

    boolean aofLastRewriteOk() { return aofLastRewriteOk; }

    private AppendOnlyFile newAof() {
        AppendOnlyFile a = new AppendOnlyFile(Path.of(config().get("dir")).resolve(config().get("appenddirname")),
                config().get("appendfilename"), () -> config().getBool("aof-use-rdb-preamble"));
        a.setFsync(fsyncPolicy());
        a.setTimestamps(config().getBool("aof-timestamp-enabled"));
        return a;
    }

    private AppendOnlyFile.Fsync fsyncPolicy() {
        return switch (config().get("appendfsync")) {
            case "always" -> AppendOnlyFile.Fsync.ALWAYS;
            case "no" -> AppendOnlyFile.Fsync.NO;
            default -> AppendOnlyFile.Fsync.EVERYSEC;
        };
    }

    /** A base snapshot of the whole dataset; the caller holds every shard. */
    private AppendOnlyFile.BaseWriter baseWriter() {
        if (config().getBool("aof-use-rdb-preamble")) {
            return target -> RdbFile.save(server.keyspace(), target, options().forAofBase(), functions(), server.clock().millis());
        }
        // Commands (aof-use-rdb-preamble no): the snapshot's writer, run here under the locks the caller holds.
        return target -> new VersionedSnapshot(server.keyspace(), options().forAofBase(), functions(), server.clock().millis(), true)
                .writeTo(target, () -> 0);
    }

    /** Replays the AOF at startup and goes on appending to it. */
    private void loadAofAtStartup() {
        AppendOnlyFile a = newAof();
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            if (a.readManifest()) {
                long start = System.nanoTime();
                AofReplay replay = new AofReplay(server);
                long n = AofLoader.load(a.dir(), a.manifest(), config().getBool("aof-load-truncated"),
                        file -> RdbFile.loadAofBase(ks, file, server.rdbLoadLimits(), functions(), server.clock().millis()),
                        replay::run);
                lastLoadLoaded = keyCount(ks);
                Log.notice(String.format("DB loaded from append only file: %.3f seconds", (System.nanoTime() - start) / 1e9));
                Log.verbose("Commands replayed from the append only file: " + n);
            }
            a.start(baseWriter());
        } catch (IOException | AofLoader.AofLoadException e) {
            Log.warning(e.getMessage());
            throw new IllegalStateException("Fatal error loading the append only file: " + e.getMessage(), e);
        } finally {
            ks.unlockAll();
        }
        aof = a;
        server.dispatcher().setWriteFeed(a);
    }

    private static long keyCount(Keyspace ks) {
        long n = 0;
        for (int db = 0; db < ks.databases(); db++) {
            for (int s = 0; s < ks.shardCount(); s++) {
                io.jackdaw.store.KeyTable t = ks.shard(s).tableIfPresent(db);
                if (t != null) n += t.size();
            }
        }
        return n;
    }

    @Override public synchronized String loadAof() {
        AppendOnlyFile a = aof != null ? aof : newAof();
        Keyspace ks = server.keyspace();
        ks.lockAll();
        io.jackdaw.command.WriteFeed feed = server.dispatcher().writeFeed();
        try {
            if (aof != null) a.flushAndSync();
            // Nothing replayed goes back into the file (a key expiring during the replay included).
            server.dispatcher().setWriteFeed(null);
            ks.flushAll();
            functions().flush();
            if (!a.readManifest()) return null;
            AofReplay replay = new AofReplay(server);
            AofLoader.load(a.dir(), a.manifest(), config().getBool("aof-load-truncated"),
                    file -> RdbFile.loadAofBase(ks, file, server.rdbLoadLimits(), functions(), server.clock().millis()),
                    replay::run);
            Log.notice("Append only file loaded by DEBUG LOADAOF");
            return null;
        } catch (IOException | AofLoader.AofLoadException e) {
            Log.warning("Error loading the append only file: " + e.getMessage());
            return "ERR Error loading the append only file, check server logs.";
        } finally {
            server.dispatcher().setWriteFeed(feed);
            ks.unlockAll();
        }
    }

    /** CONFIG SET appendonly yes: a rewrite writes the base of the data as it is, then writes follow it. */
    private synchronized String startAof() {
        if (aof != null) return null;
        AppendOnlyFile a = newAof();
        try {
            a.readManifest();
        } catch (IOException e) {
            Log.warning("Can't read the AOF manifest: " + e.getMessage());
        }
        String err = rewrite(a);
        if (err != null) return err;
        aof = a;
        server.dispatcher().setWriteFeed(a);
        return null;
    }

    private synchronized String stopAofByConfig() {
        AppendOnlyFile a = aof;
        if (a == null) return null;
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            server.dispatcher().setWriteFeed(null);
            aof = null;
        } finally {
            ks.unlockAll();
        }
        a.stop();
        return null;
    }

    /** Shutdown: everything appended reaches the disk. */
    void stopAof() {
        AppendOnlyFile a = aof;
        if (a != null) a.stop();
    }

    @Override public synchronized String rewriteAof() {
        if (backgroundJob == Job.AOF_REWRITE) return "ERR Background append only file rewriting already in progress";
        if (backgroundJob != null) {
            aofRewriteScheduled = true;
            Log.notice("Background append only file rewriting scheduled.");
            return "Background append only file rewriting scheduled";
        }
        return rewriteAofNow();
    }

    private String rewriteAofNow() {
        AppendOnlyFile a = aof;
        if (a != null) {
            startAofRewrite();
            return "Background append only file rewriting started";
        }
        // As Redis, a rewrite with the AOF off still writes the files (a base and an empty incr);
        // with nothing appending meanwhile it is done under every shard, at once.
        a = newAof();
        try {
            a.readManifest();
        } catch (IOException e) {
            Log.warning("Can't read the AOF manifest: " + e.getMessage());
        }
        String err = rewrite(a);
        a.stop();
        return err != null ? err : "Background append only file rewriting started";
    }

    // ------------------------------------------------------------ snapshots in the background

    /** What the one background snapshot at a time is for. */
    private enum Job { BGSAVE, AOF_REWRITE }

    private volatile VersionedSnapshot background;
    private volatile Job backgroundJob;
    private volatile long backgroundStartMs;
    private volatile boolean bgsaveScheduled, aofRewriteScheduled;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveSeconds = -1, lastBgsaveAttemptMs;

    boolean bgsaveInProgress() { return backgroundJob == Job.BGSAVE; }

    boolean aofRewriteInProgress() { return backgroundJob == Job.AOF_REWRITE; }

    boolean bgsaveScheduled() { return bgsaveScheduled; }

    boolean aofRewriteScheduled() { return aofRewriteScheduled; }

    boolean lastBgsaveOk() { return lastBgsaveOk; }

    long lastBgsaveSeconds() { return lastBgsaveSeconds; }

    /** Seconds the snapshot being written has taken so far; -1 when none. */
    long currentBackgroundSeconds(Job job) {
        return backgroundJob == job ? (server.clock().millis() - backgroundStartMs) / 1000 : -1;
    }

    long currentBgsaveSeconds() { return currentBackgroundSeconds(Job.BGSAVE); }

    long currentAofRewriteSeconds() { return currentBackgroundSeconds(Job.AOF_REWRITE); }

    long[] saveKeysProgress() {
        VersionedSnapshot v = background;
        return v == null ? new long[2] : new long[] {v.keysProcessed(), v.keysTotal()};
    }

    @Override public synchronized String bgsave(boolean schedule) {
        if (backgroundJob == Job.BGSAVE) {
            if (!schedule) return "ERR Background save already in progress";
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        if (backgroundJob != null) {
            if (!schedule) {
                return "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to "
                        + "schedule a BGSAVE whenever possible.";
            }
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        startBgsave();
        return "Background saving started";
    }

    /** Installs the snapshot under every shard (its instant) and writes it on a thread of its own. */
    private void startBgsave() {
        Keyspace ks = server.keyspace();
        VersionedSnapshot v;
        long dirtyAtStart;
        ks.lockAll();
        try {
            v = new VersionedSnapshot(ks, options(), functions(), server.clock().millis(), false);
            ks.startSnapshot(v);
            dirtyAtStart = server.stats().dirty.sum();
        } finally {
            ks.unlockAll();
        }
        background = v;
        backgroundJob = Job.BGSAVE;
        backgroundStartMs = server.clock().millis();
        lastBgsaveAttemptMs = backgroundStartMs;
        Log.notice("Background saving started");
        Thread.ofPlatform().name("jackdaw-bgsave").daemon().start(() -> {
            boolean ok;
            try {
                v.writeTo(rdbPath(), () -> config().getLong("rdb-key-save-delay"));
                ok = true;
            } catch (IOException | RuntimeException e) {
                Log.warning("Write error saving DB on disk: " + e.getMessage());
                ok = false;
            }
            finishBgsave(ok, dirtyAtStart);
        });
    }

    private synchronized void finishBgsave(boolean ok, long dirtyAtStart) {
        lastBgsaveSeconds = (server.clock().millis() - backgroundStartMs) / 1000;
        lastBgsaveOk = ok;
        lastSaveOk = ok;
        if (ok) {
            server.stats().dirtyAtLastSave = dirtyAtStart; // what changed during the save is still unsaved
            lastSaveSeconds = backgroundStartMs / 1000;
            saves++;
            Log.notice("DB saved on disk");
            Log.notice("Background saving terminated with success");
        } else {
            Log.warning("Background saving error");
        }
        background = null;
        backgroundJob = null;
        notifyAll();
        runScheduled();
    }

    /** A job that was asked for while another ran (BGSAVE SCHEDULE, BGREWRITEAOF during a BGSAVE). */
    private void runScheduled() {
        // The flag is cleared once the job runs, so INFO never shows neither scheduled nor in progress.
        if (aofRewriteScheduled) {
            rewriteAofNow();
            aofRewriteScheduled = false;
        } else if (bgsaveScheduled) {
            startBgsave();
            bgsaveScheduled = false;
        }
    }

    /**
     * The cron's check of `save <seconds> <changes>` points, as Redis's serverCron: a background
     * save once enough changes are older than the point's seconds (after a failed one, not within 5 s).
     */
    synchronized void checkSavePoints() {
        if (backgroundJob != null) return;
        String points = config().get("save");
        if (points == null || points.isBlank()) return;
        long now = server.clock().millis();
        long changes = server.stats().dirty.sum() - server.stats().dirtyAtLastSave;
        String[] p = points.trim().split("\\s+");
        for (int i = 0; i + 1 < p.length; i += 2) {
            long seconds = Long.parseLong(p[i]), needed = Long.parseLong(p[i + 1]);
            if (changes >= needed && now / 1000 - lastSaveSeconds > seconds - 1
                    && (lastBgsaveOk || now - lastBgsaveAttemptMs > 5000)) {
                Log.notice(changes + " changes in " + seconds + " seconds. Saving...");
                startBgsave();
                return;
            }
        }
    }

    /** Shutdown: a snapshot being written is finished first, as its file is what the user will find. */
    synchronized void awaitBackground() {
        while (backgroundJob != null) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * BGREWRITEAOF with the AOF on: at one instant (every shard held) a new incr file takes the
     * writes and a snapshot starts; the snapshot becomes the new base on a thread of its own, and
     * only then does the manifest drop the old files. Until then the manifest lists old base, old
     * incr files and the new one, which load to the same data.
     */
    private void startAofRewrite() {
        AppendOnlyFile a = aof;
        if (a == null) return;
        Keyspace ks = server.keyspace();
        VersionedSnapshot v;
        AppendOnlyFile.Rewrite r;
        ks.lockAll();
        try {
            r = a.beginRewrite();
            v = new VersionedSnapshot(ks, options().forAofBase(), functions(), server.clock().millis(),
                    r.baseName().endsWith(".aof")); // the form the base was named for
            ks.startSnapshot(v);
        } catch (IOException e) {
            aofLastRewriteOk = false;
            Log.warning("Background AOF rewrite terminated with error: " + e.getMessage());
            return;
        } finally {
            ks.unlockAll();
        }
        background = v;
        backgroundJob = Job.AOF_REWRITE;
        backgroundStartMs = server.clock().millis();
        Log.notice("Background append only file rewriting started");
        Thread.ofPlatform().name("jackdaw-aof-rewrite").daemon().start(() -> {
            boolean ok;
            try {
                v.writeTo(a.dir().resolve(r.baseName()), () -> config().getLong("rdb-key-save-delay"));
                a.finishRewrite(r);
                ok = true;
            } catch (IOException | RuntimeException e) {
                Log.warning("Background AOF rewrite terminated with error: " + e.getMessage());
                ok = false;
            }
            finishAofRewrite(ok);
        });
    }

    private synchronized void finishAofRewrite(boolean ok) {
        aofLastRewriteSeconds = (server.clock().millis() - backgroundStartMs) / 1000;
        aofLastRewriteOk = ok;
        if (ok) {
            aofRewrites++;
            Log.notice("Background AOF rewrite finished successfully");
        }
        background = null;
        backgroundJob = null;
        notifyAll();
        runScheduled();
    }

    /** Holds every shard while a new base and incr file replace the old ones (see AppendOnlyFile.rewrite). */
    private String rewrite(AppendOnlyFile a) {
        long start = System.nanoTime();
        Keyspace ks = server.keyspace();
        ks.lockAll();
        try {
            a.rewrite(baseWriter());
        } catch (IOException | RuntimeException e) {
            aofLastRewriteOk = false;
            Log.warning("Background AOF rewrite terminated with error: " + e.getMessage());
            return "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
        } finally {
            ks.unlockAll();
        }
        aofRewrites++;
        aofLastRewriteOk = true;
        aofLastRewriteSeconds = Math.round((System.nanoTime() - start) / 1e9);
        Log.notice("Background AOF rewrite finished successfully");
        return null;
    }
}
