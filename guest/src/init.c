/* Volant guest init: PID 1 of every Volant guest (plugins-and-guest.md §2.14). It mounts, loads kernel modules,
 * optionally switches onto a root disk, then either execs a custom init or starts kestrel as its child, reaps
 * zombies, forwards shutdown signals and powers the VM off when kestrel ends. It never exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "sys.h"

#define KESTREL_ARGV_FILE AGENT_DIR "/kestrel.argv"
#define KESTREL_FALLBACK "/bin/kestrel"
#define MAX_ARGS 128
#define KESTREL_GRACE_S 15 /* after the first forwarded signal, then SIGKILL (§2.14) */
#define SHUTDOWN_GRACE_S 2 /* SIGTERM to everyone, then SIGKILL */

extern char **environ;

static void setup_console(void) {
    int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
        fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
    }
    if (fd < 0) return; /* a warning only; nowhere to print it */
    for (int i = 0; i < 3; i++) dup2(fd, i);
    if (fd > 2) close(fd);
}

/* §3.5: finit_module for every line of /etc/volant/modules.load, in order; EEXIST (already loaded or built in) and
 * EBUSY (being loaded) count as success, other errors are printed and loading goes on. */
static void load_modules(void) {
    char *list = read_text("/etc/volant/modules.load", 1 << 20);
    if (!list) return;
    struct utsname u;
    uname(&u);
    const char *cursor = list;
    char line[256], path[512];
    int loaded = 0, failed = 0;
    while (list_next(&cursor, line, sizeof line)) {
        snprintf(path, sizeof path, "/lib/modules/%s/%s", u.release, line);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST && errno != EBUSY)) {
            say("module %s: %s", line, strerror(errno));
            failed++;
        } else {
            loaded++;
        }
        if (fd >= 0) close(fd);
    }
    free(list);
    char *uptime = read_text("/proc/uptime", 64);
    if (uptime) uptime[strcspn(uptime, " ")] = '\0';
    say("modules: %d loaded, %d failed (uptime %s s)", loaded, failed, uptime ? uptime : "?");
    free(uptime);
}

static void exec_custom_init(const char *path) {
    say("exec custom init %s", path);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); /* the blocked mask survives execve */
    char *argv[] = {(char *)path, NULL};
    execve(path, argv, environ);
    panic_off(path);
}

