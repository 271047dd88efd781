// Real client addresses behind a load balancer: the test stack trusts
// 127.0.0.2 and 127.0.0.3 (INKWELL_TRUSTED_PROXIES in tests/stack/env.sh), so
// a client bound to either is a fake proxy whose X-Forwarded-For names the
// client. Throttling, session binding and the logs use that address; any
// other peer's X-Forwarded-For is ignored.
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// 198.18.0.0/15 (benchmarking addresses): never a real client of the stack.
std::string forwarded_address() {
  static std::atomic<unsigned> next{0};
  unsigned n = next++ + static_cast<unsigned>(getpid()) * 64u;
  return "198.18." + std::to_string((n / 250) % 250) + "." + std::to_string(n % 250 + 1);
}

// A client arriving through the fake load balancer at proxy_address for the
// client at `client_address`.
Client through_proxy(const std::string& client_address,
                     const std::string& proxy_address = "127.0.0.2") {
  Client c(proxy_address);
  c.add_header("X-Forwarded-For: " + client_address);
  return c;
}

long failures_of(const std::string& address) {
  return sql_count("SELECT COUNT(*) FROM login_failures WHERE address = " + sql_quote(address));
}

}  // namespace

TEST_CASE("proxy: throttling counts the forwarded address, not the proxy") {
  Account owner = new_account("prx");
  register_ok(owner);
  const std::string a = forwarded_address(), b = forwarded_address();
  Client sprayer = through_proxy(a);
  for (int i = 0; i < 20; ++i) {
    Reply r = login(sprayer, unique("spray") + "@example.com", "guess");
    REQUIRE(r.status == 200);
  }
  CHECK(failures_of(a) == 20);
  CHECK(failures_of("127.0.0.2") == 0);
  // That address is blocked, even with the right password...
  CHECK(login(sprayer, owner.email, owner.password).status == 429);
  // ... another client behind the same proxy is not.
  Client neighbour = through_proxy(b);
  CHECK(login(neighbour, owner.email, owner.password).status == 302);
  // A client that sends its own X-Forwarded-For only adds to the left of
  // the proxy's entry: claiming to be the blocked address changes nothing.
  Client forger = through_proxy(a + ", " + b);
  CHECK(login(forger, owner.email, owner.password).status == 302);
}

TEST_CASE("proxy: an untrusted peer's X-Forwarded-For is ignored") {
  const std::string claimed = forwarded_address();
  Client direct;  // 127.1.x.y: not a trusted proxy
  direct.add_header("X-Forwarded-For: " + claimed);
  Reply r = login(direct, unique("nobody") + "@example.com", "guess");
  CHECK(r.status == 200);
  CHECK(failures_of(claimed) == 0);
  CHECK(failures_of(direct.address()) == 1);
}

TEST_CASE("proxy: a session survives a balancer with several source addresses, not a new client") {
  const std::string home = forwarded_address();
  Client c = through_proxy(home);
  Account who = confirmed_user(c, "prxs");
  Reply page = c.get("/");
  REQUIRE(page.contains("Hello, " + who.username + "!"));
  const std::string cookie = "session=" + c.cookie("session");
  // The same client through the balancer's other address: still logged in.
  Client other_proxy = through_proxy(home, "127.0.0.3");
  CHECK(get_with_cookie(other_proxy, "/", cookie).contains("Hello, " + who.username + "!"));
  // The login record keeps the client's address, not the proxy's.
  CHECK(sql_count("SELECT COUNT(*) FROM users u JOIN user_logins l ON l.user_id = u.id "
                  "WHERE u.username = " +
                  sql_quote(who.username) + " AND l.current_login_ip = " + sql_quote(home)) == 1);
  // The cookie replayed from another client address is logged out (the
  // session is bound to its client).
  Client elsewhere = through_proxy(forwarded_address(), "127.0.0.3");
  CHECK(get_with_cookie(elsewhere, "/", cookie).contains("Hello, Stranger!"));
}
