// Drillhole files: readers (spellings, BOM, CRLF, quotes, numeric / categorical fields,
// errors), the VTP and GeoPackage traces, the desurvey run's outputs and atomicity, and
// the real deposits Babbitt and Thalanga with every anomaly counted.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "orevox/core/error.hpp"
#include "orevox/datasets/drillhole_io.hpp"
#include "orevox/datasets/embedded.hpp"
#include "orevox/datasets/vector_io.hpp"
#include "orevox/datasets/vtp_io.hpp"
#include "shared_datasets.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

std::size_t rowsOf(const ValidationLog& log, const std::string& check) {
  const auto m = log.rowsByCheck();
  return m.count(check) ? m.at(check) : 0;
}

std::size_t warningsOf(const ValidationLog& log, const std::string& check) {
  std::size_t n = 0;
  for (const auto& r : log.rows) n += r.check == check;
  return n;
}

TEST(DrillholeIo, ReadsCommonSpellingsBomCrlfAndQuotes) {
  TempDir dir;
  const std::string c = dir.file("collar.csv"), s = dir.file("survey.csv"),
                    a = dir.file("assay.csv");
  test::writeFile(c,
                  "\xEF\xBB\xBF\"Drillhole ID\",X_MGA,Y_MGA,Z_MGA,DEPTH,PROSPECT\r\n"
                  "\"DH,1\",371427.25,7750416.5,146.9,98.5,WEST\r\n"
                  "DH2,371452,7750425,219.67,,EAST\r\n");
  test::writeFile(s, "HOLE_ID;AT;AZIMUTH;DIP\nDH2;0;27,5;-60\n");  // ';' with decimal commas
  test::writeFile(a,
                  "BHID,FROM,TO,Cu_pct,Lith,Comment\n"
                  "\"DH,1\",0,2.5,0.31,granite,\n"
                  "\"DH,1\",2.5,4,<0.01,\"altered, granite\",x\n"
                  "DH2,0,1,,basalt,\n"
                  "DH2,1,2,IS,basalt,\n"
                  "DH2,2,3,-0.02,,\n");
  const CollarTable collars = readCollarCsv(c);
  EXPECT_EQ(collars.holeIds, (std::vector<std::string>{"DH,1", "DH2"}));
  EXPECT_EQ(collars.x[0], 371427.25);
  EXPECT_EQ(collars.z[1], 219.67);
  EXPECT_EQ(collars.depth[0], 98.5);
  EXPECT_TRUE(std::isnan(collars.depth[1]));  // blank: unknown
  EXPECT_EQ(collars.holeName, "Drillhole ID");
  EXPECT_EQ(collars.xColumn, 2);
  EXPECT_EQ(collars.lines, (std::vector<long>{2, 3}));
  const SurveyTable surveys = readSurveyCsv(s);
  EXPECT_EQ(surveys.azimuth[0], 27.5);
  EXPECT_EQ(surveys.dip[0], -60.0);

  ValidationLog log;
  const IntervalTable t = readIntervalCsv(a, {}, {}, log);
  EXPECT_EQ(t.name, "assay");
  ASSERT_EQ(t.fields.size(), 3u);
  const IntervalField& cu = t.fields[0];
  EXPECT_FALSE(cu.categorical);
  EXPECT_EQ(cu.values[0], 0.31);
  EXPECT_EQ(cu.values[1], 0.01);  // below detection at 0.01
  EXPECT_TRUE(cu.isBelowDetection(1));
  EXPECT_TRUE(std::isnan(cu.values[2]));  // blank = not assayed, never zero
  EXPECT_TRUE(std::isnan(cu.values[3]));  // 'IS': not assayed, with a warning
  EXPECT_EQ(cu.values[4], -0.02);         // kept, with a warning
  const IntervalField& lith = t.fields[1];
  EXPECT_TRUE(lith.categorical);
  EXPECT_EQ(lith.category(1), "altered, granite");
  EXPECT_EQ(lith.codes[4], -1);
  EXPECT_TRUE(t.fields[2].categorical);  // Comment: text (and blanks)
  ASSERT_EQ(warningsOf(log, "non_numeric_value"), 1u);
  EXPECT_EQ(log.rows[0].line, 5);
  EXPECT_EQ(log.rows[0].column, "Cu_pct");
  EXPECT_EQ(log.rows[0].value, "IS");
  EXPECT_EQ(rowsOf(log, "negative_value"), 1u);

  // --negative-as-bdl, and columns forced to a kind or skipped.
  DrillholeColumns forced;
  forced.categorical = {"cu_pct"};
  forced.skip = {"Comment"};
  DrillholeValidationOptions bdl;
  bdl.negativeAsBelowDetection = true;
  ValidationLog log2;
  const IntervalTable t2 = readIntervalCsv(a, forced, bdl, log2);
  ASSERT_EQ(t2.fields.size(), 2u);
  EXPECT_TRUE(t2.fields[0].categorical);
  EXPECT_EQ(t2.fields[0].category(3), "IS");
  ValidationLog log3;
  const IntervalTable t3 = readIntervalCsv(a, {}, bdl, log3);
  EXPECT_EQ(t3.fields[0].values[4], 0.02);
  EXPECT_TRUE(t3.fields[0].isBelowDetection(4));
  EXPECT_EQ(rowsOf(log3, "negative_as_bdl"), 1u);
}

