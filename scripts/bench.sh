#!/usr/bin/env bash
# `make bench`: a benchmark, not a test. Starts the throwaway bench stack
# (var/bench, nginx on 127.0.0.1:8082; tests/stack/start.sh bench), fills it
# with fake data (`inkwell fake`: 1,000 users, 100,000 posts, up to 50 follows
# each, 20,000 comments, a fixed seed) and measures through the same nginx,
# with wrk (-t2 -c32), these pages of the FastCGI pool, all with the page
# cache off (INKWELL_PAGE_CACHE_MS=0) but the last:
#
#   home      GET /                 anonymous: the home page, 20 posts
#   all       GET /                 logged in as a fake user, all posts
#   followed  GET /                 logged in, the followed feed (show_followed=1)
#   profile   GET /user/<username>  that user's profile page (anonymous)
#   post      GET /post/<id>        a post with comments (anonymous)
#   api       GET /api/v1/posts/    the JSON API, with that user's token
#   timeline  GET /api/v1/users/<id>/timeline/  that user's followed feed (API)
#   deep      GET /?page=2000       a deep page (anonymous)
#   last      GET /?page=<last>     the last page (anonymous)
#   profile_last GET /user/<username>?page=<last>
#   api_deep  GET /api/v1/posts/?page=2000
#   followers GET /followers/<most followed user>
#   readers   GET /post/<id>        100 logged-in readers on 2,000 post pages
#                                   at random, each marked seen once in the run
#   cached    GET /                 anonymous, the pool restarted with the cache on
#
# and right after each, its floor:
#
#   bare      GET /bench/bare       build/bench-bare-fcgi: a FastCGI program that
#                                   answers every request with the bytes of the
#                                   page just measured (saved before; it is
#                                   restarted for each page), as many processes
#                                   as the pool has workers
#   static    GET /bench/static.html  (home only) nginx serving those bytes as
#                                   a file
#
# It prints, for each, requests/s, p50 and p99 latency, the body's bytes,
# requests/s as a percentage of the bare floor of the same bytes, and the CPU
# per request of the workers and MariaDB (and of nginx apart), read from
# /proc around the run; deep pages against page 1 by CPU; then the
# largest worker RSS seen after the pool's runs, how long the fake data took,
# and the aims below. Slowness never fails it: the exit status is non-zero
# only when a target did not answer 200 (or the logged-in page was not logged
# in, or the stack or the fake data failed). Everything it starts is stopped on
# exit, Ctrl-C included; every wait is bounded. Traffic goes to 127.0.0.1 only.
# It takes 27 x (BENCH_DURATION + BENCH_WARMUP), the fake data (a few seconds)
# and the stack's start: about 6 minutes with the defaults.
#
#   scripts/bench.sh [--cluster]
#
# --cluster (`make bench-cluster`): the same rows through the cluster stack
# (tests/stack/start.sh cluster: two app hosts on three Galera nodes, nginx on
# 8084) instead of the bench stack, the CPU per request being that of both
# hosts' pools and the three nodes; then, for the write rows, the replication
# table: CPU per write and latency against the single stack's last
# `make bench` in this tree (var/bench-bench.tsv, which every run writes for
# its stack), the write-sets and bytes replicated per write (wsrep_replicated,
# wsrep_replicated_bytes over the nodes), and the writes refused (503) after
# losing write conflicts, which do not fail the cluster's run.
#
# Environment: BENCH_SCALE=1 (make bench-scale: 10,000 users, 1,000,000
# posts, 200,000 comments), BENCH_DURATION (each measurement, default 10s), BENCH_WARMUP
# (the warm-up before each, default 2s); wrk durations like 10, 10s, 1m.
# BENCH_FAKE=0 makes no fake data: the home page (no posts) and its floors
# are measured, the targets that need data are skipped.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
stack=$ROOT/tests/stack
# shellcheck source=SCRIPTDIR/../tests/stack/lib.sh
source "$stack/lib.sh"
bench_stack=bench
[[ ${1:-} == --cluster ]] && bench_stack=cluster
STACK=$bench_stack # for the messages of lib.sh
cd "$ROOT"

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
fake=${BENCH_FAKE:-1}
threads=2 connections=32
# The fake data set: always the same (fixed seed), so runs compare.
fake_args=(--users 1000 --posts 100000 --follows 50 --comments 20000 --seed 20251127)
fake_limit=600 # seconds
# `make bench-scale` (BENCH_SCALE=1): ten times the users and posts, to see
# that every row costs the same at a million posts.
if [[ ${BENCH_SCALE:-0} == 1 ]]; then
  fake_args=(--users 10000 --posts 1000000 --follows 50 --comments 200000 --seed 20251127)
  fake_limit=3600
  # About 1 GB of posts and 2 GB of feeds: kept in memory, as a site this
  # size would configure it.
  export INKWELL_DB_BUFFER_POOL=${INKWELL_DB_BUFFER_POOL:-4G}
fi
# Every fake user's password (inkwell fake says so).
fake_password=password
# The one User-Agent of the logged-in requests: the session is bound to the
# client's address and User-Agent, so curl (login) and wrk must agree.
ua="inkwell-bench/1"
# The aims of DESIGN.md's "Where we aim".
aim_bare_pct=50 aim_write_pct=25 aim_p99_ms=10 aim_rss_mb=16 aim_cpu_us=150

# seconds DURATION: a wrk duration (N, Ns, Nm, Nh) in seconds; fails if invalid.
seconds() {
  [[ $1 =~ ^([0-9]+)([smh]?)$ ]] || return 1
  local n=$((10#${BASH_REMATCH[1]}))
  case ${BASH_REMATCH[2]} in
    m) n=$((n * 60)) ;;
    h) n=$((n * 3600)) ;;
  esac
  ((n > 0)) || return 1
  printf '%s' "$n"
}
duration_s=$(seconds "$duration") || die "BENCH_DURATION=$duration: not a wrk duration (e.g. 10s)"
warmup_s=$(seconds "$warmup") || die "BENCH_WARMUP=$warmup: not a wrk duration (e.g. 2s)"
[[ $fake == 0 || $fake == 1 ]] || die "BENCH_FAKE=$fake: 0 (no fake data) or 1 (the default)"

for tool in wrk curl mariadb base64 timeout; do
  command -v "$tool" >/dev/null || die "$tool not found (make deps installs it)"
done
bare_bin=${INKWELL_BUILD_DIR:-$ROOT/build}/bench-bare-fcgi

# shellcheck source=SCRIPTDIR/../tests/stack/env.sh
source "$stack/env.sh" "$bench_stack" --paths-only
# The paths can be overridden from the environment; never let that point the
# throwaway bench stack (start.sh wipes it) at the dev or test stack.
case ${STACK_DIR%/} in
  "$ROOT/var" | "$ROOT/var/test")
    die "INKWELL_STACK_DIR=$STACK_DIR is the dev or test stack; the bench stack needs its own"
    ;;
