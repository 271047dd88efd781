#include "cli/fake_data.hpp"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>

#include "cli/batch_insert.hpp"
#include "core/markdown.hpp"
#include "core/security.hpp"
#include "models/feed.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::models {
namespace {

using Micros = std::int64_t;  // microseconds since the Unix epoch, UTC
constexpr Micros kSecond = 1'000'000;
constexpr Micros kDay = 86'400 * kSecond;

// ---- word lists (lower-case ASCII; names at most 8 letters) ----

constexpr std::array kFirstNames = {
    "alice", "bruno", "carla",  "david",  "elena", "felix", "grace", "hugo",  "irene", "jonas",
    "karin", "liam",  "maria",  "nadia",  "oscar", "paula", "quinn", "rosa",  "samir", "tania",
    "ugo",   "vera",  "walter", "xenia",  "yusuf", "zoe",   "anna",  "ben",   "chloe", "diego",
    "emma",  "farid", "gita",   "henrik", "ines",  "jack",  "kenji", "lucia", "mateo", "nora"};
constexpr std::array kLastNames = {"adams",  "baker",  "costa",  "dubois", "evans",    "fischer",
                                   "garcia", "hansen", "ito",    "jensen", "kowalski", "lopez",
                                   "moreau", "nguyen", "olsen",  "petrov", "quint",    "rossi",
                                   "silva",  "tanaka", "ullman", "varga",  "weber",    "xu",
                                   "young",  "zimmer", "berg",   "novak",  "khan",     "meyer"};
constexpr std::array kCities = {"Lisbon",  "Oslo",       "Lyon",  "Kyoto",   "Austin",  "Porto",
                                "Krakow",  "Dublin",     "Ghent", "Tartu",   "Bologna", "Quito",
                                "Nairobi", "Toronto",    "Leeds", "Seville", "Bergen",  "Graz",
                                "Utrecht", "Valparaiso", "Osaka", "Hanoi",   "Tbilisi", "Malmo"};
constexpr std::array kAbout = {"I write about small things that matter.",
                               "Coffee first, opinions later.",
                               "Amateur astronomer and professional procrastinator.",
                               "Gardener, reader, occasional poet.",
                               "I post about code, cooking and cats.",
                               "Learning something new every day.",
                               "Runner. Baker. Bad at chess.",
                               "Here for the conversations.",
                               "Notes from a life in the slow lane.",
                               "Photographs, trains and old maps.",
                               "Mostly harmless.",
                               "Teacher by day, guitarist by night."};
constexpr std::array kWords = {
    "the",     "a",       "morning",  "coffee",   "garden",   "river",    "book",    "idea",
    "city",    "train",   "window",   "letter",   "music",    "evening",  "simple",  "quiet",
    "bright",  "old",     "new",      "strange",  "small",    "long",     "warm",    "cold",
    "green",   "blue",    "happy",    "careful",  "walk",     "write",    "read",    "think",
    "build",   "cook",    "forget",   "remember", "discover", "explain",  "share",   "follow",
    "listen",  "wonder",  "always",   "never",    "today",    "slowly",   "again",   "together",
    "almost",  "really",  "perhaps",  "finally",  "and",      "but",      "because", "while",
    "with",    "about",   "under",    "over",     "through",  "before",   "after",   "we",
    "they",    "you",     "my",       "our",      "their",    "some",     "every",   "many",
    "few",     "project", "weekend",  "holiday",  "story",    "question", "answer",  "problem",
    "recipe",  "bicycle", "mountain", "ocean",    "library",  "kitchen",  "friend",  "neighbour",
    "teacher", "student", "painting", "photo",    "song",     "game",     "market",  "street",
    "bridge",  "forest",  "is",       "was",      "feels",    "seems",    "looks",   "makes",
    "needs",   "works",   "of",       "in",       "on",       "at",       "for",     "to"};
constexpr std::array kLinkPaths = {"",        "notes",   "blog/2024/01", "docs",
                                   "recipes", "gallery", "about",        "projects/inkwell"};

// ---- randomness: reproducible across standard libraries ----

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, n) for n > 0 (multiply-shift; the bias is below n / 2^64).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(engine_()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  template <class T, std::size_t N>
  std::size_t index(const std::array<T, N>&) {
    return static_cast<std::size_t>(below(N));
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

// ---- text ----

std::string capitalized(std::string_view word) {
  std::string s(word);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// 4 to 12 words; sometimes one in *emphasis* or **strong**, sometimes a link.
void append_sentence(Random& r, std::string& out) {
  auto words = static_cast<std::size_t>(r.between(4, 12));
  std::size_t emphasis = r.one_in(5) ? r.below(words) : words;
  std::size_t link = r.one_in(10) ? r.below(words) : words;
  for (std::size_t i = 0; i < words; ++i) {
    if (i > 0) out += ' ';
    std::string word = i == 0 ? capitalized(r.pick(kWords)) : std::string(r.pick(kWords));
    if (i == emphasis) {
      const char* mark = r.one_in(3) ? "**" : "*";
      out.append(mark).append(word).append(mark);
    } else if (i == link) {
      out.append("[").append(word).append("](https://example.com/").append(r.pick(kLinkPaths));
      out += ')';
    } else {
      out += word;
    }
  }
  out += r.one_in(10) ? '!' : r.one_in(10) ? '?' : '.';
}

// `sentences` sentences, now and then split into paragraphs.
std::string markdown_text(Random& r, long sentences) {
  std::string out;
  for (long i = 0; i < sentences; ++i) {
    if (i > 0) out += r.one_in(4) ? "\n\n" : " ";
    append_sentence(r, out);
  }
  return out;
}

// ---- time ----

Micros now_micros() {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return static_cast<Micros>(now.time_since_epoch().count()) * kSecond;
}

// "YYYY-MM-DD HH:MM:SS.ffffff", for DATETIME(6) columns (UTC).
std::string datetime(Micros t) {
  std::time_t seconds = static_cast<std::time_t>(t / kSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long>(t % kSecond));
  return buf;
}

// A moment in [max(after, not_before), now].
Micros moment(Random& r, Micros after, Micros not_before, Micros now) {
  Micros lo = std::min(std::max(after, not_before), now);
  return r.between(lo, now);
}

// ---- bulk inserts: multi-row INSERTs with bound parameters ----

// Runs a statement without parameters, outside Db's slow-query log (every
// bulk statement here is slow on purpose; the report has the timings).
void run(core::Db& db, const char* sql) {
  std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(sql));
  ps->executeUpdate();
}

std::int64_t scalar(core::Db& db, const char* sql) {
  std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(sql));
  std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
  return rs->next() ? rs->getInt64(1) : 0;
}

// ---- the generated rows ----

struct Member {  // a user who can write, follow and comment
  std::int64_t id = 0;
  Micros since = 0;
};
struct Published {  // a post that can be commented on
  std::int64_t id = 0;
  Micros at = 0;
};

// Loads the existing users or posts when this run makes none of its own.
std::vector<Member> existing_members(core::Db& db) {
  std::vector<Member> out;
  std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(
      "SELECT id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01', member_since) FROM users ORDER BY id"));
  std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getInt64(2)});
  return out;
}

