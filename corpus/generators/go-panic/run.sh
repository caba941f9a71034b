#!/bin/sh
# Regenerates corpus/go-panic (logs/ and truth.json) with the Debian Go toolchain and
# golang-go.uber-zap-dev. Exits 0 with a notice where Go is not installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if ! command -v go >/dev/null 2>&1; then
  echo "go-panic: skipped, go is not installed (apt-get install golang-go golang-go.uber-zap-dev)"
  exit 0
fi
gopath=${GOPATH_ZAP:-/usr/share/gocode}
if [ ! -d "$gopath/src/go.uber.org/zap" ]; then
  echo "go-panic: skipped, zap not found in $gopath (apt-get install golang-go.uber-zap-dev)"
  exit 0
fi
zapver=$(dpkg-query -W -f='${Version}' golang-go.uber-zap-dev 2>/dev/null | sed 's/-[^-]*$//' || true)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# Built as example.com/shop in a throwaway GOPATH, so callers and stack traces name
# example.com/shop/main.go rather than this checkout's path.
mkdir -p "$bin/src/example.com/shop"
cp "$here"/*.go "$bin/src/example.com/shop/"
(cd "$bin/src/example.com/shop" && GO111MODULE=off GOPATH="$bin:$gopath" GOCACHE="${GOCACHE:-$bin/cache}" \
  go build -trimpath -o "$bin/go-panic-gen" .)
# Go's log package stamps local time; containers run in UTC, and so does this run.
TZ=UTC "$bin/go-panic-gen" -zap-version "${zapver:-unknown}" -out "$root/corpus/go-panic"
