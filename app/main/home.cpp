// GET / — the home page.
#include "core/view.hpp"
#include "main/handlers.hpp"

namespace inkwell::main {

http::Response index(core::Context& ctx) {
  core::Page page(ctx, "index.tpl", "Home");
  page.dict().SetValue("NAME", ctx.user ? ctx.user->username : std::string("Stranger"));
  return page.render();
}

}  // namespace inkwell::main
