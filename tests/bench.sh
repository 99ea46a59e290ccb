#!/usr/bin/env bash
# Runs the benchmarks (not tests): each prints its figures next to a baseline measured in the same run.
#   ./tests/bench.sh            all benchmarks
#   ./tests/bench.sh ingest     one of: ingest, edge, detection
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project tests/HomeSignal.Benchmarks -- "$@"
