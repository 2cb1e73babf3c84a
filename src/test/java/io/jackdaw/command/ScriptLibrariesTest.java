package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundled Lua libraries over a real socket without the reference server: replies that
 * redis-server 7.0.15 gave for the same scripts and the values Valkey's own scripting tests
 * expect, so the libraries stay checked where no oracle is installed. The wide comparison is
 * ScriptLibrariesDifferentialTest.
 */
class ScriptLibrariesTest {
    static TestServer server;
    RespConnection c;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @BeforeEach
    void connect() throws Exception { c = new RespConnection(server.port()); }

    @AfterEach
    void close() throws Exception { c.close(); }

    private String eval(String script, String... argv) throws Exception {
        String[] cmd = new String[3 + argv.length];
        cmd[0] = "EVAL";
        cmd[1] = script;
        cmd[2] = "0";
        System.arraycopy(argv, 0, cmd, 3, argv.length);
        return c.call(cmd);
    }

    private static String bulk(String s) { return "$" + s.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + s + "\r\n"; }

    @Test
    void bitMatchesLuaBitOp() throws Exception {
        assertThat(eval("return {bit.tobit(2^32 + 5), bit.bnot(0), bit.lshift(1, 31), bit.arshift(-256, 4), bit.rol(0x12345678, 4), bit.bswap(0x12345678)}"))
                .isEqualTo("*6\r\n:5\r\n:-1\r\n:-2147483648\r\n:-16\r\n:591751041\r\n:2018915346\r\n");
        assertThat(eval("return bit.tohex(65535, -2147483648)")).isEqualTo(bulk("0000FFFF"));
        assertThat(eval("return bit.tohex(-1, -3)")).isEqualTo(bulk("FFF"));
        assertThat(eval("return bit.band(1, {})")).startsWith("-ERR user_script:1: bad argument #2 to 'band' (number expected, got table) script: ");
    }

    @Test
    void structPacksBytesAndReportsErrorsAsRedis() throws Exception {
        assertThat(eval("return struct.pack('>i2<h!4bi', 1, 2, 3, 4)")).isEqualTo(bulk("\u0000\u0001\u0002\u0000\u0003\u0000\u0000\u0000\u0004\u0000\u0000\u0000"));
        assertThat(eval("return {struct.unpack('>i2s', struct.pack('>i2s', -5, 'hi'))}")).isEqualTo("*3\r\n:-5\r\n$2\r\nhi\r\n:6\r\n");
        assertThat(eval("return struct.pack('X')")).isEqualTo(
                "-ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'X') script: f37233b49ede6884e92b777f18b33d39aaafcc5b, on @user_script:1.\r\n");
        assertThat(eval("local p = struct.pack return p('X')")).startsWith("-ERR user_script:1: bad argument #1 to 'p' (invalid format option 'X')");
        assertThat(eval("return {pcall(struct.pack, 'X')}")).isEqualTo("*2\r\n$-1\r\n" + bulk("bad argument #1 to '?' (invalid format option 'X')"));
        assertThat(eval("return struct.pack('c5', 'ab')")).startsWith("-ERR user_script:1: bad argument #3 to 'pack' (string too short)");
    }

    @Test
    void cjsonEncodesDecodesAndLimitsDepth() throws Exception {
        assertThat(eval("return cjson.encode({1, 2, {a = 1}})")).isEqualTo(bulk("[1,2,{\"a\":1}]"));
        assertThat(eval("return cjson.encode({{}, 'a/b', 1/3, cjson.null})")).isEqualTo(bulk("[{},\"a\\/b\",0.33333333333333,null]"));
        assertThat(eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')")).isEqualTo(bulk("0 -5000 -1 0.0003 1023.2 0"));
        assertThat(eval("return cjson.decode(ARGV[1])", "\"\\u00e9\\ud83d\\ude00\"")).isEqualTo(bulk("\u00c3\u00a9\u00f0\u009f\u0098\u0080"));
        assertThat(eval("return cjson.decode('x')")).startsWith("-ERR user_script:1: Expected value but found invalid token at character 1 script: ");
        assertThat(eval("return cjson.encode(function() end)")).startsWith("-ERR user_script:1: Cannot serialise function: type not supported script: ");
        assertThat(eval("return cjson.decode(string.rep('[', 1001))")).startsWith("-ERR user_script:1: Found too many nested data structures (1001) at character 1001 script: ");
        assertThat(eval("local t = {} t[1] = t return cjson.encode(t)")).startsWith("-ERR user_script:1: Cannot serialise, excessive nesting (1001) script: ");
    }

    @Test
    void cmsgpackEncodesAsLuaCmsgpack() throws Exception {
        String hex = "local function hex(s) return (string.gsub(s, '.', function(ch) return string.format('%02x', string.byte(ch)) end)) end ";
        assertThat(eval(hex + "return hex(cmsgpack.pack(0.1))")).isEqualTo(bulk("cb3fb999999999999a"));
        assertThat(eval(hex + "return hex(cmsgpack.pack(-1099511627776))")).isEqualTo(bulk("d3ffffff0000000000"));
        assertThat(eval(hex + "return hex(cmsgpack.pack({1, 2, 3}, {a = 1}, 1.5, 'x'))")).isEqualTo(bulk("93010203" + "81a16101" + "ca3fc00000" + "a178"));
        assertThat(eval("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}")).isEqualTo("*3\r\n:2\r\n:1\r\n:2\r\n");
        assertThat(eval("return cmsgpack.unpack('\\196\\1a')")).startsWith("-ERR user_script:1: Bad data format in input. script: ");
        assertThat(eval("return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\1')"))
                .startsWith("-ERR user_script:1: stack overflow (in function mp_decode_to_lua_array) script: ");
    }

    @Test
    void librariesAreReadonlyGlobals() throws Exception {
        for (String lib : new String[] {"cjson.encode", "cmsgpack.pack", "struct.pack", "bit.band"}) {
            assertThat(eval(lib + " = nil")).startsWith("-ERR user_script:1: Attempt to modify a readonly table script: ");
        }
        assertThat(eval("return {type(cjson), type(cmsgpack), type(struct), type(bit)}"))
                .isEqualTo("*4\r\n" + bulk("table") + bulk("table") + bulk("table") + bulk("table"));
    }

    @Test
    void jsonDocumentUpdatedInPlaceByAScript() throws Exception {
        c.call("SET", "doc", "{\"name\":\"jackdaw\",\"visits\":41}");
        String script = "local d = cjson.decode(redis.call('get', KEYS[1])) d.visits = d.visits + 1"
                + " redis.call('set', KEYS[1], cjson.encode(d)) return d.visits";
        assertThat(c.call("EVAL", script, "1", "doc")).isEqualTo(":42\r\n");
        assertThat(c.call("EVAL", "return cjson.decode(redis.call('get', KEYS[1])).visits", "1", "doc")).isEqualTo(":42\r\n");
    }
}
