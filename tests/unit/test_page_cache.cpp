#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "core/page_cache.hpp"

namespace {

inkwell::http::Response page(const std::string& body) {
  return inkwell::http::Response::html(body);
}

}  // namespace

TEST_CASE("page cache: a stored page is served while nothing changed") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::seconds(60));
  CHECK(cache.find("/?") == nullptr);
  cache.store("/?", cache.generation(), page("home"));
  REQUIRE(cache.find("/?") != nullptr);
  CHECK(cache.find("/?")->body == "home");
  CHECK(cache.find("/?page=2") == nullptr);
}

TEST_CASE("page cache: a change anywhere makes every page stale") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::seconds(60));
  cache.store("/?", cache.generation(), page("old"));
  cache.changed();
  CHECK(cache.find("/?") == nullptr);
  // A page rendered before the change is not stored after it.
  std::uint64_t before = cache.generation();
  cache.changed();
  cache.store("/?", before, page("rendered before the change"));
  CHECK(cache.find("/?") == nullptr);
}

TEST_CASE("page cache: the generation is shared with forked processes") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::seconds(60));
  cache.store("/?", cache.generation(), page("home"));
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    gen.bump();  // another worker wrote to the database
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(cache.find("/?") == nullptr);
}

TEST_CASE("page cache: entries expire") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::milliseconds(20));
  cache.store("/?", cache.generation(), page("home"));
  CHECK(cache.find("/?") != nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  CHECK(cache.find("/?") == nullptr);
}

TEST_CASE("page cache: bounded size") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::seconds(60), 4);
  for (int i = 0; i < 10; ++i) {
    cache.store("/p" + std::to_string(i), cache.generation(), page(std::to_string(i)));
  }
  int kept = 0;
  for (int i = 0; i < 10; ++i) kept += cache.find("/p" + std::to_string(i)) != nullptr;
  CHECK(kept <= 4);
  CHECK(cache.find("/p9") != nullptr);  // the newest is always kept
}

TEST_CASE("page cache across hosts: one check per interval, a moved sum makes pages stale") {
  inkwell::core::SharedGeneration gen;
  inkwell::core::PageCache cache(gen, std::chrono::seconds(60));
  CHECK(gen.remote_check_due(10000, 500));
  CHECK_FALSE(gen.remote_check_due(10000, 500));  // one caller per interval
  CHECK_FALSE(gen.remote_check_due(10499, 500));
  CHECK(gen.remote_check_due(10500, 500));
  gen.observe_remote(7);  // the first sum seen
  cache.store("/?", cache.generation(), page("home"));
  gen.observe_remote(7);  // nothing changed on any host
  CHECK(cache.find("/?") != nullptr);
  gen.observe_remote(8);  // another host wrote
  CHECK(cache.find("/?") == nullptr);
}
