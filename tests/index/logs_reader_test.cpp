// Log readers, format-independent parts and the simple formats: line splitting across buffer
// boundaries, `lines`, `jsonl`, opening files, formats by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "index/logs/reader.h"
#include "logs_test_util.h"

namespace sw::index::logs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::read_all;
using testing::read_text;

TEST(LogFormats, ByName) {
  for (Format f : {Format::kLines, Format::kJsonl, Format::kSuricataEve, Format::kZeek}) {
    EXPECT_EQ(parse_format(format_name(f)), f);
  }
  EXPECT_EQ(parse_format("suricata-eve"), Format::kSuricataEve);
  EXPECT_EQ(parse_format("csv"), std::nullopt);
  EXPECT_EQ(skip_reason_name(SkipReason::kTooLong), "too-long");
}

TEST(Lines, ClassifiesEachValue) {
  auto reader = LogReader::from_memory(Format::kLines,
                                       "# indicators from the analyst\n"
                                       "  198.51.100.7  \r\n"
                                       "\n"
                                       "2001:db8::1\n"
                                       "evil.example.com\n"
                                       "http://evil.example.com/x\n"
                                       "bob@example.org\n"
                                       "44d88612fea8a8f36de82e1278abb02f\n"
                                       "not a value\n"
                                       "10.0.0.0/8",  // no final newline
                                       "iocs.txt");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 8u);
  EXPECT_EQ(recs[0].line, 2u);
  EXPECT_THAT(recs[0].obs, ElementsAre("ipv4 198.51.100.7 @"));
  EXPECT_THAT(recs[1].obs, ElementsAre("ipv6 2001:db8::1 @"));
  EXPECT_THAT(recs[2].obs, ElementsAre("domain evil.example.com @"));
  EXPECT_THAT(recs[3].obs, ElementsAre("url http://evil.example.com/x @"));
  EXPECT_THAT(recs[4].obs, ElementsAre("email bob@example.org @"));
  EXPECT_THAT(recs[5].obs, ElementsAre("md5 44d88612fea8a8f36de82e1278abb02f @"));
  EXPECT_THAT(recs[6].obs, IsEmpty());
  EXPECT_THAT(recs[7].obs, ElementsAre("ipv4 10.0.0.0/8 @"));
  EXPECT_EQ(recs[7].line, 10u);
  EXPECT_EQ(reader->stats().lines, 10u);
  EXPECT_EQ(reader->stats().unrecognised, 1u);
}

TEST(Lines, BinaryAndInvalidUtf8AreSkipped) {
  static constexpr char kText[] = "a.example\n\x7f" "ELF\x02\x00\x00\nb\xc0\xaf" "z.example\nc.example\n";
  auto reader =
      LogReader::from_memory(Format::kLines, std::string(kText, sizeof(kText) - 1), "t");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].line, 4u);
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kBinary), 1u);
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kInvalidUtf8), 1u);
}

TEST(Jsonl, TopLevelAndOneNestedLevel) {
  const auto recs = read_text(
      Format::kJsonl,
      R"({"@timestamp":"2024-01-15T10:00:00Z","client":{"ip":"10.1.2.3","geo":{"ip":"192.0.2.1"}},"dest":"203.0.113.5","hosts":["a.example.com","nothing here"],"user":"bob@example.org","n":5,"msg":"hello"})"
      "\n");
  ASSERT_EQ(recs.size(), 1u);
  // client.geo.ip is two levels down: not taken.
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 10.1.2.3 @client.ip", "ipv4 203.0.113.5 @dest",
                          "domain a.example.com @hosts", "email bob@example.org @user"));
  EXPECT_EQ(recs[0].timestamp, "2024-01-15T10:00:00Z");
}

