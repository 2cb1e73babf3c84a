package io.jackdaw.persist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * jackdaw-check-aof, as redis-check-aof: checks a multi-part AOF from its manifest (the base,
 * RDB or commands, then each incr file), or one file on its own, and with {@code --fix} cuts
 * the last file back to its last whole command after asking. Exit status 0 when everything is
 * valid (or was fixed), 1 otherwise.
 */
public final class CheckAof {
    private final PrintStream out;
    private final BufferedReader answers;
    private final boolean fix;

    private CheckAof(PrintStream out, InputStream in, boolean fix) {
        this.out = out;
        this.answers = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.fix = fix;
    }

    public static void main(String[] args) {
        boolean fix = args.length == 2 && args[0].equals("--fix");
        if (args.length != 1 && !fix) {
            System.err.println("Usage: jackdaw-check-aof [--fix] <file.manifest|file.aof|file.rdb>");
            System.exit(1);
        }
        System.exit(check(Path.of(args[args.length - 1]), fix, System.out, System.in) ? 0 : 1);
    }

    /** Checks (and with {@code fix} repairs) the file or the manifest's files; true when all is valid afterwards. */
    public static boolean check(Path file, boolean fix, PrintStream out, InputStream answers) {
        CheckAof c = new CheckAof(out, answers, fix);
        try {
            return file.getFileName().toString().endsWith(".manifest") ? c.multiPart(file) : c.single(file, "AOF", true);
        } catch (IOException e) {
            out.println("Cannot read " + file + ": " + e.getMessage());
            return false;
        }
    }

    private boolean multiPart(Path manifestFile) throws IOException {
        out.println("Start checking Multi Part AOF");
        AofManifest m;
        try {
            m = AofManifest.parse(Files.readString(manifestFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.println("Invalid AOF manifest file format: " + e.getMessage());
            return false;
        }
        Path dir = manifestFile.getParent() == null ? Path.of(".") : manifestFile.getParent();
        List<AofManifest.Entry> incrs = new ArrayList<>(m.incrs());
        if (m.base() != null) {
            Path base = dir.resolve(m.base().file());
            out.println("Start to check BASE AOF (" + (isRdb(base) ? "RDB" : "RESP") + " format).");
            if (!single(base, "BASE AOF", incrs.isEmpty())) return false;
        }
        if (!incrs.isEmpty()) out.println("Start to check INCR files.");
        for (int i = 0; i < incrs.size(); i++) {
            if (!single(dir.resolve(incrs.get(i).file()), "INCR AOF", i == incrs.size() - 1)) return false;
        }
        out.println("All AOF files and manifest are valid");
        return true;
    }

    private static boolean isRdb(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** One file: an RDB base goes to the RDB checker, commands are parsed to their last whole one. */
    private boolean single(Path p, String kind, boolean last) throws IOException {
        String name = p.getFileName().toString();
        if (!Files.exists(p)) {
            out.println("File " + name + " does not exist");
            return false;
        }
        if (isRdb(p)) {
            if (!CheckRdb.check(p, out)) return false;
            out.println(kind + " " + name + " is valid");
            return true;
        }
        AofLoader.Check c = AofLoader.check(p);
        long diff = c.size() - c.okUpTo();
        out.println("AOF analyzed: filename=" + name + ", size=" + c.size() + ", ok_up_to=" + c.okUpTo() + ", ok_up_to_line="
                + linesUpTo(p, c.okUpTo()) + ", diff=" + diff);
        if (diff == 0) {
            out.println(kind + " " + name + " is valid");
            return true;
        }
        out.println("Problem: " + c.problem());
        if (!fix) {
            out.println(kind + " " + name + " is not valid. Use the --fix option to try fixing it.");
            return false;
        }
        if (!last) {
            out.println("Failed to truncate AOF " + name + " because it is not the last file");
            return false;
        }
        out.println("This will shrink the AOF " + name + " from " + c.size() + " bytes, with " + diff + " bytes, to " + c.okUpTo() + " bytes");
        out.print("Continue? [y/N]: ");
        out.flush();
        String answer = answers.readLine();
        if (answer == null || !answer.regionMatches(true, 0, "y", 0, 1)) {
            out.println("Aborting...");
            return false;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(c.okUpTo());
            ch.force(true);
        }
        out.println("Successfully truncated AOF " + name);
        return true;
    }

    /** Line number (1-based) of the first byte after the valid part, as redis-check-aof's ok_up_to_line. */
    private static long linesUpTo(Path p, long offset) throws IOException {
        long lines = 1, read = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p))) {
            int b;
            while (read < offset && (b = in.read()) >= 0) {
                read++;
                if (b == '\n') lines++;
            }
        }
        return lines;
    }
}
