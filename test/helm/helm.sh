#!/usr/bin/env bash
# The real Helm for kc's tests (see README.md): Helm 4.3 built from the Go module proxy into the cache, once.
# Usage: helm.sh build | path | version
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tools/go-tool.sh
source "$HERE/../tools/go-tool.sh"
TOOL_LOG_PREFIX=helm
GO_MIN=go1.25.0
HELM_VERSION=v4.3.2
HELM_PACKAGE=helm.sh/helm/v4/cmd/helm
# Without it, `helm version` reports the source's default, not the version built.
HELM_LDFLAGS="-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"

build() { go_tool_build helm "$HELM_VERSION" "$HELM_PACKAGE" "$HELM_LDFLAGS"; }

case ${1:-} in
  build) build ;;
  path) build; go_tool_bin helm "$HELM_VERSION" ;;
  version) echo "$HELM_VERSION" ;;
  *) echo "usage: $0 build|path|version" >&2; exit 2 ;;
esac
