// Zeek reader: TSV logs (conn, dns, http, files, ssl, smtp; several blocks in one stream) and
// JSON logs, with the exact observables taken; headers, escapes and bad rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/logs/reader.h"
#include "logs_test_util.h"

namespace sw::index::logs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::read_all;
using testing::read_text;

std::vector<testing::ReadRecord> read_fixture(const char* name, ReaderStats* stats = nullptr) {
  auto r = LogReader::open(Format::kZeek, testing::data_dir() / name);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  if (!r.ok()) return {};
  auto recs = read_all(**r);
  if (stats) *stats = (*r)->stats();
  EXPECT_THAT((*r)->errors(), IsEmpty()) << (*r)->errors()[0].where << ": "
                                         << (*r)->errors()[0].message;
  return recs;
}

TEST(ZeekTsv, Conn) {
  ReaderStats s;
  const auto recs = read_fixture("zeek_conn.log", &s);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].line, 9u);  // after eight header lines
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h"));
  EXPECT_EQ(recs[0].timestamp, "1705314225.123456");
  EXPECT_EQ(recs[0].src_port, 49822);
  EXPECT_EQ(recs[0].dst_port, 443);
  EXPECT_EQ(recs[0].transport, "tcp");
  EXPECT_EQ(recs[0].app_protocol, "ssl");
  EXPECT_EQ(recs[1].app_protocol, "dns");
  EXPECT_THAT(recs[2].obs, ElementsAre("ipv6 2001:db8::10 @id.orig_h", "ipv6 2001:db8:1::20 @id.resp_h"));
  EXPECT_EQ(recs[2].app_protocol, "");  // unset
  EXPECT_EQ(s.lines, 12u);
  EXPECT_EQ(s.records, 3u);
}

TEST(ZeekTsv, DnsQueryAndAnswers) {
  const auto recs = read_fixture("zeek_dns.log");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 10.20.30.41 @id.orig_h", "ipv4 10.20.0.1 @id.resp_h",
                          "domain login.phish-example.com @query",
                          "domain edge.cdn-example.org @answers", "ipv4 198.51.100.23 @answers"));
  // TXT data is not an observable.
  EXPECT_THAT(recs[1].obs, ElementsAre("ipv4 10.20.30.42 @id.orig_h", "ipv4 10.20.0.1 @id.resp_h",
                                       "domain example.org @query"));
}

TEST(ZeekTsv, HttpHostAndUriMakeAUrl) {
  const auto recs = read_fixture("zeek_http.log");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h",
                          "domain dl.bad-example.net @host",
                          "url http://dl.bad-example.net/payload/stage2.bin?id=42 @uri"));
  // The host keeps its port in the URL; \x09 in the URI is decoded.
  EXPECT_THAT(recs[1].obs,
              ElementsAre("ipv4 10.20.30.41 @id.orig_h", "ipv4 192.0.2.10 @id.resp_h",
                          "domain intranet.example.com @host",
                          "url http://intranet.example.com:8080/a\tb.html @uri"));
}

TEST(ZeekTsv, SeveralLogsInOneStream) {
  ReaderStats s;
  const auto recs = read_fixture("zeek_mixed.log", &s);
  ASSERT_EQ(recs.size(), 3u);
  // files.log: set[addr] columns and hashes.
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 203.0.113.77 @tx_hosts", "ipv4 10.20.30.40 @rx_hosts",
                          "md5 44d88612fea8a8f36de82e1278abb02f @md5",
                          "sha1 3395856ce81f2b7382dee72602f798b642f14140 @sha1",
                          "sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f "
                          "@sha256"));
  EXPECT_EQ(recs[0].src_ip, "");
  // ssl.log
  EXPECT_THAT(recs[1].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h",
                          "domain c2.bad-example.net @server_name"));
  // smtp.log: mail addresses (the escaped comma in the display name stays inside it), and the
  // addr / vector[addr] columns found by their #types.
  EXPECT_THAT(recs[2].obs,
              ElementsAre("ipv4 192.0.2.55 @id.orig_h", "ipv4 10.20.0.25 @id.resp_h",
                          "email billing@sender-example.org @mailfrom",
                          "email alice@example.com @rcptto", "email bob@example.com @rcptto",
                          "ipv4 198.51.100.200 @x_originating_ip"));
  EXPECT_EQ(s.unrecognised, 0u);
}

