package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON conventions of plugins-and-guest.md §1.1-§1.3: zero values, always-present and omitted members, order. */
class SerializationTest {

    private static JsonNode tree(Manifest m) throws Exception {
        return Manifests.mapper().readTree(Manifests.toCompactJson(m));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void empty_manifest_serializes_exactly_the_always_present_members() throws Exception {
        assertThat(Manifests.toCompactJson(Manifest.EMPTY)).isEqualTo("{\"schema_version\":\"\",\"name\":\"\","
                + "\"version\":\"\",\"runtime\":\"\",\"rootfs\":{\"url\":\"\"},\"initramfs\":{\"url\":\"\"},"
                + "\"resources\":{\"cpu_cores\":0,\"memory_mb\":0},\"health_check\":{\"endpoint\":\"\",\"timeout_ms\":0},"
                + "\"workload\":{\"type\":\"\"},\"enabled\":false}");
    }

    @Test
    void nested_always_present_members_appear_even_when_zero() throws Exception {
        Manifest m = Manifest.EMPTY
                .withDisks(List.of(Disk.EMPTY))
                .withActions(Map.of("a", Action.EMPTY))
                .withNetwork(new NetworkConfig("", "", "", false));
        JsonNode t = tree(m);
        assertThat(names(t.get("disks").get(0))).containsExactly("readonly");
        assertThat(names(t.get("actions").get("a"))).containsExactly("description", "method", "path", "timeout_ms");
        assertThat(names(t.get("network"))).containsExactly("mode");
    }

    @Test
    void optional_members_are_omitted_when_empty_or_zero() throws Exception {
        Manifest m = new Manifest("", "", "", "", new RootFs("", "", ""), new Initramfs("", ""), List.of(), "", "",
                Resources.EMPTY, Map.of(), HealthCheck.EMPTY, new Workload("", "", List.of(), Map.of(), ""), null,
                null, null, false, "", Map.of());
        JsonNode t = tree(m);
        assertThat(names(t)).doesNotContain("disks", "image", "image_digest", "actions", "cloud_init", "network",
                "devices", "openapi", "labels");
        assertThat(names(t.get("rootfs"))).containsExactly("url");
        assertThat(names(t.get("initramfs"))).containsExactly("url");
        assertThat(names(t.get("workload"))).containsExactly("type");
    }

    @Test
    void every_member_is_written_in_declaration_order_when_set() throws Exception {
        Manifest m = new Manifest("1.0", "n", "v", "r", new RootFs("/r", Fixtures.SHA, "raw"),
                new Initramfs("/i", Fixtures.SHA), List.of(new Disk("d", "/d", Fixtures.SHA, "qcow2", true, "vdb")),
                "img", "sha256:x", new Resources(1, 2), Map.of("x", new Action("d", "GET", "/x", 5)),
                new HealthCheck("/h", 7), new Workload("http", "http://h", List.of("a"), Map.of("K", "V"), "/w"),
                new CloudInit("NoCloud", "vfat", CloudInitDoc.inline("u"), CloudInitDoc.file("/m"),
                        new CloudInitDoc(true, "n", "")),
                new NetworkConfig("bridged", "10.0.0.0/24", "10.0.0.1", true),
                new DeviceConfig(List.of("0000:01:00.0"), List.of("10de:*")), true, "/openapi.json", Map.of("k", "v"));
        JsonNode t = tree(m);
        assertThat(names(t)).containsExactly("schema_version", "name", "version", "runtime", "rootfs", "initramfs",
                "disks", "image", "image_digest", "resources", "actions", "health_check", "workload", "cloud_init",
                "network", "devices", "enabled", "openapi", "labels");
        assertThat(names(t.get("rootfs"))).containsExactly("url", "checksum", "format");
        assertThat(names(t.get("disks").get(0))).containsExactly("name", "source", "checksum", "format", "readonly",
                "target");
        assertThat(names(t.get("workload"))).containsExactly("type", "base_url", "entrypoint", "env", "workdir");
        assertThat(names(t.get("cloud_init"))).containsExactly("datasource", "seed_mode", "user_data", "meta_data",
                "network_config");
        assertThat(names(t.get("cloud_init").get("meta_data"))).containsExactly("path");
        assertThat(names(t.get("network"))).containsExactly("mode", "subnet", "gateway", "auto_assign");
        assertThat(names(t.get("devices"))).containsExactly("pci_passthrough", "allowlist");
        assertThat(Manifests.parse(Manifests.toJson(m))).isEqualTo(m);
    }

    @Test
    void maps_serialize_with_sorted_keys_whatever_the_input_order() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("Z", "1");
        env.put("A", "2");
        env.put("m", "3");
        Manifest m = Manifest.EMPTY.withWorkload(new Workload("http", "", List.of(), env, ""));
        assertThat(Manifests.toCompactJson(m)).contains("\"env\":{\"A\":\"2\",\"Z\":\"1\",\"m\":\"3\"}");
    }

