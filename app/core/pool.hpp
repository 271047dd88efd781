// The prefork master: opens the listening socket, forks N workers, replaces
// a worker that dies (with back-off when they die in a loop), stops gracefully
// on SIGTERM/SIGINT and replaces its workers one by one on SIGHUP. Workers
// get SIGTERM when the master dies, so none is ever left behind unsupervised.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace inkwell::core {

struct PoolOptions {
  std::string socket_path;  // unix socket to listen on
  int socket_mode = 0660;
  int workers = 2;
  // SIGTERM → SIGKILL after this. A request may take as long as nginx waits
  // for it (fastcgi_read_timeout 30s), so the drain waits as long; systemd's
  // TimeoutStopSec is a little longer.
  std::chrono::seconds stop_grace{30};
  // SIGHUP re-execs the master from this path (the binary in place now, a
  // new one after an upgrade), keeping the listening socket; with
  // env_file, the environment is read from it again first. The new master
  // starts its workers, then retires the old ones. Before the exec the new
  // binary is run with `check_arg` under the new environment: if that fails
  // (bad configuration, broken binary), the master stays and only replaces
  // its workers. Empty exec_path: SIGHUP only replaces the workers.
  std::string exec_path;
  std::string check_arg = "--check-config";
  std::string env_file;
  // Run once by the master after the first workers are forked (they serve
  // meanwhile), e.g. to log whether the database answers.
  std::function<void()> on_started;
};

// Runs in each forked worker with the listening descriptor; returns the
// worker's exit code.
using WorkerMain = std::function<int(int listen_fd)>;

// Runs the master until SIGTERM/SIGINT; returns the process exit code.
// The listening socket is inherited when LISTEN_FDS/LISTEN_PID say so
// (systemd socket activation, or the master's own re-exec); an inherited
// socket that systemd made is not deleted on stop.
int run_pool(const PoolOptions& options, const WorkerMain& worker_main);

// For workers: true once SIGTERM asked this worker to finish and exit.
bool worker_should_stop();
// For workers: installs the SIGTERM handler (no SA_RESTART, so a blocking
// accept is interrupted) and blocks SIGTERM; unblock only while idle.
void worker_install_signals();
void worker_block_stop(bool block);

}  // namespace inkwell::core
