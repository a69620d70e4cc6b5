#!/usr/bin/env bash
# The quickstart: installs dependencies, builds everything and (as the project grows) starts volantd with the
# example deployment. Run as root on a fresh Debian machine.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
if [ "$(id -u)" = 0 ]; then "$root/scripts/install-deps.sh"; fi
"$root/scripts/build.sh"
