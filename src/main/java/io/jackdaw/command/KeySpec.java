package io.jackdaw.command;

import java.util.List;

/**
 * Where a command's keys sit among its arguments (Redis key specs): a begin-search step
 * (a fixed index, or the argument after a keyword) and a find-keys step (a range, or a
 * count argument followed by that many keys). Drives key extraction for shard locking and
 * COMMAND GETKEYS.
 */
public record KeySpec(
        long flags, String notes,
        BeginType beginType, int index, String keyword, int startFrom,
        FindType findType, int lastKey, int keyStep, int limit, int keyNumIndex, int firstKey) {

    public enum BeginType { INDEX, KEYWORD, UNKNOWN }

    public enum FindType { RANGE, KEYNUM, UNKNOWN }

    /** Key-spec flags, in the order Redis prints them. */
    public static final List<String> FLAG_NAMES = List.of(
            "RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags");

    public static final long NOT_KEY = 1L << FLAG_NAMES.indexOf("not_key");
    public static final long INCOMPLETE = 1L << FLAG_NAMES.indexOf("incomplete");

    static long parseFlag(String name) {
        for (int i = 0; i < FLAG_NAMES.size(); i++) if (FLAG_NAMES.get(i).equalsIgnoreCase(name)) return 1L << i;
        throw new IllegalArgumentException("unknown key spec flag: " + name);
    }

    /** Receives key positions; returns false to stop early. */
    public interface KeySink {
        void key(int argIndex, long flags);
    }

    /**
     * Finds the keys of one spec among {@code args} (argv[0] is the command).
     *
     * @return false when the arguments do not fit the spec (Redis's "invalid spec")
     */
    public boolean extract(CommandArgs args, int argc, KeySink sink) {
        int first;
        switch (beginType) {
            case INDEX -> first = index;
            case KEYWORD -> {
                first = 0;
                int start = startFrom > 0 ? startFrom : argc + startFrom;
                int end = startFrom > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) break;
                    if (args.is(i, keyword)) { // keywords are upper case in the table; no copy per call
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) return true; // keyword absent: no keys from this spec
            }
            default -> { return false; }
        }
        int last, step;
        switch (findType) {
            case RANGE -> {
                step = keyStep;
                if (lastKey >= 0) last = first + lastKey;
                else if (limit == 0) last = argc + lastKey;
                else last = first + ((argc - first) / limit + lastKey);
            }
            case KEYNUM -> {
                step = keyStep;
                int at = first + keyNumIndex;
                if (keyNumIndex >= argc || at >= argc || !args.parseLong(at) || args.lastLong() < 0) return false;
                long n = args.lastLong();
                first += firstKey;
                if (n > argc) return false;
                last = first + (int) n - 1;
            }
            default -> { return false; }
        }
        if (last >= argc || last < first || first >= argc) return false;
        for (int i = first; i <= last; i += step) sink.key(i, flags);
        return true;
    }
}
