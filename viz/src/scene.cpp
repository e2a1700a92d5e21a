#include "orevox/viz/scene.hpp"

#include <vtkAbstractVolumeMapper.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkColorTransferFunction.h>
#include <vtkCubeAxesActor.h>
#include <vtkCoordinate.h>
#include <vtkCubeSource.h>
#include <vtkDoubleArray.h>
#include <vtkFloatArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkGlyph3DMapper.h>
#include <vtkImageMapToColors.h>
#include <vtkImageMapper3D.h>
#include <vtkImageShrink3D.h>
#include <vtkLegendBoxActor.h>
#include <vtkNew.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPlaneSource.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkRenderWindow.h>
#include <vtkScalarBarActor.h>
#include <vtkSphereSource.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkTexture.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVariant.h>
#include <vtkVolumeProperty.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "colormaps.hpp"
#include "figure_png.hpp"
#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "scene_builder.hpp"
#include "scene_traces.hpp"

namespace orevox {

CameraPreset parseCameraPreset(const std::string& text, const std::string& option) {
  std::string t;
  for (char c : text) t += char(std::tolower(static_cast<unsigned char>(c)));
  if (t == "iso") return CameraPreset::Iso;
  if (t == "top") return CameraPreset::Top;
  if (t == "n" || t == "north") return CameraPreset::North;
  if (t == "s" || t == "south") return CameraPreset::South;
  if (t == "e" || t == "east") return CameraPreset::East;
  if (t == "w" || t == "west") return CameraPreset::West;
  throw UsageError(option + ": unknown camera '" + text +
                   "' (expected iso, top, north, south, east or west)");
}

std::array<double, 3> defaultMeshColour(std::size_t n) {
  // Tableau 10 without its blue (diverging volumes) and red (zones): distinct on white.
  static const std::array<double, 3> palette[] = {
      {1.00, 0.50, 0.05}, {0.17, 0.63, 0.17}, {0.58, 0.40, 0.74}, {0.55, 0.34, 0.29},
      {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}, {0.74, 0.74, 0.13}, {0.09, 0.75, 0.81}};
  return palette[n % (sizeof palette / sizeof palette[0])];
}

std::array<double, 3> parseColour(const std::string& text, const std::string& option) {
  static const std::pair<const char*, std::array<double, 3>> named[] = {
      {"red", {0.84, 0.15, 0.16}},   {"green", {0.17, 0.63, 0.17}}, {"blue", {0.12, 0.47, 0.71}},
      {"orange", {1.0, 0.5, 0.05}},  {"yellow", {0.95, 0.85, 0.1}}, {"purple", {0.58, 0.4, 0.74}},
      {"grey", {0.5, 0.5, 0.5}},     {"gray", {0.5, 0.5, 0.5}},     {"brown", {0.55, 0.34, 0.29}},
      {"pink", {0.89, 0.47, 0.76}},  {"cyan", {0.09, 0.75, 0.81}},  {"black", {0.05, 0.05, 0.05}},
      {"white", {0.95, 0.95, 0.95}}, {"gold", {0.85, 0.65, 0.13}}};
  std::string t;
  for (char c : text) t += char(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [name, rgb] : named)
    if (t == name) return rgb;
  const auto bad = [&] {
    return UsageError(option + ": '" + text +
                      "' is not a colour (a name such as orange, #rrggbb, or r,g,b in 0..1)");
  };
  if (t.size() == 7 && t[0] == '#') {
    std::array<double, 3> rgb{};
    for (int c = 0; c < 3; ++c) {
      const std::string hex = t.substr(std::size_t(1 + 2 * c), 2);
      if (hex.find_first_not_of("0123456789abcdef") != std::string::npos) throw bad();
      rgb[std::size_t(c)] = double(std::stoi(hex, nullptr, 16)) / 255.0;
    }
    return rgb;
  }
  std::array<double, 3> rgb{};
  std::size_t start = 0;
  for (int c = 0; c < 3; ++c) {
    const std::size_t comma = t.find(',', start);
    if ((c < 2) != (comma != std::string::npos)) throw bad();
    const std::string item = t.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t used = 0;
    double v = -1.0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      throw bad();
    }
    if (used != item.size() || !(v >= 0.0 && v <= 1.0)) throw bad();
    rgb[std::size_t(c)] = v;
    start = comma + 1;
  }
  return rgb;
}

std::array<int, 2> parseImageSize(const std::string& text, const std::string& option) {
  const auto x = text.find_first_of("xX");
  int w = 0, h = 0;
  try {
    std::size_t a = 0, b = 0;
    if (x == std::string::npos) throw std::invalid_argument("no x");
    w = std::stoi(text.substr(0, x), &a);
    h = std::stoi(text.substr(x + 1), &b);
    if (a != x || b != text.size() - x - 1) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw UsageError(option + ": expected WIDTHxHEIGHT (e.g. 1600x1200), got '" + text + "'");
  }
  if (w < 16 || h < 16 || w > 16384 || h > 16384)
    throw UsageError(option + ": each side must be 16..16384 pixels, got '" + text + "'");
  return {w, h};
}

