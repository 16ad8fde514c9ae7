// extract(): the atoms the index files an object under — explicit patterns and SCOs, and every
// STIX indicator of the shared public data against an independent reading of its pattern text.
#include "index/extract.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "index/index_test_util.h"
#include "stix/markings.h"
#include "stix/parse.h"

namespace sw::index {

void PrintTo(const ExtractedAtom& a, std::ostream* os) {
  *os << kind_name(a.kind) << ":" << a.key << "/" << int{a.flags};
}

namespace {

using testing::indicator;
using testing::IndicatorSpec;
using testing::sco;

const std::string kId = "indicator--" + testing::uuid_of(1);

Extraction extract_ok(const stix::Object& o) {
  auto r = extract(o);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? std::move(r).value() : Extraction{};
}

Extraction of_pattern(const std::string& pattern, const std::string& spec = "2.1") {
  IndicatorSpec s;
  s.id = kId;
  s.pattern = pattern;
  s.spec_version = spec;
  return extract_ok(indicator(s));
}

std::vector<ExtractedAtom> atoms(std::initializer_list<ExtractedAtom> l) { return l; }

TEST(Extract, SingleComparison) {
  auto x = of_pattern("[ipv4-addr:value = '198.51.100.7']");
  EXPECT_TRUE(x.is_indicator);
  EXPECT_EQ(x.atoms, atoms({{Kind::kIpv4, "198.51.100.7", 0}}));
  EXPECT_TRUE(x.decided);
  EXPECT_EQ(x.pattern, nullptr);  // decided: no need to keep the pattern
  EXPECT_EQ(x.skipped, 0u);
}

TEST(Extract, InListAndDuplicates) {
  auto x = of_pattern(
      "[domain-name:value IN ('Example.com', 'b.example.org', 'example.com.', 'not a name')]");
  EXPECT_EQ(x.atoms,
            atoms({{Kind::kDomain, "example.com", 0}, {Kind::kDomain, "b.example.org", 0}}));
  EXPECT_EQ(x.skipped, 1u);  // 'not a name'
  EXPECT_TRUE(x.decided);
}

TEST(Extract, LongInListIsDeduplicated) {
  std::string list;
  for (int i = 0; i < 60; ++i)
    list += (i ? ", '" : "'") + std::string("H") + std::to_string(i % 25) + ".example'";
  auto x =
      of_pattern("[domain-name:value IN (" + list + ") OR domain-name:value LIKE '%.h3.example']");
  ASSERT_EQ(x.atoms.size(), 25u);
  EXPECT_EQ(x.atoms[0], (ExtractedAtom{Kind::kDomain, "h0.example", 0}));
  EXPECT_EQ(x.atoms[24], (ExtractedAtom{Kind::kDomain, "h24.example", 0}));
  EXPECT_EQ(x.atoms[3], (ExtractedAtom{Kind::kDomain, "h3.example", kAtomSubdomains}));
}

TEST(Extract, IssubsetAndCidrEquality) {
  auto x = of_pattern(
      "[ipv4-addr:value ISSUBSET '10.1.2.3/8' OR ipv4-addr:value = '192.0.2.0/24' OR "
      "ipv6-addr:value ISSUBSET '2001:DB8::/32' OR ipv4-addr:value = '192.0.2.9/32']");
  EXPECT_EQ(x.atoms, atoms({{Kind::kIpv4, "10.0.0.0/8", 0},
                            {Kind::kIpv4, "192.0.2.0/24", kAtomContainedUndecided},
                            {Kind::kIpv6, "2001:db8::/32", 0},
                            {Kind::kIpv4, "192.0.2.9", 0}}));
  EXPECT_TRUE(x.decided);
  // A hit inside 192.0.2.0/24 is not decided by `=`: the pattern is kept for evaluation.
  EXPECT_NE(x.pattern, nullptr);
}

TEST(Extract, IssupersetAndNegationAreNotIndexed) {
  auto x = of_pattern(
      "[ipv4-addr:value ISSUPERSET '10.0.0.0/8' OR ipv4-addr:value NOT = '1.2.3.4' OR "
      "domain-name:value != 'x.example']");
  EXPECT_TRUE(x.atoms.empty());
}

TEST(Extract, LikeSuffixes) {
  auto x = of_pattern(
      "[domain-name:value LIKE '%.Example.com' OR domain-name:value LIKE '%example.org' OR "
      "domain-name:value LIKE 'exact.example.net' OR domain-name:value LIKE 'a%b.example' OR "
      "domain-name:value LIKE '%.ex_mple.com']");
  EXPECT_EQ(x.atoms, atoms({{Kind::kDomain, "example.com", kAtomSubdomains | kAtomSelfUndecided},
                            {Kind::kDomain, "example.org", kAtomSubdomains},
                            {Kind::kDomain, "exact.example.net", 0}}));
  EXPECT_NE(x.pattern, nullptr);  // a hit on example.com itself needs evaluation
}

TEST(Extract, MergedFlags) {
  // The same key exactly and for its subdomains: self decided (by `=`), subdomains filed.
  auto x =
      of_pattern("[domain-name:value = 'example.com' OR domain-name:value LIKE '%.example.com']");
  EXPECT_EQ(x.atoms, atoms({{Kind::kDomain, "example.com", kAtomSubdomains}}));
  EXPECT_EQ(x.pattern, nullptr);
}

TEST(Extract, FileHashes) {
  auto x = of_pattern(
      "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C' "
      "OR file:hashes.MD5 = '001dd76872d80801692ff942308c64e6' OR "
      "file:hashes.'SHA-1' = '0123456789abcdef0123456789abcdef01234567' OR "
      "file:hashes.'x-custom' = 'ab' OR "
      "file:hashes.SHA512 = '" +
      std::string(128, 'A') + "']");
  EXPECT_EQ(
      x.atoms,
      atoms({{Kind::kSha256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", 0},
             {Kind::kMd5, "001dd76872d80801692ff942308c64e6", 0},
             {Kind::kSha1, "0123456789abcdef0123456789abcdef01234567", 0},
             {Kind::kOther, "file:hashes.'x-custom'=ab", 0},
             {Kind::kSha512, std::string(128, 'a'), 0}}));
  EXPECT_EQ(x.skipped, 0u);
}

TEST(Extract, ReferencesAndEmail) {
  auto x = of_pattern(
      "[network-traffic:dst_ref.value = '198.51.100.7' OR network-traffic:src_ref.value ISSUBSET "
      "'2001:db8::/48' OR network-traffic:dst_ref.value = 'C2.Example.com' OR "
      "email-message:from_ref.value = 'Boss@Example.COM' OR email-message:to_refs[*].value = "
      "'a@b.example' OR email-addr:value = 'x@y.example' OR url:value = 'HTTP://Example.com:80']");
  EXPECT_EQ(x.atoms, atoms({{Kind::kIpv4, "198.51.100.7", 0},
                            {Kind::kIpv6, "2001:db8::/48", 0},
                            {Kind::kDomain, "c2.example.com", 0},
                            {Kind::kEmail, "Boss@example.com", 0},
                            {Kind::kEmail, "a@b.example", 0},
                            {Kind::kEmail, "x@y.example", 0},
                            {Kind::kUrl, "http://example.com/", 0}}));
}

TEST(Extract, OtherComparisons) {
  auto x = of_pattern(
      "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b'] AND "
      "[process:name IN ('a.exe', 'b.exe') AND process:pid = 4 AND process:command_line MATCHES "
      "'^x']");
  EXPECT_EQ(x.atoms, atoms({{Kind::kOther, "x509-certificate:issuer=CN=WEBMAIL", 0},
                            {Kind::kOther, "x509-certificate:serial_number=4c:0b", 0},
                            {Kind::kOther, "process:name=a.exe", 0},
                            {Kind::kOther, "process:name=b.exe", 0}}));
  EXPECT_FALSE(x.decided);
  EXPECT_NE(x.pattern, nullptr);
}

TEST(Extract, DecidedOrNeedsEvaluation) {
  EXPECT_TRUE(
      of_pattern("[ipv4-addr:value = '1.2.3.4' OR domain-name:value = 'a.example']").decided);
  EXPECT_TRUE(of_pattern("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS").decided);
  auto and_ =
      of_pattern("[network-traffic:dst_ref.value = '1.2.3.4' AND network-traffic:dst_port = 443]");
  EXPECT_EQ(and_.atoms, atoms({{Kind::kIpv4, "1.2.3.4", 0}}));
  EXPECT_FALSE(and_.decided);
  EXPECT_FALSE(and_.single_comparison);
  EXPECT_NE(and_.pattern, nullptr);
  // One comparison: a hit inside the block is false for that address; nothing to keep.
  auto block = of_pattern("[ipv4-addr:value = '10.0.0.0/8'] WITHIN 5 SECONDS");
  EXPECT_TRUE(block.decided);
  EXPECT_TRUE(block.single_comparison);
  EXPECT_EQ(block.atoms, atoms({{Kind::kIpv4, "10.0.0.0/8", kAtomContainedUndecided}}));
  EXPECT_EQ(block.pattern, nullptr);
  auto like = of_pattern("[domain-name:value LIKE '%.example.com']");
  EXPECT_TRUE(like.single_comparison);
  EXPECT_EQ(like.pattern, nullptr);
  auto either = of_pattern("[ipv4-addr:value = '10.0.0.0/8' OR domain-name:value = 'a.example']");
  EXPECT_FALSE(either.single_comparison);
  EXPECT_NE(either.pattern, nullptr);
  EXPECT_FALSE(
      of_pattern("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'a.example']").decided);
  EXPECT_FALSE(of_pattern("[ipv4-addr:value = '1.2.3.4'] REPEATS 2 TIMES").decided);
  // Nothing indexable: nothing kept either.
  auto none = of_pattern("[file:size > 10]");
  EXPECT_TRUE(none.atoms.empty());
  EXPECT_EQ(none.pattern, nullptr);
}

TEST(Extract, Stix20Pattern) {
  // STIX 2.0 patterning: timestamps in START/STOP are plain strings; spec_version absent.
  auto x = of_pattern(
      "[ipv4-addr:value = '1.2.3.4'] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", "");
  EXPECT_EQ(x.atoms, atoms({{Kind::kIpv4, "1.2.3.4", 0}}));
  ASSERT_NE(x.pattern, nullptr);
  EXPECT_EQ(x.pattern->version(), pattern::StixVersion::k20);
  EXPECT_FALSE(x.decided);
}

TEST(Extract, IndicatorProperties) {
  IndicatorSpec s;
  s.id = kId;
  s.pattern = "[ipv4-addr:value = '1.2.3.4']";
  s.valid_until = "2030-01-01T00:00:00Z";
  auto x = extract_ok(indicator(s));
  ASSERT_TRUE(x.valid_until.has_value());
  EXPECT_EQ(core::format_timestamp(*x.valid_until, 0), "2030-01-01T00:00:00Z");

  s.pattern_type = "sigma";
  s.pattern = "title: x";
  auto sigma = extract_ok(indicator(s));
  EXPECT_TRUE(sigma.is_indicator);
  EXPECT_TRUE(sigma.atoms.empty());

  s.pattern_type = "stix";
  s.pattern = "[ipv4-addr:value = ";
  auto bad = extract(indicator(s));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, kId);

  s.pattern = "[ipv4-addr:value = '1.2.3.4']";
  s.valid_until = "yesterday";
  EXPECT_FALSE(extract(indicator(s)).ok());
}

TEST(Extract, Scos) {
  auto ip =
      extract_ok(sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(1), "\"value\":\"10.0.0.1/8\""));
  EXPECT_EQ(ip.atoms, atoms({{Kind::kIpv4, "10.0.0.0/8", 0}}));
  EXPECT_FALSE(ip.is_indicator);
  EXPECT_TRUE(ip.decided);
  auto v6 = extract_ok(
      sco("ipv6-addr", "ipv6-addr--" + testing::uuid_of(2), "\"value\":\"2001:DB8::1\""));
  EXPECT_EQ(v6.atoms, atoms({{Kind::kIpv6, "2001:db8::1", 0}}));
  auto dom = extract_ok(
      sco("domain-name", "domain-name--" + testing::uuid_of(3), "\"value\":\"A.Example\""));
  EXPECT_EQ(dom.atoms, atoms({{Kind::kDomain, "a.example", 0}}));
  auto url =
      extract_ok(sco("url", "url--" + testing::uuid_of(4), "\"value\":\"https://x.example:443\""));
  EXPECT_EQ(url.atoms, atoms({{Kind::kUrl, "https://x.example/", 0}}));
  auto mail = extract_ok(
      sco("email-addr", "email-addr--" + testing::uuid_of(5), "\"value\":\"a@X.example\""));
  EXPECT_EQ(mail.atoms, atoms({{Kind::kEmail, "a@x.example", 0}}));
  auto file =
      extract_ok(sco("file", "file--" + testing::uuid_of(6),
                     "\"name\":\"x\",\"hashes\":{\"MD5\":\"001DD76872D80801692FF942308C64E6\","
                     "\"SHA-256\":\"bad\",\"TLSH\":\"T1...\"}"));
  EXPECT_EQ(file.atoms, atoms({{Kind::kMd5, "001dd76872d80801692ff942308c64e6", 0}}));
  EXPECT_EQ(file.skipped, 1u);
  auto bad =
      extract_ok(sco("ipv4-addr", "ipv4-addr--" + testing::uuid_of(7), "\"value\":\"999.1.1.1\""));
  EXPECT_TRUE(bad.atoms.empty());
  EXPECT_EQ(bad.skipped, 1u);
  auto other = extract_ok(
      sco("mac-addr", "mac-addr--" + testing::uuid_of(8), "\"value\":\"00:11:22:33:44:55\""));
  EXPECT_TRUE(other.atoms.empty());
}

TEST(Extract, ObservedData) {
  stix::Object o;
  o.meta.id = "observed-data--" + testing::uuid_of(9);
  o.meta.type = "observed-data";
  o.json = R"({"type":"observed-data","id":")" + o.meta.id +
           R"(","objects":{"0":{"type":"ipv4-addr","value":"198.51.100.3"},)"
           R"("1":{"type":"domain-name","value":"Evil.example","resolves_to_refs":["0"]},)"
           R"("2":{"type":"file","hashes":{"SHA-1":"0123456789ABCDEF0123456789abcdef01234567"}}}})";
  auto x = extract_ok(o);
  EXPECT_EQ(x.atoms, atoms({{Kind::kIpv4, "198.51.100.3", 0},
                            {Kind::kDomain, "evil.example", 0},
                            {Kind::kSha1, "0123456789abcdef0123456789abcdef01234567", 0}}));
  // 2.1: object_refs only; the SCOs are separate objects.
  o.json = R"({"type":"observed-data","id":")" + o.meta.id + R"(","object_refs":["ipv4-addr--)" +
           testing::uuid_of(1) + R"("]})";
  EXPECT_TRUE(extract_ok(o).atoms.empty());
}

