package io.jackdaw.store;

/** Time source. Commands read it once and use that snapshot throughout, as Redis caches mstime per command. */
public interface Clock {
    long millis();

    long micros();

    Clock SYSTEM = new Clock() {
        @Override public long millis() { return System.currentTimeMillis(); }

        @Override public long micros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    };
}
