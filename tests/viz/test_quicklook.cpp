#include <gtest/gtest.h>

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>

#include <filesystem>

#include "orevox/core/error.hpp"
#include "orevox/viz/quicklook.hpp"

using namespace orevox;
namespace fs = std::filesystem;

namespace {
// RGBA of PNG pixel (col, row) with row 0 at the top of the image.
std::array<int, 4> pixel(vtkImageData* img, int col, int row) {
  int dims[3];
  img->GetDimensions(dims);
  std::array<int, 4> out{};
  for (int c = 0; c < 4; ++c) out[c] = int(img->GetScalarComponentAsDouble(col, dims[1] - 1 - row, 0, c));
  return out;
}
}  // namespace

TEST(Quicklook, NorthUpColoursAndTransparentNodata) {
  Raster r(GridSpec::fromExtent(Extent{0, 0, 40, 20, true}, 10.0));  // 4 x 2 cells
  auto& b = r.addBand("p");
  b.values = {0.0f, 1.0f, 1.0f, kNodata,   // north row
              0.0f, 0.0f, 0.5f, 1.0f};     // south row
  const fs::path png = fs::temp_directory_path() / "orevox_quicklook_test.png";
  QuicklookOptions opt;
  opt.lo = 0.0;
  opt.hi = 1.0;
  const auto range = writeQuicklookPng(r, 0, png.string(), opt);
  EXPECT_DOUBLE_EQ(range.first, 0.0);
  EXPECT_DOUBLE_EQ(range.second, 1.0);

  vtkNew<vtkPNGReader> reader;
  reader->SetFileName(png.string().c_str());
  reader->Update();
  vtkImageData* img = reader->GetOutput();
  int dims[3];
  img->GetDimensions(dims);
  ASSERT_EQ(dims[0], 4);
  ASSERT_EQ(dims[1], 2);
  ASSERT_EQ(img->GetNumberOfScalarComponents(), 4);
  // viridis ends: 0 -> (68, 1, 84), 1 -> (253, 231, 37)
  EXPECT_EQ(pixel(img, 0, 0), (std::array<int, 4>{68, 1, 84, 255}));
  EXPECT_EQ(pixel(img, 1, 0), (std::array<int, 4>{253, 231, 37, 255}));
  EXPECT_EQ(pixel(img, 3, 0)[3], 0);  // nodata is transparent
  EXPECT_EQ(pixel(img, 3, 1), (std::array<int, 4>{253, 231, 37, 255}));
  // the midpoint is the middle viridis control colour (33, 145, 140)
  const auto mid = pixel(img, 2, 1);
  EXPECT_NEAR(mid[0], 33, 1);
  EXPECT_NEAR(mid[1], 145, 1);
  EXPECT_NEAR(mid[2], 140, 1);
  fs::remove(png);
}

TEST(Quicklook, ScaleRepeatsEachCell) {
  Raster r(GridSpec::fromExtent(Extent{0, 0, 20, 10, true}, 10.0));  // 2 x 1 cells
  r.addBand("p", std::vector<float>{0.0f, 1.0f});
  const fs::path png = fs::temp_directory_path() / "orevox_quicklook_scale.png";
  QuicklookOptions opt;
  opt.lo = 0.0;
  opt.hi = 1.0;
  opt.scale = 3;
  writeQuicklookPng(r, 0, png.string(), opt);
  vtkNew<vtkPNGReader> reader;
  reader->SetFileName(png.string().c_str());
  reader->Update();
  int dims[3];
  reader->GetOutput()->GetDimensions(dims);
  ASSERT_EQ(dims[0], 6);
  ASSERT_EQ(dims[1], 3);
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 6; ++col) {
      EXPECT_EQ(pixel(reader->GetOutput(), col, row)[0], col < 3 ? 68 : 253);
    }
  }
  opt.scale = 0;
  EXPECT_THROW(writeQuicklookPng(r, 0, png.string(), opt), UsageError);
  fs::remove(png);
}

TEST(Quicklook, BadBandAndMissingFolder) {
  Raster r(GridSpec::fromExtent(Extent{0, 0, 10, 10, true}, 10.0));
  r.addBand("p", 1.0f);
  EXPECT_THROW(writeQuicklookPng(r, 3, "/tmp/x.png"), UsageError);
  EXPECT_THROW(writeQuicklookPng(r, 0, "/nonexistent/folder/x.png"), IoError);
}
