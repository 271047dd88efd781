// Handlers for operators' probes: the health check for load balancers and
// monitors, and the Prometheus metrics. Both are stateless routes.
#pragma once

#include "core/context.hpp"

namespace inkwell::ops {

// health.cpp: GET /healthz
http::Response healthz(core::Context& ctx);
// metrics.cpp: GET /metrics (loopback clients only)
http::Response metrics(core::Context& ctx);

}  // namespace inkwell::ops
