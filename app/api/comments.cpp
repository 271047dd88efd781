// /api/v1/comments/, /api/v1/comments/<id>, /api/v1/posts/<id>/comments/.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

namespace {

// Moderators see what a disabled comment said; nobody else does.
bool shows_disabled(const core::Context& ctx) {
  return ctx.can(models::permission::kModerate);
}

}  // namespace

http::Response comments(core::Context& ctx) {
  auto page = page_of(ctx, ctx.config.comments_per_page, models::count_comments(ctx.db));
  return reply(comments_page(models::recent_comments(ctx.db, page.per_page, page.offset()),
                             shows_disabled(ctx), page, "/api/v1/comments/"));
}

http::Response comment(core::Context& ctx) {
  return reply(comment_json(http::or_404(models::find_comment(ctx.db, ctx.req.param_int("id"))),
                            shows_disabled(ctx)));
}

http::Response post_comments(core::Context& ctx) {
  models::Post p = http::or_404(models::find_post(ctx.db, ctx.req.param_int("id")));
  auto page = page_of(ctx, ctx.config.comments_per_page, p.comment_count);
  return reply(comments_page(models::comments_of_post(ctx.db, p.id, page.per_page, page.offset()),
                             shows_disabled(ctx), page,
                             "/api/v1/posts/" + std::to_string(p.id) + "/comments/"));
}

http::Response new_post_comment(core::Context& ctx) {
  require_permission(ctx, models::permission::kComment);
  models::Post p = http::or_404(models::find_post(ctx.db, ctx.req.param_int("id")));
  std::string body = body_field(ctx, "comment");
  models::create_comment(ctx.db, p.id, ctx.user->id, body);
  const std::int64_t id = models::created_comment_id(ctx.db);
  return created(ctx, comment_json(*models::find_comment(ctx.db, id), shows_disabled(ctx)),
                 "/api/v1/comments/" + std::to_string(id));
}

}  // namespace inkwell::api
