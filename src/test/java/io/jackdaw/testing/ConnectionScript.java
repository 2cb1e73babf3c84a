package io.jackdaw.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A script over several named connections to one server, for differential tests of messages
 * that cross connections (pub/sub, tracking invalidations): each step sends a command on one
 * connection (or nothing) and reads the number of replies it is owed there (pushed messages
 * first, then the reply). Running the same script on Jackdaw and the reference server gives two
 * lists of "who command -> reply" lines to compare. A step reads everything it is owed before
 * the next is sent, since commands sent on two connections at once have no order a server keeps.
 */
public final class ConnectionScript {
    private ConnectionScript() {}

    /** Who is {@code "sleep"} for a pause of {@code replies} milliseconds (until the server let a closed connection go). */
    public static final String SLEEP = "sleep";

    /** A step: {@code who} sends {@code cmd} (none when empty) and reads {@code replies} replies. */
    public static String[] step(String who, int replies, String... cmd) {
        String[] out = new String[cmd.length + 2];
        out[0] = who;
        out[1] = Integer.toString(replies);
        System.arraycopy(cmd, 0, out, 2, cmd.length);
        return out;
    }

    /**
     * Runs the steps; {@code arguments} may rewrite a command's arguments before it is sent (the
     * line keeps the original), {@code normalize} each reply before it is listed.
     */
    public static List<String> run(Map<String, RespConnection> connections, String[][] steps,
                                   UnaryOperator<String> arguments, UnaryOperator<String> normalize) throws Exception {
        List<String> out = new ArrayList<>();
        for (String[] step : steps) {
            if (step[0].equals(SLEEP)) {
                Thread.sleep(Long.parseLong(step[1]));
                continue;
            }
            String[] cmd = Arrays.copyOfRange(step, 2, step.length);
            String label = step[0] + " " + String.join(" ", cmd);
            for (int i = 0; i < cmd.length; i++) cmd[i] = arguments.apply(cmd[i]);
            RespConnection conn = connections.get(step[0]);
            if (cmd.length > 0) conn.send(cmd);
            int replies = Integer.parseInt(step[1]);
            for (int i = 0; i < replies; i++) out.add(label + " -> " + normalize.apply(conn.readReply()));
        }
        return out;
    }
}
