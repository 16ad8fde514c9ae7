// Accounts from the command line: org, user, key, group — what each prints, what it refuses, what
// the audit log keeps — and sharing on import.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

const std::string kIndicator =
    R"({"type":"indicator","spec_version":"2.1","id":"indicator--71111111-1111-4111-8111-111111111111","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[domain-name:value = 'x.example']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})";

std::vector<boost::json::value> lines(const std::string& out) {
  std::vector<boost::json::value> v;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (nl > start) v.push_back(boost::json::parse(out.substr(start, nl - start)));
  }
  return v;
}

TEST(Accounts, InitMakesTheFirstAdministratorWithAOneTimePassword) {
  TempDir dir;
  auto r = run({"init", "--data", (dir / "n").string(), "--org", "Fox-IT", "--country", "NL"});
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_TRUE(contains(r.out, "administrator: admin, one-time password: ")) << r.out;
  auto users = run({"user", "list", "--data", (dir / "n").string()});
  ASSERT_EQ(users.exit_code, 0) << users.describe();
  auto u = lines(users.out);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].at("name").as_string(), "admin");
  EXPECT_EQ(u[0].at("roles").as_string(), "admin");
  EXPECT_TRUE(u[0].at("must_change_password").as_bool());
  auto orgs = lines(run({"org", "list", "--data", (dir / "n").string()}).out);
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0].at("name").as_string(), "Fox-IT");
  EXPECT_EQ(orgs[0].at("kind").as_string(), "member");
}

TEST(Accounts, OrgUserKeyGroupPrintWhatScriptsNeed) {
  TempDir dir;
  Node node = init_node(dir);
  auto nord = run(node.with_data({"org", "add", "Nordsec", "--kind", "member", "--country", "SE"}));
  ASSERT_EQ(nord.exit_code, 0) << nord.describe();
  EXPECT_TRUE(nord.out.starts_with("identity--")) << nord.out;
  auto bad_kind = run(node.with_data({"org", "add", "Acme", "--kind", "vendor"}));
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_TRUE(contains(bad_kind.err, "--kind")) << bad_kind.err;
  auto orphan = run(node.with_data({"org", "add", "Bank", "--kind", "client"}));
  EXPECT_EQ(orphan.exit_code, 2);
  EXPECT_TRUE(contains(orphan.err, "--client-of")) << orphan.err;

  auto pw = run(node.with_data({"user", "add", "nils", "--org", "Nordsec", "--role", "analyst"}));
  ASSERT_EQ(pw.exit_code, 0) << pw.describe();
  EXPECT_EQ(pw.out.size(), 21u) << pw.out;  // 20 characters and a newline, alone on stdout
  auto dup = run(node.with_data({"user", "add", "nils", "--org", "Nordsec", "--role", "analyst"}));
  EXPECT_NE(dup.exit_code, 0);
  auto bad_role = run(node.with_data({"user", "add", "x", "--org", "Nordsec", "--role", "wizard"}));
  EXPECT_EQ(bad_role.exit_code, 2);

  auto key = run(node.with_data({"key", "add", "--user", "nils", "--scope", "read,taxii", "--expires", "30"}));
  ASSERT_EQ(key.exit_code, 0) << key.describe();
  ASSERT_TRUE(key.out.starts_with("swk_")) << key.out;
  const std::string id = key.out.substr(0, 16);
  auto admin_scope = run(node.with_data({"key", "add", "--user", "nils", "--scope", "admin"}));
  EXPECT_EQ(admin_scope.exit_code, 2);
  EXPECT_TRUE(contains(admin_scope.err, "admin role")) << admin_scope.err;
  auto keys = lines(run(node.with_data({"key", "list"})).out);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("id").as_string(), id);
  EXPECT_EQ(keys[0].at("scopes").as_string(), "read,taxii");
  EXPECT_FALSE(contains(boost::json::serialize(keys[0]), key.out.substr(17, 20)));  // never the key
  ASSERT_EQ(run(node.with_data({"key", "disable", id})).exit_code, 0);
  EXPECT_NE(lines(run(node.with_data({"key", "list"})).out)[0].at("revoked").as_string(), "");

  auto group = run(node.with_data({"group", "add", "finance", "--orgs", "Nordsec"}));
  ASSERT_EQ(group.exit_code, 0) << group.describe();
  EXPECT_TRUE(group.out.starts_with("x-shieldwall-sharing-group--")) << group.out;
  auto unknown = run(node.with_data({"group", "add", "x", "--orgs", "Nobody"}));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_TRUE(contains(unknown.err, "Nobody")) << unknown.err;

  ASSERT_EQ(run(node.with_data({"user", "disable", "nils"})).exit_code, 0);
  EXPECT_FALSE(lines(run(node.with_data({"user", "list"})).out)[1].at("active").as_bool());

  // Every change is in the audit log, which is intact.
  auto audit = run(node.with_data({"audit", "list", "--action", "key"}));
  ASSERT_EQ(audit.exit_code, 0) << audit.describe();
  auto entries = lines(audit.out);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("action").as_string(), "key.create");
  EXPECT_EQ(entries[1].at("action").as_string(), "key.revoke");
  EXPECT_EQ(run(node.with_data({"audit", "verify"})).exit_code, 0);
}

TEST(Accounts, ImportShareWritesShareRecords) {
  TempDir dir;
  Node node = init_node(dir);
  write_file(dir / "one.json", kIndicator);
  ASSERT_EQ(run(node.with_data({"org", "add", "Nordsec", "--kind", "member"})).exit_code, 0);
  ASSERT_EQ(run(node.with_data({"group", "add", "finance", "--orgs", "Nordsec"})).exit_code, 0);
  auto nope = run(node.with_data({"import", "--share", "group:nope", (dir / "one.json").string()}));
  EXPECT_EQ(nope.exit_code, 2);
  EXPECT_TRUE(contains(nope.err, "no sharing group named 'nope'")) << nope.err;
  EXPECT_EQ(run(node.with_data({"import", "--share", "everyone", (dir / "one.json").string()})).exit_code, 2);

  auto imp = run(node.with_data(
      {"import", "--share", "group:finance", "--summary", "json", (dir / "one.json").string()}));
  ASSERT_EQ(imp.exit_code, 0) << imp.describe();
  auto summary = boost::json::parse(imp.out.substr(imp.out.find('{')));
  EXPECT_EQ(summary.at("accepted").as_int64(), 1);
  EXPECT_EQ(summary.at("share_records").as_int64(), 1);
  auto exported = run(node.with_data({"export", "--type", "x-shieldwall-share"}));
  ASSERT_EQ(exported.exit_code, 0) << exported.describe();
  auto bundle = boost::json::parse(exported.out);
  const auto& objs = bundle.at("objects").as_array();
  ASSERT_EQ(objs.size(), 1u);
  EXPECT_EQ(objs[0].at("distribution").as_string(), "sharing-group");
  EXPECT_EQ(objs[0].at("object_refs").as_array()[0].as_string(),
            "indicator--71111111-1111-4111-8111-111111111111");
  // Importing again shares again (a duplicate is covered by the new act of sharing).
  auto again = run(node.with_data({"import", "--share", "public", "--summary", "json", (dir / "one.json").string()}));
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(boost::json::parse(again.out.substr(again.out.find('{'))).at("share_records").as_int64(), 1);
}

}  // namespace
}  // namespace sw::clitest
