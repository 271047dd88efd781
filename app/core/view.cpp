#include "core/view.hpp"

#include <filesystem>
#include <stdexcept>

namespace inkwell::core {

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
  content_->SetFilename(ctemplate::TemplateString(content_template.data(), content_template.size()));
}

http::Response Page::render(int status) {
  return http::Response::html(ctx_.view.expand("layout.tpl", layout_), status);
}

}  // namespace inkwell::core
