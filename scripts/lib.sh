# Shared by ./dev and .ci/run: find a JDK 21+, and the cached Temporal CLI.
# shellcheck shell=bash

PGRB_CACHE="${PGRB_CACHE:-$HOME/.cache/pg-runbooks}"
TEMPORAL_CLI_VERSION="v1.5.1"

say() { printf '\033[1m[pg-runbooks]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# Exports JAVA_HOME pointing at a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
find_jdk() {
  local candidate major best="" best_major=0
  for candidate in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best="$candidate"; break; fi
  done
  [ -n "$best" ] || die "no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Install one (e.g. Temurin 21 or 25) and set JAVA_HOME."
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Builds the Temporal CLI once into the cache (a few minutes the first time).
ensure_temporal_cli() {
  export TEMPORAL_CLI="$PGRB_CACHE/bin/temporal"
  # go install builds report "0.0.0-DEV"; the bundled server version identifies v1.5.1.
  if [ -x "$TEMPORAL_CLI" ] && "$TEMPORAL_CLI" --version 2>/dev/null | grep -q "Server 1.29"; then
    return 0
  fi
  command -v go >/dev/null || die "Go >= 1.25 is needed once to build the Temporal CLI: install Go, or put temporal ${TEMPORAL_CLI_VERSION} at $TEMPORAL_CLI"
  say "building the Temporal CLI ${TEMPORAL_CLI_VERSION} into $PGRB_CACHE/bin (first time only, a few minutes)"
  mkdir -p "$PGRB_CACHE/bin"
  GOBIN="$PGRB_CACHE/bin" go install "github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}" \
    || die "go install of the Temporal CLI failed (needs Go >= 1.25; later CLI tags cannot be go-installed)"
}

# Installs the Debian packages named when root, else says what to run and stops.
apt_install() {
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing $*"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
      || die "apt-get install $* failed"
  else
    die "missing packages: $*. Run: sudo apt-get install $*"
  fi
}

# Debian packages the stack and the tests use; installs what is missing when root, else says what to run.
ensure_packages() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
  command -v psql >/dev/null || missing+=(postgresql-client-15)
  command -v runuser >/dev/null || missing+=(util-linux)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  # the real Prometheus the backup-failure runbook queries in tests, and promtool for the shipped rules
  { command -v prometheus >/dev/null && command -v promtool >/dev/null; } || missing+=(prometheus)
  # the real Alertmanager that fires at the API's webhook in the alerts end-to-end test (amtool checks
  # the compose Alertmanager config); ComposeFileTest: Debian's docker-compose parses docker-compose.yml
  # and ships the Compose schema (its python3-jsonschema and python3-yaml validate against it)
  { [ -x /usr/bin/prometheus-alertmanager ] && command -v amtool >/dev/null; } || missing+=(prometheus-alertmanager)
  [ -x /usr/bin/docker-compose ] || missing+=(docker-compose)
  # headless Chromium and its driver for the Web UI browser test (api WebUiEndToEndTest)
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || missing+=(chromium chromium-driver)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# schemathesis (PyPI), the API fuzz test's tool, in a venv of its own under the cache; exports SCHEMATHESIS.
SCHEMATHESIS_VERSION="4.32.5"
ensure_fuzz_venv() {
  local venv="$PGRB_CACHE/venv"
  export SCHEMATHESIS="$venv/bin/schemathesis"
  if [ -x "$SCHEMATHESIS" ] && "$SCHEMATHESIS" --version 2>/dev/null | grep -q "version ${SCHEMATHESIS_VERSION}\$"; then
    return 0
  fi
  local python=/usr/bin/python3
  [ -x "$python" ] || python=$(command -v python3) || true
  if [ -z "$python" ] || ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3 python3-venv
    python=/usr/bin/python3
  fi
  say "installing schemathesis ${SCHEMATHESIS_VERSION} into $venv (first time only)"
  rm -rf "$venv"
  "$python" -m venv "$venv" || die "python3 -m venv $venv failed"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}" \
    || die "pip install schemathesis==${SCHEMATHESIS_VERSION} failed"
}

# docker-compose.yml is only validated here (no Docker engine is needed for that).
check_compose_file() {
  local compose
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null \
     && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing docker-compose (to validate docker-compose.yml)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null \
      || die "apt-get install docker-compose failed"
  fi
  if docker compose version >/dev/null 2>&1; then compose=(docker compose)
  elif command -v docker-compose >/dev/null; then compose=(docker-compose)
  else die "docker compose is needed to validate docker-compose.yml: apt-get install docker-compose"; fi
  PGRUNBOOKS_TOKEN=validation-only PGRUNBOOKS_S3_SECRET=validation-only PGRUNBOOKS_BACKUP_KEY=validation-only \
    PGRUNBOOKS_ALERTMANAGER_TOKEN=validation-only PGRUNBOOKS_APPROVAL_SIGNING_KEY=validation-only \
    "${compose[@]}" -f docker-compose.yml config -q \
    || die "docker-compose.yml is not valid"
  say "docker-compose.yml is valid"
}

# The benchmarks' extra tools: /usr/bin/time -v (peak RSS, CPU of a process) and the openssl CLI (the seed's cipher).
ensure_bench_tools() {
  local missing=()
  [ -x /usr/bin/time ] || missing+=(time)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}