esac
case $HTTP_PORT in
  8080 | 8081) die "INKWELL_HTTP_PORT=$HTTP_PORT is the dev or test stack's port" ;;
esac
[[ -x $bare_bin ]] || die "$bare_bin not found (run make build)"
[[ -x $BUILD_DIR/inkwell ]] || die "$BUILD_DIR/inkwell not found (run make build)"

# One benchmark per tree at a time: its stack directory and ports are shared.
# Like var/test.lock, the lock lives outside the stack directory (start.sh
# wipes that). Nothing started from here may inherit it (fd 9 closed).
mkdir -p "$ROOT/var"
exec 9>"$ROOT/var/bench.lock"
flock -n 9 || die "another benchmark is running in this tree"

base=http://127.0.0.1:$HTTP_PORT
bare_sock=$STACK_DIR/run/bare.sock
bare_pidfile=$STACK_DIR/run/bare.pid
bare_log=$STACK_DIR/log/bare.log
# Identifies our bare program in /proc/PID/cmdline.
bare_pattern="bench-bare-fcgi $bare_sock"
results=$STACK_DIR/bench
page=$results/static.html

stop_bare() {
  [[ -f $bare_pidfile ]] || return 0
  stop_daemon bare-fcgi "$bare_pidfile" "$bare_pattern" 10 group
  rm -f -- "$bare_sock"
}

# The long commands (wrk, the fake data, SQL) run in the background (see
# bounded) so that a signal is acted on at once; cleanup stops them.
child_pid=""
cleaned=0
cleanup() {
  ((cleaned)) && return 0
  cleaned=1
  # Ignored, and so also in stop.sh: a second Ctrl-C must not cut it short.
  trap '' INT TERM
  if [[ -n $child_pid ]]; then
    kill -TERM "$child_pid" 2>/dev/null || true
    wait "$child_pid" 2>/dev/null || true
  fi
  stop_bare 9>&- || warn "could not stop bench-bare-fcgi"
  "$stack/stop.sh" "$bench_stack" 9>&- || warn "stop.sh $bench_stack failed"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A bare program left by a killed benchmark would keep running after start.sh
# wipes its pid file.
stop_bare
# Every row but "cached" measures the pages as they are made, not kept.
export INKWELL_PAGE_CACHE_MS=0
"$stack/start.sh" "$bench_stack" 9>&- || die "the $bench_stack stack did not start (logs in $STACK_DIR/log)"
# shellcheck source=SCRIPTDIR/../tests/stack/env.sh
source "$stack/env.sh" "$bench_stack"
(umask 022 && mkdir -p "$results")

# bounded LIMIT OUTFILE COMMAND...: COMMAND in the background, waited for,
# killed by timeout(1) after LIMIT seconds; its stdout in OUTFILE, its stderr
# in OUTFILE.err. Returns COMMAND's status (124 when it timed out).
bounded() {
  local limit=$1 out=$2
  shift 2
  timeout -k 5 "$limit" "$@" </dev/null >"$out" 2>"$out.err" 9>&- &
  child_pid=$!
  local status=0
  wait "$child_pid" || status=$?
  child_pid=""
  return "$status"
}

# sql QUERY [SOCKET] [LIMIT]: run QUERY as the application's database user
# (on the server of SOCKET, default INKWELL_DB_SOCKET), for at most LIMIT
# seconds (default 30); its rows (tab-separated, no header) go to $sql_out.
# Not in $(...): a subshell would not stop the query on Ctrl-C.
sql_out=$results/sql.out
sql() {
  if ! bounded "${3:-30}" "$sql_out" mariadb --no-defaults --socket="${2:-$INKWELL_DB_SOCKET}" \
    --user="$INKWELL_DB_USER" --password="$INKWELL_DB_PASSWORD" --batch --skip-column-names \
    "$INKWELL_DB_NAME" -e "$1"; then
    cat "$sql_out.err" >&2
    die "mariadb: query failed: $1"
  fi
}

# http_get URL OUTFILE [CURL_ARG...]: print "STATUS BYTES" of one request
# (000 if no answer).
http_get() {
  local url=$1 out=$2
  shift 2
  curl -s --max-time 10 -o "$out" -w '%{http_code} %{size_download}\n' "$@" "$url" 9>&- ||
    true
}

# ---- the fake data ----
fake_ms="" fake_s="" fake_summary=""
if ((fake)); then
  say "fake data: inkwell fake ${fake_args[*]} (at most ${fake_limit}s)"
  start_ns=$(date +%s%N)
  if ! bounded "$fake_limit" "$results/fake.log" "$BUILD_DIR/inkwell" fake "${fake_args[@]}"; then
    cat "$results/fake.log" "$results/fake.log.err" >&2
    die "inkwell fake failed (or took over ${fake_limit}s)"
  fi
  fake_ms=$((($(date +%s%N) - start_ns) / 1000000))
  fake_summary=$(sed -n 's/^fake: added \([^;]*\);.*/\1/p' "$results/fake.log")
  fake_s=$(awk -v m="$fake_ms" 'BEGIN { printf "%.1f", m / 1000 }')
  say "fake data: ${fake_summary:-?} in ${fake_s}s"
fi

# ---- the targets ----
# In the order measured; each page of the pool is followed by its floor.
# Every row runs with the page cache off (INKWELL_PAGE_CACHE_MS=0) except
# "cached", measured last after the pool restarts with the cache on.
targets=(home home.bare home.static all all.bare followed followed.bare profile profile.bare
  post post.bare api api.bare timeline timeline.bare deep deep.bare last last.bare
  profile_last profile_last.bare api_deep api_deep.bare followers followers.bare
  readers readers.bare write_post write_post.bare write_comment write_comment.bare
  write_follow write_follow.bare write_login write_login.bare many_followed many_followed.bare
  many_write_post many_write_post.bare cached cached.bare)
# The write rows POST a form (form[TARGET], url-encoded) and expect a 302:
#   write_post     POST /                  a new post (logged in)
#   write_comment  POST /post/<id>         a comment on the post row's post
#   write_follow   POST /follow/<most followed>, /unfollow/<...> in turn
#   write_login    POST /auth/login        the fake user's email and password
# and the crowd rows, on users the benchmark gives many follows (up to
# 5,000; as many as there are users otherwise):
#   many_followed    GET /, the followed feed of a reader who follows them all
#   many_write_post  POST /, a new post by an author they all follow
declare -A kind path of headers notes rps p50 p99 bytes body cpu_app cpu_db cpu_nginx requests form
declare -A ws_count ws_bytes refused
for t in "${targets[@]}"; do
  kind[$t]=app of[$t]=$t headers[$t]="" notes[$t]="" rps[$t]=- p50[$t]=- p99[$t]=- bytes[$t]=-
  cpu_app[$t]=- cpu_db[$t]=- cpu_nginx[$t]=- ws_count[$t]=- ws_bytes[$t]=-
  case $t in
    *.bare) kind[$t]=bare of[$t]=${t%.bare} path[$t]=/bench/bare ;;
    *.static) kind[$t]=static of[$t]=${t%.static} path[$t]=/bench/static.html ;;
  esac
  if [[ ${kind[$t]} == app ]]; then body[$t]=$results/body-$t.out; fi
