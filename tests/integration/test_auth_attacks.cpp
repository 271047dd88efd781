// Attacks on authentication, replayed over HTTP through nginx the way an
// attacker would: a route to Administrator through an unconfirmed account,
// locking an owner out with failed logins, the API's Basic auth as a weaker
// copy of the login, tokens that outlive what they were for, and mail on
// demand as a flood. Each failed before the fix it names.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::string kConfirmSubject = "[Inkwell] Confirm Your Account";
const std::string kResetSubject = "[Inkwell] Reset Your Password";
const std::string kChangeEmailSubject = "[Inkwell] Confirm your email address";
const std::string kAlertSubject = "[Inkwell] Failed sign-in attempts on your Inkwell account";
const std::string kEmailUpdated = "Your email address has been updated.";
const std::string kInvalidRequest = "Invalid request.";
const std::string kBadReset = "The password reset link is invalid or has expired.";
const std::string kBadConfirm = "The confirmation link is invalid or has expired.";
const std::string kConfirmed = "You have confirmed your account. Thanks!";
const std::string kResetSent =
    "An email with instructions to reset your password has been sent to you.";
const std::string kChangeEmailSent =
    "An email with instructions to confirm your new email address has been sent to you.";
const std::string kResent = "A new confirmation email has been sent to you by email.";
const std::string kTooMany = "Too many email requests. Please wait a few minutes and try again.";
const std::string kThrottled = "Too many failed login attempts";

std::string role_of(const std::string& username) {
  return sql_value(
      "SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE u.username = " +
      sql_quote(username));
}

std::string column_of(const std::string& column, const std::string& username) {
  return sql_value("SELECT " + column + " FROM users WHERE username = " + sql_quote(username));
}

// Follows a redirect (and any after it) and REQUIREs msg on the page.
void expect_flash(Client& c, const Reply& r, const std::string& msg) {
  REQUIRE_MESSAGE(r.status == 302, "expected a redirect, got " << r.status << "\n" << r.body);
  Reply page = follow_all(c, r);
  CHECK_MESSAGE(page.contains(msg), "no \"" << msg << "\" after " << r.header("location"));
}

// The newest link to `route` mailed to `to` with `subject`, from the outbox.
std::string newest_link(const std::string& to, const std::string& subject,
                        const std::string& route) {
  auto rows = outbox(to, subject);
  REQUIRE_MESSAGE(!rows.empty(), "no " << subject << " mail to " << to);
  std::string link = find_link(rows.back().text, route);
  REQUIRE(!link.empty());
  return link;
}

// Asks for an email change of c's account to new_email (password given).
Reply ask_email_change(Client& c, const std::string& new_email, const std::string& password) {
  return submit(c, "/auth/change_email", {{"email", new_email}, {"password", password}});
}

long failures_from(const Client& c) {
  return sql_count("SELECT COUNT(*) FROM login_failures WHERE address = " + sql_quote(c.address()));
}

}  // namespace

