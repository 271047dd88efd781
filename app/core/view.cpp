#include "core/view.hpp"

#include <array>
#include <filesystem>
#include <stdexcept>

namespace inkwell::core {
namespace {

// "PERMISSION_1" … "PERMISSION_<2^31>": one section per permission bit, so
// that templates, not the framework, decide what each permission shows.
const std::array<std::string, 32> kPermissionSections = [] {
  std::array<std::string, 32> names;
  for (unsigned i = 0; i < 32; ++i) names[i] = "PERMISSION_" + std::to_string(1u << i);
  return names;
}();

}  // namespace

View::View(const std::string& dir) : cache_(std::make_unique<ctemplate::TemplateCache>()) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("views directory not found: " + dir);
  cache_->SetTemplateRootDirectory(dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".tpl") continue;
    std::string name = fs::relative(entry.path(), dir).string();
    if (!cache_->LoadTemplate(name, ctemplate::STRIP_BLANK_LINES)) {
      throw std::runtime_error("template does not parse: " + entry.path().string());
    }
  }
  cache_->Freeze();  // loaded once: the hot path never touches the disk
}

std::string View::expand(std::string_view name, const ctemplate::TemplateDictionary& dict) const {
  std::string out;
  if (!cache_->ExpandNoLoad(ctemplate::TemplateString(name.data(), name.size()),
                            ctemplate::STRIP_BLANK_LINES, &dict, nullptr, &out)) {
    throw std::runtime_error("cannot expand template " + std::string(name));
  }
  return out;
}

Page::Page(Context& ctx, std::string_view content_template, std::string_view title)
    : ctx_(ctx), layout_("layout") {
  layout_.SetValue("TITLE", ctemplate::TemplateString(title.data(), title.size()));
  content_ = layout_.AddIncludeDictionary("CONTENT");
  content_->SetFilename(
      ctemplate::TemplateString(content_template.data(), content_template.size()));
}

void Page::article(std::string_view title, std::string_view url, std::string_view description) {
  layout_.ShowSection("ARTICLE");
  layout_.SetValue("OG_TITLE", ctemplate::TemplateString(title.data(), title.size()));
  layout_.SetValue("OG_URL", ctemplate::TemplateString(url.data(), url.size()));
  layout_.SetValue("OG_DESCRIPTION",
                   ctemplate::TemplateString(description.data(), description.size()));
}

void Page::alternate_feed(std::string_view title, std::string_view url) {
  ctemplate::TemplateDictionary* feed = layout_.AddSectionDictionary("FEED");
  feed->SetValue("FEED_TITLE", ctemplate::TemplateString(title.data(), title.size()));
  feed->SetValue("FEED_URL", ctemplate::TemplateString(url.data(), url.size()));
}

void Page::fill_layout() {
  // The navbar marks the item of the page being shown.
  const std::string& path = ctx_.req.path;
  if (path == "/" || path == "/all" || path == "/followed") layout_.ShowSection("HOME_ACTIVE");
  if (path == "/moderate") layout_.ShowSection("MODERATE_ACTIVE");
  if (ctx_.user) {
    ctemplate::TemplateDictionary* u = layout_.AddSectionDictionary("USER");
    u->SetValue("USERNAME", ts(ctx_.user->username));
    if (path == "/user/" + ctx_.user->username) u->ShowSection("PROFILE_ACTIVE");
  } else {
    layout_.ShowSection("ANONYMOUS");
    if (path == "/auth/login") layout_.ShowSection("LOGIN_ACTIVE");
  }
  const unsigned permissions = ctx_.user ? ctx_.user->permissions : 0;
  for (unsigned i = 0; i < 32; ++i) {
    if (permissions & (1u << i)) layout_.ShowSection(ts(kPermissionSections[i]));
  }
  // Shown now: flashes from the previous response and from this request.
  std::vector<Flash> flashes;
  if (!ctx_.flashes_shown) flashes = ctx_.flashes_in;
  flashes.insert(flashes.end(), ctx_.flashes_out.begin(), ctx_.flashes_out.end());
  ctx_.flashes_shown = true;
  ctx_.flashes_out.clear();
  for (const Flash& f : flashes) {
    ctemplate::TemplateDictionary* d = layout_.AddSectionDictionary("FLASH");
    d->SetValue("CATEGORY", ts(f.category));
    d->SetValue("MESSAGE", ts(f.message));
  }
}

http::Response form_page(Context& ctx, std::string_view title, const Form& form,
                         std::string_view extra_section, int status) {
  Page page(ctx, "form_page.tpl", title);
  page.dict().SetValue("HEADING", ctemplate::TemplateString(title.data(), title.size()));
  if (!extra_section.empty()) {
    page.dict().ShowSection(ctemplate::TemplateString(extra_section.data(), extra_section.size()));
  }
  form.fill(page.dict(), ctx.csrf_token());
  return page.render(status);
}

http::Response Page::render(int status) {
  fill_layout();
  return http::Response::html(ctx_.view.expand("layout.tpl", layout_), status);
}

}  // namespace inkwell::core
