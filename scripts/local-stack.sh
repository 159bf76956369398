#!/usr/bin/env bash
# The local stack behind `./dev start`: Temporal dev server (+ Web UI), a demo PostgreSQL cluster
# holding the seed's five databases, a worker and the API. State lives in .local/ and survives
# restarts (Temporal's SQLite file keeps the runs' history). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
find_jdk
export TEMPORAL_CLI="${TEMPORAL_CLI:-$PGRB_CACHE/bin/temporal}"

STATE="$PWD/.local"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
API_PORT="${PGRUNBOOKS_API_PORT:-8080}"
PG_PORT="${DEMO_PG_PORT:-55432}"
S3_PORT="${DEMO_S3_PORT:-9000}"
WORKER_PORT="${PGRUNBOOKS_WORKER_PORT:-8081}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
mkdir -p "$STATE/logs" "$STATE/temporal" "$STATE/config"

pids=()
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  as_pg "$PG_BIN/pg_ctl" -D "$STATE/pgdata" stop -m fast -w >/dev/null 2>&1 || true
  say "stopped; state kept in .local/ (delete it to start afresh)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$API_PORT" "$PG_PORT" "$S3_PORT" "$WORKER_PORT"; do
  port_busy "$p" && die "port $p is in use (another stack running?). Set TEMPORAL_PORT, TEMPORAL_UI_PORT, PGRUNBOOKS_API_PORT, DEMO_PG_PORT, DEMO_S3_PORT or PGRUNBOOKS_WORKER_PORT."
done

