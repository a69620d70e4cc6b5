package io.volant.volantd.store;

import java.sql.SQLException;

/** Work done inside one transaction; may throw domain exceptions, which roll back and propagate unchanged. */
@FunctionalInterface
public interface TxFunction<T> {
    T apply(Tx tx) throws SQLException;
}