    @Test
    void equal_manifests_give_identical_bytes() {
        Manifest a = Manifests.parse("{\"name\":\"x\",\"labels\":{\"b\":\"1\",\"a\":\"2\"},\"actions\":{\"z\":{},\"y\":{}}}");
        Manifest b = Manifests.parse("{\"actions\":{\"y\":{},\"z\":{}},\"labels\":{\"a\":\"2\",\"b\":\"1\"},\"name\":\"x\"}");
        assertThat(Manifests.toJson(a)).isEqualTo(Manifests.toJson(b));
    }

    @Test
    void pretty_json_uses_two_space_indent_and_go_style_colons() {
        String json = Manifests.toJson(Manifest.EMPTY.withResources(new Resources(1, 2)));
        assertThat(json).startsWith("{\n  \"schema_version\": \"\",\n  \"name\": \"\",")
                .contains("\"resources\": {\n    \"cpu_cores\": 1,\n    \"memory_mb\": 2\n  },");
    }

    @Test
    void absent_members_take_zero_values_and_nothing_is_null() {
        Manifest m = Manifests.parse("{}");
        assertThat(m).isEqualTo(Manifest.EMPTY);
        assertThat(m.rootfs()).isEqualTo(RootFs.EMPTY);
        assertThat(m.workload().entrypoint()).isEmpty();
        assertThat(m.workload().env()).isEmpty();
        assertThat(m.labels()).isEmpty();
        assertThat(m.cloudInit()).isNull();
        assertThat(m.network()).isNull();
        assertThat(m.devices()).isNull();
    }

    @Test
    void explicit_nulls_read_as_zero_values() {
        Manifest m = Manifests.parse("{\"name\":null,\"rootfs\":null,\"disks\":[null],\"resources\":{\"cpu_cores\":null},"
                + "\"workload\":{\"entrypoint\":[null,\"a\"],\"env\":{\"K\":null}},\"actions\":{\"a\":null}}");
        assertThat(m.name()).isEmpty();
        assertThat(m.rootfs()).isEqualTo(RootFs.EMPTY);
        assertThat(m.disks()).containsExactly(Disk.EMPTY);
        assertThat(m.resources().cpuCores()).isZero();
        assertThat(m.workload().entrypoint()).containsExactly("", "a");
        assertThat(m.workload().env()).containsEntry("K", "");
        assertThat(m.actions()).containsEntry("a", Action.EMPTY);
    }

    @Test
    void unknown_members_are_ignored() {
        Manifest m = Manifests.parse("{\"$schema\":\"https://x\",\"name\":\"n\",\"env\":{\"A\":\"1\"},"
                + "\"initramfs\":{\"url\":\"/i\",\"format\":\"cpio.gz\"},\"workload\":{\"args\":[\"x\"]},"
                + "\"network\":{\"mode\":\"bridged\",\"expose\":[{\"port\":80}]}}");
        assertThat(m.name()).isEqualTo("n");
        assertThat(m.initramfs()).isEqualTo(new Initramfs("/i", ""));
        assertThat(m.network()).isEqualTo(new NetworkConfig("bridged", "", "", false));
    }

