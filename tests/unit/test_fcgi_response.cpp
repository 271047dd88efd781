// core::fastcgi_response_records: an answer → FastCGI records, read back
// here as nginx reads them.
#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/fcgi_response.hpp"

namespace {

struct Record {
  int type = 0;
  int request_id = 0;
  std::string content;
};

// Splits bytes into records; fails the test on a truncated one.
std::vector<Record> parse(std::string_view bytes) {
  std::vector<Record> out;
  while (!bytes.empty()) {
    REQUIRE(bytes.size() >= 8);
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    CHECK(b(0) == 1);  // version
    Record r;
    r.type = b(1);
    r.request_id = (b(2) << 8) | b(3);
    const std::size_t length = (static_cast<std::size_t>(b(4)) << 8) | b(5);
    const std::size_t padding = b(6);
    REQUIRE(bytes.size() >= 8 + length + padding);
    r.content = std::string(bytes.substr(8, length));
    bytes.remove_prefix(8 + length + padding);
    out.push_back(std::move(r));
  }
  return out;
}

// The stream's content, checking the records' shape on the way: STDOUT
// records with content, the empty STDOUT record, then END_REQUEST.
std::string stdout_of(const std::vector<Record>& records, int request_id) {
  REQUIRE(records.size() >= 2);
  std::string content;
  for (std::size_t i = 0; i + 2 < records.size(); ++i) {
    CHECK(records[i].type == 6);
    CHECK(records[i].request_id == request_id);
    CHECK(!records[i].content.empty());
    content += records[i].content;
  }
  const Record& eos = records[records.size() - 2];
  CHECK(eos.type == 6);
  CHECK(eos.request_id == request_id);
  CHECK(eos.content.empty());
  const Record& end = records.back();
  CHECK(end.type == 3);
  CHECK(end.request_id == request_id);
  CHECK(end.content == std::string(8, '\0'));  // status 0, FCGI_REQUEST_COMPLETE
  return content;
}

}  // namespace

TEST_SUITE("fcgi_response") {
  TEST_CASE("head and body in one STDOUT record, then the end records") {
    const std::string head = "Status: 200 OK\r\nContent-Type: text/html\r\n\r\n";
    const std::vector<Record> records =
        parse(inkwell::core::fastcgi_response_records(1, head, "<p>hi</p>"));
    CHECK(records.size() == 3);
    CHECK(stdout_of(records, 1) == head + "<p>hi</p>");
  }

  TEST_CASE("no body (HEAD, a redirect): the head alone") {
    const std::vector<Record> records =
        parse(inkwell::core::fastcgi_response_records(7, "Status: 302 Found\r\n\r\n", ""));
    CHECK(stdout_of(records, 7) == "Status: 302 Found\r\n\r\n");
  }

  TEST_CASE("a large body is split into records of at most 65,535 bytes") {
    std::string body;
    for (int i = 0; body.size() < 200000; ++i) body += std::to_string(i) + ',';
    for (const std::size_t size :
         {std::size_t{65535 - 20}, std::size_t{65535 - 19}, std::size_t{65535}, body.size()}) {
      const std::string_view part = std::string_view(body).substr(0, size);
      const std::string head(20, 'h');
      const std::vector<Record> records =
          parse(inkwell::core::fastcgi_response_records(300, head, part));
      for (const Record& r : records) CHECK(r.content.size() <= 65535);
      CHECK(stdout_of(records, 300) == head + std::string(part));
      // Full records but the last: no more records than the bytes need.
      CHECK(records.size() == (head.size() + size + 65534) / 65535 + 2);
    }
  }

  TEST_CASE("request ids above 255 keep both bytes") {
    const std::vector<Record> records =
        parse(inkwell::core::fastcgi_response_records(0xABCD, "h", "b"));
    CHECK(stdout_of(records, 0xABCD) == "hb");
  }
}
