package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FUNCTION LOAD/DELETE/FLUSH/LIST/STATS, FCALL and FCALL_RO, the library API seen while a
 * library loads, script flags (function flags and EVAL shebangs) and the redis.* extras
 * (log, set_repl, acl_check_cmd, breakpoint, replicate_commands), replayed on Jackdaw and the
 * reference redis-server 7.0, replies compared byte for byte. {@code redis.REDIS_VERSION}
 * differs by design (7.2.4 here) and is checked in {@link ScriptBusyTest}. FUNCTION LIST is
 * compared one library of one function at a time: Redis lists libraries and functions in its
 * hash tables' order, which its random hash seed changes from run to run. Redis 7.2 changed {@code redis.set_repl()}'s
 * arity message ("requires one argument") and Valkey added the {@code server} alias; both are
 * pinned in {@link ScriptBusyTest}.
 */
class FunctionDifferentialTest extends DifferentialTestBase {
    @BeforeEach
    void connect() throws Exception {
        differential();
        diff.run("FUNCTION", "FLUSH");
        diff.run("SCRIPT", "FLUSH");
    }

    private static String lib(String name, String body) { return "#!lua name=" + name + "\n" + body; }

    private static final String HELLO = "redis.register_function('hello', function(keys, args) return 'hello ' .. (args[1] or '') end)";

