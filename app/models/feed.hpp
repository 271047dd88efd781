// The followed feeds, written when posts and follows are (fan-out on write):
// feed_entries holds, for every reader, one row per post of each user they
// follow (themselves included), and feed_counts the number of those rows.
// Except the posts of authors who had INKWELL_FEED_FANOUT_MAX followers or
// more when they posted: those are listed once (feed_unfanned_posts, counted
// per author in feed_big_authors) and merged into a follower's feed when it
// is read. A reader's feed is their feed_entries plus the unfanned posts of
// the authors they follow.
// Each function runs inside its caller's transaction (the post's, the
// follow's), so a feed changes exactly when what it shows does. Reading is
// models::followed_feed.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/db.hpp"

namespace inkwell::models {

// Adds the post this connection has just inserted (LAST_INSERT_ID(), read by
// the fan-out's own statements rather than in a round trip of its own) to
// the feed of everyone who follows author_id (the author included), or, when
// the author has fanout_max followers or more, lists it as unfanned. The
// caller holds the author's row locked (create_post does): no follow of the
// author can change the followers meanwhile.
void add_new_post_to_feeds(core::Db& db, std::int64_t author_id, long fanout_max);
// reader_id now follows author_id: every post of the author joins the feed.
void add_author_to_feed(core::Db& db, std::int64_t reader_id, std::int64_t author_id);
// reader_id no longer follows author_id: the author's posts leave the feed.
void remove_author_from_feed(core::Db& db, std::int64_t reader_id, std::int64_t author_id);
// The size of a reader's feed as an SQL expression, the reader's id bound
// twice: their fanned-out rows plus the posts of the big authors they
// follow. feed_size and the feed page (models::followed_feed) share it.
inline constexpr std::string_view kFeedSizeSql =
    "COALESCE((SELECT entries FROM feed_counts WHERE reader_id = ?), 0) + "
    "COALESCE((SELECT SUM(b.posts) FROM feed_big_authors b JOIN follows f "
    "ON f.follower_id = ? AND f.followed_id = b.author_id), 0)";

// The number of posts in reader_id's feed (fanned out and merged).
long feed_size(core::Db& db, std::int64_t reader_id);
// Builds every feed again from follows and posts: after rows were inserted
// in bulk (inkwell fake, the Flasky import) or changed by hand; the same
// statements as sql/admin/rebuild_feeds.sql.
void rebuild_feeds(core::Db& db);

}  // namespace inkwell::models
