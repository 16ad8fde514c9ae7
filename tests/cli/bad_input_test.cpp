// Bad input to `shieldwall import`, one kind per test. Each must give a clear error naming the
// file and the place (JSON path or byte offset), exit non-zero when something could not be
// stored, never crash, and leave the store holding exactly what it held plus the good objects,
// with `PRAGMA integrity_check` ok.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

namespace json = boost::json;

std::string indicator(int n, const std::string& extra = "") {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--a%07d-0000-4000-8000-000000000000", n);
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"indicator )" +
         std::to_string(n) + R"(","pattern":"[ipv4-addr:value = '10.0.0.)" +
         std::to_string(n % 256) +
         R"(']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" + extra + "}";
}

std::string id_of(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--a%07d-0000-4000-8000-000000000000", n);
  return id;
}

const char* kBundleHead =
    R"({"type":"bundle","id":"bundle--5d0c6b4e-64f3-4c5e-9f4e-0a4c2b9a1f00","objects":[)";

std::string bundle(const std::vector<std::string>& objects) {
  std::string s = kBundleHead;
  for (size_t i = 0; i < objects.size(); ++i) s += (i ? ",\n" : "\n") + objects[i];
  return s + "\n]}\n";
}

void write_gzip(const fs::path& p, const std::string& text) {
  gzFile g = gzopen(p.c_str(), "wb");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(gzwrite(g, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  gzclose(g);
}

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = init_node(dir_);
    // Something besides init's objects, so "unchanged" means something.
    write_file(dir_ / "base.json", bundle({indicator(1), indicator(2)}));
    auto r = run(node_.with_data({"import", (dir_ / "base.json").string()}));
    ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
    before_ = export_all_versions(node_);
    ASSERT_EQ(before_.size(), 5u);  // identity, location, relationship, 2 indicators
  }

  RunResult import(const std::vector<std::string>& inputs, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"import"};
    for (const auto& i : inputs) args.push_back(i);
    for (auto& e : extra) args.push_back(std::move(e));
    return run(node_.with_data(args));
  }

  // The store holds what it held before plus `added` (JSON texts), in this order, and is sound.
  void expect_store_plus(const std::vector<std::string>& added, bool any_order = false) {
    auto after = export_all_versions(node_);
    ASSERT_EQ(after.size(), before_.size() + added.size());
    for (size_t i = 0; i < before_.size(); ++i) EXPECT_EQ(after[i], before_[i]) << i;
    std::vector<json::value> got(after.begin() + static_cast<long>(before_.size()), after.end());
    std::vector<json::value> want;
    for (const auto& a : added) want.push_back(parse_json(a));
    if (any_order) {
      auto by_id = [](const json::value& a, const json::value& b) {
        return str_at(a.as_object(), "id") < str_at(b.as_object(), "id");
      };
      std::sort(got.begin(), got.end(), by_id);
      std::sort(want.begin(), want.end(), by_id);
    }
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << i;
    EXPECT_EQ(sqlite_integrity_check(node_.db()), "ok");
  }

  static void expect_exit(const RunResult& r, int code) {
    EXPECT_TRUE(r.exited) << "crashed or hung: " << r.describe();
    EXPECT_EQ(r.exit_code, code) << r.describe();
  }

  TempDir dir_;
  Node node_;
  std::vector<json::value> before_;
};

TEST_F(BadInput, MalformedJsonInsideAnObjectRejectsThatObjectOnly) {
  const auto f = dir_ / "malformed.json";
  write_file(f, bundle({indicator(10), R"({"type": "indicator", "id": ,, })", indicator(11)}));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1]: json-syntax: ")) << r.err;
  expect_store_plus({indicator(10), indicator(11)});
}

