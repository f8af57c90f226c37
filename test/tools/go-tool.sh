# Sourced by the test tool scripts (registry.sh, helm.sh): builds one Go program from the Go module proxy into the
# cache, once, keyed by version. Callers set TOOL_LOG_PREFIX and GO_MIN before calling go_tool_build.
# Binaries: $GO_TOOLS_CACHE/<name>-<version>/bin/<name>.

export GOTOOLCHAIN=local
export CGO_ENABLED=0
GO_TOOLS_CACHE=${KC_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kc/tools}

go_tool_log() { echo "[${TOOL_LOG_PREFIX:-tools}] $*" >&2; }
go_tool_die() { echo "[${TOOL_LOG_PREFIX:-tools}] ERROR: $*" >&2; exit 1; }

# go_tool_bin NAME VERSION: where the binary is (built or not).
go_tool_bin() { echo "$GO_TOOLS_CACHE/$1-$2/bin/$1"; }

go_tool_check_go() {
  local min=${GO_MIN:-go1.26.0} gov
  command -v go >/dev/null || go_tool_die "Go not found on PATH: install Go >= ${min#go} (https://go.dev/dl)."
  gov=$(go env GOVERSION)
  [[ "$(printf '%s\n' "$min" "$gov" | sort -V | head -1)" == "$min" ]] \
    || go_tool_die "$gov is too old: install Go >= ${min#go} (GOTOOLCHAIN=local, no automatic toolchain download)."
  [[ "$(go env GOPROXY)" != off ]] \
    || go_tool_die "GOPROXY=off: the build needs the Go module proxy (or a pre-filled GOMODCACHE)."
}

# go_tool_install OUTDIR PACKAGE VERSION [EXTRA_LDFLAGS]: the default builder, `go install` outside any module.
go_tool_install() {
  (cd "${TMPDIR:-/tmp}" && GOBIN="$1" go install -trimpath -ldflags "-s -w ${4:-}" "$2@$3")
}

# go_tool_build_with NAME VERSION BUILDER [ARGS...]: runs `BUILDER OUTDIR ARGS...` unless the binary is cached. A lock
# per tool serializes concurrent builds (bounded wait); the builder writes into a temporary directory that is renamed
# into place, so an interrupted build never leaves a half-written binary.
go_tool_build_with() {
  local name=$1 ver=$2 builder=$3 dir bin
  shift 3
  dir="$GO_TOOLS_CACHE/$name-$ver"; bin="$dir/bin/$name"
  [[ -x $bin ]] && return 0
  mkdir -p "$dir"
  (
    exec 8>"$dir/.lock"
    flock -w 3600 8 || go_tool_die "timed out waiting for $dir/.lock (another build of $name)"
    [[ -x $bin ]] && exit 0 # built by whoever held the lock
    go_tool_check_go
    local tmp="$dir/bin.tmp.$$" buildlog="$dir/build.log" start=$SECONDS
    rm -rf "$tmp"; mkdir -p "$tmp"
    go_tool_log "building $name $ver into $dir/bin (log: $buildlog; cold build: minutes)"
    if ! "$builder" "$tmp" "$@" >"$buildlog" 2>&1 8>&-; then
      rm -rf "$tmp"
      tail -n 20 "$buildlog" >&2 || true
      go_tool_die "building $name $ver failed; full log: $buildlog"
    fi
    [[ -x $tmp/$name ]] || { rm -rf "$tmp"; go_tool_die "the build of $name $ver made no binary; log: $buildlog"; }
    if [[ -e $dir/bin ]]; then rm -rf "$dir/bin"; fi # a directory without the binary (left by another builder)
    mv "$tmp" "$dir/bin"
    go_tool_log "built $name $ver in $((SECONDS - start)) s: $bin"
  )
}

# go_tool_build NAME VERSION PACKAGE [EXTRA_LDFLAGS]: `go install PACKAGE@VERSION` into the cache, once.
go_tool_build() { go_tool_build_with "$1" "$2" go_tool_install "$3" "$2" "${4:-}"; }
