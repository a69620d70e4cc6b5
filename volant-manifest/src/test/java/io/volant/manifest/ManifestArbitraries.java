package io.volant.manifest;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for manifests that stress normalization and encoding: whitespace padding of every kind Go trims
 * (and some it does not), any UTF-16 unit including controls and lone surrogates, supplementary characters,
 * case variants of the enumerated values, maps whose keys collapse when trimmed, and absent optional objects.
 */
final class ManifestArbitraries {
    private ManifestArbitraries() {}

    static Arbitrary<String> text() {
        Arbitrary<String> core = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', '/', ':').ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6),
                Arbitraries.of("", "caddy", "http", "HTTP", "Raw", "QCOW2", "ext4", "vfat", "VFAT", "bridged",
                        "DHCP", "vsock", "NoCloud", "😀𝔘", "İstanbul", "ΑΣ", "straße", "a\u0000b", "\u200b",
                        "http://127.0.0.1:80", "/srv/x.img", "sha256:" + "ab".repeat(32), "volant.plugin"));
        Arbitrary<String> pad = Arbitraries.of("", "", " ", "\t", "\n", "\r\n", "\u00a0", "\u0085", "\u3000",
                "\u2003 ", "\u001f", "\u200b");
        return Combinators.combine(pad, core, pad).as((a, b, c) -> a + b + c);
    }

    static Arbitrary<List<String>> texts() {
        return text().list().ofMaxSize(4);
    }

    static Arbitrary<Map<String, String>> textMap() {
        return Arbitraries.maps(text(), text()).ofMaxSize(4);
    }

    static Arbitrary<Manifest> manifests() {
        Arbitrary<Identity> identity = Combinators.combine(text(), text(), text(), text(), text(), text(), text(),
                Arbitraries.of(true, false)).as(Identity::new);
        Arbitrary<Media> media = Combinators.combine(rootfs(), initramfs(), disk().list().ofMaxSize(3)).as(Media::new);
        Arbitrary<Runtime> runtime = Combinators.combine(resources(), Arbitraries.maps(text(), action()).ofMaxSize(3),
                healthCheck(), workload()).as(Runtime::new);
        Arbitrary<Extras> extras = Combinators.combine(cloudInit().injectNull(0.4), network().injectNull(0.4),
                devices().injectNull(0.5), textMap().injectNull(0.3)).as(Extras::new);
        return Combinators.combine(identity, media, runtime, extras).as((i, m, r, e) -> new Manifest(
                i.schemaVersion, i.name, i.version, i.runtime, m.rootfs, m.initramfs, m.disks, i.image,
                i.imageDigest, r.resources, r.actions, r.healthCheck, r.workload, e.cloudInit, e.network, e.devices,
                i.enabled, i.openapi, e.labels));
    }

    private record Identity(String schemaVersion, String name, String version, String runtime, String image,
                            String imageDigest, String openapi, boolean enabled) {}

    private record Media(RootFs rootfs, Initramfs initramfs, List<Disk> disks) {}

    private record Runtime(Resources resources, Map<String, Action> actions, HealthCheck healthCheck,
                           Workload workload) {}

    private record Extras(CloudInit cloudInit, NetworkConfig network, DeviceConfig devices,
                          Map<String, String> labels) {}

    private static Arbitrary<RootFs> rootfs() {
        return Combinators.combine(text(), text(), text()).as(RootFs::new).injectNull(0.2);
    }

    private static Arbitrary<Initramfs> initramfs() {
        return Combinators.combine(text(), text()).as(Initramfs::new).injectNull(0.2);
    }

    private static Arbitrary<Disk> disk() {
        return Combinators.combine(text(), text(), text(), text(), Arbitraries.of(true, false), text()).as(Disk::new);
    }

    private static Arbitrary<Resources> resources() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(-1, 1 << 20))
                .as(Resources::new);
    }

    private static Arbitrary<Action> action() {
        return Combinators.combine(text(), text(), text(), Arbitraries.longs()).as(Action::new);
    }

    private static Arbitrary<HealthCheck> healthCheck() {
        return Combinators.combine(text(), Arbitraries.longs()).as(HealthCheck::new);
    }

    private static Arbitrary<Workload> workload() {
        return Combinators.combine(text(), text(), texts(), textMap(), text()).as(Workload::new);
    }

    private static Arbitrary<CloudInitDoc> doc() {
        return Combinators.combine(Arbitraries.of(true, false), text(), text()).as(CloudInitDoc::new).injectNull(0.3);
    }

    private static Arbitrary<CloudInit> cloudInit() {
        return Combinators.combine(text(), text(), doc(), doc(), doc()).as(CloudInit::new);
    }

    private static Arbitrary<NetworkConfig> network() {
        return Combinators.combine(text(), text(), text(), Arbitraries.of(true, false)).as(NetworkConfig::new);
    }

    private static Arbitrary<DeviceConfig> devices() {
        return Combinators.combine(texts(), texts()).as(DeviceConfig::new);
    }
}
