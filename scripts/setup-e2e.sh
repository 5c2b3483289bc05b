#!/usr/bin/env bash
# Installs what the real-VS Code tests need, offline-friendly (Debian apt + the npm registry only):
#   - Debian packages: chromium (the browser Playwright drives), ripgrep (seeds @vscode/ripgrep, whose
#     postinstall would otherwise download from GitHub), libkrb5-dev (headers for code-server's `kerberos` module);
#   - code-server@4.100.3 (= VS Code 1.100.3) into a cache folder OUTSIDE the repo.
# Idempotent: every step is skipped when its result is already there and works. Fails loudly with the reason.
#
#   bash scripts/setup-e2e.sh            # prints the code-server binary path as its last line
# Env: LR_LENS_CACHE (default $HOME/.cache/lr-lens)   where code-server is installed
#      LR_LENS_SKIP_APT=1                               never call apt-get (fail if something is missing)
set -euo pipefail

CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11          # @vscode/ripgrep version code-server 4.100.3 depends on
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz   # the asset its postinstall.js looks for
CACHE=${LR_LENS_CACHE:-$HOME/.cache/lr-lens}
CS_DIR=$CACHE/code-server-$CS_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server

say() { echo "setup-e2e: $*" >&2; }
die() { echo "setup-e2e: FAILED: $*" >&2; exit 1; }
secs_since() { echo $(( $(date +%s) - $1 )); }

# --- 0. preconditions ---------------------------------------------------------------------------------
command -v node >/dev/null || die "node is not on PATH (code-server $CS_VERSION needs Node 20)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
# code-server's postinstall checks for node/v20 in npm's user agent; other majors build native modules that won't load.
[ "$node_major" = 20 ] || die "Node $node_major found; code-server $CS_VERSION requires Node 20"
command -v npm >/dev/null || die "npm is not on PATH"

# --- 1. Debian packages (only when missing) ---------------------------------------------------------------
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  [ -z "${LR_LENS_SKIP_APT:-}" ] || die "missing Debian packages: ${need[*]} (LR_LENS_SKIP_APT is set)"
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}"
  command -v apt-get >/dev/null || die "missing ${need[*]} and apt-get is not available"
  t=$(date +%s)
  apt_log=$(mktemp "${TMPDIR:-/tmp}/lr-lens-apt.XXXXXX")
  # Another process may hold the dpkg lock (e.g. a parallel install): wait for it instead of failing at once.
  APT=(apt-get -q -o DPkg::Lock::Timeout=600)
  # Only refresh the package lists when they are missing or a first install attempt fails.
  if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
    say "apt-get update (no package lists yet)"
    "${APT[@]}" update >"$apt_log" 2>&1 || { tail -20 "$apt_log" >&2; die "apt-get update failed (log: $apt_log)"; }
  fi
  say "apt-get install ${need[*]}"
  if ! DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends "${need[@]}" >>"$apt_log" 2>&1; then
    say "install failed; running apt-get update and retrying"
    "${APT[@]}" update >>"$apt_log" 2>&1 || { tail -20 "$apt_log" >&2; die "apt-get update failed (log: $apt_log)"; }
    DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends "${need[@]}" >>"$apt_log" 2>&1 \
      || { tail -30 "$apt_log" >&2; die "apt-get install ${need[*]} failed (log: $apt_log)"; }
  fi
  say "apt: installed ${need[*]} in $(secs_since "$t") s"
  rm -f "$apt_log"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after apt-get"
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run: $(/usr/bin/chromium --version 2>&1 | tail -1)"

# --- 2. code-server (npm, cached outside the repo) ----------------------------------------------------------
cs_works() {
  [ -x "$CS_BIN" ] && [ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -f "$CS_DIR/.installed-ok" ] && "$CS_BIN" --version 2>/dev/null | grep -q "^$CS_VERSION "
}
if cs_works; then
  say "code-server $CS_VERSION already installed in $CS_DIR"
else
  t=$(date +%s)
  tmp=${TMPDIR:-/tmp}
  # Fix A: @vscode/ripgrep's postinstall downloads rg from api.github.com (unreachable here). It first looks for
  # $TMPDIR/vscode-ripgrep-cache-<version>/<asset>: seed that with Debian's rg.
  rg_cache=$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION
  if [ ! -s "$rg_cache/$RG_ASSET" ]; then
    seed=$(mktemp -d "$tmp/lr-lens-rgseed.XXXXXX")
    cp "$(command -v rg)" "$seed/rg"
    mkdir -p "$rg_cache"
    tar czf "$rg_cache/$RG_ASSET" -C "$seed" rg
    rm -rf "$seed"
  fi
  mkdir -p "$CS_DIR"
  rm -rf "$CS_DIR/node_modules" "$CS_DIR/package-lock.json" "$CS_DIR/.installed-ok"
  echo '{"name":"lr-lens-code-server","private":true}' > "$CS_DIR/package.json"
  say "npm install code-server@$CS_VERSION into $CS_DIR (about 1.5 to 3 min; log: $CS_DIR/install.log)"
  # Fix B: npm_config_unsafe_perm=true — code-server's postinstall.sh refuses to run as root without it.
  # Fix C: npm_config_yes=true — node-pty's postinstall runs `npx node-gyp`; a `yes=false` npmrc cancels it.
  if ! (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true \
        npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION" >install.log 2>&1); then
    tail -40 "$CS_DIR/install.log" >&2
    die "npm install code-server@$CS_VERSION failed (full log: $CS_DIR/install.log)"
  fi
  [ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
    || die "code-server installed but @vscode/ripgrep has no rg binary (ripgrep cache seeding failed?)"
  "$CS_BIN" --version 2>/dev/null | grep -q "^$CS_VERSION " \
    || die "code-server installed but '$CS_BIN --version' does not report $CS_VERSION: $("$CS_BIN" --version 2>&1 | tail -3)"
  touch "$CS_DIR/.installed-ok"
  say "code-server $CS_VERSION installed in $(secs_since "$t") s ($(du -sh "$CS_DIR/node_modules" | cut -f1))"
fi
echo "$CS_BIN"
