package io.jackdaw.command;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (Redis's notify.c): a write announces what it did to a key as a
 * pub/sub message on {@code __keyspace@<db>__:<key>} (the event's name) and on
 * {@code __keyevent@<db>__:<event>} (the key), as {@code notify-keyspace-events} selects by
 * class. Sent by the command while it still holds the key's shard lock, so subscribers see the
 * events in the order the writes happened.
 */
public final class KeyspaceEvents {
    private KeyspaceEvents() {}

    // Redis's NOTIFY_* bits, so the classes read as notify.c's.
    public static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
            SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
            KEY_MISS = 1 << 11, MODULE = 1 << 13, NEW = 1 << 14;
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The bits of a notify-keyspace-events value (CONFIG keeps it in Redis's canonical spelling). */
    public static int parse(String classes) {
        int flags = 0;
        for (int i = 0; i < classes.length(); i++) {
            flags |= switch (classes.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> 0;
            };
        }
        return flags;
    }

    /** Announces {@code event} of class {@code type} on the key at argument {@code keyArg}, in the call's database. */
    public static void notify(Call c, int type, String event, int keyArg) {
        int flags = c.server.notifyKeyspaceEvents();
        if ((flags & type) == 0 || (flags & (KEYSPACE | KEYEVENT)) == 0) return;
        CommandArgs a = c.args;
        publish(c.server, flags, event, a.data(), a.offset(keyArg), a.length(keyArg), c.db.index());
    }

    /** As {@link #notify(Call, int, String, int)} for a key given as bytes, in database {@code db}. */
    public static void notify(ServerContext server, int type, String event, byte[] key, int off, int len, int db) {
        int flags = server.notifyKeyspaceEvents();
        if ((flags & type) == 0 || (flags & (KEYSPACE | KEYEVENT)) == 0) return;
        publish(server, flags, event, key, off, len, db);
    }

    /**
     * A read look-up missed (Redis's lookupKeyRead): counted in keyspace_misses, and announced as
     * "keymiss" when class m is on.
     */
    public static void keyMiss(Call c, byte[] key, int off, int len) {
        c.server.stats().keyspaceMisses.increment();
        int flags = c.server.notifyKeyspaceEvents();
        if ((flags & KEY_MISS) == 0 || (flags & (KEYSPACE | KEYEVENT)) == 0) return;
        publish(c.server, flags, "keymiss", key, off, len, c.db.index());
    }

    /** {@link #keyMiss(Call, byte[], int, int)} for the key at argument {@code arg}. */
    public static void keyMiss(Call c, int arg) {
        CommandArgs a = c.args;
        keyMiss(c, a.data(), a.offset(arg), a.length(arg));
    }

    private static void publish(ServerContext server, int flags, String event, byte[] key, int off, int len, int db) {
        byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            byte[] channel = new byte[prefix.length + len];
            System.arraycopy(prefix, 0, channel, 0, prefix.length);
            System.arraycopy(key, off, channel, prefix.length, len);
            server.publish(channel, ev);
        }
        if ((flags & KEYEVENT) != 0) {
            byte[] channel = ("__keyevent@" + db + "__:" + event).getBytes(StandardCharsets.US_ASCII);
            server.publish(channel, java.util.Arrays.copyOfRange(key, off, off + len));
        }
    }
}
