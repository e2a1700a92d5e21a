#pragma once
// Image comparison for rendering tests (the vtk-examples way: a stored reference image and
// a tolerance). On mismatch the message names both files and the difference found.

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>
#include <vtkSmartPointer.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

namespace orevox::test {

/// Folder of the stored reference images.
inline const std::string kData = std::string(OREVOX_SOURCE_DIR) + "/tests/viz/data/";

/// Path for a test's output image under the build folder (created when missing).
inline std::string outPath(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(OREVOX_BINARY_DIR) / "test_output" / "viz";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

inline vtkSmartPointer<vtkImageData> readPng(const std::string& path) {
  vtkNew<vtkPNGReader> r;
  r->SetFileName(path.c_str());
  r->Update();
  auto img = vtkSmartPointer<vtkImageData>::New();
  img->DeepCopy(r->GetOutput());
  return img;
}

/// RGB of pixel (col, row), row 0 at the top of the PNG.
inline std::array<int, 3> rgbAt(vtkImageData* img, int col, int row) {
  int d[3];
  img->GetDimensions(d);
  return {int(img->GetScalarComponentAsDouble(col, d[1] - 1 - row, 0, 0)),
          int(img->GetScalarComponentAsDouble(col, d[1] - 1 - row, 0, 1)),
          int(img->GetScalarComponentAsDouble(col, d[1] - 1 - row, 0, 2))};
}

struct ImageDifference {
  bool sameSize = false;
  double meanAbs = 0.0;         ///< mean |difference| over RGB channels, 0..255
  double shareDifferent = 0.0;  ///< share of pixels with any channel differing by more than 40
};

inline ImageDifference compareImages(vtkImageData* a, vtkImageData* b) {
  ImageDifference d;
  int da[3], db[3];
  a->GetDimensions(da);
  b->GetDimensions(db);
  if (da[0] != db[0] || da[1] != db[1]) return d;
  d.sameSize = true;
  double sum = 0;
  long far = 0;
  for (int y = 0; y < da[1]; ++y)
    for (int x = 0; x < da[0]; ++x) {
      bool differs = false;
      for (int c = 0; c < 3; ++c) {
        const double diff = std::abs(a->GetScalarComponentAsDouble(x, y, 0, c) -
                                     b->GetScalarComponentAsDouble(x, y, 0, c));
        sum += diff;
        differs = differs || diff > 40.0;
      }
      far += differs;
    }
  const double n = double(da[0]) * da[1];
  d.meanAbs = sum / (3.0 * n);
  d.shareDifferent = double(far) / n;
  return d;
}

/// Compares `actual` with the reference; when OREVOX_UPDATE_REFERENCES=1 is set, copies the
/// actual image over the reference instead (then look at it before committing).
inline std::string checkAgainstReference(const std::string& actual, const std::string& reference,
                                         double maxMeanAbs, double maxShareDifferent) {
  const char* update = std::getenv("OREVOX_UPDATE_REFERENCES");
  if (update && std::string(update) == "1") {
    std::filesystem::copy_file(actual, reference,
                               std::filesystem::copy_options::overwrite_existing);
    return {};
  }
  if (!std::filesystem::exists(reference))
    return "reference image missing: " + reference + " (actual: " + actual + ")";
  auto a = readPng(actual), r = readPng(reference);
  const ImageDifference d = compareImages(a, r);
  std::ostringstream msg;
  if (!d.sameSize) {
    msg << "image size differs from the reference " << reference << "; actual image kept at "
        << actual;
    return msg.str();
  }
  if (d.meanAbs > maxMeanAbs || d.shareDifferent > maxShareDifferent) {
    msg << "image differs from the reference " << reference << ": mean |diff| " << d.meanAbs
        << " (max " << maxMeanAbs << "), pixels off by > 40: " << 100.0 * d.shareDifferent
        << "% (max " << 100.0 * maxShareDifferent << "%); actual image kept at " << actual
        << " (rerun with OREVOX_UPDATE_REFERENCES=1 to accept it after looking at it)";
    return msg.str();
  }
  return {};
}

}  // namespace orevox::test
