// connect_within: a TCP connection to host:port that must be established
// within a timeout. libESMTP connects without one, so the mailer checks
// first that the server accepts connections at all: a dead or black-holed
// address then costs the timeout, not the kernel's two minutes.
#pragma once

#include <string>

namespace inkwell::mailer {

// True when host:port accepted a TCP connection within timeout_ms (it is
// closed at once). Otherwise false with the reason in `error`.
bool connect_within(const std::string& host, int port, int timeout_ms, std::string& error);

}  // namespace inkwell::mailer
