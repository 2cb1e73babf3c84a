package io.jackdaw.types;

/**
 * C's {@code strtod} over bytes, as glibc reads numbers for Redis: leading white space, a sign,
 * then a decimal or {@code 0x} hexadecimal float, {@code inf}/{@code infinity} or
 * {@code nan}/{@code nan(...)}, all case-insensitive; the longest prefix that forms a number is
 * read and the rest left. Redis builds two checks on it: {@link #string2d} (a whole argument
 * is a number, as ZADD scores and weights) and {@link #rangeBound} (ZRANGEBYSCORE's min/max).
 */
public final class Strtod {
    private Strtod() {}

    /** Where the last {@link #parse} stopped (absolute offset) and whether it overflowed or underflowed to zero. */
    public static final class Result {
        public double value;
        public int end;
        public boolean rangeError;
    }

    private static boolean isSpace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

    private static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

    private static boolean matches(byte[] b, int p, int end, String word) {
        if (end - p < word.length()) return false;
        for (int i = 0; i < word.length(); i++) if (lower(b[p + i]) != word.charAt(i)) return false;
        return true;
    }

    private static boolean isHex(int c) {
        c = lower(c);
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    private static boolean isDigit(int c) { return c >= '0' && c <= '9'; }

    /** Reads the longest number at {@code b[off, off+len)}; {@code r.end == off} when there is none. */
    public static Result parse(byte[] b, int off, int len, Result r) {
        int end = off + len, p = off;
        r.value = 0;
        r.end = off;
        r.rangeError = false;
        while (p < end && isSpace(b[p])) p++;
        boolean neg = false;
        if (p < end && (b[p] == '+' || b[p] == '-')) neg = b[p++] == '-';
        if (matches(b, p, end, "inf")) {
            r.value = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            r.end = matches(b, p, end, "infinity") ? p + 8 : p + 3;
            return r;
        }
        if (matches(b, p, end, "nan")) {
            r.value = Double.NaN;
            int q = p + 3;
            if (q < end && b[q] == '(') {
                int k = q + 1;
                while (k < end && (Character.isLetterOrDigit(b[k]) || b[k] == '_') && b[k] > 0) k++;
                if (k < end && b[k] == ')') q = k + 1;
            }
            r.end = q;
            return r;
        }
        if (end - p >= 2 && b[p] == '0' && lower(b[p + 1]) == 'x') {
            int q = p + 2, digits = 0;
            StringBuilder sb = new StringBuilder("0x");
            while (q < end && isHex(b[q])) {
                sb.append((char) b[q++]);
                digits++;
            }
            if (q < end && b[q] == '.') {
                int save = q;
                sb.append('.');
                q++;
                while (q < end && isHex(b[q])) {
                    sb.append((char) b[q++]);
                    digits++;
                }
                if (digits == 0) q = save;
            }
            if (digits > 0) {
                int exp = exponent(b, q, end, 'p');
                if (exp > q) sb.append(new String(b, q, exp - q, java.nio.charset.StandardCharsets.ISO_8859_1));
                else sb.append("p0");
                return finish(sb.toString(), neg, exp > q ? exp : q, r);
            }
            // "0x" with no hex digit: strtod reads the "0".
            r.value = neg ? -0.0 : 0.0;
            r.end = p + 1;
            return r;
        }
        int q = p, digits = 0;
        while (q < end && isDigit(b[q])) {
            q++;
            digits++;
        }
        if (q < end && b[q] == '.') {
            q++;
            while (q < end && isDigit(b[q])) {
                q++;
                digits++;
            }
        }
        if (digits == 0) return r;
        int exp = exponent(b, q, end, 'e');
        if (exp > q) q = exp;
        return finish(new String(b, p, q - p, java.nio.charset.StandardCharsets.ISO_8859_1), neg, q, r);
    }

    /** The end of an exponent {@code [eEpP][+-]digits} at {@code q}, or {@code q} when there is none. */
    private static int exponent(byte[] b, int q, int end, char letter) {
        if (q >= end || lower(b[q]) != letter) return q;
        int k = q + 1;
        if (k < end && (b[k] == '+' || b[k] == '-')) k++;
        if (k >= end || !isDigit(b[k])) return q;
        while (k < end && isDigit(b[k])) k++;
        return k;
    }

    private static Result finish(String text, boolean neg, int end, Result r) {
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) r.rangeError = true;
        else if (v == 0 && hasNonZeroDigit(text)) r.rangeError = true;
        r.value = neg ? -v : v;
        r.end = end;
        return r;
    }

    private static boolean hasNonZeroDigit(String text) {
        boolean hex = text.startsWith("0x");
        for (int i = hex ? 2 : 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!hex && (c == 'e' || c == 'E')) break;
            if (hex && (c == 'p' || c == 'P')) break;
            if (c != '0' && c != '.') return true;
        }
        return false;
    }

    /**
     * Redis's string2d: the whole argument is one number, not starting with white space, not
     * NaN, and neither overflowing nor underflowing to zero. NaN when it is not.
     */
    public static double string2d(byte[] b, int off, int len) {
        if (len == 0 || isSpace(b[off])) return Double.NaN;
        Result r = parse(b, off, len, new Result());
        if (r.end != off + len || r.rangeError) return Double.NaN;
        return r.value;
    }

    /**
     * A score range bound's number (after any '(' has been taken off), as Redis checks it: what
     * strtod reads must end the argument or stop at a NUL byte (Redis looks at a C string), and
     * must not be NaN. Overflow reads as an infinity. NaN when it is not a number.
     */
    public static double rangeBound(byte[] b, int off, int len) {
        Result r = parse(b, off, len, new Result());
        if (r.end != off + len && b[r.end] != 0) return Double.NaN;
        return r.value;
    }
}
