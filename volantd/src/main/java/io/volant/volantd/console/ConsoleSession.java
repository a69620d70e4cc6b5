package io.volant.volantd.console;

/** One attached interactive console client (host-runtime.md §7.2). Closing detaches; the hub keeps capturing. */
public interface ConsoleSession extends AutoCloseable {

    /** Writes client input to the serial socket verbatim. Blocking; ignored after close. */
    void write(byte[] data);

    /** Detaches; idempotent. */
    @Override
    void close();
}
