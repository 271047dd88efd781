// Splits a fuzz input into fields separated by NUL bytes, so one input can
// feed a function several strings and the seed files stay plain text with
// "\0" between the fields. The last field takes the rest of the input (NULs
// included); missing fields are empty.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace inkwell::fuzz {

template <std::size_t N>
std::array<std::string_view, N> fields(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::array<std::string_view, N> out{};
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const std::size_t nul = rest.find('\0');
    out[i] = rest.substr(0, nul);
    if (nul == std::string_view::npos) return out;
    rest.remove_prefix(nul + 1);
  }
  out[N - 1] = rest;
  return out;
}

// A broken property: abort, so libFuzzer records the input as a crash.
inline void require(bool property, const char* what) {
  if (property) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

}  // namespace inkwell::fuzz