TEST(DrillholeIo, ColumnErrorsNameTheFileAndTheWayOut) {
  TempDir dir;
  const std::string c = dir.file("c.csv");
  test::writeFile(c, "HOLE,EAST,NORTH,ELEV,X\nA,1,2,3,4\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readCollarCsv(c); }),
            c + ":1:5: column 'X': columns 'EAST' and 'X' both look like the easting (x); name one "
                "with --collar-x");
  DrillholeColumns named;
  named.collarX = "x";
  EXPECT_EQ(readCollarCsv(c, named).x[0], 4.0);
  named.collarX = "EASTING";
  EXPECT_EQ(test::errorMessage<DataError>([&] { readCollarCsv(c, named); }),
            c + ":1: column 'EASTING': missing easting (x) column (available: HOLE, EAST, NORTH, "
                "ELEV, X)");
  test::writeFile(c, "HOLE,EAST,NORTH\nA,1,2\n");
  EXPECT_EQ(
      test::errorMessage<DataError>([&] { readCollarCsv(c); }),
      c + ":1: no elevation (z) column (looked for z, zcollar, collarz, rl, collarrl, rlcollar, "
          "...; available: HOLE, EAST, NORTH); name it with --collar-z");
  test::writeFile(c, "HOLE,EAST,NORTH,RL\nA,1,2,3\nB,1,x2,3\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readCollarCsv(c); }),
            c + ":3:3: column 'NORTH': value 'x2': not a number");
  test::writeFile(c, "HOLE,EAST,NORTH,RL\nA,1,2,3\nB,1,2\n");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readCollarCsv(c); }),
            c + ":3: row has 3 fields, the header has 4");
}

DrillholeTraces smallTraces() {
  DrillholeTraces t;
  t.crsWkt = "EPSG:28355 \"quoted\" & <tagged>";
  t.unit = LengthUnit::Foot;
  t.holeIds = {"B1-001", "H 2"};
  t.hole = {0, 0, 1};
  t.from = {0.0, 2.5, 1.0};
  t.to = {2.5, 7.0, 4.0 / 3.0};
  t.points = {{2294148.2, 420495.9, 1620.9}, {2294149.0, 420496.1, 1618.7},
              {2294149.5, 420496.2, 1617.0}, {2294150.0, 420496.3, 1614.1},
              {1.0 / 3.0, -2.0, 1e-7},       {0.5, -2.25, -1e7}};
  t.offsets = {0, 2, 4, 6};
  IntervalField cu;
  cu.name = "CU";
  cu.values = {0.41, std::nan(""), 0.01};
  cu.belowDetection = {0, 0, 1};
  IntervalField lith;
  lith.name = "Lith 1";
  lith.categorical = true;
  lith.categories = {"granite", "\"MS\" <sulphide>"};
  lith.codes = {1, -1, 0};
  t.fields = {cu, lith};
  return t;
}

