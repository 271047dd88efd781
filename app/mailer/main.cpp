// inkwell-mailer: drains the mail outbox through SMTP (SPEC §5).
//
//   inkwell-mailer           deliver due messages until SIGTERM / SIGINT
//   inkwell-mailer --once    deliver what is due now, then exit
//
// Reads the same INKWELL_* environment as the server. Claims due messages in
// batches under a short lease, renewed while they are worked on (so several
// mailers may run, and a killed one strands nothing for long), sends each
// through SMTP, records success or the error with an exponential back-off; a
// message refused for good (5xx) INKWELL_MAIL_MAX_ATTEMPTS times is given up
// (`inkwell outbox-retry` hands it back). Logs one line per message to
// stderr. A stop signal lets the current message finish; the claimed
// messages not yet tried are handed back at once.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/log.hpp"
#include "mailer/lease_keeper.hpp"
#include "mailer/mime.hpp"
#include "mailer/retry_policy.hpp"
#include "mailer/smtp.hpp"
#include "models/outbox.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace core = inkwell::core;
namespace models = inkwell::models;
namespace mailer = inkwell::mailer;

constexpr int kBatchSize = 20;
using mailer::kLeaseSeconds;
// How long a delivered message is kept trying to be marked sent while the
// database is away (not marking it means sending it again later).
constexpr int kMarkSentTries = 30;

const char* kUsage =
    "usage: inkwell-mailer [--once]\n"
    "  delivers the mail outbox through SMTP (INKWELL_MAIL_* settings)\n"
    "  --once   deliver what is due now, then exit\n";

volatile std::sig_atomic_t g_stop = 0;

void on_stop_signal(int) {
  g_stop = 1;
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  // libESMTP may write to a socket the server has already closed.
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGPIPE, &ign, nullptr);
}

// Sleeps in small slices so that a stop signal is seen within 100 ms.
void nap(std::chrono::milliseconds total) {
  const auto end = Clock::now() + total;
  while (!g_stop) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() <= 0) return;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
  }
}

// The value of a header of a built message ("" when absent).
std::string header_value(const std::string& message, const std::string& name) {
  std::size_t at = message.find(name + ": ");
  if (at == std::string::npos || (at != 0 && message[at - 1] != '\n')) return "";
  at += name.size() + 2;
  return message.substr(at, message.find("\r\n", at) - at);
}

// Every word with an '@' replaced by "<address>".
std::string without_addresses(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find_first_of(" \t<>", i);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(i, end - i);
    out += word.find('@') == std::string::npos ? word : "<address>";
    if (end < text.size() && (text[end] == ' ' || text[end] == '\t')) out += text[end];
    i = end + 1;
  }
  return out;
}

void log_line(const std::string& line) {
  core::log("mailer: ", line);
}

class Mailer {
 public:
  Mailer(const core::Config& config, bool once)
      : config_(config),
        once_(once),
        db_(config),
        smtp_(config),
        leases_(config, kLeaseSeconds),
        domain_(mailer::address_domain(config.mail_sender)) {}

  int run() {
    log_line("started (smtp " + smtp_.server() + (config_.mail_use_tls ? ", STARTTLS" : "") +
             (once_ ? ", once" : ", poll every " + std::to_string(config_.mail_poll_ms) + " ms") +
             ")");
    if (!config_.mail_username.empty() && !smtp_.plaintext_auth_allowed()) {
      log_line(
          "note: without INKWELL_MAIL_USE_TLS the password is never sent in clear: "
          "AUTH uses CRAM-MD5 only");
    }
    int rc = 0;
    while (!g_stop) {
      std::vector<models::OutboxMessage> batch;
      if (!claim(batch)) {
        if (once_) {
          rc = 1;
          break;
        }
        nap(std::chrono::seconds(1));
        continue;
      }
      if (batch.empty()) {
        if (once_) break;
        nap(std::chrono::milliseconds(config_.mail_poll_ms));
        continue;
      }
      if (!deliver_batch(batch) && once_) break;
    }
    if (claim_conflicts_ > 0) {
      log_line(std::to_string(claim_conflicts_) +
               " claims lost to another mailer (write conflicts)");
    }
    log_line(g_stop ? "stopped (signal)" : rc != 0 ? "giving up: database unavailable" : "done");
    return rc;
  }

 private:
  // False when the database could not be asked (logged, connection reset).
  bool claim(std::vector<models::OutboxMessage>& batch) {
    try {
      batch = models::claim_due_mail(db_, kBatchSize, kLeaseSeconds);
      db_ok();
      return true;
    } catch (const core::DbUnavailable& e) {
      db_error("claiming mail", e.what());
    } catch (const sql::SQLException& e) {
      // Another mailer claimed the same messages first (on a Galera cluster
      // the conflict shows at COMMIT; the whole claim was rolled back): not
      // an error, and nothing of this claim is ours.
      if (core::is_write_conflict(e)) {
        ++claim_conflicts_;
        batch.clear();
        return true;
      }
      db_error("claiming mail",
               std::string(e.what()) + " (error " + std::to_string(e.getErrorCode()) + ")");
    } catch (const std::exception& e) {
      db_error("claiming mail", e.what());
    }
    return false;
  }

  // Logs a database error (the same one at most once a minute while the
  // database stays away) and drops the connection; the next use reconnects.
  void db_error(std::string_view doing, const std::string& what) {
    std::string line = "database error while " + std::string(doing) + ": " + what;
    const auto now = Clock::now();
    if (line != last_db_error_ || now - last_db_error_at_ >= std::chrono::minutes(1)) {
      log_line(line);
      last_db_error_ = line;
      last_db_error_at_ = now;
    }
    db_.reset();
  }

