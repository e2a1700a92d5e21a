#pragma once
/// \file options.hpp
/// Options declared once, in the library, next to the settings they fill (the way PDAL
/// stages declare their arguments and mlpack its parameters). A declaration binds a name to
/// a field of a settings struct and carries the help text, the units, the default (the
/// field's value when it is declared) and the checks. From that one declaration:
///  - the CLI adapter (apps/orevox/options_cli.hpp) builds the command's CLI11 options;
///  - `OptionSet::fromJson` reads a JSON study file and `toJson` writes the report's
///    parameters, so a report re-runs as a study;
///  - `OptionSet::markdownTable` writes the docs' option tables and the CLI's --help.
///
/// Typical use:
/// \code
///   struct GridSettings { double cell = 0; int neighbors = 12; Method method = Method::Idw;
///     void declare(OptionSet& set) {
///       set.add("cell", cell, "Cell size").units("m").required().positive();
///       set.add("neighbors", neighbors, "Nearest samples per cell").positive();
///       set.add("method", method, methodNames(), "Estimator");
///     } };
/// \endcode
/// Every check fails with a one-line UsageError naming the option and the value, e.g.
/// `--cell: '-1' is not a number > 0`, `--method: 'idx' is not one of idw, kriging`.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "orevox/core/error.hpp"

namespace orevox {

/// The names of an enumeration's values, in the order they are listed in help and errors.
/// One table per enumeration, defined once in the library (e.g. `protocolNames()`).
template <class E>
using NameTable = std::vector<std::pair<std::string, E>>;

/// The name of `value` in `table`; UsageError when it has none (a programming error).
template <class E>
const std::string& nameOf(const NameTable<E>& table, E value) {
  for (const auto& entry : table)
    if (entry.second == value) return entry.first;
  throw UsageError("value without a name in its name table");
}

/// "a, b, c": the names of a table, as help texts and errors list them.
template <class E>
std::string listNames(const NameTable<E>& table) {
  std::string out;
  for (const auto& entry : table) out += (out.empty() ? "" : ", ") + entry.first;
  return out;
}

/// The value named `text` in `table`; UsageError "`option`: 'text' is not one of a, b, c".
template <class E>
E parseName(const NameTable<E>& table, const std::string& text, const std::string& option) {
  for (const auto& entry : table)
    if (entry.first == text) return entry.second;
  throw UsageError(option + ": '" + text + "' is not one of " + listNames(table));
}

/// The kind of value an option holds: what the CLI shows and JSON carries.
enum class OptionKind {
  Flag,      ///< bool; `--name` alone sets it; JSON true/false
  Integer,   ///< a whole number (signed or unsigned by the field)
  Real,      ///< a finite floating-point number
  Text,      ///< a string (a path, a name); with choices, one of them
  List,      ///< comma-separated items (numbers or names)
  Choice,    ///< one name of an enumeration's NameTable
};

/// One declared option: bound to a field, with help, units, default and checks. Created by
/// OptionSet::add, then refined with the chainable setters.
class Option {
 public:
  /// Type-erased access to the bound field (made by OptionSet::add).
  struct Binding {
    OptionKind kind = OptionKind::Text;
    std::string typeName;                                  ///< "NUMBER", "INT", "TEXT", ...
    std::function<void(const std::string&)> assign;      ///< text already checked
    std::function<std::string()> format;                  ///< the field's value as text
    std::function<std::string(const std::string&)> check;  ///< "" or what is wrong
    bool isList = false;     ///< comma-separated items
    bool isNumeric = false;  ///< numbers (the number rules apply to each)
    bool isInteger = false;  ///< whole numbers
    bool isUnsigned = false;  ///< whole numbers >= 0
    bool isRepeated = false;  ///< given several times, one whole value each (--drape A --drape B)
    std::vector<std::string> choiceNames;  ///< Choice: the table's names
  };

  Option(std::string name, std::string help, Binding binding);

