#!/usr/bin/env bash
# Debian packages the test suite and demo use: espeak-ng and sox synthesise extra speech, FFmpeg libraries for
# torchcodec, Chromium for the web console's browser test. Installed only
# when missing (needs root or sudo, as on CI and the dev machines).
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
# Headless Chromium for the console's browser test (tests/e2e/test_console.py drives it with Playwright; Playwright
# never downloads a browser here).
command -v chromium >/dev/null || missing+=(chromium)
# FFmpeg 5 shared libraries: torchcodec (imported by pyannote.audio 4) links against them. The job path decodes
# with PyAV (its own FFmpeg) and hands pyannote in-memory waveforms; these only keep pyannote's import clean.
dpkg -s libavformat59 >/dev/null 2>&1 || missing+=(libavutil57 libavcodec59 libavformat59 libavdevice59 libavfilter8 libswresample4 libswscale6)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "==> installing ${missing[*]} from Debian" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
