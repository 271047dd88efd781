#include "main/post_list.hpp"

#include <charconv>
#include <ctime>

#include "core/time_format.hpp"
#include "core/view.hpp"
#include "main/profile_fields.hpp"
#include "models/user.hpp"

// The names set for every item, hashed once at start rather than per use
// (ctemplate's StaticTemplateString; STS_INIT wants the global scope).
static const ctemplate::StaticTemplateString kTplPost = STS_INIT(kTplPost, "POST");
static const ctemplate::StaticTemplateString kTplComment = STS_INIT(kTplComment, "COMMENT");
static const ctemplate::StaticTemplateString kTplId = STS_INIT(kTplId, "ID");
static const ctemplate::StaticTemplateString kTplAuthor = STS_INIT(kTplAuthor, "AUTHOR");
static const ctemplate::StaticTemplateString kTplAvatarUrl = STS_INIT(kTplAvatarUrl, "AVATAR_URL");
static const ctemplate::StaticTemplateString kTplTimestamp = STS_INIT(kTplTimestamp, "TIMESTAMP");
static const ctemplate::StaticTemplateString kTplRelative = STS_INIT(kTplRelative, "RELATIVE");
static const ctemplate::StaticTemplateString kTplReadable = STS_INIT(kTplReadable, "READABLE");
static const ctemplate::StaticTemplateString kTplBodyHtml = STS_INIT(kTplBodyHtml, "BODY_HTML");
static const ctemplate::StaticTemplateString kTplBody = STS_INIT(kTplBody, "BODY");
static const ctemplate::StaticTemplateString kTplCommentCount =
    STS_INIT(kTplCommentCount, "COMMENT_COUNT");
static const ctemplate::StaticTemplateString kTplEdit = STS_INIT(kTplEdit, "EDIT");
static const ctemplate::StaticTemplateString kTplEditAdmin = STS_INIT(kTplEditAdmin, "EDIT_ADMIN");
static const ctemplate::StaticTemplateString kTplDisabled = STS_INIT(kTplDisabled, "DISABLED");
static const ctemplate::StaticTemplateString kTplEnable = STS_INIT(kTplEnable, "ENABLE");
static const ctemplate::StaticTemplateString kTplDisable = STS_INIT(kTplDisable, "DISABLE");
static const ctemplate::StaticTemplateString kTplItem = STS_INIT(kTplItem, "ITEM");
static const ctemplate::StaticTemplateString kTplGap = STS_INIT(kTplGap, "GAP");
static const ctemplate::StaticTemplateString kTplNum = STS_INIT(kTplNum, "NUM");
static const ctemplate::StaticTemplateString kTplUrl = STS_INIT(kTplUrl, "URL");
static const ctemplate::StaticTemplateString kTplCurrent = STS_INIT(kTplCurrent, "CURRENT");
static const ctemplate::StaticTemplateString kTplLink = STS_INIT(kTplLink, "LINK");

