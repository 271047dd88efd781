#!/usr/bin/env bash
# The query plans of the application's list queries, on a database with
# realistic amounts of data.
#
#   scripts/explain.sh [--fake] [--analyze] [dev|test|bench]
#
# The SQL is the models' own: app/models/post.cpp, comment.cpp and
# follow.cpp are compiled against a stand-in for core::Db that records the
# first statement a function runs (its bound values inlined) instead of
# running it, and each list function is called the way the pages call it:
#   home page        recent_posts(20, 0), count_posts
#   followed feed    followed_feed(U, 1, 20): its first statement (the
#                    followed authors); the feed statement itself is chosen
#                    at run time from the counters (models/post.cpp)
#   a user's posts   posts_by_author(U, 20, 0)
#   a post           find_post(P), comments_of_post(P, 30, 0)
#   moderation       recent_comments(30, 0)
#   follow lists     followers_of(U, 50, 0), followed_by(U, 50, 0)
# U is the user who follows the most people, P the most commented post.
#
# The database is the one of the INKWELL_* environment if INKWELL_DB_SOCKET
# or INKWELL_DB_HOST is set, else that of the named stack (default dev), which
# must be running. --fake first adds the benchmark data set to it:
#   inkwell fake --users 1000 --posts 100000 --follows 50 --comments 20000 --seed 1
# --analyze runs the queries (MariaDB's ANALYZE statement) and also shows the
# real row counts (r_rows).
#
# Every plan row is printed. "!!" flags a whole scan (type ALL) of a big table
# and "Using filesort" over a big estimated row count (the product of the
# join's row estimates); big is EXPLAIN_BIG rows or more (default 1000). The
# exit status is 1 when something was flagged, 2 on errors, else 0.
# Needs g++, python3, the mariadb client and a built build/libinkwell.a.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

fake=0 analyze=0 stack=dev
for arg in "$@"; do
  case $arg in
    --fake) fake=1 ;;
    --analyze) analyze=1 ;;
    dev | test | bench) stack=$arg ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "usage: $0 [--fake] [--analyze] [dev|test|bench]" >&2
      exit 2
      ;;
  esac
done

die() {
  echo "explain.sh: $*" >&2
  exit 2
}

if [[ -z ${INKWELL_DB_SOCKET:-} && -z ${INKWELL_DB_HOST:-} ]]; then
  # shellcheck source=SCRIPTDIR/../tests/stack/env.sh
  source "$ROOT/tests/stack/env.sh" "$stack"
fi
build=${INKWELL_BUILD_DIR:-$ROOT/build}
for tool in g++ python3 mariadb pkg-config; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -f $build/libinkwell.a ]] || die "$build/libinkwell.a not found (run make build)"

db=(mariadb --no-defaults --batch --user="${INKWELL_DB_USER:-inkwell}")
if [[ -n ${INKWELL_DB_SOCKET:-} ]]; then
  db+=(--socket="$INKWELL_DB_SOCKET")
else
  db+=(--host="${INKWELL_DB_HOST:-127.0.0.1}" --port="${INKWELL_DB_PORT:-3306}")
fi
db+=("${INKWELL_DB_NAME:-inkwell}")
export MYSQL_PWD=${INKWELL_DB_PASSWORD:-}  # not on the command line
sql() { "${db[@]}" --skip-column-names -e "$1"; }

if ((fake)); then
  "$build/inkwell" fake --users 1000 --posts 100000 --follows 50 --comments 20000 --seed 1
fi

