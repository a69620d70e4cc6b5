package io.volant.volantd.events;

/** VM event types (control-plane.md §7.3; {@code VM_SUSPENDED}: issue 13 item 4). */
public enum EventType { VM_CREATED, VM_RUNNING, VM_STOPPED, VM_CRASHED, VM_DELETED, VM_LOG, VM_SUSPENDED }
