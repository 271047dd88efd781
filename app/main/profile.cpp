// /user/<username>, /edit-profile and /edit-profile/<id>.
#include <charconv>
#include <ctime>
#include <optional>

#include "core/form.hpp"
#include "core/pagination.hpp"
#include "core/time_format.hpp"
#include "core/view.hpp"
#include "main/handlers.hpp"
#include "main/post_list.hpp"
#include "main/profile_fields.hpp"
#include "models/follow.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::main {
namespace {

namespace perm = models::permission;

constexpr std::size_t kMaxProfileField = 64;  // users.name / users.location

using core::ts;

// A time as <time datetime="ISO" title="READABLE">TEXT</time> wants it:
// NAME, NAME_TEXT and NAME_TITLE.
void set_time(ctemplate::TemplateDictionary& dict, const std::string& name, const std::string& iso,
              std::time_t now) {
  dict.SetValue(name, ts(iso));
  dict.SetValue(name + "_TEXT", core::relative_time(iso, now));
  dict.SetValue(name + "_TITLE", core::readable_utc(iso));
}

// The profile's header: who the user is and what the viewer may do with them.
void fill_profile(core::Context& ctx, ctemplate::TemplateDictionary& d, const models::User& u) {
  d.SetValue("USERNAME", ts(u.username));
  d.SetValue("AVATAR_URL", avatar_url(ctx.config, u.avatar_hash, 256));
  if (!u.name.empty() || !u.location.empty()) d.ShowSection("IDENTITY");
  if (!u.name.empty()) d.SetValueAndShowSection("NAME", ts(u.name), "HAS_NAME");
  if (!u.location.empty()) {
    d.SetValueAndShowSection("LOCATION", ts(u.location), "HAS_LOCATION");
    d.SetValue("MAPS_URL", maps_url(u.location));
  }
  if (ctx.can(perm::kAdmin)) d.SetValueAndShowSection("EMAIL", ts(u.email), "HAS_EMAIL");
  if (!u.about_me.empty()) d.SetValueAndShowSection("ABOUT_ME", ts(u.about_me), "HAS_ABOUT_ME");
  const std::time_t now = std::time(nullptr);
  set_time(d, "MEMBER_SINCE", u.member_since, now);
  set_time(d, "LAST_SEEN", u.last_seen, now);
  d.SetIntValue("POST_COUNT", u.post_count);
  d.SetIntValue("FOLLOWERS_COUNT", u.followers_count);
  d.SetIntValue("FOLLOWING_COUNT", u.following_count);
  d.SetValue("FOLLOWERS_URL", ctx.url_for("main.followers", {u.username}));
  d.SetValue("FOLLOWING_URL", ctx.url_for("main.followed_by", {u.username}));

  const bool self = ctx.user && ctx.user->id == u.id;
  if (ctx.user && !self) {
    if (ctx.can(perm::kFollow)) {
      bool following = models::is_following(ctx.db, ctx.user->id, u.id);
      ctemplate::TemplateDictionary* b = d.AddSectionDictionary(following ? "UNFOLLOW" : "FOLLOW");
      b->SetValue("ACTION", ctx.url_for(following ? "main.unfollow" : "main.follow", {u.username}));
      b->SetValue("CSRF_TOKEN", ctx.csrf_token());
    }
    if (models::is_following(ctx.db, u.id, ctx.user->id)) d.ShowSection("FOLLOWS_YOU");
  }
  if (self) d.SetValueAndShowSection("EDIT_URL", ctx.url_for("main.edit_profile"), "EDIT_SELF");
  if (ctx.can(perm::kAdmin)) {
    d.SetValueAndShowSection("EDIT_ADMIN_URL",
                             ctx.url_for("main.edit_profile_admin", {std::to_string(u.id)}),
                             "EDIT_ADMIN");
  }
}

core::Form profile_form() {
  core::Form form(
      {{"name", "Real name"}, {"location", "Location"}, {"about_me", "About me", "textarea"}},
      "Submit");
  form.max_length("name", kMaxProfileField)
      .max_length("location", kMaxProfileField)
      .max_length("about_me", kMaxTextBytes);
  return form;
}

void fill_profile_fields(core::Form& form, const models::User& u) {
  form.set("name", u.name);
  form.set("location", u.location);
  form.set("about_me", u.about_me);
}

void check_profile_fields(core::Form& form) {
  check_max_length(form, "name", kMaxProfileField);
  check_max_length(form, "location", kMaxProfileField);
  check_max_bytes(form, "about_me");
}

core::Form admin_form(const std::vector<models::Role>& roles) {
  core::FieldSpec role{"role", "Role", "select"};
  for (const models::Role& r : roles) role.options.emplace_back(std::to_string(r.id), r.name);
  core::Form form({{"email", "Email", "email"},
                   {"username", "Username"},
                   {"confirmed", "Confirmed", "checkbox"},
                   std::move(role),
                   {"name", "Real name"},
                   {"location", "Location"},
                   {"about_me", "About me", "textarea"}},
                  "Submit");
  form.requiring({"email", "username"})
      .max_length("email", models::kMaxEmailLength)
      .max_length("username", models::kMaxUsernameLength)
      .max_length("name", kMaxProfileField)
      .max_length("location", kMaxProfileField)
      .max_length("about_me", kMaxTextBytes);
  return form;
}

// The role the form names, if it is one of roles.
std::optional<unsigned> chosen_role(const core::Form& form,
                                    const std::vector<models::Role>& roles) {
  const std::string& text = form.value("role");
  unsigned id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  for (const models::Role& r : roles) {
    if (r.id == id) return id;
  }
  return std::nullopt;
}

// Email and username rules of the admin form: valid, and not someone else's.
void check_account_fields(core::Context& ctx, core::Form& form, const models::User& u) {
  const std::string& email = form.value("email");
  if (!email.empty()) {
    if (!models::valid_email(email)) {
      form.error("email", "Invalid email address.");
    } else if (auto other = models::find_user_by_email(ctx.db, email); other && other->id != u.id) {
      form.error("email", "Email already registered.");
    }
  }
  const std::string& username = form.value("username");
  if (!username.empty()) {
    if (!models::valid_username(username)) {
      form.error("username", "Usernames must have only letters, numbers, dots or underscores");
    } else if (auto other = models::find_user_by_username(ctx.db, username);
               other && other->id != u.id) {
      form.error("username", "Username already in use.");
    }
  }
}

}  // namespace