done
path[home]=/ path[all]=/ path[followed]=/ path[api]=/api/v1/posts/ path[cached]=/
path[deep]=/?page=2000 path[api_deep]=/api/v1/posts/?page=2000
path[write_post]=/ path[write_login]=/auth/login
# BENCH_ONLY=REGEX: only the rows whose name matches (e.g. '^write_').
if [[ -n ${BENCH_ONLY:-} ]]; then
  for t in "${targets[@]}"; do
    [[ ${of[$t]} =~ $BENCH_ONLY ]] || notes[$t]="skipped: BENCH_ONLY"
  done
fi
# The cluster's pools are not restarted with the cache on.
if [[ $bench_stack == cluster ]]; then notes[cached]="skipped: --cluster" notes[cached.bare]="skipped: --cluster"; fi
# The req/s of the targets that answered only 2xx/3xx: the ratios' inputs.
declare -A good_rps
failed=0
# skip TARGET NOTE: TARGET (and its floors) will not be measured.
skip() {
  local t
  for t in "${targets[@]}"; do
    if [[ ${of[$t]} == "$1" ]]; then notes[$t]=$2; fi
  done
}
# fail TARGET NOTE: like skip, and the benchmark fails.
fail() {
  warn "$1: $2"
  skip "$1" "$2"
  failed=1
}

# A fake user who has posts and follows others (the lowest id: the same one
# every run), a post with comments, the user with the most followers, and
# the last pages.
username="" email="" user_id="" post_id="" popular="" per_page=${INKWELL_POSTS_PER_PAGE:-20}
sql "SELECT username, email, id, post_count FROM users WHERE post_count > 0 AND following_count > 0 ORDER BY id LIMIT 1"
IFS=$'\t' read -r username email user_id user_posts <"$sql_out" || true
sql "SELECT id FROM posts WHERE comment_count > 3 ORDER BY id LIMIT 1"
read -r post_id <"$sql_out" || true
sql "SELECT username FROM users ORDER BY followers_count DESC, id LIMIT 1"
read -r popular <"$sql_out" || true
sql "SELECT value FROM counters WHERE name = 'posts'"
read -r all_posts <"$sql_out" || true
if ((fake)) && [[ -z $username || -z $post_id ]]; then
  die "no fake user with posts and follows, or no post with comments, after inkwell fake"
fi
last_page() { echo $((($1 + per_page - 1) / per_page)); }
path[last]=/?page=$(last_page "${all_posts:-0}")
if ((fake)) && (($(last_page "${all_posts:-0}") < 2000)); then
  skip deep "skipped: fewer than 2,000 pages"
  skip api_deep "skipped: fewer than 2,000 pages"
fi

# header_args TARGET: the target's headers as curl/wrk arguments, in $hargs.
header_args() {
  hargs=()
  local h
  while IFS= read -r h; do
    [[ -n $h ]] && hargs+=(-H "$h")
  done <<<"${headers[$1]}"
  return 0
}

# login_as EMAIL: log in as the browser does (the form's CSRF token and
# cookie, then POST); the session cookie in $session ("" on failure), the
# answer's status in $code.
login_as() {
  local jar=$results/cookies-$1.txt csrf
  session=""
  rm -f -- "$jar"
  read -r code _ < <(http_get "$base/auth/login" "$results/login.html" -A "$ua" -c "$jar")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$results/login.html" | head -n 1)
  [[ $code == 200 && -n $csrf ]] || die "GET /auth/login answered $code, or without a csrf_token"
  read -r code _ < <(http_get "$base/auth/login" /dev/null -A "$ua" -b "$jar" -c "$jar" \
    --data-urlencode "email=$1" --data-urlencode "password=$fake_password" \
    --data-urlencode "csrf_token=$csrf")
  [[ $code == 302 || $code == 303 ]] || return 0
  session=$(awk '$6 == "session" && $7 != "" { v = $7 } END { print v }' "$jar")
}

# The crowd: the newest fake user follows up to 5,000 others (many_followed),
# and up to 5,000 others follow the one before them (many_write_post). Made
# in SQL, with their feeds and counters, as the application would have.
crowd=5000 crowd_reader="" crowd_author=""
if [[ -n $username ]] && [[ -z ${notes[many_followed]} || -z ${notes[many_write_post]} ]]; then
  sql "SELECT id, email FROM users WHERE post_count > 0 ORDER BY id DESC LIMIT 2"
  { IFS=$'\t' read -r reader_id crowd_reader && IFS=$'\t' read -r author_id crowd_author; } <"$sql_out" || true
fi
if [[ -n $crowd_author ]]; then
  say "crowd: user $reader_id follows up to $crowd others; up to $crowd follow user $author_id"
  sql "START TRANSACTION;
    INSERT IGNORE INTO follows (follower_id, followed_id)
      SELECT $reader_id, id FROM users WHERE id <> $reader_id ORDER BY id LIMIT $crowd;
    INSERT IGNORE INTO follows (follower_id, followed_id)
      SELECT id, $author_id FROM users WHERE id <> $author_id ORDER BY id LIMIT $crowd;
    DELETE FROM feed_entries WHERE reader_id = $reader_id;
    INSERT INTO feed_entries (reader_id, timestamp, post_id)
      SELECT f.follower_id, p.timestamp, p.id FROM follows f
      JOIN posts p ON p.author_id = f.followed_id WHERE f.follower_id = $reader_id;
    INSERT IGNORE INTO feed_entries (reader_id, timestamp, post_id)
      SELECT f.follower_id, p.timestamp, p.id FROM follows f
      JOIN posts p ON p.author_id = f.followed_id WHERE f.followed_id = $author_id;
    INSERT INTO feed_counts (reader_id, entries)
      SELECT reader_id, COUNT(*) FROM feed_entries WHERE reader_id IN
        (SELECT follower_id FROM follows WHERE followed_id = $author_id UNION SELECT $reader_id)
      GROUP BY reader_id ON DUPLICATE KEY UPDATE entries = VALUES(entries);
    UPDATE users u SET
      followers_count = (SELECT COUNT(*) FROM follows f WHERE f.followed_id = u.id AND f.follower_id <> u.id),
      following_count = (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND f.followed_id <> u.id);
    COMMIT;
    SELECT following_count FROM users WHERE id = $reader_id;
    SELECT followers_count FROM users WHERE id = $author_id" "" 900
  { read -r crowd_following && read -r crowd_followers; } <"$sql_out" || true
  say "crowd: user $reader_id follows $crowd_following; user $author_id has $crowd_followers followers"
  login_as "$crowd_reader"
  if [[ -n $session ]]; then
    headers[many_followed]="Cookie: session=$session; show_followed=1"$'\n'"User-Agent: $ua"
  else
    fail many_followed "login as $crowd_reader answered $code"
  fi
  login_as "$crowd_author"
  if [[ -n $session ]]; then
    headers[many_write_post]="Cookie: session=$session"$'\n'"User-Agent: $ua"
    header_args many_write_post
    http_get "$base/" "$results/many-form.html" "${hargs[@]}" >/dev/null
    tok=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$results/many-form.html" | head -n 1)
    form[many_write_post]="body=A+benchmark+post+to+many&csrf_token=$tok"
  else
    fail many_write_post "login as $crowd_author answered $code"
  fi
