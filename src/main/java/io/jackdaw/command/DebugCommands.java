package io.jackdaw.command;

import io.jackdaw.store.StringOps;
import io.jackdaw.store.ValueDigest;
import io.jackdaw.store.ValueType;
import io.jackdaw.common.Log;
import io.jackdaw.types.Bytes;
import java.util.List;

/** DEBUG: the subcommands tests and tools rely on. Gated by enable-debug-command in the dispatcher. */
public final class DebugCommands {
    private DebugCommands() {}


    static void register(CommandTable t) {
        t.register("debug", DebugCommands::debug);
    }

    /** DEBUG PROTOCOL: one fixed value of each reply type, for testing clients and the script engine's conversions. */
    private static void protocol(Call c, String type) {
        Reply r = c.reply;
        switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array", "set" -> {
                if (type.equalsIgnoreCase("set")) r.set(3);
                else r.array(3);
                for (int j = 0; j < 3; j++) r.integer(j);
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.protocol() >= 3) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute"); // an attribute is not a reply on its own
            }
            case "push" -> {
                if (r.protocol() < 3) {
                    r.error(Errors.DEBUG_PROTOCOL_PUSH_RESP2);
                    return;
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply"); // so that a client that drops pushes still reads a reply
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("txt", "This is a verbatim\nstring");
            default -> r.error(Errors.DEBUG_PROTOCOL_TYPE);
        }
    }

    private static final List<String> HELP = List.of(
            "DIGEST",
            "    Give a digest of the whole dataset (\"0\" repeated 40 times when it is empty).",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Give a digest of the value stored at each key (type, content and whether it expires).",
            "LOG <message>",
            "    Write a message to the server log.",
            "OBJECT <key> [fast]",
            "    Show low-level details of the value stored at <key>.",
            "PAUSE-CRON <0|1>",
            "    Stop (1) or resume (0) the server's periodic work: expiry, idle timeouts, the tracking-table limit.",
            "LOADAOF",
            "    Write what the append-only file still has pending, empty the server and replay the file.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named <prefix>:<num> (prefix defaults to \"key\"), skipping existing",
            "    ones; values are \"value:<num>\", or <size> bytes when a size is given.",
            "PROTOCOL <type>",
            "    Reply with a test value of one RESP type: string, integer, double, bignum, null, array, set,",
            "    map, attrib, push, verbatim, true or false.",
            "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
            "    Save dump.rdb (unless NOSAVE), empty the server with its functions (unless NOFLUSH) and load",
            "    the file back; with MERGE what is loaded replaces keys and libraries already there.",
            "QUICKLIST-PACKED-THRESHOLD <size>",
            "    Store list elements of at least <size> bytes in plain quicklist nodes of their own (0: the",
            "    usual rule); for tests.",
            "SET-DISABLE-DENY-SCRIPTS <0|1>",
            "    Let scripts run commands otherwise refused to them (1), or not (0); for tests.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Turn the background expiry of keys off (0) or on (1).",
            "SLEEP <seconds>",
            "    Block the server for <seconds>, which may be fractional.");

    static void debug(Call c) {
        CommandArgs a = c.args;
        int argc = a.count();
        if (a.is(1, "HELP") && argc == 2) {
            Help.reply(c, "DEBUG", HELP);
        } else if (a.is(1, "PROTOCOL") && argc == 3) {
            protocol(c, a.string(2));
        } else if (a.is(1, "SLEEP") && argc == 3) {
            double secs;
            try {
                secs = Double.parseDouble(a.string(2).trim());
            } catch (NumberFormatException e) {
                secs = 0; // strtod semantics: garbage reads as zero
            }
            long ms = (long) (secs * 1000);
            if (ms > 0) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            c.reply.ok();
        } else if (a.is(1, "RELOAD")) {
            boolean nosave = false, noflush = false, merge = false;
            for (int i = 2; i < argc; i++) {
                if (a.is(i, "NOSAVE")) nosave = true;
                else if (a.is(i, "NOFLUSH")) noflush = true;
                else if (a.is(i, "MERGE")) merge = true;
                else {
                    c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                    return;
                }
            }
            String err = c.server.snapshots().reload(nosave, noflush, merge);
            if (err == null) c.reply.ok();
            else c.reply.error(err);
        } else if (a.is(1, "LOADAOF") && argc == 2) {
            String err = c.server.snapshots().loadAof();
            if (err == null) c.reply.ok();
            else c.reply.error(err);
        } else if (a.is(1, "SET-DISABLE-DENY-SCRIPTS") && argc == 3) {
            c.server.scriptDenyDisabled().set(atoi(a.string(2)) != 0);
            c.reply.ok();
        } else if (a.is(1, "SET-ACTIVE-EXPIRE") && argc == 3) {
            c.server.keyspace().setActiveExpire(atoi(a.string(2)) != 0);
            c.reply.ok();
        } else if (a.is(1, "PAUSE-CRON") && argc == 3) {
            c.server.pauseCron(atoi(a.string(2)) != 0);
            c.reply.ok();
        } else if (a.is(1, "LOG") && argc == 3) {
            Log.warning("DEBUG LOG: " + a.string(2));
            c.reply.ok();
        } else if (a.is(1, "OBJECT") && (argc == 3 || argc == 4)) {
            if (!c.db.findNoExpire(a.data(), a.offset(2), a.length(2))) { // as Redis: an expired key not yet removed is shown
                c.reply.error("ERR no such key");
                return;
            }
            long len = StringOps.foundLength(c.db);
            int field = c.db.accessField();
            var access = c.server.keyspace().access();
            // As Valkey prints both views of the one access field, whichever policy fills it.
            c.reply.status("Value at:0x0 refcount:1 encoding:" + ValueType.encodingName(c.db.type(), c.db.valueLength())
                    + " serializedlength:" + len + " lru:" + field + " lru_seconds_idle:" + access.idleSeconds(field, c.now)
                    + " lfu_freq:" + access.decayed(field, c.now) + " lfu_access_time_minutes:" + (field >>> 8)
                    + quicklistDetails(c));
        } else if (a.is(1, "DIGEST") && argc == 2) {
            c.reply.status(java.util.HexFormat.of().formatHex(
                    ValueDigest.ofDataset(c.db, c.server.keyspace().databases(), c.now)));
        } else if (a.is(1, "DIGEST-VALUE")) {
            c.reply.array(argc - 2);
            for (int j = 2; j < argc; j++) {
                c.reply.status(java.util.HexFormat.of().formatHex(ValueDigest.ofKey(c.db, a.data(), a.offset(j), a.length(j))));
            }
        } else if (a.is(1, "QUICKLIST-PACKED-THRESHOLD") && argc == 3) {
            Long bytes = io.jackdaw.server.config.ServerConfig.parseMemory(a.string(2));
            if (bytes == null || !io.jackdaw.types.Quicklist.setPackedThreshold(bytes)) {
                c.reply.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
            } else {
                c.reply.ok();
            }
        } else if (a.is(1, "POPULATE") && argc >= 3 && argc <= 5) {
            populate(c);
        } else {
            c.reply.error(Errors.subcommandSyntax(a, "DEBUG"));
        }
    }

    /** The quicklist figures Redis appends to DEBUG OBJECT (nothing is compressed here). */
    private static String quicklistDetails(Call c) {
        if (c.db.type() != ValueType.LIST_QUICKLIST) return "";
        io.jackdaw.types.Quicklist q = (io.jackdaw.types.Quicklist) c.db.foundObject();
        long bytes = q.listpackBytes();
        return " ql_nodes:" + q.nodeCount() + " ql_avg_node:" + String.format(java.util.Locale.ROOT, "%.2f",
                q.nodeCount() == 0 ? 0.0 : (double) q.count() / q.nodeCount()) + " ql_listpack_max:" + q.fill()
                + " ql_compressed:" + (q.compressDepth() != 0 ? 1 : 0) + " ql_uncompressed_size:" + bytes;
    }

    private static void populate(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(2) || a.lastLong() < 0) {
            c.reply.error("ERR value is out of range, must be positive");
            return;
        }
        long count = a.lastLong();
        long size = 0;
        if (a.count() == 5) {
            if (!a.parseLong(4) || a.lastLong() < 0) {
                c.reply.error("ERR value is out of range, must be positive");
                return;
            }
            size = a.lastLong();
        }
        byte[] prefix = Bytes.utf8((a.count() >= 4 ? a.string(3) : "key") + ":");
        byte[] key = new byte[prefix.length + 20];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        byte[] valuePrefix = Bytes.ascii("value:");
        byte[] val = new byte[(int) Math.max(size, valuePrefix.length + 20)];
        System.arraycopy(valuePrefix, 0, val, 0, valuePrefix.length);
        for (long j = 0; j < count; j++) {
            int kLen = Bytes.writeLong(key, prefix.length, j);
            if (c.db.find(key, 0, kLen)) continue;
            int natural = Bytes.writeLong(val, valuePrefix.length, j);
            int vLen;
            if (size == 0) {
                vLen = natural;
            } else {
                vLen = (int) size;
                // Redis copies "value:<j>" and leaves the rest of the buffer zeroed.
                java.util.Arrays.fill(val, Math.min(natural, vLen), vLen, (byte) 0);
            }
            c.db.put(key, 0, kLen, ValueType.STRING_RAW, val, 0, vLen, -1);
        }
        c.reply.ok();
    }

    private static int atoi(String s) {
        int i = 0, n = s.length(), sign = 1, v = 0;
        while (i < n && Character.isWhitespace(s.charAt(i))) i++;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) sign = s.charAt(i++) == '-' ? -1 : 1;
        while (i < n && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
        return sign * v;
    }
}
