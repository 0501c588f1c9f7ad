#!/usr/bin/env bash
# Run by `pnpm test` before anything else: makes sure the system tools the tests need are installed.
#   kcat — its librdkafka mock cluster is the Kafka broker of the Kafka transport's tests.
#   redis-server — the Redis of the realtime pub/sub and recommendation-cache tests (started per test file).
# Installs them with apt-get when possible (root, or passwordless sudo); otherwise says what to install.
set -euo pipefail

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
fi
if command -v apt-get >/dev/null 2>&1 && { [[ "$(id -u)" == 0 ]] || [[ -n "$sudo" ]]; }; then
  echo "installing test tools: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; }
  exit 0
fi
echo "The tests need: ${missing[*]} (Debian/Ubuntu: apt-get install -y ${missing[*]}; macOS: brew install ${missing[*]})." >&2
exit 1
