package io.jackdaw.command;

import io.jackdaw.script.FunctionLibraries;
import io.jackdaw.script.ScriptEngine;
import io.jackdaw.types.Glob;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * FUNCTION LOAD, DELETE, FLUSH, LIST, STATS, KILL and HELP over the libraries
 * {@link ScriptCommands} keeps (FCALL runs there, beside EVAL). Replies and errors follow
 * Redis 7.2's functions.c.
 */
final class FunctionCommands {
    private final ScriptCommands scripts;

    private FunctionCommands(ScriptCommands scripts) { this.scripts = scripts; }

    static void register(CommandTable t, ScriptCommands scripts) {
        FunctionCommands f = new FunctionCommands(scripts);
        t.register("function|load", f::load);
        t.register("function|delete", f::delete);
        t.register("function|flush", f::flush);
        t.register("function|list", f::list);
        t.register("function|stats", f::stats);
        t.register("function|kill", f::kill);
        t.register("function|dump", f::dump);
        t.register("function|restore", f::restore);
        t.register("function|help", c -> Help.reply(c, "FUNCTION", HELP));
    }

    private static final List<String> HELP = List.of(
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Load a library from its code; REPLACE swaps out a library of the same name.",
            "DELETE <LIBRARY NAME>",
            "    Remove a library and its functions.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Describe the libraries (name, engine, functions with their descriptions and flags),",
            "    those whose name matches PATTERN, with their code when WITHCODE is given.",
            "STATS",
            "    Describe the running function (name, command, milliseconds so far; nil when none)",
            "    and the engines with their library and function counts.",
            "KILL",
            "    Stop the running function, if it has not written anything.",
            "FLUSH [ASYNC|SYNC]",
            "    Remove every library.",
            "DUMP",
            "    Serialise every library into a payload for FUNCTION RESTORE.",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Load the libraries of a payload: FLUSH removes the current ones first, APPEND (the",
            "    default) fails on a name already loaded, REPLACE replaces libraries of the same name.");

    /** FUNCTION LOAD [REPLACE] code */
    private void load(Call c) {
        CommandArgs a = c.args;
        boolean replace = false;
        int pos = 2;
        while (pos < a.count() - 1) {
            if (a.is(pos, "REPLACE")) {
                replace = true;
                pos++;
                continue;
            }
            c.reply.error(Errors.functionUnknownOption(a, pos));
            return;
        }
        if (pos >= a.count()) {
            c.reply.error("ERR Function code is missing");
            return;
        }
        try {
            String name = scripts.functions().load(a.bytes(pos), replace);
            c.dirty++;
            c.reply.bulk(name.getBytes(StandardCharsets.ISO_8859_1));
        } catch (ScriptEngine.ScriptException e) {
            c.reply.error("ERR " + e.getMessage());
        }
    }

    /** FUNCTION DELETE library */
    private void delete(Call c) {
        if (!scripts.functions().delete(c.args.string(2))) {
            c.reply.error("ERR Library not found");
            return;
        }
        c.dirty++;
        c.reply.ok();
    }

    /** FUNCTION FLUSH [ASYNC|SYNC] */
    private void flush(Call c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.args, "FUNCTION"));
            return;
        }
        if (c.argc() == 3 && !c.args.is(2, "SYNC") && !c.args.is(2, "ASYNC")) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        scripts.flushFunctions();
        c.dirty++;
        c.reply.ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
    private void list(Call c) {
        CommandArgs a = c.args;
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < a.count(); i++) {
            if (!withCode && a.is(i, "WITHCODE")) {
                withCode = true;
                continue;
            }
            if (pattern == null && a.is(i, "LIBRARYNAME")) {
                if (i >= a.count() - 1) {
                    c.reply.error("ERR library name argument was not given");
                    return;
                }
                pattern = a.bytes(++i);
                continue;
            }
            c.reply.error(Errors.functionUnknownArgument(a, i));
            return;
        }
        java.util.List<FunctionLibraries.Library> shown = new java.util.ArrayList<>();
        for (FunctionLibraries.Library lib : scripts.functions().libraries()) {
            byte[] name = lib.name().getBytes(StandardCharsets.ISO_8859_1);
            if (pattern != null && !Glob.match(pattern, 0, pattern.length, name, 0, name.length, true)) continue;
            shown.add(lib);
        }
        Reply r = c.reply;
        r.array(shown.size());
        for (FunctionLibraries.Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name().getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("engine");
            r.bulk(FunctionLibraries.ENGINE);
            r.bulk("functions");
            r.array(lib.functions().size());
            for (FunctionLibraries.Function f : lib.functions()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name().getBytes(StandardCharsets.ISO_8859_1));
                r.bulk("description");
                if (f.def().description() == null) r.nullBulk();
                else r.bulk(f.def().description());
                r.bulk("flags");
                int flags = f.def().flags();
                r.set(Integer.bitCount(flags));
                for (int i = 0; i < ScriptEngine.FLAG_NAMES.length; i++) {
                    if ((flags & (1 << i)) != 0) r.status(ScriptEngine.FLAG_NAMES[i]);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code());
            }
        }
    }

    /** FUNCTION STATS: the running function, if any, and the engine's library and function counts. */
    private void stats(Call c) {
        if (!scripts.replyRunningFunction(c)) return;
        Reply r = c.reply;
        r.bulk("engines");
        r.map(1);
        r.bulk(FunctionLibraries.ENGINE);
        r.map(2);
        r.bulk("libraries_count");
        r.integer(scripts.functions().libraries().size());
        r.bulk("functions_count");
        r.integer(scripts.functions().functionCount());
    }

    private void kill(Call c) { scripts.kill(c, false); }

    /** FUNCTION DUMP: every library as RDB function records, then the RDB version and a CRC64, as DUMP's payloads end. */
    private void dump(Call c) {
        io.jackdaw.types.RdbOutput out = new io.jackdaw.types.RdbOutput(256, c.server.rdbCompression());
        scripts.functions().dump(out);
        int version = io.jackdaw.store.RdbValues.VERSION;
        out.writeByte(version & 0xFF);
        out.writeByte(version >>> 8);
        out.writeLongLE(io.jackdaw.types.Crc64.update(0, out.buffer(), 0, out.size()));
        c.reply.bulk(out.toByteArray());
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
    private void restore(Call c) {
        CommandArgs a = c.args;
        if (a.count() > 4) {
            c.reply.error(Errors.subcommandSyntax(a, "FUNCTION"));
            return;
        }
        FunctionLibraries.RestorePolicy policy = FunctionLibraries.RestorePolicy.APPEND;
        if (a.count() == 4) {
            if (a.is(3, "APPEND")) policy = FunctionLibraries.RestorePolicy.APPEND;
            else if (a.is(3, "REPLACE")) policy = FunctionLibraries.RestorePolicy.REPLACE;
            else if (a.is(3, "FLUSH")) policy = FunctionLibraries.RestorePolicy.FLUSH;
            else {
                c.reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        byte[] p = a.bytes(2);
        if (!DumpRestoreCommands.verify(p, 0, p.length)) {
            c.reply.error(Errors.DUMP_PAYLOAD);
            return;
        }
        try {
            scripts.functions().restore(new io.jackdaw.types.RdbInput(p, 0, p.length - DumpRestoreCommands.FOOTER),
                    p.length - DumpRestoreCommands.FOOTER, policy);
        } catch (ScriptEngine.ScriptException e) {
            c.reply.error("ERR " + e.getMessage());
            return;
        }
        c.dirty++;
        c.reply.ok();
    }
}
