#include "core/dispatcher.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/response_headers.hpp"
#include "core/session.hpp"

namespace inkwell::core {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_api(const http::Request& req) {
  return req.path.rfind("/api/", 0) == 0;
}

std::uint32_t random_u32() {
  static thread_local std::minstd_rand rng(static_cast<std::uint32_t>(getpid()));
  return static_cast<std::uint32_t>(rng());
}

bool is_safe_method(http::Method m) {
  return m == http::GET || m == http::HEAD;
}

// For the access log and the metrics (core/metrics.hpp).
void note_route(http::Request& req, const Router::Match& m) {
  req.route_index = m.index;
  req.quiet = m.route && m.route->guard.quiet;
}

void note_page_cache_hit(http::Request& req) {
  req.route_index = metrics::kPageCacheRoute;
  metrics::page_cache_hit();
}

}  // namespace

http::Response error_response(Context& ctx, int status, std::string_view message) {
  http::Response res;
  if (is_api(ctx.req) || ctx.req.wants_json()) {
    nlohmann::json body{{"error", lower(http::reason_phrase(status))}};
    if (!message.empty()) body["message"] = message;
    return http::Response::json(body.dump(), status);
  }
  try {
    std::string_view title = status == 404 ? "Page Not Found" : http::reason_phrase(status);
    Page page(ctx, "error.tpl", title);
    page.dict().SetIntValue("STATUS", status);
    page.dict().SetValue("MESSAGE", ctemplate::TemplateString(title.data(), title.size()));
    return page.render(status);
  } catch (const std::exception& e) {
    log("error page failed: ", e.what());
    res.status = status;
    res.header("Content-Type", "text/plain; charset=utf-8");
    res.body = std::string(http::reason_phrase(status)) + "\n";
    return res;
  }
}

Dispatcher::Dispatcher(const Config& config, std::vector<Route> routes, Pipeline pipeline,
                       SharedGeneration* generation, DbHealth* db_health)
    : config_(config),
      router_(std::move(routes)),
      view_(config.views_dir),
      db_(config, db_health),
      pipeline_(pipeline) {
  if (generation && config.page_cache_ms > 0) {
    cache_.emplace(*generation, std::chrono::milliseconds(config.page_cache_ms));
  }
  if (config.page_cache_sync_ms > 0) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    cache_host_ = std::string(host) + ":" + config.socket;
    if (cache_host_.size() > 255) cache_host_.resize(255);
  }
}

void Dispatcher::sync_cache_with_other_hosts() {
  if (cache_host_.empty() || !pipeline_.cache_generation_sum) return;
  if (!cache_->shared().remote_check_due(DbHealth::now_ms(), config_.page_cache_sync_ms)) return;
  try {
    cache_->shared().observe_remote(pipeline_.cache_generation_sum(db_));
  } catch (const sql::SQLException&) {
    db_.reset();  // the request itself finds out whether the database answers
  } catch (const std::exception&) {
  }
}

void Dispatcher::record_change_for_other_hosts() {
  if (cache_host_.empty() || !pipeline_.cache_bump) return;
  try {
    pipeline_.cache_bump(db_, cache_host_);
    // Our own bump is no news: the local generation moved already.
    if (pipeline_.cache_generation_sum) {
      cache_->shared().observe_remote(pipeline_.cache_generation_sum(db_));
    }
  } catch (const std::exception& e) {
    if (std::uint64_t n = cache_log_.record(DbHealth::now_ms())) {
      log("page cache: could not record a change for the other hosts (", n, "x): ", e.what());
    }
  }
}

