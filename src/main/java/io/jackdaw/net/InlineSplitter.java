package io.jackdaw.net;

import io.jackdaw.command.CommandArgs;
import io.netty.buffer.ByteBuf;

/**
 * Splits an inline request line into arguments with Redis's rules (sdssplitargs): blanks
 * separate (any isspace() between tokens, but only space, tab, CR and LF end a bare token),
 * "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take only \',
 * and a closing quote must be followed by a blank or the end of the line.
 */
public final class InlineSplitter {
    private InlineSplitter() {}

    /** Splits bytes with sdssplitargs' rules (function and script shebang lines); null on unbalanced quotes. */
    public static java.util.List<byte[]> split(byte[] line, int from, int to) {
        CommandArgs args = new CommandArgs();
        if (!split(io.netty.buffer.Unpooled.wrappedBuffer(line), from, to, args)) return null;
        java.util.List<byte[]> out = new java.util.ArrayList<>(args.count());
        for (int i = 0; i < args.count(); i++) out.add(args.bytes(i));
        return out;
    }

    /** @return false on unbalanced quotes */
    static boolean split(ByteBuf in, int from, int to, CommandArgs args) {
        int p = from;
        while (true) {
            while (p < to && isSpace(in.getByte(p))) p++;
            if (p >= to) return true;
            args.begin();
            boolean inDq = false, inSq = false;
            while (true) {
                if (inDq) {
                    if (p >= to) return false;
                    byte c = in.getByte(p);
                    if (c == '\\' && p + 3 < to && in.getByte(p + 1) == 'x'
                            && isHex(in.getByte(p + 2)) && isHex(in.getByte(p + 3))) {
                        put(args, (byte) (hex(in.getByte(p + 2)) * 16 + hex(in.getByte(p + 3))));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        byte e = in.getByte(p);
                        put(args, switch (e) {
                            case 'n' -> (byte) '\n';
                            case 'r' -> (byte) '\r';
                            case 't' -> (byte) '\t';
                            case 'b' -> (byte) '\b';
                            case 'a' -> (byte) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(in.getByte(p + 1))) return false;
                        p++;
                        break;
                    } else {
                        put(args, c);
                    }
                } else if (inSq) {
                    if (p >= to) return false;
                    byte c = in.getByte(p);
                    if (c == '\\' && p + 1 < to && in.getByte(p + 1) == '\'') {
                        p++;
                        put(args, (byte) '\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(in.getByte(p + 1))) return false;
                        p++;
                        break;
                    } else {
                        put(args, c);
                    }
                } else {
                    if (p >= to) break;
                    byte c = in.getByte(p);
                    if (endsBareToken(c)) break;
                    if (c == '"') inDq = true;
                    else if (c == '\'') inSq = true;
                    else put(args, c);
                }
                p++;
            }
        }
    }

    private static void put(CommandArgs args, byte b) {
        int at = args.appendTarget(1);
        args.data()[at] = b;
    }

    /**
     * An unquoted token ends only at a space, tab, CR or LF (sdssplitargs' switch); vertical tab
     * and form feed are skipped between tokens but belong to a token once it has started.
     */
    private static boolean endsBareToken(byte c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    private static boolean isSpace(byte c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 11 || c == '\f'; }

    private static boolean isHex(byte c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    private static int hex(byte c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
}
