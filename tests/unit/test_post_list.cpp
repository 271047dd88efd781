// Rendering of post and comment lists and pagination links through the real
// views (views/_posts.tpl, _comments.tpl, _pagination.tpl).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/view.hpp"
#include "main/post_list.hpp"
#include "models/user.hpp"
#include "routes.hpp"

namespace {

using namespace inkwell;
namespace perm = models::permission;

std::string views_dir() {
  // This file is tests/unit/…; the views are at the top of the tree.
  return (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "views").string();
}

struct Fixture {
  core::Config config;
  core::Router router{routes()};
  core::View view{views_dir()};
  core::Db db{config};
  http::Request req;
  core::Context ctx{config, router, view, db, req};

  Fixture() { config.secret_key = "unit-test-secret"; }

  void login(std::int64_t id, unsigned permissions) {
    ctx.user = core::Identity{id, "me", "me@example.com", permissions, true};
    ctx.session_id = "session-id";
  }
  template <class Fill>
  std::string render(Fill fill) {
    core::Page page(ctx, "post.tpl", "Test");  // has POSTS, COMMENTS, PAGINATION
    fill(page.dict());
    return page.render().body;
  }
};

models::Post a_post(std::int64_t id, std::int64_t author_id) {
  models::Post p;
  p.id = id;
  p.body = "*src*";
  p.body_html = "<p><em>rendered</em> &amp; safe</p>";
  p.timestamp = "2020-01-02T03:04:05Z";
  p.author_id = author_id;
  p.author_username = "au<th>or";
  p.author_avatar_hash = "0123456789abcdef0123456789abcdef";
  p.comment_count = 3;
  return p;
}

models::Comment a_comment(std::int64_t id, bool disabled) {
  models::Comment c;
  c.id = id;
  c.body_html = "<p>comment text</p>";
  c.timestamp = "2020-01-02T03:04:05Z";
  c.disabled = disabled;
  c.author_id = 9;
  c.author_username = "critic";
  c.author_avatar_hash = "fedcba9876543210fedcba9876543210";
  c.post_id = 1;
  return c;
}

bool has(const std::string& s, std::string_view needle) {
  return s.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("posts: body_html as is, everything else escaped, links and time") {
  Fixture f;
  std::string html = f.render([&](auto& d) { main::fill_posts(f.ctx, d, {a_post(42, 7)}); });
  CHECK(has(html, "<div class=\"post-body\"><p><em>rendered</em> &amp; safe</p></div>"));
  CHECK(has(html, ">au&lt;th&gt;or</a>"));
  CHECK_FALSE(has(html, "au<th>or"));
  CHECK(has(html, "src=\"/avatar/0123456789abcdef0123456789abcdef.svg?s=40\""));
  CHECK(has(html, "alt=\"\""));
  CHECK(has(html, "loading=\"lazy\""));
  CHECK(has(html,
            "<time datetime=\"2020-01-02T03:04:05Z\" class=\"ago\" "
            "title=\"2 January 2020, 03:04 UTC\">"));
  CHECK(has(html, "years ago</time>"));
  CHECK(has(html, "href=\"/post/42\""));
  CHECK(has(html, "href=\"/post/42#comments\""));
  CHECK(has(html, "3 Comments"));
  CHECK_FALSE(has(html, "/edit/42"));  // a visitor edits nothing
}

TEST_CASE("posts: Edit for the author, Edit [Admin] for an administrator") {
  Fixture author;
  author.login(7, perm::kFollow | perm::kComment | perm::kWrite);
  std::string html =
      author.render([&](auto& d) { main::fill_posts(author.ctx, d, {a_post(42, 7)}); });
  CHECK(has(html, "href=\"/edit/42\""));
  CHECK(has(html, ">Edit<"));
  CHECK_FALSE(has(html, "Edit [Admin]"));

  Fixture other;
  other.login(8, perm::kFollow | perm::kComment | perm::kWrite | perm::kModerate);
  html = other.render([&](auto& d) { main::fill_posts(other.ctx, d, {a_post(42, 7)}); });
  CHECK_FALSE(has(html, "/edit/42"));

  Fixture admin;
  admin.login(1, 31);
  html = admin.render([&](auto& d) { main::fill_posts(admin.ctx, d, {a_post(42, 7)}); });
  CHECK(has(html, "href=\"/edit/42\""));
  CHECK(has(html, "Edit [Admin]"));
  // An administrator's own post is just Edit.
  html = admin.render([&](auto& d) { main::fill_posts(admin.ctx, d, {a_post(43, 1)}); });
  CHECK(has(html, ">Edit<"));
  CHECK_FALSE(has(html, "Edit [Admin]"));
}

TEST_CASE("pagination: nothing for one page; links, states and fragment otherwise") {
  Fixture f;
  std::string html =
      f.render([&](auto& d) { main::fill_pagination(d, core::paginate(1, 20, 20), "/"); });
  CHECK_FALSE(has(html, "pagination"));

  html = f.render([&](auto& d) {
    main::fill_pagination(d, core::paginate(1, 30, 61), "/post/5", "#comments");
  });
  CHECK(has(html, "<ul class=\"pagination\">"));
  CHECK(has(html, "page-item disabled\"><span class=\"page-link\" aria-hidden=\"true\">&laquo;"));
  CHECK(has(html,
            "page-item active\" aria-current=\"page\"><a class=\"page-link\" "
            "href=\"/post/5?page=1#comments\">1</a>"));
  CHECK(has(html, "href=\"/post/5?page=3#comments\">3</a>"));
  CHECK(has(html, "href=\"/post/5?page=2#comments\" aria-label=\"Next\">&raquo;"));

  html = f.render([&](auto& d) { main::fill_pagination(d, core::paginate(10, 10, 100), "/"); });
  CHECK(has(html, "href=\"/?page=9\" aria-label=\"Previous\""));
  CHECK(has(html, "&hellip;"));
  CHECK(has(html, "page-item disabled\"><span class=\"page-link\" aria-hidden=\"true\">&raquo;"));
}

TEST_CASE("comments: disabled ones show the notice; moderators also see the text") {
  const std::vector<models::Comment> comments = {a_comment(1, false), a_comment(2, true)};
  const std::string notice = "<i>This comment has been disabled by a moderator.</i>";

  Fixture visitor;
  std::string html =
      visitor.render([&](auto& d) { main::fill_comments(visitor.ctx, d, comments); });
  CHECK(has(html, notice));
  auto second = html.substr(html.find("id=\"comment-2\""));
  CHECK_FALSE(has(second, "comment text"));
  CHECK(has(html.substr(0, html.find("id=\"comment-2\"")), "<p>comment text</p>"));
  CHECK_FALSE(has(html, "/moderate/"));
  CHECK(visitor.ctx.cookies.empty());  // no CSRF cookie for a visitor

  Fixture moderator;
  moderator.login(5, 15);
  html = moderator.render([&](auto& d) { main::fill_comments(moderator.ctx, d, comments); });
  second = html.substr(html.find("id=\"comment-2\""));
  CHECK(has(second, notice));
  CHECK(has(second, "<p>comment text</p>"));
  CHECK_FALSE(has(html, "/moderate/"));  // buttons only on the moderation page

  html = moderator.render([&](auto& d) { main::fill_comments(moderator.ctx, d, comments, 4); });
  CHECK(has(html, "action=\"/moderate/disable/1\""));
  CHECK(has(html, "action=\"/moderate/enable/2\""));
  CHECK_FALSE(has(html, "/moderate/enable/1"));
  CHECK(has(html, "name=\"page\" value=\"4\""));
  CHECK(has(html, "name=\"csrf_token\" value=\"" + moderator.ctx.csrf_token() + "\""));
}
