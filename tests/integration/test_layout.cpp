// The layout's navigation through nginx: the scripts Bootstrap needs (Popper
// v2 before Bootstrap's JS, both served by nginx) and account links that are
// plain links, reachable without JavaScript.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// The src of every <script> of the page, in document order.
std::vector<std::string> script_sources(const std::string& html) {
  static const std::regex script(R"re(<script\s[^>]*src="([^"]+)")re", std::regex::icase);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), script);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// True when the page has <a ... href="href" ...>text</a> (any other attributes).
bool has_link(const std::string& html, const std::string& href, const std::string& text) {
  const std::regex link("<a\\s[^>]*href=\"" + href + "\"[^>]*>\\s*" + text + "\\s*</a>");
  return std::regex_search(html, link);
}

// The value of attribute `name` of the first element whose attributes match
// `element` (a regex on the tag's text), "" when there is none.
std::string attribute_of(const std::string& html, const std::string& element,
                         const std::string& name) {
  std::smatch tag;
  if (!std::regex_search(html, tag, std::regex("<[a-z]+\\s[^>]*" + element + "[^>]*>"))) return "";
  std::smatch value;
  const std::string text = tag.str();
  if (!std::regex_search(text, value, std::regex("\\s" + name + "=\"([^\"]*)\""))) return "";
  return value[1];
}

}  // namespace

TEST_CASE("layout: Popper v2 is loaded before Bootstrap's JS, both served by nginx") {
  Client c;
  confirmed_user(c, "layoutjs");
  Reply home = c.get("/");
  REQUIRE(home.status == 200);
  const std::vector<std::string> scripts = script_sources(home.body);
  std::size_t popper = scripts.size(), bootstrap = scripts.size();
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    if (scripts[i].find("popper") != std::string::npos && popper == scripts.size()) popper = i;
    if (scripts[i].find("bootstrap") != std::string::npos && bootstrap == scripts.size()) {
      bootstrap = i;
    }
  }
  REQUIRE_MESSAGE(popper < scripts.size(), "no Popper script in the layout");
  REQUIRE(bootstrap < scripts.size());
  CHECK(popper < bootstrap);
  for (const std::string& src : scripts) {
    CAPTURE(src);
    REQUIRE(src.rfind("/static/", 0) == 0);  // same origin: the CSP allows only 'self'
    Reply js = c.get(src);
    CHECK(js.status == 200);
    CHECK(js.header("content-type").find("javascript") != std::string::npos);
    CHECK(js.header("x-content-type-options") == "nosniff");
  }
  // Bootstrap 5's dropdowns call Popper.createPopper (v2); v1 has no such function.
  Reply popper_js = c.get(scripts[popper]);
  CHECK(popper_js.contains("createPopper"));
  CHECK(popper_js.contains(".Popper={}"));  // the UMD build defines window.Popper
}

TEST_CASE("layout: the account links are plain links, reachable without JavaScript") {
  Client c;
  Account a = confirmed_user(c, "layoutnav");
  for (const std::string& path :
       std::vector<std::string>{"/", "/user/" + a.username, "/no/such/page"}) {
    CAPTURE(path);
    const std::string html = c.get(path).body;
    CHECK(has_link(html, "/auth/logout", "Log Out"));
    CHECK(has_link(html, "/auth/change-password", "Change Password"));
    CHECK(has_link(html, "/auth/change_email", "Change Email"));

    // Without JavaScript the two toggles still work: each is a link to the
    // element it opens, which the stylesheet shows while it is the :target.
    const std::string menu_id = attribute_of(html, "class=\"dropdown-menu[^\"]*\"", "id");
    REQUIRE_FALSE(menu_id.empty());
    CHECK(attribute_of(html, "data-bs-toggle=\"dropdown\"", "href") == "#" + menu_id);
    const std::string nav_id = attribute_of(html, "class=\"collapse navbar-collapse\"", "id");
    REQUIRE_FALSE(nav_id.empty());
    CHECK(attribute_of(html, "data-bs-toggle=\"collapse\"", "href") == "#" + nav_id);
  }
  const std::string css = c.get("/static/styles.css").body;
  CHECK(css.find(".dropdown-menu:target") != std::string::npos);
  CHECK(css.find(".navbar-collapse:target") != std::string::npos);

  // And the link does log out.
  Reply out = c.get("/auth/logout");
  CHECK(out.status == 302);
  CHECK(follow_all(c, out).contains("You have been logged out."));
  CHECK(c.get("/").contains("Log In"));
}
