// Suricata EVE reader: the exact observables and flow facts taken from realistic events of each
// type (tests/index/data/logs/eve.json), and the treatment of bad lines.
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

class EveFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = LogReader::open(Format::kSuricataEve, testing::data_dir() / "eve.json");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    reader_ = std::move(*r);
    records_ = read_all(*reader_);
    ASSERT_EQ(records_.size(), 10u);
  }
  std::unique_ptr<LogReader> reader_;
  std::vector<testing::ReadRecord> records_;
};

TEST_F(EveFixture, AlertWithHttpJoinsHostAndPath) {
  const auto& r = records_[0];
  EXPECT_EQ(r.line, 1u);
  EXPECT_THAT(r.obs, ElementsAre("ipv4 10.20.30.40 @src_ip", "ipv4 203.0.113.77 @dest_ip",
                                 "domain dl.bad-example.net @http.hostname",
                                 "url http://dl.bad-example.net/payload/stage2.bin?id=42 @http.url"));
  EXPECT_EQ(r.timestamp, "2024-01-15T10:23:45.123456+0000");
  EXPECT_EQ(r.src_ip, "10.20.30.40");
  EXPECT_EQ(r.dst_ip, "203.0.113.77");
  EXPECT_EQ(r.src_port, 49822);
  EXPECT_EQ(r.dst_port, 80);
  EXPECT_EQ(r.transport, "TCP");
  EXPECT_EQ(r.app_protocol, "http");
}

TEST_F(EveFixture, DnsQuery) {
  EXPECT_THAT(records_[1].obs,
              ElementsAre("ipv4 10.20.30.40 @src_ip", "ipv4 10.20.0.1 @dest_ip",
                          "domain login.phish-example.com @dns.rrname"));
  EXPECT_EQ(records_[1].dst_port, 53);
  EXPECT_EQ(records_[1].transport, "UDP");
}

TEST_F(EveFixture, DnsAnswerTakesNamesAndDataByType) {
  // Grouped answers repeat the detailed ones and are not listed twice.
  EXPECT_THAT(records_[2].obs,
              ElementsAre("ipv4 10.20.0.1 @src_ip", "ipv4 10.20.30.40 @dest_ip",
                          "domain login.phish-example.com @dns.rrname",
                          "domain edge.cdn-example.org @dns.answers[].rdata",
                          "ipv4 198.51.100.23 @dns.answers[].rdata",
                          "ipv6 2001:db8:85a3::8a2e:370:7334 @dns.answers[].rdata"));
}

TEST_F(EveFixture, HttpOnANonDefaultPort) {
  EXPECT_THAT(records_[3].obs,
              ElementsAre("ipv4 10.20.30.41 @src_ip", "ipv4 192.0.2.10 @dest_ip",
                          "domain intranet.example.com @http.hostname",
                          "url http://intranet.example.com:8080/login.php @http.url"));
}

TEST_F(EveFixture, TlsSni) {
  EXPECT_THAT(records_[4].obs,
              ElementsAre("ipv4 10.20.30.42 @src_ip", "ipv4 198.51.100.99 @dest_ip",
                          "domain c2.bad-example.net @tls.sni"));
  EXPECT_EQ(records_[4].dst_port, 443);
  EXPECT_EQ(records_[4].app_protocol, "tls");
}

TEST_F(EveFixture, FileinfoHashes) {
  EXPECT_THAT(
      records_[5].obs,
      ElementsAre("ipv4 203.0.113.77 @src_ip", "ipv4 10.20.30.40 @dest_ip",
                  "domain dl.bad-example.net @http.hostname",
                  "url http://dl.bad-example.net/payload/stage2.bin?id=42 @http.url",
                  "md5 44d88612fea8a8f36de82e1278abb02f @fileinfo.md5",
                  "sha1 3395856ce81f2b7382dee72602f798b642f14140 @fileinfo.sha1",
                  "sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f "
                  "@fileinfo.sha256"));
}

TEST_F(EveFixture, FlowHasOnlyItsAddresses) {
  EXPECT_THAT(records_[6].obs, ElementsAre("ipv4 10.20.30.43 @src_ip", "ipv4 192.0.2.200 @dest_ip"));
  EXPECT_EQ(records_[6].app_protocol, "ssh");
}

TEST_F(EveFixture, SmtpAndEmailAddresses) {
  EXPECT_THAT(records_[7].obs,
              ElementsAre("ipv4 192.0.2.55 @src_ip", "ipv4 10.20.0.25 @dest_ip",
                          "email billing@sender-example.org @smtp.mail_from",
                          "email alice@example.com @smtp.rcpt_to",
                          "email bob@example.com @smtp.rcpt_to"));
}

TEST_F(EveFixture, Ipv6AndDnsV3Queries) {
  EXPECT_THAT(records_[8].obs,
              ElementsAre("ipv6 fe80::1c2b:3dff:fe4e:5f60 @src_ip", "ipv6 ff02::fb @dest_ip",
                          "domain printer.example.com @dns.queries[].rrname"));
}

