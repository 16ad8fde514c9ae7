// Accounts: organisations, users, keys, groups, sign-in, lock-out, sessions — over in-memory
// records here; tests/policy/store_records_test.cpp runs the record store on SQLite and PostgreSQL.
#include "policy/directory.h"

#include <gtest/gtest.h>

namespace sw::policy {
namespace {

constexpr int64_t kMinute = 60LL * 1'000'000;

class Accounts : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.add_org("Fox-IT", OrgKind::kMember, "NL").ok());
    ASSERT_TRUE(dir.add_org("Nordsec", OrgKind::kMember, "SE").ok());
    auto p = dir.add_user("ana", "Fox-IT", kAnalyst);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    password = *p;
  }

  int64_t clock_in(int64_t d) const { return core::to_micros(clock.now()) + d; }

  MemoryRecords records;
  core::FakeClock clock;
  Directory dir{records, clock};
  std::string password;
};

TEST_F(Accounts, OrganisationsByNameOrIdAndTheirRules) {
  auto fox = dir.find_org("Fox-IT");
  ASSERT_TRUE(fox.ok());
  EXPECT_TRUE(fox->id.starts_with("identity--"));
  EXPECT_EQ(dir.find_org(fox->id)->name, "Fox-IT");
  auto dup = dir.add_org("Fox-IT", OrgKind::kMember, "NL");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::Code::kAlreadyExists);
  auto orphan = dir.add_org("Bank", OrgKind::kClient, "NL");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().where, "--client-of");
  auto bank = dir.add_org("Bank", OrgKind::kClient, "NL", "Fox-IT");
  ASSERT_TRUE(bank.ok()) << bank.error().to_string();
  EXPECT_EQ(bank->client_of, fox->id);
  auto client_of_client = dir.add_org("Branch", OrgKind::kClient, "NL", "Bank");
  ASSERT_FALSE(client_of_client.ok());
  EXPECT_EQ(client_of_client.error().message, "Bank is not a member organisation");
  auto bad_id = dir.add_org("Police", OrgKind::kAuthority, "NL", {}, "identity--nope");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(dir.orgs()->size(), 3u);
}

TEST_F(Accounts, NewUserSignsInWithTheOneTimePasswordAndMustChangeIt) {
  auto a = dir.sign_in("ana", password);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->principal.user, "ana");
  EXPECT_EQ(a->principal.org, dir.find_org("Fox-IT")->id);
  EXPECT_EQ(a->principal.roles, kAnalyst);
  EXPECT_TRUE(a->must_change_password);
  EXPECT_EQ(a->scopes, kScopeRead | kScopeWrite | kScopeTaxii);
  auto weak = dir.set_password("ana", "short");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().message, "a password needs at least 12 characters");
  ASSERT_TRUE(dir.set_password("ana", "a long passphrase for ana").ok());
  EXPECT_FALSE(dir.sign_in("ana", password).ok());
  auto b = dir.sign_in("ana", "a long passphrase for ana");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->must_change_password);
}

TEST_F(Accounts, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = dir.sign_in("ana", "guess");
  auto nobody = dir.sign_in("nobody", "guess");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(wrong.error().code, core::Code::kPermissionDenied);
  EXPECT_EQ(wrong.error().to_string(), nobody.error().to_string());
  EXPECT_EQ(wrong.error().message, "wrong user name or password");
}

TEST_F(Accounts, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(dir.sign_in("ana", "guess").error().message, "wrong user name or password");
  auto fifth = dir.sign_in("ana", "guess");
  ASSERT_FALSE(fifth.ok());
  EXPECT_NE(fifth.error().message.find("too many failed sign-ins"), std::string::npos);
  // Even the right password waits now.
  auto right = dir.sign_in("ana", password);
  ASSERT_FALSE(right.ok());
  EXPECT_NE(right.error().message.find("locked until"), std::string::npos) << right.error().message;
  clock.advance_micros(15 * kMinute + 1);
  EXPECT_TRUE(dir.sign_in("ana", password).ok());
  // An administrator may unlock at once.
  for (int i = 0; i < 5; ++i) (void)dir.sign_in("ana", "guess");
  EXPECT_FALSE(dir.sign_in("ana", password).ok());
  ASSERT_TRUE(dir.set_user_active("ana", true).ok());
  EXPECT_TRUE(dir.sign_in("ana", password).ok());
}

TEST_F(Accounts, DisabledUsersAndOrganisationsCannotSignIn) {
  ASSERT_TRUE(dir.set_user_active("ana", false).ok());
  auto off = dir.sign_in("ana", password);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().message, "the account ana is disabled");
  ASSERT_TRUE(dir.set_user_active("ana", true).ok());
  ASSERT_TRUE(dir.set_org_active("Fox-IT", false).ok());
  auto org_off = dir.sign_in("ana", password);
  ASSERT_FALSE(org_off.ok());
  EXPECT_NE(org_off.error().message.find("organisation"), std::string::npos);
}

