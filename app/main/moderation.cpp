// Comment moderation (/moderate and its Enable / Disable buttons). The route
// table demands MODERATE for all three.
#include "core/view.hpp"
#include "main/handlers.hpp"
#include "main/post_list.hpp"
#include "models/comment.hpp"

namespace inkwell::main {
namespace {

http::Response set_disabled(core::Context& ctx, bool disabled) {
  const std::int64_t id = ctx.req.param_int("id");
  if (!models::find_comment(ctx.db, id)) throw http::HttpError(404);
  models::set_comment_disabled(ctx.db, id, disabled);
  // Back to the page the button was on (a hidden field, or ?page= in the action).
  const std::string* field = ctx.req.form.find("page");
  long page = core::page_param(field ? *field : ctx.req.query.get("page"));
  if (page < 1) page = 1;
  return http::Response::redirect(ctx.url_for("main.moderate") + "?page=" + std::to_string(page));
}

}  // namespace

http::Response moderate(core::Context& ctx) {
  const core::Pagination p =
      core::paginate(core::page_param(ctx.req.query.get("page")), ctx.config.comments_per_page,
                     models::count_comments(ctx.db));
  std::vector<models::Comment> comments;  // none past the end: no query
  if (p.offset() < p.total) comments = models::recent_comments(ctx.db, p.per_page, p.offset());
  core::Page page(ctx, "moderate.tpl", "Comment Moderation");
  fill_comments(ctx, page.dict(), comments, p.page);
  fill_pagination(page.dict(), p, ctx.url_for("main.moderate"));
  return page.render();
}

http::Response moderate_enable(core::Context& ctx) {
  return set_disabled(ctx, false);
}

http::Response moderate_disable(core::Context& ctx) {
  return set_disabled(ctx, true);
}

}  // namespace inkwell::main
