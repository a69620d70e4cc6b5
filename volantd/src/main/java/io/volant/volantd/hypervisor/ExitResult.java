package io.volant.volantd.hypervisor;

/**
 * How a hypervisor process ended (host-runtime.md §3.6, §9.4, §9.8).
 *
 * @param exitCode exit status, null when killed by a signal or unknown
 * @param signal signal name ({@code KILL}, {@code TERM}, ...), null when it exited normally
 * @param reason {@link Reason#CLEAN} maps to VM status {@code stopped}, {@link Reason#CRASHED} to {@code crashed}
 * @param requested true when the exit was caused by {@link Instance#stop}; such exits are always clean
 */
public record ExitResult(Integer exitCode, String signal, Reason reason, boolean requested) {

    public enum Reason { CLEAN, CRASHED }

    public static ExitResult clean() {
        return new ExitResult(0, null, Reason.CLEAN, false);
    }

    public static ExitResult stopped() {
        return new ExitResult(null, null, Reason.CLEAN, true);
    }

    public static ExitResult code(int code) {
        return new ExitResult(code, null, code == 0 ? Reason.CLEAN : Reason.CRASHED, false);
    }

    public static ExitResult signal(String signal) {
        return new ExitResult(null, signal, Reason.CRASHED, false);
    }

    /** Exit of an adopted process whose status cannot be known (control-plane.md §2.10 item 9.2). */
    public static ExitResult unknown() {
        return new ExitResult(null, null, Reason.CRASHED, false);
    }

    public boolean crashed() {
        return reason == Reason.CRASHED;
    }

    /** The error text used in {@code VM_CRASHED} events: {@code exit status 1}, {@code signal: killed}. */
    public String message() {
        if (signal != null) {
            return "signal: " + switch (signal) {
                case "KILL" -> "killed";
                case "TERM" -> "terminated";
                case "INT" -> "interrupt";
                case "SEGV" -> "segmentation fault";
                case "ABRT" -> "aborted";
                default -> signal.toLowerCase(java.util.Locale.ROOT);
            };
        }
        if (exitCode != null) {
            return exitCode == 0 ? "" : "exit status " + exitCode;
        }
        return reason == Reason.CRASHED ? "hypervisor exited (status unknown)" : "";
    }
}
