// The running stack: nginx → FastCGI pool → router → views, static files,
// limits, worker replacement, reload and migrations.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "client.hpp"

namespace {

pid_t master_pid() {
  std::ifstream in(itest::stack_dir() + "/run/inkwell.pid");
  pid_t pid = 0;
  in >> pid;
  return pid;
}

std::set<pid_t> workers_of(pid_t master) {
  std::set<pid_t> out;
  std::istringstream s(itest::run("pgrep -P " + std::to_string(master)));
  pid_t p;
  while (s >> p) out.insert(p);
  return out;
}

std::string schema_dump() {
  std::string cmd = "mariadb-dump --no-data --skip-dump-date --skip-comments --socket=" +
                    itest::env_or("INKWELL_DB_SOCKET", "") + " -u" +
                    itest::env_or("INKWELL_DB_USER", "inkwell") + " -p" +
                    itest::env_or("INKWELL_DB_PASSWORD", "") + " " +
                    itest::env_or("INKWELL_DB_NAME", "inkwell") + " 2>&1";
  return itest::run(cmd);
}

// One FastCGI record (version 1) of the given type for request 1.
std::string fcgi_record(unsigned char type, const std::string& content) {
  std::string r = {1,
                   static_cast<char>(type),
                   0,
                   1,
                   static_cast<char>(content.size() >> 8),
                   static_cast<char>(content.size() & 0xff),
                   0,
                   0};
  return r + content;
}

std::string fcgi_param(const std::string& name, const std::string& value) {
  return std::string(1, static_cast<char>(name.size())) +
         std::string(1, static_cast<char>(value.size())) + name + value;
}

// A raw FastCGI connection to the pool's socket (the first app host's on
// the cluster), with a 5 s receive timeout (-1 when it cannot be made).
int connect_pool() {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = itest::stack_dir() + "/run/inkwell.sock";
  if (path.size() >= sizeof addr.sun_path) return -1;
  path.copy(addr.sun_path, path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  return send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

// Everything until the worker closes (or 5 s pass without a byte).
std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  return out;
}

// A request for /no-such-page, with `body` as its input, up to (not
// including) the end-of-input record.
std::string fcgi_request(const std::string& method, const std::string& body) {
  std::string begin = {0, 1, 0, 0, 0, 0, 0, 0};  // responder, no keep-alive
  std::string params = fcgi_param("REQUEST_METHOD", method) +
                       fcgi_param("DOCUMENT_URI", "/no-such-page") +
                       fcgi_param("REMOTE_ADDR", "127.0.0.1");
  if (!body.empty()) {
    params += fcgi_param("CONTENT_TYPE", "application/x-www-form-urlencoded") +
              fcgi_param("CONTENT_LENGTH", std::to_string(body.size()));
  }
  std::string out = fcgi_record(1, begin) + fcgi_record(4, params) + fcgi_record(4, "");
  if (!body.empty()) out += fcgi_record(5, body);
  return out;
}

}  // namespace

TEST_CASE("home page through nginx and the pool") {
  itest::Client c;
  auto r = c.get("/");
  CHECK(r.status == 200);
  CHECK(r.contains("Hello, Stranger!"));
  CHECK(r.contains("<title>Inkwell - Home</title>"));
  CHECK(r.contains("navbar"));
  CHECK(r.contains("/static/bootstrap/css/bootstrap.min.css"));
  CHECK(r.header("content-type").find("text/html") == 0);
}

TEST_CASE("HEAD / answers without a body") {
  itest::Client c;
  auto r = c.request("HEAD", "/", "", {});
  CHECK(r.status == 200);
  CHECK(r.body.empty());
}

TEST_CASE("unknown path is a 404 page in the layout, JSON for JSON clients") {
  itest::Client c;
  auto r = c.get("/no/such/page");
  CHECK(r.status == 404);
  CHECK(r.contains("Page Not Found"));
  CHECK(r.contains("<title>Inkwell - Page Not Found</title>"));
  auto j = c.get("/no/such/page", {"Accept: application/json"});
  CHECK(j.status == 404);
  CHECK(j.header("content-type").find("application/json") == 0);
  CHECK(j.body == R"({"error":"not found"})");
}

TEST_CASE("wrong method is a 405 with Allow") {
  itest::Client c;
  auto r = c.request("PUT", "/", "x=1", {"Content-Type: application/x-www-form-urlencoded"});
  CHECK(r.status == 405);
  CHECK(r.header("allow") == "GET, POST, HEAD");
  CHECK(r.contains("Method Not Allowed"));
}

TEST_CASE("static files are served by nginx") {
  itest::Client c;
  auto css = c.get("/static/styles.css");
  CHECK(css.status == 200);
  CHECK(css.header("content-type").find("text/css") == 0);
  CHECK(css.contains(".page-header"));
  auto bs = c.get("/static/bootstrap/css/bootstrap.min.css");
  CHECK(bs.status == 200);
  CHECK(bs.body.size() > 100000);
  CHECK(c.get("/static/bootstrap/js/bootstrap.bundle.min.js").status == 200);
  CHECK(c.get("/static/nope.css").status == 404);
}

// libfcgi's lingering close would hold the worker for up to 2 s after the
// answer, waiting for the peer to close first; on the unix socket the worker
// closes at once, so a byte sent after the answer meets a closed socket.
TEST_CASE("a worker closes its unix FastCGI connection as soon as it has answered") {
  int fd = connect_pool();
  REQUIRE(fd >= 0);
  REQUIRE(send_all(fd, fcgi_request("GET", "") + fcgi_record(5, "")));
  std::string answer = read_all(fd);
  CHECK(answer.find("Status: 404") != std::string::npos);
  REQUIRE(answer.size() >= 16);
  CHECK(answer[answer.size() - 16 + 1] == 3);  // the last record is FCGI_END_REQUEST
  // The worker has closed its end, not only shut down its writing half.
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    closed = send(fd, "x", 1, MSG_NOSIGNAL) < 0 && (errno == EPIPE || errno == ECONNRESET);
  }
  CHECK(closed);
  close(fd);
  itest::Client c;
  CHECK(c.get("/").status == 200);
}

