/* Host unit tests of the init's pure parsers (src/boot.c). Run by `make -C guest test`. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "boot.h"

static int failures, checks;

#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(got, want) do { checks++; if (strcmp((got), (want)) != 0) { failures++; \
    fprintf(stderr, "FAIL %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, (got), (want)); } } while (0)

static struct boot_config parse_ok(const char *cmdline) {
    struct boot_config cfg;
    const char *error = "unset";
    int rc = boot_config_parse(cmdline, &cfg, &error);
    CHECK(rc == 0);
    CHECK(error == NULL);
    return cfg;
}

static void cmdline_value_finds_a_key_only_as_a_whole_token_name(void) {
    char v[64];
    CHECK(cmdline_value("xroot=/dev/x root=/dev/vda rootfstype=ext4", "root", 0, v, sizeof v));
    CHECK_STR(v, "/dev/vda");
    CHECK(!cmdline_value("rootwait root", "root", 0, v, sizeof v));
}

static void cmdline_value_first_or_last_occurrence_wins_as_asked(void) {
    char v[64];
    const char *c = "volant.rootfs_device=vdb quiet volant.rootfs_device=vda";
    CHECK(cmdline_value(c, "volant.rootfs_device", 1, v, sizeof v));
    CHECK_STR(v, "vdb");
    CHECK(cmdline_value(c, "volant.rootfs_device", 0, v, sizeof v));
    CHECK_STR(v, "vda");
}

static void cmdline_value_truncates_to_the_buffer_and_splits_on_any_whitespace(void) {
    char v[4];
    CHECK(cmdline_value("a=1\tkey=abcdef\n", "key", 1, v, sizeof v));
    CHECK_STR(v, "abc");
    char e[8];
    CHECK(cmdline_value("key= other", "key", 1, e, sizeof e));
    CHECK_STR(e, "");
}

static void no_device_key_means_no_pivot_even_with_data_disks(void) {
    struct boot_config cfg = parse_ok("console=ttyS0 ip=10.0.0.2::10.0.0.1:255.255.255.0:vm:eth0:off");
    CHECK(cfg.mode == BOOT_AUTO);
    CHECK(!cfg.pivot);
    CHECK_STR(cfg.device, "");
    CHECK_STR(cfg.fstype, "ext4");
    CHECK_STR(cfg.overlay_size, "1G");
}

static void volant_rootfs_device_gets_a_dev_prefix_and_triggers_the_pivot(void) {
    struct boot_config cfg = parse_ok("volant.boot=AUTO volant.rootfs_device=vda volant.rootfs_fstype=squashfs");
    CHECK(cfg.pivot);
    CHECK_STR(cfg.device, "/dev/vda");
    CHECK_STR(cfg.fstype, "squashfs");
}

static void root_and_rootfstype_are_used_when_the_volant_keys_are_absent(void) {
    struct boot_config cfg = parse_ok("root=/dev/vdb rootfstype=xfs overlay_size=256M root=/dev/vdc");
    CHECK(cfg.pivot);
    CHECK_STR(cfg.device, "/dev/vdc");
    CHECK_STR(cfg.fstype, "xfs");
    CHECK_STR(cfg.overlay_size, "256M");
}

static void volant_keys_win_over_the_fledge_shim_keys(void) {
    struct boot_config cfg = parse_ok("root=/dev/vdb rootfstype=xfs overlay_size=2G volant.rootfs_device=/dev/vda "
                                      "volant.rootfs_fstype=ext4 volant.overlay_size=512M");
    CHECK_STR(cfg.device, "/dev/vda");
    CHECK_STR(cfg.fstype, "ext4");
    CHECK_STR(cfg.overlay_size, "512M");
}

static void initramfs_mode_never_pivots(void) {
    struct boot_config cfg = parse_ok("volant.boot=initramfs volant.rootfs_device=vda");
    CHECK(cfg.mode == BOOT_INITRAMFS);
    CHECK(!cfg.pivot);
}

static void rootfs_mode_without_a_device_is_an_error(void) {
    struct boot_config cfg;
    const char *error = NULL;
    CHECK(boot_config_parse("volant.boot=rootfs quiet", &cfg, &error) == -1);
    CHECK(error != NULL && strstr(error, "volant.rootfs_device") != NULL);
    struct boot_config ok = parse_ok("volant.boot=RootFS volant.rootfs_device=vda");
    CHECK(ok.mode == BOOT_ROOTFS);
    CHECK(ok.pivot);
}

static void unknown_boot_mode_counts_as_auto(void) {
    struct boot_config cfg = parse_ok("volant.boot=sideways");
    CHECK(cfg.mode == BOOT_AUTO);
    CHECK(!cfg.pivot);
}

static void list_skips_blank_and_comment_lines_and_trims(void) {
    const char *text = "# load order\n\nkernel/a.ko\n  kernel/b.ko \r\n#kernel/c.ko\nkernel/d.ko";
    const char *cursor = text;
    char line[64];
    CHECK(list_next(&cursor, line, sizeof line)); CHECK_STR(line, "kernel/a.ko");
    CHECK(list_next(&cursor, line, sizeof line)); CHECK_STR(line, "kernel/b.ko");
    CHECK(list_next(&cursor, line, sizeof line)); CHECK_STR(line, "kernel/d.ko");
    CHECK(!list_next(&cursor, line, sizeof line));
    CHECK(!list_next(&cursor, line, sizeof line));
}

static void list_of_an_empty_file_has_no_entries(void) {
    const char *cursor = "";
    char line[8];
    CHECK(!list_next(&cursor, line, sizeof line));
    cursor = "\n\n# only comments\n";
    CHECK(!list_next(&cursor, line, sizeof line));
}

static void volant_init_first_line_is_trimmed_at_the_end(void) {
    char out[64];
    first_line_trimmed("/sbin/my-init  \t\nsecond line\n", out, sizeof out);
    CHECK_STR(out, "/sbin/my-init");
    first_line_trimmed("   \n/x\n", out, sizeof out);
    CHECK_STR(out, "");
    first_line_trimmed("", out, sizeof out);
    CHECK_STR(out, "");
}

static void wait_status_is_described_for_exit_and_signal(void) {
    char out[64];
    describe_status(3 << 8, out, sizeof out);
    CHECK_STR(out, "exit status 3");
    describe_status(9, out, sizeof out);
    CHECK_STR(out, "killed by signal 9");
}

int main(void) {
    cmdline_value_finds_a_key_only_as_a_whole_token_name();
    cmdline_value_first_or_last_occurrence_wins_as_asked();
    cmdline_value_truncates_to_the_buffer_and_splits_on_any_whitespace();
    no_device_key_means_no_pivot_even_with_data_disks();
    volant_rootfs_device_gets_a_dev_prefix_and_triggers_the_pivot();
    root_and_rootfstype_are_used_when_the_volant_keys_are_absent();
    volant_keys_win_over_the_fledge_shim_keys();
    initramfs_mode_never_pivots();
    rootfs_mode_without_a_device_is_an_error();
    unknown_boot_mode_counts_as_auto();
    list_skips_blank_and_comment_lines_and_trims();
    list_of_an_empty_file_has_no_entries();
    volant_init_first_line_is_trimmed_at_the_end();
    wait_status_is_described_for_exit_and_signal();
    printf("unit: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
