// Log records as STIX observed data: full patterns evaluated by the matcher against what the
// readers build from real-looking EVE and Zeek records; log time formats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time.h"
#include "index/logs/observation.h"
#include "index/logs/reader.h"
#include "logs_test_util.h"
#include "pattern/matcher.h"
#include "pattern/pattern.h"

namespace sw::index::logs {
namespace {

core::Timestamp now() { return core::from_micros(1'700'000'000'000'000); }

// The observation of record `index` (0-based) of a fixture.
pattern::Observation observation_of(Format format, const char* fixture, size_t index) {
  auto reader = LogReader::open(format, testing::data_dir() / fixture);
  EXPECT_TRUE(reader.ok());
  Record r;
  for (size_t i = 0;; ++i) {
    auto n = (*reader)->next(r);
    EXPECT_TRUE(n.ok() && *n) << "fixture has fewer records";
    if (!n.ok() || !*n) return {};
    if (i == index) break;
  }
  auto o = build_observation(r, now());
  EXPECT_TRUE(o.ok()) << o.error().to_string();
  return o.ok() ? std::move(*o) : pattern::Observation{};
}

bool matches(std::string_view pattern_text, const pattern::Observation& o) {
  auto p = pattern::Pattern::compile(pattern_text);
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  if (!p.ok()) return false;
  pattern::Matcher m;
  auto r = m.match(*p, std::span<const pattern::Observation>(&o, 1));
  EXPECT_TRUE(r.ok());
  return r.ok() && *r;
}

TEST(LogObservation, EveTlsFlowMatchesNetworkTrafficPattern) {
  const auto o = observation_of(Format::kSuricataEve, "eve.json", 4);
  EXPECT_TRUE(matches(
      "[network-traffic:dst_ref.value = '198.51.100.99' AND network-traffic:dst_port = 443]", o));
  EXPECT_FALSE(matches(
      "[network-traffic:dst_ref.value = '198.51.100.99' AND network-traffic:dst_port = 80]", o));
  EXPECT_TRUE(matches("[network-traffic:src_ref.value = '10.20.30.42' AND "
                      "network-traffic:protocols[*] = 'tls' AND network-traffic:protocols[*] = 'tcp']",
                      o));
  EXPECT_TRUE(matches("[domain-name:value = 'c2.bad-example.net']", o));
  EXPECT_TRUE(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", o));
  EXPECT_EQ(core::format_timestamp(o.first_observed(), 6), "2024-01-15T10:26:30.870001Z");
  EXPECT_EQ(o.first_observed(), o.last_observed());
}

TEST(LogObservation, ZeekConnUsesTsAsTime) {
  const auto o = observation_of(Format::kZeek, "zeek_conn.log", 0);
  EXPECT_TRUE(matches(
      "[network-traffic:dst_ref.value = '203.0.113.77' AND network-traffic:dst_port = 443]", o));
  EXPECT_TRUE(matches("[network-traffic:dst_ref.value = '203.0.113.77'] START "
                      "t'2024-01-15T10:00:00Z' STOP t'2024-01-15T11:00:00Z'",
                      o));
  EXPECT_FALSE(matches("[network-traffic:dst_ref.value = '203.0.113.77'] START "
                       "t'2024-01-16T00:00:00Z' STOP t'2024-01-17T00:00:00Z'",
                       o));
}

TEST(LogObservation, DnsAnswerResolvesTheQueriedName) {
  const auto o = observation_of(Format::kSuricataEve, "eve.json", 2);
  EXPECT_TRUE(matches(
      "[domain-name:value = 'login.phish-example.com' AND "
      "domain-name:resolves_to_refs[*].value = '198.51.100.23']",
      o));
  EXPECT_TRUE(matches("[ipv6-addr:value = '2001:db8:85a3::8a2e:370:7334']", o));
}

TEST(LogObservation, FileHashesUrlAndMail) {
  const auto f = observation_of(Format::kSuricataEve, "eve.json", 5);
  EXPECT_TRUE(matches("[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f' AND "
                      "file:hashes.'SHA-256' = "
                      "'275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']",
                      f));
  EXPECT_TRUE(matches("[url:value = 'http://dl.bad-example.net/payload/stage2.bin?id=42']", f));
  const auto m = observation_of(Format::kSuricataEve, "eve.json", 7);
  EXPECT_TRUE(matches("[email-addr:value = 'bob@example.com']", m));
}

TEST(LogObservation, RecordWithoutTimeUsesNow) {
  auto reader = LogReader::from_memory(Format::kLines, "evil.example.com\n", "t");
  Record r;
  ASSERT_TRUE(*reader->next(r));
  auto o = build_observation(r, now());
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  EXPECT_EQ(o->first_observed(), now());
  EXPECT_TRUE(matches("[domain-name:value = 'evil.example.com']", *o));
  // Same record, same text.
  EXPECT_EQ(observation_json(r, now()).observed_data, observation_json(r, now()).observed_data);
}

TEST(LogTime, Forms) {
  const auto fmt = [](std::string_view t) {
    auto ts = parse_log_time(t);
    return ts.ok() ? core::format_timestamp(*ts, 0) : "error: " + ts.error().message;
  };
  EXPECT_EQ(fmt("1705314225.123456"), "2024-01-15T10:23:45.123456Z");
  EXPECT_EQ(fmt("1705314225"), "2024-01-15T10:23:45Z");
  EXPECT_EQ(fmt("2024-01-15T10:23:45.123456+0000"), "2024-01-15T10:23:45.123456Z");
  EXPECT_EQ(fmt("2024-01-15T11:23:45.5+01:00"), "2024-01-15T10:23:45.5Z");
  EXPECT_EQ(fmt("2024-01-15T05:23:45-05"), "2024-01-15T10:23:45Z");
  EXPECT_EQ(fmt("2024-01-15 10:23:45"), "2024-01-15T10:23:45Z");
  EXPECT_EQ(fmt("2024-01-15T10:23:45Z"), "2024-01-15T10:23:45Z");
  EXPECT_THAT(fmt("yesterday"), ::testing::StartsWith("error"));
  EXPECT_THAT(fmt("2024-13-15T10:23:45Z"), ::testing::StartsWith("error"));
  EXPECT_THAT(fmt("2024-01-15T10:23:45+2500"), ::testing::StartsWith("error"));
}

}  // namespace
}  // namespace sw::index::logs
