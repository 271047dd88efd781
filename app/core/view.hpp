// Views: ctemplate with HTML auto-escaping. Templates are loaded once per
// worker; every page is the layout with the page's template included as
// CONTENT.
#pragma once

#include <ctemplate/template.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "core/form.hpp"
#include "core/http.hpp"

namespace inkwell::core {

// s as a ctemplate string, without a strlen (ctemplate copies what it keeps).
inline ctemplate::TemplateString ts(std::string_view s) {
  return ctemplate::TemplateString(s.data(), s.size());
}

class View {
 public:
  // Loads (and checks) every *.tpl under dir; throws std::runtime_error
  // naming a template that does not parse.
  explicit View(const std::string& dir);

  // Expands a template by its path relative to the views directory.
  std::string expand(std::string_view name, const ctemplate::TemplateDictionary& dict) const;

 private:
  std::unique_ptr<ctemplate::TemplateCache> cache_;
};

// One HTML page: the layout around a content template.
class Page {
 public:
  Page(Context& ctx, std::string_view content_template, std::string_view title);
  // The content template's dictionary (it also sees the layout's values).
  ctemplate::TemplateDictionary& dict() { return *content_; }
  // Open Graph metadata of a page that shows one article (a post): its
  // title, absolute URL and a plain-text description.
  void article(std::string_view title, std::string_view url, std::string_view description);
  // One more Atom feed the page offers besides the site's (a user's posts).
  void alternate_feed(std::string_view title, std::string_view url);
  http::Response render(int status = 200);

 private:
  void fill_layout();
  Context& ctx_;
  ctemplate::TemplateDictionary layout_;
  ctemplate::TemplateDictionary* content_;
};

// The page of a form (views/form_page.tpl): the title as heading, the form,
// and optionally one more section of that template shown (e.g. LOGIN_LINKS).
http::Response form_page(Context& ctx, std::string_view title, const Form& form,
                         std::string_view extra_section = "", int status = 200);

}  // namespace inkwell::core
