// The text of posts (Markdown source and rendered HTML) kept by each worker,
// keyed by (id, version): lists of posts read only ids, versions and the
// small columns from the database, and the text of the posts not kept here
// in one more query (models::post.cpp). posts.version goes up with every
// edit (update_post), in the same row as the text, so an entry is never
// served after the post changed, whichever host changed it: the version is
// read with the list, in the same query, every time. Anything that rewrites
// posts.body or posts.body_html must bump posts.version too.
//
// Least recently used entries go first once max_bytes of text is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

namespace inkwell::models {

struct PostText {
  std::string body;       // Markdown source
  std::string body_html;  // rendered, sanitised
};

class PostTextCache {
 public:
  explicit PostTextCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The text of post id at version (now the most recently used), or nullptr.
  const PostText* find(std::int64_t id, std::uint32_t version);
  // Keeps text as post id's at version, replacing any other version.
  void put(std::int64_t id, std::uint32_t version, PostText text);

  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return index_.size(); }

 private:
  struct Entry {
    std::int64_t id;
    std::uint32_t version;
    PostText text;
    std::size_t bytes() const { return text.body.size() + text.body_html.size() + 64; }
  };
  void erase(std::list<Entry>::iterator it);

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::int64_t, std::list<Entry>::iterator> index_;
};

}  // namespace inkwell::models
