#!/usr/bin/env bash
# Builds the base initramfs (plugins-and-guest.md §3.3, Java build per §2.14) for rootfs-only plugins
# (VOLANT_BASE_INITRAMFS): /init = the guest init, /bin/busybox (Debian busybox-static) with a symlink per applet,
# the agent bundle at /opt/volant/agent, /bin/kestrel -> the bundle's launcher script, /dev/console.
# Deterministic: sorted newc, 0:0, mtime SOURCE_DATE_EPOCH (default 0), gzip -n -9.
#
# Usage: scripts/build-base-initramfs.sh [out.cpio.gz] [--modules <modules.cpio.gz>] [--no-agent]
#   default out: <repo>/build/base-initramfs.cpio.gz. Builds the init and the agent bundle when missing.
#   --modules prepends a kernel module archive (scripts/fetch-kernel.sh), giving a self-contained image for a
#   manual QEMU run. volantd prepends its own module archive at launch (host-runtime.md §9.6), so the default
#   image carries no modules (a second modules.load of another kernel release would shadow the host's).
#   --no-agent leaves /opt/volant/agent empty: the agent then comes from the shared read-only agent image
#   (scripts/build-agent-image.sh), which the init mounts there (docs/guest.md, "Agent image").
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/guest-lib.sh"
out=$root/build/base-initramfs.cpio.gz modules="" agent=1
while [ $# -gt 0 ]; do
  case "$1" in
    --modules) modules=$(readlink -f "$2"); shift 2 ;;
    --no-agent) agent=""; shift ;;
    *) out=$1; shift ;;
  esac
done
out=$(readlink -f "$out")
bundle=${AGENT_BUNDLE:-$root/build/agent-bundle}

make -s -C "$root/guest" build/volant-init
[ -f "$bundle/kestrel.argv" ] || "$root/scripts/build-agent-bundle.sh" "$bundle"
busybox=${BUSYBOX:-/bin/busybox}
"$busybox" --list >/dev/null || { guest_log "$busybox is not a busybox binary (install busybox-static)"; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then guest_log "$busybox is dynamically linked; need busybox-static"; exit 1; fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
S="$tmp/root"
mkdir -p "$S"/{bin,sbin,etc,proc,sys,dev,run,tmp,usr/bin,usr/sbin,opt/volant}
chmod 1777 "$S/tmp"
install -m 0755 "$root/guest/build/volant-init" "$S/init"
install -m 0755 "$busybox" "$S/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$S/bin/$applet"
done
if [ -n "$agent" ]; then cp -a "$bundle" "$S/opt/volant/agent"; else mkdir -p "$S/opt/volant/agent"; fi
ln -sf /opt/volant/agent/bin/kestrel "$S/bin/kestrel"
if [ "$(id -u)" = 0 ]; then
  mknod -m 0600 "$S/dev/console" c 5 1
else
  guest_log "not root: no /dev/console node in the image (the init creates it at boot)"
fi
guest_cpio "$S" "$tmp/base.cpio.gz"
mkdir -p "$(dirname "$out")"
if [ -n "$modules" ]; then cat "$modules" "$tmp/base.cpio.gz" > "$out"; else mv "$tmp/base.cpio.gz" "$out"; fi
echo "base initramfs: $out ($(stat -c %s "$out") bytes gzip, sha256 $(sha256sum "$out" | cut -c1-16))"
