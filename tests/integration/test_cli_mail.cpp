// The operator's account mails: `inkwell users reset-password EMAIL` and
// `inkwell users resend-confirmations --older-than AGE [--dry-run]` queue
// the site's own mails (same subject, body and token), which the mailer
// delivers and whose links work on the site.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "auth_texts.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;
using namespace itest::texts;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// text with every copy of its route link replaced by "LINK": two mails of one
// kind then compare equal when only their tokens differ.
std::string without_link(std::string text, const std::string& route) {
  const std::string link = find_link(text, route);
  REQUIRE_MESSAGE(!link.empty(), "no " << route << " link in:\n" << text);
  for (std::size_t at = text.find(link); at != std::string::npos; at = text.find(link, at)) {
    text.replace(at, link.size(), "LINK");
  }
  return text;
}

// The site and the CLI made the same mail: subject, text and HTML alike but
// for the link's token.
void check_same_mail(const OutboxRow& site, const OutboxRow& cli, const std::string& route) {
  CHECK(cli.subject == site.subject);
  CHECK(without_link(cli.text, route) == without_link(site.text, route));
  CHECK(without_link(cli.html, route) == without_link(site.html, route));
}

long confirmations_to(const Account& a) {
  return static_cast<long>(outbox(a.email, kConfirmSubject).size());
}

// Registers a, then makes it (and the confirmation mail it was sent) `days` old.
void register_days_ago(const Account& a, int days) {
  register_ok(a);
  const std::string ago = "NOW(6) - INTERVAL " + std::to_string(days) + " DAY";
  sql("UPDATE users SET member_since = " + ago + " WHERE email = " + sql_quote(a.email));
  sql("UPDATE mail_outbox SET created_at = " + ago + " WHERE recipient = " + sql_quote(a.email));
}

}  // namespace

TEST_CASE("cli mail: the commands' help comes from the table") {
  int status = -1;
  std::string out = inkwell_cli("--help", &status, "env -i");
  CHECK(status == 0);
  CHECK(has(out, "users reset-password EMAIL"));
  CHECK(has(out, "users resend-confirmations --older-than AGE [--dry-run]"));
  out = inkwell_cli("users resend-confirmations --help", &status, "env -i");
  CHECK(status == 0);
  CHECK(has(out, "usage: inkwell users resend-confirmations --older-than AGE [--dry-run]"));
  CHECK(has(out, "--dry-run"));
  out = inkwell_cli("users reset-password --help", &status, "env -i");
  CHECK(status == 0);
  CHECK(has(out, "usage: inkwell users reset-password EMAIL"));
  // Argument errors, before any database.
  inkwell_cli("users reset-password", &status, "env -i");
  CHECK(status == 2);
  inkwell_cli("users resend-confirmations", &status, "env -i");
  CHECK(status == 2);
}

