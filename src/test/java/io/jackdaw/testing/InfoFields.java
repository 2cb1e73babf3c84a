package io.jackdaw.testing;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** INFO figures the differential tests compare step by step on both servers. */
public final class InfoFields {
    private InfoFields() {}

    private static final Pattern CHANGES = Pattern.compile("rdb_changes_since_last_save:(\\d+)");
    private static final Pattern HITS = Pattern.compile("(keyspace_hits|keyspace_misses):(\\d+)");

    /** rdb_changes_since_last_save: Redis's server.dirty since the last save. */
    public static long changes(RespConnection c) throws IOException {
        Matcher m = CHANGES.matcher(c.call("INFO", "persistence"));
        if (!m.find()) throw new AssertionError("INFO persistence has no rdb_changes_since_last_save");
        return Long.parseLong(m.group(1));
    }

    /** "keyspace_hits=N keyspace_misses=M " from INFO stats. */
    public static String keyspaceHitsAndMisses(RespConnection c) throws IOException {
        Matcher m = HITS.matcher(c.call("INFO", "stats"));
        StringBuilder sb = new StringBuilder();
        while (m.find()) sb.append(m.group(1)).append('=').append(m.group(2)).append(' ');
        return sb.toString();
    }

    /** Every "name:value" line of an INFO reply (the raw bulk string, header included). */
    public static java.util.Map<String, String> parse(String raw) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : raw.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#") && !line.startsWith("$")) m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return m;
    }

    /** INFO clients' blocked_clients. */
    public static long blockedClients(RespConnection c) throws IOException {
        return Long.parseLong(parse(c.call("INFO", "clients")).get("blocked_clients"));
    }

    /** Waits until the server counts {@code n} blocked clients: synchronisation for tests, not a timing check. */
    public static void awaitBlockedClients(RespConnection c, long n) throws IOException, InterruptedException {
        for (int i = 0; i < 2000 && blockedClients(c) != n; i++) Thread.sleep(5);
        long now = blockedClients(c);
        if (now != n) throw new AssertionError("blocked_clients is " + now + ", expected " + n);
    }
}
