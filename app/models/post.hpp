// Posts (SPEC §4). The Markdown source and its rendered HTML are stored side
// by side; the HTML is rendered here, on every write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/pagination.hpp"
#include "models/user.hpp"

namespace inkwell::models {

struct Post {
  std::int64_t id = 0;
  std::string body;
  std::string body_html;
  std::string timestamp;  // "YYYY-MM-DDTHH:MM:SSZ" (UTC)
  std::int64_t author_id = 0;
  std::string author_username;
  std::string author_avatar_hash;
  long comment_count = 0;
};

// Newest first. Each is one indexed query joined with the authors (no N+1).
std::vector<Post> recent_posts(core::Db& db, long limit, long offset);
std::vector<Post> posts_by_author(core::Db& db, std::int64_t author_id, long limit, long offset);
// Every post of one author, oldest first (their data export): one query.
std::vector<Post> all_posts_by_author(core::Db& db, std::int64_t author_id);
std::optional<Post> find_post(core::Db& db, std::int64_t id);

// For another model's statement that reads a post with its own rows: a
// post's columns (of posts p joined with its author u; kPostColumnCount of
// them, ending with a space) and their reader from column `first` on.
inline constexpr std::string_view kPostColumns =
    "p.id, p.body, p.body_html, DATE_FORMAT(p.timestamp, '%Y-%m-%dT%H:%i:%sZ'), "
    "p.author_id, u.username, u.avatar_hash, p.comment_count ";
constexpr int kPostColumnCount = 8;
Post read_post(sql::ResultSet& rs, int first = 1);

long count_posts(core::Db& db);  // site counter

// One page of all posts (?page= as asked, -1 = the last) with its pagination
// from the site counter: the home page. Any page is one query (the posts at
// the page's positions and the counter together: page 2,000 costs what page 1
// costs); ?page=-1, a page past the end or an empty site take the counter
// first, then the posts if any.
// body (the Markdown source) is not fetched: pages show body_html.
struct PostPage {
  core::Pagination pagination;
  std::vector<Post> posts;
};
PostPage recent_posts_page(core::Db& db, long page, long per_page);
// A page of one author's posts (newest first), post_count being their
// counter: one indexed range of positions whatever the page.
PostPage author_posts_page(core::Db& db, std::int64_t author_id, long post_count, long page,
                           long per_page);
// A profile: the user by username and a page of their posts (as
// author_posts_page) in one statement; ?page=-1 takes two (the user's count
// first). nullopt when there is no such user.
struct UserPostsPage {
  User user;
  PostPage page;
};
std::optional<UserPostsPage> user_posts_page(core::Db& db, std::string_view username, long page,
                                             long per_page);
// A page of the posts of the users user_id follows (themselves included),
// newest first, from their feed (models/feed.hpp) and its size: one query
// for any page that has posts (the size first for ?page=-1 and past the
// end). The cost depends on the page, not on how many the reader follows.
PostPage followed_feed(core::Db& db, std::int64_t user_id, long page, long per_page);

// Creates the post (and bumps the counters, and adds it to its author's
// followers' feeds, unless they are fanout_max or more: models/feed.hpp) in
// one transaction. Its id is not read (a round trip the page that posts it
// does not need): ask created_post_id() right after.
void create_post(core::Db& db, std::int64_t author_id, std::string_view body, long fanout_max);
// The id of the post create_post() just made on this connection.
std::int64_t created_post_id(core::Db& db);
void update_post(core::Db& db, std::int64_t id, std::string_view body);
// Gives every post its positions again from (timestamp, id): after rows were
// inserted with times of their own (inkwell fake, the Flasky import).
void renumber_post_positions(core::Db& db);

}  // namespace inkwell::models