    @Test
    void loadCallListDelete() throws Exception {
        diff.runAll(List.of(
                c("FUNCTION", "LOAD", lib("mylib", HELLO)), c("FCALL", "hello", "0", "world"), c("FCALL", "HELLO", "0"),
                c("FCALL_RO", "hello", "0"), c("FUNCTION", "LOAD", lib("mylib", HELLO)), c("FUNCTION", "LOAD", lib("MYLIB", HELLO)),
                c("FUNCTION", "LOAD", "REPLACE", lib("mylib", "redis.register_function('hello', function() return 2 end)")),
                c("FCALL", "hello", "0"), c("FUNCTION", "LOAD", "REPLACE", lib("mylib", "bad script")), c("FCALL", "hello", "0"),
                c("FUNCTION", "LOAD", lib("other", HELLO)), c("FUNCTION", "LOAD", "foo", lib("x", HELLO)),
                c("FUNCTION", "LOAD", "replace", "replace", lib("mylib", HELLO)), c("FUNCTION", "LOAD", "REPLACE"),
                c("FUNCTION", "LOAD", lib("bad\\0name", HELLO)), c("FUNCTION", "LOAD", lib("", HELLO)),
                c("FUNCTION", "LOAD", "#!nosuch name=x\n" + HELLO), c("FUNCTION", "LOAD", "#!lua\n" + HELLO),
                c("FUNCTION", "LOAD", "#!lua name=a name=b\n" + HELLO), c("FUNCTION", "LOAD", "#!lua name=a foo=bar\n" + HELLO),
                c("FUNCTION", "LOAD", "#!lua name=a"), c("FUNCTION", "LOAD", "no shebang"), c("FUNCTION", "LOAD", "#!lua name=\"q\"\n" + HELLO),
                c("FUNCTION", "LOAD", "#!lua name=\"unbalanced\n" + HELLO), c("FUNCTION", "LOAD", "#!LUA NAME=upper\nredis.register_function('up', function() return 1 end)"),
                c("FUNCTION", "LOAD", lib("empty", "local x = 1")), c("FUNCTION", "LIST", "LIBRARYNAME", "my*"),
                c("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "up*"), c("FUNCTION", "LIST", "LIBRARYNAME", "my*", "WITHCODE"),
                c("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"),
                c("FUNCTION", "LIST", "bad"), c("FUNCTION", "LIST", "LIBRARYNAME"), c("FUNCTION", "LIST", "WITHCODE", "WITHCODE"),
                c("FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b"), c("FUNCTION", "DELETE", "mylib"),
                c("FUNCTION", "DELETE", "mylib"), c("FCALL", "hello", "0"), c("FCALL", "nosuch", "0"),
                c("FUNCTION", "STATS"), c("FUNCTION", "KILL"), c("FUNCTION", "FLUSH", "bad"), c("FUNCTION", "FLUSH", "sync", "extra"),
                c("FUNCTION", "FLUSH", "ASYNC"), c("FUNCTION", "LIST"), c("FUNCTION", "STATS"), c("FUNCTION", "NOSUCH"),
                c("FUNCTION", "DELETE"), c("FCALL"), c("FCALL", "f")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void fcallArgumentsKeysAndErrors() throws Exception {
        diff.run("FUNCTION", "LOAD", lib("kv", String.join("\n",
                "redis.register_function('setget', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)",
                "redis.register_function('count', function(keys, args) return {#keys, #args} end)",
                "redis.register_function('boom', function(keys, args) error('kaboom') end)",
                "redis.register_function('boomtable', function(keys, args) return redis.error_reply('MYERR custom') end)",
                "redis.register_function('callerr', function(keys, args) return redis.call('incr', keys[1]) end)",
                "redis.register_function('globals', function() return type(KEYS) .. type(ARGV) end)")));
        diff.runAll(List.of(
                c("FCALL", "setget", "1", "k", "v"), c("FCALL", "count", "2", "a", "b", "c"), c("FCALL", "count", "0"),
                c("FCALL", "count", "x"), c("FCALL", "count", "4", "a"), c("FCALL", "count", "-1"), c("FCALL", "count", "1.5", "a"),
                c("FCALL", "boom", "0"), c("FCALL", "boomtable", "0"), c("SET", "str", "abc"), c("FCALL", "callerr", "1", "str"),
                c("FCALL", "globals", "0"), c("FCALL_RO", "setget", "1", "k", "v"), c("FCALL_RO", "count", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    /** What redis.register_function accepts and refuses, and what a library sees while it loads. */
    @Test
    void registrationAndTheLoadEnvironment() throws Exception {
        String[] bodies = {
                "redis.register_function()",
                "redis.register_function('f')",
                "redis.register_function('f', function() end, 3)",
                "redis.register_function(1, function() end)",
                "redis.register_function({}, function() end)",
                "redis.register_function('f', 'notfunc')",
                "redis.register_function('bad name', function() end)",
                "redis.register_function('', function() end)",
                "redis.register_function('f', function() end) redis.register_function('F', function() end)",
                "redis.register_function('f')",
                "redis.register_function{function_name='f', callback=function() return 1 end, description='d', flags={'no-writes', 'allow-oom'}}",
                "redis.register_function{function_name=1, callback=function() end}",
                "redis.register_function{function_name='f', callback='x'}",
                "redis.register_function{function_name='f', callback=function() end, description={}}",
                "redis.register_function{function_name='f', callback=function() end, foo='bar'}",
                "redis.register_function{callback=function() end}",
                "redis.register_function{function_name='f'}",
                "redis.register_function{function_name='f', callback=function() end, flags='no-writes'}",
                "redis.register_function{function_name='f', callback=function() end, flags={'bad-flag'}}",
                "redis.register_function{function_name='f', callback=function() end, flags={1}}",
                "redis.register_function('f')",
                "redis.register_function(1)",
                "return math.random()",
                "return redis.call('ping')",
                "redis.setresp(3)",
                "redis.set_repl(redis.REPL_ALL)",
                "return redis.acl_check_cmd('ping')",
                "x = 1",
                "error('load fails')",
                "error({err='MYCODE from a table'})",
                "redis.log(redis.LOG_NOTICE, 'logged while loading') redis.register_function('logged', function() return 1 end)",
                "local t = type(redis.REDIS_VERSION_NUM) redis.register_function('ver', function() return t end)",
                "redis.register_function('shared_globals', function() return {type(string), type(math.random), type(redis.call)} end)",
                "redis.register_function('later', function() return redis.register_function('x', function() end) end)",
        };
        int i = 0;
        for (String body : bodies) {
            diff.run("FUNCTION", "LOAD", "REPLACE", lib("l" + (i++), body));
        }
        diff.runAll(List.of(c("FCALL", "F", "0"), c("FUNCTION", "LIST", "LIBRARYNAME", "l10"),
                c("FCALL", "shared_globals", "0"), c("FCALL", "later", "0"), c("FCALL", "ver", "0"),
                c("FCALL", "f", "0"), c("FCALL_RO", "f", "0")));
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void functionFlagsAndShebangs() throws Exception {
        diff.run("FUNCTION", "LOAD", lib("flags", String.join("\n",
                "redis.register_function{function_name='ro', callback=function(k) return redis.call('get', k[1]) end, flags={'no-writes'}}",
                "redis.register_function{function_name='rw', callback=function(k) return redis.call('set', k[1], 'v') end}",
                "redis.register_function{function_name='ro_writes', callback=function(k) return redis.call('set', k[1], 'v') end, flags={'no-writes'}}",
                "redis.register_function{function_name='pro', callback=function(k) return redis.pcall('set', k[1], 'v') end, flags={'NO-WRITES'}}")));
        diff.runAll(List.of(
                c("FCALL", "ro", "1", "k"), c("FCALL_RO", "ro", "1", "k"), c("FCALL", "rw", "1", "k"), c("FCALL_RO", "rw", "1", "k"),
                c("FCALL", "ro_writes", "1", "k"), c("FCALL_RO", "ro_writes", "1", "k"), c("FCALL", "pro", "1", "k"),
                c("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "k"),
                c("EVAL_RO", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "k"),
                c("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"),
                c("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'y')", "1", "k"),
                c("EVAL", "#!lua flags=no-writes,allow-oom\nreturn 1", "0"), c("EVAL", "#!lua flags=\nreturn 1", "0"),
                c("EVAL", "#!lua flags=no-writes,,allow-oom\nreturn 1", "0"), c("EVAL", "#!lua flags=NO-WRITES\nreturn 1", "0"),
                c("EVAL", "#!lua flags=foo\nreturn 1", "0"), c("EVAL", "#!lua foo=bar\nreturn 1", "0"), c("EVAL", "#!luax\nreturn 1", "0"),
                c("EVAL", "#!lua", "0"), c("EVAL", "#!\nreturn 1", "0"), c("EVAL", "#! lua\nreturn 1", "0"),
                c("EVAL", "#!lua\nreturn debug", "0"), c("EVAL", "#!lua\n\nerror('line three')", "0"),
                c("SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1"), c("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 1"),
                c("EVALSHA_RO", "8a6f8b3a5a4ad4a8bc3d2f8f8d6d1a7ba1e1c7c4", "0")));
        diff.run("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn redis.call('get', 'k')");
        diff.run("EVALSHA_RO", ScriptEngineSha.of("#!lua flags=no-writes\nreturn redis.call('get', 'k')"), "0");
        diff.run("SCRIPT", "LOAD", "#!lua\nreturn redis.call('get', 'k')");
        diff.run("EVALSHA_RO", ScriptEngineSha.of("#!lua\nreturn redis.call('get', 'k')"), "0");
        assertThat(diff.mismatches()).isEmpty();
    }

    /** Out of memory: flagged scripts are refused unless allow-oom (or no-writes); unflagged ones fail at their first deny-oom command. */
    @Test
    void outOfMemoryFlags() throws Exception {
        diff.run("FUNCTION", "LOAD", lib("oom", String.join("\n",
                "redis.register_function{function_name='rw', callback=function() return redis.call('set', 'x', '1') end}",
                "redis.register_function{function_name='oomok', callback=function() return redis.call('set', 'x', '1') end, flags={'allow-oom'}}",
                "redis.register_function{function_name='ro', callback=function() return redis.call('get', 'x') end, flags={'no-writes'}}")));
        diff.run("SET", "filler", "x".repeat(10_000));
        diff.run("CONFIG", "SET", "maxmemory", "1");
        try {
            diff.runAll(List.of(
                    c("FCALL", "rw", "0"), c("FCALL", "oomok", "0"), c("FCALL", "ro", "0"), c("EVAL", "return redis.call('set', 'x', '2')", "0"),
                    c("EVAL", "return redis.pcall('set', 'x', '2')['err']", "0"), c("EVAL", "return redis.call('get', 'x')", "0"),
                    c("EVAL", "#!lua\nreturn 1", "0"), c("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', 'x', '3')", "0"),
                    c("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'x')", "0")));
        } finally {
            diff.run("CONFIG", "SET", "maxmemory", "0");
        }
        assertThat(diff.mismatches()).isEmpty();
    }

    @Test
    void redisApiExtras() throws Exception {
        diff.runAll(List.of(
                c("EVAL", "return redis.log(redis.LOG_WARNING, 'from a script', 42)", "0"), c("EVAL", "return redis.log(redis.LOG_DEBUG)", "0"),
                c("EVAL", "return redis.log('x', 'y')", "0"), c("EVAL", "return redis.log(9, 'y')", "0"), c("EVAL", "return redis.log(-1, 'y')", "0"),
                c("EVAL", "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0"),
                c("EVAL", "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}", "0"),
                c("EVAL", "redis.set_repl(redis.REPL_NONE) return redis.call('set', 'a', '1')", "0"), 
                c("EVAL", "return redis.set_repl(8)", "0"), c("EVAL", "return redis.set_repl('x')", "0"),
                c("EVAL", "return redis.acl_check_cmd('set', 'k', 'v')", "0"), c("EVAL", "return redis.acl_check_cmd('nosuch')", "0"),
                c("EVAL", "return redis.acl_check_cmd()", "0"), c("EVAL", "return redis.acl_check_cmd('config', 'get', 'x')", "0"),
                c("EVAL", "return redis.acl_check_cmd('config', 'nosub')", "0"), c("EVAL", "return redis.acl_check_cmd({})", "0"),
                c("EVAL", "return redis.breakpoint()", "0"), c("EVAL", "return redis.debug('x')", "0"),
                c("EVAL", "return redis.replicate_commands()", "0"), c("EVAL", "return type(redis.REDIS_VERSION_NUM)", "0"),
                c("EVAL", "return type(redis.REDIS_VERSION)", "0"), 
                c("EVAL", "redis.REDIS_VERSION = 1", "0"), c("EVAL", "return redis.register_function", "0")));
        diff.run("FUNCTION", "LOAD", lib("api", "redis.register_function('api', function() return {type(redis.breakpoint), type(redis.set_repl), type(redis.log), type(redis.call)} end)"));
        diff.run("FCALL", "api", "0");
        assertThat(diff.mismatches()).isEmpty();
    }

    /** FUNCTION DUMP's payload: the libraries as RDB records, then the version and CRC64. */
    private static byte[] functionDump(io.jackdaw.testing.RespConnection c) throws java.io.IOException {
        return ((String) io.jackdaw.testing.Resp.parse(c.call("FUNCTION", "DUMP"))).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String functionRestore(io.jackdaw.testing.RespConnection c, byte[] payload, String... policy) throws java.io.IOException {
        byte[][] argv = new byte[3 + policy.length][];
        argv[0] = "FUNCTION".getBytes();
        argv[1] = "RESTORE".getBytes();
        argv[2] = payload;
        for (int i = 0; i < policy.length; i++) argv[3 + i] = policy[i].getBytes();
        return c.call(argv);
    }

    /**
     * FUNCTION DUMP and FUNCTION RESTORE both ways. The bodies are byte for byte Redis's (LZF and all);
     * the footer carries RDB version 11 here (7.2) and 10 on 7.0, which refuses 11: payloads go
     * to the reference with their version rewritten to 10 and the CRC recomputed.
     */
    @Test
    void dumpAndRestore() throws Exception {
        String one = lib("one", "redis.register_function('f1', function(keys, args) return 'one ' .. (args[1] or '') end)");
        String two = lib("two", "redis.register_function{function_name='f2', callback=function() return 2 end, flags={'no-writes'}, description='second'}");
        diff.run("FUNCTION", "LOAD", one);
        try (io.jackdaw.testing.RespConnection a = new io.jackdaw.testing.RespConnection(ours.port());
                io.jackdaw.testing.RespConnection b = new io.jackdaw.testing.RespConnection(ref.port())) {
            byte[] mine = functionDump(a), theirs = functionDump(b);
            assertThat(java.util.Arrays.copyOf(mine, mine.length - 10)).isEqualTo(java.util.Arrays.copyOf(theirs, theirs.length - 10));
            assertThat(io.jackdaw.types.Bytes.getU16(mine, mine.length - 10)).isEqualTo(11);
            byte[] mineAs10 = DumpRestoreDifferentialTest.asVersion(mine, 10);
            // Restore each server's dump into both, under every policy and on collisions.
            for (byte[] p : java.util.List.of(theirs, mineAs10)) {
                for (String[] policy : new String[][] {{}, {"APPEND"}, {"REPLACE"}, {"FLUSH"}, {"BAD"}, {"append", "extra"}}) {
                    assertThat(functionRestore(a, p, policy)).as("policy %s", String.join(" ", policy)).isEqualTo(functionRestore(b, p, policy));
                }
                assertThat(a.call("FUNCTION", "FLUSH")).isEqualTo(b.call("FUNCTION", "FLUSH"));
                assertThat(functionRestore(a, p)).isEqualTo(functionRestore(b, p)).isEqualTo("+OK\r\n");
                assertThat(a.call("FCALL", "f1", "0", "x")).isEqualTo(b.call("FCALL", "f1", "0", "x")).isEqualTo("$5\r\none x\r\n");
                // A payload whose function name collides with another library's.
                a.call("FUNCTION", "FLUSH");
                b.call("FUNCTION", "FLUSH");
                String clash = lib("other", "redis.register_function('f1', function() return 0 end)");
                a.call("FUNCTION", "LOAD", clash);
                b.call("FUNCTION", "LOAD", clash);
                assertThat(functionRestore(a, p, "REPLACE")).isEqualTo(functionRestore(b, p, "REPLACE")).isEqualTo("-ERR Function f1 already exists\r\n");
                assertThat(a.call("FCALL", "f1", "0")).isEqualTo(":0\r\n");
                a.call("FUNCTION", "FLUSH");
                b.call("FUNCTION", "FLUSH");
            }
            // Two libraries in one payload (compared by restoring, as their order follows each server's hash table).
            a.call("FUNCTION", "LOAD", one);
            a.call("FUNCTION", "LOAD", two);
            byte[] both = DumpRestoreDifferentialTest.asVersion(functionDump(a), 10);
            a.call("FUNCTION", "FLUSH");
            assertThat(functionRestore(a, both)).isEqualTo(functionRestore(b, both)).isEqualTo("+OK\r\n");
            assertThat(a.call("FUNCTION", "LIST", "LIBRARYNAME", "two")).isEqualTo(b.call("FUNCTION", "LIST", "LIBRARYNAME", "two"));
            // Which of the two is named first follows each server's table order.
            assertThat(functionRestore(a, both)).matches("-ERR Library (one|two) already exists\r\n");
            assertThat(functionRestore(b, both)).matches("-ERR Library (one|two) already exists\r\n");
            // Damaged payloads.
            byte[] flipped = theirs.clone();
            flipped[3] ^= 0x20;
            assertThat(functionRestore(a, flipped)).isEqualTo(functionRestore(b, flipped)).isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
            // 7.0 still reads the 7.0-rc format (opcode 246); 7.2 refuses it.
            assertThat(functionRestore(a, DumpRestoreDifferentialTest.withFooter(new byte[] {(byte) 246, 1, 'x'}, 10)))
                    .isEqualTo("-ERR Pre-GA function format not supported\r\n");
            for (byte[] body : java.util.List.of(new byte[] {0, 1, 'x'}, new byte[] {(byte) 245, (byte) 0xC3, 9},
                    new byte[] {(byte) 245, 5, 'n', 'o', 'p', 'e', '!'}, new byte[] {(byte) 245, 1, 'x'})) {
                byte[] p = DumpRestoreDifferentialTest.withFooter(body, 10);
                assertThat(functionRestore(a, p)).as("body %s", java.util.Arrays.toString(body)).isEqualTo(functionRestore(b, p));
            }
            assertThat(functionRestore(a, DumpRestoreDifferentialTest.withFooter(new byte[0], 10))).isEqualTo("+OK\r\n");
        }
    }

    /** SHA1 of a script body, as SCRIPT LOAD returns it. */
    private static final class ScriptEngineSha {
        static String of(String body) {
            return io.jackdaw.script.ScriptEngine.sha1hex(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
