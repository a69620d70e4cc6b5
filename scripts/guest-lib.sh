# Sourced by the guest build scripts (fetch-kernel.sh, build-agent-bundle.sh, build-base-initramfs.sh), the boot tests
# and the guest bench.
# Deterministic archives: every entry owned by 0:0, mtime SOURCE_DATE_EPOCH (default 0), entries in byte order,
# gzip without name/time, so the same inputs give the same bytes on any host.

guest_epoch() { echo "${SOURCE_DATE_EPOCH:-0}"; }

# guest_cpio <dir> <out.cpio.gz>: newc archive of the contents of <dir> (paths relative, no leading "./").
guest_cpio() {
  local dir=$1 out=$2 tmp
  tmp="$out.tmp.$$"
  find "$dir" -exec touch -h -d "@$(guest_epoch)" {} +
  (cd "$dir" && find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z |
     cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) | gzip -n -9 > "$tmp"
  mv "$tmp" "$out"
}

# guest_tar <dir> <out.tar.gz>: tar of the contents of <dir>, same determinism rules.
guest_tar() {
  local dir=$1 out=$2
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(guest_epoch)" --format=gnu \
      -C "$dir" -cf - . | gzip -n -9 > "$out.tmp.$$"
  mv "$out.tmp.$$" "$out"
}

# guest_manifest_arg <json>: the manifest as the value of volant.manifest= (gzip, base64url without padding).
guest_manifest_arg() { printf '%s' "$1" | gzip -n | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# guest_agent_inputs <root>: what the real-agent VM tests boot — the kernel bundle (fetched when missing or stale) and
# the agent bundle (built when missing); sets $bundle (AGENT_BUNDLE, default build/agent-bundle) and $K (the kernel).
guest_agent_inputs() {
  bundle=${AGENT_BUNDLE:-$1/build/agent-bundle}
  "$1/scripts/fetch-kernel.sh" "$1/build/kernel" >/dev/null
  [ -f "$bundle/kestrel.argv" ] || "$1/scripts/build-agent-bundle.sh" "$bundle"
  K="$1/build/kernel/vmlinuz"
}

guest_log() { echo "$(basename "$0"): $*" >&2; }

# guest_netns_tap <ns>: the boot tests' and the guest bench's network — namespace <ns> with tap0 at 10.0.2.1/24 (the
# guest is 10.0.2.2) — and the QEMU accelerator in $accel/$cpu. KVM only on request (VOLANT_QEMU_ACCEL=kvm):
# /dev/kvm may open yet fail at vCPU setup (nested hosts), as on the development machine.
guest_netns_tap() {
  local ns=$1
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip tuntap add dev tap0 mode tap
  ip netns exec "$ns" ip addr add 10.0.2.1/24 dev tap0
  ip netns exec "$ns" ip link set tap0 up
  accel=tcg cpu=max
  if [ "${VOLANT_QEMU_ACCEL:-tcg}" = kvm ]; then accel=kvm cpu=host; fi
}
