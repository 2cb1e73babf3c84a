package io.jackdaw.persist;

import static io.jackdaw.store.RdbFile.*;

import io.jackdaw.store.RdbFile;
import io.jackdaw.store.RdbValues;
import io.jackdaw.store.SetOps;
import io.jackdaw.store.SortedSetOps;
import io.jackdaw.types.Crc64;
import io.jackdaw.types.RdbFormatException;
import io.jackdaw.types.RdbInput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * jackdaw-check-rdb, as redis-check-rdb: reads a dump.rdb (or an AOF's RDB base) through the
 * same value parser a load uses, without storing anything, and says where the first problem is
 * and what was being read there. Exit status 0 when the file is whole, 1 otherwise.
 */
public final class CheckRdb {
    private static final String[] TYPE_NAMES = {"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable", "zset-v2",
        "module-pre-release", "module-value", "", "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist", "hash-ziplist",
        "quicklist", "stream", "hash-listpack", "zset-listpack", "quicklist-v2", "stream-v2", "set-listpack", "stream-v3"};
    /** Redis's default encoding limits: the parse checks a value exactly as a load under them would. */
    private static final RdbValues.Limits LIMITS = new RdbValues.Limits(-2, 0, 128, 64, new SetOps.Limits(512, 128, 64),
            new SortedSetOps.Limits(128, 64));

    private final PrintStream out;
    private long keys, expires, alreadyExpired;
    /** The reader, whose position is the offset every line reports (where reading had got to, as redis-check-rdb). */
    private RdbInput in;
    private String doing = "start";
    private String key;
    private int type = -1;

    private CheckRdb(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: jackdaw-check-rdb <rdb-file-name>");
            System.exit(1);
        }
        System.exit(check(Path.of(args[0]), System.out) ? 0 : 1);
    }

    /** Checks one file, printing the report; true when it is whole. */
    public static boolean check(Path file, PrintStream out) {
        CheckRdb c = new CheckRdb(out);
        c.info("Checking RDB file " + file);
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            c.error("Can't open the RDB file " + file + ": " + e.getMessage());
            return false;
        }
        try {
            c.walk(data, System.currentTimeMillis());
        } catch (RdbFormatException | IndexOutOfBoundsException e) {
            c.error(e.getMessage() == null || e instanceof IndexOutOfBoundsException ? "Unexpected EOF reading RDB file" : e.getMessage());
            return false;
        }
        c.info("\\o/ RDB looks OK! \\o/");
        c.totals();
        return true;
    }

    private void walk(byte[] data, long nowMs) {
        int version = RdbFile.version(data);
        in = new RdbInput(data, 0, data.length);
        in.readRaw(9);
        long expireAt = -1;
        while (true) {
            doing = "read-type";
            key = null;
            type = in.readByte();
            switch (type) {
                case OP_EXPIRETIME -> expireAt = (in.readIntLE() & 0xFFFFFFFFL) * 1000;
                case OP_EXPIRETIME_MS -> expireAt = in.readLongLE();
                case OP_IDLE -> in.readLength();
                case OP_FREQ -> in.readByte();
                case OP_SELECTDB -> {
                    doing = "read-len";
                    info("Selecting DB ID " + in.readLength());
                }
                case OP_RESIZEDB -> {
                    doing = "read-len";
                    in.readLength();
                    in.readLength();
                }
                case OP_AUX -> {
                    doing = "read-aux";
                    String k = new String(in.readString(), StandardCharsets.UTF_8);
                    String v = new String(in.readString(), StandardCharsets.UTF_8);
                    info("AUX FIELD " + k + " = '" + v + "'");
                }
                case OP_MODULE_AUX -> throw new RdbFormatException("The RDB file contains AUX module data I can't load: no modules here");
                case OP_FUNCTION_PRE_GA -> throw new RdbFormatException("Pre-release function format not supported " + version);
                case OP_FUNCTION2 -> {
                    doing = "read-functions";
                    in.readString();
                }
                case OP_EOF -> {
                    doing = "check-sum";
                    if (version >= 5) {
                        long stored = in.readLongLE();
                        if (stored == 0) {
                            info("RDB file was saved with checksum disabled: no check performed.");
                        } else if (stored != Crc64.update(0, data, 0, data.length - 8)) {
                            throw new RdbFormatException("RDB CRC error");
                        } else {
                            info("Checksum OK");
                        }
                    }
                    return;
                }
                default -> {
                    if (type >= TYPE_NAMES.length || TYPE_NAMES[type].isEmpty()) throw new RdbFormatException("Invalid object type: " + type);
                    doing = "read-key";
                    key = new String(in.readString(), StandardCharsets.UTF_8);
                    doing = "read-object-value";
                    RdbValues.read(type, in, LIMITS);
                    keys++;
                    if (expireAt != -1) {
                        expires++;
                        if (expireAt < nowMs) alreadyExpired++;
                    }
                    expireAt = -1;
                }
            }
        }
    }

    private long offset() { return in == null ? 0 : in.position(); }

    private void info(String msg) { out.println("[offset " + offset() + "] " + msg); }

    private void error(String msg) {
        out.println("--- RDB ERROR DETECTED ---");
        out.println("[offset " + offset() + "] " + msg);
        out.println("[additional info] While doing: " + doing);
        if (key != null) out.println("[additional info] Reading key '" + key + "'");
        if (type >= 0 && type < TYPE_NAMES.length && !TYPE_NAMES[type].isEmpty()) {
            out.println("[additional info] Reading type " + type + " (" + TYPE_NAMES[type] + ")");
        }
        totals();
    }

    private void totals() {
        out.println("[info] " + keys + " keys read");
        out.println("[info] " + expires + " expires");
        out.println("[info] " + alreadyExpired + " already expired");
    }
}
