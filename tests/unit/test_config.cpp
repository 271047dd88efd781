#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/config.hpp"

namespace {

inkwell::core::Config load(const std::map<std::string, std::string>& env) {
  return inkwell::core::load_config([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace

TEST_CASE("production refuses to start without a secret key") {
  CHECK_THROWS_AS(load({}), inkwell::core::ConfigError);
  CHECK_THROWS_AS(load({{"INKWELL_ENV", "production"}, {"INKWELL_SECRET_KEY", ""}}),
                  inkwell::core::ConfigError);
  CHECK_THROWS_AS(load({{"INKWELL_SECRET_KEY", "short"}}), inkwell::core::ConfigError);
  auto c = load({{"INKWELL_SECRET_KEY", "0123456789abcdef0123"}});
  CHECK(c.production());
  CHECK(c.secret_key == "0123456789abcdef0123");
}

TEST_CASE("development and test run without a secret key") {
  CHECK_NOTHROW(load({{"INKWELL_ENV", "development"}}));
  auto c = load({{"INKWELL_ENV", "test"}});
  CHECK(!c.secret_key.empty());
  CHECK_THROWS_AS(load({{"INKWELL_ENV", "staging"}}), inkwell::core::ConfigError);
}

TEST_CASE("defaults follow SPEC §9") {
  auto c = load({{"INKWELL_ENV", "test"}});
  CHECK(c.posts_per_page == 20);
  CHECK(c.followers_per_page == 50);
  CHECK(c.comments_per_page == 30);
  CHECK(c.feed_fanout_max == 500);
  CHECK(c.password_method == "scrypt:32768:8:1");
  CHECK(c.mail_sender == "Inkwell Admin <inkwell@example.com>");
  CHECK(c.workers >= 1);
  CHECK(!c.https());
}

TEST_CASE("values are read and validated") {
  auto c = load({{"INKWELL_ENV", "test"},
                 {"INKWELL_BASE_URL", "https://blog.example.com/"},
                 {"INKWELL_WORKERS", "4"},
                 {"INKWELL_SOCKET_MODE", "0666"},
                 {"INKWELL_MAIL_USE_TLS", "true"},
                 {"INKWELL_MAIL_PORT", "587"},
                 {"INKWELL_POSTS_PER_PAGE", "10"},
                 {"INKWELL_FEED_FANOUT_MAX", "0"}});
  CHECK(c.base_url == "https://blog.example.com");
  CHECK(c.https());
  CHECK(c.workers == 4);
  CHECK(c.socket_mode == 0666);
  CHECK(c.mail_use_tls);
  CHECK(c.mail_port == 587);
  CHECK(c.posts_per_page == 10);
  CHECK(c.feed_fanout_max == 0);  // nobody's posts are fanned out
}

TEST_CASE("bad values are refused with the variable's name") {
  using E = inkwell::core::ConfigError;
  const std::map<std::string, std::string> bad[] = {
      {{"INKWELL_WORKERS", "0"}},
      {{"INKWELL_WORKERS", "two"}},
      {{"INKWELL_WORKERS", "3x"}},
      {{"INKWELL_WORKERS", ""}},
      {{"INKWELL_DB_PORT", "70000"}},
      {{"INKWELL_MAIL_PORT", "-1"}},
      {{"INKWELL_MAIL_USE_TLS", "maybe"}},
      {{"INKWELL_BASE_URL", "ftp://x"}},
      {{"INKWELL_POSTS_PER_PAGE", "0"}},
      {{"INKWELL_FEED_FANOUT_MAX", "-1"}},
      {{"INKWELL_FEED_FANOUT_MAX", "many"}},
      {{"INKWELL_SOCKET_MODE", "999"}},
      {{"INKWELL_DB_NAME", ""}},
      {{"INKWELL_PASSWORD_METHOD", "md5"}},
      {{"INKWELL_PASSWORD_METHOD", "scrypt:3:8:1"}},
  };
  for (auto env : bad) {
    env["INKWELL_ENV"] = "test";
    std::string name =
        env.begin()->first == "INKWELL_ENV" ? std::next(env.begin())->first : env.begin()->first;
    try {
      load(env);
      FAIL("accepted a bad " << name);
    } catch (const E& e) {
      CHECK_MESSAGE(std::string(e.what()).find(name) != std::string::npos, e.what());
    }
  }
}

TEST_CASE("INKWELL_DB_TIMEOUT_MS: 5000 by default, whole seconds for the connector") {
  auto dev = [](std::map<std::string, std::string> env) {
    env["INKWELL_ENV"] = "development";
    return load(env);
  };
  CHECK(dev({}).db_timeout_ms == 5000);
  CHECK(dev({}).db_timeout_seconds() == 5);
  CHECK(dev({{"INKWELL_DB_TIMEOUT_MS", "2500"}}).db_timeout_seconds() == 3);  // rounded up
  CHECK(dev({{"INKWELL_DB_TIMEOUT_MS", "1000"}}).db_timeout_seconds() == 1);
  CHECK(dev({{"INKWELL_DB_TIMEOUT_MS", "100"}}).db_timeout_seconds() == 1);
  CHECK_THROWS_AS(dev({{"INKWELL_DB_TIMEOUT_MS", "0"}}), inkwell::core::ConfigError);
  CHECK_THROWS_AS(dev({{"INKWELL_DB_TIMEOUT_MS", "5s"}}), inkwell::core::ConfigError);
}

TEST_CASE("avatars are our identicons unless Gravatar is asked for") {
  const std::map<std::string, std::string> dev = {{"INKWELL_ENV", "development"}};
  CHECK(load(dev).avatars == "identicon");
  auto env = dev;
  env["INKWELL_AVATARS"] = "gravatar";
  CHECK(load(env).avatars == "gravatar");
  env["INKWELL_AVATARS"] = "libravatar";
  CHECK_THROWS_AS(load(env), inkwell::core::ConfigError);
}

TEST_CASE("INKWELL_DB_HOSTS: socket paths and host[:port] in order; the cluster settings") {
  auto c = load({{"INKWELL_ENV", "test"},
                 {"INKWELL_DB_HOSTS", "/run/a.sock, db2:3307 ,db3"},
                 {"INKWELL_DB_CONNECT_TIMEOUT_MS", "500"},
                 {"INKWELL_DB_SYNC_WAIT", "1"},
                 {"INKWELL_PAGE_CACHE_SYNC_MS", "250"}});
  REQUIRE(c.db_hosts.size() == 3);
  CHECK(c.db_hosts[0] == "/run/a.sock");
  CHECK(c.db_hosts[1] == "db2:3307");
  CHECK(c.db_hosts[2] == "db3");
  CHECK(c.db_connect_timeout_ms == 500);
  CHECK(c.db_sync_wait);
  CHECK(c.page_cache_sync_ms == 250);
  auto d = load({{"INKWELL_ENV", "test"}});
  CHECK(d.db_hosts.empty());
  CHECK_FALSE(d.db_sync_wait);
  CHECK(d.page_cache_sync_ms == 0);
  CHECK_THROWS_AS(load({{"INKWELL_ENV", "test"}, {"INKWELL_DB_HOSTS", " , "}}),
                  inkwell::core::ConfigError);
  CHECK_THROWS_AS(load({{"INKWELL_ENV", "test"}, {"INKWELL_DB_HOSTS", "db:99999"}}),
                  inkwell::core::ConfigError);
  CHECK_THROWS_AS(load({{"INKWELL_ENV", "test"}, {"INKWELL_DB_HOSTS", "db:x"}}),
                  inkwell::core::ConfigError);
}
