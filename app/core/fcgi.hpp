// One FastCGI request ↔ http::Request / http::Response, and the worker's
// accept loop (libfcgi's re-entrant FCGX_* API).
#pragma once

#include <functional>

#include "core/client_address.hpp"
#include "core/http.hpp"

namespace inkwell::core {

using RequestHandler = std::function<http::Response(http::Request&)>;

// Runs after a response has gone out, before the next accept: work that no
// client should wait for.
using AfterResponse = std::function<void()>;

// Accepts and serves requests on listen_fd until the worker is asked to stop.
// Logs one line per request to stderr (method, path, status, total and
// database time, client address, request id, pid) and counts it in the
// metrics. X-Forwarded-For is believed from the trusted proxies only.
// Returns the worker's exit code.
int serve_fastcgi(int listen_fd, const TrustedProxies& trusted, const RequestHandler& handle,
                  const AfterResponse& after_response = nullptr);

}  // namespace inkwell::core
