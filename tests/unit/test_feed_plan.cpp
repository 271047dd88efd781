#include <doctest/doctest.h>

#include "models/post.hpp"

TEST_CASE("followed feed: walk the timeline when followed posts are dense, gather when sparse") {
  using inkwell::models::feed_walks_timeline;
  // 100,000 posts, a reader following 50 of 1,000 authors (5,000 posts):
  // walking reads ~400 entries for page 1, gathering 5,000.
  CHECK(feed_walks_timeline(0, 20, 100000, 5000));
  // Deep pages make walking dearer: page 300 would walk ~120,000 entries.
  CHECK_FALSE(feed_walks_timeline(6000, 20, 100000, 5000));
  // Following a few quiet authors: gather their handful of posts.
  CHECK_FALSE(feed_walks_timeline(0, 20, 100000, 30));
  CHECK_FALSE(feed_walks_timeline(0, 20, 100000, 0));
  CHECK_FALSE(feed_walks_timeline(0, 20, 0, 0));
  // Following nearly everyone: walking reads little more than the page.
  CHECK(feed_walks_timeline(0, 20, 100000, 99000));
}
