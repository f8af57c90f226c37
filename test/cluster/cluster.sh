#!/usr/bin/env bash
# Local Kubernetes control plane for kc integration tests (see README.md).
# Usage: cluster.sh build|up|down|kubeconfig|kubectl-path|status
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export GOTOOLCHAIN=local

# Pinned versions are read from the committed go.mod files (single source of truth).
modver() { awk -v m="$1" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$2"; }
K8S_VERSION=$(modver k8s.io/kubernetes "$HERE/k8s/go.mod")
ETCD_VERSION=$(modver go.etcd.io/etcd/server/v3 "$HERE/k8s/go.mod")
KWOK_VERSION=$(modver sigs.k8s.io/kwok "$HERE/kwok/go.mod")
BUILD_REV=1 # bump when build flags below change, to invalidate cached binaries
SUM=$(cat "$HERE"/k8s/go.{mod,sum} "$HERE"/kwok/go.{mod,sum} | sha256sum | cut -c1-8)
KEY="k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-$SUM-r$BUILD_REV"
CACHE_BASE=${KC_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kc/cluster}
BIN="$CACHE_BASE/$KEY/bin"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kwokctl)

CLUSTER_NAME=kc-test
STATE="$ROOT/.kc/cluster"
export KWOK_WORKDIR="$STATE/kwok"
KUBECONFIG_PATH="$STATE/kubeconfig"

log() { echo "[cluster] $*" >&2; }
die() { echo "[cluster] ERROR: $*" >&2; exit 1; }

have_binaries() {
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
}

build() {
  have_binaries && return 0
  command -v go >/dev/null || die "Go not found on PATH: install Go >= 1.26 (https://go.dev/dl) to build the test control plane, or set KC_TEST_KUBECONFIG to use an existing cluster."
  local gov; gov=$(go env GOVERSION)
  [[ "$(printf '%s\n' go1.26 "$gov" | sort -V | head -1)" == go1.26 ]] || die "$gov is too old: install Go >= 1.26 (GOTOOLCHAIN=local, no automatic toolchain download)."
  [[ "$(go env GOPROXY)" != off ]] || die "GOPROXY=off: the build needs the Go module proxy (e.g. GOPROXY=https://proxy.golang.org) or a pre-filled GOMODCACHE."
  local d
  for d in k8s kwok; do
    (cd "$HERE/$d" && go mod download) || die "cannot download Go modules for test/cluster/$d from GOPROXY=$(go env GOPROXY): make the Go module proxy reachable (or pre-fill GOMODCACHE)."
  done

  local tmp="$CACHE_BASE/$KEY/bin.tmp.$$" minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  rm -rf "$tmp"; mkdir -p "$tmp"
  local vars="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    vars+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  log "building Kubernetes $K8S_VERSION + etcd $ETCD_VERSION into $BIN (cold build: several minutes)"
  (cd "$HERE/k8s" && go build -trimpath -ldflags "-s -w$vars" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
    && go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3) || die "go build failed (see above)"
  log "building kwok $KWOK_VERSION"
  (cd "$HERE/kwok" && go build -trimpath \
      -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION#v}" -o "$tmp/" \
      sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl) || die "go build failed (see above)"
  rm -rf "$BIN"; mv "$tmp" "$BIN"
  log "built: $(ls "$BIN" | tr '\n' ' ')"
}

# --- running cluster ------------------------------------------------------------

CLUSTER_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller) # pids/<name>.pid
# Fixed loopback ports (base overridable with KC_CLUSTER_PORT_BASE): with every port set,
# kwokctl never probes for free ports (its probe briefly listens on the wildcard address).
PORT_BASE=${KC_CLUSTER_PORT_BASE:-36000}
APISERVER_PORT=$((PORT_BASE + 443)) ETCD_PORT=$((PORT_BASE + 379)) ETCD_PEER_PORT=$((PORT_BASE + 380))
KCM_PORT=$((PORT_BASE + 257)) SCHEDULER_PORT=$((PORT_BASE + 259)) KWOK_PORT=$((PORT_BASE + 247))

kctl() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" --request-timeout=10s "$@"; }

# A pid is ours only if it is alive and its command line names our kwok workdir
# (guards against pid reuse after a reboot: we never signal unrelated processes).
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF "$CLUSTER_DIR/"; }
running() {
  [[ -f $KUBECONFIG_PATH && "$(cat "$STATE/key" 2>/dev/null)" == "$KEY" ]] || return 1
  local c pid
  for c in "${COMPONENTS[@]}"; do
    pid=$(cat "$CLUSTER_DIR/pids/$c.pid" 2>/dev/null) || return 1
    ours "$pid" || return 1
  done
  [[ "$(kctl get --raw=/readyz 2>/dev/null)" == ok ]]
}

