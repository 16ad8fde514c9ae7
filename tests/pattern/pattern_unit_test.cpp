// What the data files cannot say: text and IP helpers, limits on untrusted input (size, nesting,
// invalid UTF-8, catastrophic regular expressions, huge REPEATS, the binding size), the JSON
// builders, atoms, allocation-free evaluation and thread-safety.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "pattern/atoms.h"
#include "pattern/ip.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"
#include "pattern/text.h"

#include "common/allocation_counter.h"

namespace sw::pattern {
namespace {

Pattern compile(std::string_view text, StixVersion v = StixVersion::k21) {
  CompileOptions o;
  o.version = v;
  auto p = Pattern::compile(text, o);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().to_string());
  if (!p.ok()) std::abort();
  return std::move(p).value();
}

std::string od21(int n, const std::string& first, const std::string& last, int count,
                 const std::vector<std::string>& refs) {
  std::string j = "{\"type\":\"observed-data\",\"id\":\"observed-data--" + std::to_string(n) +
                  "\",\"first_observed\":\"" + first + "\",\"last_observed\":\"" + last +
                  "\",\"number_observed\":" + std::to_string(count) + ",\"object_refs\":[";
  for (size_t i = 0; i < refs.size(); ++i) j += (i ? ",\"" : "\"") + refs[i] + "\"";
  return j + "]}";
}

// ---- helpers ---------------------------------------------------------------------------------

TEST(Text, Base64IsStrictAndSkipsLineFeedsOnlyWhenAsked) {
  std::string out;
  EXPECT_TRUE(text::decode_base64("dGhpcyBpcyBhIHRlc3Q=", out, false));
  EXPECT_EQ(out, "this is a test");
  EXPECT_TRUE(text::decode_base64("dGhpcyBp\ncyBhIHRlc3Q=", out, true));
  EXPECT_EQ(out, "this is a test");
  EXPECT_FALSE(text::decode_base64("dGhpcyBp\ncyBhIHRlc3Q=", out, false));
  EXPECT_FALSE(text::decode_base64("QUJD=", out, false));  // bad length
  EXPECT_FALSE(text::decode_base64("QU=D", out, false));   // data after padding
  EXPECT_FALSE(text::decode_base64("QR==", out, false));   // non-zero unused bits
  EXPECT_FALSE(text::decode_base64("QUJ*", out, false));
  EXPECT_TRUE(text::decode_base64("AA==", out, false));
  EXPECT_EQ(out, std::string(1, '\0'));
}

TEST(Text, HexLatin1AndOctetComparison) {
  std::string out;
  EXPECT_TRUE(text::decode_hex("00FFaa", out));
  EXPECT_EQ(out, std::string("\x00\xff\xaa", 3));
  EXPECT_FALSE(text::decode_hex("abc", out));
  EXPECT_FALSE(text::decode_hex("zz", out));
  EXPECT_TRUE(
      text::to_latin1("\xc3\xbf"
                      "a",
                      out));  // U+00FF a
  EXPECT_EQ(out,
            "\xff"
            "a");
  EXPECT_FALSE(text::to_latin1("\xe2\x82\xac", out));  // U+20AC
  EXPECT_EQ(text::compare_octets_with_string("\xff", "\xc3\xbf"), 0);
  EXPECT_EQ(text::compare_octets_with_string("\xff",
                                             "\xc3\xbf"
                                             "a"),
            -1);
  EXPECT_EQ(text::compare_octets_with_string("b", "a"), 1);
  EXPECT_EQ(text::compare_octets_with_string("a", "a\xe2\x82\xac"), std::nullopt);
}

TEST(Text, NfcAndWhitespace) {
  std::string out;
  EXPECT_TRUE(text::to_nfc("e\xcc\x81", out));  // e + U+0301
  EXPECT_EQ(out, "\xc3\xa9");                   // U+00E9
  EXPECT_FALSE(text::may_need_nfc("plain ascii \xc3\xa9"));
  EXPECT_TRUE(text::may_need_nfc("e\xcc\x81"));
  EXPECT_TRUE(text::is_whitespace(0x3000));
  EXPECT_TRUE(text::is_whitespace(0x85));
  EXPECT_FALSE(text::is_whitespace(0x200B));                 // zero width space is not White_Space
  EXPECT_EQ(text::invalid_utf8_offset("ab\xc0\xafz"), 2u);   // overlong '/'
  EXPECT_EQ(text::invalid_utf8_offset("\xed\xa0\x80"), 0u);  // surrogate
}

TEST(Ip, ParsesAndComparesBlocks) {
  IpNet a, b;
  ASSERT_TRUE(parse_ip_net("198.51.100.1", a));
  EXPECT_EQ(a.prefix, 32);
  ASSERT_TRUE(parse_ip_net("198.51.100.1/32", b));
  EXPECT_TRUE(same_block(a, b));
  ASSERT_TRUE(parse_ip_net("198.51.100.0/24", b));
  EXPECT_TRUE(is_subset(a, b));
  EXPECT_FALSE(is_subset(b, a));
  ASSERT_TRUE(parse_ip_net("192.168.0.1/24", b));  // host bits are ignored
  ASSERT_TRUE(parse_ip_net("192.168.0.77", a));
  EXPECT_TRUE(is_subset(a, b));
  for (const char* bad : {"1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/",
                          "1.2.3.4/a", " 1.2.3.4", "::1::", "1:2:3:4:5:6:7:8:9",
                          "12345::", "fe80::1%eth0", "::/129", ":1::", "1:"}) {
    EXPECT_FALSE(parse_ip_net(bad, a)) << bad;
  }
  ASSERT_TRUE(parse_ip_net("2001:0db8:dead:beef:dead:beef:dead:0001/128", a));
  ASSERT_TRUE(parse_ip_net("2001:db8:dead:beef:dead:beef:dead:1", b));
  EXPECT_TRUE(same_block(a, b));
  ASSERT_TRUE(parse_ip_net("::ffff:192.0.2.1", a));
  EXPECT_EQ(a.addr[10], 0xff);
  EXPECT_EQ(a.addr[15], 1);
  ASSERT_TRUE(parse_ip_net("::", a));
  ASSERT_TRUE(parse_ip_net("1::", a));
  ASSERT_TRUE(parse_ip_net("2001:db8::/32", b));
  ASSERT_TRUE(parse_ip_net("2001:db8:1::5", a));
  EXPECT_TRUE(is_subset(a, b));
  IpNet v4;
  ASSERT_TRUE(parse_ip_net("0.0.0.0/0", v4));
  EXPECT_FALSE(is_subset(a, v4));  // families never mix
}

// ---- untrusted patterns --------------------------------------------------------------------

TEST(Limits, EnormousPatternsAreRefusedBeforeParsing) {
  CompileOptions o;
  o.limits.max_pattern_bytes = 1000;
  std::string big = "[file:name = '" + std::string(2000, 'a') + "']";
  auto p = Pattern::compile(big, o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::Code::kResourceExhausted);
  EXPECT_EQ(p.error().to_string(), "column 1: the pattern is 2016 bytes; the limit is 1000");
}

TEST(Limits, InvalidUtf8IsAnErrorAtItsColumn) {
  auto p = Pattern::compile("[file:name = '\xff']");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().to_string(), "column 15: the pattern is not valid UTF-8");
}

