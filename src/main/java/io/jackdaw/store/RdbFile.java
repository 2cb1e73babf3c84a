package io.jackdaw.store;

import io.jackdaw.types.Crc64;
import io.jackdaw.types.RdbFormatException;
import io.jackdaw.types.RdbInput;
import io.jackdaw.types.RdbOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The dump.rdb file, in Redis's format (version 11, what Redis 7.2 writes and Valkey 8 reads);
 * values are written and read by {@link RdbValues}. Loading accepts versions 1 to 12.
 *
 * <pre>
 * "REDIS" version:4 ascii digits
 * (0xFA aux-key:string aux-value:string)*            redis-ver, redis-bits, ctime, used-mem, aof-base
 * (0xF5 library-code:string)*                        function libraries
 * per non-empty database:
 *   0xFE db:length  0xFB keys:length keys-with-expiry:length
 *   per key: [0xFC expire-ms:u64 LE] [0xF8 idle-seconds:length | 0xF9 lfu-counter:u8]
 *            value-type:u8 key:string value
 * 0xFF crc64:u64 LE                                  over every byte before it; 0 when rdbchecksum is off
 * </pre>
 *
 * A snapshot is written to a temporary file in the same directory, forced to disk and renamed
 * over the target, so a crash leaves either the old file or the new one.
 */
public final class RdbFile {
    private RdbFile() {}

    public static final int VERSION = RdbValues.VERSION;
    public static final int OP_FUNCTION2 = 245, OP_FUNCTION_PRE_GA = 246, OP_MODULE_AUX = 247, OP_IDLE = 248, OP_FREQ = 249,
            OP_AUX = 250, OP_RESIZEDB = 251, OP_EXPIRETIME_MS = 252, OP_EXPIRETIME = 253, OP_SELECTDB = 254, OP_EOF = 255;

    /** What the file carries besides the keyspace: function libraries (code as FUNCTION LOAD takes it). */
    public interface Functions {
        Iterable<byte[]> libraries();

        /** Loads one library from a file ({@code replace}: DEBUG RELOAD MERGE); an exception message says why it cannot. */
        void load(byte[] code, boolean replace) throws Exception;

        /** Removes every library (a reload that empties the server first). */
        default void flush() { }

        Functions NONE = new Functions() {
            @Override public Iterable<byte[]> libraries() { return java.util.List.of(); }

            @Override public void load(byte[] code, boolean replace) throws Exception {
                throw new Exception("function libraries are not supported here");
            }
        };
    }

    /** How to write: LZF for strings (rdbcompression), the checksum (rdbchecksum), and the access info the eviction policy keeps. */
    public record SaveOptions(boolean compress, boolean checksum, boolean saveLru, boolean saveLfu, String version, long usedMemory,
            boolean aofBase) {
        /** The same options for the base file of the append-only file (aux field aof-base 1). */
        public SaveOptions forAofBase() { return new SaveOptions(compress, checksum, saveLru, saveLfu, version, usedMemory, true); }
    }

    /**
     * Writes every database to {@code target} (through a temporary file and a rename). The
     * caller holds every shard lock. Returns the number of keys written.
     */
    public static long save(Keyspace ks, Path target, SaveOptions opt, Functions functions, long nowMs) throws IOException {
        long[] keys = new long[1];
        replaceAtomically(target, file -> {
            Sink out = new Sink(file, opt.compress());
            header(out.buf, opt, functions, nowMs);
            out.flush();
            Database view = new Database(ks);
            for (int db = 0; db < ks.databases(); db++) {
                long size = 0, expires = 0;
                for (int s = 0; s < ks.shardCount(); s++) {
                    KeyTable t = ks.shard(s).tableIfPresent(db);
                    if (t != null) {
                        size += t.size();
                        expires += t.ttlCount();
                    }
                }
                if (size == 0) continue;
                out.buf.writeByte(OP_SELECTDB);
                out.buf.writeLength(db);
                out.buf.writeByte(OP_RESIZEDB);
                out.buf.writeLength(size);
                out.buf.writeLength(expires);
                view.at(db, nowMs);
                view.noTouch(true);
                for (int s = 0; s < ks.shardCount(); s++) {
                    KeyTable t = ks.shard(s).tableIfPresent(db);
                    if (t == null) continue;
                    for (int slot = 0, n = t.capacity(); slot < n; slot++) {
                        if (!t.occupied(slot)) continue;
                        view.positionAt(t, slot);
                        entry(out.buf, out.scratch, view, ks, opt, nowMs);
                        out.flush();
                        keys[0]++;
                    }
                }
            }
            out.flush();
            file.write(footer(out.crc, opt));
        });
        return keys[0];
    }

