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
