package io.jackdaw.testing;

import io.jackdaw.store.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, so idle times, decay and expiry are checked without sleeping. */
public final class ManualClock implements Clock {
    private final AtomicLong ms;

    public ManualClock(long startMs) { this.ms = new AtomicLong(startMs); }

    public void advance(long deltaMs) { ms.addAndGet(deltaMs); }

    @Override public long millis() { return ms.get(); }

    @Override public long micros() { return ms.get() * 1000; }
}
