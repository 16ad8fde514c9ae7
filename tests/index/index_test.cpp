// Index: look-ups (exact, containing blocks, parent domains), versions, revocation, expiry, hit
// fields; and a property test against a brute-force reference on random data and updates.
#include "index/index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "index/index_test_util.h"
#include "pattern/ip.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"

namespace sw::index {
namespace {

using testing::at;
using testing::indicator;
using testing::IndicatorSpec;
using testing::sco;

std::string ind_id(uint64_t n) { return "indicator--" + testing::uuid_of(n); }

// (id, key, match, decided) of every hit, sorted.
using HitTuple = std::tuple<std::string, std::string, Match, bool>;
std::vector<HitTuple> hits(Index& index, Kind kind, std::string_view value) {
  std::vector<HitTuple> out;
  auto r = index.reader();
  const size_t n = r.lookup(kind, value, [&](const Hit& h) {
    out.emplace_back(h.id(), std::string(h.key), h.match, h.decided);
  });
  EXPECT_EQ(n, out.size());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> hit_ids(Index& index, Kind kind, std::string_view value) {
  std::vector<std::string> ids;
  for (const auto& h : hits(index, kind, value)) ids.push_back(std::get<0>(h));
  return ids;
}

void apply_ok(Index& index, const stix::Object& o, core::Timestamp now = at(0)) {
  auto r = index.apply(o, now);
  EXPECT_TRUE(r.errors.empty()) << r.errors.front().to_string();
}

TEST(Index, ExactKinds) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[ipv4-addr:value = '198.51.100.7']"));
  apply_ok(index, indicator(ind_id(2), "[url:value = 'HTTP://Example.com:80/a%7e']"));
  apply_ok(index, indicator(ind_id(3), "[file:hashes.MD5 = '001DD76872D80801692FF942308C64E6']"));
  apply_ok(index, indicator(ind_id(4), "[email-addr:value = 'Boss@Example.com']"));
  apply_ok(index, indicator(ind_id(5), "[x509-certificate:issuer = 'CN=WEBMAIL']"));
  apply_ok(index, indicator(ind_id(6), "[ipv6-addr:value = '2001:db8::1']"));

  EXPECT_EQ(hits(index, Kind::kIpv4, "198.51.100.7"),
            (std::vector<HitTuple>{{ind_id(1), "198.51.100.7", Match::kExact, true}}));
  EXPECT_TRUE(hits(index, Kind::kIpv4, "198.51.100.8").empty());
  EXPECT_EQ(hit_ids(index, Kind::kUrl, "http://example.com/a~"), std::vector{ind_id(2)});
  EXPECT_EQ(hit_ids(index, Kind::kUrl, "http://EXAMPLE.com/a%7E#x"), std::vector{ind_id(2)});
  EXPECT_EQ(hit_ids(index, Kind::kMd5, "001dd76872d80801692ff942308c64e6"), std::vector{ind_id(3)});
  EXPECT_EQ(hits(index, Kind::kMd5, "001DD76872D80801692FF942308C64E6"),
            (std::vector<HitTuple>{
                {ind_id(3), "001dd76872d80801692ff942308c64e6", Match::kExact, true}}));
  EXPECT_TRUE(hits(index, Kind::kSha1, "001dd76872d80801692ff942308c64e6").empty());
  EXPECT_EQ(hit_ids(index, Kind::kEmail, "Boss@EXAMPLE.COM"), std::vector{ind_id(4)});
  EXPECT_TRUE(hits(index, Kind::kEmail, "boss@example.com").empty());  // the local part is exact
  EXPECT_EQ(hit_ids(index, Kind::kOther, other_key("x509-certificate:issuer", "CN=WEBMAIL")),
            std::vector{ind_id(5)});
  EXPECT_EQ(hit_ids(index, Kind::kIpv6, "2001:DB8:0::1"), std::vector{ind_id(6)});
  // Values that are not of the kind have no hits.
  EXPECT_TRUE(hits(index, Kind::kIpv4, "not an address").empty());
  EXPECT_TRUE(hits(index, Kind::kMd5, "xyz").empty());
  EXPECT_TRUE(hits(index, Kind::kDomain, "bad name!").empty());
}

TEST(Index, ContainingBlocksLongestFirst) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"));
  apply_ok(index, indicator(ind_id(2), "[ipv4-addr:value = '10.1.0.0/16']"));
  apply_ok(index, indicator(ind_id(3), "[ipv4-addr:value = '10.1.2.3']"));
  apply_ok(index, indicator(ind_id(4), "[ipv4-addr:value ISSUBSET '0.0.0.0/0']"));
  apply_ok(index, indicator(ind_id(5), "[ipv4-addr:value = '10.1.2.4']"));

