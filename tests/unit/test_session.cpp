#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "core/config.hpp"
#include "core/session.hpp"
#include "core/view.hpp"

namespace {

// An empty views directory: these tests render nothing.
std::string empty_views_dir() {
  static std::string dir = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "inkwell-views-XXXXXX").string();
    return std::string(mkdtemp(tmpl.data()));
  }();
  return dir;
}

struct Fixture {
  inkwell::core::Config config;
  inkwell::core::Router router{{}};
  inkwell::core::View view{empty_views_dir()};
  inkwell::core::Db db{config};  // never connects: nothing here queries
  inkwell::http::Request req;
  inkwell::core::Context ctx{config, router, view, db, req};
  Fixture() { config.secret_key = "unit-test-secret-key"; }
};

}  // namespace

TEST_CASE("flashes survive a round trip through the signed cookie") {
  std::vector<inkwell::core::Flash> in = {{"info", "Hello <b>"}, {"danger", "x|y\"z"}};
  std::string cookie = inkwell::core::encode_flashes("k", in);
  auto out = inkwell::core::decode_flashes("k", cookie);
  REQUIRE(out.size() == 2);
  CHECK(out[0].category == "info");
  CHECK(out[0].message == "Hello <b>");
  CHECK(out[1].message == "x|y\"z");
}

TEST_CASE("a forged or damaged flash cookie is ignored") {
  std::string cookie = inkwell::core::encode_flashes("k", {{"info", "hi"}});
  CHECK(inkwell::core::decode_flashes("other key", cookie).empty());
  std::string tampered = cookie;
  tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
  CHECK(inkwell::core::decode_flashes("k", tampered).empty());
  for (const char* junk : {"", ".", "abc", "a.b", "..", "W10.x"}) {
    CHECK(inkwell::core::decode_flashes("k", junk).empty());
  }
}

TEST_CASE("CSRF tokens are bound to their session or visitor cookie") {
  using inkwell::core::csrf_token_for;
  CHECK(csrf_token_for("k", "session", "s1") == csrf_token_for("k", "session", "s1"));
  CHECK(csrf_token_for("k", "session", "s1") != csrf_token_for("k", "session", "s2"));
  CHECK(csrf_token_for("k", "session", "s1") != csrf_token_for("k", "visitor", "s1"));
  CHECK(csrf_token_for("k", "session", "s1") != csrf_token_for("k2", "session", "s1"));
}

TEST_CASE("csrf_valid fails closed") {
  Fixture f;
  // No binding at all: refused even with some token.
  f.req.form.add("csrf_token", "anything");
  CHECK_FALSE(inkwell::core::csrf_valid(f.ctx));

  // A visitor: the token must be the HMAC of their cookie.
  f.ctx.visitor_csrf = "cookie-value";
  CHECK_FALSE(inkwell::core::csrf_valid(f.ctx));
  Fixture g;
  g.ctx.visitor_csrf = "cookie-value";
  g.req.form.add("csrf_token",
                 inkwell::core::csrf_token_for(g.config.secret_key, "visitor", "cookie-value"));
  CHECK(inkwell::core::csrf_valid(g.ctx));
  // The same token does not serve another visitor.
  g.ctx.visitor_csrf = "another-cookie";
  CHECK_FALSE(inkwell::core::csrf_valid(g.ctx));

  // A session: the token is bound to the session id, and a header works too.
  Fixture h;
  h.ctx.session_id = "sid";
  h.req.headers.add("x-csrf-token",
                    inkwell::core::csrf_token_for(h.config.secret_key, "session", "sid"));
  CHECK(inkwell::core::csrf_valid(h.ctx));
  Fixture empty;
  empty.ctx.session_id = "sid";
  empty.req.form.add("csrf_token", "");
  CHECK_FALSE(inkwell::core::csrf_valid(empty.ctx));
}

TEST_CASE("csrf_token creates the visitor cookie once") {
  Fixture f;
  std::string t1 = f.ctx.csrf_token();
  std::string t2 = f.ctx.csrf_token();
  CHECK(t1 == t2);
  REQUIRE(f.ctx.cookies.size() == 1);
  CHECK(f.ctx.cookies[0].name == "csrf");
  CHECK(f.ctx.cookies[0].http_only);
  CHECK(f.ctx.cookies[0].same_site == "Lax");
  f.req.form.add("csrf_token", t1);
  CHECK(inkwell::core::csrf_valid(f.ctx));
}

TEST_CASE("fingerprints and id hashes") {
  inkwell::http::Request a, b;
  a.remote_addr = b.remote_addr = "127.0.0.1";
  a.headers.add("user-agent", "Firefox");
  b.headers.add("user-agent", "Chrome");
  CHECK(inkwell::core::client_fingerprint(a) != inkwell::core::client_fingerprint(b));
  CHECK(inkwell::core::client_fingerprint(a).size() == 64);
  CHECK(inkwell::core::id_hash("x") != "x");
  CHECK(inkwell::core::id_hash("x") == inkwell::core::id_hash("x"));
}
