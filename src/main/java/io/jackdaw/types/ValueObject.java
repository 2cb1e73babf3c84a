package io.jackdaw.types;

/**
 * A value too large for the compact encodings in the store's pages (a hash table, a skip
 * list, list chunks, a stream). The page record then holds a 4-byte handle to it, and the
 * store accounts its size and releases it when the key goes.
 */
public interface ValueObject {
    /** Bytes this value holds, as used_memory counts them (an estimate, kept cheap). */
    long memoryBytes();

    /** A deep copy that shares nothing mutable with this one (COPY). */
    ValueObject duplicate();
}
