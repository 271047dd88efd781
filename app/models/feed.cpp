#include "models/feed.hpp"

#include <cppconn/exception.h>

#include <string>

#include "models/cached_select.hpp"

namespace inkwell::models {

namespace {

// The post this transaction inserted is not there any more: Galera rolled
// the transaction back (a brute-force abort by a conflicting write-set from
// another node) and the statements since ran in a new one. Measured on the
// cluster under kill -9: about 1 post in 3,000 answered 302 and was never
// stored, while the feeds' counts of its later statements were. Db now
// refuses any such transaction, whatever it writes (the abort lands during a
// prepare: core/db.cpp, Db::prepare); this read-through stays because it
// costs nothing (the fan-out's own statement reads the post and its
// author's count), and it has not fired since (0 in about 500 aborts caught by Db
// under the stress that made it fire 110 times in 20 s). Thrown as the write
// conflict it is: the transaction is rolled back and the request runs again.
[[noreturn]] void post_vanished(std::int64_t post_id) {
  throw sql::SQLException(
      (post_id ? "post " + std::to_string(post_id) : std::string("the new post")) +
          " vanished from its own transaction (rolled back by a conflict)",
      "40001", 1213);
}

}  // namespace

void add_new_post_to_feeds(core::Db& db, std::int64_t author_id, long fanout_max) {
  // The common case in one statement: the post, read through itself (a post
  // the transaction lost adds nothing), copied to every follower's feed when
  // the author has fewer than fanout_max followers (followers_count leaves
  // the self-follow out: the author's own feed is one more row).
  if (db.execute("INSERT INTO feed_entries (reader_id, timestamp, post_id) "
                 "SELECT f.follower_id, p.timestamp, p.id FROM posts p "
                 "JOIN users u ON u.id = p.author_id AND u.followers_count < ? "
                 "JOIN follows f ON f.followed_id = p.author_id WHERE p.id = LAST_INSERT_ID()",
                 static_cast<std::int64_t>(fanout_max)) > 0) {
    // Two fan-outs never run at once (create_post holds the posts counter's
    // row until it commits), and a follow or unfollow locks one count only:
    // these rows' locks cannot form a cycle.
    db.execute(
        "INSERT INTO feed_counts (reader_id, entries) "
        "SELECT follower_id, 1 FROM follows WHERE followed_id = ? "
        "ON DUPLICATE KEY UPDATE entries = entries + 1",
        author_id);
    return;
  }
  // No row: an author with many followers, a post the transaction lost, or
  // an author without even their own follow (rows changed by hand).
  auto rs = db.query(
      "SELECT p.id, u.followers_count FROM posts p JOIN users u ON u.id = p.author_id "
      "WHERE p.id = LAST_INSERT_ID()");
  if (!rs->next()) post_vanished(0);
  const std::int64_t post_id = rs->getInt64(1);
  const long followers = static_cast<long>(rs->getInt64(2));
  if (followers < fanout_max) return;  // no follows to copy it to
  // Too many to copy it to: listed once, merged into feeds when read.
  if (db.execute("INSERT INTO feed_unfanned_posts (author_id, timestamp, post_id) "
                 "SELECT author_id, timestamp, id FROM posts WHERE id = ?",
                 post_id) != 1) {
    post_vanished(post_id);
  }
  db.execute(
      "INSERT INTO feed_big_authors (author_id, posts) VALUES (?, 1) "
      "ON DUPLICATE KEY UPDATE posts = posts + 1",
      author_id);
}

void add_author_to_feed(core::Db& db, std::int64_t reader_id, std::int64_t author_id) {
  // The author's posts that were fanned out; the others join the feed
  // through the follow itself when it is read.
  const auto added = static_cast<std::int64_t>(
      db.execute("INSERT IGNORE INTO feed_entries (reader_id, timestamp, post_id) "
                 "SELECT ?, p.timestamp, p.id FROM posts p WHERE p.author_id = ? AND NOT EXISTS "
                 "(SELECT 1 FROM feed_unfanned_posts n WHERE n.post_id = p.id)",
                 reader_id, author_id));
  db.execute(
      "INSERT INTO feed_counts (reader_id, entries) VALUES (?, ?) "
      "ON DUPLICATE KEY UPDATE entries = entries + VALUES(entries)",
      reader_id, added);
}

void remove_author_from_feed(core::Db& db, std::int64_t reader_id, std::int64_t author_id) {
  const auto removed = static_cast<std::int64_t>(
      db.execute("DELETE e FROM posts p STRAIGHT_JOIN feed_entries e "
                 "ON e.reader_id = ? AND e.timestamp = p.timestamp AND e.post_id = p.id "
                 "WHERE p.author_id = ?",
                 reader_id, author_id));
  db.execute("UPDATE feed_counts SET entries = IF(entries > ?, entries - ?, 0) WHERE reader_id = ?",
             removed, removed, reader_id);
}

long feed_size(core::Db& db, std::int64_t reader_id) {
  static const std::string q = std::string(kCachedSelect).append(kFeedSizeSql);
  auto rs = db.query(q, reader_id, reader_id);
  return rs->next() ? static_cast<long>(rs->getInt64(1)) : 0;
}

void rebuild_feeds(core::Db& db) {
  db.execute("DELETE FROM feed_counts");
  db.execute("DELETE FROM feed_entries");
  // A hundred readers per statement, their rows in primary-key order: a
  // million posts make tens of millions of rows, appended to the index
  // rather than scattered through it.
  constexpr std::int64_t kReaders = 100;
  auto rs = db.query("SELECT COALESCE(MAX(id), 0) FROM users");
  const std::int64_t last = rs->next() ? rs->getInt64(1) : 0;
  for (std::int64_t first = 0; first <= last; first += kReaders) {
    db.execute(
        "INSERT INTO feed_entries (reader_id, timestamp, post_id) "
        "SELECT f.follower_id, p.timestamp, p.id FROM follows f "
        "JOIN posts p ON p.author_id = f.followed_id WHERE f.follower_id BETWEEN ? AND ? "
        "AND NOT EXISTS (SELECT 1 FROM feed_unfanned_posts n WHERE n.post_id = p.id) "
        "ORDER BY f.follower_id, p.timestamp, p.id",
        first, first + kReaders - 1);
  }
  db.execute(
      "INSERT INTO feed_counts (reader_id, entries) "
      "SELECT reader_id, COUNT(*) FROM feed_entries GROUP BY reader_id");
  db.execute("DELETE FROM feed_big_authors");
  db.execute(
      "INSERT INTO feed_big_authors (author_id, posts) "
      "SELECT author_id, COUNT(*) FROM feed_unfanned_posts GROUP BY author_id");
}

}  // namespace inkwell::models