// The answer ends only once the request's input has: nginx may still be
// writing its end-of-input record after a large body, and a close before
// that record is read would reset the connection under it.
TEST_CASE("a worker reads the whole request before it ends its answer and closes") {
  int fd = connect_pool();
  REQUIRE(fd >= 0);
  REQUIRE(send_all(fd, fcgi_request("POST", "body=x")));  // no end-of-input record yet
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  char buf[4096];
  std::string early;
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0;) early.append(buf, n);
  CHECK(early.find(std::string{1, 3}) == std::string::npos);  // no FCGI_END_REQUEST yet
  CHECK(send_all(fd, fcgi_record(5, "")));
  std::string answer = early + read_all(fd);
  CHECK(answer.find("Status: 404") != std::string::npos);
  REQUIRE(answer.size() >= 16);
  CHECK(answer[answer.size() - 16 + 1] == 3);
  close(fd);
}

// The worker reads the rest of a request before it closes: nginx writes the
// end-of-input record after a large body, and a close before it is read
// reset the connection (about 1 in 50 such requests answered 502).
TEST_CASE("large bodies refused by a handler get their answer, never a reset or a 502") {
  const std::string log = itest::nginx_log_dir() + "/nginx-error.log";
  REQUIRE(std::ifstream(log).good());
  auto resets = [&log] {
    return itest::run("grep -c -e 'reset by peer' -e 'Broken pipe' " + log + " || true");
  };
  const std::string before = resets();
  itest::Client c;
  const std::string body = "body=" + std::string(900 * 1024, 'a');
  int refused = 0;
  for (int i = 0; i < 100; ++i) refused += c.post("/preview", body).status == 400;
  CHECK(refused == 100);
  CHECK(resets() == before);
}

