package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading /proc/cmdline the way kestrel does (plugins-and-guest.md §1.9). */
class BootArgsTest {

    @Test
    void tokens_split_on_any_whitespace_without_quote_handling() {
        assertThat(BootArgs.parse(" a=1\tb=\"x y\"\n c ").tokens()).containsExactly("a=1", "b=\"x", "y\"", "c");
        assertThat(BootArgs.parse(null).tokens()).isEmpty();
    }

    @Test
    void manifest_keys_compare_the_name_before_the_first_equals_exactly() {
        BootArgs args = BootArgs.parse("volant.manifest.x=1 volant.manifest=abc=def volant.plugin");
        assertThat(args.value("volant.manifest")).contains("abc=def");
        assertThat(args.value("volant.plugin")).isEmpty();
        assertThat(args.value("volant.api_port")).isEmpty();
    }

    @Test
    void for_manifest_keys_the_host_value_after_the_extra_arguments_wins() {
        assertThat(BootArgs.parse("volant.plugin=user volant.plugin=host").value("volant.plugin")).contains("host");
    }

    @Test
    void for_boot_keys_the_first_token_wins_so_extra_arguments_override() {
        BootArgs args = BootArgs.parse("volant.rootfs_fstype=xfs volant.boot=rootfs volant.rootfs_fstype=ext4");
        assertThat(args.bootValue("volant.rootfs_fstype")).contains("xfs");
        assertThat(args.bootValue("volant.rootfs_device")).isEmpty();
        assertThat(args.has("volant.boot")).isTrue();
        assertThat(args.has("volant.boo")).isFalse();
    }
}
