package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.CommandDocument;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.util.KeyValue;

/** Jedis 6 (RESP2) against Jackdaw: what a Java application using Jedis sees. */
class JedisClientTest {
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void connect() {
        jedis = Clients.jedis(server.port());
        jedis.flushAll();
    }

    @AfterEach
    void close() { if (jedis != null) jedis.close(); }

    @Test
    void connectAndPing() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hello")).isEqualTo("hello");
        assertThat(jedis.echo("echo me")).isEqualTo("echo me");
        // Jedis announces itself with CLIENT SETINFO on connect.
        assertThat(jedis.clientInfo()).contains(" lib-name=jedis ").contains(" resp=2 ");
    }

    @Test
    @SuppressWarnings("deprecation") // GETSET is deprecated, and still has to work
    void setAndGetWithOptions() {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
        assertThat(jedis.set("k", "v2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "v3", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.set("nx", "1", SetParams.setParams().xx())).isNull();
        assertThat(jedis.set("k", "v4", SetParams.setParams().ex(100))).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        assertThat(jedis.set("k", "v5", SetParams.setParams().keepTtl())).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        assertThat(jedis.set("k", "v6", SetParams.setParams().px(50_000))).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isBetween(49_000L, 50_000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(jedis.set("k", "v7", SetParams.setParams().exAt(at))).isEqualTo("OK");
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        assertThat(jedis.setGet("k", "v8")).isEqualTo("v7");
        assertThat(jedis.setGet("fresh", "x", SetParams.setParams().nx())).isNull();
        assertThat(jedis.get("fresh")).isEqualTo("x");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.getEx("k", GetExParams.getExParams().ex(30))).isEqualTo("v8");
        assertThat(jedis.ttl("k")).isBetween(29L, 30L);
        assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v8");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.getDel("k")).isEqualTo("v8");
        assertThat(jedis.exists("k")).isFalse();
        assertThat(jedis.setnx("s", "1")).isEqualTo(1);
        assertThat(jedis.setnx("s", "2")).isZero();
        assertThat(jedis.setex("e", 10, "v")).isEqualTo("OK");
        assertThat(jedis.psetex("p", 10_000, "v")).isEqualTo("OK");
        assertThat(jedis.getSet("s", "3")).isEqualTo("1");
        assertThat(jedis.append("s", "45")).isEqualTo(3);
        assertThat(jedis.strlen("s")).isEqualTo(3);
        assertThat(jedis.getrange("s", 1, -1)).isEqualTo("45");
        assertThat(jedis.setrange("s", 1, "xy")).isEqualTo(3);
        assertThat(jedis.get("s")).isEqualTo("3xy");
        assertThat(jedis.substr("s", 0, 0)).isEqualTo("3");
        assertThatThrownBy(() -> jedis.set("k", "v", SetParams.setParams().ex(0)))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'set' command");
    }

    /** CLIENT CAPA (Valkey 8): REDIRECT is recorded, unknown capabilities are accepted, none is an arity error. */
    @Test
    void clientCapa() {
        byte[] ok = "OK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat((byte[]) jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "CAPA", "redirect")).isEqualTo(ok);
        assertThat((byte[]) jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "CAPA", "x", "y")).isEqualTo(ok);
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "CAPA"))
                .hasMessage("ERR wrong number of arguments for 'client|capa' command");
    }

    @Test
    void msetMget() {
        assertThat(jedis.mset("a", "1", "b", "2", "c", "3")).isEqualTo("OK");
        assertThat(jedis.mget("a", "b", "nope", "c")).containsExactly("1", "2", null, "3");
        assertThat(jedis.msetnx("c", "x", "d", "4")).isZero();
        assertThat(jedis.msetnx("d", "4", "e", "5")).isEqualTo(1);
        assertThat(jedis.mget("d", "e")).containsExactly("4", "5");
    }

    @Test
    void incrFamily() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
        assertThat(jedis.decr("n")).isEqualTo(41);
        assertThat(jedis.decrBy("n", 40)).isEqualTo(1);
        assertThat(jedis.incrByFloat("f", 2.5)).isEqualTo(2.5);
        assertThat(jedis.incrByFloat("f", -0.25)).isEqualTo(2.25);
        assertThat(jedis.get("f")).isEqualTo("2.25");
        jedis.set("s", "abc");
        assertThatThrownBy(() -> jedis.incr("s"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR value is not an integer or out of range");
        jedis.set("max", String.valueOf(Long.MAX_VALUE));
        assertThatThrownBy(() -> jedis.incr("max"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR increment or decrement would overflow");
    }

    @Test
    void expiryDeleteExists() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        assertThat(jedis.ttl("a")).isEqualTo(-1);
        assertThat(jedis.ttl("none")).isEqualTo(-2);
        assertThat(jedis.expire("a", 100)).isEqualTo(1);
        assertThat(jedis.ttl("a")).isBetween(99L, 100L);
        assertThat(jedis.pexpire("a", 200_000)).isEqualTo(1);
        assertThat(jedis.pttl("a")).isBetween(199_000L, 200_000L);
        assertThat(jedis.expire("none", 100)).isZero();
        assertThat(jedis.persist("a")).isEqualTo(1);
        assertThat(jedis.ttl("a")).isEqualTo(-1);
        long at = System.currentTimeMillis() + 500_000;
        assertThat(jedis.pexpireAt("a", at)).isEqualTo(1);
        assertThat(jedis.pexpireTime("a")).isEqualTo(at);
        assertThat(jedis.exists("a", "b", "none", "a")).isEqualTo(3);
        assertThat(jedis.touch("a", "none")).isEqualTo(1);
        assertThat(jedis.type("a")).isEqualTo("string");
        assertThat(jedis.type("none")).isEqualTo("none");
        assertThat(jedis.rename("a", "c")).isEqualTo("OK");
        assertThat(jedis.renamenx("c", "b")).isZero();
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("b", "c");
        assertThat(jedis.randomKey()).isIn("b", "c");
        assertThat(jedis.dbSize()).isEqualTo(2);
        assertThat(jedis.del("b", "none")).isEqualTo(1);
        assertThat(jedis.unlink("c")).isEqualTo(1);
        assertThat(jedis.exists("c")).isFalse();
        assertThat(jedis.dbSize()).isZero();
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> m = new HashMap<>();
        for (String line : info.split("\r\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            assertThat(colon).as("INFO line %s", line).isPositive();
            m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return m;
    }

    @Test
    void infoParses() {
        jedis.set("x", "1");
        String info = jedis.info();
        assertThat(info).startsWith("# Server\r\n").contains("\r\n# Clients\r\n").contains("\r\n# Keyspace\r\n");
        Map<String, String> m = parseInfo(info);
        assertThat(m).containsEntry("redis_version", "7.2.4").containsEntry("tcp_port", String.valueOf(server.port()))
                .containsEntry("redis_mode", "standalone").containsEntry("role", "master")
                .containsEntry("db0", "keys=1,expires=0,avg_ttl=0");
        assertThat(Long.parseLong(m.get("connected_clients"))).isPositive();
        assertThat(Long.parseLong(m.get("used_memory"))).isPositive();
        Map<String, String> stats = parseInfo(jedis.info("stats"));
        assertThat(Long.parseLong(stats.get("total_commands_processed"))).isPositive();
        assertThat(stats).doesNotContainKey("redis_version");
    }

    @Test
    void clientNameAndList() {
        assertThat(jedis.clientGetname()).isNull();
        assertThat(jedis.clientSetname("jedis-test")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("jedis-test");
        long id = jedis.clientId();
        String mine = null;
        for (String line : jedis.clientList().split("\n")) if (line.startsWith("id=" + id + " ")) mine = line;
        assertThat(mine).isNotNull().contains(" name=jedis-test ").contains(" cmd=client|list ").contains(" db=0 ");
        assertThat(jedis.clientList(id)).startsWith("id=" + id + " ");
        assertThatThrownBy(() -> jedis.clientSetname("has space")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR Client names cannot contain spaces, newlines or special characters.");
        assertThat(jedis.clientNoTouchOn()).isEqualTo("OK");
        assertThat(jedis.clientInfo()).contains(" flags=T ");
        assertThat(jedis.clientNoTouchOff()).isEqualTo("OK");
    }

    @Test
    void commandIntrospection() {
        Map<String, CommandInfo> info = jedis.commandInfo("get", "set");
        CommandInfo get = info.get("get");
        assertThat(get.getArity()).isEqualTo(2);
        assertThat(get.getFlags()).containsExactly("readonly", "fast");
        assertThat(get.getFirstKey()).isEqualTo(1);
        assertThat(get.getLastKey()).isEqualTo(1);
        assertThat(get.getStep()).isEqualTo(1);
        assertThat(get.getAclCategories()).containsExactly("@read", "@string", "@fast");
        assertThat(info.get("set").getArity()).isEqualTo(-3);
        Map<String, CommandInfo> all = jedis.command();
        assertThat(all).hasSize((int) jedis.commandCount()).containsKeys("get", "client", "config");
        assertThat(all.get("client").getSubcommands()).containsKeys("client|setname", "client|list");

        Map<String, CommandDocument> docs = jedis.commandDocs("get", "set");
        assertThat(docs.get("get").getSince()).isEqualTo("1.0.0");
        assertThat(docs.get("get").getGroup()).isEqualTo("string");
        assertThat(docs.get("get").getComplexity()).isEqualTo("O(1)");
        assertThat(docs.get("get").getSummary()).isNotBlank();
        assertThat(docs.get("set").getHistory()).hasSize(4);

        assertThat(jedis.commandGetKeys("mset", "a", "1", "b", "2")).containsExactly("a", "b");
        List<KeyValue<String, List<String>>> kf = jedis.commandGetKeysAndFlags("set", "k", "v");
        assertThat(kf).hasSize(1);
        assertThat(kf.get(0).getKey()).isEqualTo("k");
        assertThat(kf.get(0).getValue()).containsExactly("OW", "update");
        assertThat(jedis.commandList()).contains("get", "client|setname", "config|get");
    }

    @Test
    void pipelineOfTenThousand() {
        Pipeline p = jedis.pipelined();
        List<Response<Long>> incrs = new ArrayList<>();
        List<Response<String>> gets = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (i % 2 == 0) {
                incrs.add(p.incr("counter"));
            } else {
                p.set("key:" + i, "value:" + i);
                gets.add(p.get("key:" + i));
            }
        }
        p.sync();
        for (int i = 0; i < incrs.size(); i++) assertThat(incrs.get(i).get()).isEqualTo(i + 1);
        for (int i = 0; i < gets.size(); i++) assertThat(gets.get(i).get()).isEqualTo("value:" + (2 * i + 1));
        assertThat(jedis.get("counter")).isEqualTo("5000");
        assertThat(jedis.dbSize()).isEqualTo(5001);
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        byte[] reversed = new byte[256];
        for (int i = 0; i < 256; i++) reversed[i] = (byte) (255 - i);
        assertThat(jedis.set(all, reversed)).isEqualTo("OK");
        assertThat(jedis.get(all)).isEqualTo(reversed);
        assertThat(jedis.strlen(all)).isEqualTo(256);
        // Every single byte value as its own key.
        for (int i = 0; i < 256; i++) jedis.set(new byte[] {(byte) i}, new byte[] {(byte) i, (byte) i});
        for (int i = 0; i < 256; i++) assertThat(jedis.get(new byte[] {(byte) i})).isEqualTo(new byte[] {(byte) i, (byte) i});
        assertThat(jedis.dbSize()).isEqualTo(257);
        assertThat(jedis.echo(all)).isEqualTo(all);
        assertThat(jedis.getrange(all, 250, 255)).isEqualTo(new byte[] {5, 4, 3, 2, 1, 0});
        assertThat(jedis.del(all)).isEqualTo(1);
    }

    @Test
    void selectIsolatesDatabases() {
        jedis.set("k", "db0");
        assertThat(jedis.select(1)).isEqualTo("OK");
        assertThat(jedis.get("k")).isNull();
        jedis.set("k", "db1");
        assertThat(jedis.dbSize()).isEqualTo(1);
        assertThat(jedis.select(0)).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("db0");
        assertThatThrownBy(() -> jedis.select(16)).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR DB index is out of range");
        // A second client starts in database 0, or where its config says.
        try (Jedis other = new Jedis("127.0.0.1", server.port(), DefaultJedisClientConfig.builder().database(1).build())) {
            assertThat(other.get("k")).isEqualTo("db1");
        }
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.get("k")).isNull();
        jedis.select(1);
        assertThat(jedis.get("k")).isEqualTo("db1");
    }

    @Test
    void serverBits() {
        List<String> time = jedis.time();
        assertThat(time).hasSize(2);
        long secs = Long.parseLong(time.get(0));
        assertThat(Math.abs(secs - System.currentTimeMillis() / 1000)).isLessThanOrEqualTo(2);
        assertThat(Long.parseLong(time.get(1))).isBetween(0L, 999_999L);
        assertThat(jedis.lastsave()).isPositive();
        assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", "0");
        assertThat(jedis.configResetStat()).isEqualTo("OK");
    }
}
