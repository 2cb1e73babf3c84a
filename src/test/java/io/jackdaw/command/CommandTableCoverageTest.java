package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.server.config.ServerConfig;
import io.jackdaw.store.Clock;
import io.jackdaw.store.Keyspace;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command table against the code and the tests: every command and subcommand the table
 * declares has a handler, enforces its declared arity, and is exercised by some test.
 */
class CommandTableCoverageTest {

    /** Just enough server for the dispatcher's constructor; registration touches nothing else. */
    private static ServerContext contextFor(CommandTable table) {
        ServerStats stats = new ServerStats();
        return new ServerContext() {
            @Override public CommandTable commands() { return table; }

            @Override public ServerStats stats() { return stats; }

            @Override public Keyspace keyspace() { throw new UnsupportedOperationException(); }

            @Override public ClientRegistry clients() { return new ClientRegistry(); }

            @Override public Eviction eviction() { return new Eviction(this); }

            @Override public ClientTracking tracking() { return new ClientTracking(new ClientRegistry(), new Keyspace(1, 1)); }

            @Override public ServerConfig config() { throw new UnsupportedOperationException(); }

            @Override public Clock clock() { throw new UnsupportedOperationException(); }

            @Override public String info(List<String> sections) { throw new UnsupportedOperationException(); }

            @Override public long usedMemory() { throw new UnsupportedOperationException(); }

            @Override public String shutdown(boolean nosave, boolean save, boolean now, boolean force, boolean abort) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static List<CommandSpec> everyEntry(CommandTable table) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec c : table.all()) {
            out.add(c);
            out.addAll(c.subcommands.values());
        }
        return out;
    }

    @Test
    void everyCommandAndSubcommandHasAHandler() {
        CommandTable table = CommandTable.load();
        assertThat(table.unhandled()).as("before registration nothing is handled").isNotEmpty();
        Commands.registerAll(table, new Dispatcher(contextFor(table)));
        assertThat(table.unhandled()).as("table entries without a handler").isEmpty();
        for (CommandSpec s : everyEntry(table)) {
            if (s.isContainer()) continue;
            assertThat(s.handler()).as("handler of %s", s.name).isNotNull();
        }
        assertThat(table.size()).isGreaterThan(50);
    }

    @Test
    void everyCommandNameAppearsInATest() throws IOException {
        Path root = Path.of(System.getProperty("basedir", "."), "src", "test", "java");
        assertThat(root).isDirectory();
        StringBuilder corpus = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (p.getFileName().toString().equals("CommandTableCoverageTest.java")) continue; // no self-credit
                corpus.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
            }
        }
        String text = corpus.toString();
        List<String> missing = new ArrayList<>();
        for (CommandSpec s : everyEntry(CommandTable.load())) {
            Pattern p;
            int bar = s.name.indexOf('|');
            if (bar < 0) {
                p = Pattern.compile("(?<![\\w-])" + Pattern.quote(s.name) + "(?![\\w-])", Pattern.CASE_INSENSITIVE);
            } else {
                // "CLIENT GETREDIR", "CLIENT", "GETREDIR", "client|getredir": the container, then the subcommand.
                String container = Pattern.quote(s.name.substring(0, bar)), sub = Pattern.quote(s.name.substring(bar + 1));
                p = Pattern.compile("(?<![\\w-])" + container + "[\\s\",|]{1,6}" + sub + "(?![\\w-])", Pattern.CASE_INSENSITIVE);
            }
            if (!p.matcher(text).find()) missing.add(s.name.toUpperCase(Locale.ROOT).replace('|', ' '));
        }
        assertThat(missing).as("commands no test under src/test/java mentions").isEmpty();
    }

    // ------------------------------------------------------------ behaviour every entry shares

    @Test
    void everyCommandEnforcesItsArity() throws IOException {
        CommandTable table = CommandTable.load();
        List<String> wrong = new ArrayList<>();
        try (TestServer s = TestServer.start(); RespConnection c = new RespConnection(s.port())) {
            for (CommandSpec spec : everyEntry(table)) {
                int arity = spec.arity;
                if (arity == -1) continue; // any argument count is fine
                // One argument too many for a fixed arity, one too few for a minimum.
                int argc = arity > 0 ? arity + 1 : -arity - 1;
                List<String> argv = new ArrayList<>();
                int bar = spec.name.indexOf('|');
                if (bar < 0) {
                    argv.add(spec.name.toUpperCase(Locale.ROOT));
                } else {
                    argv.add(spec.name.substring(0, bar).toUpperCase(Locale.ROOT));
                    argv.add(spec.name.substring(bar + 1));
                }
                if (argv.size() > argc) continue; // a subcommand name always counts: nothing shorter to send
                while (argv.size() < argc) argv.add("x" + argv.size());
                String reply = c.call(argv.toArray(String[]::new));
                String expected = "-ERR wrong number of arguments for '" + spec.name + "' command\r\n";
                if (!reply.equals(expected)) wrong.add(String.join(" ", argv) + " -> " + reply.trim());
            }
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void helpListsEverySubcommand() throws IOException {
        CommandTable table = CommandTable.load();
        try (TestServer s = TestServer.start(); RespConnection c = new RespConnection(s.port())) {
            for (CommandSpec container : table.all()) {
                if (!container.subcommands.containsKey(container.name + "|help")) continue;
                String upper = container.name.toUpperCase(Locale.ROOT);
                List<Object> help = (List<Object>) Resp.parse(c.call(upper, "HELP"));
                assertThat(help.getFirst()).as("%s HELP header", upper)
                        .isEqualTo(new Resp.Simple(upper + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
                // Redis 7.2's footer ("Print", where 7.0 said "Prints").
                assertThat(help.subList(help.size() - 2, help.size()))
                        .containsExactly(new Resp.Simple("HELP"), new Resp.Simple("    Print this help."));
                List<String> lines = new ArrayList<>();
                for (Object o : help) {
                    assertThat(o).as("%s HELP lines are simple strings", upper).isInstanceOf(Resp.Simple.class);
                    lines.add(((Resp.Simple) o).text());
                }
                for (CommandSpec sub : container.subcommands.values()) {
                    String word = sub.name.substring(sub.name.indexOf('|') + 1).toUpperCase(Locale.ROOT);
                    assertThat(lines).as("%s HELP documents %s", upper, word)
                            .anyMatch(l -> l.equals(word) || l.startsWith(word + " "));
                }
                assertThat(c.call(upper, "help", "extra"))
                        .isEqualTo("-ERR wrong number of arguments for '" + container.name + "|help' command\r\n");
            }
            List<Object> debugHelp = (List<Object>) Resp.parse(c.call("DEBUG", "HELP"));
            assertThat(debugHelp.getFirst()).isEqualTo(new Resp.Simple("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
            for (String sub : List.of("DIGEST-VALUE", "LOG", "OBJECT", "POPULATE", "QUICKLIST-PACKED-THRESHOLD", "SET-ACTIVE-EXPIRE",
                    "SLEEP")) {
                assertThat(debugHelp).anyMatch(o -> ((Resp.Simple) o).text().startsWith(sub + " "));
            }
        }
    }
}
