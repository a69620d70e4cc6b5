package io.volant.volantd.template;

import io.volant.volantd.hypervisor.LaunchSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The digest that makes two guests interchangeable (docs/templates.md, keying): everything of a launch spec the
 * guest sees or boots from (cpu, memory, kernel and its override, command line, {@code volant.*} arguments with the
 * manifest, boot media and their checksums, disks, devices, network mode and host network) plus the backend's
 * fingerprint (binary, machine, accelerator, kernel file). Per-VM values never enter it: name, IP, MAC, CID, tap,
 * serial socket, seed path, and the address and hostname of the {@code ip=} token.
 */
public record TemplateKey(String hex) {
    /** Hex digits of the key in a template's name. */
    public static final int NAME_DIGITS = 16;

    /** The key of {@code spec} launched by a backend whose fingerprint is {@code backend}. */
    public static TemplateKey of(LaunchSpec spec, String backend) {
        StringJoiner j = new StringJoiner("\n");
        j.add("backend=" + backend);
        j.add("cpu=" + spec.cpuCores());
        j.add("memory_mb=" + spec.memoryMb());
        j.add("cmdline=" + withoutIdentity(spec.kernelCmdline()));
        j.add("kernel=" + spec.kernelOverride());
        j.add("network=" + (spec.tapDevice().isBlank() ? "none" : "tap") + " gateway=" + spec.gateway()
                + " netmask=" + spec.netmask());
        new TreeMap<>(spec.args()).forEach((k, v) -> j.add("arg " + k + "=" + v));
        j.add("rootfs=" + spec.rootfs() + " " + spec.rootfsChecksum() + " " + spec.rootfsFormat());
        j.add("initramfs=" + spec.initramfs() + " " + spec.initramfsChecksum());
        for (LaunchSpec.Disk d : spec.disks()) {
            j.add("disk " + d.name() + " " + d.path() + " " + d.checksum() + " " + d.format() + " ro=" + d.readonly());
        }
        j.add("seed=" + (spec.seedDisk() != null));
        spec.vfioDevicePaths().forEach(p -> j.add("vfio " + p));
        return new TemplateKey(sha256(j.toString()));
    }

    /** {@code tpl-<first 16 hex digits>}: the template's name and the stem of its files. */
    public String templateName() {
        return "tpl-" + hex.substring(0, NAME_DIGITS);
    }

    /**
     * The command line with the {@code ip=} token's address and hostname blanked: they are the clone's, delivered on
     * the identity channel; gateway, netmask and the dhcp/static form stay (they are the host network's).
     */
    static String withoutIdentity(String cmdline) {
        StringJoiner out = new StringJoiner(" ");
        for (String tok : cmdline.trim().split("\\s+")) {
            if (tok.startsWith("ip=")) {
                String[] f = tok.substring(3).split(":", -1);
                if (f.length >= 5) {
                    f[0] = "";
                    f[4] = "";
                }
                tok = "ip=" + String.join(":", f);
            }
            out.add(tok);
        }
        return out.toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** For logs: the template name. */
    @Override
    public String toString() {
        return templateName();
    }

}
