// The credentials of an HTTP Basic Authorization header (RFC 7617), decoded
// without looking anything up: the pure first step of API authentication.
#pragma once

#include <optional>
#include <string>

#include "core/http.hpp"

namespace inkwell::api {

struct BasicCredentials {
  std::string name;  // email, or a token
  std::string password;
};

// "Basic base64(name:password)" from the request's Authorization header, or
// nullopt when it is absent, another scheme, not strict base64, or has no
// ':' or an empty name. The password may be empty (a token as the name).
std::optional<BasicCredentials> basic_credentials(const http::Request& req);

}  // namespace inkwell::api
