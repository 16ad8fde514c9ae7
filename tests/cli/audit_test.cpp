// shieldwall audit verify | list, end to end: what init and import record, what an operator sees
// for an intact log and for one edited behind the node's back (SQL on the SQLite file).
#include <gtest/gtest.h>
#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

const std::string kBundle =
    R"({"type":"bundle","id":"bundle--71111111-1111-4111-8111-111111111111","objects":[)"
    R"({"type":"identity","spec_version":"2.1","id":"identity--51111111-1111-4111-8111-111111111111","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"x"},)"
    R"({"type":"identity","spec_version":"2.1","id":"identity--52222222-2222-4222-8222-222222222222","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"y"},)"
    R"({"type":"identity","spec_version":"2.1","id":"not-an-id","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"z"}]})";

void sql(const fs::path& db, const std::string& text) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* msg = nullptr;
  const int rc = sqlite3_exec(h, text.c_str(), nullptr, nullptr, &msg);
  const std::string err = msg ? msg : "";
  sqlite3_free(msg);
  sqlite3_close(h);
  ASSERT_EQ(rc, SQLITE_OK) << text << ": " << err;
}

std::string os_user() {
  const passwd* pw = getpwuid(geteuid());
  return pw && pw->pw_name ? pw->pw_name : "uid-" + std::to_string(geteuid());
}

std::vector<boost::json::object> entries(const std::string& out) {
  std::vector<boost::json::object> v;
  for (const auto& line : lines_of(out)) v.push_back(parse_json(line).as_object());
  return v;
}

// A node with its init entry and one import: two entries.
struct AuditedNode {
  TempDir dir;
  Node node = init_node(dir);
  AuditedNode() {
    write_file(dir / "b.json", kBundle);
    auto imp = run(node.with_data({"import", "-q", (dir / "b.json").string()}));
    EXPECT_TRUE(imp.exited && imp.exit_code == 1) << "one object is invalid: " << imp.describe();
  }
};

TEST(AuditCli, InitAndImportAreRecorded) {
  AuditedNode n;
  auto list = run(n.node.with_data({"audit", "list"}));
  ASSERT_TRUE(list.exited && list.exit_code == 0) << list.describe();
  auto es = entries(list.out);
  ASSERT_EQ(es.size(), 2u) << list.out;

  EXPECT_EQ(es[0].at("seq"), 1);
  EXPECT_EQ(es[0].at("action"), "config.change");
  EXPECT_EQ(es[0].at("reason"), "node initialised");
  EXPECT_EQ(es[0].at("actor"), boost::json::value("cli:" + os_user()));
  EXPECT_EQ(es[0].at("org"), boost::json::value(n.node.identity));
  EXPECT_EQ(es[0].at("outcome"), "ok");
  EXPECT_EQ(es[0].at("details").at("org"), "Test CERT");
  EXPECT_EQ(es[0].at("details").at("country"), "NL");
  EXPECT_EQ(es[0].at("prev_hash"), boost::json::value(std::string(64, '0')));

  EXPECT_EQ(es[1].at("seq"), 2);
  EXPECT_EQ(es[1].at("action"), "object.write");
  EXPECT_EQ(es[1].at("actor"), boost::json::value("cli:" + os_user()));
  const auto& d = es[1].at("details").as_object();
  EXPECT_EQ(d.at("accepted"), 2);
  EXPECT_EQ(d.at("rejected"), 1);
  ASSERT_EQ(d.at("files").as_array().size(), 1u);
  EXPECT_EQ(d.at("files").as_array()[0], boost::json::value((n.dir / "b.json").string()));
  EXPECT_EQ(es[1].at("prev_hash"), es[0].at("hash"));
}

TEST(AuditCli, VerifyAnIntactLog) {
  AuditedNode n;
  auto v = run(n.node.with_data({"audit", "verify"}));
  ASSERT_TRUE(v.exited && v.exit_code == 0) << v.describe();
  auto es = entries(run(n.node.with_data({"audit", "list"})).out);
  ASSERT_EQ(es.size(), 2u);
  const std::string head = es[1].at("hash").as_string().c_str();
  EXPECT_EQ(v.out, "audit log intact: 2 entries, head 2:" + head + "\n");

  auto j = run(n.node.with_data({"audit", "verify", "--json"}));
  ASSERT_TRUE(j.exited && j.exit_code == 0) << j.describe();
  auto doc = parse_json(j.out).as_object();
  EXPECT_EQ(doc.at("ok"), true);
  EXPECT_EQ(doc.at("entries_checked"), 2);
  EXPECT_EQ(doc.at("head").at("hash"), boost::json::value(head));

  // --data after the subcommand works too.
  auto after = run({"audit", "verify", "--data", n.node.data.string()});
  EXPECT_TRUE(after.exited && after.exit_code == 0) << after.describe();
  EXPECT_EQ(after.out, v.out);

  // The head printed today is tomorrow's anchor.
  auto anchored = run(n.node.with_data({"audit", "verify", "--anchor", "2:" + head}));
  EXPECT_TRUE(anchored.exited && anchored.exit_code == 0) << anchored.describe();
}

