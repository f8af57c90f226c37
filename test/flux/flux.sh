#!/usr/bin/env bash
# Real Flux parts for kc tests and demos (see README.md): source-controller and kustomize-controller built from the
# Go module proxy into the cache and run as processes against the local control plane, plus sops and age-keygen.
# Usage: flux.sh build [source-controller|kustomize-controller|sops|age-keygen|all] | path TOOL | up | down | status
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../tools/go-tool.sh
source "$HERE/../tools/go-tool.sh"
TOOL_LOG_PREFIX=flux
export GOTOOLCHAIN=${KC_FLUX_GOTOOLCHAIN:-local}
export CGO_ENABLED=0

# name -> "version kind module package". kind "install" = go install package@version; kind "wrap" = the controller has
# replace directives (go install refuses them), so a wrapper module requires it, repeats its non-local replaces (plus
# our own, below) and builds its root package.
declare -A TOOLS=(
  [source-controller]="v1.9.6 wrap github.com/fluxcd/source-controller github.com/fluxcd/source-controller"
  [kustomize-controller]="v1.9.6 wrap github.com/fluxcd/kustomize-controller github.com/fluxcd/kustomize-controller"
  [sops]="v3.13.3 install github.com/getsops/sops/v3 github.com/getsops/sops/v3/cmd/sops"
  [age-keygen]="v1.3.1 install filippo.io/age filippo.io/age/cmd/age-keygen"
)
# Replaces of the wrapper modules: the controllers' own non-local ones (go.mod v1.9.6), and for source-controller
# fluxcd/pkg/artifact v0.18.0 because the proxy here refuses the zip of the v0.18.3 it asks for.
DIGEST_PIN=github.com/opencontainers/go-digest=github.com/opencontainers/go-digest@v1.0.1-0.20220411205349-bde1400a84be
declare -A REPLACES=(
  [source-controller]="$DIGEST_PIN
github.com/fluxcd/pkg/artifact=github.com/fluxcd/pkg/artifact@v0.18.0"
  [kustomize-controller]="$DIGEST_PIN
sigs.k8s.io/kustomize/api=sigs.k8s.io/kustomize/api@v0.21.1
sigs.k8s.io/kustomize/kyaml=sigs.k8s.io/kustomize/kyaml@v0.21.1
gopkg.in/yaml.v3=gopkg.in/yaml.v3@v3.0.1"
)
ORDER=(source-controller kustomize-controller sops age-keygen)
GO_MIN=go1.26.0 # both controllers' go.mod ask for it; with GOTOOLCHAIN=local Go never downloads a newer toolchain
CACHE_BASE=$GO_TOOLS_CACHE

log() { echo "[flux] $*" >&2; }
die() { echo "[flux] ERROR: $*" >&2; exit 1; }

tool_field() { # tool_field NAME INDEX (0 version, 1 kind, 2 module, 3 package)
  local spec=${TOOLS[$1]:-} parts
  [[ -n $spec ]] || die "unknown tool '$1' (source-controller, kustomize-controller, sops or age-keygen)"
  read -r -a parts <<<"$spec"
  echo "${parts[$2]}"
}
tool_version() { tool_field "$1" 0; }
tool_dir() { echo "$CACHE_BASE/$1-$(tool_version "$1")"; }
tool_bin() { echo "$(tool_dir "$1")/bin/$1"; }


# go install for plain modules; a wrapper module (in the tool's cache dir, kept for the record) for the controllers.
go_build() { # go_build NAME OUTDIR
  local name=$1 out=$2 ver kind mod pkg
  ver=$(tool_version "$name"); kind=$(tool_field "$name" 1); mod=$(tool_field "$name" 2); pkg=$(tool_field "$name" 3)
  if [[ $kind == install ]]; then
    GOBIN="$out" go install -trimpath -ldflags "-s -w" "$pkg@$ver"
    return
  fi
  local wrap; wrap="$(dirname "$out")/wrapper"
  rm -rf "$wrap"; mkdir -p "$wrap"
  {
    echo "// Written by test/flux/flux.sh: builds $mod $ver with its replace directives."
    echo "module kc.local/build/$name"
    echo
    echo "go ${GO_MIN#go}"
    echo
    echo "require $mod $ver"
  } > "$wrap/go.mod"
  local r
  while IFS= read -r r; do
    [[ -n $r ]] && (cd "$wrap" && go mod edit -replace "$r")
  done <<<"${REPLACES[$name]:-}"
  (cd "$wrap" && go get "$mod@$ver" && go build -trimpath -ldflags "-s -w" -o "$out/$name" "$pkg")
}