http::Response Dispatcher::run(Context& ctx, const Route& route) {
  http::Request& req = ctx.req;
  // The same answer for everyone: no session, no cookies read or set.
  if (route.guard.stateless && is_safe_method(req.method)) return route.handler(ctx);
  // Galera: read what was committed on any node before this request.
  if (config_.db_sync_wait) db_.sync_wait();
  if (!is_api(req)) {
    if (const std::string* v = req.cookies.find(kCsrfCookie)) ctx.visitor_csrf = *v;
    if (const std::string* v = req.cookies.find(kFlashCookie)) {
      ctx.flashes_in = decode_flashes(config_.secret_key, *v);
    }
    if (pipeline_.identify) pipeline_.identify(ctx);
    // Every state-changing form is checked, whatever the handler reads.
    if (!is_safe_method(req.method) && !csrf_valid(ctx)) {
      log("csrf: refused ", req.method_name, ' ', req.path);
      return error_response(ctx, 400);
    }
    if (pipeline_.gate) {
      if (auto early = pipeline_.gate(ctx)) return std::move(*early);
    }
  } else if (pipeline_.authenticate_api) {
    if (auto early = pipeline_.authenticate_api(ctx)) return std::move(*early);
  }
  const Guard& g = route.guard;
  if ((g.login || g.permission) && !ctx.user) {
    if (pipeline_.login_redirect && !is_api(req)) return pipeline_.login_redirect(ctx);
    return error_response(ctx, 401, "Invalid credentials");
  }
  if (g.permission && !ctx.can(g.permission)) return error_response(ctx, 403);
  if (g.anonymous_only && ctx.user) return http::Response::redirect("/");
  return route.handler(ctx);
}

// The database cannot serve this request: 503 with Retry-After, and a log
// line at most once a second for the whole pool, with the count it stands for.
http::Response Dispatcher::unavailable_response(Context& ctx, std::string_view reason) {
  if (std::uint64_t n = db_.health().unavailable_log().record(DbHealth::now_ms())) {
    log("database unavailable: ", reason, " (", n, n == 1 ? " request" : " requests",
        " answered 503 since the last such line)");
  }
  http::Response res = error_response(ctx, 503);
  res.header("Retry-After", std::to_string(kRetryAfterSeconds));
  return res;
}

// Carries flashes to the next page, sets the cookies the request made and
// the headers of a personal or https response.
void Dispatcher::finish(Context& ctx, http::Response& res) {
  std::vector<Flash> pending;
  if (!ctx.flashes_shown) pending = ctx.flashes_in;
  if (res.status >= 300 && res.status < 400) {
    pending.insert(pending.end(), ctx.flashes_out.begin(), ctx.flashes_out.end());
  }
  if (!pending.empty()) {
    res.set_cookie(ctx.cookie(std::string(kFlashCookie),
                              encode_flashes(config_.secret_key, pending), std::nullopt));
  } else if (!ctx.flashes_in.empty() || ctx.req.cookies.has(kFlashCookie)) {
    res.delete_cookie(kFlashCookie);
  }
  for (const http::Cookie& c : ctx.cookies) {
    if (c.max_age && *c.max_age <= 0) {
      res.delete_cookie(c.name, c.path);
    } else {
      res.set_cookie(c);
    }
  }
  add_response_headers(ctx, res);
}

