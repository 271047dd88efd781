// The /auth area through nginx (SPEC §2–§5): registration and confirmation
// by mail, login, logout, remember-me, session protection, password change
// and reset, email change, form errors, CSRF, open redirects, throttling,
// signed tokens and the durability of the mail outbox.
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "auth_helpers.hpp"
#include "auth_texts.hpp"
#include "client.hpp"
#include "core/security.hpp"

using namespace itest;
using namespace itest::auth;
using namespace itest::texts;

namespace {

const std::string kNewUserSubject = "[Inkwell] New User";

const std::string kRegistered = "A confirmation email has been sent to you by email.";
const std::string kLoggedOut = "You have been logged out.";
const std::string kBadLogin = "Invalid email or password.";
const std::string kPasswordUpdated = "Your password has been updated.";
const std::string kRequired = "This field is required.";
const std::string kBadUsername = "Usernames must have only letters, numbers, dots or underscores";
const std::string kShortPassword = "Password must be at least 8 characters long.";
const std::string kMismatch = "Passwords must match.";
const std::string kStranger = "Hello, Stranger!";

std::string hello(const Account& a) {
  return "Hello, " + a.username + "!";
}

// The page a redirect leads to (following further redirects) shows msg.
void check_flash_after(Client& c, const Reply& r, const std::string& msg) {
  REQUIRE_MESSAGE(r.status == 302, "expected a redirect, got " << r.status << "\n" << r.body);
  Reply page = follow_all(c, r);
  CHECK(page.status == 200);
  CHECK_MESSAGE(page.contains(msg), "no \"" << msg << "\" on " << r.header("location"));
}

// The Set-Cookie line of a response for the cookie `name` ("" if none).
std::string set_cookie(const Reply& r, const std::string& name) {
  auto range = r.headers.equal_range("set-cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return "";
}

// The email column of a user.
std::string email_of(const std::string& username) {
  return sql_value("SELECT email FROM users WHERE username = " + sql_quote(username));
}

std::string confirmed_flag(const std::string& username) {
  return sql_value("SELECT confirmed FROM users WHERE username = " + sql_quote(username));
}

}  // namespace

TEST_CASE("auth: register redirects to login and mails a confirmation link and the admin") {
  Account a = new_account("reg");
  std::string typed = upper(a.email);  // stored lower-case
  Client c;
  Reply form = c.get("/auth/register");
  CHECK(form.status == 200);
  CHECK(form.contains("<title>Inkwell - Register</title>"));
  for (const char* field : {"email", "username", "password", "password2"}) {
    CHECK(form.contains(std::string("name=\"") + field + "\""));
  }
  Reply r = submit(c, "/auth/register",
                   {{"email", typed},
                    {"username", a.username},
                    {"password", a.password},
                    {"password2", a.password}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
  Reply next = c.follow(r);
  CHECK(next.status == 200);
  CHECK(next.contains(kRegistered));
  CHECK(!c.get("/auth/login").contains(kRegistered));  // a flash is shown once

  CHECK(email_of(a.username) == a.email);
  CHECK(confirmed_flag(a.username) == "0");
  CHECK(sql_value("SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE "
                  "u.username = " +
                  sql_quote(a.username)) == "User");

  // The confirmation mail: in the outbox and delivered, with the link.
  auto rows = outbox(a.email, kConfirmSubject);
  CHECK(rows.size() == 1);
  std::string link = mailed_link(a.email, kConfirmSubject, "/auth/confirm/");
  CHECK(link.rfind(env_or("INKWELL_BASE_URL", "http://127.0.0.1:8081") + "/auth/confirm/", 0) == 0);
  CHECK(token_of(link, "/auth/confirm/").size() > 20);
  if (!rows.empty()) CHECK(rows[0].text.find("Dear " + a.username) != std::string::npos);

  // The administrator hears of it.
  std::string admin = env_or("INKWELL_ADMIN", "admin@example.com");
  bool queued = false;
  for (const auto& row : outbox(admin, kNewUserSubject)) {
    queued = queued || row.text.find(a.username) != std::string::npos;
  }
  CHECK_MESSAGE(queued, "no New User mail for " << a.username << " in the outbox");
  bool delivered = false;
  for (int i = 0; i < 50 && !delivered; ++i) {
    for (const Mail& m : maildir(admin, kNewUserSubject)) {
      if (m.text.find(a.username) != std::string::npos) {
        delivered = true;
        CHECK(m.from == "Inkwell Admin <inkwell@example.com>");
        CHECK(m.content_type == "multipart/alternative");
        CHECK(m.part_types == std::vector<std::string>{"text/plain", "text/html"});
        CHECK(m.html.find(a.username) != std::string::npos);
      }
    }
    if (!delivered) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK_MESSAGE(delivered, "no New User mail for " << a.username << " in the Maildir");
}

TEST_CASE("auth: an unconfirmed user is held at /auth/unconfirmed until the link is used") {
  Account a = new_account("unc");
  register_ok(a);
  Client c;
  Reply r = login(c, a.email, a.password);
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/");

  r = c.get("/");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/unconfirmed");
  Reply page = c.get("/auth/unconfirmed");
  CHECK(page.status == 200);
  CHECK(page.contains(hello(a)));
  CHECK(page.contains("You have not confirmed your account yet."));
  CHECK(page.contains("href=\"/auth/confirm\""));

  // Links that are not this user's valid confirmation link.
  check_flash_after(c, c.get("/auth/confirm/garbage"), kBadConfirm);
  Account b = new_account("unc");
  register_ok(b);
  std::string b_token = token_of(
      find_link(outbox(b.email, kConfirmSubject).at(0).text, "/auth/confirm/"), "/auth/confirm/");
  REQUIRE(!b_token.empty());
  check_flash_after(c, c.get("/auth/confirm/" + b_token), kBadConfirm);
  CHECK(confirmed_flag(b.username) == "0");
  CHECK(confirmed_flag(a.username) == "0");

  std::string link = mailed_link(a.email, kConfirmSubject, "/auth/confirm/");
  std::string token = token_of(link, "/auth/confirm/");
  REQUIRE(token.size() > 10);
  std::string tampered = token;
  char& mid = tampered[tampered.size() / 2];
  mid = mid == 'A' ? 'B' : 'A';
  check_flash_after(c, c.get("/auth/confirm/" + tampered), kBadConfirm);
  check_flash_after(c, c.get("/auth/confirm/" + token + "x"), kBadConfirm);
  CHECK(confirmed_flag(a.username) == "0");

  // A visitor cannot use the link (nor ask for a new one): the login comes first.
  Client visitor;
  r = visitor.get(link);
  CHECK(r.status == 302);
  CHECK(r.header("location").rfind("/auth/login?next=", 0) == 0);
  r = visitor.get("/auth/confirm");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/login?next=%2Fauth%2Fconfirm");
  CHECK(visitor.get("/auth/unconfirmed").header("location") == "/");

  // Resending makes a new mail.
  r = c.get("/auth/confirm");
  check_flash_after(c, r, kResent);
  CHECK(outbox(a.email, kConfirmSubject).size() == 2);
  std::string link2 = mailed_link(a.email, kConfirmSubject, "/auth/confirm/", 2);

  r = c.get(link2);
  CHECK(r.header("location") == "/");
  Reply home = c.follow(r);
  CHECK(home.status == 200);
  CHECK(home.contains(kConfirmed));
  CHECK(home.contains(hello(a)));
  CHECK(confirmed_flag(a.username) == "1");
  home = c.get("/");
  CHECK(home.status == 200);
  CHECK(home.contains("<h1>" + hello(a) + "</h1>"));
  CHECK(c.get("/auth/unconfirmed").header("location") == "/");
}

TEST_CASE("auth: malformed or stale session cookies make a visitor, never an error") {
  for (const std::string& cookie : std::vector<std::string>{
           "session=", "session=garbage", "session=" + std::string(4000, 'a'), "session=%00%ff",
           "remember_token=garbage", "session=x; remember_token=y", "session=\"quoted\"",
           "csrf=garbage", "flash=garbage", "flash=e30.AAAA"}) {
    Client c;
    Reply r = get_with_cookie(c, "/", cookie);
    CHECK_MESSAGE(r.status == 200, cookie);
    CHECK_MESSAGE(r.contains(kStranger), cookie);
    r = get_with_cookie(c, "/auth/login", cookie);
    CHECK_MESSAGE(r.status == 200, cookie);
  }
}

TEST_CASE("auth: logout ends the session and clears the cookie") {
  Client c;
  Account a = confirmed_user(c, "out");
  c.get("/auth/logout");
  Reply in = login(c, a.email, a.password);
  REQUIRE(in.status == 302);
  std::string set_session = set_cookie(in, "session");
  CHECK(set_session.find("HttpOnly") != std::string::npos);
  CHECK(set_session.find("SameSite=Lax") != std::string::npos);
  CHECK(set_session.find("Path=/") != std::string::npos);
  CHECK(set_session.find("Secure") == std::string::npos);  // the test base URL is http
  Reply home = c.get("/");
  CHECK(home.contains(hello(a)));
  CHECK(home.contains("href=\"/auth/logout\""));
  std::string sid = c.cookie("session");
  REQUIRE(!sid.empty());
  CHECK(sid.size() >= 43);  // 256 random bits
  CHECK(sessions_of(a.username) == 1);
  // The table keeps a hash of the id, never the id.
  CHECK(sql_count("SELECT COUNT(*) FROM sessions WHERE id_hash = " +
                  sql_quote(inkwell::security::sha256_hex(sid))) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM sessions WHERE id_hash = " + sql_quote(sid)) == 0);

  Reply r = c.get("/auth/logout");
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/");
  CHECK(c.cookie("session").empty());
  Reply page = c.follow(r);
  CHECK(page.contains(kLoggedOut));
  CHECK(page.contains(kStranger));
  CHECK(c.get("/").contains(kStranger));
  CHECK(sessions_of(a.username) == 0);

  // The old id no longer logs anyone in, even on the same host.
  Client replay(c.address());
  Reply again = get_with_cookie(replay, "/", "session=" + sid);
  CHECK(again.status == 200);
  CHECK(again.contains(kStranger));

  // Logging out needs a login.
  r = c.get("/auth/logout");
  CHECK(r.status == 302);
  CHECK(r.header("location").rfind("/auth/login", 0) == 0);
}

TEST_CASE("auth: remember me restores the login, logout revokes it") {
  Client c;
  Account a = confirmed_user(c, "rem");
  c.get("/auth/logout");
  Reply r = login(c, a.email, a.password, true);
  REQUIRE(r.status == 302);
  std::string sid = c.cookie("session");
  std::string remember = c.cookie("remember_token");
  REQUIRE(!sid.empty());
  REQUIRE(!remember.empty());
  CHECK(remember != sid);
  CHECK(remember_tokens_of(a.username) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM remember_tokens WHERE id_hash = " +
                  sql_quote(inkwell::security::sha256_hex(remember))) == 1);
  std::string set_remember = set_cookie(r, "remember_token");
  CHECK(set_remember.find("Max-Age=31536000") != std::string::npos);  // 365 days
  CHECK(set_remember.find("HttpOnly") != std::string::npos);

  c.drop_cookie("session");
  REQUIRE(c.cookie("session").empty());
  Reply home = c.get("/");
  CHECK(home.status == 200);
  CHECK(home.contains(hello(a)));
  std::string restored = c.cookie("session");
  CHECK(!restored.empty());
  CHECK(restored != sid);
  CHECK(c.get("/").contains(hello(a)));

  // Without remember_me, losing the session cookie is losing the login.
  Client plain;
  REQUIRE(login(plain, a.email, a.password).status == 302);
  CHECK(plain.cookie("remember_token").empty());
  CHECK(plain.get("/").contains(hello(a)));
  plain.drop_cookie("session");
  CHECK(plain.get("/").contains(kStranger));

  // Logout deletes the token: replaying it fails.
  r = c.get("/auth/logout");
  CHECK(r.status == 302);
  CHECK(c.cookie("remember_token").empty());
  CHECK(c.cookie("session").empty());
  CHECK(remember_tokens_of(a.username) == 0);
  Client replay(c.address());
  home = get_with_cookie(replay, "/", "remember_token=" + remember);
  CHECK(home.contains(kStranger));
  CHECK(replay.cookie("session").empty());
}

TEST_CASE("auth: login issues a new session id (no fixation)") {
  Client owner;
  Account a = confirmed_user(owner, "fix");
  Client other;
  Account b = confirmed_user(other, "fix");

  // Logging in again in the same browser: a new id, the old one is dead.
  std::string first = owner.cookie("session");
  REQUIRE(!first.empty());
  REQUIRE(login(owner, a.email, a.password).status == 302);
  std::string second = owner.cookie("session");
  CHECK(!second.empty());
  CHECK(second != first);
  Client replay(owner.address());
  CHECK(get_with_cookie(replay, "/", "session=" + first).contains(kStranger));

  // A session id planted in a victim's browser is replaced at the victim's login.
  // Same host (a shared computer), empty jar: its cookies are exactly the
  // ones sent here.
  Client victim(owner.address());
  const std::string planted = "session=" + second;
  Reply page = get_with_cookie(victim, "/auth/login", planted);
  REQUIRE(page.status == 200);
  std::string token = csrf_token(page);
  REQUIRE(!token.empty());
  Reply r = victim.post(
      "/auth/login",
      form_encode({{"email", b.email}, {"password", b.password}, {"csrf_token", token}}),
      "application/x-www-form-urlencoded", {"Cookie: " + planted});
  REQUIRE(r.status == 302);
  std::string after = victim.cookie("session");
  CHECK(!after.empty());
  CHECK(after != second);
  CHECK(victim.get("/").contains(hello(b)));
  Client attacker(owner.address());
  Reply seen = get_with_cookie(attacker, "/", planted);
  CHECK(seen.contains(kStranger));
  CHECK(!seen.contains(hello(b)));
}

TEST_CASE("auth: a changed User-Agent ends the session (strong protection)") {
  Client c;
  Account a = confirmed_user(c, "ua");
  c.get("/auth/logout");
  REQUIRE(login(c, a.email, a.password, true).status == 302);
  CHECK(c.get("/").contains(hello(a)));
  CHECK(sessions_of(a.username) == 1);
  CHECK(remember_tokens_of(a.username) == 1);

  c.set_user_agent("Mozilla/5.0 (a different browser)");
  Reply r = c.get("/");
  CHECK(r.status == 200);
  CHECK(r.contains(kStranger));
  CHECK(c.cookie("session").empty());
  CHECK(c.cookie("remember_token").empty());
  CHECK(sessions_of(a.username) == 0);
  CHECK(remember_tokens_of(a.username) == 0);

  c.set_user_agent("inkwell-tests");
  CHECK(c.get("/").contains(kStranger));
}

TEST_CASE("auth: change password checks its input and ends the other sessions") {
  Client c;
  Account a = confirmed_user(c, "chpw");
  Client other;
  REQUIRE(login(other, a.email, a.password).status == 302);
  Client remembered;
  REQUIRE(login(remembered, a.email, a.password, true).status == 302);
  CHECK(sessions_of(a.username) == 3);
  CHECK(remember_tokens_of(a.username) == 1);
  const std::string old_hash = password_hash(a.username);
  const std::string fresh = "brand-new-" + a.password;

  Reply form = c.get("/auth/change-password");
  CHECK(form.status == 200);
  CHECK(form.contains("<title>Inkwell - Change Password</title>"));
  for (const char* field : {"old_password", "password", "password2"}) {
    CHECK(form.contains(std::string("name=\"") + field + "\""));
  }

  Reply r =
      submit(c, "/auth/change-password",
             {{"old_password", "not-the-password"}, {"password", fresh}, {"password2", fresh}});
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid password."));
  r = submit(c, "/auth/change-password",
             {{"old_password", a.password}, {"password", "short1"}, {"password2", "short1"}});
  CHECK(r.status == 200);
  CHECK(r.contains(kShortPassword));
  r = submit(c, "/auth/change-password",
             {{"old_password", a.password}, {"password", fresh}, {"password2", fresh + "x"}});
  CHECK(r.status == 200);
  CHECK(r.contains(kMismatch));
  r = submit(c, "/auth/change-password",
             {{"old_password", ""}, {"password", ""}, {"password2", ""}});
  CHECK(r.status == 200);
  CHECK(occurrences(r.body, kRequired) == 3);
  CHECK(!r.contains(a.password));
  CHECK(password_hash(a.username) == old_hash);
  CHECK(sessions_of(a.username) == 3);

  r = submit(c, "/auth/change-password",
             {{"old_password", a.password}, {"password", fresh}, {"password2", fresh}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/");
  Reply home = c.follow(r);
  CHECK(home.contains(kPasswordUpdated));
  CHECK(home.contains(hello(a)));  // this session stays
  CHECK(password_hash(a.username) != old_hash);
  CHECK(sessions_of(a.username) == 1);
  CHECK(remember_tokens_of(a.username) == 0);

  CHECK(other.get("/").contains(kStranger));
  CHECK(remembered.get("/").contains(kStranger));
  remembered.drop_cookie("session");
  CHECK(remembered.get("/").contains(kStranger));
  CHECK(c.get("/").contains(hello(a)));

  Client later;
  r = login(later, a.email, a.password);
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  CHECK(login(later, a.email, fresh).status == 302);

  // Visitors are sent to the login page.
  Client visitor;
  r = visitor.get("/auth/change-password");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/login?next=%2Fauth%2Fchange-password");
}

TEST_CASE("auth: password reset by mail works once and only for visitors") {
  Account a = new_account("rst");
  register_ok(a);
  Client before;  // logged in before the reset: ended by it
  REQUIRE(login(before, a.email, a.password).status == 302);
  Client remembered;
  REQUIRE(login(remembered, a.email, a.password, true).status == 302);
  const std::string old_hash = password_hash(a.username);

  Client v;
  Reply form = v.get("/auth/reset");
  CHECK(form.status == 200);
  CHECK(form.contains("name=\"email\""));
  const std::string unknown = unique("nobody") + "@example.com";
  Reply r = submit(v, "/auth/reset", {{"email", unknown}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
  check_flash_after(v, r, kResetSent);
  CHECK(outbox(unknown).empty());

  r = submit(v, "/auth/reset", {{"email", upper(a.email)}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
  check_flash_after(v, r, kResetSent);
  CHECK(outbox(a.email, kResetSubject).size() == 1);
  std::string link = mailed_link(a.email, kResetSubject, "/auth/reset/");
  CHECK(maildir(unknown).empty());
  CHECK(password_hash(a.username) == old_hash);  // asking changes nothing

  Reply page = v.get(link);
  CHECK(page.status == 200);
  CHECK(page.contains("name=\"password2\""));
  r = submit(v, link, {{"password", "short1"}, {"password2", "short1"}});
  CHECK(r.status == 200);
  CHECK(r.contains(kShortPassword));
  r = submit(v, link, {{"password", "long-enough-1"}, {"password2", "long-enough-2"}});
  CHECK(r.status == 200);
  CHECK(r.contains(kMismatch));
  CHECK(password_hash(a.username) == old_hash);

  const std::string fresh = "after-reset-" + a.password;
  r = submit(v, link, {{"password", fresh}, {"password2", fresh}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
  check_flash_after(v, r, kPasswordUpdated);
  const std::string new_hash = password_hash(a.username);
  CHECK(new_hash != old_hash);

  // The link works once.
  r = v.get(link);
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/");
  check_flash_after(v, r, kBadReset);
  std::string token = csrf_token(v.get("/auth/login"));
  r = v.post(link, form_encode({{"password", "yet-another-1"},
                                {"password2", "yet-another-1"},
                                {"csrf_token", token}}));
  CHECK(r.status == 302);
  CHECK(password_hash(a.username) == new_hash);

  // Other sessions ended; only the new password works.
  r = before.get("/");
  CHECK(r.status == 200);
  CHECK(r.contains(kStranger));
  remembered.drop_cookie("session");
  CHECK(remembered.get("/").contains(kStranger));
  CHECK(sessions_of(a.username) == 0);
  CHECK(remember_tokens_of(a.username) == 0);
  Client later;
  r = login(later, a.email, a.password);
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  REQUIRE(login(later, a.email, fresh).status == 302);

  // A logged-in user is sent away from the reset pages.
  r = later.get("/auth/reset");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/");
  CHECK(later.get(link).header("location") == "/");
  std::string logged_token = csrf_token(later.get("/auth/change-password"));
  r = later.post("/auth/reset", form_encode({{"email", a.email}, {"csrf_token", logged_token}}));
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/");
  CHECK(outbox(a.email, kResetSubject).size() == 1);
}

TEST_CASE("auth: change email by mail to the new address") {
  Client c;
  Account a = confirmed_user(c, "chem");
  Client cb;
  Account b = confirmed_user(cb, "chem");
  const std::string new_email = unique("moved") + "@example.com";

  Reply form = c.get("/auth/change_email");
  CHECK(form.status == 200);
  CHECK(form.contains("name=\"email\""));
  CHECK(form.contains("name=\"password\""));

  Reply r = submit(c, "/auth/change_email", {{"email", new_email}, {"password", "not-it-at-all"}});
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  r = submit(c, "/auth/change_email", {{"email", upper(b.email)}, {"password", a.password}});
  CHECK(r.status == 200);
  CHECK(r.contains("Email already registered."));
  r = submit(c, "/auth/change_email", {{"email", "not-an-address"}, {"password", a.password}});
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid email address."));
  CHECK(outbox(new_email).empty());

  r = submit(c, "/auth/change_email", {{"email", upper(new_email)}, {"password", a.password}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/");
  check_flash_after(c, r, kChangeEmailSent);
  CHECK(outbox(new_email, kChangeEmailSubject).size() == 1);
  CHECK(outbox(a.email, kChangeEmailSubject).empty());
  std::string link = mailed_link(new_email, kChangeEmailSubject, "/auth/change_email/");
  CHECK(email_of(a.username) == a.email);  // not before the link is used

  // Someone else's link: refused, nothing changes.
  r = cb.get(link);
  CHECK(r.header("location") == "/");
  check_flash_after(cb, r, "Invalid request.");
  CHECK(email_of(b.username) == b.email);
  CHECK(email_of(a.username) == a.email);
  Client visitor;
  r = visitor.get(link);
  CHECK(r.status == 302);
  CHECK(r.header("location").rfind("/auth/login?next=", 0) == 0);
  check_flash_after(c, c.get("/auth/change_email/garbage"), "Invalid request.");

  r = c.get(link);
  CHECK(r.header("location") == "/");
  check_flash_after(c, r, kEmailUpdated);
  CHECK(email_of(a.username) == new_email);

  Client later;
  r = login(later, a.email, a.password);
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  CHECK(login(later, upper(new_email), a.password).status == 302);
  CHECK(later.get("/").contains(hello(a)));
}

TEST_CASE("auth: mail links use the configured base URL, never the Host header") {
  Account a = new_account("host");
  register_ok(a);
  const std::vector<std::string> spoof = {"Host: evil.example", "X-Forwarded-Host: evil.example"};
  Client v;
  Reply form = v.get("/auth/reset", spoof);
  REQUIRE(form.status == 200);
  std::string token = csrf_token(form);
  REQUIRE(!token.empty());
  Reply r = v.post("/auth/reset", form_encode({{"email", a.email}, {"csrf_token", token}}),
                   "application/x-www-form-urlencoded", spoof);
  REQUIRE(r.status == 302);
  CHECK(r.header("location").find("evil.example") == std::string::npos);
  auto rows = outbox(a.email, kResetSubject);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text.find("evil.example") == std::string::npos);
  CHECK(rows[0].html.find("evil.example") == std::string::npos);
  CHECK(!find_link(rows[0].text, "/auth/reset/").empty());
}

TEST_CASE("auth: registration and login form errors") {
  Account a = new_account("neg");
  register_ok(a);
  const long users_before = user_count();
  Client c;
  const std::string secret = "Sekrit-" + unique("p");

  auto try_register = [&](const std::string& email, const std::string& username,
                          const std::string& password, const std::string& password2) {
    return submit(c, "/auth/register",
                  {{"email", email},
                   {"username", username},
                   {"password", password},
                   {"password2", password2}});
  };

  Reply r = try_register(upper(a.email), unique("neg"), secret, secret);
  CHECK(r.status == 200);
  CHECK(r.contains("Email already registered."));
  r = try_register(unique("neg") + "@example.com", a.username, secret, secret);
  CHECK(r.status == 200);
  CHECK(r.contains("Username already in use."));
  for (const std::string bad : {"1abc", "a b", "_abc", "ab-c"}) {
    r = try_register(unique("neg") + "@example.com", bad, secret, secret);
    CHECK(r.status == 200);
    CHECK_MESSAGE(r.contains(kBadUsername), bad);
  }

  const std::string kept_email = unique("kept") + "@example.com";
  const std::string kept_name = unique("kept");
  r = try_register(kept_email, kept_name, secret, secret + "x");
  CHECK(r.status == 200);
  CHECK(r.contains(kMismatch));
  CHECK(r.contains("value=\"" + kept_email + "\""));
  CHECK(r.contains("value=\"" + kept_name + "\""));
  CHECK(!r.contains(secret));
  r = try_register(kept_email, kept_name, "short1", "short1");
  CHECK(r.status == 200);
  CHECK(r.contains(kShortPassword));
  CHECK(!r.contains("short1"));
  r = try_register("not-an-email", kept_name, secret, secret);
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid email address."));
  r = try_register("", "", "", "");
  CHECK(r.status == 200);
  CHECK(occurrences(r.body, kRequired) == 4);
  // Markup is escaped when the form is shown again.
  r = try_register(unique("neg") + "@example.com", "<script>alert(1)</script>", secret, secret);
  CHECK(r.status == 200);
  CHECK(r.contains(kBadUsername));
  CHECK(!r.contains("<script>alert(1)"));
  CHECK(r.contains("&lt;script&gt;"));
  // NUL bytes and invalid UTF-8: refused, never stored.
  for (const std::string raw : {"a%00b", "a%C3%28b", "a%E0%80"}) {
    Reply page = c.get("/auth/register");
    std::string body =
        "email=" + raw + "%40example.com&username=" + raw +
        "&password=longenough1&password2=longenough1&csrf_token=" + url_escape(csrf_token(page));
    Reply bad = c.post("/auth/register", body);
    CHECK_MESSAGE((bad.status == 400 || (bad.status == 200 && bad.contains("is-invalid"))),
                  raw << " answered " << bad.status);
  }
  CHECK(user_count() == users_before);
  CHECK(outbox(kept_email).empty());

  // Usernames are case-sensitive (as in the original), emails are not.
  Account twin = new_account("neg");
  twin.username = upper(a.username);
  r = try_register(twin.email, twin.username, secret, secret);
  CHECK(r.status == 302);
  CHECK(user_count() == users_before + 1);

  // Login failures.
  r = login(c, a.email, "wrong-password-1");
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  CHECK(r.contains("value=\"" + a.email + "\""));
  CHECK(!r.contains("wrong-password-1"));
  CHECK(c.cookie("session").empty());
  r = login(c, unique("ghost") + "@example.com", a.password);
  CHECK(r.status == 200);
  CHECK(r.contains(kBadLogin));
  r = login(c, "", "");
  CHECK(r.status == 200);
  CHECK(occurrences(r.body, kRequired) == 2);

  Reply page = c.get("/auth/login");
  CHECK(page.contains("<title>Inkwell - Login</title>"));
  CHECK(page.contains("href=\"/auth/register\""));
  CHECK(page.contains("Click here to register"));
  CHECK(page.contains("href=\"/auth/reset\""));
  CHECK(page.contains("name=\"remember_me\""));

  // Case-insensitive login.
  r = login(c, upper(a.email), a.password);
  CHECK(r.status == 302);
}

TEST_CASE("auth: POST without a valid csrf_token is refused and changes nothing") {
  // A visitor's form page writes nothing to the database.
  const std::string tables = "CHECKSUM TABLE sessions, remember_tokens, users, login_failures";
  const std::string before = sql(tables);
  const long sessions_before = sql_count("SELECT COUNT(*) FROM sessions");
  {
    Client v;
    CHECK(v.get("/auth/login").status == 200);
    CHECK(v.get("/auth/register").status == 200);
    CHECK(v.get("/auth/reset").status == 200);
    CHECK(v.get("/").status == 200);
    CHECK(!v.cookie("csrf").empty());
  }
  CHECK(sql_count("SELECT COUNT(*) FROM sessions") == sessions_before);
  CHECK(sql(tables) == before);

  Account a = new_account("csrf");
  register_ok(a);
  Client c;
  REQUIRE(!csrf_token(c.get("/auth/login")).empty());
  Client other;
  const std::string foreign = csrf_token(other.get("/auth/login"));
  REQUIRE(!foreign.empty());

  Fields creds{{"email", a.email}, {"password", a.password}};
  CHECK(c.post("/auth/login", form_encode(creds)).status == 400);
  Fields with_foreign = creds;
  with_foreign.emplace_back("csrf_token", foreign);
  CHECK(c.post("/auth/login", form_encode(with_foreign)).status == 400);
  Fields with_garbage = creds;
  with_garbage.emplace_back("csrf_token", "garbage");
  CHECK(c.post("/auth/login", form_encode(with_garbage)).status == 400);
  CHECK(c.cookie("session").empty());
  CHECK(sessions_of(a.username) == 0);
  CHECK(c.get("/").contains(kStranger));

  Account n = new_account("csrf");
  Fields reg{{"email", n.email},
             {"username", n.username},
             {"password", n.password},
             {"password2", n.password}};
  CHECK(c.post("/auth/register", form_encode(reg)).status == 400);
  Fields reg_foreign = reg;
  reg_foreign.emplace_back("csrf_token", foreign);
  CHECK(c.post("/auth/register", form_encode(reg_foreign)).status == 400);
  CHECK(user_id(n.username).empty());
  CHECK(outbox(n.email).empty());

  // Logged in: the token is bound to this session.
  Client li;
  const std::string before_login = csrf_token(li.get("/auth/login"));
  REQUIRE(!before_login.empty());
  REQUIRE(login(li, a.email, a.password).status == 302);
  Client li2;
  REQUIRE(login(li2, a.email, a.password).status == 302);
  const std::string same_user_other_session = csrf_token(li2.get("/auth/change-password"));
  REQUIRE(!same_user_other_session.empty());
  const std::string old_hash = password_hash(a.username);
  const std::string fresh = "csrf-new-" + a.password;
  Fields change{{"old_password", a.password}, {"password", fresh}, {"password2", fresh}};
  CHECK(li.post("/auth/change-password", form_encode(change)).status == 400);
  // Neither another client's token nor this browser's visitor token from
  // before the login counts.
  for (const std::string& bad : {foreign, same_user_other_session, before_login}) {
    Fields f = change;
    f.emplace_back("csrf_token", bad);
    CHECK(li.post("/auth/change-password", form_encode(f)).status == 400);
  }
  CHECK(password_hash(a.username) == old_hash);
  CHECK(sessions_of(a.username) == 2);
  CHECK(li2.get("/").status == 302);  // still logged in (unconfirmed → /auth/unconfirmed)

  // With its own token the same request goes through.
  Reply ok = submit(li, "/auth/change-password", change);
  CHECK(ok.status == 302);
  CHECK(password_hash(a.username) != old_hash);
}

TEST_CASE("auth: next after login is followed only for local paths") {
  Account a = new_account("next");
  register_ok(a);
  for (const std::string evil :
       {"//evil.example/x", "/\\evil.example", "http://evil.example", "https://evil.example/x",
        "evil.example", "/\\/evil.example", "/\t/evil.example"}) {
    Client c;
    Reply r = login(c, a.email, a.password, false, evil);
    CHECK_MESSAGE(r.status == 302, evil);
    CHECK_MESSAGE(r.header("location") == "/", evil);
  }
  {
    Client c;  // unencoded in the query string
    Reply r = submit(c, "/auth/login?next=//evil.example/x",
                     {{"email", a.email}, {"password", a.password}});
    CHECK(r.status == 302);
    CHECK(r.header("location") == "/");
  }

  Client c;
  Reply r = login(c, a.email, a.password, false, "/auth/change-password");
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/change-password");
  Reply page = c.follow(r);
  CHECK(page.status == 200);
  CHECK(page.contains("name=\"old_password\""));

  // The login guard's round trip.
  Client v;
  r = v.get("/auth/change-password");
  REQUIRE(r.status == 302);
  const std::string login_path = r.header("location");
  CHECK(login_path == "/auth/login?next=%2Fauth%2Fchange-password");
  r = submit(v, login_path, {{"email", a.email}, {"password", a.password}});
  CHECK(r.status == 302);
  CHECK(r.header("location") == "/auth/change-password");
}

TEST_CASE("auth: five failed logins throttle that address for that account, no one else") {
  Account x = new_account("thr");
  Account y = new_account("thr");
  register_ok(x);
  register_ok(y);
  Client c;
  for (int i = 1; i <= 5; ++i) {
    Reply r = login(c, x.email, "wrong-password-" + std::to_string(i));
    CHECK(r.status == 200);
    CHECK(r.contains(kBadLogin));
  }
  // This address is refused for x, even with the right password...
  Reply r = login(c, x.email, x.password);
  CHECK(r.status == 429);
  CHECK(r.contains("Too many failed login attempts"));
  CHECK(c.cookie("session").empty());
  CHECK(sessions_of(x.username) == 0);
  r = login(c, upper(x.email), x.password);
  CHECK(r.status == 429);
  // ... but not for another account,
  r = login(c, y.email, y.password);
  CHECK(r.status == 302);
  CHECK(sessions_of(y.username) == 1);
  // and x's owner, elsewhere, logs in: no one can lock an account out.
  Client owner;
  r = login(owner, x.email, x.password);
  CHECK(r.status == 302);
  CHECK(sessions_of(x.username) == 1);

  // The address of a failure is the peer's, not a header the client chose
  // (or rotating X-Forwarded-For would dodge the per-address limit).
  Client spoofer;
  const std::vector<std::string> xff = {"X-Forwarded-For: 203.0.113.9", "X-Real-IP: 203.0.113.9"};
  std::string token = csrf_token(spoofer.get("/auth/login", xff));
  REQUIRE(!token.empty());
  r = spoofer.post(
      "/auth/login",
      form_encode({{"email", y.email}, {"password", "wrong-password"}, {"csrf_token", token}}),
      "application/x-www-form-urlencoded", xff);
  CHECK(r.status == 200);
  CHECK(sql(std::string("SELECT address FROM login_failures WHERE email = ") +
            sql_quote(y.email)) == spoofer.address() + "\n");
}

TEST_CASE("auth: tokens are bound to their purpose, user and expiry") {
  const std::string secret = secret_key();
  REQUIRE(!secret.empty());
  Client c;
  Account a = confirmed_user(c, "tok");
  std::string confirm_token = token_of(
      find_link(outbox(a.email, kConfirmSubject).at(0).text, "/auth/confirm/"), "/auth/confirm/");
  REQUIRE(!confirm_token.empty());

  Client v;
  check_flash_after(v, v.get("/auth/reset/garbage"), kBadReset);
  check_flash_after(v, v.get("/auth/reset/" + confirm_token), kBadReset);

  REQUIRE(submit(v, "/auth/reset", {{"email", a.email}}).status == 302);
  auto resets = outbox(a.email, kResetSubject);
  REQUIRE(resets.size() == 1);
  std::string reset_token = token_of(find_link(resets[0].text, "/auth/reset/"), "/auth/reset/");
  REQUIRE(!reset_token.empty());

  std::string tampered = reset_token;
  char& mid = tampered[tampered.size() / 2];
  mid = mid == 'A' ? 'B' : 'A';
  check_flash_after(v, v.get("/auth/reset/" + tampered), kBadReset);

  // The same data signed with an expiry in the past.
  auto data = inkwell::security::verify_token(secret, "reset", reset_token, std::time(nullptr));
  REQUIRE_MESSAGE(data.has_value(), "the reset token does not verify with the stack's key");
  std::string expired = inkwell::security::make_token(secret, "reset", data->user_id,
                                                      std::time(nullptr) - 5, data->extra);
  check_flash_after(v, v.get("/auth/reset/" + expired), kBadReset);
  // ... while the real one still opens the form.
  CHECK(v.get("/auth/reset/" + reset_token).status == 200);

  // Another user, unconfirmed: reset and expired tokens are no confirmation.
  Account b = new_account("tok");
  register_ok(b);
  Client cb;
  REQUIRE(login(cb, b.email, b.password).status == 302);
  REQUIRE(submit(v, "/auth/reset", {{"email", b.email}}).status == 302);
  std::string b_reset = token_of(
      find_link(outbox(b.email, kResetSubject).at(0).text, "/auth/reset/"), "/auth/reset/");
  REQUIRE(!b_reset.empty());
  check_flash_after(cb, cb.get("/auth/confirm/" + b_reset), kBadConfirm);
  long b_id = std::stol(user_id(b.username));
  std::string b_expired = inkwell::security::make_token(secret, "confirm", b_id,
                                                        std::time(nullptr) - 5, token_extra(b_id));
  check_flash_after(cb, cb.get("/auth/confirm/" + b_expired), kBadConfirm);
  std::string a_confirm_for_b = confirm_token;  // a's own (valid) confirmation token
  check_flash_after(cb, cb.get("/auth/confirm/" + a_confirm_for_b), kBadConfirm);
  CHECK(confirmed_flag(b.username) == "0");
  // The same construction with a future expiry is accepted: only the expiry differed.
  std::string b_valid = inkwell::security::make_token(secret, "confirm", b_id,
                                                      std::time(nullptr) + 600, token_extra(b_id));
  check_flash_after(cb, cb.get("/auth/confirm/" + b_valid), kConfirmed);
  CHECK(confirmed_flag(b.username) == "1");
}

TEST_CASE("auth: mail waits in the outbox while SMTP is down") {
  Account a = new_account("dur");
  {
    SinkStopped sink;
    Client c;
    Reply r = register_account(c, a);
    REQUIRE(r.status == 302);
    check_flash_after(c, r, kRegistered);
    auto rows = outbox(a.email, kConfirmSubject);
    REQUIRE(rows.size() == 1);
    CHECK(!rows[0].sent);

    // Give a sender time to try (and fail): nothing is lost or marked sent.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    rows = outbox(a.email, kConfirmSubject);
    REQUIRE(rows.size() == 1);
    CHECK(!rows[0].sent);
    CHECK(maildir(a.email, kConfirmSubject).empty());

    REQUIRE(sink.restart());
    auto mails = wait_for_mail(a.email, kConfirmSubject, 1, 15000);
    CHECK_MESSAGE(mails.size() == 1, "not delivered within 15 s after the sink came back");
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(maildir(a.email, kConfirmSubject).size() == 1);  // exactly once
  auto rows = outbox(a.email, kConfirmSubject);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].sent);
}

TEST_CASE("auth: login accepts imported Werkzeug hashes and rehashes them") {
  // Made with Python's hashlib in Werkzeug's format (checked with Werkzeug's
  // check_password_hash): the password is "imported-password".
  const std::string password = "imported-password";
  const std::vector<std::string> hashes = {
      "pbkdf2:sha1:1000$Zx81QwErTyUiOp12$9dcf1bc2cbf13b5a7a8203c784be82285efcedcc",
      "pbkdf2:sha256:2000$Zx81QwErTyUiOp12$"
      "94f2f28ac6b8858522786c2547055f439b6505def37037ebb80e3264cac5a65c",
      "scrypt:16384:8:1$Zx81QwErTyUiOp12$"
      "bcf45b7e7112b719226746a9f4620cd68f88f7cb070b3680ab70501b7baa6790abd3fca50e24f984a92a3f"
      "e1e76fe9d84f7be16ceb0f228b49662e152feed26c",
  };
  const std::string method = env_or("INKWELL_PASSWORD_METHOD", "pbkdf2:sha256:1000");
  for (const std::string& hash : hashes) {
    Account a = new_account("imp");
    register_ok(a);
    sql("UPDATE users SET password_hash = " + sql_quote(hash) +
        " WHERE username = " + sql_quote(a.username));
    Client c;
    Reply r = login(c, a.email, "not-" + password);
    CHECK(r.status == 200);
    CHECK(password_hash(a.username) == hash);
    r = login(c, a.email, password);
    CHECK_MESSAGE(r.status == 302, hash);
    std::string now = password_hash(a.username);
    CHECK_MESSAGE(now.rfind(method + "$", 0) == 0, hash << " became " << now);
    CHECK(inkwell::security::verify_password(now, password));
    Client again;
    CHECK(login(again, a.email, password).status == 302);
  }
}

TEST_CASE("auth: forms tell the browser what to fill, and tie errors to their fields") {
  Client c;
  Reply login_page = c.get("/auth/login");
  CHECK(login_page.contains("name=\"email\" type=\"email\" value=\"\" autocomplete=\"email\""));
  CHECK(
      login_page.contains("name=\"password\" type=\"password\" value=\"\" "
                          "autocomplete=\"current-password\""));
  Reply reg = c.get("/auth/register");
  CHECK(reg.contains("name=\"username\" type=\"text\" value=\"\" autocomplete=\"username\""));
  CHECK(occurrences(reg.body, "autocomplete=\"new-password\"") == 2);
  // An error: the field says it is invalid and names the element that says why.
  Reply r = submit(c, "/auth/register",
                   {{"email", "not-an-address"},
                    {"username", "ok_name"},
                    {"password", "short"},
                    {"password2", "other"}});
  CHECK(r.status == 200);
  CHECK(r.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
  CHECK(r.contains("id=\"email-error\">Invalid email address.</div>"));
  CHECK(r.contains("id=\"password-error\">" + std::string(kShortPassword) + " " + kMismatch +
                   "</div>"));
  CHECK(occurrences(r.body, "id=\"password-error\"") == 1);
}
