package io.jackdaw.command;

import java.util.List;

/** The shared shape of every "X HELP" reply: a header line, the entries, and a HELP line. */
final class Help {
    private Help() {}

    static void reply(Call c, String container, List<String> lines) {
        c.reply.array(lines.size() + 3);
        c.reply.status(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) c.reply.status(l);
        c.reply.status("HELP");
        c.reply.status("    Print this help.");
    }
}
