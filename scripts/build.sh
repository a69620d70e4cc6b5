#!/usr/bin/env bash
# Builds every module and leaves bin/volantd, bin/volar, bin/fledge ready to run. No settings needed.
# Usage: scripts/build.sh [extra maven args]   (tests are skipped; scripts/test.sh runs them)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
cd "$root"
mvn -B -q -ntp -DskipTests package "$@"
if [ -f guest/Makefile ]; then make -s -C guest; fi
echo "built: $(bin/volar --version)"
