#include "vtk_xml.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "orevox/core/error.hpp"

namespace orevox::detail {

std::string xmlUnescape(const std::string& s) {
  static const std::pair<const char*, char> entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool replaced = false;
    if (s[i] == '&' && i + 2 < s.size() && s[i + 1] == '#') {  // &#39; / &#x27; (ASCII only)
      const bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';
      const std::size_t start = i + (hex ? 3 : 2), semicolon = s.find(';', start);
      unsigned code = 0;
      if (semicolon != std::string::npos && semicolon > start &&
          std::from_chars(s.data() + start, s.data() + semicolon, code, hex ? 16 : 10).ptr ==
              s.data() + semicolon &&
          code > 0 && code < 128) {
        out += char(code);
        i = semicolon;
        continue;
      }
    }
    if (s[i] == '&') {
      for (const auto& [entity, c] : entities) {
        if (s.compare(i, std::strlen(entity), entity) == 0) {
          out += c;
          i += std::strlen(entity) - 1;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i];
  }
  return out;
}

void XmlScanner::fail(const std::string& message) const {
  throw DataError(message, SourceLocation{path_, 0, 0, {}, {}});
}

bool XmlScanner::nextTag(std::size_t& pos, std::size_t limit, XmlTag& tag) const {
  while (true) {
    const std::size_t open = text_.find('<', pos);
    if (open == std::string::npos || open >= limit) return false;
    if (text_.compare(open, 4, "<!--") == 0) {
      const std::size_t close = text_.find("-->", open);
      if (close == std::string::npos) fail("unterminated XML comment");
      pos = close + 3;
      continue;
    }
    if (text_.compare(open, 2, "<!") == 0) {
      // No DTD is read, so no entity can expand (the "billion laughs"): refused outright
      // rather than silently ignored.
      fail(
          "XML document type declarations (<!DOCTYPE, <!ENTITY, <![CDATA[) are not accepted in "
          "a VTK XML file");
    }
    if (text_.compare(open, 2, "<?") == 0) {
      const std::size_t close = text_.find("?>", open);
      if (close == std::string::npos) fail("unterminated XML declaration");
      pos = close + 2;
      continue;
    }
    tag = XmlTag{};
    tag.begin = open;
    std::size_t i = open + 1;
    if (i < limit && text_[i] == '/') {
      tag.closing = true;
      ++i;
    }
    const std::size_t nameStart = i;
    while (i < limit && !std::isspace(static_cast<unsigned char>(text_[i])) && text_[i] != '>' &&
           text_[i] != '/')
      ++i;
    tag.name = text_.substr(nameStart, i - nameStart);
    while (true) {
      while (i < limit && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (i >= limit) fail("unterminated XML tag <" + tag.name + ">");
      if (text_[i] == '>') {
        ++i;
        break;
      }
      if (text_[i] == '/' && i + 1 < limit && text_[i + 1] == '>') {
        tag.selfClosing = true;
        i += 2;
        break;
      }
      const std::size_t keyStart = i;
      while (i < limit && text_[i] != '=' && !std::isspace(static_cast<unsigned char>(text_[i])) &&
             text_[i] != '>')
        ++i;
      const std::string key = text_.substr(keyStart, i - keyStart);
      while (i < limit && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (i >= limit || text_[i] != '=')
        fail("malformed attribute '" + key + "' in <" + tag.name + ">");
      ++i;
      while (i < limit && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      if (i >= limit || (text_[i] != '"' && text_[i] != '\''))
        fail("unquoted attribute '" + key + "' in <" + tag.name + ">");
      const char quote = text_[i++];
      const std::size_t valueEnd = text_.find(quote, i);
      if (valueEnd == std::string::npos || valueEnd >= limit)
        fail("unterminated attribute '" + key + "'");
      tag.attributes[key] = xmlUnescape(text_.substr(i, valueEnd - i));
      i = valueEnd + 1;
    }
    tag.end = i;
    pos = i;
    return true;
  }
}

std::string xmlAttribute(const XmlTag& tag, const std::string& key, const std::string& fallback) {
  const auto it = tag.attributes.find(key);
  return it == tag.attributes.end() ? fallback : it->second;
}

std::vector<XmlElement> scanXmlElements(const XmlScanner& scanner) {
  const std::string& text = scanner.text();
  std::vector<XmlElement> out;
  std::vector<std::string> stack;
  std::size_t pos = 0;
  XmlTag tag;
  while (scanner.nextTag(pos, text.size(), tag)) {
    if (tag.closing) {
      if (stack.empty() || stack.back() != tag.name)
        scanner.fail("unbalanced XML: </" + tag.name + ">");
      stack.pop_back();
      continue;
    }
    XmlElement e{tag.name, std::move(tag.attributes), {}, stack.empty() ? "" : stack.back()};
    if (!tag.selfClosing && (e.name == "DataArray" || e.name == "Array")) {
      const std::string close = "</" + e.name + ">";
      const std::size_t end = text.find(close, pos);
      if (end == std::string::npos) scanner.fail("unterminated <" + e.name + ">");
      e.content = text.substr(pos, end - pos);
      pos = end + close.size();
    } else if (!tag.selfClosing) {
      stack.push_back(e.name);
    }
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

/// Decodes base64 (no whitespace; '=' padding allowed at the end of each 4-char group).
bool base64Decode(const std::string& in, std::vector<unsigned char>& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in[i + std::size_t(k)];
      if (c == '=') {
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return false;
        v[k] = base64Value(c);
        if (v[k] < 0) return false;
      }
    }
    if (pad > 2) return false;
    const std::uint32_t triple = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                                 (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
    out.push_back((unsigned char)((triple >> 16) & 0xFF));
    if (pad < 2) out.push_back((unsigned char)((triple >> 8) & 0xFF));
    if (pad < 1) out.push_back((unsigned char)(triple & 0xFF));
  }
  return true;
}

}  // namespace orevox::detail