TEST_F(BadInput, MalformedJsonBetweenObjectsEndsTheFileAtThatByte) {
  const auto f = dir_ / "broken.json";
  const std::string text =
      "[" + indicator(10) + ",\n" + indicator(11) + "\n}{ " + indicator(12) + "]";
  write_file(f, text);
  const size_t at = text.find("\n}{ ") + 1;  // the stray '}' after the second object
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, "error: " + f.string() + ":byte " + std::to_string(at) + " ($[2])"))
      << r.err;
  expect_store_plus({indicator(10), indicator(11)});
}

TEST_F(BadInput, TruncatedFileKeepsTheObjectsBeforeTheCut) {
  const auto f = dir_ / "truncated.json";
  const std::string full = bundle({indicator(10), indicator(11), indicator(12)});
  const size_t third = full.find(indicator(12));
  const std::string cut = full.substr(0, third + 40);
  write_file(f, cut);
  auto r = import({f.string()}, {"--summary", "json"});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(
      r.err, "error: " + f.string() + ":byte " + std::to_string(cut.size()) + " ($.objects[2]): "))
      << r.err;
  EXPECT_TRUE(contains(r.err, "truncated")) << r.err;
  EXPECT_TRUE(contains(r.err, "began at byte " + std::to_string(third))) << r.err;
  auto s = parse_json(r.out).as_object();
  EXPECT_EQ(s.at("failed_files").as_int64(), 1);
  EXPECT_EQ(s.at("accepted").as_int64(), 2);
  expect_store_plus({indicator(10), indicator(11)});

  // Cut between two objects, and inside the bundle header.
  write_file(dir_ / "cut2.json", full.substr(0, full.find(indicator(11))));
  auto r2 = import({(dir_ / "cut2.json").string()});
  expect_exit(r2, 1);
  EXPECT_TRUE(contains(r2.err, (dir_ / "cut2.json").string() + ":byte ")) << r2.err;
  write_file(dir_ / "cut3.json", std::string(kBundleHead).substr(0, 30));
  auto r3 = import({(dir_ / "cut3.json").string()});
  expect_exit(r3, 1);
  EXPECT_TRUE(contains(r3.err, (dir_ / "cut3.json").string() + ":byte ")) << r3.err;
  expect_store_plus({indicator(10), indicator(11)});
}

TEST_F(BadInput, InvalidUtf8IsRejectedWithItsPlace) {
  const auto f = dir_ / "utf8.json";
  write_file(f, bundle({indicator(10), indicator(11, ",\"description\":\"caf\xE9 \xFF\xFE\""),
                        indicator(12, ",\"x_\xC3\x28\":1"), indicator(13)}));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1]")) << r.err;
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[2]")) << r.err;
  EXPECT_TRUE(contains(r.err, "UTF-8")) << r.err;
  expect_store_plus({indicator(10), indicator(13)});
}

TEST_F(BadInput, WrongPropertyTypesAreRejectedNamingTheProperty) {
  const auto f = dir_ / "types.json";
  const std::string idn = "identity--21111111-1111-4111-8111-111111111111";
  write_file(
      f,
      bundle({
          R"({"type":"identity","spec_version":"2.1","id":")" + idn +
              R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":42})",
          indicator(10, R"(,"labels":"not-a-list")"),
          R"({"type":"malware","spec_version":"2.1","id":"malware--21111111-1111-4111-8111-111111111113","created":1704067200,"modified":"2024-01-01T00:00:00.000Z","is_family":true,"name":"m"})",
          R"({"type":"malware","spec_version":"2.1","id":"malware--21111111-1111-4111-8111-111111111114","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","is_family":"yes","name":"m"})",
          indicator(11, R"(,"external_references":[{"source_name":7,"url":"https://x.example/"}])"),
          indicator(12),
      }));
  auto r = import({f.string()});
  expect_exit(r, 1);
  for (const std::string& place : std::vector<std::string>{
           ": $.objects[0].name (" + idn + "): property-type: ",
           ": $.objects[1].labels (" + id_of(10) + "): property-type: ",
           ": $.objects[2].created (malware--21111111-1111-4111-8111-111111111113): ",
           ": $.objects[3].is_family (malware--21111111-1111-4111-8111-111111111114): "
           "property-type: ",
           ": $.objects[4].external_references[0].source_name (" + id_of(11) +
               "): property-type: "})
    EXPECT_TRUE(contains(r.err, f.string() + place)) << place << "\n" << r.err;
  expect_store_plus({indicator(12)});
}

