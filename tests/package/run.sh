#!/usr/bin/env bash
# The package test (make test-package): installs build/deb/inkwell_*.deb into
# a fresh Debian 12 root (tests/package/base.sh: mmdebstrap, cached) with
# dpkg --root, as an operator would follow postinst's three steps there by
# hand (no systemd): inkwell setup-db and migrate against the root's own
# MariaDB (unix socket only), inkwell-fcgi and nginx started from the
# installed paths, the installed site with only its port changed. Then
# checks the pages, the packaging (stripped binaries, -dbgsym, no Bootstrap
# copy, conffiles, the generated secret, user, /run/inkwell), nginx -t with
# TLS on, a backup and restore (scripts/backup-check.sh), make
# install/uninstall with PREFIX=/usr, and the units' systemd-analyze scores.
#
#   tests/package/run.sh DEB_DIR     # needs root (chroot, mount)
#
# Port: INKWELL_PACKAGE_HTTP_PORT (default 8387), 127.0.0.1 only. The root is
# var/package/root, removed at the end unless KEEP_ROOT=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
deb_dir=$(cd "${1:?usage: run.sh DEB_DIR}" && pwd)
port=${INKWELL_PACKAGE_HTTP_PORT:-8387}
[[ $(id -u) -eq 0 ]] || { echo "package test: needs root (chroot)" >&2; exit 2; }

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
die() { echo "package test: $*" >&2; exit 1; }

deb=$(ls "$deb_dir"/inkwell_*_amd64.deb)
dbgsym=$(ls "$deb_dir"/inkwell-dbgsym_*_amd64.*deb 2>/dev/null || true)
root=$top/var/package/root
start=$SECONDS

# ---- the fresh root -----------------------------------------------------------
base=$("$here/base.sh" "$top/var/package")
umount_all() { # every mount under the root, deepest first
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r m; do umount "$m" || umount -l "$m"; done
}
pids=()
# The processes running inside the root (ours: their root directory is it).
root_pids() {
  local d
  for d in /proc/[0-9]*; do
    [[ $d/root -ef $root ]] && echo "${d#/proc/}"
  done
  return 0
}
cleanup() {
  local p deadline=$((SECONDS + 15))
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -f $root/run/nginx.pid ]]; then kill "$(cat "$root/run/nginx.pid")" 2>/dev/null || true; fi
  for p in $(root_pids); do kill "$p" 2>/dev/null || true; done
  while [[ -n $(root_pids) ]] && ((SECONDS < deadline)); do sleep 0.2; done
  for p in $(root_pids); do kill -9 "$p" 2>/dev/null || true; done
  umount_all
  if [[ ${KEEP_ROOT:-0} != 1 ]] && ! awk -v r="$root" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
    rm -rf -- "$root"
  fi
}
trap cleanup EXIT
umount_all
rm -rf -- "$root" && mkdir -p "$root"
tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
echo "package test: fresh root ready ($((SECONDS - start)) s)"

# ---- install ------------------------------------------------------------------
echo "package test: dpkg --root -i $(basename "$deb")"
install_log=$top/var/package/dpkg.log
if dpkg --root="$root" -i "$deb" >"$install_log" 2>&1; then
  ok "dpkg installs the package (its Depends satisfied by a plain Debian 12 root)"
else
  cat "$install_log"
  die "dpkg -i failed"
fi
check "postinst prints the three steps left" grep -q "three steps are left" "$install_log"
check "postinst names inkwell setup-db" grep -q "inkwell setup-db" "$install_log"
check "the inkwell user exists (sysusers.d)" in_root getent passwd inkwell
env_file=$root/etc/inkwell/inkwell.env
check "/etc/inkwell/inkwell.env has a 64-hex-digit secret key" \
  grep -Eq '^INKWELL_SECRET_KEY=[0-9a-f]{64}$' "$env_file"
check "inkwell.env is mode 640, root:inkwell" \
  test "$(in_root stat -c '%a %U %G' /etc/inkwell/inkwell.env)" = "640 root inkwell"
