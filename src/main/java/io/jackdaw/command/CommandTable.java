package io.jackdaw.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command table: metadata read from one JSON file per command group, handlers attached
 * by the family classes, and a look-up on the raw bytes of argv[0] that allocates nothing.
 */
public final class CommandTable {
    /** Redis's command groups; each may have a {@code <group>.json} file. */
    public static final List<String> GROUPS = List.of(
            "generic", "string", "list", "set", "sorted_set", "hash", "pubsub", "transactions", "connection",
            "server", "scripting", "hyperloglog", "cluster", "sentinel", "geo", "stream", "bitmap");

    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private CommandSpec[] buckets = new CommandSpec[0];
    private int mask;

    public static CommandTable load() {
        CommandTable t = new CommandTable();
        ObjectMapper json = new ObjectMapper();
        for (String group : GROUPS) {
            try (InputStream in = CommandTable.class.getResourceAsStream("table/" + group + ".json")) {
                if (in == null) continue;
                for (JsonNode n : json.readTree(in)) {
                    CommandSpec spec = parse(n, group);
                    t.commands.put(spec.name, spec);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("command table " + group, e);
            }
        }
        t.index();
        return t;
    }

    private static CommandSpec parse(JsonNode n, String group) {
        String name = n.path("name").asText().toLowerCase(Locale.ROOT);
        long flags = 0;
        for (JsonNode f : n.path("flags")) flags |= CommandFlags.parse(f.asText().toLowerCase(Locale.ROOT));
        long acl = 0;
        for (JsonNode a : n.path("acl")) {
            long bit = AclCategory.bit(a.asText());
            if (bit == 0) throw new IllegalArgumentException(name + ": unknown ACL category " + a.asText());
            acl |= bit;
        }
        acl = AclCategory.withImplicit(acl, flags);
        List<KeySpec> keys = new ArrayList<>();
        for (JsonNode k : n.path("keys")) keys.add(parseKeySpec(k));
        List<String[]> history = new ArrayList<>();
        for (JsonNode h : n.path("history")) history.add(new String[] {h.get(0).asText(), h.get(1).asText()});
        CommandSpec spec = new CommandSpec(name, group, n.path("arity").asInt(), flags, acl, List.copyOf(keys),
                n.path("lockAll").asBoolean(false) ? CommandSpec.Locking.ALL : CommandSpec.Locking.KEYS,
                text(n, "summary"), text(n, "since"), text(n, "complexity"), text(n, "deprecatedSince"),
                text(n, "replacedBy"), strings(n.path("docFlags")), history, strings(n.path("tips")),
                n.has("args") ? parseArgs(n.path("args")) : null);
        for (JsonNode s : n.path("subcommands")) {
            CommandSpec sub = parse(s, group);
            sub.parent = spec;
            spec.subcommands.put(sub.name, sub);
        }
        return spec;
    }

    private static KeySpec parseKeySpec(JsonNode k) {
        long flags = 0;
        for (JsonNode f : k.path("flags")) flags |= KeySpec.parseFlag(f.asText());
        JsonNode b = k.path("begin"), f = k.path("find");
        KeySpec.BeginType bt = b.has("index") ? KeySpec.BeginType.INDEX
                : b.has("keyword") ? KeySpec.BeginType.KEYWORD : KeySpec.BeginType.UNKNOWN;
        KeySpec.FindType ft = f.has("range") ? KeySpec.FindType.RANGE
                : f.has("keynum") ? KeySpec.FindType.KEYNUM : KeySpec.FindType.UNKNOWN;
        JsonNode r = f.path("range"), kn = f.path("keynum");
        return new KeySpec(flags, text(k, "notes"), bt, b.path("index").asInt(0), upper(text(b, "keyword")),
                b.path("startFrom").asInt(0), ft,
                r.path("lastKey").asInt(0), ft == KeySpec.FindType.KEYNUM ? kn.path("step").asInt(1) : r.path("step").asInt(1),
                r.path("limit").asInt(0), kn.path("index").asInt(0), kn.path("first").asInt(0));
    }

    private static List<ArgDoc> parseArgs(JsonNode arr) {
        List<ArgDoc> out = new ArrayList<>();
        for (JsonNode a : arr) {
            out.add(new ArgDoc(a.path("name").asText(), a.path("type").asText(), text(a, "display"),
                    a.has("key") ? a.path("key").asInt() : -1, text(a, "token"), text(a, "summary"), text(a, "since"),
                    text(a, "deprecatedSince"), a.path("optional").asBoolean(false), a.path("multiple").asBoolean(false),
                    a.path("multipleToken").asBoolean(false), a.has("args") ? parseArgs(a.path("args")) : null));
        }
        return List.copyOf(out);
    }

    private static String upper(String s) { return s == null ? null : s.toUpperCase(Locale.ROOT); }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : arr) out.add(s.asText());
        return List.copyOf(out);
    }

    // ------------------------------------------------------------ raw-byte look-up

    private void index() {
        int cap = Integer.highestOneBit(Math.max(16, commands.size() * 4) - 1) << 1;
        buckets = new CommandSpec[cap];
        mask = cap - 1;
        for (CommandSpec c : commands.values()) {
            int i = upperHash(c.upperName, 0, c.upperName.length) & mask;
            while (buckets[i] != null) i = (i + 1) & mask;
            buckets[i] = c;
        }
    }

    private static int upperHash(byte[] b, int off, int len) {
        int h = len;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c >= 'a' && c <= 'z') c -= 32;
            h = h * 31 + c;
        }
        return h ^ (h >>> 16);
    }

    /** The command named by argument 0, or null. */
    public CommandSpec lookup(CommandArgs args) {
        byte[] d = args.data();
        int off = args.offset(0), len = args.length(0);
        int i = upperHash(d, off, len) & mask;
        CommandSpec c;
        while ((c = buckets[i]) != null) {
            if (args.is(0, c.upperName)) return c;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** By name, e.g. "get" or "config|get". */
    public CommandSpec get(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) return commands.get(n);
        CommandSpec parent = commands.get(n.substring(0, bar));
        return parent == null ? null : parent.subcommands.get(n);
    }

    public Collection<CommandSpec> all() { return Collections.unmodifiableCollection(commands.values()); }

    public int size() { return commands.size(); }

    /** Attaches the handler for a command or "container|sub". */
    public void register(String name, CommandHandler handler) {
        CommandSpec spec = get(name);
        if (spec == null) throw new IllegalArgumentException("no metadata for command " + name);
        spec.handler = handler;
    }

    /** Names of table entries (commands and subcommands) that have no handler. */
    public List<String> unhandled() {
        List<String> out = new ArrayList<>();
        for (CommandSpec c : commands.values()) {
            if (c.isContainer()) {
                for (CommandSpec s : c.subcommands.values()) if (s.handler == null) out.add(s.name);
            } else if (c.handler == null) {
                out.add(c.name);
            }
        }
        return out;
    }
}
