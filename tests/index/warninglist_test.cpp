// MISP warning lists: the 32 real lists of the shared data (SW_SHARED_DATA), each list type's
// matching rules, matching_attributes, and a directory holding broken list files.
#include "index/warninglist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sw::index {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

fs::path shared_data() {
  if (const char* env = std::getenv("SW_SHARED_DATA"); env && *env) return env;
  return SW_SHARED_DATA_DEFAULT;
}

std::vector<std::string> ids(const WarningLists& w, Kind kind, std::string_view value) {
  std::vector<std::string> out;
  for (uint32_t i : w.check(kind, value)) out.push_back(w.info(i).id);
  return out;
}

class RealLists : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto w = WarningLists::load_directory(shared_data() / "misp" / "warninglists" / "lists");
    ASSERT_TRUE(w.ok()) << w.error().to_string();
    lists_ = new WarningLists(std::move(*w));
  }
  static void TearDownTestSuite() {
    delete lists_;
    lists_ = nullptr;
  }
  static const WarningLists& w() { return *lists_; }
  static WarningLists* lists_;
};
WarningLists* RealLists::lists_ = nullptr;

TEST_F(RealLists, AllLoad) {
  EXPECT_THAT(w().skipped(), IsEmpty());
  ASSERT_EQ(w().lists().size(), 32u);
  for (const WarningListInfo& l : w().lists()) {
    EXPECT_GT(l.entries, 0u) << l.id;
    EXPECT_FALSE(l.name.empty()) << l.id;
    EXPECT_THAT(l.source, HasSubstr("list.json"));
  }
  const auto it = std::find_if(w().lists().begin(), w().lists().end(),
                               [](const WarningListInfo& l) { return l.id == "public-dns-v4"; });
  ASSERT_NE(it, w().lists().end());
  EXPECT_EQ(it->type, WarningListType::kCidr);
  EXPECT_EQ(it->name, "List of known IPv4 public DNS resolvers");
  EXPECT_EQ(it->version, 20240615);
  EXPECT_TRUE(it->applies_to(Kind::kIpv4));
  EXPECT_FALSE(it->applies_to(Kind::kDomain));
  EXPECT_EQ(it->rejected, 0u);
}

TEST_F(RealLists, Ipv4Ranges) {
  EXPECT_THAT(ids(w(), Kind::kIpv4, "8.8.8.8"), UnorderedElementsAre("public-dns-v4", "vpn-ipv4"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "9.9.9.9"), ElementsAre("public-dns-v4"));
  // An AWS block, an address inside it and a block inside it; not a block that only overlaps.
  EXPECT_THAT(ids(w(), Kind::kIpv4, "52.95.110.1"), UnorderedElementsAre("amazon-aws", "vpn-ipv4"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "1.178.1.128/25"),
              UnorderedElementsAre("amazon-aws", "vpn-ipv4"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "1.178.0.0/16"), IsEmpty());
  EXPECT_THAT(ids(w(), Kind::kIpv4, "10.1.2.3"), UnorderedElementsAre("rfc1918", "rfc5735"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "100.64.1.1"), ElementsAre("rfc6598"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "185.199.108.153"), ElementsAre("github"));
  EXPECT_THAT(ids(w(), Kind::kIpv4, "193.0.14.129"), IsEmpty());
  EXPECT_THAT(ids(w(), Kind::kIpv4, "not an address"), IsEmpty());
}

TEST_F(RealLists, Ipv6Ranges) {
  EXPECT_THAT(ids(w(), Kind::kIpv6, "2001:db8::1"), ElementsAre("rfc3849"));  // "2001:DB8::/32"
  EXPECT_THAT(ids(w(), Kind::kIpv6, "fe80::1"), ElementsAre("ipv6-linklocal"));
  EXPECT_THAT(ids(w(), Kind::kIpv6, "2a06:98c0::1"), ElementsAre("cloudflare"));
  EXPECT_THAT(ids(w(), Kind::kIpv6, "2620:fe::fe"), ElementsAre("public-dns-v6"));
  EXPECT_THAT(ids(w(), Kind::kIpv6, "2001:4860:4860::dead:beef"), IsEmpty());
}

