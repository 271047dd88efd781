#!/usr/bin/env bash
# make deb: builds the Debian packages (debian/) from a copy of the source
# tree, so that dpkg-buildpackage, which writes its results to the parent
# directory, writes them under OUT instead of beside the checkout; then runs
# lintian on them (failing on any error or warning not overridden in
# debian/*.lintian-overrides).
#
#   scripts/build-deb.sh OUT    # e.g. build/deb: inkwell_<version>_amd64.deb there
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mkdir -p "$1" && cd "$1" && pwd)
version=$(dpkg-parsechangelog -S Version)
src=$out/src/inkwell-$version

# The files of the checkout (tracked, and new ones not ignored); build/ and
# var/ never.
rm -rf "$out/src" && mkdir -p "$src"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -C "$src" -xf -
else
  tar --exclude=./build --exclude=./var --exclude=./.git -cf - . | tar -C "$src" -xf -
fi

echo "deb: building inkwell $version in $src"
(cd "$src" && DEB_BUILD_OPTIONS="parallel=${DEB_JOBS:-2} ${DEB_BUILD_OPTIONS:-}" \
  dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1) || {
  tail -n 40 "$out/build.log" >&2
  echo "deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
  exit 1
}
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
mv "$out/src"/*.deb "$out/src"/*.changes "$out/src"/*.buildinfo "$out/"
mv "$out/src"/*.ddeb "$out/" 2>/dev/null || true
changes=$(ls "$out"/inkwell_"$version"_*.changes)

echo "deb: lintian"
lintian --info --display-info --pedantic --fail-on error,warning "$changes" | tee "$out/lintian.txt"
ls -l "$out"/*.deb | sed 's/^/deb: /'