  {
    std::vector<std::string> keys;
    auto r = index.reader();  // one Reader per thread at a time: it holds the shared lock
    r.lookup(Kind::kIpv4, "10.1.2.3", [&](const Hit& h) { keys.emplace_back(h.key); });
    EXPECT_EQ(keys,
              (std::vector<std::string>{"10.1.2.3", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"}));
  }

  EXPECT_EQ(hits(index, Kind::kIpv4, "10.1.2.3"),
            (std::vector<HitTuple>{
                {ind_id(1), "10.0.0.0/8", Match::kContainingBlock, true},
                {ind_id(2), "10.1.0.0/16", Match::kContainingBlock, false},  // `=` compares blocks
                {ind_id(3), "10.1.2.3", Match::kExact, true},
                {ind_id(4), "0.0.0.0/0", Match::kContainingBlock, true}}));
  // A block looks up the blocks containing it, and itself; not the addresses inside it.
  EXPECT_EQ(hits(index, Kind::kIpv4, "10.1.255.255/16"),
            (std::vector<HitTuple>{{ind_id(1), "10.0.0.0/8", Match::kContainingBlock, true},
                                   {ind_id(2), "10.1.0.0/16", Match::kExact, true},
                                   {ind_id(4), "0.0.0.0/0", Match::kContainingBlock, true}}));
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "192.0.2.1"), std::vector{ind_id(4)});
}

TEST(Index, Ipv6Blocks) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[ipv6-addr:value ISSUBSET '2001:db8::/32']"));
  apply_ok(index, indicator(ind_id(2), "[ipv6-addr:value ISSUBSET '2001:db8:1::/48']"));
  apply_ok(index, indicator(ind_id(3), "[ipv6-addr:value ISSUBSET '2001:db8:1:2:3:4:5:0/127']"));
  apply_ok(index, indicator(ind_id(4), "[ipv6-addr:value ISSUBSET '::/0']"));
  EXPECT_EQ(
      hits(index, Kind::kIpv6, "2001:db8:1:2:3:4:5:1"),
      (std::vector<HitTuple>{{ind_id(1), "2001:db8::/32", Match::kContainingBlock, true},
                             {ind_id(2), "2001:db8:1::/48", Match::kContainingBlock, true},
                             {ind_id(3), "2001:db8:1:2:3:4:5:0/127", Match::kContainingBlock, true},
                             {ind_id(4), "::/0", Match::kContainingBlock, true}}));
  EXPECT_EQ(hit_ids(index, Kind::kIpv6, "2001:db9::1"), std::vector{ind_id(4)});
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.2.3.4").empty());  // families do not mix
}

TEST(Index, ParentDomains) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[domain-name:value = 'example.com']"));
  apply_ok(index, indicator(ind_id(2), "[domain-name:value LIKE '%.example.com']"));
  apply_ok(index, indicator(ind_id(3), "[domain-name:value LIKE '%b.example.com']"));
  apply_ok(index, indicator(ind_id(4), "[domain-name:value = 'a.b.example.com']"));
  apply_ok(index, indicator(ind_id(5), "[domain-name:value LIKE '%.com']"));

  EXPECT_EQ(hits(index, Kind::kDomain, "A.B.Example.com."),
            (std::vector<HitTuple>{{ind_id(2), "example.com", Match::kParentDomain, true},
                                   {ind_id(3), "b.example.com", Match::kParentDomain, true},
                                   {ind_id(4), "a.b.example.com", Match::kExact, true},
                                   {ind_id(5), "com", Match::kParentDomain, true}}));
  // The name itself: an exact atom decides; '%.example.com' does not match example.com.
  EXPECT_EQ(hits(index, Kind::kDomain, "example.com"),
            (std::vector<HitTuple>{{ind_id(1), "example.com", Match::kExact, true},
                                   {ind_id(2), "example.com", Match::kExact, false},
                                   {ind_id(5), "com", Match::kParentDomain, true}}));
  // '%b.example.com' matches b.example.com itself.
  EXPECT_EQ(hit_ids(index, Kind::kDomain, "b.example.com"),
            (std::vector<std::string>{ind_id(2), ind_id(3), ind_id(5)}));
  EXPECT_EQ(hit_ids(index, Kind::kDomain, "example.org"), std::vector<std::string>{});
}

