// The scanner of simple patterns (index/extract.h): on every pattern it must give what the
// compile path gives — the same atoms, flags, skipped values, decision, kept pattern, or the same
// error — and it must really be used for the simple forms feeds send.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "index/extract.h"
#include "index/index.h"
#include "index/index_test_util.h"
#include "stix/parse.h"

namespace sw::index {
namespace {

using pattern::StixVersion;
using testing::IndicatorSpec;

// Extracts `text` both ways and expects the same result. Returns whether the scanner was used.
bool expect_same(const std::string& text, StixVersion v = StixVersion::k21) {
  SCOPED_TRACE("pattern: " + text);
  Extraction fast, slow;
  const core::Status a = extract_pattern_text(text, v, fast);
  ExtractOptions compile_only;
  compile_only.scan_simple_patterns = false;
  const core::Status b = extract_pattern_text(text, v, slow, compile_only);
  EXPECT_EQ(a.ok(), b.ok());
  EXPECT_FALSE(slow.scanned);
  if (!a.ok() || !b.ok()) {
    if (!a.ok() && !b.ok()) {
      EXPECT_EQ(a.error().to_string(), b.error().to_string());
    }
    EXPECT_FALSE(fast.scanned);
    return false;
  }
  EXPECT_EQ(fast.atoms.size(), slow.atoms.size());
  for (size_t i = 0; i < std::min(fast.atoms.size(), slow.atoms.size()); ++i) {
    EXPECT_EQ(fast.atoms[i].kind, slow.atoms[i].kind) << i;
    EXPECT_EQ(fast.atoms[i].key, slow.atoms[i].key) << i;
    EXPECT_EQ(int{fast.atoms[i].flags}, int{slow.atoms[i].flags}) << i;
  }
  EXPECT_EQ(fast.skipped, slow.skipped);
  EXPECT_EQ(fast.decided, slow.decided);
  EXPECT_EQ(fast.single_comparison, slow.single_comparison);
  EXPECT_EQ(fast.pattern != nullptr, slow.pattern != nullptr);
  if (fast.pattern && slow.pattern) {
    EXPECT_EQ(fast.pattern->text(), slow.pattern->text());
    EXPECT_EQ(fast.pattern->version(), slow.pattern->version());
    EXPECT_NE(fast.pattern->get(), nullptr);  // the kept text compiles
  }
  return fast.scanned;
}

// Simple patterns: the scanner reads them.
const std::vector<std::string> kSimple = {
    "[ipv4-addr:value = '198.51.100.7']",
    "[ipv4-addr:value = '10.0.0.0/8']",
    "[ipv4-addr:value = '10.1.2.3/8']",
    "[ipv4-addr:value = '198.51.100.7/32']",
    "[ipv4-addr:value = '2001:db8::1']",
    "[ipv4-addr:value = 'not an address']",
    "[ipv6-addr:value = '2001:DB8::1']",
    "[ipv6-addr:value = '2001:db8::/32']",
    "[ipv6-addr:value = '1.2.3.4']",
    "[domain-name:value = 'Example.COM.']",
    "[domain-name:value = 'not a name']",
    "[url:value = 'http://example.com/a?b=c']",
    "[url:value = 'http://example.com/it\\'s\\\\here']",
    "[email-addr:value = 'Alice@Example.com']",
    "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
    "[file:hashes.md5 = 'D41D8CD98F00B204E9800998ECF8427E']",
    "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']",
    "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    "[file:hashes.SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[file:hashes.sha_256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[file:hashes.'sha-512' = '" + std::string(128, 'a') + "']",
    "[network-traffic:dst_ref.value = '198.51.100.7']",
    "[network-traffic:src_ref.value = '2001:db8::/48']",
    "[network-traffic:dst_ref.value = 'evil.example']",
    "[network-traffic:dst_ref.value = '10.0.0.0/8']",
    "[email-message:from_ref.value = 'a@example.com']",
    "[email-message:sender_ref.value = 'a@example.com']",
    "[email-message:to_refs[*].value = 'a@example.com']",
    "[email-message:cc_refs[0].value = 'a@example.com']",
    "[email-message:bcc_refs[ 12 ].value = 'a@example.com']",
    "[email-message:'to_refs'[*].'value' = 'a@example.com']",
    "[domain-name:value IN ('a.example', 'B.example', 'a.example.', 'not a name')]",
    "[ipv4-addr:value IN ('10.0.0.0/8','10.0.0.0/8', '1.2.3.4')]",
    "[ipv4-addr:value IN ()]",
    "[ipv4-addr:value IN('1.2.3.4')]",
    "[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:value = '10.0.0.0/8']",
    "[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:value = '1.2.3.4' OR domain-name:value = "
    "'x.example' OR url:value = 'http://x.example/']",
    "[ipv4-addr:value = '10.0.0.0/8' OR network-traffic:dst_ref.value = '10.0.0.0/8']",
    "  [\tipv4-addr\n:\r\nvalue\f==\v'1.2.3.4'  OR\tdomain-name : value = 'a.example' ]  ",
    "[ipv4-addr:value='1.2.3.4'OR domain-name:value='a.example']",
    "[file:hashes . 'SHA-256' = "
    "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[url:value = 'http://例え.テスト/パス']",
    "[domain-name:value = 'bücher.example']",
    "[domain-name:value = '']",
    "[url:value = '" + std::string(9000, 'a') + "']",
};

// Near-misses: the scanner must leave them to the compiler (which may accept or reject them).
const std::vector<std::string> kFallback = {
    "[ipv4-addr:value = '1.2.3.4']OR",
    "[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '1.2.3.5']",
    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '1.2.3.4' "
    "AND network-traffic:dst_port = 80]",
    "[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS",
    "[ipv4-addr:value = '1.2.3.4'] REPEATS 2 TIMES",
    "[ipv4-addr:value = '1.2.3.4'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    "([ipv4-addr:value = '1.2.3.4'])",
    "[(ipv4-addr:value = '1.2.3.4')]",
    "[ipv4-addr:value NOT = '1.2.3.4']",
    "[ipv4-addr:value != '1.2.3.4']",
    "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    "[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    "[domain-name:value LIKE '%.example.com']",
    "[domain-name:value MATCHES '^a']",
    "[network-traffic:dst_port = 80]",
    "[ipv4-addr:value = 80]",
    "[ipv4-addr:value IN ('1.2.3.4', 80)]",
    "[ipv4-addr:value = h'01020304']",
    "[ipv4-addr:value = b'AQIDBA==']",
    "[ipv4-addr:value = t'2016-06-01T00:00:00Z']",
    "[ipv4-addr:value = true]",
    "[ipv4-addr:value = '1.2.3.4]",
    "[ipv4-addr:value = \"1.2.3.4\"]",
    "[ipv4-addr:value = '1.2.3.4\\d']",
    "[ipv4-addr:value = '1.2.3.4'",
    "[ipv4-addr:value = '1.2.3.4']]",
    "[ipv4-addr:value = '1.2.3.4'] x",
    "[ipv4-addr:value = ]",
    "[ipv4-addr:value '1.2.3.4']",
    "[ipv4-addr:value = = '1.2.3.4']",
    "[ipv4-addr:value === '1.2.3.4']",
    "[ipv4-addr:value = '1.2.3.4' or domain-name:value = 'a.example']",
    "[ipv4-addr:value = '1.2.3.4' ORdomain-name:value = 'a.example']",
    "[ipv4-addr:value in ('1.2.3.4')]",
    "[ipv4-addr:value IN ('1.2.3.4',)]",
    "[ipv4-addr:value IN ('1.2.3.4' '1.2.3.5')]",
    "[ipv4-addr:value IN '1.2.3.4']",
    "[ipv4-addr:value INx ('1.2.3.4')]",
    "[ipv4-addr:value = '1.2.3.4' /* a comment */]",
    "[ipv4-addr:value = '1.2.3.4'] // a comment",
    "[ipv4-addr:value\xC2\xA0= '1.2.3.4']",
    "[ipv4-addr:value = '1.2.3.4\xFF']",
    "[ipv4-addr:value = '1.2.3.4' OR EXISTS ipv4-addr:value]",
    "[ipv4-addr:value = '1.2.3.4' OR NOT EXISTS ipv4-addr:value]",
    "[ipv4-addr:'value' = '1.2.3.4']",  // quoted first key: left to the compiler? (accepted)
    "[ipv4-addr:val-ue = '1.2.3.4']",
    "[ipv4-addr:value.x = '1.2.3.4']",
    "[ipv4-addr:value[0] = '1.2.3.4']",
    "[file:name = 'a.exe']",
    "[file:hashes.'SHA-256' = 'abc']",
    "[file:hashes.'SHA-256' = '" + std::string(64, 'g') + "']",
    "[file:hashes.MD5 IN ('d41d8cd98f00b204e9800998ecf8427e', 'x')]",
    "[file:hashes.SHA-256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[file:hashes.'SHA3-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[file:hashes.'SHA\\'256' = "
    "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    "[file:hashes.5 = 'x']",
    "[file:hashes.h'00' = 'x']",
    "[email-message:to_refs[01].value = 'a@example.com']",
    "[email-message:to_refs[-1].value = 'a@example.com']",
    "[email-message:to_refs[1a].value = 'a@example.com']",
    "[email-message:to_refs[1.5].value = 'a@example.com']",
    "[email-message:to_refs[99999999999999999999].value = 'a@example.com']",
    "[email-message:to_refs.value = 'a@example.com']",
    "[x-custom:value = 'a']",
    "[ipv4-addr:value = '1.2.3.4' OR file:name = 'a.exe']",
    "[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value LIKE '10.%']",
    "",
    "[]",
    "[ipv4-addr:value = '1.2.3.4'] [ipv4-addr:value = '1.2.3.5']",
};

TEST(ExtractScan, SimplePatternsAreScannedAndAgree) {
  for (const std::string& p : kSimple) {
    EXPECT_TRUE(expect_same(p)) << p;
    expect_same(p, StixVersion::k20);
  }
}

TEST(ExtractScan, NearMissesFallBackAndAgree) {
  for (const std::string& p : kFallback) {
    const bool scanned = expect_same(p);
    // A quoted first key is valid and simple; the scanner may read it.
    if (p != "[ipv4-addr:'value' = '1.2.3.4']") {
      EXPECT_FALSE(scanned) << p;
    }
    expect_same(p, StixVersion::k20);
  }
}

TEST(ExtractScan, FlagsAndKeptPattern) {
  Extraction x;
  ASSERT_TRUE(
      extract_pattern_text("[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:value = '1.2.3.4']",
                           StixVersion::k21, x)
          .ok());
  EXPECT_TRUE(x.scanned);
  EXPECT_TRUE(x.decided);
  ASSERT_EQ(x.atoms.size(), 2u);
  EXPECT_EQ(x.atoms[0].flags, kAtomContainedUndecided);
  ASSERT_NE(x.pattern, nullptr);
  EXPECT_EQ(x.pattern->compiled(), nullptr);  // not compiled until needed
  const pattern::Pattern* p = x.pattern->get();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(x.pattern->get(), p);
  EXPECT_EQ(p->text(), "[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:value = '1.2.3.4']");

  Extraction host;
  ASSERT_TRUE(extract_pattern_text("[ipv4-addr:value = '1.2.3.4']", StixVersion::k21, host).ok());
  EXPECT_TRUE(host.scanned);
  EXPECT_TRUE(host.single_comparison);
  EXPECT_EQ(host.pattern, nullptr);

  // A block alone: an address inside it does not satisfy '=', and nothing else could.
  Extraction block;
  ASSERT_TRUE(
      extract_pattern_text("[ipv4-addr:value = '10.0.0.0/8']", StixVersion::k21, block).ok());
  EXPECT_TRUE(block.scanned);
  EXPECT_TRUE(block.single_comparison);
  EXPECT_EQ(block.atoms[0].flags, kAtomContainedUndecided);
  EXPECT_EQ(block.pattern, nullptr);
  // IN is one comparison too.
  Extraction in;
  ASSERT_TRUE(extract_pattern_text("[ipv4-addr:value IN ('10.0.0.0/8', '1.2.3.4')]",
                                   StixVersion::k21, in)
                  .ok());
  EXPECT_TRUE(in.single_comparison);
  EXPECT_EQ(in.pattern, nullptr);
}

// Random edits of simple patterns: whatever the scanner accepts, it reads as the compiler does.
TEST(ExtractScan, MutationsAgree) {
  std::mt19937 rng(20261127);
  const std::string alphabet = " \t'\\[]().,:=*-_0aAORIN/%\"9xh";
  size_t scanned = 0, total = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string p = kSimple[rng() % kSimple.size()];
    if (p.size() > 200) continue;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !p.empty(); ++e) {
      const size_t at = rng() % p.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          p.erase(at, 1);
          break;
        case 1:
          p.insert(p.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          p[at] = c;
          break;
      }
    }
    scanned += expect_same(p);
    ++total;
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(scanned, total / 10);
  std::printf("%zu mutated patterns, %zu scanned\n", total, scanned);
}

// Every indicator of the shared public data: both paths agree, from the object.
TEST(ExtractScan, SharedDataAgrees) {
  namespace json = boost::json;
  const auto root = testing::shared_data() / "stix21";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no shared data at " << root;
  stix::MarkingResolver markings;
  stix::ObjectParser parser(markings);
  size_t checked = 0, scanned = 0;
  std::vector<json::object> found;
  const std::function<void(const json::value&)> collect = [&](const json::value& v) {
    if (v.is_array()) {
      for (const json::value& e : v.as_array()) collect(e);
      return;
    }
    if (!v.is_object()) return;
    const json::object& o = v.as_object();
    if (const json::value* t = o.if_contains("type");
        t && t->is_string() && t->as_string() == "indicator" && o.contains("pattern")) {
      found.push_back(o);
    }
    for (const auto& kv : o) collect(kv.value());
  };
  for (const auto& f : std::filesystem::recursive_directory_iterator(root)) {
    if (!f.is_regular_file() || f.path().extension() != ".json") continue;
    if (f.file_size() > (64u << 20)) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec) continue;
    found.clear();
    collect(v);
    for (const json::object& o : found) {
      stix::Object obj;
      std::vector<stix::Issue> issues;
      if (!parser.parse_unpadded(json::serialize(o), obj, issues)) continue;
      const json::value& pv = o.at("pattern");
      if (!pv.is_string()) continue;
      SCOPED_TRACE(f.path().string() + ": " + std::string(pv.as_string()));
      auto fast = extract(obj);
      ExtractOptions compile_only;
      compile_only.scan_simple_patterns = false;
      auto slow = extract(obj, compile_only);
      ASSERT_EQ(fast.ok(), slow.ok());
      if (!fast.ok()) {
        EXPECT_EQ(fast.error().to_string(), slow.error().to_string());
        continue;
      }
      EXPECT_EQ(fast->atoms, slow->atoms);
      EXPECT_EQ(fast->skipped, slow->skipped);
      EXPECT_EQ(fast->decided, slow->decided);
      EXPECT_EQ(fast->pattern != nullptr, slow->pattern != nullptr);
      EXPECT_FALSE(slow->scanned);
      // And the pattern text itself, both versions.
      expect_same(std::string(pv.as_string()), StixVersion::k21);
      expect_same(std::string(pv.as_string()), StixVersion::k20);
      ++checked;
      scanned += fast->scanned;
    }
  }
  EXPECT_GE(checked, 48u);
  EXPECT_GE(scanned, 10u);  // the simple ones of the OASIS examples are scanned
  std::printf("checked %zu indicators, %zu scanned\n", checked, scanned);
}

TEST(LazyPattern, ConcurrentFirstUseCompilesOnePublishedPattern) {
  for (int round = 0; round < 20; ++round) {
    auto lazy = LazyPattern::make("[ipv4-addr:value = '10.0.0.0/8']", StixVersion::k21);
    std::vector<const pattern::Pattern*> got(8, nullptr);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < got.size(); ++t) {
      threads.emplace_back([&, t] { got[t] = lazy->get(); });
    }
    for (auto& t : threads) t.join();
    ASSERT_NE(got[0], nullptr);
    for (const auto* p : got) EXPECT_EQ(p, got[0]);
    EXPECT_EQ(lazy->compiled(), got[0]);
  }
}

TEST(LazyPattern, IndexHandsOutPatternsOnUndecidedHitsWithoutCompiling) {
  Index index;
  const std::string either = "[ipv4-addr:value = '10.0.0.0/8' OR domain-name:value = 'a.example']";
  index.apply(testing::indicator("indicator--" + testing::uuid_of(1), either), testing::at(0));
  index.apply(
      testing::indicator("indicator--" + testing::uuid_of(2), "[ipv4-addr:value = '10.1.2.3']"),
      testing::at(0));
  // One comparison with a block: an undecided hit is false, no pattern kept.
  index.apply(
      testing::indicator("indicator--" + testing::uuid_of(3), "[ipv4-addr:value = '10.1.0.0/16']"),
      testing::at(0));
  EXPECT_EQ(index.stats().patterns, 1u);
  auto r = index.reader();
  size_t hits = 0;
  r.lookup(Kind::kIpv4, "10.0.0.0/8", [&](const Hit& h) {
    ++hits;
    EXPECT_TRUE(h.decided);  // the same block: `=` holds
    EXPECT_EQ(h.pattern, nullptr);
  });
  EXPECT_EQ(hits, 1u);
  hits = 0;
  r.lookup(Kind::kIpv4, "10.1.2.3", [&](const Hit& h) {
    ++hits;
    if (h.id() == "indicator--" + testing::uuid_of(1)) {
      EXPECT_EQ(h.match, Match::kContainingBlock);
      EXPECT_FALSE(h.decided);
      ASSERT_NE(h.pattern, nullptr);
      EXPECT_EQ(h.pattern->text(), either);
      EXPECT_EQ(h.pattern->compiled(), nullptr);  // the look-up does not compile it
    } else if (h.id() == "indicator--" + testing::uuid_of(3)) {
      EXPECT_EQ(h.match, Match::kContainingBlock);
      EXPECT_FALSE(h.decided);
      EXPECT_EQ(h.pattern, nullptr);
    } else {
      EXPECT_EQ(h.match, Match::kExact);
      EXPECT_TRUE(h.decided);
      EXPECT_EQ(h.pattern, nullptr);
    }
  });
  EXPECT_EQ(hits, 3u);
}

// Kept patterns live in the objects' blobs: they follow new versions, removals and compaction.
TEST(LazyPattern, SurvivesReplacementAndCompaction) {
  Index index;
  constexpr int kObjects = 20000;
  const auto block = [](int i, int round) {
    return std::to_string(10 + round) + "." + std::to_string(i / 256) + "." +
           std::to_string(i % 256) + ".0/24";
  };
  // Two comparisons: a hit inside the block needs the pattern (one alone would not).
  const auto kept_pattern = [](const std::string& b) {
    return "[ipv4-addr:value = '" + b + "' OR domain-name:value = 'kept.example']";
  };
  for (int round = 0; round < 4; ++round) {
    std::vector<stix::Object> batch;
    for (int i = 0; i < kObjects; ++i) {
      // Odd objects alternate between a kept pattern and a decided one.
      const bool kept = i % 2 == 0 || round % 2 == 0;
      const std::string p = kept ? kept_pattern(block(i, round))
                                 : "[ipv4-addr:value ISSUBSET '" + block(i, round) + "']";
      batch.push_back(
          testing::indicator("indicator--" + testing::uuid_of(static_cast<uint64_t>(i) + 1), p,
                             testing::at(round + 1)));
    }
    const ApplyReport r = index.apply(batch, testing::at(0));
    ASSERT_EQ(r.indexed, static_cast<uint64_t>(kObjects));
    EXPECT_EQ(index.stats().patterns,
              static_cast<uint64_t>(round % 2 == 0 ? kObjects : kObjects / 2));
  }
  {
    auto r = index.reader();  // released before the next apply()
    for (int i = 0; i < kObjects; i += 97) {
      const std::string addr =
          std::to_string(13) + "." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".9";
      size_t hits = 0;
      r.lookup(Kind::kIpv4, addr, [&](const Hit& h) {
        ++hits;
        EXPECT_EQ(h.match, Match::kContainingBlock);
        if (i % 2 == 0) {
          EXPECT_FALSE(h.decided);
          ASSERT_NE(h.pattern, nullptr);
          EXPECT_EQ(h.pattern->text(), kept_pattern(block(i, 3)));
        } else {
          EXPECT_TRUE(h.decided);
          EXPECT_EQ(h.pattern, nullptr);
        }
      });
      EXPECT_EQ(hits, 1u) << addr;
    }
  }
  // Revoked: the pattern leaves with the atoms.
  IndicatorSpec s;
  s.id = "indicator--" + testing::uuid_of(1);
  s.pattern = "[ipv4-addr:value = '10.0.0.0/8']";
  s.modified = testing::at(10);
  s.revoked = true;
  index.apply(testing::indicator(s), testing::at(0));
  EXPECT_EQ(index.stats().patterns, static_cast<uint64_t>(kObjects / 2 - 1));
}

}  // namespace
}  // namespace sw::index
