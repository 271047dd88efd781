// Helpers of the /auth integration tests: unique accounts, forms with their
// csrf_token, direct reads of the test database (state checks and the mail
// outbox) and the SMTP sink's Maildir (the mail that was really delivered).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client.hpp"

namespace itest::auth {

using Fields = std::vector<std::pair<std::string, std::string>>;

// A name unique in this run and across runs sharing a database:
// prefix + pid + counter, starting with a letter, [a-z0-9] only.
std::string unique(const std::string& prefix = "u");

struct Account {
  std::string email;  // lower-case
  std::string username;
  std::string password;
};
// A fresh, not yet registered account.
Account new_account(const std::string& prefix = "u");

// The value of the form's hidden csrf_token input ("" when there is none).
std::string csrf_token(const Reply& page);
// GETs form_path with c and POSTs fields plus its csrf_token to post_path
// (form_path when empty).
Reply submit(Client& c, const std::string& form_path, Fields fields,
             const std::string& post_path = "");
// Writes a post through the home page's form as c (REQUIREs its redirect to
// "/"); returns its id.
long write_post(Client& c, const std::string& body);
// GETs r's Location, and again while the answer is a redirect (at most 5).
Reply follow_all(Client& c, Reply r);
// The text between the first `open` and the `close` after it ("" if none).
std::string between(const std::string& text, const std::string& open, const std::string& close);
// Every text between an `open` and the next `close`, in order.
std::vector<std::string> all_between(const std::string& text, const std::string& open,
                                     const std::string& close);
// How many times needle occurs in haystack (not overlapping).
std::size_t occurrences(const std::string& haystack, const std::string& needle);
// ASCII upper case.
std::string upper(std::string s);
// Percent-encodes s for a query string.
std::string url_escape(const std::string& s);

Reply register_account(Client& c, const Account& a);
Reply login(Client& c, const std::string& email, const std::string& password, bool remember = false,
            const std::string& next = "");
// Registers `a` (in a client of its own) and REQUIREs the redirect.
void register_ok(const Account& a);
// Registers, logs c in and uses the confirmation link from the outbox.
Account confirmed_user(Client& c, const std::string& prefix = "u");
// A GET with exactly these cookies (a client with an empty jar must be used).
Reply get_with_cookie(Client& c, const std::string& path, const std::string& cookie);

// ---- the test database ----

// Runs SQL through the mariadb client (-N -B); REQUIREs success; stdout.
std::string sql(const std::string& query);
// The first column of the first row, "" when there is none.
std::string sql_value(const std::string& query);
long sql_count(const std::string& query);  // sql_value as a number
// A global status value of one Galera node (1-3) of the cluster stack.
long node_status(int node, const std::string& name);
// A global status counter of the stack's database: on the cluster summed
// over every node (an app host's connection may be on any).
long global_status(const std::string& name);
// When a user was last seen, as the pages read it: the later of a login
// (users.last_seen) and a sight (user_activity, migration 0015), over
// kSeenFrom's "users u" and "user_activity a".
inline const std::string kLastSeen = "GREATEST(u.last_seen, COALESCE(a.last_seen, u.last_seen))";
inline const std::string kSeenFrom = " FROM users u LEFT JOIN user_activity a ON a.user_id = u.id ";
// Sets both of them to the SQL time `when` for the user named so.
void set_last_seen(const std::string& username, const std::string& when);
// Rows of the followed feeds that differ from what follows and posts say
// (missing, extra, or a count that is not its rows'): 0 when every feed is
// exact.
long feed_mismatches();
// 'text' as an SQL string literal.
std::string sql_quote(const std::string& text);
std::string user_id(const std::string& username);
std::string password_hash(const std::string& username);
long user_count();
long sessions_of(const std::string& username);
long remember_tokens_of(const std::string& username);

struct OutboxRow {
  long id = 0;
  std::string recipient, subject, text, html;
  bool sent = false;
};
// Outbox messages to `to` (and with `subject` unless empty), oldest first.
std::vector<OutboxRow> outbox(const std::string& to, const std::string& subject = "");

// ---- mail ----

struct Mail {
  std::string file, from, to, subject, content_type, text, html;
  std::vector<std::string> part_types;  // content types of the leaf parts
};
// Delivered messages in the Maildir (new/ and cur/) addressed to `to`
// (case-insensitive) with `subject` unless empty, oldest first.
std::vector<Mail> maildir(const std::string& to, const std::string& subject = "");
// Polls the Maildir until at least `count` such messages are there or
// timeout_ms has passed; returns what is there then.
std::vector<Mail> wait_for_mail(const std::string& to, const std::string& subject,
                                std::size_t count = 1, int timeout_ms = 10000);

// The first absolute link base_url() + route + TOKEN in text ("" if none).
std::string find_link(const std::string& text, const std::string& route);
// The token part of such a link.
std::string token_of(const std::string& link, const std::string& route);

// The link of the newest outbox message to `to` with `subject`; CHECKs that
// the message (the `nth`, 1-based, with that subject) also arrived in the
// Maildir within 10 s, multipart/alternative from the configured sender with
// the same link in its text and HTML parts. The test continues with the
// outbox's link either way, so a late mail fails only its own checks.
std::string mailed_link(const std::string& to, const std::string& subject, const std::string& route,
                        std::size_t nth = 1);

// Stops the test stack's SMTP sink for the guard's lifetime; it is started
// again by the destructor, even when an assertion fails in between.
class SinkStopped {
 public:
  SinkStopped();
  ~SinkStopped();
  SinkStopped(const SinkStopped&) = delete;
  SinkStopped& operator=(const SinkStopped&) = delete;
  // Starts the sink now (the destructor then does nothing); true on success.
  bool restart();

 private:
  bool stopped_ = false;
};

// Standard base64 (RFC 4648, with padding), and an HTTP Basic
// "Authorization: Basic ..." header line made with it.
std::string base64(const std::string& in);
std::string basic(const std::string& user, const std::string& password);

// The version part ("N:") that the user's signed tokens carry now, followed
// by payload: with security::make_token, a token the site itself could have
// made.
std::string token_extra(long user_id, const std::string& payload = "");

// The test stack's secret key (INKWELL_SECRET_KEY or STACK_DIR/secret_key).
std::string secret_key();

}  // namespace itest::auth