http::Response Dispatcher::handle(http::Request& req) {
  Context ctx(config_, router_, view_, db_, req);
  if (req.refused) {
    http::Response res = error_response(ctx, req.refused, req.refused_reason);
    add_response_headers(ctx, res);
    return res;
  }
  // A visitor's GET (no session, no flash) may be answered from the cache.
  const bool visitor_read = cache_ && is_safe_method(req.method) && !is_api(req) &&
                            !req.cookies.has(kSessionCookie) && !req.cookies.has(kRememberCookie) &&
                            !req.cookies.has(kFlashCookie);
  std::string cache_key;
  std::uint64_t generation = 0;
  if (visitor_read) {
    cache_key.reserve(req.path.size() + req.query_string.size() + 1);
    cache_key.append(req.path).append(1, '?').append(req.query_string);
    sync_cache_with_other_hosts();
    if (const http::Response* hit = cache_->find(cache_key)) {
      note_page_cache_hit(req);
      return *hit;
    }
    generation = cache_->generation();
  }
  db_.take_write_flag();
  Router::Match m = router_.match(req.method, req.path, req.path_params);
  note_route(req, m);
  if (!m.route) {
    // The error page shows the navbar of whoever is logged in.
    if (!is_api(req) && pipeline_.identify &&
        (req.cookies.has(kSessionCookie) || req.cookies.has(kRememberCookie))) {
      try {
        pipeline_.identify(ctx);
      } catch (const std::exception& e) {
        db_.reset();  // the page still goes out, for a visitor
        log("identify failed on ", req.path, ": ", e.what());
      }
    }
    http::Response res = error_response(ctx, m.allowed == 0 ? 404 : 405);
    if (m.allowed) res.header("Allow", http::methods_to_string(m.allowed));
    finish(ctx, res);
    return res;
  }
  const bool stateless = m.route->guard.stateless && is_safe_method(req.method);
  http::Response res;
  // Each attempt gets a fresh Context: a replay must not inherit anything the
  // failed attempt set (user, cookies, CSRF value, flashes, token flag...).
  std::optional<Context> attempt_ctx;
  for (int attempt = 0;; ++attempt) {
    Context& actx = attempt_ctx.emplace(config_, router_, view_, db_, req);
    db_.begin_unit();
    try {
      res = run(actx, *m.route);
    } catch (const http::HttpError& e) {
      res = error_response(actx, e.status, e.what());
    } catch (const DbUnavailable& e) {
      db_.reset();
      res = unavailable_response(actx, e.what());
    } catch (const sql::SQLException& e) {
      // A write conflict leaves a usable connection: its transaction was
      // rolled back as the stack unwound (Db::Transaction; a failed rollback
      // resets it there). Keeping it keeps its prepared statements, so the
      // replay prepares nothing inside its transaction (where a Galera abort
      // can go unreported: Db::prepare). Any other error drops it.
      if (!is_write_conflict(e)) db_.reset();
      // The server went away (reconnect, to the next of INKWELL_DB_HOSTS if
      // need be) or the unit of work lost to a concurrent one and was rolled
      // back (1213 at a Galera COMMIT): run it again, if nothing of it can
      // have been applied (or it is a read), a bounded number of times.
      if (may_replay(e, attempt, kMaxAttempts, is_safe_method(req.method),
                     db_.nothing_committed())) {
        if (is_write_conflict(e)) {
          if (std::uint64_t n = conflict_log_.record(DbHealth::now_ms())) {
            log("write conflict (error ", e.getErrorCode(), ") on ", req.method_name, ' ', req.path,
                ": running it again (", n, n == 1 ? " retry" : " retries",
                " since the last such line)");
          }
          // A short random pause, longer each time, lets the winner finish.
          std::this_thread::sleep_for(
              std::chrono::milliseconds((1 + static_cast<int>(random_u32() % 10)) * (attempt + 1)));
        }
        continue;
      }
      if (is_connection_lost(e) || is_write_conflict(e)) {
        res = unavailable_response(actx, e.what());
      } else {
        log("database error ", e.getErrorCode(), " on ", req.path, ": ", e.what());
        res = error_response(actx, 500);
      }
    } catch (const std::exception& e) {
      log("unhandled error on ", req.method_name, ' ', req.path, ": ", e.what());
      res = error_response(actx, 500);
    }
    break;
  }
  if (stateless) {
    // Whatever the answer, it is the same for everyone: only the transport
    // policy is added, never cookies or no-store.
    if (config_.https()) res.header("Strict-Transport-Security", std::string(kHstsPolicy));
    return res;
  }
  Context& answered = *attempt_ctx;  // the attempt whose response goes out
  finish(answered, res);
  if (cache_) {
    if (db_.take_write_flag()) {
      cache_->changed();  // every worker's pages are stale now
      record_change_for_other_hosts();
      db_.take_write_flag();
    }
    if (visitor_read && req.method == http::GET && res.status == 200 && !answered.user &&
        answered.shareable && !res.sets_cookie()) {
      cache_->store(cache_key, generation, res);
    }
  }
  return res;
}

}  // namespace inkwell::core
