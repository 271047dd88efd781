// Context: everything a handler may use for one request, passed by
// reference; no request state lives in globals.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/http.hpp"
#include "core/router.hpp"

namespace inkwell::core {

class View;

struct Context {
  const Config& config;
  const Router& router;
  const View& view;
  Db& db;
  http::Request& req;

  std::string url_for(std::string_view name, std::initializer_list<std::string_view> args = {}) const {
    return router.url_for(name, args);
  }
};

}  // namespace inkwell::core
