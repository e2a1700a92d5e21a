#include "orevox/voxel/voxel_model.hpp"

#include <openvdb/openvdb.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <mutex>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace orevox {

namespace {

using openvdb::Coord;
using openvdb::CoordBBox;
using openvdb::FloatGrid;
using openvdb::FloatTree;
using openvdb::Vec3d;
using LeafT = FloatTree::LeafNodeType;

// File-level metadata keys; their presence marks a .vdb written by orevox.
const char* const kMetaNx = "orevox_box_nx";
const char* const kMetaNy = "orevox_box_ny";
const char* const kMetaNz = "orevox_box_nz";
const char* const kMetaOrigin = "orevox_box_origin";
const char* const kMetaSpacing = "orevox_box_spacing";
const char* const kMetaCrs = "orevox_crs_wkt";
const char* const kMetaUnits = "units";  // per grid

void initOpenVdb() {
  static std::once_flag once;
  std::call_once(once, [] { openvdb::initialize(); });
}

void checkSpec(const VolumeSpec& spec) {
  const std::size_t maxDim = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  if (spec.nx == 0 || spec.ny == 0 || spec.nz == 0) {
    throw UsageError("voxel box must have at least one voxel along each axis, got " +
                     std::to_string(spec.nx) + " x " + std::to_string(spec.ny) + " x " +
                     std::to_string(spec.nz));
  }
  if (spec.nx > maxDim || spec.ny > maxDim || spec.nz > maxDim) {
    throw UsageError("voxel box is larger than OpenVDB's 32-bit index space");
  }
  for (int a = 0; a < 3; ++a) {
    if (!(spec.spacing[a] > 0.0) || !std::isfinite(spec.spacing[a]) ||
        !std::isfinite(spec.origin[a])) {
      throw UsageError("voxel spacing must be positive and the origin finite (axis " +
                       std::to_string(a) + ": spacing " + std::to_string(spec.spacing[a]) +
                       ", origin " + std::to_string(spec.origin[a]) + ")");
    }
  }
}

// Index (i, j, k) -> world origin + (i + 0.5) * spacing: OpenVDB places voxel centres at
// integer index coordinates, so the map translates by origin + half a voxel.
openvdb::math::Transform::Ptr makeTransform(const VolumeSpec& spec) {
  const Vec3d scale(spec.spacing[0], spec.spacing[1], spec.spacing[2]);
  const Vec3d shift(spec.origin[0] + 0.5 * spec.spacing[0], spec.origin[1] + 0.5 * spec.spacing[1],
                    spec.origin[2] + 0.5 * spec.spacing[2]);
  openvdb::math::MapBase::Ptr map;
  if (scale[0] == scale[1] && scale[1] == scale[2]) {
    map = std::make_shared<openvdb::math::UniformScaleTranslateMap>(scale[0], shift);
  } else {
    map = std::make_shared<openvdb::math::ScaleTranslateMap>(scale, shift);
  }
  return std::make_shared<openvdb::math::Transform>(map);
}

bool insideBox(const VolumeSpec& spec, long i, long j, long k) {
  return i >= 0 && j >= 0 && k >= 0 && std::size_t(i) < spec.nx && std::size_t(j) < spec.ny &&
         std::size_t(k) < spec.nz;
}

CoordBBox boxOf(const VolumeSpec& spec) {
  return CoordBBox(Coord(0, 0, 0), Coord(int(spec.nx) - 1, int(spec.ny) - 1, int(spec.nz) - 1));
}

// Calls onTile(bbox, value) for every active tile and onLeaf(leaf) for every leaf that
// overlaps `clip`; tiles come clipped.
template <typename TileFn, typename LeafFn>
void visitNodes(const FloatTree& tree, const CoordBBox& clip, TileFn&& onTile, LeafFn&& onLeaf,
                bool parallel) {
  FloatTree::ValueOnCIter tile = tree.cbeginValueOn();
  tile.setMaxDepth(FloatTree::ValueOnCIter::LEAF_DEPTH - 1);
  for (; tile; ++tile) {
    CoordBBox box;
    tile.getBoundingBox(box);
    box.intersect(clip);
    if (!box.empty()) onTile(box, *tile);
  }
  std::vector<const LeafT*> leaves;
  tree.getNodes(leaves);
  auto visit = [&](std::size_t n) {
    if (clip.hasOverlap(leaves[n]->getNodeBoundingBox())) onLeaf(*leaves[n]);
  };
  if (parallel) {
    // Distinct leaves hold distinct voxels, so callers writing per voxel never collide.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, leaves.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t n = r.begin(); n != r.end(); ++n) visit(n);
                      });
  } else {
    for (std::size_t n = 0; n < leaves.size(); ++n) visit(n);
  }
}

