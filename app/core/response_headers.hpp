// The headers the pipeline decides per response, from who asked and what the
// page holds. The site-wide ones (CSP, frame, nosniff, referrer policy) come
// from nginx: nginx/security-headers.conf.
#pragma once

#include <string_view>

#include "core/context.hpp"
#include "core/http.hpp"

namespace inkwell::core {

// One year; not includeSubDomains: other hosts of the domain are not ours.
inline constexpr std::string_view kHstsPolicy = "max-age=31536000";

// True when the response is meant for this client alone: the caller is
// logged in or sent a login cookie, the page holds a CSRF token, or the
// response sets a cookie.
bool is_personal(const Context& ctx, const http::Response& res);

// Cache-Control: no-store on a personal response (no browser or proxy keeps
// it), and Strict-Transport-Security when the base URL is https.
void add_response_headers(const Context& ctx, http::Response& res);

}  // namespace inkwell::core
