#!/usr/bin/env bash
# Creates (once) the project's virtual environment in a cache outside the clone, keyed by the dependency
# lock, and links it as ./.venv. Reruns with the same lock take a second; a fresh machine builds it from PyPI.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PARLANCE_CACHE_DIR:-$HOME/.cache/parlance}"
python="${PARLANCE_PYTHON:-python3.11}"
uv_version="0.13.8"

command -v "$python" >/dev/null || { echo "error: $python not found (Python 3.11 is required)" >&2; exit 1; }

# uv lives in its own small venv so the system interpreter is never modified.
tools="$cache/tools-uv-$uv_version"
if [ ! -x "$tools/bin/uv" ]; then
  rm -rf "$tools.tmp"
  "$python" -m venv "$tools.tmp"
  "$tools.tmp/bin/pip" install -q --disable-pip-version-check "uv==$uv_version"
  rm -rf "$tools"; mv "$tools.tmp" "$tools"
  # pip wrote shebangs for the temporary path; recreate them for the final one.
  "$tools/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "uv==$uv_version" >/dev/null
fi
uv="$tools/bin/uv"
export UV_CACHE_DIR="$cache/uv-cache"

key="$(cat "$here/requirements.lock" "$here/scripts/env.sh" | sha256sum | cut -c1-16)"
venv="$cache/venv-$key"
if [ ! -f "$venv/.complete" ]; then
  echo "==> building environment $venv (first run on this machine)" >&2
  rm -rf "$venv"
  "$uv" venv -q --python "$python" "$venv"
  "$uv" pip install -q --python "$venv/bin/python" -r "$here/requirements.lock"
  touch "$venv/.complete"
fi
# The project itself is installed editable (no deps): cheap, and points at this clone.
"$uv" pip install -q --python "$venv/bin/python" --no-deps -e "$here"
ln -sfn "$venv" "$here/.venv"
echo "$venv"