// Calls fn(coord, value) for every active voxel inside `clip`, tiles expanded voxel by voxel.
template <typename Fn>
void visitActive(const FloatTree& tree, const CoordBBox& clip, Fn&& fn, bool parallel) {
  visitNodes(
      tree, clip,
      [&](const CoordBBox& box, float v) {
        for (auto c = box.begin(); c; ++c) fn(*c, v);
      },
      [&](const LeafT& leaf) {
        for (auto it = leaf.cbeginValueOn(); it; ++it) {
          if (clip.isInside(it.getCoord())) fn(it.getCoord(), *it);
        }
      },
      parallel);
}

// fn(linear index, value) for every active voxel in the box, leaves in parallel.
template <typename Fn>
void scatterActive(const FloatTree& tree, const VolumeSpec& spec, Fn&& fn) {
  visitActive(
      tree, boxOf(spec),
      [&](const Coord& c, float v) {
        fn(spec.index(std::size_t(c.x()), std::size_t(c.y()), std::size_t(c.z())), v);
      },
      true);
}

}  // namespace

struct VoxelModel::Impl {
  struct Channel {
    std::string name;
    std::string units;
    FloatGrid::Ptr grid;
  };

  VolumeSpec spec;
  openvdb::math::Transform::Ptr transform;
  std::vector<Channel> channels;

  long find(const std::string& name) const {
    for (std::size_t c = 0; c < channels.size(); ++c) {
      if (channels[c].name == name) return static_cast<long>(c);
    }
    return -1;
  }

  const Channel& channel(const std::string& name) const {
    const long c = find(name);
    if (c < 0) {
      std::string names;
      for (const auto& ch : channels) names += (names.empty() ? "" : ", ") + ch.name;
      throw UsageError("voxel model has no channel named '" + name +
                       "' (channels: " + (names.empty() ? "none" : names) + ")");
    }
    return channels[static_cast<std::size_t>(c)];
  }
  Channel& channel(const std::string& name) {
    return const_cast<Channel&>(static_cast<const Impl&>(*this).channel(name));
  }

  FloatGrid::Ptr newGrid(const std::string& name, float background,
                         const std::string& units) const {
    FloatGrid::Ptr grid = FloatGrid::create(background);
    grid->setName(name);
    grid->setTransform(transform);
    if (!units.empty()) grid->insertMeta(kMetaUnits, openvdb::StringMetadata(units));
    return grid;
  }

  void deepCopyFrom(const Impl& other) {
    spec = other.spec;
    transform = other.transform ? other.transform->copy() : nullptr;
    channels.clear();
    for (const auto& ch : other.channels) {
      FloatGrid::Ptr grid = ch.grid->deepCopy();
      grid->setTransform(transform);
      channels.push_back(Channel{ch.name, ch.units, grid});
    }
  }
};

VoxelModel::VoxelModel() : impl_(std::make_unique<Impl>()) { initOpenVdb(); }

VoxelModel::VoxelModel(VolumeSpec spec) : impl_(std::make_unique<Impl>()) {
  initOpenVdb();
  checkSpec(spec);
  impl_->spec = std::move(spec);
  impl_->transform = makeTransform(impl_->spec);
}

VoxelModel::~VoxelModel() = default;
VoxelModel::VoxelModel(VoxelModel&&) noexcept = default;
VoxelModel& VoxelModel::operator=(VoxelModel&&) noexcept = default;

VoxelModel::VoxelModel(const VoxelModel& other) : impl_(std::make_unique<Impl>()) {
  impl_->deepCopyFrom(*other.impl_);
}

