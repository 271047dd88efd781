// A new post is one call of the stored procedure inkwell_create_post
// (sql/migrations/0013_write_procedures.sql); without it (not there, or an
// account without EXECUTE) the worker runs the same statements one by one,
// with the same rows, and says so in its log.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"
#include "core/config.hpp"
#include "core/db.hpp"

using namespace itest;
using namespace itest::auth;
namespace core = inkwell::core;

TEST_CASE("a new post is one call of inkwell_create_post; without it, the same rows one by one") {
  Client author, reader;
  Account a = confirmed_user(author, "proca");
  confirmed_user(reader, "procr");
  REQUIRE(submit(reader, "/user/" + a.username, {}, "/follow/" + a.username).status == 302);
  auto calls = [] {
    const std::string row = itest::auth::sql("SHOW GLOBAL STATUS LIKE 'Com_call_procedure'");
    return std::stol(row.substr(row.find('\t') + 1));
  };
  auto seq_of = [](long id, const char* column) {
    return sql_count("SELECT " + std::string(column) +
                     " FROM posts WHERE id = " + std::to_string(id));
  };

  const long before = calls();
  const long first = write_post(author, "written by the procedure");
  CHECK(calls() - before == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + std::to_string(first)) ==
        2);  // the author's feed and the reader's

  // The procedure gone (an account without EXECUTE is refused the same
  // way): the post is stored all the same, and the worker says why.
  const core::Config config = core::load_config_from_environment();
  std::ifstream file(config.migrations_dir + "/0013_write_procedures.sql");
  REQUIRE(file);
  const std::string migration((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
  itest::auth::sql("DROP PROCEDURE inkwell_create_post");
  const long second = write_post(author, "written statement by statement");
  {
    core::Db db(config);
    db.execute_script(migration);  // as `inkwell migrate` made it
  }
  CHECK(sql_count("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
                  "DATABASE() AND ROUTINE_NAME = 'inkwell_create_post'") == 1);
  CHECK(seq_of(second, "seq") == seq_of(first, "seq") + 1);
  CHECK(seq_of(second, "author_seq") == seq_of(first, "author_seq") + 1);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + std::to_string(second)) ==
        2);
  CHECK(feed_mismatches() == 0);
  CHECK(sql_count("SELECT value FROM counters WHERE name = 'posts'") ==
        sql_count("SELECT COUNT(*) FROM posts"));
  CHECK(sql_count("SELECT post_count FROM users WHERE username = " + sql_quote(a.username)) == 2);
  CHECK(run("cat " + pool_logs() +
            " | grep -c 'posts are written statement by statement' || true") != "0\n");
}
