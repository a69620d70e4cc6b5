package io.volant.fledge.initramfs;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.testing.Fixtures;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initramfs builds through the CLI, in-process, with FAKE init/agent/busybox fixtures. */
class InitramfsBuildTest {
    @TempDir Path dir;
    Path project;
    Path tempRoot;
    Fixtures.Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        project = dir.resolve("my project");
        tempRoot = dir.resolve("tmp");
        Files.createDirectories(tempRoot);
        Path busybox = Fixtures.fakeBusybox(dir);
        write(project.resolve("fledge.toml"), """
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "%s"
                [mappings]
                "payload/index.html" = "/var/www/index.html"
                "payload/tool" = "/usr/bin/tool"
                """.formatted(busybox.toUri()));
        write(project.resolve("manifest.toml"), """
                name = "httpd"
                version = "0.1.0"
                runtime = "httpd"
                [workload]
                entrypoint = "/bin/busybox"
                args = ["httpd", "-f", "-p", "80", "-h", "/var/www"]
                [[network.expose]]
                port = 80
                """);
        write(project.resolve("payload/index.html"), "Hello from a Volant microVM!\n", 0600);
        write(project.resolve("payload/tool"), "tool", 0644);
        cli = new Fixtures.Cli(dir, tempRoot);
        cli.vars.put("FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString());
        cli.vars.put("FLEDGE_AGENT_BUNDLE", Fixtures.fakeBundle(dir).toString());
    }

