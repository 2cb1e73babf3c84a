package io.jackdaw.command;

import java.util.List;

/** CLIENT subcommands: identity, listing, killing, reply modes and flags. */
public final class ClientCommands {
    private ClientCommands() {}

    static void register(CommandTable t) {
        t.register("client|id", c -> c.reply.integer(c.client.id));
        t.register("client|setname", ClientCommands::setname);
        t.register("client|getname", c -> {
            if (c.client.name == null) c.reply.nullBulk();
            else c.reply.bulk(c.client.name);
        });
        t.register("client|list", ClientCommands::list);
        t.register("client|info", c -> c.reply.verbatim("txt", infoLine(c.client, c.now) + "\n"));
        t.register("client|kill", ClientCommands::kill);
        t.register("client|setinfo", ClientCommands::setinfo);
        t.register("client|reply", ClientCommands::reply);
        t.register("client|no-evict", c -> onOff(c, v -> c.client.noEvict = v));
        t.register("client|no-touch", c -> onOff(c, v -> c.client.noTouch = v));
        t.register("client|unblock", ClientCommands::unblock);
        t.register("client|capa", ClientCommands::capa);
        t.register("client|tracking", ClientTracking::tracking);
        t.register("client|caching", ClientTracking::caching);
        t.register("client|getredir", ClientTracking::getredir);
        t.register("client|trackinginfo", ClientTracking::trackinginfo);
        t.register("client|help", c -> Help.reply(c, "CLIENT", HELP));
        t.register("client|pause", ClientCommands::pause);
        t.register("client|unpause", c -> {
            c.server.clients().pause().unpause(c.server);
            c.reply.ok();
        });
        t.register("monitor", ClientCommands::monitor);
    }

    private static final List<String> HELP = List.of(
            "CACHING (YES|NO)",
            "    In OPTIN (OPTOUT) tracking mode, cache (do not cache) the keys the next command reads.",
            "CAPA <option> [<option> ...]",
            "    Declare what this client can handle. Known: REDIRECT (it follows -REDIRECT replies",
            "    from a replica to its primary); others are accepted and ignored.",
            "GETNAME",
            "    Answer with the name this connection set, or nil.",
            "GETREDIR",
            "    Answer with the id that tracking invalidations are sent to, -1 when not tracking.",
            "ID",
            "    Answer with this connection's unique id.",
            "INFO",
            "    Describe this connection in the CLIENT LIST format.",
            "KILL <ip:port>",
            "    Close the connection coming from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Close every connection matching all the filters given:",
            "    * ID <client-id>",
            "    * ADDR (<ip:port>|<unixsocket>:0)  peer address",
            "    * LADDR (<ip:port>|<unixsocket>:0)  local address the connection arrived on",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "    * USER <username>",
            "    * SKIPME (YES|NO)  leave the calling connection alone (default yes)",
            "    * MAXAGE <seconds>  only connections older than this",
            "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> ...]",
            "    Describe the connections, one per line.",
            "NO-EVICT (ON|OFF)",
            "    Exempt this connection from client eviction.",
            "NO-TOUCH (ON|OFF)",
            "    When on, this connection's reads leave keys' access time alone.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Turn replies to this connection on or off, or skip the next one.",
            "SETINFO <LIB-NAME|LIB-VER> <value>",
            "    Record the client library's name or version.",
            "SETNAME <name>",
            "    Name this connection.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Turn server-assisted client-side caching on or off for this connection.",
            "TRACKINGINFO",
            "    Describe this connection's client-side caching state.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Wake a client blocked in a blocking command.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.");

    /** CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as in Redis. */
    static void pause(Call c) {
        CommandArgs a = c.args;
        if (a.count() > 4) {
            c.reply.error(Errors.subcommandSyntax("client", a.string(1)));
            return;
        }
        boolean all = true;
        if (a.count() == 4) {
            if (a.is(3, "WRITE")) all = false;
            else if (!a.is(3, "ALL")) {
                c.reply.error(Errors.PAUSE_MODE);
                return;
            }
        }
        if (!a.parseLong(2)) {
            c.reply.error(Errors.TIMEOUT_NOT_INTEGER);
            return;
        }
        long ms = a.lastLong();
        if (ms < 0) {
            c.reply.error(Errors.TIMEOUT_NEGATIVE);
            return;
        }
        if (ms > 0 && ms > Long.MAX_VALUE - c.now) {
            c.reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
            return;
        }
        // As getTimeoutFromObjectOrReply: 0 stays 0, a deadline already past.
        c.server.clients().pause().pause(c.server, c.client, ms == 0 ? 0 : c.now + ms, all);
        c.reply.ok();
    }

    static void monitor(Call c) {
        if (c.noBlock) { // a transaction or script expects one reply per command
            c.reply.error(Errors.MONITOR_DENY_BLOCKING);
            return;
        }
        if (c.client.monitor) return; // already monitoring: no reply, as Redis
        c.client.monitor = true;
        c.server.clients().monitors().add(c.client);
        c.reply.ok();
    }

