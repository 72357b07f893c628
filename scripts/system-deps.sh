#!/usr/bin/env bash
# Debian packages the test suite and demo use: espeak-ng and sox synthesise extra speech. Installed only
# when missing (needs root or sudo, as on CI and the dev machines).
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "==> installing ${missing[*]} from Debian" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