TEST(DrillholeIo, TracesVtpRoundTripIsExact) {
  TempDir dir;
  const DrillholeTraces t = smallTraces();
  const std::string path = dir.file("traces.vtp");
  writeTracesVtp(t, path);
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"traces.vtp"}));  // no temporary left
  const std::string xml = test::readFile(path);
  EXPECT_NE(xml.find("<VTKFile type=\"PolyData\""), std::string::npos);
  EXPECT_NE(xml.find("NumberOfLines=\"3\""), std::string::npos);
  const DrillholeTraces r = readTracesVtp(path);
  EXPECT_EQ(r.crsWkt, t.crsWkt);
  EXPECT_EQ(r.unit, LengthUnit::Foot);
  EXPECT_EQ(r.holeIds, t.holeIds);
  EXPECT_EQ(r.hole, t.hole);
  EXPECT_EQ(r.from, t.from);
  EXPECT_EQ(r.to, t.to);  // 4/3 exactly: shortest round-trip text
  EXPECT_EQ(r.points, t.points);
  EXPECT_EQ(r.offsets, t.offsets);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].values[0], 0.41);
  EXPECT_TRUE(std::isnan(r.fields[0].values[1]));
  EXPECT_EQ(r.fields[0].belowDetection, t.fields[0].belowDetection);
  EXPECT_TRUE(r.fields[1].categorical);
  EXPECT_EQ(r.fields[1].name, "Lith 1");
  EXPECT_EQ(r.fields[1].categories, t.fields[1].categories);
  EXPECT_EQ(r.fields[1].codes, t.fields[1].codes);

  test::writeFile(path, "<VTKFile type=\"ImageData\"></VTKFile>");
  EXPECT_EQ(test::errorMessage<DataError>([&] { readTracesVtp(path); }),
            path + ": not a VTK PolyData file");
}

TEST(DrillholeIo, TracesGeoPackageHasLineStringZFeatures) {
  TempDir dir;
  DrillholeTraces t = smallTraces();
  t.crsWkt = "EPSG:26791";
  std::vector<std::vector<std::array<double, 3>>> lines = {{t.points[0], t.points[1]},
                                                           {t.points[2], t.points[3]}};
  std::vector<VectorAttribute> attributes(2);
  attributes[0].name = "hole";
  attributes[0].text = true;
  attributes[0].texts = {"A", "B"};
  attributes[1].name = "CU";
  attributes[1].reals = {0.5, std::nan("")};
  const std::string path = dir.file("traces.gpkg");
  writeLinesZ(lines, path, attributes, t.crsWkt);
  const nlohmann::json d = describeFile(path);
  const std::string text = d.dump();
  EXPECT_NE(text.find("Line String"), std::string::npos) << text;
  EXPECT_NE(text.find("26791"), std::string::npos) << text;
  attributes[1].reals.pop_back();
  EXPECT_THROW(writeLinesZ(lines, dir.file("bad.gpkg"), attributes), UsageError);
}

// A small database with one of each anomaly, for the whole run.
struct Fixture {
  TempDir dir;
  std::string collars = dir.file("collars.csv"), surveys = dir.file("surveys.csv"),
              assays = dir.file("assays.csv"), geology = dir.file("geology.csv"),
              out = dir.file("out");
  Fixture() {
    test::writeFile(collars,
                    "HOLEID,X,Y,Z,DEPTH\nA,100,200,50,60\nB,150,200,50,\nC,200,200,50,30\n");
    test::writeFile(
        surveys,
        "HOLEID,AT,AZ,DIP\nA,0,90,-60\nA,30,92,-58\nA,90000,92,-58\nB,0,0,-90\nZ,0,0,-90\n");
    test::writeFile(assays,
                    "HOLEID,FROM,TO,CU,NI\n"
                    "A,0,10,0.5,0.1\nA,10,20,1.5,\nA,15,18,9,9\nA,20,25,<0.05,0.2\n"
                    "B,0,12,0.2,0.3\nC,5,5,1,1\nQ,0,5,1,1\n");
    test::writeFile(geology,
                    "HOLEID,FROM,TO,LITH\nA,0,12,granite\nA,12,25,basalt\nB,0,12,granite\n");
  }
  DrillholeDesurveyJob job() const {
    DrillholeDesurveyJob j;
    j.collars = collars;
    j.surveys = surveys;
    j.intervals = {assays, geology};
    j.out = out;
    j.crs = "EPSG:28355";
    return j;
  }
};

