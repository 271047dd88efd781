// inkwell users reset-password / users resend-confirmations: the site's own
// account mails (auth/account_mail), queued in the outbox for the mailer,
// with the links and tokens the site would make (INKWELL_BASE_URL,
// INKWELL_SECRET_KEY, the templates of INKWELL_VIEWS).
#include <iostream>
#include <optional>
#include <stdexcept>

#include "auth/account_mail.hpp"
#include "cli/admin_queries.hpp"
#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "core/view.hpp"

namespace inkwell::cli {
namespace {

// The site's templates, or a message and nullopt when they do not load.
std::optional<core::View> load_views(const core::Config& config) {
  try {
    return std::optional<core::View>(std::in_place, config.views_dir);
  } catch (const std::runtime_error& e) {
    std::cerr << "inkwell: configuration error: INKWELL_VIEWS: " << e.what() << '\n';
    return std::nullopt;
  }
}

}  // namespace

// inkwell users reset-password EMAIL
int users_reset_password(core::Db& db, const core::Config& config, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  // A disabled account cannot log in, so a new password would not let it
  // in: enabling it is the operator's decision, made first.
  if (u->disabled) {
    std::cerr << "inkwell: refused: " << u->email << " is disabled (inkwell users enable "
              << u->email << " first)\n";
    return exit_code::kRefused;
  }
  auto views = load_views(config);
  if (!views) return exit_code::kUsage;
  auth::send_password_reset(auth::MailContext(config, *views, db), u->id, u->email, u->username);
  std::cout << "queued a password reset mail to " << u->username << " <" << u->email << ">\n";
  return exit_code::kOk;
}

// inkwell users resend-confirmations --older-than AGE [--dry-run]
int users_resend_confirmations(core::Db& db, const core::Config& config, const Args& args) {
  const long seconds = parse_age(args.value("--older-than"));
  const bool dry_run = args.flag("--dry-run");
  const auto due = unconfirmed_not_mailed(db, seconds, auth::mail_subject(auth::kConfirmSubject));
  std::optional<core::View> views;
  std::optional<auth::MailContext> mail;
  if (!dry_run && !due.empty()) {
    views = load_views(config);
    if (!views) return exit_code::kUsage;
    mail.emplace(config, *views, db);
  }
  std::size_t queued = 0;
  for (const UserRow& u : due) {
    // One statement each: what was queued stays queued if a later one
    // fails, and a second run skips it (it was mailed within AGE).
    if (mail) {
      auth::send_confirmation(*mail, u.id, u.email, u.username);
      ++queued;
    }
    std::cout << u.id << '\t' << u.email << '\t' << u.username << '\t' << u.member_since << '\n';
  }
  // The count on stderr, as users list does: stdout is the accounts alone.
  if (dry_run) {
    std::cerr << "would queue " << due.size() << " confirmation "
              << (due.size() == 1 ? "mail" : "mails") << " (--dry-run: nothing queued)\n";
  } else {
    std::cerr << "queued " << queued << " confirmation " << (queued == 1 ? "mail" : "mails")
              << '\n';
  }
  return exit_code::kOk;
}

}  // namespace inkwell::cli