wait_nodes_ready() {
  local i applied="" ready='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{" "}{end}'
  for i in $(seq 1 60); do # bounded: at most 60 rounds of (requests <= 10 s each) + 0.5 s
    if [[ -z $applied ]] && kctl apply -f "$HERE/nodes.yaml" >/dev/null; then applied=1; fi
    if [[ -n $applied && "$(kctl get nodes -o jsonpath="$ready")" == "True True " ]] \
      && kctl get serviceaccount default -n default >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  die "nodes did not become Ready; logs: $CLUSTER_DIR/logs"
}

# Stop one component by its pid file: SIGTERM, up to 10 s to exit, then SIGKILL.
stop_component() {
  local pid i
  pid=$(cat "$CLUSTER_DIR/pids/$1.pid" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" || return 0
  log "stopping $1 (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do ours "$pid" || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop_component "${COMPONENTS[i]}"; done # etcd last
  rm -rf "$KWOK_WORKDIR" "$KUBECONFIG_PATH" "$STATE/kwokctl.yaml" "$STATE/key"
}

write_config() {
  cat > "$STATE/kwokctl.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeApiserverPort: $APISERVER_PORT
  etcdPort: $ETCD_PORT
  etcdPeerPort: $ETCD_PEER_PORT
  kubeControllerManagerPort: $KCM_PORT
  kubeSchedulerPort: $SCHEDULER_PORT
  kwokControllerPort: $KWOK_PORT
  kubeApiserverBinary: $BIN/kube-apiserver
  kubeControllerManagerBinary: $BIN/kube-controller-manager
  kubeSchedulerBinary: $BIN/kube-scheduler
  kubectlBinary: $BIN/kubectl
  etcdBinary: $BIN/etcd
  kwokControllerBinary: $BIN/kwok
componentsPatches:
- name: etcd
  extraArgs:
  - {key: unsafe-no-fsync, value: "true"}
- name: kube-apiserver
  extraArgs:
  - {key: kubelet-preferred-address-types, value: Hostname}
  - {key: advertise-address, value: 127.0.0.1}
  - {key: endpoint-reconciler-type, value: none}
EOF
}

up() {
  build # no-op when cached; first, so that a failing build never touches a running cluster
  if running; then
    wait_nodes_ready
    log "cluster already running: $KUBECONFIG_PATH"
    return 0
  fi
  if [[ -d $KWOK_WORKDIR || -f $KUBECONFIG_PATH ]]; then log "removing stale cluster state"; down; fi
  local p
  for p in $APISERVER_PORT $ETCD_PORT $ETCD_PEER_PORT $KCM_PORT $SCHEDULER_PORT $KWOK_PORT; do
    [[ -z "$(ss -Hltn "sport = :$p")" ]] || die "port $p is in use (ss -ltnp shows by whom): stop it or set KC_CLUSTER_PORT_BASE (default 36000)"
  done
  mkdir -p "$STATE"
  write_config
  log "starting kwokctl cluster '$CLUSTER_NAME' (binary runtime, https://127.0.0.1:$APISERVER_PORT)"
  # kwokctl looks kubectl up on PATH: the one we built comes first.
  if ! PATH="$BIN:$PATH" "$BIN/kwokctl" -v WARN create cluster --name "$CLUSTER_NAME" --runtime binary \
      --config "$STATE/kwokctl.yaml" --kubeconfig "$KUBECONFIG_PATH" --wait 60s >&2 9>&-; then
    tail -n 20 "$CLUSTER_DIR"/logs/*.log >&2 2>/dev/null || true
    die "kwokctl could not start the cluster; logs: $CLUSTER_DIR/logs"
  fi
  echo "$KEY" > "$STATE/key"
  wait_nodes_ready
  log "cluster ready: $KUBECONFIG_PATH"
}

# Serialize build/up/down (e.g. two test runs starting at once); bounded wait.
lock() { mkdir -p "$STATE"; exec 9>"$STATE/.lock"; flock -w 3600 9 || die "timed out waiting for $STATE/.lock"; }

case "${1:-}" in
  build) lock; build; log "binaries in $BIN" ;;
  up) lock; up ;;
  down) lock; down; log "cluster stopped" ;;
  kubeconfig) echo "$KUBECONFIG_PATH" ;;
  kubectl-path) [[ -x $BIN/kubectl ]] || die "no kubectl in $BIN: run \`$0 build\` (or up) first"; echo "$BIN/kubectl" ;;
  status) if running; then echo running; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 build|up|down|kubeconfig|kubectl-path|status" >&2; exit 2 ;;
esac
