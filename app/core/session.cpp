#include "core/session.hpp"

#include <nlohmann/json.hpp>

#include "core/security.hpp"

namespace inkwell::core {

std::string csrf_token_for(std::string_view secret, std::string_view kind,
                           std::string_view binding) {
  std::string data = "csrf|";
  data.append(kind).append("|").append(binding);
  return security::base64url_encode(security::hmac_sha256(secret, data));
}

std::string Context::csrf_token() {
  shareable = false;
  if (!session_id.empty()) return csrf_token_for(config.secret_key, "session", session_id);
  if (visitor_csrf.empty()) {
    visitor_csrf = security::random_token(32);
    cookies.push_back(cookie(std::string(kCsrfCookie), visitor_csrf, std::nullopt));
  }
  return csrf_token_for(config.secret_key, "visitor", visitor_csrf);
}

http::Cookie Context::cookie(std::string name, std::string value,
                             std::optional<long> max_age) const {
  http::Cookie c;
  c.name = std::move(name);
  c.value = std::move(value);
  c.max_age = max_age;
  c.secure = config.https();
  return c;
}

bool csrf_valid(const Context& ctx) {
  const std::string* sent = ctx.req.form.find("csrf_token");
  std::string header = ctx.req.header("x-csrf-token");
  std::string_view token = sent ? std::string_view(*sent) : std::string_view(header);
  if (token.empty()) return false;
  std::string expected;
  if (!ctx.session_id.empty()) {
    expected = csrf_token_for(ctx.config.secret_key, "session", ctx.session_id);
  } else if (!ctx.visitor_csrf.empty()) {
    expected = csrf_token_for(ctx.config.secret_key, "visitor", ctx.visitor_csrf);
  } else {
    return false;
  }
  return security::constant_time_equals(token, expected);
}

std::string encode_flashes(std::string_view secret, const std::vector<Flash>& flashes) {
  nlohmann::json j = nlohmann::json::array();
  for (const Flash& f : flashes) j.push_back({f.category, f.message});
  std::string payload = security::base64url_encode(j.dump());
  return payload + "." +
         security::base64url_encode(security::hmac_sha256(secret, "flash|" + payload));
}

std::vector<Flash> decode_flashes(std::string_view secret, std::string_view cookie) {
  std::vector<Flash> out;
  std::size_t dot = cookie.find('.');
  if (dot == std::string_view::npos) return out;
  std::string payload(cookie.substr(0, dot));
  std::string expected =
      security::base64url_encode(security::hmac_sha256(secret, "flash|" + payload));
  if (!security::constant_time_equals(cookie.substr(dot + 1), expected)) return out;
  auto text = security::base64url_decode(payload);
  if (!text) return out;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string()) {
      out.push_back({item[0].get<std::string>(), item[1].get<std::string>()});
    }
  }
  return out;
}

std::string client_fingerprint(const http::Request& req) {
  return security::sha256_hex(req.remote_addr + "\n" + req.header("user-agent"));
}

std::string id_hash(std::string_view raw_id) {
  return security::sha256_hex(raw_id);
}

}  // namespace inkwell::core
