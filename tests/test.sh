#!/usr/bin/env bash
# Runs every HomeSignal test on a fresh Debian machine: installs what is missing (as root), builds, tests.
# Tests start their own mosquitto, influxd and chromium on 127.0.0.1 with free ports and temp dirs.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2
  exit 1
fi

need=()
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || need+=(mosquitto mosquitto-clients)
command -v influxd >/dev/null || need+=(influxdb)
command -v chromium >/dev/null || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need[*]}. Run this script as root, or: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "Installing ${need[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet build HomeSignal.sln -c Release --nologo -clp:ErrorsOnly
status=0
# One test project at a time: the browser, crash and server tests each load the 2-core machine on their own.
dotnet test HomeSignal.sln -c Release --no-build --nologo -m:1 \
  --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=minimal" || status=$?

# One closing line over all test projects, as CI and people read it.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
