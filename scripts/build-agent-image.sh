#!/usr/bin/env bash
# The agent bundle as a read-only disk image (docs/guest.md, "Agent image"): an uncompressed squashfs of
# build/agent-bundle/ that a VM gets as a virtio-blk disk with serial "volant-agent"; the guest init mounts it on
# /opt/volant/agent. Why: inside the initramfs the ~90 MB runtime is gunzipped and copied into guest RAM at every
# boot (and QEMU holds the compressed initrd too); from a disk only the pages kestrel touches are read, and the
# host's page cache holds one copy for every VM. Uncompressed: an emulated CPU would pay for decompressing each page.
# Deterministic: mtimes as in the bundle (the AOT cache checks them), 0:0, SOURCE_DATE_EPOCH as creation time.
#
# Usage: scripts/build-agent-image.sh [bundle-dir] [out.img]   (default build/agent-bundle, build/agent-bundle.img)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/guest-lib.sh"
bundle=${1:-$root/build/agent-bundle}
out=${2:-$root/build/agent-bundle.img}
[ -f "$bundle/kestrel.argv" ] || "$root/scripts/build-agent-bundle.sh" "$bundle"
command -v mksquashfs >/dev/null || { guest_log "mksquashfs missing (install squashfs-tools)"; exit 1; }
rm -f "$out.tmp.$$"
mksquashfs "$bundle" "$out.tmp.$$" -quiet -noappend -all-root -no-xattrs -noI -noD -noF -noX \
  -mkfs-time "$(guest_epoch)" >/dev/null
mv "$out.tmp.$$" "$out"
echo "agent image: $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16))"