check "inkwell.env is not a dpkg conffile (made by postinst)" \
  bash -c "! dpkg --root='$root' -s inkwell | sed -n '/^Conffiles:/,/^[A-Z]/p' | grep -q inkwell.env"
check "the nginx site is a conffile" \
  bash -c "dpkg --root='$root' -s inkwell | grep -q '/etc/nginx/sites-available/inkwell.conf'"
check "/run/inkwell is 750 inkwell:www-data (tmpfiles.d)" \
  test "$(in_root stat -c '%a %U %G' /run/inkwell)" = "750 inkwell www-data"
check "the units are installed and run /usr/bin" \
  grep -q '^ExecStart=/usr/bin/inkwell-fcgi$' "$root/lib/systemd/system/inkwell.service"
check "no unit, site or setting names /usr/local" \
  bash -c "! grep -rl /usr/local '$root/lib/systemd/system/inkwell.service' '$root/lib/systemd/system/inkwell-mailer.service' '$root/etc/nginx/sites-available/inkwell.conf' '$root/etc/nginx/snippets/' '$env_file'"
check "the site is available, not enabled" \
  bash -c "test -f '$root/etc/nginx/sites-available/inkwell.conf' && ! test -e '$root/etc/nginx/sites-enabled/inkwell.conf'"
check "the units are neither enabled nor started at install" \
  bash -c "! ls '$root'/etc/systemd/system/*.wants/inkwell* 2>/dev/null | grep -q ."
check "migrations and sql/admin are installed" \
  bash -c "ls '$root'/usr/share/inkwell/sql/migrations/0001_*.sql '$root'/usr/share/inkwell/sql/admin/purge_expired.sql"
check "the binaries are stripped (symbols in -dbgsym)" \
  bash -c "! readelf -S '$root/usr/bin/inkwell-fcgi' | grep -q debug_info && ! readelf -S '$root/usr/bin/inkwell' | grep -q debug_info"
check "the -dbgsym package holds the debug symbols" \
  bash -c "[[ -n '$dbgsym' ]] && dpkg-deb -c '$dbgsym' | grep -q '/usr/lib/debug/.build-id/.*\.debug'"
check "Bootstrap is a dependency, not a copy" \
  bash -c "dpkg-deb -f '$deb' Depends | grep -q libjs-bootstrap5 && ! dpkg-deb -c '$deb' | grep -qi 'bootstrap.*\.\(js\|css\)$'"

# ---- step 1: the database --------------------------------------------------------
echo "package test: MariaDB in the root"
mkdir -p "$root/run/mysqld" && in_root chown mysql:mysql /run/mysqld
[[ -d $root/var/lib/mysql/mysql ]] ||
  in_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/bin mariadbd --user=mysql --datadir=/var/lib/mysql \
  --socket=/run/mysqld/mysqld.sock --skip-networking --pid-file=/run/mysqld/mysqld.pid \
  --log-error=/var/log/mysql-test.log --innodb-buffer-pool-size=64M \
  --innodb-flush-log-at-trx-commit=2 </dev/null >/dev/null 2>&1 &
pids+=($!)
deadline=$((SECONDS + 60))
until in_root mariadb-admin ping >/dev/null 2>&1; do
  ((SECONDS < deadline)) || { tail -n 20 "$root/var/log/mysql-test.log"; die "MariaDB did not answer in 60 s"; }
  kill -0 "${pids[-1]}" 2>/dev/null || { tail -n 20 "$root/var/log/mysql-test.log"; die "mariadbd exited"; }
  sleep 0.2
done