std::vector<Published> existing_posts(core::Db& db) {
  std::vector<Published> out;
  std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(
      "SELECT id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01', timestamp) FROM posts ORDER BY id"));
  std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getInt64(2)});
  return out;
}

class Stopwatch {
 public:
  explicit Stopwatch(FakeReport& report) : report_(report) {}
  void lap(const char* name) {
    auto now = std::chrono::steady_clock::now();
    report_.phases.push_back({name, std::chrono::duration<double>(now - last_).count()});
    last_ = now;
  }

 private:
  FakeReport& report_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

std::vector<Member> make_users(core::Db& db, Random& r, const FakeOptions& o, Micros now,
                               const std::string& password_hash) {
  struct Draft {
    std::size_t first, last, city, about;
    Micros since, seen;
  };
  std::vector<Draft> drafts(static_cast<std::size_t>(o.users));
  for (Draft& d : drafts) {
    d.first = r.index(kFirstNames);
    d.last = r.index(kLastNames);
    d.city = r.index(kCities);
    d.about = r.index(kAbout);
    d.since = now - static_cast<Micros>(r.below(730 * kDay));
    d.seen = r.between(d.since, now);
  }
  // Ids in the order people joined, as on a real site.
  std::stable_sort(drafts.begin(), drafts.end(),
                   [](const Draft& a, const Draft& b) { return a.since < b.since; });

  std::int64_t base = scalar(db, "SELECT id FROM users ORDER BY id DESC LIMIT 1 FOR UPDATE");
  std::int64_t role = scalar(db, "SELECT id FROM roles WHERE is_default ORDER BY id LIMIT 1");
  if (role == 0) throw std::runtime_error("no default role: run `inkwell migrate` first");

  BatchInsert users(db,
                    "INSERT INTO users (id, email, username, role_id, password_hash, confirmed, "
                    "name, location, about_me, member_since, last_seen, avatar_hash)",
                    12);
  BatchInsert selves(db, "INSERT INTO follows (follower_id, followed_id, timestamp)", 3);
  std::vector<Member> members;
  members.reserve(drafts.size());
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const Draft& d = drafts[i];
    std::int64_t id = base + static_cast<std::int64_t>(i) + 1;
    std::string username =
        o.prefix + kFirstNames[d.first] + "." + kLastNames[d.last] + std::to_string(id);
    std::string email = username + "@example.com";
    if (!valid_username(username) || !valid_email(email)) {
      throw std::runtime_error("generated an invalid account: " + username + " / " + email);
    }
    std::string since = datetime(d.since);
    users.row(id, email, username, role, password_hash, std::int64_t{1},
              capitalized(kFirstNames[d.first]) + " " + capitalized(kLastNames[d.last]),
              std::string(kCities[d.city]), std::string(kAbout[d.about]), since, datetime(d.seen),
              avatar_hash_for(email));
    selves.row(id, id, std::move(since));
    members.push_back({id, d.since});
  }
  users.flush();
  selves.flush();
  return members;
}

