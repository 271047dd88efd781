// /api/v1/users/<id>, its posts and its timeline.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

namespace {

models::User user_or_404(core::Context& ctx) {
  auto u = models::find_user(ctx.db, ctx.req.param_int("id"));
  if (!u) throw http::HttpError(404);
  return *u;
}

}  // namespace

http::Response user(core::Context& ctx) { return reply(user_json(user_or_404(ctx))); }

http::Response user_posts(core::Context& ctx) {
  models::User u = user_or_404(ctx);
  auto page = page_of(ctx, ctx.config.posts_per_page, u.post_count);
  return reply(posts_page(models::posts_by_author(ctx.db, u.id, page.per_page, page.offset()),
                          page, "/api/v1/users/" + std::to_string(u.id) + "/posts/"));
}

http::Response user_timeline(core::Context& ctx) {
  models::User u = user_or_404(ctx);
  auto page = page_of(ctx, ctx.config.posts_per_page, models::count_followed_posts(ctx.db, u.id));
  return reply(posts_page(models::followed_posts(ctx.db, u.id, page.per_page, page.offset()),
                          page, "/api/v1/users/" + std::to_string(u.id) + "/timeline/"));
}

}  // namespace inkwell::api