TEST_CASE("attack: registering as INKWELL_ADMIN and moving away gives no admin power") {
  const std::string admin = env_or("INKWELL_ADMIN", "admin@example.com");
  // A fresh deployment: the admin address is not registered yet.
  sql("UPDATE users SET email = CONCAT('was-admin-', id, '@example.com') WHERE email = " +
      sql_quote(admin));

  // The stranger registers with the admin address...
  Account stranger = new_account("strg");
  stranger.email = admin;
  Client s;
  REQUIRE(register_account(s, stranger).status == 302);
  CHECK(role_of(stranger.username) == "User");  // never at registration
  REQUIRE(login(s, admin, stranger.password).status == 302);
  const std::string admins_confirm_link = newest_link(admin, kConfirmSubject, "/auth/confirm/");

  // ... moves the unconfirmed account to a mailbox of their own, and uses
  // the link that arrives there.
  const std::string own = unique("strgown") + "@example.com";
  Reply r = ask_email_change(s, own, stranger.password);
  expect_flash(s, r, kChangeEmailSent);
  std::string link = newest_link(own, kChangeEmailSubject, "/auth/change_email/");
  expect_flash(s, s.get(link), kEmailUpdated);
  CHECK(column_of("email", stranger.username) == own);
  CHECK(column_of("confirmed", stranger.username) == "1");  // the link proved the address
  CHECK(role_of(stranger.username) == "User");
  long stranger_id = std::stol(user_id(stranger.username));
  CHECK(s.get("/edit-profile/" + std::to_string(stranger_id)).status == 403);
  // Nor does the confirmation link mailed to the admin address (were it
  // ever to reach the stranger) give anything.
  expect_flash(s, s.get(admins_confirm_link), "Hello, " + stranger.username);
  CHECK(role_of(stranger.username) == "User");

  // The real owner registers the address: still no role until confirmed.
  Client o;
  Account owner = new_account("ownr");
  owner.email = admin;
  REQUIRE(register_account(o, owner).status == 302);
  CHECK(role_of(owner.username) == "User");
  REQUIRE(login(o, admin, owner.password).status == 302);
  CHECK(o.get("/edit-profile/" + std::to_string(stranger_id)).status == 302);  // unconfirmed
  expect_flash(o, o.get(newest_link(admin, kConfirmSubject, "/auth/confirm/")), kConfirmed);
  CHECK(role_of(owner.username) == "Administrator");
  CHECK(o.get("/edit-profile/" + std::to_string(stranger_id)).status == 200);

  // Moving away from the admin address does not carry the role along.
  const std::string elsewhere = unique("ownrnew") + "@example.com";
  expect_flash(o, ask_email_change(o, elsewhere, owner.password), kChangeEmailSent);
  expect_flash(o, o.get(newest_link(elsewhere, kChangeEmailSubject, "/auth/change_email/")),
               kEmailUpdated);
  CHECK(role_of(owner.username) == "User");
  // Coming back to it, proven by the link, gives it again.
  expect_flash(o, ask_email_change(o, admin, owner.password), kChangeEmailSent);
  expect_flash(o, o.get(newest_link(admin, kChangeEmailSubject, "/auth/change_email/")),
               kEmailUpdated);
  CHECK(role_of(owner.username) == "Administrator");
}

TEST_CASE("attack: failures from one address never lock the owner out, form or API") {
  Account x = new_account("lock");
  register_ok(x);
  Client attacker;
  for (int i = 0; i < 5; ++i) {
    CHECK(login(attacker, x.email, "guess-" + std::to_string(i)).status == 200);
  }
  Reply r = login(attacker, x.email, x.password);
  CHECK(r.status == 429);
  CHECK(r.contains(kThrottled));
  // The API shares the count: the attacker's address is refused there too.
  CHECK(attacker.get("/api/v1/posts/", {basic(x.email, x.password)}).status == 429);

  // The owner, from their own address, logs in by form and by API.
  Client owner;
  CHECK(login(owner, x.email, x.password).status == 302);
  sql("UPDATE users SET confirmed = TRUE WHERE username = " + sql_quote(x.username));
  Client script;
  CHECK(script.get("/api/v1/posts/", {basic(x.email, x.password)}).status == 200);

  // API failures count for the form as much as form failures do.
  Account y = new_account("lock");
  register_ok(y);
  Client api_guesser;
  for (int i = 0; i < 5; ++i) {
    CHECK(
        api_guesser.get("/api/v1/posts/", {basic(y.email, "guess-" + std::to_string(i))}).status ==
        401);
  }
  CHECK(login(api_guesser, y.email, y.password).status == 429);
  CHECK(failures_from(api_guesser) == 5);
}

TEST_CASE("attack: one address guessing many accounts is stopped at 20 failures") {
  Account z = new_account("many");
  register_ok(z);
  Client sprayer;
  for (int i = 0; i < 20; ++i) {
    Reply r = login(sprayer, unique("spray") + "@example.com", "guess");
    CHECK(r.status == 200);
  }
  // Even a right password is refused from that address now...
  CHECK(login(sprayer, z.email, z.password).status == 429);
  // ... and from anywhere else it works.
  Client owner;
  CHECK(login(owner, z.email, z.password).status == 302);
}

TEST_CASE("attack: a flood from many addresses slows them and mails the owner once") {
  Account v = new_account("flood");
  register_ok(v);
  // 5 addresses, 4 failures each: 20 against one account, none throttled yet.
  std::vector<Client> bots(5);
  for (Client& bot : bots) {
    for (int i = 0; i < 4; ++i)
      CHECK(login(bot, v.email, "guess-" + std::to_string(i)).status == 200);
  }
  auto alerts = outbox(v.email, kAlertSubject);
  CHECK(alerts.size() == 1);
  if (!alerts.empty()) CHECK(alerts[0].text.find("not locked") != std::string::npos);
  // During the flood a new address gets 2 tries, not 5.
  Client late;
  CHECK(login(late, v.email, "guess-a").status == 200);
  CHECK(login(late, v.email, "guess-b").status == 200);
  CHECK(login(late, v.email, "guess-c").status == 429);
  CHECK(login(bots[0], v.email, v.password).status == 429);
  // More failures do not mail the owner again.
  Client another;
  CHECK(login(another, v.email, "guess-d").status == 200);
  CHECK(outbox(v.email, kAlertSubject).size() == 1);
  // The owner is never locked out.
  Client owner;
  CHECK(login(owner, v.email, v.password).status == 302);
  // The mail goes out for real.
  CHECK(wait_for_mail(v.email, kAlertSubject).size() == 1);
  // Unknown accounts never mail anyone and never fail otherwise.
  const std::string nobody = unique("nobody") + "@example.com";
  std::vector<Client> more(5);
  for (Client& bot : more) {
    for (int i = 0; i < 4; ++i) CHECK(login(bot, nobody, "guess").status == 200);
  }
  CHECK(outbox(nobody).empty());
}