# Exactly postinst's commands.
setup_db="set -a; . /etc/inkwell/inkwell.env; inkwell setup-db --write-env /etc/inkwell/inkwell.env --write-migration-env /etc/inkwell/migrate.env"
migrate="set -a; . /etc/inkwell/inkwell.env; . /etc/inkwell/migrate.env; inkwell migrate"
if out=$(in_root sh -c "$setup_db" 2>&1); then ok "inkwell setup-db"; else bad "inkwell setup-db: $out"; fi
echo "$out" | sed 's/^/       /'
check "the application account has row rights and procedure calls only" \
  grep -q "inkwell@localhost: DELETE, EXECUTE, INSERT, SELECT, UPDATE$" <<<"$out"
app_pw=$(sed -n 's/^INKWELL_DB_PASSWORD=//p' "$env_file")
mig_pw=$(sed -n 's/^INKWELL_DB_PASSWORD=//p' "$root/etc/inkwell/migrate.env")
check "setup-db wrote the application's password into inkwell.env" test -n "$app_pw"
check "migrate.env is mode 600" test "$(stat -c %a "$root/etc/inkwell/migrate.env")" = 600
check "inkwell.env kept its mode and group" \
  test "$(in_root stat -c '%a %U %G' /etc/inkwell/inkwell.env)" = "640 root inkwell"
if out2=$(in_root sh -c "$setup_db" 2>&1) &&
  [[ $(sed -n 's/^INKWELL_DB_PASSWORD=//p' "$env_file") == "$app_pw" ]] &&
  [[ $(sed -n 's/^INKWELL_DB_PASSWORD=//p' "$root/etc/inkwell/migrate.env") == "$mig_pw" ]]; then
  ok "setup-db again: succeeds and keeps both passwords"
else
  bad "setup-db again: $out2"
fi
if out=$(in_root sh -c "$migrate" 2>&1); then ok "inkwell migrate as the migration account"; else bad "migrate: $out"; fi
as_app() { in_root env MYSQL_PWD="$app_pw" mariadb -u inkwell inkwell "$@"; }
check "the application account can read and write rows" \
  as_app -e "SELECT COUNT(*) FROM users; DELETE FROM users WHERE id = -1"
denied=$(as_app -e "CREATE TABLE t_denied (i INT)" 2>&1 || true)
if grep -q "CREATE command denied" <<<"$denied"; then
  ok "the application account cannot change the schema"
else
  bad "the application account cannot change the schema"
fi

# An upgrade (the same package again): postinst applies pending migrations
# as the migration account and keeps the settings.
key_before=$(grep '^INKWELL_SECRET_KEY=' "$env_file")
if dpkg --root="$root" -i "$deb" >"$install_log" 2>&1 && grep -q "database is up to date" "$install_log" &&
  [[ $(grep '^INKWELL_SECRET_KEY=' "$env_file") == "$key_before" ]] &&
  [[ $(sed -n 's/^INKWELL_DB_PASSWORD=//p' "$env_file") == "$app_pw" ]]; then
  ok "reinstall/upgrade: postinst runs the migrations, keeps inkwell.env"
else
  bad "reinstall/upgrade: $(cat "$install_log")"
fi

# ---- steps 2 and 3: nginx and the pool, by hand ------------------------------
echo "package test: inkwell-fcgi and nginx from the installed paths"
# As under systemd: root reads the settings, the pool runs as inkwell:www-data.
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c 'set -a; . /etc/inkwell/inkwell.env; INKWELL_SOCKET=/run/inkwell/inkwell.sock
   INKWELL_SOCKET_MODE=0660 INKWELL_WORKERS=2
   exec setpriv --reuid=inkwell --regid=www-data --clear-groups /usr/bin/inkwell-fcgi' \
  >"$top/var/package/pool.log" 2>&1 &
pids+=($!)
deadline=$((SECONDS + 20))
until [[ -S $root/run/inkwell/inkwell.sock ]]; do
  ((SECONDS < deadline)) || { cat "$top/var/package/pool.log"; die "no pool socket after 20 s"; }
  sleep 0.1
done
# The enabled site is the installed one with only its port changed.
rm -f "$root/etc/nginx/sites-enabled/default"
sed -e "s/^    listen 80;/    listen 127.0.0.1:$port;/" -e '/^    listen \[::\]:80;/d' \
  "$root/etc/nginx/sites-available/inkwell.conf" >"$root/etc/nginx/sites-enabled/inkwell.conf"
