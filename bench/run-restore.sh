#!/usr/bin/env bash
# The restore benchmark in one command (see bench/README.md, "Restores"):
#   bash bench/run-restore.sh
# Builds the bench (Maven profile "bench", `package`: nothing is installed into ~/.m2), then runs
# io.pgrunbooks.bench.RestoreBench: the backup benchmark's cached PostgreSQL cluster and ~1.3 GB
# database (bench/target/backup-bench/pg, generated the first time, a few minutes), an s3proxy JVM,
# one compatible backup made by the BackupDatabase activity, then five ways to restore it into a
# fresh database, interleaved. Results on stdout and in bench/results/restore-latest.md.
# Every process it starts is stopped at the end (or on Ctrl-C); temporary files are removed.
# Knobs: BENCH_RESTORE_RUNS (3); BENCH_RESTORE_VARIANTS (SEED,BARE,BARE_J2,STREAMED,STAGED: a subset, in
# that order within a round). MAVEN_ARGS=-o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages
find_jdk

# /usr/bin/time -v measures the seed's and the references' processes; openssl is the seed's decryption.
ensure_bench_tools

say "building (./mvnw -Pbench -pl bench -am package -DskipTests)"
./mvnw -B -q -ntp -Pbench -pl bench -am package -DskipTests

say "running the restore benchmark (about 5 minutes; 4 more the first time, to generate the database)"
exec "$JAVA_HOME/bin/java" -Xmx512m -XX:-UsePerfData \
  -Dbench.root="$PWD" \
  -Dbench.restore.runs="${BENCH_RESTORE_RUNS:-3}" \
  -Dbench.restore.variants="${BENCH_RESTORE_VARIANTS:-SEED,BARE,BARE_J2,STREAMED,STAGED}" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.pgrunbooks.bench.RestoreBench
