package io.volant.volantd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/** §7.3 step 1: plain TCP to the VM's host-managed IP. */
public final class TcpTransport implements AgentTransport {
    private final String ip;
    private final int connectTimeoutMs;

    public TcpTransport(String ip, int connectTimeoutMs) {
        this.ip = ip;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public ByteChannel open(int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            Socket s = ch.socket();
            s.connect(new InetSocketAddress(ip, port), connectTimeoutMs);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return ip;
    }

    @Override
    public Optional<String> directHost() {
        return Optional.of(ip);
    }
}
