#!/usr/bin/env bash
# Real OCI tools for kc tests and demos (see README.md): the CNCF distribution registry, oras and cosign, built from
# the Go module proxy into the cache, and one anonymous plain-HTTP registry on 127.0.0.1 for demos.
# Usage: registry.sh build [registry|oras|cosign|all] | path TOOL | up | down | url | status
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../tools/go-tool.sh
source "$HERE/../tools/go-tool.sh"
TOOL_LOG_PREFIX=registry

# name -> "version package". Binaries: $GO_TOOLS_CACHE/<name>-<version>/bin/<name> (go-tool.sh).
declare -A TOOLS=(
  [registry]="v3.1.2 github.com/distribution/distribution/v3/cmd/registry"
  [oras]="v1.3.6 oras.land/oras/cmd/oras"
  [cosign]="v3.1.3 github.com/sigstore/cosign/v3/cmd/cosign"
)
ORDER=(registry oras cosign)
GO_MIN=go1.26.7 # oras v1.3.6's go.mod asks for it; with GOTOOLCHAIN=local Go never downloads a newer toolchain

STATE=${KC_REGISTRY_STATE:-$ROOT/.kc/registry} # pid, port, config, log, data/ (tests use their own temp dir)
CONFIG="$STATE/config.yml"
PORT=${KC_REGISTRY_PORT:-36500} # fixed by default so the demo URL is stable; 0 = any free port

log() { echo "[registry] $*" >&2; }
die() { echo "[registry] ERROR: $*" >&2; exit 1; }

tool_version() {
  local spec=${TOOLS[$1]:-}
  [[ -n $spec ]] || die "unknown tool '$1' (registry, oras or cosign)"
  echo "${spec%% *}"
}
tool_bin() { go_tool_bin "$1" "$(tool_version "$1")"; }

# Builds one tool unless cached (go-tool.sh: a lock per tool, a temporary directory renamed into place).
build_one() {
  local spec=${TOOLS[$1]:-}
  [[ -n $spec ]] || die "unknown tool '$1' (registry, oras or cosign)"
  go_tool_build "$1" "${spec%% *}" "${spec#* }"
}

build() {
  local what=${1:-all} t
  if [[ $what == all ]]; then
    for t in "${ORDER[@]}"; do build_one "$t"; done
  else
    build_one "$what"
  fi
}

# --- the demo registry -------------------------------------------------------------------------------------------

# A pid is ours only if it is alive and its command line names our config (never signal a reused pid).
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF "$CONFIG"; }
# Alive and not a zombie (our own child, before it is reaped); used while the child may not have exec'd yet.
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $st && $st != Z ]]; }
pid_of() {
  local pid
  pid=$(cat "$STATE/registry.pid" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" && echo "$pid"
}
answers() {
  [[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/v2/" 2>/dev/null)" == 200 ]]
}
running() {
  local port
  pid_of >/dev/null || return 1
  port=$(cat "$STATE/port" 2>/dev/null) || return 1
  answers "127.0.0.1:$port"
}

write_config() {
  local secret; secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  cat > "$CONFIG" <<EOF
# Written by test/registry/registry.sh up: anonymous, plain HTTP, loopback only.
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
  secret: $secret
EOF
}

up() {
  build_one registry # first, so that a failing build never touches a running registry
  if running; then
    log "registry already running: http://$(url)"
    return 0
  fi
  down_quiet
  [[ $PORT =~ ^[0-9]+$ ]] || die "KC_REGISTRY_PORT=$PORT is not a port number"
  if [[ $PORT != 0 && -n "$(ss -Hltn "sport = :$PORT")" ]]; then
    die "port $PORT is in use (ss -ltnp shows by whom): stop it or set KC_REGISTRY_PORT (default 36500, 0 = any)"
  fi
  mkdir -p "$STATE/data"
  write_config
  : > "$STATE/registry.log"
  # Detached (own session), so it outlives this script and npm; traces off (OTel would export to localhost:4318).
  OTEL_TRACES_EXPORTER=none setsid "$(tool_bin registry)" serve "$CONFIG" \
    >>"$STATE/registry.log" 2>&1 </dev/null 8>&- 9>&- &
  local pid=$! i port=""
  echo "$pid" > "$STATE/registry.pid"
  for i in $(seq 1 100); do # bounded: 100 rounds of (a request of at most 2 s) + 0.1 s
    alive "$pid" || { tail -n 20 "$STATE/registry.log" >&2; die "the registry exited; log: $STATE/registry.log"; }
    # The registry logs the address it really listens on (the port it picked when KC_REGISTRY_PORT=0).
    [[ -n $port ]] \
      || port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$STATE/registry.log" | head -1 | cut -d: -f2 || true)
    if [[ -n $port ]] && answers "127.0.0.1:$port"; then
      echo "$port" > "$STATE/port"
      log "registry ready: http://127.0.0.1:$port (storage $STATE/data, log $STATE/registry.log)"
      return 0
    fi
    sleep 0.1
  done
  down_quiet
  die "the registry did not answer GET /v2/ in time; log: $STATE/registry.log"
}

# Stops our registry (SIGTERM, up to 10 s, then SIGKILL); keeps the stored data.
down_quiet() {
  local pid i
  if pid=$(pid_of); then
    log "stopping registry (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do ours "$pid" || break; sleep 0.2; done
    ! ours "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/registry.pid" "$STATE/port"
}

url() {
  running || die "the registry is not running: start it with \`npm run registry:up\`"
  echo "127.0.0.1:$(cat "$STATE/port")"
}

# Serialize up/down (e.g. two terminals at once); bounded wait.
lock() { mkdir -p "$STATE"; exec 9>"$STATE/.lock"; flock -w 600 9 || die "timed out waiting for $STATE/.lock"; }

case "${1:-}" in
  build) build "${2:-all}" ;;
  path) [[ -n ${2:-} ]] || die "usage: $0 path registry|oras|cosign"; build_one "$2"; tool_bin "$2" ;;
  up) lock; up ;;
  down) lock; down_quiet; log "registry stopped (data kept in $STATE/data; delete it to start empty)" ;;
  url) url ;;
  status) if running; then echo "running at $(url)"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 build [registry|oras|cosign|all] | path TOOL | up | down | url | status" >&2; exit 2 ;;
esac
