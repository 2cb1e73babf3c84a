package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jackdaw.testing.DifferentialTestBase;
import io.jackdaw.testing.RespConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DEBUG PROTOCOL's value of each RESP type, to a RESP2 and a RESP3 client and through a script
 * in either protocol (redis.setresp), compared byte for byte with the reference server: big
 * numbers, attributes (never shown to a script), pushes, verbatim strings, booleans and doubles
 * as Redis sends and converts them.
 */
class DebugProtocolDifferentialTest extends DifferentialTestBase {
    private static final String[] TYPES = {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
        "push", "verbatim", "true", "false", "nosuch"};

    /** Runs the whole sequence on one server; attributes and pushes come before their reply, so each is read with it. */
    private static List<String> session(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RespConnection c = new RespConnection(port)) {
            c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1");
            for (int proto = 2; proto <= 3; proto++) {
                c.call("HELLO", String.valueOf(proto));
                for (String t : TYPES) {
                    String reply = c.call("DEBUG", "PROTOCOL", t);
                    if (proto == 3 && (t.equals("attrib") || t.equals("push"))) reply += c.readReply();
                    out.add("RESP" + proto + " " + t + ": " + reply);
                }
                for (int lua = 2; lua <= 3; lua++) {
                    for (String t : TYPES) {
                        if (t.equals("push") || t.equals("nosuch")) continue; // a script gets an error: compared below
                        out.add("RESP" + proto + " lua" + lua + " " + t + ": "
                                + c.call("EVAL", "redis.setresp(" + lua + "); return redis.call('debug', 'protocol', '" + t + "')", "0"));
                    }
                }
                out.add("RESP" + proto + " big_number: " + c.call("EVAL", "return {big_number='123\\r\\n123'}", "0"));
                out.add("RESP" + proto + " pcall push: " + c.call("EVAL", "return redis.pcall('debug', 'protocol', 'push')", "0"));
            }
            c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0");
        }
        return out;
    }

    @Test
    void everyTypeAsTheReferenceSendsAndConvertsIt() throws Exception {
        List<String> jackdaw = session(ours.port());
        assertThat(jackdaw).contains("RESP3 bignum: (1234567999999999999999999999999999999\r\n",
                "RESP2 bignum: $37\r\n1234567999999999999999999999999999999\r\n",
                "RESP3 attrib: |1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
                        + "$39\r\nSome real reply following the attribute\r\n",
                "RESP3 lua3 attrib: $39\r\nSome real reply following the attribute\r\n",
                "RESP3 big_number: (123  123\r\n");
        assumeTrue(ref != null, "no reference redis-server installed");
        assertThat(jackdaw).containsExactlyElementsOf(session(ref.port()));
    }
}