TEST_CASE("cli mail: users reset-password mails the site's reset link, which sets a password") {
  Client c;
  Account a = confirmed_user(c, "crp");
  const std::string old_hash = password_hash(a.username);
  int status = -1;
  std::string out = inkwell_cli("users reset-password " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(has(out, a.email));
  REQUIRE(outbox(a.email, kResetSubject).size() == 1);
  const std::string link = mailed_link(a.email, kResetSubject, "/auth/reset/");
  CHECK(password_hash(a.username) == old_hash);  // a mail, nothing else

  // The mail the site sends from "Forgot your password?" is the same but
  // for the token, and carries the same token version: once the CLI's link
  // has set a password, the site's link is dead too.
  Client v;
  REQUIRE(submit(v, "/auth/reset", {{"email", a.email}}).status == 302);
  auto rows = outbox(a.email, kResetSubject);
  REQUIRE(rows.size() == 2);
  check_same_mail(rows[1], rows[0], "/auth/reset/");
  const std::string site_link = find_link(rows[1].text, "/auth/reset/");

  // Followed over HTTP by a visitor: the new password works, the old does not.
  Client visitor;
  CHECK(visitor.get(link).status == 200);
  const std::string fresh = "cli-reset-" + a.password;
  Reply r = submit(visitor, link, {{"password", fresh}, {"password2", fresh}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/login");
  CHECK(password_hash(a.username) != old_hash);
  CHECK(c.get("/").contains("Hello, Stranger!"));  // other sessions ended
  Client later;
  CHECK(login(later, a.email, a.password).status == 200);  // refused: the form again
  REQUIRE(login(later, a.email, fresh).status == 302);
  CHECK(later.get("/").contains("Hello, " + a.username + "!"));
  Client again;
  CHECK(again.get(link).header("location") == "/");  // it works once
  CHECK(again.get(site_link).header("location") == "/");
}

TEST_CASE("cli mail: users reset-password refuses unknown and disabled accounts, bad views") {
  int status = -1;
  const std::string unknown = unique("nobody") + "@example.com";
  std::string out = inkwell_cli("users reset-password " + shell_quote(unknown), &status);
  CHECK(status == 1);  // as every users command: not found
  CHECK(has(out, "no user with email " + unknown));
  CHECK(outbox(unknown).empty());

  Account d = new_account("crd");
  register_ok(d);
  inkwell_cli("users disable " + shell_quote(d.email), &status);
  REQUIRE(status == 0);
  out = inkwell_cli("users reset-password " + shell_quote(d.email), &status);
  CHECK(status == 3);  // refused by a rule
  CHECK(has(out, "disabled"));
  CHECK(outbox(d.email, kResetSubject).empty());

  // Templates that cannot be loaded are a configuration error, and no mail.
  Account e = new_account("crv");
  register_ok(e);
  out = inkwell_cli("users reset-password " + shell_quote(e.email), &status,
                    "INKWELL_VIEWS=/nonexistent/views");
  CHECK(status == 2);
  CHECK(has(out, "INKWELL_VIEWS"));
  CHECK(outbox(e.email, kResetSubject).empty());
}

TEST_CASE("cli mail: users resend-confirmations mails old unconfirmed accounts once") {
  Account old = new_account("crco");     // 3 days old, mailed 3 days ago
  Account old2 = new_account("crct");    // the same
  Account recent = new_account("crcr");  // registered now
  Account mailed = new_account("crcm");  // 3 days old, but mailed now
  Account done = new_account("crcc");    // 3 days old, confirmed
  Account off = new_account("crcd");     // 3 days old, disabled
  for (const Account* a : {&old, &old2, &done, &off}) register_days_ago(*a, 3);
  register_ok(recent);
  register_ok(mailed);
  sql("UPDATE users SET member_since = NOW(6) - INTERVAL 3 DAY WHERE email = " +
      sql_quote(mailed.email));
  sql("UPDATE users SET confirmed = 1 WHERE email = " + sql_quote(done.email));
  int status = -1;
  inkwell_cli("users disable " + shell_quote(off.email), &status);
  REQUIRE(status == 0);
  for (const Account* a : {&old, &old2, &recent, &mailed, &done, &off}) {
    REQUIRE(confirmations_to(*a) == 1);  // the registration's
  }

  // --dry-run lists who would be mailed and queues nothing.
  std::string out = inkwell_cli("users resend-confirmations --older-than 1d --dry-run", &status);
  CHECK(status == 0);
  CHECK(has(out, old.email));
  CHECK(has(out, old2.email));
  for (const Account* a : {&recent, &mailed, &done, &off}) CHECK_FALSE(has(out, a->email));
  CHECK(has(out, "would queue"));
  for (const Account* a : {&old, &old2, &recent, &mailed, &done, &off}) {
    CHECK(confirmations_to(*a) == 1);
  }

  out = inkwell_cli("users resend-confirmations --older-than 1d", &status);
  CHECK(status == 0);
  CHECK(has(out, old.email));
  CHECK(has(out, "queued "));
  CHECK(confirmations_to(old) == 2);
  CHECK(confirmations_to(old2) == 2);
  for (const Account* a : {&recent, &mailed, &done, &off}) {
    CAPTURE(a->email);
    CHECK(confirmations_to(*a) == 1);
  }
  // The registration's mail again, but for the token.
  auto rows = outbox(old.email, kConfirmSubject);
  REQUIRE(rows.size() == 2);
  check_same_mail(rows[0], rows[1], "/auth/confirm/");

  // Delivered, and its link confirms the account (of the logged-in user).
  const std::string link = mailed_link(old.email, kConfirmSubject, "/auth/confirm/", 2);
  Client c;
  REQUIRE(login(c, old.email, old.password).status == 302);
  Reply r = c.get(link);
  CHECK(r.status == 302);
  CHECK(sql_value("SELECT confirmed FROM users WHERE email = " + sql_quote(old.email)) == "1");
  CHECK(follow_all(c, r).contains(kConfirmed));

  // A second run: old2 was mailed within the day, so not again.
  out = inkwell_cli("users resend-confirmations --older-than 1d", &status);
  CHECK(status == 0);
  CHECK_FALSE(has(out, old2.email));
  CHECK(confirmations_to(old2) == 2);

  // A bad age is a usage error.
  inkwell_cli("users resend-confirmations --older-than soon", &status);
  CHECK(status == 2);
}
