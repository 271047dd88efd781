// The durable mail outbox (SPEC §5): a request stores its message with
// enqueue_mail inside its own transaction; the inkwell-mailer process claims
// due messages, delivers them and records the outcome. A claim is a lease:
// the claimed rows' next_attempt_at moves forward, so a second mailer never
// takes the same message while the first is still working on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

struct OutgoingMail {
  std::string to;       // recipient address
  std::string subject;  // UTF-8; encoded for the header by the mailer
  std::string text;     // text/plain body
  std::string html;     // text/html body
};

// One INSERT into mail_outbox; the message is due at once. Callers wrap it in
// the transaction of the change that caused the mail. Throws
// std::invalid_argument when `to` or `subject` contain CR, LF or NUL (they
// become mail headers) or `to` is empty.
void enqueue_mail(core::Db& db, const OutgoingMail& mail);

struct OutboxMessage {
  std::int64_t id = 0;
  std::string to, subject, text, html;
  unsigned attempts = 0;  // failed delivery attempts so far
};

// Claims up to `limit` unsent, not given up messages that are due, oldest
// first, with one UPDATE that pushes their next_attempt_at `lease_seconds`
// into the future and marks them with a fresh claim token, then reads back
// the rows that carry the token: neither a concurrent nor a later claim
// returns them until the lease runs out. On a Galera cluster two mailers'
// claims of one row conflict at commit (1213, which the caller takes as
// "nothing claimed"); a SELECT ... FOR UPDATE SKIP LOCKED claim did not
// (both mailers could take the same row and deliver it twice).
std::vector<OutboxMessage> claim_due_mail(core::Db& db, int limit, int lease_seconds);

// Records a delivery: sent_at = now. The message is never claimed again.
void mark_mail_sent(core::Db& db, std::int64_t id);

// Records a failed attempt: attempts + 1, last_error = `error` (control and
// non-ASCII bytes replaced by '?', cut to 1000 bytes), due again in
// `retry_in_seconds`.
void mark_mail_failed(core::Db& db, std::int64_t id, std::string_view error, int retry_in_seconds);

// Extends the lease of a claimed message that is still being worked on:
// due again `lease_seconds` from now. The mailer renews while it sends.
void renew_mail_lease(core::Db& db, std::int64_t id, int lease_seconds);

// Gives a message up for good (the server refused it too often): attempts
// + 1, last_error, failed_at = now. It is never claimed again unless retried.
void mark_mail_given_up(core::Db& db, std::int64_t id, std::string_view error);

// Hands given-up messages back to the mailer (one, or all when id is empty):
// due now, attempts 0. Returns how many.
std::uint64_t retry_failed_mail(core::Db& db, std::optional<std::int64_t> id);

struct FailedMail {
  std::int64_t id = 0;
  std::string to, subject, last_error, failed_at;
  unsigned attempts = 0;
};

struct OutboxStatus {
  std::uint64_t pending = 0;  // not sent, not given up
  std::uint64_t failing = 0;  // pending, with failed attempts
  std::uint64_t failed = 0;   // given up
  std::uint64_t sent = 0;
  std::vector<FailedMail> failed_mail;  // the latest given up, newest first
};
OutboxStatus outbox_status(core::Db& db, int failed_limit);

// What waits to be sent (not sent, not given up) and the age of its oldest
// message in seconds (-1 when nothing waits). One query on the
// outbox_pending index: cheap enough for every health check.
struct OutboxBacklog {
  std::uint64_t count = 0;
  std::int64_t oldest_seconds = -1;
};
OutboxBacklog outbox_backlog(core::Db& db);

// Gives a claimed, unsent message back before its lease ends: it is due again
// in `due_in_seconds` (0 = at once). attempts and last_error are unchanged.
// The mailer uses it for the claimed messages it did not get to (shutdown).
void release_mail(core::Db& db, std::int64_t id, int due_in_seconds = 0);

}  // namespace inkwell::models