VoxelModel& VoxelModel::operator=(const VoxelModel& other) {
  if (this != &other) {
    auto copy = std::make_unique<Impl>();
    copy->deepCopyFrom(*other.impl_);
    impl_ = std::move(copy);
  }
  return *this;
}

const VolumeSpec& VoxelModel::spec() const { return impl_->spec; }

std::vector<std::string> VoxelModel::channelNames() const {
  std::vector<std::string> names;
  for (const auto& ch : impl_->channels) names.push_back(ch.name);
  return names;
}

bool VoxelModel::hasChannel(const std::string& name) const { return impl_->find(name) >= 0; }

void VoxelModel::addChannel(const std::string& name, float background, const std::string& units) {
  if (!impl_->transform)
    throw UsageError("voxel model has no box: construct it from a VolumeSpec first");
  if (name.empty()) throw UsageError("voxel channel name is empty");
  if (hasChannel(name)) throw UsageError("voxel model already has a channel named '" + name + "'");
  impl_->channels.push_back(Impl::Channel{name, units, impl_->newGrid(name, background, units)});
}

void VoxelModel::removeChannel(const std::string& name) {
  const long c = impl_->find(name);
  if (c < 0) impl_->channel(name);  // throws the message listing the channels
  impl_->channels.erase(impl_->channels.begin() + c);
}

std::string VoxelModel::units(const std::string& channel) const {
  return impl_->channel(channel).units;
}

float VoxelModel::background(const std::string& channel) const {
  return impl_->channel(channel).grid->background();
}

void VoxelModel::setValue(const std::string& channel, std::size_t i, std::size_t j, std::size_t k,
                          float v) {
  const auto& spec = impl_->spec;
  if (i >= spec.nx || j >= spec.ny || k >= spec.nz) {
    throw UsageError("voxel (" + std::to_string(i) + ", " + std::to_string(j) + ", " +
                     std::to_string(k) + ") is outside the " + std::to_string(spec.nx) + " x " +
                     std::to_string(spec.ny) + " x " + std::to_string(spec.nz) + " box");
  }
  impl_->channel(channel).grid->tree().setValue(Coord(int(i), int(j), int(k)), v);
}

float VoxelModel::value(const std::string& channel, long i, long j, long k) const {
  const FloatGrid& grid = *impl_->channel(channel).grid;
  if (!insideBox(impl_->spec, i, j, k)) return grid.background();
  float v = 0.0f;
  return grid.tree().probeValue(Coord(int(i), int(j), int(k)), v) ? v : grid.background();
}

bool VoxelModel::isActive(const std::string& channel, long i, long j, long k) const {
  const FloatGrid& grid = *impl_->channel(channel).grid;
  return insideBox(impl_->spec, i, j, k) && grid.tree().isValueOn(Coord(int(i), int(j), int(k)));
}

std::size_t VoxelModel::activeVoxelCount(const std::string& channel) const {
  return static_cast<std::size_t>(impl_->channel(channel).grid->activeVoxelCount());
}

std::size_t VoxelModel::memoryBytes() const {
  std::size_t bytes = 0;
  for (const auto& ch : impl_->channels) bytes += static_cast<std::size_t>(ch.grid->memUsage());
  return bytes;
}

