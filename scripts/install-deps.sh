#!/usr/bin/env bash
# Installs, from Debian, everything Volant's build, tests and quickstart use. Idempotent; needs root.
set -euo pipefail
pkgs=(
  maven gcc libc6-dev make
  qemu-system-x86 qemu-utils
  busybox-static
  iproute2 nftables iptables
  mtools dosfstools
  e2fsprogs squashfs-tools
  skopeo umoci
  binutils patchelf zstd xz-utils cpio
  curl socat bc procps psmisc python3
  sqlite3
  tmux
  etcd-server etcd-client
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
echo "dependencies ready (JDK: $JAVA_HOME)"
