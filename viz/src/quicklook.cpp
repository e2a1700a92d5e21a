#include "orevox/viz/quicklook.hpp"

#include <vtkColorTransferFunction.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "colormaps.hpp"
#include "figure_png.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

using vizdetail::addViridis;
using vizdetail::categoricalColour;
using vizdetail::percentile;

std::pair<double, double> writeQuicklookPng(const Raster& raster, std::size_t band, const std::string& path,
                                            const QuicklookOptions& options) {
  if (band >= raster.bandCount()) {
    throw UsageError("quicklook: band " + std::to_string(band) + " out of range (raster has " +
                     std::to_string(raster.bandCount()) + ")");
  }
  const GridSpec& grid = raster.grid();
  const auto& values = raster.band(band).values;
  auto transformed = [&](float v, double& out) {
    if (raster.isNodata(v) || !std::isfinite(v)) return false;
    if (options.logScale) {
      if (!(v > 0.0f)) return false;
      out = std::log10(double(v));
    } else {
      out = double(v);
    }
    return true;
  };

  double lo = options.lo, hi = options.hi;
  if (!(hi > lo)) {
    std::vector<double> valid;
    valid.reserve(values.size());
    double t = 0;
    for (float v : values)
      if (transformed(v, t)) valid.push_back(options.colorMap == ColorMap::Diverging ? std::abs(t) : t);
    if (options.colorMap == ColorMap::Diverging) {
      hi = std::max(percentile(valid, 0.98), 1e-12);
      lo = -hi;
    } else {
      lo = percentile(valid, 0.02);
      hi = percentile(valid, 0.98);
      if (!(hi > lo)) hi = lo + 1.0;
    }
  }

  vtkNew<vtkColorTransferFunction> colours;
  if (options.colorMap == ColorMap::Prospectivity) {
    addViridis(colours, lo, hi);
  } else if (options.colorMap == ColorMap::Diverging) {
    colours->AddRGBPoint(lo, 0.230, 0.299, 0.754);
    colours->AddRGBPoint(0.0, 0.865, 0.865, 0.865);
    colours->AddRGBPoint(hi, 0.706, 0.016, 0.150);
  }
  colours->ClampingOn();

  if (options.scale < 1 || options.scale > 64) {
    throw UsageError("quicklook: scale must be 1..64 pixels per cell, got " + std::to_string(options.scale));
  }
  const std::size_t scale = static_cast<std::size_t>(options.scale);
  const std::size_t width = grid.width * scale, height = grid.height * scale;
  vtkNew<vtkImageData> image;
  image->SetDimensions(static_cast<int>(width), static_cast<int>(height), 1);
  vtkNew<vtkUnsignedCharArray> rgba;
  rgba->SetNumberOfComponents(4);
  rgba->SetNumberOfTuples(static_cast<vtkIdType>(width * height));
  for (std::size_t row = 0; row < grid.height; ++row) {
    for (std::size_t col = 0; col < grid.width; ++col) {
      double t = 0, rgb[3] = {0, 0, 0};
      unsigned char px[4] = {0, 0, 0, 0};
      if (transformed(values[grid.index(col, row)], t)) {
        if (options.colorMap == ColorMap::Categorical) {
          categoricalColour(std::lround(t), rgb);
        } else {
          colours->GetColor(t, rgb);
        }
        for (int c = 0; c < 3; ++c) px[c] = static_cast<unsigned char>(std::lround(rgb[c] * 255.0));
        px[3] = 255;
      }
      // VTK images start at the bottom row: flip so north is up in the PNG.
      for (std::size_t dy = 0; dy < scale; ++dy) {
        const std::size_t vtkRow = height - 1 - (row * scale + dy);
        for (std::size_t dx = 0; dx < scale; ++dx) {
          rgba->SetTypedTuple(static_cast<vtkIdType>(vtkRow * width + col * scale + dx), px);
        }
      }
    }
  }
  image->GetPointData()->SetScalars(rgba);

  vtkNew<vtkPNGWriter> writer;
  writer->SetInputData(image);
  vizdetail::writePngFile(writer, path);
  return {lo, hi};
}

}  // namespace orevox
