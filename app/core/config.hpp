// Config: every setting of SPEC §9, read from the environment and validated
// once at start. A bad value is a ConfigError with a message for the operator.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/client_address.hpp"

namespace inkwell::core {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string env = "production";  // production | development | test
  std::string secret_key;
  std::string base_url = "http://127.0.0.1:8080";
  std::string socket = "/run/inkwell/inkwell.sock";  // FastCGI listen socket
  int socket_mode = 0660;
  int workers = 0;  // 0 = number of cores
  std::string views_dir = "/usr/local/share/inkwell/views";
  std::string migrations_dir = "/usr/local/share/inkwell/sql/migrations";

  std::string db_socket;  // unix socket; when empty, host/port is used
  std::string db_host = "127.0.0.1";
  int db_port = 3306;
  std::string db_user = "inkwell";
  std::string db_password;
  std::string db_name = "inkwell";
  // Several database servers (a Galera cluster), tried in this order on
  // connect: unix socket paths ("/...") or host[:port]. When set, it
  // replaces db_socket / db_host / db_port.
  std::vector<std::string> db_hosts;
  int db_connect_timeout_ms = 1000;  // per server of db_hosts (whole seconds)
  // Galera: each request that may read its own earlier writes (a session, a
  // flash or API credentials) first waits until this node has applied every
  // write committed anywhere before it (wsrep_sync_wait): read-your-writes
  // across hosts.
  bool db_sync_wait = false;
  int db_timeout_ms = 5000;  // connect, read and write timeouts of the database
  int slow_query_ms = 100;
  int page_cache_ms = 2000;  // visitors' pages kept this long at most; 0 = off
  // Several app hosts: a writing request also bumps this host's row of
  // page_cache_generations, and a host reads their sum at most every this
  // many ms, dropping its cached pages when it moved; 0 = off (one host).
  int page_cache_sync_ms = 0;

  std::string mail_server = "127.0.0.1";
  int mail_port = 25;
  bool mail_use_tls = false;
  std::string mail_username;
  std::string mail_password;
  std::string mail_sender = "Inkwell Admin <inkwell@example.com>";
  std::string admin_email;
  int mail_retry_max = 300;   // seconds: the mailer's back-off ceiling
  int mail_poll_ms = 1000;    // how often the mailer looks at the outbox
  int mail_timeout = 10;      // seconds: SMTP connect, greeting and each later step
  int mail_max_attempts = 5;  // permanent (5xx) refusals before a message is given up

  std::string password_method = "scrypt:32768:8:1";
  int posts_per_page = 20;
  int followers_per_page = 50;
  int comments_per_page = 30;
  // An author with at least this many followers is not fanned out: their
  // new posts are merged into their followers' feeds when read
  // (models/feed.hpp). 0: nobody's posts are fanned out.
  int feed_fanout_max = 500;
  // Where avatars come from: "identicon" (drawn here, /avatar/<hash>.svg) or
  // "gravatar" (the users' Gravatar images; their browsers then ask Gravatar).
  std::string avatars = "identicon";
  // Reverse proxies (load balancers) whose X-Forwarded-For is believed
  // (INKWELL_TRUSTED_PROXIES); empty: the peer address is the client's.
  TrustedProxies trusted_proxies;

  // The database timeouts as the connector takes them: whole seconds,
  // rounded up.
  int db_timeout_seconds() const { return (db_timeout_ms + 999) / 1000; }
  bool https() const { return base_url.rfind("https://", 0) == 0; }
  bool production() const { return env == "production"; }
};

// INKWELL_DB_HOSTS: comma-separated socket paths or host[:port], in order.
std::vector<std::string> parse_db_hosts(std::string_view list);

// Reads Config from a getenv-like function (tests pass their own).
using EnvLookup = std::function<const char*(const char*)>;
Config load_config(const EnvLookup& getenv_fn);
Config load_config_from_environment();

}  // namespace inkwell::core
