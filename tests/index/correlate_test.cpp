// Index::Reader::correlate: shared keys, addresses inside blocks, names under filed-for-subdomains
// parents (both directions), the over-correlation cap, and atoms of a report not in the index.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "index/index.h"
#include "index/index_test_util.h"

namespace sw::index {
namespace {

using testing::at;
using testing::indicator;
using testing::sco;

std::string ind_id(uint64_t n) { return "indicator--" + testing::uuid_of(n); }

void apply_all(Index& index, std::vector<stix::Object> objects) {
  auto r = index.apply(objects, at(0));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
}

// id -> shared atoms.
std::map<std::string, uint32_t> peers(const Correlation& c) {
  std::map<std::string, uint32_t> out;
  for (const auto& p : c.peers) out[p.object.id] = p.shared;
  return out;
}

Correlation correlate_ok(Index& index, const std::string& id, CorrelateOptions options = {}) {
  auto r = index.reader().correlate(id, options);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? std::move(r).value() : Correlation{};
}

TEST(Correlate, SharedKeysCountedPerObject) {
  Index index;
  apply_all(
      index,
      {
          indicator(ind_id(1),
                    "[ipv4-addr:value = '1.1.1.1' OR domain-name:value = 'a.example' OR "
                    "file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']"),
          indicator(ind_id(2), "[ipv4-addr:value = '1.1.1.1' OR domain-name:value = 'A.example']"),
          indicator(ind_id(3), "[file:hashes.MD5 = '001DD76872D80801692FF942308C64E6']"),
          indicator(ind_id(4), "[ipv4-addr:value = '2.2.2.2']"),
          sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(5), "\"value\":\"1.1.1.1\"",
              stix::Tlp::kRed),
      });
  const Correlation c = correlate_ok(index, ind_id(1));
  EXPECT_EQ(c.atoms, 3u);
  EXPECT_EQ(peers(c),
            (std::map<std::string, uint32_t>{
                {ind_id(2), 2}, {ind_id(3), 1}, {"ipv4-addr--" + testing::uuid_of(5), 1}}));
  // Most shared first; the TLP travels with the peer for policy filtering.
  ASSERT_EQ(c.peers.size(), 3u);
  EXPECT_EQ(c.peers[0].object.id, ind_id(2));
  EXPECT_EQ(c.peers[0].object.type, "indicator");
  for (const auto& p : c.peers) {
    if (p.object.type == "ipv4-addr") {
      EXPECT_EQ(p.object.tlp, stix::Tlp::kRed);
    }
  }
  EXPECT_TRUE(c.over_correlating.empty());
  EXPECT_TRUE(correlate_ok(index, ind_id(4)).peers.empty());

  auto missing = index.reader().correlate(ind_id(99));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kNotFound);
}

TEST(Correlate, BlocksBothDirections) {
  Index index;
  apply_all(index, {
                       indicator(ind_id(1), "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"),
                       indicator(ind_id(2), "[ipv4-addr:value = '10.1.2.3']"),
                       indicator(ind_id(3), "[ipv4-addr:value = '10.1.0.0/16']"),
                       indicator(ind_id(4), "[ipv4-addr:value = '11.0.0.1']"),
                       indicator(ind_id(5), "[ipv6-addr:value ISSUBSET '2001:db8::/32']"),
                       indicator(ind_id(6), "[ipv6-addr:value = '2001:db8::7']"),
                   });
  // An address: the blocks containing it.
  EXPECT_EQ(peers(correlate_ok(index, ind_id(2))),
            (std::map<std::string, uint32_t>{{ind_id(1), 1}, {ind_id(3), 1}}));
  // A block: the blocks containing it and the keys inside it.
  EXPECT_EQ(peers(correlate_ok(index, ind_id(3))),
            (std::map<std::string, uint32_t>{{ind_id(1), 1}, {ind_id(2), 1}}));
  EXPECT_EQ(peers(correlate_ok(index, ind_id(1))),
            (std::map<std::string, uint32_t>{{ind_id(2), 1}, {ind_id(3), 1}}));
  CorrelateOptions outward;
  outward.contained = false;
  EXPECT_TRUE(peers(correlate_ok(index, ind_id(1), outward)).empty());
  EXPECT_EQ(peers(correlate_ok(index, ind_id(5))),
            (std::map<std::string, uint32_t>{{ind_id(6), 1}}));
  EXPECT_EQ(peers(correlate_ok(index, ind_id(6))),
            (std::map<std::string, uint32_t>{{ind_id(5), 1}}));
}

