// Handlers of the /auth area (SPEC §4).
#pragma once

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

}  // namespace inkwell::auth