std::vector<Published> make_posts(core::Db& db, Random& r, long count,
                                  const std::vector<Member>& authors, Micros now) {
  struct Draft {
    std::uint32_t author;
    Micros at;
  };
  std::vector<Draft> drafts(static_cast<std::size_t>(count));
  for (Draft& d : drafts) {
    d.author = static_cast<std::uint32_t>(r.below(authors.size()));
    d.at = moment(r, authors[d.author].since, now - 365 * kDay, now);
  }
  std::stable_sort(drafts.begin(), drafts.end(),
                   [](const Draft& a, const Draft& b) { return a.at < b.at; });

  std::int64_t base = scalar(db, "SELECT id FROM posts ORDER BY id DESC LIMIT 1 FOR UPDATE");
  // Into an empty table, the drafts (in time order) take their positions as
  // they come; otherwise recompute_counters renumbers every post.
  const bool first = base == 0;
  std::vector<std::uint32_t> by_author(first ? authors.size() : 0, 0);
  BatchInsert posts(db,
                    first ? "INSERT INTO posts (id, body, body_html, timestamp, author_id, seq, "
                            "author_seq)"
                          : "INSERT INTO posts (id, body, body_html, timestamp, author_id)",
                    first ? 7 : 5);
  std::vector<Published> out;
  out.reserve(drafts.size());
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    std::int64_t id = base + static_cast<std::int64_t>(i) + 1;
    std::string body = markdown_text(r, r.between(1, 5));
    std::string html = core::markdown_to_html(body);
    const std::int64_t author = authors[drafts[i].author].id;
    if (first) {
      posts.row(id, std::move(body), std::move(html), datetime(drafts[i].at), author,
                static_cast<std::int64_t>(i) + 1,
                static_cast<std::int64_t>(++by_author[drafts[i].author]));
    } else {
      posts.row(id, std::move(body), std::move(html), datetime(drafts[i].at), author);
    }
    out.push_back({id, drafts[i].at});
  }
  posts.flush();
  return out;
}