TEST_CASE("a body over 1 MiB is refused with 413") {
  itest::Client c;
  std::string body = "body=" + std::string(2 * 1024 * 1024, 'a');
  auto r = c.post("/", body);
  CHECK(r.status == 413);
}

TEST_CASE("malformed percent-encoding and NUL bytes are a 400, never a crash") {
  itest::Client c;
  CHECK(c.get("/?page=%zz").status == 400);
  CHECK(c.get("/?page=%00").status == 400);
  CHECK(c.get("/?page=%C0%AF").status == 400);
  CHECK(c.post("/", "body=%E0%80").status == 400);
  CHECK(c.get("/").status == 200);  // and the worker keeps serving
}

TEST_CASE("a worker killed with SIGKILL is replaced and requests keep succeeding") {
  pid_t master = master_pid();
  REQUIRE(master > 0);
  std::set<pid_t> before = workers_of(master);
  REQUIRE(!before.empty());
  pid_t victim = *before.begin();
  REQUIRE(kill(victim, SIGKILL) == 0);
  itest::Client c;
  for (int i = 0; i < 20; ++i) CHECK(c.get("/").status == 200);
  std::set<pid_t> after;
  for (int i = 0; i < 100; ++i) {
    after = workers_of(master);
    if (after.size() == before.size() && !after.count(victim)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(after.size() == before.size());
  CHECK(after.count(victim) == 0);
}

TEST_CASE("SIGHUP replaces every worker without refusing a request") {
  pid_t master = master_pid();
  REQUIRE(master > 0);
  std::set<pid_t> before = workers_of(master);
  itest::Client c;
  REQUIRE(kill(master, SIGHUP) == 0);
  int failures = 0;
  for (int i = 0; i < 200; ++i) {
    if (c.get("/").status != 200) ++failures;
  }
  CHECK(failures == 0);
  std::set<pid_t> after;
  for (int i = 0; i < 100; ++i) {
    after = workers_of(master);
    bool all_new = after.size() == before.size();
    for (pid_t p : before) all_new = all_new && !after.count(p);
    if (all_new) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(after.size() == before.size());
  for (pid_t p : before) CHECK(after.count(p) == 0);
}

TEST_CASE("running the migrations again leaves the schema unchanged") {
  std::string before = schema_dump();
  REQUIRE(before.find("CREATE TABLE `users`") != std::string::npos);
  REQUIRE(before.find("CREATE TABLE `schema_migrations`") != std::string::npos);
  int status = -1;
  std::string out = itest::run("build/inkwell migrate 2>&1", &status);
  CHECK(status == 0);
  CHECK(out.find("database is up to date") != std::string::npos);
  out = itest::run("build/inkwell migrate 2>&1", &status);
  CHECK(status == 0);
  CHECK(schema_dump() == before);
}

namespace {

std::string csrf_from(const std::string& html) {
  const std::string marker = "name=\"csrf_token\" value=\"";
  auto at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

// Restarts MariaDB when the test ends, whatever happened in it.
struct DatabaseRestarter {
  ~DatabaseRestarter() {
    itest::run(itest::db_script() + " start " + itest::stack_name() + " >/dev/null 2>&1");
  }
};

}  // namespace

TEST_CASE("database down: a clear 503 page, then the worker reconnects") {
  itest::Client c;
  auto page = c.get("/auth/login");
  std::string token = csrf_from(page.body);
  REQUIRE(!token.empty());
  std::string form = itest::form_encode(
      {{"csrf_token", token}, {"email", "nobody@example.com"}, {"password", "whatever1"}});
  {
    DatabaseRestarter restart;
    int status = -1;
    itest::run(itest::db_script() + " stop " + itest::stack_name() + " >/dev/null 2>&1", &status);
    REQUIRE(status == 0);
    for (int i = 0; i < 3; ++i) {  // every worker, whatever its connection state
      auto r = c.post("/auth/login", form);
      CHECK(r.status == 503);
      CHECK(r.contains("Service Unavailable"));
    }
  }
  auto r = c.post("/auth/login", form);
  CHECK(r.status == 200);
  CHECK(r.contains("Invalid email or password."));
}