TEST(Limits, LongChainsDoNotNestAndEvaluate) {
  // 20 000 alternatives: one n-ary OR, no deep recursion in the parser or the evaluator.
  std::string text = "[";
  for (int i = 0; i < 20000; ++i) {
    if (i) text += " OR ";
    text += "ipv4-addr:value = '10." + std::to_string(i / 65536) + "." +
            std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + "'";
  }
  text += "] AND [file:name = 'x']";
  Pattern p = compile(text);
  EXPECT_EQ(p.ast().comparisons.size(), 20001u);
  const std::string scos[] = {R"({"type":"ipv4-addr","id":"ipv4-addr--1","value":"10.0.78.31"})",
                              R"({"type":"file","id":"file--1","name":"x"})"};
  const std::string_view views[] = {scos[0], scos[1]};
  auto a = Observation::from_json_21(
      od21(1, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 2, {"ipv4-addr--1", "file--1"}),
      views);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  std::vector<Observation> obs;
  obs.push_back(std::move(a).value());
  Matcher m;
  auto r = m.match(p, obs);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);  // one observed-data seen twice (number_observed 2)
  // Long FOLLOWEDBY and AND chains likewise.
  std::string chain = "[a:b = 1]";
  for (int i = 0; i < 5000; ++i) chain += (i % 2 ? " AND [a:b = 1]" : " FOLLOWEDBY [a:b = 1]");
  EXPECT_TRUE(Pattern::compile(chain).ok());
}

