#include "core/pool.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/env_file.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"

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
  Master(const PoolOptions& o, const WorkerMain& m, int fd, bool owned)
      : opts_(o), main_(m), fd_(fd), owned_(owned) {}

  int run() {
    for (int i = 0; i < opts_.workers; ++i) spawn();
    retire_previous_workers();
    if (opts_.on_started) opts_.on_started();
    sigset_t set = master_signals();
    while (!stopping_) {
      timespec tick{0, 200 * 1000 * 1000};
      siginfo_t info;
      int sig = sigtimedwait(&set, &info, &tick);
      if (sig == SIGTERM || sig == SIGINT) {
        stopping_ = true;
      } else if (sig == SIGHUP) {
        if (opts_.exec_path.empty() || !reexec()) reload();
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
        metrics::worker_restart();
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

  // The workers of the master this one replaced (same pid, before its
  // exec): asked to finish once this one's workers serve.
  void retire_previous_workers() {
    const char* list = std::getenv("INKWELL_RETIRE_WORKERS");
    if (!list) return;
    std::string text = list;
    unsetenv("INKWELL_RETIRE_WORKERS");
    std::size_t i = 0;
    int n = 0;
    while (i < text.size()) {
      std::size_t end = text.find(',', i);
      if (end == std::string::npos) end = text.size();
      const pid_t pid = static_cast<pid_t>(std::atoi(text.substr(i, end - i).c_str()));
      i = end + 1;
      if (pid > 0 && pid != getpid()) {
        kill(pid, SIGTERM);
        ++n;
      }
    }
    log("pool: re-executed; ", n, " workers of the previous master asked to finish");
  }

  // Runs the new binary with check_arg under the environment it will get;
  // true when it exits 0 within the timeout.
  bool new_binary_ok() {
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      sigset_t set = master_signals();
      sigprocmask(SIG_UNBLOCK, &set, nullptr);
      execl(opts_.exec_path.c_str(), opts_.exec_path.c_str(), opts_.check_arg.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      int status = 0;
      pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (r < 0) return false;
      if (Clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // SIGHUP: exec the (new) binary in this process, passing the listening
  // socket as fd 3 by the LISTEN_FDS protocol and our workers' pids; returns
  // false (nothing changed) when the exec cannot or must not happen.
  bool reexec() {
    if (!opts_.env_file.empty()) {
      try {
        apply_env(read_env_file(opts_.env_file));
      } catch (const std::exception& e) {
        log("pool: re-exec refused, environment not re-read: ", e.what());
        return false;
      }
    }
    if (!new_binary_ok()) {
      log("pool: re-exec refused: ", opts_.exec_path, " ", opts_.check_arg,
          " failed; replacing the workers with the running binary");
      return false;
    }
    std::string pids;
    for (const auto& [pid, started] : workers_) {
      if (!pids.empty()) pids += ',';
      pids += std::to_string(pid);
    }
    constexpr int kListenFdsStart = 3;  // SD_LISTEN_FDS_START
    if (fd_ != kListenFdsStart) {
      if (dup2(fd_, kListenFdsStart) < 0) {
        log("pool: re-exec failed: dup2: ", std::strerror(errno));
        return false;
      }
    }
    fcntl(kListenFdsStart, F_SETFD, 0);  // survives the exec
    setenv("LISTEN_FDS", "1", 1);
    setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
    setenv("INKWELL_RETIRE_WORKERS", pids.c_str(), 1);
    if (owned_) setenv("INKWELL_LISTEN_OWNED", "1", 1);
    log("pool: re-executing ", opts_.exec_path, " (", workers_.size(),
        " workers keep serving until the new ones start)");
    execl(opts_.exec_path.c_str(), opts_.exec_path.c_str(), static_cast<char*>(nullptr));
    log("pool: re-exec failed: ", std::strerror(errno));
    for (const char* v :
         {"LISTEN_FDS", "LISTEN_PID", "INKWELL_RETIRE_WORKERS", "INKWELL_LISTEN_OWNED"})
      unsetenv(v);
    if (fd_ != kListenFdsStart) close(kListenFdsStart);
    return false;
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
  bool owned_;  // this pool made the socket file: delete it on stop
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

namespace {

// The socket passed by systemd (socket activation) or by this master's
// re-exec: LISTEN_PID is this process and LISTEN_FDS at least 1; the socket
// is fd 3. -1 when there is none. The variables are removed so the workers
// and anything they run do not see them.
int inherited_listen_fd() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  int fd = -1;
  if (pid && fds && std::atol(pid) == static_cast<long>(getpid()) && std::atoi(fds) >= 1) fd = 3;
  for (const char* v : {"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) unsetenv(v);
  if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);  // not for the programs workers might run
  return fd;
}

}  // namespace

int run_pool(const PoolOptions& options, const WorkerMain& worker_main) {
  if (FCGX_Init() != 0) {
    log("pool: FCGX_Init failed");
    return 1;
  }
  int fd = inherited_listen_fd();
  bool owned = true;
  if (fd >= 0) {
    owned = std::getenv("INKWELL_LISTEN_OWNED") != nullptr;
    unsetenv("INKWELL_LISTEN_OWNED");
    log("pool: master ", getpid(), " serving the inherited socket (fd ", fd, ") with ",
        options.workers, " workers");
  } else {
    struct stat st {};
    if (lstat(options.socket_path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      unlink(options.socket_path.c_str());
    }
    fd = FCGX_OpenSocket(options.socket_path.c_str(), 1024);
    if (fd < 0) {
      log("pool: cannot listen on ", options.socket_path, ": ", std::strerror(errno));
      return 1;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    chmod(options.socket_path.c_str(), static_cast<mode_t>(options.socket_mode));
    log("pool: master ", getpid(), " listening on ", options.socket_path, " with ", options.workers,
        " workers");
  }
  sigset_t set = master_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  Master master(options, worker_main, fd, owned);
  int rc = master.run();
  close(fd);
  // A socket systemd made (inkwell.socket) stays: it queues the requests
  // that come while the pool restarts.
  if (owned) unlink(options.socket_path.c_str());
  log("pool: stopped");
  return rc;
}

}  // namespace inkwell::core
