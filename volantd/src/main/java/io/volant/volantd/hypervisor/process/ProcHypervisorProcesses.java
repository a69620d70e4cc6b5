package io.volant.volantd.hypervisor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link HypervisorProcesses} from {@code /proc/<pid>/cmdline}. */
public final class ProcHypervisorProcesses implements HypervisorProcesses {
    private static final List<String> CONTROL_SUFFIXES = List.of(".qmp", ".sock");
    private static final java.util.regex.Pattern VM_NAME = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private final Path proc;
    private final String prefix;

    /** @param proc normally {@code /proc}; @param runtimeDir volantd's runtime directory */
    public ProcHypervisorProcesses(Path proc, Path runtimeDir) {
        this.proc = proc;
        this.prefix = runtimeDir.toAbsolutePath().normalize() + "/";
    }

    @Override
    public List<Found> list() {
        List<Found> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path d : dirs) {
                String vm = vmOf(d.resolve("cmdline"));
                if (vm != null) {
                    out.add(new Found(Long.parseLong(d.getFileName().toString()), vm));
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The VM whose control socket the argv names (a whole element or a {@code key=value} part), else null. */
    private String vmOf(Path cmdline) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(cmdline);
        } catch (IOException e) {
            return null; // gone, or not ours to read
        }
        for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            for (String part : arg.split(",")) {
                String v = part.contains("=") ? part.substring(part.indexOf('=') + 1) : part;
                if (!v.startsWith(prefix)) {
                    continue;
                }
                String file = v.substring(prefix.length());
                for (String suffix : CONTROL_SUFFIXES) {
                    String vm = file.endsWith(suffix) ? file.substring(0, file.length() - suffix.length()) : "";
                    if (VM_NAME.matcher(vm).matches()) { // VM names have no dots: "<vm>.vsock" is not "<vm>.v" + ".sock"
                        return vm;
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void stop(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
        });
    }
}
