// /api/v1/posts/ and /api/v1/posts/<id>.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

http::Response posts(core::Context& ctx) {
  models::PostPage list = models::recent_posts_page(
      ctx.db, core::page_param(ctx.req.query.get("page")), ctx.config.posts_per_page);
  return reply(posts_page(list.posts, list.pagination, "/api/v1/posts/"));
}

http::Response new_post(core::Context& ctx) {
  require_permission(ctx, models::permission::kWrite);
  std::string body = body_field(ctx, "post");
  models::create_post(ctx.db, ctx.user->id, body, ctx.config.feed_fanout_max);
  const std::int64_t id = models::created_post_id(ctx.db);
  auto p = models::find_post(ctx.db, id);
  return created(ctx, post_json(*p), "/api/v1/posts/" + std::to_string(id));
}

http::Response post(core::Context& ctx) {
  return reply(post_json(http::or_404(models::find_post(ctx.db, ctx.req.param_int("id")))));
}

http::Response edit_post(core::Context& ctx) {
  models::Post p = http::or_404(models::find_post(ctx.db, ctx.req.param_int("id")));
  if (ctx.user->id != p.author_id) require_permission(ctx, models::permission::kAdmin);
  models::update_post(ctx.db, p.id, body_field(ctx, "post"));
  return reply(post_json(*models::find_post(ctx.db, p.id)));
}

}  // namespace inkwell::api
