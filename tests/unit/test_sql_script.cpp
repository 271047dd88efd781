#include <doctest/doctest.h>

#include "core/db.hpp"

TEST_CASE("SQL scripts split into statements at ';' line ends") {
  auto s = inkwell::core::split_sql_script(
      "-- comment\nCREATE TABLE a (\n  x INT -- inline; kept\n);\n\n"
      "INSERT INTO a VALUES (1);  \r\n-- last\nSELECT 'a;b' ;\nUPDATE a SET x = 2");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "CREATE TABLE a (\n  x INT -- inline; kept\n)");
  CHECK(s[1] == "INSERT INTO a VALUES (1)");
  CHECK(s[2] == "SELECT 'a;b' ");
  CHECK(s[3] == "UPDATE a SET x = 2\n");
  CHECK(inkwell::core::split_sql_script("").empty());
  CHECK(inkwell::core::split_sql_script("\n-- only a comment\n\n").empty());
}

TEST_CASE(
    "SQL scripts: DELIMITER lines change the end of a statement, as the mariadb client does") {
  auto s = inkwell::core::split_sql_script(
      "DROP PROCEDURE IF EXISTS p;\n"
      "delimiter //\n"
      "CREATE PROCEDURE p()\nBEGIN\n  -- a comment; dropped\n  SELECT 1;\n  SELECT 2;\nEND //\n"
      "DELIMITER ;\n"
      "SELECT 3;\n");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "DROP PROCEDURE IF EXISTS p");
  CHECK(s[1] == "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND ");
  CHECK(s[2] == "SELECT 3");
  // Inside a statement it is text, not a command.
  auto t = inkwell::core::split_sql_script("SELECT\nDELIMITER\n;\n");
  REQUIRE(t.size() == 1);
  CHECK(t[0] == "SELECT\nDELIMITER\n");
  CHECK_THROWS_AS(inkwell::core::split_sql_script("DELIMITER\nSELECT 1;\n"), std::invalid_argument);
}