wait_for() { # name, seconds, command...
  local name=$1 secs=$2; shift 2
  for _ in $(seq "$((secs * 5))"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$name did not come up in ${secs}s; see .local/logs/"
}

# 1. Build (skipped when the jars are newer than every source file).
worker_jar=$(ls workers/target/workers-*-exec.jar 2>/dev/null | head -1 || true)
api_jar=$(ls api/target/api-*-exec.jar 2>/dev/null | head -1 || true)
if [ -z "$worker_jar" ] || [ -z "$api_jar" ] || [ -n "$(find . -path ./.local -prune -o \( -name '*.java' -o -name '*.yml' -o -name '*.properties' -o -name pom.xml \) -newer "$worker_jar" -print -quit)" ]; then
  say "building (first time: a few minutes)"
  ./mvnw -B -q -ntp -DskipTests install
  worker_jar=$(ls workers/target/workers-*-exec.jar | head -1)
  api_jar=$(ls api/target/api-*-exec.jar | head -1)
fi

# 2. Temporal dev server with the Web UI, history in a SQLite file.
sa_args=()
while IFS='=' read -r name type; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  sa_args+=(--search-attribute "$name=$type")
done < workflows/src/main/resources/search-attributes.properties
"$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
  --db-filename "$STATE/temporal/temporal.db" --log-level warn "${sa_args[@]}" \
  --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
  --dynamic-config-value system.enableActivityEagerExecution=true >"$STATE/logs/temporal.log" 2>&1 &
pids+=($!)
wait_for "Temporal" 60 "$TEMPORAL_CLI" operator namespace describe --address "127.0.0.1:$TEMPORAL_PORT" default

# 3. The demo PostgreSQL cluster with the seed's five databases.
if [ ! -f "$STATE/pgdata/PG_VERSION" ]; then
  say "creating the demo PostgreSQL cluster in .local/pgdata"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/demo-db-password"
  chmod 600 "$STATE/demo-db-password"
  if [ "$(id -u)" -eq 0 ]; then
    install -d -o postgres -m 700 "$STATE/pgdata"
    install -o postgres -m 600 "$STATE/demo-db-password" "$STATE/pgdata.pw"
  else
    cp "$STATE/demo-db-password" "$STATE/pgdata.pw"
  fi
  as_pg "$PG_BIN/initdb" -D "$STATE/pgdata" -U postgres --pwfile="$STATE/pgdata.pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"$STATE/logs/initdb.log"
  rm -f "$STATE/pgdata.pw"
fi
if [ "$(id -u)" -eq 0 ]; then install -d -o postgres "$STATE/logs/postgres"; else mkdir -p "$STATE/logs/postgres"; fi
as_pg "$PG_BIN/pg_ctl" -D "$STATE/pgdata" -l "$STATE/logs/postgres/server.log" -w start \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp" >/dev/null
PGPASSWORD=$(cat "$STATE/demo-db-password") psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
  -v ON_ERROR_STOP=1 -f scripts/demo/seed-databases.sql >"$STATE/logs/seed.log"

# 4. The backup store: s3proxy with its filesystem backend in .local/s3 (the tests' S3ProxyServer).
s3cp="$STATE/s3proxy.classpath"
if [ ! -s "$s3cp" ] || [ activities/pom.xml -nt "$s3cp" ]; then
  ./mvnw -B -q -ntp -pl activities dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$s3cp"
fi
java -cp "activities/target/test-classes:activities/target/classes:$(cat "$s3cp")" io.pgrunbooks.harness.S3ProxyServer \
  --port "$S3_PORT" --dir "$STATE/s3" --bucket pg-backups \
  --access-key-file "$STATE/s3/access-key" --secret-key-file "$STATE/s3/secret-key" >"$STATE/logs/s3proxy.log" 2>&1 &
pids+=($!)
wait_for "s3proxy" 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$S3_PORT"
[ -f "$STATE/backup-key" ] || { head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$STATE/backup-key"; chmod 600 "$STATE/backup-key"; }

# 5. Configuration shared by the worker and the API: the demo target (a host-hosted cluster).
cat >"$STATE/config/application-local.yml" <<YML
pgrunbooks:
  targets:
    demo:
      hosting: host
      primary:
        jdbc-url: jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
        user: postgres
        password-ref: file:$STATE/demo-db-password
      databases: [link_users, link_chat, link_ai, link_discovery, link_search]
      host:
        data-directory: $STATE/pgdata
        bin-directory: $PG_BIN
        os-user: postgres
      backup:
        store: local
        key-ref: file:$STATE/backup-key
      restore:
        check-tables: [users, messages]
  watch:
    rules-directory: $STATE/prometheus-rules
  stores:
    local:
      endpoint: http://127.0.0.1:$S3_PORT
      bucket: pg-backups
      access-key-ref: file:$STATE/s3/access-key
      secret-key-ref: file:$STATE/s3/secret-key
YML
[ -f "$STATE/token" ] || { head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$STATE/token"; chmod 600 "$STATE/token"; }
# The secret the API signs approvals with and the worker verifies them with (README, Approvals).
[ -f "$STATE/approval-signing-key" ] || { head -c 48 /dev/urandom | base64 | tr -d '/+=' >"$STATE/approval-signing-key"; chmod 600 "$STATE/approval-signing-key"; }
export PGRUNBOOKS_LOCAL_TOKEN PGRUNBOOKS_LOCAL_TOKEN_NAME
PGRUNBOOKS_LOCAL_TOKEN=$(cat "$STATE/token")
PGRUNBOOKS_LOCAL_TOKEN_NAME="${USER:-local}-operator"
common=(--spring.config.additional-location="file:$STATE/config/application-local.yml"
        --spring.temporal.connection.target="127.0.0.1:$TEMPORAL_PORT"
        --pgrunbooks.approvals.signing-key-ref="file:$STATE/approval-signing-key")

# 6. Worker and API.
java -jar "$worker_jar" "${common[@]}" --server.port="$WORKER_PORT" >"$STATE/logs/worker.log" 2>&1 &
pids+=($!)
java -jar "$api_jar" "${common[@]}" --server.port="$API_PORT" \
  --pgrunbooks.web-ui-url="http://127.0.0.1:$TEMPORAL_UI_PORT" >"$STATE/logs/api.log" 2>&1 &
pids+=($!)
wait_for "the API" 120 curl -fsS "http://127.0.0.1:$API_PORT/actuator/health"

cat <<INFO

  pg-runbooks is running.
    API          http://127.0.0.1:$API_PORT          (token below; roles viewer, operator, approver)
    Temporal UI  http://127.0.0.1:$TEMPORAL_UI_PORT
    Demo target  "demo": PostgreSQL on 127.0.0.1:$PG_PORT with link_users, link_chat, link_ai, link_discovery, link_search
    Backups      s3://pg-backups on s3proxy at http://127.0.0.1:$S3_PORT (files in .local/s3), key in .local/backup-key
    Metrics      http://127.0.0.1:$WORKER_PORT/actuator/prometheus (postgres_backup_last_success_timestamp, ...)
    Logs         .local/logs/

  export TOKEN=$PGRUNBOOKS_LOCAL_TOKEN
  curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
       -d '{"runbook":"assess-database-health","target":"demo"}' http://127.0.0.1:$API_PORT/api/runs
  (runbooks: assess-database-health, backup-databases, verify-backup; see GET /api/runbooks)

  Ctrl-C stops everything.
INFO

wait -n "${pids[@]}" || true
say "a process exited unexpectedly; see .local/logs/"
exit 1
