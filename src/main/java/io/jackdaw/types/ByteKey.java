package io.jackdaw.types;

import java.util.Arrays;

/** Bytes as a hash-map key, compared by content (a key, a channel, a member); the hash is computed once. */
public record ByteKey(byte[] bytes, int hash) {
    /** Wraps the array as it is (the caller must not change it afterwards). */
    public static ByteKey of(byte[] b) { return new ByteKey(b, Arrays.hashCode(b)); }

    /** A copy of {@code b[off, off+len)}. */
    public static ByteKey copyOf(byte[] b, int off, int len) { return of(Arrays.copyOfRange(b, off, off + len)); }

    @Override public boolean equals(Object o) { return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes); }

    @Override public int hashCode() { return hash; }
}
