// Form: the fields of one HTML form, the values the user sent (kept when the
// form is shown again, never for passwords), per-field errors, and rendering
// through views/form.tpl with the CSRF token.
#pragma once

#include <ctemplate/template.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"

namespace inkwell::core {

struct FieldSpec {
  std::string name;
  std::string label;
  // text, email, password, checkbox, textarea, select, or markdown: a
  // textarea with a Markdown hint and a live preview.
  std::string type = "text";
  // For select: value/label pairs.
  std::vector<std::pair<std::string, std::string>> options = {};
  // The browser's autofill hint; "" picks one from the type and name (email,
  // username, current-password). New passwords say "new-password".
  std::string autocomplete = "";
  // Shown as the input's `required` and `maxlength` (characters) attributes;
  // see Form::requiring and Form::max_length.
  bool required = false;
  std::size_t max_length = 0;
};

// The autocomplete attribute a field gets: its own, else one from its type
// and name; "" for none.
std::string autocomplete_of(const FieldSpec& spec);

class Form {
 public:
  Form(std::vector<FieldSpec> fields, std::string submit_label);

  // Takes the submitted values (surrounding whitespace trimmed, except passwords).
  void read(const http::Params& form);
  const std::string& value(std::string_view name) const;
  bool checked(std::string_view name) const { return !value(name).empty(); }
  void set(std::string_view name, std::string value);

  void error(std::string_view name, std::string message);
  bool valid() const { return valid_; }
  // Adds "This field is required." to every listed field that is empty.
  bool require(std::initializer_list<std::string_view> names);
  // The same for every field marked required.
  bool require();
  // Marks fields required (the `required` attribute; require() checks them).
  Form& requiring(std::initializer_list<std::string_view> names);
  // The `maxlength` attribute of a field: the limit the server checks.
  Form& max_length(std::string_view name, std::size_t characters);

  // Adds the FORM include (views/form.tpl) to dict.
  void fill(ctemplate::TemplateDictionary& dict, const std::string& csrf_token) const;

 private:
  struct Field {
    FieldSpec spec;
    std::string value;
    std::vector<std::string> errors;
  };
  Field& field(std::string_view name);
  const Field& field(std::string_view name) const;

  std::vector<Field> fields_;
  std::string submit_;
  bool valid_ = true;
};

}  // namespace inkwell::core
