#include "core/pool.hpp"

#include <fcgiapp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "core/log.hpp"

namespace inkwell::core {
namespace {

volatile sig_atomic_t g_worker_stop = 0;

void on_worker_term(int) {
  g_worker_stop = 1;
}

sigset_t master_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  return set;
}

using Clock = std::chrono::steady_clock;

class Master {
 public:
  Master(const PoolOptions& o, const WorkerMain& m, int fd) : opts_(o), main_(m), fd_(fd) {}

  int run() {
    for (int i = 0; i < opts_.workers; ++i) spawn();
    if (opts_.on_started) opts_.on_started();
    sigset_t set = master_signals();
    while (!stopping_) {
      timespec tick{0, 200 * 1000 * 1000};
      siginfo_t info;
      int sig = sigtimedwait(&set, &info, &tick);
      if (sig == SIGTERM || sig == SIGINT) {
        stopping_ = true;
      } else if (sig == SIGHUP) {
        reload();
      }
      reap();
      if (!stopping_) refill();
    }
    return stop();
  }

 private:
  void spawn() {
    const pid_t master = getpid();
    pid_t pid = fork();
    if (pid < 0) {
      log("pool: fork failed: ", std::strerror(errno));
      return;
    }
    if (pid == 0) {
      // The child: default signal dispositions, nothing blocked, then serve.
      for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) signal(s, SIG_DFL);
      sigset_t set = master_signals();
      sigprocmask(SIG_UNBLOCK, &set, nullptr);
      // A worker must not outlive its master (killed with SIGKILL, say):
      // nothing would replace or stop it. The kernel sends SIGTERM (finish
      // the request in flight, then exit) when the master dies; if it died
      // before this call, the worker has already been re-parented.
      if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != master) _exit(0);
      int rc = 1;
      try {
        rc = main_(fd_);
      } catch (const std::exception& e) {
        log("worker ", getpid(), ": ", e.what());
      }
      _exit(rc);
    }
    workers_[pid] = Clock::now();
  }

  // Reaps every exited child (several can die at once).
  void reap() {
    for (;;) {
      int status = 0;
      pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) return;
      auto it = workers_.find(pid);
      if (it == workers_.end()) continue;
      bool expected = retiring_.erase(pid) > 0 || stopping_;
      if (!expected) {
        log("pool: worker ", pid, " died (",
            (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                 : "exit " + std::to_string(WEXITSTATUS(status))),
            ")");
        // Died soon after start: back off so a crash loop does not spin.
        if (Clock::now() - it->second < std::chrono::seconds(2)) {
          backoff_ = std::min(backoff_ * 2 + std::chrono::milliseconds(100),
                              std::chrono::milliseconds(5000));
        } else {
          backoff_ = std::chrono::milliseconds(0);
        }
        next_spawn_ = Clock::now() + backoff_;
      }
      workers_.erase(it);
    }
  }

  void refill() {
    if (Clock::now() < next_spawn_) return;
    while (static_cast<int>(workers_.size() - retiring_.size()) < opts_.workers) spawn();
  }

  // One by one: start a new worker, then ask an old one to finish. The
  // listening socket stays open throughout, so no request is refused.
  void reload() {
    log("pool: reloading workers");
    std::vector<pid_t> old;
    for (const auto& [pid, started] : workers_) {
      if (!retiring_.count(pid)) old.push_back(pid);
    }
    for (pid_t pid : old) {
      spawn();
      retiring_.insert(pid);
      kill(pid, SIGTERM);
    }
  }

  int stop() {
    log("pool: stopping ", workers_.size(), " workers");
    for (const auto& [pid, started] : workers_) kill(pid, SIGTERM);
    auto deadline = Clock::now() + opts_.stop_grace;
    while (!workers_.empty() && Clock::now() < deadline) {
      reap();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (const auto& [pid, started] : workers_) {
      log("pool: worker ", pid, " did not stop in time; killing it");
      kill(pid, SIGKILL);
    }
    while (!workers_.empty()) {
      int status;
      pid_t pid = waitpid(-1, &status, 0);
      if (pid < 0) break;
      workers_.erase(pid);
    }
    return 0;
  }

  const PoolOptions& opts_;
  const WorkerMain& main_;
  int fd_;
  std::map<pid_t, Clock::time_point> workers_;
  std::set<pid_t> retiring_;
  bool stopping_ = false;
  std::chrono::milliseconds backoff_{0};
  Clock::time_point next_spawn_{};
};

}  // namespace

bool worker_should_stop() {
  return g_worker_stop != 0;
}

void worker_install_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_worker_term;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: interrupt accept()
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  worker_block_stop(true);
}

void worker_block_stop(bool block) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

int run_pool(const PoolOptions& options, const WorkerMain& worker_main) {
  if (FCGX_Init() != 0) {
    log("pool: FCGX_Init failed");
    return 1;
  }
  struct stat st {};
  if (lstat(options.socket_path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    unlink(options.socket_path.c_str());
  }
  int fd = FCGX_OpenSocket(options.socket_path.c_str(), 1024);
  if (fd < 0) {
    log("pool: cannot listen on ", options.socket_path, ": ", std::strerror(errno));
    return 1;
  }
  chmod(options.socket_path.c_str(), static_cast<mode_t>(options.socket_mode));
  sigset_t set = master_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  log("pool: master ", getpid(), " listening on ", options.socket_path, " with ", options.workers,
      " workers");
  Master master(options, worker_main, fd);
  int rc = master.run();
  close(fd);
  unlink(options.socket_path.c_str());
  log("pool: stopped");
  return rc;
}

}  // namespace inkwell::core