TEST(Jsonl, NumberTimestampAndBadLines) {
  auto reader = LogReader::from_memory(Format::kJsonl,
                                       "{\"ts\":1705314225.5,\"ip\":\"10.0.0.1\"}\n"
                                       "\"just a string\"\n"
                                       "{\"ip\":\"10.0.0.1\"\n"
                                       "   \n"
                                       "{\"ip\":\"10.0.0.2\"}\n",
                                       "t");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].timestamp, "1705314225.5");
  EXPECT_EQ(recs[1].line, 5u);
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kNotObject), 1u);
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kInvalidJson), 1u);
}

// Lines split across read chunks at every offset come out whole, and a line longer than the limit
// is dropped wherever it falls.
TEST(LineSplitting, AcrossChunkBoundaries) {
  std::string text;
  std::vector<std::string> want;
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    const int octet = i % 250;
    std::string line = "10.0." + std::to_string(i / 250) + "." + std::to_string(octet);
    if (rng() % 97 == 0) {
      text += std::string(5000, 'x') + "\n";  // too long for the limit below
      continue;
    }
    if (rng() % 5 == 0) line += "\r";  // CRLF
    text += line + "\n";
    want.push_back("ipv4 10.0." + std::to_string(i / 250) + "." + std::to_string(octet) + " @");
  }
  ReaderOptions opt;
  opt.max_line_bytes = 100;
  opt.read_chunk_bytes = 4096;
  auto reader = LogReader::from_memory(Format::kLines, text, "t", opt);
  const auto recs = read_all(*reader);
  std::vector<std::string> got;
  for (const auto& r : recs) got.insert(got.end(), r.obs.begin(), r.obs.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(reader->stats().records + reader->stats().skipped_by(SkipReason::kTooLong), 3000u);
  EXPECT_EQ(reader->stats().bytes, text.size());
}

// Lines longer than the initial buffer but within the limit are read whole.
TEST(LineSplitting, LongLinesWithinTheLimit) {
  ReaderOptions opt;
  opt.read_chunk_bytes = 4096;
  const std::string pad(300'000, 'p');
  std::string text;
  for (int i = 0; i < 3; ++i) {
    text += R"({"pad":")" + pad + R"(","ip":"10.0.0.)" + std::to_string(i) + "\"}\n";
  }
  auto reader = LogReader::from_memory(Format::kJsonl, text, "t", opt);
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_THAT(recs[2].obs, ElementsAre("ipv4 10.0.0.2 @ip"));
  EXPECT_EQ(reader->stats().skipped_total(), 0u);
}

TEST(LineSplitting, ErrorsKeptAreCapped) {
  ReaderOptions opt;
  opt.max_errors_kept = 3;
  std::string text;
  for (int i = 0; i < 50; ++i) text += "{bad\n";
  auto reader = LogReader::from_memory(Format::kJsonl, text, "t", opt);
  EXPECT_THAT(read_all(*reader), IsEmpty());
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kInvalidJson), 50u);
  EXPECT_EQ(reader->errors().size(), 3u);
}

TEST(LineSplitting, ObservablesPerRecordAreCapped) {
  ReaderOptions opt;
  opt.max_observables = 2;
  auto reader = LogReader::from_memory(
      Format::kJsonl, R"({"a":"10.0.0.1","b":"10.0.0.2","c":"10.0.0.3"})", "t", opt);
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].obs.size(), 2u);
  EXPECT_EQ(reader->stats().truncated, 1u);
}

TEST(LogReader, OpensFilesAndNamesMissingOnes) {
  const auto missing = LogReader::open(Format::kLines, "/nonexistent/dir/x.log");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kIo);
  EXPECT_EQ(missing.error().where, "/nonexistent/dir/x.log");

  const auto dir = LogReader::open(Format::kLines, std::filesystem::temp_directory_path());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().message, "is a directory");

  const auto path = std::filesystem::temp_directory_path() / "sw_logs_reader_test.txt";
  {
    std::ofstream out(path);
    out << "198.51.100.7\n";
  }
  auto r = LogReader::open(Format::kLines, path);
  ASSERT_TRUE(r.ok());
  const auto recs = read_all(**r);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_THAT(recs[0].obs, ElementsAre("ipv4 198.51.100.7 @"));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sw::index::logs
