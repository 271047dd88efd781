#include "core/qr_svg.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace inkwell::core {

std::string qr_svg(std::string_view text) {
  struct Free {
    void operator()(QRcode* q) const { QRcode_free(q); }
  };
  std::string copy(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, Free> qr(
      QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!qr) throw std::runtime_error("qr_svg: the text does not fit a QR code");
  constexpr int kQuiet = 4;
  const int width = qr->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module is 1 for dark.
      if (qr->data[y * width + x] & 1) {
        path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
      }
    }
  }
  std::string s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" role=\"img\" "
         "aria-label=\"QR code of the two-factor secret\" viewBox=\"0 0 " +
         s + " " + s + "\" width=\"" + std::to_string(size * 5) + "\" height=\"" +
         std::to_string(size * 5) + "\" shape-rendering=\"crispEdges\"><rect width=\"" + s +
         "\" height=\"" + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace inkwell::core
