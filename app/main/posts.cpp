// A post's permalink page with its comments (/post/<id>) and its editor
// (/edit/<id>).
#include "core/form.hpp"
#include "core/text_summary.hpp"
#include "core/view.hpp"
#include "main/handlers.hpp"
#include "main/post_list.hpp"
#include "main/profile_fields.hpp"
#include "models/comment.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::main {
namespace {

// Link previews show about two lines of the post.
constexpr std::size_t kDescriptionChars = 200;

core::Form comment_form() {
  return markdown_form("Enter your comment");
}

core::Form edit_form() {
  return markdown_form("What's on your mind?");
}

models::Post existing_post(core::Context& ctx) {
  return http::or_404(models::find_post(ctx.db, ctx.req.param_int("id")));
}

// The post and the asked page of its comments. A GET of any page but the
// last is one statement; the last page (?page=-1) needs the post's comment
// count before its offset, and a POST only the post.
struct PostAndComments {
  models::Post post;
  std::vector<models::Comment> comments;
  core::Pagination pages;
};

PostAndComments read_post_page(core::Context& ctx) {
  const long asked = core::page_param(ctx.req.query.get("page"));
  const long per_page = ctx.config.comments_per_page;
  const std::optional<long> offset = core::offset_from_start(asked, per_page);
  if (ctx.req.method != http::POST && offset) {
    auto found = http::or_404(
        models::find_post_with_comments(ctx.db, ctx.req.param_int("id"), per_page, *offset));
    core::Pagination pages = core::paginate(asked, per_page, found.post.comment_count);
    return {std::move(found.post), std::move(found.comments), pages};
  }
  PostAndComments out{existing_post(ctx), {}, {}};
  out.pages = core::paginate(asked, per_page, out.post.comment_count);
  if (ctx.req.method != http::POST && out.pages.offset() < out.pages.total) {
    out.comments =
        models::comments_of_post(ctx.db, out.post.id, out.pages.per_page, out.pages.offset());
  }
  return out;
}

}  // namespace

http::Response post(core::Context& ctx) {
  const bool can_comment = ctx.can(models::permission::kComment);
  const bool posting = ctx.req.method == http::POST;
  core::Form form = comment_form();
  if (posting && can_comment) {
    form.read(ctx.req.form);
    check_max_bytes(form, "body");
    if (form.require() && form.valid()) {
      // Stored without reading the post first: the comment's own statements
      // find whether it exists.
      const std::int64_t id = ctx.req.param_int("id");
      if (!models::create_comment(ctx.db, id, ctx.user->id, form.value("body"))) {
        throw http::HttpError(404);
      }
      ctx.flash("Your comment has been published.", "success");
      return http::Response::redirect(ctx.url_for("main.post", {std::to_string(id)}) +
                                      "?page=-1#comments");
    }
  }
  PostAndComments read = read_post_page(ctx);  // 404 for a post that is not there
  if (posting && !can_comment) throw http::HttpError(403);
  const models::Post& p = read.post;
  const std::string url = ctx.url_for("main.post", {std::to_string(p.id)});

  const std::string title = "Post by " + p.author_username;
  core::Page page(ctx, "post.tpl", title);
  page.article(title, ctx.config.base_url + url, core::text_summary(p.body, kDescriptionChars));
  ctemplate::TemplateDictionary& dict = page.dict();
  dict.SetValue("HEADING", title);
  fill_posts(ctx, dict, {p});
  if (can_comment) {
    form.fill(*dict.AddSectionDictionary("COMMENT_FORM"), ctx.csrf_token());
  } else if (!ctx.user) {
    dict.SetValueAndShowSection("LOGIN_URL", "/auth/login?next=" + http::url_encode(url),
                                "LOGIN_TO_COMMENT");
  }
  fill_comments(ctx, dict, read.comments);
  fill_pagination(dict, read.pages, url, "#comments");
  return page.render();
}

http::Response edit_post(core::Context& ctx) {
  const models::Post p = existing_post(ctx);
  if (p.author_id != ctx.user->id && !ctx.can(models::permission::kAdmin)) {
    throw http::HttpError(403);
  }
  core::Form form = edit_form();
  if (ctx.req.method == http::POST) {
    form.read(ctx.req.form);
    check_max_bytes(form, "body");
    if (form.require() && form.valid()) {
      models::update_post(ctx.db, p.id, form.value("body"));
      ctx.flash("The post has been updated.", "success");
      return http::Response::redirect(ctx.url_for("main.post", {std::to_string(p.id)}));
    }
  } else {
    form.set("body", p.body);
  }
  core::Page page(ctx, "edit_post.tpl", "Edit Post");
  form.fill(page.dict(), ctx.csrf_token());
  return page.render();
}

}  // namespace inkwell::main
