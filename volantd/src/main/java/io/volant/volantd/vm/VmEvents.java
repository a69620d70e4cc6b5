package io.volant.volantd.vm;

import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.store.VmRow;
import java.time.Clock;

/** Publishes a VM's lifecycle events on the bus, stamped by the injected clock. */
record VmEvents(EventBus bus, Clock clock) {
    void publish(EventType type, VmRow row, String status, Long pid, String message) {
        VmRecovery.publish(bus, clock, type, row, status, pid, message);
    }
}
