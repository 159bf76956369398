#!/usr/bin/env bash
# The AssessDatabaseHealth benchmark in one command (see bench/README.md):
#   bash bench/run.sh
# Builds the worker and API jars and the bench (Maven profile "bench"), then runs it: a Temporal dev
# server, a PostgreSQL cluster, the worker and the API on loopback; results on stdout and in
# bench/results/latest.md. Every process it starts is stopped at the end (or on Ctrl-C).
# Knobs: BENCH_RUNS (20), BENCH_WARMUPS (3), BENCH_CRASHES (5).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk
ensure_temporal_cli

say "building (./mvnw -Pbench -pl bench -am install -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am install -DskipTests

rm -rf bench/target/logs  # worker and API logs of this run only
say "running the benchmark (a few minutes)"
exec "$JAVA_HOME/bin/java" -Xmx512m \
  -Dbench.root="$PWD" \
  -Dbench.runs="${BENCH_RUNS:-20}" -Dbench.warmups="${BENCH_WARMUPS:-3}" -Dbench.crashes="${BENCH_CRASHES:-5}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.AssessmentBench
