#include "policy/credentials.h"

#include <gtest/gtest.h>

#include <set>

namespace sw::policy {
namespace {

TEST(Credentials, PasswordsHashWithArgon2idAndVerify) {
  auto h = hash_password("correct horse battery staple");
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_TRUE(h->starts_with("$argon2id$")) << *h;
  EXPECT_TRUE(verify_password("correct horse battery staple", *h));
  EXPECT_FALSE(verify_password("correct horse battery stapler", *h));
  EXPECT_FALSE(verify_password("", *h));
  EXPECT_FALSE(password_needs_rehash(*h));
  // Salted: the same password hashes differently.
  auto again = hash_password("correct horse battery staple");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*h, *again);
  // Garbage in the store is a failed sign-in, never a crash.
  EXPECT_FALSE(verify_password("x", "not a hash"));
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", std::string(500, '$')));
  EXPECT_TRUE(password_needs_rehash("not a hash"));
}

TEST(Credentials, OneTimePasswordsAreLongAndUnambiguous) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string p = one_time_password();
    EXPECT_EQ(p.size(), 20u);
    EXPECT_EQ(p.find_first_of("01OIl"), std::string::npos) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Credentials, ApiKeysHaveAVisibleIdAndAreStoredAsDigests) {
  const NewApiKey k = make_api_key();
  EXPECT_EQ(k.key.size(), 4u + 12 + 1 + 43);
  EXPECT_TRUE(k.key.starts_with(k.id + "_")) << k.key;
  EXPECT_TRUE(k.id.starts_with("swk_"));
  EXPECT_EQ(k.digest.size(), 64u);
  EXPECT_EQ(k.key.find(k.digest), std::string::npos);
  auto p = parse_api_key(k.key);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->id, k.id);
  EXPECT_TRUE(digests_equal(p->digest, k.digest));
  // One character changed in the secret: same id, other digest.
  std::string forged = k.key;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto f = parse_api_key(forged);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->id, k.id);
  EXPECT_FALSE(digests_equal(f->digest, k.digest));
  EXPECT_NE(make_api_key().key, k.key);
}

TEST(Credentials, MalformedKeysAreRejectedWithoutEchoingThem) {
  const NewApiKey k = make_api_key();
  for (const std::string& bad :
       {std::string(), std::string("swk_"), k.key.substr(0, k.key.size() - 1), k.key + "x",
        "xyz_" + k.key.substr(4), k.key.substr(0, 16) + "-" + k.key.substr(17),
        k.key.substr(0, 20) + "=" + k.key.substr(21)}) {
    auto r = parse_api_key(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::Code::kInvalidArgument);
    if (bad.size() > 8) {
      EXPECT_EQ(r.error().to_string().find(bad), std::string::npos);
    }
  }
}

TEST(Credentials, TokensAndDigests) {
  const std::string t = random_token();
  EXPECT_EQ(t.size(), 43u);
  EXPECT_NE(random_token(), t);
  EXPECT_EQ(token_digest(t), token_digest(t));
  EXPECT_EQ(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(digests_equal("ab", "abc"));
}

}  // namespace
}  // namespace sw::policy
