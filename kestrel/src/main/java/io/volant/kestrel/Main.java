package io.volant.kestrel;

import io.volant.manifest.VolantVersion;

/** Entry point of the in-guest agent. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println("kestrel " + VolantVersion.get());
            return;
        }
        System.err.println("kestrel: not implemented yet");
        System.exit(1);
    }
}
