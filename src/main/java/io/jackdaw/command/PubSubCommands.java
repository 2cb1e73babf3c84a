package io.jackdaw.command;

import io.jackdaw.pubsub.PubSub;
import io.jackdaw.types.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pub/sub commands. A client's subscriptions live in its {@link Subscriptions} (changed only
 * by its own commands, on its own event loop) and in the server's {@link PubSub} registry, which
 * publishers on any thread walk. A message reaches a subscriber through its own event loop, so a
 * publisher never writes to another connection's buffer; one publisher's messages to one
 * subscriber keep their order, since the loop runs its tasks in order.
 */
final class PubSubCommands {
    private PubSubCommands() {}

    private static final byte[] MESSAGE = b("message"), PMESSAGE = b("pmessage"), SMESSAGE = b("smessage");

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** One client's subscriptions, and how messages reach it. */
    static final class Subscriptions implements PubSub.Subscriber {
        final ClientSession client;
        // Insertion order, so "unsubscribe from all" confirms in the order subscribed.
        final Map<ByteKey, Boolean> channels = new LinkedHashMap<>(), patterns = new LinkedHashMap<>(),
                shardChannels = new LinkedHashMap<>();
        volatile int channelCount, patternCount, shardCount;

        Subscriptions(ClientSession client) { this.client = client; }

        void recount() {
            channelCount = channels.size();
            patternCount = patterns.size();
            shardCount = shardChannels.size();
        }

        @Override public void message(byte[] pattern, byte[] channel, byte[] payload, boolean shard) {
            ClientSession.Channel ch = client.channel();
            // Always through the connection's queue: a client publishing to itself (RESP3, or
            // inside MULTI) gets the message after that command's reply, as Redis 7.2 defers it.
            Reply r = ch.detachedReply();
            if (pattern != null) {
                r.push(4);
                r.bulk(PMESSAGE, 0, PMESSAGE.length);
                r.bulk(pattern, 0, pattern.length);
            } else {
                r.push(3);
                byte[] kind = shard ? SMESSAGE : MESSAGE;
                r.bulk(kind, 0, kind.length);
            }
            r.bulk(channel, 0, channel.length);
            r.bulk(payload, 0, payload.length);
            ch.sendDetached(r);
        }
    }

    static void register(CommandTable t) {
        t.register("subscribe", c -> subscribe(c, Kind.CHANNEL));
        t.register("psubscribe", c -> subscribe(c, Kind.PATTERN));
        t.register("ssubscribe", c -> subscribe(c, Kind.SHARD));
        t.register("unsubscribe", c -> unsubscribe(c, Kind.CHANNEL));
        t.register("punsubscribe", c -> unsubscribe(c, Kind.PATTERN));
        t.register("sunsubscribe", c -> unsubscribe(c, Kind.SHARD));
        t.register("publish", c -> publish(c, false));
        t.register("spublish", c -> publish(c, true));
        t.register("pubsub|channels", c -> channels(c, false));
        t.register("pubsub|shardchannels", c -> channels(c, true));
        t.register("pubsub|numsub", c -> numsub(c, false));
        t.register("pubsub|shardnumsub", c -> numsub(c, true));
        t.register("pubsub|numpat", c -> c.reply.integer(c.server.pubsub().numpat()));
        t.register("pubsub|help", c -> Help.reply(c, "PUBSUB", HELP));
    }

    private static final List<String> HELP = List.of(
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)");

    enum Kind {
        CHANNEL("subscribe", "unsubscribe"), PATTERN("psubscribe", "punsubscribe"), SHARD("ssubscribe", "sunsubscribe");

        final byte[] subscribed, unsubscribed;

        Kind(String sub, String unsub) {
            this.subscribed = b(sub);
            this.unsubscribed = b(unsub);
        }
    }

    private static Subscriptions subs(ClientSession c) {
        if (c.pubsub == null) c.pubsub = new Subscriptions(c);
        return c.pubsub;
    }

    private static Map<ByteKey, Boolean> set(Subscriptions s, Kind k) {
        return switch (k) {
            case CHANNEL -> s.channels;
            case PATTERN -> s.patterns;
            case SHARD -> s.shardChannels;
        };
    }

