// Identicons: a small symmetric pattern of squares drawn as SVG, decided
// entirely by an avatar hash, so the image can be served without knowing
// whose it is and cached for as long as anyone likes.
#pragma once

#include <string>
#include <string_view>

namespace inkwell::core {

inline constexpr int kAvatarDefaultSize = 80;
inline constexpr int kAvatarMinSize = 16;
inline constexpr int kAvatarMaxSize = 512;

// 32 lower-case hexadecimal digits (an md5 as users.avatar_hash holds it).
bool valid_avatar_hash(std::string_view hash);
// The ?s= value as a size in pixels: the default when absent or not a
// number, else clamped to [kAvatarMinSize, kAvatarMaxSize].
int avatar_size(std::string_view text);
// The SVG document of hash's identicon, size x size pixels. hash must be
// valid_avatar_hash.
std::string identicon_svg(std::string_view hash, int size);

}  // namespace inkwell::core
