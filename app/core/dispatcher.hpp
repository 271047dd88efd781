// The request pipeline of a worker: route → guards → handler → response,
// with the one try/catch that turns errors into pages (JSON for API clients).
#pragma once

#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/http.hpp"
#include "core/router.hpp"
#include "core/view.hpp"

namespace inkwell::core {

class Dispatcher {
 public:
  Dispatcher(const Config& config, std::vector<Route> routes);
  http::Response handle(http::Request& req);

 private:
  http::Response run(Context& ctx, const Route& route);
  http::Response error_page(Context& ctx, int status);

  const Config& config_;
  Router router_;
  View view_;
  Db db_;
};

}  // namespace inkwell::core