// The summary's "rejected" counts objects (ImportSummary: "invalid objects"), so that objects
// read = accepted + duplicates + refused + rejected; an object with two errors is one object.
TEST_F(BadInput, RejectedCountsObjectsNotErrors) {
  const auto f = dir_ / "two-errors.json";
  write_file(f, bundle({
                    indicator(10, R"(,"confidence":"high","labels":"not-a-list")"),
                    indicator(11),
                }));
  auto r = import({f.string()}, {"--summary", "json"});
  expect_exit(r, 1);
  auto s = parse_json(r.out).as_object();
  EXPECT_EQ(s.at("objects").as_int64(), 2);
  EXPECT_EQ(s.at("accepted").as_int64(), 1);
  EXPECT_EQ(s.at("rejected").as_int64(), 1) << r.out;
  EXPECT_EQ(s.at("objects").as_int64(),
            s.at("accepted").as_int64() + s.at("duplicates").as_int64() +
                s.at("revoked_refused").as_int64() + s.at("rejected").as_int64());
  // Both problems are still listed, each with its place.
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[0].confidence (" + id_of(10) + "): "))
      << r.err;
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[0].labels (" + id_of(10) + "): ")) << r.err;
  expect_store_plus({indicator(11)});
}

TEST_F(BadInput, MissingRequiredPropertiesAreRejectedNamingTheProperty) {
  const auto f = dir_ / "missing.json";
  write_file(
      f,
      bundle({
          R"({"type":"indicator","spec_version":"2.1","id":"indicator--21111111-1111-4111-8111-111111111114","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})",
          R"({"type":"identity","spec_version":"2.1","id":"identity--21111111-1111-4111-8111-111111111115","modified":"2024-01-01T00:00:00.000Z","name":"x"})",
          R"({"type":"relationship","spec_version":"2.1","id":"relationship--21111111-1111-4111-8111-111111111116","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"uses","source_ref":"identity--21111111-1111-4111-8111-111111111115"})",
          R"({"spec_version":"2.1","id":"identity--21111111-1111-4111-8111-111111111117","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"no type"})",
          R"({"type":"identity","spec_version":"2.1","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"no id"})",
          indicator(10),
      }));
  auto r = import({f.string()});
  expect_exit(r, 1);
  for (const std::string& place : std::vector<std::string>{
           ": $.objects[0] (indicator--21111111-1111-4111-8111-111111111114): required-property: ",
           ": $.objects[1] (identity--21111111-1111-4111-8111-111111111115): required-property: ",
           ": $.objects[2] (relationship--21111111-1111-4111-8111-111111111116): "
           "required-property: ",
           ": $.objects[3] (identity--21111111-1111-4111-8111-111111111117): required-property: ",
           ": $.objects[4]"})
    EXPECT_TRUE(contains(r.err, f.string() + place)) << place << "\n" << r.err;
  EXPECT_TRUE(contains(r.err, "\"pattern\"")) << r.err;
  EXPECT_TRUE(contains(r.err, "\"target_ref\"")) << r.err;
  expect_store_plus({indicator(10)});
}

TEST_F(BadInput, A100MegabyteStringIsRejectedTheRestImportedMemoryBounded) {
  const auto f = dir_ / "huge.json";
  {
    std::ofstream out(f, std::ios::binary);
    out << kBundleHead << indicator(10) << ",\n";
    std::string head = indicator(11, ",\"description\":\"");
    head.pop_back();  // the closing '}' comes after the string
    out << head.substr(0, head.size());
    const std::string chunk(1 << 20, 'A');
    for (int i = 0; i < 100; ++i) out << chunk;  // 100 MiB > the default 64 MiB object limit
    out << "\"},\n" << indicator(12) << "]}";
    ASSERT_TRUE(out.good());
  }
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1]: object-size-or-shape: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "limit")) << r.err;
  EXPECT_LT(r.maxrss_kb, 300 * 1024) << "peak memory of the import, KiB";
  fs::remove(f);
  expect_store_plus({indicator(10), indicator(12)});
}