TEST(Correlate, ContainedByEnumerationAndByScanAgree) {
  // A /24 among many hosts is enumerated (256 probes); a /8 is scanned. Both find the same hosts.
  Index index;
  std::vector<stix::Object> objects;
  for (int i = 0; i < 600; ++i) {
    objects.push_back(
        sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(1000 + i),
            "\"value\":\"10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200) + "\""));
  }
  objects.push_back(indicator(ind_id(1), "[ipv4-addr:value ISSUBSET '10.0.1.0/24']"));
  objects.push_back(indicator(ind_id(2), "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"));
  apply_all(index, std::move(objects));
  CorrelateOptions big;
  big.cap = 10000;
  const auto small_block = peers(correlate_ok(index, ind_id(1), big));
  EXPECT_EQ(small_block.size(), 201u);  // 200 hosts and the /8
  const auto large_block = peers(correlate_ok(index, ind_id(2), big));
  EXPECT_EQ(large_block.size(), 601u);  // 600 hosts and the /24
  for (const auto& [id, n] : small_block) {
    if (id != ind_id(2)) {
      EXPECT_TRUE(large_block.count(id)) << id;
    }
  }
}

TEST(Correlate, DomainsBothDirections) {
  Index index;
  apply_all(index, {
                       indicator(ind_id(1), "[domain-name:value LIKE '%.example.com']"),
                       indicator(ind_id(2), "[domain-name:value = 'www.example.com']"),
                       indicator(ind_id(3), "[domain-name:value = 'example.com']"),
                       indicator(ind_id(4), "[domain-name:value = 'badexample.com']"),
                   });
  EXPECT_EQ(peers(correlate_ok(index, ind_id(2))),
            (std::map<std::string, uint32_t>{{ind_id(1), 1}}));
  // The filed-for-subdomains key: the same name, and the names under it.
  EXPECT_EQ(peers(correlate_ok(index, ind_id(1))),
            (std::map<std::string, uint32_t>{{ind_id(2), 1}, {ind_id(3), 1}}));
  EXPECT_EQ(peers(correlate_ok(index, ind_id(3))),
            (std::map<std::string, uint32_t>{{ind_id(1), 1}}));
  EXPECT_TRUE(peers(correlate_ok(index, ind_id(4))).empty());
}

