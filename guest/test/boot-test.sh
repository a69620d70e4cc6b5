#!/usr/bin/env bash
# Real-VM test of the guest init: boots Debian's cloud kernel (scripts/fetch-kernel.sh) under QEMU (KVM when
# /dev/kvm opens, else TCG) in a network namespace of its own, three times:
#   initramfs  modules archive + init + busybox + a fake /bin/kestrel (shell: eth0 from ip=, busybox httpd)
#   ext4       the same init pivots onto an ext4 disk (volant.boot=rootfs); the fake agent comes from the
#              bind-mounted bundle dir via /opt/volant/agent/kestrel.argv
#   squashfs   the same onto a squashfs disk under a tmpfs-backed overlay
# Each boot must answer HTTP 200, show the essential mounts, leave no zombie after an orphan exits, and power off
# cleanly (QEMU exit status 0, "reboot: Power down", no kernel panic) through one of the two shutdown paths:
# a signal to PID 1 (busybox poweroff semantics, SIGUSR2) or kestrel exiting by itself.
# Needs root, qemu-system-x86, busybox-static, e2fsprogs, squashfs-tools, curl. Cleans up netns, QEMU and files.
# Usage: guest/test/boot-test.sh [scenario...]   (default: initramfs ext4 squashfs)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/guest-lib.sh"
[ "$(id -u)" = 0 ] || { echo "boot-test: needs root (netns, tap)" >&2; exit 1; }
scenarios=("${@:-initramfs ext4 squashfs}")
read -r -a scenarios <<< "${scenarios[*]}"

make -s -C "$root/guest" build/volant-init
"$root/scripts/fetch-kernel.sh" "$root/build/kernel" >/dev/null
K="$root/build/kernel/vmlinuz"
INIT="$root/guest/build/volant-init"

W=$(mktemp -d /tmp/volant-boot-test.XXXXXX)
NS="vgboot$$"
QPID=""
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID"; wait "$QPID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

guest_netns_tap "$NS"

fail() { echo "boot-test: FAIL [$name]: $*" >&2; [ -f "$W/$name.console" ] && tail -30 "$W/$name.console" >&2; exit 1; }
http() { ip netns exec "$NS" curl -s -m 3 "http://10.0.2.2/$1"; }

# The fake agent: what kestrel does first (network from ip=, §2.4), then a busybox httpd as its "workload".
write_fake_kestrel() { # $1 = path
  cat > "$1" <<'SH'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
busybox --install -s /bin 2>/dev/null
for t in $(cat /proc/cmdline); do case $t in ip=*) ipt=${t#ip=} ;; esac; done
ip link set lo up
ip addr add "${ipt%%:*}/24" dev eth0 && ip link set eth0 up
mkdir -p /www/cgi-bin
[ -f /www/index.html ] || echo initramfs > /www/index.html
cgi() { printf '#!/bin/sh\necho "Content-Type: text/plain"; echo\n%s\n' "$2" > /www/cgi-bin/$1; chmod +x /www/cgi-bin/$1; }
cgi mounts 'cat /proc/mounts'
cgi zombies 'grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l'
cgi write 'echo written > /var-test && cat /var-test'
cgi poweroff 'echo bye; kill -USR2 1'
cgi exit 'echo bye; kill $(cat /run/httpd.pid)'
(sleep 1 &)   # an orphan: re-parented to PID 1, which must reap it
httpd -f -p 80 -h /www & echo $! > /run/httpd.pid
trap 'echo "fake-kestrel: SIGTERM"; kill $(cat /run/httpd.pid)' TERM
wait; wait
echo "fake-kestrel: exiting"
exit 0
SH
  chmod 0755 "$1"
}

boot() { # $1 = initrd, $2 = extra kernel args, rest = extra QEMU args
  local initrd=$1 extra=$2; shift 2
  start=$(date +%s.%N)
  ip netns exec "$NS" qemu-system-x86_64 -name "$name" -machine q35 -accel "$accel" -cpu "$cpu" -smp 1 -m 256 \
    -nodefaults -no-user-config -display none -no-reboot \
    -kernel "$K" -initrd "$initrd" \
    -append "console=ttyS0 reboot=k panic=1 quiet ip=10.0.2.2::10.0.2.1:255.255.255.0:$name:eth0:off $extra" \
    -serial "file:$W/$name.console" -qmp "unix:$W/$name.qmp,server=on,wait=off" \
    -netdev tap,id=net0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=net0 \
    "$@" > "$W/$name.qemu" 2>&1 &
  QPID=$!
  for _ in $(seq 1 900); do
    if body=$(http index.html) && [ -n "$body" ]; then
      printf 'boot-test: [%s] HTTP 200 after %.2f s (%s)\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" "$accel"
      return 0
    fi
    kill -0 "$QPID" 2>/dev/null || fail "QEMU exited before HTTP answered"
    sleep 0.1
  done
  fail "no HTTP answer in 90 s"
}

