// What several app hosts on one database need (the cluster stack, `make
// test-cluster`, runs these through two hosts on three Galera nodes; the test
// stack runs them through one): another host's write empties this host's
// page cache within INKWELL_PAGE_CACHE_SYNC_MS, every mail is delivered once
// however many mailers claim it, and migrators that start together wait for
// the one holding the lock row.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "auth_helpers.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

}  // namespace

TEST_CASE("cluster: a write on one host empties every host's cached visitor page in time") {
  const long sync_ms = std::stol(env_or("INKWELL_PAGE_CACHE_SYNC_MS", "0"));
  const long cache_ms = std::stol(env_or("INKWELL_PAGE_CACHE_MS", "2000"));
  Client c;
  Account a = confirmed_user(c, "pcache");
  Client visitor;
  // Every host (nginx takes turns) caches the visitors' profile page.
  for (int i = 0; i < 6; ++i) REQUIRE(visitor.get("/user/" + a.username).status == 200);
  const std::string place = unique("Town");
  Reply r = submit(c, "/edit-profile", {{"name", "P"}, {"location", place}, {"about_me", ""}});
  REQUIRE(r.status == 302);
  const auto written = Clock::now();
  // The documented bound: the next check of the hosts' generations, plus
  // replication (milliseconds).
  std::this_thread::sleep_for(std::chrono::milliseconds(sync_ms + 300));
  for (int i = 0; i < 6; ++i) {
    Reply page = visitor.get("/user/" + a.username);
    CHECK(page.status == 200);
    CHECK_MESSAGE(page.contains(place), "a host served its stale cached page");
  }
  // Otherwise the pages could simply have expired: the check proves nothing.
  CHECK_MESSAGE(ms_since(written) < cache_ms,
                "the reads came after the cache's own expiry (" << cache_ms << " ms)");
}

TEST_CASE("cluster: each mail is delivered once when every host's mailer claims it") {
  const std::string tag = unique("once");
  const std::string subject = "Once " + tag;
  const int n = 24;
  std::string values;
  for (int i = 0; i < n; ++i) {
    if (i) values += ", ";
    values += "(" + sql_quote(tag + "-" + std::to_string(i) + "@example.com") + ", " +
              sql_quote(subject) + ", 'text', '<p>text</p>')";
  }
  sql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html) VALUES " + values);
  const auto start = Clock::now();
  long pending = n;
  while (pending > 0 && ms_since(start) < 30000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    pending = sql_count("SELECT COUNT(*) FROM mail_outbox WHERE subject = " + sql_quote(subject) +
                        " AND sent_at IS NULL");
  }
  REQUIRE(pending == 0);
  // A second delivery would come from a mailer that claimed a message the
  // other one had: give it the time of a send.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  for (int i = 0; i < n; ++i) {
    const std::string to = tag + "-" + std::to_string(i) + "@example.com";
    CHECK_MESSAGE(maildir(to, subject).size() == 1, to);
  }
}

TEST_CASE("cluster: a migrator waits for the lock row, then finds nothing to do") {
  sql("INSERT INTO schema_migrations_lock (id, holder) VALUES (1, 'integration test')");
  const std::string out = stack_dir() + "/migrate-under-lock.out";
  const std::string rc = stack_dir() + "/migrate-under-lock.rc";
  run("rm -f " + shell_quote(out) + " " + shell_quote(rc));
  run("(" + inkwell_binary() + " migrate >" + shell_quote(out) + " 2>&1; echo $? >" +
      shell_quote(rc) + ".tmp; mv " + shell_quote(rc) + ".tmp " + shell_quote(rc) +
      ") </dev/null >/dev/null 2>&1 &");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const bool waited = read_file(rc).empty();
  sql("DELETE FROM schema_migrations_lock WHERE holder = 'integration test'");
  CHECK_MESSAGE(waited, "migrate did not wait for the lock: " << read_file(out));
  const auto start = Clock::now();
  while (read_file(rc).empty() && ms_since(start) < 15000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(read_file(rc) == "0\n");
  CHECK(read_file(out).find("up to date") != std::string::npos);
  CHECK(sql_count("SELECT COUNT(*) FROM schema_migrations_lock") == 0);
}
