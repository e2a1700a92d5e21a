#include "options_cli.hpp"

#include <cstdint>

namespace orevox::cli {

namespace {

std::string helpText(const Option& o) {
  std::string help = o.help();
  if (!o.unitsText().empty()) help += " [" + o.unitsText() + "]";
  if (!o.choiceNames().empty() && o.kind() != OptionKind::Choice) {
    std::string names;
    for (const auto& n : o.choiceNames()) names += (names.empty() ? "" : ", ") + n;
    help += " (" + names + ")";
  }
  return help;
}

}  // namespace

void addOptions(CLI::App* app, OptionSet& set) {
  for (Option& o : set.options()) {
    Option* p = &o;
    CLI::Option* cli = nullptr;
    const std::string name = o.isPositional() ? o.name() : o.flag();
    if (o.kind() == OptionKind::Flag) {
      cli = app->add_flag_function(
          name, [p](std::int64_t n) { p->parse(n > 0 ? "true" : "false"); }, helpText(o));
    } else {
      if (o.binding().isRepeated) {
        cli = app->add_option_function<std::vector<std::string>>(
            name,
            [p](const std::vector<std::string>& values) {
              for (const auto& v : values) p->parse(v);
            },
            helpText(o));
        cli->allow_extra_args(false);
      } else {
        cli = app->add_option_function<std::string>(
            name, [p](const std::string& text) { p->parse(text); }, helpText(o));
      }
      cli->check(CLI::Validator(
          [p](std::string& text) -> std::string {
            std::string culprit;
            const std::string why = p->validate(text, &culprit);
            return why.empty() ? std::string() : "'" + echoValue(culprit) + "' " + why;
          },
          std::string()));
      cli->type_name(o.placeholderText().empty() ? o.typeName() : o.placeholderText());
      if (o.kind() == OptionKind::Choice) {
        std::string names;
        for (const auto& n : o.choiceNames()) names += (names.empty() ? "" : "|") + n;
        cli->type_name(names);
      }
      if (!o.defaultText().empty() && !o.isRequired()) cli->default_str(o.defaultText());
    }
    if (o.isRequired()) cli->required();
    if (!o.groupName().empty()) cli->group(o.groupName());
  }
}

}  // namespace orevox::cli
