#include <gtest/gtest.h>

#include "core/json.h"
#include "core/uuid.h"

namespace sw::core {
namespace {

TEST(Uuid, V4IsRfc4122Version4) {
  auto u = uuid_v4();
  EXPECT_EQ(uuid_version(u), 4);
  EXPECT_TRUE(is_rfc4122_uuid(to_string(u)));
  EXPECT_NE(to_string(u), to_string(uuid_v4()));
}

TEST(Uuid, V5MatchesTheStixSpecificationExample) {
  // STIX 2.1 §2.9: {"type": "ipv4-addr", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
  // "value": "198.51.100.3"}.
  auto id = uuid_v5(stix_sco_namespace(), R"({"value":"198.51.100.3"})");
  EXPECT_EQ(to_string(id), "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
}

TEST(Uuid, ParseRejectsMalformed) {
  Uuid u;
  EXPECT_TRUE(parse_uuid("28BB3599-77CD-5A82-A950-B5BC3CAF07C4", u));
  EXPECT_FALSE(parse_uuid("28bb3599-77cd-5a82-a950-b5bc3caf07c", u));
  EXPECT_FALSE(parse_uuid("28bb3599x77cd-5a82-a950-b5bc3caf07c4", u));
  EXPECT_FALSE(parse_uuid("g8bb3599-77cd-5a82-a950-b5bc3caf07c4", u));
  EXPECT_FALSE(is_rfc4122_uuid("28bb3599-77cd-5a82-c950-b5bc3caf07c4"));  // wrong variant
  EXPECT_FALSE(is_rfc4122_uuid("28bb3599-77cd-0a82-a950-b5bc3caf07c4"));  // version 0
}

TEST(CanonicalJson, FollowsRfc8785) {
  auto v = parse_json(R"({"b":[1,2.5,1e21,1e-7,-0.0,"\u00e9\n"],"a":{"z":null,"y":true},"\u20ac":1,"\ud83d\ude00":2})");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  // Keys sorted by UTF-16 code units: "a" < "b" < U+20AC < U+1F600 (surrogate D83D sorts below 20AC? no:
  // 0xD83D > 0x20AC), numbers in ECMAScript form.
  EXPECT_EQ(canonical_json(*v),
            "{\"a\":{\"y\":true,\"z\":null},\"b\":[1,2.5,1e+21,1e-7,0,\"\u00e9\\n\"],\"\u20ac\":1,"
            "\"\U0001F600\":2}");
}

TEST(ParseJson, ErrorsNameLineAndColumn) {
  auto v = parse_json("{\n  \"a\": tru\n}", "req.json");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().where.rfind("req.json:2:", 0), 0u) << v.error().where;
}

}  // namespace
}  // namespace sw::core
