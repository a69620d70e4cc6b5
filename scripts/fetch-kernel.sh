#!/usr/bin/env bash
# Fetches the guest kernel bundle (host-runtime.md §9.6): Debian's current linux-image-cloud-amd64 kernel, its module
# tree, and a module archive (newc cpio, gzip) holding the modules Volant needs plus /etc/volant/modules.load in load
# order (plugins-and-guest.md §3.5). The launcher puts that archive in front of the plugin's initramfs.
#
# Usage: scripts/fetch-kernel.sh [outdir]      (default: <repo>/build/kernel, git-ignored)
# Env:   VOLANT_GUEST_MODULES  comma-separated module names (default: the §9.6 list)
# Output (outdir): vmlinuz (-> vmlinuz-<release>), lib/modules/<release>/ (the whole tree, for
#   VOLANT_GUEST_MODULES_DIR), modules.cpio.gz, modules.load, release, STAMP. Re-running with the same package version
#   and module list does nothing. Needs apt-get, dpkg, objcopy, cpio, gzip (xz/zstd only for compressed modules).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/guest-lib.sh"
out=${1:-$root/build/kernel}
default_modules=virtio_pci,virtio_blk,virtio_net,virtio_console,vmw_vsock_virtio_transport,vfat,nls_cp437,nls_ascii,nls_iso8859-1,isofs,squashfs,overlay,button,evdev
modules=${VOLANT_GUEST_MODULES:-$default_modules}

pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$pkg" ]; then
  guest_log "cannot resolve linux-image-cloud-amd64 (run apt-get update first)"; exit 1
fi
ver=$(apt-cache show --no-all-versions "$pkg" | awk '/^Version:/{print $2; exit}')
stamp="$pkg $ver $modules"

report() {
  echo "kernel release: $(cat "$out/release") ($pkg $ver)"
  echo "kernel:         $out/vmlinuz"
  echo "modules dir:    $out/lib/modules/$(cat "$out/release")"
  echo "module archive: $out/modules.cpio.gz ($(stat -c %s "$out/modules.cpio.gz") bytes)"
}

if [ -f "$out/STAMP" ] && [ "$(cat "$out/STAMP")" = "$stamp" ] && [ -f "$out/modules.cpio.gz" ] && [ -e "$out/vmlinuz" ]; then
  report; exit 0
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || { guest_log "apt-get download $pkg failed"; exit 1; }
dpkg -x "$tmp"/*.deb "$tmp/x"
release=$(ls "$tmp/x/lib/modules")
moddir="$tmp/x/lib/modules/$release"

# Index: module name ("-" and "_" equal) -> path relative to the module dir, compression suffix kept.
declare -A path_of=() builtin=() seen=()
while IFS= read -r f; do
  n=$(basename "$f"); n=${n%.xz}; n=${n%.zst}; n=${n%.gz}; n=${n%.ko}; n=${n//-/_}
  path_of[$n]=${f#"$moddir"/}
done < <(find "$moddir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
if [ -f "$moddir/modules.builtin" ]; then
  while IFS= read -r f; do n=$(basename "$f" .ko); builtin[${n//-/_}]=1; done < "$moddir/modules.builtin"
fi

# Decompressed copy of a module (compressed modules are stored as plain .ko, §9.6 step 3).
plain() { # $1 = relative path (maybe compressed); prints the relative .ko path
  local rel=$1 src="$moddir/$1" dst
  dst=${rel%.xz}; dst=${dst%.zst}; dst=${dst%.gz}
  if [ ! -f "$tmp/plain/$dst" ]; then
    mkdir -p "$(dirname "$tmp/plain/$dst")"
    case "$rel" in
      *.xz) xz -dc "$src" > "$tmp/plain/$dst" ;;
      *.zst) zstd -qdc "$src" > "$tmp/plain/$dst" ;;
      *.gz) gzip -dc "$src" > "$tmp/plain/$dst" ;;
      *) cp "$src" "$tmp/plain/$dst" ;;
    esac
  fi
  echo "$dst"
}

# Direct dependencies from the .modinfo section (the Debian package ships no modules.dep).
deps_of() {
  objcopy -O binary --only-section=.modinfo "$tmp/plain/$1" /dev/stdout 2>/dev/null | tr '\0' '\n' |
    sed -n 's/^depends=//p' | tr ',' '\n' | sed '/^$/d'
}

order=()
resolve() { # depth-first: dependencies first, each module once
  local n=${1//-/_} rel d
  [ -z "${seen[$n]:-}" ] || return 0
  seen[$n]=1
  if [ -n "${builtin[$n]:-}" ]; then return 0; fi
  if [ -z "${path_of[$n]:-}" ]; then guest_log "guest module $1 not found in $moddir"; return 0; fi
  rel=$(plain "${path_of[$n]}")
  for d in $(deps_of "$rel"); do resolve "$d"; done
  order+=("$rel")
}
IFS=',' read -r -a wanted <<< "$modules"
for m in "${wanted[@]}"; do [ -n "$m" ] && resolve "$m"; done

# Module archive: lib/modules/<release>/<path> (0644) + etc/volant/modules.load (0644).
stage="$tmp/stage"
mkdir -p "$stage/lib/modules/$release" "$stage/etc/volant"
for rel in "${order[@]}"; do
  mkdir -p "$(dirname "$stage/lib/modules/$release/$rel")"
  install -m 0644 "$tmp/plain/$rel" "$stage/lib/modules/$release/$rel"
  echo "$rel" >> "$stage/etc/volant/modules.load"
done
chmod 0644 "$stage/etc/volant/modules.load"
find "$stage" -type d -exec chmod 0755 {} +

mkdir -p "$out"
rm -rf "$out/lib" "$out"/vmlinuz*
mkdir -p "$out/lib/modules"
mv "$moddir" "$out/lib/modules/$release"
cp "$tmp/x/boot/vmlinuz-$release" "$out/vmlinuz-$release"
ln -s "vmlinuz-$release" "$out/vmlinuz"
cp "$stage/etc/volant/modules.load" "$out/modules.load"
guest_cpio "$stage" "$out/modules.cpio.gz"
echo "$release" > "$out/release"
echo "$stamp" > "$out/STAMP"
report
echo "load order:     $(sed 's|.*/||; s|\.ko$||' "$out/modules.load" | tr '\n' ' ')"