# Builds one tool unless cached (go-tool.sh: a lock per tool, a temporary directory renamed into place).
flux_builder() { go_build "$2" "$1"; } # flux_builder OUTDIR NAME
build_one() { go_tool_build_with "$1" "$(tool_version "$1")" flux_builder "$1"; }

build() {
  local what=${1:-all} t
  if [[ $what == all ]]; then
    for t in "${ORDER[@]}"; do build_one "$t"; done
  else
    build_one "$what"
  fi
}

# --- the controllers -----------------------------------------------------------------------------------------------

STATE=${KC_FLUX_STATE:-$ROOT/.kc/flux} # pids, ports, logs, storage/ (source-controller's artifacts)
NAMESPACE=flux-system
KUBECONFIG_PATH=${KC_FLUX_KUBECONFIG:-$ROOT/.kc/cluster/kubeconfig} # the cluster they reconcile
PORT_BASE=${KC_FLUX_PORT_BASE:-36510} # storage, then metrics and health of each controller: 5 ports, loopback only
CONTROLLERS=(source-controller kustomize-controller)
START_TIMEOUT_S=${KC_FLUX_START_TIMEOUT:-180} # a cold start on a busy 2-core machine takes tens of seconds

# The controllers run through symlinks in $STATE/bin, so their command line names this state directory: a pid is
# ours only if it is alive and its command line starts with our link (never signal a reused pid).
link_of() { echo "$STATE/bin/$1"; }
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' '\n' < "/proc/$1/cmdline" | head -1 | grep -qxF "$(link_of "$2")"; }
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $st && $st != Z ]]; }
pid_of() { # pid_of NAME
  local pid
  pid=$(cat "$STATE/$1.pid" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" "$1" && echo "$pid"
}
storage_port() { echo "$PORT_BASE"; }
metrics_port() { if [[ $1 == source-controller ]]; then echo $((PORT_BASE + 1)); else echo $((PORT_BASE + 3)); fi; }
health_port() { if [[ $1 == source-controller ]]; then echo $((PORT_BASE + 2)); else echo $((PORT_BASE + 4)); fi; }
answers() { [[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" =~ ^[1-5] ]]; }
# The log since this start (after its marker line) says the reconciler's workers run: the caches are synced.
workers_started() { # workers_started NAME RECONCILER
  tail -c +"$(( $(cat "$STATE/$1.log-offset" 2>/dev/null || echo 0) + 1 ))" "$STATE/$1.log" 2>/dev/null \
    | grep -qF "\"msg\":\"Starting workers\",\"controller\":\"$2\""
}
healthy() { # healthy NAME: /readyz on its health port answers 200
  [[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://127.0.0.1:$(cat "$STATE/$1.health-port" 2>/dev/null || echo 0)/readyz" 2>/dev/null)" == 200 ]]
}
running() { # both controllers ours and healthy
  local c
  for c in "${CONTROLLERS[@]}"; do pid_of "$c" >/dev/null && healthy "$c" || return 1; done
}

kubectl_bin() { bash "$ROOT/test/cluster/cluster.sh" kubectl-path; }
kube() { KUBECONFIG="$KUBECONFIG_PATH" "$KUBECTL" --request-timeout=30s "$@"; }

# The CRDs come from the controllers' own module zips (the ones the build used), so they match the binaries.
module_dir() { # module_dir NAME
  local mod ver dir
  mod=$(tool_field "$1" 2); ver=$(tool_version "$1")
  dir=$(cd "$STATE" && go mod download -json "$mod@$ver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || die "go mod download $mod@$ver gave no module directory"
  echo "$dir"
}
install_crds() {
  local sc kc files=()
  sc=$(module_dir source-controller); kc=$(module_dir kustomize-controller)
  files=("$sc"/config/crd/bases/*.yaml "$kc/config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml")
  local f args=()
  for f in "${files[@]}"; do [[ -f $f ]] || die "CRD file missing: $f"; args+=(-f "$f"); done
  log "installing ${#files[@]} CRDs (source-controller and kustomize-controller $(tool_version source-controller))"
  kube apply --server-side --force-conflicts --field-manager=kc-flux-sh "${args[@]}" >/dev/null
  kube wait --for condition=established --timeout=60s "${args[@]}" >/dev/null
  kube create namespace "$NAMESPACE" --dry-run=client -o yaml \
    | kube apply --server-side --field-manager=kc-flux-sh -f - >/dev/null
}

start_one() { # start_one NAME FLAGS...
  local name=$1; shift
  ln -sfn "$(tool_bin "$name")" "$(link_of "$name")"
  echo "$(health_port "$name")" > "$STATE/$name.health-port"
  echo "==== $(date -u +%FT%TZ) flux.sh up" >> "$STATE/$name.log"
  stat -c %s "$STATE/$name.log" > "$STATE/$name.log-offset"
  # Detached (own session), so they outlive this script, npm and the test run that started them (down stops them).
  KUBECONFIG="$KUBECONFIG_PATH" RUNTIME_NAMESPACE="$NAMESPACE" setsid "$(link_of "$name")" "$@" \
    --metrics-addr="127.0.0.1:$(metrics_port "$name")" --health-addr="127.0.0.1:$(health_port "$name")" \
    --enable-leader-election=false --watch-all-namespaces=true --events-addr= --log-level=info \
    >>"$STATE/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! > "$STATE/$name.pid"
}

# Prints one JSON line on stdout: what the helper (test/helpers/flux.ts) reads.
describe() {
  local started=$1
  printf '{"namespace":"%s","storageAddr":"127.0.0.1:%s","kubeconfig":"%s","state":"%s","started":%s,' \
    "$NAMESPACE" "$(cat "$STATE/storage-port")" "$(cat "$STATE/kubeconfig")" "$STATE" "$started"
  printf '"logs":["%s","%s"],"owner":"%s"}\n' "$STATE/source-controller.log" "$STATE/kustomize-controller.log" \
    "$(cat "$STATE/owner" 2>/dev/null || true)"
}

up() {
  local c
  for c in "${CONTROLLERS[@]}"; do build_one "$c"; done # first, so that a failing build never touches running ones
  [[ -r $KUBECONFIG_PATH ]] \
    || die "no kubeconfig at $KUBECONFIG_PATH: start the cluster (\`npm run cluster:up\`) or set KC_FLUX_KUBECONFIG"
  KUBECONFIG_PATH=$(realpath "$KUBECONFIG_PATH")
  if running && [[ "$(cat "$STATE/kubeconfig" 2>/dev/null)" == "$KUBECONFIG_PATH" ]] \
    && [[ "$(cat "$STATE/storage-port" 2>/dev/null)" == "$(storage_port)" ]]; then
    log "controllers already running (storage http://127.0.0.1:$(storage_port), logs in $STATE)"
    describe false
    return 0
  fi
  down_quiet
  [[ $PORT_BASE =~ ^[0-9]+$ ]] && ((PORT_BASE > 0 && PORT_BASE < 65530)) \
    || die "KC_FLUX_PORT_BASE=$PORT_BASE is not a port"
  local p
  for p in $(seq "$PORT_BASE" $((PORT_BASE + 4))); do
    [[ -z "$(ss -Hltn "sport = :$p")" ]] \
      || die "port $p is in use (ss -ltnp shows by whom): stop it or set KC_FLUX_PORT_BASE (default 36510, 5 ports)"
  done
  KUBECTL=$(kubectl_bin)
  mkdir -p "$STATE/bin" "$STATE/storage"
  install_crds
  echo "$KUBECONFIG_PATH" > "$STATE/kubeconfig"
  echo "$(storage_port)" > "$STATE/storage-port"
  if [[ -n ${KC_FLUX_OWNER:-} ]]; then echo "$KC_FLUX_OWNER" > "$STATE/owner"; else rm -f "$STATE/owner"; fi
  start_one source-controller --storage-path="$STATE/storage" \
    --storage-addr="127.0.0.1:$(storage_port)" --storage-adv-addr="127.0.0.1:$(storage_port)"
  start_one kustomize-controller
  local deadline=$((SECONDS + START_TIMEOUT_S)) pending
  while :; do # bounded: START_TIMEOUT_S seconds of (checks of at most 2 s each) + 0.2 s
    pending=()
    for c in "${CONTROLLERS[@]}"; do
      local pid; pid=$(cat "$STATE/$c.pid")
      alive "$pid" || { tail -n 20 "$STATE/$c.log" >&2; down_quiet; die "$c exited; log: $STATE/$c.log"; }
      healthy "$c" || pending+=("$c")
    done
    # Ready = both health endpoints, the artifact server, and the OCIRepository and Kustomization workers.
    answers "http://127.0.0.1:$(storage_port)/" || pending+=("source-controller's artifact server")
    workers_started source-controller ocirepository || pending+=("source-controller's ocirepository workers")
    workers_started kustomize-controller kustomization || pending+=("kustomize-controller's kustomization workers")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS > deadline)); then
      down_quiet
      die "not ready after ${START_TIMEOUT_S} s: $(IFS=,; echo "${pending[*]}"); logs: $STATE/*.log"
    fi
    sleep 0.2
  done
  log "controllers ready: source-controller (storage http://127.0.0.1:$(storage_port)) and kustomize-controller," \
    "namespace $NAMESPACE, kubeconfig $KUBECONFIG_PATH, logs $STATE/*.log"
  describe true
}

# Stops our controllers (SIGTERM, up to 10 s, then SIGKILL); keeps the storage and the logs.
down_quiet() {
  local c pid i
  for c in "${CONTROLLERS[@]}"; do
    if pid=$(pid_of "$c"); then
      log "stopping $c (pid $pid)"
      kill "$pid" 2>/dev/null || true
    fi
  done
  for c in "${CONTROLLERS[@]}"; do
    if pid=$(pid_of "$c"); then
      for i in $(seq 1 50); do ours "$pid" "$c" || break; sleep 0.2; done
      ! ours "$pid" "$c" || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$c.pid"
  done
  rm -f "$STATE/owner"
}

# down --owner ID: stop them only if the run called ID started them (a test run leaves others' controllers alone).
down() {
  if [[ ${1:-} == --owner ]]; then
    [[ -n ${2:-} ]] || die "usage: $0 down [--owner ID]"
    if [[ "$(cat "$STATE/owner" 2>/dev/null || true)" != "$2" ]]; then
      log "controllers not started by $2: left as they are"
      return 0
    fi
  fi
  down_quiet
  log "controllers stopped (storage and logs kept in $STATE)"
}

status() {
  if running; then
    log "running: storage http://127.0.0.1:$(cat "$STATE/storage-port"), kubeconfig $(cat "$STATE/kubeconfig")"
    describe false
  else
    local c
    for c in "${CONTROLLERS[@]}"; do
      if pid_of "$c" >/dev/null; then echo "$c: running, not healthy"; else echo "$c: not running"; fi
    done
    return 1
  fi
}

# Serialize up/down (two terminals, two test workers); bounded wait.
lock() { mkdir -p "$STATE"; exec 9>"$STATE/.lock"; flock -w 600 9 || die "timed out waiting for $STATE/.lock"; }

case "${1:-}" in
  build) build "${2:-all}" ;;
  path) [[ -n ${2:-} ]] || die "usage: $0 path TOOL"; build_one "$2"; tool_bin "$2" ;;
  up) lock; up ;;
  down) lock; down "${@:2}" ;;
  status) status ;;
  *) echo "usage: $0 build [source-controller|kustomize-controller|sops|age-keygen|all] | path TOOL | up" \
       "| down [--owner ID] | status" >&2
     exit 2 ;;
esac
