package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.command.CommandDetail;
import io.lettuce.core.models.command.CommandDetailParser;
import io.lettuce.core.output.ComplexData;
import io.lettuce.core.output.ComplexOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lettuce 6.8 speaking RESP3 (HELLO 3 on connect) against Jackdaw. */
class LettuceClientTest {
    static TestServer server;
    static RedisClient client;
    StatefulRedisConnection<String, String> conn;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = Clients.lettuceResp3(server.port());
    }

    @AfterAll
    static void stop() {
        Clients.shutdown(client);
        if (server != null) server.close();
    }

    @BeforeEach
    void connect() {
        conn = client.connect();
        redis = conn.sync();
        redis.flushall();
    }

    @AfterEach
    void close() { if (conn != null) conn.close(); }

    @Test
    void connectsWithResp3() {
        assertThat(redis.ping()).isEqualTo("PONG");
        assertThat(redis.echo("hi")).isEqualTo("hi");
        String info = redis.clientInfo();
        assertThat(info).contains(" resp=3 ").contains(" lib-name=Lettuce ");
        assertThat(info).doesNotStartWith("txt:").startsWith("id=" + redis.clientId() + " ");
    }

    @Test
    void setAndGetWithOptions() {
        assertThat(redis.set("k", "v")).isEqualTo("OK");
        assertThat(redis.get("k")).isEqualTo("v");
        assertThat(redis.get("missing")).isNull();
        assertThat(redis.set("k", "v2", SetArgs.Builder.nx())).isNull();
        assertThat(redis.set("k", "v3", SetArgs.Builder.xx().ex(100))).isEqualTo("OK");
        assertThat(redis.ttl("k")).isBetween(99L, 100L);
        assertThat(redis.set("k", "v4", SetArgs.Builder.keepttl())).isEqualTo("OK");
        assertThat(redis.ttl("k")).isBetween(99L, 100L);
        assertThat(redis.set("k", "v5", SetArgs.Builder.px(60_000))).isEqualTo("OK");
        assertThat(redis.pttl("k")).isBetween(59_000L, 60_000L);
        assertThat(redis.setGet("k", "v6")).isEqualTo("v5");
        assertThat(redis.getex("k", GetExArgs.Builder.ex(Duration.ofSeconds(20)))).isEqualTo("v6");
        assertThat(redis.ttl("k")).isBetween(19L, 20L);
        assertThat(redis.getex("k", GetExArgs.Builder.persist())).isEqualTo("v6");
        assertThat(redis.ttl("k")).isEqualTo(-1);
        assertThat(redis.getdel("k")).isEqualTo("v6");
        assertThat(redis.setnx("n", "1")).isTrue();
        assertThat(redis.setnx("n", "2")).isFalse();
        assertThat(redis.setex("e", 10, "v")).isEqualTo("OK");
        assertThat(redis.append("n", "23")).isEqualTo(3);
        assertThat(redis.getrange("n", 0, 1)).isEqualTo("12");
        assertThat(redis.strlen("n")).isEqualTo(3);
        assertThatThrownBy(() -> redis.set("k", "v", SetArgs.Builder.ex(0)))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR invalid expire time in 'set' command");
    }

    @Test
    void msetMget() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("a", "1");
        m.put("b", "2");
        assertThat(redis.mset(m)).isEqualTo("OK");
        List<KeyValue<String, String>> got = redis.mget("a", "nope", "b");
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isEqualTo(KeyValue.just("a", "1"));
        assertThat(got.get(1).hasValue()).isFalse(); // RESP3 null inside an array
        assertThat(got.get(2)).isEqualTo(KeyValue.just("b", "2"));
        assertThat(redis.msetnx(Map.of("b", "x", "c", "3"))).isFalse();
        assertThat(redis.msetnx(Map.of("c", "3", "d", "4"))).isTrue();
    }

    @Test
    void incrFamily() {
        assertThat(redis.incr("n")).isEqualTo(1);
        assertThat(redis.incrby("n", 9)).isEqualTo(10);
        assertThat(redis.decr("n")).isEqualTo(9);
        assertThat(redis.decrby("n", 10)).isEqualTo(-1);
        assertThat(redis.incrbyfloat("f", 1.25)).isEqualTo(1.25);
        assertThat(redis.incrbyfloat("f", 1e3)).isEqualTo(1001.25);
        redis.set("s", "x");
        assertThatThrownBy(() -> redis.incr("s")).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void expiryDeleteExists() {
        redis.set("a", "1");
        redis.set("b", "2");
        assertThat(redis.expire("a", 100)).isTrue();
        assertThat(redis.ttl("a")).isBetween(99L, 100L);
        assertThat(redis.expire("none", 100)).isFalse();
        assertThat(redis.pexpire("b", 5_000)).isTrue();
        assertThat(redis.pttl("b")).isBetween(4_000L, 5_000L);
        assertThat(redis.persist("b")).isTrue();
        assertThat(redis.ttl("b")).isEqualTo(-1);
        assertThat(redis.ttl("none")).isEqualTo(-2);
        assertThat(redis.exists("a", "b", "none")).isEqualTo(2);
        assertThat(redis.type("a")).isEqualTo("string");
        assertThat(redis.del("a", "none")).isEqualTo(1);
        assertThat(redis.unlink("b")).isEqualTo(1);
        assertThat(redis.dbsize()).isZero();
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            assertThat(colon).as("INFO line %s", line).isPositive();
            m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return m;
    }

    @Test
    void infoParsesFromVerbatimString() {
        redis.set("x", "1");
        // RESP3 sends INFO as a verbatim string; the client strips its "txt:" format tag.
        String info = redis.info();
        assertThat(info).startsWith("# Server\r\n");
        Map<String, String> m = parseInfo(info);
        assertThat(m).containsEntry("redis_version", "7.2.4").containsEntry("tcp_port", String.valueOf(server.port()))
                .containsEntry("db0", "keys=1,expires=0,avg_ttl=0");
        assertThat(parseInfo(redis.info("clients"))).containsKey("connected_clients").doesNotContainKey("redis_version");
    }

    @Test
    void clientNameAndList() {
        assertThat(redis.clientGetname()).isNull();
        assertThat(redis.clientSetname("lettuce-test")).isEqualTo("OK");
        assertThat(redis.clientGetname()).isEqualTo("lettuce-test");
        long id = redis.clientId();
        String mine = null;
        for (String line : redis.clientList().split("\n")) if (line.startsWith("id=" + id + " ")) mine = line;
        assertThat(mine).isNotNull().contains(" name=lettuce-test ").contains(" resp=3 ").contains(" cmd=client|list ");
        assertThat(redis.clientGetredir()).isEqualTo(-1);
        assertThat(redis.clientNoEvict(true)).isEqualTo("OK");
        assertThat(redis.clientInfo()).contains(" flags=e ");
        assertThat(redis.clientNoEvict(false)).isEqualTo("OK");
        assertThat(redis.clientSetinfo("lib-ver", "9.9")).isEqualTo("OK");
        assertThat(redis.clientInfo()).contains(" lib-ver=9.9 ");
        assertThat(redis.clientTrackinginfo().toString()).contains("OFF");
    }

    @Test
    void commandInfoAndDocs() {
        List<CommandDetail> details = CommandDetailParser.parse(redis.commandInfo("get", "set", "del"));
        assertThat(details).hasSize(3);
        CommandDetail get = details.get(0);
        assertThat(get.getName()).isEqualTo("get");
        assertThat(get.getArity()).isEqualTo(2);
        assertThat(get.getFlags()).containsExactlyInAnyOrder(CommandDetail.Flag.READONLY, CommandDetail.Flag.FAST);
        assertThat(get.getFirstKeyPosition()).isEqualTo(1);
        assertThat(get.getLastKeyPosition()).isEqualTo(1);
        assertThat(get.getKeyStepCount()).isEqualTo(1);
        assertThat(details.get(1).getName()).isEqualTo("set");
        assertThat(details.get(1).getArity()).isEqualTo(-3);
        assertThat(details.get(2).getLastKeyPosition()).isEqualTo(-1);
        List<CommandDetail> all = CommandDetailParser.parse(redis.command());
        assertThat(all).hasSize(redis.commandCount().intValue());
        assertThat(all).extracting(CommandDetail::getName).contains("get", "client", "config", "hello");

        // COMMAND DOCS has no Lettuce API: dispatch it and read the RESP3 maps.
        ComplexData docs = redis.dispatch(CommandType.COMMAND, new ComplexOutput<>(StringCodec.UTF8, data -> data),
                new CommandArgs<>(StringCodec.UTF8).add("DOCS").add("get"));
        assertThat(docs.isMap()).isTrue();
        Map<Object, Object> byName = docs.getDynamicMap();
        assertThat(byName).containsOnlyKeys("get");
        Map<Object, Object> getDoc = ((ComplexData) byName.get("get")).getDynamicMap();
        assertThat(getDoc).containsEntry("since", "1.0.0").containsEntry("group", "string")
                .containsEntry("complexity", "O(1)").containsKeys("summary", "arguments");
        List<Object> args = ((ComplexData) getDoc.get("arguments")).getDynamicList();
        Map<Object, Object> key = ((ComplexData) args.get(0)).getDynamicMap();
        assertThat(key).containsEntry("name", "key").containsEntry("type", "key").containsEntry("display_text", "key")
                .containsEntry("key_spec_index", 0L);
    }

    @Test
    void asyncBatchWithManualFlush() throws Exception {
        RedisAsyncCommands<String, String> async = conn.async();
        conn.setAutoFlushCommands(false);
        try {
            List<RedisFuture<?>> futures = new ArrayList<>();
            List<RedisFuture<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                futures.add(async.set("key:" + i, "v" + i));
                RedisFuture<Long> f = async.incr("counter");
                incrs.add(f);
                futures.add(f);
            }
            RedisFuture<String> last = async.get("key:9999");
            futures.add(last);
            assertThat(last.isDone()).as("nothing is sent before the flush").isFalse();
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, futures.toArray(new RedisFuture<?>[0]))).isTrue();
            for (int i = 0; i < incrs.size(); i++) assertThat(incrs.get(i).get()).isEqualTo(i + 1);
            assertThat(last.get()).isEqualTo("v9999");
        } finally {
            conn.setAutoFlushCommands(true);
        }
        assertThat(redis.dbsize()).isEqualTo(10_001);
    }

    @Test
    void binarySafeKeysAndValues() {
        try (StatefulRedisConnection<byte[], byte[]> bin = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> b = bin.sync();
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) all[i] = (byte) i;
            byte[] doubled = new byte[512];
            for (int i = 0; i < 512; i++) doubled[i] = (byte) (i / 2);
            assertThat(b.set(all, doubled)).isEqualTo("OK");
            assertThat(b.get(all)).isEqualTo(doubled);
            Map<byte[], byte[]> many = new LinkedHashMap<>();
            for (int i = 0; i < 256; i++) many.put(new byte[] {(byte) i, 'k'}, new byte[] {(byte) i});
            assertThat(b.mset(many)).isEqualTo("OK");
            byte[][] keys = many.keySet().toArray(new byte[0][]);
            List<KeyValue<byte[], byte[]>> got = b.mget(keys);
            for (int i = 0; i < 256; i++) assertThat(got.get(i).getValue()).isEqualTo(new byte[] {(byte) i});
            assertThat(b.dbsize()).isEqualTo(257);
            assertThat(b.echo(all)).isEqualTo(all);
        }
    }

    @Test
    void selectIsolatesDatabases() {
        redis.set("k", "db0");
        try (StatefulRedisConnection<String, String> other = client.connect()) {
            RedisCommands<String, String> o = other.sync();
            assertThat(o.select(2)).isEqualTo("OK");
            assertThat(o.get("k")).isNull();
            o.set("k", "db2");
            assertThat(o.dbsize()).isEqualTo(1);
            assertThatThrownBy(() -> o.select(16)).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR DB index is out of range");
            assertThat(o.get("k")).isEqualTo("db2");
        }
        assertThat(redis.get("k")).isEqualTo("db0");
        assertThat(redis.dbsize()).isEqualTo(1);
    }

    @Test
    void timeAndConfig() {
        List<String> time = redis.time();
        assertThat(time).hasSize(2);
        assertThat(Math.abs(Long.parseLong(time.get(0)) - System.currentTimeMillis() / 1000)).isLessThanOrEqualTo(2);
        assertThat(redis.configGet("maxmemory")).containsEntry("maxmemory", "0");
        assertThat(redis.configGet("hash-max-*")).containsEntry("hash-max-listpack-entries", "512").hasSize(4);
        assertThat(redis.configSet("hz", "12")).isEqualTo("OK");
        assertThat(redis.configGet("hz")).containsEntry("hz", "12");
        assertThat(redis.configSet("hz", "10")).isEqualTo("OK");
    }
}
