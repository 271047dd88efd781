// inkwell outbox-status / outbox-retry: the mail outbox as the mailer sees
// it, and handing given-up messages back to it.
#include <iostream>
#include <limits>
#include <optional>

#include "cli/commands.hpp"
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

}  // namespace inkwell::cli
