// `import --progress jsonl`: one {"event":"commit","file":…,"settled":N} line on stderr per
// durable commit; N counts the file's leading objects settled (stored, duplicate or rejected),
// so a script can resume a file from there (docs/cli.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

std::string indicator(int n, const std::string& extra = "") {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--e%07d-0000-4000-8000-000000000000", n);
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[file:name = 'f)" +
         std::to_string(n) + R"(']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" +
         extra + "}";
}

std::string list(int from, int to, int bad = -1) {
  std::string s = "[";
  for (int i = from; i < to; ++i)
    s += (i > from ? ",\n" : "") + (i == bad ? indicator(i, R"(,"confidence":500)") : indicator(i));
  return s + "]";
}

TEST(ProgressJsonl, OneLinePerCommitCountingEachFilesSettledObjects) {
  TempDir dir;
  Node node = init_node(dir);
  node.set_import_option("batch_size", 2);
  write_file(dir / "in" / "a.json", list(0, 5, /*bad=*/4));  // ends with a rejected object
  write_file(dir / "in" / "b.json", list(10, 13));
  auto r = run(node.with_data({"import", (dir / "in").string(), "--progress", "jsonl"}));
  ASSERT_TRUE(r.exited && r.exit_code == 1) << r.describe();

  std::vector<std::pair<std::string, int64_t>> commits;
  for (const auto& line : lines_of(r.err)) {
    if (line.rfind("{", 0) != 0) continue;  // the rejected object's line
    auto o = parse_json(line).as_object();
    ASSERT_EQ(str_at(o, "event"), "commit") << line;
    commits.emplace_back(str_at(o, "file"), o.at("settled").as_int64());
  }
  const std::string a = (dir / "in" / "a.json").string(), b = (dir / "in" / "b.json").string();
  std::map<std::string, int64_t> last;
  size_t first_b = commits.size();
  for (size_t i = 0; i < commits.size(); ++i) {
    const auto& [file, settled] = commits[i];
    ASSERT_TRUE(file == a || file == b) << file;
    if (file == b && first_b == commits.size()) first_b = i;
    if (file == a) {
      EXPECT_EQ(first_b, commits.size()) << "a.json after b.json";
    }
    EXPECT_GT(settled, last[file]) << file << " settled did not grow";
    last[file] = settled;
  }
  EXPECT_EQ(last[a], 5) << "a.json's last object (rejected) is settled too";
  EXPECT_EQ(last[b], 3);
  EXPECT_GE(commits.size(), 4u) << "batches of 2: a.json 2, 4, 5; b.json 2, 3";
  EXPECT_TRUE(contains(r.err, a + ": $[4].confidence (")) << r.err;
}

}  // namespace
}  // namespace sw::clitest
