package io.volant.bench;

import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestCodec;
import io.volant.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH: the manifest work on every VM launch (normalize + validate, guest encoding) and in every guest (decode). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManifestCodecBench {
    private Manifest caddy;
    private String encoded;

    @Setup
    public void load() throws IOException {
        try (InputStream in = ManifestCodecBench.class.getResourceAsStream("/caddy.manifest.json")) {
            caddy = Manifests.parse(in);
        }
        encoded = ManifestCodec.encodeGuest(caddy);
    }

    @Benchmark
    public Manifest normalizeAndValidate() {
        return Manifests.normalizeAndValidate(caddy);
    }

    @Benchmark
    public String encodeGuest() {
        return ManifestCodec.encodeGuest(caddy);
    }

    @Benchmark
    public Manifest decode() {
        return ManifestCodec.decode(encoded);
    }
}