  // --- chainable declarations ------------------------------------------------------
  Option& units(std::string units);    ///< "m", "degrees", "ppm" (shown in help and docs)
  Option& required(bool on = true);    ///< must be given (CLI) or present (JSON)
  Option& positive();                  ///< every number > 0
  Option& nonNegative();               ///< every number >= 0
  Option& range(double lo, double hi);  ///< every number in [lo, hi]
  Option& odd();                        ///< every number odd (a patch or window edge)
  /// Lists: the allowed item counts (e.g. {3} for x,y,z; {4, 6} for a 2D or 3D extent).
  Option& counts(std::vector<std::size_t> allowed);
  /// Text or List of names: every item must be one of `names`; `extra` are also accepted
  /// ("all", "auto") without being listed among the choices.
  Option& choices(std::vector<std::string> names, std::vector<std::string> extra = {});
  /// Any further rule: returns "" when `text` (one whole value) is fine, else what is wrong
  /// ("must be odd"); the message becomes "--name: 'text' <what>".
  Option& check(std::function<std::string(const std::string& text)> rule);
  Option& group(std::string group);              ///< help section ("train", "predict")
  Option& placeholder(std::string metavar);      ///< FILE, DIR, x,y,z ...
  /// Not written to reports/studies (a path only meaningful to this run is still written;
  /// this is for things like --quiet).
  Option& internal(bool on = true);
  /// A positional argument (`orevox info FILE`): given without `--name` on the CLI, by name
  /// in study files and reports.
  Option& positional(bool on = true);
  /// The value names an existing file (or, with `folder`, a folder): "'x' does not exist".
  Option& existingFile(bool folder = false);

  // --- reading ---------------------------------------------------------------------
  const std::string& name() const { return name_; }
  /// "--name" as the CLI spells it.
  std::string flag() const { return "--" + name_; }
  const std::string& help() const { return help_; }
  const std::string& unitsText() const { return units_; }
  const std::string& groupName() const { return group_; }
  const std::string& placeholderText() const { return placeholder_; }
  bool isRequired() const { return required_; }
  bool isInternal() const { return internal_; }
  bool isPositional() const { return positional_; }
  OptionKind kind() const { return binding_.kind; }
  const std::string& typeName() const { return binding_.typeName; }
  /// The choices declared (Choice: the table's names; Text/List: `choices(...)`).
  const std::vector<std::string>& choiceNames() const { return choices_; }
  /// The default as text (the field's value when declared); "" for an empty value.
  const std::string& defaultText() const { return default_; }
  /// The field's current value as text.
  std::string valueText() const { return binding_.format(); }
  /// True once set by parse() (from the CLI or a study file).
  bool wasSet() const { return set_; }

  const Binding& binding() const { return binding_; }
  /// "" when `text` is acceptable, else the one-line reason without the option's name;
  /// `culprit` (when given) receives the item at fault (the whole text for a single value).
  std::string validate(const std::string& text, std::string* culprit = nullptr) const;
  /// Checks `text` and assigns it to the field; UsageError "--name: 'text' ..." otherwise.
  void parse(const std::string& text);

 private:
  std::string name_, help_, units_, group_, placeholder_, default_;
  bool required_ = false, internal_ = false, positional_ = false, set_ = false;
  Binding binding_;
  std::vector<std::string> choices_, extraChoices_;
  std::vector<std::size_t> counts_;
  std::vector<std::function<std::string(double)>> numberRules_;  ///< per number: "" or rule text
  std::vector<std::function<std::string(const std::string&)>> rules_;
  std::string validateItem(const std::string& item) const;
};

/// `text` as messages echo a user's value: at most 40 characters (then "... (N characters)"),
/// control characters shown as '?', so that an error stays one short line.
std::string echoValue(const std::string& text);

/// The options of one command or study, in declaration order.
class OptionSet {
 public:
  explicit OptionSet(std::string command = {});
  OptionSet(OptionSet&&) noexcept;
  OptionSet& operator=(OptionSet&&) noexcept;
  ~OptionSet();

  /// Declares an option bound to `target`, whose current value is the default. Supported
  /// fields: bool (a flag), signed and unsigned integers, float and double, std::string,
  /// std::vector<double>, std::vector<long>, std::vector<std::string> (comma lists).
  /// UsageError when the name is declared twice.
  template <class T>
  Option& add(const std::string& name, T& target, const std::string& help);
  /// Declares an option given several times, one whole value each (commas stay inside a
  /// value: `--drape a.tif:Au,Cu --drape b.tif`); JSON carries an array of the values.
  Option& addRepeated(const std::string& name, std::vector<std::string>& target,
                      const std::string& help);
  /// Declares an enumeration option: one name of `names`.
  template <class E>
  Option& add(const std::string& name, E& target, NameTable<E> names, const std::string& help);

