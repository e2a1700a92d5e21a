// Meshes in scenes: an ore solid drawn with a volume against a stored reference image, a
// mesh alone, colours, and the VTK PolyData the datasets module writes read back by VTK's
// own reader. Run under xvfb-run.
#include <gtest/gtest.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkXMLPolyDataReader.h>

#include <cmath>

#include "geomodel/mesh_fixtures.hpp"
#include "image_compare.hpp"
#include "orevox/core/error.hpp"
#include "orevox/datasets/mesh_io.hpp"
#include "orevox/viz/scene.hpp"

using namespace orevox;

namespace {

/// 32 x 24 x 16 voxels of 25 m at UTM-sized coordinates, a linear "depth" channel.
VoxelModel layeredModel() {
  VolumeSpec s;
  s.nx = 32;
  s.ny = 24;
  s.nz = 16;
  s.origin = {500000.0, 4100000.0, -400.0};
  s.spacing = {25.0, 25.0, 25.0};
  std::vector<float> v(s.size());
  for (std::size_t k = 0; k < s.nz; ++k)
    for (std::size_t j = 0; j < s.ny; ++j)
      for (std::size_t i = 0; i < s.nx; ++i) v[s.index(i, j, k)] = float(s.centreZ(k));
  VoxelModel m(s);
  m.setChannel("elevation", v, nullptr, "m");
  return m;
}

}  // namespace

TEST(SceneMesh, OreSolidWithAVolumeMatchesReference) {
  const VoxelModel model = layeredModel();
  TriangleMesh ore = orevox_test::icosphere(Eigen::Vector3d(500400.0, 4100300.0, -200.0), 120.0, 3);
  ore.name = "ore solid";
  // A fault plane reaching beyond the box: the scene's bounds take it in.
  TriangleMesh fault =
      orevox_test::heightField(499900.0, 4099950.0, 100.0, 100.0, 10,
                               [](double x, double) { return -0.8 * (x - 500400.0) - 150.0; });
  fault.name = "fault";
  SceneData data;
  data.volume = &model;
  data.meshes.push_back({&ore, parseColour("orange"), 1.0, {}});
  data.meshes.push_back({&fault, parseColour("#7f7f7f"), 0.5, "main fault"});
  SceneOptions o;
  o.width = 480;
  o.height = 360;
  o.volumeRendering = false;
  o.slices = {-1.0, 0.5, -1.0};
  const std::string out = test::outPath("scene_mesh.png");
  const SceneSummary s = renderScenePng(data, o, out);
  EXPECT_EQ(s.meshes, 2u);
  EXPECT_EQ(s.meshTriangles, ore.triangleCount() + fault.triangleCount());
  EXPECT_DOUBLE_EQ(s.bounds[0], 499900.0);  // the fault's west edge, outside the box
  EXPECT_DOUBLE_EQ(s.bounds[1], 500900.0);
  EXPECT_DOUBLE_EQ(s.bounds[2], 4099950.0);
  const std::string msg =
      test::checkAgainstReference(out, test::kData + "scene_mesh.png", 3.0, 0.02);
  EXPECT_TRUE(msg.empty()) << msg;
}

TEST(SceneMesh, AMeshAloneIsAScene) {
  TriangleMesh ore = orevox_test::icosphere(Eigen::Vector3d(2295000.0, 420000.0, 500.0), 300.0, 2);
  ore.name = "Mpz-like";
  SceneData data;
  data.meshes.push_back({&ore, parseColour("1,0,0"), 1.0, {}});
  SceneOptions o;
  o.width = 200;
  o.height = 160;
  o.axes = o.legend = false;
  o.camera = CameraPreset::Top;
  const std::string out = test::outPath("scene_mesh_alone.png");
  const SceneSummary s = renderScenePng(data, o, out);
  EXPECT_EQ(s.channel, "Mpz-like");
  EXPECT_EQ(s.meshes, 1u);
  const MeshBounds b = ore.bounds();
  EXPECT_DOUBLE_EQ(s.bounds[0], b.min.x());
  EXPECT_DOUBLE_EQ(s.bounds[5], b.max.z());
  // Seen from above, the red sphere covers the middle of the image; the corners stay white.
  const auto img = test::readPng(out);
  const auto centre = test::rgbAt(img, 100, 80);
  EXPECT_GT(centre[0], 120);
  EXPECT_LT(centre[1], 80);
  EXPECT_LT(centre[2], 80);
  const auto corner = test::rgbAt(img, 3, 157);
  EXPECT_GT(corner[0], 240);
  EXPECT_GT(corner[1], 240);
  SceneData empty;
  EXPECT_THROW(renderScenePng(empty, o, test::outPath("scene_nothing.png")), UsageError);
}

TEST(SceneMesh, ColoursByNameHexAndComponents) {
  EXPECT_EQ(parseColour("Orange"), (std::array<double, 3>{1.0, 0.5, 0.05}));
  const auto hex = parseColour("#ff8000");
  EXPECT_DOUBLE_EQ(hex[0], 1.0);
  EXPECT_DOUBLE_EQ(hex[1], 128.0 / 255.0);
  EXPECT_DOUBLE_EQ(hex[2], 0.0);
  EXPECT_EQ(parseColour("0.2,0.6,1"), (std::array<double, 3>{0.2, 0.6, 1.0}));
  for (const char* bad : {"mauve", "#ff80", "#gg0000", "0.2,0.6", "0.2,0.6,1.5", "1,2,x", ""}) {
    try {
      parseColour(bad);
      ADD_FAILURE() << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("is not a colour"), std::string::npos) << e.what();
    }
  }
  EXPECT_NE(defaultMeshColour(0), defaultMeshColour(1));
}

TEST(SceneMesh, VtpWrittenByDatasetsReadsBackInVtk) {
  TriangleMesh m = orevox_test::unitCube();
  for (auto& v : m.vertices) v += Eigen::Vector3d(2289334.125, 415146.5, -646.0);
  m.vertexProperties.push_back({"grade", 1, {0, 1, 2, 3, 4, 5, 6, 7}});
  m.faceProperties.push_back({"domain", 1, std::vector<double>(12, 4.0)});
  const std::string path = test::outPath("cube.vtp");
  writeMesh(m, path);
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfPoints(), 8);
  ASSERT_EQ(poly->GetNumberOfPolys(), 12);
  for (vtkIdType v = 0; v < 8; ++v) {
    double p[3];
    poly->GetPoint(v, p);
    for (int a = 0; a < 3; ++a) EXPECT_EQ(p[a], m.vertices[std::size_t(v)][a]);
  }
  vtkNew<vtkIdList> ids;
  poly->GetPolys()->GetCellAtId(11, ids);
  ASSERT_EQ(ids->GetNumberOfIds(), 3);
  for (int c = 0; c < 3; ++c) EXPECT_EQ(ids->GetId(c), vtkIdType(m.triangles[11][std::size_t(c)]));
  ASSERT_TRUE(poly->GetPointData()->GetArray("grade"));
  EXPECT_EQ(poly->GetPointData()->GetArray("grade")->GetTuple1(7), 7.0);
  ASSERT_TRUE(poly->GetCellData()->GetArray("domain"));
  EXPECT_EQ(poly->GetCellData()->GetArray("domain")->GetTuple1(11), 4.0);
}