TEST(Index, HitFields) {
  Index index;
  IndicatorSpec s;
  s.id = ind_id(1);
  s.pattern = "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443]";
  s.modified = at(60);
  s.tlp = stix::Tlp::kAmber;
  s.created_by_ref = "identity--" + testing::uuid_of(9);
  apply_ok(index, indicator(s));
  apply_ok(index, sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(2),
                      "\"value\":\"198.51.100.7\"", stix::Tlp::kGreen));
  std::vector<Hit> got;
  auto r = index.reader();
  r.lookup(Kind::kIpv4, "198.51.100.7", [&](const Hit& h) { got.push_back(h); });
  ASSERT_EQ(got.size(), 2u);
  if (got[0].type != "indicator") std::swap(got[0], got[1]);
  EXPECT_EQ(got[0].id(), ind_id(1));
  EXPECT_EQ(got[0].kind, Kind::kIpv4);
  EXPECT_EQ(got[0].match, Match::kExact);
  EXPECT_EQ(got[0].modified, at(60));
  EXPECT_EQ(got[0].tlp, stix::Tlp::kAmber);
  EXPECT_EQ(got[0].owner, "identity--" + testing::uuid_of(9));
  EXPECT_EQ(got[1].owner, "");
  EXPECT_FALSE(got[0].decided);
  ASSERT_NE(got[0].pattern, nullptr);
  EXPECT_EQ(got[1].id(), "ipv4-addr--" + testing::uuid_of(2));
  EXPECT_EQ(got[1].tlp, stix::Tlp::kGreen);
  EXPECT_TRUE(got[1].decided);
  EXPECT_EQ(got[1].pattern, nullptr);

  // The caller evaluates the kept pattern in full.
  const std::string od =
      R"({"type":"observed-data","id":"observed-data--)" + testing::uuid_of(3) +
      R"(","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z",)"
      R"("number_observed":1,"object_refs":["network-traffic--)" +
      testing::uuid_of(4) + R"(","ipv4-addr--)" + testing::uuid_of(5) + R"("]})";
  auto eval = [&](int port) {
    const std::string nt = R"({"type":"network-traffic","id":"network-traffic--)" +
                           testing::uuid_of(4) + R"(","dst_ref":"ipv4-addr--)" +
                           testing::uuid_of(5) + R"(","dst_port":)" + std::to_string(port) +
                           R"(,"protocols":["tcp"]})";
    const std::string ip = R"({"type":"ipv4-addr","id":"ipv4-addr--)" + testing::uuid_of(5) +
                           R"(","value":"198.51.100.7"})";
    const std::string_view objs[] = {nt, ip};
    auto obs = pattern::Observation::from_json_21(od, objs);
    EXPECT_TRUE(obs.ok()) << obs.error().to_string();
    pattern::Matcher m;
    auto res = m.match(*got[0].pattern->get(), std::span(&*obs, 1));
    return res.ok() && *res;
  };
  EXPECT_TRUE(eval(443));
  EXPECT_FALSE(eval(80));
}

TEST(Index, NewVersionsReplaceOlderAreIgnored) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[ipv4-addr:value = '1.1.1.1']", at(10)));
  auto r = index.apply(indicator(ind_id(1), "[ipv4-addr:value = '2.2.2.2']", at(20)), at(0));
  EXPECT_EQ(r.indexed, 1u);
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.1.1.1").empty());
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "2.2.2.2"), std::vector{ind_id(1)});

  r = index.apply(indicator(ind_id(1), "[ipv4-addr:value = '3.3.3.3']", at(15)), at(0));
  EXPECT_EQ(r.ignored_older, 1u);
  r = index.apply(indicator(ind_id(1), "[ipv4-addr:value = '3.3.3.3']", at(20)), at(0));
  EXPECT_EQ(r.ignored_older, 1u);  // the same version
  EXPECT_TRUE(hits(index, Kind::kIpv4, "3.3.3.3").empty());
  EXPECT_EQ(index.stats().ignored_older, 2u);

  // Two versions in one batch: the later wins, whatever the order.
  std::vector<stix::Object> batch = {indicator(ind_id(2), "[ipv4-addr:value = '5.5.5.5']", at(50)),
                                     indicator(ind_id(2), "[ipv4-addr:value = '4.4.4.4']", at(40))};
  index.apply(batch, at(0));
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "5.5.5.5"), std::vector{ind_id(2)});
  EXPECT_TRUE(hits(index, Kind::kIpv4, "4.4.4.4").empty());
  const Stats st = index.stats();
  EXPECT_EQ(st.objects, 2u);
  EXPECT_EQ(st.atoms[static_cast<size_t>(Kind::kIpv4)], 2u);
  EXPECT_EQ(st.keys[static_cast<size_t>(Kind::kIpv4)], 2u);
}

