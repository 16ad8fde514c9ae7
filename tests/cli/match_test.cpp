// shieldwall lookup / correlate / match end to end (docs/matching.md): a node with a handful of
// indicators of every kind, asked the way an analyst or a sensor pipeline asks it; the JSON lines
// on stdout are read back and checked value by value.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

std::string indicator(int n, const std::string& pattern, const std::string& extra = "") {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--a0000000-0000-4000-8000-%012d", n);
  std::string p;
  for (char c : pattern) {
    if (c == '\\' || c == '"') p.push_back('\\');
    p.push_back(c);
  }
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":")") + id +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":")" +
         p + R"(","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" + extra + "}";
}

std::string id_of(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--a0000000-0000-4000-8000-%012d", n);
  return id;
}

const std::string kSha = "5b1f2a1b6c0e4d8c9f7a6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b";

// The node every test here uses.
struct MatchNode {
  TempDir dir;
  Node node = init_node(dir);
  MatchNode() {
    std::string bundle = R"({"type":"bundle","id":"bundle--b0000000-0000-4000-8000-000000000001","objects":[)";
    const std::vector<std::string> objects = {
        indicator(1, "[ipv4-addr:value = '198.51.100.7']"),
        indicator(2, "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"),
        indicator(3, "[domain-name:value = 'evil.example']"),
        indicator(4, "[domain-name:value LIKE '%.bad.example']"),
        indicator(5, "[url:value = 'http://evil.example/payload.exe']"),
        indicator(6, "[file:hashes.'SHA-256' = '" + kSha + "']"),
        indicator(7, "[network-traffic:dst_ref.value = '192.0.2.10' AND network-traffic:dst_port = 443]"),
        indicator(8, "[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'evil.example']"),
        indicator(9, "[ipv4-addr:value = '192.0.2.99']", R"(,"revoked":true)"),
        indicator(10, "[ipv4-addr:value = '192.0.2.98']", R"(,"valid_until":"2024-02-01T00:00:00Z")"),
        indicator(11, "[email-addr:value = 'ceo@evil.example']"),
    };
    for (size_t i = 0; i < objects.size(); ++i) bundle += (i ? "," : "") + objects[i];
    bundle += "]}";
    write_file(dir / "intel.json", bundle);
    auto r = run(node.with_data({"import", (dir / "intel.json").string()}));
    EXPECT_TRUE(r.exited && r.exit_code == 0) << r.describe();
    // A warning list of our own, in the MISP layout.
    fs::create_directories(dir / "lists" / "resolvers");
    write_file(dir / "lists" / "resolvers" / "list.json",
               R"({"name":"Public resolvers","version":1,"description":"test","type":"cidr",)"
               R"("list":["198.51.100.0/24"]})");
  }
  std::vector<std::string> args(std::vector<std::string> a) const {
    a = node.with_data(std::move(a));
    return a;
  }
};

// The ids of the hits of one output line.
std::set<std::string> hit_ids(const boost::json::object& line) {
  std::set<std::string> ids;
  for (const auto& h : line.at("hits").as_array())
    ids.insert(std::string(h.as_object().at("id").as_string()));
  return ids;
}

const boost::json::object* hit(const boost::json::object& line, const std::string& id) {
  for (const auto& h : line.at("hits").as_array())
    if (h.as_object().at("id").as_string() == id) return &h.as_object();
  return nullptr;
}

std::vector<boost::json::object> json_lines(const std::string& out) {
  std::vector<boost::json::object> v;
  for (const auto& l : lines_of(out)) {
    if (!l.empty()) v.push_back(parse_json(l).as_object());
  }
  return v;
}

