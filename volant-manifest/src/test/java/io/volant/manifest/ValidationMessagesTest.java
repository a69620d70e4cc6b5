package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per message of plugins-and-guest.md §1.5 (and the Chosen rules), asserting the exact text. */
class ValidationMessagesTest {
    private static final Manifest OK = Fixtures.valid();

    private static void rejected(Manifest m, String message) {
        assertThatThrownBy(() -> Manifests.validate(m)).isInstanceOf(ManifestException.class).hasMessage(message);
    }

    private static Manifest workload(Function<Workload, Workload> change) {
        return OK.withWorkload(change.apply(OK.workload()));
    }

    private static Workload wl(String type, String baseUrl, List<String> entrypoint) {
        return new Workload(type, baseUrl, entrypoint, Map.of(), "");
    }

    @Test
    void the_fixture_itself_is_valid() {
        assertThatCode(() -> Manifests.validate(OK)).doesNotThrowAnyException();
    }

    @Test
    void blank_name_is_refused() {
        rejected(new Manifest("", "  ", "1", "rt", null, OK.initramfs(), null, "", "", OK.resources(), null, null,
                OK.workload(), null, null, null, false, "", null), "plugin manifest: name required");
    }

    @Test
    void blank_version_is_refused() {
        rejected(new Manifest("", "web", " \t", "", null, OK.initramfs(), null, "", "", OK.resources(), null, null,
                OK.workload(), null, null, null, false, "", null), "plugin manifest: version required");
    }

    @Test
    void runtime_required_is_checked_on_the_normalized_form() {
        // After normalization an empty runtime is a copy of the (required) name, so only a non-normalized
        // manifest handed to the checker itself can reach this rule.
        Manifest m = new Manifest("", "web", "1", "", null, OK.initramfs(), null, "", "", OK.resources(), null, null,
                OK.workload(), null, null, null, false, "", null);
        assertThatThrownBy(() -> Validator.check(m)).hasMessage("plugin manifest: runtime required");
        assertThatCode(() -> Manifests.validate(m)).doesNotThrowAnyException();
    }

    @Test
    void zero_cpu_cores_is_refused() {
        rejected(OK.withResources(new Resources(0, 256)), "plugin manifest: cpu_cores must be > 0");
    }

    @Test
    void negative_memory_is_refused() {
        rejected(OK.withResources(new Resources(2, -1)), "plugin manifest: memory_mb must be > 0");
    }

    @Test
    void action_without_method_is_refused() {
        rejected(OK.withActions(Map.of("restart", new Action("", " ", "/restart", 0))),
                "plugin manifest: action restart missing method");
    }

    @Test
    void action_without_path_is_refused() {
        rejected(OK.withActions(Map.of("restart", new Action("", "POST", "", 0))),
                "plugin manifest: action restart missing path");
    }

    @Test
    void actions_are_checked_in_sorted_name_order() {
        Map<String, Action> actions = new TreeMap<>(java.util.Comparator.reverseOrder());
        actions.put("zeta", new Action("", "", "/z", 0));
        actions.put("alpha", new Action("", "GET", "", 0));
        actions.put("mid", new Action("", "", "", 0));
        rejected(OK.withActions(actions), "plugin manifest: action alpha missing path");
    }

    @Test
    void empty_workload_type_is_refused() {
        rejected(workload(w -> wl(" ", w.baseUrl(), w.entrypoint())), "plugin manifest: workload type required");
    }

    @Test
    void non_http_workload_type_is_refused_with_the_type_quoted() {
        rejected(workload(w -> wl("grpc", w.baseUrl(), w.entrypoint())),
                "plugin manifest: workload type \"grpc\" not supported");
    }

    @Test
    void workload_type_is_quoted_like_go_percent_q() {
        rejected(workload(w -> wl("a\"b\u0001\u00a0c", w.baseUrl(), w.entrypoint())),
                "plugin manifest: workload type \"a\\\"b\\x01\\u00a0c\" not supported");
    }

    @Test
    void workload_type_http_is_case_insensitive() {
        assertThatCode(() -> Manifests.validate(workload(w -> wl("HTTP", w.baseUrl(), w.entrypoint()))))
                .doesNotThrowAnyException();
    }

    @Test
    void missing_base_url_is_refused() {
        rejected(workload(w -> wl("http", "", w.entrypoint())),
                "plugin manifest: workload.base_url required for http workload");
    }

