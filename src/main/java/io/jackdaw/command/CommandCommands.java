package io.jackdaw.command;

import io.jackdaw.types.Glob;
import java.util.ArrayList;
import java.util.List;

/** COMMAND and its subcommands: the command table as clients and tools read it. */
public final class CommandCommands {
    private CommandCommands() {}

    static void register(CommandTable t) {
        t.register("command", CommandCommands::all);
        t.register("command|count", c -> c.reply.integer(c.server.commands().size()));
        t.register("command|info", CommandCommands::info);
        t.register("command|docs", CommandCommands::docs);
        t.register("command|list", CommandCommands::list);
        t.register("command|getkeys", c -> getKeys(c, false));
        t.register("command|getkeysandflags", c -> getKeys(c, true));
        t.register("command|help", c -> Help.reply(c, "COMMAND", HELP));
    }

    private static final List<String> HELP = List.of(
            "(no subcommand)",
            "    Describe every command, as COMMAND INFO does.",
            "COUNT",
            "    Answer with the number of commands.",
            "DOCS [<command-name> ...]",
            "    Documentation of the named commands, or of all of them.",
            "GETKEYS <full-command>",
            "    Answer with the keys a full command would touch.",
            "GETKEYSANDFLAGS <full-command>",
            "    As GETKEYS, with each key's access flags.",
            "INFO [<command-name> ...]",
            "    Details of the named commands, or of all of them.",
            "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
            "    Names of all commands, optionally filtered.");

    static void all(Call c) {
        CommandTable t = c.server.commands();
        c.reply.array(t.size());
        for (CommandSpec s : t.all()) writeInfo(c.reply, s);
    }

