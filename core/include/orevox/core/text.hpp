#pragma once
/// \file text.hpp
/// Text helpers shared by the writers of text formats (VTI XML, the HTML report).

#include <string>

namespace orevox {

/// Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39;: safe in XML and HTML text and in
/// attribute values (&#39; is valid in both, unlike &apos; in HTML 4).
std::string escapeMarkup(const std::string& text);

}  // namespace orevox