TEST(Index, RevokedLeavesAndStaysOut) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[domain-name:value = 'a.example']", at(10)));
  IndicatorSpec s;
  s.id = ind_id(1);
  s.pattern = "[domain-name:value = 'a.example']";
  s.modified = at(20);
  s.revoked = true;
  auto r = index.apply(indicator(s), at(0));
  EXPECT_EQ(r.removed, 1u);
  EXPECT_TRUE(hits(index, Kind::kDomain, "a.example").empty());
  EXPECT_FALSE(index.reader().contains(ind_id(1)));
  // An older version arriving late stays out.
  r = index.apply(indicator(ind_id(1), "[domain-name:value = 'a.example']", at(15)), at(0));
  EXPECT_EQ(r.ignored_older, 1u);
  EXPECT_TRUE(hits(index, Kind::kDomain, "a.example").empty());
  const Stats st = index.stats();
  EXPECT_EQ(st.objects, 0u);
  EXPECT_EQ(st.tombstones, 1u);
  EXPECT_EQ(st.total_atoms(), 0u);
  EXPECT_EQ(st.keys[static_cast<size_t>(Kind::kDomain)], 0u);
  // A revoked object never seen is not remembered.
  s.id = ind_id(2);
  r = index.apply(indicator(s), at(0));
  EXPECT_EQ(r.without_atoms, 1u);
  EXPECT_EQ(index.stats().tombstones, 1u);
}

TEST(Index, ValidUntilAndExpire) {
  Index index;
  IndicatorSpec s;
  s.id = ind_id(1);
  s.pattern = "[ipv4-addr:value = '1.1.1.1']";
  s.valid_until = "2020-01-01T01:00:00Z";  // at(3600)
  // Already past at apply time: not indexed.
  auto r = index.apply(indicator(s), at(3600));
  EXPECT_EQ(r.without_atoms, 1u);
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.1.1.1").empty());
  // Still valid: indexed until expire() passes valid_until.
  r = index.apply(indicator(s), at(100));
  EXPECT_EQ(r.indexed, 1u);
  EXPECT_EQ(index.expire(at(3599)), 0u);
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "1.1.1.1"), std::vector{ind_id(1)});
  EXPECT_EQ(index.expire(at(3600)), 1u);
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.1.1.1").empty());
  EXPECT_EQ(index.stats().expired, 1u);
  // A new version with a later valid_until comes back; the stale expiry entry does not remove it.
  s.modified = at(10);
  s.valid_until = "2020-01-02T00:00:00Z";
  apply_ok(index, indicator(s), at(4000));
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "1.1.1.1"), std::vector{ind_id(1)});
  EXPECT_EQ(index.expire(at(5000)), 0u);
  // apply() expires too.
  apply_ok(index, indicator(ind_id(2), "[ipv4-addr:value = '2.2.2.2']"), at(86400));
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.1.1.1").empty());
}

TEST(Index, ErrorsAreReportedPerObject) {
  Index index;
  apply_ok(index, indicator(ind_id(1), "[ipv4-addr:value = '1.1.1.1']", at(10)));
  std::vector<stix::Object> batch = {
      indicator("indicator--not-a-uuid", "[ipv4-addr:value = '9.9.9.9']"),
      indicator("indicator--" + std::string("00000000-0000-4000-8000-00000000000A"),
                "[ipv4-addr:value = '9.9.9.9']"),
      indicator(ind_id(1), "[ipv4-addr:value = ", at(20)),  // a newer version that does not compile
      indicator(ind_id(3), "[ipv4-addr:value = '3.3.3.3']"),
  };
  auto r = index.apply(batch, at(0));
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].where, "indicator--not-a-uuid");
  EXPECT_EQ(r.errors[2].where, ind_id(1));
  EXPECT_EQ(r.indexed, 1u);
  // The broken version replaced the older atoms (they are out of date).
  EXPECT_TRUE(hits(index, Kind::kIpv4, "1.1.1.1").empty());
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "3.3.3.3"), std::vector{ind_id(3)});
}

TEST(Index, ScosAndObservedData) {
  Index index;
  const std::string ip_id = "ipv4-addr--" + testing::uuid_of(1);
  apply_ok(index, sco("ipv4-addr", ip_id, "\"value\":\"192.0.2.1\""));
  // SCOs have no version: a re-put replaces.
  apply_ok(index, sco("ipv4-addr", ip_id, "\"value\":\"192.0.2.2\""));
  EXPECT_TRUE(hits(index, Kind::kIpv4, "192.0.2.1").empty());
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "192.0.2.2"), std::vector{ip_id});
  // The same UUID under another type is another object.
  const std::string dom_id = "domain-name--" + testing::uuid_of(1);
  apply_ok(index, sco("domain-name", dom_id, "\"value\":\"x.example\""));
  EXPECT_EQ(hit_ids(index, Kind::kDomain, "x.example"), std::vector{dom_id});
  EXPECT_EQ(hit_ids(index, Kind::kIpv4, "192.0.2.2"), std::vector{ip_id});

  stix::Object od;
  od.meta.id = "observed-data--" + testing::uuid_of(2);
  od.meta.type = "observed-data";
  od.meta.modified = at(1);
  od.meta.has_modified = od.meta.has_created = true;
  od.json = R"({"type":"observed-data","id":")" + od.meta.id +
            R"(","objects":{"0":{"type":"domain-name","value":"x.example"}}})";
  apply_ok(index, od);
  EXPECT_EQ(hit_ids(index, Kind::kDomain, "x.example"), (std::vector{dom_id, od.meta.id}));

  // Objects with nothing to index are not kept.
  stix::Object malware;
  malware.meta.id = "malware--" + testing::uuid_of(3);
  malware.meta.type = "malware";
  malware.meta.has_modified = true;
  malware.json = R"({"type":"malware","name":"x"})";
  auto r = index.apply(malware, at(0));
  EXPECT_EQ(r.without_atoms, 1u);
  EXPECT_EQ(index.stats().objects, 3u);
}

