package io.jackdaw.persist;

import io.jackdaw.common.Log;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the files of an append-only file in manifest order: the base (an RDB snapshot, or
 * commands), then each incr file, command by command. A transaction is run when its EXEC is
 * read. A file that ends in the middle of a command, or of a MULTI, is a torn tail: with
 * aof-load-truncated it is cut back to the last whole command (or to before the MULTI) and
 * loading goes on, as Redis does; only the last file may be torn. Anything else that is not
 * a command stops the start with a message that points at jackdaw-check-aof.
 */
public final class AofLoader {
    /** Runs one replayed command; returns false when the command is unknown. */
    public interface Replayer {
        boolean run(List<byte[]> argv);
    }

    /** Loads an RDB base file. */
    public interface RdbLoader {
        void load(Path file) throws Exception;
    }

    /** Why loading stopped; the message is what Redis logs. */
    public static final class AofLoadException extends Exception {
        public AofLoadException(String message) { super(message); }
    }

    /** The longest argument count or length accepted, as the network limits would (a corrupt header is not an allocation). */
    private static final long MAX_ARGS = 1L << 20, MAX_BULK = 512L * 1024 * 1024;

    private AofLoader() {}

    /** Loads every file of the manifest; returns the number of commands replayed. */
    public static long load(Path dir, AofManifest m, boolean truncateAllowed, RdbLoader rdb, Replayer r) throws AofLoadException {
        List<AofManifest.Entry> files = new ArrayList<>();
        if (m.base() != null) files.add(m.base());
        files.addAll(m.incrs());
        long commands = 0;
        for (int i = 0; i < files.size(); i++) {
            AofManifest.Entry e = files.get(i);
            Path p = dir.resolve(e.file());
            if (!Files.exists(p)) {
                throw new AofLoadException("The append log file " + e.file() + " doesn't exist: No such file or directory");
            }
            long start = System.nanoTime();
            Outcome o = loadFile(p, e.file(), truncateAllowed, rdb, r);
            commands += o.commands;
            if (o.truncated && i != files.size() - 1) throw new AofLoadException("Fatal error: the truncated file is not the last file");
            Log.notice(String.format("DB loaded from %s file %s: %.3f seconds", e.type() == AofManifest.Type.BASE ? "base" : "incr",
                    e.file(), (System.nanoTime() - start) / 1e9));
        }
        return commands;
    }

    /** How a file ended: {@code okUpTo} is the end of its last whole command (or of what came before an unfinished MULTI). */
    private record Outcome(long commands, boolean truncated, long okUpTo, String problem) {
        Outcome(long commands, boolean truncated) { this(commands, truncated, -1, null); }
    }

    /** What {@link #check} found in one file of commands: {@code problem} is null when the whole file is valid. */
    public record Check(long size, long okUpTo, String problem) {}

    /**
     * Reads a file of commands without running them or changing it (jackdaw-check-aof): where
     * its valid part ends and, if it does not reach the end, why.
     */
    public static Check check(Path p) throws IOException {
        long size = Files.size(p);
        try (Counting in = new Counting(new BufferedInputStream(Files.newInputStream(p), 1 << 16))) {
            Outcome o = replay(in, p, p.getFileName().toString(), Mode.CHECK, argv -> true);
            return o.problem == null ? new Check(size, size, null) : new Check(size, o.okUpTo, o.problem);
        } catch (AofLoadException e) {
            throw new IllegalStateException(e); // CHECK mode reports rather than throws
        }
    }

    /** What a torn tail or a malformed command does: stop the load, cut it off (aof-load-truncated), or only report it. */
    private enum Mode { STRICT, TRUNCATE, CHECK }

    private static Outcome loadFile(Path p, String name, boolean truncateAllowed, RdbLoader rdb, Replayer r) throws AofLoadException {
        long size;
        try {
            size = Files.size(p);
        } catch (IOException e) {
            throw new AofLoadException("Fatal error: can't open the append log file " + name + " for reading: " + e.getMessage());
        }
        if (size == 0) return new Outcome(0, false);
        try (Counting in = new Counting(new BufferedInputStream(Files.newInputStream(p), 1 << 16))) {
            in.mark(5);
            byte[] sig = in.readNBytes(5);
            if (sig.length == 5 && new String(sig, StandardCharsets.US_ASCII).equals("REDIS")) {
                Log.notice("Reading RDB base file on AOF loading...");
                try {
                    rdb.load(p);
                } catch (Exception e) {
                    Log.warning("Error reading the RDB base file " + name + ", AOF loading aborted");
                    throw new AofLoadException("Error reading the RDB base file " + name + ": " + e.getMessage());
                }
                return new Outcome(0, false);
            }
            in.reset();
            in.count = 0;
            return replay(in, p, name, truncateAllowed ? Mode.TRUNCATE : Mode.STRICT, r);
        } catch (IOException e) {
            throw new AofLoadException("Unrecoverable error reading the append only file " + name + ": " + e.getMessage());
        }
    }

