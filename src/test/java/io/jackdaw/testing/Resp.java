package io.jackdaw.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one raw reply (as {@link RespConnection#readReply()} returns it) into plain Java values,
 * for tests that compare replies structurally: bulk and verbatim strings become {@link String}
 * (a verbatim string keeps its "txt:" prefix), integers {@link Long}, nulls {@code null}, arrays,
 * sets and pushes {@link List}, RESP3 maps {@link LinkedHashMap}, simple strings {@link Simple}
 * and errors {@link Err}.
 */
public final class Resp {
    private final String raw;
    private int pos;

    private Resp(String raw) { this.raw = raw; }

    public record Simple(String text) {
        @Override public String toString() { return "+" + text; }
    }

    public record Err(String text) {
        @Override public String toString() { return "-" + text; }
    }

    public static Object parse(String raw) {
        Resp p = new Resp(raw);
        Object v = p.value();
        if (p.pos != raw.length()) throw new IllegalArgumentException("trailing bytes after reply: " + Differential.printable(raw));
        return v;
    }

    private String line() {
        int end = raw.indexOf("\r\n", pos);
        if (end < 0) throw new IllegalArgumentException("unterminated line at " + pos + ": " + Differential.printable(raw));
        String s = raw.substring(pos, end);
        pos = end + 2;
        return s;
    }

    private Object value() {
        String l = line();
        char t = l.charAt(0);
        String rest = l.substring(1);
        switch (t) {
            case '+': return new Simple(rest);
            case '-': return new Err(rest);
            case ':': return Long.parseLong(rest);
            case '_': return null;
            case '#': return rest.equals("t");
            case ',': return Double.parseDouble(rest);
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(rest);
                if (n < 0) return null;
                String s = raw.substring(pos, pos + n);
                pos += n + 2;
                return s;
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(rest);
                if (n < 0) return null;
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(value());
                return out;
            }
            case '%': {
                int n = Integer.parseInt(rest);
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) out.put(value(), value());
                return out;
            }
            default:
                throw new IllegalArgumentException("not a RESP type: " + t);
        }
    }

    /** A RESP2 flat [k1, v1, k2, v2, ...] array as an ordered map (keys as strings). */
    public static Map<String, Object> pairs(Object flat) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) flat;
        if (l.size() % 2 != 0) throw new IllegalArgumentException("odd-length key/value array: " + l);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i += 2) m.put(String.valueOf(l.get(i)), l.get(i + 1));
        return m;
    }
}
