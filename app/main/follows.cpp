// /follow/<username>, /unfollow/<username>, /followers/<username> and
// /followed_by/<username>.
#include <ctime>

#include "core/pagination.hpp"
#include "core/view.hpp"
#include "main/handlers.hpp"
#include "main/post_list.hpp"
#include "main/profile_fields.hpp"
#include "models/follow.hpp"
#include "models/user.hpp"

// The names set for every row (50 a page), hashed once at start rather than
// per use (ctemplate's StaticTemplateString; STS_INIT wants the global scope).
static const ctemplate::StaticTemplateString kTplEntry = STS_INIT(kTplEntry, "ENTRY");
static const ctemplate::StaticTemplateString kTplUsername = STS_INIT(kTplUsername, "USERNAME");
static const ctemplate::StaticTemplateString kTplUrl = STS_INIT(kTplUrl, "URL");
static const ctemplate::StaticTemplateString kTplAvatarUrl = STS_INIT(kTplAvatarUrl, "AVATAR_URL");

namespace inkwell::main {
namespace {

using Lister = std::vector<models::FollowEntry> (*)(core::Db&, std::int64_t, long, long);

// The user and the asked page of the list: one statement, but for the last
// page (?page=-1), whose offset needs the user's count first.
models::UserFollows read_follow_list(core::Context& ctx, bool followers, core::Pagination& p) {
  const long asked = core::page_param(ctx.req.query.get("page"));
  const long per_page = ctx.config.followers_per_page;
  auto count = [followers](const models::User& u) {
    return followers ? u.followers_count : u.following_count;
  };
  if (const std::optional<long> offset = core::offset_from_start(asked, per_page)) {
    auto found = http::or_404(
        models::user_follows_page(ctx.db, ctx.req.param("username"), followers, per_page, *offset));
    p = core::paginate(asked, per_page, count(found.user));
    return found;
  }
  models::UserFollows out{
      http::or_404(models::find_user_by_username(ctx.db, ctx.req.param("username"))), {}};
  p = core::paginate(asked, per_page, count(out.user));
  Lister list = followers ? models::followers_of : models::followed_by;
  out.entries = list(ctx.db, out.user.id, p.per_page, p.offset());
  return out;
}

// One of the two lists of a user's follows, 50 a page, newest first.
http::Response follow_list(core::Context& ctx, std::string_view route, std::string_view title,
                           std::string_view empty_text, bool followers) {
  core::Pagination p;
  const models::UserFollows found = read_follow_list(ctx, followers, p);
  const models::User& u = found.user;
  const std::string heading = std::string(title) + " " + u.username;
  core::Page page(ctx, "followers.tpl", heading);
  ctemplate::TemplateDictionary& d = page.dict();
  d.SetValue("HEADING", heading);
  d.SetValue("PROFILE_URL", ctx.url_for("main.user", {u.username}));

  const std::vector<models::FollowEntry>& entries = found.entries;
  const std::time_t now = std::time(nullptr);
  for (const models::FollowEntry& e : entries) {
    ctemplate::TemplateDictionary* row = d.AddSectionDictionary(kTplEntry);
    row->SetValue(kTplUsername, core::ts(e.username));
    row->SetValue(kTplUrl, ctx.url_for("main.user", {e.username}));
    row->SetValue(kTplAvatarUrl, avatar_url(ctx.config, e.avatar_hash, 32));
    fill_time(*row, e.timestamp, now);
  }
  if (entries.empty()) d.SetValueAndShowSection("EMPTY_TEXT", std::string(empty_text), "EMPTY");
  fill_pagination(d, p, ctx.url_for(route, {u.username}));
  return page.render();
}

}  // namespace

http::Response follow(core::Context& ctx) {
  auto u = models::find_user_by_username(ctx.db, ctx.req.param("username"));
  if (!u) {
    ctx.flash("Invalid user.", "danger");
    return http::Response::redirect("/");
  }
  // False for oneself too: everyone already follows themselves.
  if (models::follow(ctx.db, ctx.user->id, u->id)) {
    ctx.flash("You are now following " + u->username + ".", "success");
  } else {
    ctx.flash("You are already following this user.", "info");
  }
  return http::Response::redirect(ctx.url_for("main.user", {u->username}));
}

http::Response unfollow(core::Context& ctx) {
  auto u = models::find_user_by_username(ctx.db, ctx.req.param("username"));
  if (!u) {
    ctx.flash("Invalid user.", "danger");
    return http::Response::redirect("/");
  }
  if (models::unfollow(ctx.db, ctx.user->id, u->id)) {
    ctx.flash("You are not following " + u->username + " anymore.", "success");
  } else {
    ctx.flash("You are not following this user.", "info");
  }
  return http::Response::redirect(ctx.url_for("main.user", {u->username}));
}

http::Response followers(core::Context& ctx) {
  return follow_list(ctx, "main.followers", "Followers of", "No followers yet.", true);
}

http::Response followed_by(core::Context& ctx) {
  return follow_list(ctx, "main.followed_by", "Followed by", "Not following anyone yet.", false);
}

}  // namespace inkwell::main
