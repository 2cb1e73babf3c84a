package io.jackdaw.server.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads redis.conf syntax into a value map the way Redis 7.2's loadServerConfigFromString does,
 * including its command-line handling, where {@code --name value} options become extra lines
 * appended after the file.
 */
final class ConfigFileParser implements ValueRules.Context {
    /** Redis recurses without limit; a cycle would only end in a crash, so Jackdaw stops here. */
    static final int MAX_INCLUDE_DEPTH = 64;

    /** A command line split into its config file argument and the pseudo-file built from the options. */
    record Invocation(String configFile, String options) {
    }

    private final DirectiveTable table;
    private final LoadOptions options;

    final Map<String, String> values;
    /** Directives (canonical names, or pseudo names for file-only ones) that the files actually set. */
    final Set<String> setDuringLoad = new LinkedHashSet<>();
    final List<List<String>> users = new ArrayList<>();
    final List<List<String>> modules = new ArrayList<>();
    final List<List<String>> renames = new ArrayList<>();
    final Map<String, String> moduleConfigs = new LinkedHashMap<>();
    boolean sentinelSeen;

    private boolean readingConfigFile;
    private boolean saveLoaded;
    private final Set<String> renamedAway = new HashSet<>();
    private final Set<String> renamedTo = new HashSet<>();

    ConfigFileParser(DirectiveTable table, LoadOptions options, Map<String, String> initialValues) {
        this.table = table;
        this.options = options;
        this.values = initialValues;
    }

    /**
     * Mirrors redis-server's main(): a first argument not starting with '-' is the config file, the rest
     * become "name value" lines, values quoted so they survive re-splitting. A lone "-" (stdin) is ignored.
     */
    static Invocation parseArgv(String[] argv) {
        if (argv.length == 0) {
            return new Invocation(null, null);
        }
        int j = 0;
        String file = null;
        if (argv[0].isEmpty() || argv[0].charAt(0) != '-') {
            file = argv[0];
            j = 1;
        }
        int last = argv.length - 1;
        StringBuilder opts = new StringBuilder();
        boolean handledLastConfigArg = true;
        for (; j < argv.length; j++) {
            String a = argv[j];
            if (a.equals("-") && (j == 0 || j == last)) {
                continue;
            }
            if (handledLastConfigArg && a.startsWith("--")) {
                if (!opts.isEmpty()) {
                    opts.append('\n');
                }
                opts.append(a, 2, a.length()).append(' ');
                List<String> tmp = RedisStrings.splitArgs(a);
                if (tmp != null && tmp.size() == 1) {
                    // A bare "--name": the following argument(s) are its value.
                    handledLastConfigArg = false;
                    boolean nextIsOption = j != last && argv[j + 1].startsWith("--");
                    if (nextIsOption && a.equalsIgnoreCase("--save")) {
                        // "--save --port 1" has meant "no snapshots" since before Redis 7.
                        opts.append("\"\"");
                        handledLastConfigArg = true;
                    } else if (j == last && a.equalsIgnoreCase("--save")) {
                        opts.append("\"\"");
                    } else if (nextIsOption && a.equalsIgnoreCase("--sentinel")) {
                        handledLastConfigArg = true;
                    }
                } else {
                    // "--port 6380" passed as one argument carries its own value.
                    handledLastConfigArg = true;
                }
            } else {
                opts.append(RedisStrings.repr(a)).append(' ');
                handledLastConfigArg = true;
            }
        }
        return new Invocation(file, opts.toString());
    }

    /** loadServerConfig: the file (if any), then "\n" and the options (if any), parsed as one text. */
    void load(Path configFile, String optionsText) throws ConfigException {
        String content = "";
        if (configFile != null) {
            try {
                content = readConfigText(configFile);
            } catch (IOException e) {
                throw new ConfigException(ConfigErrors.cannotOpen(configFile.toString(), ValueRules.strerror(e)));
            }
        }
        if (optionsText != null) {
            content = content + "\n" + optionsText;
        }
        loadString(content, 0);
    }

    private Path cwd() {
        return Path.of(values.get("dir"));
    }

