// Rendering shared by the pages that list posts (home, profile, a post's
// permalink) and comments (a post, moderation): each item's dictionary
// (views/_posts.tpl, views/_comments.tpl) and the pagination links
// (views/_pagination.tpl).
#pragma once

#include <ctemplate/template.h>

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/pagination.hpp"
#include "models/comment.hpp"
#include "models/post.hpp"

namespace inkwell::main {

// Sets a <time> element's values, TIMESTAMP, RELATIVE and READABLE, of an
// ISO 8601 UTC timestamp as seen at now (a list's rows, its items' bylines).
void fill_time(ctemplate::TemplateDictionary& d, const std::string& timestamp, std::time_t now);
// Adds the POSTS include (views/_posts.tpl) listing posts to dict.
void fill_posts(core::Context& ctx, ctemplate::TemplateDictionary& dict,
                const std::vector<models::Post>& posts);
// Adds the PAGINATION include (views/_pagination.tpl) unless everything fits
// on one page; links are path + "?page=N" + fragment (path: no query).
void fill_pagination(ctemplate::TemplateDictionary& dict, const core::Pagination& p,
                     const std::string& path, std::string_view fragment = "");
// Adds the COMMENTS include (views/_comments.tpl). A disabled comment shows
// the moderator notice, and its text only to moderators. With a
// moderation_page (>= 1) each comment has Enable/Disable buttons that come
// back to /moderate?page=moderation_page.
void fill_comments(core::Context& ctx, ctemplate::TemplateDictionary& dict,
                   const std::vector<models::Comment>& comments, long moderation_page = 0);

}  // namespace inkwell::main
