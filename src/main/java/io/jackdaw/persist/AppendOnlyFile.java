package io.jackdaw.persist;

import io.jackdaw.command.Propagation;
import io.jackdaw.command.WriteFeed;
import io.jackdaw.common.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The append-only file in Redis 7's multi-part layout ({@link AofManifest}): writes arrive as
 * RESP commands from the gate, under the writers' shard locks, and are copied into a pending
 * buffer; the {@code jackdaw-aof} thread writes that buffer to the current incr file as soon
 * as it fills and forces it to disk once a second (appendfsync everysec) or leaves that to the
 * OS (no). Under appendfsync always the command's own thread writes and forces everything
 * pending before its reply can leave ({@link #sync()}); concurrent writers share one force.
 *
 * <pre>
 *   writers --append (appendLock)--> pending --swap--> jackdaw-aof / sync() --write (writeLock)--> incr file
 * </pre>
 *
 * A rewrite ({@link #rewrite}) runs while the caller holds every shard: what is pending goes
 * to the old incr file, a new base snapshot and a new empty incr file are written, and the
 * manifest is replaced atomically, so no acknowledged write is in neither.
 */
public final class AppendOnlyFile implements WriteFeed {
    public enum Fsync { ALWAYS, EVERYSEC, NO }

    /** Writes a snapshot of the whole dataset to a file (the base of a rewrite). */
    public interface BaseWriter {
        void write(Path target) throws IOException;
    }

    private static final byte[] MULTI = "*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "*1\r\n$4\r\nEXEC\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "*2\r\n$3\r\nDEL\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final String fileName;
    private AofManifest manifest = new AofManifest();

    private final Object appendLock = new Object();
    private byte[] pending = new byte[1 << 16];
    private int pendingLen;
    private long appended; // bytes ever appended
    private int selectedDb = -1;
    private long lastTimestamp;

    private final Object writeLock = new Object();
    private byte[] spare = new byte[1 << 16];
    private FileChannel incr;
    private long written, synced; // bytes ever written to the incr files / forced
    private long lastFsyncNanos = System.nanoTime();

    private volatile boolean active;
    private volatile Fsync fsync = Fsync.EVERYSEC;
    private volatile boolean timestamps;
    /** Whether the last write and the last fsync succeeded; while not, writes are refused (MISCONF) and the flusher retries. */
    private volatile boolean writeOk = true, fsyncOk = true;
    private volatile String lastWriteError = "";
    private long lastErrorLogNanos;
    private volatile long sizeAtMeasure, writtenAtMeasure, baseSize;
    private volatile Thread flusher;
    private volatile boolean stopping;

    /** aof-use-rdb-preamble, read when a base is named: an RDB base (.base.rdb) or one of commands (.base.aof). */
    private final java.util.function.BooleanSupplier rdbPreamble;

    public AppendOnlyFile(Path dir, String fileName, java.util.function.BooleanSupplier rdbPreamble) {
        this.dir = dir;
        this.fileName = fileName;
        this.rdbPreamble = rdbPreamble;
    }

    private String baseName(long seq) {
        return fileName + "." + seq + ".base." + (rdbPreamble.getAsBoolean() ? "rdb" : "aof");
    }

    public Path dir() { return dir; }

    public Path manifestPath() { return dir.resolve(fileName + ".manifest"); }

    public AofManifest manifest() { return manifest; }

    public void setFsync(Fsync f) { this.fsync = f; }

    public void setTimestamps(boolean on) { this.timestamps = on; }

    public boolean lastWriteOk() { return writeOk && fsyncOk; }

    /** The system's text for the last write or fsync error (Redis's strerror). */
    public String lastWriteError() { return lastWriteError; }

    /** aof_current_size and aof_base_size of INFO persistence. */
    public long currentSize() { return sizeAtMeasure + (written - writtenAtMeasure) + pendingLen; }

    public long baseSize() { return baseSize; }

    public int bufferLength() { return pendingLen; }

    /** Reads the manifest when there is one; false when the AOF does not exist yet. */
    public boolean readManifest() throws IOException {
        Path m = manifestPath();
        if (!Files.exists(m)) return false;
        manifest = AofManifest.parse(Files.readString(m, StandardCharsets.UTF_8));
        return true;
    }

    /**
     * Starts writing after a load (or on an empty server): a base is created when there is none
     * (Redis's "Creating AOF base file ... on server start"), the last incr file is opened for
     * appending, or a new one created.
     */
    public void start(BaseWriter base) throws IOException {
        Files.createDirectories(dir);
        if (manifest.base() == null && manifest.incrs().isEmpty()) {
            String name = baseName(manifest.lastBaseSeq() + 1);
            Log.notice("Creating AOF base file " + name + " on server start");
            base.write(dir.resolve(name));
            manifest.add(new AofManifest.Entry(name, manifest.lastBaseSeq() + 1, AofManifest.Type.BASE));
        }
        java.util.List<AofManifest.Entry> incrs = manifest.incrs();
        String name;
        if (incrs.isEmpty()) {
            long seq = manifest.lastIncrSeq() + 1;
            name = fileName + "." + seq + ".incr.aof";
            manifest.add(new AofManifest.Entry(name, seq, AofManifest.Type.INCR));
            Log.notice("Creating AOF incr file " + name + " on server start");
        } else {
            name = incrs.get(incrs.size() - 1).file();
            Log.notice("Opening AOF incr file " + name + " on server start");
        }
        manifest.write(manifestPath());
        openIncr(dir.resolve(name));
        measure();
        active = true;
        startFlusher();
    }

    private void openIncr(Path p) throws IOException {
        incr = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        AofManifest.forceDirectory(dir);
    }

    /** File sizes for INFO, from the manifest's files on disk. */
    private void measure() {
        long total = 0, base = 0;
        for (AofManifest.Entry e : manifest.entries()) {
            if (e.type() == AofManifest.Type.HISTORY) continue;
            try {
                long n = Files.size(dir.resolve(e.file()));
                total += n;
                if (e.type() == AofManifest.Type.BASE) base = n;
            } catch (IOException ignored) {
                // a missing file shows as size 0; loading already complained about it
            }
        }
        synchronized (writeLock) {
            sizeAtMeasure = total;
            writtenAtMeasure = written;
        }
        baseSize = base;
    }

    // ------------------------------------------------------------ WriteFeed

    @Override public boolean active() { return active; }

    @Override public void append(Propagation unit) {
        int n = unit.count();
        byte[] b = unit.buffer();
        synchronized (appendLock) {
            timestamp();
            if (n > 1) {
                select(unit.db(0));
                put(MULTI, 0, MULTI.length);
            }
            for (int i = 0; i < n; i++) {
                select(unit.db(i));
                put(b, unit.start(i), unit.end(i) - unit.start(i));
            }
            if (n > 1) put(EXEC, 0, EXEC.length);
            if (pendingLen >= WAKE_AT) wake();
        }
    }

    @Override public void deleted(int db, byte[] key, int off, int len) {
        synchronized (appendLock) {
            timestamp();
            select(db);
            put(DEL, 0, DEL.length);
            putBulk(key, off, len);
            if (pendingLen >= WAKE_AT) wake();
        }
    }

    @Override public void sync() {
        if (fsync != Fsync.ALWAYS || !active) return;
        long target;
        synchronized (appendLock) {
            target = appended;
        }
        synchronized (writeLock) {
            if (synced >= target) return; // another writer's force covered it
            writePending();
            force();
        }
    }

    /** Redis's aof-timestamp-enabled: an annotation line whenever the second changes. */
    private void timestamp() {
        if (!timestamps) return;
        long sec = System.currentTimeMillis() / 1000;
        if (sec == lastTimestamp) return;
        lastTimestamp = sec;
        byte[] line = ("#TS:" + sec + "\r\n").getBytes(StandardCharsets.US_ASCII);
        put(line, 0, line.length);
    }

    private void select(int db) {
        if (db == selectedDb) return;
        selectedDb = db;
        byte[] n = Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
        byte[] head = "*2\r\n$6\r\nSELECT\r\n".getBytes(StandardCharsets.US_ASCII);
        put(head, 0, head.length);
        putBulk(n, 0, n.length);
    }

    private void putBulk(byte[] b, int off, int len) {
        byte[] head = ("$" + len + "\r\n").getBytes(StandardCharsets.US_ASCII);
        put(head, 0, head.length);
        put(b, off, len);
        put(CRLF, 0, 2);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private void put(byte[] b, int off, int len) {
        if (pendingLen + len > pending.length) pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + len));
        System.arraycopy(b, off, pending, pendingLen, len);
        pendingLen += len;
        appended += len;
    }

    /**
     * The flusher looks every 10 ms and is woken early only past this much: waking it on every
     * write cost a futex call and a thread switch per command (SET with appendfsync everysec
     * ran at 0.57 of Redis's rate that way).
     */
    private static final int WAKE_AT = 1 << 20;

    private void wake() {
        Thread t = flusher;
        if (t != null) LockSupport.unpark(t);
    }

    // ------------------------------------------------------------ writing

    /** Moves what is pending to the incr file; the caller holds writeLock. */
    private void writePending() {
        int n;
        synchronized (appendLock) {
            n = pendingLen;
            if (n == 0) return;
            byte[] full = pending;
            pending = spare.length >= 1 << 16 && spare.length <= 1 << 20 ? spare : new byte[1 << 16];
            spare = full;
            pendingLen = 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(spare, 0, n);
        try {
            while (buf.hasRemaining()) incr.write(buf);
            written += n;
            if (!writeOk) Log.warning("AOF write error looks solved, Redis can write again.");
            writeOk = true;
        } catch (IOException e) {
            failed("Error writing to the AOF file: ", e);
            writeOk = false;
            if (fsync == Fsync.ALWAYS) exitOnError("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            // As Redis: cut a partial write off the file and keep the bytes for the next try (writes are refused meanwhile).
            try {
                incr.truncate(incr.size() - buf.position());
            } catch (IOException ignored) {
                // the next successful write goes after whatever part stayed; the loader cuts a torn command only at the end
            }
            synchronized (appendLock) {
                byte[] merged = new byte[n + pendingLen];
                System.arraycopy(spare, 0, merged, 0, n);
                System.arraycopy(pending, 0, merged, n, pendingLen);
                pending = merged;
                pendingLen += n;
            }
        }
    }

    /** Records an error for INFO and MISCONF; the log line at most every 30 s, as Redis's while it retries. */
    private void failed(String what, IOException e) {
        lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
        long now = System.nanoTime();
        if (writeOk && fsyncOk || now - lastErrorLogNanos > 30_000_000_000L) {
            lastErrorLogNanos = now;
            Log.warning(what + lastWriteError);
        }
    }

    /** Under appendfsync always an acknowledged write must be on disk; when that cannot be, Redis exits rather than answer. */
    private static void exitOnError(String message) {
        Log.warning(message);
        Runtime.getRuntime().halt(1);
    }

    private void force() {
        try {
            incr.force(false);
            synced = written;
            lastFsyncNanos = System.nanoTime();
            fsyncOk = true;
        } catch (IOException e) {
            if (fsync == Fsync.ALWAYS) {
                exitOnError("Can't persist AOF for fsync error when the AOF fsync policy is 'always': " + e.getMessage() + ". Exiting...");
            }
            failed("Fail to fsync the AOF file: ", e);
            fsyncOk = false;
            lastFsyncNanos = System.nanoTime(); // tried again in a second
        }
    }

    private void startFlusher() {
        stopping = false;
        Thread t = new Thread(this::flushLoop, "jackdaw-aof");
        t.setDaemon(true);
        flusher = t;
        t.start();
    }

    /** Writes what is pending as it comes, and forces it once a second under everysec. */
    private void flushLoop() {
        while (!stopping) {
            LockSupport.parkNanos(10_000_000L);
            synchronized (writeLock) {
                if (incr == null) continue;
                writePending();
                if (fsync == Fsync.EVERYSEC && synced < written && System.nanoTime() - lastFsyncNanos >= 1_000_000_000L) force();
            }
        }
    }

    /** Writes and forces everything pending (shutdown, rewrite, CONFIG SET appendonly no). */
    public void flushAndSync() {
        synchronized (writeLock) {
            if (incr == null) return;
            writePending();
            force();
        }
    }

    /** Stops writing: what is pending reaches the disk and the file is closed. */
    public void stop() {
        active = false;
        stopping = true;
        Thread t = flusher;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flusher = null;
        synchronized (writeLock) {
            if (incr == null) return;
            writePending();
            force();
            try {
                incr.close();
            } catch (IOException ignored) {
                // closing after a successful force loses nothing
            }
            incr = null;
        }
    }

    // ------------------------------------------------------------ rewrite

    /** The files of a rewrite in progress: the base it will write and the incr file writes go to meanwhile. */
    public record Rewrite(String baseName, long baseSeq, String incrName, long incrSeq) {}

    /**
     * Starts a rewrite: what is pending reaches the old incr file, and a new incr file takes
     * every write from now on; the manifest lists it after the old files, so a crash before the
     * new base is done still loads everything. The caller holds every shard lock.
     */
    public Rewrite beginRewrite() throws IOException {
        Files.createDirectories(dir);
        synchronized (writeLock) {
            if (incr != null) {
                writePending();
                force();
            }
        }
        long baseSeq = manifest.lastBaseSeq() + 1, incrSeq = manifest.lastIncrSeq() + 1;
        Rewrite r = new Rewrite(baseName(baseSeq), baseSeq, fileName + "." + incrSeq + ".incr.aof", incrSeq);
        FileChannel fresh = FileChannel.open(dir.resolve(r.incrName()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        AofManifest next = copy(manifest);
        next.add(new AofManifest.Entry(r.incrName(), incrSeq, AofManifest.Type.INCR));
        try {
            next.write(manifestPath());
        } catch (IOException e) {
            fresh.close();
            Files.deleteIfExists(dir.resolve(r.incrName()));
            throw e;
        }
        Log.notice("Creating AOF incr file " + r.incrName() + " on background rewrite");
        synchronized (writeLock) {
            FileChannel old = incr;
            incr = fresh;
            written = synced = 0;
            if (old != null) old.close();
        }
        synchronized (appendLock) {
            selectedDb = -1; // the new incr file starts with a SELECT
            lastTimestamp = 0;
            appended = pendingLen;
        }
        manifest = next;
        measure();
        return r;
    }

    /** Ends a rewrite whose base is written: the base and the incr files from the rewrite's on are all that remain. */
    public void finishRewrite(Rewrite r) throws IOException {
        AofManifest next = new AofManifest();
        next.add(new AofManifest.Entry(r.baseName(), r.baseSeq(), AofManifest.Type.BASE));
        List<AofManifest.Entry> history = new java.util.ArrayList<>();
        for (AofManifest.Entry e : manifest.entries()) {
            if (e.type() == AofManifest.Type.INCR && e.seq() >= r.incrSeq()) next.add(e);
            else history.add(e);
        }
        next.write(manifestPath());
        Log.notice("Successfully renamed the temporary AOF base file into " + r.baseName());
        manifest = next;
        for (AofManifest.Entry h : history) {
            Log.notice("Removing the history file " + h.file() + " in the background");
            Files.deleteIfExists(dir.resolve(h.file()));
        }
        measure();
    }

    private static AofManifest copy(AofManifest m) {
        AofManifest c = new AofManifest();
        for (AofManifest.Entry e : m.entries()) c.add(e);
        return c;
    }

    /**
     * A rewrite done at once (turning the AOF on, or BGREWRITEAOF while it is off): the caller
     * holds every shard lock for the whole of it, so the base is the data of that instant.
     */
    public void rewrite(BaseWriter base) throws IOException {
        Rewrite r = beginRewrite();
        base.write(dir.resolve(r.baseName()));
        finishRewrite(r);
        if (!active) {
            active = true;
            startFlusher();
        }
    }
}
