package io.jackdaw.command;

import io.jackdaw.store.Database;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import io.jackdaw.store.ValueType;
import io.jackdaw.types.Glob;
import java.util.concurrent.ThreadLocalRandom;

/** Generic key commands: existence, deletion, expiry, type, renaming, enumeration. */
public final class KeyCommands {
    private KeyCommands() {}

    static void register(CommandTable t) {
        t.register("del", KeyCommands::del);
        t.register("unlink", KeyCommands::del);
        t.register("exists", KeyCommands::exists);
        t.register("touch", KeyCommands::exists);
        t.register("type", KeyCommands::type);
        t.register("expire", c -> expire(c, 1000, true));
        t.register("pexpire", c -> expire(c, 1, true));
        t.register("expireat", c -> expire(c, 1000, false));
        t.register("pexpireat", c -> expire(c, 1, false));
        t.register("ttl", c -> ttl(c, false, false));
        t.register("pttl", c -> ttl(c, true, false));
        t.register("expiretime", c -> ttl(c, false, true));
        t.register("pexpiretime", c -> ttl(c, true, true));
        t.register("persist", KeyCommands::persist);
        t.register("rename", c -> rename(c, false));
        t.register("renamenx", c -> rename(c, true));
        t.register("keys", KeyCommands::keys);
        t.register("randomkey", KeyCommands::randomkey);
    }

    static void del(Call c) {
        CommandArgs a = c.args;
        long n = 0;
        for (int i = 1; i < a.count(); i++) if (c.db.delete(a.data(), a.offset(i), a.length(i))) n++;
        c.reply.integer(n);
    }

    /** EXISTS and TOUCH: count the named keys that exist, repeats counted each time. */
    static void exists(Call c) {
        CommandArgs a = c.args;
        long n = 0;
        for (int i = 1; i < a.count(); i++) if (c.db.find(a.data(), a.offset(i), a.length(i))) n++;
        c.reply.integer(n);
    }

    static void type(Call c) {
        CommandArgs a = c.args;
        c.reply.status(c.db.find(a.data(), a.offset(1), a.length(1)) ? ValueType.typeName(c.db.type()) : "none");
    }

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    /** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT. */
    static void expire(Call c, long unitMs, boolean relative) {
        CommandArgs a = c.args;
        int flags = 0;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "NX")) flags |= NX;
            else if (a.is(j, "XX")) flags |= XX;
            else if (a.is(j, "GT")) flags |= GT;
            else if (a.is(j, "LT")) flags |= LT;
            else {
                c.reply.error("ERR Unsupported option " + a.string(j));
                return;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            c.reply.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long when = a.lastLong();
        if (unitMs == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.reply.error(Errors.invalidExpire(c.spec.name));
                return;
            }
            when *= 1000;
        }
        long base = relative ? c.now : 0;
        if (when > Long.MAX_VALUE - base) {
            c.reply.error(Errors.invalidExpire(c.spec.name));
            return;
        }
        when += base;
        if (!c.db.find(a.data(), a.offset(1), a.length(1))) {
            c.reply.integer(0);
            return;
        }
        long current = c.db.expireAt();
        if (((flags & NX) != 0 && current != -1) || ((flags & XX) != 0 && current == -1)
                || ((flags & GT) != 0 && (current == -1 || when <= current))
                || ((flags & LT) != 0 && current != -1 && when >= current)) {
            c.reply.integer(0);
            return;
        }
        if (when <= c.now) c.db.deleteFound();
        else c.db.setExpireFound(when);
        c.reply.integer(1);
    }

    static void ttl(Call c, boolean ms, boolean absolute) {
        CommandArgs a = c.args;
        if (!c.db.find(a.data(), a.offset(1), a.length(1))) {
            c.reply.integer(-2);
            return;
        }
        long expire = c.db.expireAt();
        if (expire == -1) {
            c.reply.integer(-1);
            return;
        }
        long t = absolute ? expire : Math.max(0, expire - c.now);
        // Rounded to the nearest second as (t + 500) / 1000, without the sum: an expiry set near
        // 2^63 ms (PEXPIREAT) would overflow it, where Redis's build answers the true quotient.
        c.reply.integer(ms ? t : t / 1000 + (t % 1000 + 500) / 1000);
    }

    static void persist(Call c) {
        CommandArgs a = c.args;
        if (c.db.find(a.data(), a.offset(1), a.length(1)) && c.db.expireAt() != -1) {
            c.db.setExpireFound(-1);
            c.reply.integer(1);
        } else {
            c.reply.integer(0);
        }
    }

    static void rename(Call c, boolean nx) {
        CommandArgs a = c.args;
        byte[] d = a.data();
        boolean same = a.length(1) == a.length(2)
                && java.util.Arrays.equals(d, a.offset(1), a.offset(1) + a.length(1), d, a.offset(2), a.offset(2) + a.length(2));
        Database db = c.db;
        if (!db.find(d, a.offset(1), a.length(1))) {
            c.reply.error("ERR no such key");
            return;
        }
        if (same) {
            if (nx) c.reply.integer(0);
            else c.reply.ok();
            return;
        }
        byte[] srcKey = db.foundKey();
        if (nx && db.find(d, a.offset(2), a.length(2))) {
            c.reply.integer(0);
            return;
        }
        db.find(srcKey, 0, srcKey.length);
        db.copyFoundTo(d, a.offset(2), a.length(2), db.expireAt());
        db.delete(srcKey, 0, srcKey.length);
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    static void keys(Call c) {
        CommandArgs a = c.args;
        byte[] pat = a.bytes(1);
        boolean all = pat.length == 1 && pat[0] == '*';
        Keyspace ks = c.server.keyspace();
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        long now = c.now;
        for (int i = 0; i < ks.shardCount(); i++) {
            KeyTable t = ks.shard(i).tableIfPresent(c.client.db);
            if (t == null) continue;
            t.forEach((page, ko, kl, exp) -> {
                if (exp != -1 && exp <= now) return;
                if (all || Glob.match(pat, 0, pat.length, page, ko, kl, false))
                    out.add(java.util.Arrays.copyOfRange(page, ko, ko + kl));
            });
        }
        c.reply.array(out.size());
        for (byte[] k : out) c.reply.bulk(k);
    }

    static void randomkey(Call c) {
        Keyspace ks = c.server.keyspace();
        int db = c.client.db;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            long total = ks.size(db);
            if (total == 0) break;
            long pick = rnd.nextLong(total);
            for (int i = 0; i < ks.shardCount(); i++) {
                Shard s = ks.shard(i);
                KeyTable t = s.tableIfPresent(db);
                if (t == null || t.size() == 0) continue;
                if (pick >= t.size()) {
                    pick -= t.size();
                    continue;
                }
                c.db.positionAt(t, t.randomSlot(rnd));
                long exp = c.db.expireAt();
                if (exp != -1 && exp <= c.now) {
                    c.db.deleteFound();
                    break; // try again with the key gone
                }
                c.reply.bulk(c.db.foundKey());
                return;
            }
        }
        c.reply.nullBulk();
    }
}
