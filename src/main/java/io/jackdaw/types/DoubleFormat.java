package io.jackdaw.types;

import java.math.BigDecimal;

/**
 * Doubles as Redis 7.2+ prints them: the shortest digits that read back to the same value,
 * laid out like its fpconv (plain integers up to 7 trailing zeros, plain decimals down to
 * 1e-7, otherwise {@code d.ddde+X}), and {@code inf}, {@code -inf}, {@code nan}.
 */
public final class DoubleFormat {
    private DoubleFormat() {}

    public static String shortest(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (d == 0) return neg ? "-0" : "0";
        // Java's Double.toString gives the shortest round-trip digits (JDK 19+).
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int k = -bd.scale();
        int n = digits.length();
        StringBuilder sb = new StringBuilder(24);
        if (neg) sb.append('-');
        int exp = Math.abs(k + n - 1);
        if (k >= 0 && exp < n + 7) {
            sb.append(digits);
            for (int i = 0; i < k; i++) sb.append('0');
            return sb.toString();
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            if (offset <= 0) {
                sb.append("0.");
                for (int i = 0; i < -offset; i++) sb.append('0');
                sb.append(digits);
            } else {
                sb.append(digits, 0, offset).append('.').append(digits, offset, n);
            }
            return sb.toString();
        }
        int nd = Math.min(n, 18 - (neg ? 1 : 0));
        sb.append(digits.charAt(0));
        if (nd > 1) sb.append('.').append(digits, 1, nd);
        sb.append('e').append(k + n - 1 < 0 ? '-' : '+').append(exp);
        return sb.toString();
    }
}
