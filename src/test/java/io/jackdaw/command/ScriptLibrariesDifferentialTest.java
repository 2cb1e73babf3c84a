package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.DifferentialTestBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The libraries Redis bundles into Lua (bit, struct, cjson, cmsgpack) run by EVAL on Jackdaw
 * and on the reference redis-server, replies compared byte for byte: results, the bytes of
 * packed strings, error texts with their positions, depth limits, configuration functions, and
 * seeded random round trips. Values a reply would truncate (non-integer numbers, nested
 * tables with holes) are turned into text inside the script by {@link #SER} first.
 */
class ScriptLibrariesDifferentialTest extends DifferentialTestBase {

    /** A Lua serializer: exact numbers (%.17g), quoted strings, tables in pairs() order, cjson.null. */
    private static final String SER = """
            local function ser(v, d)
              d = d or 0
              local t = type(v)
              if t == 'table' then
                if d > 60 then return '<deep>' end
                local parts = {}
                for k, x in pairs(v) do parts[#parts + 1] = ser(k, d + 1) .. '=' .. ser(x, d + 1) end
                return '{' .. table.concat(parts, ',') .. '}'
              elseif t == 'number' then return string.format('%.17g', v)
              elseif t == 'string' then return string.format('%q', v)
              elseif t == 'userdata' then return v == cjson.null and 'cjson.null' or 'userdata'
              end
              return tostring(v)
            end
            local function hex(s)
              return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))
            end
            local function all(...)
              local out = {}
              for i = 1, select('#', ...) do out[i] = ser((select(i, ...))) end
              return table.concat(out, ' ')
            end
            """;

    @BeforeEach
    void connect() throws Exception {
        differential();
        diff.run("SCRIPT", "FLUSH");
    }

    /** EVAL of {@code body} (after the helpers) with no keys and the given ARGV. */
    /** Returns Jackdaw's reply (already compared with the reference's). */
    private String eval(String body, String... argv) throws IOException {
        String[] cmd = new String[3 + argv.length];
        cmd[0] = "EVAL";
        cmd[1] = SER + body;
        cmd[2] = "0";
        System.arraycopy(argv, 0, cmd, 3, argv.length);
        return diff.run(latin1(cmd));
    }

    /** EVAL of a bare script, so error positions are on line 1 as users see them. */
    private void bare(String script) throws IOException { r("EVAL", script, "0"); }

    private void assertSame() { assertThat(diff.mismatches()).isEmpty(); }

    // ------------------------------------------------------------ bit

    private static final String BIT_VALUES =
            "{0, 1, -1, 2^31, -2^31, 2^31 - 1, 2^32, 2^32 + 1, -2^32, 2^53, 2^53 + 2, -2^53, 2^60, 0.5, 1.5, 2.5, -0.5, -1.5,"
                    + " 3.7, -3.7, 1e300, -1e300, 1/0, -1/0, 0/0, '10', '0x10', ' 7 ', 4294967295, 0x7fffffff, 0x80000000}";

    @Test
    void bitFunctionsOnEdgeValues() throws Exception {
        for (String f : List.of("tobit", "bnot", "bswap", "tohex")) {
            eval("local r = {} for i, v in ipairs(" + BIT_VALUES + ") do r[i] = ser(bit." + f + "(v)) end return r");
        }
        for (String f : List.of("band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror")) {
            eval("local vs = " + BIT_VALUES + " local r = {} for _, a in ipairs(vs) do for _, b in ipairs({0, 1, 4, 31, 32, 33, -1, -4, 2^31, 0.5, 1.5, -2^32 - 3}) do"
                    + " r[#r + 1] = ser(bit." + f + "(a, b)) end end return r");
        }
        eval("return {bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8, 16), bit.bxor(5, 3, 1, 0xf0), bit.band(-1), bit.bor(2^32 + 5)}");
        eval("local r = {} for _, n in ipairs({0, 1, 2, 7, 8, 9, 100, -1, -2, -8, -9, -100, 2^31, -2^31, 2^32 + 3, 1.5, 2.5}) do"
                + " r[#r + 1] = bit.tohex(0x1234abcd, n) r[#r + 1] = bit.tohex(-1, n) end return r");
        assertSame();
    }

    @Test
    void bitErrors() throws Exception {
        for (String s : List.of("return bit.tobit('x')", "return bit.tobit()", "return bit.band()", "return bit.band(1, {})",
                "return bit.lshift(1)", "return bit.tohex(1, 'z')", "return bit.bor(1, 2, nil)", "local f = bit.bxor return f(true)",
                "return {pcall(bit.rol, 'x', 1)}", "return bit.arshift(1, {})", "return bit.bswap(nil)")) {
            bare(s);
        }
        assertSame();
    }

    // ------------------------------------------------------------ struct

    @Test
    void structPackUnpackRoundTrips() throws Exception {
        String[][] cases = {
            {"b", "0"}, {"b", "-1"}, {"b", "127"}, {"b", "-128"}, {"B", "255"}, {"B", "256"}, {"h", "-32768"}, {"H", "65535"},
            {">h", "-2"}, {"<H", "513"}, {"l", "-1"}, {"L", "2^63"}, {"L", "2^64"}, {"L", "-1"}, {">L", "2^53 + 1"},
            {"T", "12345"}, {"i", "-7"}, {"I", "4294967295"}, {">i3", "-70000"}, {"<I3", "16777215"}, {"i1", "-1"},
            {">i16", "-1"}, {"<i16", "-1"}, {">I12", "2^40"}, {"i8", "-2^63"}, {"i0", "5"}, {"f", "1.5"}, {"f", "0.1"},
            {">f", "-1e39"}, {"d", "0.1"}, {">d", "-1/0"}, {"<d", "2^-1074"}, {"s", "'hello'"}, {"s", "''"}, {"c3", "'abcdef'"},
            {"c0", "'xyz'"}, {"c1", "'q'"}, {"x", ""}, {"!4bi", "1, 2"}, {"!8bd", "1, 0.5"}, {"!2bhbi", "1, 2, 3, 4"},
            {">!4 b i <h", "-1, -2, -3"}, {"!bi3i", "1, 2, 3"}, {"!16bd", "1, 2"}, {"bxxh", "1, 2"}, {">L", "1/0"}, {">L", "0/0"},
            {">l", "-2^64"}, {">L", "2^63 + 2^62"}, {"b", "'12'"}, {"s", "12.5"}, {"B", "1.9"}, {"b", "-1.9"},
        };
        for (String[] c : cases) {
            String fmt = c[0], args = c[1];
            eval("local p = struct.pack('" + fmt + "'" + (args.isEmpty() ? "" : ", " + args) + ")"
                    + " return {hex(p), all(struct.unpack('" + fmt + "', p)), struct.size('" + fmt.replace("s", "").replace("c0", "") + "')}");
        }
        eval("return {all(struct.unpack('>i16', string.rep('\\255', 16))), all(struct.unpack('>I16', string.rep('\\255', 16))),"
                + " all(struct.unpack('>i9', string.rep('\\128', 9))), all(struct.unpack('i0', '')), all(struct.unpack('>L', string.rep('\\255', 8))),"
                + " all(struct.unpack('<l', string.rep('\\255', 7) .. '\\127'))}");
        eval("return {all(struct.unpack('b', 'ab', 2)), all(struct.unpack('s', 'ab\\0c')), all(struct.unpack('c0', 'abc')),"
                + " all(struct.unpack('bc0', '\\2abc')), all(struct.unpack('c1c0', '3abcd')), all(struct.unpack('!3bi', 'abcdefgh')),"
                + " all(struct.unpack('!i3i3', 'abcdefghijkl')), all(struct.unpack('bb', 'abc', 2)), all(struct.unpack('s', '\\0'))}");
        eval("return {struct.size('i'), struct.size('!ib'), struct.size('!bi'), struct.size('Xz'), struct.size('!8bd'), struct.size('c7'),"
                + " struct.size('<>= '), struct.size('!2hbl'), struct.size(''), struct.size('i32I32')}");
        eval("return {hex(struct.pack('bx\\0b', 1, 2)), hex(struct.pack('')), #struct.pack(string.rep('x', 1000))}");
        eval("return #{struct.unpack(string.rep('b', 7990), string.rep('a', 7990))}");
        assertSame();
    }

    @Test
    void structErrors() throws Exception {
        for (String s : List.of("return struct.pack('X')", "return {pcall(struct.pack, 'X')}", "local p = struct.pack return p('X')",
                "return struct:pack('x')", "return struct.pack()", "return struct.pack('c5', 'ab')", "return struct.pack('b5', 1)",
                "return struct.pack('i33', 1)", "return struct.pack('i99999999999', 1)", "return struct.pack('!3', 1)", "return struct.pack('!0')",
                "return struct.pack('d', 'x')", "return struct.pack('d')", "return struct.pack('dd', 1)", "return struct.pack('s', {})",
                "return struct.pack('c', nil)", "return struct.unpack('b')", "return struct.unpack('b', '')", "return struct.unpack('b', 'a', 0)",
                "return struct.unpack('b', 'a', -1)", "return struct.unpack('b', 'ab', 3)", "return struct.unpack('b', 'a', 'x')",
                "return struct.unpack('s', 'abc')", "return struct.unpack('bc0', '\\9abc')", "return struct.unpack('c0', 'abc', 1)",
                "return struct.unpack('sc0', 'x\\0abc')", "return struct.unpack('i', 'abc')", "return struct.unpack('d', 'abcdefg')",
                "return struct.unpack('!5b', 'a')", "return struct.unpack('Q', 'a')", "return struct.size('s')", "return struct.size('c0')",
                "return struct.size('!3')", "return struct.size('i40')", "return struct.size()", "return struct.unpack({}, 'a')",
                "return struct.unpack(string.rep('b', 8500), string.rep('a', 8500))", "return struct.pack('>' .. string.rep('i', 3), 1, 2)")) {
            bare(s);
        }
        assertSame();
    }

    // ------------------------------------------------------------ cjson

    @Test
    void cjsonEncodes() throws Exception {
        for (String v : List.of("{}", "{a={b={c={1,2,'x',{d=true}}}},5,'e'}", "{[1]=1,[3]=3}", "{[1]=1,[12]=3}", "{[1]=1,[2]=2,[100]=3}",
                "{1,2,nil,4}", "{[1]=1,a=2}", "{[2^40]=1}", "{[1.5]=1}", "{[-1]=1}", "{[0]=1}", "{{},{{}},{a={}}}",
                "'a/b\"c\\\\d\\n\\t\\r\\b\\f\\1\\31\\127\\128\\233\\255'", "'\\0'", "''",
                "{0.1,1/3,1e300,-0.0,123456789012345,2^53,1e-5,3.14159265358979,1e15,1e14,123456.789,-1e-300,5e-324,0.00001234}",
                "cjson.null", "{cjson.null,false,true}", "{a=cjson.null}", "true", "false", "nil", "12", "-0.5",
                "{a=1,b=2,c=3,foo=4,bar=5,[10]=1,[2.5]=3,xyzzy={q=1,w=2}}", "{['\\233']=1,['a\\0b']=2}")) {
            bare("return cjson.encode(" + v + ")");
        }
        bare("local t = {} for i = 1, 50 do t['key' .. i] = i end return cjson.encode(t)");
        bare("local t = {} for i = 1, 100 do t[i] = i * 1.5 end return cjson.encode(t)");
        bare("return cjson.encode(KEYS)");
        r("EVAL", "return cjson.encode({KEYS, ARGV})", "2", "k1", "k\u00e92", "a\"", "b\\");
        assertSame();
    }

    @Test
    void cjsonDecodes() throws Exception {
        for (String json : List.of("[1,2,3]", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}", "[[],{},[[1,2],{\"x\":[3]}]]", "  {\"a\" : [ 1 , 2 ] }  ",
                "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\u0000x\"", "\"\\u20ac\\u07ff\\u0080\\u007f\"", "\"\\/\\\\\\\"\\b\\f\\n\\r\\t\"",
                "[1e5,-0.5,1E-2,0x10,+1,007,-inf,Infinity,nan,NaN,-Infinity]", "[0x1p4,0x.8,1.e2,infinity,-nan(abc),1e400,1e-400]",
                "[-0x1.8p-2,0x1p99999999999,1e-99999999999,12345678901234567890123,-.5,0X1P+2,-0]", "true", "false", "null", "3",
                "\"\u00e9 raw \u0001\"", "{\"a\":1,\"a\":2}", "[1]\u0000xx", "{\"\":{\"\":[]}}", "[\"\\u00E9\\uD83D\\uDE00\"]")) {
            eval("local ok, v = pcall(cjson.decode, ARGV[1]) return ok and ser(v) or ('error: ' .. v)", json);
        }
        bare("return cjson.decode('null') == cjson.null");
        bare("return cjson.encode(cjson.decode('[0x1p4, 1e400, -1e400]'))");
        bare("return cjson.decode('[1,2,[3]]')[3][1]");
        assertSame();
    }

    @Test
    void cjsonErrors() throws Exception {
        for (String json : List.of("x", "[1,2", "{\"a\":1,}", "[1,]", "{1:2}", "{\"a\" 1}", "\"abc", "\"\\q\"", "\"\\u12\"", "\"\\ud83d\"",
                "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\ud83dx\"", "[.5]", "[-]", "[- 1]", "tru", "nul", "fals", "1 2", "", " ", "\u0000a", "a\u0000",
                "[1 2]", "{\"a\":1 \"b\":2}", "]", "}", ":", ",", "[0x]", "[1e]", "[--1]", "{\"a\"}", "{\"a\":}", "[\"a\nb\"]", "\u00e9",
                "{\"a\":[1,2,{\"b\":[}]}", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,x]")) {
            eval("local ok, v = pcall(cjson.decode, ARGV[1]) return {tostring(ok), ser(v)}", json);
            r("EVAL", "return cjson.decode(ARGV[1])", "0", json);
        }
        for (String s : List.of("return cjson.encode(function() end)", "return cjson.encode({[true]=1})", "return cjson.encode({a={[{}]=1}})",
                "return cjson.encode()", "return cjson.encode(1, 2)", "return {pcall(cjson.encode)}", "return cjson.decode()",
                "return cjson.decode({})", "return cjson.decode(1, 2)", "return cjson.decode(123)", "return cjson.encode(1/0)",
                "return cjson.encode(0/0)", "return cjson.encode({[1/0]=1})", "return cjson.encode({-1/0})", "return cjson.encode(coroutine.create(print))",
                "return cjson.encode({1, {2, function() end}})", "return cjson.encode({[1]=1,[1000]=2})", "return cjson.encode({a={[1]=1,[1000]=2}})")) {
            bare(s);
        }
        assertSame();
    }

    @Test
    void cjsonDepthLimits() throws Exception {
        for (String s : List.of(
                "local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t)",
                "local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t)",
                "local t = {} local c = t for i = 1, 1000 do c.a = {} c = c.a end return cjson.encode(t)",
                "local t = {} t[1] = t return cjson.encode(t)",
                "local t = {} t.self = t return cjson.encode(t)",
                "return cjson.decode(string.rep('[', 1001))", "return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))",
                "return cjson.decode(string.rep('[', 1000))", "return cjson.decode(string.rep('{\"a\":', 1001))",
                "return cjson.decode(string.rep('[1,', 1001))",
                "cjson.encode_max_depth(5) local ok, e = pcall(cjson.encode, {{{{{{}}}}}}) local ok2, e2 = pcall(cjson.encode, {{{{{}}}}}) cjson.encode_max_depth(1000) return {e, e2}",
                "cjson.decode_max_depth(3) local ok, e = pcall(cjson.decode, '[[[[1]]]]') local ok2, v = pcall(cjson.decode, '[[[1]]]') cjson.decode_max_depth(1000) return {e, #v}",
                "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('[', 9000)) cjson.decode_max_depth(1000) return e",
                "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('{\"a\":', 5000)) cjson.decode_max_depth(1000) return e",
                "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c[1] = {} c = c[1] end local ok, e = pcall(cjson.encode, t) cjson.encode_max_depth(1000) return e",
                "cjson.encode_max_depth(100000) local t = {} local c = t for i = 1, 9000 do c.a = {} c = c.a end local ok, e = pcall(cjson.encode, t) cjson.encode_max_depth(1000) return e")) {
            bare(s);
        }
        assertSame();
    }

    @Test
    void cjsonConfiguration() throws Exception {
        for (String s : List.of(
                "return {cjson.encode_invalid_numbers()}", "return {cjson.encode_invalid_numbers('bogus')}", "return {cjson.encode_invalid_numbers({})}",
                "return {cjson.encode_sparse_array()}", "return {cjson.encode_sparse_array(true, 0, 'x')}", "return {cjson.encode_sparse_array(1, 2, 3, 4)}",
                "return {cjson.encode_sparse_array('on', -1)}", "return {cjson.encode_max_depth(0)}", "return {cjson.encode_max_depth(2^31)}",
                "return {cjson.encode_number_precision(15)}", "return {cjson.encode_number_precision(1, 2)}", "return {cjson.encode_number_precision(0)}",
                "return {cjson.decode_max_depth('x')}", "return {cjson.encode_keep_buffer('maybe')}", "return {cjson.encode_keep_buffer('on\\0x')}",
                "return {cjson.decode_invalid_numbers()}", "return {cjson.encode_max_depth()}", "return {cjson.decode_max_depth()}",
                "return {cjson.encode_number_precision()}", "return {cjson.encode_keep_buffer()}",
                "return {cjson._NAME, cjson._VERSION, type(cjson.null), type(cjson.new)}",
                "cjson.encode_invalid_numbers(true) local r = cjson.encode({1/0, -1/0, 0/0}) cjson.encode_invalid_numbers(false) return r",
                "local a = {cjson.encode_invalid_numbers('null')} local r = cjson.encode({1/0, 0/0, a = -1/0}) local b = {cjson.encode_invalid_numbers('off')} return {r, a[1], tostring(b[1])}",
                "cjson.encode_number_precision(3) local r = cjson.encode({1/3, 12345.6, 0.00012345, 1e20}) cjson.encode_number_precision(14) return r",
                "cjson.encode_number_precision(1) local r = cjson.encode({0.5, 1.5, 2.5, 15, 95}) cjson.encode_number_precision(14) return r",
                "cjson.encode_sparse_array(true) local r = cjson.encode({[1]=1,[20]=2}) cjson.encode_sparse_array(false) return r",
                "cjson.encode_sparse_array(false, 0) local r = cjson.encode({[1]=1,[2000]=2}) cjson.encode_sparse_array(false, 2, 10) return #r",
                "cjson.encode_sparse_array(false, 3, 1) local ok, e = pcall(cjson.encode, {[1]=1,[4]=2}) local r = cjson.encode({[1]=1,[3]=2}) cjson.encode_sparse_array(false, 2, 10) return {e, r}",
                "cjson.decode_invalid_numbers(false) local r = {} for _, j in ipairs({'[0x10]', '[+1]', 'inf', '[007]', '[-0x1]', '[1.5]', 'nan', '[-Infinity]'}) do"
                        + " local ok, v = pcall(cjson.decode, j) r[#r + 1] = tostring(ok) .. ' ' .. (ok and cjson.encode(v) or v) end cjson.decode_invalid_numbers(true) return r",
                "local j = cjson.new() j.encode_number_precision(2) return {j.encode(1/3), cjson.encode(1/3), j.encode({1, 2}), rawequal(j, cjson)}",
                "local j = cjson.new() j.x = 1 return {j.x, j.decode('[1]')[1], j.null == cjson.null}")) {
            bare(s);
        }
        assertSame();
    }

    // ------------------------------------------------------------ cmsgpack

    @Test
    void cmsgpackIntegersAndFloatsAtEveryBoundary() throws Exception {
        eval("local r = {} for _, v in ipairs({0, 1, 127, 128, 255, 256, 65535, 65536, 2^32 - 1, 2^32, 2^53, 2^63, 2^64, -1, -32, -33, -128, -129,"
                + " -32768, -32769, -2^31, -2^31 - 1, -2^63, -2^64, 0.5, 0.1, 1/3, 1/0, -1/0, 1e300, -0.0, 2^-149, 2^-150, 3.4028234663852886e38,"
                + " 3.4028235677973366e38, 16777217, 0.25}) do local p = cmsgpack.pack(v) r[#r + 1] = hex(p) .. ' ' .. all(cmsgpack.unpack(p)) end return r");
        eval("return {hex(cmsgpack.pack(0/0)), all(cmsgpack.unpack(cmsgpack.pack(0/0)))}");
        for (String bytes : List.of("\\204\\255", "\\208\\128", "\\205\\255\\255", "\\209\\128\\0", "\\206\\255\\255\\255\\255",
                "\\210\\128\\0\\0\\0", "\\207\\255\\255\\255\\255\\255\\255\\255\\255", "\\207\\0\\32\\0\\0\\0\\0\\0\\1", "\\211\\128\\0\\0\\0\\0\\0\\0\\0",
                "\\211\\255\\255\\255\\255\\255\\255\\255\\254", "\\202\\127\\192\\0\\0", "\\202\\255\\128\\0\\0", "\\203\\127\\248\\0\\0\\0\\0\\0\\1",
                "\\203\\63\\185\\153\\153\\153\\153\\153\\154", "\\127", "\\224", "\\255", "\\192", "\\194", "\\195")) {
            bare("return '" + bytes + "' and (function(...) local r = {} for i = 1, select('#', ...) do local v = select(i, ...) r[i] = type(v) .. ':' .. string.format('%.17g', tonumber(v) or 0) end return r end)(cmsgpack.unpack('" + bytes + "'))");
        }
        assertSame();
    }

    @Test
    void cmsgpackStringsAndTables() throws Exception {
        eval("local r = {} for _, n in ipairs({0, 1, 31, 32, 33, 255, 256, 65535, 65536, 70000}) do local s = string.rep('x', n)"
                + " local p = cmsgpack.pack(s) r[#r + 1] = hex(p:sub(1, 5)) .. ' ' .. #p .. ' ' .. tostring(cmsgpack.unpack(p) == s) end return r");
        eval("return hex(cmsgpack.pack({1, 2, 3}, {a = 1}, {[1] = 1, [3] = 3}, {}, true, false, 'x', {[1.5] = 2}, {[0] = 1}, {[-1] = 1}, {1, nil, 3}))");
        for (String lua : List.of("{1,2,3}", "{a={b={1,2}}}", "{[2^31]=1}", "{[2^31-1]=1}", "{x='y',[1]=2,[2]=true}", "{'\\0\\255'}",
                "{cjson.null, print}", "{{{{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}}}}", "{[{1}]={2}}")) {
            eval("local p = cmsgpack.pack(" + lua + ") return {hex(p), all(cmsgpack.unpack(p))}");
        }
        eval("local t = {} for i = 1, 16 do t[i] = i end local u = {} for i = 1, 20 do u['k' .. i] = i end local big = {} for i = 1, 70000 do big[i] = i % 3 end"
                + " local m = {} for i = 1, 70000 do m['k' .. i] = true end local pb, pm = cmsgpack.pack(big), cmsgpack.pack(m)"
                + " return {hex(cmsgpack.pack(t)), hex(cmsgpack.pack(u)), hex(pb:sub(1, 8)), #pb, hex(pm:sub(1, 5)), #pm, #cmsgpack.unpack(pb)}");
        eval("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return {hex(cmsgpack.pack(t)), all(cmsgpack.unpack(cmsgpack.pack(t)))}");
        eval("local t = {} t[1] = t local u = {} u.me = u return {hex(cmsgpack.pack(t)), hex(cmsgpack.pack(u))}");
        assertSame();
    }

    @Test
    void cmsgpackOffsetsLimitsAndMalformedInput() throws Exception {
        for (String s : List.of("{cmsgpack.unpack('\\1\\2\\3')}", "{cmsgpack.unpack('')}", "{cmsgpack.unpack_one('\\1\\2\\3')}",
                "{cmsgpack.unpack_one('\\1\\2\\3', 2)}", "{cmsgpack.unpack_one('\\1\\2\\3', 3)}", "{cmsgpack.unpack_limit('\\1\\2\\3', 2)}",
                "{cmsgpack.unpack_limit('\\1\\2\\3', 2, 2)}", "{cmsgpack.unpack_limit('\\1\\2\\3', 0)}", "{cmsgpack.unpack_limit('\\1\\2\\3', 5, 1)}",
                "{cmsgpack.unpack_one('')}", "{cmsgpack.unpack_one('\\1\\2', 0)}", "{cmsgpack.unpack_one('\\1\\2', 1.9)}", "{cmsgpack.unpack(123)}",
                "{cmsgpack.unpack('\\1', 'extra')}", "{cmsgpack.unpack_one('\\146\\1\\2\\3', 0)}")) {
            eval("return all(unpack(" + s + "))");
        }
        for (String s : List.of("return cmsgpack.pack()", "return cmsgpack.unpack('\\205')", "return cmsgpack.unpack('\\193')",
                "return cmsgpack.unpack('\\196\\1a')", "return cmsgpack.unpack('\\199\\1\\1a')", "return cmsgpack.unpack('\\212\\1\\1')",
                "return cmsgpack.unpack_one('\\1\\2\\3', 4)", "return cmsgpack.unpack_one('\\1\\2\\3', -1)", "return cmsgpack.unpack_limit('\\1\\2\\3', -1)",
                "return cmsgpack.unpack_limit('\\1')", "return cmsgpack.unpack_one()", "return cmsgpack.unpack_one('\\1', 'x')", "return cmsgpack.unpack()",
                "return cmsgpack.unpack({})", "return cmsgpack.unpack('\\129\\192\\1')", "return cmsgpack.unpack('\\129\\203\\255\\248\\0\\0\\0\\0\\0\\0\\1')",
                "return cmsgpack.unpack('\\146\\1')", "return cmsgpack.unpack('\\130\\1\\2\\3')", "return cmsgpack.unpack('\\217\\3ab')",
                "return cmsgpack.unpack('\\218\\0')", "return cmsgpack.unpack('\\219\\0\\0\\0\\9abc')", "return cmsgpack.unpack('\\220\\0\\2\\1')",
                "return cmsgpack.unpack('\\221\\255\\255\\255\\255')", "return cmsgpack.unpack('\\223\\0\\0\\0\\1\\1')",
                "return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\1')", "return #{cmsgpack.unpack(string.rep('\\1', 8100))}",
                "return #{cmsgpack.unpack(string.rep('\\1', 7990))}", "return #{cmsgpack.unpack_limit(string.rep('\\1', 9000), 100, 8000)}",
                "local ok, e = pcall(cmsgpack.unpack, string.rep('\\129\\1', 5000) .. '\\1') return e",
                "return #cmsgpack.pack(unpack((function() local t = {} for i = 1, 4001 do t[i] = i end return t end)()))",
                "return #cmsgpack.pack(unpack((function() local t = {} for i = 1, 3999 do t[i] = i end return t end)()))")) {
            bare(s);
        }
        assertSame();
    }

    // ------------------------------------------------------------ readonly, as Redis's library tables

    @Test
    void libraryTablesAreReadonly() throws Exception {
        for (String s : List.of("cjson.encode = nil", "cjson.x = 1", "bit.band = nil", "struct.pack = print", "cmsgpack.pack = nil",
                "rawset(cjson, 'encode', nil)", "setmetatable(bit, {})", "return {type(cjson), type(bit), type(struct), type(cmsgpack)}",
                "local ok, e = pcall(function() cjson.null = 1 end) return e", "return cjson.encode({1}) .. tostring(cjson.x)",
                "return {type(cjson.encode), type(cmsgpack.unpack_limit), type(struct.size), type(bit.tohex)}",
                "return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION}")) {
            bare(s);
        }
        assertSame();
    }

    @Test
    void librariesInsideCoroutines() throws Exception {
        for (String s : List.of("return coroutine.wrap(function() return cjson.encode({1, 2, {a = 3}}) end)()",
                "return {coroutine.wrap(function() return struct.unpack('bb', 'ab') end)()}",
                "return {coroutine.resume(coroutine.create(function() return struct.pack('X') end))}",
                "return {coroutine.wrap(function() local x = cmsgpack.unpack(cmsgpack.pack({1, 2, 3})) coroutine.yield(#x) end)()}",
                "local co = coroutine.create(function(a) local t = cjson.decode(a) coroutine.yield(t[1]) return cjson.encode(t) end)"
                        + " local _, x = coroutine.resume(co, '[5,6]') local _, y = coroutine.resume(co) return {x, y}",
                "return coroutine.wrap(function() return cjson.decode('[1,') end)()")) {
            bare(s);
        }
        assertSame();
    }

    // ------------------------------------------------------------ seeded random round trips

    /** A random Lua value as source text: nested tables with array and map parts, odd strings and numbers. */
    private static String luaValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0: return Integer.toString(rnd.nextInt(2000) - 1000);
            case 1: return Long.toString(rnd.nextLong() >> rnd.nextInt(64));
            case 2: {
                double d = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextDouble();
                    case 1 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
                    case 2 -> Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL) * (rnd.nextBoolean() ? 1 : -1);
                    default -> rnd.nextInt(100) / 4.0;
                };
                return "(" + String.format("%.17g", d).replace(",", ".") + ")";
            }
            case 3: return luaString(rnd);
            case 4: return rnd.nextBoolean() ? "true" : "false";
            case 5: return rnd.nextInt(4) == 0 ? "cjson.null" : "'" + "x".repeat(rnd.nextInt(40)) + "'";
            default: {
                StringBuilder sb = new StringBuilder("{");
                int n = rnd.nextInt(6);
                boolean array = rnd.nextBoolean();
                for (int i = 0; i < n; i++) {
                    if (i > 0) sb.append(',');
                    if (!array) {
                        switch (rnd.nextInt(3)) {
                            case 0 -> sb.append('[').append(luaString(rnd)).append("]=");
                            case 1 -> sb.append('[').append(rnd.nextInt(30) + 1).append("]=");
                            default -> sb.append("k").append(rnd.nextInt(1000)).append('=');
                        }
                    }
                    sb.append(luaValue(rnd, depth + 1));
                }
                return sb.append('}').toString();
            }
        }
    }

    private static String luaString(Random rnd) {
        StringBuilder sb = new StringBuilder("'");
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            int c = switch (rnd.nextInt(5)) {
                case 0 -> rnd.nextInt(256);
                case 1 -> "\"\\/\b\f\n\r\t".charAt(rnd.nextInt(8));
                default -> 'a' + rnd.nextInt(26);
            };
            sb.append('\\').append(c);
        }
        return sb.append('\'').toString();
    }

    @Test
    void randomValuesEncodeAlikeInCjsonAndCmsgpack() throws Exception {
        Random rnd = new Random(0x5eed_c75L);
        for (int i = 0; i < 300; i++) {
            String v = luaValue(rnd, 0);
            eval("local v = " + v + " local ok, j = pcall(cjson.encode, v) local p = cmsgpack.pack(v)"
                    + " local ok2, back = pcall(cjson.decode, ok and j or 'null')"
                    + " return {tostring(ok), j, hex(p), all(cmsgpack.unpack(p)), ser(back)}");
        }
        assertSame();
    }

    @Test
    void randomNumbersFormatAlikeAtEveryPrecision() throws Exception {
        Random rnd = new Random(0xF10A7L);
        for (int i = 0; i < 200; i++) {
            StringBuilder argv = new StringBuilder();
            for (int k = 0; k < 10; k++) {
                double d = switch (rnd.nextInt(6)) {
                    case 0 -> rnd.nextInt(1_000_000) / Math.pow(10, rnd.nextInt(8));
                    case 1 -> (double) (rnd.nextLong() >> rnd.nextInt(64));
                    case 2 -> Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL);
                    case 3 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(44) - 22);
                    case 4 -> Math.round(rnd.nextDouble() * 1000) + 0.5;
                    default -> rnd.nextInt(100) * Math.pow(10, rnd.nextInt(30) - 15);
                };
                if (rnd.nextBoolean()) d = -d;
                argv.append(k == 0 ? "" : " ").append(String.format("%.17g", d).replace(",", "."));
            }
            int precision = 1 + rnd.nextInt(14);
            eval("cjson.encode_number_precision(" + precision + ") local xs = {} for w in ARGV[1]:gmatch('%S+') do xs[#xs + 1] = tonumber(w) end"
                    + " local r = cjson.encode(xs) cjson.encode_number_precision(14)"
                    + " local c = {} for j, x in ipairs(xs) do c[j] = string.format('%." + precision + "g', x) end return {r, table.concat(c, ',')}", argv.toString());
        }
        assertSame();
    }

    @Test
    void randomStructFormatsPackUnpackAndSizeAlike() throws Exception {
        Random rnd = new Random(0x57_2C7L);
        String letters = "bBhHlLTiIfdxcs<>! bBhHiI";
        int packed = 0;
        String[] values = {"0", "1", "-1", "255", "-129", "65537", "2^31", "-2^31", "2^40 + 3", "-2^53", "1.5", "-0.25", "'ab'", "'hello'", "''", "'7'"};
        for (int i = 0; i < 300; i++) {
            StringBuilder fmt = new StringBuilder();
            int n = 1 + rnd.nextInt(6);
            for (int k = 0; k < n; k++) {
                fmt.append(letters.charAt(rnd.nextInt(letters.length())));
                if (rnd.nextInt(3) == 0) fmt.append(rnd.nextInt(rnd.nextBoolean() ? 10 : 40));
            }
            StringBuilder args = new StringBuilder();
            int argc = rnd.nextInt(n + 2);
            for (int k = 0; k < argc; k++) args.append(", ").append(values[rnd.nextInt(values.length)]);
            String reply = eval("local f = ARGV[1] local ok, p = pcall(struct.pack, f" + args + ")"
                    + " local r = {tostring(ok), ok and hex(p) or p, all(pcall(struct.size, f))}"
                    + " if ok then r[4] = all(pcall(struct.unpack, f, p)) r[5] = all(pcall(struct.unpack, f, p .. 'tail', 2)) end return r", fmt.toString());
            if (reply.startsWith("*5\r\n$4\r\ntrue")) packed++;
        }
        assertSame();
        assertThat(packed).as("formats that packed, so unpack was compared too").isGreaterThan(50);
    }

    /** Mostly well-formed msgpack built at random, then sometimes cut short or with a byte changed. */
    private static void msgpackValue(Random rnd, java.io.ByteArrayOutputStream out, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 22 : 26);
        int[] fixed = {0xc0, 0xc2, 0xc3, 0x00, 0x7f, 0xe0, 0xff, 0xc1, 0xc4, 0xd4};
        switch (kind) {
            case 0, 1, 2, 3 -> out.write(fixed[rnd.nextInt(fixed.length)]);
            case 4 -> { out.write(0xcc + rnd.nextInt(4)); int n = new int[] {1, 2, 4, 8}[rnd.nextInt(4)]; for (int i = 0; i < n; i++) out.write(rnd.nextInt(256)); }
            case 5 -> { out.write(0xd0 + rnd.nextInt(4)); int n = new int[] {1, 2, 4, 8}[rnd.nextInt(4)]; for (int i = 0; i < n; i++) out.write(rnd.nextInt(256)); }
            case 6 -> { out.write(0xca); for (int i = 0; i < 4; i++) out.write(rnd.nextInt(256)); }
            case 7 -> { out.write(0xcb); for (int i = 0; i < 8; i++) out.write(rnd.nextInt(256)); }
            case 8, 9, 10 -> { int n = rnd.nextInt(32); out.write(0xa0 | n); for (int i = 0; i < n; i++) out.write(rnd.nextInt(256)); }
            case 11 -> { int n = rnd.nextInt(300); out.write(0xd9); out.write(n & 0xff); for (int i = 0; i < (n & 0xff); i++) out.write('s'); }
            case 12 -> { int n = rnd.nextInt(300); out.write(0xda); out.write(n >> 8); out.write(n & 0xff); for (int i = 0; i < n; i++) out.write('m'); }
            case 13 -> { int n = rnd.nextInt(40); out.write(0xdb); out.write(0); out.write(0); out.write(0); out.write(n); for (int i = 0; i < n; i++) out.write('l'); }
            case 14, 15, 16, 17, 18, 19, 20, 21 -> out.write(rnd.nextInt(128));
            case 22, 23 -> {
                int n = rnd.nextInt(5);
                if (rnd.nextBoolean()) out.write(0x90 | n); else { out.write(0xdc); out.write(0); out.write(n); }
                for (int i = 0; i < n; i++) msgpackValue(rnd, out, depth + 1);
            }
            default -> {
                int n = rnd.nextInt(4);
                if (rnd.nextBoolean()) out.write(0x80 | n); else { out.write(0xde); out.write(0); out.write(n); }
                for (int i = 0; i < 2 * n; i++) msgpackValue(rnd, out, depth + 1);
            }
        }
    }

    @Test
    void randomMsgpackBytesUnpackAlike() throws Exception {
        Random rnd = new Random(0xC0FFEEL);
        int decoded = 0;
        for (int i = 0; i < 300; i++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int values = 1 + rnd.nextInt(3);
            for (int v = 0; v < values; v++) msgpackValue(rnd, out, 0);
            byte[] b = out.toByteArray();
            int mutation = rnd.nextInt(4);
            if (mutation == 0 && b.length > 1) b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            else if (mutation == 1 && b.length > 0) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            String arg = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            int offset = b.length == 0 ? 0 : rnd.nextInt(b.length);
            String reply = eval("local a = {pcall(cmsgpack.unpack, ARGV[1])} local o = {pcall(cmsgpack.unpack_one, ARGV[1], tonumber(ARGV[2]))}"
                    + " local l = {pcall(cmsgpack.unpack_limit, ARGV[1], 2, tonumber(ARGV[2]))}"
                    + " return {all(unpack(a)), all(unpack(o)), all(unpack(l))}", arg, Integer.toString(offset));
            if (reply.matches("(?s)\\*3\r\n\\$\\d+\r\ntrue .*")) decoded++;
        }
        assertSame();
        assertThat(decoded).as("inputs that unpacked whole").isGreaterThan(50);
    }

    @Test
    void randomJsonTextDecodesAlike() throws Exception {
        Random rnd = new Random(0x15_0DL);
        int decoded = 0;
        String[] atoms = {"1", "-0", "2.5e3", "1E+2", "0x1F", "+4", "007", "1e", "-", "true", "false", "null", "nul", "\"a\"",
            "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\q\"", "\"\\/\"", "\"\u0001\"", "Infinity", "-inf", "NaN", "[", "]",
            "{", "}", ":", ",", " ", "\"k\":", "\t\n", "\u00ff", "\u0000"};
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(12);
            for (int k = 0; k < n; k++) sb.append(atoms[rnd.nextInt(atoms.length)]);
            String reply = eval("local ok, v = pcall(cjson.decode, ARGV[1]) return {tostring(ok), ser(v)}", sb.toString());
            if (reply.startsWith("*2\r\n$4\r\ntrue")) decoded++;
        }
        assertSame();
        assertThat(decoded).as("texts that decoded").isGreaterThan(20);
    }
}
