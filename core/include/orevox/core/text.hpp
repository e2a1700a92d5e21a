#pragma once
/// \file text.hpp
/// Text helpers shared by the writers of text formats (VTI XML, the HTML report).

#include <string>

namespace orevox {

/// Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39;: safe in XML and HTML text and in
/// attribute values (&#39; is valid in both, unlike &apos; in HTML 4).
std::string escapeMarkup(const std::string& text);

}  // namespace orevox

namespace orevox {

/// A message made fit for one line of a terminal or log: control characters written as
/// \n, \r, \t or \xNN, bytes that are not UTF-8 as \xNN, and every run of non-space
/// characters longer than `maxWord` shortened to its start and end around
/// "...[N chars]..." (a 500,000-digit value, a base64 blob), so that no input can make a
/// message span lines or megabytes.
std::string oneLine(const std::string& text, std::size_t maxWord = 160);

/// `v` with up to 10 significant digits ("0.25", "1e+15"), for values quoted in messages.
std::string numberText(double v);

}  // namespace orevox