TEST(Limits, NestingLimitIsConfigurable) {
  CompileOptions o;
  o.limits.max_depth = 3;
  EXPECT_TRUE(Pattern::compile("(([a:b = 1]))", o).ok());
  auto p = Pattern::compile("((([a:b = 1])))", o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().to_string(),
            "column 4: nesting is deeper than the limit of 3 levels of '(' and '['");
  // Far beyond any limit: still an error, not a crash.
  std::string deep(200000, '(');
  EXPECT_FALSE(Pattern::compile(deep + "[a:b = 1]" + std::string(200000, ')')).ok());
  std::string brackets =
      "[" + std::string(200000, '(') + "a:b = 1" + std::string(200000, ')') + "]";
  EXPECT_FALSE(Pattern::compile(brackets).ok());
}

TEST(Limits, RegexCountIsCapped) {
  std::string text = "[";
  for (int i = 0; i < 300; ++i)
    text += (i ? " OR " : "") + std::string("a:b MATCHES 'x") + std::to_string(i) + "'";
  text += "]";
  auto p = Pattern::compile(text);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("more than 256 regular expressions"), std::string::npos);
}

TEST(Limits, CatastrophicRegexRunsInLinearTime) {
  // (a+)+$ and (a|a)*b take exponential time on a backtracking engine; RE2 is linear.
  Pattern p = compile(
      "[file:name MATCHES '^(a+)+$' OR file:name MATCHES '(a|a)*b' OR file:name LIKE "
      "'%a%a%a%a%a%a%b']");
  const std::string name(200000, 'a');
  const std::string sco = R"({"type":"file","id":"file--1","name":")" + name + "!\"}";
  const std::string_view views[] = {sco};
  auto o = Observation::from_json_21(
      od21(1, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1, {"file--1"}), views);
  ASSERT_TRUE(o.ok());
  std::vector<Observation> obs;
  obs.push_back(std::move(o).value());
  // On a backtracking engine this would not return for ages (ctest's timeout would end it).
  Matcher m;
  auto r = m.match(p, obs);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST(Limits, HugeRepeatsCountsUseCountsNotOneObservationAtATime) {
  Pattern p = compile(
      "[ipv4-addr:value = '10.0.0.1'] REPEATS 1000000 TIMES AND [ipv4-addr:value = '10.0.0.1']");
  const std::string sco = R"({"type":"ipv4-addr","id":"ipv4-addr--1","value":"10.0.0.1"})";
  const std::string_view views[] = {sco};
  auto o = Observation::from_json_21(
      od21(1, "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", 999999999, {"ipv4-addr--1"}), views);
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  std::vector<Observation> obs;
  obs.push_back(std::move(o).value());
  Matcher m;
  auto r = m.match(p, obs);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(*r);
  ASSERT_EQ(m.binding().size(), 2u);
  EXPECT_EQ(m.binding()[0], (BindingEntry{0, 0, 1000000}));
  EXPECT_EQ(m.binding()[1], (BindingEntry{1, 0, 1}));
}

