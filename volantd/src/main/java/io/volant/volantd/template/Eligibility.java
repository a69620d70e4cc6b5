package io.volant.volantd.template;

import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.template.Templating;
import java.util.Optional;

/**
 * What may start as a clone (docs/templates.md, "What boots cold"): deployment replicas only, never a VM whose
 * per-VM disk (cloud-init seed), writable disk or passed-through device a clone would share or lose.
 */
final class Eligibility {
    private Eligibility() {}

    /** Why the launch cannot be a clone, or empty when it can. */
    static Optional<String> coldReason(TemplateManager.Launch l, boolean enabled, Templating templating,
            String backend) {
        LaunchSpec s = l.spec();
        if (l.groupId() == null) {
            return Optional.of("not a deployment replica");
        }
        if (!enabled) {
            return Optional.of("templates are off (VOLANT_TEMPLATES=off)");
        }
        if (templating == null) {
            return Optional.of("backend " + backend + " has no templates");
        }
        if (!l.allowed()) {
            return Optional.of("the deployment config opts out (template: false)");
        }
        if (s.seedDisk() != null) {
            return Optional.of("a cloud-init seed is per VM and cannot be part of a template");
        }
        if (!s.rootfs().isBlank()) {
            return Optional.of("the rootfs disk is writable and a clone would share it");
        }
        if (!s.disks().isEmpty()) {
            return Optional.of("disk " + s.disks().getFirst().name() + " would be shared by every clone");
        }
        if (!s.vfioDevicePaths().isEmpty()) {
            return Optional.of("VFIO devices cannot be cloned");
        }
        return templating.unsupported(s);
    }
}
