// The account page through nginx: the login record, every session with
// where and in what it runs, ending one session or all others, and personal
// API tokens.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"
#include "core/security.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::string kFirefox =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

// The public ids of the sessions listed on an account page.
std::vector<std::string> session_ids(const Reply& page) {
  return all_between(page.body, "data-session-id=\"", "\"");
}

// The session row of the page that is not this device.
std::string other_session_id(const Reply& page) {
  for (const std::string& row : all_between(page.body, "<tr class=\"session\"", "</tr>")) {
    if (row.find("this-device") == std::string::npos) {
      return between(row, "data-session-id=\"", "\"");
    }
  }
  return "";
}

// POSTs the account page's csrf_token (and fields) to path.
Reply post_from_account(Client& c, const std::string& path, Fields fields = {}) {
  return submit(c, "/auth/account", std::move(fields), path);
}

std::string new_token(Client& c, const std::string& name, const std::string& days) {
  Reply r = post_from_account(c, "/auth/tokens", {{"name", name}, {"expires_days", days}});
  REQUIRE(r.status == 200);
  std::string token = between(r.body, "<code id=\"new-token\">", "</code>");
  REQUIRE(!token.empty());
  return token;
}

long api_status(const std::string& token) {
  Client api;
  return api.get("/api/v1/posts/", {basic(token, "")}).status;
}

}  // namespace

TEST_CASE("account: needs a login; shows the login record") {
  Client visitor;
  Reply r = visitor.get("/auth/account");
  CHECK(r.status == 302);
  CHECK(r.header("location").rfind("/auth/login", 0) == 0);

  Client first;
  Account a = confirmed_user(first, "acct");  // login 1
  const std::string seen_now = "SELECT " + kLastSeen + " > NOW(6) - INTERVAL 1 MINUTE" + kSeenFrom +
                               "WHERE u.username = " + sql_quote(a.username);
  set_last_seen(a.username, "NOW(6) - INTERVAL 1 YEAR");
  Client second;
  REQUIRE(login(second, a.email, a.password).status == 302);  // login 2
  CHECK(sql_value(seen_now) == "1");                          // a login is a sight of the user
  Reply page = second.get("/auth/account");
  CHECK(page.status == 200);
  CHECK(page.contains("<title>Inkwell - Your Account</title>"));
  CHECK(between(page.body, "id=\"login-count\">", "</dd>") == "2");
  CHECK(between(page.body, "id=\"last-login\">", "</dd>").find("from " + first.address()) !=
        std::string::npos);
  CHECK(sql_value("SELECT l.current_login_ip FROM users u JOIN user_logins l ON l.user_id = u.id "
                  "WHERE u.username = " +
                  sql_quote(a.username)) == second.address());

  // Neither the API's Basic auth nor a remember-me restore is a login.
  sql("UPDATE users SET confirmed = TRUE WHERE username = " + sql_quote(a.username));
  Client script;
  REQUIRE(script.get("/api/v1/posts/", {basic(a.email, a.password)}).status == 200);
  Client remembered;
  REQUIRE(login(remembered, a.email, a.password, true).status == 302);  // login 3
  remembered.drop_cookie("session");
  set_last_seen(a.username, "NOW(6) - INTERVAL 1 YEAR");
  CHECK(remembered.get("/").contains("Hello, " + a.username + "!"));
  CHECK(sql_value(seen_now) == "1");  // and so is a restore
  CHECK(sql_value("SELECT l.login_count FROM users u JOIN user_logins l ON l.user_id = u.id "
                  "WHERE u.username = " +
                  sql_quote(a.username)) == "3");
}

TEST_CASE("account: every session, this device marked; ending one logs that browser out") {
  Client laptop;
  Account a = confirmed_user(laptop, "sess");
  Client phone;
  phone.set_user_agent(kFirefox);
  REQUIRE(login(phone, a.email, a.password, true).status == 302);

  Reply page = laptop.get("/auth/account");
  REQUIRE(page.status == 200);
  CHECK(session_ids(page).size() == 2);
  CHECK(occurrences(page.body, "this-device") == 1);
  CHECK(occurrences(page.body, "class=\"badge bg-secondary remembered\"") == 1);
  CHECK(page.contains("Firefox on Linux"));
  CHECK(page.contains(phone.address()));
  CHECK(page.contains(laptop.address()));
  std::string phone_session = other_session_id(page);
  REQUIRE(!phone_session.empty());

  // Another user cannot end it: 404, and it lives on.
  Client stranger;
  confirmed_user(stranger, "sess");
  CHECK(post_from_account(stranger, "/auth/sessions/" + phone_session + "/revoke").status == 404);
  CHECK(phone.get("/").contains("Hello, " + a.username + "!"));
  // Without the CSRF token: refused, nothing changes.
  CHECK(laptop.post("/auth/sessions/" + phone_session + "/revoke", "").status == 400);
  CHECK(sessions_of(a.username) == 2);

  Reply r = post_from_account(laptop, "/auth/sessions/" + phone_session + "/revoke");
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/auth/account");
  CHECK(follow_all(laptop, r).contains("The session has been logged out."));
  // The phone is logged out at its next request, remember-me cookie and all.
  CHECK(phone.get("/").contains("Hello, Stranger!"));
  CHECK(phone.get("/").contains("Hello, Stranger!"));
  CHECK(sessions_of(a.username) == 1);
  CHECK(remember_tokens_of(a.username) == 0);
  CHECK(laptop.get("/").contains("Hello, " + a.username + "!"));
  // An unknown session id is a 404 too.
  CHECK(post_from_account(laptop, "/auth/sessions/999999999/revoke").status == 404);
}

