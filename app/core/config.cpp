#include "core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <thread>

#include "core/security.hpp"

namespace inkwell::core {
namespace {

class Reader {
 public:
  explicit Reader(const EnvLookup& fn) : fn_(fn) {}

  void str(const char* name, std::string& out) const {
    if (const char* v = fn_(name)) out = v;
  }

  void integer(const char* name, int& out, int min, int max, int base = 10) const {
    const char* v = fn_(name);
    if (!v) return;
    std::string_view s(v);
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < min ||
        value > max) {
      throw ConfigError(std::string(name) + " must be an integer from " + std::to_string(min) +
                        " to " + std::to_string(max) + ", got '" + v + "'");
    }
    out = value;
  }

  void boolean(const char* name, bool& out) const {
    const char* v = fn_(name);
    if (!v) return;
    std::string s(v);
    if (s == "1" || s == "true" || s == "yes" || s == "on") {
      out = true;
    } else if (s == "0" || s == "false" || s == "no" || s == "off" || s.empty()) {
      out = false;
    } else {
      throw ConfigError(std::string(name) + " must be true or false, got '" + s + "'");
    }
  }

 private:
  const EnvLookup& fn_;
};

}  // namespace

std::vector<std::string> parse_db_hosts(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    if (item.front() != '/') {
      std::size_t colon = item.rfind(':');
      if (colon != std::string_view::npos) {
        std::string_view port = item.substr(colon + 1);
        int value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (colon == 0 || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
            value < 1 || value > 65535) {
          throw ConfigError("INKWELL_DB_HOSTS: '" + std::string(item) +
                            "' is neither a socket path nor host[:port]");
        }
      }
    }
    out.emplace_back(item);
  }
  if (out.empty()) throw ConfigError("INKWELL_DB_HOSTS is set but lists no server");
  return out;
}

Config load_config(const EnvLookup& getenv_fn) {
  Config c;
  Reader r(getenv_fn);
  r.str("INKWELL_ENV", c.env);
  if (c.env != "production" && c.env != "development" && c.env != "test") {
    throw ConfigError("INKWELL_ENV must be production, development or test, got '" + c.env + "'");
  }
  r.str("INKWELL_SECRET_KEY", c.secret_key);
  if (c.secret_key.empty()) {
    if (c.production()) {
      throw ConfigError("INKWELL_SECRET_KEY is required (refusing to start without a secret key)");
    }
    c.secret_key = "inkwell-" + c.env + "-only-key";
  } else if (c.production() && c.secret_key.size() < 16) {
    throw ConfigError("INKWELL_SECRET_KEY must be at least 16 characters");
  }
  r.str("INKWELL_BASE_URL", c.base_url);
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0) {
    throw ConfigError("INKWELL_BASE_URL must start with http:// or https://, got '" + c.base_url +
                      "'");
  }
  r.str("INKWELL_SOCKET", c.socket);
  r.integer("INKWELL_SOCKET_MODE", c.socket_mode, 0, 0777, 8);
  r.integer("INKWELL_WORKERS", c.workers, 1, 256);
  if (c.workers == 0)
    c.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  r.str("INKWELL_VIEWS", c.views_dir);
  r.str("INKWELL_MIGRATIONS", c.migrations_dir);

  r.str("INKWELL_DB_SOCKET", c.db_socket);
  r.str("INKWELL_DB_HOST", c.db_host);
  r.integer("INKWELL_DB_PORT", c.db_port, 1, 65535);
  r.str("INKWELL_DB_USER", c.db_user);
  r.str("INKWELL_DB_PASSWORD", c.db_password);
  r.str("INKWELL_DB_NAME", c.db_name);
  if (c.db_name.empty() || c.db_user.empty()) {
    throw ConfigError("INKWELL_DB_NAME and INKWELL_DB_USER must not be empty");
  }
  r.integer("INKWELL_DB_TIMEOUT_MS", c.db_timeout_ms, 100, 600 * 1000);
  if (const char* v = getenv_fn("INKWELL_DB_HOSTS")) c.db_hosts = parse_db_hosts(v);
  r.integer("INKWELL_DB_CONNECT_TIMEOUT_MS", c.db_connect_timeout_ms, 100, 600 * 1000);
  r.boolean("INKWELL_DB_SYNC_WAIT", c.db_sync_wait);
  r.integer("INKWELL_SLOW_QUERY_MS", c.slow_query_ms, 0, 3600 * 1000);
  r.integer("INKWELL_PAGE_CACHE_MS", c.page_cache_ms, 0, 3600 * 1000);
  r.integer("INKWELL_PAGE_CACHE_SYNC_MS", c.page_cache_sync_ms, 0, 3600 * 1000);

  r.str("INKWELL_MAIL_SERVER", c.mail_server);
  r.integer("INKWELL_MAIL_PORT", c.mail_port, 1, 65535);
  r.boolean("INKWELL_MAIL_USE_TLS", c.mail_use_tls);
  r.str("INKWELL_MAIL_USERNAME", c.mail_username);
  r.str("INKWELL_MAIL_PASSWORD", c.mail_password);
  r.str("INKWELL_MAIL_SENDER", c.mail_sender);
  r.str("INKWELL_ADMIN", c.admin_email);
  r.integer("INKWELL_MAIL_RETRY_MAX", c.mail_retry_max, 1, 86400);
  r.integer("INKWELL_MAIL_POLL_MS", c.mail_poll_ms, 10, 60000);
  r.integer("INKWELL_MAIL_TIMEOUT", c.mail_timeout, 1, 600);
  r.integer("INKWELL_MAIL_MAX_ATTEMPTS", c.mail_max_attempts, 1, 1000);

  r.str("INKWELL_PASSWORD_METHOD", c.password_method);
  if (!security::valid_password_method(c.password_method)) {
    throw ConfigError(
        "INKWELL_PASSWORD_METHOD is not a valid method (e.g. scrypt:32768:8:1 or "
        "pbkdf2:sha256:600000), got '" +
        c.password_method + "'");
  }
  r.integer("INKWELL_POSTS_PER_PAGE", c.posts_per_page, 1, 1000);
  r.integer("INKWELL_FOLLOWERS_PER_PAGE", c.followers_per_page, 1, 1000);
  r.integer("INKWELL_COMMENTS_PER_PAGE", c.comments_per_page, 1, 1000);
  r.integer("INKWELL_FEED_FANOUT_MAX", c.feed_fanout_max, 0, 100'000'000);
  r.str("INKWELL_AVATARS", c.avatars);
  if (c.avatars != "identicon" && c.avatars != "gravatar") {
    throw ConfigError("INKWELL_AVATARS must be identicon or gravatar, got '" + c.avatars + "'");
  }
  if (const char* v = getenv_fn("INKWELL_TRUSTED_PROXIES")) {
    try {
      c.trusted_proxies = TrustedProxies::parse(v);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("INKWELL_TRUSTED_PROXIES: ") + e.what());
    }
  }
  return c;
}

Config load_config_from_environment() {
  return load_config([](const char* name) { return std::getenv(name); });
}

}  // namespace inkwell::core