TEST(Index, StatsAndMemory) {
  Index index;
  std::vector<stix::Object> batch;
  for (int i = 0; i < 2000; ++i) {
    batch.push_back(
        sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(i),
            "\"value\":\"10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + "\""));
  }
  batch.push_back(
      indicator(ind_id(1), "[ipv4-addr:value = '10.0.0.1' AND ipv4-addr:value = '10.0.0.2']"));
  auto r = index.apply(batch, at(0));
  EXPECT_EQ(r.indexed, 2001u);
  const Stats st = index.stats();
  EXPECT_EQ(st.objects, 2001u);
  EXPECT_EQ(st.atoms[static_cast<size_t>(Kind::kIpv4)], 2002u);
  EXPECT_EQ(st.keys[static_cast<size_t>(Kind::kIpv4)], 2000u);
  EXPECT_EQ(st.patterns, 1u);
  EXPECT_GT(st.bytes, 2000u * 40);
}

TEST(Index, ReadersAndAWriterConcurrently) {
  Index index;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> seen{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto r = index.reader();
        for (int i = 0; i < 100; ++i) {
          r.lookup(Kind::kIpv4, "10.0.0." + std::to_string(i), [&](const Hit& h) {
            EXPECT_EQ(h.type, "indicator");
            ++seen;
          });
        }
      }
    });
  }
  for (int v = 1; v <= 50; ++v) {
    std::vector<stix::Object> batch;
    for (int i = 0; i < 100; ++i) {
      batch.push_back(indicator(
          ind_id(i), "[ipv4-addr:value = '10.0.0." + std::to_string((i + v) % 100) + "']", at(v)));
    }
    index.apply(batch, at(0));
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(index.stats().objects, 100u);
  EXPECT_EQ(index.stats().atoms[0], 100u);
}

// --- property test against a brute-force reference -------------------------------------------

// The atoms a generated indicator carries, as the test itself understands them.
struct RefAtom {
  Kind kind;
  std::string key;
  uint8_t flags;
};