TEST(Limits, ReferenceCyclesCannotMultiplyWorkWithoutBound) {
  // Each object lists itself twice: 30 steps of x_refs[*] would visit 2^30 paths.
  const std::string sco =
      R"({"type":"x-node","id":"x-node--1","x_refs":["x-node--1","x-node--1"]})";
  const std::string_view views[] = {sco};
  auto o = Observation::from_json_21(
      od21(1, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1, {"x-node--1"}), views);
  ASSERT_TRUE(o.ok());
  std::vector<Observation> obs;
  obs.push_back(std::move(o).value());
  std::string path = "x-node:x_refs[*]";
  for (int i = 0; i < 29; ++i) path += ".x_refs[*]";
  Pattern p = compile("[" + path + ".missing = 1]");
  MatchOptions mo;
  mo.max_steps = 1'000'000;
  Matcher m(mo);
  auto r = m.match(p, obs);  // the step bound ends it, not the 2^30 paths
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kResourceExhausted);
  // A short path through the cycle is fine.
  auto ok = m.match(compile("[x-node:x_refs[1].x_refs[0].x_refs[*].id = 'x-node--1']"), obs);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(*ok);
}

TEST(Limits, BindingSizeIsCapped) {
  // ([a] AND [a]) REPEATS 600 TIMES over 1200 one-observation observed-data: 1200 entries.
  std::vector<Observation> obs;
  const std::string sco = R"({"type":"ipv4-addr","id":"ipv4-addr--1","value":"10.0.0.1"})";
  const std::string_view views[] = {sco};
  for (int i = 0; i < 1200; ++i) {
    auto o = Observation::from_json_21(
        od21(i, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1, {"ipv4-addr--1"}), views);
    ASSERT_TRUE(o.ok());
    obs.push_back(std::move(o).value());
  }
  Pattern p = compile(
      "([ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value = '10.0.0.1']) REPEATS 600 TIMES");
  Matcher m;
  auto r = m.match(p, obs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kResourceExhausted);
  EXPECT_NE(r.error().message.find("more than 1000 observed-data entries"), std::string::npos);
  MatchOptions big;
  big.max_binding_entries = 1200;
  Matcher m2(big);
  auto r2 = m2.match(p, obs);
  ASSERT_TRUE(r2.ok()) << r2.error().to_string();
  EXPECT_TRUE(*r2);
  EXPECT_EQ(m2.binding().size(), 1200u);
}

// ---- the JSON builders ---------------------------------------------------------------------

TEST(Observation, From21UsesOnlyListedObjectsInListOrder) {
  const std::string a = R"({"type":"ipv4-addr","id":"ipv4-addr--a","value":"10.0.0.1"})";
  const std::string b =
      R"({"type":"network-traffic","id":"network-traffic--b","src_ref":"ipv4-addr--a","dst_ref":"ipv4-addr--c"})";
  const std::string c = R"({"type":"ipv4-addr","id":"ipv4-addr--c","value":"10.0.0.3"})";
  const std::string_view views[] = {a, c, b};
  auto o = Observation::from_json_21(od21(1, "2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z", 1,
                                          {"network-traffic--b", "ipv4-addr--a"}),
                                     views);
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  ASSERT_EQ(o->sco_count(), 2u);
  EXPECT_EQ(o->sco_type(0), "network-traffic");
  EXPECT_EQ(o->sco_type(1), "ipv4-addr");
  EXPECT_EQ(o->id(), "observed-data--1");
  EXPECT_EQ(o->number_observed(), 1u);
  std::vector<Observation> obs;
  obs.push_back(std::move(o).value());
  Matcher m;
  EXPECT_TRUE(*m.match(compile("[network-traffic:src_ref.value = '10.0.0.1']"), obs));
  EXPECT_FALSE(
      *m.match(compile("[network-traffic:dst_ref.value = '10.0.0.3']"), obs));  // not listed
  EXPECT_FALSE(*m.match(compile("[ipv4-addr:value = '10.0.0.3']"), obs));
}

TEST(Observation, From20AndErrors) {
  auto o = Observation::from_json_20(R"({"type":"observed-data","id":"observed-data--x",
    "first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,
    "objects":{"0":{"type":"file","name":"a","hashes":{"MD5":"x"}},"1":"not an object"}})");
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  EXPECT_EQ(o->sco_count(), 1u);
  EXPECT_FALSE(Observation::from_json_20("{").ok());
  EXPECT_FALSE(Observation::from_json_20("[]").ok());
  auto bad = Observation::from_json_20(
      R"({"type":"observed-data","first_observed":"x","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("first_observed: invalid timestamp"), std::string::npos);
  auto huge = Observation::from_json_20(
      R"({"type":"observed-data","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1000000000,"objects":{}})");
  EXPECT_FALSE(huge.ok());
}

