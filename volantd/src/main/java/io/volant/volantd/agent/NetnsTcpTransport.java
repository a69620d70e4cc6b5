package io.volant.volantd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.List;

/**
 * TCP to a guest whose bridge lives in another network namespace ({@code VOLANT_NETNS}, docs/operations.md §3.1).
 * The JDK cannot open a socket in another namespace, so the stream is {@code ip netns exec <ns> socat - TCP:<ip>:<port>}
 * and its stdin/stdout.
 */
public final class NetnsTcpTransport implements AgentTransport {
    private final String netns;
    private final String ip;

    public NetnsTcpTransport(String netns, String ip) {
        this.netns = netns;
        this.ip = ip;
    }

    @Override
    public ByteChannel open(int port) throws IOException {
        Process p = new ProcessBuilder(List.of("ip", "netns", "exec", netns, "socat", "-",
                "TCP:" + ip + ":" + port + ",connect-timeout=5"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new ProcessChannel(p);
    }

    @Override
    public String describe() {
        return ip;
    }

    private static final class ProcessChannel implements ByteChannel {
        private final Process process;
        private final InputStream in;
        private final OutputStream out;
        private boolean open = true;

        ProcessChannel(Process p) {
            this.process = p;
            this.in = p.getInputStream();
            this.out = p.getOutputStream();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            byte[] b = new byte[Math.min(dst.remaining(), 8192)];
            int n = in.read(b);
            if (n > 0) {
                dst.put(b, 0, n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            out.write(b);
            out.flush();
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            process.destroy();
        }
    }
}
