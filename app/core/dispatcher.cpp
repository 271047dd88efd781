#include "core/dispatcher.hpp"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

namespace inkwell::core {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_api(const http::Request& req) { return req.path.rfind("/api/", 0) == 0; }

}  // namespace

Dispatcher::Dispatcher(const Config& config, std::vector<Route> routes)
    : config_(config), router_(std::move(routes)), view_(config.views_dir), db_(config) {}

http::Response Dispatcher::error_page(Context& ctx, int status) {
  http::Response res;
  if (is_api(ctx.req) || ctx.req.wants_json()) {
    res = http::Response::json(
        nlohmann::json{{"error", lower(http::reason_phrase(status))}}.dump(), status);
  } else {
    try {
      std::string_view title = status == 404 ? "Page Not Found" : http::reason_phrase(status);
      Page page(ctx, "error.tpl", title);
      page.dict().SetIntValue("STATUS", status);
      page.dict().SetValue("MESSAGE", ctemplate::TemplateString(title.data(), title.size()));
      res = page.render(status);
    } catch (const std::exception& e) {
      std::cerr << "error page failed: " << e.what() << '\n';
      res.status = status;
      res.header("Content-Type", "text/plain; charset=utf-8");
      res.body = std::string(http::reason_phrase(status)) + "\n";
    }
  }
  return res;
}

http::Response Dispatcher::run(Context& ctx, const Route& route) {
  return route.handler(ctx);
}

http::Response Dispatcher::handle(http::Request& req) {
  Context ctx{config_, router_, view_, db_, req};
  Router::Match m = router_.match(req.method, req.path, req.path_params);
  if (!m.route) {
    if (m.allowed == 0) return error_page(ctx, 404);
    http::Response res = error_page(ctx, 405);
    res.header("Allow", http::methods_to_string(m.allowed));
    return res;
  }
  for (int attempt = 0;; ++attempt) {
    try {
      return run(ctx, *m.route);
    } catch (const http::HttpError& e) {
      return error_page(ctx, e.status);
    } catch (const DbUnavailable& e) {
      std::cerr << "database unavailable: " << e.what() << '\n';
      db_.reset();
      return error_page(ctx, 503);
    } catch (const sql::SQLException& e) {
      db_.reset();
      // The server went away: reconnect once; only a read may be replayed.
      bool replay = is_connection_lost(e) && attempt == 0 &&
                    (req.method == http::GET || req.method == http::HEAD);
      if (replay) continue;
      std::cerr << "database error " << e.getErrorCode() << " on " << req.path << ": " << e.what()
                << '\n';
      return error_page(ctx, is_connection_lost(e) ? 503 : 500);
    } catch (const std::exception& e) {
      std::cerr << "unhandled error on " << req.method_name << ' ' << req.path << ": " << e.what()
                << '\n';
      return error_page(ctx, 500);
    }
  }
}

}  // namespace inkwell::core
