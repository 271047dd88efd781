#include "models/outbox.hpp"

#include <stdexcept>

#include "core/security.hpp"

namespace inkwell::models {
namespace {

constexpr std::size_t kMaxErrorBytes = 1000;

bool has_line_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// The error as printable ASCII, at most kMaxErrorBytes long: SMTP replies may
// carry any bytes, and the column only takes valid UTF-8.
std::string clean_error(std::string_view error) {
  std::string out(error.substr(0, kMaxErrorBytes));
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == '\t' || u == '\r' || u == '\n') {
      c = ' ';
    } else if (u < 0x20 || u >= 0x7f) {
      c = '?';
    }
  }
  return out;
}

}  // namespace

void enqueue_mail(core::Db& db, const OutgoingMail& mail) {
  if (mail.to.empty()) throw std::invalid_argument("mail recipient is empty");
  if (has_line_break(mail.to) || has_line_break(mail.subject)) {
    throw std::invalid_argument("mail recipient or subject contains a line break");
  }
  db.execute(
      "INSERT INTO mail_outbox (recipient, subject, body_text, body_html) VALUES (?, ?, ?, ?)",
      mail.to, mail.subject, mail.text, mail.html);
}

std::vector<OutboxMessage> claim_due_mail(core::Db& db, int limit, int lease_seconds) {
  std::vector<OutboxMessage> out;
  if (limit <= 0) return out;
  const std::string token = security::random_salt(32);
  const std::uint64_t claimed = db.execute(
      "UPDATE mail_outbox SET claim_token = ?, next_attempt_at = NOW(6) + INTERVAL ? SECOND"
      " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= NOW(6)"
      " ORDER BY id LIMIT ?",
      token, lease_seconds, limit);
  if (claimed == 0) return out;
  auto rs = db.query(
      "SELECT id, recipient, subject, body_text, body_html, attempts FROM mail_outbox"
      " WHERE claim_token = ? AND sent_at IS NULL AND failed_at IS NULL ORDER BY id",
      token);
  while (rs->next()) {
    OutboxMessage m;
    m.id = rs->getInt64(1);
    m.to = rs->getString(2);
    m.subject = rs->getString(3);
    m.text = rs->getString(4);
    m.html = rs->getString(5);
    m.attempts = rs->getUInt(6);
    out.push_back(std::move(m));
  }
  return out;
}

void mark_mail_sent(core::Db& db, std::int64_t id) {
  db.execute("UPDATE mail_outbox SET sent_at = NOW(6) WHERE id = ? AND sent_at IS NULL", id);
}

void mark_mail_failed(core::Db& db, std::int64_t id, std::string_view error, int retry_in_seconds) {
  db.execute(
      "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?,"
      " next_attempt_at = NOW(6) + INTERVAL ? SECOND WHERE id = ? AND sent_at IS NULL",
      clean_error(error), retry_in_seconds < 0 ? 0 : retry_in_seconds, id);
}

void renew_mail_lease(core::Db& db, std::int64_t id, int lease_seconds) {
  db.execute(
      "UPDATE mail_outbox SET next_attempt_at = NOW(6) + INTERVAL ? SECOND"
      " WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
      lease_seconds, id);
}

void mark_mail_given_up(core::Db& db, std::int64_t id, std::string_view error) {
  db.execute(
      "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, failed_at = NOW(6)"
      " WHERE id = ? AND sent_at IS NULL",
      clean_error(error), id);
}

std::uint64_t retry_failed_mail(core::Db& db, std::optional<std::int64_t> id) {
  if (id) {
    return db.execute(
        "UPDATE mail_outbox SET failed_at = NULL, attempts = 0, next_attempt_at = NOW(6)"
        " WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL",
        *id);
  }
  return db.execute(
      "UPDATE mail_outbox SET failed_at = NULL, attempts = 0, next_attempt_at = NOW(6)"
      " WHERE failed_at IS NOT NULL AND sent_at IS NULL");
}

OutboxStatus outbox_status(core::Db& db, int failed_limit) {
  OutboxStatus st;
  {
    auto rs = db.query(
        "SELECT COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL), 0),"
        " COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL AND attempts > 0), 0),"
        " COALESCE(SUM(failed_at IS NOT NULL AND sent_at IS NULL), 0),"
        " COALESCE(SUM(sent_at IS NOT NULL), 0) FROM mail_outbox");
    if (rs->next()) {
      st.pending = rs->getUInt64(1);
      st.failing = rs->getUInt64(2);
      st.failed = rs->getUInt64(3);
      st.sent = rs->getUInt64(4);
    }
  }
  auto rs = db.query(
      "SELECT id, recipient, subject, attempts, COALESCE(last_error, ''),"
      " DATE_FORMAT(failed_at, '%Y-%m-%d %H:%i:%s') FROM mail_outbox"
      " WHERE failed_at IS NOT NULL AND sent_at IS NULL ORDER BY failed_at DESC, id DESC LIMIT ?",
      failed_limit);
  while (rs->next()) {
    FailedMail f;
    f.id = rs->getInt64(1);
    f.to = rs->getString(2);
    f.subject = rs->getString(3);
    f.attempts = rs->getUInt(4);
    f.last_error = rs->getString(5);
    f.failed_at = rs->getString(6);
    st.failed_mail.push_back(std::move(f));
  }
  return st;
}

OutboxBacklog outbox_backlog(core::Db& db) {
  OutboxBacklog b;
  auto rs = db.query(
      "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(6)), -1)"
      " FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL");
  if (rs->next()) {
    b.count = rs->getUInt64(1);
    b.oldest_seconds = rs->getInt64(2);
  }
  return b;
}

void release_mail(core::Db& db, std::int64_t id, int due_in_seconds) {
  db.execute(
      "UPDATE mail_outbox SET next_attempt_at = NOW(6) + INTERVAL ? SECOND"
      " WHERE id = ? AND sent_at IS NULL",
      due_in_seconds < 0 ? 0 : due_in_seconds, id);
}

}  // namespace inkwell::models
