#include <doctest/doctest.h>

#include "core/form.hpp"

namespace {

inkwell::core::Form make() {
  return inkwell::core::Form({{"email", "Email", "email"},
                              {"password", "Password", "password"},
                              {"remember_me", "Keep me logged in", "checkbox"}},
                             "Log In");
}

inkwell::http::Params params(std::initializer_list<std::pair<const char*, const char*>> kv) {
  inkwell::http::Params p;
  for (auto [k, v] : kv) p.add(k, v);
  return p;
}

}  // namespace

TEST_CASE("form reads and trims values, but not passwords") {
  auto f = make();
  f.read(params({{"email", "  a@b.c \n"}, {"password", " secret "}, {"remember_me", "y"}}));
  CHECK(f.value("email") == "a@b.c");
  CHECK(f.value("password") == " secret ");
  CHECK(f.checked("remember_me"));
  CHECK(f.valid());
}

TEST_CASE("required fields report the SPEC message") {
  auto f = make();
  f.read(params({{"email", "   "}}));
  CHECK_FALSE(f.require({"email", "password"}));
  CHECK_FALSE(f.valid());
  ctemplate::TemplateDictionary dict("t");
  f.fill(dict, "tok");
  std::string dump;
  dict.DumpToString(&dump);
  CHECK(dump.find("This field is required.") != std::string::npos);
}

TEST_CASE("a re-shown form keeps input but never the password") {
  auto f = make();
  f.read(params({{"email", "kept@example.com"}, {"password", "hunter22"}}));
  f.error("password", "Invalid");
  ctemplate::TemplateDictionary dict("t");
  f.fill(dict, "tok");
  std::string dump;
  dict.DumpToString(&dump);
  CHECK(dump.find("kept@example.com") != std::string::npos);
  CHECK(dump.find("hunter22") == std::string::npos);
  CHECK(dump.find("tok") != std::string::npos);
}

TEST_CASE("unknown field names are programming errors") {
  auto f = make();
  CHECK_THROWS_AS(f.value("nope"), std::out_of_range);
}

TEST_CASE("form: autocomplete hints from the type and name, or the field's own") {
  using inkwell::core::autocomplete_of;
  using inkwell::core::FieldSpec;
  CHECK(autocomplete_of(FieldSpec{"email", "Email", "email"}) == "email");
  CHECK(autocomplete_of(FieldSpec{"password", "Password", "password"}) == "current-password");
  CHECK(autocomplete_of(FieldSpec{"password", "New", "password", {}, "new-password"}) ==
        "new-password");
  CHECK(autocomplete_of(FieldSpec{"username", "Username"}) == "username");
  CHECK(autocomplete_of(FieldSpec{"name", "Real name"}).empty());
}
