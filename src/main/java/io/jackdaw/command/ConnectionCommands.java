package io.jackdaw.command;

/** Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    /** What Jackdaw tells clients it is: the Redis version they gate features on. */
    public static final String REDIS_VERSION = "7.2.4";

    static void register(CommandTable t, Dispatcher dispatcher) {
        t.register("ping", ConnectionCommands::ping);
        t.register("echo", c -> c.reply.bulk(c.args.data(), c.args.offset(1), c.args.length(1)));
        t.register("quit", ConnectionCommands::quit);
        t.register("reset", c -> reset(c, dispatcher));
        t.register("select", ConnectionCommands::select);
        t.register("auth", c -> auth(c, dispatcher));
        t.register("hello", c -> hello(c, dispatcher));
    }

    static void ping(Call c) {
        if (c.argc() > 2) {
            c.reply.error(Errors.wrongArity("ping"));
        } else if (c.client.inPubSub() && c.client.resp == 2) {
            // Subscribed RESP2 clients get PING's answer in the shape of a message.
            c.reply.array(2);
            c.reply.bulk("pong");
            if (c.argc() == 2) c.reply.bulk(c.args.data(), c.args.offset(1), c.args.length(1));
            else c.reply.bulk("");
        } else if (c.argc() == 2) {
            c.reply.bulk(c.args.data(), c.args.offset(1), c.args.length(1));
        } else {
            c.reply.status("PONG");
        }
    }

    static void quit(Call c) {
        c.reply.ok();
        c.client.closeAfterReply = true;
    }

    static void reset(Call c, Dispatcher d) {
        ClientSession s = c.client;
        s.db = 0;
        s.resp = 2;
        s.name = null;
        s.user = "default";
        s.authenticated = d.requirePass() == null;
        s.replyMode = ClientSession.ReplyMode.ON;
        s.noEvict = false;
        s.noTouch = false;
        s.multi = null;
        Transactions.unwatchAll(s, c.server.keyspace(), false);
        PubSubCommands.unsubscribeAll(s, c.server);
        c.server.tracking().disable(s);
        if (s.monitor) { // RESET leaves MONITOR mode, as Redis's clearClientConnectionState
            s.monitor = false;
            c.server.clients().monitors().remove(s);
        }
        c.reply.status("RESET");
    }

    static void select(Call c) {
        CommandArgs a = c.args;
        if (!a.parseLong(1)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (a.lastLong() < Integer.MIN_VALUE || a.lastLong() > Integer.MAX_VALUE) {
            // Redis's getIntFromObjectOrReply: a valid long outside the int range has its own message.
            c.reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
            return;
        }
        long db = a.lastLong();
        if (db < 0 || db >= c.server.keyspace().databases()) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        c.client.db = (int) db;
        c.reply.ok();
    }

    static void auth(Call c, Dispatcher d) {
        CommandArgs a = c.args;
        if (a.count() > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (a.count() == 2 && d.requirePass() == null) {
            c.reply.error(Errors.AUTH_NOT_CONFIGURED);
            return;
        }
        String user = a.count() == 2 ? "default" : a.string(1);
        String pass = a.string(a.count() - 1);
        if (authenticate(c, d, user, pass)) c.reply.ok();
        else c.reply.error(Errors.WRONGPASS);
    }

    /** Checks credentials against the default user (requirepass); ACL users come with the ACL issue. */
    private static boolean authenticate(Call c, Dispatcher d, String user, String pass) {
        boolean ok = user.equals("default") && (d.requirePass() == null || d.requirePass().equals(pass));
        if (ok) {
            c.client.authenticated = true;
            c.client.user = "default";
        }
        return ok;
    }

    static void hello(Call c, Dispatcher d) {
        CommandArgs a = c.args;
        long ver = 0;
        int next = 1;
        if (a.count() >= 2) {
            if (!a.parseLong(1)) {
                c.reply.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            ver = a.lastLong();
            next = 2;
            if (ver < 2 || ver > 3) {
                c.reply.error(Errors.NOPROTO);
                return;
            }
        }
        String user = null, pass = null, name = null;
        for (int j = next; j < a.count(); j++) {
            int more = a.count() - 1 - j;
            if (a.is(j, "AUTH") && more >= 2) {
                user = a.string(j + 1);
                pass = a.string(j + 2);
                j += 2;
            } else if (a.is(j, "SETNAME") && more >= 1) {
                name = a.string(j + 1);
                if (!ClientCommands.validName(name)) {
                    c.reply.error(Errors.CLIENT_NAME_SPACES);
                    return;
                }
                j++;
            } else {
                c.reply.error("ERR Syntax error in HELLO option '" + a.string(j) + "'");
                return;
            }
        }
        if (user != null && !authenticate(c, d, user, pass)) {
            c.reply.error(Errors.WRONGPASS);
            return;
        }
        if (!c.client.authenticated) {
            c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
            return;
        }
        if (name != null) c.client.name = name.isEmpty() ? null : name;
        if (ver != 0) c.client.resp = (int) ver;
        // The reply goes out in the protocol just chosen.
        if (c.reply instanceof ProtocolSwitch p) p.switchProtocol(c.client.resp);
        c.reply.map(7);
        c.reply.bulk("server");
        c.reply.bulk("redis");
        c.reply.bulk("version");
        c.reply.bulk(REDIS_VERSION);
        c.reply.bulk("proto");
        c.reply.integer(c.client.resp);
        c.reply.bulk("id");
        c.reply.integer(c.client.id);
        c.reply.bulk("mode");
        c.reply.bulk("standalone");
        c.reply.bulk("role");
        c.reply.bulk("master");
        c.reply.bulk("modules");
        c.reply.array(0);
    }

    /** Implemented by replies that can change protocol in the middle of a batch (HELLO). */
    public interface ProtocolSwitch {
        void switchProtocol(int resp);
    }
}
