// Tests of orevox::core: the error hierarchy, atomic outputs, run settings.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"
#include "orevox/core/runtime.hpp"
#include "orevox/core/text.hpp"

using namespace orevox;

TEST(DataError, MessageNamesFileLineColumnValue) {
  DataError e("negative concentration", SourceLocation{"s.csv", 12, 4, "Au", "-3"});
  EXPECT_STREQ(e.what(), "s.csv:12:4: column 'Au': value '-3': negative concentration");
  EXPECT_EQ(e.exitCode(), 1);
  EXPECT_EQ(UsageError("x").exitCode(), 2);
}

TEST(AtomicOutput, UncommittedOutputLeavesNothing) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "orevox_atomic_test";
  fs::create_directories(dir);
  const std::string target = (dir / "out.txt").string();
  fs::remove(target);
  {
    AtomicOutput out(target);
    std::ofstream(out.tempPath()) << "partial";
  }
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 0);
  writeTextFileAtomic(target, "done");
  std::ifstream in(target);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "done");
  EXPECT_THROW(AtomicOutput((dir / "missing" / "x.txt").string()), IoError);
  EXPECT_THROW(checkOutputPath((dir / "missing" / "x.txt").string()), IoError);
  EXPECT_THROW(checkOutputPath(dir.string()), IoError);  // a folder, not a file
  EXPECT_NO_THROW(checkOutputPath((dir / "new.tif").string()));
  EXPECT_FALSE(fs::exists(dir / "new.tif"));
  fs::remove_all(dir);
}

TEST(OutputFolder, AFailedRunRemovesOnlyTheFoldersItCreated) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "orevox_output_folder_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "had");
  std::ofstream(dir / "had" / "keep.txt") << "the user's";
  {  // a run that fails: the new nested folders go, with what the run wrote
    OutputFolder folder((dir / "new" / "deeper").string());
    EXPECT_TRUE(fs::is_directory(dir / "new" / "deeper"));
    std::ofstream(dir / "new" / "deeper" / "part.csv") << "partial";
  }
  EXPECT_FALSE(fs::exists(dir / "new"));
  {  // a folder that was there is left alone, contents included
    OutputFolder folder((dir / "had").string());
    std::ofstream(dir / "had" / "part.csv") << "partial";
  }
  EXPECT_TRUE(fs::exists(dir / "had" / "keep.txt"));
  {  // a run that succeeds keeps its folder
    OutputFolder folder((dir / "done").string());
    folder.keep();
  }
  EXPECT_TRUE(fs::is_directory(dir / "done"));
  { OutputFolder none(""); }  // no folder asked for: nothing happens
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(OutputFolder((dir / "file").string()), IoError);  // a file, not a folder
  EXPECT_TRUE(fs::exists(dir / "file"));
  fs::remove_all(dir);
}

TEST(OutputBatch, CommitsAllOutputsTogetherOrNone) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "orevox_output_batch_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto read = [](const fs::path& p) {
    std::ifstream in(p);
    std::string text;
    in >> text;
    return text;
  };
  std::ofstream(dir / "a.tif") << "good";  // the user's existing output
  std::ofstream(dir / "in.csv") << "input";
  {  // a run that fails after writing one of its two outputs: nothing changes
    OutputBatch outputs;
    outputs.addInput((dir / "in.csv").string(), "--samples");
    std::ofstream(outputs.add((dir / "a.tif").string(), "--out")) << "new";
    outputs.add((dir / "b.json").string(), "--report");
    EXPECT_THROW(outputs.commit(), IoError);  // b.json was never written
  }
  EXPECT_EQ(read(dir / "a.tif"), "good");
  EXPECT_FALSE(fs::exists(dir / "b.json"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
  {  // a run that succeeds replaces both
    OutputBatch outputs;
    std::ofstream(outputs.add((dir / "a.tif").string(), "--out")) << "new";
    std::ofstream(outputs.add((dir / "b.json").string(), "--report")) << "report";
    EXPECT_EQ(outputs.temp((dir / "b.json").string()).find(dir.string()), 0u);
    const auto paths = outputs.commit();
    ASSERT_EQ(paths.size(), 2u);
    EXPECT_EQ(paths[1], (dir / "b.json").string());
  }
  EXPECT_EQ(read(dir / "a.tif"), "new");
  EXPECT_EQ(read(dir / "b.json"), "report");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 3);
  {  // a temporary keeps the output's name (GeoPackage layers are named after it); the
     // sidecars a writer puts beside it (a shapefile's) move with it; others do not
    OutputBatch outputs;
    const std::string shp = outputs.add((dir / "faults.shp").string(), "--out");
    EXPECT_EQ(fs::path(shp).filename(), "faults.shp");
    EXPECT_NE(fs::path(shp).parent_path(), dir);
    std::ofstream(shp) << "shp";
    std::ofstream(fs::path(shp).replace_extension(".dbf")) << "dbf";
    std::ofstream(fs::path(shp).parent_path() / "other.txt") << "x";
    outputs.commit();
  }
  EXPECT_EQ(read(dir / "faults.dbf"), "dbf");
  EXPECT_FALSE(fs::exists(dir / "other.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 5);
  // Declared paths are checked before any work: the same file twice (also spelled
  // differently), an output over an input, a missing folder, a folder as the file.
  OutputBatch outputs;
  outputs.addInput((dir / "in.csv").string(), "--samples");
  outputs.add((dir / "x.vdb").string(), "--out");
  try {
    outputs.add((dir / "." / "x.vdb").string(), "--vti");
    ADD_FAILURE() << "the same path twice was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--vti"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--out"), std::string::npos) << e.what();
  }
  EXPECT_THROW(outputs.add((dir / "in.csv").string(), "--out"), UsageError);
  EXPECT_THROW(outputs.add((dir / "missing" / "y.tif").string(), "--out"), IoError);
  EXPECT_THROW(outputs.add(dir.string(), "--out"), IoError);
  EXPECT_THROW(outputs.add("", "--out"), UsageError);
  EXPECT_TRUE(outputs.has((dir / "x.vdb").string()));
  EXPECT_FALSE(outputs.has((dir / "y.vdb").string()));
  EXPECT_EQ(read(dir / "in.csv"), "input");
  fs::remove_all(dir);
}

TEST(Runtime, SeededEnginesAreReproducibleAndStreamsDiffer) {
  Rng a = makeRng(42, 0), b = makeRng(42, 0), c = makeRng(42, 1);
  EXPECT_EQ(a(), b());
  EXPECT_NE(makeRng(42, 0)(), c());
  setThreadCount(1);
  EXPECT_EQ(threadCount(), 1);
  setThreadCount(0);
  EXPECT_GE(threadCount(), 1);
}

TEST(Text, EscapeMarkupEscapesTheFiveCharacters) {
  EXPECT_EQ(escapeMarkup("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(escapeMarkup("plain"), "plain");
}
