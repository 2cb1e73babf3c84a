package io.jackdaw.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Replays command sequences on Jackdaw and on the reference server over raw sockets and
 * collects every reply that differs byte for byte. Known, deliberate differences (Redis 7.0
 * vs our 7.2 target) are normalised by the caller, explicitly, never by loosening the check.
 */
public final class Differential implements AutoCloseable {
    private final RespConnection ours;
    private final RespConnection ref;
    private final List<String> mismatches = new ArrayList<>();
    private UnaryOperator<String> normalizer = UnaryOperator.identity();

    public Differential(int ourPort, int refPort) throws IOException {
        ours = new RespConnection(ourPort);
        ref = new RespConnection(refPort);
    }

    /** Rewrites replies of both sides before comparison (for a documented 7.0-vs-7.2 difference). */
    public Differential normalize(UnaryOperator<String> n) {
        normalizer = n;
        return this;
    }

    /** Runs one command on both; records a mismatch when the raw replies differ. Returns our reply. */
    public String run(String... cmd) throws IOException {
        String a = normalizer.apply(ours.call(cmd));
        String b = normalizer.apply(ref.call(cmd));
        if (!a.equals(b)) {
            mismatches.add(String.join(" ", cmd) + "\n    jackdaw: " + printable(a) + "\n    redis:   " + printable(b));
        }
        return a;
    }

    /** As {@link #run(String...)} with arguments as raw bytes (binary values); shown as ISO-8859-1 on mismatch. */
    public String run(byte[]... cmd) throws IOException {
        String a = normalizer.apply(ours.call(cmd));
        String b = normalizer.apply(ref.call(cmd));
        if (!a.equals(b)) {
            StringBuilder shown = new StringBuilder();
            for (byte[] arg : cmd) {
                if (!shown.isEmpty()) shown.append(' ');
                shown.append(printable(new String(arg, java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
            mismatches.add(shown + "\n    jackdaw: " + printable(a) + "\n    redis:   " + printable(b));
        }
        return a;
    }

    /**
     * As {@link #run(String...)}, comparing the replies after {@code canon} has rewritten both
     * (a collection whose order Redis leaves open sorted, say); returns our raw reply.
     */
    public String run(UnaryOperator<String> canon, String... cmd) throws IOException {
        String a = normalizer.apply(ours.call(cmd));
        String b = normalizer.apply(ref.call(cmd));
        String ca = canon.apply(a), cb = canon.apply(b);
        if (!ca.equals(cb)) {
            mismatches.add(String.join(" ", cmd) + "\n    jackdaw: " + printable(a) + "\n    redis:   " + printable(b));
        }
        return a;
    }

    public void runAll(List<String[]> commands) throws IOException {
        for (String[] c : commands) run(c);
    }

    public List<String> mismatches() { return mismatches; }

    public static String printable(String raw) {
        StringBuilder sb = new StringBuilder();
        for (char c : raw.toCharArray()) {
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c < 32 || c > 126) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    @Override public void close() throws IOException {
        ours.close();
        ref.close();
    }
}
