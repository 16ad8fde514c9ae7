#include "stix/reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace sw::stix {
namespace {

struct Read {
  std::vector<std::string> objects;
  std::vector<std::string> paths;
  std::vector<std::string> errors;  // per-object errors, reading went on
  std::string fatal;                // structural error that ended reading
};

Read read_all(ObjectReader& r) {
  Read out;
  RawObject raw;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    auto n = r.next(raw);
    if (!n.ok()) {
      if (r.failed()) {
        out.fatal = n.error().to_string();
        break;
      }
      out.errors.push_back(n.error().to_string());
      continue;
    }
    if (*n == ObjectReader::Next::kEnd) break;
    out.objects.emplace_back(raw.json);
    out.paths.push_back(raw.path);
  }
  return out;
}

Read read_text(std::string text, ReaderOptions opt = {}) {
  auto r = ObjectReader::from_memory(std::move(text), "test.json", opt);
  return read_all(*r);
}

TEST(ObjectReader, StreamsTheObjectsOfABundle) {
  auto r = ObjectReader::from_memory(
      R"({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": [
        {"type": "a", "x": "}]\"{["}, {"type": "b", "y": [1, {"z": "\\"}]} ,{"type":"c"}
      ]})",
      "b.json");
  auto got = read_all(*r);
  EXPECT_EQ(got.fatal, "");
  ASSERT_EQ(got.objects.size(), 3u);
  EXPECT_EQ(got.objects[0], R"({"type": "a", "x": "}]\"{["})");
  EXPECT_EQ(got.objects[1], R"({"type": "b", "y": [1, {"z": "\\"}]})");
  EXPECT_EQ(got.paths[2], "$.objects[2]");
  EXPECT_TRUE(r->is_bundle());
  EXPECT_EQ(r->bundle_id(), "bundle--44af6c39-c09b-49c5-9de2-394224b04982");
}

TEST(ObjectReader, BundleMembersInAnyOrder) {
  auto got = read_text(R"({"objects": [{"type":"a"}], "id": "bundle--x", "type": "bundle"})");
  EXPECT_EQ(got.fatal, "");
  EXPECT_EQ(got.objects.size(), 1u);
  auto bad = read_text(R"({"objects": [{"type":"a"}], "type": "report"})");
  EXPECT_NE(bad.fatal.find("not \"bundle\""), std::string::npos) << bad.fatal;
}

TEST(ObjectReader, ASingleObjectIsReturnedWhole) {
  // An observed-data object of STIX 2.0 style has an "objects" dictionary: not a bundle.
  const std::string obj =
      R"({"type":"observed-data","id":"observed-data--1","objects":{"0":{"type":"file"}},"number_observed":1})";
  auto got = read_text(obj);
  EXPECT_EQ(got.fatal, "");
  ASSERT_EQ(got.objects.size(), 1u);
  EXPECT_EQ(got.objects[0], obj);
  EXPECT_EQ(got.paths[0], "$");
  // A report whose type comes first keeps its own "objects" list as a property.
  auto rep = read_text(R"({"type":"x-list","objects":[1,2]})");
  ASSERT_EQ(rep.objects.size(), 1u);
  EXPECT_EQ(rep.objects[0], R"({"type":"x-list","objects":[1,2]})");
}

TEST(ObjectReader, AListOfObjectsAndJsonLines) {
  auto list = read_text("\xEF\xBB\xBF [ {\"type\":\"a\"} , {\"type\":\"b\"} ]\n");
  EXPECT_EQ(list.fatal, "");
  ASSERT_EQ(list.objects.size(), 2u);
  EXPECT_EQ(list.paths[1], "$[1]");
  auto lines = read_text("{\"type\":\"a\"}\n{\"type\":\"b\"}\n");
  EXPECT_EQ(lines.fatal, "");
  EXPECT_EQ(lines.objects.size(), 2u);
}

TEST(ObjectReader, TruncatedFileKeepsWhatCameBeforeAndSaysWhere) {
  auto got = read_text(R"({"type":"bundle","objects":[{"type":"a"},{"type":"b","x":"unterminated)");
  ASSERT_EQ(got.objects.size(), 1u);
  EXPECT_NE(got.fatal.find("truncated"), std::string::npos) << got.fatal;
  EXPECT_NE(got.fatal.find("test.json:byte"), std::string::npos) << got.fatal;
  EXPECT_NE(got.fatal.find("$.objects[1]"), std::string::npos) << got.fatal;
}

TEST(ObjectReader, MalformedStructureIsAnErrorNotACrash) {
  for (const char* text : {"", "   ", "42", "\"str\"", "[{\"a\":1} {\"b\":2}]", "[,{}]",
                           "{\"type\":\"bundle\",\"objects\":[{}]", "{\"a\" 1}", "}", "[}",
                           "{\"type\":\"bundle\" \"objects\":[]}"}) {
    auto got = read_text(text);
    EXPECT_FALSE(got.fatal.empty()) << "accepted: " << text;
  }
}