TEST(AuditCli, VerifyNamesTheFirstChangedEntry) {
  AuditedNode n;
  sql(n.node.db(),
      "DROP TRIGGER audit_log_no_update; "
      "UPDATE audit_log SET details = replace(details, '\"accepted\":2', '\"accepted\":20') "
      "WHERE seq = 2");
  auto v = run(n.node.with_data({"audit", "verify"}));
  EXPECT_TRUE(v.exited && v.exit_code == 1) << v.describe();
  EXPECT_EQ(v.out,
            "audit log NOT intact: first bad entry 2 (changed): entry 2 (after entry 1) does not "
            "match its hash: one of its fields (or its hash) was changed\n");

  auto j = run(n.node.with_data({"audit", "verify", "--json"}));
  EXPECT_TRUE(j.exited && j.exit_code == 1) << j.describe();
  auto doc = parse_json(j.out).as_object();
  EXPECT_EQ(doc.at("ok"), false);
  EXPECT_EQ(doc.at("first_bad_seq"), 2);
  EXPECT_EQ(doc.at("problem"), "changed");
  EXPECT_EQ(doc.at("entries_checked"), 1);
  EXPECT_EQ(doc.at("head").at("seq"), 1);
}

TEST(AuditCli, VerifyNamesARemovedEntryAndAnAnchorCatchesTruncation) {
  AuditedNode n;
  // A third entry, so that removing the second leaves a gap.
  write_file(n.dir / "again.json", kBundle);
  ASSERT_EQ(run(n.node.with_data({"import", "-q", (n.dir / "again.json").string()})).exit_code, 1);
  auto es = entries(run(n.node.with_data({"audit", "list"})).out);
  ASSERT_EQ(es.size(), 3u);
  const std::string head = "3:" + std::string(es[2].at("hash").as_string().c_str());

  sql(n.node.db(), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3");
  auto plain = run(n.node.with_data({"audit", "verify"}));
  EXPECT_TRUE(plain.exited && plain.exit_code == 0)
      << "a chain alone cannot show entries removed from its end: " << plain.describe();
  auto anchored = run(n.node.with_data({"audit", "verify", "--anchor", head}));
  EXPECT_TRUE(anchored.exited && anchored.exit_code == 1) << anchored.describe();
  EXPECT_TRUE(contains(anchored.out, "first bad entry 3 (removed)")) << anchored.out;

  sql(n.node.db(), "DELETE FROM audit_log WHERE seq = 1");
  auto v = run(n.node.with_data({"audit", "verify"}));
  EXPECT_TRUE(v.exited && v.exit_code == 1) << v.describe();
  EXPECT_EQ(v.out,
            "audit log NOT intact: first bad entry 1 (removed): entry 1 is missing: entry 2 "
            "follows the start of the log\n");
}

TEST(AuditCli, ListFiltersAndPages) {
  AuditedNode n;
  auto writes = run(n.node.with_data({"audit", "list", "--action", "object"}));
  ASSERT_TRUE(writes.exited && writes.exit_code == 0) << writes.describe();
  auto es = entries(writes.out);
  ASSERT_EQ(es.size(), 1u);
  EXPECT_EQ(es[0].at("seq"), 2);

  auto first = entries(run(n.node.with_data({"audit", "list", "--limit", "1"})).out);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].at("seq"), 1);
  auto rest = entries(run(n.node.with_data({"audit", "list", "--after", "1"})).out);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].at("seq"), 2);

  EXPECT_TRUE(run(n.node.with_data({"audit", "list", "--actor", "nobody"})).out.empty());
  EXPECT_EQ(entries(run(n.node.with_data({"audit", "list", "--outcome", "ok"})).out).size(), 2u);
  EXPECT_TRUE(
      run(n.node.with_data({"audit", "list", "--until", "2000-01-01T00:00:00Z"})).out.empty());
}

TEST(AuditCli, BadArgumentsAreUsageErrors) {
  AuditedNode n;
  auto anchor = run(n.node.with_data({"audit", "verify", "--anchor", "three:abc"}));
  EXPECT_TRUE(anchor.exited && anchor.exit_code == 2) << anchor.describe();
  EXPECT_TRUE(contains(anchor.err, "--anchor")) << anchor.err;
  auto outcome = run(n.node.with_data({"audit", "list", "--outcome", "maybe"}));
  EXPECT_TRUE(outcome.exited && outcome.exit_code == 2) << outcome.describe();
  auto since = run(n.node.with_data({"audit", "list", "--since", "yesterday"}));
  EXPECT_TRUE(since.exited && since.exit_code == 2) << since.describe();
  EXPECT_TRUE(contains(since.err, "--since")) << since.err;
  auto none = run({"audit"});
  EXPECT_TRUE(none.exited && none.exit_code == 2) << none.describe();
}

}  // namespace
}  // namespace sw::clitest
