/* System-call side of the guest init: logging, the panic path, mounts and the root switch. */
#ifndef VOLANT_SYS_H
#define VOLANT_SYS_H

#include <stddef.h>
#include <sys/types.h>

#include "boot.h"

#define AGENT_DIR "/opt/volant/agent"
/* virtio-blk serial of the shared read-only agent image (docs/guest.md, "Agent image"). */
#define AGENT_DISK_SERIAL "volant-agent"

/* "C INIT: <message>" on stderr (the console once it is set up). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The panic path (§3.1 step 7): "INIT PANIC: <what>: <strerror(errno)>", sync, power off, never return. */
void panic_off(const char *what) __attribute__((noreturn));

/* Whole file as a NUL-terminated heap string (at most max bytes), or NULL with errno set. */
char *read_text(const char *path, size_t max);

/* mkdir -p with the given mode for every missing component. 0 or -1. */
int mkdir_p(const char *path, mode_t mode);

/* mkdir -p target, mount, EBUSY counts as success (§7 I5); a 1777 dir mode is chmod'ed too. 0 or -1 (errno). */
int mount_at(const char *src, const char *target, const char *type, unsigned long flags, const char *data,
             mode_t dir_mode);

/* When a block device's serial is AGENT_DISK_SERIAL, mounts it (squashfs, read-only) on AGENT_DIR, over whatever
 * the initramfs holds there. Failures are logged; the initramfs copy (if any) is then used. */
void mount_agent_disk(void);

/* Mounts cfg->device (ext4 read-write, or squashfs under a tmpfs-backed overlay) on /newroot and bind-mounts the
 * agent bundle into it. 0 on success; -1 after unmounting everything it mounted (§7 I3). */
int mount_new_root(const struct boot_config *cfg);

/* Moves /dev, /proc, /sys and /newroot onto "/" and chroots into it; PID 1 stays this process. Panics on failure. */
void switch_root_in_place(void);

/* The stage-2 mounts of §2.3 in the current root plus the recursive binds of /proc and /sys. Panics on failure. */
void essential_mounts(void);

#endif
