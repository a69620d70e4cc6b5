package io.volant.kestrel.vsock;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A listening stream socket of some family the JDK may not support (AF_VSOCK); one implementation per family. */
public interface StreamListener extends Closeable {
    /**
     * Blocks until a peer connects.
     *
     * @throws IOException when the listener was closed or failed
     */
    Connection accept() throws IOException;

    /** Human-readable address for logs, e.g. {@code vsock:8080}. */
    String describe();

    /** One accepted connection. Closing it closes both directions. */
    interface Connection extends Closeable {
        InputStream in();

        OutputStream out();

        /** Half-close: tells the peer no more bytes will come. */
        void shutdownOutput() throws IOException;
    }
}