TEST_CASE("attack: links and tokens that outlived what they were for are refused") {
  Client c;
  Account a = confirmed_user(c, "stale");

  SUBCASE("an email-change link replayed after a later change") {
    const std::string first = unique("first") + "@example.com";
    const std::string second = unique("second") + "@example.com";
    expect_flash(c, ask_email_change(c, first, a.password), kChangeEmailSent);
    std::string first_link = newest_link(first, kChangeEmailSubject, "/auth/change_email/");
    expect_flash(c, ask_email_change(c, second, a.password), kChangeEmailSent);
    std::string second_link = newest_link(second, kChangeEmailSubject, "/auth/change_email/");
    expect_flash(c, c.get(second_link), kEmailUpdated);
    CHECK(column_of("email", a.username) == second);
    expect_flash(c, c.get(first_link), kInvalidRequest);
    CHECK(column_of("email", a.username) == second);
    expect_flash(c, c.get(second_link), kInvalidRequest);  // and a link works once
  }

  SUBCASE("a reset link sent to an address the account no longer has") {
    Client v;
    expect_flash(v, submit(v, "/auth/reset", {{"email", a.email}}), kResetSent);
    std::string reset_link = newest_link(a.email, kResetSubject, "/auth/reset/");
    const std::string moved = unique("moved") + "@example.com";
    expect_flash(c, ask_email_change(c, moved, a.password), kChangeEmailSent);
    expect_flash(c, c.get(newest_link(moved, kChangeEmailSubject, "/auth/change_email/")),
                 kEmailUpdated);
    expect_flash(v, v.get(reset_link), kBadReset);
  }

  SUBCASE("a reset link issued before the password last changed") {
    Client v;
    expect_flash(v, submit(v, "/auth/reset", {{"email", a.email}}), kResetSent);
    std::string reset_link = newest_link(a.email, kResetSubject, "/auth/reset/");
    const std::string fresh = "changed-" + a.password;
    Reply r = submit(c, "/auth/change-password",
                     {{"old_password", a.password}, {"password", fresh}, {"password2", fresh}});
    REQUIRE(r.status == 302);
    expect_flash(v, v.get(reset_link), kBadReset);
  }

  SUBCASE("a confirmation link sent to an address the account no longer has") {
    Account u = new_account("stconf");
    Client cu;
    REQUIRE(register_account(cu, u).status == 302);
    REQUIRE(login(cu, u.email, u.password).status == 302);
    std::string old_link = newest_link(u.email, kConfirmSubject, "/auth/confirm/");
    const std::string typo_fixed = unique("fixed") + "@example.com";
    expect_flash(cu, ask_email_change(cu, typo_fixed, u.password), kChangeEmailSent);
    expect_flash(cu, cu.get(newest_link(typo_fixed, kChangeEmailSubject, "/auth/change_email/")),
                 kEmailUpdated);
    CHECK(column_of("confirmed", u.username) == "1");
    // Say an administrator unconfirms the account: the link mailed to the
    // old address still confirms nothing.
    sql("UPDATE users SET confirmed = FALSE WHERE username = " + sql_quote(u.username));
    expect_flash(cu, cu.get(old_link), kBadConfirm);
    CHECK(column_of("confirmed", u.username) == "0");
  }
}

