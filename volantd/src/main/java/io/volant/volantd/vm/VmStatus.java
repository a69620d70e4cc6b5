package io.volant.volantd.vm;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * VM statuses (control-plane.md §1.3; {@code suspended}: the VM's whole state is saved on disk and no hypervisor
 * runs, docs/control-plane.md "Suspend and resume"). The wire form is the lower-case name.
 */
public enum VmStatus {
    PENDING, STARTING, RUNNING, STOPPED, CRASHED, SUSPENDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored status; unknown values (legacy rows) become {@link #STOPPED}. */
    public static VmStatus parse(String s) {
        for (VmStatus v : values()) {
            if (v.wire().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return v;
            }
        }
        return STOPPED;
    }
}
