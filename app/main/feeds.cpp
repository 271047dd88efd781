// Atom feeds of the newest posts: the site's (/feed.atom) and each user's
// (/user/<username>/feed.atom). The same document for every reader, so the
// routes are stateless and the answers cacheable.
#include "core/atom.hpp"
#include "core/text_summary.hpp"
#include "main/handlers.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::main {
namespace {

constexpr long kFeedEntries = 20;
constexpr std::size_t kEntryTitleChars = 80;
// Before the first post there is nothing newer than the epoch of the site.
constexpr std::string_view kEmptySiteUpdated = "2000-01-01T00:00:00Z";

std::vector<core::AtomEntry> entries(const core::Context& ctx,
                                     const std::vector<models::Post>& posts) {
  std::vector<core::AtomEntry> out;
  out.reserve(posts.size());
  for (const models::Post& p : posts) {
    const std::string url = ctx.config.base_url + ctx.url_for("main.post", {std::to_string(p.id)});
    std::string title = core::text_summary(p.body, kEntryTitleChars);
    if (title.empty()) title = "Post by " + p.author_username;
    out.push_back({url, std::move(title), p.timestamp, p.author_username, url, p.body_html});
  }
  return out;
}

http::Response atom_response(const core::AtomFeed& feed) {
  http::Response res;
  res.header("Content-Type", "application/atom+xml; charset=utf-8");
  // Feed readers poll; a few minutes old is fresh enough for them.
  res.header("Cache-Control", "public, max-age=300");
  res.body = core::atom_document(feed);
  return res;
}

}  // namespace

http::Response site_feed(core::Context& ctx) {
  core::AtomFeed feed;
  feed.self_url = ctx.config.base_url + ctx.url_for("main.site_feed");
  feed.id = feed.self_url;
  feed.title = "Inkwell";
  feed.html_url = ctx.config.base_url + "/";
  feed.updated = kEmptySiteUpdated;
  feed.entries = entries(ctx, models::recent_posts(ctx.db, kFeedEntries, 0));
  return atom_response(feed);
}

http::Response user_feed(core::Context& ctx) {
  auto u = http::or_404(models::find_user_by_username(ctx.db, ctx.req.param("username")));
  core::AtomFeed feed;
  feed.self_url = ctx.config.base_url + ctx.url_for("main.user_feed", {u.username});
  feed.id = feed.self_url;
  feed.title = "Inkwell - " + u.username;
  feed.html_url = ctx.config.base_url + ctx.url_for("main.user", {u.username});
  feed.updated = u.member_since;
  feed.entries = entries(ctx, models::posts_by_author(ctx.db, u.id, kFeedEntries, 0));
  return atom_response(feed);
}

}  // namespace inkwell::main
