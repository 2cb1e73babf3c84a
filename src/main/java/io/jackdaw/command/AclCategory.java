package io.jackdaw.command;

import java.util.List;
import java.util.Locale;

/** ACL categories as bits, in the order Redis prints them. */
public final class AclCategory {
    private AclCategory() {}

    public static final List<String> NAMES = List.of(
            "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog",
            "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
            "transaction", "scripting");

    public static long bit(String name) {
        int i = NAMES.indexOf(name.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : 1L << i;
    }

    static final long READ = bit("read"), WRITE = bit("write"), ADMIN = bit("admin"), DANGEROUS = bit("dangerous"),
            PUBSUB = bit("pubsub"), FAST = bit("fast"), SLOW = bit("slow"), BLOCKING = bit("blocking"),
            SCRIPTING = bit("scripting");

    /** Adds the categories Redis derives from command flags. */
    static long withImplicit(long categories, long flags) {
        long c = categories;
        if ((flags & CommandFlags.WRITE) != 0) c |= WRITE;
        if ((flags & CommandFlags.READONLY) != 0 && (c & SCRIPTING) == 0) c |= READ;
        if ((flags & CommandFlags.ADMIN) != 0) c |= ADMIN | DANGEROUS;
        if ((flags & CommandFlags.PUBSUB) != 0) c |= PUBSUB;
        if ((flags & CommandFlags.FAST) != 0) c |= FAST;
        if ((flags & CommandFlags.BLOCKING) != 0) c |= BLOCKING;
        if ((c & FAST) == 0) c |= SLOW;
        return c;
    }
}
