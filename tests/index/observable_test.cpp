// normalise(), classify(), kind names: the canonical key text every value of the index goes
// through.
#include "index/observable.h"

#include <gtest/gtest.h>

namespace sw::index {
namespace {

std::string norm(Kind k, std::string_view v) {
  auto r = normalise(k, v);
  return r ? *r : std::string("<none>");
}

TEST(KindName, RoundTrips) {
  for (int i = 0; i < kKindCount; ++i) {
    const auto k = static_cast<Kind>(i);
    auto back = parse_kind(kind_name(k));
    ASSERT_TRUE(back.has_value()) << kind_name(k);
    EXPECT_EQ(*back, k);
  }
  EXPECT_EQ(kind_name(Kind::kSha256), "sha256");
  EXPECT_FALSE(parse_kind("SHA256").has_value());
  EXPECT_FALSE(parse_kind("").has_value());
}

TEST(Normalise, Ipv4) {
  EXPECT_EQ(norm(Kind::kIpv4, "198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(norm(Kind::kIpv4, "198.51.100.7/32"), "198.51.100.7");
  EXPECT_EQ(norm(Kind::kIpv4, "198.51.100.7/24"), "198.51.100.0/24");
  EXPECT_EQ(norm(Kind::kIpv4, "10.255.1.1/8"), "10.0.0.0/8");
  EXPECT_EQ(norm(Kind::kIpv4, "10.255.1.1/0"), "0.0.0.0/0");
  EXPECT_EQ(norm(Kind::kIpv4, "10.1.1.255/31"), "10.1.1.254/31");
  EXPECT_EQ(norm(Kind::kIpv4, "256.1.1.1"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv4, "1.2.3"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv4, "1.2.3.4/33"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv4, "01.2.3.4"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv4, " 1.2.3.4"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv4, "::1"), "<none>");  // the wrong family
  EXPECT_EQ(norm(Kind::kIpv4, ""), "<none>");
}

TEST(Normalise, Ipv6) {
  EXPECT_EQ(norm(Kind::kIpv6, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(norm(Kind::kIpv6, "2001:0db8::0001/128"), "2001:db8::1");
  EXPECT_EQ(norm(Kind::kIpv6, "2001:db8:ffff::1/32"), "2001:db8::/32");
  EXPECT_EQ(norm(Kind::kIpv6, "::"), "::");
  EXPECT_EQ(norm(Kind::kIpv6, "::1"), "::1");
  EXPECT_EQ(norm(Kind::kIpv6, "1::"), "1::");
  // RFC 5952: the longest run is compressed, the first of equal runs, never a single group.
  EXPECT_EQ(norm(Kind::kIpv6, "2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  EXPECT_EQ(norm(Kind::kIpv6, "2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(norm(Kind::kIpv6, "2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(norm(Kind::kIpv6, "::ffff:c000:0201"), "::ffff:192.0.2.1");
  EXPECT_EQ(norm(Kind::kIpv6, "::FFFF:192.0.2.1"), "::ffff:192.0.2.1");
  EXPECT_EQ(norm(Kind::kIpv6, "fe80::1%eth0"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv6, "1:2:3:4:5:6:7:8:9"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv6, "::1/129"), "<none>");
  EXPECT_EQ(norm(Kind::kIpv6, "10.0.0.1"), "<none>");
}

TEST(Normalise, Domain) {
  EXPECT_EQ(norm(Kind::kDomain, "Example.COM"), "example.com");
  EXPECT_EQ(norm(Kind::kDomain, "example.com."), "example.com");
  EXPECT_EQ(norm(Kind::kDomain, "_dmarc.example.com"), "_dmarc.example.com");
  EXPECT_EQ(norm(Kind::kDomain, "xn--bcher-kva.example"), "xn--bcher-kva.example");
  EXPECT_EQ(norm(Kind::kDomain, "localhost"), "localhost");
  EXPECT_EQ(norm(Kind::kDomain, std::string(63, 'a') + ".com"), std::string(63, 'a') + ".com");
  EXPECT_EQ(norm(Kind::kDomain, std::string(64, 'a') + ".com"), "<none>");
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  EXPECT_EQ(norm(Kind::kDomain, long_name + "com"), long_name + "com");  // 253: the limit
  EXPECT_EQ(norm(Kind::kDomain, long_name + "comx"), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "a..b"), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, ".a.b"), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "a.b.."), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "."), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, ""), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "bücher.example"), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "exa mple.com"), "<none>");
  EXPECT_EQ(norm(Kind::kDomain, "example.com/x"), "<none>");
}

TEST(Normalise, Url) {
  EXPECT_EQ(norm(Kind::kUrl, "HTTP://Example.COM:80/a%7e"), "http://example.com/a~");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com"), "http://example.com/");
  EXPECT_EQ(norm(Kind::kUrl, "https://example.com:443/x?y=1#frag"), "https://example.com/x?y=1");
  EXPECT_EQ(norm(Kind::kUrl, "https://example.com:8443/x"), "https://example.com:8443/x");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com:443/x"), "http://example.com:443/x");
  EXPECT_EQ(norm(Kind::kUrl, "ftp://Example.com:21"), "ftp://example.com/");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com?q"), "http://example.com/?q");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com/%2f%41%3a"), "http://example.com/%2FA%3A");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com/100%"), "http://example.com/100%");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com/%zz"), "http://example.com/%zz");
  // The path keeps its case; userinfo is kept as written.
  EXPECT_EQ(norm(Kind::kUrl, "http://User:Pw@EXAMPLE.com/Path"), "http://User:Pw@example.com/Path");
  EXPECT_EQ(norm(Kind::kUrl, "http://[2001:DB8::1]:80/"), "http://[2001:db8::1]/");
  EXPECT_EQ(norm(Kind::kUrl, "http://[2001:db8::1]:8080"), "http://[2001:db8::1]:8080/");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com#only-fragment"), "http://example.com/");
  EXPECT_EQ(norm(Kind::kUrl, "mailto:a@b.example"), "mailto:a@b.example");
  EXPECT_EQ(norm(Kind::kUrl, "example.com/path"), "<none>");  // no scheme
  EXPECT_EQ(norm(Kind::kUrl, "http:///path"), "<none>");      // no host
  EXPECT_EQ(norm(Kind::kUrl, "http://a b.com/"), "<none>");
  EXPECT_EQ(norm(Kind::kUrl, "http://example.com:8x/"), "<none>");
  EXPECT_EQ(norm(Kind::kUrl, "1http://example.com/"), "<none>");
}

TEST(Normalise, Email) {
  EXPECT_EQ(norm(Kind::kEmail, "John.Doe@Example.COM"), "John.Doe@example.com");
  EXPECT_EQ(norm(Kind::kEmail, "\"a@b\"@example.com"), "\"a@b\"@example.com");
  EXPECT_EQ(norm(Kind::kEmail, "a@[192.0.2.1]"), "a@[192.0.2.1]");
  EXPECT_EQ(norm(Kind::kEmail, "@example.com"), "<none>");
  EXPECT_EQ(norm(Kind::kEmail, "a@"), "<none>");
  EXPECT_EQ(norm(Kind::kEmail, "example.com"), "<none>");
  EXPECT_EQ(norm(Kind::kEmail, "a b@example.com"), "<none>");
  EXPECT_EQ(norm(Kind::kEmail, "a@exa mple.com"), "<none>");
}

TEST(Normalise, Hashes) {
  EXPECT_EQ(norm(Kind::kMd5, "D41D8CD98F00B204E9800998ECF8427E"),
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(norm(Kind::kMd5, "d41d8cd98f00b204e9800998ecf8427"), "<none>");
  EXPECT_EQ(norm(Kind::kMd5, "g41d8cd98f00b204e9800998ecf8427e"), "<none>");
  EXPECT_EQ(norm(Kind::kSha1, std::string(40, 'A')), std::string(40, 'a'));
  EXPECT_EQ(norm(Kind::kSha1, std::string(32, 'a')), "<none>");
  EXPECT_EQ(norm(Kind::kSha256, std::string(64, 'F')), std::string(64, 'f'));
  EXPECT_EQ(norm(Kind::kSha512, std::string(128, '0')), std::string(128, '0'));
  EXPECT_EQ(norm(Kind::kSha512, std::string(127, '0')), "<none>");
}

TEST(Normalise, OtherIsUnchanged) {
  EXPECT_EQ(norm(Kind::kOther, "Some Value "), "Some Value ");
  EXPECT_EQ(norm(Kind::kOther, "HKEY_LOCAL_MACHINE\\x"), "HKEY_LOCAL_MACHINE\\x");
}

TEST(Normalise, Idempotent) {
  const std::pair<Kind, const char*> cases[] = {
      {Kind::kIpv4, "10.1.2.3/8"},
      {Kind::kIpv6, "2001:DB8:0::1:0:0/64"},
      {Kind::kIpv6, "::ffff:1.2.3.4"},
      {Kind::kDomain, "A.Example.com."},
      {Kind::kUrl, "HTTP://a.B:80/%7e%2f?x#y"},
      {Kind::kEmail, "X@Y.Z"},
      {Kind::kMd5, "D41D8CD98F00B204E9800998ECF8427E"},
  };
  for (const auto& [k, v] : cases) {
    auto once = normalise(k, v);
    ASSERT_TRUE(once) << v;
    auto twice = normalise(k, *once);
    ASSERT_TRUE(twice) << *once;
    EXPECT_EQ(*once, *twice);
  }
}

TEST(Classify, BareValues) {
  EXPECT_EQ(classify("198.51.100.7"), Kind::kIpv4);
  EXPECT_EQ(classify("198.51.100.0/24"), Kind::kIpv4);
  EXPECT_EQ(classify("2001:db8::1"), Kind::kIpv6);
  EXPECT_EQ(classify("2001:db8::/32"), Kind::kIpv6);
  EXPECT_EQ(classify("http://example.com/x"), Kind::kUrl);
  EXPECT_EQ(classify("HTTPS://EXAMPLE.com"), Kind::kUrl);
  EXPECT_EQ(classify("a@example.com"), Kind::kEmail);
  EXPECT_EQ(classify("d41d8cd98f00b204e9800998ecf8427e"), Kind::kMd5);
  EXPECT_EQ(classify(std::string(40, 'a')), Kind::kSha1);
  EXPECT_EQ(classify(std::string(64, 'B')), Kind::kSha256);
  EXPECT_EQ(classify(std::string(128, 'c')), Kind::kSha512);
  EXPECT_EQ(classify("example.com"), Kind::kDomain);
  EXPECT_EQ(classify("Sub.Example.COM."), Kind::kDomain);
  EXPECT_EQ(classify("xn--bcher-kva.example"), Kind::kDomain);
  EXPECT_EQ(classify("10.1.2"), std::nullopt);  // neither an address nor a name
  EXPECT_EQ(classify("256.1.1.1"), std::nullopt);
  EXPECT_EQ(classify("localhost"), std::nullopt);  // a single label is too ambiguous
  EXPECT_EQ(classify("hello world"), std::nullopt);
  EXPECT_EQ(classify("abc"), std::nullopt);
  EXPECT_EQ(classify(std::string(33, 'a')), std::nullopt);
  EXPECT_EQ(classify("a@"), std::nullopt);
  EXPECT_EQ(classify(""), std::nullopt);
}

TEST(Classify, ClassifiedValuesNormalise) {
  const char* values[] = {"198.51.100.7",
                          "2001:db8::1",
                          "http://x.example/",
                          "a@b.example",
                          "d41d8cd98f00b204e9800998ecf8427e",
                          "x.example"};
  for (const char* v : values) {
    auto k = classify(v);
    ASSERT_TRUE(k) << v;
    EXPECT_TRUE(normalise(*k, v)) << v;
  }
}

}  // namespace
}  // namespace sw::index
