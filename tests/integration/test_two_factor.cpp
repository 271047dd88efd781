// Two-factor login through nginx: setup with a QR code, enable with a first
// code and recovery codes, the code step of a login (replays refused,
// throttled, recovery codes once), remember-me only after it, the API, and
// turning it off.
#include <doctest/doctest.h>

#include <ctime>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"
#include "core/totp.hpp"

using namespace itest;
using namespace itest::auth;
namespace totp = inkwell::totp;

namespace {

const std::string kOnSubject = "[Inkwell] Two-factor login turned on";
const std::string kOffSubject = "[Inkwell] Two-factor login turned off";
const std::string kRecoverySubject = "[Inkwell] A recovery code was used";

std::vector<std::string> recovery_codes(const Reply& page) {
  return all_between(page.body, "<li class=\"recovery-code\">", "<");
}

std::int64_t now_step() {
  return totp::step_of(std::time(nullptr));
}

// Sets up and turns on two-factor login for c's account; returns the raw
// secret and fills codes with the recovery codes.
std::string enable(Client& c, std::vector<std::string>& codes) {
  Reply setup = submit(c, "/auth/two-factor", {}, "/auth/two-factor/setup");
  REQUIRE(setup.status == 200);
  auto secret = totp::base32_decode(between(setup.body, "<code id=\"totp-secret\">", "</code>"));
  REQUIRE(secret.has_value());
  REQUIRE(secret->size() == 20);
  Reply on = submit(c, "/auth/two-factor", {{"code", totp::code_at(*secret, now_step())}},
                    "/auth/two-factor/enable");
  REQUIRE(on.status == 200);
  codes = recovery_codes(on);
  return *secret;
}

// Email and password; the reply to them (a redirect to the code step).
Reply password_step(Client& c, const Account& a, bool remember = false) {
  return login(c, a.email, a.password, remember);
}

Reply code_step(Client& c, const std::string& code) {
  return submit(c, "/auth/two-factor/verify", {{"code", code}});
}

bool logged_in(Client& c, const Account& a) {
  return c.get("/").contains("Hello, " + a.username + "!");
}

}  // namespace

TEST_CASE(
    "two-factor: setup shows the secret, its otpauth URI and a QR code; a first code turns it on") {
  Client c;
  Account a = confirmed_user(c, "tfa");
  Reply status = c.get("/auth/two-factor");
  CHECK(status.status == 200);
  CHECK(between(status.body, "id=\"two-factor-status\">", "</p>").find("off") != std::string::npos);

  Reply setup = submit(c, "/auth/two-factor", {}, "/auth/two-factor/setup");
  REQUIRE(setup.status == 200);
  std::string secret_text = between(setup.body, "<code id=\"totp-secret\">", "</code>");
  auto secret = totp::base32_decode(secret_text);
  REQUIRE(secret.has_value());
  std::string uri = between(setup.body, "<code id=\"otpauth-uri\">", "</code>");
  CHECK(uri ==
        "otpauth://totp/Inkwell:" + a.email + "?secret=" + secret_text + "&amp;issuer=Inkwell");
  CHECK(setup.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\""));
  // Stored sealed, never as the secret itself.
  std::string stored =
      sql_value("SELECT totp_pending FROM users WHERE username = " + sql_quote(a.username));
  CHECK(!stored.empty());
  CHECK(stored.find(secret_text) == std::string::npos);

  // A wrong code: still off, the same secret offered again.
  std::string wrong = totp::code_at(*secret, now_step()) == "000000" ? "111111" : "000000";
  Reply r = submit(c, "/auth/two-factor", {{"code", wrong}}, "/auth/two-factor/enable");
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid code."));
  CHECK(r.contains(secret_text));
  CHECK(sql_value("SELECT totp_secret IS NULL FROM users WHERE username = " +
                  sql_quote(a.username)) == "1");

  r = submit(c, "/auth/two-factor", {{"code", totp::code_at(*secret, now_step())}},
             "/auth/two-factor/enable");
  REQUIRE(r.status == 200);
  std::vector<std::string> codes = recovery_codes(r);
  CHECK(codes.size() == 10);
  CHECK(sql_count("SELECT COUNT(*) FROM recovery_codes c JOIN users u ON u.id = c.user_id WHERE "
                  "u.username = " +
                  sql_quote(a.username)) == 10);
  for (const std::string& code : codes) {
    CHECK(sql_count("SELECT COUNT(*) FROM recovery_codes WHERE code_hash = " + sql_quote(code)) ==
          0);
  }
  CHECK(outbox(a.email, kOnSubject).size() == 1);
  status = c.get("/auth/two-factor");
  CHECK(between(status.body, "id=\"two-factor-status\">", "</p>").find("on") != std::string::npos);
  CHECK(between(status.body, "id=\"recovery-codes-left\">", "<") == "10");
}

TEST_CASE("two-factor: a password alone does not log in; codes work once; recovery codes once") {
  Client owner;
  Account a = confirmed_user(owner, "tfalog");
  std::vector<std::string> codes;
  std::string secret = enable(owner, codes);
  REQUIRE(codes.size() == 10);
  const std::int64_t enabled_at = now_step();

  Client c;
  Reply r = password_step(c, a);
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/two-factor/verify");
  CHECK(!logged_in(c, a));
  // The code used to turn it on is used up.
  r = code_step(c, totp::code_at(secret, enabled_at));
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid code."));
  CHECK(!logged_in(c, a));
  r = code_step(c, totp::code_at(secret, enabled_at + 1));
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/");
  CHECK(logged_in(c, a));

  // Replayed in another browser: refused.
  Client thief;
  REQUIRE(password_step(thief, a).status == 302);
  r = code_step(thief, totp::code_at(secret, enabled_at + 1));
  CHECK(r.contains("Invalid code."));
  CHECK(!logged_in(thief, a));

  // A recovery code logs in once, and the owner hears of it.
  r = code_step(thief, codes[0]);
  REQUIRE(r.status == 302);
  CHECK(logged_in(thief, a));
  CHECK(outbox(a.email, kRecoverySubject).size() == 1);
  Client again;
  REQUIRE(password_step(again, a).status == 302);
  CHECK(code_step(again, codes[0]).contains("Invalid code."));
  // Case, spaces and dashes do not matter.
  CHECK(code_step(again, " " + upper(codes[1]) + " ").status == 302);
  CHECK(logged_in(again, a));

  // Without the password step first, the code step sends to the login.
  Client stranger;
  r = stranger.get("/auth/two-factor/verify");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
}