// The first stderr line that names `file`; "" when none does.
std::string line_naming(const std::string& err, const std::string& file) {
  for (const auto& l : lines_of(err))
    if (contains(l, file)) return l;
  return "";
}

std::string deep(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_F(BadInput, JsonNested100000DeepIsRejectedWithoutCrashing) {
  const auto f = dir_ / "deep.json";
  const std::string deep_obj = R"({"type":"x-deep","x_a":)" + deep(100000) + "}";
  const std::string text = bundle({indicator(10), deep_obj, indicator(11)});
  write_file(f, text);
  const size_t start = text.find(deep_obj), end = start + deep_obj.size();
  auto r = import({f.string()});
  expect_exit(r, 1);
  // One line names the file, the place ($.objects[1]; a byte offset, if given, inside the deep
  // object) and the problem.
  const std::string line = line_naming(r.err, f.string());
  EXPECT_TRUE(contains(line, "$.objects[1]")) << r.err;
  EXPECT_TRUE(contains(line, "nested deeper")) << r.err;
  std::smatch m;
  if (std::regex_search(line, m, std::regex(R"(:byte (\d+))"))) {
    const size_t at = std::stoul(m[1]);
    EXPECT_GE(at, start);
    EXPECT_LT(at, end);
  }
  // indicator 11 comes after the deep object; whether it is stored is the next test's business.
  auto after = export_all_versions(node_);
  ASSERT_GE(after.size(), before_.size() + 1);
  EXPECT_EQ(after[before_.size()], parse_json(indicator(10)));
  EXPECT_EQ(sqlite_integrity_check(node_.db()), "ok");

  // The same depth as a file's only object, and as the top-level value itself.
  write_file(dir_ / "deep-single.json", R"({"type":"x-deep","x_a":)" + deep(100000) + "}");
  auto r2 = import({(dir_ / "deep-single.json").string()});
  expect_exit(r2, 1);
  EXPECT_TRUE(contains(line_naming(r2.err, (dir_ / "deep-single.json").string()), "nested deeper"))
      << r2.err;
  write_file(dir_ / "deep-top.json", deep(100000));
  auto r3 = import({(dir_ / "deep-top.json").string()});
  expect_exit(r3, 1);
  EXPECT_TRUE(contains(line_naming(r3.err, (dir_ / "deep-top.json").string()), "nested deeper"))
      << r3.err;
}

// docs/import.md: nesting deeper than 1024 levels is a json-syntax error of the object ("the
// object is rejected, the rest of the file is stored"), like an object over the size limit. The
// reader can skip it by counting brackets, as it does for oversized objects.
TEST_F(BadInput, JsonNestedTooDeepSkipsOnlyThatObject) {
  const auto f = dir_ / "deep.json";
  write_file(
      f, bundle({indicator(10), R"({"type":"x-deep","x_a":)" + deep(100000) + "}", indicator(11)}));
  auto r = import({f.string()});
  expect_exit(r, 1);
  expect_store_plus({indicator(10), indicator(11)});
}

TEST_F(BadInput, DuplicateKeysAreRejectedNamingTheKey) {
  const auto f = dir_ / "dup.json";
  write_file(
      f,
      bundle({
          indicator(10, R"(,"name":"second name")"),
          indicator(
              11,
              R"(,"external_references":[{"source_name":"a","source_name":"b","url":"https://x.example/"}])"),
          indicator(12),
      }));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(
      contains(r.err, f.string() + ": $.objects[0].name (" + id_of(10) + "): duplicate-key: "))
      << r.err;
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1].external_references[0].source_name (" +
                                  id_of(11) + "): duplicate-key: "))
      << r.err;
  expect_store_plus({indicator(12)});
}

