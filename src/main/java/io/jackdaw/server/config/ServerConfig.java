package io.jackdaw.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's configuration: every directive Redis 7.2 / Valkey 8 know (see {@code directives.tsv}),
 * loaded from redis.conf syntax and the command line, with CONFIG GET / SET / REWRITE semantics.
 *
 * <p>Values are kept as CONFIG GET prints them. Reads are lock-free against an immutable snapshot;
 * changes are serialised and publish a new snapshot. Because Jackdaw cannot chdir like Redis, the
 * {@code dir} directive holds an absolute path that the core should resolve relative file names against.
 */
public final class ServerConfig {

    /** Told about a successful change; throwing vetoes it and the whole CONFIG SET rolls back. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param name     canonical directive name
         * @param newValue the value as CONFIG GET now prints it
         * @throws ConfigException to veto; its message becomes the reason in the CONFIG SET error
         */
        void changed(String name, String newValue) throws ConfigException;
    }

    private static final String WARNING_FORMAT = "Directive '%s' is accepted but not implemented yet; ignoring it";

    private final DirectiveTable table;
    private final LoadOptions options;
    private final Path configFile;
    private volatile Map<String, String> values;
    private final Map<String, String> defaults;
    private final List<String> setDuringLoad;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Set<String> implemented = ConcurrentHashMap.newKeySet();
    private final List<List<String>> renames;
    private final List<List<String>> modules;
    private final Map<String, String> moduleConfigs;
    private volatile List<List<String>> users;
    private volatile boolean loading;

    private ServerConfig(DirectiveTable table, LoadOptions options, Path configFile, Map<String, String> defaults,
                         ConfigFileParser parsed) {
        this.table = table;
        this.options = options;
        this.configFile = configFile;
        this.defaults = Collections.unmodifiableMap(new HashMap<>(defaults));
        this.values = Collections.unmodifiableMap(new HashMap<>(parsed.values));
        this.setDuringLoad = List.copyOf(parsed.setDuringLoad);
        this.renames = List.copyOf(parsed.renames);
        this.modules = List.copyOf(parsed.modules);
        this.moduleConfigs = Collections.unmodifiableMap(new LinkedHashMap<>(parsed.moduleConfigs));
        this.users = List.copyOf(parsed.users);
    }

    // ---- construction --------------------------------------------------------------------------------

    /** Every directive at its default, {@code dir} being the process working directory. */
    public static ServerConfig defaults() {
        return defaults(LoadOptions.defaults());
    }

    public static ServerConfig defaults(LoadOptions options) {
        DirectiveTable table = DirectiveTable.standard();
        Map<String, String> dflt = defaultValues(table, options);
        return new ServerConfig(table, options, null, dflt, new ConfigFileParser(table, options, new HashMap<>(dflt)));
    }

    /**
     * Loads like {@code redis-server [configfile] [--name value ...]} (argv without the program name).
     * Errors carry Redis's fatal message, e.g. {@code "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n..."}.
     */
    public static ServerConfig fromArgs(String[] argv) throws ConfigException {
        return fromArgs(argv, LoadOptions.defaults());
    }

    public static ServerConfig fromArgs(String[] argv, LoadOptions options) throws ConfigException {
        Objects.requireNonNull(argv, "argv");
        DirectiveTable table = DirectiveTable.standard();
        Map<String, String> dflt = defaultValues(table, options);
        ConfigFileParser parser = new ConfigFileParser(table, options, new HashMap<>(dflt));
        ConfigFileParser.Invocation inv = ConfigFileParser.parseArgv(argv);
        Path file = null;
        if (inv.configFile() != null) {
            try {
                file = options.workingDirectory().resolve(inv.configFile()).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(ConfigErrors.cannotOpen(inv.configFile(), "No such file or directory"));
            }
        }
        if (argv.length > 0) {
            parser.load(file, inv.options());
        }
        return new ServerConfig(table, options, file, dflt, parser);
    }

    private static Map<String, String> defaultValues(DirectiveTable table, LoadOptions options) {
        Map<String, String> m = new HashMap<>();
        for (Directive d : table.directives()) {
            if (d.isStandard()) {
                m.put(d.name(), ValueRules.defaultValue(d, options.workingDirectory()));
            }
        }
        return m;
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** The CONFIG GET form of a directive (name or alias, any case); null if CONFIG GET does not know it. */
    /** client-output-buffer-limit as {hard, soft, seconds} per class: normal, replica, pubsub. */
    public long[][] outputBufferLimits() { return ValueRules.outputBufferLimits(get("client-output-buffer-limit")); }

    public String get(String name) {
        Directive d = table.lookupStandard(name);
        if (d == null) {
            return null;
        }
        String v = values.get(d.name());
        return v == null ? "" : v;
    }

    /** A memory amount as redis.conf writes it ("5b", "1mb", "2g"), read as Redis's memtoull; null when malformed. */
    public static Long parseMemory(String s) { return RedisStrings.memtoull(s); }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    /** Numeric value; memory values come back as bytes and percentages (maxmemory-clients) as negative numbers. */
    public long getLong(String name) {
        Directive d = require(name);
        if (!d.isNumeric()) {
            throw new IllegalArgumentException(d.name() + " is not numeric but " + d.type());
        }
        return ValueRules.numericValue(d, values.get(d.name()));
    }

    public boolean getBool(String name) {
        Directive d = require(name);
        if (d.type() != Directive.Type.BOOL) {
            throw new IllegalArgumentException(d.name() + " is not a yes/no directive but " + d.type());
        }
        return "yes".equals(values.get(d.name()));
    }

    /** Metadata for a directive (name or alias), including file-only ones; null when unknown. */
    public Directive directive(String name) {
        return table.lookup(name);
    }

    /** All rows of the directive table, in table order. */
    public List<Directive> directives() {
        return table.directives();
    }

    private Directive require(String name) {
        Directive d = table.lookupStandard(name);
        if (d == null) {
            throw new IllegalArgumentException("Unknown directive '" + name + "'");
        }
        return d;
    }

    /**
     * CONFIG GET. A pattern without {@code [*?} is an exact lookup (hidden directives included) and is
     * answered under the name as given; a pattern is matched case-insensitively against every name and
     * alias except hidden ones. Like Redis, an alias is listed when it matches, e.g. {@code *} lists both
     * {@code replicaof} and {@code slaveof}; each name is reported once however many patterns match it.
     */
    public List<Map.Entry<String, String>> getMatching(List<String> patterns) {
        Map<String, String> snapshot = values;
        Map<String, Map.Entry<String, String>> matches = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (pattern.indexOf('[') < 0 && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
                String key = RedisStrings.lower(pattern);
                if (matches.containsKey(key)) {
                    continue;
                }
                Directive d = table.lookupStandard(pattern);
                if (d != null) {
                    matches.put(key, entry(pattern, snapshot.get(d.name())));
                }
                continue;
            }
            for (String key : table.keys()) {
                Directive d = table.lookup(key);
                if (!d.isStandard() || d.isHidden() || matches.containsKey(key)) {
                    continue;
                }
                if (io.jackdaw.types.Glob.match(pattern, key, true)) {
                    matches.put(key, entry(key, snapshot.get(d.name())));
                }
            }
        }
        return List.copyOf(matches.values());
    }

    private static Map.Entry<String, String> entry(String k, String v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v == null ? "" : v);
    }

    /** The absolute path of the config file given on the command line, or null. */
    public Path configFile() {
        return configFile;
    }

    public LoadOptions loadOptions() {
        return options;
    }

    /** rename-command lines from the config, each as [from, to] (to empty = command removed). */
    public List<List<String>> renamedCommands() {
        return renames;
    }

    /** Arguments of each {@code user} line (after the word "user"), as loaded or last replaced. */
    public List<List<String>> userDirectives() {
        return users;
    }

    /** Lets the ACL code keep CONFIG REWRITE's {@code user} lines current: each list is one line's arguments. */
    public void replaceUserDirectives(List<List<String>> lines) {
        List<List<String>> copy = new ArrayList<>();
        for (List<String> l : lines) {
            copy.add(List.copyOf(l));
        }
        users = List.copyOf(copy);
    }

    /** Arguments of each {@code loadmodule} line (path first). */
    public List<List<String>> loadModules() {
        return modules;
    }

    /** {@code module.name value} lines, the last one for each name winning. */
    public Map<String, String> moduleConfigs() {
        return moduleConfigs;
    }

    // ---- CONFIG SET ---------------------------------------------------------------------------------

    /** Marks whether the dataset is loading; CONFIG SET then refuses DENY_LOADING_CONFIG directives. */
    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    /** CONFIG SET from a client that is not local (protected configs need enable-protected-configs yes). */
    public void set(List<String[]> pairs) throws ConfigException {
        set(pairs, false);
    }

    /**
     * CONFIG SET with Redis 7.2's semantics: all pairs are validated and applied, or none are. Listeners of
     * changed directives run afterwards, in argument order; if one vetoes, every value is restored and
     * the listeners already told are called again with the restored values (their exceptions then ignored).
     * The exception's message is the complete error reply without the leading '-'.
     *
     * @param localClient whether the client connected over loopback or a unix socket
     *                    (enable-protected-configs local)
     */
    public synchronized void set(List<String[]> pairs, boolean localClient) throws ConfigException {
        int n = pairs.size();
        Directive[] ds = new Directive[n];
        String[] entryNames = new String[n];
        String unknown = null;
        String errArg = null;
        String errStr = null;
        boolean invalid = false;
        boolean denyLoading = false;
        for (int i = 0; i < n; i++) {
            String[] pair = pairs.get(i);
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException("CONFIG SET pairs must have a name and a value");
            }
            Directive d = table.lookupStandard(pair[0]);
            if (d == null) {
                if (!invalid) {
                    unknown = pair[0];
                    invalid = true;
                }
                continue;
            }
            if (invalid) {
                continue;
            }
            if (d.isImmutable() || (d.isProtected() && !allowProtected(localClient))) {
                errStr = d.isImmutable() ? ConfigErrors.IMMUTABLE : ConfigErrors.PROTECTED;
                errArg = pair[0];
                invalid = true;
                continue;
            }
            if (loading && d.hasFlag("DENY_LOADING_CONFIG")) {
                denyLoading = true;
                invalid = true;
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (ds[j] == d) {
                    errStr = ConfigErrors.DUPLICATE;
                    errArg = pair[0];
                    invalid = true;
                    break;
                }
            }
            ds[i] = d;
            // Redis names an alias in errors the way the alias is spelled in its table.
            entryNames[i] = RedisStrings.lower(pair[0]);
        }
        if (denyLoading) {
            throw new ConfigException(ConfigErrors.loading());
        }
        if (unknown != null) {
            throw new ConfigException(ConfigErrors.unknownOption(unknown), unknown, null);
        }
        if (errStr != null) {
            throw ConfigErrors.setFailedException(errArg, errStr);
        }

        Map<String, String> before = values;
        Map<String, String> work = new HashMap<>(before);
        SetContext ctx = new SetContext(work);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Directive d = ds[i];
            String raw = pairs.get(i)[1];
            List<String> args = d.isMultiArg() ? RedisStrings.splitOnSpaces(raw) : List.of(raw);
            String old = work.get(d.name());
            String now;
            try {
                now = ValueRules.set(d, args, old, ctx);
            } catch (ValueRules.BadValue e) {
                throw ConfigErrors.setFailedException(entryNames[i], e.getMessage());
            }
            work.put(d.name(), now);
            if (!Objects.equals(old, now) || d.hasFlag("VOLATILE_CONFIG")) {
                changed.add(i);
            }
        }
        values = Collections.unmodifiableMap(work);

        List<Map.Entry<Directive, Listener>> told = new ArrayList<>();
        for (int i : changed) {
            Directive d = ds[i];
            for (Listener l : listenersOf(d.name())) {
                told.add(Map.entry(d, l));
                try {
                    l.changed(d.name(), get(d.name()));
                } catch (ConfigException | RuntimeException e) {
                    values = before;
                    // Like Redis re-running its apply functions, the listeners already told (the vetoing
                    // one included) hear about the restored values.
                    for (Map.Entry<Directive, Listener> undo : told) {
                        try {
                            undo.getValue().changed(undo.getKey().name(), get(undo.getKey().name()));
                        } catch (ConfigException | RuntimeException ignored) {
                            // Redis only logs failures while restoring.
                        }
                    }
                    String reason = e instanceof ConfigException ce ? ce.reason() : String.valueOf(e.getMessage());
                    throw ConfigErrors.setFailedException(entryNames[i], reason);
                }
            }
        }
    }

    /**
     * Changes a directive on behalf of the server itself (e.g. REPLICAOF updating replicaof), bypassing
     * the immutable/protected checks of CONFIG SET but not value validation. Listeners are not called.
     */
    public synchronized void update(String name, String value) throws ConfigException {
        Directive d = require(name);
        List<String> args = d.isMultiArg() ? RedisStrings.splitOnSpaces(value) : List.of(value);
        Map<String, String> work = new HashMap<>(values);
        try {
            work.put(d.name(), ValueRules.set(d, args, work.get(d.name()), new SetContext(work)));
        } catch (ValueRules.BadValue e) {
            throw ConfigErrors.setFailedException(RedisStrings.lower(name), e.getMessage());
        }
        values = Collections.unmodifiableMap(work);
    }

    private boolean allowProtected(boolean localClient) {
        String mode = get("enable-protected-configs");
        return "yes".equals(mode) || ("local".equals(mode) && localClient);
    }

    private List<Listener> listenersOf(String canonical) {
        return listeners.getOrDefault(canonical, List.of());
    }

    /** Registers a listener for a directive (name or alias). */
    public void addListener(String name, Listener l) {
        Directive d = require(name);
        listeners.computeIfAbsent(d.name(), k -> new CopyOnWriteArrayList<>()).add(Objects.requireNonNull(l));
    }

    private final class SetContext implements ValueRules.Context {
        private final Map<String, String> work;

        SetContext(Map<String, String> work) {
            this.work = work;
        }

        @Override
        public boolean readingConfigFile() {
            return false;
        }

        @Override
        public boolean firstSaveOfLoad() {
            return false;
        }

        @Override
        public String value(String canonicalName) {
            return work.get(canonicalName);
        }

        @Override
        public boolean touchFilesystem() {
            return options.touchFilesystem();
        }
    }

    // ---- not-yet-implemented directives ----------------------------------------------------------------

    /** True when the config file or command line set the directive (by name or alias). */
    public boolean wasSetAtStartup(String name) {
        Directive d = table.lookup(name);
        String canonical = d != null ? d.name() : RedisStrings.lower(name);
        for (String n : setDuringLoad) {
            Directive dn = table.lookup(n);
            if ((dn != null ? dn.name() : n).equals(canonical)) return true;
        }
        return false;
    }

    /** Declares directives the server honours (names, aliases, or file-only words such as rename-command). */
    public void markImplemented(String... names) {
        for (String name : names) {
            Directive d = table.lookup(name);
            implemented.add(d != null ? d.name() : RedisStrings.lower(name));
        }
    }

    /**
     * One line per directive the config file or command line set to a non-default value that nobody marked
     * implemented; include is always honoured and deprecated directives are ignored by Redis too.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        Map<String, String> snapshot = values;
        for (String name : setDuringLoad) {
            if (implemented.contains(name)) {
                continue;
            }
            Directive d = table.lookup(name);
            if (d != null && d.isStandard() && Objects.equals(snapshot.get(d.name()), defaults.get(d.name()))) {
                continue;
            }
            out.add(String.format(WARNING_FORMAT, name));
        }
        return out;
    }

    // ---- CONFIG REWRITE -----------------------------------------------------------------------------------

    /**
     * CONFIG REWRITE: rewrites the file given at startup, keeping comments and unknown lines, updating
     * directives in place, appending non-default values after a "# Generated by CONFIG REWRITE" line
     * and blanking lines of directives that are back to their defaults, all as Redis 7.2 does.
     */
    public synchronized void rewrite() throws IOException, ConfigException {
        if (configFile == null) {
            throw new ConfigException(ConfigErrors.NO_CONFIG_FILE);
        }
        String old;
        try {
            old = new String(Files.readAllBytes(configFile), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            old = null;
        }
        String content = ConfigRewriter.rewrite(old, this);
        Path dir = configFile.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, configFile.getFileName().toString() + ".", "");
        try {
            Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // Non-POSIX file systems keep their default permissions.
            }
            Files.move(tmp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What {@link #rewrite()} would write for the given old file content (null = no file yet). */
    public String rewrittenContent(String oldContent) {
        return ConfigRewriter.rewrite(oldContent, this);
    }

    // ---- package-private access for the rewriter ----

    DirectiveTable table() {
        return table;
    }

    String stored(String canonical) {
        return values.get(canonical);
    }

    String defaultOf(String canonical) {
        return defaults.get(canonical);
    }
}
