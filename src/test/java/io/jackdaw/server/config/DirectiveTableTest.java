package io.jackdaw.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectiveTableTest {
    private final DirectiveTable table = DirectiveTable.standard();

    @Test
    void tableHasEveryFamilyOfDirective() {
        assertThat(table.directives()).hasSizeGreaterThan(200);
        Set<String> names = new HashSet<>();
        table.directives().forEach(d -> names.add(d.name()));
        // Redis 7.2 names, Valkey 8 additions, Redis 7.4 additions, file-only and deprecated words.
        assertThat(names).contains("port", "save", "bind", "dir", "replicaof", "client-output-buffer-limit",
                "notify-keyspace-events", "oom-score-adj-values", "unixsocketperm", "logfile", "locale-collate",
                "io-threads-do-reads", "dual-channel-replication-enabled", "cluster-slot-stats-enabled",
                "max-new-connections-per-cycle", "hide-user-data-from-log", "include", "rename-command", "user",
                "loadmodule", "sentinel", "lua-replicate-commands", "list-max-ziplist-entries");
    }

    @Test
    void aliasesResolveToTheirCanonicalRow() {
        assertThat(table.lookup("slaveof").name()).isEqualTo("replicaof");
        assertThat(table.lookup("SLAVEOF").name()).isEqualTo("replicaof");
        assertThat(table.lookup("hash-max-ziplist-entries").name()).isEqualTo("hash-max-listpack-entries");
        assertThat(table.lookup("lua-time-limit").name()).isEqualTo("busy-reply-threshold");
        assertThat(table.lookup("primaryauth").name()).isEqualTo("masterauth");
        assertThat(table.lookup("server-cpulist").name()).isEqualTo("server_cpulist");
        assertThat(table.lookup("list-max-ziplist-size").name()).isEqualTo("list-max-listpack-size");
        assertThat(table.lookupStandard("include")).isNull();
        assertThat(table.lookup("nope")).isNull();
    }

    @Test
    void rowsCarryConfigCFacts() {
        Directive port = table.lookup("port");
        assertThat(port.type()).isEqualTo(Directive.Type.INT);
        assertThat(port.min()).isZero();
        assertThat(port.max()).isEqualTo(65535);
        assertThat(port.defaultValue()).isEqualTo("6379");
        assertThat(port.flags()).isEmpty();

        Directive maxmemory = table.lookup("maxmemory");
        assertThat(maxmemory.type()).isEqualTo(Directive.Type.MEMORY);
        assertThat(maxmemory.unsignedRange()).isTrue();
        assertThat(Long.toUnsignedString(maxmemory.max())).isEqualTo("18446744073709551615");

        assertThat(table.lookup("daemonize").isImmutable()).isTrue();
        assertThat(table.lookup("dir").isProtected()).isTrue();
        assertThat(table.lookup("watchdog-period").isHidden()).isTrue();
        assertThat(table.lookup("requirepass").isSensitive()).isTrue();
        assertThat(table.lookup("save").isMultiArg()).isTrue();
        assertThat(table.lookup("appendonly").hasFlag("DENY_LOADING_CONFIG")).isTrue();
        assertThat(table.lookup("maxmemory-clients").type()).isEqualTo(Directive.Type.PERCENT);
        assertThat(table.lookup("unixsocketperm").type()).isEqualTo(Directive.Type.OCTAL);
        assertThat(table.lookup("shutdown-on-sigint").type()).isEqualTo(Directive.Type.FLAGS);
        assertThat(table.lookup("oom-score-adj").enumValues()).extracting(Directive.EnumValue::value)
                .containsExactly(0, 1, 1, 2);
        assertThat(table.lookup("loglevel").enumValues()).extracting(Directive.EnumValue::name)
                .containsExactly("debug", "verbose", "notice", "warning", "nothing");
    }

    /** Every default must be a value the directive itself accepts and prints back unchanged. */
    @Test
    void everyDefaultRoundTripsThroughItsOwnSetter() throws Exception {
        ServerConfig c = ServerConfig.defaults(LoadOptions.defaults().withTouchFilesystem(false));
        for (Directive d : table.directives()) {
            // An empty replicaof reads back as "" but can only be cleared with "no one".
            if (!d.isStandard() || d.name().equals("dir") || d.name().equals("replicaof")) {
                continue;
            }
            String dflt = c.get(d.name());
            assertThat(dflt).as(d.name()).isEqualTo(d.defaultValue());
            c.update(d.name(), dflt);
            assertThat(c.get(d.name())).as(d.name()).isEqualTo(dflt);
        }
        assertThat(c.get("dir")).isEqualTo(ValueRules.canonicalDir(Path.of("").toAbsolutePath()));
    }

    @Test
    void malformedTablesAreRejected() {
        String header = "name\taliases\ttype\tdefault\tmin\tmax\tmutability\tenum_values\n";
        assertThatThrownBy(() -> DirectiveTable.parse("nope\n")).hasMessageContaining("header");
        assertThatThrownBy(() -> DirectiveTable.parse(header + "a\t-\tbool\tno\t-\t-\t-\n"))
                .hasMessageContaining("columns");
        assertThatThrownBy(() -> DirectiveTable.parse(header + "a\t-\tbool\tno\t-\t-\tWEIRD_CONFIG\t-\n"))
                .hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> DirectiveTable.parse(header + "a\t-\tbool\tno\t-\t-\t-\t-\nb\ta\tbool\tno\t-\t-\t-\t-\n"))
                .hasMessageContaining("duplicate");
        assertThat(DirectiveTable.parse(header + "a\tb,c\tenum\tx\t-\t-\t-\tx,y=5\n").lookup("c").enumValues())
                .containsExactly(new Directive.EnumValue("x", 0), new Directive.EnumValue("y", 5));
        assertThat(List.of(header.split("\t"))).hasSize(8);
    }
}
