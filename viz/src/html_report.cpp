#include "orevox/viz/html_report.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/text.hpp"

namespace fs = std::filesystem;

namespace orevox {

std::string htmlEscape(const std::string& text) { return escapeMarkup(text); }

namespace {

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #446;padding-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border:1px solid #bbc;padding:.25em .6em;text-align:left}
th{background:#eef}tr:nth-child(even) td{background:#f8f8fc}caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #ccd}figcaption{font-size:.92em;color:#333}
.meta{color:#555;font-size:.88em}.missing{color:#a22}nav ul{columns:2}
)";

/// Relative, '/'-separated path of `p` from `folder`; empty when it does not exist.
std::string relativeExisting(const fs::path& folder, const std::string& p, bool& exists) {
  fs::path full = fs::path(p).is_absolute() ? fs::path(p) : folder / p;
  std::error_code ec;
  exists = fs::is_regular_file(full, ec);
  if (!exists) return p;
  const fs::path rel = fs::relative(fs::weakly_canonical(full), fs::weakly_canonical(folder), ec);
  return ec || rel.empty() ? p : rel.generic_string();
}

std::string uriEscape(const std::string& path) {
  std::ostringstream out;
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out << char(c);
    } else {
      out << '%' << hex[c >> 4] << hex[c & 15];
    }
  }
  return out.str();
}

}  // namespace

HtmlReportResult writeHtmlReport(const std::string& folder, const std::string& title,
                                 const std::vector<ReportSection>& sections) {
  const fs::path dir(folder);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw IoError("report folder does not exist", SourceLocation{folder, 0, 0, {}, {}});
  HtmlReportResult result;
  result.path = (dir / "index.html").string();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
    << htmlEscape(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>"
    << htmlEscape(title) << "</h1>\n";
  if (sections.size() > 1) {
    h << "<nav><ul>\n";
    for (std::size_t s = 0; s < sections.size(); ++s)
      h << "<li><a href=\"#s" << s + 1 << "\">" << htmlEscape(sections[s].title) << "</a></li>\n";
    h << "</ul></nav>\n";
  }
  int figureNumber = 0, tableNumber = 0;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const ReportSection& sec = sections[s];
    h << "<section id=\"s" << s + 1 << "\">\n<h2>" << htmlEscape(sec.title) << "</h2>\n";
    for (const auto& p : sec.paragraphs) h << "<p>" << htmlEscape(p) << "</p>\n";
    for (const auto& t : sec.tables) {
      h << "<table>\n<caption>Table " << ++tableNumber << ". " << htmlEscape(t.caption)
        << "</caption>\n";
      if (!t.header.empty()) {
        h << "<thead><tr>";
        for (const auto& c : t.header) h << "<th>" << htmlEscape(c) << "</th>";
        h << "</tr></thead>\n";
      }
      h << "<tbody>\n";
      for (const auto& row : t.rows) {
        h << "<tr>";
        for (const auto& c : row) h << "<td>" << htmlEscape(c) << "</td>";
        h << "</tr>\n";
      }
      h << "</tbody>\n</table>\n";
    }
    for (const auto& f : sec.figures) {
      bool exists = false;
      const std::string rel = relativeExisting(dir, f.path, exists);
      ++figureNumber;
      std::string meta = "Data: " + (f.data.empty() ? std::string("not stated") : f.data) +
                         ". Model: " + (f.model.empty() ? std::string("none") : f.model) +
                         ". Protocol: " + (f.protocol.empty() ? std::string("none") : f.protocol) +
                         ". Seed: " + (f.hasSeed ? std::to_string(f.seed) : std::string("none")) +
                         ".";
      h << "<figure>\n";
      if (exists) {
        h << "<a href=\"" << uriEscape(rel) << "\"><img src=\"" << uriEscape(rel) << "\" alt=\""
          << htmlEscape(f.caption) << "\" loading=\"lazy\"></a>\n";
        result.linked.push_back(rel);
      } else {
        h << "<p class=\"missing\">(figure not produced: " << htmlEscape(f.path) << ")</p>\n";
        result.missing.push_back(f.path);
      }
      h << "<figcaption><b>Figure " << figureNumber << ".</b> " << htmlEscape(f.caption)
        << "<br><span class=\"meta\">" << htmlEscape(meta) << "</span></figcaption>\n</figure>\n";
    }
    if (!sec.links.empty()) {
      h << "<ul>\n";
      for (const auto& l : sec.links) {
        bool exists = false;
        const std::string rel = relativeExisting(dir, l.path, exists);
        const std::string text = l.text.empty() ? rel : l.text;
        if (exists) {
          h << "<li><a href=\"" << uriEscape(rel) << "\">" << htmlEscape(text) << "</a></li>\n";
          result.linked.push_back(rel);
        } else {
          h << "<li class=\"missing\">" << htmlEscape(text) << " (not produced)</li>\n";
          result.missing.push_back(l.path);
        }
      }
      h << "</ul>\n";
    }
    h << "</section>\n";
  }
  h << "<p class=\"meta\">Written by orevox 0.1.0. Opens from disk: no scripts, no server, no "
       "network.</p>\n"
    << "</body>\n</html>\n";
  writeTextFileAtomic(result.path, h.str());
  return result;
}

}  // namespace orevox
