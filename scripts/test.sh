#!/usr/bin/env bash
# Runs every test: unit, property and integration tests of all modules (Maven Surefire), then the guest shim's tests.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# As root (a fresh machine, CI) first install what the tests need; idempotent and quick when all is there.
if [ "$(id -u)" = 0 ]; then "$root/scripts/install-deps.sh"; fi
. "$root/scripts/lib/jdk.sh"
cd "$root"
mvn -B -ntp install
if [ -f guest/Makefile ]; then make -s -C guest test; fi