check_running() { # $1 = expected index.html body
  [ "$body" = "$1" ] || fail "index.html is '$body', expected '$1'"
  mounts=$(http cgi-bin/mounts)
  for m in " /proc proc" " /sys sysfs" " /dev devtmpfs" " /dev/pts devpts" " /dev/shm tmpfs" " /run tmpfs" " /tmp tmpfs"; do
    grep -q "$m " <<< "$mounts" || fail "mount '$m' missing: $mounts"
  done
  sleep 1.5 # the orphan sleeps 1 s
  z=$(http cgi-bin/zombies); [ "$z" = 0 ] || fail "$z zombie(s) left"
}

expect_power_off() { # $1 = cgi that triggers it, $2 = console line expected
  http "cgi-bin/$1" >/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$QPID" 2>/dev/null && fail "QEMU still running 30 s after $1"
  rc=0; wait "$QPID" || rc=$?; QPID=""
  [ "$rc" = 0 ] || fail "QEMU exit status $rc"
  grep -q "reboot: Power down" "$W/$name.console" || fail "no 'reboot: Power down' on the console"
  grep -q "Kernel panic" "$W/$name.console" && fail "kernel panic on the console"
  grep -q "$2" "$W/$name.console" || fail "console lacks '$2'"
  echo "boot-test: [$name] clean power-off via $1"
}

# Shared pieces: the init, busybox, the fake agent.
mkdir -p "$W/base/bin" "$W/base/opt/volant/agent" "$W/disk/bin" "$W/disk/www"
cp "$INIT" "$W/base/init"
cp /bin/busybox "$W/base/bin/busybox"; ln -s busybox "$W/base/bin/sh"
cp /bin/busybox "$W/disk/bin/busybox"; ln -s busybox "$W/disk/bin/sh"
mods="$root/build/kernel/modules.cpio.gz"

for name in "${scenarios[@]}"; do
  case "$name" in
  initramfs)
    rm -rf "$W/ir"; cp -a "$W/base" "$W/ir"; rm -rf "$W/ir/opt"
    write_fake_kestrel "$W/ir/bin/kestrel"
    guest_cpio "$W/ir" "$W/ir.cpio.gz"; cat "$mods" "$W/ir.cpio.gz" > "$W/initrd"
    boot "$W/initrd" "volant.boot=initramfs"
    check_running initramfs
    grep -q "C INIT: modules: 2[0-9] loaded, 0 failed (uptime" "$W/$name.console" || fail "modules did not all load"
    expect_power_off poweroff "C INIT: kestrel exited (exit status 0)"
    ;;
  ext4|squashfs)
    rm -rf "$W/ir"; cp -a "$W/base" "$W/ir"
    write_fake_kestrel "$W/ir/opt/volant/agent/fake-kestrel"
    echo /opt/volant/agent/fake-kestrel > "$W/ir/opt/volant/agent/kestrel.argv"
    guest_cpio "$W/ir" "$W/ir.cpio.gz"; cat "$mods" "$W/ir.cpio.gz" > "$W/initrd"
    echo "disk-$name" > "$W/disk/www/index.html"
    rm -f "$W/disk.img"
    if [ "$name" = ext4 ]; then
      mkfs.ext4 -q -d "$W/disk" "$W/disk.img" 32M >/dev/null 2>&1
    else
      mksquashfs "$W/disk" "$W/disk.img" -quiet -no-progress -all-root >/dev/null
    fi
    boot "$W/initrd" "volant.boot=rootfs volant.rootfs_device=vda volant.rootfs_fstype=$name volant.overlay_size=64M" \
      -drive "file=$W/disk.img,if=none,id=root,format=raw,readonly=off" -device virtio-blk-pci,drive=root
    check_running "disk-$name"
    grep -q " /opt/volant/agent [a-z0-9]* ro" <<< "$mounts" || fail "agent bundle is not bind-mounted read-only"
    [ "$(http cgi-bin/write)" = written ] || fail "root file system is not writable"
    if [ "$name" = squashfs ]; then
      grep -q "^overlay / overlay" <<< "$mounts" || fail "root is not the overlay: $mounts"
    else
      grep -q "^/dev/vda / ext4 rw" <<< "$mounts" || fail "root is not /dev/vda ext4 rw: $mounts"
    fi
    expect_power_off exit "C INIT: kestrel exited (exit status 0)"
    ;;
  *) echo "unknown scenario $name" >&2; exit 2 ;;
  esac
done
echo "boot-test: all passed (${scenarios[*]})"
