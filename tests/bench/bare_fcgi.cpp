// bench-bare-fcgi: the benchmark's floor. A minimal FastCGI responder that
// answers every request with the same file's bytes, with as many forked
// processes as the pool has workers. Usage: bench-bare-fcgi SOCKET FILE N
#include <fcgiapp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench-bare-fcgi SOCKET FILE PROCESSES\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  const std::string body = s.str();
  const std::string head = "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
  FCGX_Init();
  unlink(argv[1]);
  int fd = FCGX_OpenSocket(argv[1], 1024);
  if (fd < 0) return 1;
  chmod(argv[1], 0666);
  int n = std::stoi(argv[3]);
  std::vector<pid_t> kids;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      FCGX_Request req;
      FCGX_InitRequest(&req, fd, 0);
      while (FCGX_Accept_r(&req) >= 0) {
        FCGX_PutStr(head.data(), static_cast<int>(head.size()), req.out);
        FCGX_PutStr(body.data(), static_cast<int>(body.size()), req.out);
        FCGX_Detach(&req);  // a plain close on the unix socket, as the pool's workers do
        FCGX_Finish_r(&req);
      }
      _exit(0);
    }
    kids.push_back(pid);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  for (pid_t p : kids) kill(p, SIGKILL);
  for (pid_t p : kids) waitpid(p, nullptr, 0);
  unlink(argv[1]);
  return 0;
}