TEST(Observation, LoadReportsJsonPaths) {
  auto s = load_observations(
      "[{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{\"type\":\"identity\"},"
      "{\"type\":\"observed-data\",\"first_observed\":\"2020-01-01T00:00:00Z\"}]}]",
      StixVersion::k21);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().where, "[0].objects[1]");
  EXPECT_FALSE(load_observations("not json", StixVersion::k21).ok());
  EXPECT_FALSE(load_observations("42", StixVersion::k21).ok());
  auto empty = load_observations("[]", StixVersion::k20);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->observations.empty());
}

TEST(Observation, SourcesAreKeptForShowingMatches) {
  LoadOptions keep;
  keep.keep_source = true;
  auto s = load_observations(R"([{"type":"bundle","id":"bundle--1","objects":[
      {"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z",
       "last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["file--1"]},
      {"type":"file","id":"file--1","name":"a"},{"type":"file","id":"file--2","name":"b"}]}])",
                             StixVersion::k21, keep);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  ASSERT_EQ(s->sources.size(), 1u);
  EXPECT_EQ(s->sources[0].bundle_id, "bundle--1");
  ASSERT_EQ(s->sources[0].objects.size(), 1u);
  EXPECT_EQ(s->sources[0].objects[0], R"({"type":"file","id":"file--1","name":"a"})");
}

// ---- atoms and evaluation API --------------------------------------------------------------

TEST(Atoms, ListEveryComparisonAndSayWhenOneDecides) {
  Pattern p =
      compile("[ipv4-addr:value = '10.0.0.1' OR domain-name:value IN ('a.example', 'b.example')]");
  auto a = atoms(p);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].object_type, "ipv4-addr");
  EXPECT_EQ(a[0].op, Op::kEq);
  ASSERT_EQ(a[0].values.size(), 1u);
  EXPECT_EQ(a[0].values[0].bytes, "10.0.0.1");
  EXPECT_EQ(a[1].op, Op::kIn);
  EXPECT_EQ(a[1].values.size(), 2u);
  EXPECT_EQ(atom_decision(p), AtomDecision::kAnyAtom);
  EXPECT_TRUE(decided_by_single_atom(p));
  EXPECT_EQ(atom_decision(compile("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']")),
            AtomDecision::kSingleAtom);
  EXPECT_EQ(atom_decision(compile("[a:b = 1] WITHIN 5 SECONDS")), AtomDecision::kSingleAtom);
  EXPECT_EQ(atom_decision(compile("[a:b = 1] REPEATS 1 TIMES")), AtomDecision::kSingleAtom);
  for (const char* more :
       {"[a:b = 1 AND a:c = 2]", "[a:b = 1] AND [a:c = 2]", "[a:b = 1] REPEATS 2 TIMES",
        "[a:b = 1] START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'",
        "[a:b = 1 OR (a:c = 2 AND a:d = 3)]", "[a:b = 1] OR [a:c = 2]"}) {
    EXPECT_EQ(atom_decision(compile(more)), AtomDecision::kNeedsEvaluation) << more;
  }
  auto e = atoms(compile("[a:b = 1] FOLLOWEDBY [NOT EXISTS c:d[*].'e-f']"));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1].expression, 1u);
  EXPECT_EQ(e[1].op, Op::kExists);
  EXPECT_TRUE(e[1].negated);
  ASSERT_EQ(e[1].path.size(), 3u);
  EXPECT_EQ(e[1].path[1].kind, PathStep::Kind::kAnyIndex);
  EXPECT_EQ(e[1].path[2].key, "e-f");
}

