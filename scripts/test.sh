#!/usr/bin/env bash
# Runs every test: unit, property, integration and real-VM tests of all modules (Maven Surefire), then the guest
# init's unit tests and, as root, its real-VM boot tests and the end-to-end suite (e2e/, docs/e2e.md).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# As root (a fresh machine, CI) first install what the tests need; idempotent and quick when all is there.
if [ "$(id -u)" = 0 ]; then "$root/scripts/install-deps.sh"; fi
. "$root/scripts/lib/jdk.sh"
cd "$root"
mvn -B -ntp install
make -s -C guest test
# Real-VM tests of the guest (QEMU; TCG without KVM) need root for their network namespace and tap.
if [ "$(id -u)" = 0 ]; then
  make -s -C guest vm-test
  make -s -C guest agent-vm-test
  make -s -C guest template-vm-test
else
  echo "guest VM tests skipped: they need root (network namespace, tap)"
fi
# The end-to-end suite drives bin/fledge, bin/volar and bin/volantd (QEMU, its own network namespace). It needs what
# scripts/build.sh leaves (jars from the install above, the guest init, the agent bundle and its disk image) plus the
# guest kernel.
if [ "$(id -u)" = 0 ]; then
  make -s -C guest
  scripts/fetch-kernel.sh >/dev/null
  if ! cmp -s kestrel/target/kestrel.jar build/agent-bundle/app/kestrel.jar 2>/dev/null; then
    scripts/build-agent-bundle.sh >/dev/null
  fi
  # volantd attaches the agent to every VM as this read-only image (docs/operations.md §2.1).
  if [ ! -f build/agent-bundle.img ] || [ build/agent-bundle.tar.gz -nt build/agent-bundle.img ]; then
    scripts/build-agent-image.sh >/dev/null
  fi
  mvn -B -ntp -pl e2e test -Dvolant.e2e=true
else
  echo "e2e suite skipped: it needs root (network namespace, bridge, taps for QEMU guests); see docs/e2e.md"
fi