struct RefObject {
  std::string id;
  core::Timestamp modified;
  bool versioned = true;
  bool live = true;
  bool decided = true;
  bool single = false;  // one comparison: an undecided hit is false, no pattern to evaluate
  stix::Tlp tlp = stix::Tlp::kNone;
  std::vector<RefAtom> atoms;  // merged per (kind, key)
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }

  std::string ipv4_host() {
    if (coin(0.1))
      return "192.168." + std::to_string(uniform(0, 3)) + "." + std::to_string(uniform(0, 255));
    // Three /16s: the index keeps per-/16 filters of the block lengths present.
    const int n = uniform(0, 4095);
    return "10." + std::to_string(uniform(0, 2)) + "." + std::to_string(n / 256) + "." +
           std::to_string(n % 256);
  }
  std::string ipv4_block() {
    static const int kLens[] = {0, 8, 12, 15, 16, 17, 20, 22, 24, 26, 28, 30, 31, 32};
    return ipv4_host() + "/" + std::to_string(kLens[uniform(0, 13)]);
  }
  std::string ipv6_host() {
    // Two /32s in one /16 (filters by the top 16 bits for lengths 17-31 and by the top 32 for
    // longer ones).
    char buf[64];
    std::snprintf(buf, sizeof buf, "2001:db%x:%x::%x:%x", uniform(8, 9), uniform(0, 1),
                  uniform(0, 3), uniform(0, 255));
    return buf;
  }
  std::string ipv6_block() {
    static const int kLens[] = {0, 12, 20, 29, 31, 32, 33, 48, 64, 96, 110, 112, 120, 126, 127, 128};
    return ipv6_host() + "/" + std::to_string(kLens[uniform(0, 15)]);
  }
  std::string domain() {
    static const char* kLabels[] = {"a", "b", "www", "mail", "x-1"};
    static const char* kTlds[] = {"example", "test"};
    std::string d = kTlds[uniform(0, 1)];
    const int depth = uniform(0, 3);
    for (int i = 0; i < depth; ++i) d = std::string(kLabels[uniform(0, 4)]) + "." + d;
    return d;
  }
  std::string md5() {
    static const char* kHex = "0123456789abcdef";
    std::string h(32, '0');
    h[0] = kHex[uniform(0, 15)];
    h[1] = kHex[uniform(0, 3)];
    return h;
  }

  // One comparison: its text and the atom it files (none when the value does not normalise).
  std::pair<std::string, std::optional<RefAtom>> comparison() {
    switch (uniform(0, 7)) {
      case 0: {
        const std::string v = ipv4_host();
        return {"ipv4-addr:value = '" + v + "'",
                RefAtom{Kind::kIpv4, *normalise(Kind::kIpv4, v), 0}};
      }
      case 1: {
        const std::string v = ipv4_block();
        const auto key = *normalise(Kind::kIpv4, v);
        if (coin()) return {"ipv4-addr:value ISSUBSET '" + v + "'", RefAtom{Kind::kIpv4, key, 0}};
        const bool host = key.find('/') == std::string::npos;
        return {
            "ipv4-addr:value = '" + v + "'",
            RefAtom{Kind::kIpv4, key, static_cast<uint8_t>(host ? 0 : kAtomContainedUndecided)}};
      }
      case 2: {
        const std::string v = coin() ? ipv6_host() : ipv6_block();
        const auto key = *normalise(Kind::kIpv6, v);
        if (coin()) return {"ipv6-addr:value ISSUBSET '" + v + "'", RefAtom{Kind::kIpv6, key, 0}};
        const bool host = key.find('/') == std::string::npos;
        return {
            "ipv6-addr:value = '" + v + "'",
            RefAtom{Kind::kIpv6, key, static_cast<uint8_t>(host ? 0 : kAtomContainedUndecided)}};
      }
      case 3:
      case 4: {
        const std::string d = domain();
        switch (uniform(0, 2)) {
          case 0:
            return {"domain-name:value = '" + d + "'", RefAtom{Kind::kDomain, d, 0}};
          case 1:
            return {"domain-name:value LIKE '%." + d + "'",
                    RefAtom{Kind::kDomain, d, kAtomSubdomains | kAtomSelfUndecided}};
          default:
            return {"domain-name:value LIKE '%" + d + "'",
                    RefAtom{Kind::kDomain, d, kAtomSubdomains}};
        }
      }
      case 5: {
        const std::string h = md5();
        return {"file:hashes.MD5 = '" + h + "'", RefAtom{Kind::kMd5, h, 0}};
      }
      case 6: {
        const std::string u = "http://h" + std::to_string(uniform(0, 30)) + ".example/";
        return {"url:value = '" + u + "'", RefAtom{Kind::kUrl, u, 0}};
      }
      default: {
        const std::string v = "p" + std::to_string(uniform(0, 30));
        return {"process:name = '" + v + "'", RefAtom{Kind::kOther, "process:name=" + v, 0}};
      }
    }
  }

  // A new version of `ref` (atoms, decided, TLP) and its STIX object.
  stix::Object indicator_version(RefObject& ref) {
    const int n = uniform(1, 4);
    std::vector<std::string> texts;
    std::vector<RefAtom> atoms;
    for (int i = 0; i < n; ++i) {
      auto [text, atom] = comparison();
      texts.push_back(text);
      if (atom) atoms.push_back(*atom);
    }
    // One observation joined by OR (decided by any atom), or several joined by AND (not).
    const bool decided = n == 1 || coin(0.7);
    std::string pattern;
    for (int i = 0; i < n; ++i) {
      if (decided) {
        pattern += (i ? " OR " : "[") + texts[i];
      } else {
        pattern += (i ? " AND [" : "[") + texts[i] + "]";
      }
    }
    if (decided) pattern += "]";
    ref.decided = decided;
    ref.single = n == 1;
    ref.atoms = merge(atoms);
    ref.tlp = static_cast<stix::Tlp>(uniform(0, 5));
    IndicatorSpec s;
    s.id = ref.id;
    s.pattern = pattern;
    s.modified = ref.modified;
    s.tlp = ref.tlp;
    return indicator(s);
  }

  stix::Object sco_version(RefObject& ref) {
    ref.versioned = false;
    ref.decided = true;
    ref.single = false;
    ref.tlp = static_cast<stix::Tlp>(uniform(0, 5));
    const std::string v = coin() ? ipv4_block() : ipv4_host();
    ref.atoms = {RefAtom{Kind::kIpv4, *normalise(Kind::kIpv4, v), 0}};
    return sco("ipv4-addr", ref.id, "\"value\":\"" + v + "\"", ref.tlp);
  }

  static std::vector<RefAtom> merge(const std::vector<RefAtom>& in) {
    std::vector<RefAtom> out;
    for (const RefAtom& a : in) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const RefAtom& b) { return b.kind == a.kind && b.key == a.key; });
      if (it == out.end()) {
        out.push_back(a);
      } else {
        const uint8_t sub = (it->flags | a.flags) & kAtomSubdomains;
        const uint8_t und = it->flags & a.flags & (kAtomSelfUndecided | kAtomContainedUndecided);
        it->flags = static_cast<uint8_t>(sub | und);
      }
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

