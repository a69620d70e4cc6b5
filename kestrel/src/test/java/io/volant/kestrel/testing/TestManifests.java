package io.volant.kestrel.testing;

import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestCodec;
import io.volant.manifest.Manifests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Manifests for tests whose workload is {@link TestWorkload} run by the test JDK. */
public final class TestManifests {
    private TestManifests() {}

    /** The test JDK's {@code bin} directory. */
    public static String javaBin() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().toString();
    }

    public static String testClasses() {
        try {
            return Path.of(TestWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A manifest JSON whose workload is {@code java -cp <test-classes> TestWorkload <port> <extra...>}, started by
     * the bare name {@code java}, found through the manifest's own {@code PATH} (K9).
     */
    public static String json(String name, int port, String marker, List<String> extraArgs) {
        String entrypoint = List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", testClasses(),
                        TestWorkload.class.getName(), String.valueOf(port)).stream()
                .collect(Collectors.collectingAndThen(Collectors.toList(), l -> {
                    l.addAll(extraArgs);
                    return l;
                })).stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(","));
        return """
                {"schema_version":"1.0","name":"%1$s","version":"0.1.0","runtime":"%1$s",
                 "initramfs":{"url":"https://example.com/%1$s.cpio.gz"},
                 "resources":{"cpu_cores":1,"memory_mb":128},
                 "actions":{"reload":{"description":"reload config","method":"post","path":"reload","timeout_ms":5000}},
                 "health_check":{"endpoint":"/health","timeout_ms":1000},
                 "workload":{"type":"HTTP","base_url":"http://127.0.0.1:%2$d","entrypoint":[%3$s],
                   "env":{"PATH":"%4$s:/usr/bin:/bin","MARKER":"%5$s"},"workdir":"%6$s"}}
                """.formatted(name, port, entrypoint, javaBin(), marker, System.getProperty("java.io.tmpdir"));
    }

    public static Manifest manifest(String json) {
        return Manifests.parse(json);
    }

    public static String encoded(String json) {
        return ManifestCodec.encode(Manifests.parse(json));
    }
}
