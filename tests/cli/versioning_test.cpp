// Versions and revocation as a user sees them through `import`, `get` and `export`: a newer
// `modified` is a new version, an equal one a duplicate, an older one history, and nothing newer
// is accepted after a revoked version (STIX 2.1 §3.6).
#include <gtest/gtest.h>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

namespace json = boost::json;

const std::string kId = "identity--31111111-1111-4111-8111-111111111111";

std::string identity(const std::string& modified, const std::string& name,
                     const std::string& extra = "") {
  return R"({"type":"identity","spec_version":"2.1","id":")" + kId +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":")" + modified + R"(","name":")" +
         name + "\"" + extra + "}";
}

class Versioning : public ::testing::Test {
 protected:
  void SetUp() override { node_ = init_node(dir_); }

  // Imports one file holding `objects` (a JSON list) and returns the summary.
  json::object import(const std::string& name, const std::vector<std::string>& objects,
                      int want_exit = 0) {
    std::string text = "[";
    for (size_t i = 0; i < objects.size(); ++i) text += (i ? ",\n" : "") + objects[i];
    text += "]";
    write_file(dir_ / name, text);
    auto r = run(node_.with_data({"import", (dir_ / name).string(), "--summary", "json"}));
    EXPECT_TRUE(r.exited && r.exit_code == want_exit) << name << ": " << r.describe();
    if (!r.exited || r.out.empty()) return {};
    return parse_json(r.out).as_object();
  }
  std::string latest_name() {
    auto r = run(node_.with_data({"get", kId}));
    EXPECT_TRUE(r.exited && r.exit_code == 0) << r.describe();
    return str_at(parse_json(r.out).as_object(), "name");
  }
  std::vector<std::string> all_names() {
    auto r = run(node_.with_data({"get", kId, "--all-versions"}));
    EXPECT_TRUE(r.exited && r.exit_code == 0) << r.describe();
    std::vector<std::string> out;
    const json::value list = parse_json(r.out);
    for (const auto& v : list.as_array()) out.push_back(str_at(v.as_object(), "name"));
    return out;
  }
  static int64_t n(const json::object& s, const char* k) { return s.at(k).as_int64(); }

  TempDir dir_;
  Node node_;
};

