#pragma once
/// \file vtk_xml.hpp
/// The small XML reader behind orevox's VTK XML files (ImageData .vti, PolyData .vtp):
/// tags with attributes, comments and declarations skipped, the five named entities and
/// ASCII character references; no DTD and no entity definitions (a file that declares
/// entities is not expanded). Private to the datasets module.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace orevox::detail {

/// XML attribute text with &amp; &lt; &gt; &quot; &apos; and ASCII &#N; / &#xN; replaced.
std::string xmlUnescape(const std::string& s);

/// One start, end or empty-element tag.
struct XmlTag {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool closing = false;
  bool selfClosing = false;
  std::size_t begin = 0;  // position of '<'
  std::size_t end = 0;    // position just after '>'
};

/// Walks the tags of one XML text; errors are DataError naming the file.
class XmlScanner {
 public:
  XmlScanner(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}

  [[noreturn]] void fail(const std::string& message) const;

  /// Next element tag at or after `pos` within [0, limit); false at the end. `pos` moves
  /// past the tag.
  bool nextTag(std::size_t& pos, std::size_t limit, XmlTag& tag) const;

  const std::string& text() const { return text_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string text_;
};

/// The attribute `key` of `tag`, or `fallback` when absent.
std::string xmlAttribute(const XmlTag& tag, const std::string& key,
                         const std::string& fallback = {});

/// An element in document order: its tag, the section it lies in (the enclosing element's
/// name) and, for DataArray and Array, the text between its tags.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string content;
  std::string parent;
};

/// Every element of `scanner`'s text, checking that tags balance.
std::vector<XmlElement> scanXmlElements(const XmlScanner& scanner);

/// Decodes base64 (no whitespace; '=' padding only at the end of a 4-character group);
/// false on anything else.
bool base64Decode(const std::string& in, std::vector<unsigned char>& out);

}  // namespace orevox::detail
