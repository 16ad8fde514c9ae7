// Exit codes (docs/cli.md): 0 done, 1 done in part, 2 usage or configuration, 3 the store failed —
// each with a message that says what and where.
#include <gtest/gtest.h>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

const std::string kObject =
    R"({"type":"identity","spec_version":"2.1","id":"identity--51111111-1111-4111-8111-111111111111","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"x"})";

TEST(ExitCodes, UsageAndConfigurationErrorsAreTwo) {
  TempDir dir;
  write_file(dir / "one.json", kObject);
  fs::create_directories(dir / "empty");
  auto no_node = run({"import", "--data", (dir / "empty").string(), (dir / "one.json").string()});
  EXPECT_TRUE(no_node.exited && no_node.exit_code == 2) << no_node.describe();
  EXPECT_TRUE(contains(no_node.err, "no node here")) << no_node.err;

  Node node = init_node(dir);
  auto flag = run(node.with_data({"import", "--no-such-flag", (dir / "one.json").string()}));
  EXPECT_TRUE(flag.exited && flag.exit_code == 2) << flag.describe();
  auto progress =
      run(node.with_data({"import", "--progress", "sometimes", (dir / "one.json").string()}));
  EXPECT_TRUE(progress.exited && progress.exit_code == 2) << progress.describe();

  node.set_import_option("batch_size", 0);
  auto cfg = run(node.with_data({"import", (dir / "one.json").string()}));
  EXPECT_TRUE(cfg.exited && cfg.exit_code == 2) << cfg.describe();
  EXPECT_TRUE(contains(cfg.err, (node.data / "shieldwall.toml").string() + ":")) << cfg.err;
  EXPECT_TRUE(contains(cfg.err, "[import.batch_size]")) << cfg.err;
  node.set_import_option("batch_size", 100);

  auto bad_time = run(node.with_data({"export", "--added-after", "last tuesday"}));
  EXPECT_TRUE(bad_time.exited && bad_time.exit_code == 2) << bad_time.describe();
  EXPECT_TRUE(contains(bad_time.err, "--added-after")) << bad_time.err;
}

TEST(ExitCodes, ImportIsZeroWhenAllIsStoredOneWhenSomethingWasNot) {
  TempDir dir;
  Node node = init_node(dir);
  write_file(dir / "one.json", kObject);
  auto ok = run(node.with_data({"import", (dir / "one.json").string()}));
  EXPECT_TRUE(ok.exited && ok.exit_code == 0) << ok.describe();
  auto again = run(node.with_data({"import", (dir / "one.json").string()}));
  EXPECT_TRUE(again.exited && again.exit_code == 0)
      << "duplicates are not a failure: " << again.describe();

  auto missing = run(node.with_data({"import", (dir / "no-such.json").string()}));
  EXPECT_TRUE(missing.exited && missing.exit_code == 1) << missing.describe();
  EXPECT_TRUE(contains(missing.err, (dir / "no-such.json").string() + ": cannot open"))
      << missing.err;

  auto get_missing = run(node.with_data({"get", "identity--61111111-1111-4111-8111-111111111111"}));
  EXPECT_TRUE(get_missing.exited && get_missing.exit_code == 1) << get_missing.describe();
  EXPECT_TRUE(contains(get_missing.err, "identity--61111111-1111-4111-8111-111111111111"))
      << get_missing.err;
}

TEST(ExitCodes, AStoreThatCannotBeOpenedIsThree) {
  TempDir dir;
  Node node = init_node(dir);
  write_file(dir / "one.json", kObject);
  write_file(node.db(), std::string(8192, '\x5a'));  // not an SQLite file any more
  fs::remove(node.db().string() + "-wal");
  fs::remove(node.db().string() + "-shm");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"import", (dir / "one.json").string()},
        {"stats"},
        {"export"},
        {"get", "identity--51111111-1111-4111-8111-111111111111"}}) {
    auto r = run(node.with_data(args));
    EXPECT_TRUE(r.exited && r.exit_code == 3) << args[0] << ": " << r.describe();
    EXPECT_TRUE(contains(r.err, node.db().string())) << args[0] << ": " << r.err;
  }
}

}  // namespace
}  // namespace sw::clitest