void VoxelModel::setChannel(const std::string& name, const std::vector<float>& values,
                            const std::vector<std::uint8_t>* active, const std::string& units,
                            float background) {
  const VolumeSpec& spec = impl_->spec;
  if (!impl_->transform)
    throw UsageError("voxel model has no box: construct it from a VolumeSpec first");
  if (name.empty()) throw UsageError("voxel channel name is empty");
  if (values.size() != spec.size()) {
    throw UsageError("channel '" + name + "': " + std::to_string(values.size()) +
                     " values for a box of " + std::to_string(spec.size()) + " voxels");
  }
  if (active && active->size() != spec.size()) {
    throw UsageError("channel '" + name + "': " + std::to_string(active->size()) +
                     " activity flags for a box of " + std::to_string(spec.size()) + " voxels");
  }

  // Slabs of 8 z-layers match the leaf depth, so the per-slab trees never share a leaf and
  // merging them only moves nodes.
  const std::size_t leafDim = LeafT::DIM;
  const std::size_t slabs = (spec.nz + leafDim - 1) / leafDim;
  const float* v = values.data();
  const std::uint8_t* a = active ? active->data() : nullptr;
  using TreePtr = FloatTree::Ptr;
  TreePtr tree = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, slabs, 1), TreePtr(),
      [&](const tbb::blocked_range<std::size_t>& r, TreePtr acc) {
        if (!acc) acc = std::make_shared<FloatTree>(background);
        openvdb::tree::ValueAccessor<FloatTree> access(*acc);
        const std::size_t k0 = r.begin() * leafDim;
        const std::size_t k1 = std::min(spec.nz, r.end() * leafDim);
        for (std::size_t k = k0; k < k1; ++k) {
          for (std::size_t j = 0; j < spec.ny; ++j) {
            const std::size_t row = spec.index(0, j, k);
            for (std::size_t i = 0; i < spec.nx; ++i) {
              if (a && !a[row + i]) continue;
              access.setValue(Coord(int(i), int(j), int(k)), v[row + i]);
            }
          }
        }
        return acc;
      },
      [](TreePtr x, TreePtr y) {
        if (!x) return y;
        if (!y) return x;
        x->merge(*y);
        return x;
      });
  if (!tree) tree = std::make_shared<FloatTree>(background);
  // Collapses uniform leaves (same value, same state) into tiles; exact, no tolerance.
  tree->prune();

  const long c = impl_->find(name);
  const std::string keptUnits =
      (units.empty() && c >= 0) ? impl_->channels[std::size_t(c)].units : units;
  FloatGrid::Ptr grid = impl_->newGrid(name, background, keptUnits);
  grid->setTree(tree);
  if (c >= 0) {
    impl_->channels[std::size_t(c)] = Impl::Channel{name, keptUnits, grid};
  } else {
    impl_->channels.push_back(Impl::Channel{name, keptUnits, grid});
  }
}

std::vector<float> VoxelModel::denseChannel(const std::string& name) const {
  const FloatGrid& grid = *impl_->channel(name).grid;
  std::vector<float> out(impl_->spec.size(), grid.background());
  scatterActive(grid.tree(), impl_->spec, [&](std::size_t idx, float v) { out[idx] = v; });
  return out;
}

std::vector<std::uint8_t> VoxelModel::activeMask(const std::string& name) const {
  const FloatGrid& grid = *impl_->channel(name).grid;
  std::vector<std::uint8_t> out(impl_->spec.size(), 0);
  scatterActive(grid.tree(), impl_->spec, [&](std::size_t idx, float) { out[idx] = 1; });
  return out;
}

void VoxelModel::copyBox(const std::string& channel, long i0, long j0, long k0, std::size_t ni,
                         std::size_t nj, std::size_t nk, float* values,
                         std::uint8_t* active) const {
  const FloatGrid& grid = *impl_->channel(channel).grid;
  const float bg = grid.background();
  openvdb::tree::ValueAccessor<const FloatTree> access(grid.tree());
  std::size_t n = 0;
  for (std::size_t dk = 0; dk < nk; ++dk) {
    for (std::size_t dj = 0; dj < nj; ++dj) {
      for (std::size_t di = 0; di < ni; ++di, ++n) {
        const long i = i0 + long(di), j = j0 + long(dj), k = k0 + long(dk);
        float v = bg;
        const bool on =
            insideBox(impl_->spec, i, j, k) && access.probeValue(Coord(int(i), int(j), int(k)), v);
        values[n] = on ? v : bg;
        if (active) active[n] = on ? 1 : 0;
      }
    }
  }
}

void VoxelModel::forEachActive(
    const std::string& channel,
    const std::function<void(std::size_t, std::size_t, std::size_t, float)>& fn) const {
  const FloatGrid& grid = *impl_->channel(channel).grid;
  const VolumeSpec& spec = impl_->spec;
  visitActive(
      grid.tree(), boxOf(spec),
      [&](const Coord& c, float v) {
        fn(std::size_t(c.x()), std::size_t(c.y()), std::size_t(c.z()), v);
      },
      false);
}

VoxelModel VoxelModel::fromDense(const DenseVolume& volume,
                                 const std::vector<std::uint8_t>* active) {
  VoxelModel model(volume.spec());
  for (const auto& ch : volume.channels())
    model.setChannel(ch.name, ch.values, active, ch.units, 0.0f);
  return model;
}

