// /avatar/<hash>.svg: the identicon of an avatar hash. The hash alone draws
// it, so nothing is looked up and the answer may be cached anywhere.
#include "core/identicon.hpp"
#include "main/handlers.hpp"

namespace inkwell::main {

http::Response avatar(core::Context& ctx) {
  std::string_view file = ctx.req.param("file");
  constexpr std::string_view kSuffix = ".svg";
  if (!file.ends_with(kSuffix)) throw http::HttpError(404);
  file.remove_suffix(kSuffix.size());
  if (!core::valid_avatar_hash(file)) throw http::HttpError(404);

  http::Response res;
  res.header("Content-Type", "image/svg+xml");
  // A month: the image never changes for a hash, but the drawing might.
  res.header("Cache-Control", "public, max-age=2592000");
  res.body = core::identicon_svg(file, core::avatar_size(ctx.req.query.get("s")));
  return res;
}

}  // namespace inkwell::main
