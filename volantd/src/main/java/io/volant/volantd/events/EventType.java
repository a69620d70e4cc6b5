package io.volant.volantd.events;

/**
 * VM event types (control-plane.md §7.3; {@code VM_SUSPENDED}: suspend to disk) and the template events
 * (docs/templates.md): {@code TEMPLATE_*} name a template ({@code tpl-<key>}), {@code CLONE_*} the VM started as a
 * clone.
 */
public enum EventType {
    VM_CREATED, VM_RUNNING, VM_STOPPED, VM_CRASHED, VM_DELETED, VM_LOG, VM_SUSPENDED,
    TEMPLATE_CREATED, TEMPLATE_FAILED, TEMPLATE_DELETED, CLONE_STARTED, CLONE_FAILED
}