# ---- the models' SQL, through a recording stand-in for core::Db ----
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
mkdir -p "$tmp/core"
cat >"$tmp/core/db.hpp" <<'CPP'
// Stand-in for app/core/db.hpp (scripts/explain.sh): the first statement a
// model function runs is thrown as a Captured, with its values inlined.
#pragma once
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace inkwell::core {

struct DbUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Captured {
  std::string sql;
};
std::vector<std::string> split_sql_script(std::string_view script);
bool is_connection_lost(const sql::SQLException& e);

class Db {
 public:
  Db() = default;
  explicit Db(const Config&) {}
  template <class... Args>
  std::unique_ptr<sql::ResultSet> query(std::string_view sql, const Args&... args) {
    throw Captured{inline_values(sql, {literal(args)...})};
  }
  template <class... Args>
  std::uint64_t execute(std::string_view sql, const Args&... args) {
    throw Captured{inline_values(sql, {literal(args)...})};
  }
  std::int64_t last_insert_id() { return 0; }
  void execute_script(std::string_view) {}
  void reset() {}
  sql::Connection& connection() { throw Captured{"(uses the connection directly)"}; }
  class Transaction {
   public:
    explicit Transaction(Db&) {}
    void commit() {}
  };

 private:
  static std::string literal(std::int64_t v) { return std::to_string(v); }
  static std::string literal(int v) { return std::to_string(v); }
  static std::string literal(unsigned v) { return std::to_string(v); }
  static std::string literal(long long v) { return std::to_string(v); }
  static std::string literal(bool v) { return v ? "TRUE" : "FALSE"; }
  static std::string literal(std::nullptr_t) { return "NULL"; }
  static std::string literal(std::string_view v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  }
  static std::string literal(const std::string& v) { return literal(std::string_view(v)); }
  static std::string literal(const char* v) { return literal(std::string_view(v)); }
  template <class T>
  static std::string literal(const std::optional<T>& v) {
    return v ? literal(*v) : std::string("NULL");
  }
  // Each ? outside quotes becomes the next value.
  static std::string inline_values(std::string_view sql, std::vector<std::string> values) {
    std::string out;
    std::size_t next = 0;
    char quote = 0;
    for (char c : sql) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == '?' && next < values.size()) {
        out += values[next++];
        continue;
      }
      out += c == '\n' ? ' ' : c;
    }
    return out;
  }
};

}  // namespace inkwell::core
CPP
cat >"$tmp/harness.cpp" <<'CPP'
#include <iostream>
#include <string>

#include "core/db.hpp"
#include "models/comment.hpp"
#include "models/follow.hpp"
#include "models/post.hpp"

using namespace inkwell;

template <class F>
void capture(const char* label, F call) {
  core::Db db;
  try {
    call(db);
    std::cout << label << "\t\n";
  } catch (const core::Captured& c) {
    std::cout << label << '\t' << c.sql << '\n';
  }
}

int main(int, char** argv) {
  const std::int64_t u = std::stoll(argv[1]), p = std::stoll(argv[2]);
  capture("home page: recent_posts", [](core::Db& db) { models::recent_posts(db, 20, 0); });
  capture("home page: count_posts", [](core::Db& db) { models::count_posts(db); });
  capture("followed feed: followed_feed", [&](core::Db& db) { models::followed_feed(db, u, 1, 20); });
  capture("user's posts: posts_by_author", [&](core::Db& db) { models::posts_by_author(db, u, 20, 0); });
  capture("post page: find_post", [&](core::Db& db) { models::find_post(db, p); });
  capture("post page: comments_of_post", [&](core::Db& db) { models::comments_of_post(db, p, 30, 0); });
  capture("moderation: recent_comments", [](core::Db& db) { models::recent_comments(db, 30, 0); });
  capture("followers: followers_of", [&](core::Db& db) { models::followers_of(db, u, 50, 0); });
  capture("followed: followed_by", [&](core::Db& db) { models::followed_by(db, u, 50, 0); });
}
CPP
# shellcheck disable=SC2046
if ! g++ -std=c++20 -O0 -w -I"$tmp" -Iapp -o "$tmp/harness" "$tmp/harness.cpp" \
  app/models/post.cpp app/models/comment.cpp app/models/follow.cpp "$build/libinkwell.a" \
  $(pkg-config --libs fcgi libcrypto++ libctemplate_nothreads libcmark libesmtp-1.0 openssl \
    2>/dev/null) -lmysqlcppconn 2>"$tmp/compile.log"; then
  cat "$tmp/compile.log" >&2
  die "the models did not compile against the recording stand-in (see above)"