// Each member follows between ceil(k/2) and k others (never themselves), drawn
// without repetition (Floyd's algorithm). Returns the number of new rows.
long make_follows(core::Db& db, Random& r, long k, const std::vector<Member>& members, Micros now) {
  // A pair that already exists (a run on existing users) is left as it was,
  // and not counted: the affected-row count of a no-op update is 0.
  BatchInsert follows(db, "INSERT INTO follows (follower_id, followed_id, timestamp)", 3,
                      "ON DUPLICATE KEY UPDATE follower_id = follower_id");
  const std::uint64_t others = members.size() - 1;
  std::unordered_set<std::uint64_t> taken;
  std::vector<std::uint64_t> chosen;
  for (std::size_t i = 0; i < members.size(); ++i) {
    auto want = static_cast<std::uint64_t>(r.between((k + 1) / 2, k));
    want = std::min(want, others);
    taken.clear();
    chosen.clear();
    for (std::uint64_t j = others - want; j < others; ++j) {
      std::uint64_t t = r.below(j + 1);
      if (!taken.insert(t).second) {
        t = j;
        taken.insert(t);
      }
      chosen.push_back(t);
    }
    for (std::uint64_t t : chosen) {
      const Member& followed = members[t >= i ? t + 1 : t];
      follows.row(members[i].id, followed.id,
                  datetime(moment(r, members[i].since, followed.since, now)));
    }
  }
  follows.flush();
  return follows.affected();
}

// Returns the number of disabled comments.
long make_comments(core::Db& db, Random& r, long count, const std::vector<Published>& posts,
                   const std::vector<Member>& authors, Micros now) {
  struct Draft {
    std::uint32_t post, author;
    Micros at;
    bool disabled;
  };
  std::vector<Draft> drafts(static_cast<std::size_t>(count));
  for (Draft& d : drafts) {
    d.post = static_cast<std::uint32_t>(r.below(posts.size()));
    d.author = static_cast<std::uint32_t>(r.below(authors.size()));
    d.at = moment(r, posts[d.post].at, authors[d.author].since, now);
    d.disabled = r.one_in(20);
  }
  std::stable_sort(drafts.begin(), drafts.end(),
                   [](const Draft& a, const Draft& b) { return a.at < b.at; });

  std::int64_t base = scalar(db, "SELECT id FROM comments ORDER BY id DESC LIMIT 1 FOR UPDATE");
  BatchInsert comments(
      db, "INSERT INTO comments (id, body, body_html, timestamp, disabled, author_id, post_id)", 7);
  long disabled = 0;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const Draft& d = drafts[i];
    std::string body = markdown_text(r, r.between(1, 2));
    std::string html = core::markdown_to_html(body);
    comments.row(base + static_cast<std::int64_t>(i) + 1, std::move(body), std::move(html),
                 datetime(d.at), std::int64_t{d.disabled}, authors[d.author].id, posts[d.post].id);
    disabled += d.disabled;
  }
  comments.flush();
  return disabled;
}

}  // namespace

