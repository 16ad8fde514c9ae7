// `import --strict`: each file is all-or-nothing. One rejected object (or a file that cannot be
// read to its end) stores nothing from that file; the other files of the run are stored.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

namespace json = boost::json;

std::string indicator(int n, const std::string& extra = "") {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--b%07d-0000-4000-8000-000000000000", n);
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[domain-name:value = 'x)" +
         std::to_string(n) +
         R"(.example']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" + extra + "}";
}

std::string list(const std::vector<std::string>& objs) {
  std::string s = "[";
  for (size_t i = 0; i < objs.size(); ++i) s += (i ? ",\n" : "") + objs[i];
  return s + "]";
}

std::set<std::string> stored_ids(const Node& node) {
  std::set<std::string> ids;
  for (const auto& o : export_all_versions(node)) {
    const std::string id = str_at(o.as_object(), "id");
    if (id.rfind("indicator--", 0) == 0) ids.insert(id);
  }
  return ids;
}

std::string id_of(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--b%07d-0000-4000-8000-000000000000", n);
  return id;
}

TEST(StrictImport, AFileWithOneBadObjectStoresNothingAGoodFileIsStored) {
  TempDir dir;
  Node node = init_node(dir);
  // Small batches: the bad object comes after several batches' worth of good ones.
  node.set_import_option("batch_size", 2);
  std::vector<std::string> bad_file;
  for (int i = 0; i < 7; ++i) bad_file.push_back(indicator(i));
  bad_file.push_back(indicator(7, R"(,"pattern_type":42)"));
  bad_file.push_back(indicator(8));
  write_file(dir / "in" / "a-bad.json", list(bad_file));
  write_file(dir / "in" / "b-good.json", list({indicator(20), indicator(21), indicator(22)}));
  write_file(dir / "in" / "c-truncated.json", list({indicator(30), indicator(31)}).substr(0, 300));

  auto r = run(node.with_data({"import", "--strict", (dir / "in").string(), "--summary", "json"}));
  ASSERT_TRUE(r.exited) << r.describe();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_TRUE(contains(r.err, (dir / "in" / "a-bad.json").string() + ": $[7].pattern_type (" +
                                  id_of(7) + "): property-type: "))
      << r.err;
  EXPECT_TRUE(contains(r.err, (dir / "in" / "a-bad.json").string() + ": --strict: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "nothing from this file was stored")) << r.err;
  EXPECT_TRUE(contains(r.err, (dir / "in" / "c-truncated.json").string())) << r.err;

  auto s = parse_json(r.out).as_object();
  EXPECT_EQ(s.at("accepted").as_int64(), 3);
  EXPECT_EQ(s.at("failed_files").as_int64(), 2);
  EXPECT_EQ(stored_ids(node), (std::set<std::string>{id_of(20), id_of(21), id_of(22)}));
  EXPECT_EQ(sqlite_integrity_check(node.db()), "ok");

  // Without --strict the same files store every good object.
  auto lax = run(node.with_data({"import", (dir / "in").string(), "--summary", "json"}));
  ASSERT_TRUE(lax.exited && lax.exit_code == 1) << lax.describe();
  std::set<std::string> want = {id_of(20), id_of(21), id_of(22)};
  for (int i : {0, 1, 2, 3, 4, 5, 6, 8}) want.insert(id_of(i));
  auto got = stored_ids(node);
  // The truncated file's first object may or may not be complete within 300 bytes.
  got.erase(id_of(30));
  EXPECT_EQ(got, want);
}

TEST(StrictImport, AGoodFileIsStoredWhole) {
  TempDir dir;
  Node node = init_node(dir);
  node.set_import_option("batch_size", 2);
  std::vector<std::string> objs;
  for (int i = 0; i < 9; ++i) objs.push_back(indicator(i));
  write_file(dir / "good.json", list(objs));
  auto r = run(
      node.with_data({"import", "--strict", (dir / "good.json").string(), "--summary", "json"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_EQ(parse_json(r.out).at("new_objects").as_int64(), 9);
  EXPECT_EQ(stored_ids(node).size(), 9u);
}

}  // namespace
}  // namespace sw::clitest
