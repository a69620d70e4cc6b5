package io.volant.volantd.events;

import java.time.Duration;

enum NoopEventBus implements EventBus {
    INSTANCE;

    @Override
    public void publish(String topic, VmEvent event) {}

    @Override
    public Subscription subscribe(String topic, int capacity) {
        return new Subscription() {
            @Override
            public VmEvent poll(Duration timeout) {
                return null;
            }

            @Override
            public boolean isClosed() {
                return true;
            }

            @Override
            public boolean overflowed() {
                return false;
            }

            @Override
            public void close() {}
        };
    }
}
