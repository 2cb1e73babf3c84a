package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH replayed on Jackdaw and the
 * reference redis-server, replies compared byte for byte: conversions both ways, error
 * prefixes and {@code script: <sha>, on @user_script:N.} positions, the refusals of
 * redis.call. Known 7.0-vs-7.2 differences are avoided here and listed in
 * docs/compatibility.md (7.2 formats non-integer Lua numbers passed to redis.call in shortest
 * form, 7.0 with %.17g; 7.2 lets blocking commands run in scripts, 7.0 refuses them; RESP3 big
 * numbers are sent as bulk strings by Jackdaw for now).
 */
class ScriptDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
        diff.run("SCRIPT", "FLUSH");
    }

    /** INFO errorstats, total_error_replies and the set/eval/incr commandstats counts (times masked). */
    private static String errorAndCommandStats(io.jackdaw.testing.RespConnection c) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : c.call("INFO", "errorstats").split("\r\n")) if (line.startsWith("errorstat_")) sb.append(line).append('\n');
        for (String line : c.call("INFO", "stats").split("\r\n")) if (line.startsWith("total_error_replies:")) sb.append(line).append('\n');
        java.util.List<String> cmds = new java.util.ArrayList<>();
        for (String line : c.call("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_set:") || line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_incr:")) {
                cmds.add(line.replaceAll("usec=\\d+,usec_per_call=[0-9.]+,", ""));
            }
        }
        java.util.Collections.sort(cmds); // the sections list commands in their table's order
        for (String line : cmds) sb.append(line).append('\n');
        return sb.toString();
    }

    /** Errors of commands a script runs are counted once, when the command fails or is refused, whatever the script does with them. */
    @Test
    void errorsInsideScriptsAreCountedOnce() throws Exception {
        String[][] cases = {
                {"return redis.call('set', 'x', 'y')"}, // refused (OOM), raised
                {"local t = redis.pcall('set', 'x', 'y') if t['err'] then return 1 end return 0"}, // refused, caught
                {"return redis.pcall('set', 'x', 'y')"}, // refused, returned as the reply
                {"return redis.call('incr', 'str')"}, // failed in the command, raised
                {"return redis.pcall('incr', 'str')"}, // failed, returned
                {"redis.pcall('incr', 'str') return 'fine'"}, // failed, ignored
        };
        try (io.jackdaw.testing.RespConnection a = new io.jackdaw.testing.RespConnection(ours.port());
                io.jackdaw.testing.RespConnection b = new io.jackdaw.testing.RespConnection(ref.port())) {
            for (io.jackdaw.testing.RespConnection x : List.of(a, b)) x.call("SET", "str", "abc");
            for (int i = 0; i < cases.length; i++) {
                boolean oom = i < 3;
                for (io.jackdaw.testing.RespConnection x : List.of(a, b)) {
                    x.call("CONFIG", "RESETSTAT");
                    if (oom) x.call("CONFIG", "SET", "maxmemory", "1");
                }
                try {
                    assertThat(a.call("EVAL", cases[i][0], "1", "x")).as(cases[i][0]).isEqualTo(b.call("EVAL", cases[i][0], "1", "x"));
                } finally {
                    for (io.jackdaw.testing.RespConnection x : List.of(a, b)) x.call("CONFIG", "SET", "maxmemory", "0");
                }
                assertThat(errorAndCommandStats(a)).as(cases[i][0]).isEqualTo(errorAndCommandStats(b));
            }
        }
    }

    private static String[] eval(String script, String... rest) {
        String[] out = new String[rest.length + 2];
        out[0] = "EVAL";
        out[1] = script;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }

    @Test
    void luaValuesBecomeReplies() throws Exception {
        // Tables whose __index raises: their err/ok/... fields are read raw (a raising read outside
        // a protected call used to abort the server).
        diff.runAll(List.of(eval("return _G", "0"), eval("return setmetatable({}, {__index=function() error('x') end})", "0"),
                eval("return setmetatable({1, 2}, {__index=function() error('x') end})", "0")));
        assertThat(diff.run("PING")).isEqualTo("+PONG\r\n");
        // SORT BY a constant leaves a set unsorted, except for a script (Redis orders it then).
        diff.runAll(List.of(c("SADD", "sortme", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "aa", "aaa", "azz", "z"),
                eval("return redis.call('sort', KEYS[1], 'by', '_')", "1", "sortme"),
                eval("return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", "1", "sortme")));
        // DEBUG SET-DISABLE-DENY-SCRIPTS lets a script run a noscript command (CLIENT LIST), for tests.
        diff.runAll(List.of(eval("return type(redis.call('client', 'list'))", "0"), c("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"),
                eval("return type(redis.call('client', 'list'))", "0"),
                // A script's clock stands still: a key set to expire in 1 ms still exists after a 10 ms sleep.
                eval("redis.call('SET', KEYS[1], 'v', 'PX', '1') redis.call('DEBUG', 'SLEEP', '0.01') return redis.call('EXISTS', KEYS[1])",
                        "1", "frozen"),
                c("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"),
                eval("return type(redis.call('client', 'list'))", "0")));
        diff.runAll(List.of(
                eval("return 1", "0"), eval("return 3.99", "0"), eval("return -3.99", "0"), eval("return 'str'", "0"),
                eval("return true", "0"), eval("return false", "0"), eval("return nil", "0"), eval("return {}", "0"),
                eval("return {1,2,3,'x',nil,5}", "0"), eval("return {1,{2,{3,'deep'}},{}}", "0"),
                eval("return {ok='fine'}", "0"), eval("return {err='My Error here'}", "0"),
                eval("return {err='line\\nbreak'}", "0"), eval("return redis.status_reply('PONGISH')", "0"),
                eval("return redis.error_reply('CODE something bad')", "0"), eval("return redis.error_reply('plain')", "0"),
                eval("return redis.error_reply('-X y')", "0"), eval("return {1, {err='inner'}, 3}", "0"),
                eval("return redis.sha1hex('')", "0"), eval("return redis.sha1hex('abc')", "0"),
                eval("return KEYS", "3", "a", "b", "c", "d", "e"), eval("return ARGV", "1", "a", "b", "c"),
                eval("return {#KEYS, #ARGV}", "0"), eval("return tostring(1e20)", "0"), eval("return 1e20", "0"),
                eval("return {double=3.5}", "0"), eval("return {map={a=1}}", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void repliesBecomeLuaValues() throws Exception {
        diff.runAll(List.of(
                c("DEL", "k", "h", "l", "z"), c("RPUSH", "l", "a", "b", "c"), c("HSET", "h", "f", "v"), c("ZADD", "z", "1.5", "m"),
                eval("return redis.call('set', 'k', 'v')", "0"), eval("return type(redis.call('set', 'k', 'v'))", "0"),
                eval("return redis.call('set', 'k', 'v')['ok']", "0"), eval("return redis.call('get', 'k')", "0"),
                eval("return type(redis.call('get', 'nokey'))", "0"), eval("return redis.call('get', 'nokey')", "0"),
                eval("return redis.call('lrange', 'l', 0, -1)", "0"), eval("return redis.call('hgetall', 'h')", "0"),
                eval("return redis.call('zrange', 'z', 0, -1, 'withscores')", "0"), eval("return redis.call('incr', 'n')", "0"),
                eval("return type(redis.call('incr', 'n'))", "0"), eval("return redis.call('exists', 'k', 'nokey')", "0"),
                eval("return redis.pcall('incr', 'k')", "0"), eval("return type(redis.pcall('incr', 'k'))", "0"),
                eval("return redis.pcall('incr', 'k')['err']", "0"), eval("return redis.call('lpop', 'nolist')", "0"),
eval("return redis.call('set', 'num', 12.5)", "0"),
                eval("return redis.call('set', 'num', 7)", "0"), eval("return redis.call('get', 'num')", "0"),
                eval("local t = redis.call('hgetall', 'h') return #t", "0"),
                eval("return redis.call('type', 'l')", "0"), eval("return redis.call('type', 'l')['ok']", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void errorsCarryRedisPrefixesAndPositions() throws Exception {
        diff.runAll(List.of(
                c("SET", "str", "x"),
                eval("return redis.call('nosuch')", "0"), eval("return redis.call('get')", "0"),
                eval("return redis.call()", "0"), eval("return redis.call({})", "0"), eval("return redis.pcall()", "0"),
                eval("return redis.call('incr', 'str')", "0"), eval("\n\nreturn redis.call('lpush', 'str', 'x')", "0"),
                eval("error('boom')", "0"), eval("error({err='TABLE err'})", "0"), eval("error(42)", "0"),
                eval("return +", "0"),
                eval("return redis.call('eval', 'return 1', '0')", "0"), eval("return redis.call('multi')", "0"),
                eval("return redis.call('script', 'load', 'return 1')", "0"),
                eval("return redis.pcall('nosuch')", "0"), eval("return redis.pcall('get')['err']", "0"),
                c("EVAL", "return 1"), c("EVAL", "return 1", "x"), c("EVAL", "return 1", "2", "a"),
                c("EVAL", "return 1", "-1"), c("EVALSHA", "abc", "0"), c("EVALSHA", "0000000000000000000000000000000000000000", "0"),
                c("EVALSHA_RO", "0000000000000000000000000000000000000000", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void readOnlyScriptsRefuseWrites() throws Exception {
        diff.runAll(List.of(
                c("SET", "k", "v"),
                c("EVAL_RO", "return redis.call('get', 'k')", "1", "k"),
                c("EVAL_RO", "return redis.call('set', 'k', 'x')", "1", "k"),
                c("EVAL_RO", "return redis.pcall('del', 'k')", "1", "k"),
                c("EVAL_RO", "return redis.call('publish', 'ch', 'm')", "0"),
                c("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])"),
                c("EVALSHA_RO", "c5e4c9c3ff2bd4ee4fb5ad23a08bb91d44f3fbc8", "1", "k"),
                c("GET", "k")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void scriptCacheCommands() throws Exception {
        String body = "return redis.call('incr', KEYS[1])";
        diff.runAll(List.of(
                c("DEL", "counter"), c("SCRIPT", "LOAD", body), c("SCRIPT", "LOAD", body),
                c("SCRIPT", "EXISTS", "c2164e94a8acd0c5a3a4b5c1fa52a3b59d8ef2ab"),
                c("SCRIPT", "LOAD", "return +"), c("SCRIPT", "LOAD"), c("SCRIPT", "EXISTS"),
                c("EVAL", "return 'cached'", "0"),
                c("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0000"),
                c("SCRIPT", "FLUSH", "SYNC"), c("SCRIPT", "FLUSH", "ASYNC"), c("SCRIPT", "FLUSH", "BAD"),
                c("SCRIPT", "FLUSH", "SYNC", "X"), c("SCRIPT", "FLUSH"),
                c("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")));
        String sha = diff.run("SCRIPT", "LOAD", body);
        String hex = sha.substring(sha.indexOf('\n') + 1).trim();
        diff.run("EVALSHA", hex, "1", "counter");
        diff.run("EVALSHA", hex.toUpperCase(java.util.Locale.ROOT), "1", "counter");
        diff.run("SCRIPT", "EXISTS", hex.toUpperCase(java.util.Locale.ROOT));
        diff.run("GET", "counter");
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void binaryStringsTravelIntact() throws Exception {
        byte[] bin = {0, (byte) 0xff, 'a', (byte) 0x80, 0, '\n'};
        String s = new String(bin, StandardCharsets.ISO_8859_1);
        byte[][] set = {b("EVAL"), b("return redis.call('set', KEYS[1], ARGV[1])"), b("1"), b("bin"), bin};
        diff.run(set);
        diff.run("GET", "bin");
        diff.run(new byte[][] {b("EVAL"), b("return {ARGV[1], #ARGV[1], redis.call('get', 'bin') == ARGV[1]}"), b("0"), bin});
        diff.run("EVAL", "return redis.call('get', 'bin')", "0");
        diff.run("EVAL", "return string.char(0, 200, 10, 255)", "0");
        assertThat(s).hasSize(6);
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void resp3ConversionsBothWays() throws Exception {
        diff.normalize(ConnectionDifferentialTest.HELLO_VERSION_AND_ID);
        diff.runAll(List.of(
                c("HELLO", "3"), c("DEL", "h", "s", "z"), c("HSET", "h", "f", "v"), c("SADD", "s", "m"), c("ZADD", "z", "2.5", "m"),
                eval("return true", "0"), eval("return false", "0"), eval("return nil", "0"), eval("return {1, 'a'}", "0"),
                eval("return {double=3.25}", "0"), eval("return {map={a=1}}", "0"), eval("return {set={a=true}}", "0"),
                eval("return redis.call('hgetall', 'h')", "0"),
                eval("redis.setresp(3) return redis.call('hgetall', 'h')", "0"),
                eval("redis.setresp(3) return redis.call('hgetall', 'h').map.f", "0"),
                eval("redis.setresp(3) return redis.call('smembers', 's')", "0"),
                eval("redis.setresp(3) return type(redis.call('get', 'nokey'))", "0"),
                eval("redis.setresp(3) return redis.call('zscore', 'z', 'm')", "0"),
                eval("redis.setresp(3) return redis.call('zscore', 'z', 'm').double", "0"),
                eval("redis.setresp(4)", "0"), eval("redis.setresp()", "0"),
                c("HELLO", "2"),
                eval("redis.setresp(3) return redis.call('hgetall', 'h')", "0"),
                eval("redis.setresp(3) return redis.call('exists', 'h') == 1", "0"),
                eval("return {double=3.25}", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void sandboxProtectsGlobalsAndRemovesWhatRedisRemoves() throws Exception {
        diff.runAll(List.of(
                eval("return a", "0"), eval("a = 10", "0"), eval("setmetatable(_G, {})", "0"),
                eval("local g = getmetatable(_G) g.__index = {}", "0"), eval("redis = function() return 1 end", "0"),
                eval("_G = {}", "0"), eval("redis.call = function() return 1 end", "0"), eval("string.foo = 1", "0"),
                eval("math.pi = 3", "0"), eval("table.insert = nil", "0"), eval("rawset(_G, 'x', 1)", "0"),
                eval("print('x')", "0"), eval("dofile('x')", "0"), eval("loadfile('x')", "0"),
                eval("return loadstring(string.dump(function() return 1 end))()", "0"),
                eval("return loadstring('return 1 + 1')()", "0"), eval("return type(rawget(_G, 'redis'))", "0"),
                eval("local t = {} setmetatable(t, {__index = function() return 5 end}) return t.y", "0"),
                eval("local n = 0 for k in pairs(redis) do n = n + 1 end return n > 3", "0"),
                eval("local x = 5 return x", "0"), eval("return _VERSION", "0"), eval("return type(coroutine.create)", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Redis's own lrand48: the same numbers on every machine, one sequence for the interpreter's life. */
    @Test
    void mathRandomIsRedisLrand48() throws Exception {
        diff.run("SCRIPT", "FLUSH"); // a fresh interpreter on both sides
        diff.runAll(List.of(
                eval("return {math.random(100), math.random(1, 10), tostring(math.random())}", "0"),
                eval("return {math.random(100), math.random(1, 10), tostring(math.random())}", "0"),
                eval("math.randomseed(42) return {math.random(100), tostring(math.random())}", "0"),
                eval("math.randomseed(-7) return {math.random(-5, 5), tostring(math.random())}", "0"),
                eval("local x = math.random(0) return x", "0"), eval("local x = math.random(3, 1) return x", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
