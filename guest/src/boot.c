#include "boot.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static void copy_bounded(char *out, size_t out_size, const char *src, size_t len) {
    if (out_size == 0) return;
    if (len >= out_size) len = out_size - 1;
    memcpy(out, src, len);
    out[len] = '\0';
}

int cmdline_value(const char *cmdline, const char *key, int first_wins, char *out, size_t out_size) {
    size_t key_len = strlen(key);
    int found = 0;
    const char *p = cmdline;
    while (*p) {
        while (*p && isspace((unsigned char)*p)) p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        size_t len = (size_t)(p - start);
        if (len > key_len && strncmp(start, key, key_len) == 0 && start[key_len] == '=') {
            copy_bounded(out, out_size, start + key_len + 1, len - key_len - 1);
            found = 1;
            if (first_wins) return 1;
        }
    }
    return found;
}

/* volant.* key first (first token wins, so user kernel_cmdline overrides), else the fledge-shim key (last wins). */
static int lookup(const char *cmdline, const char *volant_key, const char *legacy_key, char *out, size_t n) {
    if (cmdline_value(cmdline, volant_key, 1, out, n) && out[0]) return 1;
    if (cmdline_value(cmdline, legacy_key, 0, out, n) && out[0]) return 1;
    out[0] = '\0';
    return 0;
}

int boot_config_parse(const char *cmdline, struct boot_config *cfg, const char **error) {
    char mode[BOOT_VALUE_MAX] = "";
    char dev[BOOT_VALUE_MAX];
    memset(cfg, 0, sizeof *cfg);
    *error = NULL;

    cmdline_value(cmdline, "volant.boot", 1, mode, sizeof mode);
    for (char *c = mode; *c; c++) *c = (char)tolower((unsigned char)*c);
    if (strcmp(mode, "initramfs") == 0) cfg->mode = BOOT_INITRAMFS;
    else if (strcmp(mode, "rootfs") == 0) cfg->mode = BOOT_ROOTFS;
    else cfg->mode = BOOT_AUTO;

    if (lookup(cmdline, "volant.rootfs_device", "root", dev, sizeof dev)) {
        if (strncmp(dev, "/dev/", 5) == 0) copy_bounded(cfg->device, sizeof cfg->device, dev, strlen(dev));
        else snprintf(cfg->device, sizeof cfg->device, "/dev/%.*s", (int)(sizeof cfg->device - 6), dev);
    }
    if (!lookup(cmdline, "volant.rootfs_fstype", "rootfstype", cfg->fstype, sizeof cfg->fstype))
        strcpy(cfg->fstype, "ext4");
    if (!lookup(cmdline, "volant.overlay_size", "overlay_size", cfg->overlay_size, sizeof cfg->overlay_size))
        strcpy(cfg->overlay_size, "1G");

    switch (cfg->mode) {
    case BOOT_INITRAMFS:
        cfg->pivot = 0;
        break;
    case BOOT_ROOTFS:
        if (!cfg->device[0]) {
            *error = "volant.boot=rootfs but neither volant.rootfs_device nor root= names a device";
            return -1;
        }
        cfg->pivot = 1;
        break;
    case BOOT_AUTO:
        cfg->pivot = cfg->device[0] != '\0'; /* no probing of vda..sdb (§7 G6, I1) */
        break;
    }
    return 0;
}

int list_next(const char **cursor, char *out, size_t out_size) {
    const char *p = *cursor;
    while (*p) {
        const char *line = p;
        while (*p && *p != '\n') p++;
        const char *end = p;
        if (*p == '\n') p++;
        while (line < end && isspace((unsigned char)*line)) line++;
        while (end > line && isspace((unsigned char)end[-1])) end--;
        if (end == line || *line == '#') continue;
        copy_bounded(out, out_size, line, (size_t)(end - line));
        *cursor = p;
        return 1;
    }
    *cursor = p;
    return 0;
}

void first_line_trimmed(const char *buf, char *out, size_t out_size) {
    size_t len = strcspn(buf, "\n");
    while (len > 0 && isspace((unsigned char)buf[len - 1])) len--;
    copy_bounded(out, out_size, buf, len);
}

void describe_status(int status, char *out, size_t out_size) {
    if (WIFEXITED(status)) snprintf(out, out_size, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(out, out_size, "killed by signal %d", WTERMSIG(status));
    else snprintf(out, out_size, "wait status 0x%x", (unsigned)status);
}