  const std::string& command() const { return command_; }
  /// In declaration order; references stay valid while options are added (a deque).
  std::deque<Option>& options() { return options_; }
  const std::deque<Option>& options() const { return options_; }
  /// The option named `name` (without dashes), or nullptr.
  Option* find(const std::string& name);
  const Option* find(const std::string& name) const;
  /// Parses `text` into the option `name`; UsageError for an unknown name.
  void set(const std::string& name, const std::string& text);

  /// Required options that were not set: UsageError naming the first ("--out is required").
  void checkRequired() const;

  /// Every (non-internal) option's current value, typed: numbers as numbers, lists as
  /// arrays, flags as booleans; what a report records and a study file replays.
  nlohmann::json toJson() const;
  /// Sets options from a JSON object {"name": value, ...} (a study file's options).
  /// Unknown names and ill-typed values are UsageErrors naming `source` and the option.
  void fromJson(const nlohmann::json& object, const std::string& source);
  /// The docs' option table: | option | default | units | description |, Markdown.
  std::string markdownTable() const;

 private:
  Option& declare(const std::string& name, const std::string& help, Option::Binding binding);
  std::string command_;
  std::deque<Option> options_;
};

namespace detail {
Option::Binding bindFlag(bool& target);
Option::Binding bindSigned(std::function<void(long long)> store,
                           std::function<long long()> load, long long lo, long long hi);
Option::Binding bindUnsigned(std::function<void(unsigned long long)> store,
                             std::function<unsigned long long()> load, unsigned long long hi);
Option::Binding bindReal(std::function<void(double)> store, std::function<double()> load);
Option::Binding bindText(std::string& target);
Option::Binding bindRealList(std::vector<double>& target);
Option::Binding bindIntegerList(std::vector<long>& target);
Option::Binding bindTextList(std::vector<std::string>& target);
Option::Binding bindRepeated(std::vector<std::string>& target);
Option::Binding bindChoice(std::vector<std::string> names, std::function<void(std::size_t)> store,
                           std::function<std::size_t()> load);
}  // namespace detail

template <class T>
Option& OptionSet::add(const std::string& name, T& target, const std::string& help) {
  if constexpr (std::is_same_v<T, bool>) {
    return declare(name, help, detail::bindFlag(target));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    T* p = &target;
    return declare(name, help,
                   detail::bindSigned([p](long long v) { *p = T(v); },
                                      [p] { return (long long)*p; },
                                      (long long)std::numeric_limits<T>::min(),
                                      (long long)std::numeric_limits<T>::max()));
  } else if constexpr (std::is_integral_v<T>) {
    T* p = &target;
    return declare(name, help,
                   detail::bindUnsigned([p](unsigned long long v) { *p = T(v); },
                                        [p] { return (unsigned long long)*p; },
                                        (unsigned long long)std::numeric_limits<T>::max()));
  } else if constexpr (std::is_floating_point_v<T>) {
    T* p = &target;
    return declare(name, help,
                   detail::bindReal([p](double v) { *p = T(v); }, [p] { return double(*p); }));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return declare(name, help, detail::bindText(target));
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    return declare(name, help, detail::bindRealList(target));
  } else if constexpr (std::is_same_v<T, std::vector<long>>) {
    return declare(name, help, detail::bindIntegerList(target));
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return declare(name, help, detail::bindTextList(target));
  } else {
    static_assert(sizeof(T) == 0, "OptionSet::add: unsupported field type");
  }
}

template <class E>
Option& OptionSet::add(const std::string& name, E& target, NameTable<E> names,
                       const std::string& help) {
  std::vector<std::string> labels;
  for (const auto& entry : names) labels.push_back(entry.first);
  auto table = std::make_shared<NameTable<E>>(std::move(names));
  E* p = &target;
  return declare(name, help,
                 detail::bindChoice(
                     std::move(labels), [p, table](std::size_t i) { *p = (*table)[i].second; },
                     [p, table]() -> std::size_t {
                       for (std::size_t i = 0; i < table->size(); ++i)
                         if ((*table)[i].second == *p) return i;
                       return table->size();
                     }));
}

}  // namespace orevox