    @Test
    void collections_are_immutable() {
        Manifest m = Manifests.parse("{\"workload\":{\"entrypoint\":[\"a\"],\"env\":{\"K\":\"v\"}},\"labels\":{\"l\":\"1\"}}");
        assertThatThrownBy(() -> m.workload().entrypoint().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.workload().env().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.labels().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void vfio_is_read_as_an_alias_of_pci_passthrough_and_written_as_pci_passthrough() {
        Manifest m = Manifests.parse("{\"devices\":{\"vfio\":[\"0000:01:00.0\"]}}");
        assertThat(m.devices().pciPassthrough()).containsExactly("0000:01:00.0");
        assertThat(Manifests.toCompactJson(m)).contains("\"devices\":{\"pci_passthrough\":[\"0000:01:00.0\"]}");
    }

    @Test
    void wrong_json_types_are_refused_naming_the_member() {
        assertThatThrownBy(() -> Manifests.parse("{\"resources\":{\"cpu_cores\":\"2\"}}"))
                .isInstanceOf(ManifestException.class)
                .hasMessage("plugin manifest: invalid JSON at resources.cpu_cores: expected an integer");
        assertThatThrownBy(() -> Manifests.parse("{\"resources\":{\"memory_mb\":1.5}}"))
                .hasMessage("plugin manifest: invalid JSON at resources.memory_mb: expected an integer");
        assertThatThrownBy(() -> Manifests.parse("{\"name\":5}"))
                .hasMessage("plugin manifest: invalid JSON at name: expected a string");
        assertThatThrownBy(() -> Manifests.parse("{\"workload\":{\"entrypoint\":[\"a\",true]}}"))
                .hasMessage("plugin manifest: invalid JSON at workload.entrypoint[1]: expected a string");
        assertThatThrownBy(() -> Manifests.parse("{\"enabled\":\"yes\"}"))
                .hasMessage("plugin manifest: invalid JSON at enabled: expected true or false");
    }

    @Test
    void non_object_documents_are_refused() {
        assertThatThrownBy(() -> Manifests.parse("null")).isInstanceOf(ManifestException.class)
                .hasMessage("plugin manifest: document must be a JSON object, not null");
        assertThatThrownBy(() -> Manifests.parse("[]")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("expected an object");
        assertThatThrownBy(() -> Manifests.parse("")).isInstanceOf(ManifestException.class)
                .hasMessage("plugin manifest: document is empty");
        assertThatThrownBy(() -> Manifests.parse("{} {}")).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("plugin manifest: invalid JSON at line 1 column");
        assertThatThrownBy(() -> Manifests.parse("{\"name\":\"x\"")).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("plugin manifest: invalid JSON");
    }

    @Test
    void oversized_documents_are_refused_with_size_and_limit() {
        byte[] big = new byte[Manifests.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> Manifests.parse(new java.io.ByteArrayInputStream(big)))
                .hasMessage("plugin manifest: document is 4194305 bytes, limit 4194304");
    }

    @Test
    void lone_surrogates_from_json_escapes_become_replacement_characters() {
        Manifest m = Manifests.parse("{\"name\":\"a\\ud800b\"}");
        assertThat(m.name()).isEqualTo("a\uFFFDb");
        assertThat(Manifests.parse(Manifests.toCompactJson(m))).isEqualTo(m);
    }

    @Test
    void cloud_init_content_is_not_printed_by_to_string() {
        Manifest m = Manifest.EMPTY.withCloudInit(new CloudInit("", "", CloudInitDoc.inline("password: hunter2"), null, null))
                .withWorkload(new Workload("http", "", List.of(), Map.of("TOKEN", "s3cret"), ""));
        assertThat(m.toString()).doesNotContain("hunter2").doesNotContain("s3cret").contains("TOKEN");
    }

    record OtherDto(String vmName, int cpuCores, Map<String, Integer> byKey) {}

    @Test
    void the_shared_mapper_gives_other_modules_the_same_conventions() throws Exception {
        String json = Manifests.mapper().writeValueAsString(new OtherDto("web-1", 2, Map.of("b", 1, "a", 2)));
        assertThat(json).isEqualTo("{\"vm_name\":\"web-1\",\"cpu_cores\":2,\"by_key\":{\"a\":2,\"b\":1}}");
        assertThat(Manifests.mapper().readValue("{\"vm_name\":\"x\",\"unknown\":1}", OtherDto.class).vmName()).isEqualTo("x");
    }
}