TEST_CASE("account: personal API tokens: shown once, stored hashed, used, revoked") {
  Client c;
  Account a = confirmed_user(c, "ptok");
  std::string token = new_token(c, "my script", "30");
  CHECK(token.rfind("ink_", 0) == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = " +
                  sql_quote(inkwell::security::sha256_hex(token))) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = " + sql_quote(token)) == 0);
  Reply page = c.get("/auth/account");
  CHECK(page.contains("my script"));
  CHECK(!page.contains(token));        // shown once
  CHECK(page.contains("never</td>"));  // not used yet

  CHECK(api_status(token) == 200);
  CHECK(api_status(token + "x") == 401);
  Reply after = c.get("/auth/account");
  CHECK(!between(after.body, "class=\"api-token\"", "</tr>").empty());
  // Used now, expiring in 30 days: two times, no "never".
  CHECK(between(after.body, "class=\"api-token\"", "</tr>").find("never") == std::string::npos);
  CHECK(between(after.body, "class=\"api-token\"", "</tr>").find("<time") != std::string::npos);
  // It cannot make a short-lived token either.
  Client api;
  CHECK(api.post("/api/v1/tokens/", "", "application/json", {basic(token, "")}).status == 401);

  std::string id = between(after.body, "data-token-id=\"", "\"");
  REQUIRE(!id.empty());
  Client stranger;
  confirmed_user(stranger, "ptok");
  CHECK(post_from_account(stranger, "/auth/tokens/" + id + "/revoke").status == 404);
  CHECK(api_status(token) == 200);
  Reply r = post_from_account(c, "/auth/tokens/" + id + "/revoke");
  REQUIRE(r.status == 302);
  CHECK(follow_all(c, r).contains("The token has been revoked."));
  CHECK(api_status(token) == 401);

  // Bad input changes nothing.
  for (const auto& [name, days] : std::vector<std::pair<std::string, std::string>>{
           {"", "30"}, {std::string(65, 'n'), "30"}, {"x", "-1"}, {"x", "3651"}, {"x", "1e3"}}) {
    Reply bad = post_from_account(c, "/auth/tokens", {{"name", name}, {"expires_days", days}});
    CHECK(bad.status == 302);
  }
  CHECK(sql_count("SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE "
                  "u.username = " +
                  sql_quote(a.username)) == 0);

  // Expired, and killed by a password change.
  std::string expiring = new_token(c, "expiring", "1");
  CHECK(api_status(expiring) == 200);
  sql("UPDATE api_tokens SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE token_hash = " +
      sql_quote(inkwell::security::sha256_hex(expiring)));
  CHECK(api_status(expiring) == 401);
  std::string forever = new_token(c, "forever", "0");
  CHECK(api_status(forever) == 200);
  const std::string fresh = "changed-" + a.password;
  REQUIRE(submit(c, "/auth/change-password",
                 {{"old_password", a.password}, {"password", fresh}, {"password2", fresh}})
              .status == 302);
  CHECK(api_status(forever) == 401);
}

