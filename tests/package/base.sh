#!/usr/bin/env bash
# The package test's fresh Debian 12 root: made once with mmdebstrap
# (variant apt, the same bookworm suites as this machine) with what the
# package depends on at run time and the servers the test starts (MariaDB,
# nginx), and kept as a tarball named after its contents, so later runs only
# unpack it (a few seconds) and work offline.
#
#   tests/package/base.sh OUTPUT_DIR   # prints the tarball's path
set -euo pipefail
out=${1:?usage: base.sh OUTPUT_DIR}
# The shared libraries of the binaries come from the package's own Depends
# at install time; these are listed so that dpkg can install the .deb
# without apt (dpkg --root does not fetch dependencies).
include=(
  libfcgi0ldbl libmysqlcppconn7v5 libcrypto++8 libctemplate3 libcmark0.30.2 libesmtp6
  libcurl4 libssl3 libsqlite3-0 libqrencode4 libjs-bootstrap5 node-popper2
  mariadb-server mariadb-client nginx-light ca-certificates
  systemd-standalone-sysusers systemd-standalone-tmpfiles
)
key=$(printf '%s\n' bookworm "${include[@]}" | sha256sum | cut -c1-12)
tarball=$out/base-$key.tar
if [[ ! -s $tarball ]]; then
  mkdir -p "$out"
  echo "package test: making a Debian 12 root with mmdebstrap (once; a few minutes)" >&2
  inc=$(IFS=,; echo "${include[*]}")
  timeout 900 mmdebstrap --quiet --mode=root --format=tar --variant=apt --include="$inc" bookworm \
    "$tarball.tmp" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" >&2
  mv "$tarball.tmp" "$tarball"
fi
echo "$tarball"