    /** The count a confirmation carries: channels and patterns together, or shard channels. */
    private static int count(Subscriptions s, Kind k) {
        return k == Kind.SHARD ? s.shardChannels.size() : s.channels.size() + s.patterns.size();
    }

    private static boolean registryAdd(Call c, Subscriptions s, Kind k, byte[] name) {
        PubSub ps = c.server.pubsub();
        return k == Kind.PATTERN ? ps.psubscribe(s, name) : ps.subscribe(s, name, k == Kind.SHARD);
    }

    private static void registryRemove(ServerContext server, Subscriptions s, Kind k, byte[] name) {
        PubSub ps = server.pubsub();
        if (k == Kind.PATTERN) ps.punsubscribe(s, name);
        else ps.unsubscribe(s, name, k == Kind.SHARD);
    }

    private static void confirm(Reply r, byte[] what, byte[] name, int count) {
        r.push(3);
        r.bulk(what, 0, what.length);
        if (name == null) r.nullBulk();
        else r.bulk(name, 0, name.length);
        r.integer(count);
    }

    /**
     * Where confirmations go: the reply, or, under CLIENT REPLY OFF/SKIP, past it, since Redis
     * sends pub/sub confirmations and messages as pushes that those modes do not silence.
     */
    private static Reply confirmations(Call c) {
        return c.client.replyMode == ClientSession.ReplyMode.ON ? c.reply : c.client.channel().detachedReply();
    }

    private static void done(Call c, Reply r) {
        if (r != c.reply) c.client.channel().sendDetached(r);
    }

    static void subscribe(Call c, Kind k) {
        CommandArgs a = c.args;
        Subscriptions s = subs(c.client);
        Map<ByteKey, Boolean> set = set(s, k);
        Reply r = confirmations(c);
        for (int i = 1; i < a.count(); i++) {
            byte[] name = a.bytes(i);
            if (set.putIfAbsent(ByteKey.of(name), Boolean.TRUE) == null) registryAdd(c, s, k, name);
            s.recount();
            confirm(r, k.subscribed, name, count(s, k));
        }
        done(c, r);
    }

    static void unsubscribe(Call c, Kind k) {
        CommandArgs a = c.args;
        Subscriptions s = subs(c.client);
        Map<ByteKey, Boolean> set = set(s, k);
        Reply r = confirmations(c);
        if (a.count() == 1) {
            if (set.isEmpty()) confirm(r, k.unsubscribed, null, count(s, k));
            for (ByteKey n : new ArrayList<>(set.keySet())) {
                set.remove(n);
                registryRemove(c.server, s, k, n.bytes());
                s.recount();
                confirm(r, k.unsubscribed, n.bytes(), count(s, k));
            }
            done(c, r);
            return;
        }
        for (int i = 1; i < a.count(); i++) {
            byte[] name = a.bytes(i);
            if (set.remove(ByteKey.of(name)) != null) registryRemove(c.server, s, k, name);
            s.recount();
            confirm(r, k.unsubscribed, name, count(s, k));
        }
        done(c, r);
    }

    /** Drops every subscription quietly (RESET, a disconnect). */
    static void unsubscribeAll(ClientSession client, ServerContext server) {
        Subscriptions s = client.pubsub;
        if (s == null) return;
        for (Kind k : Kind.values()) {
            Map<ByteKey, Boolean> set = set(s, k);
            for (ByteKey n : set.keySet()) registryRemove(server, s, k, n.bytes());
            set.clear();
        }
        s.recount();
    }

    static void publish(Call c, boolean shard) {
        CommandArgs a = c.args;
        c.reply.integer(c.server.pubsub().publish(a.bytes(1), a.bytes(2), shard));
    }

    static void channels(Call c, boolean shard) {
        byte[] pattern = c.argc() == 3 ? c.args.bytes(2) : null;
        List<byte[]> names = c.server.pubsub().channels(pattern, shard);
        c.reply.array(names.size());
        for (byte[] n : names) c.reply.bulk(n, 0, n.length);
    }

    static void numsub(Call c, boolean shard) {
        CommandArgs a = c.args;
        c.reply.array((a.count() - 2) * 2);
        for (int i = 2; i < a.count(); i++) {
            c.reply.bulk(a.data(), a.offset(i), a.length(i));
            c.reply.integer(c.server.pubsub().numsub(a.bytes(i), shard));
        }
    }
}
