// Atom feeds through nginx: /feed.atom and /user/<username>/feed.atom are
// well-formed RFC 4287 documents (checked by Python's XML parser), hold the
// newest 20 posts with their rendered HTML, are cacheable, and are linked
// from the pages.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// Parses the document with xml.etree and prints what RFC 4287 requires, one
// line each: the feed's id, title, updated and self link, then per entry its
// id, title, updated, author name, alternate link and content (type, text).
// A document that does not parse, or lacks one of them, exits non-zero.
const char* const kCheckAtom = R"PY(
import sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + 'feed', root.tag
def one(el, name):
    found = el.findall(A + name)
    assert len(found) == 1, (name, len(found))
    return found[0]
def link(el, rel):
    found = [l for l in el.findall(A + 'link') if l.get('rel') == rel]
    assert len(found) == 1, rel
    return found[0].get('href')
print('feed', one(root, 'id').text, one(root, 'title').text, one(root, 'updated').text,
      link(root, 'self'), sep='|')
for e in root.findall(A + 'entry'):
    content = one(e, 'content')
    print('entry', one(e, 'id').text, one(e, 'title').text, one(e, 'updated').text,
          one(one(e, 'author'), 'name').text, link(e, 'alternate'), content.get('type'),
          content.text.replace('\n', ' '), sep='|')
)PY";

std::vector<std::string> check_atom(const std::string& document) {
  const std::string path = stack_dir() + "/feed-under-test.xml";
  std::ofstream(path, std::ios::binary) << document;
  int status = -1;
  const std::string out =
      run("/usr/bin/python3 -c " + shell_quote(kCheckAtom) + " " + shell_quote(path) + " 2>&1",
          &status);
  REQUIRE_MESSAGE(status == 0, "the feed is not valid Atom: " << out << "\n" << document);
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(out.substr(start, nl - start));
  }
  return lines;
}

const std::string kAtomType = "application/atom+xml; charset=utf-8";

}  // namespace

TEST_CASE("feeds: a user's feed is valid Atom with their posts, newest first") {
  Client c;
  Account a = confirmed_user(c, "feed");
  const long first = write_post(c, "first *post* of " + a.username);
  const long second = write_post(c, "second & <b>last</b> post\x01 of " + a.username);
  const std::string base = env_or("INKWELL_BASE_URL", "http://127.0.0.1:8081");

  Client visitor;
  Reply r = visitor.get("/user/" + a.username + "/feed.atom");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == kAtomType);
  CHECK(r.header("cache-control").find("public") == 0);
  const auto lines = check_atom(r.body);
  REQUIRE(lines.size() == 3);
  const std::string self = base + "/user/" + a.username + "/feed.atom";
  CHECK(lines[0].rfind("feed|" + self + "|Inkwell - " + a.username + "|", 0) == 0);
  CHECK(lines[0].ends_with("|" + self));
  const std::string url2 = base + "/post/" + std::to_string(second);
  CHECK(lines[1].rfind("entry|" + url2 + "|second & <b>last</b> post of " + a.username + "|", 0) ==
        0);
  CHECK(lines[1].find("|" + a.username + "|" + url2 + "|html|") != std::string::npos);
  // The content is the HTML the post page shows (raw HTML removed by the sanitiser).
  CHECK(lines[1].find("<p>second &amp; <!-- raw HTML omitted -->last<!-- raw HTML omitted --> "
                      "post of ") != std::string::npos);
  CHECK(lines[2].rfind("entry|" + base + "/post/" + std::to_string(first) + "|", 0) == 0);
  CHECK(lines[2].find("<p>first <em>post</em> of " + a.username + "</p>") != std::string::npos);

  // A logged-in reader gets the same cacheable document.
  Reply mine = c.get("/user/" + a.username + "/feed.atom");
  CHECK(mine.body == r.body);
  CHECK(mine.header("cache-control").find("no-store") == std::string::npos);
  CHECK(mine.header("set-cookie").empty());

  CHECK(visitor.get("/user/no-such-user-feed/feed.atom").status == 404);
}

TEST_CASE("feeds: the site feed holds the newest 20 posts of everyone") {
  Client c;
  Account a = confirmed_user(c, "sitefeed");
  for (int i = 0; i < 21; ++i)
    write_post(c, "site feed post " + std::to_string(i) + " " + a.username);
  Client visitor;
  Reply r = visitor.get("/feed.atom");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == kAtomType);
  const auto lines = check_atom(r.body);
  REQUIRE(lines.size() == 21);  // the feed line and 20 entries
  CHECK(lines[1].find("|site feed post 20 " + a.username + "|") != std::string::npos);
  CHECK(lines[20].find("|site feed post 1 " + a.username + "|") != std::string::npos);
  CHECK(r.body.find("site feed post 0 " + a.username + "<") == std::string::npos);
}

TEST_CASE("feeds: pages link the site's feed, a profile its user's too") {
  Client c;
  Account a = confirmed_user(c, "feedlink");
  Client visitor;
  const std::string site =
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Inkwell\" "
      "href=\"/feed.atom\">";
  CHECK(visitor.get("/").contains(site));
  Reply profile = visitor.get("/user/" + a.username);
  CHECK(profile.contains(site));
  CHECK(
      profile.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Inkwell - " +
                       a.username + "\" href=\"/user/" + a.username + "/feed.atom\">"));
}