DenseVolume VoxelModel::toDense(const std::vector<std::string>& channels) const {
  DenseVolume out(impl_->spec);
  const std::vector<std::string> names = channels.empty() ? channelNames() : channels;
  for (const auto& name : names) {
    std::vector<float> values = denseChannel(name);
    out.addChannel(name, 0.0f, units(name)).values = std::move(values);
  }
  return out;
}

bool VoxelModel::worldToVoxel(double x, double y, double z, long& i, long& j, long& k) const {
  const VolumeSpec& spec = impl_->spec;
  const double w[3] = {x, y, z};
  const std::size_t n[3] = {spec.nx, spec.ny, spec.nz};
  long out[3] = {0, 0, 0};
  for (int a = 0; a < 3; ++a) {
    double t = (w[a] - spec.origin[a]) / spec.spacing[a];
    if (!std::isfinite(t)) return false;
    // A point on a voxel face (up to rounding) belongs to the voxel above it, so faces
    // map the same way however the division rounds.
    const double r = std::round(t);
    if (std::abs(t - r) < 1e-9 * std::max(1.0, std::abs(t))) t = r;
    const double f = std::floor(t);
    if (f < 0.0 || f >= double(n[a])) return false;
    out[a] = static_cast<long>(f);
  }
  i = out[0];
  j = out[1];
  k = out[2];
  return true;
}

