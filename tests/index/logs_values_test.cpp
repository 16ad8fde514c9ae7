// The cheap value checks the EVE and Zeek readers use instead of classify(): they must agree with
// what the index accepts on the common forms and refuse what a field should not hold.
#include <gtest/gtest.h>

#include "index/logs/record_builder.h"

namespace sw::index::logs {
namespace {

TEST(LogValues, IpKind) {
  EXPECT_EQ(ip_kind("192.0.2.1"), Kind::kIpv4);
  EXPECT_EQ(ip_kind("0.0.0.0"), Kind::kIpv4);
  EXPECT_EQ(ip_kind("255.255.255.255"), Kind::kIpv4);
  EXPECT_EQ(ip_kind("10.0.0.0/8"), Kind::kIpv4);
  EXPECT_EQ(ip_kind("2001:db8::1"), Kind::kIpv6);
  EXPECT_EQ(ip_kind("::ffff:192.0.2.1"), Kind::kIpv6);
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "1..2.3",
                          "a.b.c.d", "1.2.3.4:80", "1234.1.1.1", "fe80::1%eth0"}) {
    EXPECT_EQ(ip_kind(bad), std::nullopt) << bad;
  }
}

TEST(LogValues, Domain) {
  for (const char* ok : {"example.com", "a.b.example.co.uk", "xn--bcher-kva.example", "_dmarc.x.org",
                         "example.com.", "host-1.example"}) {
    EXPECT_TRUE(is_domain(ok)) << ok;
  }
  for (const char* bad : {"", "localhost", ".example.com", "a..b", "1.2.3.4", "example.123",
                          "ex ample.com", "<root>", "example.com..", "a.b/c", "exa$mple.com"}) {
    EXPECT_FALSE(is_domain(bad)) << bad;
  }
  EXPECT_TRUE(is_domain(std::string(63, 'a') + ".com"));
  EXPECT_FALSE(is_domain(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(is_domain("com." + std::string(64, 'a')));
}

TEST(LogValues, EmailAddress) {
  EXPECT_EQ(email_address("bob@example.org"), "bob@example.org");
  EXPECT_EQ(email_address("<bob@example.org>"), "bob@example.org");
  EXPECT_EQ(email_address("\"Bob, B.\" <bob@example.org>"), "bob@example.org");
  EXPECT_EQ(email_address("  bob@example.org "), "bob@example.org");
  for (const char* bad : {"bob", "@example.org", "bob@", "a@b@example.org", "<bob@example.org",
                          "bob@localhost", "b ob@example.org"}) {
    EXPECT_EQ(email_address(bad), std::nullopt) << bad;
  }
}

TEST(LogValues, HostKind) {
  std::string_view host;
  EXPECT_EQ(host_kind("example.com:8080", host), Kind::kDomain);
  EXPECT_EQ(host, "example.com");
  EXPECT_EQ(host_kind("192.0.2.1:443", host), Kind::kIpv4);
  EXPECT_EQ(host, "192.0.2.1");
  EXPECT_EQ(host_kind("[2001:db8::1]:8443", host), Kind::kIpv6);
  EXPECT_EQ(host, "2001:db8::1");
  EXPECT_EQ(host_kind("2001:db8::1", host), Kind::kIpv6);
  EXPECT_EQ(host_kind("example.com:http", host), std::nullopt);
  EXPECT_EQ(host_kind("", host), std::nullopt);
}

TEST(LogValues, SchemeAndHashes) {
  EXPECT_TRUE(has_scheme("https://x"));
  EXPECT_TRUE(has_scheme("svn+ssh://x"));
  EXPECT_FALSE(has_scheme("/path"));
  EXPECT_FALSE(has_scheme("://x"));
  EXPECT_TRUE(is_hash(Kind::kMd5, "44D88612FEA8A8F36DE82E1278ABB02F"));
  EXPECT_FALSE(is_hash(Kind::kMd5, "44d88612fea8a8f36de82e1278abb02"));
  EXPECT_FALSE(is_hash(Kind::kSha1, "44d88612fea8a8f36de82e1278abb02f"));
  EXPECT_FALSE(is_hash(Kind::kMd5, "g4d88612fea8a8f36de82e1278abb02f"));
}

TEST(LogValues, Binary) {
  EXPECT_FALSE(has_binary("plain\ttext with tabs and \xc3\xa9 UTF-8, long enough for words"));
  EXPECT_TRUE(has_binary(std::string_view("0123456789abcdef\x00", 17)));
  EXPECT_TRUE(has_binary("0123456789abcd\x1b[0m"));
  EXPECT_TRUE(has_binary("ab\x01"));
  EXPECT_FALSE(has_binary("\x7f\x80\xff\xfe\xfd\xfc\xfb\xfa\xf9"));
}

}  // namespace
}  // namespace sw::index::logs
