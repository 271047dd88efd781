#include "core/fcgi_response.hpp"

#include <algorithm>
#include <cstdint>

namespace inkwell::core {
namespace {

constexpr unsigned char kVersion = 1;
constexpr unsigned char kEndRequest = 3;
constexpr unsigned char kStdout = 6;
constexpr std::size_t kHeaderBytes = 8;
constexpr std::size_t kMaxContent = 65535;

void put_header(std::string& out, unsigned char type, int request_id, std::size_t content) {
  const unsigned char header[kHeaderBytes] = {kVersion,
                                              type,
                                              static_cast<unsigned char>((request_id >> 8) & 0xff),
                                              static_cast<unsigned char>(request_id & 0xff),
                                              static_cast<unsigned char>((content >> 8) & 0xff),
                                              static_cast<unsigned char>(content & 0xff),
                                              0,  // no padding
                                              0};
  out.append(reinterpret_cast<const char*>(header), kHeaderBytes);
}

// Appends bytes to the stream in records, filling the open record of the
// stream first (its header at `open`, its length so far in `used`).
void put_stdout(std::string& out, int request_id, std::string_view bytes, std::size_t& open,
                std::size_t& used) {
  while (!bytes.empty()) {
    if (used == kMaxContent || open == std::string::npos) {
      open = out.size();
      used = 0;
      put_header(out, kStdout, request_id, 0);
    }
    const std::size_t n = std::min(bytes.size(), kMaxContent - used);
    out.append(bytes.data(), n);
    used += n;
    out[open + 4] = static_cast<char>((used >> 8) & 0xff);
    out[open + 5] = static_cast<char>(used & 0xff);
    bytes.remove_prefix(n);
  }
}

}  // namespace

std::string fastcgi_response_records(int request_id, std::string_view head, std::string_view body) {
  const std::size_t bytes = head.size() + body.size();
  std::string out;
  out.reserve(bytes + (bytes / kMaxContent + 1) * kHeaderBytes + 3 * kHeaderBytes + 8);
  std::size_t open = std::string::npos;
  std::size_t used = 0;
  put_stdout(out, request_id, head, open, used);
  put_stdout(out, request_id, body, open, used);
  put_header(out, kStdout, request_id, 0);  // the end of the stream
  put_header(out, kEndRequest, request_id, 8);
  // appStatus 0 (four bytes), FCGI_REQUEST_COMPLETE (0), three reserved.
  out.append(8, '\0');
  return out;
}

}  // namespace inkwell::core
