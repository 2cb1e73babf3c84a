package io.jackdaw.common;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's line format ({@code pid:M 22 Nov 2026 04:39:48.123 * text}) so
 * that tools which read Redis logs read ours. Level chars: {@code .} debug, {@code -} verbose,
 * {@code *} notice, {@code #} warning.
 */
public final class Log {
    public enum Level { DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#'), NOTHING(' ');
        final char mark;

        Level(char mark) { this.mark = mark; }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
    private static final long PID = ProcessHandle.current().pid();
    private static volatile Level level = Level.NOTICE;
    private static volatile PrintStream out = System.out;

    private Log() {}

    public static void setLevel(Level l) { level = l; }

    public static Level level() { return level; }

    /** Sends the log to a file (appending), or to standard output for an empty path. */
    public static void setFile(String path) throws IOException {
        PrintStream old = out;
        out = path == null || path.isEmpty() ? System.out
                : new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        if (old != System.out && old != out) old.close();
    }

    public static Level parseLevel(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.VERBOSE;
            case "notice" -> Level.NOTICE;
            case "warning" -> Level.WARNING;
            case "nothing" -> Level.NOTHING;
            default -> null;
        };
    }

    public static void debug(String msg) { log(Level.DEBUG, msg); }

    public static void verbose(String msg) { log(Level.VERBOSE, msg); }

    public static void notice(String msg) { log(Level.NOTICE, msg); }

    public static void warning(String msg) { log(Level.WARNING, msg); }

    public static void log(Level l, String msg) {
        if (l.ordinal() < level.ordinal() || level == Level.NOTHING) return;
        out.println(PID + ":M " + TIME.format(ZonedDateTime.now()) + " " + l.mark + " " + msg);
    }

    /** Unformatted lines (the banner), still only to the log destination. */
    public static void raw(String text) { out.println(text); }
}
