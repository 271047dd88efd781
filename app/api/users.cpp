// /api/v1/users/<id>, its posts and its timeline.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

http::Response user(core::Context& ctx) {
  return reply(user_json(http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")))));
}

http::Response user_posts(core::Context& ctx) {
  models::User u = http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")));
  auto page = page_of(ctx, ctx.config.posts_per_page, u.post_count);
  return reply(posts_page(models::posts_by_author(ctx.db, u.id, page.per_page, page.offset()), page,
                          "/api/v1/users/" + std::to_string(u.id) + "/posts/"));
}

http::Response user_timeline(core::Context& ctx) {
  models::User u = http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")));
  models::PostPage feed = models::followed_feed(
      ctx.db, u.id, core::page_param(ctx.req.query.get("page")), ctx.config.posts_per_page);
  return reply(posts_page(feed.posts, feed.pagination,
                          "/api/v1/users/" + std::to_string(u.id) + "/timeline/"));
}

}  // namespace inkwell::api