TEST(DrillholeRun, WritesIntervalsTracesAndValidationTogether) {
  Fixture f;
  const DrillholeDesurveyResult r = runDrillholeDesurvey(f.job());
  EXPECT_EQ(r.log.dipConvention, DipConvention::DownNegative);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(f.out)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"intervals.csv", "traces.vtp", "validation.csv"}));
  // Assays A 0-10, 10-20, 20-25 and lithology A 0-12, 12-25 split at 10, 12 and 20.
  const std::string csv = test::readFile(f.out + "/intervals.csv");
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header, "hole,from,to,x,y,z,x_from,y_from,z_from,x_to,y_to,z_to,CU,NI,LITH");
  EXPECT_EQ(r.mergedIntervals, 5u);  // A: 0-10, 10-12, 12-20, 20-25; B: 0-12
  // Row 1 (A 0-10): on the arc from (90, -60) at 0 to (92, -58) at 30; z of the middle.
  const std::string row1 =
      csv.substr(header.size() + 1, csv.find('\n', header.size() + 1) - header.size() - 1);
  EXPECT_EQ(row1.substr(0, 7), "A,0,10,");
  EXPECT_NE(row1.find(",0.5,0.1,granite"), std::string::npos) << row1;
  EXPECT_NE(csv.find("\nA,20,25,"), std::string::npos);
  EXPECT_NE(csv.find(",<0.05,0.2,basalt\n"), std::string::npos);  // below detection kept as <DL
  EXPECT_NE(csv.find("\nB,0,12,"), std::string::npos);
  // Validation: the sentinel, Z's survey, the overlap, C's zero-length row, Q's row, C and B.
  const std::string v = test::readFile(f.out + "/validation.csv");
  EXPECT_EQ(v.substr(0, v.find('\n')), "file,line,column,hole,check,value,action,rows,skipped");
  for (const char* check : {"survey_beyond_depth", "survey_without_collar", "overlapping_interval",
                            "zero_length_interval", "interval_without_collar", "no_survey"})
    EXPECT_NE(v.find(std::string(",") + check + ","), std::string::npos) << check;
  EXPECT_EQ(rowsOf(r.log, "no_survey"), 1u);  // C
  // Traces: one polyline per interval, the CRS kept.
  const DrillholeTraces t = readTracesVtp(f.out + "/traces.vtp");
  EXPECT_EQ(t.size(), 5u);
  EXPECT_NE(t.crsWkt.find("28355"), std::string::npos);
  ASSERT_GE(t.fields.size(), 3u);
  EXPECT_EQ(t.fields[2].name, "LITH");
  // JSON summary: rows read / kept / skipped per file.
  const nlohmann::json j = r.toJson();
  EXPECT_EQ(j["files"][1]["rows_read"], 5);
  EXPECT_EQ(j["files"][1]["rows_skipped"], 2);
  EXPECT_EQ(j["files"][2]["rows_skipped"], 3);
  EXPECT_EQ(j["dip"]["convention"], "down-negative");
}

TEST(DrillholeRun, AFailedRunLeavesTheOutputFolderAsItWas) {
  Fixture f;
  runDrillholeDesurvey(f.job());
  const std::string before = test::readFile(f.out + "/intervals.csv");
  // Fails at validation (a duplicate collar elsewhere): nothing replaced, nothing added.
  test::writeFile(f.collars, "HOLEID,X,Y,Z\nA,100,200,50\nA,101,200,50\n");
  EXPECT_THROW(runDrillholeDesurvey(f.job()), DataError);
  EXPECT_EQ(test::readFile(f.out + "/intervals.csv"), before);
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(f.out)) {
    ++entries;
    EXPECT_NE(e.path().filename().string()[0], '.') << "temporary left: " << e.path();
  }
  EXPECT_EQ(entries, 3u);
  // A new output folder is removed again when the run fails.
  DrillholeDesurveyJob job = f.job();
  job.out = f.dir.file("fresh/nested");
  EXPECT_THROW(runDrillholeDesurvey(job), DataError);
  EXPECT_FALSE(fs::exists(f.dir.file("fresh")));
  // Bad options are usage errors.
  job = f.job();
  job.columns.numeric = {"NOPE"};
  EXPECT_THROW(runDrillholeDesurvey(job), UsageError);
  job = f.job();
  job.crs = "EPSG:not-a-code";
  EXPECT_THROW(runDrillholeDesurvey(job), UsageError);
}