    /** Writes the body of a file. */
    interface Body {
        void write(OutputStream file) throws IOException;
    }

    /**
     * Writes {@code target} through {@code temp-<pid>-<thread>.rdb} in the same directory,
     * forced to disk and renamed over it, then forces the directory: a crash leaves the old
     * file or the new one, never a mix.
     */
    static void replaceAtomically(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId() + ".rdb");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
                OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
                OutputStream file = new java.io.BufferedOutputStream(raw, 1 << 16)) {
            body.write(file);
            file.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself reaches the disk
        } catch (IOException ignored) {
            // some file systems refuse to open a directory; the rename is still atomic
        }
    }

    /** The file's start: signature and version, aux fields, function libraries. */
    static void header(RdbOutput out, SaveOptions opt, Functions functions, long nowMs) {
        out.writeRaw(("REDIS" + String.format("%04d", VERSION)).getBytes(StandardCharsets.US_ASCII), 0, 9);
        aux(out, "redis-ver", opt.version());
        aux(out, "redis-bits", "64");
        auxInt(out, "ctime", nowMs / 1000);
        auxInt(out, "used-mem", opt.usedMemory());
        auxInt(out, "aof-base", opt.aofBase() ? 1 : 0);
        for (byte[] lib : functions.libraries()) {
            out.writeByte(OP_FUNCTION2);
            out.writeString(lib);
        }
    }

    /** One key at the view's position: its expiry, idle time or LFU counter, type byte, key and value. */
    static void entry(RdbOutput out, RdbOutput scratch, Database view, Keyspace ks, SaveOptions opt, long nowMs) {
        long expireAt = view.expireAt();
        if (expireAt >= 0) {
            out.writeByte(OP_EXPIRETIME_MS);
            out.writeLongLE(expireAt);
        }
        int access = view.accessField();
        if (opt.saveLru()) {
            out.writeByte(OP_IDLE);
            out.writeLength(ks.access().idleSeconds(access, nowMs));
        } else if (opt.saveLfu()) {
            out.writeByte(OP_FREQ);
            out.writeByte(ks.access().decayed(access, nowMs));
        }
        // Type byte, key, value: writeFound writes the type and the value; the key goes between.
        scratch.reset();
        RdbValues.writeFound(view, scratch);
        out.writeByte(scratch.buffer()[0] & 0xFF);
        out.writeString(view.foundKey());
        out.writeRaw(scratch.buffer(), 1, scratch.size() - 1);
    }

    /** The end: EOF opcode and the CRC-64 of everything before it (the CRC given covers what precedes the EOF byte). */
    static byte[] footer(long crcBefore, SaveOptions opt) {
        byte[] eof = {(byte) OP_EOF};
        long crc = opt.checksum() ? Crc64.update(crcBefore, eof, 0, 1) : 0;
        byte[] tail = new byte[9];
        tail[0] = eof[0];
        for (int i = 0; i < 8; i++) tail[1 + i] = (byte) (crc >>> (8 * i));
        return tail;
    }

    /** Buffered output that keeps the running CRC64 of what it wrote. */
    private static final class Sink {
        final OutputStream file;
        final RdbOutput buf, scratch;
        long crc;

        Sink(OutputStream file, boolean compress) {
            this.file = file;
            this.buf = new RdbOutput(1 << 16, compress);
            this.scratch = new RdbOutput(1 << 12, compress);
        }

        void flush() throws IOException {
            if (buf.size() == 0) return;
            crc = Crc64.update(crc, buf.buffer(), 0, buf.size());
            file.write(buf.buffer(), 0, buf.size());
            buf.reset();
        }
    }

    private static void aux(RdbOutput out, String key, String value) {
        out.writeByte(OP_AUX);
        out.writeString(key.getBytes(StandardCharsets.US_ASCII));
        out.writeString(value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void auxInt(RdbOutput out, String key, long value) {
        out.writeByte(OP_AUX);
        out.writeString(key.getBytes(StandardCharsets.US_ASCII));
        out.writeLongAsString(value);
    }

    /** What a load did (INFO's rdb_last_load_keys_loaded and _expired). */
    public record LoadResult(long keysLoaded, long keysExpired, int version) {}

    /**
     * Loads a file into the (empty) keyspace, as Redis's rdbLoad: keys already expired are
     * skipped, a bad checksum or a malformed file is refused with a message saying where. The
     * caller holds every shard lock.
     */
    public static LoadResult load(Keyspace ks, Path file, RdbValues.Limits limits, Functions functions, long nowMs,
            boolean merge) throws IOException, RdbFormatException {
        byte[] data = Files.readAllBytes(file);
        return load(ks, data, limits, functions, nowMs, merge, false);
    }

    /**
     * Loads the RDB base of the append-only file: as {@link #load}, but keys already expired are
     * kept, as Redis keeps them for an AOF preamble (the commands after it may still touch them).
     */
    public static LoadResult loadAofBase(Keyspace ks, Path file, RdbValues.Limits limits, Functions functions, long nowMs)
            throws IOException, RdbFormatException {
        return load(ks, Files.readAllBytes(file), limits, functions, nowMs, false, true);
    }

    static LoadResult load(Keyspace ks, byte[] data, RdbValues.Limits limits, Functions functions, long nowMs, boolean merge) {
        return load(ks, data, limits, functions, nowMs, merge, false);
    }

    /** The version from the file's 9-byte header ("REDIS" and four digits), refused as Redis refuses it. */
    public static int version(byte[] data) {
        if (data.length < 9 || !new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            int d = data[i] - '0';
            if (d < 0 || d > 9) throw new RdbFormatException("Can't handle RDB format version " + new String(data, 5, 4, StandardCharsets.US_ASCII));
            version = version * 10 + d;
        }
        if (version < 1 || version > RdbValues.MAX_VERSION) throw new RdbFormatException("Can't handle RDB format version " + version);
        return version;
    }

    /** As {@link #load(Keyspace, Path, RdbValues.Limits, Functions, long, boolean)}; {@code merge} lets a key or library replace one already there. */
    private static LoadResult load(Keyspace ks, byte[] data, RdbValues.Limits limits, Functions functions, long nowMs,
            boolean merge, boolean keepExpired) {
        int version = version(data);
        RdbInput in = new RdbInput(data, 0, data.length);
        in.readRaw(9);
        Database db = new Database(ks);
        db.at(0, nowMs);
        long loaded = 0, expired = 0, expireAt = -1;
        int access = -1;
        boolean lfuField = false;
        while (true) {
            int type = in.readByte();
            switch (type) {
                case OP_EXPIRETIME -> expireAt = (in.readIntLE() & 0xFFFFFFFFL) * 1000;
                case OP_EXPIRETIME_MS -> expireAt = in.readLongLE();
                case OP_IDLE -> {
                    access = (int) Math.min(in.readLength(), Integer.MAX_VALUE);
                    lfuField = false;
                }
                case OP_FREQ -> {
                    access = in.readByte();
                    lfuField = true;
                }
                case OP_SELECTDB -> {
                    long n = in.readLength();
                    if (n >= ks.databases()) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured to handle more than "
                                + ks.databases() + " databases. Exiting");
                    }
                    db.at((int) n, nowMs);
                }
                case OP_RESIZEDB -> {
                    in.readLength();
                    in.readLength();
                }
                case OP_AUX -> {
                    in.readString();
                    in.readString();
                }
                case OP_MODULE_AUX -> throw new RdbFormatException("The RDB file contains AUX module data I can't load: no modules here");
                case OP_FUNCTION_PRE_GA -> throw new RdbFormatException("Pre-GA function format not supported");
                case OP_FUNCTION2 -> {
                    byte[] code = in.readString();
                    try {
                        functions.load(code, merge);
                    } catch (Exception e) {
                        throw new RdbFormatException("Failed loading library: " + e.getMessage());
                    }
                }
                case OP_EOF -> {
                    if (version >= 5 && in.remaining() >= 8) {
                        long stored = in.readLongLE();
                        long crc = Crc64.update(0, data, 0, data.length - 8);
                        if (stored != 0 && stored != crc) throw new RdbFormatException("Wrong RDB checksum. Aborting now.");
                    }
                    return new LoadResult(loaded, expired, version);
                }
                default -> {
                    byte[] key = in.readString();
                    RdbValues.Loaded value = RdbValues.read(type, in, limits);
                    if (!keepExpired && expireAt >= 0 && expireAt < nowMs) {
                        expired++; // as a master does: an expired key is not loaded
                    } else if (!merge && (keepExpired ? db.findNoExpire(key, 0, key.length) : db.findNoTouch(key, 0, key.length))) {
                        throw new RdbFormatException("RDB has duplicated key '" + new String(key, StandardCharsets.UTF_8)
                                + "' in DB " + db.index());
                    } else if (value.store(db, key, 0, key.length, limits, expireAt)) {
                        if (access >= 0 && (keepExpired ? db.findNoExpire(key, 0, key.length) : db.findNoTouch(key, 0, key.length))) {
                            AccessTracking at = ks.access();
                            if (lfuField && at.lfu()) db.setAccessFound(at.withFrequency(access, nowMs));
                            else if (!lfuField && !at.lfu()) db.setAccessFound(at.withIdle(access, nowMs));
                        }
                        loaded++;
                    }
                    expireAt = -1;
                    access = -1;
                }
            }
        }
    }
}
