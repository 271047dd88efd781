#include "client.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace itest {
namespace {

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<Reply*>(user)->headers.emplace(name, value);
  }
  return size * n;
}

struct SList {
  curl_slist* list = nullptr;
  ~SList() { curl_slist_free_all(list); }
  void add(const std::string& s) { list = curl_slist_append(list, s.c_str()); }
};

}  // namespace

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
std::string base_url() {
  return env_or("INKWELL_TEST_URL", "http://127.0.0.1:8081");
}
std::string stack_dir() {
  return env_or("INKWELL_TEST_STACK_DIR", "var/test");
}
std::string stack_name() {
  return env_or("INKWELL_TEST_STACK", "test");
}
void settle_page_caches() {
  const long ms = std::stol(env_or("INKWELL_PAGE_CACHE_SYNC_MS", "0"));
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms + 100));
}
std::string db_script() {
  return env_or("INKWELL_TEST_DB_SCRIPT", "tests/stack/mariadb.sh");
}
std::string nginx_log_dir() {
  return env_or("INKWELL_TEST_NGINX_LOG_DIR", stack_dir() + "/log");
}
std::string pool_logs() {
  return env_or("INKWELL_TEST_POOL_LOGS", shell_quote(stack_dir() + "/log/inkwell.log"));
}

std::string run(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string inkwell_binary() {
  return env_or("INKWELL_BUILD_DIR", "build") + "/inkwell";
}

std::string inkwell_cli(const std::string& args, int* status, const std::string& env) {
  return run(env + (env.empty() ? "" : " ") + inkwell_binary() + " " + args + " </dev/null 2>&1",
             status);
}

namespace {

// 127.1.0.1, 127.1.0.2, ...: the whole of 127/8 is the loopback interface.
std::string next_loopback_address() {
  static std::atomic<unsigned> next{0};
  unsigned n = next++ % (250u * 250u);
  return "127.1." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
}

}  // namespace

Client::Client() : Client(next_loopback_address()) {}

Client::Client(std::string source_address)
    : curl_(curl_easy_init()), address_(std::move(source_address)) {
  curl_easy_setopt(curl_.get(), CURLOPT_COOKIEFILE, "");  // in-memory cookie jar
  curl_easy_setopt(curl_.get(), CURLOPT_TIMEOUT, 30L);
  // "host!" binds to the address itself, not to an interface of that name.
  const std::string bind = "host!" + address_;
  curl_easy_setopt(curl_.get(), CURLOPT_INTERFACE, bind.c_str());
}

Reply Client::request(const std::string& method, const std::string& path, const std::string& body,
                      const std::vector<std::string>& headers) {
  CURL* c = curl_.get();
  Reply r;
  std::string url = path.rfind("http", 0) == 0 ? path : base_url() + path;
  SList h;
  for (const auto& s : extra_headers_) h.add(s);
  for (const auto& s : headers) h.add(s);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h.list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOBODY, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, nullptr);
  if (method == "POST" || method == "PUT" || method == "DELETE" || !body.empty()) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (method != "GET" && method != "POST" && method != "HEAD") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (rc != CURLE_OK)
    throw std::runtime_error(std::string("curl: ") + curl_easy_strerror(rc) + " for " + url);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

Reply Client::get(const std::string& path, const std::vector<std::string>& headers) {
  return request("GET", path, "", headers);
}

Reply Client::post(const std::string& path, const std::string& body,
                   const std::string& content_type, const std::vector<std::string>& headers) {
  std::vector<std::string> h = headers;
  h.push_back("Content-Type: " + content_type);
  return request("POST", path, body, h);
}

Reply Client::follow(const Reply& r) {
  std::string loc = r.header("location");
  if (loc.empty()) throw std::runtime_error("no Location to follow");
  return get(loc);
}

std::string Client::cookie(const std::string& name) const {
  curl_slist* cookies = nullptr;
  curl_easy_getinfo(curl_.get(), CURLINFO_COOKIELIST, &cookies);
  std::string value;
  for (curl_slist* p = cookies; p; p = p->next) {
    // Netscape format: domain, flag, path, secure, expiry, name, value (tabs)
    std::string line = p->data;
    std::vector<std::string> f;
    size_t start = 0, tab;
    while ((tab = line.find('\t', start)) != std::string::npos) {
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    f.push_back(line.substr(start));
    if (f.size() >= 7 && f[5] == name) value = f[6];
  }
  curl_slist_free_all(cookies);
  return value;
}

void Client::drop_cookie(const std::string& name) {
  // Re-add the jar without the named cookie.
  curl_slist* cookies = nullptr;
  curl_easy_getinfo(curl_.get(), CURLINFO_COOKIELIST, &cookies);
  std::vector<std::string> keep;
  for (curl_slist* p = cookies; p; p = p->next) {
    std::string line = p->data;
    if (line.find("\t" + name + "\t") == std::string::npos) keep.push_back(line);
  }
  curl_slist_free_all(cookies);
  curl_easy_setopt(curl_.get(), CURLOPT_COOKIELIST, "ALL");
  for (const auto& line : keep) curl_easy_setopt(curl_.get(), CURLOPT_COOKIELIST, line.c_str());
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    char* ek = curl_easy_escape(nullptr, k.c_str(), static_cast<int>(k.size()));
    char* ev = curl_easy_escape(nullptr, v.c_str(), static_cast<int>(v.size()));
    out += ek;
    out += '=';
    out += ev;
    curl_free(ek);
    curl_free(ev);
  }
  return out;
}

}  // namespace itest
