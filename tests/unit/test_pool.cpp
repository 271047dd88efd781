#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "core/pool.hpp"

namespace {

// Runs a pool whose workers call worker_main, for `run_for`, in a child
// process; returns the pool's exit status.
int run_pool_for(std::chrono::milliseconds run_for, const inkwell::core::WorkerMain& worker_main,
                 int workers) {
  const std::string socket = "/tmp/inkwell-pool-test-" + std::to_string(getpid()) + ".sock";
  pid_t pid = fork();
  if (pid == 0) {
    inkwell::core::PoolOptions o;
    o.socket_path = socket;
    o.workers = workers;
    o.stop_grace = std::chrono::seconds(2);
    _exit(inkwell::core::run_pool(o, worker_main));
  }
  std::this_thread::sleep_for(run_for);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct SharedCounter {
  std::atomic<int>* value =
      static_cast<std::atomic<int>*>(mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE,
                                          MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  SharedCounter() { new (value) std::atomic<int>(0); }
  ~SharedCounter() { munmap(value, sizeof(std::atomic<int>)); }
};

}  // namespace

TEST_CASE("pool: workers that die at once are respawned with back-off, not in a busy loop") {
  SharedCounter starts;
  int rc = run_pool_for(
      std::chrono::milliseconds(1500),
      [&starts](int) {
        starts.value->fetch_add(1);
        return 1;  // dies at once
      },
      1);
  CHECK(rc == 0);
  // Back-off 0.1 s, 0.3 s, 0.7 s, 1.5 s…: a handful of starts, never hundreds.
  CHECK(starts.value->load() >= 2);
  CHECK(starts.value->load() <= 8);
}

TEST_CASE("pool: SIGTERM stops the workers and the master exits 0") {
  SharedCounter stopped;
  int rc = run_pool_for(
      std::chrono::milliseconds(300),
      [&stopped](int) {
        inkwell::core::worker_install_signals();
        inkwell::core::worker_block_stop(false);
        while (!inkwell::core::worker_should_stop()) pause();
        stopped.value->fetch_add(1);
        return 0;
      },
      2);
  CHECK(rc == 0);
  CHECK(stopped.value->load() == 2);  // both finished their way, not killed
}

TEST_CASE("pool: the workers exit when their master is killed with SIGKILL") {
  SharedCounter started, stopped;
  const std::string socket = "/tmp/inkwell-pool-test-" + std::to_string(getpid()) + "-orphan.sock";
  pid_t master = fork();
  if (master == 0) {
    inkwell::core::PoolOptions o;
    o.socket_path = socket;
    o.workers = 2;
    _exit(inkwell::core::run_pool(o, [&started, &stopped](int) {
      inkwell::core::worker_install_signals();
      started.value->fetch_add(1);
      inkwell::core::worker_block_stop(false);
      while (!inkwell::core::worker_should_stop()) pause();
      stopped.value->fetch_add(1);
      return 0;
    }));
  }
  // Both workers up (bounded wait: a failure, not a hang, if they never start).
  for (int i = 0; i < 500 && started.value->load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(started.value->load() == 2);
  kill(master, SIGKILL);
  int status = 0;
  waitpid(master, &status, 0);
  for (int i = 0; i < 500 && stopped.value->load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(stopped.value->load() == 2);
  unlink(socket.c_str());
}