else
  skip many_followed "skipped: no crowd (BENCH_ONLY or BENCH_FAKE=0)"
  skip many_write_post "skipped: no crowd (BENCH_ONLY or BENCH_FAKE=0)"
fi
path[many_followed]=/ path[many_write_post]=/

if [[ -n $username ]]; then
  path[profile]=/user/$username
  path[profile_last]=/user/$username?page=$(last_page "$user_posts")
  path[timeline]=/api/v1/users/$user_id/timeline/
  path[followers]=/followers/$popular
  say "user: $username (profile, logged-in home page, API token); most followed: $popular"
  login_as "$email"
  if [[ -n $session ]]; then
    headers[all]="Cookie: session=$session"$'\n'"User-Agent: $ua"
    headers[followed]="Cookie: session=$session; show_followed=1"$'\n'"User-Agent: $ua"
  else
    fail all "login as $email: POST /auth/login answered $code, or no session cookie"
    fail followed "login failed"
  fi
  # An API token: HTTP Basic with email:password, then the token alone.
  read -r code _ < <(http_get "$base/api/v1/tokens/" "$results/token.json" -X POST \
    -u "$email:$fake_password")
  token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$results/token.json")
  if [[ $code == 200 && -n $token ]]; then
    for t in api api_deep timeline; do
      headers[$t]="Authorization: Basic $(printf '%s:' "$token" | base64 -w 0)"
    done
  else
    for t in api api_deep timeline; do
      fail $t "POST /api/v1/tokens/ answered $code$([[ -n $token ]] || echo ', no token')"
    done
  fi
else
  path[profile]=/user/- path[profile_last]=/user/- path[timeline]=/- path[followers]=/-
  for t in all followed profile profile_last api api_deep timeline followers; do
    skip "$t" "skipped: no user (BENCH_FAKE=0)"
  done
fi
if [[ -n $post_id ]]; then
  path[post]=/post/$post_id
else
  path[post]=/post/-
  skip post "skipped: no post with comments (BENCH_FAKE=0)"
fi


# The write rows: the logged-in user's CSRF token (bound to the session), and
# a visitor's CSRF cookie and token for the login form.
path[write_comment]=/post/${post_id:--} path[write_follow]=/follow/${popular:--}
if [[ -n $username && -n ${headers[all]} ]]; then
  header_args all
  http_get "$base/" "$results/home-form.html" "${hargs[@]}" >/dev/null
  tok=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$results/home-form.html" | head -n 1)
  if [[ -n $tok ]]; then
    for t in write_post write_comment write_follow; do headers[$t]=${headers[all]}; done
    form[write_post]="body=A+benchmark+post&csrf_token=$tok"
    form[write_comment]="body=A+benchmark+comment&csrf_token=$tok"
    form[write_follow]="csrf_token=$tok"
  else
    for t in write_post write_comment write_follow; do fail $t "no csrf_token on the logged-in home page"; done
  fi
  vjar=$results/visitor.txt
  rm -f -- "$vjar"
  http_get "$base/auth/login" "$results/login2.html" -A "$ua" -c "$vjar" >/dev/null
  vtok=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$results/login2.html" | head -n 1)
  vcookie=$(awk '$6 == "csrf" { v = $7 } END { print v }' "$vjar")
  if [[ -n $vtok && -n $vcookie ]]; then
    headers[write_login]="Cookie: csrf=$vcookie"$'\n'"User-Agent: $ua"
    form[write_login]="email=$(printf '%s' "$email" | sed 's/@/%40/')&password=$fake_password&csrf_token=$vtok"
  else
    fail write_login "no CSRF token or cookie from GET /auth/login"
  fi
else
  for t in write_post write_comment write_follow write_login; do
    [[ -n ${notes[$t]} ]] || skip "$t" "skipped: no logged-in user"
  done
fi