TEST(Lookup, FindsEveryKindNormalisedWithBlocksAndParentDomains) {
  MatchNode m;
  auto r = run(m.args({"lookup", "--no-warninglists", "198.51.100.7", "203.0.113.9",
                       "deep.sub.bad.example", "HTTP://EVIL.example:80/payload.exe",
                       "5B1F2A1B6C0E4D8C9F7A6E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B0A9F8E7D6C5B",
                       "ceo@EVIL.example", "192.0.2.99", "192.0.2.98", "bad.example",
                       "not a value"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 10u) << r.out;

  EXPECT_EQ(lines[0].at("kind").as_string(), "ipv4");
  EXPECT_EQ(hit_ids(lines[0]), (std::set<std::string>{id_of(1), id_of(8)}));
  EXPECT_TRUE(hit(lines[0], id_of(1))->at("satisfied").as_bool());
  EXPECT_EQ(hit(lines[0], id_of(1))->at("match").as_string(), "exact");

  EXPECT_EQ(hit_ids(lines[1]), (std::set<std::string>{id_of(2)}));
  EXPECT_EQ(hit(lines[1], id_of(2))->at("match").as_string(), "block");
  EXPECT_EQ(hit(lines[1], id_of(2))->at("key").as_string(), "203.0.113.0/24");
  EXPECT_TRUE(hit(lines[1], id_of(2))->at("satisfied").as_bool()) << "ISSUBSET holds";

  EXPECT_EQ(hit_ids(lines[2]), (std::set<std::string>{id_of(4)}));
  EXPECT_EQ(hit(lines[2], id_of(4))->at("match").as_string(), "parent");
  EXPECT_EQ(hit(lines[2], id_of(4))->at("key").as_string(), "bad.example");

  EXPECT_EQ(lines[3].at("kind").as_string(), "url");
  EXPECT_EQ(hit_ids(lines[3]), (std::set<std::string>{id_of(5)}));
  EXPECT_EQ(lines[4].at("kind").as_string(), "sha256");
  EXPECT_EQ(hit_ids(lines[4]), (std::set<std::string>{id_of(6)}));
  EXPECT_EQ(lines[5].at("kind").as_string(), "email");
  EXPECT_EQ(hit_ids(lines[5]), (std::set<std::string>{id_of(11)}));

  EXPECT_TRUE(lines[6].at("hits").as_array().empty()) << "revoked indicators are not hits";
  EXPECT_TRUE(lines[7].at("hits").as_array().empty()) << "expired indicators are not hits";
  // '%.bad.example' matches the subdomains only: the name itself is reported, not satisfied.
  for (const auto& h : lines[8].at("hits").as_array())
    EXPECT_FALSE(h.as_object().at("satisfied").as_bool()) << lines[8];
  EXPECT_TRUE(lines[9].at("kind").is_null());
  EXPECT_TRUE(lines[9].contains("error"));

  auto none = run(m.args({"lookup", "--no-warninglists", "192.0.2.1", "nothing.example"}));
  EXPECT_TRUE(none.exited && none.exit_code == 1) << "no hit at all: " << none.describe();
}

TEST(Lookup, FlagsWarningListedValues) {
  MatchNode m;
  auto r = run(m.args({"lookup", "--warninglists", (m.dir / "lists").string(), "198.51.100.7",
                       "203.0.113.9"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0].at("warninglists").as_array().size(), 1u);
  EXPECT_EQ(lines[0].at("warninglists").as_array()[0].as_string(), "resolvers");
  EXPECT_FALSE(lines[0].at("hits").as_array().empty()) << "flagged, still reported";
  EXPECT_TRUE(lines[1].at("warninglists").as_array().empty());
  EXPECT_TRUE(contains(r.err, "warning lists: 1 loaded")) << r.err;

  auto missing = run(m.args({"lookup", "--warninglists", (m.dir / "nope").string(), "1.2.3.4"}));
  EXPECT_TRUE(missing.exited && missing.exit_code == 2) << missing.describe();
  EXPECT_TRUE(contains(missing.err, (m.dir / "nope").string())) << missing.err;
}

TEST(Lookup, RealWarningListsFlagPublicResolvers) {
  const fs::path lists = shared_data() / "misp" / "warninglists" / "lists";
  if (!fs::exists(lists)) GTEST_SKIP() << "no warning lists under " << lists;
  MatchNode m;
  auto r = run(m.args({"lookup", "--warninglists", lists.string(), "8.8.8.8", "198.51.100.7"}));
  ASSERT_TRUE(r.exited) << r.describe();
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  std::set<std::string> flags;
  for (const auto& f : lines[0].at("warninglists").as_array()) flags.insert(std::string(f.as_string()));
  EXPECT_TRUE(flags.count("public-dns-v4")) << lines[0];
}

TEST(Lookup, TheConfigNamesTheWarningListsAndTheCap) {
  MatchNode m;
  const fs::path toml = m.node.data / "shieldwall.toml";
  std::string text = read_file(toml);
  ASSERT_TRUE(contains(text, "[index]")) << "init writes the section: " << text;
  // Relative to the data directory.
  fs::rename(m.dir / "lists", m.node.data / "lists");
  write_file(toml, text + "warninglists = 'lists'\n");
  auto r = run(m.args({"lookup", "198.51.100.7"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_TRUE(contains(r.out, R"("warninglists":["resolvers"])")) << r.out;

  const size_t at = text.find("over_correlation_cap = 1000");
  ASSERT_NE(at, std::string::npos) << text;
  write_file(toml, text.substr(0, at) + "over_correlation_cap = 0" +
                       text.substr(at + std::string("over_correlation_cap = 1000").size()));
  auto bad = run(m.args({"lookup", "198.51.100.7"}));
  EXPECT_TRUE(bad.exited && bad.exit_code == 2) << bad.describe();
  EXPECT_TRUE(contains(bad.err, "index.over_correlation_cap")) << bad.err;
}

TEST(Correlate, RelatesObjectsSharingValuesAndCapsOverCorrelation) {
  MatchNode m;
  auto r = run(m.args({"correlate", id_of(1)}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  auto doc = parse_json(r.out).as_object();
  EXPECT_EQ(doc.at("atoms").as_int64(), 1);
  const auto& related = doc.at("related").as_array();
  ASSERT_EQ(related.size(), 1u) << r.out;
  EXPECT_EQ(related[0].as_object().at("id").as_string(), id_of(8));
  EXPECT_EQ(related[0].as_object().at("shared").as_int64(), 1);
  EXPECT_TRUE(doc.at("over_correlating").as_array().empty());

  // With a cap of 1, the address filed by two indicators is reported, not expanded.
  auto capped = run(m.args({"correlate", "--cap", "1", id_of(8)}));
  ASSERT_TRUE(capped.exited && capped.exit_code == 0) << capped.describe();
  auto cdoc = parse_json(capped.out).as_object();
  bool found = false;
  for (const auto& o : cdoc.at("over_correlating").as_array()) {
    if (o.as_object().at("key").as_string() == "198.51.100.7") {
      found = true;
      EXPECT_EQ(o.as_object().at("objects").as_int64(), 2);
    }
  }
  EXPECT_TRUE(found) << capped.out;

  auto unknown = run(m.args({"correlate", "indicator--ffffffff-0000-4000-8000-000000000000"}));
  EXPECT_TRUE(unknown.exited && unknown.exit_code == 1) << unknown.describe();
  EXPECT_TRUE(contains(unknown.err, "not in the index")) << unknown.err;
}

TEST(Match, SuricataEveHitsWithFullPatternEvaluation) {
  MatchNode m;
  const std::string eve =
      R"({"timestamp":"2024-03-01T10:00:00.000000+0000","event_type":"flow","src_ip":"10.0.0.5","src_port":51000,"dest_ip":"192.0.2.10","dest_port":443,"proto":"TCP"})"
      "\n"
      R"({"timestamp":"2024-03-01T10:00:01.000000+0000","event_type":"flow","src_ip":"10.0.0.5","src_port":51001,"dest_ip":"192.0.2.10","dest_port":80,"proto":"TCP"})"
      "\n"
      R"({"timestamp":"2024-03-01T10:00:02.000000+0000","event_type":"dns","src_ip":"10.0.0.5","dest_ip":"10.0.0.1","proto":"UDP","dns":{"type":"query","rrname":"www.bad.example","rrtype":"A"}})"
      "\n"
      "\x01\x02 not json at all\n"
      R"({"timestamp":"2024-03-01T10:00:03.000000+0000","event_type":"http","src_ip":"10.0.0.5","dest_ip":"203.0.113.80","dest_port":80,"proto":"TCP","http":{"hostname":"evil.example","url":"/payload.exe"}})"
      "\n"
      R"({"timestamp":"2024-03-01T10:00:04.000000+0000","event_type":"flow","src_ip":"10.0.0.5","dest_ip":"192.0.2.200","proto":"TCP"})"
      "\n";
  write_file(m.dir / "eve.json", eve);
  auto r = run(m.args({"match", "--no-warninglists", "--format", "suricata-eve",
                       (m.dir / "eve.json").string()}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  using Key = std::pair<int64_t, std::string>;
  std::map<Key, boost::json::object> by;
  for (auto& l : json_lines(r.out))
    by[Key{l.at("line").as_int64(), std::string(l.at("observable").as_string())}] = l;

  // Line 1: 192.0.2.10:443 satisfies the AND pattern; line 2 (port 80) is a hit that does not.
  ASSERT_TRUE(by.count(Key(1, "192.0.2.10"))) << r.out;
  EXPECT_TRUE(hit(by[Key(1, "192.0.2.10")], id_of(7))->at("satisfied").as_bool());
  EXPECT_EQ(by[Key(1, "192.0.2.10")].at("field").as_string(), "dest_ip");
  ASSERT_TRUE(by.count(Key(2, "192.0.2.10"))) << r.out;
  EXPECT_FALSE(hit(by[Key(2, "192.0.2.10")], id_of(7))->at("satisfied").as_bool());
  // Line 3: the DNS name under a filed-for-subdomains parent.
  ASSERT_TRUE(by.count(Key(3, "www.bad.example"))) << r.out;
  EXPECT_TRUE(hit(by[Key(3, "www.bad.example")], id_of(4))->at("satisfied").as_bool());
  // Line 5: the HTTP host and the URL made of host and path, and the address in the block.
  ASSERT_TRUE(by.count(Key(5, "evil.example"))) << r.out;
  const std::set<std::string> evil = {id_of(3), id_of(8)};
  EXPECT_EQ(hit_ids(by[Key(5, "evil.example")]), evil);
  bool url = false;
  for (const auto& [k, l] : by)
    if (k.first == 5 && l.at("kind").as_string() == "url") url = hit(l, id_of(5)) != nullptr;
  EXPECT_TRUE(url) << r.out;
  ASSERT_TRUE(by.count(Key(5, "203.0.113.80"))) << r.out;
  // Line 6 has nothing known; line 4 was skipped and said so.
  for (const auto& [k, l] : by) EXPECT_NE(k.first, 6) << l;
  EXPECT_TRUE(contains(r.err, "1 lines skipped")) << r.err;
  EXPECT_TRUE(contains(r.err, ":4")) << "the skipped line is named: " << r.err;
  EXPECT_TRUE(contains(r.err, "6 lines")) << r.err;
}

TEST(Match, ZeekLogsAndPlainLinesFromStdinOrFile) {
  MatchNode m;
  const std::string conn =
      "#separator \\x09\n"
      "#set_separator\t,\n"
      "#empty_field\t(empty)\n"
      "#unset_field\t-\n"
      "#path\tconn\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\n"
      "1709287200.000000\tC1\t10.0.0.5\t51000\t192.0.2.10\t443\ttcp\tssl\n"
      "1709287201.000000\tC2\t10.0.0.5\t51001\t198.51.100.7\t80\ttcp\t-\n";
  write_file(m.dir / "conn.log", conn);
  auto z = run(m.args({"match", "--no-warninglists", "--format", "zeek", (m.dir / "conn.log").string()}));
  ASSERT_TRUE(z.exited && z.exit_code == 0) << z.describe();
  auto lines = json_lines(z.out);
  std::set<std::string> seen;
  for (const auto& l : lines) {
    for (const auto& h : l.at("hits").as_array()) {
      const auto& o = h.as_object();
      seen.insert(std::string(l.at("observable").as_string()) + " " + std::string(o.at("id").as_string()) +
                  (o.at("satisfied").as_bool() ? " yes" : " no"));
    }
  }
  EXPECT_TRUE(seen.count("192.0.2.10 " + id_of(7) + " yes")) << z.out;
  EXPECT_TRUE(seen.count("198.51.100.7 " + id_of(1) + " yes")) << z.out;

  write_file(m.dir / "values.txt", "# pasted by an analyst\n198.51.100.7\n\nnothing.example\n");
  auto l = run(m.args({"match", "--no-warninglists", (m.dir / "values.txt").string()}));
  ASSERT_TRUE(l.exited && l.exit_code == 0) << l.describe();
  auto ll = json_lines(l.out);
  ASSERT_EQ(ll.size(), 1u) << l.out;
  EXPECT_EQ(ll[0].at("line").as_int64(), 2);

  write_file(m.dir / "misses.txt", "192.0.2.1\n");
  auto miss = run(m.args({"match", "--no-warninglists", (m.dir / "misses.txt").string()}));
  EXPECT_TRUE(miss.exited && miss.exit_code == 1) << miss.describe();
  EXPECT_TRUE(miss.out.empty());
}

TEST(Match, ErrorsNameWhatIsWrong) {
  MatchNode m;
  auto missing = run(m.args({"match", (m.dir / "no-such.log").string()}));
  EXPECT_TRUE(missing.exited && missing.exit_code == 2) << missing.describe();
  EXPECT_TRUE(contains(missing.err, (m.dir / "no-such.log").string())) << missing.err;
  auto fmt = run(m.args({"match", "--format", "pcap", (m.dir / "intel.json").string()}));
  EXPECT_TRUE(fmt.exited && fmt.exit_code == 2) << fmt.describe();
}

}  // namespace
}  // namespace sw::clitest
