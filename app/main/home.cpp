// The home page (/) and its All / Followed tabs.
#include <optional>

#include "core/form.hpp"
#include "core/view.hpp"
#include "main/handlers.hpp"
#include "main/post_list.hpp"
#include "main/profile_fields.hpp"
#include "models/user.hpp"

namespace inkwell::main {
namespace {

constexpr std::string_view kShowFollowedCookie = "show_followed";
constexpr long kShowFollowedSeconds = 30L * 24 * 3600;

core::Form post_form() {
  return markdown_form("What's on your mind?");
}

bool shows_followed(const core::Context& ctx) {
  if (!ctx.user) return false;
  const std::string* v = ctx.req.cookies.find(kShowFollowedCookie);
  return v != nullptr && *v == "1";
}

http::Response set_show_followed(core::Context& ctx, std::string value) {
  ctx.cookies.push_back(
      ctx.cookie(std::string(kShowFollowedCookie), std::move(value), kShowFollowedSeconds));
  return http::Response::redirect(ctx.url_for("main.index"));
}

}  // namespace

http::Response index(core::Context& ctx) {
  // Only writers have a form (visitors, the hot path, build none).
  std::optional<core::Form> form;
  if (ctx.can(models::permission::kWrite)) form.emplace(post_form());
  if (ctx.req.method == http::POST) {
    if (!form) throw http::HttpError(403);
    form->read(ctx.req.form);
    check_max_bytes(*form, "body");
    if (form->require() && form->valid()) {
      models::create_post(ctx.db, ctx.user->id, form->value("body"), ctx.config.feed_fanout_max);
      return http::Response::redirect(ctx.url_for("main.index"));
    }
  }

  // A visitor's page 1 is one query (posts and counter together); the
  // followed feed, two. A visitor gets no form, so no CSRF cookie either:
  // their GET writes nothing anywhere.
  const long asked = core::page_param(ctx.req.query.get("page"));
  const long per_page = ctx.config.posts_per_page;
  const bool followed = shows_followed(ctx);
  models::PostPage list;
  if (followed) {
    list = models::followed_feed(ctx.db, ctx.user->id, asked, per_page);
  } else {
    list = models::recent_posts_page(ctx.db, asked, per_page);
  }

  core::Page page(ctx, "index.tpl", "Home");
  ctemplate::TemplateDictionary& dict = page.dict();
  dict.SetValue("NAME", ctx.user ? ctx.user->username : std::string("Stranger"));
  if (form) form->fill(*dict.AddSectionDictionary("POST_FORM"), ctx.csrf_token());
  if (ctx.user) {
    dict.ShowSection("TABS");
    dict.ShowSection(followed ? "FOLLOWED_ACTIVE" : "ALL_ACTIVE");
  }
  fill_posts(ctx, dict, list.posts);
  fill_pagination(dict, list.pagination, ctx.url_for("main.index"));
  return page.render();
}

http::Response show_all(core::Context& ctx) {
  return set_show_followed(ctx, "");
}

http::Response show_followed(core::Context& ctx) {
  return set_show_followed(ctx, "1");
}

}  // namespace inkwell::main