TEST_F(BadInput, AReferenceToTheWrongObjectTypeIsRejected) {
  const auto f = dir_ / "refs.json";
  write_file(
      f,
      bundle({
          indicator(10, R"(,"created_by_ref":"malware--21111111-1111-4111-8111-111111111111")"),
          indicator(
              11, R"(,"object_marking_refs":["indicator--21111111-1111-4111-8111-111111111111"])"),
          R"({"type":"sighting","spec_version":"2.1","id":"sighting--21111111-1111-4111-8111-111111111112","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","sighting_of_ref":"ipv4-addr--21111111-1111-4111-8111-111111111111"})",
          indicator(12, R"(,"created_by_ref":"identity--21111111-1111-4111-8111-111111111111")"),
      }));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(
      r.err, f.string() + ": $.objects[0].created_by_ref (" + id_of(10) + "): reference-type: "))
      << r.err;
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1].object_marking_refs[0] (" + id_of(11) +
                                  "): reference-type: "))
      << r.err;
  EXPECT_TRUE(contains(
      r.err, f.string() + ": $.objects[2].sighting_of_ref "
                          "(sighting--21111111-1111-4111-8111-111111111112): reference-type: "))
      << r.err;
  expect_store_plus(
      {indicator(12, R"(,"created_by_ref":"identity--21111111-1111-4111-8111-111111111111")")});
}

TEST_F(BadInput, AJsonGzThatIsNotGzipIsRefused) {
  const auto f = dir_ / "plain.json.gz";
  write_file(f, bundle({indicator(10)}));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, "error: " + f.string() + ": not a gzip file")) << r.err;

  // Gzip whose data breaks off: the objects before the damage are stored, the error names it.
  const std::string text = bundle({indicator(11), indicator(12)});
  write_gzip(dir_ / "whole.json.gz", text);
  std::string gz = read_file(dir_ / "whole.json.gz");
  write_file(dir_ / "damaged.json.gz", gz.substr(0, gz.size() / 2));
  auto r2 = import({(dir_ / "damaged.json.gz").string()});
  expect_exit(r2, 1);
  EXPECT_TRUE(contains(r2.err, "error: " + (dir_ / "damaged.json.gz").string() + ":byte "))
      << r2.err;
  expect_store_plus({});

  // The same content as good gzip imports.
  auto ok = import({(dir_ / "whole.json.gz").string()});
  expect_exit(ok, 0);
  expect_store_plus({indicator(11), indicator(12)});
}

TEST_F(BadInput, AnEmptyFileIsAnErrorNamingIt) {
  const auto f = dir_ / "empty.json";
  write_file(f, "");
  auto r = import({f.string()}, {"--summary", "json"});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, "error: " + f.string() + ":byte 0: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "empty")) << r.err;
  EXPECT_EQ(parse_json(r.out).at("failed_files").as_int64(), 1);
  write_file(dir_ / "blank.json", " \n\t\n");
  auto r2 = import({(dir_ / "blank.json").string()});
  expect_exit(r2, 1);
  EXPECT_TRUE(contains(r2.err, (dir_ / "blank.json").string() + ":byte ")) << r2.err;
  // An empty bundle is not an error: there is simply nothing to store.
  write_file(dir_ / "empty-bundle.json", bundle({}));
  expect_exit(import({(dir_ / "empty-bundle.json").string()}), 0);
  expect_store_plus({});
}

