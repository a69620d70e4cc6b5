#!/usr/bin/env bash
# Builds every module and leaves bin/volantd, bin/volar, bin/fledge ready to run. No settings needed.
# Usage: scripts/build.sh [extra maven args]   (tests are skipped; scripts/test.sh runs them)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
cd "$root"
mvn -B -q -ntp -DskipTests package "$@"
make -s -C guest
# The agent bundle (jlink runtime + kestrel) that fledge embeds; rebuilt only when kestrel changed.
if ! cmp -s kestrel/target/kestrel.jar build/agent-bundle/app/kestrel.jar 2>/dev/null; then
  scripts/build-agent-bundle.sh >/dev/null
fi
echo "built: $(bin/volar --version)"
