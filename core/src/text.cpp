#include "orevox/core/text.hpp"

#include <algorithm>
#include <sstream>

namespace orevox {

std::string escapeMarkup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace orevox

namespace orevox {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i] (0 when invalid or a control byte).
std::size_t utf8Length(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c < 0x20 || c == 0x7f) ? 0 : 1;
  std::size_t n = 0;
  if ((c & 0xE0) == 0xC0 && c >= 0xC2)
    n = 2;
  else if ((c & 0xF0) == 0xE0)
    n = 3;
  else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
    n = 4;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8Length(text, i);
    if (n > 0) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i++]);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string oneLine(const std::string& text, std::size_t maxWord) {
  const std::string flat = escaped(text);
  if (maxWord < 16) maxWord = 16;
  std::string out;
  out.reserve(std::min(flat.size(), std::size_t(4096)));
  std::size_t i = 0;
  while (i < flat.size()) {
    const std::size_t end = std::min(flat.find(' ', i), flat.size());
    const std::size_t len = end - i;
    if (len > maxWord) {
      std::size_t head = maxWord * 5 / 8, tail = maxWord / 4;
      auto continuation = [&flat](std::size_t at) {
        return (static_cast<unsigned char>(flat[at]) & 0xC0) == 0x80;
      };
      while (head > 0 && continuation(i + head)) --head;  // never split a UTF-8 character
      while (tail > 0 && continuation(end - tail)) --tail;
      out.append(flat, i, head);
      out += "...[" + std::to_string(len - head - tail) + " chars]...";
      out.append(flat, end - tail, tail);
    } else {
      out.append(flat, i, len);
    }
    i = end;
    if (i < flat.size()) {
      out += ' ';
      ++i;
    }
  }
  return out;
}

std::string numberText(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace orevox
