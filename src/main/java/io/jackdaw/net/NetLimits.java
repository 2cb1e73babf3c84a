package io.jackdaw.net;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/** Limits the network layer enforces, read live from the configuration. */
public final class NetLimits {
    volatile int maxClients = 10000;
    volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    volatile long queryBufferLimit = 1024L * 1024 * 1024;

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