    private static Outcome replay(Counting in, Path p, String name, Mode mode, Replayer r) throws AofLoadException, IOException {
        long validUpTo = 0, validBeforeMulti = 0, commands = 0;
        List<List<byte[]>> multi = null;
        while (true) {
            int first = in.read();
            if (first < 0) break; // a clean end
            List<byte[]> argv;
            try {
                if (first == '#') { // an annotation (aof-timestamp-enabled)
                    readLine(in);
                    validUpTo = in.count;
                    continue;
                }
                if (first != '*') throw new Malformed();
                long argc = parseNumber(readLine(in));
                if (argc < 1 || argc > MAX_ARGS) throw new Malformed();
                argv = new ArrayList<>((int) argc);
                for (long j = 0; j < argc; j++) {
                    int b = in.read();
                    if (b < 0) throw new EOFException();
                    if (b != '$') throw new Malformed();
                    long len = parseNumber(readLine(in));
                    if (len < 0 || len > MAX_BULK) throw new Malformed();
                    byte[] arg = in.readNBytes((int) len);
                    if (arg.length != len) throw new EOFException();
                    if (in.read() < 0 || in.read() < 0) throw new EOFException();
                    argv.add(arg);
                }
            } catch (EOFException e) {
                if (mode == Mode.CHECK) return new Outcome(commands, false, validUpTo, "the file ends in the middle of a command");
                return tornTail(p, name, mode == Mode.TRUNCATE, validUpTo, commands);
            } catch (Malformed e) {
                if (mode == Mode.CHECK) return new Outcome(commands, false, validUpTo, "bad format at offset " + validUpTo);
                throw new AofLoadException("Bad file format reading the append only file " + name
                        + ": make a backup of your AOF file, then use bin/jackdaw-check-aof --fix <filename.manifest>");
            }
            String cmd = new String(argv.get(0), StandardCharsets.ISO_8859_1);
            if (cmd.equalsIgnoreCase("multi") && multi == null) {
                validBeforeMulti = validUpTo;
                multi = new ArrayList<>();
            } else if (cmd.equalsIgnoreCase("exec") && multi != null) {
                for (List<byte[]> q : multi) {
                    if (!r.run(q)) throw unknown(q, name);
                    commands++;
                }
                multi = null;
            } else if (multi != null) {
                multi.add(argv);
            } else {
                if (!r.run(argv)) throw unknown(argv, name);
                commands++;
            }
            validUpTo = in.count;
        }
        if (multi != null) {
            if (mode == Mode.CHECK) return new Outcome(commands, false, validBeforeMulti, "a MULTI without its EXEC");
            Log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            return tornTail(p, name, mode == Mode.TRUNCATE, validBeforeMulti, commands);
        }
        return new Outcome(commands, false);
    }

    private static AofLoadException unknown(List<byte[]> argv, String name) {
        String msg = "Unknown command '" + new String(argv.get(0), StandardCharsets.UTF_8) + "' reading the append only file " + name;
        Log.warning(msg);
        return new AofLoadException(msg);
    }

    private static Outcome tornTail(Path p, String name, boolean truncateAllowed, long validUpTo, long commands) throws AofLoadException {
        if (!truncateAllowed) {
            throw new AofLoadException("Unexpected end of file reading the append only file " + name + ". You can: "
                    + "1) Make a backup of your AOF file, then use bin/jackdaw-check-aof --fix <filename.manifest>. "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        }
        Log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
        Log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(validUpTo);
            ch.force(true);
        } catch (IOException e) {
            throw new AofLoadException("Error truncating the AOF file " + name + ": " + e.getMessage());
        }
        Log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
        return new Outcome(commands, true);
    }

    private static final class Malformed extends Exception {
        Malformed() { super(null, null, false, false); }
    }

    /** A line up to CRLF, without it; the end of the file before the CRLF is a torn tail. */
    private static String readLine(InputStream in) throws IOException, Malformed {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException();
            if (b == '\r') {
                int n = in.read();
                if (n < 0) throw new EOFException();
                if (n != '\n') throw new Malformed();
                return sb.toString();
            }
            if (sb.length() > 1024) throw new Malformed();
            sb.append((char) b);
        }
    }

    private static long parseNumber(String s) throws Malformed {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Malformed();
        }
    }

    /** Counts the bytes read, for the offset of the last whole command. */
    private static final class Counting extends java.io.FilterInputStream {
        long count, markCount;

        Counting(InputStream in) { super(in); }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override public synchronized void mark(int limit) {
            super.mark(limit);
            markCount = count;
        }

        @Override public synchronized void reset() throws IOException {
            super.reset();
            count = markCount;
        }
    }
}