TEST(DrillholeRun, CompositesAndGeoPackage) {
  Fixture f;
  DrillholeDesurveyJob job = f.job();
  job.composite.length = 5.0;
  job.composite.minCoverage = 0.0;
  job.gpkg = true;
  const DrillholeDesurveyResult r = runDrillholeDesurvey(job);
  EXPECT_TRUE(fs::exists(f.out + "/traces.gpkg"));
  // A: 0-25 in 5 composites; B: 0-12 = 5, 5 and a 2 merged: 2 composites.
  EXPECT_EQ(r.outputIntervals, 7u);
  const std::string csv = test::readFile(f.out + "/intervals.csv");
  // A 20-25: CU below detection throughout (<0.05), NI 0.2.
  EXPECT_NE(csv.find(",<0.05,0.2,basalt\n"), std::string::npos);
  // A 10-15: CU 1.5 over 5 m; NI not assayed on 10-15 (blank): empty; lithology granite 10-12
  // (2 m) vs basalt 12-15 (3 m): basalt.
  EXPECT_NE(csv.find(",1.5,,basalt\n"), std::string::npos) << csv;
}

TEST(DrillholeSynth, WritesCsvsThatReadBack) {
  TempDir dir;
  Synth3dOptions so;
  so.nx = 24;
  so.ny = 24;
  so.nz = 12;
  so.cell = 25.0;
  const Dataset ds = synth3dDataset(so);
  SynthDrillholeOptions o;
  o.holes = 6;
  const auto written = writeSynth3dDrillholes(ds, o, dir.path().string());
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0].first, "source");
  EXPECT_EQ(written[0].second.first, 6u);
  const CollarTable c = readCollarCsv(dir.file("source_collars.csv"));
  EXPECT_EQ(c.size(), 6u);
  ValidationLog log;
  const IntervalTable t = readIntervalCsv(dir.file("source_intervals.csv"), {}, {}, log);
  EXPECT_EQ(t.size(), written[0].second.second);
  ASSERT_EQ(t.fields.size(), 3u);
  EXPECT_TRUE(t.fields[0].categorical);  // rock_type names
  EXPECT_FALSE(t.fields[1].categorical);
  // The one warning: halo is log10 ppm, negative throughout, kept as it is.
  ASSERT_EQ(log.rows.size(), 1u);
  EXPECT_EQ(log.rows[0].check, "negative_value");
  EXPECT_EQ(log.rows[0].column, "halo");
}

// ---------------------------------------------------------------- real deposits
// Expected counts come from an independent Python count over the CSV files (csv module,
// the same rules: hole depth = collar depth or the deepest interval end, dogleg > 20
// degrees, field kind by the majority of filled cells), run on the shared datasets:
//   Babbitt: 399 collars; 2,628 survey rows, all dips positive, 70 at AT = 90000 beyond the
//   deepest assay (the end-of-hole sentinel); 35,616 assay rows, no overlap, no gap,
//   CU/NI/S/FE numeric; composites of 10 ft (merge, coverage 0.5): 21,451 with a value
//   (32,502 without any, in the unsampled upper parts of the holes, not written), 21,377
//   with CU, CU sum 7667.212232823637; of 20 ft: 10,560 (16,313 without), 10,520 with CU,
//   sum 3820.214454091002.
//   Thalanga: 5,277 collars (2 without survey); 18,855 survey rows: 12,812 positive, 5,963
//   negative, 80 zero dips (down-positive by majority), 2 azimuths over 360 (385.28 and 360.6), 8
//   holes with both signs, 12 doglegs over 20 degrees, none beyond the collar depth; 64,431 geology
//   rows on 1,862 holes, none skipped; of the 13 fields, 1 numeric (ALT1_INTENSITY, of which 5,690
//   cells are words: STR, MOD, si, ...) and 12 categorical.

