// inkwell fake: fills the database with fake users, posts, follows and
// comments for development and benchmarks. Refuses to run in production
// unless --force is given.
#include <cstdio>
#include <iostream>
#include <random>

#include "cli/commands.hpp"
#include "cli/fake_data.hpp"

namespace inkwell::cli {

int fake(core::Db& db, const core::Config& config, const Args& args) {
  args.expect({"--users", "--posts", "--follows", "--comments", "--seed", "--prefix"}, {"--force"});
  if (config.production() && !args.flag("--force")) {
    std::cerr << "inkwell: fake: refusing to add fake data to a production database "
                 "(INKWELL_ENV=production); add --force if you really mean it\n";
    return 2;
  }
  models::FakeOptions o;
  o.users = args.number("--users", 0, 0, 1'000'000);
  o.posts = args.number("--posts", 0, 0, 10'000'000);
  o.follows = args.number("--follows", 0, 0, 10'000);
  o.comments = args.number("--comments", 0, 0, 10'000'000);
  o.prefix = args.value_or("--prefix", "");
  o.password_method = config.password_method;
  if (args.value_or("--seed", "").empty()) {
    std::random_device device;
    o.seed = (static_cast<std::uint64_t>(device()) << 31) ^ device();
    o.seed &= 0x7fffffffffffffffULL;
  } else {
    o.seed = static_cast<std::uint64_t>(args.number("--seed", 0, 0, 0x7fffffffffffffffL));
  }
  if (!models::valid_fake_prefix(o.prefix)) {
    std::cerr << "inkwell: fake: --prefix must be lower-case letters, digits or '_', starting "
                 "with a letter, at most 16\n";
    return 2;
  }
  if (o.users + o.posts + o.follows + o.comments == 0) {
    std::cerr << "inkwell: fake: nothing to do (give --users, --posts, --follows or --comments)\n";
    return 2;
  }

  std::cout << "fake: seed " << o.seed << " (--seed " << o.seed << " makes the same data again)"
            << std::endl;
  models::FakeReport report = models::make_fake_data(db, o);

  std::cout << "fake: added " << report.users << " users, " << report.posts << " posts, "
            << report.follows << " follows, " << report.comments << " comments ("
            << report.disabled_comments << " disabled); counters recomputed\n";
  if (report.users > 0) {
    std::cout << "fake: every fake user's password is \"" << models::kFakePassword << "\"\n";
  }
  double total = 0;
  for (const auto& phase : report.phases) {
    std::printf("  %-14s %8.2f s\n", phase.name.c_str(), phase.seconds);
    total += phase.seconds;
  }
  std::printf("  %-14s %8.2f s\n", "total", total);
  return 0;
}

}  // namespace inkwell::cli
