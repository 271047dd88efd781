#include <doctest/doctest.h>

#include <stdexcept>

#include "models/db_setup.hpp"

using inkwell::models::db_setup_statements;
using inkwell::models::DbAccount;

TEST_CASE("setup-db: the application account gets row rights only, the migrator the schema") {
  DbAccount app{"inkwell", "localhost", "app-Secret_1"};
  DbAccount mig{"inkwell_migrate", "localhost", "mig-Secret_2"};
  auto s = db_setup_statements("inkwell", app, mig);
  REQUIRE(s.size() == 9);
  CHECK(s[0] ==
        "CREATE DATABASE IF NOT EXISTS `inkwell` CHARACTER SET utf8mb4 COLLATE "
        "utf8mb4_unicode_ci");
  CHECK(s[1] == "CREATE USER IF NOT EXISTS 'inkwell'@'localhost' IDENTIFIED BY 'app-Secret_1'");
  CHECK(s[2] == "ALTER USER 'inkwell'@'localhost' IDENTIFIED BY 'app-Secret_1'");
  CHECK(s[3] == "REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'inkwell'@'localhost'");
  CHECK(s[4] ==
        "GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON `inkwell`.* TO 'inkwell'@'localhost'");
  CHECK(s[5] ==
        "CREATE USER IF NOT EXISTS 'inkwell_migrate'@'localhost' IDENTIFIED BY 'mig-Secret_2'");
  CHECK(s[8] == "GRANT ALL PRIVILEGES ON `inkwell`.* TO 'inkwell_migrate'@'localhost'");
}

TEST_CASE("setup-db: names, hosts and passwords that could break out of the quotes are refused") {
  DbAccount app{"inkwell", "localhost", "pw"};
  DbAccount mig{"inkwell_migrate", "localhost", "pw2"};
  CHECK_THROWS_AS(db_setup_statements("ink`well", app, mig), std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("", app, mig), std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", {"ink'well", "localhost", "pw"}, mig),
                  std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", {"inkwell", "local'host", "pw"}, mig),
                  std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", {"inkwell", "localhost", "p'w"}, mig),
                  std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", {"inkwell", "localhost", "p\\w"}, mig),
                  std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", {"inkwell", "localhost", "p\nw"}, mig),
                  std::invalid_argument);
  CHECK_THROWS_AS(db_setup_statements("inkwell", app, {"inkwell_migrate", "localhost", ""}),
                  std::invalid_argument);
  // One account cannot be both.
  CHECK_THROWS_AS(db_setup_statements("inkwell", app, {"inkwell", "localhost", "pw2"}),
                  std::invalid_argument);
  // TCP clients: an address or a pattern as the host.
  CHECK_NOTHROW(db_setup_statements("inkwell", {"inkwell", "10.0.%", "pw"},
                                    {"inkwell_migrate", "127.0.0.1", "pw2"}));
}
