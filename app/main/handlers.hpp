// Handlers of the main area: home, profiles, posts, follows, comments.
#pragma once

#include "core/context.hpp"

namespace inkwell::main {

http::Response index(core::Context& ctx);

}  // namespace inkwell::main