TEST(RealDeposits, BabbittLoadsWithTheSentinelRowsCountedAndComposites) {
  OREVOX_SHARED_DATASET(collars, "babbitt_duluth_cuni/collar_BABBITT.csv");
  OREVOX_SHARED_DATASET(surveys, "babbitt_duluth_cuni/survey_BABBITT.csv");
  OREVOX_SHARED_DATASET(assays, "babbitt_duluth_cuni/assay_BABBITT.csv");
  TempDir dir;
  DrillholeDesurveyJob job;
  job.collars = collars;
  job.surveys = surveys;
  job.intervals = {assays};
  job.unit = LengthUnit::Foot;
  job.out = dir.file("out");
  job.composite.length = 10.0;
  const DrillholeDesurveyResult r = runDrillholeDesurvey(job);
  const ValidationLog& log = r.log;
  EXPECT_EQ(log.dipConvention, DipConvention::DownPositive);
  EXPECT_EQ(log.positiveDips, 2628u);
  EXPECT_EQ(log.negativeDips, 0u);
  ASSERT_EQ(log.files.size(), 3u);
  EXPECT_EQ(log.files[0].read, 399u);
  EXPECT_EQ(log.files[0].kept, 399u);
  EXPECT_EQ(log.files[1].read, 2628u);
  EXPECT_EQ(log.files[1].skipped, 70u);
  EXPECT_EQ(log.files[2].read, 35616u);
  EXPECT_EQ(log.files[2].kept, 35616u);
  EXPECT_EQ(rowsOf(log, "survey_beyond_depth"), 70u);
  EXPECT_EQ(log.rows.size(), 70u);  // nothing else
  EXPECT_EQ(r.holes, 399u);
  EXPECT_EQ(r.holesWithoutSurvey, 0u);
  EXPECT_EQ(r.numericFields, (std::vector<std::string>{"CU", "NI", "S", "FE"}));
  EXPECT_EQ(r.outputIntervals, 21451u);
  EXPECT_EQ(r.composite.emptyComposites, 32502u);
  // The composites' CU against the independent Python compositing.
  const std::string csv = test::readFile(job.out + "/intervals.csv");
  ValidationLog ignored;
  DrillholeColumns columns;
  columns.intervalHole = "hole";
  columns.intervalFrom = "from";
  columns.intervalTo = "to";
  const IntervalTable back = readIntervalCsv(job.out + "/intervals.csv", columns, {}, ignored);
  const long cu = back.fieldIndex("CU");
  ASSERT_GE(cu, 0);
  double sum = 0.0;
  std::size_t filled = 0;
  for (double v : back.fields[std::size_t(cu)].values)
    if (!std::isnan(v)) {
      sum += v;
      ++filled;
    }
  EXPECT_EQ(filled, 21377u);
  EXPECT_NEAR(sum, 7667.212232823637, 1e-9 * 7667.0);
}

TEST(RealDeposits, ThalangaLoadsWithEveryAnomalyCounted) {
  OREVOX_SHARED_DATASET(collars, "thalanga_vms/ThalangaML_collar.csv");
  OREVOX_SHARED_DATASET(surveys, "thalanga_vms/ThalangaML_survey.csv");
  OREVOX_SHARED_DATASET(geology, "thalanga_vms/ThalangaML_Geology.csv");
  TempDir dir;
  DrillholeDesurveyJob job;
  job.collars = collars;
  job.surveys = surveys;
  job.intervals = {geology};
  job.crs = "EPSG:28355";
  job.out = dir.file("out");
  const DrillholeDesurveyResult r = runDrillholeDesurvey(job);
  const ValidationLog& log = r.log;
  EXPECT_EQ(log.dipConvention, DipConvention::DownPositive);
  EXPECT_EQ(log.positiveDips, 12812u);
  EXPECT_EQ(log.negativeDips, 5963u);
  EXPECT_EQ(log.zeroDips, 80u);
  EXPECT_EQ(log.files[0].read, 5277u);
  EXPECT_EQ(log.files[0].kept, 5277u);
  EXPECT_EQ(log.files[1].read, 18855u);
  EXPECT_EQ(log.files[1].kept, 18855u);
  EXPECT_EQ(log.files[2].read, 64431u);
  EXPECT_EQ(log.files[2].kept, 64431u);
  EXPECT_EQ(rowsOf(log, "no_survey"), 2u);
  EXPECT_EQ(rowsOf(log, "azimuth_out_of_range"), 2u);
  EXPECT_EQ(warningsOf(log, "mixed_dip_sign"), 8u);
  EXPECT_EQ(warningsOf(log, "dogleg"), 12u);
  EXPECT_EQ(warningsOf(log, "non_numeric_value"), 1u);
  EXPECT_EQ(rowsOf(log, "non_numeric_value"), 5690u);
  EXPECT_EQ(rowsOf(log, "survey_beyond_depth"), 0u);
  EXPECT_EQ(r.holes, 5277u);
  EXPECT_EQ(r.holesWithIntervals, 1862u);
  EXPECT_EQ(r.outputIntervals, 64431u);
  EXPECT_EQ(r.numericFields, (std::vector<std::string>{"ALT1_INTENSITY"}));
  EXPECT_EQ(r.categoricalFields.size(), 12u);
}

}  // namespace
}  // namespace orevox
