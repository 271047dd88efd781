// FastCGI parameters and body → http::Request. Only parsing, no FCGX stream
// or socket, so it can be unit tested and fuzzed with any bytes nginx might
// pass on.
#pragma once

#include <functional>

#include "core/client_address.hpp"
#include "core/http.hpp"

namespace inkwell::core {

// Reads up to n bytes of the request body into buf and returns how many it
// read (fewer at the end of the input), or -1 on error: FCGX_GetStr's contract.
using BodyReader = std::function<int(char* buf, int n)>;

// The request described by envp (libfcgi's parameters: "NAME=value" strings,
// null-terminated) and the body read_body yields (CONTENT_LENGTH bytes). When
// the request is unacceptable, refused is the status to answer with (400
// malformed, 413 body too large) and refused_reason says why. remote_addr is
// the client's address behind the trusted proxies (core::client_address),
// peer_addr the socket peer nginx saw.
http::Request request_from_params(char** envp, const BodyReader& read_body,
                                  const TrustedProxies& trusted = TrustedProxies());

}  // namespace inkwell::core
