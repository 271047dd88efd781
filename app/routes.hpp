// The one route table of the site.
#pragma once

#include <vector>

#include "core/router.hpp"

namespace inkwell {
std::vector<core::Route> routes();
}
