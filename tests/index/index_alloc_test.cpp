// Look-ups allocate nothing once a Reader has warmed up (ARCHITECTURE.md §7).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "index/index.h"
#include "index/index_test_util.h"

#include "common/allocation_counter.h"

namespace sw::index {
namespace {

TEST(IndexAllocations, LookupsAllocateNothingOnceWarm) {
  if (!sw::testing::kAllocationsCounted) GTEST_SKIP() << "allocation counting is off under sanitizers";
  Index index;
  std::vector<stix::Object> objects = {
      testing::indicator(
          "indicator--" + testing::uuid_of(1),
          "[ipv4-addr:value ISSUBSET '10.0.0.0/8' OR ipv4-addr:value = '10.1.2.3' OR "
          "ipv6-addr:value ISSUBSET '2001:db8::/32' OR domain-name:value LIKE "
          "'%.example.com' OR url:value = 'http://www.example.com/a/long/path/x' OR "
          "file:hashes.'SHA-256' = '" +
              std::string(64, 'a') + "']"),
      testing::indicator("indicator--" + testing::uuid_of(2),
                         "[ipv4-addr:value = '10.1.2.3'] AND [process:name = 'x.exe']"),
  };
  ASSERT_TRUE(index.apply(objects, testing::at(0)).errors.empty());

  const std::pair<Kind, std::string> queries[] = {
      {Kind::kIpv4, "10.1.2.3"},
      {Kind::kIpv4, "10.200.0.0/16"},
      {Kind::kIpv6, "2001:db8:1::1"},
      {Kind::kDomain, "Deep.Sub.Domain.Of.WWW.Example.com"},
      {Kind::kUrl, "HTTP://WWW.Example.com:80/a/long/path/x#fragment-that-is-long"},
      {Kind::kSha256, std::string(64, 'A')},
      {Kind::kOther, "process:name=x.exe"},
      {Kind::kEmail, "someone.with.a.long.name@example.com"},
  };
  auto reader = index.reader();
  size_t hits = 0;
  auto run = [&] {
    for (const auto& [kind, value] : queries) {
      hits += reader.lookup(kind, value, [&](const Hit& h) { hits += h.decided; });
    }
  };
  std::vector<std::string_view> ips = {"10.1.2.3", "10.9.9.9", "11.0.0.1", "10.1.2.3/32"};
  run();  // warm up: the Reader's scratch grows
  reader.lookup_batch(Kind::kIpv4, ips, [&](size_t, const Hit&) { ++hits; });
  const uint64_t before = sw::testing::allocations();
  for (int i = 0; i < 100; ++i) {
    run();
    reader.lookup_batch(Kind::kIpv4, ips, [&](size_t, const Hit&) { ++hits; });
  }
  EXPECT_EQ(sw::testing::allocations() - before, 0u);
  EXPECT_GT(hits, 100u * 8);
}

}  // namespace
}  // namespace sw::index
