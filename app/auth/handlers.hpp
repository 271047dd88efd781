// Handlers of the /auth area (SPEC §4).
#pragma once

#include <optional>

#include "core/context.hpp"

namespace inkwell::auth {

http::Response login(core::Context& ctx);
http::Response logout(core::Context& ctx);
http::Response register_user(core::Context& ctx);
http::Response confirm(core::Context& ctx);
http::Response resend_confirmation(core::Context& ctx);
http::Response unconfirmed(core::Context& ctx);
http::Response change_password(core::Context& ctx);
http::Response password_reset_request(core::Context& ctx);
http::Response password_reset(core::Context& ctx);
http::Response change_email_request(core::Context& ctx);
http::Response change_email(core::Context& ctx);
// account_page.cpp
http::Response account(core::Context& ctx);
http::Response set_signin_mail(core::Context& ctx);
http::Response revoke_session(core::Context& ctx);
http::Response revoke_other_sessions(core::Context& ctx);
http::Response create_api_token(core::Context& ctx);
http::Response revoke_api_token(core::Context& ctx);
// export.cpp
http::Response export_account(core::Context& ctx);

// two_factor_pages.cpp
http::Response two_factor(core::Context& ctx);
http::Response two_factor_setup(core::Context& ctx);
http::Response two_factor_enable(core::Context& ctx);
http::Response two_factor_disable(core::Context& ctx);
http::Response two_factor_verify(core::Context& ctx);

// The API's callers (api_auth.cpp): pipeline stage for /api/, HTTP Basic with
// email:password or token:"", and POST /api/v1/tokens/.
std::optional<http::Response> authenticate_api(core::Context& ctx);
http::Response new_api_token(core::Context& ctx);

}  // namespace inkwell::auth