check "nginx -t (the site enabled)" in_root nginx -t
mkdir -p "$root/var/www/html/.well-known/acme-challenge"
echo acme-token >"$root/var/www/html/.well-known/acme-challenge/t1"
in_root nginx || die "nginx did not start"

url=http://127.0.0.1:$port
get() { curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
deadline=$((SECONDS + 20))
until [[ $(get "$url/" 2>/dev/null) == 200 ]]; do
  ((SECONDS < deadline)) || break
  sleep 0.2
done
check "GET / answers 200" test "$(get "$url/")" = 200
check "the home page is Inkwell's" bash -c "curl -s --max-time 10 '$url/' | grep -q '<title>Inkwell'"
check "GET /healthz answers 200" test "$(get "$url/healthz")" = 200
check "/healthz: database reachable, migrations current" \
  bash -c "curl -s --max-time 10 '$url/healthz' | grep -q '\"current\":true.*\"status\":\"ok\"'"
check "Bootstrap from libjs-bootstrap5" test "$(get "$url/static/bootstrap/css/bootstrap.min.css")" = 200
check "Popper from node-popper2" test "$(get "$url/static/popper/popper.min.js")" = 200
check "the stylesheet is gzip-compressed" \
  bash -c "curl -s --max-time 10 -H 'Accept-Encoding: gzip' -D - -o /dev/null '$url/static/styles.css' | grep -qi '^Content-Encoding: gzip'"
check "pages carry the CSP" \
  bash -c "curl -s --max-time 10 -D - -o /dev/null '$url/' | grep -qi \"^Content-Security-Policy: default-src 'self'\""
check "server_tokens off" \
  bash -c "curl -s --max-time 10 -D - -o /dev/null '$url/' | tr -d '\r' | grep -qx 'Server: nginx'"
check "the ACME webroot answers" test "$(curl -s --max-time 10 "$url/.well-known/acme-challenge/t1")" = acme-token
check "the access log has request and upstream times" \
  bash -c "sleep 1; grep -Eq 'rt=[0-9.]+ uct=[0-9.]+ uht=[0-9.]+ urt=[0-9.]+ us=200' '$root/var/log/nginx/inkwell.access.log'"

# ---- backups --------------------------------------------------------------------
in_root sh -c 'set -a; . /etc/inkwell/inkwell.env; printf "secret123\n" |
  inkwell create-user --email admin@example.com --username admin --confirmed' >/dev/null 2>&1 || true
in_root sh -c 'set -a; . /etc/inkwell/inkwell.env; inkwell fake --users 5 --posts 30 --comments 10 --seed 1 --force' \
  >/dev/null 2>&1 || true
if out=$("$top/scripts/backup-check.sh" --socket "$root/run/mysqld/mysqld.sock" 2>&1); then
  ok "backup and restore: $out"
else
  bad "backup and restore: $out"
fi

# ---- nginx: the API's own 502 when no worker answers ----------------------------------
check "/api/ is answered by the pool first (401 without credentials)" test "$(get "$url/api/v1/posts/")" = 401
pool=${pids[1]}
kill "$pool" 2>/dev/null || true
deadline=$((SECONDS + 15))
while kill -0 "$pool" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
check "the pool stops on SIGTERM (within 15 s)" bash -c "! kill -0 $pool 2>/dev/null"
api=$(curl -s --max-time 15 -D - "$url/api/v1/posts/" | tr -d '\r')
if grep -q '^HTTP/1.1 502' <<<"$api" && grep -q '^Content-Type: application/json' <<<"$api" &&
  grep -q '"error": "bad gateway"' <<<"$api"; then
  ok "/api/ answers nginx's 502 as JSON with the pool stopped"
else
  bad "/api/ with the pool stopped: $(head -c 300 <<<"$api")"
fi

# ---- nginx -t with TLS on: the 443 server uncommented, a self-signed cert ----------
tls=$root/etc/nginx/tls-test
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=blog.example.com \
  -keyout "$tls/key.pem" -out "$tls/cert.pem" >/dev/null 2>&1
awk -v dir=/etc/nginx/tls-test '
  /^# server \{/ { tls = 1 }
  !tls && /^    include \/etc\/nginx\/snippets\/inkwell-site.conf;/ { print "    # (the site is served over TLS)"; next }
  !tls && /^    # location \/ \{/ { print "    location / {"; next }
  !tls && /^    #     return 301/ { sub(/^    #     /, "        "); print; next }
  !tls && /^    # \}/ { print "    }"; next }
  tls { sub(/^# ?/, ""); gsub("/etc/letsencrypt/live/blog.example.com/(fullchain|chain).pem", dir "/cert.pem");
        gsub("/etc/letsencrypt/live/blog.example.com/privkey.pem", dir "/key.pem") }
  { print }' "$root/etc/nginx/sites-available/inkwell.conf" >"$tls/site.conf"
sed "s|include /etc/nginx/sites-enabled/\*;|include /etc/nginx/tls-test/site.conf;|" \
  "$root/etc/nginx/nginx.conf" >"$tls/nginx.conf"
if out=$(in_root nginx -t -c /etc/nginx/tls-test/nginx.conf 2>&1) && grep -q "listen 443 ssl" "$tls/site.conf" &&
  grep -q "^    ssl_stapling on;" "$tls/site.conf"; then
  ok "nginx -t with the TLS server on (session cache, stapling, https redirect)"
else
  bad "nginx -t with TLS: $out"
fi

# ---- make install / uninstall honour PREFIX and DESTDIR ----------------------------
dest=$top/var/package/destdir
rm -rf "$dest"
if make -C "$top" --no-print-directory -s install PREFIX=/usr DESTDIR="$dest" >/dev/null 2>&1; then
  check "make install PREFIX=/usr: units, site and settings name /usr, not /usr/local" \
    bash -c "grep -q '^ExecStart=/usr/bin/inkwell-fcgi$' '$dest/usr/lib/systemd/system/inkwell.service' &&
             grep -q 'alias /usr/share/inkwell/views/static/;' '$dest/etc/nginx/snippets/inkwell-site.conf' &&
             ! grep -rq /usr/local '$dest'/usr/lib/systemd '$dest'/etc '$dest'/usr/share/inkwell/inkwell.env.example"
  make -C "$top" --no-print-directory -s uninstall PREFIX=/usr DESTDIR="$dest" >/dev/null 2>&1
  check "make uninstall removes every file make install copied" \
    test -z "$(find "$dest" -type f | head -1)"
else
  bad "make install PREFIX=/usr DESTDIR=..."
fi
rm -rf "$dest"

# ---- the units' exposure (systemd-analyze security --offline) -------------------------
for unit in "$root"/lib/systemd/system/inkwell*.service; do
  score=$(systemd-analyze security --offline=true --root="$root" "$(basename "$unit")" 2>/dev/null |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
  if [[ -n $score ]] && awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }'; then
    ok "systemd-analyze security $(basename "$unit"): $score (at most 1.5)"
  else
    bad "systemd-analyze security $(basename "$unit"): ${score:-no score} (at most 1.5)"
  fi
done

# ---- purge: the settings made by postinst and setup-db go with the package ------------
if dpkg --root="$root" --purge inkwell >"$install_log" 2>&1; then
  check "purge removes inkwell.env, migrate.env and the units" \
    bash -c "! test -e '$env_file' && ! test -e '$root/etc/inkwell/migrate.env' && ! test -e '$root/lib/systemd/system/inkwell.service'"
else
  bad "dpkg --purge: $(cat "$install_log")"
fi

echo "package test: $passed passed, $failed failed ($((SECONDS - start)) s)"
((failed == 0))
