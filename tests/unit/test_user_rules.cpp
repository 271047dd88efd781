#include <doctest/doctest.h>

#include "models/user.hpp"

TEST_CASE("email addresses") {
  using inkwell::models::valid_email;
  for (const char* ok : {"john@example.com", "a.b+c@sub.example.org", "X@Y.io"}) {
    CHECK_MESSAGE(valid_email(ok), ok);
  }
  for (const char* bad : {"", "john", "@example.com", "john@", "john@example", "john@.com",
                          "john@example.", "a@b@c.com", "jo hn@example.com", "john@exa..com",
                          "<john@example.com>", "john@example.com\n"}) {
    CHECK_MESSAGE(!valid_email(bad), bad);
  }
  CHECK_FALSE(valid_email(std::string(60, 'a') + "@example.com"));  // > 64
}

TEST_CASE("usernames follow ^[A-Za-z][A-Za-z0-9_.]*$, at most 64") {
  using inkwell::models::valid_username;
  for (const char* ok : {"john", "J", "john.doe_2", "a1"}) CHECK_MESSAGE(valid_username(ok), ok);
  for (const char* bad : {"", "1abc", "_x", ".x", "a b", "a-b", "jöhn", "a/b", "a<b"}) {
    CHECK_MESSAGE(!valid_username(bad), bad);
  }
  CHECK(valid_username(std::string(64, 'a')));
  CHECK_FALSE(valid_username(std::string(65, 'a')));
}

TEST_CASE("emails are normalised to lower case; avatars hash the lower-cased address") {
  CHECK(inkwell::models::normalize_email("John@Example.COM") == "john@example.com");
  CHECK(inkwell::models::avatar_hash_for("John@Example.com") ==
        inkwell::models::avatar_hash_for("john@example.com"));
  CHECK(inkwell::models::avatar_hash_for("john@example.com").size() == 32);
}
