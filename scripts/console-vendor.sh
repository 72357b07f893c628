#!/usr/bin/env bash
# Re-fetch the console's vendored front-end files from the npm registry (pinned versions, checked digests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/api/console/static/vendor"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent htmx.org@2.0.11 chart.js@4.6.1 >/dev/null
echo "165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e  htmx.org-2.0.11.tgz
9345dacdf4bb4c5d40321f4b9aafab6fe676d37a534fc0bc2d17c4c4e29c4f00  chart.js-4.6.1.tgz" | sha256sum -c --quiet
mkdir h c && tar xzf htmx.org-2.0.11.tgz -C h && tar xzf chart.js-4.6.1.tgz -C c
cp h/package/dist/htmx.min.js "$dest/htmx.min.js" && cp h/package/LICENSE "$dest/htmx.LICENSE"
cp c/package/dist/chart.umd.min.js "$dest/chart.umd.min.js" && cp c/package/LICENSE.md "$dest/chart.js.LICENSE.md"
echo "vendored htmx 2.0.11 and Chart.js 4.6.1 into $dest"
