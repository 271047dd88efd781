#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are missing.
# Non-interactive; does nothing (and needs no root) when all are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done <"$here/packages.txt"
# npm (for the browser tests' axe-core, tests/browser/package.json): Debian's
# package unless the machine already has a Node.js with npm of its own.
command -v npm >/dev/null || missing+=(npm)
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Services from these packages are started by our own scripts, never by apt.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
