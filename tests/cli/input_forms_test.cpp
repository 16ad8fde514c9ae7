// The forms of input docs/import.md promises `import` takes: a bundle, a single object, a JSON
// list, JSON documents one after another (JSON lines), each plain or gzip — from a file or from a
// pipe (`shieldwall import <(zcat feed.json.gz)`, `/dev/stdin`), which cannot be rewound.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <set>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

std::string indicator(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--d%07d-0000-4000-8000-000000000000", n);
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[url:value = 'https://x)" +
         std::to_string(n) +
         R"(.example/']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})";
}

std::string gzip(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::set<std::string> stored_indicators(const Node& node) {
  std::set<std::string> out;
  for (const auto& o : export_all_versions(node)) {
    const std::string id = str_at(o.as_object(), "id");
    if (id.rfind("indicator--", 0) == 0) out.insert(id);
  }
  return out;
}

std::set<std::string> ids(std::initializer_list<int> ns) {
  std::set<std::string> out;
  for (int n : ns) out.insert(str_at(parse_json(indicator(n)).as_object(), "id"));
  return out;
}

const std::string kBundle =
    R"({"type":"bundle","id":"bundle--6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d","objects":[)" +
    indicator(1) + "," + indicator(2) + "]}";

TEST(InputForms, BundleObjectListAndJsonLinesPlainAndGzip) {
  TempDir dir;
  Node node = init_node(dir);
  write_file(dir / "in" / "bundle.json", kBundle);
  write_file(dir / "in" / "object.json", indicator(3));
  write_file(dir / "in" / "list.json", "[" + indicator(4) + ",\n" + indicator(5) + "]");
  write_file(dir / "in" / "lines.json", indicator(6) + "\n" + indicator(7) + "\n");
  write_file(
      dir / "in" / "bundle.json.gz",
      gzip(R"({"type":"bundle","id":"bundle--6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4e","objects":[)" +
           indicator(8) + "]}"));
  // gzip is recognised by its first bytes, whatever the name.
  write_file(dir / "in" / "gzipped-but-named.json", gzip(indicator(9)));
  // Two gzip members one after the other (`cat a.gz b.gz`) are one gzip file (RFC 1952).
  write_file(dir / "in" / "members.json.gz",
             gzip(indicator(10) + "\n") + gzip(indicator(11) + "\n"));
  auto r = run(node.with_data({"import", (dir / "in").string(), "--summary", "json"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_EQ(parse_json(r.out).at("files").as_int64(), 7);
  EXPECT_EQ(stored_indicators(node), ids({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

// Writes `data` into a FIFO that a running `import` reads.
RunResult import_through_fifo(const Node& node, const TempDir& dir, const std::string& name,
                              const std::string& data) {
  const fs::path fifo = dir / name;
  EXPECT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Child child(node.with_data({"import", fifo.string(), "--summary", "json"}),
              dir / (name + ".out"));
  const int fd = open(fifo.c_str(), O_WRONLY);  // blocks until import opens it
  EXPECT_GE(fd, 0);
  for (size_t off = 0; fd >= 0 && off < data.size();) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  if (fd >= 0) close(fd);
  return child.wait(std::chrono::seconds(10));
}

TEST(InputForms, APipeIsReadFromItsFirstByte) {
  TempDir dir;
  Node node = init_node(dir);
  auto r = import_through_fifo(node, dir, "plain.pipe", kBundle);
  EXPECT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_EQ(stored_indicators(node), ids({1, 2}));
}

TEST(InputForms, AGzipPipeIsReadFromItsFirstByte) {
  TempDir dir;
  Node node = init_node(dir);
  auto r = import_through_fifo(node, dir, "gzip.pipe", gzip(kBundle));
  EXPECT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_EQ(stored_indicators(node), ids({1, 2}));
}

}  // namespace
}  // namespace sw::clitest
