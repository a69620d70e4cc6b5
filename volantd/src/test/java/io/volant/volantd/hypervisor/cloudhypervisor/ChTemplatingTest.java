package io.volant.volantd.hypervisor.cloudhypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.hypervisor.template.CloneException;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Hypervisor template hook ({@link ChTemplating}) against {@link FakeCloudHypervisor}: the template's argv
 * (identity channel on the console socket, {@code volant.template=1}), pause and snapshot after {@code warm}; a
 * clone's restore directory, rewritten config, argv, {@code vm.resume} and identity message; failures.
 */
class ChTemplatingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T04:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path runtime;
    FakeCloudHypervisor ch;
    ChTemplating templating;

    @BeforeEach
    void setUp() throws Exception {
        runtime = dir.resolve("run");
        Path kernel = dir.resolve("kernel/bzImage");
        Files.createDirectories(kernel.getParent());
        Files.write(kernel, new byte[4096]);
        Path initramfs = Files.writeString(dir.resolve("plugin.cpio.gz"), "plugin-initramfs");
        ch = new FakeCloudHypervisor(dir);
        // What CH writes, reduced to the members the clone rewrites or keeps.
        Files.writeString(ch.snapshotConfig(), """
                {"cpus":{"boot_vcpus":1},"memory":{"size":536870912},
                 "net":[{"tap":"vttap-web","mac":"02:f9:e8:54:fb:c4"}],
                 "serial":{"mode":"Socket","socket":"%1$s/templates/tpl-1.serial"},
                 "console":{"mode":"Socket","socket":"%1$s/templates/tpl-1.ident"},
                 "vsock":{"cid":3,"socket":"%1$s/templates/tpl-1.vsock"}}
                """.formatted(runtime));
        MediaStager stager = new MediaStager(new MediaSettings(kernel, dir.resolve("kernel/vmlinux"), null, null,
                null, null), new ArtifactStore(dir.resolve("cache"), List.of()));
        ChLauncher launcher = new ChLauncher(ch.bin().toString(), new HostEnv(runtime, dir.resolve("logs"), "",
                stager, null));
        templating = new ChTemplating(launcher, CLOCK);
        spec = Specs.acL1(initramfs.toString());
    }

    LaunchSpec spec;

    private LaunchSpec cloneSpec(String name, String tap, String mac, String ip) {
        return spec.toBuilder().name(name)
                .kernelCmdline(spec.kernelCmdline().replace("192.168.127.10", ip).replace(":web:", ":" + name + ":"))
                .tapDevice(tap).macAddress(mac).ipAddress(ip).vsockCid(4)
                .serialSocket(runtime.resolve(name + ".serial").toString()).build();
    }

    @Test
    void capture_boots_the_template_with_the_identity_console_then_pauses_and_snapshots_it_after_warm()
            throws Exception {
        TemplateImage image = templating.capture("tpl-1", spec, Duration.ofSeconds(30));

        Path t = runtime.resolve("templates");
        List<String> argv = ch.runs().getFirst();
        assertThat(argv).containsSequence("--api-socket", "path=" + t + "/tpl-1.sock")
                .containsSequence("--console", "socket=" + t + "/tpl-1.ident")
                .containsSequence("--net", "tap=vttap-web,mac=02:f9:e8:54:fb:c4");
        assertThat(argv.getLast()).contains(" volant.template=1").contains(" ip=192.168.127.10:");
        Path snapshot = t.resolve("tpl-1.snapshot");
        assertThat(ch.requests()).containsExactly("PUT /api/v1/vm.pause HTTP/1.1 ",
                "PUT /api/v1/vm.snapshot HTTP/1.1 {\"destination_url\":\"file://" + snapshot + "\"}");
        assertThat(image.ram()).isEqualTo(snapshot.resolve("memory-ranges")).isRegularFile();
        assertThat(image.state()).isEqualTo(snapshot.resolve("state.json")).isRegularFile();
        assertThat(image.backend()).isEqualTo("cloud-hypervisor");
        assertThat(image.spec().args()).containsEntry("volant.template", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(t.resolve("tpl-1.sock")));

        templating.discard(image);
        try (Stream<Path> left = Files.list(t)) {
            assertThat(left.map(p -> p.getFileName().toString())).isEmpty();
        }
    }

    @Test
    void a_clone_restores_from_a_rewritten_config_resumes_and_applies_its_identity() throws Exception {
        TemplateImage image = templating.capture("tpl-1", spec, Duration.ofSeconds(30));
        ch.forgetRequests();
        LaunchSpec clone = cloneSpec("web-2", "vttap-web-2", "02:00:00:00:00:02", "192.168.127.12");

        Instance vm = templating.clone(image, clone, Duration.ofSeconds(30));

        Path restore = runtime.resolve("web-2.restore");
        assertThat(ch.runs().getLast()).containsExactly("--api-socket", "path=" + runtime + "/web-2.sock",
                "--restore", "source_url=file://" + restore);
        assertThat(ch.requests()).containsExactly("PUT /api/v1/vm.resume HTTP/1.1 ");
        JsonNode config = JSON.readTree(restore.resolve("config.json").toFile());
        assertThat(config.at("/net/0/tap").asText()).isEqualTo("vttap-web-2");
        assertThat(config.at("/net/0/mac").asText()).as("guest-visible, stays").isEqualTo("02:f9:e8:54:fb:c4");
        assertThat(config.at("/serial/socket").asText()).isEqualTo(runtime + "/web-2.serial");
        assertThat(config.at("/console/socket").asText()).isEqualTo(runtime + "/web-2.ident");
        assertThat(config.at("/vsock/socket").asText()).isEqualTo(runtime + "/web-2.vsock");
        assertThat(config.at("/vsock/cid").asInt()).isEqualTo(3);
        assertThat(restore.resolve("memory-ranges")).hasSameTextualContentAs(image.ram());
        JsonNode identity = JSON.readTree(ch.identities().getFirst());
        assertThat(identity.path("type").asText()).isEqualTo("identity");
        assertThat(identity.path("mac").asText()).isEqualTo("02:00:00:00:00:02");
        assertThat(identity.path("hostname").asText()).isEqualTo("web-2");
        assertThat(identity.path("cmdline").asText()).contains("ip=192.168.127.12:").doesNotContain("volant.template");
        assertThat(identity.path("time_unix_ms").asLong()).isEqualTo(CLOCK.millis());

        vm.stop(Duration.ZERO);
        assertThat(vm.exit().get(10, TimeUnit.SECONDS).requested()).isTrue();
        assertThat(restore).doesNotExist();
        templating.discard(image);
    }

    @Test
    void a_clone_that_reports_failed_is_stopped_and_leaves_no_file() throws Exception {
        TemplateImage image = templating.capture("tpl-1", spec, Duration.ofSeconds(30));
        ch.fail("identity");
        LaunchSpec clone = cloneSpec("web-3", "vttap-web-3", "02:00:00:00:00:03", "192.168.127.13");

        assertThatThrownBy(() -> templating.clone(image, clone, Duration.ofSeconds(30)))
                .isInstanceOf(CloneException.class)
                .hasMessage("clone web-3 failed to apply its identity: no eth0");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(runtime)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("templates");
            }
        });
        templating.discard(image);
    }

    @Test
    void a_failed_snapshot_leaves_no_template_file_and_no_process() throws Exception {
        ch.fail("vm.snapshot");
        assertThatThrownBy(() -> templating.capture("tpl-1", spec, Duration.ofSeconds(30)))
                .hasMessage("cloudhypervisor: vm.snapshot: status 500");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(runtime.resolve("templates"))) {
                assertThat(left.map(p -> p.getFileName().toString())).isEmpty();
            }
        });
    }

    @Test
    void specs_clones_cannot_share_are_refused_with_the_reason() {
        assertThat(templating.unsupported(spec)).isEmpty();
        assertThat(templating.unsupported(Specs.with(spec, "", "", List.of(), null, List.of(), spec.args())))
                .contains("cloud-hypervisor clones need a tap network");
        assertThat(templating.unsupported(Specs.with(spec, "vttap-web", "/images/root.img", List.of(), null,
                List.of(), spec.args()))).contains("clones would share a writable disk");
        assertThat(templating.unsupported(Specs.with(spec, "vttap-web", "", List.of(),
                new LaunchSpec.Disk("seed", "/run/seed.img", "", "raw", true), List.of(), spec.args())))
                .contains("the cloud-init seed is a per-VM disk");
        assertThat(templating.unsupported(Specs.with(spec, "vttap-web", "", List.of(), null,
                List.of("/sys/bus/pci/devices/0000:01:00.0"), spec.args())))
                .contains("cloud-hypervisor snapshots leave VFIO devices out");
    }
}
