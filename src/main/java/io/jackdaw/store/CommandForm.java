package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.DoubleFormat;
import io.jackdaw.types.Quicklist;
import io.jackdaw.types.RdbOutput;
import io.jackdaw.types.Stream;
import io.jackdaw.types.StreamGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A key as the commands that rebuild it, in RESP: the base of an append-only file written with
 * {@code aof-use-rdb-preamble no} (Redis's rewriteAppendOnlyFileRio). Collections go out in
 * commands of at most 64 items (AOF_REWRITE_ITEMS_PER_CMD); an expiry as PEXPIREAT; a stream as
 * its entries, XSETID with its counters, its groups, each pending entry claimed back by its
 * consumer (XCLAIM ... FORCE JUSTID) and consumers without any made with CREATECONSUMER.
 */
public final class CommandForm {
    private static final int ITEMS_PER_COMMAND = 64;

    private CommandForm() {}

    /** SELECT db. */
    public static void select(RdbOutput o, int db) {
        command(o, List.of(ascii("SELECT"), Bytes.decimal(db)));
    }

    /** FUNCTION LOAD code: a library, ahead of the data as in Redis's rewrite. */
    public static void functionLoad(RdbOutput o, byte[] code) {
        command(o, List.of(ascii("FUNCTION"), ascii("LOAD"), code));
    }

    /** The key at the view's position (every field and entry, expired or not, as an RDB keeps them). */
    public static void entry(RdbOutput o, Database v) {
        byte[] key = v.foundKey();
        int type = v.type();
        if (ValueType.isString(type)) {
            command(o, List.of(ascii("SET"), key, StringOps.foundBytes(v)));
        } else if (ValueType.isList(type)) {
            List<byte[]> items = new ArrayList<>();
            ListOps.Iter it = ListOps.iterAt(v, 0, new ListOps.Iter());
            Quicklist.Element e = new Quicklist.Element();
            for (; it.valid(); it.step(true)) {
                it.read(e);
                items.add(e.isInt ? Bytes.decimal(e.num) : java.util.Arrays.copyOfRange(e.buf, e.off, e.off + e.len));
            }
            batches(o, "RPUSH", key, items, 1);
        } else if (ValueType.isSet(type)) {
            List<byte[]> items = new ArrayList<>();
            SetOps.found(v, null, null, 0, 0).forEach(m -> items.add(m.toBytes()));
            batches(o, "SADD", key, items, 1);
        } else if (ValueType.isZset(type)) {
            List<byte[]> items = new ArrayList<>();
            SortedSetOps.ZSet z = SortedSetOps.found(v);
            SortedSetOps.Entry e = new SortedSetOps.Entry();
            for (int i = 0, n = z.size(); i < n; i++) {
                z.entry(i, e);
                items.add(score(e.score));
                items.add(e.toBytes());
            }
            batches(o, "ZADD", key, items, 2);
        } else if (ValueType.isHash(type)) {
            List<byte[]> items = new ArrayList<>();
            List<byte[]> expiring = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            HashOps.forEach(v, (f, val) -> {
                byte[] field = f.toBytes();
                items.add(field);
                items.add(val.toBytes());
                if (f.expireAt >= 0) {
                    expiring.add(field);
                    times.add(f.expireAt);
                }
            });
            batches(o, "HMSET", key, items, 2);
            for (int i = 0; i < expiring.size(); i++) {
                command(o, List.of(ascii("HPEXPIREAT"), key, Bytes.decimal(times.get(i)), ascii("FIELDS"), ascii("1"), expiring.get(i)));
            }
        } else if (ValueType.isStream(type)) {
            stream(o, key, (Stream) v.foundObject());
        }
        long expireAt = v.expireAt();
        if (expireAt >= 0) command(o, List.of(ascii("PEXPIREAT"), key, Bytes.decimal(expireAt)));
    }

    private static void stream(RdbOutput o, byte[] key, Stream s) {
        byte[] last = id(s.lastId());
        if (s.length() == 0) {
            // An entry added and trimmed away at once: the key exists, empty, with its last ID.
            command(o, List.of(ascii("XADD"), key, ascii("MAXLEN"), ascii("0"), last, ascii("x"), ascii("y")));
        } else {
            s.range(Stream.Id.MIN, Stream.Id.MAX, false, e -> {
                List<byte[]> args = new ArrayList<>();
                args.add(ascii("XADD"));
                args.add(key);
                args.add(id(e.id()));
                java.util.Collections.addAll(args, e.fieldsAndValues());
                command(o, args);
                return true;
            });
        }
        command(o, List.of(ascii("XSETID"), key, last, ascii("ENTRIESADDED"), Bytes.decimal(s.entriesAdded()),
                ascii("MAXDELETEDID"), id(s.maxDeletedId())));
        for (java.util.Map.Entry<byte[], StreamGroup> ge : s.groups().entrySet()) {
            byte[] group = ge.getKey();
            StreamGroup g = ge.getValue();
            command(o, List.of(ascii("XGROUP"), ascii("CREATE"), key, group, id(g.lastId), ascii("ENTRIESREAD"),
                    Bytes.decimal(g.entriesRead)));
            for (java.util.Map.Entry<Stream.Id, StreamGroup.Pending> pe : g.pending.entrySet()) {
                StreamGroup.Pending p = pe.getValue();
                command(o, List.of(ascii("XCLAIM"), key, group, p.consumer.name, ascii("0"), id(pe.getKey()), ascii("TIME"),
                        Bytes.decimal(p.deliveryTime), ascii("RETRYCOUNT"), Bytes.decimal(p.deliveryCount), ascii("JUSTID"),
                        ascii("FORCE")));
            }
            for (StreamGroup.Consumer c : g.consumers.values()) {
                if (c.pending.isEmpty()) command(o, List.of(ascii("XGROUP"), ascii("CREATECONSUMER"), key, group, c.name));
            }
        }
    }

    /** {@code name key item...}, {@code ITEMS_PER_COMMAND} items (of {@code width} arguments each) at a time. */
    private static void batches(RdbOutput o, String name, byte[] key, List<byte[]> args, int width) {
        int per = ITEMS_PER_COMMAND * width;
        for (int from = 0; from < args.size(); from += per) {
            List<byte[]> cmd = new ArrayList<>();
            cmd.add(ascii(name));
            cmd.add(key);
            cmd.addAll(args.subList(from, Math.min(args.size(), from + per)));
            command(o, cmd);
        }
    }

    /** A score that reads back as the same double (ZADD takes inf and -inf). */
    private static byte[] score(double d) {
        if (Double.isInfinite(d)) return ascii(d > 0 ? "inf" : "-inf");
        return ascii(DoubleFormat.shortest(d));
    }

    private static byte[] id(Stream.Id id) { return ascii(id.toString()); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private static void command(RdbOutput o, List<byte[]> args) {
        header(o, '*', args.size());
        for (byte[] a : args) {
            header(o, '$', a.length);
            o.writeRaw(a, 0, a.length);
            o.writeRaw(CRLF, 0, 2);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void header(RdbOutput o, char type, long n) {
        o.writeByte(type);
        byte[] d = Bytes.decimal(n);
        o.writeRaw(d, 0, d.length);
        o.writeRaw(CRLF, 0, 2);
    }
}