# The readers: fake users logged in, each on its own session, reading the
# newest post pages at random (readers.lua). A logged-in reader is marked
# seen at most once a minute (SPEC §2); age_readers makes their sessions
# come due one after the other over the measured run, as a crowd of readers
# would, so that the row pays for those writes and for what they do to
# MariaDB's query cache. Its floor serves the first of those pages, read by
# a visitor.
reader_count=100 reader_pages=2000 reader_hashes=()
if [[ -n $username && -z ${notes[readers]} ]]; then
  sql "SELECT email FROM users WHERE confirmed AND disabled_at IS NULL ORDER BY id LIMIT $reader_count"
  mapfile -t reader_emails <"$sql_out"
  sql "SELECT MAX(id) FROM posts"
  read -r newest <"$sql_out" || true
  reader_sessions=()
  for e in "${reader_emails[@]}"; do
    login_as "$e"
    [[ -n $session ]] || continue
    reader_sessions+=("\"$session\"")
    reader_hashes+=("$(printf '%s' "$session" | sha256sum | cut -d' ' -f1)")
  done
  if ((${#reader_sessions[@]} > 0)) && [[ -n $newest ]] && ((newest > reader_pages)); then
    first_page=$((newest - reader_pages + 1))
    path[readers]=/post/$first_page
    headers[readers]="User-Agent: $ua"
    # Each wrk thread draws its own sequence; every request keeps the
    # command line's headers (Host, User-Agent) and adds one reader's cookie.
    cat >"$results/readers.lua" <<LUA
local sessions = {$(IFS=,; echo "${reader_sessions[*]}")}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads) end
function init(args) math.randomseed(seed * 7919) end
function request()
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Cookie"] = "session=" .. sessions[math.random(#sessions)]
  return wrk.format("GET", "/post/" .. ($first_page + math.random(0, $((reader_pages - 1)))), h)
end
LUA
    say "readers: ${#reader_sessions[@]} logged in, on /post/$first_page to /post/$newest"
  else
    fail readers "no reader could log in, or fewer than $reader_pages posts"
  fi
else
  path[readers]=/post/-
  [[ -n ${notes[readers]} ]] || skip readers "skipped: no fake users (BENCH_FAKE=0)"
fi

# age_readers: the readers (their sessions and themselves: a reader is due
# when either was last seen a minute ago) last seen a minute ago, less a
# share of the warm-up and the run each: one comes due every
# duration/readers seconds of the measured run (the warm-up reads them while
# none is due).
age_readers() {
  local i=0 n=${#reader_hashes[@]} q="" due_us due
  for h in "${reader_hashes[@]}"; do
    due_us=$((warmup_s * 1000000 + duration_s * 1000000 * (2 * i + 1) / (2 * n)))
    q+="UPDATE sessions s JOIN users u ON u.id = s.user_id"
    q+=" LEFT JOIN user_activity a ON a.user_id = u.id"
    due="NOW(6) - INTERVAL 60 SECOND + INTERVAL $due_us MICROSECOND"
    q+=" SET s.last_seen_at = $due, u.last_seen = $due, a.last_seen = $due"
    q+=" WHERE s.id_hash = '$h';"
    i=$((i + 1))
  done
  sql "$q"
}

# Every page answers 200 before anything is measured; its body is saved: the
# floors serve those bytes.
for t in "${targets[@]}"; do
  [[ ${kind[$t]} == app && -z ${notes[$t]} ]] || continue
  header_args "$t"
  if [[ -n ${form[$t]:-} ]]; then
    read -r code size < <(http_get "$base${path[$t]}" "${body[$t]}" "${hargs[@]}" \
      -X POST -H "Content-Type: application/x-www-form-urlencoded" --data-raw "${form[$t]}")
    bytes[$t]=$size
    if [[ $code != 302 ]]; then
      fail "$t" "POST ${path[$t]} answered $code, not 302 (log: $STACK_DIR/log/inkwell.log)"
      continue
    fi
    say "$t: POST ${path[$t]}: 302, $size bytes"
    continue
  fi
  read -r code size < <(http_get "$base${path[$t]}" "${body[$t]}" "${hargs[@]}")
  bytes[$t]=$size
  if [[ $code != 200 ]]; then
    [[ $t == home ]] && log_tail "$STACK_DIR/log/inkwell.log" 20
    fail "$t" "GET ${path[$t]} answered $code, not 200 (log: $STACK_DIR/log/inkwell.log)"
    continue
  fi
  if [[ $t == followed || $t == all ]]; then
    if ! grep -qF "Hello, $username!" "${body[$t]}"; then
      fail "$t" "GET / with the session cookie is not logged in (no \"Hello, $username!\")"
      continue
    fi
    if [[ $t == followed ]]; then
      grep -qF 'aria-current="page" href="/followed"' "${body[$t]}" ||
        warn "followed: the Followed tab does not look active (measured anyway)"
    fi
  fi
  say "$t: GET ${path[$t]}: 200, $size bytes"
done
if [[ -z ${notes[home]} ]]; then
  cp -- "${body[home]}" "$page"
  chmod 644 "$page"
fi

# start_bare FILE: (re)start the bare program answering FILE's bytes.
start_bare() {
  stop_bare
  say "bare-fcgi: starting $INKWELL_WORKERS processes on $bare_sock"
  rm -f -- "$bare_sock"
  # setsid: its own process group (stop_bare reaches its children) and no
  # terminal signals; cleanup stops it.
  setsid "$bare_bin" "$bare_sock" "$1" "$INKWELL_WORKERS" </dev/null >>"$bare_log" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$bare_pidfile"
  local deadline=$((SECONDS + 10))
  until [[ -S $bare_sock ]]; do
    if ! child_alive "$pid"; then
      log_tail "$bare_log"
      die "bare-fcgi: exited during start-up (log: $bare_log)"
    fi
    ((SECONDS < deadline)) || die "bare-fcgi: no socket $bare_sock after 10s"
    sleep 0.1
  done
  pid_matches "$pid" "$bare_pattern" || die "bare-fcgi: pid $pid is not the expected process"
}

# run_wrk SECONDS DURATION OUTFILE TARGET: wrk on TARGET's URL with its
# headers, bounded.
run_wrk() {
  header_args "$4"
  local script=()
  if [[ -n ${form[$4]:-} ]]; then
    # A POST of the form; write_follow follows and unfollows in turn.
    {
      echo 'wrk.method = "POST"'
      printf 'wrk.body = "%s"\n' "${form[$4]}"
      echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
      if [[ $4 == write_follow ]]; then
        echo 'local n = 0'
        printf 'request = function() n = n + 1; return wrk.format(nil, (n %% 2 == 0) and "%s" or "%s") end\n' \
          "/unfollow/$popular" "/follow/$popular"
      fi
    } >"$results/$4.lua"
    script=(-s "$results/$4.lua")
  elif [[ $4 == readers ]]; then
    script=(-s "$results/readers.lua")
  fi
  bounded $(($1 + 30)) "$3" wrk "-t$threads" "-c$connections" "-d$2" --latency \
    "${hargs[@]}" "${script[@]}" "$base${path[$4]}"
}

# to_ms VALUE: a wrk time (e.g. 812.00us, 1.25ms, 2.01s, 1.00m) in ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) { print "?"; exit }
    printf "%.2f", n * f
  }'
}

# The processes that serve the rows, found by the stack's own scripts from
# their pid files: pool_masters, the pool master of every app host (one on
# the bench stack, two on the cluster's var/cluster/hostN); db_servers, the
# MariaDB server (every Galera node's mariadbd on the cluster). One a line.
if [[ $bench_stack == cluster ]]; then
  pool_masters() { "$stack/cluster.sh" pids pool 9>&-; }
  db_servers() { "$stack/cluster.sh" pids db 9>&-; }
else
  pool_masters() { "$stack/pool.sh" pid "$bench_stack" 9>&- || true; }
  db_servers() { "$stack/mariadb.sh" pid "$bench_stack" 9>&- || true; }
fi
# All of them, or the CPU per request would be too low.
want_pools=1 want_dbs=1
if [[ $bench_stack == cluster ]]; then want_pools=2 want_dbs=3; fi
n_pools=$(pool_masters | grep -c . || true) n_dbs=$(db_servers | grep -c . || true)
((n_pools == want_pools && n_dbs == want_dbs)) ||
  die "found $n_pools pool masters and $n_dbs database servers running, not $want_pools and $want_dbs"

# sample_rss: the pools' workers' resident memory, the largest kept.
rss_max_kb=0 nworkers=0 rss_target=""
sample_rss() {
  local w kb masters
  masters=$(pool_masters | paste -sd, -)
  [[ -n $masters ]] || return 0
  nworkers=0
  for w in $(pgrep -P "$masters" || true); do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$w/status" 2>/dev/null || true)
    [[ $kb =~ ^[0-9]+$ ]] || continue
    nworkers=$((nworkers + 1))
    if ((kb > rss_max_kb)); then rss_max_kb=$kb rss_target=$1; fi
  done
}

# CPU time (clock ticks) of the processes that serve a row, read from /proc
# around each run: the pools (each master, its live workers, and the workers
# it reaped: cutime/cstime) or the bare program, MariaDB (every Galera node
# on the cluster), and nginx apart.
ticks_of() { # PID...: utime+stime+cutime+cstime summed
  local p sum=0 v
  for p in "$@"; do
    v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
    [[ $v =~ ^[0-9]+$ ]] && sum=$((sum + v))
  done
  echo "$sum"
}
with_children() { # PID...: each process and its children
  local p
  for p in "$@"; do
    echo "$p"
    pgrep -P "$p" || true
  done
}
own_ticks() { # KIND: ticks of the pools (or of bare)
  local own
  if [[ $1 == app ]]; then
    # shellcheck disable=SC2046 # a list of pids
    own=$(with_children $(pool_masters))
  else
    # shellcheck disable=SC2046
    own=$(with_children $(running_pid "$bare_pidfile" bench-bare-fcgi))
  fi
  # shellcheck disable=SC2086 # a list of pids
  ticks_of $own
}
db_ticks() {
  # shellcheck disable=SC2046 # a list of pids
  ticks_of $(db_servers)
}
nginx_ticks() {
  # shellcheck disable=SC2046
  ticks_of $(with_children $(running_pid "$STACK_DIR/run/nginx.pid" nginx))
}
# wsrep_counts: the write-sets this cluster's nodes replicated so far and
# their bytes, summed over the nodes, in $ws_now ("COUNT BYTES"; empty on the
# bench stack). Not in $(...), like sql.
node_sockets=()
if [[ $bench_stack == cluster ]]; then
  for n in 1 2 3; do node_sockets+=("$("$stack/galera.sh" socket "$n" cluster 9>&-)"); done
fi
wsrep_counts() {
  local s count=0 nbytes=0 name v
  ws_now=""
  ((${#node_sockets[@]})) || return 0
  for s in "${node_sockets[@]}"; do
    sql "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_replicated', 'wsrep_replicated_bytes')" "$s"
    while IFS=$'\t' read -r name v; do
      case $name in
        wsrep_replicated) count=$((count + v)) ;;
        wsrep_replicated_bytes) nbytes=$((nbytes + v)) ;;
      esac
    done <"$sql_out"
  done
  ws_now="$count $nbytes"
}
# db_counts: statements executed and answered by the query cache, so far, on
# the single stack's server (in $db_now, "" on the cluster). Not in $(...),
# like sql.
db_counts() {
  local name v executed=0 hits=0
  db_now=""
  [[ $bench_stack != cluster ]] || return 0
  sql "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_execute', 'Qcache_hits')"
  while IFS=$'\t' read -r name v; do
    case $name in
      Com_stmt_execute) executed=$v ;;
      Qcache_hits) hits=$v ;;
    esac
  done <"$sql_out"
  db_now="$executed $hits"
}
hz=$(getconf CLK_TCK)
# per_request TICKS REQUESTS: microseconds of CPU per request.
per_request() {
  awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }'
}

