package io.jackdaw.script;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/**
 * The {@code cjson} library Redis bundles (lua-cjson 2.1.0): {@code encode}, {@code decode},
 * {@code null}, {@code new} and the configuration functions, each table with its own settings
 * as the original keeps them in an upvalue. Encoding walks the Lua value on the real Lua stack
 * (so {@code next} order and stack limits are Lua's own); decoding is a byte-level tokenizer
 * reading the input as a C string, errors at the same character positions as the original.
 */
final class LuaCjson {
    private LuaCjson() {}

    /**
     * The most one encoded document (cjson or cmsgpack) may take: Redis's C buffers grow until
     * malloc fails, ours must not exhaust the JVM heap (beyond it: Lua's "not enough memory").
     */
    static final int MAX_OUTPUT = (int) Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);

    /** One cjson table's settings (the original's json_config_t). */
    static final class Config {
        int sparseConvert = 0, sparseRatio = 2, sparseSafe = 10;
        int encodeMaxDepth = 1000, decodeMaxDepth = 1000;
        int encodeInvalidNumbers = 0; // 0 off, 1 on, 2 "null"
        int decodeInvalidNumbers = 1;
        int keepBuffer = 1;
        int precision = 14;
    }

    static void install(Lua lua, LuaNative n) {
        create(lua, n);
        lua.setGlobal("cjson");
    }

    /** Pushes a new cjson table with default settings. */
    private static void create(Lua lua, LuaNative n) {
        Config cfg = new Config();
        lua.newTable();
        ScriptLibraries.set(lua, n, "encode", L -> new Encoder(n, L, cfg).encode());
        ScriptLibraries.set(lua, n, "decode", L -> new Decoder(n, L, cfg).decode());
        ScriptLibraries.set(lua, n, "encode_sparse_array", L -> {
            argInit(n, L, 3);
            cfg.sparseConvert = enumOption(n, L, 1, cfg.sparseConvert, BOOL_OPTIONS);
            cfg.sparseRatio = integerOption(n, L, 2, cfg.sparseRatio, 0, Integer.MAX_VALUE);
            cfg.sparseSafe = integerOption(n, L, 3, cfg.sparseSafe, 0, Integer.MAX_VALUE);
            return 3;
        });
        ScriptLibraries.set(lua, n, "encode_max_depth", L -> {
            argInit(n, L, 1);
            cfg.encodeMaxDepth = integerOption(n, L, 1, cfg.encodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        ScriptLibraries.set(lua, n, "decode_max_depth", L -> {
            argInit(n, L, 1);
            cfg.decodeMaxDepth = integerOption(n, L, 1, cfg.decodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        ScriptLibraries.set(lua, n, "encode_number_precision", L -> {
            argInit(n, L, 1);
            cfg.precision = integerOption(n, L, 1, cfg.precision, 1, 14);
            return 1;
        });
        ScriptLibraries.set(lua, n, "encode_keep_buffer", L -> {
            argInit(n, L, 1);
            cfg.keepBuffer = enumOption(n, L, 1, cfg.keepBuffer, BOOL_OPTIONS);
            return 1;
        });
        ScriptLibraries.set(lua, n, "encode_invalid_numbers", L -> {
            argInit(n, L, 1);
            cfg.encodeInvalidNumbers = enumOption(n, L, 1, cfg.encodeInvalidNumbers, INVALID_NUMBER_OPTIONS);
            return 1;
        });
        ScriptLibraries.set(lua, n, "decode_invalid_numbers", L -> {
            argInit(n, L, 1);
            cfg.decodeInvalidNumbers = enumOption(n, L, 1, cfg.decodeInvalidNumbers, BOOL_OPTIONS);
            return 1;
        });
        ScriptLibraries.set(lua, n, "new", L -> {
            create(lua, n);
            return 1;
        });
        n.natives.lua_pushlightuserdata(lua.getPointer(), 0);
        lua.setField(-2, "null");
        lua.push("cjson");
        lua.setField(-2, "_NAME");
        lua.push("2.1.0");
        lua.setField(-2, "_VERSION");
    }

    // ------------------------------------------------------------ configuration

    private static final String[] BOOL_OPTIONS = {"off", "on"};
    private static final String[] INVALID_NUMBER_OPTIONS = {"off", "on", "null"};

    private static void argInit(LuaNative n, long L, int args) {
        if (n.natives.lua_gettop(L) > args) throw n.argError(L, args + 1, "found too many arguments");
        while (n.natives.lua_gettop(L) < args) n.natives.lua_pushnil(L);
    }

    private static int integerOption(LuaNative n, long L, int index, int setting, int min, int max) {
        if (n.natives.lua_type(L, index) != LuaNative.TNIL) {
            int value = (int) n.checkInteger(L, index);
            // As the original: the range error always names argument 1.
            if (value < min || value > max) throw n.argError(L, 1, "expected integer between " + min + " and " + max);
            setting = value;
        }
        n.natives.lua_pushnumber(L, setting);
        return setting;
    }

    private static int enumOption(LuaNative n, long L, int index, int setting, String[] options) {
        if (n.natives.lua_type(L, index) != LuaNative.TNIL) {
            if (n.natives.lua_type(L, index) == LuaNative.TBOOLEAN) {
                setting = n.natives.lua_toboolean(L, index) != 0 ? 1 : 0;
            } else {
                setting = checkOption(n, L, index, options);
            }
        }
        if (setting == 0 || setting == 1) n.natives.lua_pushboolean(L, setting);
        else n.push(L, options[setting]);
        return setting;
    }

    /** luaL_checkoption: compared as C strings, so up to the first NUL. */
    private static int checkOption(LuaNative n, long L, int index, String[] options) {
        byte[] raw = n.checkBytes(L, index);
        int end = 0;
        while (end < raw.length && raw[end] != 0) end++;
        String name = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < options.length; i++) if (options[i].equals(name)) return i;
        byte[] msg = ("invalid option '" + name + "'").getBytes(StandardCharsets.ISO_8859_1);
        throw n.argError(L, index, msg);
    }

    // ------------------------------------------------------------ encoding

    private static final byte[][] ESCAPES = new byte[256][];

    static {
        for (int c = 0; c < 32; c++) ESCAPES[c] = String.format("\\u%04x", c).getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\b'] = "\\b".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\t'] = "\\t".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\n'] = "\\n".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\f'] = "\\f".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\r'] = "\\r".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['"'] = "\\\"".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['\\'] = "\\\\".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES['/'] = "\\/".getBytes(StandardCharsets.ISO_8859_1);
        ESCAPES[0x7f] = "\\u007f".getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class Encoder {
        final LuaNative n;
        final long L;
        final Config cfg;
        byte[] out = new byte[256];
        int len;

        Encoder(LuaNative n, long L, Config cfg) {
            this.n = n;
            this.L = L;
            this.cfg = cfg;
        }

        int encode() {
            if (n.natives.lua_gettop(L) != 1) throw n.argError(L, 1, "expected 1 argument");
            value(0);
            n.push(L, out, 0, len);
            return 1;
        }

        void ensure(int extra) {
            if (len + (long) extra > MAX_OUTPUT) throw n.error(L, "not enough memory");
            if (len + extra > out.length) out = java.util.Arrays.copyOf(out, (int) Math.min(MAX_OUTPUT, Math.max(len + extra, 2L * out.length)));
        }

        void append(byte b) {
            ensure(1);
            out[len++] = b;
        }

        void append(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) out[len++] = (byte) ascii.charAt(i);
        }

        void append(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, out, len, b.length);
            len += b.length;
        }

        LuaNative.LuaRaise cannot(int index, String reason) {
            return n.error(L, "Cannot serialise " + n.natives.lua_typename(L, n.natives.lua_type(L, index)) + ": " + reason);
        }

        /** A table being written: its depth, and for an array its length and the next index. */
        private static final class Frame {
            final boolean object;
            final int depth, length;
            int i;

            Frame(boolean object, int depth, int length) {
                this.object = object;
                this.depth = depth;
                this.length = length;
            }
        }

        /**
         * Writes the value on top of the stack, leaving it there. Iterative, so nesting is
         * limited by encode_max_depth and Lua's stack as in the original, never by Java's.
         */
        void value(int topDepth) {
            java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();
            while (true) {
                // Start the value on top of the stack.
                Frame parent = frames.peek();
                if (n.natives.lua_type(L, -1) == LuaNative.TTABLE) {
                    int depth = (parent == null ? topDepth : parent.depth) + 1;
                    if (depth > cfg.encodeMaxDepth || n.natives.lua_checkstack(L, 3) == 0) {
                        throw n.error(L, "Cannot serialise, excessive nesting (" + depth + ")");
                    }
                    int length = arrayLength();
                    if (length > 0) {
                        append((byte) '[');
                        frames.push(new Frame(false, depth, length));
                    } else {
                        append((byte) '{');
                        n.natives.lua_pushnil(L);
                        frames.push(new Frame(true, depth, 0));
                    }
                } else {
                    scalar();
                    if (parent == null) return;
                    n.natives.lua_pop(L, 1);
                }
                // Move on to the next element, closing the tables that are done.
                while (true) {
                    Frame f = frames.peek();
                    if (f == null) return;
                    if (f.object) {
                        if (n.natives.lua_next(L, -2) != 0) {
                            if (f.i++ > 0) append((byte) ',');
                            int keyType = n.natives.lua_type(L, -2);
                            if (keyType == LuaNative.TNUMBER) {
                                append((byte) '"');
                                number(-2);
                                append("\":");
                            } else if (keyType == LuaNative.TSTRING) {
                                string(-2);
                                append((byte) ':');
                            } else {
                                throw cannot(-2, "table key must be a number or string");
                            }
                            break;
                        }
                        append((byte) '}');
                    } else {
                        if (f.i < f.length) {
                            if (f.i++ > 0) append((byte) ',');
                            n.natives.lua_rawgeti(L, -1, f.i);
                            break;
                        }
                        append((byte) ']');
                    }
                    frames.pop();
                    if (frames.isEmpty()) return;
                    n.natives.lua_pop(L, 1); // the finished table, as its parent pops each value
                }
            }
        }

        void scalar() {
            int t = n.natives.lua_type(L, -1);
            switch (t) {
                case LuaNative.TSTRING -> string(-1);
                case LuaNative.TNUMBER -> number(-1);
                case LuaNative.TBOOLEAN -> append(n.natives.lua_toboolean(L, -1) != 0 ? "true" : "false");
                case LuaNative.TNIL -> append("null");
                case LuaNative.TLIGHTUSERDATA -> {
                    if (n.natives.lua_touserdata(L, -1) != 0) throw cannot(-1, "type not supported");
                    append("null");
                }
                default -> throw cannot(-1, "type not supported");
            }
        }

        void string(int index) {
            byte[] s = n.bytes(L, index);
            ensure(s.length + 2);
            out[len++] = '"';
            for (int i = 0; i < s.length; i++) {
                byte[] esc = ESCAPES[s[i] & 0xFF];
                if (esc == null) {
                    out[len++] = s[i];
                } else {
                    ensure(esc.length + s.length - i);
                    System.arraycopy(esc, 0, out, len, esc.length);
                    len += esc.length;
                }
            }
            out[len++] = '"';
        }

        void number(int index) {
            double d = n.natives.lua_tonumber(L, index);
            boolean invalid = Double.isNaN(d) || Double.isInfinite(d);
            if (cfg.encodeInvalidNumbers == 0) {
                if (invalid) throw cannot(index, "must not be NaN or Inf");
            } else if (cfg.encodeInvalidNumbers == 1) {
                if (Double.isNaN(d)) {
                    append("nan");
                    return;
                }
            } else if (invalid) {
                append("null");
                return;
            }
            append(formatG(d, cfg.precision));
        }

        /** The original's lua_array_length: -1 for an object, else the highest index. */
        int arrayLength() {
            int max = 0, items = 0;
            n.natives.lua_pushnil(L);
            while (n.natives.lua_next(L, -2) != 0) {
                if (n.natives.lua_type(L, -2) == LuaNative.TNUMBER) {
                    double k = n.natives.lua_tonumber(L, -2);
                    if (k != 0 && Math.floor(k) == k && k >= 1) {
                        if (k > max) max = k < 0x1p31 ? (int) k : Integer.MIN_VALUE; // C's int conversion
                        items++;
                        n.natives.lua_pop(L, 1);
                        continue;
                    }
                }
                n.natives.lua_pop(L, 2);
                return -1;
            }
            if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
                if (cfg.sparseConvert == 0) throw cannot(-1, "excessively sparse array");
                return -1;
            }
            return max;
        }

    }

    /** C's {@code printf("%.<precision>g")}: exact value rounded half to even, trailing zeros dropped. */
    static String formatG(double d, int precision) {
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (Double.isNaN(d)) return neg ? "-nan" : "nan";
        if (Double.isInfinite(d)) return neg ? "-inf" : "inf";
        if (d == 0) return neg ? "-0" : "0";
        StringBuilder sb = new StringBuilder(24);
        if (neg) sb.append('-');
        if (precision <= 15 && Math.abs(d) >= Double.MIN_NORMAL && shortestG(sb, Math.abs(d), precision)) return sb.toString();
        BigDecimal r = new BigDecimal(Math.abs(d)).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        if (exp >= -4 && exp < precision) {
            sb.append(trimZeros(r.setScale(Math.max(0, precision - 1 - exp), RoundingMode.UNNECESSARY).toPlainString()));
        } else {
            String digits = r.unscaledValue().toString();
            StringBuilder m = new StringBuilder().append(digits.charAt(0));
            if (digits.length() > 1) m.append('.').append(digits, 1, digits.length());
            sb.append(trimZeros(m.toString())).append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) sb.append('0');
            sb.append(a);
        }
        return sb.toString();
    }

    /**
     * The fast path of {@link #formatG}: when the shortest digits that identify {@code a} are
     * no more than {@code precision}, they are what rounding the exact value gives (a normal
     * double's half ulp is below half a unit of the 15th digit; subnormals have fewer digits),
     * so no big-decimal arithmetic is needed.
     */
    private static boolean shortestG(StringBuilder sb, double a, int precision) {
        String s = Double.toString(a);
        int e = s.indexOf('E');
        int exp10 = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + exp10; // value = 0.<digits> * 10^point
        int from = 0, to = digits.length();
        while (from < to - 1 && digits.charAt(from) == '0') {
            from++;
            point--;
        }
        while (to > from + 1 && digits.charAt(to - 1) == '0') to--;
        digits = digits.substring(from, to);
        if (digits.length() > precision) return false;
        int x = point - 1; // the exponent of the leading digit
        if (x < -4 || x >= precision) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(x < 0 ? '-' : '+');
            if (Math.abs(x) < 10) sb.append('0');
            sb.append(Math.abs(x));
        } else if (point >= digits.length()) {
            sb.append(digits).append("0".repeat(point - digits.length()));
        } else if (point > 0) {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        } else {
            sb.append("0.").append("0".repeat(-point)).append(digits);
        }
        return true;
    }

    private static String trimZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }

    // ------------------------------------------------------------ decoding

    private enum Token {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON, T_COMMA,
        T_END, T_WHITESPACE, T_ERROR, T_UNKNOWN
    }

    private static final Token[] CHAR_TOKENS = new Token[256];
    private static final byte[] ESCAPE_CHARS = new byte[256];

    static {
        java.util.Arrays.fill(CHAR_TOKENS, Token.T_ERROR);
        CHAR_TOKENS['{'] = Token.T_OBJ_BEGIN;
        CHAR_TOKENS['}'] = Token.T_OBJ_END;
        CHAR_TOKENS['['] = Token.T_ARR_BEGIN;
        CHAR_TOKENS[']'] = Token.T_ARR_END;
        CHAR_TOKENS[','] = Token.T_COMMA;
        CHAR_TOKENS[':'] = Token.T_COLON;
        CHAR_TOKENS[0] = Token.T_END;
        for (char c : " \t\n\r".toCharArray()) CHAR_TOKENS[c] = Token.T_WHITESPACE;
        for (char c : "fiInNt\"+-0123456789".toCharArray()) CHAR_TOKENS[c] = Token.T_UNKNOWN;
        ESCAPE_CHARS['"'] = '"';
        ESCAPE_CHARS['\\'] = '\\';
        ESCAPE_CHARS['/'] = '/';
        ESCAPE_CHARS['b'] = '\b';
        ESCAPE_CHARS['t'] = '\t';
        ESCAPE_CHARS['n'] = '\n';
        ESCAPE_CHARS['f'] = '\f';
        ESCAPE_CHARS['r'] = '\r';
        ESCAPE_CHARS['u'] = 'u';
    }

    private static final class Decoder {
        final LuaNative n;
        final long L;
        final Config cfg;
        byte[] data;
        int ptr;
        int depth;
        // The current token.
        Token type;
        int index;
        String error;
        double number;
        boolean bool;
        byte[] text = new byte[64];
        int textLen;

        Decoder(LuaNative n, long L, Config cfg) {
            this.n = n;
            this.L = L;
            this.cfg = cfg;
        }

        /** The input as a C string: a NUL past the end. */
        int at(int i) { return i < data.length ? data[i] & 0xFF : 0; }

        int decode() {
            if (n.natives.lua_gettop(L) != 1) throw n.argError(L, 1, "expected 1 argument");
            data = n.checkBytes(L, 1);
            if (data.length >= 2 && (data[0] == 0 || data[1] == 0)) throw n.error(L, "JSON parser does not support UTF-16 or UTF-32");
            next();
            value();
            next();
            if (type != Token.T_END) throw parseError("the end");
            return 1;
        }

        LuaNative.LuaRaise parseError(String expected) {
            String found = type == Token.T_ERROR ? error : type.name();
            return n.error(L, "Expected " + expected + " but found " + found + " at character " + (index + 1));
        }

        void tokenError(String what) {
            type = Token.T_ERROR;
            index = ptr;
            error = what;
        }

        void next() {
            int ch;
            while (true) {
                ch = at(ptr);
                type = CHAR_TOKENS[ch];
                if (type != Token.T_WHITESPACE) break;
                ptr++;
            }
            index = ptr;
            if (type == Token.T_ERROR) {
                tokenError("invalid token");
                return;
            }
            if (type == Token.T_END) return;
            if (type != Token.T_UNKNOWN) {
                ptr++;
                return;
            }
            if (ch == '"') {
                string();
            } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
                if (cfg.decodeInvalidNumbers == 0 && invalidNumber()) {
                    tokenError("invalid number");
                    return;
                }
                number();
            } else if (startsWith("true")) {
                type = Token.T_BOOLEAN;
                bool = true;
                ptr += 4;
            } else if (startsWith("false")) {
                type = Token.T_BOOLEAN;
                bool = false;
                ptr += 5;
            } else if (startsWith("null")) {
                type = Token.T_NULL;
                ptr += 4;
            } else if (cfg.decodeInvalidNumbers != 0 && invalidNumber()) {
                number();
            } else {
                tokenError("invalid token");
            }
        }

        boolean startsWith(String word) {
            for (int i = 0; i < word.length(); i++) if (at(ptr + i) != word.charAt(i)) return false;
            return true;
        }

        boolean startsWithIgnoreCase(int p, String word) {
            for (int i = 0; i < word.length(); i++) if ((at(p + i) | 0x20) != word.charAt(i)) return false;
            return true;
        }

        /** Numbers strtod takes but JSON does not: a leading '+', hex, leading zeros, inf, nan. */
        boolean invalidNumber() {
            int p = ptr;
            if (at(p) == '+') return true;
            if (at(p) == '-') p++;
            if (at(p) == '0') {
                int ch2 = at(p + 1);
                return (ch2 | 0x20) == 'x' || (ch2 >= '0' && ch2 <= '9');
            } else if (at(p) <= '9') {
                return false;
            }
            return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
        }

        void number() {
            type = Token.T_NUMBER;
            Strtod r = Strtod.parse(data, ptr);
            if (r.end == ptr) {
                tokenError("invalid number");
                return;
            }
            number = r.value;
            ptr = r.end;
        }

        void addText(int b) {
            if (textLen == text.length) text = java.util.Arrays.copyOf(text, text.length * 2);
            text[textLen++] = (byte) b;
        }

        void string() {
            ptr++;
            textLen = 0;
            int ch;
            while ((ch = at(ptr)) != '"') {
                if (ch == 0) {
                    tokenError("unexpected end of string");
                    return;
                }
                if (ch == '\\') {
                    int esc = ESCAPE_CHARS[at(ptr + 1)];
                    if (esc == 'u') {
                        if (unicodeEscape()) continue;
                        tokenError("invalid unicode escape code");
                        return;
                    }
                    if (esc == 0) {
                        tokenError("invalid escape code");
                        return;
                    }
                    ch = esc;
                    ptr++;
                }
                addText(ch);
                ptr++;
            }
            ptr++;
            type = Token.T_STRING;
        }

        int hex4(int p) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int c = at(p + i), d;
                if (c >= '0' && c <= '9') d = c - '0';
                else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = 10 + (c | 0x20) - 'a';
                else return -1;
                v = (v << 4) | d;
            }
            return v;
        }

        boolean unicodeEscape() {
            int cp = hex4(ptr + 2);
            int escapeLen = 6;
            if (cp < 0) return false;
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0x400) != 0) return false;
                if (at(ptr + 6) != '\\' || at(ptr + 7) != 'u') return false;
                int low = hex4(ptr + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) return false;
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                escapeLen = 12;
            }
            if (cp <= 0x7F) {
                addText(cp);
            } else if (cp <= 0x7FF) {
                addText((cp >> 6) | 0xC0);
                addText((cp & 0x3F) | 0x80);
            } else if (cp <= 0xFFFF) {
                addText((cp >> 12) | 0xE0);
                addText(((cp >> 6) & 0x3F) | 0x80);
                addText((cp & 0x3F) | 0x80);
            } else {
                addText((cp >> 18) | 0xF0);
                addText(((cp >> 12) & 0x3F) | 0x80);
                addText(((cp >> 6) & 0x3F) | 0x80);
                addText((cp & 0x3F) | 0x80);
            }
            ptr += escapeLen;
            return true;
        }

        void descend(int slots) {
            depth++;
            if (depth <= cfg.decodeMaxDepth && n.natives.lua_checkstack(L, slots) != 0) return;
            throw n.error(L, "Found too many nested data structures (" + depth + ") at character " + ptr);
        }

        /** Opens an object or array: the original's descend, the table pushed. */
        void open(int slots) {
            descend(slots);
            n.natives.lua_createtable(L, 0, 0);
            next();
        }

        /** After an object's '{' or ',': its key and colon, leaving the value's first token current. */
        void key() {
            if (type != Token.T_STRING) throw parseError("object key string");
            n.push(L, text, 0, textLen);
            next();
            if (type != Token.T_COLON) throw parseError("colon");
            next();
        }

        /**
         * The value starting at the current token, pushed. Iterative, so nesting is limited by
         * decode_max_depth and Lua's stack as in the original, never by Java's; the Lua calls
         * come in the original's order.
         */
        void value() {
            java.util.ArrayDeque<int[]> frames = new java.util.ArrayDeque<>(); // {1 object / 0 array, next index}
            while (true) {
                boolean done = true;
                switch (type) {
                    case T_STRING -> n.push(L, text, 0, textLen);
                    case T_NUMBER -> n.natives.lua_pushnumber(L, number);
                    case T_BOOLEAN -> n.natives.lua_pushboolean(L, bool ? 1 : 0);
                    case T_NULL -> n.natives.lua_pushlightuserdata(L, 0);
                    case T_OBJ_BEGIN -> {
                        open(3);
                        if (type == Token.T_OBJ_END) {
                            depth--;
                        } else {
                            frames.push(new int[] {1, 0});
                            key();
                            done = false;
                        }
                    }
                    case T_ARR_BEGIN -> {
                        open(2);
                        if (type == Token.T_ARR_END) {
                            depth--;
                        } else {
                            frames.push(new int[] {0, 1});
                            done = false;
                        }
                    }
                    default -> throw parseError("value");
                }
                while (done) {
                    int[] f = frames.peek();
                    if (f == null) return;
                    if (f[0] == 1) {
                        n.natives.lua_rawset(L, -3);
                        next();
                        if (type == Token.T_OBJ_END) {
                            depth--;
                            frames.pop();
                            continue;
                        }
                        if (type != Token.T_COMMA) throw parseError("comma or object end");
                        next();
                        key();
                    } else {
                        n.natives.lua_rawseti(L, -2, f[1]++);
                        next();
                        if (type == Token.T_ARR_END) {
                            depth--;
                            frames.pop();
                            continue;
                        }
                        if (type != Token.T_COMMA) throw parseError("comma or array end");
                        next();
                    }
                    done = false;
                }
            }
        }
    }

    /** glibc's strtod in the C locale: the longest prefix that is a number, and its value. */
    static final class Strtod {
        double value;
        int end;

        private static int at(byte[] d, int i) { return i < d.length ? d[i] & 0xFF : 0; }

        private static boolean digit(int c) { return c >= '0' && c <= '9'; }

        private static boolean hexDigit(int c) { return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

        private static boolean word(byte[] d, int p, String w) {
            for (int i = 0; i < w.length(); i++) if ((at(d, p + i) | 0x20) != w.charAt(i)) return false;
            return true;
        }

        static Strtod parse(byte[] d, int start) {
            Strtod r = new Strtod();
            r.end = start;
            int p = start;
            while (at(d, p) == ' ' || (at(d, p) >= '\t' && at(d, p) <= '\r')) p++;
            boolean neg = false;
            if (at(d, p) == '+' || at(d, p) == '-') neg = at(d, p++) == '-';
            if (word(d, p, "inf")) {
                r.end = word(d, p + 3, "inity") ? p + 8 : p + 3;
                r.value = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return r;
            }
            if (word(d, p, "nan")) {
                p += 3;
                if (at(d, p) == '(') {
                    int q = p + 1;
                    while (digit(at(d, q)) || ((at(d, q) | 0x20) >= 'a' && (at(d, q) | 0x20) <= 'z') || at(d, q) == '_') q++;
                    if (at(d, q) == ')') p = q + 1;
                }
                r.end = p;
                r.value = Double.longBitsToDouble(neg ? 0xfff8000000000000L : 0x7ff8000000000000L);
                return r;
            }
            boolean hex = at(d, p) == '0' && (at(d, p + 1) | 0x20) == 'x';
            int q = hex ? p + 2 : p;
            StringBuilder mant = new StringBuilder();
            int digits = 0;
            while (hex ? hexDigit(at(d, q)) : digit(at(d, q))) { mant.append((char) at(d, q++)); digits++; }
            if (at(d, q) == '.') {
                int q2 = q + 1;
                StringBuilder frac = new StringBuilder();
                while (hex ? hexDigit(at(d, q2)) : digit(at(d, q2))) { frac.append((char) at(d, q2++)); digits++; }
                if (digits > 0) {
                    mant.append('.').append(frac);
                    q = q2;
                }
            }
            if (digits == 0) {
                if (hex) { // "0x" with no hex digit: the "0" alone
                    r.end = p + 1;
                    r.value = neg ? -0.0 : 0.0;
                }
                return r;
            }
            String exponent = "0";
            int e = at(d, q) | 0x20;
            if (e == (hex ? 'p' : 'e')) {
                int q2 = q + 1;
                boolean eneg = false;
                if (at(d, q2) == '+' || at(d, q2) == '-') eneg = at(d, q2++) == '-';
                int from = q2;
                while (digit(at(d, q2))) q2++;
                if (q2 > from) {
                    String ds = new String(d, from, q2 - from, java.nio.charset.StandardCharsets.ISO_8859_1).replaceFirst("^0+(?=.)", "");
                    if (ds.length() > 9) ds = "999999999";
                    exponent = (eneg ? "-" : "") + ds;
                    q = q2;
                }
            }
            double v = hex ? Double.parseDouble("0x" + (mant.charAt(0) == '.' ? "0" : "") + mant + "p" + exponent)
                    : Double.parseDouble(mant + "e" + exponent);
            r.value = neg ? -v : v;
            r.end = q;
            return r;
        }
    }
}