  void db_ok() {
    if (last_db_error_.empty()) return;
    log_line("database reachable again");
    last_db_error_.clear();
  }

  // Delivers a claimed batch; returns whether any message was tried. With
  // --once a message is tried once per run: a re-claimed one (its back-off
  // already over) is handed back with the same delay.
  bool deliver_batch(const std::vector<models::OutboxMessage>& batch) {
    // The whole batch stays claimed while it is worked through.
    for (const models::OutboxMessage& m : batch) leases_.hold(m.id);
    bool tried_any = false;
    for (const models::OutboxMessage& m : batch) {
      // Renewals end before the outcome is recorded: one must not overwrite it.
      leases_.drop(m.id);
      if (once_) {
        auto it = tried_.find(m.id);
        if (it != tried_.end()) {
          release(m.id, it->second);
          continue;
        }
      }
      if (g_stop) {
        release(m.id, 0);
        continue;
      }
      tried_any = true;
      int retry_in = deliver(m);
      if (once_) tried_[m.id] = retry_in;
    }
    return tried_any;
  }

  // Sends one message and records the outcome; returns the retry delay given
  // (0 when it was sent).
  int deliver(const models::OutboxMessage& m) {
    std::string error;
    std::string message_id;
    mailer::Delivery outcome = mailer::Delivery::retry;
    try {
      std::string message =
          mailer::build_message(m, config_.mail_sender, domain_, std::time(nullptr));
      message_id = header_value(message, "Message-ID");
      outcome = smtp_.send(mailer::envelope_address(m.to), message, error);
    } catch (const std::invalid_argument& e) {
      // The message itself is unusable: retrying cannot help.
      error = std::string("refused to build the message: ") + e.what();
      outcome = mailer::Delivery::refused;
    } catch (const std::exception& e) {
      error = std::string("cannot send: ") + e.what();
    }
    // The outbox id and the Message-ID find the message (and the receiving
    // server's log line); recipients' addresses stay out of the journal,
    // also when the server's answer quotes them.
    error = without_addresses(error);
    const std::string who =
        "message " + std::to_string(m.id) + (message_id.empty() ? "" : " " + message_id);
    if (outcome == mailer::Delivery::sent) {
      mark_sent(m.id);
      log_line(who + ": sent");
      return 0;
    }
    const bool refused = outcome == mailer::Delivery::refused;
    if (refused && mailer::give_up(m.attempts + 1, config_.mail_max_attempts)) {
      try {
        models::mark_mail_given_up(db_, m.id, error);
      } catch (const std::exception& e) {
        db_error("giving up message " + std::to_string(m.id), e.what());
      }
      log_line(who + ": FAILED, given up after " + std::to_string(m.attempts + 1) +
               " attempts (`inkwell outbox-retry` sends it again): " + error);
      return config_.mail_retry_max;
    }
    int retry_in = refused ? config_.mail_retry_max
                           : mailer::backoff_seconds(m.attempts, config_.mail_retry_max);
    try {
      models::mark_mail_failed(db_, m.id, error, retry_in);
    } catch (const std::exception& e) {
      db_error("recording the failure of message " + std::to_string(m.id), e.what());
    }
    log_line(who + ": failed (attempt " + std::to_string(m.attempts + 1) + ", retry in " +
             std::to_string(retry_in) + " s): " + error);
    return retry_in;
  }

  // A delivered message must be marked, or it is sent again when its lease
  // ends: keep trying for a while, even after a stop signal.
  void mark_sent(std::int64_t id) {
    for (int i = 1;; ++i) {
      try {
        models::mark_mail_sent(db_, id);
        return;
      } catch (const std::exception& e) {
        db_error("marking message " + std::to_string(id) + " sent (try " + std::to_string(i) + ")",
                 e.what());
      }
      if (i == kMarkSentTries) {
        log_line("message " + std::to_string(id) +
                 " was delivered but could not be marked sent; it will be sent again");
        return;
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }

  // Best effort: if it fails the lease simply runs out.
  void release(std::int64_t id, int due_in_seconds) {
    try {
      models::release_mail(db_, id, due_in_seconds);
    } catch (const std::exception& e) {
      db_error("handing back message " + std::to_string(id), e.what());
    }
  }

  const core::Config& config_;
  const bool once_;
  std::uint64_t claim_conflicts_ = 0;  // claims another mailer won
  core::Db db_;
  mailer::SmtpClient smtp_;
  mailer::LeaseKeeper leases_;
  const std::string domain_;
  std::unordered_map<std::int64_t, int> tried_;  // --once: id -> retry delay given
  std::string last_db_error_;                    // empty while the database answers
  Clock::time_point last_db_error_at_;
};

}  // namespace

int main(int argc, char** argv) {
  bool once = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--once") {
      once = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "inkwell-mailer: unknown argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  install_signal_handlers();
  try {
    core::Config config = core::load_config_from_environment();
    std::unique_ptr<Mailer> m;
    try {
      m = std::make_unique<Mailer>(config, once);
    } catch (const std::invalid_argument& e) {
      std::cerr << "inkwell-mailer: configuration error: INKWELL_MAIL_SENDER: " << e.what() << '\n';
      return 2;
    }
    return m->run();
  } catch (const core::ConfigError& e) {
    std::cerr << "inkwell-mailer: configuration error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "inkwell-mailer: " << e.what() << '\n';
    return 1;
  }
}