# ---- a quiet database ----
# After the bulk load (and the crowd's follows) InnoDB goes on flushing dirty
# pages and purging old row versions for a while: minutes after a million
# posts. Runs measured meanwhile would count that work in MariaDB's CPU per
# request and in every p99. They start once mariadbd has used under 2% of a
# CPU for a whole second, or after settle_limit seconds (said, not fatal).
settle_limit=120
if [[ ${BENCH_SCALE:-0} == 1 ]]; then settle_limit=900; fi
settle_start=$(date +%s)
settled=0
while (($(date +%s) - settle_start < settle_limit)); do
  d0=$(db_ticks)
  sleep 1
  d1=$(db_ticks)
  # under 2% of one CPU: fewer ticks in the second than hz / 50
  if (((d1 - d0) * 50 < hz)); then
    settled=1
    break
  fi
done
settle_s=$(($(date +%s) - settle_start))
if ((settled)); then
  say "the database was quiet after ${settle_s}s"
else
  warn "the database was still busy after ${settle_limit}s (flushing or purging): rows may be slower"
fi

# restart_pool: the pool again, with the environment as now exported.
restart_pool() {
  "$stack/pool.sh" stop "$bench_stack" 9>&- || die "the $bench_stack pool did not stop"
  "$stack/pool.sh" start "$bench_stack" 9>&- || die "the $bench_stack pool did not start"
}

for t in "${targets[@]}"; do
  [[ -z ${notes[$t]} ]] || continue
  a=${of[$t]}
  case ${kind[$t]} in
    bare) start_bare "${body[$a]}" ;;
  esac
  if [[ $t == cached ]]; then
    say "cached: restarting the pool with the page cache on"
    unset INKWELL_PAGE_CACHE_MS
    restart_pool
  fi
  if [[ ${kind[$t]} != app ]]; then
    # A floor serves the page's bytes: the same size, or it is no floor.
    read -r code size < <(http_get "$base${path[$t]}" /dev/null)
    bytes[$t]=$size
    if [[ $code != 200 || $size != "${bytes[$a]}" ]]; then
      warn "$t: GET ${path[$t]} answered $code with $size bytes, not 200 with ${bytes[$a]}"
      notes[$t]="answered $code, $size bytes"
      failed=1
      continue
    fi
  fi
  if [[ $t == readers ]]; then age_readers; fi
  say "$t: GET ${path[$t]}: warm-up $warmup, then wrk -t$threads -c$connections -d$duration"
  run_wrk "$warmup_s" "$warmup" "$results/wrk-$t-warmup.txt" "$t" ||
    warn "$t: the warm-up run failed (see $results/wrk-$t-warmup.txt)"
  out=$results/wrk-$t.txt
  # The replication counters outside the CPU samples: their queries cost
  # the nodes CPU too.
  wsrep_counts
  ws_a=$ws_now
  db_counts
  db_a=$db_now
  ticks_a=$(own_ticks "${kind[$t]}") ticks_d=$(db_ticks) ticks_n=$(nginx_ticks)
  if ! run_wrk "$duration_s" "$duration" "$out" "$t"; then
    cat "$out" "$out.err" >&2
    warn "$t: wrk failed"
    notes[$t]="wrk failed"
    failed=1
    continue
  fi
  ticks_a=$(($(own_ticks "${kind[$t]}") - ticks_a)) ticks_d=$(($(db_ticks) - ticks_d))
  ticks_n=$(($(nginx_ticks) - ticks_n))
  wsrep_counts
  ws_b=$ws_now
  db_counts
  db_b=$db_now
  requests[$t]=$(awk '/ requests in / { print $1 }' "$out")
  cpu_app[$t]=$(per_request $((ticks_a + ticks_d)) "${requests[$t]:-0}")
  cpu_db[$t]=$(per_request "$ticks_d" "${requests[$t]:-0}")
  cpu_nginx[$t]=$(per_request "$ticks_n" "${requests[$t]:-0}")
  if [[ -n $ws_a && -n $ws_b ]]; then
    read -r c0 b0 <<<"$ws_a"
    read -r c1 b1 <<<"$ws_b"
    ws_count[$t]=$((c1 - c0)) ws_bytes[$t]=$((b1 - b0))
  fi
  if [[ ${kind[$t]} == app && -n $db_a && -n $db_b && ${requests[$t]:-0} -gt 0 ]]; then
    # Prepared statements per request (a few come from the mailer) and the
    # share of them the query cache answered.
    read -r e0 h0 <<<"$db_a"
    read -r e1 h1 <<<"$db_b"
    notes[$t]+=$(awk -v e=$((e1 - e0)) -v h=$((h1 - h0)) -v n="${requests[$t]}" \
      'BEGIN { printf "%.1f statements/r, %.0f%% cached; ", e / n, (e > 0 ? 100 * h / e : 0) }')
  fi
  rps[$t]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50[$t]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99[$t]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  [[ -n ${rps[$t]} ]] || rps[$t]=-
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")
  sockerr=$(awk -F': *' '/Socket errors/ { print $2 }' "$out")
  refused[$t]=${non2xx:-0}
  if [[ -n $non2xx && $bench_stack == cluster && $t == *write_* ]]; then
    # All 32 connections write as one user through two nodes: the same rows
    # (the user's, the counters) from both, where Galera's first committer
    # wins; a loser retried 4 times answers 503 (README: Cluster). Counted in
    # the replication table, not a failure of the benchmark.
    warn "$t: $non2xx responses were not 2xx/3xx: write conflicts between the nodes (see $out)"
    notes[$t]+="refused: $non2xx; "
  elif [[ -n $non2xx ]]; then
    warn "$t: $non2xx responses were not 2xx/3xx (see $out)"
    notes[$t]+="non-2xx: $non2xx; "
    failed=1
  else
    good_rps[$t]=${rps[$t]}
  fi
  if [[ -n $sockerr ]]; then
    warn "$t: socket errors: $sockerr"
    notes[$t]+="socket errors: $sockerr; "
  fi
  if [[ ${kind[$t]} == app ]]; then sample_rss "$t"; fi
