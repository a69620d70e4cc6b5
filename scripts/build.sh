#!/usr/bin/env bash
# Builds every module and leaves bin/volantd, bin/volar, bin/fledge ready to run. No settings needed.
# Usage: scripts/build.sh [extra maven args]   (tests are skipped; scripts/test.sh runs them)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/lib/jdk.sh"
cd "$root"
mvn -B -q -ntp -DskipTests package "$@"
make -s -C guest
# The agent bundle (jlink runtime + kestrel), rebuilt only when kestrel changed, and its read-only disk image, which
# volantd attaches to every VM (VOLANT_AGENT_IMAGE, docs/guest.md "Agent image"); rebuilt when the bundle is newer
# (the bundle's files all carry SOURCE_DATE_EPOCH, so its freshly written archive tells when it was built).
if ! cmp -s kestrel/target/kestrel.jar build/agent-bundle/app/kestrel.jar 2>/dev/null; then
  scripts/build-agent-bundle.sh >/dev/null
fi
if [ ! -f build/agent-bundle.img ] || [ build/agent-bundle.tar.gz -nt build/agent-bundle.img ]; then
  scripts/build-agent-image.sh >/dev/null
fi
# AOT caches of the two CLIs, trained on their common commands (scripts/lib/launch.sh uses them when they match).
VOLANT_AOT_TRAIN=1 bin/volar
VOLANT_AOT_TRAIN=1 bin/fledge
echo "built: $(bin/volar --version)"
