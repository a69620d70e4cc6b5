package io.volant.kestrel.vsock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link StreamListener} on a Unix domain socket, with the JDK's own channels. The relay's stand-in transport in
 * tests (this host's kernel has no vsock loopback), usable by anything that wants the agent API on a socket file.
 */
public final class UnixListener implements StreamListener {
    private final ServerSocketChannel server;
    private final Path path;

    private UnixListener(ServerSocketChannel server, Path path) {
        this.server = server;
        this.path = path;
    }

    public static UnixListener open(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new UnixListener(s, path);
    }

    @Override
    public Connection accept() throws IOException {
        SocketChannel c = server.accept();
        InputStream in = Channels.newInputStream(c);
        OutputStream out = Channels.newOutputStream(c);
        return new Connection() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void shutdownOutput() throws IOException {
                c.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                c.close();
            }
        };
    }

    @Override
    public String describe() {
        return "unix:" + path;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