TEST_CASE(
    "two-factor: the code step is throttled; remember-me only after it; the API wants a token") {
  Client owner;
  Account a = confirmed_user(owner, "tfathr");
  std::vector<std::string> codes;
  std::string secret = enable(owner, codes);

  Client c;
  REQUIRE(password_step(c, a, true).status == 302);
  CHECK(c.cookie("remember_token").empty());  // not after the password alone
  CHECK(c.cookie("session").empty());
  for (int i = 0; i < 5; ++i) CHECK(code_step(c, "000000").contains("Invalid code."));
  Reply r = code_step(c, codes[0]);
  CHECK(r.status == 429);
  CHECK(!logged_in(c, a));
  // Elsewhere the owner still logs in, and remember-me comes with the code.
  Client elsewhere;
  REQUIRE(password_step(elsewhere, a, true).status == 302);
  REQUIRE(code_step(elsewhere, codes[1]).status == 302);
  CHECK(!elsewhere.cookie("remember_token").empty());
  elsewhere.drop_cookie("session");
  CHECK(logged_in(elsewhere, a));

  // The API: email:password is refused with a pointer to personal tokens.
  Client api;
  r = api.get("/api/v1/posts/", {basic(a.email, a.password)});
  CHECK(r.status == 401);
  CHECK(r.body.find("personal API token") != std::string::npos);
  r = submit(owner, "/auth/account", {{"name", "script"}, {"expires_days", "0"}}, "/auth/tokens");
  std::string token = between(r.body, "<code id=\"new-token\">", "</code>");
  REQUIRE(!token.empty());
  CHECK(api.get("/api/v1/posts/", {basic(token, "")}).status == 200);
  (void)secret;
}

TEST_CASE("two-factor: turning it off needs the password and a code; every POST needs its token") {
  Client c;
  Account a = confirmed_user(c, "tfaoff");
  // CSRF on each POST of the area.
  for (const char* path : {"/auth/two-factor/setup", "/auth/two-factor/enable",
                           "/auth/two-factor/disable", "/auth/two-factor/verify"}) {
    CAPTURE(path);
    CHECK(c.post(path, "code=123456&password=x").status == 400);
  }
  std::vector<std::string> codes;
  std::string secret = enable(c, codes);
  std::string code = totp::code_at(secret, now_step() + 1);
  Reply r = submit(c, "/auth/two-factor", {{"password", "wrong password"}, {"code", code}},
                   "/auth/two-factor/disable");
  CHECK(follow_all(c, r).contains("Invalid password or code."));
  r = submit(c, "/auth/two-factor", {{"password", a.password}, {"code", "000000"}},
             "/auth/two-factor/disable");
  CHECK(follow_all(c, r).contains("Invalid password or code."));
  CHECK(sql_value("SELECT totp_secret IS NULL FROM users WHERE username = " +
                  sql_quote(a.username)) == "0");
  r = submit(c, "/auth/two-factor", {{"password", a.password}, {"code", code}},
             "/auth/two-factor/disable");
  CHECK(follow_all(c, r).contains("Two-factor login is off."));
  CHECK(sql_value("SELECT totp_secret IS NULL FROM users WHERE username = " +
                  sql_quote(a.username)) == "1");
  CHECK(outbox(a.email, kOffSubject).size() == 1);
  // A password logs in again.
  Client later;
  CHECK(password_step(later, a).header("location") == "/");
}

TEST_CASE("two-factor: operators see an account and reset its two-factor login") {
  Client c;
  Account a = confirmed_user(c, "tfacli");
  std::vector<std::string> codes;
  enable(c, codes);
  int status = -1;
  std::string out = inkwell_cli("users show " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(out.find(a.username) != std::string::npos);
  CHECK(out.find("two-factor: on, 10 recovery codes left") != std::string::npos);
  CHECK(out.find("sessions: 1") != std::string::npos);
  CHECK(out.find("logins: 1") != std::string::npos);

  out = inkwell_cli("users reset-2fa " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(out.find("two-factor login is off") != std::string::npos);
  Client later;
  CHECK(login(later, a.email, a.password).header("location") == "/");

  // The SQL script does the same.
  enable(c, codes);
  CHECK(sql_value("SELECT totp_secret IS NULL FROM users WHERE username = " +
                  sql_quote(a.username)) == "0");
  sql("SET @email = " + sql_quote(upper(a.email)) + "; SOURCE sql/admin/reset_two_factor.sql;");
  CHECK(sql_value("SELECT totp_secret IS NULL FROM users WHERE username = " +
                  sql_quote(a.username)) == "1");
  CHECK(sql_count("SELECT COUNT(*) FROM recovery_codes c JOIN users u ON u.id = c.user_id WHERE "
                  "u.username = " +
                  sql_quote(a.username)) == 0);

  out = inkwell_cli("users show nobody@example.com", &status);
  CHECK(status == 1);
  out = inkwell_cli("users frobnicate " + shell_quote(a.email), &status);
  CHECK(status == 2);
}