    static Map<String, CpioArchiveEntry> entries(Path archive, Map<String, byte[]> contents) throws Exception {
        Map<String, CpioArchiveEntry> out = new LinkedHashMap<>();
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(archive));
             CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextEntry()) != null) {
                out.put(e.getName(), e);
                contents.put(e.getName(), cpio.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void two_builds_of_the_same_config_are_byte_identical() throws Exception {
        assertThat(cli.run("build", "-c", "my project/fledge.toml", "-o", "a/plugin.cpio.gz")).isZero();
        // Touch the inputs: host times must not leak into the archive.
        Files.setLastModifiedTime(project.resolve("payload/tool"), java.nio.file.attribute.FileTime.fromMillis(1));
        assertThat(cli.run("build", "-c", "my project/fledge.toml", "-o", "b/plugin.cpio.gz")).isZero();
        assertThat(io.volant.manifest.Checksums.sha256Hex(dir.resolve("a/plugin.cpio.gz")))
                .isEqualTo(io.volant.manifest.Checksums.sha256Hex(dir.resolve("b/plugin.cpio.gz")));
        byte[] gz = Files.readAllBytes(dir.resolve("a/plugin.cpio.gz"));
        assertThat(gz[3] & 0x08).as("no FNAME").isZero();
        assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).as("mtime 0").containsOnly(0);
    }

    @Test
    void embed_agent_copies_the_bundle_into_the_image() throws Exception {
        assertThat(cli.run("build", "-c", "my project/fledge.toml", "--embed-agent")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, CpioArchiveEntry> e = entries(dir.resolve("plugin.cpio.gz"), contents);

        assertThat(e).containsKeys("opt/volant/agent/bin/kestrel", "opt/volant/agent/kestrel.argv");
        assertThat(new String(contents.get("bin/kestrel"))).isEqualTo("/opt/volant/agent/bin/kestrel");
    }

    @Test
    void fledge_embed_agent_in_the_environment_embeds_it_too() throws Exception {
        cli.vars.put("FLEDGE_EMBED_AGENT", "1");
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();

        assertThat(entries(dir.resolve("plugin.cpio.gz"), new LinkedHashMap<>()))
                .containsKey("opt/volant/agent/kestrel.argv");
    }

    @Test
    void without_embedding_no_agent_bundle_is_needed_to_build() throws Exception {
        cli.vars.remove("FLEDGE_AGENT_BUNDLE");
        cli.vars.put("FLEDGE_HOME", dir.resolve("no-such-checkout").toString());

        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("agent not embedded");
        assertThat(cli.run("build", "-c", "my project/fledge.toml", "--embed-agent")).isEqualTo(1);
        assertThat(cli.err()).contains("agent bundle not found");
    }

    @Test
    void the_archive_is_sorted_root_owned_with_fixed_times_links_console_init_and_agent() throws Exception {
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, CpioArchiveEntry> e = entries(dir.resolve("plugin.cpio.gz"), contents);
        assertThat(new java.util.ArrayList<>(e.keySet())).isSorted().noneMatch(n -> n.startsWith("./") || n.startsWith("/"));
        assertThat(e.values()).allSatisfy(x -> {
            assertThat(x.getUID()).isZero();
            assertThat(x.getGID()).isZero();
            assertThat(x.getTime()).isEqualTo(CpioWriter.MTIME);
        });
        assertThat(e.get("dev/console").isCharacterDevice()).isTrue();
        assertThat(e.get("dev/console").getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(e.get("dev/console").getRemoteDeviceMin()).isEqualTo(1);
        assertThat(e.get("dev/console").getMode() & 07777).isEqualTo(0600);
        assertThat(new String(contents.get("init"))).contains("FAKE-INIT-FIXTURE");
        assertThat(e.get("init").getMode() & 0777).isEqualTo(0755);
        assertThat(e.get("bin/kestrel").isSymbolicLink()).isTrue();
        assertThat(new String(contents.get("bin/kestrel"))).isEqualTo("/opt/volant/agent/bin/kestrel");
        assertThat(e.get("opt/volant/agent").isDirectory()).as("the agent disk's mount point").isTrue();
        assertThat(e.keySet()).as("the bundle comes from volantd's agent disk")
                .noneMatch(n -> n.startsWith("opt/volant/agent/"));
        assertThat(e.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(new String(contents.get("bin/sh"))).isEqualTo("busybox");
        assertThat(e.get("var/www/index.html").getMode() & 0777).isEqualTo(0644);
        assertThat(e.get("usr/bin/tool").getMode() & 0777).isEqualTo(0755);
        for (String d : InitramfsBuilder.DIRS) {
            assertThat(e.get(d.substring(1)).isDirectory()).as(d).isTrue();
        }
    }

    @Test
    void the_generated_manifest_is_installable_and_matches_the_artifact() throws Exception {
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).isZero();
        Path artifact = dir.resolve("plugin.cpio.gz");
        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("plugin.cpio.gz.manifest.json")));
        Manifests.validate(Manifests.normalize(m));
        assertThat(m.initramfs().url()).isEqualTo(artifact.toUri().toString()).startsWith("file:///");
        assertThat(m.initramfs().checksum()).isEqualTo("sha256:" + io.volant.manifest.Checksums.sha256Hex(artifact));
        assertThat(m.workload().entrypoint()).containsExactly("/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/var/www");
        assertThat(m.workload().baseUrl()).isEqualTo("http://127.0.0.1:80");
        assertThat(m.healthCheck().endpoint()).isEqualTo("/");
        assertThat(m.enabled()).isTrue();
        assertThat(Files.readString(dir.resolve("plugin.cpio.gz.manifest.json"))).startsWith("{\n  \"schema_version\"");
    }

    @Test
    void without_a_template_the_name_comes_from_the_config_directory() throws Exception {
        Files.delete(project.resolve("manifest.toml"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).isZero();
        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("plugin.cpio.gz.manifest.json")));
        assertThat(m.name()).isEqualTo("my-project");
        assertThat(m.version()).isEqualTo("1.0.0");
        assertThat(cli.out()).contains("manifest template not found").contains("missing=workload.base_url,workload.entrypoint");
    }

    @Test
    void custom_init_mode_keeps_the_shim_and_points_volant_init_at_the_host_program() throws Exception {
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "[init]\npath = \"myinit.sh\"\n[mappings]"));
        write(project.resolve("myinit.sh"), "#!/bin/sh\necho mine\n", 0644);
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, CpioArchiveEntry> e = entries(dir.resolve("plugin.cpio.gz"), contents);
        assertThat(new String(contents.get(".volant_init"), StandardCharsets.UTF_8)).isEqualTo("/sbin/volant-custom-init\n");
        assertThat(e.get("sbin/volant-custom-init").getMode() & 0777).isEqualTo(0755);
        assertThat(new String(contents.get("init"))).contains("FAKE-INIT-FIXTURE");
        assertThat(e).doesNotContainKey("bin/kestrel");
    }

    @Test
    void custom_init_mode_accepts_a_guest_path_provided_by_a_mapping() throws Exception {
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "[init]\npath = \"/usr/bin/tool\"\n[mappings]"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        entries(dir.resolve("plugin.cpio.gz"), contents);
        assertThat(new String(contents.get(".volant_init"))).isEqualTo("/usr/bin/tool\n");
    }

    @Test
    void none_mode_fails_without_an_executable_init_and_leaves_no_artifact() throws Exception {
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "[init]\nnone = true\n[mappings]"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).isEqualTo(1);
        assertThat(cli.err()).contains("Error: no-init mode ([init] none=true) needs an executable /init");
        assertThat(dir.resolve("plugin.cpio.gz")).doesNotExist();
        assertThat(tempRoot).isEmptyDirectory();
    }

    @Test
    void none_mode_ships_a_mapped_init() throws Exception {
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "[init]\nnone = true\n[mappings]\n\"payload/tool\" = \"/init\"")
                .replace("\"payload/tool\" = \"/usr/bin/tool\"\n", ""));
        Fixtures.write(project.resolve("payload/tool"), "#!/bin/sh\n", 0755);
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        assertThat(entries(dir.resolve("plugin.cpio.gz"), contents)).doesNotContainKey("bin/kestrel");
        assertThat(new String(contents.get("init"))).isEqualTo("#!/bin/sh\n");
    }

    @Test
    void a_failing_build_exits_1_and_leaves_the_temp_root_empty() throws Exception {
        Files.delete(project.resolve("payload/tool"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).isEqualTo(1);
        assertThat(cli.err()).contains("Error: source file does not exist: " + project.resolve("payload/tool"));
        assertThat(tempRoot).isEmptyDirectory();
        assertThat(dir.resolve("plugin.cpio.gz")).doesNotExist();
    }

    @Test
    void a_busybox_checksum_mismatch_fails_the_build() throws Exception {
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "busybox_sha256 = \"" + "ab".repeat(32) + "\"\n[mappings]"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).isEqualTo(1);
        assertThat(cli.err()).contains("Error: checksum mismatch:").contains("expected: " + "ab".repeat(32));
        assertThat(tempRoot).isEmptyDirectory();
    }

    @Test
    void an_image_overlay_is_unpacked_under_busybox_init_and_mappings_with_root_owners() throws Exception {
        new io.volant.fledge.testing.OciFixture()
                .layer(l -> l.dir("etc", 0755).file("etc/motd", 0644, 1000, 1000, "from the image")
                        .dir("bin", 0755).file("bin/sh", 0755, 0, 0, "image shell")
                        .file("usr/bin/tool", 0755, 0, 0, "image tool")
                        .dir("dev", 0755).charDevice("dev/null", 0666, 1, 3))
                .write(project.resolve("layout"), "latest");
        write(project.resolve("fledge.toml"), Files.readString(project.resolve("fledge.toml"))
                .replace("[mappings]", "image = \"oci:layout\"\n[mappings]"));
        assertThat(cli.run("build", "-c", "my project/fledge.toml")).as(cli.err()).isZero();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, CpioArchiveEntry> e = entries(dir.resolve("plugin.cpio.gz"), contents);
        assertThat(new String(contents.get("etc/motd"))).isEqualTo("from the image");
        assertThat(e.get("etc/motd").getUID()).isZero();
        assertThat(new String(contents.get("bin/sh"))).as("an existing name keeps the image's file").isEqualTo("image shell");
        assertThat(new String(contents.get("usr/bin/tool"))).as("mappings win").isEqualTo("tool");
        assertThat(cli.out()).contains("busybox applet link not created: name exists");
        assertThat(e.get("dev/null").isCharacterDevice()).isTrue();
        assertThat(e.get("dev/null").getRemoteDeviceMaj()).isEqualTo(1);
        assertThat(e.get("dev/null").getRemoteDeviceMin()).isEqualTo(3);
    }
}
