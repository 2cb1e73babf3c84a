package io.jackdaw.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw socket that sends bytes and reads back exactly one RESP reply at a time, as bytes,
 * so tests can assert on what is on the wire.
 */
public final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespConnection(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public RespConnection(int port) throws IOException { this("127.0.0.1", port); }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void sendRaw(String s) throws IOException { sendRaw(s.getBytes(StandardCharsets.UTF_8)); }

    /** Sends a command as a RESP multibulk. */
    public void send(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        send(b);
    }

    public void send(byte[]... args) throws IOException { sendRaw(encode(args)); }

    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(a);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return o.toByteArray();
    }

    /** Sends a command and returns its reply as a string of the raw bytes (ISO-8859-1, so bytes map 1:1). */
    public String call(String... args) throws IOException {
        send(args);
        return readReply();
    }

    /** As {@link #call(String...)} with arguments given as raw bytes (binary values). */
    public String call(byte[]... args) throws IOException {
        send(args);
        return readReply();
    }

    /** Reads one complete reply, nested aggregates included, and returns its raw bytes. */
    public String readReply() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        readOne(o);
        return o.toString(StandardCharsets.ISO_8859_1);
    }

    private void readOne(ByteArrayOutputStream o) throws IOException {
        String line = readLine(o);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', ',', '#', '_', '(' -> { }
            case '$', '=', '!' -> {
                long n = Long.parseLong(line.substring(1));
                if (n >= 0) {
                    o.writeBytes(in.readNBytes((int) n + 2));
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < n; i++) readOne(o);
            }
            case '%', '|' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < 2 * n; i++) readOne(o);
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream o) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) throw new java.io.EOFException("connection closed after: " + sb);
            o.write(c);
            if (prev == '\r' && c == '\n') {
                sb.setLength(sb.length() - 1);
                return sb.toString();
            }
            sb.append((char) c);
            prev = c;
        }
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override public void close() throws IOException { socket.close(); }
}