struct RefHit {
  std::string id, key;
  Match match;
  bool decided;
  stix::Tlp tlp;
  bool evaluate = false;  // the hit carries a pattern to evaluate
  friend auto operator<=>(const RefHit&, const RefHit&) = default;
};

std::vector<RefHit> reference_lookup(const std::map<std::string, RefObject>& objects, Kind kind,
                                     const std::string& value) {
  std::vector<RefHit> out;
  auto norm = normalise(kind, value);
  if (!norm) return out;
  for (const auto& [id, o] : objects) {
    if (!o.live) continue;
    for (const RefAtom& a : o.atoms) {
      if (a.kind != kind) continue;
      std::optional<Match> m;
      if (kind == Kind::kIpv4 || kind == Kind::kIpv6) {
        pattern::IpNet block, v;
        if (!pattern::parse_ip_net(a.key, block) || !pattern::parse_ip_net(*norm, v)) {
          ADD_FAILURE() << a.key << " " << *norm;
          continue;
        }
        if (pattern::same_block(block, v)) {
          m = Match::kExact;
        } else if (pattern::is_subset(v, block)) {
          m = Match::kContainingBlock;
        }
      } else if (kind == Kind::kDomain) {
        if (a.key == *norm) {
          m = Match::kExact;
        } else if ((a.flags & kAtomSubdomains) && norm->size() > a.key.size() &&
                   norm->ends_with("." + a.key)) {
          m = Match::kParentDomain;
        }
      } else if (a.key == *norm) {
        m = Match::kExact;
      }
      if (!m) continue;
      const uint8_t undecided = *m == Match::kExact             ? kAtomSelfUndecided
                                : *m == Match::kContainingBlock ? kAtomContainedUndecided
                                                                : 0;
      const bool decided = o.decided && !(a.flags & undecided);
      out.push_back({id, a.key, *m, decided, o.tlp, !decided && !o.single});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<RefHit> index_lookup(Index::Reader& r, Kind kind, const std::string& value) {
  std::vector<RefHit> out;
  r.lookup(kind, value, [&](const Hit& h) {
    // Whatever is not decided can be evaluated in full, unless a single comparison rules it out.
    out.push_back({h.id(), std::string(h.key), h.match, h.decided, h.tlp, h.pattern != nullptr});
  });
  std::sort(out.begin(), out.end());
  return out;
}

// Hits seen by kind of match, to make sure the random data exercises every path.
std::array<uint64_t, 3> g_matches{};

void check_all(Index& index, const std::map<std::string, RefObject>& objects, Generator& g,
               int queries) {
  auto r = index.reader();
  for (int q = 0; q < queries; ++q) {
    Kind kind;
    std::string value;
    switch (g.uniform(0, 6)) {
      case 0:
        kind = Kind::kIpv4;
        value = g.ipv4_host();
        break;
      case 1:
        kind = Kind::kIpv4;
        value = g.ipv4_block();
        break;
      case 2:
        kind = Kind::kIpv6;
        value = g.coin() ? g.ipv6_host() : g.ipv6_block();
        break;
      case 3:
      case 4:
        kind = Kind::kDomain;
        value = g.domain();
        break;
      case 5:
        kind = Kind::kMd5;
        value = g.md5();
        break;
      default:
        kind = Kind::kUrl;
        value = "http://h" + std::to_string(g.uniform(0, 30)) + ".example";
        break;
    }
    const auto got = index_lookup(r, kind, value);
    ASSERT_EQ(got, reference_lookup(objects, kind, value)) << kind_name(kind) << " " << value;
    for (const RefHit& h : got) ++g_matches[static_cast<size_t>(h.match)];
  }
  // A batch gives what one look-up per value gives.
  {
    std::vector<std::string> values;
    for (int i = 0; i < 40; ++i) values.push_back(g.coin() ? g.ipv4_host() : g.ipv4_block());
    std::vector<std::string_view> views(values.begin(), values.end());
    std::vector<std::vector<RefHit>> batched(values.size());
    r.lookup_batch(Kind::kIpv4, views, [&](size_t i, const Hit& h) {
      batched[i].push_back({h.id(), std::string(h.key), h.match, h.decided, h.tlp, h.pattern != nullptr});
    });
    for (size_t i = 0; i < values.size(); ++i) {
      std::sort(batched[i].begin(), batched[i].end());
      ASSERT_EQ(batched[i], index_lookup(r, Kind::kIpv4, values[i])) << values[i];
    }
    values.clear();
    for (int i = 0; i < 40; ++i) values.push_back(g.domain());
    values.push_back("not a name!");
    views.assign(values.begin(), values.end());
    batched.assign(values.size(), {});
    r.lookup_batch(Kind::kDomain, views, [&](size_t i, const Hit& h) {
      batched[i].push_back({h.id(), std::string(h.key), h.match, h.decided, h.tlp, h.pattern != nullptr});
    });
    for (size_t i = 0; i < values.size(); ++i) {
      std::sort(batched[i].begin(), batched[i].end());
      ASSERT_EQ(batched[i], index_lookup(r, Kind::kDomain, values[i])) << values[i];
    }
  }
  // Every key of every live object finds it.
  for (const auto& [id, o] : objects) {
    if (!o.live) continue;
    for (const RefAtom& a : o.atoms) {
      if (a.kind == Kind::kOther) continue;
      ASSERT_EQ(index_lookup(r, a.kind, a.key), reference_lookup(objects, a.kind, a.key)) << a.key;
    }
  }
  // Atom counts.
  std::array<uint64_t, kKindCount> atoms{};
  uint64_t live = 0;
  for (const auto& [id, o] : objects) {
    if (!o.live || o.atoms.empty()) continue;
    ++live;
    for (const RefAtom& a : o.atoms) ++atoms[static_cast<size_t>(a.kind)];
  }
  const Stats st = r.stats();
  EXPECT_EQ(st.atoms, atoms);
  EXPECT_EQ(st.objects, live);
}

TEST(IndexProperty, MatchesBruteForceReferenceThroughUpdates) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Generator g(seed);
    Index index;
    std::map<std::string, RefObject> ref;
    uint64_t next = 1;
    auto add_new = [&](std::vector<stix::Object>& batch) {
      RefObject o;
      o.modified = at(g.uniform(0, 1000));
      if (g.coin(0.8)) {
        o.id = ind_id(next++);
        batch.push_back(g.indicator_version(o));
      } else {
        o.id = "ipv4-addr--" + testing::uuid_of(next++);
        batch.push_back(g.sco_version(o));
      }
      ref[o.id] = o;
    };
    std::vector<stix::Object> batch;
    for (int i = 0; i < 400; ++i) add_new(batch);
    auto r = index.apply(batch, at(0));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
    check_all(index, ref, g, 500);

    for (int round = 0; round < 8; ++round) {
      batch.clear();
      std::vector<std::string> ids;
      for (const auto& [id, o] : ref) ids.push_back(id);
      std::set<std::string> touched;  // one change per object and batch: the reference is simple
      for (int u = 0; u < 120; ++u) {
        const int what = g.uniform(0, 9);
        if (what == 0) {
          add_new(batch);
          continue;
        }
        const std::string id =
            ids[static_cast<size_t>(g.uniform(0, static_cast<int>(ids.size()) - 1))];
        if (!touched.insert(id).second) continue;
        RefObject& o = ref[id];
        if (!o.versioned) {  // an SCO re-put with another value
          batch.push_back(g.sco_version(o));
          o.live = !o.atoms.empty();
          continue;
        }
        if (what <= 5) {          // a newer version
          if (!o.live) continue;  // revoked objects stay revoked in this test
          o.modified.seconds += g.uniform(1, 100);
          batch.push_back(g.indicator_version(o));
        } else if (what <= 7) {  // an older (or the same) version: ignored
          RefObject stale = o;
          stale.modified.seconds -= g.uniform(0, 5);
          batch.push_back(g.indicator_version(stale));
        } else {  // revocation
          o.modified.seconds += 1;
          IndicatorSpec s;
          s.id = id;
          s.pattern = "[ipv4-addr:value = '1.2.3.4']";
          s.modified = o.modified;
          s.revoked = true;
          batch.push_back(indicator(s));
          o.live = false;
        }
      }
      r = index.apply(batch, at(0));
      ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
      check_all(index, ref, g, 300);
    }
  }
  // The random data must reach every kind of match often (else this test proves little).
  EXPECT_GT(g_matches[static_cast<size_t>(Match::kExact)], 1000u);
  EXPECT_GT(g_matches[static_cast<size_t>(Match::kContainingBlock)], 1000u);
  EXPECT_GT(g_matches[static_cast<size_t>(Match::kParentDomain)], 1000u);
  std::printf("hits checked: %llu exact, %llu block, %llu parent\n",
              static_cast<unsigned long long>(g_matches[0]),
              static_cast<unsigned long long>(g_matches[1]),
              static_cast<unsigned long long>(g_matches[2]));
}

}  // namespace
}  // namespace sw::index
