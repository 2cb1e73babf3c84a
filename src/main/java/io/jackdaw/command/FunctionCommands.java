package io.jackdaw.command;

/**
 * FUNCTION. Libraries arrive with the scripting issue; until FUNCTION LOAD exists there is
 * never a library to remove, so FLUSH has nothing to do beyond validating its argument.
 */
public final class FunctionCommands {
    private FunctionCommands() {}

    static void register(CommandTable t) {
        t.register("function|flush", FunctionCommands::flush);
    }

    static void flush(Call c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.args, "FUNCTION"));
        } else if (c.argc() == 3 && !c.args.is(2, "SYNC") && !c.args.is(2, "ASYNC")) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        } else {
            c.reply.ok();
        }
    }
}
