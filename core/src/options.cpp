#include "orevox/core/options.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <limits>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace orevox {

std::string echoValue(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (text.size() > 40) out += "... (" + std::to_string(text.size()) + " characters)";
  return out;
}

namespace {


std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

/// Comma-separated items, trimmed; "" when an item is empty (the caller reports it).
bool splitItems(const std::string& text, std::vector<std::string>& items) {
  items.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item.empty()) return false;
    items.push_back(item);
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

bool readReal(const std::string& text, double& v) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return false;
  errno = 0;
  char* end = nullptr;
  v = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(v) && errno != ERANGE;
}

bool readSigned(const std::string& text, long long lo, long long hi, long long& v) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '+')) return false;
  errno = 0;
  char* end = nullptr;
  v = std::strtoll(text.c_str(), &end, 10);
  return end == text.c_str() + text.size() && errno != ERANGE && v >= lo && v <= hi;
}

bool readUnsigned(const std::string& text, unsigned long long hi, unsigned long long& v) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '+')) return false;
  errno = 0;
  char* end = nullptr;
  v = std::strtoull(text.c_str(), &end, 10);
  return end == text.c_str() + text.size() && errno != ERANGE && v <= hi;
}

std::string shortNumber(double v) {
  char buffer[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {  // whole numbers as such: 20, not 2e+01
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
    return buffer;
  }
  for (int digits = 1; digits <= 17; ++digits) {  // the shortest form that reads back
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

std::string joinItems(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string listOf(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

// --- bindings ------------------------------------------------------------------------

namespace detail {

Option::Binding bindFlag(bool& target) {
  Option::Binding b;
  b.kind = OptionKind::Flag;
  b.typeName = "FLAG";
  bool* p = &target;
  b.check = [](const std::string& t) -> std::string {
    static const char* ok[] = {"true", "false", "1", "0", "on", "off", "yes", "no"};
    for (const char* w : ok)
      if (t == w) return {};
    return "is not true or false";
  };
  b.assign = [p](const std::string& t) { *p = t == "true" || t == "1" || t == "on" || t == "yes"; };
  b.format = [p] { return std::string(*p ? "true" : "false"); };
  return b;
}

Option::Binding bindSigned(std::function<void(long long)> store, std::function<long long()> load,
                           long long lo, long long hi) {
  Option::Binding b;
  b.kind = OptionKind::Integer;
  b.typeName = "INT";
  b.isNumeric = b.isInteger = true;
  b.check = [lo, hi](const std::string& t) -> std::string {
    long long v = 0;
    if (!readSigned(t, lo, hi, v))
      return "is not a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return {};
  };
  b.assign = [store, lo, hi](const std::string& t) {
    long long v = 0;
    readSigned(t, lo, hi, v);
    store(v);
  };
  b.format = [load] { return std::to_string(load()); };
  return b;
}

Option::Binding bindUnsigned(std::function<void(unsigned long long)> store,
                             std::function<unsigned long long()> load, unsigned long long hi) {
  Option::Binding b;
  b.kind = OptionKind::Integer;
  b.typeName = "UINT";
  b.isNumeric = b.isInteger = b.isUnsigned = true;
  b.check = [hi](const std::string& t) -> std::string {
    unsigned long long v = 0;
    if (!readUnsigned(t, hi, v)) return "is not a whole number in [0, " + std::to_string(hi) + "]";
    return {};
  };
  b.assign = [store, hi](const std::string& t) {
    unsigned long long v = 0;
    readUnsigned(t, hi, v);
    store(v);
  };
  b.format = [load] { return std::to_string(load()); };
  return b;
}

Option::Binding bindReal(std::function<void(double)> store, std::function<double()> load) {
  Option::Binding b;
  b.kind = OptionKind::Real;
  b.typeName = "NUMBER";
  b.isNumeric = true;
  b.check = [](const std::string& t) -> std::string {
    double v = 0;
    return readReal(t, v) ? std::string() : "is not a number";
  };
  b.assign = [store](const std::string& t) {
    double v = 0;
    readReal(t, v);
    store(v);
  };
  b.format = [load] {  // "" for an unset (NaN) default: "not given", as JSON null
    const double v = load();
    return std::isfinite(v) ? shortNumber(v) : std::string();
  };
  return b;
}

Option::Binding bindText(std::string& target) {
  Option::Binding b;
  b.kind = OptionKind::Text;
  b.typeName = "TEXT";
  std::string* p = &target;
  b.check = [](const std::string&) { return std::string(); };
  b.assign = [p](const std::string& t) { *p = t; };
  b.format = [p] { return *p; };
  return b;
}

Option::Binding bindRealList(std::vector<double>& target) {
  Option::Binding b;
  b.kind = OptionKind::List;
  b.typeName = "NUMBERS";
  b.isList = b.isNumeric = true;
  auto* p = &target;
  b.check = [](const std::string& t) -> std::string {
    double v = 0;
    return readReal(t, v) ? std::string() : "is not a number";
  };
  b.assign = [p](const std::string& t) {
    std::vector<std::string> items;
    splitItems(t, items);
    p->clear();
    for (const auto& item : items) p->push_back(std::strtod(item.c_str(), nullptr));
  };
  b.format = [p] {
    std::vector<std::string> items;
    for (double v : *p) items.push_back(shortNumber(v));
    return joinItems(items);
  };
  return b;
}

Option::Binding bindIntegerList(std::vector<long>& target) {
  Option::Binding b;
  b.kind = OptionKind::List;
  b.typeName = "INTS";
  b.isList = b.isNumeric = b.isInteger = true;
  auto* p = &target;
  const long long lo = std::numeric_limits<long>::min(), hi = std::numeric_limits<long>::max();
  b.check = [lo, hi](const std::string& t) -> std::string {
    long long v = 0;
    return readSigned(t, lo, hi, v) ? std::string() : "is not a whole number";
  };
  b.assign = [p](const std::string& t) {
    std::vector<std::string> items;
    splitItems(t, items);
    p->clear();
    for (const auto& item : items) p->push_back(std::strtol(item.c_str(), nullptr, 10));
  };
  b.format = [p] {
    std::vector<std::string> items;
    for (long v : *p) items.push_back(std::to_string(v));
    return joinItems(items);
  };
  return b;
}

Option::Binding bindTextList(std::vector<std::string>& target) {
  Option::Binding b;
  b.kind = OptionKind::List;
  b.typeName = "LIST";
  b.isList = true;
  auto* p = &target;
  b.check = [](const std::string&) { return std::string(); };
  b.assign = [p](const std::string& t) { splitItems(t, *p); };
  b.format = [p] { return joinItems(*p); };
  return b;
}

Option::Binding bindRepeated(std::vector<std::string>& target) {
  Option::Binding b;
  b.kind = OptionKind::List;
  b.typeName = "TEXT";
  b.isRepeated = true;
  auto* p = &target;
  b.check = [](const std::string&) { return std::string(); };
  b.assign = [p](const std::string& t) { p->push_back(t); };
  b.format = [p] {
    std::string out;  // one value a line: values may hold commas, never newlines
    for (const auto& v : *p) out += (out.empty() ? "" : "\n") + v;
    return out;
  };
  return b;
}

Option::Binding bindChoice(std::vector<std::string> names, std::function<void(std::size_t)> store,
                           std::function<std::size_t()> load) {
  Option::Binding b;
  b.kind = OptionKind::Choice;
  b.typeName = "NAME";
  b.choiceNames = names;
  b.check = [names](const std::string& t) -> std::string {
    for (const auto& n : names)
      if (n == t) return {};
    return "is not one of " + listOf(names);
  };
  b.assign = [names, store](const std::string& t) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == t) store(i);
  };
  b.format = [names, load] {
    const std::size_t i = load();
    return i < names.size() ? names[i] : std::string();
  };
  return b;
}

}  // namespace detail

// --- Option ------------------------------------------------------------------------------

Option::Option(std::string name, std::string help, Binding binding)
    : name_(std::move(name)), help_(std::move(help)), binding_(std::move(binding)) {
  default_ = binding_.format();
  choices_ = binding_.choiceNames;
}

Option& Option::units(std::string units) {
  units_ = std::move(units);
  return *this;
}

Option& Option::required(bool on) {
  required_ = on;
  return *this;
}

Option& Option::positive() {
  numberRules_.push_back([](double v) { return v > 0 ? std::string() : std::string("> 0"); });
  return *this;
}

Option& Option::nonNegative() {
  numberRules_.push_back([](double v) { return v >= 0 ? std::string() : std::string(">= 0"); });
  return *this;
}

Option& Option::range(double lo, double hi) {
  const std::string rule = "in [" + shortNumber(lo) + ", " + shortNumber(hi) + "]";
  numberRules_.push_back([lo, hi, rule](double v) { return v >= lo && v <= hi ? std::string() : rule; });
  return *this;
}

Option& Option::odd() {
  numberRules_.push_back([](double v) {
    return std::fmod(std::fabs(v), 2.0) == 1.0 ? std::string() : std::string("that is odd");
  });
  return *this;
}

Option& Option::counts(std::vector<std::size_t> allowed) {
  counts_ = std::move(allowed);
  return *this;
}

Option& Option::choices(std::vector<std::string> names, std::vector<std::string> extra) {
  choices_ = std::move(names);
  extraChoices_ = std::move(extra);
  return *this;
}

Option& Option::check(std::function<std::string(const std::string&)> rule) {
  rules_.push_back(std::move(rule));
  return *this;
}

Option& Option::group(std::string group) {
  group_ = std::move(group);
  return *this;
}

Option& Option::placeholder(std::string metavar) {
  placeholder_ = std::move(metavar);
  return *this;
}

Option& Option::positional(bool on) {
  positional_ = on;
  return *this;
}

Option& Option::existingFile(bool folder) {
  rules_.push_back([folder](const std::string& text) -> std::string {
    std::error_code ec;
    const bool ok = folder ? std::filesystem::is_directory(text, ec)
                           : std::filesystem::is_regular_file(text, ec);
    if (ok) return {};
    return std::filesystem::exists(text, ec) ? (folder ? "is not a folder" : "is not a file")
                                             : "does not exist";
  });
  return *this;
}

Option& Option::internal(bool on) {
  internal_ = on;
  return *this;
}

std::string Option::validateItem(const std::string& item) const {
  if (std::string why = binding_.check(item); !why.empty()) {
    // A range says what would be accepted: "is not a number in [0, 1]" (a range rule is the
    // one whose text starts "in [").
    if (binding_.isNumeric)
      for (const auto& rule : numberRules_)
        if (std::string r = rule(std::numeric_limits<double>::quiet_NaN()); r.rfind("in [", 0) == 0)
          return why + " " + r;
    return why;
  }
  if (binding_.isNumeric) {
    const double v = std::strtod(item.c_str(), nullptr);
    for (const auto& rule : numberRules_) {
      if (std::string r = rule(v); !r.empty())
        return std::string(binding_.isInteger ? "is not a whole number " : "is not a number ") + r;
    }
  }
  if (!choices_.empty() && binding_.kind != OptionKind::Choice) {
    bool known = false;
    for (const auto& c : choices_) known = known || c == item;
    for (const auto& c : extraChoices_) known = known || c == item;
    if (!known) {
      std::vector<std::string> all = choices_;
      all.insert(all.end(), extraChoices_.begin(), extraChoices_.end());
      return "is not one of " + listOf(all);
    }
  }
  for (const auto& rule : rules_) {
    if (std::string why = rule(item); !why.empty()) return why;
  }
  return {};
}

std::string Option::validate(const std::string& text, std::string* culprit) const {
  if (culprit) *culprit = text;
  if (!binding_.isList) return validateItem(text);
  std::vector<std::string> items;
  if (!splitItems(text, items)) return "has an empty item";
  if (!counts_.empty()) {
    bool ok = false;
    std::string expected;
    for (std::size_t n : counts_) {
      ok = ok || items.size() == n;
      expected += (expected.empty() ? "" : " or ") + std::to_string(n);
    }
    if (!ok) return "has " + std::to_string(items.size()) + " items, expected " + expected;
  }
  for (const auto& item : items) {
    if (std::string why = validateItem(item); !why.empty()) {
      if (culprit) *culprit = item;
      return why;
    }
  }
  return {};
}

void Option::parse(const std::string& text) {
  std::string culprit;
  const std::string why = validate(text, &culprit);
  if (!why.empty()) throw UsageError(flag() + ": '" + echoValue(culprit) + "' " + why);
  binding_.assign(text);
  set_ = true;
}

// --- OptionSet ---------------------------------------------------------------------------

OptionSet::OptionSet(std::string command) : command_(std::move(command)) {}
OptionSet::OptionSet(OptionSet&&) noexcept = default;
OptionSet& OptionSet::operator=(OptionSet&&) noexcept = default;
OptionSet::~OptionSet() = default;

Option& OptionSet::declare(const std::string& name, const std::string& help, Option::Binding binding) {
  if (find(name)) throw UsageError("option '" + name + "' is declared twice");
  options_.emplace_back(name, help, std::move(binding));
  return options_.back();
}

Option& OptionSet::addRepeated(const std::string& name, std::vector<std::string>& target,
                               const std::string& help) {
  return declare(name, help, detail::bindRepeated(target));
}

Option* OptionSet::find(const std::string& name) {
  for (auto& o : options_)
    if (o.name() == name) return &o;
  return nullptr;
}

const Option* OptionSet::find(const std::string& name) const {
  for (const auto& o : options_)
    if (o.name() == name) return &o;
  return nullptr;
}

void OptionSet::set(const std::string& name, const std::string& text) {
  Option* o = find(name);
  if (!o) throw UsageError("'" + echoValue(name) + "' is not an option" + (command_.empty() ? "" : " of " + command_));
  o->parse(text);
}

void OptionSet::checkRequired() const {
  for (const auto& o : options_)
    if (o.isRequired() && !o.wasSet()) throw UsageError(o.flag() + " is required");
}

nlohmann::json OptionSet::toJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& o : options_) {
    if (o.isInternal()) continue;
    const std::string text = o.valueText();
    switch (o.kind()) {
      case OptionKind::Flag: out[o.name()] = text == "true"; break;
      case OptionKind::Integer:
        if (o.binding().isUnsigned)
          out[o.name()] = std::strtoull(text.c_str(), nullptr, 10);
        else
          out[o.name()] = std::strtoll(text.c_str(), nullptr, 10);
        break;
      case OptionKind::Real:
        out[o.name()] = text.empty() ? nlohmann::json() : nlohmann::json(std::strtod(text.c_str(), nullptr));
        break;
      case OptionKind::List: {
        nlohmann::json items = nlohmann::json::array();
        if (o.binding().isRepeated) {
          std::size_t start = 0;
          while (!text.empty() && start <= text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            items.push_back(text.substr(start, end - start));
            start = end + 1;
          }
          out[o.name()] = items;
          break;
        }
        std::vector<std::string> parts;
        if (!text.empty()) splitItems(text, parts);
        for (const auto& p : parts) {
          if (!o.binding().isNumeric)
            items.push_back(p);
          else if (o.binding().isInteger)
            items.push_back(std::strtoll(p.c_str(), nullptr, 10));
          else
            items.push_back(std::strtod(p.c_str(), nullptr));
        }
        out[o.name()] = items;
        break;
      }
      case OptionKind::Text:
      case OptionKind::Choice: out[o.name()] = text; break;
    }
  }
  return out;
}

void OptionSet::fromJson(const nlohmann::json& object, const std::string& source) {
  const std::string where = source.empty() ? std::string() : source + ": ";
  if (!object.is_object()) throw UsageError(where + "options must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    Option* o = find(key);
    if (!o) {
      std::string known;
      for (const auto& opt : options_) known += (known.empty() ? "" : ", ") + opt.name();
      throw UsageError(where + "'" + echoValue(key) + "' is not an option" +
                       (command_.empty() ? "" : " of " + command_) + " (expected one of " + known + ")");
    }
    std::string text;
    if (value.is_boolean()) {
      if (o->kind() != OptionKind::Flag) throw UsageError(where + o->flag() + ": true/false given, expected a value");
      text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_integer()) {
      text = value.is_number_unsigned() ? std::to_string(value.get<unsigned long long>())
                                        : std::to_string(value.get<long long>());
    } else if (value.is_number()) {
      text = shortNumber(value.get<double>());
    } else if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_array() && o->binding().isRepeated) {
      for (const auto& item : value) {
        if (!item.is_string()) throw UsageError(where + o->flag() + ": list items must be text");
        try {
          o->parse(item.get<std::string>());
        } catch (const UsageError& e) {
          throw UsageError(where + e.what());
        }
      }
      continue;
    } else if (value.is_array()) {
      std::vector<std::string> items;
      for (const auto& item : value) {
        if (item.is_string())
          items.push_back(item.get<std::string>());
        else if (item.is_number_integer())
          items.push_back(item.is_number_unsigned() ? std::to_string(item.get<unsigned long long>())
                                                    : std::to_string(item.get<long long>()));
        else if (item.is_number())
          items.push_back(shortNumber(item.get<double>()));
        else
          throw UsageError(where + o->flag() + ": list items must be numbers or text");
      }
      text = joinItems(items);
    } else if (value.is_null()) {
      continue;  // not set: the default stands
    } else {
      throw UsageError(where + o->flag() + ": expected a value, got an object");
    }
    try {
      o->parse(text);
    } catch (const UsageError& e) {
      throw UsageError(where + e.what());
    }
  }
}

std::string OptionSet::markdownTable() const {
  auto upperCase = [](std::string s) {
    for (char& c : s) c = c == '-' ? '_' : char(std::toupper((unsigned char)c));
    return s;
  };
  auto cell = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '|') out += "\\|";
      else if (c == '\n') out += ' ';
      else out += c;
    }
    return out;
  };
  std::string md = "| option | default | units | description |\n|---|---|---|---|\n";
  for (const auto& o : options_) {
    std::string name = o.isPositional() ? "`" + upperCase(o.name()) + "`" : "`" + o.flag() + (o.kind() == OptionKind::Flag ? "" : " " + (o.placeholderText().empty() ? o.typeName() : o.placeholderText())) + "`";
    std::string def = o.isRequired() ? "(required)" : (o.defaultText().empty() ? "" : "`" + o.defaultText() + "`");
    std::string help = o.help();
    if (!o.choiceNames().empty()) help += " (one of: " + listOf(o.choiceNames()) + ")";
    md += "| " + cell(name) + " | " + cell(def) + " | " + cell(o.unitsText()) + " | " + cell(help) + " |\n";
  }
  return md;
}

}  // namespace orevox
