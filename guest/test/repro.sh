#!/usr/bin/env bash
# Reproducibility check: a second build of the init in a different directory gives the same bytes as $1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ref=$(readlink -f "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$here/src" "$here/Makefile" "$tmp/"
make -s -C "$tmp" BUILD=out out/volant-init >/dev/null
if cmp -s "$ref" "$tmp/out/volant-init"; then
  echo "repro: ok, two builds are byte-identical ($(stat -c %s "$ref") bytes, sha256 $(sha256sum "$ref" | cut -c1-16))"
else
  echo "repro: FAILED, $ref differs from a rebuild in $tmp" >&2; exit 1
fi
! readelf -l "$ref" | grep -q 'program interpreter' || { echo "repro: FAILED, $ref is not static" >&2; exit 1; }
