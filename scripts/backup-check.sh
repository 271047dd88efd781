#!/usr/bin/env bash
# Proves that a backup of the Inkwell database restores: dumps it the way the
# README says (mariadb-dump --single-transaction), restores the dump into a
# throwaway MariaDB started here (its own datadir, unix socket only), and
# compares the row count of every table of the original with the copy.
# Exits non-zero on any difference or failure; everything it started is
# stopped and removed on exit.
#
#   scripts/backup-check.sh [--socket PATH] [--user USER] [--database NAME] [--keep-dump FILE]
#
# Defaults: socket /run/mysqld/mysqld.sock, user root (socket
# authentication; a password from MYSQL_PWD), database inkwell.
set -euo pipefail
socket=/run/mysqld/mysqld.sock user=root db=inkwell keep=""
while (($#)); do
  case $1 in
    --socket) socket=$2 ;;
    --user) user=$2 ;;
    --database) db=$2 ;;
    --keep-dump) keep=$2 ;;
    *) echo "usage: $0 [--socket PATH] [--user USER] [--database NAME] [--keep-dump FILE]" >&2; exit 2 ;;
  esac
  shift 2
done
[[ $db =~ ^[A-Za-z0-9_]+$ ]] || { echo "backup-check: bad database name '$db'" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "$root/var" && mktemp -d "$root/var/backup-check.XXXXXX")
scratch_socket=$work/mysqld.sock
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT

source_sql() { mariadb --no-defaults --socket="$socket" --user="$user" --batch --skip-column-names "$@"; }
scratch_sql() { mariadb --no-defaults --socket="$scratch_socket" --user=root --batch --skip-column-names "$@"; }

# counts SQL_RUNNER: "table count" lines, one per base table, sorted.
counts() {
  local tables t
  tables=$("$1" -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
  for t in $tables; do
    printf '%s %s\n' "$t" "$("$1" -e "SELECT COUNT(*) FROM \`$db\`.\`$t\`")"
  done
}

# 1. The dump: one consistent snapshot (InnoDB) without locking the tables.
dump=${keep:-$work/dump.sql}
mariadb-dump --no-defaults --socket="$socket" --user="$user" --single-transaction \
  --routines --triggers --events --hex-blob --databases "$db" >"$dump"
before=$(counts source_sql)

# 2. A throwaway server; mariadbd refuses to run as root unless told.
as_root=()
[[ $(id -u) -eq 0 ]] && as_root=(--user=root)
mariadb-install-db --no-defaults --datadir="$work/db" "${as_root[@]}" \
  --auth-root-authentication-method=socket --skip-test-db >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; exit 1; }
mariadbd --no-defaults --datadir="$work/db" "${as_root[@]}" --socket="$scratch_socket" \
  --skip-networking --pid-file="$work/mysqld.pid" --log-error="$work/mysqld.log" \
  --innodb-buffer-pool-size=64M --tmpdir="$work" </dev/null >/dev/null 2>&1 &
pid=$!
deadline=$((SECONDS + 60))
until mariadb-admin --no-defaults --socket="$scratch_socket" --user=root ping >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { tail -n 20 "$work/mysqld.log" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "backup-check: scratch MariaDB did not start in 60 s" >&2; exit 1; }
  sleep 0.2
done

# 3. The restore, as the README says, then the counts.
scratch_sql <"$dump"
after=$(counts scratch_sql)

tables=$(wc -l <<<"$before")
rows=$(awk '{ n += $2 } END { print n + 0 }' <<<"$before")
if [[ $before != "$after" ]]; then
  echo "backup-check: FAILED: row counts differ (table original restored):" >&2
  join <(echo "$before") <(echo "$after") | awk '$2 != $3' >&2
  exit 1
fi
if [[ -z $before ]]; then
  echo "backup-check: FAILED: database $db has no tables" >&2
  exit 1
fi
echo "backup-check: OK: $tables tables, $rows rows, identical after restore ($(wc -c <"$dump") bytes of dump)"
