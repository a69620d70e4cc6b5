package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.hypervisor.template.Templating;
import io.volant.volantd.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent disk on QEMU's template path, without a QEMU: the template's argv (media staged as {@code capture} stages
 * them) and a clone's (the media {@code clone} starts it with) carry the same devices, agent disk included, and the
 * backend fingerprint (part of every template key) follows the image's content.
 */
class QemuAgentDiskTest {
    private static final QemuOptions TCG = new QemuOptions("qemu-system-x86_64", "q35", false, false, false);

    @TempDir
    Path dir;
    Path agent;
    QemuLauncher launcher;
    QemuTemplating templating;

    @BeforeEach
    void setUp() throws Exception {
        Path kernel = Files.write(dir.resolve("vmlinuz"), new byte[4096]);
        agent = Files.writeString(dir.resolve("agent-bundle.img"), "hsqs agent v1");
        MediaStager stager = new MediaStager(new MediaSettings(null, null, kernel, null, null, agent),
                new ArtifactStore(dir.resolve("cache"), List.of()));
        launcher = new QemuLauncher(TCG, new HostEnv(dir.resolve("run"), dir.resolve("logs"), "", stager, null));
        templating = new QemuTemplating(launcher);
    }

    @Test
    void a_clone_has_the_same_devices_as_its_template_agent_disk_included() throws Exception {
        Path initramfs = Files.writeString(dir.resolve("plugin.cpio.gz"), "plugin");
        LaunchSpec tpl = Specs.acL1(initramfs.toString()).withArg(Templating.TEMPLATE_ARG, "1");
        HostPaths tplPaths = new HostPaths(templating.directory(), dir.resolve("logs"), "tpl-1");
        StagedMedia staged = launcher.env().stager().stage(tpl, tplPaths);
        Path ram = templating.directory().resolve("tpl-1.ram");
        List<String> template = QemuArgv.build(TCG, tpl, tplPaths, staged, QemuArgv.Boot.template(ram));
        TemplateImage image = new TemplateImage("tpl-1", "qemu", tpl, ram, templating.directory().resolve("tpl-1.state"),
                staged.kernel(), staged.initramfs(), staged.cmdline(), staged.files());

        LaunchSpec cloneSpec = tpl.asClone("web-2", "vttap-web-2", dir.resolve("run/web-2.serial").toString());
        List<String> clone = QemuArgv.build(TCG, cloneSpec, new HostPaths(dir.resolve("run"), dir.resolve("logs"),
                "web-2"), templating.cloneMedia(image), QemuArgv.Boot.clone(ram));

        assertThat(devices(clone)).isEqualTo(devices(template))
                .contains("virtio-blk-pci,drive=agent,serial=volant-agent");
        assertThat(drives(clone)).isEqualTo(drives(template))
                .containsExactly("file=" + agent + ",if=none,id=agent,format=raw,readonly=on");
    }

    @Test
    void the_fingerprint_changes_when_the_agent_image_is_rebuilt() throws Exception {
        String before = templating.fingerprint();
        assertThat(templating.fingerprint()).isEqualTo(before);

        Files.writeString(agent, "hsqs agent v2, rebuilt");

        assertThat(templating.fingerprint()).isNotEqualTo(before);
    }

    private static List<String> devices(List<String> argv) {
        return valuesOf(argv, "-device");
    }

    private static List<String> drives(List<String> argv) {
        return valuesOf(argv, "-drive");
    }

    private static List<String> valuesOf(List<String> argv, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals(option)) {
                out.add(argv.get(i + 1));
            }
        }
        return out;
    }
}