TEST(Correlate, OverCorrelatingKeysAreReportedNotExpanded) {
  Index::Options options;
  options.over_correlation_cap = 3;
  Index index(options);
  std::vector<stix::Object> objects;
  for (int i = 1; i <= 5; ++i) {
    objects.push_back(
        indicator(ind_id(i), "[ipv4-addr:value = '8.8.8.8' OR domain-name:value = 'd" +
                                 std::to_string(i % 2) + ".example']"));
  }
  apply_all(index, std::move(objects));
  EXPECT_EQ(index.stats().over_correlating, 1u);  // 8.8.8.8: 5 > 3

  CorrelateOptions opt;
  opt.cap = 3;
  const Correlation c = correlate_ok(index, ind_id(1), opt);
  ASSERT_EQ(c.over_correlating.size(), 1u);
  EXPECT_EQ(c.over_correlating[0].kind, Kind::kIpv4);
  EXPECT_EQ(c.over_correlating[0].key, "8.8.8.8");
  EXPECT_EQ(c.over_correlating[0].objects, 5u);
  // Only the domain expands: d1.example is shared by 1, 3, 5.
  EXPECT_EQ(peers(c), (std::map<std::string, uint32_t>{{ind_id(3), 1}, {ind_id(5), 1}}));
  // With a higher cap, everything expands.
  opt.cap = 1000;
  EXPECT_EQ(peers(correlate_ok(index, ind_id(1), opt)),
            (std::map<std::string, uint32_t>{
                {ind_id(2), 1}, {ind_id(3), 2}, {ind_id(4), 1}, {ind_id(5), 2}}));

  // A block whose contents add up to more than the cap is reported as a whole.
  apply_all(index, {indicator(ind_id(10), "[ipv4-addr:value ISSUBSET '8.0.0.0/8']")});
  opt.cap = 3;
  const Correlation b = correlate_ok(index, ind_id(10), opt);
  ASSERT_EQ(b.over_correlating.size(), 1u);
  EXPECT_EQ(b.over_correlating[0].key, "8.0.0.0/8");
  EXPECT_EQ(b.over_correlating[0].objects, 5u);
  EXPECT_TRUE(b.peers.empty());

  // Removing objects brings the key back under the cap.
  for (int i = 1; i <= 3; ++i) {
    apply_all(index, {indicator(ind_id(i), "[ipv4-addr:value = '9.9.9.9']", at(1))});
  }
  EXPECT_EQ(index.stats().over_correlating, 0u);
}

TEST(Correlate, AReportNotInTheIndex) {
  Index index;
  apply_all(index, {
                       indicator(ind_id(1), "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"),
                       indicator(ind_id(2), "[domain-name:value LIKE '%.evil.example']"),
                       indicator(ind_id(3), "[url:value = 'http://evil.example/x']"),
                       indicator(ind_id(4), "[domain-name:value = 'a.evil.example']"),
                   });
  const std::vector<AtomValue> report = {
      {Kind::kIpv4, "198.51.100.7"},
      {Kind::kDomain, "A.Evil.Example"},
      {Kind::kUrl, "HTTP://evil.example:80/x"},
      {Kind::kIpv4, "not an address"},
      {Kind::kDomain, "evil.example", true},  // the report files evil.example for its subdomains
  };
  const Correlation c = index.reader().correlate(report);
  EXPECT_EQ(c.atoms, 4u);
  EXPECT_EQ(c.skipped, 1u);
  EXPECT_EQ(peers(c), (std::map<std::string, uint32_t>{
                          {ind_id(1), 1}, {ind_id(2), 2}, {ind_id(3), 1}, {ind_id(4), 2}}));
}

TEST(Correlate, ManyAtomsAgainstALargerIndex) {
  // Not a timing test: a report of 20k values against 50k objects gives the counts a
  // straightforward count by value gives.
  Index index;
  std::mt19937 rng(7);
  std::map<std::string, std::vector<int>> owners;  // value -> objects
  std::vector<stix::Object> objects;
  for (int i = 0; i < 50000; ++i) {
    const std::string v = "10." + std::to_string(rng() % 4) + "." + std::to_string(rng() % 256) +
                          "." + std::to_string(rng() % 256);
    owners[v].push_back(i);
    objects.push_back(
        sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(i), "\"value\":\"" + v + "\""));
  }
  apply_all(index, std::move(objects));
  std::vector<std::string> values;
  std::map<std::string, uint32_t> want;
  for (int i = 0; i < 20000; ++i) {
    values.push_back("10." + std::to_string(rng() % 4) + "." + std::to_string(rng() % 256) + "." +
                     std::to_string(rng() % 256));
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<AtomValue> report;
  for (const std::string& v : values) {
    report.push_back({Kind::kIpv4, v});
    if (auto it = owners.find(v); it != owners.end()) {
      for (int o : it->second) ++want["ipv4-addr--" + testing::uuid_of(o)];
    }
  }
  const Correlation c = index.reader().correlate(report);
  EXPECT_EQ(peers(c), want);
  EXPECT_GT(want.size(), 1000u);
}

}  // namespace
}  // namespace sw::index