TEST_F(RealLists, HostnamesAndTheirParents) {
  EXPECT_THAT(ids(w(), Kind::kDomain, "google.com"),
              UnorderedElementsAre("majestic_million", "cisco_top20k", "tranco10k"));
  EXPECT_THAT(ids(w(), Kind::kDomain, "www.google.com"),
              UnorderedElementsAre("cisco_top20k", "tranco10k"));
  EXPECT_THAT(ids(w(), Kind::kDomain, "WWW.Google.COM."),
              UnorderedElementsAre("cisco_top20k", "tranco10k"));
  EXPECT_THAT(ids(w(), Kind::kDomain, "deep.sub.www.google.com"), ElementsAre("tranco10k"));
  // dynamic-dns entries are written ".0000004.xyz".
  EXPECT_THAT(ids(w(), Kind::kDomain, "foo.0000004.xyz"), ElementsAre("dynamic-dns"));
  EXPECT_THAT(ids(w(), Kind::kDomain, "0000004.xyz"), ElementsAre("dynamic-dns"));
  EXPECT_THAT(ids(w(), Kind::kDomain, "zq7x-unrelated-9f3k.example"), IsEmpty());
  EXPECT_THAT(ids(w(), Kind::kDomain, "com"), UnorderedElementsAre("tlds", "second-level-tlds"));
}

TEST_F(RealLists, UrlHostsAndMatchingAttributes) {
  // url is among the matching attributes of tranco10k, cisco_top20k and url-shortener, not of
  // majestic_million.
  EXPECT_THAT(ids(w(), Kind::kUrl, "https://bit.ly/3xYz"),
              UnorderedElementsAre("cisco_top20k", "url-shortener", "tranco10k"));
  EXPECT_THAT(ids(w(), Kind::kUrl, "http://user@www.google.com:8080/search?q=1"),
              UnorderedElementsAre("cisco_top20k", "tranco10k"));
  // A DNS list does not flag a hash, nor a hash list a domain.
  EXPECT_THAT(ids(w(), Kind::kMd5, "google.com"), IsEmpty());
  EXPECT_THAT(ids(w(), Kind::kDomain, "d41d8cd98f00b204e9800998ecf8427e"), IsEmpty());
}

