// /api/v1/users/<id>, its posts and its timeline.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

http::Response user(core::Context& ctx) {
  return reply(user_json(http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")))));
}

http::Response user_posts(core::Context& ctx) {
  models::User u = http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")));
  models::PostPage list = models::author_posts_page(ctx.db, u.id, u.post_count,
                                                    core::page_param(ctx.req.query.get("page")),
                                                    ctx.config.posts_per_page);
  return reply(
      posts_page(list.posts, list.pagination, "/api/v1/users/" + std::to_string(u.id) + "/posts/"));
}

http::Response user_timeline(core::Context& ctx) {
  const std::int64_t id = ctx.req.param_int("id");
  // The caller's own timeline (what scripts read): authentication has just
  // read their row, so it is there and need not be read again.
  if (!ctx.user || ctx.user->id != id) http::or_404(models::find_user(ctx.db, id));
  models::PostPage feed = models::followed_feed(
      ctx.db, id, core::page_param(ctx.req.query.get("page")), ctx.config.posts_per_page);
  return reply(posts_page(feed.posts, feed.pagination,
                          "/api/v1/users/" + std::to_string(id) + "/timeline/"));
}

}  // namespace inkwell::api
