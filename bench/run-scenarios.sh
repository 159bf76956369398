#!/usr/bin/env bash
# The failure-runbook benchmark in one command (see bench/README.md, "Failure runbook"):
#   bash bench/run-scenarios.sh
# Builds the worker and API jars and the bench (Maven profile "bench", package only: nothing is
# installed into ~/.m2), then runs io.pgrunbooks.bench.ScenarioBench: a Temporal dev server, a
# PostgreSQL cluster with a streaming replica, the worker and the API on loopback; diagnose-database,
# each repair scenario with its fault made real before each run, and respond-to-database-failure on a
# crashed server, every gate approved at once. Results on stdout and in bench/results/scenarios-latest.md.
# Knobs: BENCH_SCENARIO_RUNS (5), BENCH_SCENARIO_WARMUPS (1). Maven options (e.g. -o) through MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk
ensure_temporal_cli

say "building (./mvnw -Pbench -pl bench -am package -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am package -DskipTests

rm -rf bench/target/logs bench/target/scenario-bench  # logs and watch rules of this run only
say "running the failure-runbook benchmark (about 6 minutes with the defaults)"
exec "$JAVA_HOME/bin/java" -Xmx512m \
  -Dbench.root="$PWD" \
  -Dbench.scenarios.runs="${BENCH_SCENARIO_RUNS:-5}" -Dbench.scenarios.warmups="${BENCH_SCENARIO_WARMUPS:-1}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.ScenarioBench
