package io.jackdaw.store;

import io.jackdaw.types.Stream;

/**
 * Finding and storing streams. A stream is always a value object (there is no compact record
 * form: Redis has one encoding, "stream"); it is edited in place, so storing is either a first
 * put or telling the store its size changed. Unlike other collections, an empty stream stays.
 */
public final class StreamOps {
    private StreamOps() {}

    /**
     * Opens the stream at a key for writing, as Redis's lookupKeyWrite: {@link Handle#stream} is
     * null when the key is absent. Null when the key holds another type.
     */
    public static Handle openWrite(Database db, byte[] k, int off, int len) {
        Handle h = new Handle(k, off, len);
        if (db.find(k, off, len)) {
            if (!ValueType.isStream(db.type())) return null;
            h.stream = (Stream) db.foundObject();
            h.existed = true;
        }
        return h;
    }

    /** One command's hold on one stream key. */
    public static final class Handle {
        private final byte[] key;
        private final int off, len;
        private boolean existed;
        /** The stream; a command that creates one sets it here before {@link #save}. */
        public Stream stream;

        Handle(byte[] key, int off, int len) {
            this.key = key;
            this.off = off;
            this.len = len;
        }

        /** Stores a new stream under the key, or re-accounts one edited in place. */
        public void save(Database db) {
            save(db, false);
        }

        /** As {@link #save(Database)}; {@code grown} (an entry was added) wakes the key's blocked readers. */
        public void save(Database db, boolean grown) {
            if (!existed) {
                db.putObject(key, off, len, ValueType.STREAM, stream, -1);
                existed = true;
            } else if (db.findNoTouch(key, off, len)) {
                db.foundObjectResized();
                if (grown) db.signalReady(key, off, len);
            }
        }
    }
}