TEST(Matcher, HoldsEvaluatesOneExpression) {
  Pattern p = compile("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']");
  auto o =
      Observation::from_json_20(R"({"type":"observed-data","first_observed":"2020-01-01T00:00:00Z",
    "last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"file","name":"b"}}})");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(Matcher::holds(p, 0, *o));
  EXPECT_TRUE(Matcher::holds(p, 1, *o));
  EXPECT_FALSE(Matcher::holds(p, 7, *o));
}

TEST(Printing, QualifierChainsKeepTheirMeaning) {
  const std::pair<const char*, const char*> cases[] = {
      {"([a:b = 1] REPEATS 2 TIMES) REPEATS 3 TIMES",
       "([a:b = 1] REPEATS 2 TIMES) REPEATS 3 TIMES"},
      {"([a:b = 1] WITHIN 5 SECONDS REPEATS 2 TIMES) WITHIN 6 SECONDS",
       "([a:b = 1] WITHIN 5 SECONDS) REPEATS 2 TIMES WITHIN 6 SECONDS"},
      {"[a:b = 1] FOLLOWEDBY ([c:d = 2] FOLLOWEDBY [e:f = 3])",
       "[a:b = 1] FOLLOWEDBY ([c:d = 2] FOLLOWEDBY [e:f = 3])"},
      {"([a:b = 1] OR [c:d = 2]) AND [e:f = 3]", "([a:b = 1] OR [c:d = 2]) AND [e:f = 3]"},
      {"[ (a:b=1 OR a:c=2) AND a:d=3 ]", "[(a:b = 1 OR a:c = 2) AND a:d = 3]"},
      {"[a:'AND' = 1 AND a:'x y' = 2 AND a:'\\\\'='\\'']",
       "[a:'AND' = 1 AND a:'x y' = 2 AND a:'\\\\' = '\\'']"},
      {"[a:b = 1] AND ([c:d = 2] AND [e:f = 3])", "[a:b = 1] AND ([c:d = 2] AND [e:f = 3])"},
  };
  for (const auto& [text, canonical] : cases) {
    Pattern p = compile(text);
    EXPECT_EQ(to_string(p.ast()), canonical);
    EXPECT_EQ(to_string(compile(canonical).ast()), canonical);
  }
}

// ---- speed, allocations, threads -----------------------------------------------------------

struct Fixture {
  Pattern pattern = compile(
      "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4' AND file:size > 1000 AND file:name "
      "LIKE '%.dll']");
  std::vector<Observation> obs;
  Fixture() {
    const std::string scos[] = {
        R"({"type":"file","id":"file--1","name":"foo.dll","size":25536,"mime_type":"application/x-msdownload",
            "hashes":{"MD5":"79054025255fb1a26e4bc422aef54eb4","SHA-256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"},
            "parent_directory_ref":"directory--1"})",
        R"({"type":"directory","id":"directory--1","path":"C:\\Windows\\System32"})",
        R"({"type":"ipv4-addr","id":"ipv4-addr--1","value":"198.51.100.7"})"};
    const std::string_view views[] = {scos[0], scos[1], scos[2]};
    auto o = Observation::from_json_21(od21(1, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1,
                                            {"ipv4-addr--1", "directory--1", "file--1"}),
                                       views);
    EXPECT_TRUE(o.ok());
    obs.push_back(std::move(o).value());
  }
};

TEST(Speed, EvaluationAllocatesNothingOnceWarm) {
  if (!sw::testing::kAllocationsCounted) GTEST_SKIP() << "allocations are not counted under sanitizers";
  Fixture f;
  Matcher m;
  ASSERT_TRUE(*m.match(f.pattern, f.obs));
  const uint64_t before = sw::testing::allocations();
  for (int i = 0; i < 1000; ++i) {
    auto r = m.match(f.pattern, f.obs);
    if (!r.ok() || !*r) FAIL();
  }
  EXPECT_EQ(sw::testing::allocations() - before, 0u);
}

TEST(Threads, OnePatternManyMatchers) {
  Fixture f;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Matcher m;
      for (int i = 0; i < 5000; ++i) {
        auto r = m.match(f.pattern, f.obs);
        if (!r.ok() || !*r) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace sw::pattern