TEST_CASE("attack: API tokens die with a password change, an email change and log out everywhere") {
  auto new_token = [](const std::string& email, const std::string& password) {
    Client api;
    Reply r = api.post("/api/v1/tokens/", "", "application/json", {basic(email, password)});
    REQUIRE(r.status == 200);
    std::string marker = "\"token\":\"";
    std::size_t at = r.body.find(marker);
    REQUIRE(at != std::string::npos);
    at += marker.size();
    return r.body.substr(at, r.body.find('"', at) - at);
  };
  auto token_works = [](const std::string& token) {
    Client api;
    return api.get("/api/v1/posts/", {basic(token, "")}).status == 200;
  };
  Client c;
  Account a = confirmed_user(c, "apitok");

  SUBCASE("password change") {
    std::string token = new_token(a.email, a.password);
    REQUIRE(token_works(token));
    const std::string fresh = "changed-" + a.password;
    REQUIRE(submit(c, "/auth/change-password",
                   {{"old_password", a.password}, {"password", fresh}, {"password2", fresh}})
                .status == 302);
    CHECK(!token_works(token));
    CHECK(token_works(new_token(a.email, fresh)));
  }
  SUBCASE("email change") {
    std::string token = new_token(a.email, a.password);
    REQUIRE(token_works(token));
    const std::string moved = unique("apimoved") + "@example.com";
    expect_flash(c, ask_email_change(c, moved, a.password), kChangeEmailSent);
    CHECK(token_works(token));  // asking changes nothing
    expect_flash(c, c.get(newest_link(moved, kChangeEmailSubject, "/auth/change_email/")),
                 kEmailUpdated);
    CHECK(!token_works(token));
  }
  SUBCASE("log out everywhere") {
    std::string token = new_token(a.email, a.password);
    REQUIRE(token_works(token));
    Client other;
    REQUIRE(login(other, a.email, a.password, true).status == 302);
    CHECK(other.get("/").contains("Hello, " + a.username + "!"));
    Reply page = c.get("/auth/account");
    CHECK(page.status == 200);
    CHECK(page.contains("Log out everywhere else"));
    Reply r = submit(c, "/auth/account", {}, "/auth/sessions/revoke-others");
    REQUIRE(r.status == 302);
    CHECK(r.header("location") == "/auth/account");
    CHECK(!token_works(token));
    CHECK(sessions_of(a.username) == 1);  // this browser stays
    CHECK(remember_tokens_of(a.username) == 0);
    CHECK(c.get("/").contains("Hello, " + a.username + "!"));
    other.drop_cookie("session");  // the remember-me cookie is dead too
    CHECK(other.get("/").contains("Hello, Stranger!"));
  }
}

TEST_CASE("attack: mail on demand is limited per target, account and address") {
  SUBCASE("password reset: the same answer whether the account exists or not") {
    Account a = new_account("mlim");
    register_ok(a);
    const std::string nobody = unique("mlimnobody") + "@example.com";
    for (const std::string& target : {a.email, nobody}) {
      Client v;
      for (int i = 0; i < 3; ++i) {
        expect_flash(v, submit(v, "/auth/reset", {{"email", target}}), kResetSent);
      }
      Reply refused = submit(v, "/auth/reset", {{"email", target}});
      CHECK(refused.status == 429);
      CHECK(refused.contains(kTooMany));
      // From another address too: the limit is per target address.
      Client w;
      Reply again = submit(w, "/auth/reset", {{"email", target}});
      CHECK(again.status == 429);
      CHECK(again.contains(kTooMany));
    }
    CHECK(outbox(a.email, kResetSubject).size() == 3);
    CHECK(outbox(nobody).empty());
    // Per client address: three targets, then the fourth is refused.
    Client z;
    for (int i = 0; i < 3; ++i) {
      expect_flash(z, submit(z, "/auth/reset", {{"email", unique("mlimz") + "@example.com"}}),
                   kResetSent);
    }
    CHECK(submit(z, "/auth/reset", {{"email", a.email + "x"}}).status == 429);
  }
  SUBCASE("resend confirmation") {
    Account u = new_account("mlimc");
    Client c;
    REQUIRE(register_account(c, u).status == 302);
    REQUIRE(login(c, u.email, u.password).status == 302);
    for (int i = 0; i < 3; ++i) expect_flash(c, c.get("/auth/confirm"), kResent);
    expect_flash(c, c.get("/auth/confirm"), kTooMany);
    CHECK(outbox(u.email, kConfirmSubject).size() == 4);  // the registration's and 3
  }
  SUBCASE("change email") {
    Client c;
    Account a = confirmed_user(c, "mlime");
    for (int i = 0; i < 3; ++i) {
      expect_flash(c, ask_email_change(c, unique("mlimt") + "@example.com", a.password),
                   kChangeEmailSent);
    }
    const std::string last = unique("mlimt") + "@example.com";
    Reply refused = ask_email_change(c, last, a.password);
    CHECK(refused.status == 429);
    CHECK(refused.contains(kTooMany));
    CHECK(outbox(last).empty());
  }
}