    /** Reads a file like fopen+fgets would: a directory opens fine but reads as empty. */
    private static String readConfigText(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return "";
        }
        return RedisStrings.decode(Files.readAllBytes(p));
    }

    private void loadString(String content, int depth) throws ConfigException {
        readingConfigFile = true;
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = RedisStrings.trim(lines[i], " \t\r\n");
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            List<String> argv = RedisStrings.splitArgs(line);
            if (argv == null) {
                throw fatal(lineNo, line, "Unbalanced quotes in configuration line");
            }
            if (argv.isEmpty()) {
                continue;
            }
            String name = RedisStrings.lower(argv.get(0));
            Directive d = table.lookup(name);
            if (d != null && d.isStandard()) {
                applyStandard(d, argv, lineNo, line);
                continue;
            }
            if (d != null && d.isDeprecated() && argv.size() == 2) {
                continue;
            }
            int argc = argv.size();
            if (name.equals("include") && argc == 2) {
                include(argv.get(1), depth, lineNo, line);
            } else if (name.equals("rename-command") && argc == 3) {
                rename(argv.get(1), argv.get(2), lineNo, line);
            } else if (name.equals("user") && argc >= 2) {
                users.add(List.copyOf(argv.subList(1, argc)));
                setDuringLoad.add("user");
            } else if (name.equals("loadmodule") && argc >= 2) {
                modules.add(List.copyOf(argv.subList(1, argc)));
                setDuringLoad.add("loadmodule");
            } else if (name.indexOf('.') >= 0) {
                if (argc < 2) {
                    throw fatal(lineNo, line, "Module config specified without value");
                }
                moduleConfigs.put(name, String.join(" ", argv.subList(1, argc)));
                setDuringLoad.add(name);
            } else if (name.equals("sentinel")) {
                // A bare "sentinel" is Redis's sentinel-mode marker; anything more needs sentinel mode.
                if (argc != 1) {
                    throw fatal(lineNo, line, "sentinel directive while not in sentinel mode");
                }
                sentinelSeen = true;
                setDuringLoad.add("sentinel");
            } else {
                throw fatal(lineNo, line, "Bad directive or wrong number of arguments");
            }
        }
        // Like Redis, finishing any file (an include too) ends the "save lines add up" mode.
        readingConfigFile = false;
        postLoadChecks();
    }

    private void applyStandard(Directive d, List<String> argv, int lineNo, String line) throws ConfigException {
        if (!d.isMultiArg() && argv.size() != 2) {
            throw fatal(lineNo, line, "wrong number of arguments");
        }
        List<String> args;
        if (d.isMultiArg() && argv.size() == 2 && !argv.get(1).isEmpty()) {
            // Lets `--save "900 1 300 10"` carry several values in one argument.
            List<String> split = RedisStrings.splitArgs(argv.get(1));
            args = split == null ? List.of() : split;
        } else {
            args = argv.subList(1, argv.size());
        }
        try {
            values.put(d.name(), ValueRules.set(d, args, values.get(d.name()), this));
        } catch (ValueRules.BadValue e) {
            throw fatal(lineNo, line, e.getMessage());
        }
        setDuringLoad.add(d.name());
    }

    private void rename(String from, String to, int lineNo, String line) throws ConfigException {
        if (options.commandExists() != null) {
            String f = RedisStrings.lower(from);
            String t = RedisStrings.lower(to);
            if (!commandExists(f)) {
                throw fatal(lineNo, line, "No such command in rename-command");
            }
            renamedTo.remove(f);
            renamedAway.add(f);
            if (!t.isEmpty()) {
                if (commandExists(t)) {
                    throw fatal(lineNo, line, "Target command name already exists");
                }
                renamedTo.add(t);
                renamedAway.remove(t);
            }
        }
        renames.add(List.of(from, to));
        setDuringLoad.add("rename-command");
    }

    private boolean commandExists(String lowerName) {
        return renamedTo.contains(lowerName)
                || (!renamedAway.contains(lowerName) && options.commandExists().test(lowerName));
    }

    private void include(String path, int depth, int lineNo, String line) throws ConfigException {
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw fatal(lineNo, line, "Too many nested include directives (possible include loop)");
        }
        StringBuilder text = new StringBuilder();
        if (path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0) {
            // Wildcards: no match is fine (an empty conf.d), a matched file that cannot be read is not.
            for (String[] match : expandGlob(path)) {
                try {
                    text.append(readConfigText(Path.of(match[1])));
                } catch (IOException e) {
                    throw new ConfigException(ConfigErrors.cannotOpen(match[0], ValueRules.strerror(e)));
                }
            }
        } else {
            try {
                text.append(readConfigText(resolve(path)));
            } catch (IOException e) {
                throw new ConfigException(ConfigErrors.cannotOpen(path, ValueRules.strerror(e)));
            }
        }
        loadString(text.toString(), depth + 1);
    }

    private Path resolve(String path) throws IOException {
        try {
            return cwd().resolve(path);
        } catch (InvalidPathException e) {
            throw new NoSuchFileException(path);
        }
    }

    /** A small glob(3): wildcards in any path component, hidden entries only for patterns starting with '.'. */
    private List<String[]> expandGlob(String pattern) {
        boolean absolute = pattern.startsWith("/");
        List<String[]> current = new ArrayList<>(); // {display, resolved}
        current.add(new String[] {absolute ? "/" : "", absolute ? "/" : cwd().toString()});
        String[] parts = pattern.split("/");
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            boolean wild = part.indexOf('*') >= 0 || part.indexOf('?') >= 0 || part.indexOf('[') >= 0;
            List<String[]> next = new ArrayList<>();
            for (String[] c : current) {
                Path dir = Path.of(c[1]);
                if (!wild) {
                    next.add(new String[] {join(c[0], part), dir.resolve(part).toString()});
                    continue;
                }
                List<String> names = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path child : ds) {
                        String n = child.getFileName().toString();
                        if (n.startsWith(".") && !part.startsWith(".")) {
                            continue;
                        }
                        if (io.jackdaw.types.Glob.match(part, n, false)) {
                            names.add(n);
                        }
                    }
                } catch (IOException | InvalidPathException e) {
                    continue;
                }
                names.sort(null);
                for (String n : names) {
                    next.add(new String[] {join(c[0], n), dir.resolve(n).toString()});
                }
            }
            current = next;
        }
        List<String[]> out = new ArrayList<>();
        for (String[] c : current) {
            if (Files.exists(Path.of(c[1]))) {
                out.add(c);
            }
        }
        out.sort((a, b) -> a[0].compareTo(b[0]));
        return out;
    }

    private static String join(String prefix, String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }

    private void postLoadChecks() throws ConfigException {
        String logfile = values.get("logfile");
        if (options.touchFilesystem() && logfile != null && !logfile.isEmpty()) {
            // Redis opens the log file once up front because it cannot abort cleanly later.
            try (OutputStream out = Files.newOutputStream(resolve(logfile),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.flush();
            } catch (IOException e) {
                throw new ConfigException(ConfigErrors.fatal("Can't open the log file: " + ValueRules.strerror(e)));
            }
        }
        boolean cluster = "yes".equals(values.get("cluster-enabled"));
        String replicaOf = values.get("replicaof");
        if (cluster && replicaOf != null && !replicaOf.isEmpty()) {
            throw new ConfigException(ConfigErrors.fatal("replicaof directive not allowed in cluster mode"));
        }
        if (cluster && Long.parseLong(values.get("databases")) > 1) {
            values.put("databases", "1");
        }
    }

    private static ConfigException fatal(int lineNo, String line, String reason) {
        return new ConfigException(ConfigErrors.fatal(lineNo, line, reason), null, reason);
    }

    // ---- ValueRules.Context ----

    @Override
    public boolean readingConfigFile() {
        return readingConfigFile;
    }

    @Override
    public boolean firstSaveOfLoad() {
        if (saveLoaded) {
            return false;
        }
        saveLoaded = true;
        return true;
    }

    @Override
    public String value(String canonicalName) {
        return values.get(canonicalName);
    }

    @Override
    public boolean touchFilesystem() {
        return options.touchFilesystem();
    }
}