    static void info(Call c) {
        CommandTable t = c.server.commands();
        if (c.argc() == 2) {
            all(c);
            return;
        }
        c.reply.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec s = t.get(c.args.string(i));
            if (s == null) c.reply.nullBulk(); // Redis's addReplyNull: $-1 in RESP2
            else writeInfo(c.reply, s);
        }
    }

    static void writeInfo(Reply r, CommandSpec s) {
        r.array(10);
        r.bulk(s.name);
        r.integer(s.arity);
        writeFlags(r, s.flags);
        r.integer(s.legacyFirst);
        r.integer(s.legacyLast);
        r.integer(s.legacyStep);
        List<String> cats = new ArrayList<>();
        for (int i = 0; i < AclCategory.NAMES.size(); i++)
            if ((s.aclCategories & (1L << i)) != 0) cats.add("@" + AclCategory.NAMES.get(i));
        r.set(cats.size());
        for (String cat : cats) r.status(cat);
        r.set(s.tips.size());
        for (String tip : s.tips) r.bulk(tip);
        writeKeySpecs(r, s.keySpecs);
        // Redis: an empty set when there are no subcommands, else an array of them (~0 vs *N in RESP3).
        if (s.subcommands.isEmpty()) r.set(0);
        else r.array(s.subcommands.size());
        for (CommandSpec sub : s.subcommands.values()) writeInfo(r, sub);
    }

    private static void writeFlags(Reply r, long flags) {
        int n = 0;
        for (CommandFlags.Named f : CommandFlags.PRINTED) if ((flags & f.bit()) != 0) n++;
        r.set(n);
        for (CommandFlags.Named f : CommandFlags.PRINTED) if ((flags & f.bit()) != 0) r.status(f.name());
    }

    private static void writeKeyFlags(Reply r, long flags) {
        r.set(Long.bitCount(flags));
        for (int i = 0; i < KeySpec.FLAG_NAMES.size(); i++) if ((flags & (1L << i)) != 0) r.status(KeySpec.FLAG_NAMES.get(i));
    }

    private static void writeKeySpecs(Reply r, List<KeySpec> specs) {
        r.set(specs.size()); // a set in RESP3, as Redis's addReplyCommandKeySpecs
        for (KeySpec k : specs) {
            r.map(k.notes() != null ? 4 : 3);
            if (k.notes() != null) {
                r.bulk("notes");
                r.bulk(k.notes());
            }
            r.bulk("flags");
            writeKeyFlags(r, k.flags());
            r.bulk("begin_search");
            r.map(2);
            r.bulk("type");
            switch (k.beginType()) {
                case INDEX -> {
                    r.bulk("index");
                    r.bulk("spec");
                    r.map(1);
                    r.bulk("index");
                    r.integer(k.index());
                }
                case KEYWORD -> {
                    r.bulk("keyword");
                    r.bulk("spec");
                    r.map(2);
                    r.bulk("keyword");
                    r.bulk(k.keyword());
                    r.bulk("startfrom");
                    r.integer(k.startFrom());
                }
                default -> {
                    r.bulk("unknown");
                    r.bulk("spec");
                    r.map(0);
                }
            }
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            switch (k.findType()) {
                case RANGE -> {
                    r.bulk("range");
                    r.bulk("spec");
                    r.map(3);
                    r.bulk("lastkey");
                    r.integer(k.lastKey());
                    r.bulk("keystep");
                    r.integer(k.keyStep());
                    r.bulk("limit");
                    r.integer(k.limit());
                }
                case KEYNUM -> {
                    r.bulk("keynum");
                    r.bulk("spec");
                    r.map(3);
                    r.bulk("keynumidx");
                    r.integer(k.keyNumIndex());
                    r.bulk("firstkey");
                    r.integer(k.firstKey());
                    r.bulk("keystep");
                    r.integer(k.keyStep());
                }
                default -> {
                    r.bulk("unknown");
                    r.bulk("spec");
                    r.map(0);
                }
            }
        }
    }

    static void docs(Call c) {
        CommandTable t = c.server.commands();
        List<CommandSpec> chosen = new ArrayList<>();
        if (c.argc() == 2) {
            chosen.addAll(t.all());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec s = t.get(c.args.string(i));
                if (s != null) chosen.add(s);
            }
        }
        c.reply.map(chosen.size());
        for (CommandSpec s : chosen) {
            c.reply.bulk(s.name);
            writeDocs(c.reply, s);
        }
    }

    static void writeDocs(Reply r, CommandSpec s) {
        int n = 1;
        if (s.summary != null) n++;
        if (s.since != null) n++;
        if (s.complexity != null) n++;
        if (!s.docFlags.isEmpty()) n++;
        if (s.deprecatedSince != null) n++;
        if (s.replacedBy != null) n++;
        if (!s.history.isEmpty()) n++;
        if (s.args != null) n++;
        if (!s.subcommands.isEmpty()) n++;
        r.map(n);
        if (s.summary != null) {
            r.bulk("summary");
            r.bulk(s.summary);
        }
        if (s.since != null) {
            r.bulk("since");
            r.bulk(s.since);
        }
        r.bulk("group");
        // Redis names the sorted_set group "sorted-set" here.
        r.bulk(s.group.replace('_', '-'));
        if (s.complexity != null) {
            r.bulk("complexity");
            r.bulk(s.complexity);
        }
        if (!s.docFlags.isEmpty()) {
            r.bulk("doc_flags");
            r.set(s.docFlags.size());
            for (String f : s.docFlags) r.status(f);
        }
        if (s.deprecatedSince != null) {
            r.bulk("deprecated_since");
            r.bulk(s.deprecatedSince);
        }
        if (s.replacedBy != null) {
            r.bulk("replaced_by");
            r.bulk(s.replacedBy);
        }
        if (!s.history.isEmpty()) {
            r.bulk("history");
            r.set(s.history.size());
            for (String[] h : s.history) {
                r.array(2);
                r.bulk(h[0]);
                r.bulk(h[1]);
            }
        }
        if (s.args != null) {
            r.bulk("arguments");
            writeArgs(r, s.args);
        }
        if (!s.subcommands.isEmpty()) {
            r.bulk("subcommands");
            r.map(s.subcommands.size());
            for (CommandSpec sub : s.subcommands.values()) {
                r.bulk(sub.name);
                writeDocs(r, sub);
            }
        }
    }

    private static void writeArgs(Reply r, List<ArgDoc> args) {
        r.array(args.size());
        for (ArgDoc a : args) {
            boolean nested = a.type().equals("oneof") || a.type().equals("block");
            int n = 2;
            if (a.keySpecIndex() >= 0) n++;
            if (a.token() != null) n++;
            if (a.summary() != null) n++;
            if (a.since() != null) n++;
            if (a.deprecatedSince() != null) n++;
            boolean anyFlag = a.optional() || a.multiple() || a.multipleToken();
            if (anyFlag) n++;
            n++; // display_text, or the nested arguments
            r.map(n);
            r.bulk("name");
            r.bulk(a.name());
            r.bulk("type");
            r.bulk(a.type());
            if (!nested) {
                r.bulk("display_text");
                r.bulk(a.displayText() != null ? a.displayText() : a.name());
            }
            if (a.keySpecIndex() >= 0) {
                r.bulk("key_spec_index");
                r.integer(a.keySpecIndex());
            }
            if (a.token() != null) {
                r.bulk("token");
                r.bulk(a.token());
            }
            if (a.summary() != null) {
                r.bulk("summary");
                r.bulk(a.summary());
            }
            if (a.since() != null) {
                r.bulk("since");
                r.bulk(a.since());
            }
            if (a.deprecatedSince() != null) {
                r.bulk("deprecated_since");
                r.bulk(a.deprecatedSince());
            }
            if (anyFlag) {
                r.bulk("flags");
                int f = (a.optional() ? 1 : 0) + (a.multiple() ? 1 : 0) + (a.multipleToken() ? 1 : 0);
                r.set(f);
                if (a.optional()) r.status("optional");
                if (a.multiple()) r.status("multiple");
                if (a.multipleToken()) r.status("multiple_token");
            }
            if (nested) {
                r.bulk("arguments");
                writeArgs(r, a.args() == null ? List.of() : a.args());
            }
        }
    }

    static void list(Call c) {
        CommandArgs a = c.args;
        String type = null, arg = null;
        for (int i = 2; i < a.count(); i++) {
            int more = a.count() - 1 - i;
            if (a.is(i, "FILTERBY") && more == 2) {
                if (a.is(i + 1, "MODULE") || a.is(i + 1, "ACLCAT") || a.is(i + 1, "PATTERN")) {
                    type = a.string(i + 1).toUpperCase(java.util.Locale.ROOT);
                    arg = a.string(i + 2);
                    i += 2;
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        List<String> out = new ArrayList<>();
        for (CommandSpec s : c.server.commands().all()) {
            if (keep(s, type, arg)) out.add(s.name);
            for (CommandSpec sub : s.subcommands.values()) if (keep(sub, type, arg)) out.add(sub.name);
        }
        c.reply.array(out.size());
        for (String n : out) c.reply.bulk(n);
    }

    private static boolean keep(CommandSpec s, String type, String arg) {
        if (type == null) return true;
        return switch (type) {
            case "MODULE" -> false; // no modules
            case "ACLCAT" -> {
                long bit = AclCategory.bit(arg);
                yield bit != 0 && (s.aclCategories & bit) != 0;
            }
            default -> Glob.match(arg, s.name, true);
        };
    }

    /**
     * SET's key flags depend on its arguments (Redis's setGetKeys): with a GET option the key is
     * read and written (RW access update), otherwise only overwritten (OW update).
     */
    private static long setKeyFlags(CommandArgs setArgs) {
        for (int i = 3; i < setArgs.count(); i++) {
            if (setArgs.is(i, "GET")) return KeySpec.parseFlag("RW") | KeySpec.parseFlag("ACCESS") | KeySpec.parseFlag("UPDATE");
        }
        return KeySpec.parseFlag("OW") | KeySpec.parseFlag("UPDATE");
    }

    /**
     * BITFIELD's key flags depend on its subcommands (Redis's bitfieldGetKeys): read-only (RO
     * access) while only GETs and OVERFLOWs are seen, read-write (RW access update) from the
     * first SET or INCRBY, or anything it cannot parse.
     */
    private static long bitfieldKeyFlags(CommandArgs args) {
        int argc = args.count();
        for (int i = 2; i < argc; i++) {
            int remaining = argc - i - 1;
            if (args.is(i, "GET") && remaining >= 2) i += 2;
            else if (args.is(i, "OVERFLOW") && remaining >= 1) i += 1;
            else return KeySpec.parseFlag("RW") | KeySpec.parseFlag("ACCESS") | KeySpec.parseFlag("UPDATE");
        }
        return KeySpec.parseFlag("RO") | KeySpec.parseFlag("ACCESS");
    }

    static void getKeys(Call c, boolean withFlags) {
        CommandArgs a = c.args;
        // Look the command up from argv[2..] as the gate would.
        CommandSpec s = c.server.commands().get(a.string(2));
        if (s != null && s.isContainer() && a.count() >= 4) {
            s = s.subcommand(a, 3);
        }
        if (s == null) {
            c.reply.error(Errors.INVALID_COMMAND_SPECIFIED);
            return;
        }
        if (s.keySpecs.isEmpty()) {
            c.reply.error(Errors.COMMAND_HAS_NO_KEYS);
            return;
        }
        int argc = a.count() - 2;
        if ((s.arity > 0 && s.arity != argc) || argc < -s.arity) {
            c.reply.error(Errors.INVALID_ARG_COUNT);
            return;
        }
        CommandArgs sub = new CommandArgs();
        for (int i = 2; i < a.count(); i++) sub.add(a.bytes(i));
        List<int[]> keys = new ArrayList<>();
        List<Long> flags = new ArrayList<>();
        boolean ok = true;
        if (s.name.equals("sort") || s.name.equals("sort_ro")) {
            sortKeys(sub, s.name.equals("sort"), keys, flags);
            replyKeys(c, sub, keys, flags, withFlags);
            return;
        }
        for (KeySpec k : s.keySpecs) {
            if ((k.flags() & KeySpec.NOT_KEY) != 0) continue;
            if (!k.extract(sub, argc, (i, f) -> {
                keys.add(new int[] {i});
                flags.add(f);
            })) {
                ok = false;
                break;
            }
        }
        if (!ok) {
            if (s.has(CommandFlags.NO_MANDATORY_KEYS)) c.reply.array(0);
            else c.reply.error(Errors.INVALID_ARGS);
            return;
        }
        if (s.name.equals("set") && !keys.isEmpty()) flags.set(0, setKeyFlags(sub));
        if (s.name.equals("bitfield") && !keys.isEmpty()) flags.set(0, bitfieldKeyFlags(sub));
        replyKeys(c, sub, keys, flags, withFlags);
    }

    /**
     * SORT's keys, whose specs are "unknown" (Redis's sortGetKeys): the sorted key, then for SORT
     * the last STORE destination, skipping LIMIT's two arguments and GET's and BY's one.
     */
    private static void sortKeys(CommandArgs args, boolean store, List<int[]> keys, List<Long> flags) {
        keys.add(new int[] {1});
        flags.add(KeySpec.parseFlag("RO") | KeySpec.parseFlag("ACCESS"));
        if (!store) return;
        int dest = -1;
        for (int i = 2; i < args.count(); i++) {
            if (args.is(i, "LIMIT")) i += 2;
            else if (args.is(i, "STORE") && i + 1 < args.count()) dest = i + 1;
            else if (args.is(i, "GET") || args.is(i, "BY")) i += 1;
        }
        if (dest >= 0) {
            keys.add(new int[] {dest});
            flags.add(KeySpec.parseFlag("OW") | KeySpec.parseFlag("UPDATE"));
        }
    }

    private static void replyKeys(Call c, CommandArgs sub, List<int[]> keys, List<Long> flags, boolean withFlags) {
        c.reply.array(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            int at = keys.get(i)[0];
            if (withFlags) {
                c.reply.array(2);
                c.reply.bulk(sub.data(), sub.offset(at), sub.length(at));
                writeKeyFlags(c.reply, flags.get(i));
            } else {
                c.reply.bulk(sub.data(), sub.offset(at), sub.length(at));
            }
        }
    }
}
