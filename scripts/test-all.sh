#!/usr/bin/env bash
# THE test command (`npm test`; `.ci/run` calls `npm ci && npm test`). Runs every layer, in order:
#   build · type-check · lint (eslint: the layer rules) · unit (mocha, no browser) · setup-e2e · browser (the webview bundle in headless
#   chromium) · golden CLI check (test/golden) · integration (real VS Code via code-server) · integration-web (the same
#   suites in VS Code for the Web's web-worker extension host) · package (.vsix) · e2e (Playwright + chromium against
#   code-server with the .vsix) · e2e-web (the same user path with LR Lens in the web-worker extension host)
# A failing step does not stop the later ones (you see every failure in one run), and nothing is skipped
# silently: a step that cannot run is counted as failed, with the reason.
# Logs: test-results/logs/<step>.log. The last line reads `N passed, M failed` (tests where a step counts
# them, otherwise the step itself counts as one).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
LOGS=$ROOT/test-results/logs
rm -rf "$LOGS"; mkdir -p "$LOGS"
T_START=$(date +%s)
TOTAL_PASSED=0; TOTAL_FAILED=0
declare -a ROWS=()
declare -A STATUS=()

# Counts from a step's log: `N passed, M failed` (our runners, check_cli.py) or mocha's `N passing`/`M failing`.
counts_of() {
  local log=$1 line p f
  line=$(grep -E '(^|[^0-9])[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  if [ -n "$line" ]; then
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | tail -1 | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | tail -1 | grep -oE '[0-9]+')
    echo "$p $f"; return
  fi
  if grep -qE '^\s+[0-9]+ passing' "$log"; then
    p=$(grep -E '^\s+[0-9]+ passing' "$log" | tail -1 | grep -oE '[0-9]+' | head -1)
    f=$(grep -E '^\s+[0-9]+ failing' "$log" | tail -1 | grep -oE '[0-9]+' | head -1)
    echo "$p ${f:-0}"; return
  fi
  echo ""
}

# step NAME COMMAND...: runs it with its output on screen and in the log, records time, status and counts.
step() {
  local name=$1; shift
  local log="$LOGS/$name.log" t rc counts p f
  echo; echo "=================== $name: $*"
  t=$(date +%s)
  "$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  counts=$(counts_of "$log")
  if [ -n "$counts" ]; then read -r p f <<<"$counts"; else p=0; f=0; fi
  # A failing exit with no counted failure (crash, setup error) still counts as one failure; a clean
  # exit with nothing counted counts the step itself as one pass.
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  if [ "$rc" = 0 ] && [ "$p" = 0 ] && [ "$f" = 0 ]; then p=1; fi
  TOTAL_PASSED=$((TOTAL_PASSED + p)); TOTAL_FAILED=$((TOTAL_FAILED + f))
  STATUS[$name]=$rc
  ROWS+=("$(printf '%-15s %-4s %5ss  %s' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" "$(( $(date +%s) - t ))" "$p passed, $f failed")")
}

# cannot NAME REASON: a step that could not run is a failure, said out loud.
cannot() {
  echo; echo "=================== $1: NOT RUN — $2" | tee "$LOGS/$1.log"
  TOTAL_FAILED=$((TOTAL_FAILED + 1)); STATUS[$1]=1
  ROWS+=("$(printf '%-15s %-4s %5ss  %s' "$1" FAIL 0 "not run: $2")")
}

typecheck() {
  local rc=0
  npx tsc -p . --noEmit || rc=1
  if [ -f webview/tsconfig.json ]; then npx tsc -p webview --noEmit || rc=1; fi
  return $rc
}

unit() {
  # A fresh out/: a deleted or renamed test must not keep running from an old build.
  rm -rf out
  # tsc still emits when some area has type errors (the type-check step reports those).
  npx tsc -p . >/dev/null || echo "unit: tsc reported type errors (see the type-check step); running what compiled"
  npx mocha
}

# The webview bundle in headless chromium (out/ as compiled by the unit step).
browser() {
  npx mocha --no-config --reporter spec 'out/test/browser/**/*.test.js'
}

golden() {
  [ -f dist/cli.js ] || { echo "golden: dist/cli.js missing (the build did not produce the CLI)"; return 1; }
  # The repository's own copies (test/golden, identical to ../shared/golden where that exists: a unit test checks it):
  # torch's traces, then the other families' curves (families.json). One total line for the step's counts.
  local rc=0 p=0 f=0 line g out
  for g in traces families; do
    out=$(mktemp)
    python3 test/golden/check_cli.py --cli "node dist/cli.js" --golden "test/golden/$g.json" -j 2 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
    p=$((p + $(grep -oE '^[0-9]+' <<<"${line:-0}"))); f=$((f + $(grep -oE '[0-9]+ failed' <<<"${line:-0 failed}" | grep -oE '[0-9]+')))
    [ -n "$line" ] || rc=1
    rm -f "$out"
  done
  echo "golden (traces + families): $p passed, $f failed"
  return $rc
}

step build node esbuild.mjs
step type-check typecheck
step lint npx eslint .
step unit unit
step setup-e2e bash scripts/setup-e2e.sh
if [ "${STATUS[setup-e2e]}" = 0 ]; then
  step browser browser
else
  cannot browser "setup-e2e failed: chromium is not available (see test-results/logs/setup-e2e.log)"
fi
if command -v python3 >/dev/null; then step golden golden; else cannot golden "python3 is not installed"; fi
if [ "${STATUS[setup-e2e]}" = 0 ]; then
  step integration node scripts/run-integration.mjs
  step integration-web node scripts/run-integration.mjs --web
  step package npm run --silent package
  if [ "${STATUS[package]}" = 0 ]; then
    step e2e node test/e2e/e2e.mjs "$ROOT/lr-lens-0.1.0.vsix"
    step e2e-web node test/e2e/e2e.mjs "$ROOT/lr-lens-0.1.0.vsix" --web
  else
    cannot e2e "packaging the .vsix failed (see the package step)"
    cannot e2e-web "packaging the .vsix failed (see the package step)"
  fi
else
  cannot integration "setup-e2e failed: code-server/chromium are not available (see test-results/logs/setup-e2e.log)"
  cannot integration-web "setup-e2e failed: code-server/chromium are not available"
  cannot package "skipped with the browser tests"
  cannot e2e "setup-e2e failed: code-server/chromium are not available"
  cannot e2e-web "setup-e2e failed: code-server/chromium are not available"
fi

echo; echo "=================== summary ($(( $(date +%s) - T_START )) s total; logs: test-results/logs/, screenshots: test-results/e2e/)"
for r in "${ROWS[@]}"; do echo "  $r"; done
# Measured, not asserted: memory peaks of the real-VS Code runs and the editor → panel latency.
grep -h -E "memory peak|latency" "$LOGS/integration.log" "$LOGS/integration-web.log" "$LOGS/e2e.log" "$LOGS/e2e-web.log" 2>/dev/null | sed -E 's/^\[[^]]*\] /  /'
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" = 0 ]