/* A disk's or initramfs's own init replaces us as PID 1 (§3.2 steps 4e-4g and 5), with no kestrel. */
static void maybe_exec_custom_init(int pivoted) {
    char *text = read_text("/.volant_init", 4096);
    if (text) {
        char path[4096];
        first_line_trimmed(text, path, sizeof path);
        free(text);
        if (path[0]) exec_custom_init(path);
    }
    struct stat st;
    if (pivoted && stat("/.fledge/init", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
        exec_custom_init("/.fledge/init");
}

/* argv of kestrel: the lines of the bundle's kestrel.argv, else /bin/kestrel (docs/guest.md). */
static char **kestrel_argv(void) {
    static char *argv[MAX_ARGS + 1];
    static char storage[MAX_ARGS][512];
    char *text = read_text(KESTREL_ARGV_FILE, 64 * 1024);
    int n = 0;
    if (text) {
        const char *cursor = text;
        while (n < MAX_ARGS && list_next(&cursor, storage[n], sizeof storage[n])) {
            argv[n] = storage[n];
            n++;
        }
        free(text);
    }
    if (n == 0) argv[n++] = KESTREL_FALLBACK;
    argv[n] = NULL;
    return argv;
}

static pid_t start_kestrel(const sigset_t *blocked) {
    char **argv = kestrel_argv();
    say("Handing off to Kestrel agent...");
    pid_t pid = fork();
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, blocked, NULL);
        setsid();
        if (chdir("/") != 0) _exit(127);
        execve(argv[0], argv, environ);
        dprintf(2, "C INIT: exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (pid < 0) panic_off("fork kestrel");
    return pid;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for one of `set` until the absolute monotonic deadline (< 0 = none); returns the signal or 0 on timeout. */
static int wait_signal(const sigset_t *set, double deadline) {
    for (;;) {
        int sig;
        if (deadline < 0) {
            sig = sigwaitinfo(set, NULL);
        } else {
            double left = deadline - now_s();
            if (left <= 0) return 0;
            struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
            sig = sigtimedwait(set, NULL, &ts);
            if (sig < 0 && errno == EAGAIN) return 0;
        }
        if (sig > 0) return sig;
    }
}

/* Kill everything else, sync, power off (§2.14 "How kestrel requests power-off"). Never returns. */
static void power_off(const sigset_t *set, int pivoted) {
    kill(-1, SIGTERM);
    double deadline = now_s() + SHUTDOWN_GRACE_S;
    for (;;) {
        pid_t pid;
        while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {}
        if (pid < 0 || wait_signal(set, deadline) == 0) break; /* no children left, or grace period over */
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0) {}
    sync();
    if (pivoted) mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL);
    say("powering off");
    reboot(RB_POWER_OFF);
    panic_off("reboot(RB_POWER_OFF)");
}

/* PID 1 duties while kestrel runs: reap every child (SIGCHLD-driven, no polling), forward the first shutdown signal
 * to kestrel as SIGTERM, SIGKILL it on a second signal or after the grace period. Returns kestrel's wait status. */
static int supervise(pid_t kestrel, const sigset_t *set) {
    double kill_at = -1;
    int killed = 0;
    for (;;) {
        int sig = wait_signal(set, kill_at);
        if (killed) {
            /* only reaping is left to do */
        } else if (sig == 0 || (sig != SIGCHLD && kill_at >= 0)) {
            say("kestrel did not stop; sending SIGKILL");
            kill(kestrel, SIGKILL);
            kill_at = -1;
            killed = 1;
        } else if (sig != SIGCHLD) {
            say("signal %d: asking kestrel to stop", sig);
            kill(kestrel, SIGTERM);
            kill_at = now_s() + KESTREL_GRACE_S;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == kestrel) return status;
        }
    }
}

int main(void) {
    if (getpid() != 1) {
        fprintf(stderr, "volant-init: must run as PID 1 (the guest init)\n");
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    int handled[] = {SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGHUP, SIGPWR};
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) sigaddset(&set, handled[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    reboot(RB_DISABLE_CAD); /* Ctrl-Alt-Del becomes SIGINT to us, i.e. a graceful stop */
    umask(022);

    /* Initial mounts (§2.3 stage 1), console, then modules before any device is awaited (§2.14, §3.5). */
    if (mount_at("proc", "/proc", "proc", 0, NULL, 0755) != 0) panic_off("mount proc on /proc");
    if (mount_at("sysfs", "/sys", "sysfs", 0, NULL, 0755) != 0) panic_off("mount sysfs on /sys");
    if (mount_at("devtmpfs", "/dev", "devtmpfs", 0, NULL, 0755) != 0) panic_off("mount devtmpfs on /dev");
    setup_console();
    load_modules();
    mount_agent_disk(); /* virtio_blk probes synchronously: the disk exists once the modules are loaded */

    char *cmdline = read_text("/proc/cmdline", 4096);
    if (!cmdline) panic_off("read /proc/cmdline");
    struct boot_config cfg;
    const char *error;
    if (boot_config_parse(cmdline, &cfg, &error) != 0) {
        errno = EINVAL;
        panic_off(error);
    }
    free(cmdline);
    say("boot: pivot=%s device=%s fstype=%s", cfg.pivot ? "yes" : "no", cfg.device[0] ? cfg.device : "-",
        cfg.fstype);

    int pivoted = 0;
    if (cfg.pivot) {
        if (mount_new_root(&cfg) == 0) {
            switch_root_in_place();
            pivoted = 1;
        } else if (cfg.mode == BOOT_ROOTFS) {
            errno = EIO;
            panic_off("volant.boot=rootfs and the root device cannot be mounted");
        } else {
            say("staying in the initramfs");
        }
    }
    essential_mounts();
    setup_console();
    maybe_exec_custom_init(pivoted);

    pid_t kestrel = start_kestrel(&set);
    int status = supervise(kestrel, &set);
    char desc[64];
    describe_status(status, desc, sizeof desc);
    say("kestrel exited (%s)", desc);
    power_off(&set, pivoted);
}