void recompute_counters(core::Db& db) {
  // Positions first: the counters below are what they are checked against.
  if (scalar(db, "SELECT COUNT(*) FROM posts") !=
          scalar(db, "SELECT COALESCE(MAX(seq), 0) FROM posts") ||
      scalar(db, "SELECT COUNT(*) FROM posts WHERE seq IS NULL") > 0) {
    renumber_post_positions(db);
  }
  run(db,
      "UPDATE users u"
      " LEFT JOIN (SELECT author_id, COUNT(*) AS n FROM posts GROUP BY author_id) p"
      "   ON p.author_id = u.id"
      " LEFT JOIN (SELECT followed_id, COUNT(*) AS n FROM follows"
      "   WHERE follower_id <> followed_id GROUP BY followed_id) fr ON fr.followed_id = u.id"
      " LEFT JOIN (SELECT follower_id, COUNT(*) AS n FROM follows"
      "   WHERE follower_id <> followed_id GROUP BY follower_id) fg ON fg.follower_id = u.id"
      " SET u.post_count = COALESCE(p.n, 0), u.followers_count = COALESCE(fr.n, 0),"
      "  u.following_count = COALESCE(fg.n, 0)");
  run(db,
      "UPDATE posts p"
      " LEFT JOIN (SELECT post_id, COUNT(*) AS n FROM comments GROUP BY post_id) c"
      "   ON c.post_id = p.id"
      " SET p.comment_count = COALESCE(c.n, 0)");
  run(db,
      "INSERT INTO counters (name, value) SELECT 'posts', COUNT(*) FROM posts"
      " ON DUPLICATE KEY UPDATE value = VALUES(value)");
  run(db,
      "INSERT INTO counters (name, value) SELECT 'comments', COUNT(*) FROM comments"
      " ON DUPLICATE KEY UPDATE value = VALUES(value)");
  // The followed feeds are written with each post and follow: bulk rows
  // need them built.
  rebuild_feeds(db);
}

bool valid_fake_prefix(const std::string& prefix) {
  if (prefix.empty()) return true;
  if (prefix.size() > 16 || prefix[0] < 'a' || prefix[0] > 'z') return false;
  return std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

FakeReport make_fake_data(core::Db& db, const FakeOptions& o) {
  if (o.users < 0 || o.posts < 0 || o.follows < 0 || o.comments < 0) {
    throw std::invalid_argument("counts must not be negative");
  }
  if (!valid_fake_prefix(o.prefix)) {
    throw std::invalid_argument("--prefix must match ^[a-z][a-z0-9_]{0,15}$");
  }
  FakeReport report;
  Stopwatch watch(report);
  Random r(o.seed);
  const Micros now = now_micros();

  std::string password_hash;
  if (o.users > 0) {
    password_hash = security::hash_password(kFakePassword, o.password_method);
    watch.lap("password hash");
  }

  core::Db::Transaction tx(db);
  std::vector<Member> members;
  if (o.users > 0) {
    members = make_users(db, r, o, now, password_hash);
    report.users = static_cast<long>(members.size());
    watch.lap("users");
  } else if (o.posts > 0 || o.follows > 0 || o.comments > 0) {
    members = existing_members(db);
    if (members.empty()) throw std::invalid_argument("there are no users yet: use --users");
  }

  std::vector<Published> posts;
  if (o.posts > 0) {
    posts = make_posts(db, r, o.posts, members, now);
    report.posts = static_cast<long>(posts.size());
    watch.lap("posts");
  } else if (o.comments > 0) {
    posts = existing_posts(db);
    if (posts.empty()) throw std::invalid_argument("there are no posts yet: use --posts");
  }

  if (o.follows > 0 && members.size() > 1) {
    report.follows = make_follows(db, r, o.follows, members, now);
    watch.lap("follows");
  }
  if (o.comments > 0) {
    report.disabled_comments = make_comments(db, r, o.comments, posts, members, now);
    report.comments = o.comments;
    watch.lap("comments");
  }

  recompute_counters(db);
  watch.lap("counters");
  tx.commit();
  watch.lap("commit");
  return report;
}

}  // namespace inkwell::models
