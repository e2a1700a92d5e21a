#pragma once
/// \file html_report.hpp
/// The HTML report of a run (`orevox demo` writes DIR/index.html): sections with text,
/// tables and figures, in one self-contained file (inline CSS, no script, no network) that
/// opens from disk in any browser. Figures and files are linked relatively and only when
/// they exist. No VTK here.

#include <cstdint>
#include <string>
#include <vector>

namespace orevox {

/// A figure: an image file and what made it. Captions name the data, the model, the
/// evaluation protocol and the seed, so a figure read alone is not misleading.
struct ReportFigure {
  std::string path;      ///< image file, absolute or relative to the report folder
  std::string caption;   ///< what it shows
  std::string data;      ///< e.g. "synth2d (seed 1), 41 x 41 km, 100 m cells"
  std::string model;     ///< e.g. "ground truth", "ResGNN global graph"; empty = not stated
  std::string protocol;  ///< e.g. "spatial blocks, 5 folds"; empty = not stated
  std::uint64_t seed = 0;
  bool hasSeed = false;
};

/// A table: header and rows of cells (text, escaped on output).
struct ReportTable {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// A link to a produced file (CSV, GeoTIFF, VDB, JSON ...).
struct ReportLink {
  std::string path;  ///< absolute or relative to the report folder
  std::string text;  ///< empty = the relative path
};

/// One section: a heading, paragraphs, then tables, figures and links in that order.
struct ReportSection {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
  std::vector<ReportFigure> figures;
  std::vector<ReportLink> links;
};

/// What writeHtmlReport linked and what it left out because the file does not exist.
struct HtmlReportResult {
  std::string path;                  ///< DIR/index.html
  std::vector<std::string> linked;   ///< relative paths, in document order
  std::vector<std::string> missing;  ///< paths given but not found (mentioned as text, not linked)
};

/// Writes `folder`/index.html atomically (the folder must exist; IoError otherwise).
/// Every link is relative to `folder` (a path outside it gets a "../" path) and is written
/// only when the file exists; a missing figure or file is named in the text as "not produced".
HtmlReportResult writeHtmlReport(const std::string& folder, const std::string& title,
                                 const std::vector<ReportSection>& sections);

/// Escapes & < > " ' for HTML text and attribute values.
std::string htmlEscape(const std::string& text);

}  // namespace orevox
