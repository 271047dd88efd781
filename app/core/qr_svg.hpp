// A QR code as an inline SVG image (libqrencode), for otpauth:// URIs: no
// external service ever sees the secret.
#pragma once

#include <string>
#include <string_view>

namespace inkwell::core {

// An <svg> element with one <path> of the dark modules and a 4-module quiet
// zone; throws std::runtime_error when the text does not fit a QR code.
std::string qr_svg(std::string_view text);

}  // namespace inkwell::core
