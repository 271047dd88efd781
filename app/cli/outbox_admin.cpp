// inkwell outbox-status / outbox-retry: the mail outbox as the mailer sees
// it, and handing given-up messages back to it.
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <string>

#include "cli/admin_queries.hpp"
#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "models/outbox.hpp"

namespace inkwell::cli {

int outbox_status(core::Db& db, const core::Config&, const Args& args) {
  args.expect({"--limit"});
  const int limit = static_cast<int>(args.number("--limit", 20, 1, 1000));
  models::OutboxStatus st = models::outbox_status(db, limit);
  std::cout << "pending " << st.pending << " (failing " << st.failing << "), failed " << st.failed
            << ", sent " << st.sent << '\n';
  if (st.failed_mail.empty()) return 0;
  std::cout << "failed (given up; `inkwell outbox-retry --id ID` or `--all` sends again):\n";
  for (const models::FailedMail& f : st.failed_mail) {
    std::cout << "  " << f.id << "  " << f.failed_at << "  " << f.to << "  \"" << f.subject
              << "\"  attempts " << f.attempts << "  " << f.last_error << '\n';
  }
  return 0;
}

int outbox_retry(core::Db& db, const core::Config&, const Args& args) {
  args.expect({"--id"}, {"--all"});
  const bool all = args.flag("--all");
  const long id = args.number("--id", 0, 1, std::numeric_limits<long>::max());
  if (all == (id != 0)) throw std::invalid_argument("outbox-retry: give --id ID or --all");
  std::uint64_t n =
      models::retry_failed_mail(db, all ? std::nullopt : std::optional<std::int64_t>(id));
  std::cout << "handed back " << n << (n == 1 ? " message" : " messages") << " to the mailer\n";
  return id != 0 && n == 0 ? 1 : 0;
}

// inkwell outbox retry ID | --failed
int outbox_retry_cmd(core::Db& db, const core::Config&, const Args& args) {
  const bool all = args.flag("--failed");
  const std::string id_text = args.positional(0);
  if (all == !id_text.empty()) throw std::invalid_argument("outbox retry: give ID or --failed");
  std::optional<std::int64_t> id;
  if (!all) {
    id = std::atoll(id_text.c_str());
    if (*id <= 0 || std::to_string(*id) != id_text) {
      throw std::invalid_argument("outbox retry: '" + id_text + "' is not a message id");
    }
  }
  std::uint64_t n = models::retry_failed_mail(db, id);
  std::cout << "handed back " << n << (n == 1 ? " message" : " messages") << " to the mailer\n";
  return id && n == 0 ? exit_code::kFailed : exit_code::kOk;
}

// inkwell outbox purge --sent-before AGE
int outbox_purge(core::Db& db, const core::Config&, const Args& args) {
  const long seconds = parse_age(args.value("--sent-before"));
  std::uint64_t n = purge_sent_mail(db, seconds);
  std::cout << "deleted " << n << (n == 1 ? " sent message" : " sent messages") << '\n';
  return exit_code::kOk;
}

}  // namespace inkwell::cli
