package io.volant.volantd.vm;

/** Told when a deployment member changed on its own (exit) or by a direct request (destroy); enqueues a pass. */
@FunctionalInterface
public interface MemberListener {
    MemberListener NONE = deployment -> {};

    void memberChanged(String deployment);
}