    /** Names and library attributes: printable ASCII without spaces, so CLIENT LIST splits cleanly. */
    static boolean validName(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '!' || ch > '~') return false;
        }
        return true;
    }

    static void setname(Call c) {
        String name = c.args.string(2);
        if (!validName(name)) {
            c.reply.error(Errors.CLIENT_NAME_SPACES);
            return;
        }
        c.client.name = name.isEmpty() ? null : name;
        c.reply.ok();
    }

    static void setinfo(Call c) {
        String attr = c.args.string(2), val = c.args.string(3);
        boolean name;
        if (attr.equalsIgnoreCase("lib-name")) name = true;
        else if (attr.equalsIgnoreCase("lib-ver")) name = false;
        else {
            c.reply.error("ERR Unrecognized option '" + attr + "'");
            return;
        }
        if (!validName(val)) {
            c.reply.error("ERR " + attr + " cannot contain spaces, newlines or special characters.");
            return;
        }
        String v = val.isEmpty() ? null : val;
        if (name) c.client.libName = v;
        else c.client.libVer = v;
        c.reply.ok();
    }

    private interface Flag {
        void set(boolean v);
    }

    private static void onOff(Call c, Flag f) {
        if (c.argc() != 3) {
            c.reply.error(Errors.SYNTAX);
        } else if (c.args.is(2, "ON")) {
            f.set(true);
            c.reply.ok();
        } else if (c.args.is(2, "OFF")) {
            f.set(false);
            c.reply.ok();
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    static void reply(Call c) {
        if (c.args.is(2, "ON")) {
            c.client.replyMode = ClientSession.ReplyMode.ON;
            c.reply.ok();
        } else if (c.args.is(2, "OFF")) {
            c.client.replyMode = ClientSession.ReplyMode.OFF;
        } else if (c.args.is(2, "SKIP")) {
            if (c.client.replyMode != ClientSession.ReplyMode.OFF) c.client.replyMode = ClientSession.ReplyMode.SKIP_NEXT;
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    static void unblock(Call c) {
        if (c.argc() == 4 && !c.args.is(3, "TIMEOUT") && !c.args.is(3, "ERROR")) {
            c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
        if (!c.args.parseLong(2)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        ClientSession target = c.server.clients().get(c.args.lastLong());
        boolean error = c.argc() == 4 && c.args.is(3, "ERROR");
        c.reply.integer(target != null && Blocking.unblock(target, error) ? 1 : 0);
    }

    /** CLIENT CAPA (Valkey 8): unknown capabilities are ignored, as Valkey does. */
    static void capa(Call c) {
        for (int i = 2; i < c.argc(); i++) if (c.args.is(i, "REDIRECT")) c.client.capaRedirect = true;
        c.reply.ok();
    }

    /** Client type as CLIENT LIST TYPE / KILL TYPE name it; -1 when unknown. */
    private static int typeByName(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            case "master", "primary" -> 3;
            default -> -1;
        };
    }

    /** Every client is "normal" until replication and pub/sub arrive. */
    private static int typeOf(ClientSession s) { return 0; }

    static void list(Call c) {
        CommandArgs a = c.args;
        StringBuilder sb = new StringBuilder();
        if (a.count() == 4 && a.is(2, "TYPE")) {
            int type = typeByName(a.string(3));
            if (type < 0) {
                c.reply.error(Errors.unknownClientType(a.string(3)));
                return;
            }
            for (ClientSession s : c.server.clients().all())
                if (typeOf(s) == type) sb.append(infoLine(s, c.now)).append('\n');
        } else if (a.count() > 3 && a.is(2, "ID")) {
            for (int j = 3; j < a.count(); j++) {
                if (!a.parseLong(j)) {
                    c.reply.error(Errors.INVALID_CLIENT_ID);
                    return;
                }
                ClientSession s = c.server.clients().get(a.lastLong());
                if (s != null) sb.append(infoLine(s, c.now)).append('\n');
            }
        } else if (a.count() != 2) {
            c.reply.error(Errors.SYNTAX);
            return;
        } else {
            for (ClientSession s : c.server.clients().all()) sb.append(infoLine(s, c.now)).append('\n');
        }
        c.reply.verbatim("txt", sb.toString());
    }

    /** One CLIENT LIST line, with Valkey 8's field set (Redis 7.2's plus watch and the tot-* counters). */
    public static String infoLine(ClientSession s, long now) {
        StringBuilder flags = new StringBuilder();
        if (s.monitor) flags.append('O');
        if (s.inPubSub()) flags.append('P');
        if (s.inMulti()) flags.append('x');
        if (s.isBlocked()) flags.append('b');
        if (s.tracking()) flags.append('t');
        if (s.trackingBrokenRedirect()) flags.append('R');
        if (s.trackingBroadcast()) flags.append('B');
        if (s.closeAfterReply) flags.append('c');
        if (s.unixSocket) flags.append('U');
        if (s.noEvict) flags.append('e');
        if (s.noTouch) flags.append('T');
        if (flags.isEmpty()) flags.append('N');
        long omem = s.outputBufferBytes;
        return "id=" + s.id
                + " addr=" + s.addr
                + " laddr=" + s.laddr
                + " fd=" + s.fd
                + " name=" + (s.name == null ? "" : s.name)
                + " age=" + Math.max(0, (now - s.createdMs) / 1000)
                + " idle=" + Math.max(0, (now - s.lastInteractionMs) / 1000)
                + " flags=" + flags
                + " db=" + s.db
                + " sub=" + s.subscribedChannels() + " psub=" + s.subscribedPatterns() + " ssub="
                + s.subscribedShardChannels() + " multi=" + s.multiCount() + " watch=" + s.watchCount()
                + " qbuf=" + s.queryBufferBytes
                + " qbuf-free=0"
                + " argv-mem=" + s.argvMemory
                + " multi-mem=" + s.multiBytes()
                + " rbs=16384 rbp=" + Math.max(16384, s.outputPeak)
                + " obl=0 oll=0"
                + " omem=" + omem
                + " tot-mem=" + (s.queryBufferBytes + omem + 16384 + 1024)
                + " events=r"
                + " cmd=" + s.lastCommand
                + " user=" + s.user
                + " redir=" + s.trackingRedirect()
                + " resp=" + s.resp
                + " lib-name=" + (s.libName == null ? "" : s.libName)
                + " lib-ver=" + (s.libVer == null ? "" : s.libVer)
                + " tot-net-in=" + s.netInput
                + " tot-net-out=" + s.netOutput
                + " tot-cmds=" + s.commandsProcessed;
    }

    static void kill(Call c) {
        CommandArgs a = c.args;
        String addr = null, laddr = null, user = null;
        int type = -1;
        long id = 0, maxAge = 0;
        boolean skipMe = true;
        if (a.count() == 3) {
            addr = a.string(2);
            skipMe = false; // the old form may kill the caller itself
        } else if (a.count() > 3) {
            for (int i = 2; i < a.count(); i += 2) {
                boolean more = a.count() > i + 1;
                if (a.is(i, "ID") && more) {
                    if (!a.parseLong(i + 1) || a.lastLong() < 1) {
                        c.reply.error(Errors.CLIENT_ID_POSITIVE);
                        return;
                    }
                    id = a.lastLong();
                } else if (a.is(i, "MAXAGE") && more) {
                    if (!a.parseLong(i + 1)) {
                        c.reply.error(Errors.MAXAGE_NOT_INTEGER);
                        return;
                    }
                    if (a.lastLong() <= 0) {
                        c.reply.error(Errors.MAXAGE_POSITIVE);
                        return;
                    }
                    maxAge = a.lastLong();
                } else if (a.is(i, "TYPE") && more) {
                    type = typeByName(a.string(i + 1));
                    if (type < 0) {
                        c.reply.error(Errors.unknownClientType(a.string(i + 1)));
                        return;
                    }
                } else if (a.is(i, "ADDR") && more) {
                    addr = a.string(i + 1);
                } else if (a.is(i, "LADDR") && more) {
                    laddr = a.string(i + 1);
                } else if (a.is(i, "USER") && more) {
                    user = a.string(i + 1);
                    if (!user.equals("default")) {
                        c.reply.error(Errors.noSuchUser(user));
                        return;
                    }
                } else if (a.is(i, "SKIPME") && more) {
                    if (a.is(i + 1, "YES")) skipMe = true;
                    else if (a.is(i + 1, "NO")) skipMe = false;
                    else {
                        c.reply.error(Errors.SYNTAX);
                        return;
                    }
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            }
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int killed = 0;
        boolean self = false;
        for (ClientSession s : c.server.clients().all()) {
            if (s.killed) continue; // already going: its connection closes on its own loop
            if (addr != null && !s.addr.equals(addr)) continue;
            if (laddr != null && !s.laddr.equals(laddr)) continue;
            if (type != -1 && typeOf(s) != type) continue;
            if (id != 0 && s.id != id) continue;
            if (user != null && !s.user.equals(user)) continue;
            if (s == c.client && skipMe) continue;
            if (maxAge != 0 && c.now / 1000 - s.createdMs / 1000 < maxAge) continue; // whole seconds, as Redis's ctime
            if (s == c.client) self = true;
            else s.kill();
            killed++;
        }
        if (a.count() == 3) {
            if (killed == 0) c.reply.error(Errors.NO_SUCH_CLIENT);
            else c.reply.ok();
        } else {
            c.reply.integer(killed);
        }
        if (self) c.client.closeAfterReply = true;
    }
}
