#!/usr/bin/env bash
# The backup-failure runbook benchmark in one command (see bench/README.md, "Backup-failure runbook"):
#   bash bench/run-backup-failure.sh
# Builds the worker and API jars and the bench (Maven profile "bench", package only: nothing is
# installed into ~/.m2), then runs io.pgrunbooks.bench.BackupFailureBench: a Temporal dev server, a
# PostgreSQL cluster with a generated database, s3proxy and Prometheus, the worker and the API on
# loopback; respond-to-backup-failure on a target whose bucket was deleted (its create-bucket gate
# approved at once) against backup-databases then verify-backup on a healthy target of the same data,
# interleaved. Results on stdout and in bench/results/backup-failure-latest.md.
# Knobs: BENCH_BF_RUNS (5), BENCH_BF_WARMUPS (1), BENCH_BF_MIB (256: size of the generated data).
# Maven options (e.g. -o) through MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk
ensure_temporal_cli

say "building (./mvnw -Pbench -pl bench -am package -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am package -DskipTests

rm -rf bench/target/logs  # worker and API logs of this run only
say "running the backup-failure runbook benchmark (about 5 minutes with the defaults)"
exec "$JAVA_HOME/bin/java" -Xmx512m \
  -Dbench.root="$PWD" \
  -Dbench.bf.runs="${BENCH_BF_RUNS:-5}" -Dbench.bf.warmups="${BENCH_BF_WARMUPS:-1}" \
  -Dbench.bf.mib="${BENCH_BF_MIB:-256}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.BackupFailureBench
