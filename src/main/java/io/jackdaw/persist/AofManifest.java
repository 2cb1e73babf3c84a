package io.jackdaw.persist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of Redis 7's multi-part append-only file: which files make up the data, one
 * line each, in the order they are loaded.
 *
 * <pre>
 * file appendonly.aof.3.base.rdb seq 3 type b      the base: a snapshot (RDB, or commands in .base.aof)
 * file appendonly.aof.5.incr.aof seq 5 type i      commands after it, oldest first; the last one is written to
 * file appendonly.aof.2.base.rdb seq 2 type h      history, replaced by a rewrite and deleted
 * </pre>
 */
public final class AofManifest {
    public enum Type { BASE, INCR, HISTORY }

    public record Entry(String file, long seq, Type type) {}

    private final List<Entry> entries = new ArrayList<>();

    public List<Entry> entries() { return entries; }

    public Entry base() {
        for (Entry e : entries) if (e.type == Type.BASE) return e;
        return null;
    }

    public List<Entry> incrs() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) if (e.type == Type.INCR) out.add(e);
        return out;
    }

    public long lastBaseSeq() {
        long n = 0;
        for (Entry e : entries) if (e.type != Type.INCR && e.file.contains(".base.")) n = Math.max(n, e.seq);
        return n;
    }

    public long lastIncrSeq() {
        long n = 0;
        for (Entry e : entries) if (e.file.contains(".incr.")) n = Math.max(n, e.seq);
        return n;
    }

    public void add(Entry e) { entries.add(e); }

    /** The base and every incr file become history (a rewrite replaced them). */
    public void retireAll() {
        entries.replaceAll(e -> e.type == Type.HISTORY ? e : new Entry(e.file, e.seq, Type.HISTORY));
    }

    public List<Entry> history() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) if (e.type == Type.HISTORY) out.add(e);
        return out;
    }

    public void dropHistory() { entries.removeIf(e -> e.type == Type.HISTORY); }

    /** Parses a manifest; a malformed one is an {@link IOException} naming the line, as Redis refuses to start on it. */
    public static AofManifest parse(String text) throws IOException {
        AofManifest m = new AofManifest();
        int lineNo = 0;
        boolean base = false;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            List<String> words = split(l);
            String file = null, type = null;
            long seq = -1;
            for (int i = 0; i + 1 < words.size(); i += 2) {
                switch (words.get(i)) {
                    case "file" -> file = words.get(i + 1);
                    case "seq" -> seq = parseSeq(words.get(i + 1));
                    case "type" -> type = words.get(i + 1);
                    default -> { } // later versions may add keys: ignored, as Redis does
                }
            }
            if (words.size() % 2 != 0 || file == null || seq < 0 || type == null || type.length() != 1) {
                throw new IOException("Invalid AOF manifest file format, at line " + lineNo + ": '" + line + "'");
            }
            Type t = switch (type.charAt(0)) {
                case 'b' -> Type.BASE;
                case 'i' -> Type.INCR;
                case 'h' -> Type.HISTORY;
                default -> throw new IOException("Unknown AOF file type, at line " + lineNo + ": '" + line + "'");
            };
            if (t == Type.BASE) {
                if (base) throw new IOException("Found duplicate base file information, at line " + lineNo);
                base = true;
            }
            m.entries.add(new Entry(file, seq, t));
        }
        return m;
    }

    private static long parseSeq(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Words separated by spaces; a word in double quotes may hold spaces (a file name). */
    private static List<String> split(String l) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < l.length()) {
            while (i < l.length() && l.charAt(i) == ' ') i++;
            if (i >= l.length()) break;
            StringBuilder w = new StringBuilder();
            if (l.charAt(i) == '"') {
                i++;
                while (i < l.length() && l.charAt(i) != '"') {
                    if (l.charAt(i) == '\\' && i + 1 < l.length()) i++;
                    w.append(l.charAt(i++));
                }
                i++;
            } else {
                while (i < l.length() && l.charAt(i) != ' ') w.append(l.charAt(i++));
            }
            out.add(w.toString());
        }
        return out;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        // Base first, then history, then incr files in order, as Redis writes it.
        for (Type t : new Type[] {Type.BASE, Type.HISTORY, Type.INCR}) {
            for (Entry e : entries) {
                if (e.type != t) continue;
                String name = e.file.indexOf(' ') >= 0 ? '"' + e.file.replace("\"", "\\\"") + '"' : e.file;
                sb.append("file ").append(name).append(" seq ").append(e.seq).append(" type ")
                        .append(t == Type.BASE ? 'b' : t == Type.INCR ? 'i' : 'h').append('\n');
            }
        }
        return sb.toString();
    }

    /** Writes the manifest through a temporary file, forced and renamed over the old one. */
    public void write(Path file) throws IOException {
        Path temp = file.resolveSibling("temp-" + file.getFileName());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(format().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
    }

    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems refuse to open a directory; the rename is still atomic
        }
    }
}