done

# The logged-in pages must still be logged in after their runs.
for t in all followed; do
  [[ ${rps[$t]} != - ]] || continue
  header_args "$t"
  read -r code _ < <(http_get "$base/" "$results/body-$t-after.out" "${hargs[@]}")
  if [[ $code != 200 ]] || ! grep -qF "Hello, $username!" "$results/body-$t-after.out"; then
    warn "$t: no longer logged in after the run (answered $code)"
    notes[$t]+="logged out during the run; "
    unset "good_rps[$t]"
    failed=1
  fi
done

# pct A B: A/B in percent, or - when either is missing.
pct() {
  [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || {
    printf -- '-'
    return
  }
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'
}
# verdict 1|0|"": "ok" / "MISSED" / nothing (no figure).
verdict() { awk -v c="$1" 'BEGIN { if (c == "") exit; print (c ? "ok" : "MISSED") }'; }

declare -A ratio
for t in "${targets[@]}"; do
  ratio[$t]=-
  [[ ${kind[$t]} == bare ]] && continue
  ratio[$t]=$(pct "${good_rps[$t]:-}" "${good_rps[${of[$t]}.bare]:-}")
done
rss_mb=-
if ((nworkers > 0)); then
  rss_mb=$(awk -v k="$rss_max_kb" 'BEGIN { printf "%.1f", k / 1024 }')
fi

width=4
for t in "${targets[@]}"; do
  if ((${#path[$t]} > width)); then width=${#path[$t]}; fi
done
servers="$INKWELL_WORKERS workers"
if [[ $bench_stack == cluster ]]; then
  servers="2 app hosts of $INKWELL_WORKERS workers each, 3 Galera nodes"
fi
echo
echo "Inkwell bench$([[ $bench_stack == cluster ]] && echo ' --cluster'): wrk -t$threads -c$connections" \
  "-d$duration (after a $warmup warm-up) through nginx on 127.0.0.1:$HTTP_PORT, $servers"
if ((fake)); then
  printf 'data: inkwell fake %s: %s, in %s s; the database quiet %s s later\n' \
    "${fake_args[*]}" "${fake_summary:-?}" "$fake_s" "$settle_s"
else
  echo "data: none (BENCH_FAKE=0): the home page has no posts"
fi
row="%-12s %-${width}s %9s %8s %8s %8s %8s %9s %8s%s\n"
# shellcheck disable=SC2059 # the format is the one above
printf "$row" target path 'req/s' 'p50 ms' 'p99 ms' bytes 'vs bare' 'cpu us/r' 'nginx us' '  notes'
for t in "${targets[@]}"; do
  label=$t
  [[ ${kind[$t]} == app ]] || label="  ${kind[$t]}"
  note=${notes[$t]%; }
  # shellcheck disable=SC2059
  printf "$row" "$label" "${path[$t]}" "${rps[$t]}" "${p50[$t]}" "${p99[$t]}" "${bytes[$t]}" \
    "${ratio[$t]/%[0-9]/&%}" "${cpu_app[$t]}" "${cpu_nginx[$t]}" "${note:+  $note}"
done
echo
echo "vs bare: req/s as a percentage of the bare FastCGI floor serving the same bytes"
if [[ $bench_stack == cluster ]]; then
  echo "cpu us/r: CPU per request of both hosts' workers and the three Galera nodes (of"
  echo "  bare-fcgi and the nodes on a floor's row), from /proc around the run; nginx us: nginx's own"
else
  echo "cpu us/r: CPU per request of the pool's workers and MariaDB (of bare-fcgi and"
  echo "  MariaDB on a floor's row), from /proc around the run; nginx us: nginx's own"
fi
echo "every row but 'cached' runs with the page cache off (INKWELL_PAGE_CACHE_MS=0)"
echo "aims: >= $aim_bare_pct% of bare (writes: >= $aim_write_pct%), p99 < $aim_p99_ms ms, <= $aim_cpu_us us CPU per request," \
  "deep pages <= 2x page 1, a reader of 5,000 <= 1.5x followed, a post to 5,000 p99 < 50 ms, worker RSS < $aim_rss_mb MB"
missed=0
for t in "${targets[@]}"; do
  [[ ${kind[$t]} == app ]] || continue
  if [[ ${rps[$t]} == - ]]; then
    printf '  %-12s not measured\n' "$t"
    continue
  fi
  ok_bare="" ok_p99="" ok_cpu=""
  r=${ratio[$t]}
  aim=$aim_bare_pct
  [[ $t == *write_* ]] && aim=$aim_write_pct
  if [[ $r != - ]]; then ok_bare=$((r >= aim)); fi
  if [[ ${p99[$t]} =~ ^[0-9.]+$ ]]; then
    ok_p99=$(awk -v p="${p99[$t]}" -v a="$aim_p99_ms" 'BEGIN { print (p < a) }')
  fi
  if [[ ${cpu_app[$t]} =~ ^[0-9]+$ ]]; then ok_cpu=$((cpu_app[$t] <= aim_cpu_us)); fi
  for v in "$ok_bare" "$ok_p99" "$ok_cpu"; do [[ $v == 0 ]] && missed=$((missed + 1)); done
  printf '  %-12s %6s of bare %-7s p99 %9s %-7s cpu %7s %s\n' "$t" "${ratio[$t]/%[0-9]/&%}" \
    "$(verdict "$ok_bare")" "${p99[$t]/%[0-9]/& ms}" "$(verdict "$ok_p99")" \
    "${cpu_app[$t]/%[0-9]/& us}" "$(verdict "$ok_cpu")"
done
# Deep pages against page 1 of the same list, by CPU per request.
for pair in deep:home last:home profile_last:profile api_deep:api; do
  d=${pair%%:*} one=${pair#*:}
  [[ ${cpu_app[$d]} =~ ^[0-9]+$ && ${cpu_app[$one]} =~ ^[0-9]+$ && ${cpu_app[$one]} -gt 0 ]] || continue
  x=$(awk -v a="${cpu_app[$d]}" -v b="${cpu_app[$one]}" 'BEGIN { printf "%.2f", a / b }')
  ok=$(awk -v x="$x" 'BEGIN { print (x <= 2) }')
  ((ok)) || missed=$((missed + 1))
  printf '  %-12s %6sx the CPU of %s %s\n' "$d" "$x" "$one" "$(verdict "$ok")"
done
# The crowd: a reader of 5,000 within 1.5x the CPU of the followed row's
# reader (of 25 to 50); a post to 5,000 followers with p99 under 50 ms.
if [[ ${cpu_app[many_followed]} =~ ^[0-9]+$ && ${cpu_app[followed]} =~ ^[0-9]+$ && ${cpu_app[followed]} -gt 0 ]]; then
  x=$(awk -v a="${cpu_app[many_followed]}" -v b="${cpu_app[followed]}" 'BEGIN { printf "%.2f", a / b }')
  ok=$(awk -v x="$x" 'BEGIN { print (x <= 1.5) }')
  ((ok)) || missed=$((missed + 1))
  printf '  %-12s %6sx the CPU of followed (following %s) %s\n' many_followed "$x" "${crowd_following:-?}" "$(verdict "$ok")"
fi
if [[ ${p99[many_write_post]} =~ ^[0-9.]+$ ]]; then
  ok=$(awk -v p="${p99[many_write_post]}" 'BEGIN { print (p < 50) }')
  ((ok)) || missed=$((missed + 1))
  printf '  %-12s p99 %s ms to %s followers (aim < 50 ms) %s\n' many_write_post "${p99[many_write_post]}" "${crowd_followers:-?}" "$(verdict "$ok")"
fi
home_static=$(pct "${good_rps[home]:-}" "${good_rps[home.static]:-}")
printf '  %-10s %6s of static (nginx serving the same bytes as a file)\n' home "${home_static/%[0-9]/&%}"
ok_rss=""
if [[ $rss_mb != - ]]; then
  ok_rss=$(awk -v r="$rss_mb" -v a="$aim_rss_mb" 'BEGIN { print (r < a) }')
fi
printf '  %-25s %8s %s%s\n' 'worker RSS (max)' "${rss_mb/%[0-9]/& MB}" "$(verdict "$ok_rss")" \
  "${rss_target:+ (of $nworkers workers, after $rss_target)}"
echo "aims missed: $missed"

# The figures of the pool's rows, kept outside the stack directory (start.sh
# wipes that) for the next --cluster run to compare with.
saved=$ROOT/var/bench-$bench_stack.tsv
{
  printf '# %s %s -d%s data: %s\n' "$bench_stack" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$duration" \
    "$( ((fake)) && echo "${fake_args[*]}" || echo none)"
  for t in "${targets[@]}"; do
    [[ ${kind[$t]} == app && ${rps[$t]} != - ]] || continue
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${rps[$t]}" "${p50[$t]}" "${p99[$t]}" "${cpu_app[$t]}" "${cpu_db[$t]}"
  done
} >"$saved.tmp" && mv -f -- "$saved.tmp" "$saved"

# --cluster: what replication costs per write, against the single stack's
# last `make bench` in this tree (var/bench-bench.tsv), and the write-sets
# the nodes replicated (wsrep_replicated, wsrep_replicated_bytes: SHOW
# GLOBAL STATUS on every node before and after each row).
if [[ $bench_stack == cluster ]]; then
  single=$ROOT/var/bench-bench.tsv
  declare -A s_cpu s_db s_p50 s_p99
  single_run=""
  if [[ -f $single ]]; then
    single_run=$(head -n 1 "$single")
    single_run=${single_run#\# bench }
    while IFS=$'\t' read -r t _ a b c d; do
      s_p50[$t]=$a s_p99[$t]=$b s_cpu[$t]=$c s_db[$t]=$d
    done < <(grep -v '^#' "$single")
    [[ $single_run == *"data: ${fake_args[*]}" ]] ||
      warn "the single stack's figures ($single) were measured on other data: $single_run"
  fi
  echo
  echo "Replication per write: the cluster against the single stack" \
    "(${single_run:-not measured: run make bench, BENCH_ONLY='^write_' suffices})"
  rrow="%-14s %7s %7s  %7s %7s  %7s %7s  %7s %7s  %7s %8s %8s\n"
  # shellcheck disable=SC2059 # the format is the one above
  printf "$rrow" '' 'cpu us/w' '' 'of it db' '' 'p50 ms' '' 'p99 ms' '' 'wsets/w' 'bytes/w' refused
  # shellcheck disable=SC2059
  printf "$rrow" row single cluster single cluster single cluster single cluster '' '' ''
  reads_ws=0 reads_n=0
  for t in "${targets[@]}"; do
    [[ ${kind[$t]} == app && ${ws_count[$t]} =~ ^[0-9]+$ && ${requests[$t]:-0} -gt 0 ]] || continue
    if [[ $t != *write_* ]]; then
      reads_ws=$((reads_ws + ws_count[$t])) reads_n=$((reads_n + requests[$t]))
      continue
    fi
    # shellcheck disable=SC2059
    printf "$rrow" "$t" "${s_cpu[$t]:--}" "${cpu_app[$t]}" "${s_db[$t]:--}" "${cpu_db[$t]}" \
      "${s_p50[$t]:--}" "${p50[$t]}" "${s_p99[$t]:--}" "${p99[$t]}" \
      "$(awk -v c="${ws_count[$t]}" -v n="${requests[$t]}" 'BEGIN { printf "%.2f", c / n }')" \
      "$(awk -v b="${ws_bytes[$t]}" -v n="${requests[$t]}" 'BEGIN { printf "%.0f", b / n }')" \
      "$(awk -v r="${refused[$t]:-0}" -v n="${requests[$t]}" 'BEGIN { printf "%.1f%%", 100 * r / n }')"
  done
  echo "cpu us/w: per write, workers plus database (single: one MariaDB; cluster: both hosts'"
  echo "  workers and all three nodes, which each apply every write-set); of it db: the database's"
  echo "  part; wsets/w, bytes/w: write-sets replicated per write and their bytes, summed over the nodes;"
  echo "  refused: answered 503 after losing write conflicts (every write is one user's, from 2 nodes)"
  ((reads_n == 0)) || echo "the read rows replicated $reads_ws write-sets in $reads_n requests"
fi
echo "(wrk's output and the bodies: $results, kept until the next benchmark)"

if ((failed)); then
  warn "a target did not answer as expected: see the notes above"
  exit 1
fi
exit 0
