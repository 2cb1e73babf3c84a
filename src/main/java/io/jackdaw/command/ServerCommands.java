package io.jackdaw.command;

import java.util.ArrayList;
import java.util.List;

/** Server commands: INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME, LASTSAVE, SHUTDOWN. */
public final class ServerCommands {
    private ServerCommands() {}

    static void register(CommandTable t) {
        t.register("info", ServerCommands::info);
        t.register("dbsize", c -> c.reply.integer(c.server.keyspace().size(c.client.db)));
        t.register("flushdb", c -> flush(c, false));
        t.register("flushall", c -> flush(c, true));
        t.register("time", ServerCommands::time);
        t.register("lastsave", c -> c.reply.integer(c.server.snapshots().lastSave()));
        t.register("save", ServerCommands::save);
        t.register("bgrewriteaof", ServerCommands::bgrewriteaof);
        t.register("bgsave", ServerCommands::bgsave);
        t.register("shutdown", ServerCommands::shutdown);
    }

    static void info(Call c) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) sections.add(c.args.string(i));
        c.reply.verbatim("txt", c.server.info(sections));
    }

    static void flush(Call c, boolean all) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.args.is(1, "ASYNC") && !c.args.is(1, "SYNC"))) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        var ks = c.server.keyspace();
        if (all) {
            for (int db = 0; db < ks.databases(); db++) {
                c.dirty += ks.size(db);
                ks.touchAllWatched(db, -1, c.now);
            }
            ks.flushAll();
        } else {
            c.dirty += ks.size(c.client.db);
            ks.touchAllWatched(c.client.db, -1, c.now);
            ks.flush(c.client.db);
        }
        c.server.tracking().flushed();
        c.forcePropagation(); // replayed even on an empty server, as Redis
        c.reply.ok();
    }

    static void time(Call c) {
        // Inside EXEC or a script, the time the unit started (Redis's cached time).
        long us = c.nested && c.frozenMicros != 0 ? c.frozenMicros : c.server.clock().micros();
        c.reply.array(2);
        c.reply.bulkLong(us / 1_000_000);
        c.reply.bulkLong(us % 1_000_000);
    }

    /** SAVE: writes dump.rdb now, holding every shard while it does (as Redis blocks). */
    static void save(Call c) {
        String err = c.server.snapshots().save();
        if (err == null) c.reply.ok();
        else c.reply.error(err);
    }

    /** BGREWRITEAOF: a new base snapshot, written while clients go on, and a new incr file replace the AOF's files. */
    static void bgrewriteaof(Call c) {
        statusOrError(c, c.server.snapshots().rewriteAof());
    }

    /** BGSAVE [SCHEDULE]: dump.rdb written from a versioned snapshot while clients go on (no fork). */
    static void bgsave(Call c) {
        if (c.argc() == 2 && !c.args.is(1, "SCHEDULE")) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        statusOrError(c, c.server.snapshots().bgsave(c.argc() == 2));
    }

    private static void statusOrError(Call c, String r) {
        if (r.startsWith("ERR")) c.reply.error(r);
        else c.reply.status(r);
    }

    static void shutdown(Call c) {
        boolean nosave = false, save = false, now = false, force = false, abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.args.is(i, "NOSAVE")) nosave = true;
            else if (c.args.is(i, "SAVE")) save = true;
            else if (c.args.is(i, "NOW")) now = true;
            else if (c.args.is(i, "FORCE")) force = true;
            else if (c.args.is(i, "ABORT")) abort = true;
            else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if ((abort && (nosave || save || now || force)) || (nosave && save)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        String err = c.server.shutdown(nosave, save, now, force, abort);
        if (err != null) c.reply.error(err);
        else if (abort) c.reply.ok();
        // On success the server goes away and the connection closes without a reply, as in Redis.
    }
}