namespace inkwell::main {
namespace {

// A number as a dictionary value, without SetIntValue's snprintf.
void set_number(ctemplate::TemplateDictionary& d, const ctemplate::TemplateString& name,
                long value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  d.SetValue(name, ctemplate::TemplateString(buf, static_cast<std::size_t>(end - buf)));
}

using core::ts;

// What every list item shows of its author and time (avatar, link, <time>).
void fill_byline(const core::Config& config, ctemplate::TemplateDictionary& d,
                 const std::string& username, const std::string& avatar_hash,
                 const std::string& timestamp, std::time_t now) {
  d.SetValue(kTplAuthor, ts(username));
  d.SetValue(kTplAvatarUrl, avatar_url(config, avatar_hash, 40));
  fill_time(d, timestamp, now);
}

std::string page_url(const std::string& path, long page, std::string_view fragment) {
  std::string url = path;
  url += "?page=";
  url += std::to_string(page);
  url += fragment;
  return url;
}

}  // namespace

void fill_time(ctemplate::TemplateDictionary& d, const std::string& timestamp, std::time_t now) {
  d.SetValue(kTplTimestamp, ts(timestamp));
  d.SetValue(kTplRelative, core::relative_time(timestamp, now));
  d.SetValue(kTplReadable, core::readable_utc(timestamp));
}

void fill_posts(core::Context& ctx, ctemplate::TemplateDictionary& dict,
                const std::vector<models::Post>& posts) {
  ctemplate::TemplateDictionary* list = dict.AddIncludeDictionary("POSTS");
  list->SetFilename("_posts.tpl");
  const std::time_t now = std::time(nullptr);
  const std::int64_t me = ctx.user ? ctx.user->id : 0;
  const bool admin = ctx.can(models::permission::kAdmin);
  for (const models::Post& p : posts) {
    ctemplate::TemplateDictionary* d = list->AddSectionDictionary(kTplPost);
    set_number(*d, kTplId, p.id);
    fill_byline(ctx.config, *d, p.author_username, p.author_avatar_hash, p.timestamp, now);
    d->SetValue(kTplBodyHtml, ts(p.body_html));  // already safe: rendered by core::markdown
    set_number(*d, kTplCommentCount, p.comment_count);
    if (me != 0 && p.author_id == me) {
      d->ShowSection(kTplEdit);
    } else if (admin) {
      d->ShowSection(kTplEditAdmin);
    }
  }
  if (posts.empty()) list->ShowSection("EMPTY");
}

void fill_pagination(ctemplate::TemplateDictionary& dict, const core::Pagination& p,
                     const std::string& path, std::string_view fragment) {
  // One page needs no links; a page past the end still gets its way back.
  if (p.pages <= 1 && p.page <= 1) return;
  ctemplate::TemplateDictionary* nav = dict.AddIncludeDictionary("PAGINATION");
  nav->SetFilename("_pagination.tpl");
  if (p.has_prev()) {
    nav->SetValueAndShowSection("PREV_URL", page_url(path, p.page - 1, fragment), "PREV");
  } else {
    nav->ShowSection("NO_PREV");
  }
  for (long n : p.links()) {
    ctemplate::TemplateDictionary* item = nav->AddSectionDictionary(kTplItem);
    if (n == 0) {
      item->ShowSection(kTplGap);
      continue;
    }
    set_number(*item, kTplNum, n);
    item->SetValue(kTplUrl, page_url(path, n, fragment));
    item->ShowSection(n == p.page ? kTplCurrent : kTplLink);
  }
  if (p.has_next()) {
    nav->SetValueAndShowSection("NEXT_URL", page_url(path, p.page + 1, fragment), "NEXT");
  } else {
    nav->ShowSection("NO_NEXT");
  }
}

void fill_comments(core::Context& ctx, ctemplate::TemplateDictionary& dict,
                   const std::vector<models::Comment>& comments, long moderation_page) {
  ctemplate::TemplateDictionary* list = dict.AddIncludeDictionary("COMMENTS");
  list->SetFilename("_comments.tpl");
  const std::time_t now = std::time(nullptr);
  const bool moderator = ctx.can(models::permission::kModerate);
  const bool buttons = moderator && moderation_page >= 1;
  if (buttons) {
    list->SetValue("CSRF_TOKEN", ctx.csrf_token());
    list->SetIntValue("MODERATION_PAGE", moderation_page);
  }
  for (const models::Comment& c : comments) {
    ctemplate::TemplateDictionary* d = list->AddSectionDictionary(kTplComment);
    set_number(*d, kTplId, c.id);
    fill_byline(ctx.config, *d, c.author_username, c.author_avatar_hash, c.timestamp, now);
    if (c.disabled) d->ShowSection(kTplDisabled);
    if (!c.disabled || moderator) {
      d->SetValueAndShowSection(kTplBodyHtml, ts(c.body_html), kTplBody);
    }
    if (buttons) d->ShowSection(c.disabled ? kTplEnable : kTplDisable);
  }
  if (comments.empty()) list->ShowSection("EMPTY");
}

}  // namespace inkwell::main