TEST(ObjectReader, DeepNestingSkipsOnlyThatObject) {
  std::string deep = "[{\"a\":" + std::string(100000, '[') + std::string(100000, ']') +
                     "},{\"type\":\"after\"}]";
  auto got = read_text(deep);
  EXPECT_EQ(got.fatal, "");
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_NE(got.errors[0].find("nested deeper than 1024"), std::string::npos) << got.errors[0];
  EXPECT_NE(got.errors[0].find("$[0]"), std::string::npos) << got.errors[0];
  ASSERT_EQ(got.objects.size(), 1u);
  EXPECT_EQ(got.objects[0], "{\"type\":\"after\"}");
}

TEST(ObjectReader, OversizedObjectIsSkippedAndReadingGoesOn) {
  ReaderOptions opt;
  opt.max_object_bytes = 1024;
  const std::string big = "{\"type\":\"a\",\"s\":\"" + std::string(5 << 20, 'x') + "\"}";
  auto got = read_text("[{\"type\":\"first\"}," + big + ",{\"type\":\"last\"}]", opt);
  EXPECT_EQ(got.fatal, "");
  ASSERT_EQ(got.objects.size(), 2u);
  EXPECT_EQ(got.objects[1], "{\"type\":\"last\"}");
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_NE(got.errors[0].find("larger than the limit"), std::string::npos);
  EXPECT_NE(got.errors[0].find("$[1]"), std::string::npos);
}

TEST(ObjectReader, NonObjectElementsAreErrorsButReadingGoesOn) {
  auto got = read_text(R"({"type":"bundle","objects":[{"type":"a"}, "oops", 7, {"type":"b"}]})");
  EXPECT_EQ(got.fatal, "");
  EXPECT_EQ(got.objects.size(), 2u);
  EXPECT_EQ(got.errors.size(), 2u);
}

// Objects that cross the reader's buffer boundaries at every possible byte, with escapes
// everywhere, come out byte-identical.
TEST(ObjectReader, LargeFilesComeOutByteIdentical) {
  std::mt19937 rng(7);
  std::vector<std::string> objects;
  std::string text = "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[";
  for (int i = 0; i < 20000; ++i) {
    std::string s, half;
    const int len = static_cast<int>(rng() % 400);
    for (int k = 0; k < len; ++k) {
      std::string token;
      switch (rng() % 12) {
        case 0: token = "\\\""; break;
        case 1: token = "\\\\"; break;
        case 2: token = "{["; break;
        case 3: token = "]}"; break;
        case 4: token = "\\u00e9"; break;
        default: token = std::string(1, static_cast<char>('a' + rng() % 26));
      }
      s += token;
      if (k < len / 2) half += token;
    }
    std::string obj = "{\"type\":\"x-test\",\"n\":" + std::to_string(i) + ",\"s\":\"" + s +
                      "\",\"nested\":{\"list\":[1,2,{\"k\":\"" + half + "\"}]}}";
    objects.push_back(obj);
    text += (i ? ",\n  " : "") + obj;
  }
  text += "]}";
  ASSERT_GT(text.size(), 3u << 20);  // several times the reader's initial 1 MiB buffer
  auto got = read_text(text);
  ASSERT_EQ(got.fatal, "");
  ASSERT_EQ(got.objects.size(), objects.size());
  for (size_t i = 0; i < objects.size(); ++i) ASSERT_EQ(got.objects[i], objects[i]) << i;
}

class ReaderFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sw-reader-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ReaderFiles, ReadsGzipByItsMagicBytes) {
  const std::string text = R"({"type":"bundle","objects":[{"type":"a"},{"type":"b"}]})";
  auto path = dir_ / "b.json.gz";
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  auto r = ObjectReader::open(path);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto got = read_all(**r);
  EXPECT_EQ(got.fatal, "");
  EXPECT_EQ(got.objects.size(), 2u);
}

TEST_F(ReaderFiles, AJsonGzThatIsNotGzipIsRefusedByName) {
  auto path = dir_ / "fake.json.gz";
  std::ofstream(path) << "{\"type\":\"bundle\",\"objects\":[]}";
  auto r = ObjectReader::open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a gzip file"), std::string::npos);
  EXPECT_EQ(r.error().where, path.string());
}

TEST_F(ReaderFiles, CorruptGzipIsAnError) {
  const std::string text(100000, 'x');
  auto path = dir_ / "c.json.gz";
  gzFile g = gzopen(path.c_str(), "wb");
  std::string doc = "[{\"s\":\"" + text + "\"}]";
  gzwrite(g, doc.data(), static_cast<unsigned>(doc.size()));
  gzclose(g);
  // Flip bytes in the middle of the compressed stream.
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(40);
  f.write("\xff\xff\xff\xff\xff\xff", 6);
  f.close();
  auto r = ObjectReader::open(path);
  ASSERT_TRUE(r.ok());
  auto got = read_all(**r);
  EXPECT_FALSE(got.fatal.empty());
}

TEST_F(ReaderFiles, MissingFileNamesThePath) {
  auto r = ObjectReader::open(dir_ / "nope.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, (dir_ / "nope.json").string());
}

}  // namespace
}  // namespace sw::stix