TEST_F(RealLists, HashesIgnoringCase) {
  EXPECT_THAT(ids(w(), Kind::kMd5, "D41D8CD98F00B204E9800998ECF8427E"),
              UnorderedElementsAre("empty-hashes", "common-ioc-false-positive", "ti-falsepositives"));
  EXPECT_THAT(ids(w(), Kind::kSha256,
                  "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
              ElementsAre("eicar.com"));
}

TEST_F(RealLists, DisposableMailDomainsBySubstring) {
  EXPECT_THAT(ids(w(), Kind::kEmail, "Someone@0-Mail.com"), ElementsAre("disposable-email"));
  EXPECT_THAT(ids(w(), Kind::kEmail, "someone@example.org"), IsEmpty());
}

// --- synthetic lists --------------------------------------------------------------------------

std::string list_json(std::string_view type, std::string_view entries,
                      std::string_view extra = "") {
  return std::string(R"({"name":"test list","version":3,"description":"d","type":")") +
         std::string(type) + "\",\"list\":[" + std::string(entries) + "]" + std::string(extra) +
         "}";
}

TEST(WarningLists, CidrBlocksMergeAndBareAddresses) {
  WarningLists w;
  ASSERT_TRUE(w.add_json(list_json("cidr",
                                   R"("10.0.0.0/25","10.0.0.128/25","192.0.2.1"," 2001:db8::1 ",)"
                                   R"("0.0.0.0/0x","300.1.1.1","10.9.9.9/24")"),
                         "nets", "nets.json")
                  .ok());
  EXPECT_EQ(w.info(0).entries, 5u);
  EXPECT_EQ(w.info(0).rejected, 2u);
  EXPECT_THAT(w.check(Kind::kIpv4, "10.0.0.0/24"), ElementsAre(0u));  // two halves make it
  EXPECT_THAT(w.check(Kind::kIpv4, "10.0.0.0/23"), IsEmpty());
  EXPECT_THAT(w.check(Kind::kIpv4, "192.0.2.1"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kIpv4, "192.0.2.2"), IsEmpty());
  EXPECT_THAT(w.check(Kind::kIpv4, "10.9.9.200"), ElementsAre(0u));  // host bits of the entry
  EXPECT_THAT(w.check(Kind::kIpv6, "2001:db8::1"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kIpv6, "2001:db8::2"), IsEmpty());
  EXPECT_THAT(w.check(Kind::kDomain, "10.0.0.1"), IsEmpty());  // a CIDR list is for addresses
}

TEST(WarningLists, WholeAddressSpace) {
  WarningLists w;
  ASSERT_TRUE(w.add_json(list_json("cidr", R"("0.0.0.0/0","::/0")"), "all", "all.json").ok());
  EXPECT_THAT(w.check(Kind::kIpv4, "255.255.255.255"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kIpv4, "0.0.0.0/0"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kIpv6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ElementsAre(0u));
}

TEST(WarningLists, RegexEntriesRe2CannotCompileAreRejected) {
  WarningLists w;
  ASSERT_TRUE(w.add_json(list_json("regex",
                                   R"x("/^evil[0-9]+\\.example$/i","(a)\\1","/x/x","^foo(?=bar)",)x"
                                   R"x("^[0-9a-f]{32}$")x"),
                         "rx", "rx.json")
                  .ok());
  EXPECT_EQ(w.info(0).entries, 2u);
  EXPECT_EQ(w.info(0).rejected, 3u);
  EXPECT_THAT(w.check(Kind::kDomain, "EVIL42.example"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kDomain, "evil.example"), IsEmpty());
  EXPECT_THAT(w.check(Kind::kMd5, "d41d8cd98f00b204e9800998ecf8427e"), ElementsAre(0u));
}

TEST(WarningLists, WithoutMatchingAttributesEveryKind) {
  WarningLists w;
  ASSERT_TRUE(w.add_json(list_json("substring", R"("tracking","x")"), "any", "any.json").ok());
  ASSERT_TRUE(w.add_json(list_json("substring", R"("tracking")",
                                   R"(,"matching_attributes":["url","ssdeep"])"),
                         "urls", "urls.json")
                  .ok());
  EXPECT_TRUE(w.info(0).applies_to(Kind::kSha1));
  EXPECT_TRUE(w.info(1).applies_to(Kind::kOther));  // ssdeep has no kind of its own
  EXPECT_FALSE(w.info(1).applies_to(Kind::kDomain));
  EXPECT_THAT(w.check(Kind::kDomain, "Tracking.example.com"), ElementsAre(0u));
  EXPECT_THAT(w.check(Kind::kUrl, "http://a.example/TRACKING"), ElementsAre(0u, 1u));
  EXPECT_THAT(w.check(Kind::kOther, "xylophone"), ElementsAre(0u));  // one-byte entry "x"
}

TEST(WarningLists, BadFilesAreNamedAndTheOthersLoad) {
  const fs::path dir = fs::temp_directory_path() / "sw_warninglist_test";
  fs::remove_all(dir);
  const auto write = [&](const fs::path& rel, const std::string& text) {
    fs::create_directories((dir / rel).parent_path());
    std::ofstream(dir / rel) << text;
  };
  write("good/list.json", list_json("hostname", R"("example.net")"));
  write("broken/list.json", R"({"name":"x","type":"string","list":["a",)");
  write("badtype/list.json", list_json("wildcard", R"("a")"));
  write("nolist/list.json", R"({"name":"x","type":"string"})");
  write("flat.json", list_json("string", R"("Flat-Value")"));
  write("notes/readme.json", "ignored: not list.json and not at the top");
  auto w = WarningLists::load_directory(dir);
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  std::vector<std::string> loaded;
  for (const auto& l : w->lists()) loaded.push_back(l.id);
  EXPECT_THAT(loaded, ElementsAre("flat", "good"));
  ASSERT_EQ(w->skipped().size(), 3u);
  EXPECT_EQ(w->skipped()[0].where, (dir / "badtype" / "list.json").string());
  EXPECT_THAT(w->skipped()[0].message, HasSubstr("\"wildcard\""));
  EXPECT_EQ(w->skipped()[1].where, (dir / "broken" / "list.json").string());
  EXPECT_THAT(w->skipped()[1].message, HasSubstr("not valid JSON"));
  EXPECT_EQ(w->skipped()[2].where, (dir / "nolist" / "list.json").string());
  EXPECT_THAT(w->skipped()[2].message, HasSubstr("\"list\""));
  EXPECT_THAT(ids(*w, Kind::kDomain, "a.b.example.net"), ElementsAre("good"));
  EXPECT_THAT(ids(*w, Kind::kOther, "flat-value"), ElementsAre("flat"));

  const auto missing = WarningLists::load_directory(dir / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kNotFound);
  WarningLists one;
  const auto st = one.load_file(dir / "nope.json");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().where, (dir / "nope.json").string());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sw::index
