#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "orevox/datasets/csv_io.hpp"
#include "orevox/core/error.hpp"
#include "test_helpers.hpp"

namespace orevox {
namespace {

using test::TempDir;

TEST(CsvIo, CensoredMissingQuotedAndTextColumns) {
  TempDir dir;
  const std::string path = dir.file("s.csv");
  test::writeFile(path,
                  "id,x,y,Au,Cu,rock\n"
                  "a1,100,200,<0.5,12,\"granite, altered\"\n"
                  "a2,110,-210.5,0.8,NA,basalt\n"
                  "\n"
                  "\"a,3\",120,220,< 2,,\"say \"\"hi\"\"\"\n");
  const SampleTable t = readSamplesCsv(path);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.ids, (std::vector<std::string>{"a1", "a2", "a,3"}));
  EXPECT_EQ(t.x, (std::vector<double>{100, 110, 120}));
  EXPECT_EQ(t.y, (std::vector<double>{200, -210.5, 220}));  // coordinates may be negative
  EXPECT_EQ(t.columnNames(), (std::vector<std::string>{"Au", "Cu"}));  // rock is text
  const SampleColumn& au = t.column("Au");
  EXPECT_EQ(au.values, (std::vector<double>{0.5, 0.8, 2.0}));
  EXPECT_EQ(au.censored, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(au.detectionLimit, 2.0);  // the largest limit seen
  const SampleColumn& cu = t.column("Cu");
  EXPECT_EQ(cu.values[0], 12.0);
  EXPECT_TRUE(std::isnan(cu.values[1]));  // NA
  EXPECT_TRUE(std::isnan(cu.values[2]));  // empty
  EXPECT_TRUE(cu.censored.empty());
  EXPECT_FALSE(t.is3D());
  EXPECT_FALSE(t.hasLabels());
}

TEST(CsvIo, SniffsSemicolonWithDecimalCommaAndTab) {
  TempDir dir;
  test::writeFile(dir.file("semi.csv"), "X;Y;Zn\r\n1,5;2;3,25\r\n4;5;<0,1\r\n");
  const SampleTable s = readSamplesCsv(dir.file("semi.csv"));  // x/y matched case-insensitively
  EXPECT_EQ(s.x, (std::vector<double>{1.5, 4}));
  EXPECT_EQ(s.column("Zn").values, (std::vector<double>{3.25, 0.1}));
  EXPECT_EQ(s.column("Zn").censored, (std::vector<std::uint8_t>{0, 1}));

  test::writeFile(dir.file("tab.txt"), "east\tnorth\tdepth\tNi\n1\t2\t-30\t5\n");
  CsvOptions options;
  options.xColumn = "east";
  options.yColumn = "north";
  options.zColumn = "depth";
  const SampleTable t = readSamplesCsv(dir.file("tab.txt"), options);
  EXPECT_EQ(t.z, (std::vector<double>{-30}));
  EXPECT_EQ(t.columnNames(), (std::vector<std::string>{"Ni"}));

  CsvOptions forced;
  forced.delimiter = ';';
  test::writeFile(dir.file("forced.csv"), "x;y;v\n1;2;3\n");
  EXPECT_EQ(readSamplesCsv(dir.file("forced.csv"), forced).column("v").values[0], 3.0);
}

TEST(CsvIo, DepositListAndLabelsAndSelectedColumns) {
  TempDir dir;
  test::writeFile(dir.file("d.csv"), "id,x,y\n1,515265.3,6707801\n2,517234.9,6710722\n");
  const SampleTable d = readSamplesCsv(dir.file("d.csv"));
  EXPECT_EQ(d.size(), 2u);
  EXPECT_TRUE(d.columns.empty());
  EXPECT_EQ(d.ids, (std::vector<std::string>{"1", "2"}));

  test::writeFile(dir.file("l.csv"), "x,y,label,Au,As\n0,0,1,3,4\n1,1,0,5,6\n");
  const SampleTable l = readSamplesCsv(dir.file("l.csv"));
  EXPECT_EQ(l.labels, (std::vector<int>{1, 0}));
  EXPECT_EQ(l.labelName, "label");
  EXPECT_EQ(l.columnNames(), (std::vector<std::string>{"Au", "As"}));
  CsvOptions options;
  options.columns = {"As"};
  EXPECT_EQ(readSamplesCsv(dir.file("l.csv"), options).columnNames(),
            (std::vector<std::string>{"As"}));
}

TEST(CsvIo, BadInputGivesOneLineNamingFileLineColumnAndValue) {
  TempDir dir;
  const std::string path = dir.file("bad.csv");
  auto message = [&](const std::string& content, const CsvOptions& options = {}) {
    test::writeFile(path, content);
    return test::errorMessage<DataError>([&] { readSamplesCsv(path, options); });
  };
  EXPECT_EQ(message("east,y,Cu\n1,2,3\n"),
            path + ":1: column 'x': missing column (available: east, y, Cu)");
  CsvOptions wantAu;
  wantAu.columns = {"Au"};
  EXPECT_EQ(message("x,y,Cu\n1,2,3\n", wantAu),
            path + ":1: column 'Au': missing column (available: x, y, Cu)");
  EXPECT_EQ(message("x,y,Cu\n1,2,3\n1,2,abc\n1,2,4\n"),
            path + ":3:3: column 'Cu': value 'abc': not a number");
  EXPECT_EQ(message("x,y,Cu\n1,2,3\n1,2,-3\n"),
            path + ":3:3: column 'Cu': value '-3': negative concentration");
  EXPECT_EQ(message("x,y,Cu\n1,2,3\n\n1,2\n"), path + ":4: row has 2 fields, the header has 3");
  EXPECT_EQ(message(""), path + ": file is empty");
  EXPECT_EQ(message("\n  \n"), path + ": file is empty");
  EXPECT_EQ(message("x,y,Cu\n"), path + ":1: no data rows after the header");
  EXPECT_EQ(message("x,y,Cu\n1,,3\n"), path + ":2:2: column 'y': missing coordinate");
  EXPECT_EQ(message("x,y,Cu\n1,north,3\n"),
            path + ":2:2: column 'y': value 'north': coordinate is not a number");
  // A line break inside quotes: the next record's line number still matches the file.
  EXPECT_EQ(message("id,x,y,Cu\n\"two\nlines\",1,2,3\nb,1,2,x\nc,1,2,4\nd,1,2,5\n"),
            path + ":4:4: column 'Cu': value 'x': not a number");
  EXPECT_EQ(message("x,y,Cu\n1,2,\"3\n"), path + ":2:3: unterminated quoted field");

  CsvOptions signedValues;
  signedValues.allowNegative = true;
  test::writeFile(path, "x,y,z_score\n1,2,-3\n");
  EXPECT_EQ(readSamplesCsv(path, signedValues).column("z_score").values[0], -3.0);
  EXPECT_EQ(test::errorMessage<IoError>([&] { readSamplesCsv(dir.file("none.csv")); }),
            dir.file("none.csv") + ": file not found");
}

TEST(CsvIo, WriteReadRoundTripKeepsCensoringIdsLabelsAndExactValues) {
  TempDir dir;
  SampleTable t;
  t.addPoint(0.1, 1e6 + 0.3, -12.5);
  t.addPoint(2.0 / 3.0, 7.0, 0.0);
  t.ids = {"a,1", "b \"2\""};
  t.labels = {1, 0};
  t.addColumn("Au");
  t.addColumn("Cu");
  SampleColumn& au = t.column("Au");  // references taken after the last addColumn
  au.values = {0.5, 1.0 / 7.0};
  au.censored = {1, 0};
  au.detectionLimit = 0.5;
  t.column("Cu").values = {std::nan(""), 3.0};
  const std::string path = dir.file("out.csv");
  writeSamplesCsv(t, path);
  EXPECT_EQ(test::readFile(path).substr(0, test::readFile(path).find('\n')),
            "id,x,y,z,label,Au,Cu");

  CsvOptions options;
  options.zColumn = "z";
  const SampleTable back = readSamplesCsv(path, options);
  EXPECT_EQ(back.x, t.x);  // shortest round-trip formatting: bit-exact
  EXPECT_EQ(back.y, t.y);
  EXPECT_EQ(back.z, t.z);
  EXPECT_EQ(back.ids, t.ids);
  EXPECT_EQ(back.labels, t.labels);
  EXPECT_EQ(back.column("Au").values, au.values);
  EXPECT_EQ(back.column("Au").censored, au.censored);
  EXPECT_EQ(back.column("Au").detectionLimit, 0.5);
  EXPECT_TRUE(std::isnan(back.column("Cu").values[0]));
  EXPECT_EQ(back.column("Cu").values[1], 3.0);

  EXPECT_THROW(writeSamplesCsv(t, dir.file("missing/out.csv")), IoError);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.csv"});
}

}  // namespace
}  // namespace orevox