namespace {

// OpenVDB's file header: magic (8 bytes), file version (4), library major and minor (4 + 4),
// a grid-offsets flag (1), then the file's UUID as 36 ASCII characters, drawn at random.
constexpr std::size_t kUuidOffset = 21;
constexpr std::size_t kUuidLength = 36;

bool looksLikeUuid(const std::string& text) {
  if (text.size() != kUuidLength) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (text[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

/// Replaces the random UUID OpenVDB wrote into `temp` by one derived from the rest of the
/// file (a name-based, version-5-style UUID of its bytes), so that the same model gives
/// the same bytes and a checksum tells a changed result. Errors name `path`.
void replaceRandomUuid(const std::string& temp, const std::string& path) {
  std::fstream file(temp, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof())
    throw IoError("cannot read back the OpenVDB file", SourceLocation{path, 0, 0, {}, {}});
  if (bytes.size() < kUuidOffset + kUuidLength ||
      !looksLikeUuid(bytes.substr(kUuidOffset, kUuidLength)))
    return;  // another header layout: left as OpenVDB wrote it
  // Two 64-bit lanes of a multiply-xorshift hash over everything but the UUID.
  std::uint64_t h1 = 0x9E3779B97F4A7C15ULL, h2 = 0xC2B2AE3D27D4EB4FULL;
  auto mix = [](std::uint64_t h, unsigned char c, std::uint64_t k) {
    h ^= c;
    h *= k;
    return h ^ (h >> 29);
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i >= kUuidOffset && i < kUuidOffset + kUuidLength) continue;
    const auto c = static_cast<unsigned char>(bytes[i]);
    h1 = mix(h1, c, 0x100000001B3ULL);
    h2 = mix(h2, c, 0xFF51AFD7ED558CCDULL);
  }
  unsigned char u[16];
  for (int i = 0; i < 8; ++i) {
    u[i] = static_cast<unsigned char>(h1 >> (8 * i));
    u[8 + i] = static_cast<unsigned char>(h2 >> (8 * i));
  }
  u[6] = static_cast<unsigned char>((u[6] & 0x0F) | 0x50);  // version 5: name-based
  u[8] = static_cast<unsigned char>((u[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char* hex = "0123456789abcdef";
  std::string uuid;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += hex[u[i] >> 4];
    uuid += hex[u[i] & 15];
  }
  file.clear();
  file.seekp(std::streamoff(kUuidOffset));
  file.write(uuid.data(), std::streamsize(uuid.size()));
  file.close();
  if (!file) throw IoError("cannot write OpenVDB file header", SourceLocation{path, 0, 0, {}, {}});
}

}  // namespace

void VoxelModel::write(const std::string& path) const {
  if (!impl_->transform)
    throw UsageError("voxel model has no box: nothing to write to '" + path + "'");
  const VolumeSpec& spec = impl_->spec;
  AtomicOutput out(path);
  openvdb::GridCPtrVec grids;
  for (const auto& ch : impl_->channels) grids.push_back(ch.grid);
  openvdb::MetaMap meta;
  meta.insertMeta(kMetaNx, openvdb::Int64Metadata(static_cast<std::int64_t>(spec.nx)));
  meta.insertMeta(kMetaNy, openvdb::Int64Metadata(static_cast<std::int64_t>(spec.ny)));
  meta.insertMeta(kMetaNz, openvdb::Int64Metadata(static_cast<std::int64_t>(spec.nz)));
  meta.insertMeta(kMetaOrigin,
                  openvdb::Vec3DMetadata(Vec3d(spec.origin[0], spec.origin[1], spec.origin[2])));
  meta.insertMeta(kMetaSpacing,
                  openvdb::Vec3DMetadata(Vec3d(spec.spacing[0], spec.spacing[1], spec.spacing[2])));
  meta.insertMeta(kMetaCrs, openvdb::StringMetadata(spec.crsWkt));
  try {
    openvdb::io::File file(out.tempPath());
    file.write(grids, meta);
    file.close();
  } catch (const openvdb::Exception& e) {
    throw IoError(std::string("cannot write OpenVDB file: ") + e.what(),
                  SourceLocation{path, 0, 0, {}, {}});
  } catch (const std::exception& e) {
    throw IoError(std::string("cannot write OpenVDB file: ") + e.what(),
                  SourceLocation{path, 0, 0, {}, {}});
  }
  replaceRandomUuid(out.tempPath(), path);
  out.commit();
}

namespace {

// Box of a .vdb not written by orevox: the union of the grids' active bounds, on their
// shared axis-aligned linear transform.
VolumeSpec inferSpec(const std::vector<FloatGrid::Ptr>& grids, const std::string& path,
                     Coord& offset) {
  const SourceLocation where{path, 0, 0, {}, {}};
  const openvdb::math::Transform& xf = grids.front()->transform();
  for (const auto& g : grids) {
    if (!(g->transform() == xf)) {
      throw DataError("grid '" + g->getName() + "' has a different transform from grid '" +
                          grids.front()->getName() + "'; a voxel model needs one shared transform",
                      where);
    }
  }
  if (!xf.isLinear())
    throw DataError("grid transform is not linear (frustum maps are not supported)", where);
  const Vec3d c0 = xf.indexToWorld(Vec3d(0, 0, 0));
  VolumeSpec spec;
  for (int a = 0; a < 3; ++a) {
    Vec3d unit(0, 0, 0);
    unit[a] = 1.0;
    const Vec3d step = xf.indexToWorld(unit) - c0;
    for (int b = 0; b < 3; ++b) {
      if (b != a && std::abs(step[b]) > 1e-9 * std::abs(step[a])) {
        throw DataError(
            "grid transform is rotated or sheared; only axis-aligned voxels are supported", where);
      }
    }
    if (!(step[a] > 0.0)) throw DataError("grid transform has a non-positive voxel size", where);
    spec.spacing[a] = step[a];
  }
  CoordBBox bounds;
  for (const auto& g : grids) {
    CoordBBox b;
    if (g->tree().evalActiveVoxelBoundingBox(b)) bounds.expand(b);
  }
  if (bounds.empty())
    throw DataError("float grids hold no active voxel, so the voxel box is unknown", where);
  offset = bounds.min();
  const Vec3d minCentre = xf.indexToWorld(offset.asVec3d());
  for (int a = 0; a < 3; ++a) spec.origin[a] = minCentre[a] - 0.5 * spec.spacing[a];
  spec.nx = std::size_t(bounds.dim().x());
  spec.ny = std::size_t(bounds.dim().y());
  spec.nz = std::size_t(bounds.dim().z());
  return spec;
}

// Copy of a tree's active values moved by -offset, so the box's minimum voxel is (0, 0, 0).
FloatTree::Ptr shiftedTree(const FloatTree& tree, const Coord& offset) {
  auto out = std::make_shared<FloatTree>(tree.background());
  CoordBBox all;
  tree.evalActiveVoxelBoundingBox(all);
  visitNodes(
      tree, all,
      [&](const CoordBBox& box, float v) {
        out->fill(CoordBBox(box.min() - offset, box.max() - offset), v, true);
      },
      [&](const LeafT& leaf) {
        openvdb::tree::ValueAccessor<FloatTree> access(*out);  // made after every fill
        for (auto it = leaf.cbeginValueOn(); it; ++it) access.setValue(it.getCoord() - offset, *it);
      },
      false);
  out->prune();
  return out;
}

}  // namespace

VoxelModel VoxelModel::read(const std::string& path) {
  initOpenVdb();
  const SourceLocation where{path, 0, 0, {}, {}};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw IoError("cannot read OpenVDB file: no such file", where);

  openvdb::GridPtrVecPtr all;
  openvdb::MetaMap::Ptr meta;
  try {
    openvdb::io::File file(path);
    file.open(false);  // read everything now: no delayed loading from a file that may change
    all = file.getGrids();
    meta = file.getMetadata();
    file.close();
  } catch (const std::exception& e) {
    throw IoError(std::string("cannot read OpenVDB file: ") + e.what(), where);
  }

  std::vector<FloatGrid::Ptr> grids;
  std::vector<std::string> skipped;
  for (const auto& base : *all) {
    if (auto g = openvdb::gridPtrCast<FloatGrid>(base)) {
      grids.push_back(g);
    } else {
      skipped.push_back(base->getName() + " (" + base->valueType() + ")");
    }
  }
  auto nx = meta->getMetadata<openvdb::Int64Metadata>(kMetaNx);
  auto ny = meta->getMetadata<openvdb::Int64Metadata>(kMetaNy);
  auto nz = meta->getMetadata<openvdb::Int64Metadata>(kMetaNz);
  auto origin = meta->getMetadata<openvdb::Vec3DMetadata>(kMetaOrigin);
  auto spacing = meta->getMetadata<openvdb::Vec3DMetadata>(kMetaSpacing);
  const bool writtenByOrevox = nx && ny && nz && origin && spacing;
  // An orevox model without channels is written as its box alone and reads back as such.
  if (grids.empty() && !(writtenByOrevox && all->empty())) {
    std::string list;
    for (const auto& s : skipped) list += (list.empty() ? "" : ", ") + s;
    throw DataError("OpenVDB file holds no float grid" +
                        (list.empty() ? std::string() : " (grids: " + list + ")"),
                    where);
  }

  VolumeSpec spec;
  Coord offset(0, 0, 0);
  if (writtenByOrevox) {
    if (nx->value() <= 0 || ny->value() <= 0 || nz->value() <= 0) {
      throw DataError("orevox box metadata holds a non-positive size", where);
    }
    spec.nx = std::size_t(nx->value());
    spec.ny = std::size_t(ny->value());
    spec.nz = std::size_t(nz->value());
    for (int a = 0; a < 3; ++a) {
      spec.origin[a] = origin->value()[a];
      spec.spacing[a] = spacing->value()[a];
    }
    if (auto crs = meta->getMetadata<openvdb::StringMetadata>(kMetaCrs)) spec.crsWkt = crs->value();
  } else {
    spec = inferSpec(grids, path, offset);
  }
  try {
    checkSpec(spec);
  } catch (const UsageError& e) {
    throw DataError(e.what(), where);
  }

  VoxelModel model(spec);
  for (const auto& g : grids) {
    const std::string name = g->getName().empty()
                                 ? "channel" + std::to_string(model.impl_->channels.size())
                                 : g->getName();
    if (model.hasChannel(name)) throw DataError("two float grids are named '" + name + "'", where);
    std::string units;
    if (auto u = g->getMetadata<openvdb::StringMetadata>(kMetaUnits)) units = u->value();
    FloatGrid::Ptr grid = model.impl_->newGrid(name, g->background(), units);
    if (offset == Coord(0, 0, 0)) {
      grid->setTree(g->treePtr());
    } else {
      grid->setTree(shiftedTree(g->tree(), offset));
    }
    model.impl_->channels.push_back(Impl::Channel{name, units, grid});
  }
  return model;
}

}  // namespace orevox