    @Test
    void base_url_with_another_scheme_is_refused() {
        rejected(workload(w -> wl("http", "ftp://127.0.0.1/", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: scheme \"ftp\" not supported (want http or https)");
    }

    @Test
    void relative_base_url_is_refused() {
        rejected(workload(w -> wl("http", "127.0.0.1:80", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: \"127.0.0.1:80\" is not an absolute URL (want http:// or https://)");
        rejected(workload(w -> wl("http", "/api", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: \"/api\" is not an absolute URL (want http:// or https://)");
    }

    @Test
    void base_url_without_host_is_refused() {
        rejected(workload(w -> wl("http", "http:///x", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: \"http:///x\" has no host");
        rejected(workload(w -> wl("http", "http://?q=1", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: \"http://?q=1\" has no host");
    }

    @Test
    void base_url_with_an_invalid_host_is_refused() {
        rejected(workload(w -> wl("http", "http://bad_host:80", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: \"http://bad_host:80\" has no valid host[:port]");
    }

    @Test
    void base_url_with_a_port_out_of_range_is_refused() {
        rejected(workload(w -> wl("http", "http://127.0.0.1:65536", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: port 65536 out of range in \"http://127.0.0.1:65536\"");
    }

    @Test
    void unparsable_base_url_is_refused_with_the_parse_error() {
        rejected(workload(w -> wl("http", "http://a b/", w.entrypoint())),
                "plugin manifest: workload.base_url invalid: parse \"http://a b/\": Illegal character in authority at index 8");
    }

    @Test
    void https_base_url_with_path_is_accepted() {
        assertThatCode(() -> Manifests.validate(workload(w -> wl("http", "HTTPS://[::1]:8443/base?x=1", w.entrypoint()))))
                .doesNotThrowAnyException();
    }

    @Test
    void missing_entrypoint_is_refused() {
        rejected(workload(w -> wl("http", w.baseUrl(), List.of(" ", ""))),
                "plugin manifest: workload.entrypoint required for http workload");
    }

    @Test
    void relative_rootfs_url_is_refused() {
        rejected(OK.withRootfs(new RootFs("images/web.img", "", "")),
                "plugin manifest: rootfs url must be http(s), file://, or absolute path");
    }

    @Test
    void file_url_with_relative_path_is_refused() {
        rejected(OK.withRootfs(new RootFs("file://web.img", "", "")),
                "plugin manifest: rootfs url must be http(s), file://, or absolute path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5:0123", "abc", "sha512:" + Fixtures.SHA, "sha256:" + Fixtures.SHA + "0",
            "0123456789abcdef0123456789abcdef", "sha256:zz98f" + "0000000000000000000000000000000000000000000000000000000000"})
    void malformed_rootfs_checksum_is_refused(String checksum) {
        rejected(OK.withRootfs(new RootFs("/img/web.img", checksum, "")),
                "plugin manifest: rootfs checksum should include algorithm prefix or be a sha256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", Fixtures.SHA, "sha256:" + Fixtures.SHA, "SHA256:DEBA6998B5852A4FBDC07F47B52BE03FE1479233F9F12775D6C9A14705139BA7"})
    void well_formed_rootfs_checksums_are_accepted(String checksum) {
        assertThatCode(() -> Manifests.validate(OK.withRootfs(new RootFs("/img/web.img", checksum, ""))))
                .doesNotThrowAnyException();
    }

    @Test
    void unknown_rootfs_format_is_refused() {
        rejected(OK.withRootfs(new RootFs("https://h/web.img", "", " VMDK ")),
                "plugin manifest: rootfs format \"vmdk\" not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2", "ext4", "XFS", "btrfs", "squashfs", ""})
    void container_and_file_system_rootfs_formats_are_accepted(String format) {
        assertThatCode(() -> Manifests.validate(OK.withRootfs(new RootFs("file:///img/web%201.img", "", format))))
                .doesNotThrowAnyException();
    }

    @Test
    void invalid_initramfs_url_is_refused() {
        rejected(OK.withInitramfs(new Initramfs("ftp://h/i.cpio", "")),
                "plugin manifest: initramfs url must be http(s), file://, or absolute path");
    }

    @Test
    void malformed_initramfs_checksum_is_refused() {
        rejected(OK.withInitramfs(new Initramfs("https://h/i.cpio", "sha1:abcdef")),
                "plugin manifest: initramfs checksum should include algorithm prefix or be a sha256");
    }

    @Test
    void manifest_without_boot_medium_is_refused() {
        rejected(OK.withInitramfs(new Initramfs("  ", Fixtures.SHA)),
                "plugin manifest: at least one of rootfs.url or initramfs.url must be set");
    }

    @Test
    void hybrid_manifest_with_both_media_is_accepted() {
        assertThatCode(() -> Manifests.validate(OK.withRootfs(new RootFs("/img/root.img", "", "ext4"))))
                .doesNotThrowAnyException();
    }

    @Test
    void disk_without_name_is_refused() {
        rejected(OK.withDisks(List.of(new Disk(" ", "/d.img", "", "", false, ""))), "plugin manifest: disk name required");
    }

    @Test
    void disk_without_source_is_refused() {
        rejected(OK.withDisks(List.of(new Disk("data", "", "", "", false, ""))),
                "plugin manifest: disk data: source required");
    }

    @Test
    void disk_with_unknown_format_is_refused() {
        rejected(OK.withDisks(List.of(new Disk("data", "/d.img", "", "Ext4", false, ""))),
                "plugin manifest: disk data: unsupported format \"ext4\"");
    }

    @Test
    void disk_with_malformed_checksum_is_refused() {
        rejected(OK.withDisks(List.of(new Disk("data", "/d.img", "crc32:1234", "qcow2", true, ""))),
                "plugin manifest: disk data: checksum should include algorithm prefix or be a sha256");
    }

    @Test
    void disks_are_checked_in_array_order() {
        rejected(OK.withDisks(List.of(new Disk("a", "/a.img", "", "raw", false, ""), new Disk("b", "", "", "", false, ""),
                new Disk("", "", "", "", false, ""))), "plugin manifest: disk b: source required");
    }

    @Test
    void cloud_init_datasource_required_is_checked_on_the_normalized_form() {
        // Normalization defaults the datasource to NoCloud; the rule only fires for a non-normalized input.
        Manifest m = Manifests.normalize(OK).withCloudInit(new CloudInit("", "vfat", null, null, null));
        assertThatThrownBy(() -> Validator.check(m)).hasMessage("plugin manifest: cloud_init: datasource required");
        assertThatCode(() -> Manifests.validate(m)).doesNotThrowAnyException();
    }

    @Test
    void cloud_init_seed_mode_other_than_vfat_is_refused() {
        rejected(OK.withCloudInit(new CloudInit("", " ISO9660", null, null, null)),
                "plugin manifest: cloud_init: unsupported seed_mode \"iso9660\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_data", "meta_data", "network_config"})
    void cloud_init_doc_with_content_and_path_is_refused(String field) {
        rejected(OK.withCloudInit(cloudInit(field, new CloudInitDoc(true, "#cloud-config", "/etc/u.yaml"))),
                "plugin manifest: cloud_init." + field + ": content and path cannot both be set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_data", "meta_data", "network_config"})
    void cloud_init_doc_with_content_must_be_inline(String field) {
        rejected(OK.withCloudInit(cloudInit(field, new CloudInitDoc(false, "#cloud-config", ""))),
                "plugin manifest: cloud_init." + field + ": inline must be true when content provided");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_data", "meta_data", "network_config"})
    void cloud_init_doc_with_path_must_not_be_inline(String field) {
        rejected(OK.withCloudInit(cloudInit(field, new CloudInitDoc(true, "", "/etc/u.yaml"))),
                "plugin manifest: cloud_init." + field + ": inline must be false when path provided");
    }

    @Test
    void cloud_init_docs_are_checked_user_meta_network() {
        CloudInitDoc bad = new CloudInitDoc(false, "x", "");
        rejected(OK.withCloudInit(new CloudInit("", "", null, bad, bad)),
                "plugin manifest: cloud_init.meta_data: inline must be true when content provided");
    }

    private static CloudInit cloudInit(String field, CloudInitDoc doc) {
        return switch (field) {
            case "user_data" -> new CloudInit("NoCloud", "vfat", doc, null, null);
            case "meta_data" -> new CloudInit("NoCloud", "vfat", null, doc, null);
            default -> new CloudInit("NoCloud", "vfat", null, null, doc);
        };
    }

    @Test
    void unknown_network_mode_is_refused() {
        rejected(OK.withNetwork(new NetworkConfig(" NAT ", "", "", false)),
                "plugin manifest: network: unsupported mode \"nat\" (must be vsock, bridged, or dhcp)");
    }

    @Test
    void empty_network_mode_is_refused() {
        rejected(OK.withNetwork(new NetworkConfig("", "", "", false)),
                "plugin manifest: network: unsupported mode \"\" (must be vsock, bridged, or dhcp)");
    }

    @Test
    void bridged_subnet_without_gateway_or_auto_assign_is_refused() {
        rejected(OK.withNetwork(new NetworkConfig("Bridged", "10.1.0.0/24", " ", false)),
                "plugin manifest: network: bridged mode with subnet requires gateway or auto_assign");
    }

    @Test
    void bridged_subnet_with_gateway_or_auto_assign_is_accepted() {
        assertThatCode(() -> Manifests.validate(OK.withNetwork(new NetworkConfig("bridged", "10.1.0.0/24", "10.1.0.1", false))))
                .doesNotThrowAnyException();
        assertThatCode(() -> Manifests.validate(OK.withNetwork(new NetworkConfig("bridged", "10.1.0.0/24", "", true))))
                .doesNotThrowAnyException();
    }

    @Test
    void first_failure_wins() {
        Manifest broken = new Manifest("", "web", "", "", new RootFs("rel", "x", "vmdk"), null, null, "", "",
                new Resources(0, 0), null, null, null, null, new NetworkConfig("x", "", "", false), null, false, "", null);
        rejected(broken, "plugin manifest: version required");
    }

    @Test
    void devices_labels_health_check_and_openapi_are_not_validated() {
        Manifest m = new Manifest("", "web", "1", "", null, OK.initramfs(), null, "not an image", "?", OK.resources(),
                null, new HealthCheck("no-slash", -5), OK.workload(), null, null,
                new DeviceConfig(List.of("junk"), List.of("*")), false, "relative/openapi.json", Map.of(" k ", " v "));
        assertThatCode(() -> Manifests.validate(m)).doesNotThrowAnyException();
    }
}
