#include "models/post.hpp"

#include <algorithm>

#include "core/db_health.hpp"
#include "core/log.hpp"
#include "core/markdown.hpp"
#include "models/cached_select.hpp"
#include "models/feed.hpp"
#include "models/procedure_call.hpp"

namespace inkwell::models {

Post read_post(sql::ResultSet& rs, int first) {
  Post p;
  p.id = rs.getInt64(first);
  p.body = rs.getString(first + 1);
  p.body_html = rs.getString(first + 2);
  p.timestamp = rs.getString(first + 3);
  p.author_id = rs.getInt64(first + 4);
  p.author_username = rs.getString(first + 5);
  p.author_avatar_hash = rs.getString(first + 6);
  p.comment_count = static_cast<long>(rs.getInt64(first + 7));
  return p;
}

namespace {

// Every list is one query joined with the authors; the ISO time comes from SQL.
constexpr std::string_view kColumns = kPostColumns;
constexpr std::string_view kFromPosts = "FROM posts p JOIN users u ON u.id = p.author_id ";
constexpr std::string_view kNewestFirst = "ORDER BY p.timestamp DESC, p.id DESC LIMIT ? OFFSET ?";
// No site has this many posts: a larger offset is past the end.
constexpr long kMaxOffset = 1'000'000'000'000L;
// From this offset on, a page of all posts is found in the index first.
constexpr long kDeepOffset = 200;

std::string sql_text(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

std::vector<Post> read_posts(sql::ResultSet& rs) {
  std::vector<Post> out;
  out.reserve(rs.rowsCount());
  while (rs.next()) out.push_back(read_post(rs));
  return out;
}

// A page whose rows carry the list's total in a last column (the 9th):
// the posts into out; returns the total (0 without rows).
long read_page_and_total(sql::ResultSet& rs, std::vector<Post>& out) {
  out.reserve(rs.rowsCount());
  long total = 0;
  while (rs.next()) {
    out.push_back(read_post(rs));
    total = static_cast<long>(rs.getInt64(9));
  }
  return total;
}

long read_count(sql::ResultSet& rs) {
  return rs.next() ? static_cast<long>(rs.getInt64(1)) : 0;
}

}  // namespace

std::vector<Post> recent_posts(core::Db& db, long limit, long offset) {
  // The first pages (the home page): posts_timeline read backwards, each row
  // joined as it comes, stopping at the limit; no sort. STRAIGHT_JOIN and
  // FORCE INDEX because the optimizer otherwise starts from users and sorts
  // every post, blobs included, in an on-disk temporary table.
  static const std::string shallow =
      sql_text({kCachedSelect, "STRAIGHT_JOIN ", kColumns,
                "FROM posts p FORCE INDEX (posts_timeline) JOIN users u ON u.id = p.author_id ",
                kNewestFirst});
  // Deep pages: skip the offset inside the index alone (a deferred join),
  // then fetch only the page's rows.
  static const std::string deep = sql_text(
      {kCachedSelect, "STRAIGHT_JOIN ", kColumns,
       "FROM (SELECT id, timestamp FROM posts ORDER BY timestamp DESC, id DESC "
       "LIMIT ? OFFSET ?) AS k JOIN posts p ON p.id = k.id JOIN users u ON u.id = p.author_id "
       "ORDER BY k.timestamp DESC, k.id DESC"});
  return read_posts(*db.query(offset < kDeepOffset ? shallow : deep, limit, offset));
}

namespace {

// How many posts a page at offset shows out of total.
long rows_expected(long total, long offset, long limit) {
  return std::clamp(total - offset, 0L, limit);
}

// A page read by positions found fewer or more rows than the counter says:
// positions have a hole or a twin (rows changed by hand). The page is then
// read by OFFSET, correct but slow, and this says so at most once a minute.
void positions_out_of_step(std::string_view what) {
  static std::int64_t last = 0;
  const std::int64_t now = core::DbHealth::now_ms();
  if (now - last < 60000) return;
  last = now;
  core::log("post positions (", what,
            ") out of step with the counters: pages read by OFFSET until "
            "sql/admin/renumber_posts.sql is run");
}

// A feed page found fewer rows than the reader's count says: rows of
// posts, follows or feeds were changed by hand. Said at most once a minute.
void feed_out_of_step() {
  static std::int64_t last = 0;
  const std::int64_t now = core::DbHealth::now_ms();
  if (now - last < 60000) return;
  last = now;
  core::log("followed feeds out of step with their counts: run sql/admin/rebuild_feeds.sql");
}

}  // namespace

PostPage recent_posts_page(core::Db& db, long page, long per_page) {
  PostPage out;
  // (A page number so large that its offset could overflow is past the end
  // of any site: the counter path below answers it.)
  if (per_page >= 1 && page >= 1 && page - 1 < kMaxOffset / per_page) {
    // One query: the counter (a const table, read first) and the page's
    // positions below it, each row joined with its author as it comes.
    static const std::string q =
        sql_text({kCachedSelect, "STRAIGHT_JOIN ", kColumns,
                  ", c.value FROM counters c "
                  "JOIN posts p FORCE INDEX (posts_seq) JOIN users u ON u.id = p.author_id "
                  "WHERE c.name = 'posts' AND p.seq > CAST(c.value AS SIGNED) - ? "
                  "AND p.seq <= CAST(c.value AS SIGNED) - ? ORDER BY p.seq DESC"});
    const long offset = (page - 1) * per_page;
    const long total = read_page_and_total(*db.query(q, offset + per_page, offset), out.posts);
    if (!out.posts.empty()) {
      out.pagination = core::paginate(page, per_page, total);
      if (static_cast<long>(out.posts.size()) == rows_expected(total, offset, per_page)) {
        return out;
      }
      positions_out_of_step("site");
      out.posts = recent_posts(db, per_page, offset);
      return out;
    }
  }
  // The last page (?page=-1), a page past the end, an empty site: the
  // counter first, then the posts if any.
  out.pagination = core::paginate(page, per_page, count_posts(db));
  const core::Pagination& p = out.pagination;
  if (p.offset() >= p.total) return out;
  static const std::string q =
      sql_text({kCachedSelect, "STRAIGHT_JOIN ", kColumns,
                "FROM posts p FORCE INDEX (posts_seq) JOIN users u ON u.id = p.author_id "
                "WHERE p.seq > ? AND p.seq <= ? ORDER BY p.seq DESC"});
  const long top = p.total - p.offset();
  out.posts = read_posts(*db.query(q, top - p.per_page, top));
  if (static_cast<long>(out.posts.size()) != rows_expected(p.total, p.offset(), p.per_page)) {
    positions_out_of_step("site");
    out.posts = recent_posts(db, p.per_page, p.offset());
  }
  return out;
}

std::vector<Post> posts_by_author(core::Db& db, std::int64_t author_id, long limit, long offset) {
  // posts_author (author_id, timestamp, id) read backwards: no sort.
  static const std::string q =
      sql_text({kCachedSelect, kColumns, kFromPosts, "WHERE p.author_id = ? ", kNewestFirst});
  return read_posts(*db.query(q, author_id, limit, offset));
}

PostPage author_posts_page(core::Db& db, std::int64_t author_id, long post_count, long page,
                           long per_page) {
  PostPage out;
  out.pagination = core::paginate(page, per_page, post_count);
  const core::Pagination& p = out.pagination;
  if (p.offset() >= p.total) return out;
  static const std::string q =
      sql_text({kCachedSelect, kColumns,
                "FROM posts p FORCE INDEX (posts_author_seq) JOIN users u ON u.id = p.author_id "
                "WHERE p.author_id = ? AND p.author_seq > ? AND p.author_seq <= ? "
                "ORDER BY p.author_seq DESC"});
  const long top = p.total - p.offset();
  out.posts = read_posts(*db.query(q, author_id, top - p.per_page, top));
  if (static_cast<long>(out.posts.size()) != rows_expected(p.total, p.offset(), p.per_page)) {
    positions_out_of_step("author");
    out.posts = posts_by_author(db, author_id, p.per_page, p.offset());
  }
  return out;
}

std::optional<UserPostsPage> user_posts_page(core::Db& db, std::string_view username, long page,
                                             long per_page) {
  const std::optional<long> start = core::offset_from_start(page, per_page);
  if (!start || per_page < 1 || *start >= kMaxOffset) {
    auto user = find_user_by_username(db, username);
    if (!user) return std::nullopt;
    PostPage posts = author_posts_page(db, user->id, user->post_count, page, per_page);
    return UserPostsPage{std::move(*user), std::move(posts)};
  }
  // The page's positions counted down from the user's post_count, as in
  // author_posts_page; past the end the range is empty and the user's row
  // comes alone, with NULLs for the post's columns.
  static const std::string q =
      sql_text({kCachedSelect, kUserColumns, ", ", kColumns, kUserFrom,
                "LEFT JOIN posts p FORCE INDEX (posts_author_seq) ON p.author_id = u.id "
                "AND p.author_seq > CAST(u.post_count AS SIGNED) - ? "
                "AND p.author_seq <= CAST(u.post_count AS SIGNED) - ? "
                "WHERE u.username = ? ORDER BY p.author_seq DESC"});
  const long offset = *start;
  auto rs = db.query(q, offset + per_page, offset, username);
  if (!rs->next()) return std::nullopt;
  UserPostsPage out{read_user_row(*rs), {}};
  constexpr int kFirstPost = kUserColumnCount + 1;
  do {
    if (!rs->isNull(kFirstPost)) out.page.posts.push_back(read_post(*rs, kFirstPost));
  } while (rs->next());
  out.page.pagination = core::paginate(page, per_page, out.user.post_count);
  const core::Pagination& p = out.page.pagination;
  if (static_cast<long>(out.page.posts.size()) != rows_expected(p.total, p.offset(), p.per_page)) {
    positions_out_of_step("author");
    out.page.posts = posts_by_author(db, out.user.id, p.per_page, p.offset());
  }
  return out;
}

std::vector<Post> all_posts_by_author(core::Db& db, std::int64_t author_id) {
  // posts_author (author_id, timestamp, id) read forwards: no sort.
  static const std::string q = sql_text(
      {kCachedSelect, kColumns, kFromPosts, "WHERE p.author_id = ? ORDER BY p.timestamp, p.id"});
  return read_posts(*db.query(q, author_id));
}

PostPage followed_feed(core::Db& db, std::int64_t user_id, long page, long per_page) {
  // The reader's feed rows (feed_entries, written by create_post, follow and
  // unfollow) newest first, merged with the unfanned posts of the big
  // authors they follow (models/feed.hpp), each side cut at the page's end
  // (its primary key read backwards), then joined with the posts and their
  // authors; and the feed's size: one query for any page that has posts.
  PostPage out;
  if (per_page >= 1 && page >= 1 && page - 1 < kMaxOffset / per_page) {
    static const std::string q =
        sql_text({kCachedSelect, "STRAIGHT_JOIN ", kColumns, ", ", kFeedSizeSql,
                  " FROM ((SELECT timestamp, post_id FROM feed_entries WHERE reader_id = ? "
                  "ORDER BY timestamp DESC, post_id DESC LIMIT ?) UNION ALL "
                  "(SELECT n.timestamp, n.post_id FROM feed_big_authors b JOIN follows f "
                  "ON f.follower_id = ? AND f.followed_id = b.author_id "
                  "JOIN feed_unfanned_posts n ON n.author_id = b.author_id "
                  "ORDER BY n.timestamp DESC, n.post_id DESC LIMIT ?) "
                  "ORDER BY timestamp DESC, post_id DESC LIMIT ? OFFSET ?) AS k "
                  "JOIN posts p ON p.id = k.post_id JOIN users u ON u.id = p.author_id "
                  "ORDER BY k.timestamp DESC, k.post_id DESC"});
    const long offset = (page - 1) * per_page;
    const long end = offset + per_page;
    const long total = read_page_and_total(
        *db.query(q, user_id, user_id, user_id, end, user_id, end, per_page, offset), out.posts);
    if (!out.posts.empty()) {
      out.pagination = core::paginate(page, per_page, total);
      if (static_cast<long>(out.posts.size()) != rows_expected(total, offset, per_page)) {
        feed_out_of_step();
      }
      return out;
    }
  }
  // The last page (?page=-1), a page past the end, an empty feed: the size
  // first, then the page as above if it has posts.
  const long total = feed_size(db, user_id);
  out.pagination = core::paginate(page, per_page, total);
  const core::Pagination& p = out.pagination;
  if (p.offset() >= p.total || p.page == page) return out;
  return followed_feed(db, user_id, p.page, per_page);
}

std::optional<Post> find_post(core::Db& db, std::int64_t id) {
  static const std::string q = sql_text({kCachedSelect, kColumns, kFromPosts, "WHERE p.id = ?"});
  auto rs = db.query(q, id);
  if (!rs->next()) return std::nullopt;
  return read_post(*rs);
}

long count_posts(core::Db& db) {
  static const std::string q =
      sql_text({kCachedSelect, "value FROM counters WHERE name = 'posts'"});
  return read_count(*db.query(q));
}

namespace {

// The statements of sql/migrations/0013_write_procedures.sql's
// inkwell_create_post, one round trip each (change both together): when
// the procedure cannot be called, or inside a caller's transaction.
void create_post_statements(core::Db& db, std::int64_t author_id, std::string_view body,
                            const std::string& html, long fanout_max) {
  core::Db::Transaction tx(db);
  // The author's row is locked (by its counter) before the insert takes a
  // shared lock on it for the foreign key: two posts at once queue, never
  // deadlock. Then the site counter: holding both, the post takes the next
  // positions (site and author), and a time strictly after the newest post,
  // so that position order and (timestamp, id) order agree.
  db.execute("UPDATE users SET post_count = post_count + 1 WHERE id = ?", author_id);
  db.execute("UPDATE counters SET value = value + 1 WHERE name = 'posts'");
  db.execute(
      "INSERT INTO posts (body, body_html, author_id, seq, author_seq, timestamp) "
      "SELECT ?, ?, u.id, c.value, u.post_count, GREATEST(UTC_TIMESTAMP(6), "
      "COALESCE((SELECT MAX(k.timestamp) FROM posts k) + INTERVAL 1 MICROSECOND, "
      "UTC_TIMESTAMP(6))) FROM users u JOIN counters c ON c.name = 'posts' WHERE u.id = ?",
      body, html, author_id);
  add_new_post_to_feeds(db, author_id, fanout_max);
  tx.commit();
}

}  // namespace

void create_post(core::Db& db, std::int64_t author_id, std::string_view body, long fanout_max) {
  const std::string html = core::markdown_to_html(body);
  static StoredProcedure procedure{"CALL inkwell_create_post(?, ?, ?, ?)"};
  if (!call_procedure(db, procedure, author_id, body, html, static_cast<std::int64_t>(fanout_max))
           .has_value()) {
    create_post_statements(db, author_id, body, html, fanout_max);
  }
}

std::int64_t created_post_id(core::Db& db) {
  // LAST_INSERT_ID(): the post's; the fan-out's tables have no
  // AUTO_INCREMENT, so their inserts leave it alone.
  return db.last_insert_id();
}

void renumber_post_positions(core::Db& db) {
  db.execute(
      "UPDATE posts p JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY timestamp, id) AS n, "
      "ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY timestamp, id) AS a FROM posts) r "
      "ON r.id = p.id SET p.seq = r.n, p.author_seq = r.a");
}

void update_post(core::Db& db, std::int64_t id, std::string_view body) {
  db.execute("UPDATE posts SET body = ?, body_html = ? WHERE id = ?", body,
             core::markdown_to_html(body), id);
}

}  // namespace inkwell::models
