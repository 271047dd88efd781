// MIME: turns an outbox message into the RFC 5322 text handed to SMTP.
// Pure functions apart from the randomness of the boundary and Message-ID.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "models/outbox.hpp"

namespace inkwell::mailer {

// The complete message, CRLF line endings throughout:
//   From (sender as configured), To, Subject (RFC 2047 "=?UTF-8?B?...?="
//   encoded words when it is not plain ASCII), Date (UTC, RFC 5322 form),
//   Message-ID <outbox-ID.RANDOM@message_id_domain>, MIME-Version: 1.0 and
//   Content-Type: multipart/alternative with a random boundary
// followed by a text/plain and a text/html part (charset=utf-8, base64 with
// 76-character lines, line breaks canonicalised to CRLF before encoding).
// The boundary starts with "=_", which base64 text can never contain.
// Throws std::invalid_argument when the recipient, subject or sender contain
// CR, LF or NUL (header injection), or the recipient is empty.
std::string build_message(const models::OutboxMessage& m, std::string_view sender,
                          std::string_view message_id_domain, std::time_t now);

// The bare address of "Name <addr>", "<addr>" or "addr" (surrounding spaces
// dropped). Throws std::invalid_argument when there is no address, a '<' is
// not closed, the text contains control characters (CR, LF...) or the
// address contains spaces or '<>'.
std::string envelope_address(std::string_view sender);

// The part after the last '@' of envelope_address(sender) ("localhost" when
// there is none): the domain used in Message-IDs.
std::string address_domain(std::string_view sender);

}  // namespace inkwell::mailer
