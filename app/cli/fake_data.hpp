// Fake data for development and benchmarks (`inkwell fake`): users, posts,
// follows and comments made from small word lists, inserted in bulk.
//
// Reproducible: everything is drawn from one std::mt19937_64 seeded with
// `seed`, through our own bounded draws (the standard distributions differ
// between standard libraries), so the same seed gives the same names, texts,
// authors, follow pairs and time offsets. Timestamps are offsets before the
// moment of the run; ids continue after the tables' largest ones; the shared
// password hash has a random salt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

struct FakeOptions {
  long users = 0;     // new users
  long posts = 0;     // new posts by random users (this run's, else existing ones)
  long follows = 0;   // each user follows up to this many random others
  long comments = 0;  // new comments in total on random posts by random users
  std::uint64_t seed = 0;
  // Prepended to the usernames and emails, so that runs can be told apart:
  // empty or ^[a-z][a-z0-9_]{0,15}$.
  std::string prefix;
  // The method of the one password hash all fake users share (Config).
  std::string password_method;
};

// The password of every fake user.
inline constexpr const char* kFakePassword = "password";

struct FakeReport {
  long users = 0;
  long posts = 0;
  long follows = 0;  // new follow rows, besides the users' own self-follow rows
  long comments = 0;
  long disabled_comments = 0;
  struct Phase {
    std::string name;
    double seconds = 0;
  };
  std::vector<Phase> phases;  // in order: password hash, users, posts, ...
};

// Recomputes every counter from the rows it counts, whoever made them:
// users.post_count, followers_count and following_count (self-follows left
// out), posts.comment_count, the counters 'posts' and 'comments', and the
// followed feeds (models::rebuild_feeds). Used
// after bulk inserts (fake data, `inkwell import-flasky`), inside their
// transaction.
void recompute_counters(core::Db& db);

// True when prefix may start usernames (see FakeOptions::prefix).
bool valid_fake_prefix(const std::string& prefix);

// Adds the data in one transaction (all or nothing), then recomputes every
// counter (recompute_counters), so that they are exact even if they had
// drifted before. Throws std::invalid_argument for impossible options (e.g.
// posts but no user at all) and sql::SQLException when the database refuses.
FakeReport make_fake_data(core::Db& db, const FakeOptions& options);

}  // namespace inkwell::models
