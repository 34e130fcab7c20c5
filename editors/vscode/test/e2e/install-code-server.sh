#!/bin/sh
# Installs code-server 4.100.3 (the newest that runs on Node 20) into DIR, on Debian 12 without
# access to GitHub (after /work/shared/recipes/install-code-server.sh).
# Usage: install-code-server.sh DIR   (then DIR/node_modules/.bin/code-server)
# Exit 3: a registry (apt or npm) could not be reached.
set -eu
dir=${1:?usage: install-code-server.sh DIR}
mkdir -p "$dir/tmp" "$dir/rg"
need=""
for p in libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep build-essential; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  echo "installing Debian packages:$need" >&2
  if ! { apt-get install -y -q $need >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $need >/dev/null; }; }; then
    echo "could not install Debian packages:$need (apt unreachable or not root)" >&2
    exit 3
  fi
fi
# @vscode/ripgrep's postinstall downloads rg from GitHub; it takes a cached archive instead.
cp /usr/bin/rg "$dir/rg/rg"
mkdir -p "$dir/tmp/vscode-ripgrep-cache-1.15.11"
tar czf "$dir/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$dir/rg" rg
cd "$dir"
[ -f package.json ] || echo '{"name":"code-server-host","version":"0.0.0","private":true}' > package.json
if ! TMPDIR="$dir/tmp" npm_config_yes=true npm_config_unsafe_perm=true \
  npm install code-server@4.100.3 --no-audit --no-fund --foreground-scripts >"$dir/install.log" 2>&1; then
  tail -20 "$dir/install.log" >&2
  if grep -qE "ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network" "$dir/install.log"; then
    exit 3
  fi
  exit 1
fi
"$dir/node_modules/.bin/code-server" --version >/dev/null
touch "$dir/.installed"