namespace vizdetail {

namespace {

const double kSceneWidth =
    0.84;  // share of the window for the 3D view; the rest holds the colour bar
const double kIsoColours[3][3] = {{0.84, 0.10, 0.11}, {1.0, 0.50, 0.05}, {0.99, 0.85, 0.20}};
const double kIsoOpacity[3] = {1.0, 0.55, 0.3};
const double kKnownColour[3] = {0.85, 0.0, 0.85};   // magenta spheres
const double kHiddenColour[3] = {0.0, 0.75, 0.85};  // cyan cubes
const double kFaultColour[3] = {0.15, 0.15, 0.15};
const double kZoneColour[3] = {0.9, 0.1, 0.1};

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

ColorMap presetMap(TransferPreset preset, const std::string& name) {
  switch (preset) {
    case TransferPreset::Prospectivity:
      return ColorMap::Prospectivity;
    case TransferPreset::Diverging:
      return ColorMap::Diverging;
    case TransferPreset::Categorical:
      return ColorMap::Categorical;
    case TransferPreset::Auto:
      break;
  }
  const std::string n = lower(name);
  if (n.find("distance") != std::string::npos) return ColorMap::Diverging;
  if (n.rfind("rock", 0) == 0 || n.rfind("lith", 0) == 0 || n.find("type") != std::string::npos)
    return ColorMap::Categorical;
  return ColorMap::Prospectivity;
}

vtkSmartPointer<vtkPolyData> linesPolyData(
    const std::vector<std::vector<std::array<double, 3>>>& lines, bool closed) {
  auto pts = vtkSmartPointer<vtkPoints>::New();
  auto cells = vtkSmartPointer<vtkCellArray>::New();
  for (const auto& line : lines) {
    if (line.size() < 2) continue;
    const vtkIdType first = pts->GetNumberOfPoints();
    for (const auto& p : line) pts->InsertNextPoint(p.data());
    const vtkIdType n = vtkIdType(line.size()) + (closed ? 1 : 0);
    cells->InsertNextCell(n);
    for (vtkIdType i = 0; i < vtkIdType(line.size()); ++i) cells->InsertCellPoint(first + i);
    if (closed) cells->InsertCellPoint(first);
  }
  auto poly = vtkSmartPointer<vtkPolyData>::New();
  poly->SetPoints(pts);
  poly->SetLines(cells);
  return poly;
}

vtkSmartPointer<vtkActor> actorOf(vtkPolyData* poly, const double rgb[3], double opacity,
                                  double lineWidth) {
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(poly);
  mapper->ScalarVisibilityOff();
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
  actor->GetProperty()->SetOpacity(opacity);
  actor->GetProperty()->SetLineWidth(float(lineWidth));
  return actor;
}

/// Inactive voxels of each (i, j) column take the nearest active value of that column, so
/// that isosurfaces close against real data rather than against the air above topography.
std::vector<float> fillColumns(const std::vector<float>& v, const std::vector<std::uint8_t>& active,
                               const VolumeSpec& s, float empty) {
  std::vector<float> out(v.size(), empty);
  for (std::size_t j = 0; j < s.ny; ++j) {
    for (std::size_t i = 0; i < s.nx; ++i) {
      long last = -1;
      for (std::size_t k = 0; k < s.nz; ++k) {
        const std::size_t idx = s.index(i, j, k);
        if (active[idx]) {
          out[idx] = v[idx];
          if (last < 0)  // fill below the first active voxel
            for (std::size_t kk = 0; kk < k; ++kk) out[s.index(i, j, kk)] = v[idx];
          last = long(k);
        } else if (last >= 0) {
          out[idx] = v[s.index(i, j, std::size_t(last))];
        }
      }
    }
  }
  return out;
}

/// Keeps the triangles whose centroid lies in an active voxel: the column fill above the
/// topography must not draw surfaces in the air.
vtkSmartPointer<vtkPolyData> dropAirTriangles(vtkPolyData* in,
                                              const std::vector<std::uint8_t>& active,
                                              const VolumeSpec& s, vtkImageData& image) {
  double origin[3], spacing[3];
  image.GetOrigin(origin);
  image.GetSpacing(spacing);
  auto kept = vtkSmartPointer<vtkCellArray>::New();
  vtkCellArray* polys = in->GetPolys();
  vtkIdType n = 0;
  const vtkIdType* ids = nullptr;
  double p[3];
  for (polys->InitTraversal(); polys->GetNextCell(n, ids);) {
    double c[3] = {0, 0, 0};
    for (vtkIdType t = 0; t < n; ++t) {
      in->GetPoint(ids[t], p);
      for (int a = 0; a < 3; ++a) c[a] += p[a] / double(n);
    }
    const long i = std::lround((c[0] - origin[0]) / spacing[0]),
               j = std::lround((c[1] - origin[1]) / spacing[1]),
               k = std::lround((c[2] - origin[2]) / spacing[2]);
    if (i < 0 || j < 0 || k < 0 || i >= long(s.nx) || j >= long(s.ny) || k >= long(s.nz)) continue;
    if (active[s.index(std::size_t(i), std::size_t(j), std::size_t(k))])
      kept->InsertNextCell(n, ids);
  }
  auto out = vtkSmartPointer<vtkPolyData>::New();
  out->SetPoints(in->GetPoints());
  out->GetPointData()->ShallowCopy(in->GetPointData());
  out->SetPolys(kept);
  return out;
}

vtkSmartPointer<vtkImageData> imageOf(const VolumeSpec& s, const SceneFrame& f,
                                      const std::vector<float>& values, const char* name) {
  auto img = vtkSmartPointer<vtkImageData>::New();
  img->SetDimensions(int(s.nx), int(s.ny), int(s.nz));
  img->SetOrigin(f.x(s.centreX(0)), f.y(s.centreY(0)), f.z(s.centreZ(0)));
  img->SetSpacing(s.spacing[0], s.spacing[1], s.spacing[2] * f.ve);
  auto arr = vtkSmartPointer<vtkFloatArray>::New();
  arr->SetName(name);
  arr->SetNumberOfTuples(vtkIdType(values.size()));
  std::copy(values.begin(), values.end(), arr->GetPointer(0));
  img->GetPointData()->SetScalars(arr);
  return img;
}

/// RGBA texture of a raster band (row 0 of the image = south edge, as VTK wants).
vtkSmartPointer<vtkImageData> mapTexture(const Raster& r, std::size_t band, ColorMap map, double lo,
                                         double hi) {
  const GridSpec& g = r.grid();
  auto f = colourFunction(map, lo, hi);
  auto img = vtkSmartPointer<vtkImageData>::New();
  img->SetDimensions(int(g.width), int(g.height), 1);
  auto rgba = vtkSmartPointer<vtkUnsignedCharArray>::New();
  rgba->SetNumberOfComponents(4);
  rgba->SetNumberOfTuples(vtkIdType(g.size()));
  const auto& v = r.band(band).values;
  for (std::size_t row = 0; row < g.height; ++row) {
    for (std::size_t col = 0; col < g.width; ++col) {
      unsigned char px[4] = {0, 0, 0, 0};
      const float x = v[g.index(col, row)];
      if (!r.isNodata(x) && std::isfinite(x) && g.valid(g.index(col, row))) {
        double rgb[3];
        f->GetColor(double(x), rgb);
        for (int c = 0; c < 3; ++c) px[c] = static_cast<unsigned char>(std::lround(rgb[c] * 255.0));
        px[3] = 255;
      }
      rgba->SetTypedTuple(vtkIdType((g.height - 1 - row) * g.width + col), px);
    }
  }
  img->GetPointData()->SetScalars(rgba);
  return img;
}

std::string shortNumber(double v) {
  std::ostringstream s;
  s.precision(3);
  s << v;
  return s.str();
}

}  // namespace

void BuiltScene::setSlice(int axis, int index) {
  auto& actor = sliceActors[std::size_t(axis)];
  if (!actor) return;
  if (index < 0) {
    actor->VisibilityOff();
    sliceIndex[std::size_t(axis)] = -1;
    return;
  }
  index = std::clamp(index, 0, dims[std::size_t(axis)] - 1);
  sliceIndex[std::size_t(axis)] = index;
  int e[6] = {0, dims[0] - 1, 0, dims[1] - 1, 0, dims[2] - 1};
  e[2 * axis] = e[2 * axis + 1] = index;
  actor->SetDisplayExtent(e);
  actor->VisibilityOn();
}

void BuiltScene::setClipPlanes(vtkPlanes* planes) {
  if (volume) {
    for (int id : {fullLod, coarseLod}) {
      if (id < 0) continue;
      vtkAbstractVolumeMapper* m = nullptr;
      volume->GetLODMapper(id, &m);
      if (m) m->SetClippingPlanes(planes);
    }
  }
  for (auto& a : clippable) a->GetMapper()->SetClippingPlanes(planes);
}

void BuiltScene::setCamera(CameraPreset preset) {
  vtkCamera* cam = renderer->GetActiveCamera();
  const double c[3] = {0.5 * (localBounds[0] + localBounds[1]),
                       0.5 * (localBounds[2] + localBounds[3]),
                       0.5 * (localBounds[4] + localBounds[5])};
  double dir[3] = {0, 0, 1}, up[3] = {0, 0, 1};
  switch (preset) {
    case CameraPreset::Iso:
      dir[0] = -0.55;
      dir[1] = -0.75;
      dir[2] = 0.65;
      break;
    case CameraPreset::Top:
      dir[2] = 1;
      up[1] = 1;
      up[2] = 0;
      break;
    case CameraPreset::North:
      dir[1] = 1;
      dir[2] = 0;
      break;
    case CameraPreset::South:
      dir[1] = -1;
      dir[2] = 0;
      break;
    case CameraPreset::East:
      dir[0] = 1;
      dir[2] = 0;
      break;
    case CameraPreset::West:
      dir[0] = -1;
      dir[2] = 0;
      break;
  }
  cam->SetFocalPoint(c);
  cam->SetPosition(c[0] + dir[0], c[1] + dir[1], c[2] + dir[2]);
  cam->SetViewUp(up);
  cam->SetViewAngle(30.0);
  if (axes) {  // an axis seen end-on is clutter: hide it in the section and map views
    const bool flat = localBounds[5] - localBounds[4] <= 0.0;
    axes->SetXAxisVisibility(preset != CameraPreset::East && preset != CameraPreset::West);
    axes->SetYAxisVisibility(preset != CameraPreset::North && preset != CameraPreset::South);
    axes->SetZAxisVisibility(!flat && preset != CameraPreset::Top);
  }
  renderer->ResetCamera(localBounds.data());
  cam->Zoom(preset == CameraPreset::Iso ? 1.1 : 1.05);
  renderer->ResetCameraClippingRange();
}

BuiltScene buildScene(const SceneData& data, const SceneOptions& options, int interactiveShrink) {
  if (!data.volume && !data.map && !data.traces && data.meshes.empty())
    throw UsageError(
        "scene: nothing to show (need a volume, a map, drillhole traces or a mesh)");
  if (!(options.verticalExaggeration > 0.0) || !std::isfinite(options.verticalExaggeration))
    throw UsageError("scene: vertical exaggeration must be > 0, got " +
                     shortNumber(options.verticalExaggeration));
  if (options.isoLevels.size() > 3)
    throw UsageError("--iso: at most 3 levels (A, B, C), got " +
                     std::to_string(options.isoLevels.size()));
  BuiltScene scene;
  scene.renderer = vtkSmartPointer<vtkRenderer>::New();
  scene.renderer->SetBackground(1.0, 1.0, 1.0);
  // Translucent isosurfaces and fault surfaces inside a rendered volume composite correctly
  // only with depth peeling that includes volumes.
  scene.renderer->SetUseDepthPeeling(1);
  scene.renderer->SetUseDepthPeelingForVolumes(true);
  scene.renderer->SetMaximumNumberOfPeels(6);
  scene.renderer->SetOcclusionRatio(0.0);
  SceneFrame& frame = scene.frame;
  frame.ve = options.verticalExaggeration;
  SceneSummary& sum = scene.summary;
  auto legend = vtkSmartPointer<vtkLegendBoxActor>::New();
  struct Entry {
    vtkSmartPointer<vtkPolyData> symbol;
    std::string text;
    std::array<double, 3> rgb;
  };
  std::vector<Entry> entries;
  vtkNew<vtkCubeSource> square;
  square->SetZLength(0.0);
  square->Update();
  vtkNew<vtkSphereSource> disc;
  disc->SetThetaResolution(24);
  disc->Update();

  // World bounds of everything (metres).
  std::array<double, 6> wb{0, 0, 0, 0, 0, 0};
  ColorMap cmap = ColorMap::Prospectivity;
  vtkSmartPointer<vtkLookupTable> lut;
  if (data.volume) {
    const VolumeSpec& s = data.volume->spec();
    const auto names = data.volume->channelNames();
    if (names.empty()) throw UsageError("scene: the volume has no channels");
    std::string ch = data.channel;
    if (ch.empty()) ch = data.volume->hasChannel("prospectivity") ? "prospectivity" : names.front();
    if (!data.volume->hasChannel(ch)) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw UsageError("--channel: no channel '" + ch + "' (channels: " + list + ")");
    }
    sum.channel = ch;
    sum.units = data.volume->units(ch);
    wb = {s.origin[0], s.origin[0] + double(s.nx) * s.spacing[0],
          s.origin[1], s.origin[1] + double(s.ny) * s.spacing[1],
          s.origin[2], s.origin[2] + double(s.nz) * s.spacing[2]};
    frame.offset = {s.origin[0], s.origin[1], s.origin[2]};
    cmap = presetMap(options.preset, ch);

    const std::vector<float> values = data.volume->denseChannel(ch);
    const std::vector<std::uint8_t> active = data.volume->activeMask(ch);
    std::vector<double> valid;
    valid.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      if (active[i] && std::isfinite(values[i])) valid.push_back(values[i]);
    if (valid.empty()) throw UsageError("scene: channel '" + ch + "' has no active voxels");
    auto range = autoRange(cmap, valid);
    if (options.hi > options.lo) range = {options.lo, options.hi};
    sum.lo = range.first;
    sum.hi = range.second;
    const double lo = sum.lo, hi = sum.hi, span = hi - lo;

    // A/B/C levels, on the shown channel or on options.isoChannel.
    const std::string isoCh = options.isoChannel.empty() ? ch : options.isoChannel;
    if (!data.volume->hasChannel(isoCh))
      throw UsageError("--iso-channel: no channel '" + isoCh + "'");
    std::vector<float> isoValues;
    std::vector<std::uint8_t> isoActive;
    if (isoCh != ch) {
      isoValues = data.volume->denseChannel(isoCh);
      isoActive = data.volume->activeMask(isoCh);
    }
    const std::vector<float>& iv = isoCh == ch ? values : isoValues;
    const std::vector<std::uint8_t>& ia = isoCh == ch ? active : isoActive;
    sum.isoChannel = isoCh;
    sum.isoLevels = options.isoLevels;
    if (sum.isoLevels.empty() && options.defaultIso) {
      const ColorMap isoMap = presetMap(TransferPreset::Auto, isoCh);
      std::vector<double> isoValid;
      if (isoCh != ch) {
        for (std::size_t i = 0; i < iv.size(); ++i)
          if (ia[i] && std::isfinite(iv[i])) isoValid.push_back(iv[i]);
      }
      const std::vector<double>& q = isoCh == ch ? valid : isoValid;
      if (isoMap == ColorMap::Prospectivity && !q.empty())
        // The thresholds of the A/B/C target zones (top 1, 5 and 10 % of the volume,
        // targetZones' default): the isosurfaces outline the zones 'transfer predict' lists.
        sum.isoLevels = {percentile(q, 0.99), percentile(q, 0.95), percentile(q, 0.90)};
      else if (isoMap == ColorMap::Diverging)
        sum.isoLevels = {0.0};
    }
    valid.clear();
    valid.shrink_to_fit();

    // Volume rendering: column-filled values (continuous across the topography, so that
    // interpolation draws no false contour there) and a binary mask hiding the air.
    scene.image = imageOf(s, frame, fillColumns(values, active, s, float(lo)), ch.c_str());
    scene.dims = {int(s.nx), int(s.ny), int(s.nz)};
    auto mask = vtkSmartPointer<vtkImageData>::New();
    mask->SetDimensions(int(s.nx), int(s.ny), int(s.nz));
    mask->SetOrigin(scene.image->GetOrigin());
    mask->SetSpacing(scene.image->GetSpacing());
    {
      auto flags = vtkSmartPointer<vtkUnsignedCharArray>::New();
      flags->SetName("active");
      flags->SetNumberOfTuples(vtkIdType(values.size()));
      for (std::size_t i = 0; i < values.size(); ++i)
        flags->SetValue(vtkIdType(i), active[i] && std::isfinite(values[i]) ? 255 : 0);
      mask->GetPointData()->SetScalars(flags);
    }

    auto colour = colourFunction(cmap, lo, hi);
    lut = lookupTable(cmap, lo, hi);
    auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
    if (cmap == ColorMap::Prospectivity) {
      // Low prospectivity is see-through; the top of the range is nearly opaque.
      opacity->AddPoint(lo, 0.0);
      opacity->AddPoint(lo + 0.5 * span, 0.01);
      opacity->AddPoint(lo + 0.8 * span, 0.15);
      opacity->AddPoint(hi, 0.7);
    } else if (cmap == ColorMap::Diverging) {
      // Signed distances: a translucent shell around zero (the surface itself).
      opacity->AddPoint(lo, 0.0);
      opacity->AddPoint(-0.05 * hi, 0.0);
      opacity->AddPoint(0.0, 0.12);
      opacity->AddPoint(0.05 * hi, 0.0);
      opacity->AddPoint(hi, 0.0);
    } else {
      opacity->AddPoint(lo - 0.5, 0.0);
      opacity->AddPoint(lo - 0.49, 0.04);
      opacity->AddPoint(hi + 0.5, 0.04);
    }
    auto property = vtkSmartPointer<vtkVolumeProperty>::New();
    property->SetColor(colour);
    property->SetScalarOpacity(opacity);
    property->SetScalarOpacityUnitDistance(
        std::max({s.spacing[0], s.spacing[1], s.spacing[2] * frame.ve}));
    property->SetInterpolationType(cmap == ColorMap::Categorical ? VTK_NEAREST_INTERPOLATION
                                                                 : VTK_LINEAR_INTERPOLATION);
    property->ShadeOff();

    scene.volume = vtkSmartPointer<vtkLODProp3D>::New();
    // GPU ray casting (Mesa's llvmpipe where there is no GPU); fixed sample distances keep
    // renders deterministic.
    auto full = vtkSmartPointer<vtkGPUVolumeRayCastMapper>::New();
    full->SetInputData(scene.image);
    full->SetMaskInput(mask);
    full->SetMaskTypeToBinary();
    full->AutoAdjustSampleDistancesOff();
    full->SetImageSampleDistance(1.0f);
    // One sample per voxel along the ray: the fields are smooth at the voxel scale.
    full->SetSampleDistance(float(std::min({s.spacing[0], s.spacing[1], s.spacing[2] * frame.ve})));
    scene.fullLod = scene.volume->AddLOD(full, property, 0.0);
    if (interactiveShrink > 1) {
      auto shrink = vtkSmartPointer<vtkImageShrink3D>::New();
      shrink->SetInputData(scene.image);
      shrink->SetShrinkFactors(interactiveShrink, interactiveShrink, interactiveShrink);
      shrink->AveragingOff();  // subsample: values and mask stay aligned
      shrink->Update();
      auto shrinkMask = vtkSmartPointer<vtkImageShrink3D>::New();
      shrinkMask->SetInputData(mask);
      shrinkMask->SetShrinkFactors(interactiveShrink, interactiveShrink, interactiveShrink);
      shrinkMask->AveragingOff();
      shrinkMask->Update();
      // While moving: down-sampled voxels, one sample per coarse voxel and one ray per 3 x 3
      // pixels.
      auto coarse = vtkSmartPointer<vtkGPUVolumeRayCastMapper>::New();
      coarse->SetInputData(shrink->GetOutput());
      coarse->SetMaskInput(shrinkMask->GetOutput());
      coarse->SetMaskTypeToBinary();
      coarse->AutoAdjustSampleDistancesOff();
      coarse->SetImageSampleDistance(3.0f);
      coarse->SetSampleDistance(float(
          interactiveShrink * std::min({s.spacing[0], s.spacing[1], s.spacing[2] * frame.ve})));
      scene.coarseLod = scene.volume->AddLOD(coarse, property, 0.0);
    }
    scene.volume->AutomaticLODSelectionOff();
    scene.volume->SetSelectedLODID(scene.fullLod);
    scene.volume->SetVisibility(options.volumeRendering);
    scene.renderer->AddViewProp(scene.volume);

    // Isosurfaces on column-filled values.
    if (!sum.isoLevels.empty()) {
      double isoMin = sum.isoLevels[0];
      for (double l : sum.isoLevels) isoMin = std::min(isoMin, l);
      const auto filled = fillColumns(iv, ia, s, float(isoMin - std::abs(isoMin) - 1.0));
      auto isoImage = imageOf(s, frame, filled, isoCh.c_str());
      for (std::size_t l = 0; l < sum.isoLevels.size(); ++l) {
        vtkNew<vtkFlyingEdges3D> contour;
        contour->SetInputData(isoImage);
        contour->SetValue(0, sum.isoLevels[l]);
        contour->ComputeNormalsOn();
        contour->ComputeScalarsOff();
        contour->Update();
        auto poly = dropAirTriangles(contour->GetOutput(), ia, s, *isoImage);
        sum.isoTriangles.push_back(std::size_t(poly->GetNumberOfPolys()));
        auto actor = actorOf(poly, kIsoColours[l], kIsoOpacity[l], 1.0);
        actor->GetProperty()->SetSpecular(0.2);
        actor->SetVisibility(options.isoVisible[l]);
        scene.renderer->AddActor(actor);
        scene.isoActors.push_back(actor);
        scene.clippable.push_back(actor);
        const char* label[3] = {"A", "B", "C"};
        entries.push_back(
            {square->GetOutput(),
             std::string(label[l]) + ": " + isoCh +
                 (presetMap(TransferPreset::Auto, isoCh) == ColorMap::Diverging ? " = " : " >= ") +
                 shortNumber(sum.isoLevels[l]),
             {kIsoColours[l][0], kIsoColours[l][1], kIsoColours[l][2]}});
      }
    }

    // Slices: NaN (air) is transparent.
    std::vector<float> nanValues(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      nanValues[i] = active[i] ? values[i] : std::numeric_limits<float>::quiet_NaN();
    auto sliceImage = imageOf(s, frame, nanValues, ch.c_str());
    auto colours = vtkSmartPointer<vtkImageMapToColors>::New();
    colours->SetInputData(sliceImage);
    colours->SetLookupTable(lut);
    colours->SetOutputFormatToRGBA();
    colours->Update();
    for (int a = 0; a < 3; ++a) {
      auto actor = vtkSmartPointer<vtkImageActor>::New();
      actor->GetMapper()->SetInputConnection(colours->GetOutputPort());
      actor->InterpolateOff();
      scene.sliceActors[std::size_t(a)] = actor;
      scene.renderer->AddViewProp(actor);
      const double f = options.slices[std::size_t(a)];
      scene.setSlice(
          a, f < 0 ? -1 : int(std::lround(std::min(f, 1.0) * (scene.dims[std::size_t(a)] - 1))));
    }
  }

  // Drillhole traces alone: their bounds make the scene's frame and they get the colour bar.
  const bool tracesOnly = data.traces && !data.volume && !data.map;
  if (tracesOnly) {
    wb = traceBounds(*data.traces);
    frame.offset = {wb[0], wb[2], wb[4]};
  }
  // Meshes alone: their bounds make the frame and the first one names the scene.
  const bool meshesOnly = !data.volume && !data.map && !data.traces;
  if (meshesOnly) {
    bool first = true;
    for (const SceneMesh& sm : data.meshes) {
      if (!sm.mesh) continue;
      const MeshBounds b = sm.mesh->bounds();
      if (b.empty) continue;
      if (first) wb = {b.min.x(), b.max.x(), b.min.y(), b.max.y(), b.min.z(), b.max.z()};
      for (int a = 0; a < 3 && !first; ++a) {
        wb[std::size_t(2 * a)] = std::min(wb[std::size_t(2 * a)], b.min[a]);
        wb[std::size_t(2 * a + 1)] = std::max(wb[std::size_t(2 * a + 1)], b.max[a]);
      }
      first = false;
    }
    if (first) throw UsageError("scene: the meshes have no vertices");
    frame.offset = {wb[0], wb[2], wb[4]};
    sum.channel = data.meshes.front().label.empty() && data.meshes.front().mesh
                      ? data.meshes.front().mesh->name
                      : data.meshes.front().label;
  }
  double topZ = data.volume || tracesOnly || meshesOnly ? wb[5] : 0.0;
  if (std::isfinite(options.mapElevation)) topZ = options.mapElevation;
  if (!data.volume && !tracesOnly && !meshesOnly) frame.offset[2] = topZ;
  // 2D overlays float slightly above a draped map so that they are not hidden in it.
  double lift = 0.0;
  if (data.map) {
    const Extent e = data.map->grid().extent();
    lift = 0.002 * std::max(e.width(), e.height());
  }

  // Draped map.
  if (data.map) {
    const Raster& r = *data.map;
    if (r.bandCount() == 0) throw UsageError("scene: the map has no bands");
    long b = data.band.empty() ? 0 : r.bandIndex(data.band);
    if (b < 0) throw UsageError("--channel: the map has no band '" + data.band + "'");
    const Extent e = r.grid().extent();
    if (!data.volume) {
      frame.offset[0] = e.xmin;
      frame.offset[1] = e.ymin;
      wb = {e.xmin, e.xmax, e.ymin, e.ymax, topZ, topZ};
      sum.channel = r.band(std::size_t(b)).name;
      sum.units = r.band(std::size_t(b)).units;
      cmap = presetMap(options.preset, sum.channel);
    }
    ColorMap mapCmap = data.volume ? presetMap(options.preset, r.band(std::size_t(b)).name) : cmap;
    std::vector<double> valid;
    for (float v : r.band(std::size_t(b)).values)
      if (!r.isNodata(v) && std::isfinite(v)) valid.push_back(v);
    if (valid.empty())
      throw UsageError("scene: map band '" + r.band(std::size_t(b)).name + "' has no valid cells");
    auto range = autoRange(mapCmap, valid);
    if (!data.volume) {
      if (options.hi > options.lo) range = {options.lo, options.hi};
      sum.lo = range.first;
      sum.hi = range.second;
      lut = lookupTable(cmap, sum.lo, sum.hi);
    }
    vtkNew<vtkPlaneSource> plane;
    plane->SetOrigin(frame.x(e.xmin), frame.y(e.ymin), frame.z(topZ));
    plane->SetPoint1(frame.x(e.xmax), frame.y(e.ymin), frame.z(topZ));
    plane->SetPoint2(frame.x(e.xmin), frame.y(e.ymax), frame.z(topZ));
    plane->Update();
    auto texture = vtkSmartPointer<vtkTexture>::New();
    texture->SetInputData(mapTexture(r, std::size_t(b), mapCmap, range.first, range.second));
    texture->InterpolateOff();
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputConnection(plane->GetOutputPort());
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->SetTexture(texture);
    actor->GetProperty()->LightingOff();
    scene.renderer->AddActor(actor);
  }

  // Faults: traces at the top, surfaces as they are.
  if (data.faults) {
    std::vector<std::vector<std::array<double, 3>>> lines;
    for (const auto& l : data.faults->lines) {
      lines.emplace_back();
      for (const auto& p : l.points)
        lines.back().push_back({frame.x(p.x()), frame.y(p.y()), frame.z(topZ) + lift});
    }
    if (!lines.empty()) {
      auto actor = actorOf(linesPolyData(lines, false), kFaultColour, 1.0, 2.5);
      scene.renderer->AddActor(actor);
      auto sym = linesPolyData({{{-1, 0, 0}, {1, 0, 0}}}, false);
      entries.push_back({sym, "fault trace", {kFaultColour[0], kFaultColour[1], kFaultColour[2]}});
    }
    sum.faultLines = data.faults->lines.size();
    for (const auto& surf : data.faults->surfaces) {
      auto pts = vtkSmartPointer<vtkPoints>::New();
      for (const auto& v : surf.vertices)
        pts->InsertNextPoint(frame.x(v.x()), frame.y(v.y()), frame.z(v.z()));
      auto tris = vtkSmartPointer<vtkCellArray>::New();
      for (const auto& t : surf.triangles) {
        const vtkIdType ids[3] = {t[0], t[1], t[2]};
        tris->InsertNextCell(3, ids);
      }
      auto poly = vtkSmartPointer<vtkPolyData>::New();
      poly->SetPoints(pts);
      poly->SetPolys(tris);
      const double grey[3] = {0.45, 0.45, 0.55};
      auto actor = actorOf(poly, grey, 0.7, 1.0);
      scene.renderer->AddActor(actor);
      scene.clippable.push_back(actor);
    }
    sum.faultSurfaces = data.faults->surfaces.size();
    if (sum.faultSurfaces > 0)
      entries.push_back({square->GetOutput(), "fault surface", {0.45, 0.45, 0.55}});
  }

  // Meshes: ore solids and surfaces in their colours; the scene's bounds take them in.
  for (std::size_t n = 0; n < data.meshes.size(); ++n) {
    const SceneMesh& sm = data.meshes[n];
    if (!sm.mesh || sm.mesh->triangles.empty()) continue;
    const TriangleMesh& m = *sm.mesh;
    m.validate();
    auto pts = vtkSmartPointer<vtkPoints>::New();
    pts->SetDataTypeToDouble();
    pts->Allocate(vtkIdType(m.vertices.size()));
    for (const auto& v : m.vertices) pts->InsertNextPoint(frame.x(v.x()), frame.y(v.y()), frame.z(v.z()));
    auto tris = vtkSmartPointer<vtkCellArray>::New();
    tris->AllocateEstimate(vtkIdType(m.triangles.size()), 3);
    for (const auto& t : m.triangles) {
      const vtkIdType ids[3] = {vtkIdType(t[0]), vtkIdType(t[1]), vtkIdType(t[2])};
      tris->InsertNextCell(3, ids);
    }
    auto poly = vtkSmartPointer<vtkPolyData>::New();
    poly->SetPoints(pts);
    poly->SetPolys(tris);
    auto actor = actorOf(poly, sm.rgb.data(), std::clamp(sm.opacity, 0.0, 1.0), 1.0);
    actor->GetProperty()->SetSpecular(0.15);
    scene.renderer->AddActor(actor);
    scene.clippable.push_back(actor);
    entries.push_back({square->GetOutput(), sm.label.empty() ? m.name : sm.label, sm.rgb});
    const MeshBounds b = m.bounds();
    for (int a = 0; a < 3; ++a) {
      wb[std::size_t(2 * a)] = std::min(wb[std::size_t(2 * a)], b.min[a]);
      wb[std::size_t(2 * a + 1)] = std::max(wb[std::size_t(2 * a + 1)], b.max[a]);
    }
    ++sum.meshes;
    sum.meshTriangles += m.triangles.size();
  }

  // Target zones: outlines at the top.
  if (data.zones) {
    std::vector<std::vector<std::array<double, 3>>> rings;
    for (const auto& poly : *data.zones)
      for (const auto& ring : poly.rings) {
        rings.emplace_back();
        for (const auto& p : ring)
          rings.back().push_back({frame.x(p.x()), frame.y(p.y()), frame.z(topZ) + lift});
      }
    if (!rings.empty()) {
      scene.renderer->AddActor(actorOf(linesPolyData(rings, true), kZoneColour, 1.0, 3.0));
      auto sym = linesPolyData({{{-1, 0, 0}, {1, 0, 0}}}, false);
      entries.push_back({sym, "target zone", {kZoneColour[0], kZoneColour[1], kZoneColour[2]}});
    }
    sum.zones = data.zones->size();
  }

  // Drillhole traces, coloured by one interval field.
  std::vector<std::pair<long, std::string>> classNames = options.classNames;
  TraceLayer traceColours;
  if (data.traces) {
    traceColours = traceLayer(*data.traces, data.traceField, frame,
                              tracesOnly ? std::pair<double, double>{options.lo, options.hi}
                                         : std::pair<double, double>{0.0, 0.0},
                              std::max(2.0, options.height / 400.0));
    scene.renderer->AddActor(traceColours.actor);
    scene.clippable.push_back(traceColours.actor);
    sum.traces = data.traces->size();
    sum.traceField = traceColours.field;
    sum.traceLo = traceColours.lo;
    sum.traceHi = traceColours.hi;
    auto sym = linesPolyData({{{-1, 0, 0}, {1, 0, 0}}}, false);
    entries.push_back({sym,
                       "drillhole intervals (" + std::to_string(sum.traces) + ")" +
                           (traceColours.field.empty() ? "" : ", by " + traceColours.field),
                       {0.3, 0.3, 0.3}});
    if (tracesOnly) {
      sum.channel = traceColours.field;
      sum.lo = traceColours.lo;
      sum.hi = traceColours.hi;
      cmap = traceColours.map;
      lut = traceColours.lut;
      if (cmap == ColorMap::Categorical) classNames = traceColours.classNames;
    }
  }

  // Local bounds (needed for glyph size) before deposits.
  scene.localBounds = {frame.x(wb[0]), frame.x(wb[1]), frame.y(wb[2]),
                       frame.y(wb[3]), frame.z(wb[4]), frame.z(wb[5])};
  const double diag = std::sqrt(std::pow(scene.localBounds[1] - scene.localBounds[0], 2) +
                                std::pow(scene.localBounds[3] - scene.localBounds[2], 2) +
                                std::pow(scene.localBounds[5] - scene.localBounds[4], 2));

  // Deposits: known = spheres, hidden = cubes.
  if (data.deposits && data.deposits->size() > 0) {
    const SampleTable& d = *data.deposits;
    for (int known = 1; known >= 0; --known) {
      auto pts = vtkSmartPointer<vtkPoints>::New();
      for (std::size_t i = 0; i < d.size(); ++i) {
        const bool isKnown = !d.hasLabels() || d.labels[i] != 0;
        if (isKnown != bool(known)) continue;
        const double z = d.is3D() ? d.z[i] : topZ;
        pts->InsertNextPoint(frame.x(d.x[i]), frame.y(d.y[i]), frame.z(z));
      }
      if (pts->GetNumberOfPoints() == 0) continue;
      auto poly = vtkSmartPointer<vtkPolyData>::New();
      poly->SetPoints(pts);
      auto glyph = vtkSmartPointer<vtkGlyph3DMapper>::New();
      glyph->SetInputData(poly);
      if (known) {
        vtkNew<vtkSphereSource> sphere;
        sphere->SetRadius(0.008 * diag);
        sphere->SetThetaResolution(16);
        sphere->SetPhiResolution(12);
        glyph->SetSourceConnection(sphere->GetOutputPort());
      } else {
        vtkNew<vtkCubeSource> cube;
        cube->SetXLength(0.014 * diag);
        cube->SetYLength(0.014 * diag);
        cube->SetZLength(0.014 * diag);
        glyph->SetSourceConnection(cube->GetOutputPort());
      }
      glyph->ScalingOff();
      glyph->ScalarVisibilityOff();
      auto actor = vtkSmartPointer<vtkActor>::New();
      actor->SetMapper(glyph);
      const double* rgb = known ? kKnownColour : kHiddenColour;
      actor->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
      scene.renderer->AddActor(actor);
      entries.push_back({known ? disc->GetOutput() : square->GetOutput(),
                         std::string(known ? "known deposit (" : "hidden deposit (") +
                             std::to_string(pts->GetNumberOfPoints()) + ")",
                         {rgb[0], rgb[1], rgb[2]}});
    }
    sum.deposits = d.size();
  }

  // 3D target-zone centroids: diamonds in the grade's isosurface colour; the first
  // kMaxMarkerLabels get their label as 2D text anchored at the centroid, drawn over
  // the scene (a centroid often lies inside its own opaque isosurface).
  if (data.markers && !data.markers->empty()) {
    const std::vector<SceneMarker>& markers = *data.markers;
    for (int g = 0; g < 3; ++g) {
      auto pts = vtkSmartPointer<vtkPoints>::New();
      for (const SceneMarker& m : markers)
        if (m.grade == char('A' + g))
          pts->InsertNextPoint(frame.x(m.position[0]), frame.y(m.position[1]), frame.z(m.position[2]));
      if (pts->GetNumberOfPoints() == 0) continue;
      auto poly = vtkSmartPointer<vtkPolyData>::New();
      poly->SetPoints(pts);
      vtkNew<vtkSphereSource> diamond;  // 4 x 2 facets: an octahedron
      diamond->SetRadius(0.012 * diag);
      diamond->SetThetaResolution(4);
      diamond->SetPhiResolution(3);
      auto glyph = vtkSmartPointer<vtkGlyph3DMapper>::New();
      glyph->SetInputData(poly);
      glyph->SetSourceConnection(diamond->GetOutputPort());
      glyph->ScalingOff();
      glyph->ScalarVisibilityOff();
      auto actor = vtkSmartPointer<vtkActor>::New();
      actor->SetMapper(glyph);
      actor->GetProperty()->SetColor(kIsoColours[g][0], kIsoColours[g][1], kIsoColours[g][2]);
      actor->GetProperty()->EdgeVisibilityOn();
      actor->GetProperty()->SetEdgeColor(0.1, 0.1, 0.1);
      scene.renderer->AddActor(actor);
      entries.push_back({disc->GetOutput(),
                         "zone " + std::string(1, char('A' + g)) + " centroid (" +
                             std::to_string(pts->GetNumberOfPoints()) + ")",
                         {kIsoColours[g][0], kIsoColours[g][1], kIsoColours[g][2]}});
    }
    const int fontSize = std::max(10, options.height / 70);
    for (std::size_t i = 0; i < markers.size() && i < kMaxMarkerLabels; ++i) {
      const SceneMarker& m = markers[i];
      const int g = std::clamp(int(m.grade - 'A'), 0, 2);
      auto text = vtkSmartPointer<vtkTextActor>::New();
      text->SetInput(m.label.c_str());
      // Anchored at the centroid, a few pixels up and right of it, so the diamond shows.
      auto anchor = vtkSmartPointer<vtkCoordinate>::New();
      anchor->SetCoordinateSystemToWorld();
      anchor->SetValue(frame.x(m.position[0]), frame.y(m.position[1]), frame.z(m.position[2]));
      text->GetPositionCoordinate()->SetCoordinateSystemToDisplay();
      text->GetPositionCoordinate()->SetReferenceCoordinate(anchor);
      text->GetPositionCoordinate()->SetValue(0.6 * fontSize, 0.6 * fontSize);
      vtkTextProperty* tp = text->GetTextProperty();
      tp->SetFontSize(fontSize);
      tp->SetColor(0.05, 0.05, 0.05);
      tp->SetBackgroundColor(kIsoColours[g][0], kIsoColours[g][1], kIsoColours[g][2]);
      tp->SetBackgroundOpacity(0.85);
      tp->SetFrame(true);
      tp->SetFrameColor(0.1, 0.1, 0.1);
      tp->SetJustificationToLeft();
      tp->SetVerticalJustificationToBottom();
      tp->ShadowOff();
      scene.renderer->AddActor2D(text);
    }
    sum.markers = markers.size();
  }
  sum.bounds = wb;

  // Axes in real coordinates.
  if (options.axes) {
    auto axes = vtkSmartPointer<vtkCubeAxesActor>::New();
    scene.axes = axes;
    axes->SetBounds(scene.localBounds.data());
    axes->SetXAxisRange(wb[0], wb[1]);
    axes->SetYAxisRange(wb[2], wb[3]);
    axes->SetZAxisRange(wb[4], wb[5]);
    axes->SetCamera(scene.renderer->GetActiveCamera());
    // Drillhole traces alone may be in feet (Babbitt); everything else is in metres.
    const std::string u = tracesOnly && data.traces->unit == LengthUnit::Foot ? "ft" : "m";
    axes->SetXTitle(("Easting (" + u + ")").c_str());
    axes->SetYTitle(("Northing (" + u + ")").c_str());
    axes->SetZTitle(frame.ve == 1.0 ? ("Elevation (" + u + ")").c_str()
                                    : ("Elevation (" + u + ", VE x" + shortNumber(frame.ve) + ")").c_str());
    axes->SetXLabelFormat("%.0f");
    axes->SetYLabelFormat("%.0f");
    axes->SetZLabelFormat("%.0f");
    axes->SetLabelScaling(false, 0, 0, 0);  // full metres, no "x10^3" factor
    axes->SetFlyModeToOuterEdges();
    axes->SetGridLineLocation(vtkCubeAxesActor::VTK_GRID_LINES_FURTHEST);
    // Smaller text in small images, where the 1-2-5 tick labels would otherwise overlap.
    const double textScale = std::clamp(options.height / 1000.0, 0.6, 1.2);
    axes->SetScreenSize(10.0 * textScale);
    axes->SetLabelOffset(12.0 * textScale);
    axes->SetTitleOffset(18.0 * textScale);
    for (int i = 0; i < 3; ++i) {
      axes->GetTitleTextProperty(i)->SetColor(0.1, 0.1, 0.1);
      axes->GetLabelTextProperty(i)->SetColor(0.1, 0.1, 0.1);
      axes->GetTitleTextProperty(i)->SetFontSize(14);
      axes->GetLabelTextProperty(i)->SetFontSize(12);
    }
    axes->GetXAxesLinesProperty()->SetColor(0.3, 0.3, 0.3);
    axes->GetYAxesLinesProperty()->SetColor(0.3, 0.3, 0.3);
    axes->GetZAxesLinesProperty()->SetColor(0.3, 0.3, 0.3);
    scene.renderer->AddActor(axes);
  }

  if (options.scalarBar && lut) {
    auto bar = vtkSmartPointer<vtkScalarBarActor>::New();
    if (cmap == ColorMap::Categorical) {
      // One swatch per class, labelled with its code and name.
      auto classes = vtkSmartPointer<vtkLookupTable>::New();
      classes->IndexedLookupOn();
      const long a = std::lround(sum.lo), b = std::min(std::lround(sum.hi), a + 63);
      classes->SetNumberOfTableValues(vtkIdType(b - a + 1));
      for (long c = a; c <= b; ++c) {
        double rgb[3];
        categoricalColour(c, rgb);
        classes->SetTableValue(vtkIdType(c - a), rgb[0], rgb[1], rgb[2], 1.0);
        std::string label = std::to_string(c);
        for (const auto& [code, name] : classNames)
          if (code == c) label += " " + name;
        classes->SetAnnotation(vtkVariant(double(c)), label);
      }
      bar->SetLookupTable(classes);
      bar->DrawAnnotationsOn();
      bar->GetAnnotationTextProperty()->SetColor(0.1, 0.1, 0.1);
      bar->GetAnnotationTextProperty()->SetFontSize(std::max(11, options.height / 60));
      bar->GetAnnotationTextProperty()->ShadowOff();
      bar->GetAnnotationTextProperty()->ItalicOff();
    } else {
      bar->SetLookupTable(lut);
    }
    const std::string title =
        sum.units.empty() ? sum.channel : sum.channel + "\n(" + sum.units + ")";
    bar->SetTitle(title.c_str());
    bar->SetNumberOfLabels(5);
    bar->SetOrientationToVertical();
    bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    // In its own strip right of the scene (class names are drawn right of the swatches).
    bar->GetPositionCoordinate()->SetValue(cmap == ColorMap::Categorical ? 0.0 : 0.25, 0.12);
    bar->SetWidth(cmap == ColorMap::Categorical ? 0.3 : 0.6);
    bar->SetHeight(0.62);
    bar->UnconstrainedFontSizeOn();
    bar->GetTitleTextProperty()->SetColor(0.1, 0.1, 0.1);
    bar->GetTitleTextProperty()->SetFontSize(std::max(12, options.height / 55));
    bar->GetTitleTextProperty()->ItalicOff();
    bar->GetTitleTextProperty()->ShadowOff();
    bar->GetLabelTextProperty()->SetColor(0.1, 0.1, 0.1);
    bar->GetLabelTextProperty()->SetFontSize(std::max(11, options.height / 65));
    bar->GetLabelTextProperty()->ItalicOff();
    bar->GetLabelTextProperty()->ShadowOff();
    bar->SetTextPositionToPrecedeScalarBar();
    scene.renderer->SetViewport(0.0, 0.0, kSceneWidth, 1.0);
    scene.overlay = vtkSmartPointer<vtkRenderer>::New();
    scene.overlay->SetViewport(kSceneWidth, 0.0, 1.0, 1.0);
    scene.overlay->SetBackground(1.0, 1.0, 1.0);
    scene.overlay->InteractiveOff();
    scene.overlay->AddActor2D(bar);
    if (data.traces && !tracesOnly && traceColours.lut) {
      // Traces over a volume or map: their own colour bar below the scene's.
      bar->GetPositionCoordinate()->SetValue(cmap == ColorMap::Categorical ? 0.0 : 0.25, 0.5);
      bar->SetHeight(0.4);
      auto traceBar = vtkSmartPointer<vtkScalarBarActor>::New();
      if (traceColours.map == ColorMap::Categorical) {
        auto classes = vtkSmartPointer<vtkLookupTable>::New();
        classes->IndexedLookupOn();
        const long n = std::min<long>(long(traceColours.classNames.size()), 64);
        classes->SetNumberOfTableValues(vtkIdType(std::max(1L, n)));
        for (long c = 0; c < n; ++c) {
          double rgb[3];
          categoricalColour(c, rgb);
          classes->SetTableValue(vtkIdType(c), rgb[0], rgb[1], rgb[2], 1.0);
          classes->SetAnnotation(vtkVariant(double(c)), traceColours.classNames[std::size_t(c)].second);
        }
        traceBar->SetLookupTable(classes);
        traceBar->DrawAnnotationsOn();
        traceBar->GetAnnotationTextProperty()->SetColor(0.1, 0.1, 0.1);
        traceBar->GetAnnotationTextProperty()->SetFontSize(std::max(11, options.height / 60));
        traceBar->GetAnnotationTextProperty()->ShadowOff();
        traceBar->GetAnnotationTextProperty()->ItalicOff();
      } else {
        traceBar->SetLookupTable(traceColours.lut);
      }
      traceBar->SetTitle(("drillholes\n" + traceColours.field).c_str());
      traceBar->SetNumberOfLabels(4);
      traceBar->SetOrientationToVertical();
      traceBar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
      traceBar->GetPositionCoordinate()->SetValue(traceColours.map == ColorMap::Categorical ? 0.0 : 0.25, 0.05);
      traceBar->SetWidth(traceColours.map == ColorMap::Categorical ? 0.3 : 0.6);
      traceBar->SetHeight(0.36);
      traceBar->UnconstrainedFontSizeOn();
      for (vtkTextProperty* tp : {traceBar->GetTitleTextProperty(), traceBar->GetLabelTextProperty()}) {
        tp->SetColor(0.1, 0.1, 0.1);
        tp->ItalicOff();
        tp->ShadowOff();
      }
      traceBar->GetTitleTextProperty()->SetFontSize(std::max(12, options.height / 55));
      traceBar->GetLabelTextProperty()->SetFontSize(std::max(11, options.height / 65));
      traceBar->SetTextPositionToPrecedeScalarBar();
      scene.overlay->AddActor2D(traceBar);
    }
  }

  if (options.legend && !entries.empty()) {
    legend->SetNumberOfEntries(int(entries.size()));
    for (std::size_t i = 0; i < entries.size(); ++i)
      legend->SetEntry(int(i), entries[i].symbol, entries[i].text.c_str(), entries[i].rgb.data());
    legend->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    legend->GetPositionCoordinate()->SetValue(0.01, 0.01);
    legend->GetPosition2Coordinate()->SetValue(0.24, std::min(0.3, 0.03 * double(entries.size())));
    legend->UseBackgroundOn();
    legend->SetBackgroundColor(1.0, 1.0, 1.0);
    legend->SetBackgroundOpacity(0.85);
    legend->GetEntryTextProperty()->SetColor(0.1, 0.1, 0.1);
    legend->GetEntryTextProperty()->ShadowOff();
    legend->BorderOn();
    scene.renderer->AddActor2D(legend);
  }

  {
    std::string title = options.title.empty()
                            ? sum.channel + (sum.units.empty() ? "" : " (" + sum.units + ")")
                            : options.title;
    if (frame.ve != 1.0) title += "   vertical exaggeration x" + shortNumber(frame.ve);
    auto text = vtkSmartPointer<vtkTextActor>::New();
    text->SetInput(title.c_str());
    text->GetTextProperty()->SetFontSize(std::max(14, options.height / 40));
    text->GetTextProperty()->SetColor(0.05, 0.05, 0.05);
    text->GetTextProperty()->SetVerticalJustificationToTop();
    text->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    text->GetPositionCoordinate()->SetValue(0.01, 0.985);
    scene.renderer->AddActor2D(text);
  }

  if (options.clipBox) {
    const auto& c = *options.clipBox;
    if (!(c[1] > c[0] && c[3] > c[2] && c[5] > c[4]))
      throw UsageError("--clip: expected xmin,xmax,ymin,ymax,zmin,zmax with min < max");
    // Mappers keep the side a clipping plane's normal points to: normals point into the box.
    const double b[6] = {frame.x(c[0]), frame.x(c[1]), frame.y(c[2]),
                         frame.y(c[3]), frame.z(c[4]), frame.z(c[5])};
    vtkNew<vtkPoints> origins;
    vtkNew<vtkDoubleArray> normals;
    normals->SetNumberOfComponents(3);
    for (int a = 0; a < 3; ++a) {
      for (int side = 0; side < 2; ++side) {
        double o[3] = {b[0], b[2], b[4]}, n[3] = {0, 0, 0};
        o[a] = b[2 * a + side];
        n[a] = side == 0 ? 1.0 : -1.0;
        origins->InsertNextPoint(o);
        normals->InsertNextTuple(n);
      }
    }
    vtkNew<vtkPlanes> planes;
    planes->SetPoints(origins);
    planes->SetNormals(normals);
    scene.setClipPlanes(planes);
  }
  scene.setCamera(options.camera);
  return scene;
}

}  // namespace vizdetail

SceneSummary renderScenePng(const SceneData& data, const SceneOptions& options,
                            const std::string& path) {
  checkOutputPath(path);  // the folder, before the (slow) build
  vizdetail::requireDisplay("render " + path);
  vizdetail::BuiltScene scene = vizdetail::buildScene(data, options, 1);
  vtkNew<vtkRenderWindow> window;
  window->SetOffScreenRendering(1);
  window->SetMultiSamples(0);
  window->SetAlphaBitPlanes(1);
  window->SetSize(options.width, options.height);
  window->AddRenderer(scene.renderer);
  if (scene.overlay) window->AddRenderer(scene.overlay);
  vizdetail::writeWindowPng(window, path);
  return scene.summary;
}

}  // namespace orevox
