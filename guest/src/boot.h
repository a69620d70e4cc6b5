/* Pure parsing for the guest init: kernel command line, boot configuration, list files. No system calls here, so
 * every function is unit-tested on the host (guest/test/unit_test.c). */
#ifndef VOLANT_BOOT_H
#define VOLANT_BOOT_H

#include <stddef.h>

#define BOOT_VALUE_MAX 256

enum boot_mode { BOOT_AUTO, BOOT_INITRAMFS, BOOT_ROOTFS };

struct boot_config {
    enum boot_mode mode;
    int pivot;                          /* 1 = mount `device` and switch the root onto it */
    char device[BOOT_VALUE_MAX];        /* "/dev/vda"; empty when no device key is present */
    char fstype[BOOT_VALUE_MAX];        /* "ext4" unless given */
    char overlay_size[BOOT_VALUE_MAX];  /* tmpfs size for a squashfs root, "1G" unless given */
};

/* Value of `key=` in a whitespace-separated command line, no quote handling (plugins-and-guest.md §1.9).
 * first_wins: 1 = the first token wins (volant.* keys), 0 = the last one wins (root=, rootfstype=, overlay_size=).
 * Returns 1 and copies the value (truncated to out_size-1) when the key is present, else 0. */
int cmdline_value(const char *cmdline, const char *key, int first_wins, char *out, size_t out_size);

/* Boot mode, device, file-system type and overlay size (§2.14 table). Returns 0, or -1 with *error set to a static
 * message when the configuration cannot boot (volant.boot=rootfs without a device). */
int boot_config_parse(const char *cmdline, struct boot_config *cfg, const char **error);

/* Iterates a list file (modules.load, kestrel.argv): one entry per line, surrounding whitespace trimmed, empty
 * lines and lines starting with '#' skipped. *cursor starts at the buffer and advances; returns 1 with the entry
 * in out (truncated to out_size-1), 0 at the end. */
int list_next(const char **cursor, char *out, size_t out_size);

/* First line of buf with trailing whitespace removed (the /.volant_init rule, §3.2 step 4e). */
void first_line_trimmed(const char *buf, char *out, size_t out_size);

/* "exit status 3" or "killed by signal 9" for a waitpid status. */
void describe_status(int status, char *out, size_t out_size);

#endif
