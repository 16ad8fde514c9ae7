#include "core/time.h"

#include <gtest/gtest.h>

namespace sw::core {
namespace {

TEST(Timestamp, ParsesAndFormatsWithOriginalPrecision) {
  auto ts = parse_timestamp("2016-04-06T20:03:48.123456Z");
  ASSERT_TRUE(ts.ok()) << ts.error().to_string();
  EXPECT_EQ(format_timestamp(*ts), "2016-04-06T20:03:48.123456Z");
  EXPECT_EQ(sortable(*ts), "2016-04-06T20:03:48.123456000Z");
  auto plain = parse_timestamp("2016-04-06T20:03:48Z");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(format_timestamp(*plain, 0), "2016-04-06T20:03:48Z");
  EXPECT_EQ(format_timestamp(*plain), "2016-04-06T20:03:48.000Z");
}

TEST(Timestamp, OrdersByInstant) {
  auto a = parse_timestamp("2016-04-06T20:03:48.1Z");
  auto b = parse_timestamp("2016-04-06T20:03:48.100Z");
  auto c = parse_timestamp("2016-04-06T20:03:48.1001Z");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_LT(*b, *c);
  EXPECT_LT(sortable(*b), sortable(*c));
}

TEST(Timestamp, RejectsWhatStixForbidsNamingTheCharacter) {
  struct Case { const char* text; const char* expect; };
  for (auto c : {Case{"2016-04-06T20:03:48", "at character 20 expected 'Z'"},
                 Case{"2016-04-06 20:03:48Z", "at character 11 expected 'T'"},
                 Case{"2016-04-06T20:03:48+01:00", "expected 'Z'"},
                 Case{"2016-02-30T20:03:48Z", "a day that exists"},
                 Case{"2016-13-06T20:03:48Z", "a month"},
                 Case{"2016-04-06T20:03:48.Z", "a sub-second digit"},
                 Case{"2016-04-06T20:03:48.000z", "expected 'Z'"},
                 Case{"2016-04-06T20:03:48.000Zjunk", "the end"},
                 Case{"", "at character 1"}}) {
    auto r = parse_timestamp(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos)
        << c.text << " → " << r.error().message;
  }
}

TEST(Timestamp, LeapYearsAndRoundTripOverDays) {
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z").ok());
  EXPECT_FALSE(parse_timestamp("2023-02-29T00:00:00Z").ok());
  for (int64_t s = -86400LL * 800; s < 86400LL * 366 * 400; s += 86400 * 37 + 3601) {
    Timestamp ts{s, 5000000, 3};
    auto back = parse_timestamp(format_timestamp(ts));
    ASSERT_TRUE(back.ok()) << format_timestamp(ts);
    EXPECT_EQ(*back, ts) << format_timestamp(ts);
  }
}

}  // namespace
}  // namespace sw::core
