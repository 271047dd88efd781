#include "core/form.hpp"

#include <stdexcept>

#include "core/view.hpp"

namespace inkwell::core {
namespace {

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Form::Form(std::vector<FieldSpec> fields, std::string submit_label)
    : submit_(std::move(submit_label)) {
  for (auto& f : fields) fields_.push_back({std::move(f), {}, {}});
}

Form::Field& Form::field(std::string_view name) {
  for (Field& f : fields_) {
    if (f.spec.name == name) return f;
  }
  throw std::out_of_range("form has no field " + std::string(name));
}

const Form::Field& Form::field(std::string_view name) const {
  return const_cast<Form*>(this)->field(name);
}

void Form::read(const http::Params& form) {
  for (Field& f : fields_) {
    std::string v = form.get(f.spec.name);
    f.value = f.spec.type == "password" ? v : trim(v);
  }
}

const std::string& Form::value(std::string_view name) const {
  return field(name).value;
}

void Form::set(std::string_view name, std::string value) {
  field(name).value = std::move(value);
}

void Form::error(std::string_view name, std::string message) {
  field(name).errors.push_back(std::move(message));
  valid_ = false;
}

bool Form::require(std::initializer_list<std::string_view> names) {
  bool all = true;
  for (std::string_view n : names) {
    if (field(n).value.empty()) {
      error(n, "This field is required.");
      all = false;
    }
  }
  return all;
}

bool Form::require() {
  bool all = true;
  for (Field& f : fields_) {
    if (f.spec.required && f.value.empty()) {
      error(f.spec.name, "This field is required.");
      all = false;
    }
  }
  return all;
}

Form& Form::requiring(std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) field(n).spec.required = true;
  return *this;
}

Form& Form::max_length(std::string_view name, std::size_t characters) {
  field(name).spec.max_length = characters;
  return *this;
}

std::string autocomplete_of(const FieldSpec& spec) {
  if (!spec.autocomplete.empty()) return spec.autocomplete;
  if (spec.type == "email") return "email";
  if (spec.type == "password") return "current-password";
  if (spec.name == "username") return "username";
  return "";
}

void Form::fill(ctemplate::TemplateDictionary& dict, const std::string& csrf_token) const {
  ctemplate::TemplateDictionary* form = dict.AddIncludeDictionary("FORM");
  form->SetFilename("form.tpl");
  form->SetValue("CSRF_TOKEN", ts(csrf_token));
  form->SetValue("SUBMIT", ts(submit_));
  for (const Field& f : fields_) {
    ctemplate::TemplateDictionary* d = form->AddSectionDictionary("FIELD");
    d->SetValue("NAME", ts(f.spec.name));
    d->SetValue("LABEL", ts(f.spec.label));
    d->SetValue("TYPE", ts(f.spec.type));
    const std::string kind = f.spec.type == "checkbox"   ? "CHECKBOX"
                             : f.spec.type == "textarea" ? "TEXTAREA"
                             : f.spec.type == "markdown" ? "TEXTAREA"
                             : f.spec.type == "select"   ? "SELECT"
                                                         : "INPUT";
    d->ShowSection(kind);
    if (f.spec.type == "markdown") d->ShowSection("MARKDOWN");
    if (f.spec.type != "password") d->SetValue("VALUE", ts(f.value));
    if (f.spec.type == "checkbox" && !f.value.empty()) d->ShowSection("CHECKED");
    if (f.spec.required) d->ShowSection("REQUIRED");
    if (f.spec.max_length > 0) {
      d->AddSectionDictionary("MAX_LENGTH")
          ->SetIntValue("MAX", static_cast<long>(f.spec.max_length));
    }
    for (const auto& [value, label] : f.spec.options) {
      ctemplate::TemplateDictionary* o = d->AddSectionDictionary("OPTION");
      o->SetValue("OPTION_VALUE", ts(value));
      o->SetValue("OPTION_LABEL", ts(label));
      if (value == f.value) o->ShowSection("SELECTED");
    }
    const std::string autocomplete = autocomplete_of(f.spec);
    if (!autocomplete.empty()) {
      d->AddSectionDictionary("AUTOCOMPLETE")->SetValue("AC", ts(autocomplete));
    }
    // One feedback element per field, named by the field's aria-describedby.
    std::string described = f.spec.type == "markdown" ? f.spec.name + "-hint" : "";
    if (!f.errors.empty()) {
      d->ShowSection("INVALID");
      std::string messages;
      for (const std::string& e : f.errors) messages += (messages.empty() ? "" : " ") + e;
      d->AddSectionDictionary("ERROR")->SetValue("MESSAGE", ts(messages));
      described += (described.empty() ? "" : " ") + f.spec.name + "-error";
    }
    if (!described.empty()) d->AddSectionDictionary("DESCRIBED")->SetValue("IDS", ts(described));
  }
}

}  // namespace inkwell::core
