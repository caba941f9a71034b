#!/bin/sh
# Regenerates the Debian half of the format zoo (corpus/zoo/<library>/) with Debian's toolchains
# and library packages; each entry is skipped with a one-line notice when its toolchain or
# library is missing:
#   Go:     golang-go, golang-go.uber-zap-dev, golang-github-sirupsen-logrus-dev,
#           golang-github-rs-zerolog-dev (GOPATH build, GO111MODULE=off, no downloads)
#   Python: /usr/bin/python3 with python3-structlog, python3-pythonjsonlogger
#   Java:   javac/java with liblogstash-logback-encoder-java, liblogback-java (jars in /usr/share/java)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
zoo="$root/corpus/zoo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
debver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' || true; }

# --- Go: zap-production, zap-iso8601, logrus, zerolog
gopath=/usr/share/gocode
if ! command -v go >/dev/null 2>&1; then
  echo "zoo-debian: go skipped (zap-production, zap-iso8601, logrus, zerolog): go is not installed"
elif [ ! -d "$gopath/src/go.uber.org/zap" ] || [ ! -d "$gopath/src/github.com/sirupsen/logrus" ] \
  || [ ! -d "$gopath/src/github.com/rs/zerolog" ]; then
  echo "zoo-debian: go skipped: zap, logrus or zerolog missing from $gopath"
else
  # Built as example.com/zoo in a throwaway GOPATH, so stacks name example.com/zoo/main.go.
  mkdir -p "$tmp/src/example.com/zoo"
  cp "$here/go/main.go" "$tmp/src/example.com/zoo/"
  (cd "$tmp/src/example.com/zoo" && GO111MODULE=off GOPATH="$tmp:$gopath" GOCACHE="${GOCACHE:-$tmp/cache}" \
    go build -trimpath -o "$tmp/zoo-go" .)
  for lib in zap-production zap-iso8601 logrus zerolog; do
    case $lib in
      zap-*) ver=$(debver golang-go.uber-zap-dev) ;;
      logrus) ver=$(debver golang-github-sirupsen-logrus-dev) ;;
      zerolog) ver=$(debver golang-github-rs-zerolog-dev) ;;
    esac
    rm -rf "$zoo/$lib"
    "$tmp/zoo-go" -lib "$lib" -version "${ver:-unknown}" -out "$zoo/$lib"
    echo "zoo-debian: $lib"
  done
fi

# --- Python: structlog, python-json-logger (Debian's python3, not a pyenv one)
py=/usr/bin/python3
for lib in structlog python-json-logger; do
  mod=$lib; [ "$lib" = python-json-logger ] && mod=pythonjsonlogger
  if [ ! -x "$py" ] || ! "$py" -c "import $mod" 2>/dev/null; then
    echo "zoo-debian: $lib skipped: $py cannot import $mod"
    continue
  fi
  rm -rf "$zoo/$lib"
  # Run from a copy in app/, so tracebacks name app/zoo.py rather than this checkout's path.
  mkdir -p "$tmp/app" && cp "$here/python/zoo.py" "$tmp/app/"
  (cd "$tmp" && "$py" app/zoo.py "$lib" "$zoo/$lib")
  echo "zoo-debian: $lib"
done

# --- Java: logback-logstash
j=/usr/share/java
cp_jars="$j/slf4j-api.jar:$j/logback-classic.jar:$j/logback-core.jar:$j/logstash-logback-encoder.jar"
cp_jars="$cp_jars:$j/jackson-core.jar:$j/jackson-databind.jar:$j/jackson-annotations.jar"
missing=""
for jar in $(echo "$cp_jars" | tr ':' ' '); do [ -f "$jar" ] || missing="$missing $jar"; done
if ! command -v javac >/dev/null 2>&1; then
  echo "zoo-debian: logback-logstash skipped: javac is not installed"
elif [ -n "$missing" ]; then
  echo "zoo-debian: logback-logstash skipped: missing$missing (apt-get install liblogstash-logback-encoder-java liblogback-java)"
else
  rm -rf "$zoo/logback-logstash"
  mkdir -p "$tmp/classes"
  javac -d "$tmp/classes" -cp "$cp_jars" "$here/java/Zoo.java"
  java -Dlogback.configurationFile="$here/java/logback.xml" -Dzoo.dir="$zoo/logback-logstash" \
    -cp "$tmp/classes:$cp_jars" Zoo "$zoo/logback-logstash" \
    "$(debver liblogstash-logback-encoder-java)" "$(debver liblogback-java)"
  echo "zoo-debian: logback-logstash"
fi
