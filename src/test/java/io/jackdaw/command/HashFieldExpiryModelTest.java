package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jackdaw.testing.ManualClock;
import io.jackdaw.testing.Resp;
import io.jackdaw.testing.RespConnection;
import io.jackdaw.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random operations on a few hashes, replayed on the server and on a plain Java model of
 * fields, values and field expiries written from Redis 7.4's t_hash.c: which look-ups delete a
 * field past its time (HGET, HEXISTS, HSTRLEN, HSETNX, HINCRBY, HRANDFIELD) and which only skip
 * it (HGETALL) or still count it (HLEN, HDEL, HSET's reply), the HEXPIRE conditions, the TTL
 * readers' rounding and the encoding (listpack, listpackex, hashtable) each step leaves. Time is
 * a clock the test moves; the active cycle is off so that only commands delete fields.
 */
class HashFieldExpiryModelTest {
    static final int MAX_ENTRIES = 8, MAX_VALUE = 16;
    static final String[] ENC = {"listpack", "listpackex", "hashtable"};

    record Field(String value, long expireAt) {}

    /** A hash in the model: its fields in no particular order and its encoding (index into ENC). */
    static final class Hash {
        final Map<String, Field> fields = new HashMap<>();
        int enc;
    }

    final Map<String, Hash> model = new HashMap<>();
    /** What the runs went through, so a change that stops exercising a case shows. */
    final Map<String, Integer> seen = new HashMap<>();
    ManualClock clock;
    RespConnection c;
    Random rnd;

    static String ints(List<Long> v) {
        StringBuilder sb = new StringBuilder("*").append(v.size()).append("\r\n");
        for (long x : v) sb.append(':').append(x).append("\r\n");
        return sb.toString();
    }

    static String bulk(String s) { return s == null ? "$-1\r\n" : "$" + s.length() + "\r\n" + s + "\r\n"; }

    long now() { return clock.millis(); }

    boolean expired(Field f) { return f.expireAt >= 0 && f.expireAt < now(); }

    /** Lazy expiry of one field as hashTypeGetValue does it; true when the field was deleted. */
    boolean lazyExpire(String key, String field) {
        Hash h = model.get(key);
        if (h == null) return false;
        Field f = h.fields.get(field);
        if (f == null || !expired(f)) return false;
        h.fields.remove(field);
        seen.merge("lazy expiry", 1, Integer::sum);
        if (h.fields.isEmpty()) model.remove(key);
        return true;
    }

    /** A hash to write into (created as a listpack). */
    Hash writable(String key) { return model.computeIfAbsent(key, k -> new Hash()); }

    void afterSet(Hash h, String field, String value) {
        if (h.enc != 2 && (field.length() > MAX_VALUE || value.length() > MAX_VALUE)) h.enc = 2;
    }

    void checkSize(Hash h) { if (h.enc != 2 && h.fields.size() > MAX_ENTRIES) h.enc = 2; }

    String randomValue() {
        return switch (rnd.nextInt(6)) {
            case 0 -> String.valueOf(rnd.nextInt(100));
            case 1 -> String.valueOf(-rnd.nextInt(1000));
            case 2 -> "x".repeat(MAX_VALUE + 1);
            default -> "v" + rnd.nextInt(10);
        };
    }

    @Test
    void randomOperationsMatchTheModel() throws Exception {
        for (long seed = 1; seed <= 12; seed++) run(seed);
        assertThat(seen.keySet()).containsAll(List.of("lazy expiry", "HEXPIRE -2", "HEXPIRE 0", "HEXPIRE 1", "HEXPIRE 2",
                "listpack", "listpackex", "hashtable", "TTL -2", "TTL -1", "TTL"));
    }

    void run(long seed) throws Exception {
        model.clear();
        rnd = new Random(seed);
        clock = new ManualClock(1_700_000_000_000L + seed * 7919);
        try (TestServer s = TestServer.start(clock, "--hash-max-listpack-entries", "" + MAX_ENTRIES,
                "--hash-max-listpack-value", "" + MAX_VALUE)) {
            c = new RespConnection(s.port());
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                for (int step = 0; step < 1500; step++) step(seed, step);
            } finally {
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                c.close();
            }
        }
    }

    void step(long seed, int step) throws Exception {
        String key = "k" + rnd.nextInt(3), field = "f" + rnd.nextInt(10);
        String where = "seed " + seed + " step " + step + " ";
        int op = rnd.nextInt(16);
        switch (op) {
            case 0, 1 -> {
                String value = randomValue();
                Hash h = writable(key);
                boolean existed = h.fields.containsKey(field); // expired or not
                h.fields.put(field, new Field(value, -1));
                afterSet(h, field, value);
                checkSize(h);
                assertThat(c.call("HSET", key, field, value)).as(where + "HSET").isEqualTo(existed ? ":0\r\n" : ":1\r\n");
            }
            case 2 -> {
                Hash h = model.get(key);
                boolean had = h != null && h.fields.remove(field) != null;
                if (h != null && h.fields.isEmpty()) model.remove(key);
                assertThat(c.call("HDEL", key, field)).as(where + "HDEL").isEqualTo(had ? ":1\r\n" : ":0\r\n");
            }
            case 3 -> {
                lazyExpire(key, field);
                Hash h = model.get(key);
                Field f = h == null ? null : h.fields.get(field);
                assertThat(c.call("HGET", key, field)).as(where + "HGET").isEqualTo(bulk(f == null ? null : f.value));
            }
            case 4 -> {
                lazyExpire(key, field);
                Hash h = model.get(key);
                boolean has = h != null && h.fields.containsKey(field);
                assertThat(c.call("HEXISTS", key, field)).as(where + "HEXISTS").isEqualTo(has ? ":1\r\n" : ":0\r\n");
            }
            case 5 -> {
                Hash h = model.get(key);
                assertThat(c.call("HLEN", key)).as(where + "HLEN").isEqualTo(":" + (h == null ? 0 : h.fields.size()) + "\r\n");
            }
            case 6 -> {
                Hash h = model.get(key);
                Map<String, Object> live = new LinkedHashMap<>();
                if (h != null) h.fields.forEach((k, f) -> { if (!expired(f)) live.put(k, f.value); });
                Object reply = Resp.parse(c.call("HGETALL", key));
                assertThat(Resp.pairs(reply)).as(where + "HGETALL").isEqualTo(live);
            }
            case 7, 8 -> hexpire(where, key);
            case 9 -> {
                Hash h = model.get(key);
                List<Long> expected = new ArrayList<>();
                List<String> args = new ArrayList<>(List.of("HPERSIST", key, "FIELDS", "2", field, "f" + rnd.nextInt(10)));
                for (String f : args.subList(4, 6)) {
                    Field x = h == null ? null : h.fields.get(f);
                    if (x == null) expected.add(-2L);
                    else if (x.expireAt < 0) expected.add(-1L);
                    else if (x.expireAt < now()) expected.add(-2L);
                    else {
                        h.fields.put(f, new Field(x.value, -1));
                        expected.add(1L);
                    }
                }
                assertThat(c.call(args.toArray(String[]::new))).as(where + "HPERSIST").isEqualTo(ints(expected));
            }
            case 10 -> ttl(where, key, field);
            case 11 -> {
                long by = rnd.nextInt(21) - 10;
                lazyExpire(key, field);
                Hash h = writable(key);
                Field f = h.fields.get(field);
                long current;
                try {
                    current = f == null ? 0 : Long.parseLong(f.value);
                } catch (NumberFormatException e) {
                    if (h.fields.isEmpty()) model.remove(key);
                    assertThat(c.call("HINCRBY", key, field, "" + by)).as(where + "HINCRBY").isEqualTo("-ERR hash value is not an integer\r\n");
                    return;
                }
                String value = String.valueOf(current + by);
                h.fields.put(field, new Field(value, f == null ? -1 : f.expireAt)); // the expiry stays
                afterSet(h, field, value);
                checkSize(h);
                assertThat(c.call("HINCRBY", key, field, "" + by)).as(where + "HINCRBY").isEqualTo(":" + value + "\r\n");
            }
            case 12 -> {
                lazyExpire(key, field);
                Hash h = writable(key);
                boolean has = h.fields.containsKey(field);
                String value = randomValue();
                if (!has) {
                    h.fields.put(field, new Field(value, -1));
                    afterSet(h, field, value);
                    checkSize(h);
                }
                assertThat(c.call("HSETNX", key, field, value)).as(where + "HSETNX").isEqualTo(has ? ":0\r\n" : ":1\r\n");
            }
            case 13 -> {
                Hash h = model.get(key);
                // HRANDFIELD first deletes every field due at or before now, if one is past its time.
                if (h != null && h.fields.values().stream().anyMatch(this::expired)) {
                    h.fields.values().removeIf(f -> f.expireAt >= 0 && f.expireAt <= now());
                    if (h.fields.isEmpty()) model.remove(key);
                }
                h = model.get(key);
                @SuppressWarnings("unchecked")
                List<Object> picks = (List<Object>) Resp.parse(c.call("HRANDFIELD", key, "-3"));
                assertThat(picks).as(where + "HRANDFIELD").hasSize(h == null ? 0 : 3);
                if (h != null) assertThat(h.fields.keySet()).as(where + "HRANDFIELD").containsAll(picks.stream().map(String::valueOf).toList());
            }
            case 14 -> {
                Hash h = model.get(key);
                if (h != null) seen.merge(ENC[h.enc], 1, Integer::sum);
                assertThat(c.call("OBJECT", "ENCODING", key)).as(where + "OBJECT ENCODING")
                        .isEqualTo(h == null ? "$-1\r\n" : bulk(ENC[h.enc]));
            }
            default -> clock.advance(rnd.nextInt(1500));
        }
    }

    /** One of the four HEXPIRE variants with a random condition on two or three fields. */
    void hexpire(String where, String key) throws Exception {
        int variant = rnd.nextInt(4);
        boolean seconds = variant % 2 == 0, absolute = variant >= 2;
        long amount = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(seconds ? 4 : 4000);
        long when = (absolute ? 0 : now()) + (seconds ? amount * 1000 : amount);
        if (absolute) {
            // An absolute time around now, sometimes in the past.
            long at = now() + (seconds ? 1000 : 1) * (amount - (seconds ? 1 : 1000));
            amount = seconds ? at / 1000 : at;
            when = seconds ? amount * 1000 : amount;
        }
        String name = (seconds ? "H" : "HP") + "EXPIRE" + (absolute ? "AT" : "");
        String[] conds = {null, "NX", "XX", "GT", "LT"};
        String cond = conds[rnd.nextInt(conds.length)];
        int n = 2 + rnd.nextInt(2);
        List<String> args = new ArrayList<>(List.of(name, key, String.valueOf(amount)));
        if (cond != null) args.add(cond);
        args.add("FIELDS");
        args.add(String.valueOf(n));
        for (int i = 0; i < n; i++) args.add("f" + rnd.nextInt(10));
        Hash h = model.get(key);
        List<Long> expected = new ArrayList<>();
        if (h != null && h.enc == 0) h.enc = 1;
        boolean deleted = false;
        for (String f : args.subList(args.size() - n, args.size())) {
            Field x = h == null ? null : h.fields.get(f);
            if (x == null) {
                expected.add(-2L);
                continue;
            }
            long prev = x.expireAt;
            boolean met = prev < 0 ? !"XX".equals(cond) && !"GT".equals(cond)
                    : !("NX".equals(cond) || ("GT".equals(cond) && prev >= when) || ("LT".equals(cond) && prev <= when));
            if (!met) {
                expected.add(0L);
            } else if (when <= now()) {
                h.fields.remove(f);
                deleted = true;
                expected.add(2L);
            } else {
                h.fields.put(f, new Field(x.value, when));
                expected.add(1L);
            }
        }
        if (deleted && h.fields.isEmpty()) model.remove(key);
        for (long code : expected) seen.merge("HEXPIRE " + code, 1, Integer::sum);
        assertThat(c.call(args.toArray(String[]::new))).as(where + String.join(" ", args)).isEqualTo(ints(expected));
    }

    /** One of HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME on two fields. */
    void ttl(String where, String key, String field) throws Exception {
        int variant = rnd.nextInt(4);
        boolean seconds = variant % 2 == 0, relative = variant < 2;
        String name = relative ? (seconds ? "HTTL" : "HPTTL") : (seconds ? "HEXPIRETIME" : "HPEXPIRETIME");
        String other = "f" + rnd.nextInt(10);
        Hash h = model.get(key);
        List<Long> expected = new ArrayList<>();
        for (String f : List.of(field, other)) {
            Field x = h == null ? null : h.fields.get(f);
            long base = relative ? now() : 0;
            if (x == null) expected.add(-2L);
            else if (x.expireAt < 0) expected.add(-1L);
            // A listpack counts expire <= now as gone, a table expire < now.
            else if (h.enc == 1 ? x.expireAt <= now() : x.expireAt < now()) expected.add(-2L);
            else expected.add(seconds ? (x.expireAt + 999 - base) / 1000 : x.expireAt - base);
        }
        for (long t : expected) seen.merge(t < 0 ? "TTL " + t : "TTL", 1, Integer::sum);
        assertThat(c.call(name, key, "FIELDS", "2", field, other)).as(where + name).isEqualTo(ints(expected));
    }
}
