// Every URL of the site, a line each: methods, pattern, handler, name, guard.
#include "routes.hpp"

#include "main/handlers.hpp"

namespace inkwell {

std::vector<core::Route> routes() {
  using namespace http;  // GET, POST: method bits
  return {
      {GET | POST, "/", main::index, "main.index"},
  };
}

}  // namespace inkwell
