# The libFuzzer targets, one per reader: tests/fuzz/fuzz_<name>.cpp. Included by
# tests/fuzz/CMakeLists.txt (the clang fuzz build) and tests/CMakeLists.txt (fuzz_replay, which
# replays the seeds and the crash inputs of tests/data/fuzz through the same entry points in
# the normal build).
set(orevox_fuzz_targets
  samples_csv block_model_csv drillholes vti vtp geojson geotiff vdb tsurf obj ply stl study_json)
