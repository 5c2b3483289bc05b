#!/usr/bin/env bash
# `npm run start:desktop`: the extension from this checkout in a desktop VS Code (when `code` is on PATH),
# with examples/ open. Builds first; uses your normal VS Code profile.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v code >/dev/null || { echo "start:desktop: no desktop 'code' on PATH; use 'npm start' (VS Code in the browser via code-server)" >&2; exit 1; }
cd "$ROOT"
node esbuild.mjs
exec code --extensionDevelopmentPath="$ROOT" "$ROOT/examples"