fi

# ---- representative values and fresh statistics ----
for t in users posts follows comments; do sql "ANALYZE TABLE $t" >/dev/null; done
user=$(sql "SELECT id FROM users ORDER BY following_count DESC, id LIMIT 1")
post=$(sql "SELECT id FROM posts ORDER BY comment_count DESC, id LIMIT 1")
[[ -n $user && -n $post ]] || die "no users or no posts in the database (try --fake)"
echo "rows: $(sql "SELECT CONCAT('users ', (SELECT COUNT(*) FROM users), ', posts ',
  (SELECT COUNT(*) FROM posts), ', follows ', (SELECT COUNT(*) FROM follows), ', comments ',
  (SELECT COUNT(*) FROM comments))")"
echo "U = user $user ($(sql "SELECT CONCAT(username, ': following ', following_count,
  ', followers ', followers_count, ', posts ', post_count) FROM users WHERE id = $user")),"\
  "P = post $post ($(sql "SELECT comment_count FROM posts WHERE id = $post") comments)"
"$tmp/harness" "$user" "$post" >"$tmp/queries.tsv"

# ---- the plans ----
export EXPLAIN_ANALYZE=$analyze
python3 - "$tmp/queries.tsv" "${db[@]}" <<'PY'
import os, subprocess, sys

BIG = int(os.environ.get("EXPLAIN_BIG", "1000"))
ANALYZE = os.environ.get("EXPLAIN_ANALYZE") == "1"
CLIENT = sys.argv[2:]

def rows_of(query):
    out = subprocess.run(CLIENT, input=query, capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    return [line.split("\t") for line in out.stdout.splitlines()], ""

def number(text, fallback):
    try:
        return float(text)
    except ValueError:
        return fallback

flagged = 0
for line in open(sys.argv[1]):
    label, _, query = line.rstrip("\n").partition("\t")
    print("\n== " + label)
    if not query.strip():
        print("   (ran no SQL)")
        continue
    print("   " + query)
    if not query.lstrip().upper().startswith("SELECT"):
        print("   (not a SELECT: not explained)")
        continue
    rows, error = rows_of(("ANALYZE " if ANALYZE else "EXPLAIN ") + query)
    if rows is None:
        print("   !! " + error)
        flagged += 1
        continue
    head, plan = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(head)}
    shown = [h for h in ("table", "type", "key", "rows", "r_rows", "filtered", "Extra") if h in col]
    width = {h: max([len(h)] + [len(r[col[h]]) for r in plan]) for h in shown}
    print("      " + "  ".join(h.ljust(width[h]) for h in shown).rstrip())
    estimate, sorts, notes = 1.0, False, []
    for r in plan:
        get = lambda h: r[col[h]] if h in col else ""
        n = number(get("r_rows"), None) if ANALYZE else None
        n = n if n is not None else number(get("rows"), 1.0)
        estimate *= max(n, 1.0) * (1.0 if ANALYZE else number(get("filtered"), 100.0) / 100.0)
        mark = "  "
        if get("type") == "ALL" and n >= BIG:
            mark = "!!"
            notes.append("type ALL: a whole scan of %s (%d rows)" % (get("table"), n))
        sorts = sorts or "Using filesort" in get("Extra")
        print("   " + mark + " " + "  ".join(get(h).ljust(width[h]) for h in shown).rstrip())
    if sorts and estimate >= BIG:
        notes.append("Using filesort over about %d rows" % estimate)
    for n in notes:
        print("   !! " + n)
    flagged += bool(notes)

print("\n%d quer%s flagged" % (flagged, "y" if flagged == 1 else "ies"))
sys.exit(1 if flagged else 0)
PY
