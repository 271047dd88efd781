// A small HTTP client for integration tests (libcurl): one cookie jar per
// Client, no automatic redirects, everything through the test stack's nginx.
#pragma once

#include <curl/curl.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace itest {

struct Reply {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const;
  bool contains(const std::string& s) const { return body.find(s) != std::string::npos; }
};

// The stack under test: INKWELL_TEST_URL and INKWELL_TEST_STACK_DIR.
std::string base_url();
std::string stack_dir();
// The stack's name for tests/stack/*.sh (INKWELL_TEST_STACK: test, cluster)
// and the script that stops and starts its database (INKWELL_TEST_DB_SCRIPT:
// tests/stack/mariadb.sh, or galera.sh for all nodes of the cluster).
std::string stack_name();
std::string db_script();
// Where nginx logs (INKWELL_TEST_NGINX_LOG_DIR: the cluster's one nginx logs
// in var/cluster/log, not in a host's directory), and every app host's pool
// log as shell words (INKWELL_TEST_POOL_LOGS).
std::string nginx_log_dir();
std::string pool_logs();
// Waits out the bound within which another app host's visitor page cache
// sees a write (INKWELL_PAGE_CACHE_SYNC_MS; 0, no wait, on one host).
void settle_page_caches();
std::string env_or(const char* name, const std::string& fallback);
// Runs a shell command, returns its stdout; exit status in *status if given.
std::string run(const std::string& command, int* status = nullptr);
// 'text' quoted for /bin/sh.
std::string shell_quote(const std::string& text);
// The admin command line under test (INKWELL_BUILD_DIR, default build/).
std::string inkwell_binary();
// Runs `[env] inkwell ARGS` with an empty stdin, stderr joined to stdout.
std::string inkwell_cli(const std::string& args, int* status, const std::string& env = "");

// Each Client is a host of its own: it connects from its own loopback
// address (127.1.x.y), so that per-address limits (login throttling, mail
// requests) of one test never fall on another. A client that must look like
// the same host as another is made with that one's address().
class Client {
 public:
  Client();
  explicit Client(std::string source_address);
  const std::string& address() const { return address_; }
  Reply get(const std::string& path, const std::vector<std::string>& headers = {});
  Reply post(const std::string& path, const std::string& body,
             const std::string& content_type = "application/x-www-form-urlencoded",
             const std::vector<std::string>& headers = {});
  Reply request(const std::string& method, const std::string& path, const std::string& body,
                const std::vector<std::string>& headers);
  // Follows a redirect reply once (GET on its Location).
  Reply follow(const Reply& r);
  std::string cookie(const std::string& name) const;
  void drop_cookie(const std::string& name);
  void set_user_agent(const std::string& ua) { user_agent_ = ua; }
  // A header sent with every request of this client ("X-Forwarded-For: …":
  // a load balancer).
  void add_header(std::string header) { extra_headers_.push_back(std::move(header)); }

 private:
  struct Deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  std::unique_ptr<CURL, Deleter> curl_;
  std::string user_agent_ = "inkwell-tests";
  std::vector<std::string> extra_headers_;
  std::string address_;
};

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace itest
