package io.jackdaw.server.config;

import static io.jackdaw.server.config.TestSupport.argvErrorOf;
import static io.jackdaw.server.config.TestSupport.errorOf;
import static io.jackdaw.server.config.TestSupport.fatal;
import static io.jackdaw.server.config.TestSupport.load;
import static io.jackdaw.server.config.TestSupport.loadText;
import static io.jackdaw.server.config.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileLoadTest {
    @TempDir
    Path dir;

    private ServerConfig loadTestConf(String... extra) throws ConfigException {
        Path main = TestSupport.copyResource("jackdaw-test.conf", dir);
        TestSupport.copyResource("included.conf", dir);
        String[] argv = new String[extra.length + 1];
        argv[0] = main.toString();
        System.arraycopy(extra, 0, argv, 1, extra.length);
        return load(dir, argv);
    }

    @Test
    void ownTestConfigCoversQuotingUnitsAliasesRepeatsAndIncludes() throws Exception {
        ServerConfig c = loadTestConf();

        assertThat(c.configFile()).isEqualTo(dir.resolve("jackdaw-test.conf").toAbsolutePath());
        assertThat(c.get("port")).isEqualTo("7001");
        assertThat(c.get("bind")).isEqualTo("127.0.0.1 ::1");
        assertThat(c.get("requirepass")).isEqualTo("pass \"word\"\t!");
        assertThat(c.get("masteruser")).isEqualTo("it's me");
        assertThat(c.get("syslog-ident")).isEqualTo("jack daw");

        assertThat(c.getLong("maxmemory")).isEqualTo(1024L * 1024 * 1024);
        assertThat(c.get("repl-backlog-size")).isEqualTo("1000000");
        assertThat(c.getLong("client-query-buffer-limit")).isEqualTo(2L * 1024 * 1024);
        assertThat(c.getLong("proto-max-bulk-len")).isEqualTo(1024L * 1024);
        assertThat(c.getLong("auto-aof-rewrite-min-size")).isEqualTo(5000);
        assertThat(c.get("maxmemory-clients")).isEqualTo("10%");
        assertThat(c.getLong("maxmemory-clients")).isEqualTo(-10);

        assertThat(c.get("replicaof")).isEqualTo("10.0.0.1 6380");
        assertThat(c.get("slaveof")).isEqualTo("10.0.0.1 6380");
        assertThat(c.getInt("hash-max-listpack-entries")).isEqualTo(256);
        assertThat(c.get("busy-reply-threshold")).isEqualTo("1000");
        assertThat(c.get("masterauth")).isEqualTo("secret");

        // The include comes last, so its timeout wins over the two in the main file.
        assertThat(c.getInt("timeout")).isEqualTo(300);
        assertThat(c.getInt("databases")).isEqualTo(32);
        assertThat(c.getLong("maxclients")).isEqualTo(500);

        assertThat(c.get("save")).isEqualTo("900 1 300 10");
        assertThat(c.get("client-output-buffer-limit"))
                .isEqualTo("normal 0 0 0 slave 536870912 134217728 120 pubsub 67108864 16777216 90");
        assertThat(c.get("shutdown-on-sigterm")).isEqualTo("nosave now");
        assertThat(c.get("notify-keyspace-events")).isEqualTo("xE");
        assertThat(c.get("appendfsync")).isEqualTo("always");
        assertThat(c.get("unixsocketperm")).isEqualTo("700");
        assertThat(c.getLong("unixsocketperm")).isEqualTo(0700);

        assertThat(c.renamedCommands()).containsExactly(List.of("KEYS", ""), List.of("FLUSHALL", "WIPE"));
        assertThat(c.userDirectives()).containsExactly(List.of("alice", "on", ">secret", "~cached:*", "+get"));
        assertThat(c.loadModules()).containsExactly(List.of("/nonexistent/module.so", "arg1", "arg2"));
        // Untouched directives keep their defaults.
        assertThat(c.get("hz")).isEqualTo("10");
        assertThat(c.get("dir")).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void commandLineOptionsComeAfterTheFile() throws Exception {
        ServerConfig c = loadTestConf("--port", "7002", "--save", "", "--maxmemory", "2mb", "--bind", "::1", "1.2.3.4");
        assertThat(c.get("port")).isEqualTo("7002");
        assertThat(c.get("save")).isEmpty();
        assertThat(c.get("maxmemory")).isEqualTo("2097152");
        assertThat(c.get("bind")).isEqualTo("::1 1.2.3.4");
    }

    @Test
    void commandLineShapesMatchRedisServer() throws Exception {
        assertThat(load(dir, "--save", "900", "1", "300", "10").get("save")).isEqualTo("900 1 300 10");
        assertThat(load(dir, "--save", "900 1 300 10").get("save")).isEqualTo("900 1 300 10");
        // A bare --save followed by another option, or at the end, means an empty save list.
        assertThat(load(dir, "--save", "--port", "7003").get("save")).isEmpty();
        assertThat(load(dir, "--port", "7003", "--save").get("save")).isEmpty();
        assertThat(load(dir, "--port 7004").get("port")).isEqualTo("7004");
        assertThat(load(dir, "--requirepass", "with space\nand newline").get("requirepass"))
                .isEqualTo("with space\nand newline");
        assertThat(load(dir, "--requirepass", "pässwörd").get("requirepass")).isEqualTo("pässwörd");
        assertThat(load(dir, "-", "--port", "7005").get("port")).isEqualTo("7005");
        // No arguments at all: nothing is read.
        assertThat(load(dir).get("port")).isEqualTo("6379");
        assertThat(load(dir).configFile()).isNull();
    }

    @Test
    void argvBuildsTheSamePseudoFileAsRedisMain() {
        assertThat(ConfigFileParser.parseArgv(new String[] {"a.conf", "--port", "1", "--save", "--bind", "x", "y"}))
                .isEqualTo(new ConfigFileParser.Invocation("a.conf", "port \"1\" \nsave \"\"\nbind \"x\" \"y\" "));
        assertThat(ConfigFileParser.parseArgv(new String[] {"--port 7", "--hz", "5"}))
                .isEqualTo(new ConfigFileParser.Invocation(null, "port 7 \nhz \"5\" "));
        // After a bare option name, an argument starting with -- is a value, not the next option.
        assertThat(ConfigFileParser.parseArgv(new String[] {"--requirepass", "--secret"}).options())
                .isEqualTo("requirepass \"--secret\" ");
    }

    @Test
    void repeatedSingleValueDirectivesKeepTheLastAndSaveAccumulates() throws Exception {
        ServerConfig c = loadText(dir, "maxmemory 1mb\nmaxmemory 2mb\nsave 10 1\nsave 20 2\nsave 30 3\n");
        assertThat(c.get("maxmemory")).isEqualTo("2097152");
        assertThat(c.get("save")).isEqualTo("10 1 20 2 30 3");

        assertThat(loadText(dir, "save 10 1\nsave \"\"\nsave 30 3\n").get("save")).isEqualTo("30 3");
        // Options after the file keep adding to the file's save list.
        assertThat(loadText(dir, "save 10 1\n", "--save", "20 2").get("save")).isEqualTo("10 1 20 2");
        // Without any save line the defaults stay.
        assertThat(loadText(dir, "port 1\n").get("save")).isEqualTo("3600 1 300 100 60 10000");
    }

    @Test
    void finishingAnIncludeEndsSaveAccumulationLikeRedis() throws Exception {
        write(dir, "empty.conf", "# nothing\n");
        ServerConfig c = loadText(dir, "save 10 1\ninclude empty.conf\nsave 20 2\nsave 30 3\n");
        assertThat(c.get("save")).isEqualTo("30 3");
    }

    @Test
    void includesResolveAgainstTheCurrentDirAndSupportGlobs() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("conf.d"));
        write(sub, "10-port.conf", "port 7010\n");
        write(sub, "20-hz.conf", "hz 20\nport 7020\n");
        write(sub, ".hidden.conf", "hz 99\n");
        write(sub, "notes.txt", "this is not config\n");
        ServerConfig c = loadText(dir, "include conf.d/*.conf\ninclude nothing-here/*.conf\n");
        assertThat(c.get("port")).isEqualTo("7020");
        assertThat(c.get("hz")).isEqualTo("20");

        // dir changes where later relative includes are looked up, as chdir() does in Redis.
        write(sub, "plain.conf", "timeout 5\n");
        ServerConfig d = loadText(dir, "dir conf.d\ninclude plain.conf\n");
        assertThat(d.get("timeout")).isEqualTo("5");
        assertThat(d.get("dir")).isEqualTo(sub.toRealPath().toString());
    }

    @Test
    void nestedIncludeErrorsReportTheIncludedLine() {
        write(dir, "inner.conf", "hz 10\nhz abc\n");
        assertThat(errorOf(dir, "port 1\ninclude inner.conf\n"))
                .isEqualTo(fatal(2, "hz abc", "argument couldn't be parsed into an integer"));
        assertThat(errorOf(dir, "include missing.conf\n"))
                .isEqualTo("Fatal error, can't open config file 'missing.conf': No such file or directory");
        write(dir, "loop.conf", "include loop.conf\n");
        assertThat(errorOf(dir, "include loop.conf\n")).contains("include loop.conf").contains("nested include");
    }

    @Test
    void errorMessagesMatchRedis() {
        assertThat(errorOf(dir, "port 1\nfoo bar\n"))
                .isEqualTo(fatal(2, "foo bar", "Bad directive or wrong number of arguments"));
        assertThat(errorOf(dir, "port \"7392\n")).isEqualTo(fatal(1, "port \"7392", "Unbalanced quotes in configuration line"));
        assertThat(errorOf(dir, "port \"1\"x\n")).isEqualTo(fatal(1, "port \"1\"x", "Unbalanced quotes in configuration line"));
        assertThat(errorOf(dir, "  port 1 2  \n")).isEqualTo(fatal(1, "port 1 2", "wrong number of arguments"));
        assertThat(errorOf(dir, "port\n")).isEqualTo(fatal(1, "port", "wrong number of arguments"));
        assertThat(errorOf(dir, "port 70000\n"))
                .isEqualTo(fatal(1, "port 70000", "argument must be between 0 and 65535 inclusive"));
        assertThat(errorOf(dir, "port 0x10\n"))
                .isEqualTo(fatal(1, "port 0x10", "argument couldn't be parsed into an integer"));
        assertThat(errorOf(dir, "maxmemory 10x\n")).isEqualTo(fatal(1, "maxmemory 10x", "argument must be a memory value"));
        assertThat(errorOf(dir, "maxmemory -1\n")).isEqualTo(fatal(1, "maxmemory -1", "argument must be a memory value"));
        assertThat(errorOf(dir, "maxmemory-clients 101%\n"))
                .isEqualTo(fatal(1, "maxmemory-clients 101%", "percentage argument must be less or equal to 100"));
        assertThat(errorOf(dir, "maxmemory-clients lots\n"))
                .isEqualTo(fatal(1, "maxmemory-clients lots", "argument must be a memory or percent value"));
        assertThat(errorOf(dir, "unixsocketperm 800\n"))
                .isEqualTo(fatal(1, "unixsocketperm 800", "argument couldn't be parsed as an octal number"));
        assertThat(errorOf(dir, "unixsocketperm 1000\n"))
                .isEqualTo(fatal(1, "unixsocketperm 1000", "argument must be between 0 and 777 inclusive"));
        assertThat(errorOf(dir, "maxclients 0\n"))
                .isEqualTo(fatal(1, "maxclients 0", "argument must be between 1 and 4294967295 inclusive"));
        assertThat(errorOf(dir, "appendonly maybe\n"))
                .isEqualTo(fatal(1, "appendonly maybe", "argument must be 'yes' or 'no'"));
        assertThat(errorOf(dir, "maxmemory-policy lru\n")).isEqualTo(fatal(1, "maxmemory-policy lru",
                "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
                        + "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"));
        assertThat(errorOf(dir, "shutdown-on-sigint save nosave\n")).isEqualTo(fatal(1,
                "shutdown-on-sigint save nosave", "shutdown options SAVE and NOSAVE can't be used simultaneously"));
        assertThat(errorOf(dir, "save 10\n")).isEqualTo(fatal(1, "save 10", "Invalid save parameters"));
        assertThat(errorOf(dir, "save 0 1\n")).isEqualTo(fatal(1, "save 0 1", "Invalid save parameters"));
        assertThat(errorOf(dir, "client-output-buffer-limit normal 0 0\n")).isEqualTo(fatal(1,
                "client-output-buffer-limit normal 0 0", "Wrong number of arguments in buffer limit configuration."));
        assertThat(errorOf(dir, "client-output-buffer-limit master 0 0 0\n")).isEqualTo(fatal(1,
                "client-output-buffer-limit master 0 0 0",
                "Invalid client class specified in buffer limit configuration."));
        assertThat(errorOf(dir, "client-output-buffer-limit normal 1x 0 0\n")).isEqualTo(fatal(1,
                "client-output-buffer-limit normal 1x 0 0",
                "Error in hard, soft or soft_seconds setting in buffer limit configuration."));
        assertThat(errorOf(dir, "oom-score-adj-values 0 200\n"))
                .isEqualTo(fatal(1, "oom-score-adj-values 0 200", "wrong number of arguments"));
        assertThat(errorOf(dir, "oom-score-adj-values 0 200 3000\n")).isEqualTo(fatal(1,
                "oom-score-adj-values 0 200 3000",
                "Invalid oom-score-adj-values, elements must be between -2000 and 2000."));
        assertThat(errorOf(dir, "notify-keyspace-events KEQ\n")).isEqualTo(fatal(1,
                "notify-keyspace-events KEQ", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
        assertThat(errorOf(dir, "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n")).isEqualTo(fatal(1,
                "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "Too many bind addresses specified."));
        assertThat(errorOf(dir, "replicaof localhost\n"))
                .isEqualTo(fatal(1, "replicaof localhost", "wrong number of arguments"));
        assertThat(errorOf(dir, "replicaof localhost 99999\n"))
                .isEqualTo(fatal(1, "replicaof localhost 99999", "Invalid master port"));
        assertThat(errorOf(dir, "latency-tracking-info-percentiles 50 abc\n")).isEqualTo(fatal(1,
                "latency-tracking-info-percentiles 50 abc", "Invalid latency-tracking-info-percentiles parameters"));
        assertThat(errorOf(dir, "latency-tracking-info-percentiles 101\n")).isEqualTo(fatal(1,
                "latency-tracking-info-percentiles 101",
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"));
        assertThat(errorOf(dir, "dbfilename a/b.rdb\n"))
                .isEqualTo(fatal(1, "dbfilename a/b.rdb", "dbfilename can't be a path, just a filename"));
        assertThat(errorOf(dir, "appendfilename \"\"\n"))
                .isEqualTo(fatal(1, "appendfilename \"\"", "appendfilename can't be empty"));
        assertThat(errorOf(dir, "appenddirname x/y\n"))
                .isEqualTo(fatal(1, "appenddirname x/y", "appenddirname can't be a path, just a dirname"));
        assertThat(errorOf(dir, "cluster-announce-hostname bad_host\n")).isEqualTo(fatal(1,
                "cluster-announce-hostname bad_host",
                "Hostnames may only contain alphanumeric characters, hyphens or dots"));
        assertThat(errorOf(dir, "proc-title-template \"{nope}\"\n")).isEqualTo(fatal(1,
                "proc-title-template \"{nope}\"", "template format is invalid or contains unknown variables"));
        assertThat(errorOf(dir, "dir \"\"\n")).isEqualTo(fatal(1, "dir \"\"", "No such file or directory"));
        assertThat(errorOf(dir, "dir /no/such/dir/here\n"))
                .isEqualTo(fatal(1, "dir /no/such/dir/here", "No such file or directory"));
        assertThat(errorOf(dir, "include\n")).isEqualTo(fatal(1, "include", "Bad directive or wrong number of arguments"));
        assertThat(errorOf(dir, "rename-command KEYS\n"))
                .isEqualTo(fatal(1, "rename-command KEYS", "Bad directive or wrong number of arguments"));
        assertThat(errorOf(dir, "list-max-ziplist-entries 1 2\n")).isEqualTo(
                fatal(1, "list-max-ziplist-entries 1 2", "Bad directive or wrong number of arguments"));
        assertThat(errorOf(dir, "mymodule.option\n"))
                .isEqualTo(fatal(1, "mymodule.option", "Module config specified without value"));
        assertThat(errorOf(dir, "sentinel monitor mymaster 127.0.0.1 6379 2\n")).isEqualTo(fatal(1,
                "sentinel monitor mymaster 127.0.0.1 6379 2", "sentinel directive while not in sentinel mode"));
    }

    @Test
    void postLoadChecksUseTheBareFatalHeader() {
        assertThat(errorOf(dir, "cluster-enabled yes\nreplicaof 1.2.3.4 5\n")).isEqualTo(
                "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nreplicaof directive not allowed in cluster mode");
        assertThat(errorOf(dir, "logfile /no/such/dir/x.log\n")).isEqualTo(
                "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\nCan't open the log file: No such file or directory");
    }

    @Test
    void clusterModeForcesOneDatabaseAndHzIsClamped() throws Exception {
        assertThat(loadText(dir, "cluster-enabled yes\ndatabases 8\n").get("databases")).isEqualTo("1");
        assertThat(loadText(dir, "hz 0\n").get("hz")).isEqualTo("1");
        assertThat(loadText(dir, "hz 100000\n").get("hz")).isEqualTo("500");
    }

    @Test
    void commandLineErrorsAreReportedAsLinesOfAVirtualFile() {
        assertThat(argvErrorOf(dir, "--foo", "bar"))
                .isEqualTo(fatal(2, "foo \"bar\"", "Bad directive or wrong number of arguments"));
        assertThat(argvErrorOf(dir, "--port", "7391", "--maxmemory", "10x"))
                .isEqualTo(fatal(3, "maxmemory \"10x\"", "argument must be a memory value"));
        assertThat(argvErrorOf(dir, "--daemonize", "yes", "no"))
                .isEqualTo(fatal(2, "daemonize \"yes\" \"no\"", "wrong number of arguments"));
        assertThat(argvErrorOf(dir, "--port")).isEqualTo(fatal(2, "port", "wrong number of arguments"));
        // Values are quoted byte by byte, as sdscatrepr does.
        assertThat(argvErrorOf(dir, "--no-such-thing", "ä\u0001\"x"))
                .isEqualTo(fatal(2, "no-such-thing \"\\xc3\\xa4\\x01\\\"x\"", "Bad directive or wrong number of arguments"));
        // One line file without a final newline: options start right after it.
        write(dir, "one.conf", "port 7392");
        assertThat(argvErrorOf(dir, dir.resolve("one.conf").toString(), "--port", "abc"))
                .isEqualTo(fatal(2, "port \"abc\"", "argument couldn't be parsed into an integer"));
        write(dir, "two.conf", "port 7392\n");
        assertThat(argvErrorOf(dir, dir.resolve("two.conf").toString(), "--port", "abc"))
                .isEqualTo(fatal(3, "port \"abc\"", "argument couldn't be parsed into an integer"));
        assertThat(argvErrorOf(dir, "nonexistent.conf")).isEqualTo("Fatal error, can't open config file '"
                + dir.resolve("nonexistent.conf").toAbsolutePath() + "': No such file or directory");
    }

    @Test
    void renameCommandIsCheckedWhenACommandTableIsGiven() throws Exception {
        Set<String> commands = Set.of("get", "set", "keys", "flushall");
        LoadOptions opts = TestSupport.in(dir).withCommandExists(commands::contains);
        Path f = write(dir, "r.conf", "rename-command KEYS \"\"\nrename-command get fetch\nrename-command fetch get2\n");
        ServerConfig c = ServerConfig.fromArgs(new String[] {f.toString()}, opts);
        assertThat(c.renamedCommands()).hasSize(3);

        Path bad = write(dir, "bad.conf", "rename-command nosuch x\n");
        assertThatThrownBy(() -> ServerConfig.fromArgs(new String[] {bad.toString()}, opts))
                .hasMessage(fatal(1, "rename-command nosuch x", "No such command in rename-command"));
        Path taken = write(dir, "taken.conf", "rename-command get set\n");
        assertThatThrownBy(() -> ServerConfig.fromArgs(new String[] {taken.toString()}, opts))
                .hasMessage(fatal(1, "rename-command get set", "Target command name already exists"));
        Path gone = write(dir, "gone.conf", "rename-command keys \"\"\nrename-command keys k\n");
        assertThatThrownBy(() -> ServerConfig.fromArgs(new String[] {gone.toString()}, opts))
                .hasMessage(fatal(2, "rename-command keys k", "No such command in rename-command"));
    }

    @Test
    void moduleConfigsAndBareSentinelAreAccepted() throws Exception {
        ServerConfig c = loadText(dir, "mymod.size 10 20\nmymod.size 30\nsentinel\n");
        assertThat(c.moduleConfigs()).containsEntry("mymod.size", "30");
        assertThat(c.warnings()).contains(
                "Directive 'mymod.size' is accepted but not implemented yet; ignoring it",
                "Directive 'sentinel' is accepted but not implemented yet; ignoring it");
    }

    @Test
    void warningsListNonDefaultUnimplementedDirectives() throws Exception {
        ServerConfig c = loadText(dir, "port 7000\nactivedefrag yes\nhz 10\nslave-read-only no\n"
                + "rename-command KEYS \"\"\nlist-max-ziplist-entries 5\n", "--save", "");
        c.markImplemented("port", "save");
        assertThat(c.warnings()).containsExactly(
                "Directive 'activedefrag' is accepted but not implemented yet; ignoring it",
                "Directive 'replica-read-only' is accepted but not implemented yet; ignoring it",
                "Directive 'rename-command' is accepted but not implemented yet; ignoring it");
        c.markImplemented("slave-read-only", "rename-command", "ACTIVEDEFRAG");
        assertThat(c.warnings()).isEmpty();
        assertThat(ServerConfig.defaults().warnings()).isEmpty();
    }

    @Test
    void parsesTheSystemRedisConf() throws Exception {
        Path conf = Path.of("/etc/redis/redis.conf");
        assumeTrue(Files.isReadable(conf), "no /etc/redis/redis.conf on this machine");
        // The packaged file names /var/lib/redis and /var/log/redis, which need not be ours to touch.
        ServerConfig c = ServerConfig.fromArgs(new String[] {conf.toString()},
                LoadOptions.defaults().withTouchFilesystem(false));
        assertThat(c.get("port")).isEqualTo("6379");
        assertThat(c.get("client-output-buffer-limit"))
                .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assertThat(c.get("supervised")).isNotNull();
    }

    @Test
    void parsesValkeysSampleConfigWhenAvailable() throws Exception {
        Path conf = Path.of("/work/valkey/valkey.conf");
        assumeTrue(Files.isReadable(conf), "no Valkey checkout on this machine");
        ServerConfig c = ServerConfig.fromArgs(new String[] {conf.toString()},
                LoadOptions.defaults().withTouchFilesystem(false));
        assertThat(c.get("port")).isEqualTo("6379");
    }

    /**
     * Every directive in redis.conf, commented-out examples included, must be known. Commented lines
     * are "# name value" examples when the name is hyphenated or the line is short and not prose.
     */
    @Test
    void everyDirectiveMentionedInRedisConfIsRecognised() throws IOException {
        Path conf = Path.of("/etc/redis/redis.conf");
        assumeTrue(Files.isReadable(conf), "no /etc/redis/redis.conf on this machine");
        assertAllDirectivesKnown(conf);
    }

    @Test
    void everyDirectiveMentionedInValkeyConfIsRecognised() throws IOException {
        Path conf = Path.of("/work/valkey/valkey.conf");
        assumeTrue(Files.isReadable(conf), "no Valkey checkout on this machine");
        assertAllDirectivesKnown(conf);
    }

    private static void assertAllDirectivesKnown(Path conf) throws IOException {
        // Words that open prose lines in the sample files and merely look like "# name value".
        Set<String> prose = Set.of("the", "to", "eviction", "threshold", "client-only", "no", "units", "use",
                "normal", "nothing", "and", "or", "is", "in", "a", "of", "be", "that", "for", "if", "it", "will", "this");
        Pattern active = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9_.-]*)(\\s|$)");
        Pattern commented = Pattern.compile("^#\\s?([a-z][a-z0-9_-]*)\\s+(\\S.*)$");
        DirectiveTable table = DirectiveTable.standard();
        Set<String> unknown = new TreeSet<>();
        List<String> checked = new ArrayList<>();
        for (String line : Files.readAllLines(conf)) {
            String name = null;
            if (!line.startsWith("#")) {
                Matcher m = active.matcher(line);
                if (m.find()) {
                    name = m.group(1);
                }
            } else {
                Matcher m = commented.matcher(line);
                if (m.matches() && !line.contains("->")) {
                    String word = m.group(1);
                    String rest = m.group(2);
                    boolean hyphenated = word.contains("-") || word.contains("_");
                    boolean shortExample = rest.split("\\s+").length <= 4 && !rest.matches(".*[.:,;]\\s*$");
                    if ((hyphenated || shortExample) && !prose.contains(word)) {
                        name = word;
                    }
                }
            }
            if (name != null) {
                checked.add(name);
                if (table.lookup(name) == null) {
                    unknown.add(name);
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(100);
        assertThat(unknown).as("directives in " + conf + " missing from directives.tsv").isEmpty();
    }
}
