#include "models/comment.hpp"

#include "core/markdown.hpp"
#include "models/cached_select.hpp"
#include "models/procedure_call.hpp"

namespace inkwell::models {
namespace {

// Every list is one query joined with the authors; the ISO time comes from SQL.
constexpr std::string_view kColumns =
    "c.id, c.body, c.body_html, DATE_FORMAT(c.timestamp, '%Y-%m-%dT%H:%i:%sZ'), "
    "c.disabled, c.author_id, u.username, u.avatar_hash, c.post_id ";

// SELECT the columns of comments c joined with their authors u, then tail.
std::string sql_text(std::string_view tail) {
  std::string out(kCachedSelect);
  out.append(kColumns).append("FROM comments c JOIN users u ON u.id = c.author_id ").append(tail);
  return out;
}

Comment read_comment(sql::ResultSet& rs, int first = 1) {
  Comment c;
  c.id = rs.getInt64(first);
  c.body = rs.getString(first + 1);
  c.body_html = rs.getString(first + 2);
  c.timestamp = rs.getString(first + 3);
  c.disabled = rs.getBoolean(first + 4);
  c.author_id = rs.getInt64(first + 5);
  c.author_username = rs.getString(first + 6);
  c.author_avatar_hash = rs.getString(first + 7);
  c.post_id = rs.getInt64(first + 8);
  return c;
}

std::vector<Comment> read_comments(sql::ResultSet& rs) {
  std::vector<Comment> out;
  out.reserve(rs.rowsCount());
  while (rs.next()) out.push_back(read_comment(rs));
  return out;
}

}  // namespace

std::vector<Comment> comments_of_post(core::Db& db, std::int64_t post_id, long limit, long offset) {
  // comments_post (post_id, timestamp, id): no sort.
  static const std::string q =
      sql_text("WHERE c.post_id = ? ORDER BY c.timestamp ASC, c.id ASC LIMIT ? OFFSET ?");
  return read_comments(*db.query(q, post_id, limit, offset));
}

std::optional<PostWithComments> find_post_with_comments(core::Db& db, std::int64_t post_id,
                                                        long limit, long offset) {
  // The page of comments is a derived table (comments_post: no sort) joined
  // to the post's one row; a post without comments on that page gives one
  // row of NULLs after the post's columns.
  static const std::string q =
      std::string(kCachedSelect).append(kPostColumns) +
      ", k.* FROM posts p JOIN users u ON u.id = p.author_id LEFT JOIN (SELECT " +
      std::string(kColumns) +
      ", c.timestamp AS sort_time FROM comments c JOIN users u ON u.id = c.author_id "
      "WHERE c.post_id = ? ORDER BY c.timestamp ASC, c.id ASC LIMIT ? OFFSET ?) AS k ON TRUE "
      "WHERE p.id = ? ORDER BY k.sort_time ASC, k.id ASC";
  auto rs = db.query(q, post_id, limit, offset, post_id);
  if (!rs->next()) return std::nullopt;
  PostWithComments out;
  out.post = read_post(*rs);
  constexpr int kFirstComment = kPostColumnCount + 1;
  do {
    if (!rs->isNull(kFirstComment)) out.comments.push_back(read_comment(*rs, kFirstComment));
  } while (rs->next());
  return out;
}

std::vector<Comment> comments_by_author(core::Db& db, std::int64_t author_id) {
  // comments_author finds them; an author's comments are few enough to sort.
  static const std::string q = sql_text("WHERE c.author_id = ? ORDER BY c.timestamp, c.id");
  return read_comments(*db.query(q, author_id));
}

std::vector<Comment> recent_comments(core::Db& db, long limit, long offset) {
  // comments_timestamp (timestamp, id) alone skips the offset, then only the
  // page's rows are fetched (a deferred join). Joined plainly, the optimizer
  // starts from users and sorts every comment in a temporary table.
  static const std::string q =
      std::string(kCachedSelect) + "STRAIGHT_JOIN " + std::string(kColumns) +
      "FROM (SELECT id, timestamp FROM comments ORDER BY timestamp DESC, id DESC "
      "LIMIT ? OFFSET ?) AS k JOIN comments c ON c.id = k.id JOIN users u ON u.id = c.author_id "
      "ORDER BY k.timestamp DESC, k.id DESC";
  return read_comments(*db.query(q, limit, offset));
}

long count_comments(core::Db& db) {
  static const std::string q =
      std::string(kCachedSelect).append("value FROM counters WHERE name = 'comments'");
  auto rs = db.query(q);
  return rs->next() ? static_cast<long>(rs->getInt64(1)) : 0;
}

std::optional<Comment> find_comment(core::Db& db, std::int64_t id) {
  static const std::string q = sql_text("WHERE c.id = ?");
  auto rs = db.query(q, id);
  if (!rs->next()) return std::nullopt;
  return read_comment(*rs);
}

namespace {

// The statements of inkwell_create_comment, one round trip each (change both
// together): when the procedure cannot be called, or inside a caller's
// transaction.
bool create_comment_statements(core::Db& db, std::int64_t post_id, std::int64_t author_id,
                               std::string_view body, const std::string& html) {
  core::Db::Transaction tx(db);
  // The post's row is locked (by its counter) before the insert's foreign key
  // takes a shared lock on it: two comments at once queue, never deadlock.
  // No row: no such post, and nothing is stored (rolled back).
  if (db.execute("UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?", post_id) == 0) {
    return false;
  }
  db.execute("INSERT INTO comments (body, body_html, author_id, post_id) VALUES (?, ?, ?, ?)", body,
             html, author_id, post_id);
  db.execute("UPDATE counters SET value = value + 1 WHERE name = 'comments'");
  tx.commit();
  return true;
}

}  // namespace

bool create_comment(core::Db& db, std::int64_t post_id, std::int64_t author_id,
                    std::string_view body) {
  const std::string html = core::markdown_to_html(body);
  static StoredProcedure procedure{"CALL inkwell_create_comment(?, ?, ?, ?)"};
  if (auto wrote = call_procedure(db, procedure, post_id, author_id, body, html)) {
    return *wrote;  // false: no such post
  }
  return create_comment_statements(db, post_id, author_id, body, html);
}

std::int64_t created_comment_id(core::Db& db) {
  // LAST_INSERT_ID() stays the comment's through the counter's update (no
  // insert) and the commit.
  return db.last_insert_id();
}

void set_comment_disabled(core::Db& db, std::int64_t id, bool disabled) {
  db.execute("UPDATE comments SET disabled = ? WHERE id = ?", disabled, id);
}

}  // namespace inkwell::models
