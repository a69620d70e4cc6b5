#!/usr/bin/env bash
# Assembles the example's OCI image layout from Debian's busybox-static, without a registry or a container engine:
# one gzip layer (bin/busybox + applet links + /www/index.html), an image config whose Entrypoint runs
# `busybox httpd` on port 80, the manifest and index.json. Byte-reproducible (sorted tar, 0:0, fixed mtime, gzip -n).
#
# Usage: build-image.sh [layout-dir]     (default: image-layout next to this script)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
out=${1:-$here/image-layout}
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "build-image.sh: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root="$tmp/rootfs"
mkdir -p "$root/bin" "$root/www" "$root/etc" "$root/tmp"
cp "$busybox" "$root/bin/busybox"; chmod 0755 "$root/bin/busybox"
for a in sh ls cat echo mkdir rm ps kill sleep httpd; do ln -s busybox "$root/bin/$a"; done
printf 'Hello from an OCI image in a Volant microVM! \xf0\x9f\x9a\x80' > "$root/www/index.html"
printf 'root:x:0:0:root:/:/bin/sh\nwww:x:33:33:www:/www:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nwww:x:33:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
find "$root" -exec touch -h -d @1704067200 {} +

tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1704067200 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$root" -cf "$tmp/layer.tar" .
gzip -n -9 -c "$tmp/layer.tar" > "$tmp/layer.tar.gz"

rm -rf "$out"; mkdir -p "$out/blobs/sha256"
blob() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$out/blobs/sha256/$d"; echo "$d"; }
size() { stat -c %s "$1"; }
diff_id=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
layer=$(blob "$tmp/layer.tar.gz")

cat > "$tmp/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["/bin/busybox","httpd","-f","-p","80","-h","/www"],"WorkingDir":"/www","ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
config=$(blob "$tmp/config.json")
cat > "$tmp/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$(size "$tmp/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$(size "$tmp/layer.tar.gz")}]}
JSON
manifest=$(blob "$tmp/manifest.json")
cat > "$out/index.json" <<JSON
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest","size":$(size "$tmp/manifest.json"),"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
echo "image layout written: $out (manifest sha256:$manifest)"
