package io.jackdaw.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What the 16-bit access field of every record means, as {@code maxmemory-policy} decides.
 * Under an LRU (or no eviction) policy it holds the second of the last access, mod 2^16, so
 * OBJECT IDLETIME is exact for keys idle less than about 18 hours (Redis keeps 24 bits). Under
 * an LFU policy it holds Redis's logarithmic counter in the low byte and the minute of the last
 * decrement, mod 256, in the high byte (Redis keeps 16 bits of minutes), so decay is exact for
 * gaps under about four hours. As in Redis, switching policy leaves old fields to be re-learnt.
 */
public final class AccessTracking {
    /** The counter of a new key, so that it is not evicted before it had a chance to be used. */
    public static final int LFU_INIT_VAL = 5;

    private volatile boolean lfu;
    private volatile boolean sharedIntegers = true;
    private volatile int lfuLogFactor = 10;
    private volatile int lfuDecayTime = 1;

    /** Applies the eviction settings; called at start-up and on CONFIG SET. */
    public void configure(String maxmemoryPolicy, long maxmemory, int logFactor, int decayTime) {
        String p = maxmemoryPolicy.toLowerCase(java.util.Locale.ROOT);
        boolean isLfu = p.endsWith("-lfu");
        boolean isLru = p.endsWith("-lru");
        this.lfu = isLfu;
        // Redis shares the objects of small integers unless an LRU/LFU policy needs per-key fields.
        this.sharedIntegers = maxmemory == 0 || !(isLfu || isLru);
        this.lfuLogFactor = logFactor;
        this.lfuDecayTime = decayTime;
    }

    public boolean lfu() { return lfu; }

    public boolean sharedIntegers() { return sharedIntegers; }

    private static int seconds(long nowMs) { return (int) (nowMs / 1000) & 0xFFFF; }

    private static int minutes(long nowMs) { return (int) (nowMs / 60_000) & 0xFF; }

    /** The field of a key created now. */
    public int initial(long nowMs) {
        return lfu ? (minutes(nowMs) << 8) | LFU_INIT_VAL : seconds(nowMs);
    }

    /** The field after an access now. */
    public int touched(int field, long nowMs) {
        if (!lfu) return seconds(nowMs);
        int counter = decayed(field, nowMs);
        if (counter < 255) {
            double base = Math.max(0, counter - LFU_INIT_VAL);
            double p = 1.0 / (base * lfuLogFactor + 1);
            if (ThreadLocalRandom.current().nextDouble() < p) counter++;
        }
        return (minutes(nowMs) << 8) | counter;
    }

    /**
     * The field RESTORE ... IDLETIME sets under an LRU policy: last accessed {@code idleSeconds}
     * ago (mod 2^16, the width the field keeps).
     */
    public int withIdle(long idleSeconds, long nowMs) { return (int) ((seconds(nowMs) - idleSeconds) & 0xFFFF); }

    /** The field RESTORE ... FREQ sets under an LFU policy: the counter as given, decayed from now. */
    public int withFrequency(int counter, long nowMs) { return (minutes(nowMs) << 8) | (counter & 0xFF); }

    /** Seconds since the last access (LRU fields). */
    public long idleSeconds(int field, long nowMs) { return (seconds(nowMs) - field) & 0xFFFF; }

    /** The LFU counter after the decay owed since its minute (LFU fields). */
    public int decayed(int field, long nowMs) {
        int counter = field & 0xFF;
        int elapsed = (minutes(nowMs) - (field >>> 8)) & 0xFF;
        int periods = lfuDecayTime > 0 ? elapsed / lfuDecayTime : 0;
        return periods > counter ? 0 : counter - periods;
    }
}
