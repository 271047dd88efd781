// Comments and their moderation (SPEC §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "models/post.hpp"

namespace inkwell::models {

struct Comment {
  std::int64_t id = 0;
  std::string body;
  std::string body_html;
  std::string timestamp;  // "YYYY-MM-DDTHH:MM:SSZ" (UTC)
  bool disabled = false;
  std::int64_t author_id = 0;
  std::string author_username;
  std::string author_avatar_hash;
  std::int64_t post_id = 0;
};

// A post's comments, oldest first; its count is posts.comment_count.
std::vector<Comment> comments_of_post(core::Db& db, std::int64_t post_id, long limit, long offset);
// A post and one page of its comments (oldest first) in one statement: the
// post page. nullopt when there is no such post.
struct PostWithComments {
  Post post;
  std::vector<Comment> comments;
};
std::optional<PostWithComments> find_post_with_comments(core::Db& db, std::int64_t post_id,
                                                        long limit, long offset);
// All comments, newest first (moderation, API).
std::vector<Comment> recent_comments(core::Db& db, long limit, long offset);
long count_comments(core::Db& db);  // site counter
// Every comment of one author, oldest first (their data export): one query.
std::vector<Comment> comments_by_author(core::Db& db, std::int64_t author_id);
std::optional<Comment> find_comment(core::Db& db, std::int64_t id);

// Creates the comment and bumps the counters in one transaction; false
// (nothing stored) when there is no post post_id. Its id is not read (a
// round trip the page that posts it does not need): ask created_comment_id()
// right after.
bool create_comment(core::Db& db, std::int64_t post_id, std::int64_t author_id,
                    std::string_view body);
// The id of the comment create_comment() just made on this connection.
std::int64_t created_comment_id(core::Db& db);
void set_comment_disabled(core::Db& db, std::int64_t id, bool disabled);

}  // namespace inkwell::models
