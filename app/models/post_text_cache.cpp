#include "models/post_text_cache.hpp"

namespace inkwell::models {

const PostText* PostTextCache::find(std::int64_t id, std::uint32_t version) {
  auto it = index_.find(id);
  if (it == index_.end() || it->second->version != version) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->text;
}

void PostTextCache::erase(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes();
  index_.erase(it->id);
  lru_.erase(it);
}

void PostTextCache::put(std::int64_t id, std::uint32_t version, PostText text) {
  if (auto it = index_.find(id); it != index_.end()) erase(it->second);
  Entry e{id, version, std::move(text)};
  const std::size_t size = e.bytes();
  if (size > max_bytes_) return;  // larger than the whole cache: not kept
  while (bytes_ + size > max_bytes_ && !lru_.empty()) erase(std::prev(lru_.end()));
  lru_.push_front(std::move(e));
  index_.emplace(id, lru_.begin());
  bytes_ += size;
}

}  // namespace inkwell::models