TEST(Extract, OtherKey) { EXPECT_EQ(other_key("file:name", "a=b"), "file:name=a=b"); }

// --- every indicator of the shared data -------------------------------------------------------

namespace json = boost::json;

void collect(const json::value& v, std::vector<json::object>& out) {
  if (v.is_array()) {
    for (const json::value& e : v.as_array()) collect(e, out);
    return;
  }
  if (!v.is_object()) return;
  const json::object& o = v.as_object();
  if (const json::value* t = o.if_contains("type");
      t && t->is_string() && t->as_string() == "indicator" && o.contains("pattern")) {
    out.push_back(o);
  }
  for (const auto& kv : o) collect(kv.value(), out);
}

// The atoms a pattern should yield, read from its text with a regular expression (the shared
// data's patterns are flat: comparisons joined by AND / OR), independently of pattern::atoms().
struct Expected {
  std::set<std::pair<Kind, std::string>> atoms;
  uint32_t skipped = 0;
  bool decided = true;
  bool single = false;
  bool keeps_pattern = false;
};

Expected expected_atoms(const std::string& pattern) {
  Expected e;
  static const std::regex kComparison(
      R"(([a-z0-9-]+):([A-Za-z0-9_.'\-\[\]\*]+)\s*(=|!=|MATCHES|LIKE|IN|ISSUBSET)\s*'((?:[^'\\]|\\.)*)')");
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), kComparison), end; it != end; ++it) {
    const std::string type = (*it)[1], path = (*it)[2], op = (*it)[3], value = (*it)[4];
    if (op != "=") continue;
    const std::string full = type + ":" + path;
    std::optional<Kind> kind;
    if (full == "ipv4-addr:value")
      kind = Kind::kIpv4;
    else if (full == "ipv6-addr:value")
      kind = Kind::kIpv6;
    else if (full == "domain-name:value")
      kind = Kind::kDomain;
    else if (full == "url:value")
      kind = Kind::kUrl;
    else if (full == "email-addr:value")
      kind = Kind::kEmail;
    else if (full == "file:hashes.md5" || full == "file:hashes.MD5")
      kind = Kind::kMd5;
    else if (full == "file:hashes.'SHA-256'")
      kind = Kind::kSha256;
    else if (full == "file:hashes.'SHA-1'")
      kind = Kind::kSha1;
    if (!kind) {
      e.atoms.emplace(Kind::kOther, full + "=" + value);
      continue;
    }
    auto key = normalise(*kind, value);
    if (key) {
      e.atoms.emplace(*kind, *key);
    } else {
      ++e.skipped;
    }
  }
  e.decided = pattern.find(" AND ") == std::string::npos &&
              pattern.find("] OR [") == std::string::npos &&
              pattern.find("FOLLOWEDBY") == std::string::npos;
  // One comparison: a hit its atom does not decide is false, nothing to evaluate.
  e.single = e.decided && pattern.find(" OR ") == std::string::npos;
  for (const auto& [kind, key] : e.atoms) {
    // `ipv4-addr:value = '<block>'` compares blocks: a hit inside the block needs evaluation,
    // unless the block is the pattern's only comparison.
    e.keeps_pattern = e.keeps_pattern ||
                      (!e.single && kind == Kind::kIpv4 && key.find('/') != std::string::npos);
  }
  return e;
}