TEST_F(BadInput, ADirectoryWithGoodAndBadFilesStoresEveryGoodObject) {
  const auto d = dir_ / "mixed";
  write_file(d / "a-good.json", bundle({indicator(10), indicator(11)}));
  write_file(d / "b-broken.json", R"({"type":"bundle" "objects": []})");
  write_file(d / "c-not-gzip.json.gz", bundle({indicator(20)}));
  write_file(d / "d-empty.json", "");
  write_gzip(d / "e-good.json.gz", bundle({indicator(12)}));
  write_file(d / "notes.txt", "not a STIX file; import ignores it");
  write_file(d / "sub" / "f-good.json", indicator(13));
  write_file(d / "sub" / "g-partial.json",
             "[" + indicator(14) + ",\n" + indicator(21, R"(,"confidence":"high")") + "]");
  auto r = import({d.string()}, {"--summary", "json"});
  expect_exit(r, 1);
  for (const char* bad : {"b-broken.json", "c-not-gzip.json.gz", "d-empty.json"})
    EXPECT_TRUE(contains(r.err, "error: " + (d / bad).string() + ":")) << bad << "\n" << r.err;
  EXPECT_TRUE(contains(
      r.err, (d / "sub" / "g-partial.json").string() + ": $[1].confidence (" + id_of(21) + "): "))
      << r.err;
  auto s = parse_json(r.out).as_object();
  EXPECT_EQ(s.at("files").as_int64(), 7);
  EXPECT_EQ(s.at("failed_files").as_int64(), 3);
  EXPECT_EQ(s.at("rejected").as_int64(), 1);
  EXPECT_EQ(s.at("accepted").as_int64(), 5);
  expect_store_plus({indicator(10), indicator(11), indicator(12), indicator(13), indicator(14)},
                    /*any_order=*/true);
}

// docs/cli.md: each rejected object is listed on stderr (the first 1,000). One rejected object
// after 1,100 objects with warnings is the first rejection and must be listed.
TEST_F(BadInput, ARejectedObjectIsListedEvenAfterManyWarnings) {
  const auto f = dir_ / "warnings.json";
  std::vector<std::string> objs;
  for (int i = 100; i < 1200; ++i) objs.push_back(indicator(i, R"(,"indicator_types":["odd"])"));
  objs.push_back(indicator(1200, R"(,"confidence":"high")"));
  write_file(f, bundle(objs));
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(r.err, f.string() + ": $.objects[1100].confidence (" + id_of(1200) + "): "))
      << r.err;
}

// stderr lists rejected objects; a stored object with a warning must not appear there, even
// when its warning has the same rule name as some error (uuid-version is an error for an SCO
// without ID contributing properties, a warning for an SDO).
TEST_F(BadInput, TheRejectionListNamesOnlyRejectedObjects) {
  const auto f = dir_ / "mixed-severity.json";
  const std::string sdo =
      R"({"type":"identity","spec_version":"2.1","id":"identity--8cb00c79-ab20-5ed4-b37d-337241b96a29","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"a UUIDv5 id: stored, with a warning"})";
  write_file(
      f,
      "[" +
          std::string(
              R"({"type":"process","spec_version":"2.1","id":"process--8cb00c79-ab20-5ed4-b37d-337241b96a29","pid":1})") +
          ",\n" + sdo + "]");
  auto r = import({f.string()});
  expect_exit(r, 1);
  EXPECT_TRUE(contains(
      r.err, f.string() + ": $[0] (process--8cb00c79-ab20-5ed4-b37d-337241b96a29): uuid-version: "))
      << r.err;
  EXPECT_FALSE(contains(r.err, "identity--8cb00c79")) << "a stored object is listed as rejected:\n"
                                                      << r.err;
  expect_store_plus({sdo});

  // --summary json lists both findings and says which is which.
  auto j = import({f.string()}, {"--summary", "json", "-q"});
  std::map<std::string, std::string> severity;
  const json::value summary = parse_json(j.out);
  for (const auto& fd : summary.at("findings").as_array())
    severity[str_at(fd.as_object(), "id")] = str_at(fd.as_object(), "severity");
  EXPECT_EQ(severity["process--8cb00c79-ab20-5ed4-b37d-337241b96a29"], "error") << j.out;
  EXPECT_EQ(severity["identity--8cb00c79-ab20-5ed4-b37d-337241b96a29"], "warning") << j.out;
}

}  // namespace
}  // namespace sw::clitest
