package io.jackdaw.command;

import io.jackdaw.server.config.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CONFIG GET/SET/RESETSTAT/REWRITE over the server's configuration registry. */
public final class ConfigCommands {
    private ConfigCommands() {}

    static void register(CommandTable t) {
        t.register("config|get", ConfigCommands::get);
        t.register("config|set", ConfigCommands::set);
        t.register("config|resetstat", c -> {
            c.server.stats().reset(c.server.commands());
            c.reply.ok();
        });
        t.register("config|rewrite", ConfigCommands::rewrite);
        t.register("config|help", c -> Help.reply(c, "CONFIG", HELP));
    }

    private static final List<String> HELP = List.of(
            "GET <pattern>",
            "    Answer with the parameters matching the glob-style pattern and their values.",
            "SET <directive> <value>",
            "    Change a configuration parameter at run time.",
            "RESETSTAT",
            "    Zero the statistics INFO reports.",
            "REWRITE",
            "    Write the running configuration back to the configuration file.");

    static void get(Call c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) patterns.add(c.args.string(i));
        List<Map.Entry<String, String>> found = c.server.config().getMatching(patterns);
        c.reply.map(found.size());
        for (Map.Entry<String, String> e : found) {
            c.reply.bulk(e.getKey());
            c.reply.bulk(e.getValue());
        }
    }

    static void set(Call c) {
        if ((c.argc() & 1) != 0) { // Redis: an odd count of parameter/value words is a syntax error
            c.reply.error(Errors.SYNTAX);
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i += 2) pairs.add(new String[] {c.args.string(i), c.args.string(i + 1)});
        try {
            c.server.config().set(pairs, isLocal(c.client));
            c.reply.ok();
        } catch (ConfigException e) {
            c.reply.error(e.getMessage());
        }
    }

    static void rewrite(Call c) {
        try {
            c.server.config().rewrite();
            c.reply.ok();
        } catch (ConfigException e) {
            c.reply.error("ERR " + e.getMessage());
        } catch (IOException e) {
            c.reply.error("ERR Rewriting config file: " + e.getMessage());
        }
    }

    /** Loopback and unix-socket clients count as local (enable-*-command local). */
    static boolean isLocal(ClientSession s) {
        return s.unixSocket || s.addr.startsWith("127.") || s.addr.startsWith("[::1]");
    }
}
