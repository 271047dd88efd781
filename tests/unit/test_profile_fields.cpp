#include <doctest/doctest.h>

#include <string>

#include "core/form.hpp"
#include "main/profile_fields.hpp"

using namespace inkwell;

TEST_CASE("avatar URLs: our identicons by default, Gravatar when configured") {
  inkwell::core::Config config;
  CHECK(main::avatar_url(config, "0123456789abcdef0123456789abcdef", 40) ==
        "/avatar/0123456789abcdef0123456789abcdef.svg?s=40");
  config.avatars = "gravatar";
  CHECK(main::avatar_url(config, "0123456789abcdef0123456789abcdef", 40) ==
        "https://secure.gravatar.com/avatar/0123456789abcdef0123456789abcdef?s=40&d=identicon");
}

TEST_CASE("Gravatar URLs carry the hash, the size and the identicon default") {
  CHECK(main::gravatar_url("0123456789abcdef0123456789abcdef", 256) ==
        "https://secure.gravatar.com/avatar/0123456789abcdef0123456789abcdef?s=256&d=identicon");
  CHECK(main::gravatar_url("ab", 40) == "https://secure.gravatar.com/avatar/ab?s=40&d=identicon");
}

TEST_CASE("map links percent-encode the location") {
  CHECK(main::maps_url("Paris") == "https://www.google.com/maps?q=Paris");
  CHECK(main::maps_url("San Francisco, CA") ==
        "https://www.google.com/maps?q=San%20Francisco%2C%20CA");
  CHECK(main::maps_url("a&b=c#d?e/f\"<>") ==
        "https://www.google.com/maps?q=a%26b%3Dc%23d%3Fe%2Ff%22%3C%3E");
  CHECK(main::maps_url("Zürich") == "https://www.google.com/maps?q=Z%C3%BCrich");
}

TEST_CASE("UTF-8 length counts characters, not bytes") {
  CHECK(main::utf8_length("") == 0);
  CHECK(main::utf8_length("abc") == 3);
  CHECK(main::utf8_length("Zürich") == 6);
  CHECK(main::utf8_length("日本語") == 3);
  CHECK(main::utf8_length("\xF0\x9F\x98\x80x") == 2);  // an emoji (4 bytes) and x
}

TEST_CASE("profile fields longer than the limit get a field error") {
  core::Form form({{"name", "Real name"}, {"location", "Location"}}, "Submit");
  http::Params p;
  p.add("name", std::string(64, 'a'));
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "é";  // 64 characters, 128 bytes
  p.add("location", wide);
  form.read(p);
  main::check_max_length(form, "name", 64);
  main::check_max_length(form, "location", 64);
  CHECK(form.valid());

  p = {};
  p.add("name", std::string(65, 'a'));
  p.add("location", wide + "é");
  form = core::Form({{"name", "Real name"}, {"location", "Location"}}, "Submit");
  form.read(p);
  main::check_max_length(form, "name", 64);
  CHECK_FALSE(form.valid());
  main::check_max_length(form, "location", 64);
  ctemplate::TemplateDictionary dict("t");
  form.fill(dict, "token");
  std::string dump;
  dict.DumpToString(&dump);
  CHECK(dump.find("Field cannot be longer than 64 characters.") != std::string::npos);
}