http::Response user(core::Context& ctx) {
  auto found = http::or_404(models::user_posts_page(ctx.db, ctx.req.param("username"),
                                                    core::page_param(ctx.req.query.get("page")),
                                                    ctx.config.posts_per_page));
  const models::User& u = found.user;
  core::Page page(ctx, "user.tpl", u.username);
  page.alternate_feed("Inkwell - " + u.username, ctx.url_for("main.user_feed", {u.username}));
  fill_profile(ctx, page.dict(), u);
  fill_posts(ctx, page.dict(), found.page.posts);
  fill_pagination(page.dict(), found.page.pagination, ctx.url_for("main.user", {u.username}));
  return page.render();
}

http::Response edit_profile(core::Context& ctx) {
  core::Form form = profile_form();
  if (ctx.req.method != http::POST) {
    auto u = http::or_404(models::find_user(ctx.db, ctx.user->id));
    fill_profile_fields(form, u);
    return core::form_page(ctx, "Edit Profile", form);
  }
  form.read(ctx.req.form);
  check_profile_fields(form);
  if (!form.valid()) return core::form_page(ctx, "Edit Profile", form);
  models::update_profile(ctx.db, ctx.user->id, form.value("name"), form.value("location"),
                         form.value("about_me"));
  ctx.flash("Your profile has been updated.", "success");
  return http::Response::redirect(ctx.url_for("main.user", {ctx.user->username}));
}

http::Response edit_profile_admin(core::Context& ctx) {
  auto u = http::or_404(models::find_user(ctx.db, ctx.req.param_int("id")));
  const std::vector<models::Role> roles = models::all_roles(ctx.db);
  core::Form form = admin_form(roles);
  if (ctx.req.method != http::POST) {
    form.set("email", u.email);
    form.set("username", u.username);
    form.set("confirmed", u.confirmed ? "y" : "");
    form.set("role", std::to_string(u.role_id));
    fill_profile_fields(form, u);
    return core::form_page(ctx, "Edit Profile", form);
  }

  form.read(ctx.req.form);
  form.require();
  check_account_fields(ctx, form, u);
  auto role = chosen_role(form, roles);
  if (!role) form.error("role", "Not a valid choice.");
  check_profile_fields(form);
  if (!form.valid()) return core::form_page(ctx, "Edit Profile", form);

  const std::string& username = form.value("username");
  try {
    core::Db::Transaction tx(ctx.db);
    models::update_account(ctx.db, u.id, form.value("email"), username, form.checked("confirmed"),
                           *role);
    models::update_profile(ctx.db, u.id, form.value("name"), form.value("location"),
                           form.value("about_me"));
    tx.commit();
  } catch (const sql::SQLException& e) {
    if (!core::is_duplicate_key(e)) throw;
    // Lost a race with another change to the same address or name.
    check_account_fields(ctx, form, u);
    if (form.valid()) throw;
    return core::form_page(ctx, "Edit Profile", form);
  }
  ctx.flash("The profile has been updated.", "success");
  return http::Response::redirect(ctx.url_for("main.user", {username}));
}

}  // namespace inkwell::main