TEST_F(EveFixture, StatsEventIsARecordWithoutObservables) {
  EXPECT_THAT(records_[9].obs, IsEmpty());
  const ReaderStats& s = reader_->stats();
  EXPECT_EQ(s.lines, 10u);
  EXPECT_EQ(s.records, 10u);
  EXPECT_EQ(s.skipped_total(), 0u);
  EXPECT_EQ(s.unrecognised, 0u);
  EXPECT_EQ(s.observables, 37u);
  EXPECT_THAT(reader_->errors(), IsEmpty());
}

TEST(Eve, EscapedStringsAreUnescapedAndEscapedKeysIgnored) {
  const auto recs = read_text(
      Format::kSuricataEve,
      R"({"src_\u0069p":"10.0.0.1","dest_ip":"10.0.0.2","http":{"hostname":"a.example","url":"\/x\u0020y"}})"
      "\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_THAT(recs[0].obs, ElementsAre("ipv4 10.0.0.2 @dest_ip", "domain a.example @http.hostname",
                                       "url http://a.example/x y @http.url"));
}

TEST(Eve, ValuesThatAreNotWhatTheFieldHoldsAreCounted) {
  auto reader = LogReader::from_memory(
      Format::kSuricataEve,
      R"({"src_ip":"not-an-ip","dest_ip":"10.0.0.2","tls":{"sni":"<none>"},"fileinfo":{"md5":"xyz"},"smtp":{"mail_from":"nobody"}})"
      "\n",
      "t");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_THAT(recs[0].obs, ElementsAre("ipv4 10.0.0.2 @dest_ip"));
  EXPECT_EQ(reader->stats().unrecognised, 4u);
}

TEST(Eve, BadLinesAreSkippedByReasonAndReadingGoesOn) {
  const std::string good = R"({"src_ip":"10.0.0.1"})";
  std::string text;
  text += good + "\n";                                                   // 1
  text += std::string("\x00\x01\x02garbage\xff", 11) + "\n";             // 2 binary
  text += R"({"src_ip":"10.0.0.1","dns":{"rrname":"a.exa)" "\n";         // 3 truncated
  text += "{\"src_ip\":\"10.0.0.\xc3\x28\"}\n";                          // 4 invalid UTF-8
  text += "[1,2,3]\n";                                                   // 5 not an object
  text += good + " trailing\n";                                          // 6 trailing text
  text += "\n";                                                          // 7 blank: not a record
  text += R"({"src_ip":"10.0.0.9","dns":{"answers":[{"rdata":1}]},"x":)" "\n";  // 8 truncated
  text += good + "\n";                                                   // 9
  auto reader = LogReader::from_memory(Format::kSuricataEve, text, "eve.json");
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].line, 9u);
  const ReaderStats& s = reader->stats();
  EXPECT_EQ(s.lines, 9u);
  EXPECT_EQ(s.skipped_by(SkipReason::kBinary), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kInvalidJson), 3u);
  EXPECT_EQ(s.skipped_by(SkipReason::kInvalidUtf8), 1u);
  EXPECT_EQ(s.skipped_by(SkipReason::kNotObject), 1u);
  EXPECT_EQ(s.skipped_total(), 6u);
  ASSERT_EQ(reader->errors().size(), 6u);
  EXPECT_EQ(reader->errors()[0].line, 2u);
  EXPECT_EQ(reader->errors()[0].where, "eve.json:2");
  EXPECT_EQ(reader->errors()[0].reason, SkipReason::kBinary);
  EXPECT_EQ(reader->errors()[1].line, 3u);
  EXPECT_EQ(reader->errors()[4].line, 6u);
  EXPECT_FALSE(reader->errors()[1].message.empty());
}

TEST(Eve, HugeLineIsSkippedWithoutHoldingIt) {
  ReaderOptions opt;
  opt.max_line_bytes = 1000;
  opt.read_chunk_bytes = 4096;
  std::string huge = R"({"src_ip":"10.0.0.1","pad":")" + std::string(50'000, 'a') + "\"}";
  const std::string text = R"({"src_ip":"10.0.0.1"})" "\n" + huge + "\n" +
                           R"({"src_ip":"10.0.0.2"})" "\n" + huge;  // the last has no newline
  auto reader = LogReader::from_memory(Format::kSuricataEve, text, "t", opt);
  const auto recs = read_all(*reader);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_THAT(recs[1].obs, ElementsAre("ipv4 10.0.0.2 @src_ip"));
  EXPECT_EQ(reader->stats().skipped_by(SkipReason::kTooLong), 2u);
  EXPECT_EQ(reader->stats().lines, 4u);
  ASSERT_EQ(reader->errors().size(), 2u);
  EXPECT_EQ(reader->errors()[0].line, 2u);
  EXPECT_EQ(reader->errors()[1].line, 4u);
}

}  // namespace
}  // namespace sw::index::logs