TEST(ZeekJson, SameFieldsAsTsv) {
  const auto recs = read_fixture("zeek.json");
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_THAT(recs[0].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h"));
  EXPECT_EQ(recs[0].timestamp, "1705314225.123456");
  EXPECT_EQ(recs[0].dst_port, 443);
  EXPECT_EQ(recs[0].transport, "tcp");
  EXPECT_THAT(recs[1].obs,
              ElementsAre("ipv4 10.20.30.41 @id.orig_h", "ipv4 10.20.0.1 @id.resp_h",
                          "domain login.phish-example.com @query",
                          "domain edge.cdn-example.org @answers", "ipv4 198.51.100.23 @answers"));
  EXPECT_THAT(recs[2].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h",
                          "domain dl.bad-example.net @host",
                          "url http://dl.bad-example.net/payload/stage2.bin?id=42 @uri"));
  EXPECT_EQ(recs[2].timestamp, "2024-01-15T10:25:00.331002Z");
  EXPECT_THAT(recs[3].obs,
              ElementsAre("ipv4 203.0.113.77 @tx_hosts", "ipv4 10.20.30.40 @rx_hosts",
                          "md5 44d88612fea8a8f36de82e1278abb02f @md5",
                          "sha1 3395856ce81f2b7382dee72602f798b642f14140 @sha1",
                          "sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f "
                          "@sha256"));
  // The nested "id" form.
  EXPECT_THAT(recs[4].obs,
              ElementsAre("ipv4 10.20.30.40 @id.orig_h", "ipv4 203.0.113.77 @id.resp_h",
                          "domain c2.bad-example.net @server_name"));
  EXPECT_EQ(recs[4].src_port, 49822);
}

TEST(ZeekTsv, OtherSeparatorsAndUnsetMarkers) {
  const std::string text =
      "#separator \\x7c\n"
      "#set_separator|;\n"
      "#empty_field|EMPTY\n"
      "#unset_field|NONE\n"
      "#fields|ts|id.orig_h|id.resp_h|answers\n"
      "#types|time|addr|addr|vector[string]\n"
      "1.5|10.0.0.1|NONE|a.example;192.0.2.1\n"
      "2.5|10.0.0.2|10.0.0.3|EMPTY\n";
  const auto recs = read_text(Format::kZeek, text);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].obs, ElementsAre("ipv4 10.0.0.1 @id.orig_h", "domain a.example @answers",
                                       "ipv4 192.0.2.1 @answers"));
  EXPECT_EQ(recs[0].dst_ip, "");
  EXPECT_THAT(recs[1].obs, ElementsAre("ipv4 10.0.0.2 @id.orig_h", "ipv4 10.0.0.3 @id.resp_h"));
}

TEST(ZeekTsv, BadRowsAreSkippedAndCounted) {
  std::string text = "1.0\t10.0.0.1\n";  // 1: before any header
  text +=
      "#separator \\x09\n"
      "#fields\tts\tid.orig_h\tid.resp_h\n"
      "#types\ttime\taddr\taddr\n";                   // 2-4
  text += "1.0\t10.0.0.1\t10.0.0.2\n";                // 5: good
  text += "1.0\t10.0.0.1\n";                          // 6: truncated
  text += std::string("1.0\t10.0.0.1\t\x00\x01", 15) + "\n";  // 7: binary
  text += "1.0\t10.0.0.1\t10.0.0.\xff\n";             // 8: invalid UTF-8
  text += "{\"id.orig_h\":\"10.0.0.7\"\n";            // 9: truncated JSON
  text += "1.0\t10.0.0.3\t10.0.0.4\n";                // 10: good
  auto reader = LogReader::from_memory(Format::kZeek, text, "conn.log");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 5u);
  EXPECT_EQ(recs[1].line, 10u);
  const ReaderStats& s = reader->stats();
  EXPECT_EQ(s.skipped_by(SkipReason::kNoHeader), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kFieldCount), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kBinary), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kInvalidUtf8), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kInvalidJson), 1u);
  ASSERT_EQ(reader->errors().size(), 5u);
  EXPECT_EQ(reader->errors()[0].where, "conn.log:1");
  EXPECT_EQ(reader->errors()[1].where, "conn.log:6");
}

}  // namespace
}  // namespace sw::index::logs