TEST(ExtractSharedData, EveryStixIndicatorYieldsItsAtoms) {
  const auto root = testing::shared_data() / "stix21";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no shared data at " << root;
  stix::MarkingResolver markings;
  stix::ObjectParser parser(markings);
  size_t checked = 0, with_atoms = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(root)) {
    if (!f.is_regular_file() || f.path().extension() != ".json") continue;
    if (f.file_size() > (64u << 20)) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec) continue;
    std::vector<json::object> found;
    collect(v, found);
    for (const json::object& o : found) {
      const json::value* pt = o.if_contains("pattern_type");
      if (pt && (!pt->is_string() || pt->as_string() != "stix")) continue;
      stix::Object obj;
      std::vector<stix::Issue> issues;
      if (!parser.parse_unpadded(json::serialize(o), obj, issues)) continue;  // not valid 2.1
      const std::string pattern(o.at("pattern").as_string());
      SCOPED_TRACE(f.path().string() + ": " + pattern);
      auto x = extract(obj);
      ASSERT_TRUE(x.ok()) << x.error().to_string();
      const Expected want = expected_atoms(pattern);
      std::set<std::pair<Kind, std::string>> got;
      for (const ExtractedAtom& a : x->atoms) got.emplace(a.kind, a.key);
      EXPECT_EQ(got, want.atoms);
      EXPECT_EQ(x->skipped, want.skipped);
      EXPECT_EQ(x->decided, want.decided);
      EXPECT_EQ(x->single_comparison, want.single);
      EXPECT_EQ(x->pattern != nullptr, (!want.decided || want.keeps_pattern) && !x->atoms.empty());
      ++checked;
      with_atoms += !got.empty();
    }
  }
  // The OASIS examples alone hold 48 STIX indicators; finding none means the data moved.
  EXPECT_GE(checked, 48u);
  EXPECT_GE(with_atoms, 40u);
  std::printf("checked %zu indicators, %zu with atoms\n", checked, with_atoms);
}

TEST(ExtractSharedData, KnownIndicators) {
  // apt1.json: a /15 block compared with `=`; poison ivy: OR of a domain and addresses, one with a
  // domain that is not a name ("domain autuo.xicp.net").
  auto cidr = of_pattern("[ipv4-addr:value = '223.166.0.0/15']");
  EXPECT_EQ(cidr.atoms, atoms({{Kind::kIpv4, "223.166.0.0/15", kAtomContainedUndecided}}));
  auto poison = of_pattern(
      "[domain-name:value = 'domain autuo.xicp.net' OR ipv4-addr:value = '60.10.1.115']");
  EXPECT_EQ(poison.atoms, atoms({{Kind::kIpv4, "60.10.1.115", 0}}));
  EXPECT_EQ(poison.skipped, 1u);
  EXPECT_TRUE(poison.decided);
}

}  // namespace
}  // namespace sw::index
