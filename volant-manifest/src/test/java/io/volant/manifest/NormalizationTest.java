package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** plugins-and-guest.md §1.4, one step per test. */
class NormalizationTest {

    private static Manifest norm(Manifest m) {
        return Manifests.normalize(m);
    }

    @Test
    void identity_strings_are_trimmed_and_an_empty_runtime_copies_the_name() {
        Manifest n = norm(new Manifest(" 1.0\n", "\u3000caddy ", " 0.1 ", " ", null, null, null, " img ", "\tsha ",
                null, null, null, null, null, null, null, false, " /o.json ", null));
        assertThat(n.schemaVersion()).isEqualTo("1.0");
        assertThat(n.name()).isEqualTo("caddy");
        assertThat(n.version()).isEqualTo("0.1");
        assertThat(n.runtime()).isEqualTo("caddy");
        assertThat(n.image()).isEqualTo("img");
        assertThat(n.imageDigest()).isEqualTo("sha");
        assertThat(n.openapi()).isEqualTo("/o.json");
    }

    @Test
    void trimming_follows_go_whitespace_not_java_strip() {
        // U+00A0 and U+0085 are spaces for Go's TrimSpace; U+001F (unit separator) and U+200B are not.
        Manifest n = norm(Manifest.EMPTY.withDisks(List.of(new Disk("\u00a0\u0085a\u001f", "\u200bs", "", "", false, ""))));
        assertThat(n.disks().getFirst().name()).isEqualTo("a\u001f");
        assertThat(n.disks().getFirst().source()).isEqualTo("\u200bs");
    }

    @Test
    void rootfs_format_is_lower_cased_and_defaults_to_raw_even_without_url() {
        assertThat(norm(Manifest.EMPTY).rootfs()).isEqualTo(new RootFs("", "", "raw"));
        assertThat(norm(Manifest.EMPTY.withRootfs(new RootFs(" /r ", " " + Fixtures.SHA + " ", " QCOW2 "))).rootfs())
                .isEqualTo(new RootFs("/r", Fixtures.SHA, "qcow2"));
    }

    @Test
    void initramfs_url_and_checksum_are_trimmed() {
        assertThat(norm(Manifest.EMPTY.withInitramfs(new Initramfs(" /i ", " sha256:x "))).initramfs())
                .isEqualTo(new Initramfs("/i", "sha256:x"));
    }

    @Test
    void disks_are_trimmed_and_format_lower_cased_but_empty_format_stays_empty() {
        Manifest n = norm(Manifest.EMPTY.withDisks(List.of(new Disk(" d ", " /s ", " c ", " QCOW2 ", true, " vdb "),
                new Disk("e", "/e", "", "  ", false, ""))));
        assertThat(n.disks()).containsExactly(new Disk("d", "/s", " c ", "qcow2", true, "vdb"),
                new Disk("e", "/e", "", "", false, ""));
    }

    @Test
    void cloud_init_gets_defaults_and_trimmed_documents() {
        Manifest n = norm(Manifest.EMPTY.withCloudInit(new CloudInit(" ", " VFAT ",
                new CloudInitDoc(true, "#cloud-config\nusers: []\n", ""), null, new CloudInitDoc(false, "", " /n.yaml "))));
        assertThat(n.cloudInit()).isEqualTo(new CloudInit("NoCloud", "vfat",
                new CloudInitDoc(true, "#cloud-config\nusers: []", ""), null, new CloudInitDoc(false, "", "/n.yaml")));
    }

    @Test
    void network_mode_is_lower_cased_and_addresses_trimmed() {
        assertThat(norm(Manifest.EMPTY.withNetwork(new NetworkConfig(" DHCP ", " 10.0.0.0/24 ", " 10.0.0.1 ", true))).network())
                .isEqualTo(new NetworkConfig("dhcp", "10.0.0.0/24", "10.0.0.1", true));
    }

    @Test
    void absent_optional_objects_stay_absent() {
        Manifest n = norm(Manifest.EMPTY);
        assertThat(n.cloudInit()).isNull();
        assertThat(n.network()).isNull();
        assertThat(n.devices()).isNull();
    }

    @Test
    void workload_entrypoint_drops_blank_arguments_and_env_drops_blank_keys() {
        Manifest n = norm(Manifest.EMPTY.withWorkload(new Workload(" http ", " http://h ",
                List.of(" /bin/app ", "", "  ", " -v "), Map.of(" K ", " v ", " ", "dropped", "E", ""), " / ")));
        assertThat(n.workload()).isEqualTo(new Workload("http", "http://h", List.of("/bin/app", "-v"),
                Map.of("K", "v", "E", ""), "/"));
    }

    @Test
    void env_keys_that_collapse_keep_the_already_trimmed_key() {
        Manifest n = norm(Manifest.EMPTY.withWorkload(new Workload("http", "", List.of(),
                Map.of(" A", "padded", "A", "exact", "A ", "other"), "")));
        assertThat(n.workload().env()).isEqualTo(Map.of("A", "exact"));
    }

    @Test
    void actions_are_trimmed_blank_names_dropped_and_an_empty_map_disappears() {
        Manifest n = norm(Manifest.EMPTY.withActions(Map.of(" stop ", new Action(" d ", " POST ", " /stop ", 3),
                " ", new Action("", "GET", "/x", 0))));
        assertThat(n.actions()).isEqualTo(Map.of("stop", new Action("d", "POST", "/stop", 3)));
        assertThat(norm(Manifest.EMPTY.withActions(Map.of("\t", Action.EMPTY))).actions()).isEmpty();
    }

    @Test
    void labels_force_plugin_and_runtime_and_trim_values_only() {
        Manifest n = norm(new Manifest("", "web", "1", "web-rt", null, null, null, "", "", null, null, null, null,
                null, null, null, false, "", Map.of(" team ", " core ", "volant.plugin", "spoofed")));
        assertThat(n.labels()).isEqualTo(Map.of(" team ", "core", "volant.plugin", "web", "volant.runtime", "web-rt"));
    }

    @Test
    void labels_of_a_nameless_manifest_stay_empty() {
        assertThat(norm(Manifest.EMPTY).labels()).isEmpty();
    }

    @Test
    void health_check_resources_devices_and_enabled_are_untouched() {
        Manifest m = new Manifest("", "n", "", "", null, null, null, "", "", new Resources(-1, 0), null,
                new HealthCheck(" /h ", -3), null, null, null, new DeviceConfig(List.of(" x "), List.of()), true, "", null);
        Manifest n = norm(m);
        assertThat(n.healthCheck()).isEqualTo(m.healthCheck());
        assertThat(n.resources()).isEqualTo(m.resources());
        assertThat(n.devices()).isEqualTo(m.devices());
        assertThat(n.enabled()).isTrue();
    }

    @Test
    void normalizing_twice_changes_nothing() {
        Manifest m = Manifests.parse(Fixtures.resource(Fixtures.NGINX));
        assertThat(norm(norm(m))).isEqualTo(norm(m));
    }
}
