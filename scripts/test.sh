#!/usr/bin/env bash
# Runs every test: unit, property, integration and real-VM tests of all modules (Maven Surefire), then the guest
# init's unit tests and, as root, its real-VM boot tests.
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
else
  echo "guest VM tests skipped: they need root (network namespace, tap)"
fi