TEST_F(Versioning, NewerIsANewVersionEqualIsADuplicateOlderIsHistory) {
  auto s = import("v2.json", {identity("2024-02-01T00:00:00.000Z", "v2")});
  EXPECT_EQ(n(s, "new_objects"), 1);
  const int64_t first = n(s, "first_seq");
  EXPECT_GT(first, 0);

  s = import("v3.json", {identity("2024-03-01T00:00:00.000Z", "v3")});
  EXPECT_EQ(n(s, "new_versions"), 1);
  EXPECT_EQ(n(s, "accepted"), 1);
  EXPECT_GT(n(s, "first_seq"), first);
  EXPECT_EQ(latest_name(), "v3");

  // The same version again, even with other content, is a duplicate: nothing is written.
  s = import("v3-again.json", {identity("2024-03-01T00:00:00.000Z", "v3 changed")});
  EXPECT_EQ(n(s, "duplicates"), 1);
  EXPECT_EQ(n(s, "accepted"), 0);
  EXPECT_EQ(n(s, "first_seq"), 0) << "a duplicate gets no sequence number";
  EXPECT_EQ(latest_name(), "v3");

  // The same instant written with more digits is the same version.
  s = import("v3-digits.json", {identity("2024-03-01T00:00:00.000000Z", "v3 micro")});
  EXPECT_EQ(n(s, "duplicates"), 1);

  s = import("v1.json", {identity("2024-01-01T00:00:00.000Z", "v1")});
  EXPECT_EQ(n(s, "history"), 1);
  EXPECT_EQ(latest_name(), "v3") << "an older version must not become the latest";
  EXPECT_EQ(all_names(), (std::vector<std::string>{"v1", "v2", "v3"}));

  // export: the latest only; --all-versions: every version, in the order they were stored.
  auto r = run(node_.with_data({"export", "--type", "identity"}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  int found = 0;
  for (const auto& o : bundle_objects(r.out))
    if (str_at(o.as_object(), "id") == kId) {
      ++found;
      EXPECT_EQ(str_at(o.as_object(), "name"), "v3");
    }
  EXPECT_EQ(found, 1);
  std::vector<std::string> stored_order;
  for (const auto& o : export_all_versions(node_))
    if (str_at(o.as_object(), "id") == kId) stored_order.push_back(str_at(o.as_object(), "name"));
  EXPECT_EQ(stored_order, (std::vector<std::string>{"v2", "v3", "v1"}));

  auto stats = stats_json(node_);
  // init stored the node's own identity; this one adds one object with three versions.
  EXPECT_EQ(stats.at("by_type").at("identity").at("objects").as_int64(), 2);
  EXPECT_EQ(stats.at("by_type").at("identity").at("versions").as_int64(), 4);
}

TEST_F(Versioning, SeveralVersionsInOneFileInAnyOrder) {
  auto s = import(
      "mixed.json",
      {identity("2024-02-01T00:00:00.000Z", "v2"), identity("2024-04-01T00:00:00.000Z", "v4"),
       identity("2024-01-01T00:00:00.000Z", "v1"), identity("2024-04-01T00:00:00.000Z", "v4 again"),
       identity("2024-03-01T00:00:00.000Z", "v3")});
  EXPECT_EQ(n(s, "new_objects"), 1);
  EXPECT_EQ(n(s, "new_versions"), 1);
  EXPECT_EQ(n(s, "history"), 2);
  EXPECT_EQ(n(s, "duplicates"), 1);
  EXPECT_EQ(latest_name(), "v4");
  EXPECT_EQ(all_names(), (std::vector<std::string>{"v1", "v2", "v3", "v4"}));
}

TEST_F(Versioning, NothingNewerIsAcceptedAfterARevokedVersion) {
  import("v1.json", {identity("2024-01-15T00:00:00.000Z", "v1")});
  auto s = import("revoke.json",
                  {identity("2024-02-01T00:00:00.000Z", "revoked", R"(,"revoked":true)")});
  EXPECT_EQ(n(s, "new_versions"), 1);

  s = import("v3.json", {identity("2024-03-01T00:00:00.000Z", "v3")});
  EXPECT_EQ(n(s, "revoked_refused"), 1);
  EXPECT_EQ(n(s, "accepted"), 0);
  EXPECT_EQ(latest_name(), "revoked");

  // An older version is still history: the object's past can be filled in.
  s = import("v0.json", {identity("2024-01-01T00:00:00.000Z", "v0")});
  EXPECT_EQ(n(s, "history"), 1);
  EXPECT_EQ(all_names(), (std::vector<std::string>{"v0", "v1", "revoked"}));

  // In one file: the revocation and a newer version after it.
  const std::string other = "identity--41111111-1111-4111-8111-111111111111";
  auto obj = [&](const std::string& mod, const std::string& extra) {
    return R"({"type":"identity","spec_version":"2.1","id":")" + other +
           R"(","created":"2024-01-01T00:00:00.000Z","modified":")" + mod + R"(","name":"o")" +
           extra + "}";
  };
  s = import("one-file.json", {obj("2024-01-01T00:00:00.000Z", ""),
                               obj("2024-02-01T00:00:00.000Z", R"(,"revoked":true)"),
                               obj("2024-03-01T00:00:00.000Z", "")});
  EXPECT_EQ(n(s, "new_objects"), 1);
  EXPECT_EQ(n(s, "new_versions"), 1);
  EXPECT_EQ(n(s, "revoked_refused"), 1);
  auto r = run(node_.with_data({"get", other}));
  ASSERT_TRUE(r.exited && r.exit_code == 0) << r.describe();
  EXPECT_EQ(parse_json(r.out).at("revoked"), json::value(true));

  // The text summary says what was refused and why.
  write_file(dir_ / "v5.json", "[" + identity("2024-05-01T00:00:00.000Z", "v5") + "]");
  auto text = run(node_.with_data({"import", (dir_ / "v5.json").string()}));
  ASSERT_TRUE(text.exited) << text.describe();
  EXPECT_TRUE(contains(text.out, "refused")) << text.out;
  EXPECT_TRUE(contains(text.out, "revoked")) << text.out;
}

}  // namespace
}  // namespace sw::clitest
