#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void say(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dprintf(2, "C INIT: %s\n", buf);
}

void panic_off(const char *what) {
    int err = errno;
    dprintf(2, "\nINIT PANIC: %s: %s\n\n", what, strerror(err));
    sync();
    reboot(RB_POWER_OFF);
    for (;;) pause(); /* never exit: PID 1 exiting panics the kernel */
}

char *read_text(const char *path, size_t max) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    char *buf = malloc(max + 1);
    size_t len = 0;
    ssize_t n;
    while (buf && len < max && (n = read(fd, buf + len, max - len)) != 0) {
        if (n < 0) {
            if (errno == EINTR) continue;
            free(buf);
            buf = NULL;
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    if (buf) buf[len] = '\0';
    return buf;
}

int mkdir_p(const char *path, mode_t mode) {
    char tmp[512];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) { errno = ENAMETOOLONG; return -1; }
    for (char *p = tmp + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, mode) != 0 && errno != EEXIST) return -1;
            *p = c;
            if (c == '\0') break;
        }
    }
    return 0;
}

int mount_at(const char *src, const char *target, const char *type, unsigned long flags, const char *data,
             mode_t dir_mode) {
    if (mkdir_p(target, dir_mode & 0777) != 0) return -1;
    if (dir_mode & S_ISVTX) chmod(target, dir_mode);
    if (mount(src, target, type, flags, data) != 0 && errno != EBUSY) return -1;
    return 0;
}

static int wait_for_block_device(const char *path) {
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 1000; i++) { /* 10 s, polled every 10 ms */
        struct stat st;
        if (stat(path, &st) == 0) {
            if (S_ISBLK(st.st_mode)) return 0;
            errno = ENOTBLK;
            return -1;
        }
        nanosleep(&tick, NULL);
    }
    errno = ENOENT;
    return -1;
}

void mount_agent_disk(void) {
    DIR *d = opendir("/sys/block");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[300];
        snprintf(path, sizeof path, "/sys/block/%s/serial", e->d_name);
        char *serial = read_text(path, 64);
        if (!serial) continue;
        serial[strcspn(serial, "\n")] = '\0';
        int match = strcmp(serial, AGENT_DISK_SERIAL) == 0;
        free(serial);
        if (!match) continue;
        snprintf(path, sizeof path, "/dev/%s", e->d_name);
        if (mkdir_p(AGENT_DIR, 0755) != 0 ||
            mount(path, AGENT_DIR, "squashfs", MS_RDONLY | MS_NODEV | MS_NOSUID, NULL) != 0)
            say("agent: cannot mount %s on " AGENT_DIR ": %s", path, strerror(errno));
        else
            say("agent: %s (serial " AGENT_DISK_SERIAL ") on " AGENT_DIR, path);
        break;
    }
    closedir(d);
}

/* Read-only bind of the agent bundle at the same path inside the new root (§2.14: kestrel is not copied). */
static void bind_agent_bundle(void) {
    struct stat st;
    if (stat(AGENT_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) return;
    const char *target = "/newroot" AGENT_DIR;
    if (mkdir_p(target, 0755) != 0 || mount(AGENT_DIR, target, NULL, MS_BIND | MS_REC, NULL) != 0) {
        say("warning: cannot bind the agent bundle into the new root: %s", strerror(errno));
        return;
    }
    if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
        say("warning: agent bundle stays writable: %s", strerror(errno));
}

int mount_new_root(const struct boot_config *cfg) {
    const char *dev = cfg->device;
    if (wait_for_block_device(dev) != 0) {
        say("root device %s not usable: %s", dev, strerror(errno));
        return -1;
    }
    if (mkdir_p("/newroot", 0755) != 0) return -1;
    if (strcmp(cfg->fstype, "squashfs") == 0) {
        /* One tmpfs holds upper/ and work/: overlayfs needs both on the same file system (§7 I2). */
        char data[BOOT_VALUE_MAX + 32];
        snprintf(data, sizeof data, "size=%s,mode=0755", cfg->overlay_size);
        if (mount_at(dev, "/lower", "squashfs", MS_RDONLY, NULL, 0755) != 0) {
            say("mount %s (squashfs) failed: %s", dev, strerror(errno));
            return -1;
        }
        if (mount_at("tmpfs", "/overlay", "tmpfs", 0, data, 0755) != 0) {
            say("mount overlay tmpfs (%s) failed: %s", data, strerror(errno));
            umount2("/lower", MNT_DETACH);
            return -1;
        }
        mkdir("/overlay/upper", 0755);
        mkdir("/overlay/work", 0755);
        if (mount("overlay", "/newroot", "overlay", 0,
                  "lowerdir=/lower,upperdir=/overlay/upper,workdir=/overlay/work") != 0) {
            say("mount overlay failed: %s", strerror(errno));
            umount2("/overlay", MNT_DETACH);
            umount2("/lower", MNT_DETACH);
            return -1;
        }
    } else if (mount(dev, "/newroot", cfg->fstype, MS_RELATIME, NULL) != 0) {
        say("mount %s (%s) failed: %s", dev, cfg->fstype, strerror(errno));
        return -1;
    }
    bind_agent_bundle();
    return 0;
}

void switch_root_in_place(void) {
    static const char *const moved[] = {"/dev", "/proc", "/sys"};
    for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++) {
        char target[64];
        snprintf(target, sizeof target, "/newroot%s", moved[i]);
        mkdir_p(target, 0755);
        if (mount(moved[i], target, NULL, MS_MOVE, NULL) != 0) umount2(moved[i], MNT_DETACH);
    }
    if (chdir("/newroot") != 0) panic_off("chdir /newroot");
    if (mount(".", "/", NULL, MS_MOVE, NULL) != 0) panic_off("move /newroot to /");
    if (chroot(".") != 0) panic_off("chroot /newroot");
    if (chdir("/") != 0) panic_off("chdir / in the new root");
}

void essential_mounts(void) {
    static const struct {
        const char *src, *target, *type, *data;
        mode_t mode;
    } table[] = {
        {"proc", "/proc", "proc", NULL, 0755},
        {"sysfs", "/sys", "sysfs", NULL, 0755},
        {"devtmpfs", "/dev", "devtmpfs", "mode=0755", 0755},
        {"devpts", "/dev/pts", "devpts", "mode=0620,gid=5", 0755},
        {"shm", "/dev/shm", "tmpfs", "mode=1777", 01777},
        {"run", "/run", "tmpfs", NULL, 0755},
        {"tmp", "/tmp", "tmpfs", NULL, 01777},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (mount_at(table[i].src, table[i].target, table[i].type, 0, table[i].data, table[i].mode) != 0) {
            char what[80];
            snprintf(what, sizeof what, "mount %s on %s", table[i].type, table[i].target);
            panic_off(what);
        }
    }
    if (chmod("/tmp", 01777) != 0) say("warning: chmod /tmp: %s", strerror(errno));
    if (mount("/proc", "/proc", NULL, MS_BIND | MS_REC, NULL) != 0 && errno != EBUSY) panic_off("bind /proc");
    if (mount("/sys", "/sys", NULL, MS_BIND | MS_REC, NULL) != 0 && errno != EBUSY) panic_off("bind /sys");
}