TEST_F(Accounts, ApiKeysScopesExpiryRevocation) {
  auto k = dir.add_key("ana", kScopeRead | kScopeTaxii, clock_in(30 * 24 * 60 * kMinute));
  ASSERT_TRUE(k.ok()) << k.error().to_string();
  auto a = dir.authenticate_key(k->key);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->principal.user, "ana");
  EXPECT_EQ(a->scopes, kScopeRead | kScopeTaxii);
  EXPECT_EQ(a->key_id, k->id);
  // Only the digest is stored.
  for (const ApiKey& stored : *dir.keys()) EXPECT_EQ(k->key.find(stored.digest), std::string::npos);

  auto admin = dir.add_key("ana", kScopeAdmin, 0);
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().message, "the admin scope needs a user with the admin role; ana has analyst");

  std::string forged = k->key;
  forged.back() = forged.back() == 'x' ? 'y' : 'x';
  EXPECT_EQ(dir.authenticate_key(forged).error().message, "unknown or wrong API key");
  EXPECT_FALSE(dir.authenticate_key("swk_garbage").ok());

  clock.advance_micros(30 * 24 * 60 * kMinute);
  auto expired = dir.authenticate_key(k->key);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("expired on"), std::string::npos);

  auto k2 = dir.add_key("ana", kScopeRead, 0);
  ASSERT_TRUE(k2.ok());
  ASSERT_TRUE(dir.revoke_key(k2->id).ok());
  auto revoked = dir.authenticate_key(k2->key);
  ASSERT_FALSE(revoked.ok());
  EXPECT_NE(revoked.error().message.find("was revoked on"), std::string::npos);
  // A key follows its user: disabled user, no access.
  auto k3 = dir.add_key("ana", kScopeRead, 0);
  ASSERT_TRUE(dir.set_user_active("ana", false).ok());
  EXPECT_FALSE(dir.authenticate_key(k3->key).ok());
}

TEST_F(Accounts, RolesLimitKeyScopes) {
  ASSERT_TRUE(dir.add_user("rita", "Fox-IT", kReadOnly).ok());
  auto w = dir.add_key("rita", kScopeWrite, 0);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().where, "--scope");
  auto r = dir.add_key("rita", kScopeRead, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(dir.authenticate_key(r->key)->scopes, kScopeRead);
  // A role taken away takes the scope away from existing keys too.
  auto k = dir.add_key("ana", kScopeRead | kScopeWrite, 0);
  ASSERT_TRUE(dir.set_roles("ana", kReadOnly).ok());
  EXPECT_EQ(dir.authenticate_key(k->key)->scopes, kScopeRead);
}

TEST_F(Accounts, SessionsCarryACsrfTokenAndExpire) {
  auto s = dir.open_session("ana");
  ASSERT_TRUE(s.ok());
  auto a = dir.session(s->token);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->principal.user, "ana");
  EXPECT_EQ(a->csrf, s->csrf);
  EXPECT_FALSE(dir.session("x").ok());
  ASSERT_TRUE(dir.close_session(s->token).ok());
  EXPECT_EQ(dir.session(s->token).error().message, "not signed in, or the session ended");
  auto s2 = dir.open_session("ana");
  clock.advance_micros(12 * 60 * kMinute + 1);
  EXPECT_EQ(dir.session(s2->token).error().message, "the session expired; sign in again");
}

TEST_F(Accounts, GroupsFeedThePolicy) {
  auto g = dir.add_group("finance", {"Nordsec", "Fox-IT", "Nordsec"});
  ASSERT_TRUE(g.ok()) << g.error().to_string();
  EXPECT_EQ(g->members.size(), 2u);
  EXPECT_FALSE(dir.add_group("finance", {}).ok());
  EXPECT_EQ(dir.add_group("x", {"Nobody"}).error().code, core::Code::kNotFound);
  auto p = dir.policy({});
  ASSERT_TRUE(p.ok());
  const std::string nord = dir.find_org("Nordsec")->id;
  std::vector<ShareRecord> shares(1);
  shares[0].sharer = dir.find_org("Fox-IT")->id;
  shares[0].distribution = {DistributionKind::kSharingGroup, g->id};
  ObjectFacts f;
  f.owner = shares[0].sharer;
  f.tlp = stix::Tlp::kRed;
  const std::vector<const ShareRecord*> ptrs = {&shares[0]};
  f.shares = ptrs;
  EXPECT_TRUE(p->org_can_read(nord, f).allowed);
  ASSERT_TRUE(dir.remove_group("finance").ok());
  EXPECT_FALSE(dir.policy({})->org_can_read(nord, f).allowed);
}

}  // namespace
}  // namespace sw::policy