TEST_CASE("account: a token's last use is written at most once a minute") {
  Client c;
  confirmed_user(c, "tokenuse");
  std::string token = new_token(c, "script", "30");
  const std::string match =
      " WHERE token_hash = " + sql_quote(inkwell::security::sha256_hex(token));
  const std::string where = " FROM api_tokens" + match;
  CHECK(sql_count("SELECT COUNT(*)" + where + " AND last_used_at IS NULL") == 1);
  CHECK(api_status(token) == 200);
  CHECK(sql_count("SELECT COUNT(*)" + where + " AND last_used_at > NOW(6) - INTERVAL 5 SECOND") ==
        1);
  // Used 30 s ago: a use now writes nothing; 61 s ago: it does.
  sql("UPDATE api_tokens SET last_used_at = NOW(6) - INTERVAL 30 SECOND" + match);
  const std::string before = sql_value("SELECT last_used_at" + where);
  CHECK(api_status(token) == 200);
  CHECK(api_status(token) == 200);
  CHECK(sql_value("SELECT last_used_at" + where) == before);
  sql("UPDATE api_tokens SET last_used_at = NOW(6) - INTERVAL 61 SECOND" + match);
  CHECK(api_status(token) == 200);
  CHECK(sql_count("SELECT COUNT(*)" + where + " AND last_used_at > NOW(6) - INTERVAL 5 SECOND") ==
        1);
}

TEST_CASE("account: a sign-in from a new browser or address is mailed once; it can be turned off") {
  const std::string subject = "[Inkwell] New sign-in to your Inkwell account";
  Client c;
  Account a = confirmed_user(c, "newsi");  // the first login ever: no mail
  CHECK(outbox(a.email, subject).empty());
  Client same_host(c.address());
  REQUIRE(login(same_host, a.email, a.password).status == 302);  // same address and browser
  CHECK(outbox(a.email, subject).empty());

  Client elsewhere;
  elsewhere.set_user_agent(kFirefox);
  REQUIRE(login(elsewhere, a.email, a.password).status == 302);
  auto mails = outbox(a.email, subject);
  REQUIRE(mails.size() == 1);
  CHECK(mails[0].text.find(elsewhere.address()) != std::string::npos);
  CHECK(mails[0].text.find("Firefox on Linux") != std::string::npos);
  CHECK(mails[0].text.find(base_url() + "/auth/account") != std::string::npos);
  CHECK(wait_for_mail(a.email, subject).size() == 1);
  // Not again for the same browser and address.
  Client again(elsewhere.address());
  again.set_user_agent(kFirefox);
  REQUIRE(login(again, a.email, a.password).status == 302);
  CHECK(outbox(a.email, subject).size() == 1);

  // Turned off: a new place sends nothing; turned on again, it does.
  Reply r = post_from_account(c, "/auth/account/sign-in-mail", {{"enabled", "0"}});
  REQUIRE(r.status == 302);
  CHECK(follow_all(c, r).contains("Turn on"));
  Client third;
  REQUIRE(login(third, a.email, a.password).status == 302);
  CHECK(outbox(a.email, subject).size() == 1);
  REQUIRE(post_from_account(c, "/auth/account/sign-in-mail", {{"enabled", "1"}}).status == 302);
  Client fourth;
  REQUIRE(login(fourth, a.email, a.password).status == 302);
  CHECK(outbox(a.email, subject).size() == 2);
}

TEST_CASE("account: the account menu links to the account page") {
  Client c;
  confirmed_user(c, "menu");
  CHECK(c.get("/").contains("<a class=\"dropdown-item\" href=\"/auth/account\">Account</a>"));
}

TEST_CASE("account: every POST of the page needs its csrf_token") {
  Client c;
  Account a = confirmed_user(c, "acsrf");
  std::string token = new_token(c, "kept", "0");
  const std::string before =
      sql("SELECT CONCAT(u.token_version, '|', u.new_signin_mail, '|', (SELECT COUNT(*) FROM "
          "api_tokens t WHERE t.user_id = u.id), '|', (SELECT COUNT(*) FROM sessions s WHERE "
          "s.user_id = u.id)) FROM users u WHERE u.username = " +
          sql_quote(a.username));
  Reply page = c.get("/auth/account");
  std::string token_id = between(page.body, "data-token-id=\"", "\"");
  std::string session_id = session_ids(page).at(0);
  for (const std::string& path :
       {std::string("/auth/tokens"), "/auth/tokens/" + token_id + "/revoke",
        "/auth/sessions/" + session_id + "/revoke", std::string("/auth/sessions/revoke-others"),
        std::string("/auth/account/sign-in-mail")}) {
    CAPTURE(path);
    CHECK(c.post(path, "name=x&expires_days=1&enabled=0").status == 400);
    CHECK(c.post(path, "name=x&expires_days=1&enabled=0&csrf_token=forged").status == 400);
  }
  CHECK(sql("SELECT CONCAT(u.token_version, '|', u.new_signin_mail, '|', (SELECT COUNT(*) FROM "
            "api_tokens t WHERE t.user_id = u.id), '|', (SELECT COUNT(*) FROM sessions s WHERE "
            "s.user_id = u.id)) FROM users u WHERE u.username = " +
            sql_quote(a.username)) == before);
  CHECK(api_status(token) == 200);
}
