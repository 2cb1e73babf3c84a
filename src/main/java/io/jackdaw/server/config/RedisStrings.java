package io.jackdaw.server.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level re-implementations of the little C string routines whose quirks are visible in Redis's
 * configuration behaviour (argument splitting, quoting, number and memory parsing).
 *
 * <p>Strings are handled as UTF-8 bytes, because Redis works on bytes: a {@code \xHH} escape produces
 * one byte, and quoting escapes every non-ASCII byte.
 */
final class RedisStrings {
    private RedisStrings() {
    }

    /** ASCII-only lower-casing, like sdstolower/strcasecmp, so non-ASCII letters never change identity. */
    static String lower(String s) {
        char[] cs = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (cs == null) {
                    cs = s.toCharArray();
                }
                cs[i] = (char) (c + 32);
            }
        }
        return cs == null ? s : new String(cs);
    }

    /** sdstrim with the given character set, applied to both ends. */
    static String trim(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isCSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static boolean isHex(int b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hexValue(int b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }

    /**
     * sdssplitargs: splits a config line into arguments, honouring double quotes (with \n \r \t \b \a
     * \\ \" and \xHH escapes) and single quotes (with \' only).
     *
     * @return the arguments, or null for unbalanced quotes or a closing quote glued to more text
     */
    static List<String> splitArgs(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        int p = 0;
        List<String> out = new ArrayList<>();
        while (true) {
            while (p < n && isCSpace(b[p])) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < n ? b[p] & 0xff : 0;
                int next = p + 1 < n ? b[p + 1] & 0xff : 0;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && p + 3 < n && isHex(b[p + 2]) && isHex(b[p + 3])) {
                        cur.write(hexValue(b[p + 2]) * 16 + hexValue(b[p + 3]));
                        p += 3;
                    } else if (c == '\\' && next != 0) {
                        p++;
                        cur.write(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        });
                    } else if (c == '"') {
                        // A closing quote must end the argument.
                        if (next != 0 && !isCSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isCSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> cur.write(c);
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(decode(cur.toByteArray()));
        }
    }

    /** Decodes bytes as UTF-8; invalid sequences become U+FFFD. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sdscatrepr: a double-quoted form that {@link #splitArgs} reads back as the same single argument. */
    static String repr(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            switch (c) {
                case '\\', '"' -> sb.append('\\').append((char) c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * sdssplitlen on single spaces, which is how CONFIG SET splits a multi-argument value: an empty
     * value yields no arguments, and doubled spaces yield empty arguments.
     */
    static List<String> splitOnSpaces(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(s.split(" ", -1));
    }

    /** string2ll: strict decimal (no '+', no leading zeros, no spaces); null when not a valid long. */
    static Long string2ll(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long[] out = new long[1];
        return io.jackdaw.types.Bytes.parseLong(b, 0, b.length, out) ? out[0] : null;
    }

    /** Result of {@link #strtoll}: the value, where parsing stopped, and whether it overflowed. */
    record Strtol(long value, int end, boolean overflow) {
        boolean consumedAll(String s) {
            return end == s.length();
        }
    }

    /**
     * strtoll: skips leading white space, takes an optional sign and as many digits as it can. With no
     * digits the end is 0, so an empty string parses as 0 with nothing left over, as in C.
     */
    static Strtol strtoll(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isCSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long acc = 0; // accumulated negatively, like the JDK, so LLONG_MIN fits
        boolean overflow = false;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 127) {
                break;
            }
            if (!overflow) {
                if (acc < limit / base || acc * base < limit + d) {
                    overflow = true;
                } else {
                    acc = acc * base - d;
                }
            }
            i++;
        }
        if (i == digitsStart) {
            return new Strtol(0, 0, false);
        }
        long value = overflow ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : (negative ? acc : -acc);
        return new Strtol(value, i, overflow);
    }

    /**
     * memtoull: a non-negative number with an optional unit (b, k=1000, kb=1024, m, mb, g, gb, case
     * insensitive). Returns the raw unsigned 64-bit result (wrapping like C), or null when invalid.
     */
    static Long memtoull(String s) {
        if (!s.isEmpty() && s.charAt(0) == '-') {
            return null;
        }
        int u = 0;
        while (u < s.length() && s.charAt(u) >= '0' && s.charAt(u) <= '9') {
            u++;
        }
        String unit = lower(s.substring(u));
        long mul = switch (unit) {
            case "", "b" -> 1L;
            case "k" -> 1000L;
            case "kb" -> 1024L;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 0L;
        };
        if (mul == 0L || u >= 128) {
            return null;
        }
        long val = 0;
        boolean saturated = false;
        for (int i = 0; i < u && !saturated; i++) {
            int d = s.charAt(i) - '0';
            // strtoull saturates at ULLONG_MAX and Redis does not check errno.
            if (Long.compareUnsigned(val, Long.divideUnsigned(-1L, 10)) > 0
                    || Long.compareUnsigned(val * 10, -1L - d) > 0) {
                val = -1L;
                saturated = true;
            } else {
                val = val * 10 + d;
            }
        }
        return val * mul;
    }

    /** How CONFIG REWRITE writes byte counts: the largest of gb/mb/kb that divides exactly. */
    static String formatMemory(long bytes) {
        long gb = 1024L * 1024 * 1024;
        long mb = 1024L * 1024;
        long kb = 1024L;
        if (bytes != 0 && bytes % gb == 0) {
            return (bytes / gb) + "gb";
        } else if (bytes != 0 && bytes % mb == 0) {
            return (bytes / mb) + "mb";
        } else if (bytes != 0 && bytes % kb == 0) {
            return (bytes / kb) + "kb";
        }
        return Long.toString(bytes);
    }

    /** "%f" followed by Redis's trimDoubleString: at most six decimals, no trailing zeros or dot. */
    static String formatPercentile(double d) {
        String s = String.format(java.util.Locale.ROOT, "%f", d);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }

    /** string2d: a whole-string strtod; null for empty input, leading space, NaN or overflow. */
    static Double string2d(String s) {
        if (s.isEmpty() || isCSpace(s.charAt(0)) || isCSpace(s.charAt(s.length() - 1))) {
            return null;
        }
        String t = lower(s);
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        // Java accepts type suffixes that strtod does not.
        char last = t.charAt(t.length() - 1);
        if (last == 'd' || last == 'f') {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
