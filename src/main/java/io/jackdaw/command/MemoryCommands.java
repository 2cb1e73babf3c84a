package io.jackdaw.command;

import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import java.util.List;

/**
 * MEMORY: what a key or the server holds. Our figures are exact for our own layout (records in
 * pages, index slots, value objects), where Redis estimates from allocator sizes and samples,
 * so MEMORY USAGE accepts SAMPLES and has no use for it.
 */
final class MemoryCommands {
    private MemoryCommands() {}

    private static final List<String> HELP = List.of(
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).");

    static void register(CommandTable t) {
        t.register("memory|usage", MemoryCommands::usage);
        t.register("memory|stats", MemoryCommands::stats);
        t.register("memory|doctor", c -> c.reply.verbatim("txt", doctor(c)));
        t.register("memory|malloc-stats", c -> c.reply.verbatim("txt",
                "Stats not supported for the current allocator"));
        t.register("memory|purge", c -> c.reply.ok());
        t.register("memory|help", c -> Help.reply(c, "MEMORY", HELP));
    }

    /** MEMORY USAGE key [SAMPLES count]: bytes the key and its value take, or nil. */
    static void usage(Call c) {
        CommandArgs a = c.args;
        for (int i = 3; i < a.count(); i += 2) {
            if (a.is(i, "SAMPLES") && i + 1 < a.count()) {
                if (!a.parseLong(i + 1)) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if (a.lastLong() < 0) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (!c.db.findNoTouch(a.data(), a.offset(2), a.length(2))) {
            c.reply.nullBulk();
            return;
        }
        c.reply.integer(c.db.foundMemoryUsage());
    }

    /** MEMORY STATS: Redis 7.2's fields, from our own accounting. */
    static void stats(Call c) {
        ServerContext s = c.server;
        Keyspace ks = s.keyspace();
        long used = s.usedMemory(), peak = Math.max(used, s.peakMemory()), startup = s.startupMemory();
        long rss = s.residentMemory(), clients = s.clientMemory();
        long dataset = 0, slots = 0, keys = 0;
        int dbs = ks.databases();
        long[] mainOverhead = new long[dbs], expiresOverhead = new long[dbs];
        int nonEmpty = 0;
        ks.lockAll();
        try {
            for (int db = 0; db < dbs; db++) {
                long dbKeys = 0;
                for (int i = 0; i < ks.shardCount(); i++) {
                    KeyTable t = ks.shard(i).tableIfPresent(db);
                    if (t == null) continue;
                    dbKeys += t.size();
                    mainOverhead[db] += t.indexBytes();
                    dataset += t.memoryBytes() - t.indexBytes();
                }
                keys += dbKeys;
                slots += mainOverhead[db];
                if (dbKeys > 0) nonEmpty++;
                else mainOverhead[db] = -1;
            }
        } finally {
            ks.unlockAll();
        }
        long overhead = startup + clients + slots;
        Reply r = c.reply;
        r.map(27 + nonEmpty);
        pair(r, "peak.allocated", peak);
        pair(r, "total.allocated", used);
        pair(r, "startup.allocated", startup);
        pair(r, "replication.backlog", 0);
        pair(r, "clients.slaves", 0);
        pair(r, "clients.normal", clients);
        pair(r, "cluster.links", 0);
        pair(r, "aof.buffer", 0);
        pair(r, "lua.caches", 0);
        pair(r, "functions.caches", 0);
        for (int db = 0; db < dbs; db++) {
            if (mainOverhead[db] < 0) continue;
            r.bulk("db." + db);
            r.map(2);
            pair(r, "overhead.hashtable.main", mainOverhead[db]);
            pair(r, "overhead.hashtable.expires", expiresOverhead[db]);
        }
        pair(r, "overhead.total", overhead);
        pair(r, "keys.count", keys);
        pair(r, "keys.bytes-per-key", keys == 0 ? 0 : (used - startup) / keys);
        pair(r, "dataset.bytes", dataset);
        pairDouble(r, "dataset.percentage", used - startup <= 0 ? 0 : dataset * 100.0 / (used - startup));
        pairDouble(r, "peak.percentage", peak == 0 ? 0 : used * 100.0 / peak);
        pair(r, "allocator.allocated", used);
        pair(r, "allocator.active", used);
        pair(r, "allocator.resident", rss);
        pairDouble(r, "allocator-fragmentation.ratio", 1.0);
        pair(r, "allocator-fragmentation.bytes", 0);
        pairDouble(r, "allocator.rss-ratio", used == 0 ? 0 : (double) rss / used);
        pair(r, "allocator.rss-bytes", rss - used);
        pairDouble(r, "rss-overhead.ratio", 1.0);
        pair(r, "rss-overhead.bytes", 0);
        pairDouble(r, "fragmentation", used == 0 ? 0 : (double) rss / used);
        pair(r, "fragmentation.bytes", rss - used);
    }

    private static void pair(Reply r, String name, long v) {
        r.bulk(name);
        r.integer(v);
    }

    private static void pairDouble(Reply r, String name, double v) {
        r.bulk(name);
        r.doubleValue(v);
    }

    /** MEMORY DOCTOR: our own short report on what usually goes wrong. */
    static String doctor(Call c) {
        long used = c.server.usedMemory(), peak = Math.max(used, c.server.peakMemory());
        if (c.server.keyspace().memoryBytes() < 5L * 1024 * 1024)
            return "This instance holds very little data; there is nothing to report about its memory yet.\n";
        StringBuilder sb = new StringBuilder();
        if (peak > used * 3 / 2)
            sb.append(" * Peak memory: the peak was ").append(peak * 100 / used)
                    .append("% of the memory in use now; the process may keep pages from that peak.\n");
        long clients = c.server.clientMemory();
        if (clients > used / 2)
            sb.append(" * Clients: client buffers hold more than half of the memory in use.\n");
        if (sb.isEmpty()) return "No memory problems found in this instance.\n";
        return "Memory report:\n\n" + sb;
    }
}
