package io.jackdaw.net;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/** Limits the network layer enforces, read live from the configuration. */
public final class NetLimits {
    volatile int maxClients = 10000;
    volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    volatile long queryBufferLimit = 1024L * 1024 * 1024;

    /** One client class's client-output-buffer-limit: bytes (0 = no limit) and the soft limit's seconds. */
    public record OutputBufferLimit(long hard, long soft, long softSeconds) {}

    /** Client classes, in the directive's order. */
    public static final int NORMAL = 0, REPLICA = 1, PUBSUB = 2;

    private volatile OutputBufferLimit[] outputBufferLimits = {
        new OutputBufferLimit(0, 0, 0), new OutputBufferLimit(0, 0, 0), new OutputBufferLimit(0, 0, 0)};

    /** From the directive's {hard, soft, seconds} triples: normal, replica, pubsub. */
    public void setOutputBufferLimits(long[][] l) {
        OutputBufferLimit[] next = new OutputBufferLimit[3];
        for (int c = 0; c < 3; c++) next[c] = new OutputBufferLimit(l[c][0], l[c][1], l[c][2]);
        outputBufferLimits = next;
    }

    OutputBufferLimit outputBufferLimit(int clientClass) { return outputBufferLimits[clientClass]; }

    public void setMaxClients(int n) { maxClients = n; }

    public void setProtoMaxBulkLen(long n) { protoMaxBulkLen = n; }

    public void setQueryBufferLimit(long n) { queryBufferLimit = n; }

    int maxClients() { return maxClients; }

    public long protoMaxBulkLen() { return protoMaxBulkLen; }

    long queryBufferLimit() { return queryBufferLimit; }

    int fdOf(Channel ch) {
        if (ch instanceof UnixChannel u) return u.fd().intValue();
        return -1;
    }
}
