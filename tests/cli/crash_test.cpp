// kill -9 during `shieldwall import`: whatever the import reported as settled (the
// `--progress jsonl` commit lines on stderr) is in the store, byte for byte; nothing partial is
// ever visible; the SQLite file stays sound; sequence numbers increase strictly in commit order;
// and importing the file again completes it with every object stored exactly once.
//
// The bundle is 200,000 small indicators, imported in batches of 2,000. The kill points are
// random; the seed is printed (set SW_CRASH_SEED to replay one).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "cli_harness.h"

namespace sw::clitest {
namespace {

namespace json = boost::json;

constexpr int kObjects = 200'000;
constexpr int kBatch = 2'000;
const std::string kTag = "-c7a5-4000-8000-000000000000";  // marks the generated ids

std::string object_text(int i) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                R"({"type":"indicator","spec_version":"2.1","id":"indicator--%08x%s",)"
                R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)"
                R"("name":"crash test %d","pattern":"[ipv4-addr:value = '10.%d.%d.%d']",)"
                R"("pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})",
                static_cast<unsigned>(i), kTag.c_str(), i, (i >> 16) & 255, (i >> 8) & 255,
                i & 255);
  return buf;
}

// The index of a generated object from its id; -1 for any other object.
int index_of(const std::string& id) {
  if (id.size() != 11 + 8 + kTag.size() || id.rfind("indicator--", 0) != 0 ||
      id.compare(19, kTag.size(), kTag) != 0)
    return -1;
  return static_cast<int>(std::stoul(id.substr(11, 8), nullptr, 16));
}

class CrashDuringImport : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = init_node(dir_);
    node_.set_import_option("batch_size", kBatch);
    bundle_ = dir_ / "big-bundle.json";
    std::ofstream out(bundle_, std::ios::binary);
    out << R"({"type":"bundle","id":"bundle--0b7f3c2e-3f0a-4c55-9a7e-2f7d1c0e9b11","objects":[)"
        << "\n";
    source_.reserve(kObjects);
    for (int i = 0; i < kObjects; ++i) {
      source_.push_back(object_text(i));
      out << (i ? ",\n" : "") << source_.back();
    }
    out << "\n]}\n";
    ASSERT_TRUE(out.good());
    baseline_rows_ = sqlite_rows(node_.db()).size();
  }

  struct Round {
    int64_t settled = 0;  // the highest count the import reported as settled
    int commits = 0;
    bool killed = false;
  };

  std::vector<std::string> import_args() const {
    return node_.with_data(
        {"import", bundle_.string(), "--progress", "jsonl", "--summary", "json"});
  }

  // Reads one commit line; checks its form and that it never goes backwards.
  void take_line(const std::string& line, Round& r) {
    json::value v;
    ASSERT_NO_THROW(v = parse_json(line)) << "not a progress line: " << line;
    const auto& o = v.as_object();
    ASSERT_EQ(str_at(o, "event"), "commit") << line;
    ASSERT_EQ(str_at(o, "file"), bundle_.string()) << line;
    const int64_t settled = o.at("settled").as_int64();
    ASSERT_GE(settled, r.settled) << "settled went backwards: " << line;
    ASSERT_LE(settled, kObjects) << line;
    r.settled = settled;
    ++r.commits;
  }

  // Starts an import and SIGKILLs it `delay` after the first commit line whose settled count
  // reaches `kill_at`.
  Round import_and_kill(int64_t kill_at, std::chrono::milliseconds delay) {
    Round r;
    Child child(import_args(), dir_ / "import.out");
    while (auto line = child.read_line(std::chrono::seconds(60))) {
      take_line(*line, r);
      if (r.settled >= kill_at) {
        std::this_thread::sleep_for(delay);
        child.signal(SIGKILL);
        r.killed = true;
        break;
      }
    }
    finish_killed(child, r, "the import ended before the kill point " + std::to_string(kill_at));
    return r;
  }

  // Starts an import and SIGKILLs it as soon as its first transaction starts writing (the SQLite
  // write-ahead log, absent after `init`, appears), i.e. inside the very first batch's commit.
  Round import_and_kill_in_first_commit() {
    Round r;
    const fs::path wal = node_.db().string() + "-wal";
    std::error_code ec;
    EXPECT_FALSE(fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) << "init left a WAL behind";
    Child child(import_args(), dir_ / "import.out");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !child.eof()) {
      if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) break;
      if (auto line = child.read_line(std::chrono::milliseconds(0))) take_line(*line, r);
      if (r.commits > 0) break;  // too late; the caller retries
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    child.signal(SIGKILL);
    r.killed = true;
    finish_killed(child, r, "the import ended before its first commit");
    return r;
  }

  void finish_killed(Child& child, Round& r, const std::string& what) {
    auto res = child.wait(std::chrono::seconds(60));
    // Lines written before the kill still report durable commits.
    while (auto line = child.read_line(std::chrono::milliseconds(0))) take_line(*line, r);
    EXPECT_TRUE(r.killed) << what << ": " << res.describe();
    EXPECT_FALSE(res.exited) << what << ": " << res.describe();
    EXPECT_EQ(res.signal, SIGKILL) << res.describe();
  }

  // Checks the store after a kill (or at the end) and returns how many generated objects it
  // holds: always a prefix of the file, at least `settled` long.
  int64_t check_store(int64_t settled) {
    EXPECT_EQ(sqlite_integrity_check(node_.db()), "ok");
    auto rows = sqlite_rows(node_.db());  // in sequence order
    std::vector<int64_t> seq_of(kObjects, 0);
    int64_t prev_seq = 0, generated = 0, other = 0;
    for (const auto& row : rows) {
      EXPECT_GT(row.seq, prev_seq) << "sequence numbers must be strictly increasing";
      prev_seq = row.seq;
      const int i = index_of(row.id);
      if (i < 0) {
        ++other;
        continue;
      }
      if (i >= kObjects) {
        ADD_FAILURE() << "unknown object " << row.id;
        continue;
      }
      if (seq_of[i] != 0) ADD_FAILURE() << "stored twice: " << row.id;
      seq_of[i] = row.seq;
      ++generated;
      if (row.json != source_[static_cast<size_t>(i)])
        ADD_FAILURE() << "object " << i
                      << " differs from its source:\nstored: " << row.json.substr(0, 400)
                      << "\nsource: " << source_[static_cast<size_t>(i)];
    }
    EXPECT_EQ(other, static_cast<int64_t>(baseline_rows_)) << "only init's objects besides ours";
    // Batches commit in file order: the stored objects are the first `generated` of the file,
    // with sequence numbers in file order.
    for (int64_t i = 0; i < generated; ++i) {
      if (seq_of[static_cast<size_t>(i)] == 0) {
        ADD_FAILURE() << "object " << i << " missing but " << generated << " stored (not a prefix)";
        break;
      }
      if (i > 0 && seq_of[static_cast<size_t>(i)] <= seq_of[static_cast<size_t>(i - 1)]) {
        ADD_FAILURE() << "sequence numbers out of file order at object " << i;
        break;
      }
    }
    EXPECT_GE(generated, settled) << "objects reported settled are missing from the store";
    return generated;
  }

  TempDir dir_;
  Node node_;
  fs::path bundle_;
  std::vector<std::string> source_;
  size_t baseline_rows_ = 0;
};

TEST_F(CrashDuringImport, NothingReportedIsLostAndAReRunCompletesIt) {
  unsigned seed = std::random_device{}();
  if (const char* s = std::getenv("SW_CRASH_SEED")) seed = static_cast<unsigned>(std::stoul(s));
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("SW_CRASH_SEED=" + std::to_string(seed));
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  // During the very first batch, before any commit could be reported. Should the first commit
  // finish before the kill lands (a heavily loaded machine), try again on a fresh node.
  Round first;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) {
      node_ = init_node_at(dir_ / ("node-retry-" + std::to_string(attempt)));
      node_.set_import_option("batch_size", kBatch);
    }
    first = import_and_kill_in_first_commit();
    if (first.commits == 0) break;
  }
  EXPECT_EQ(first.commits, 0) << "every attempt to kill inside the first batch came too late";
  int64_t stored = check_store(first.settled);
  std::printf("kill in the first batch: %lld object(s) stored\n", static_cast<long long>(stored));
  ASSERT_FALSE(HasFailure());

  // Then a few times further in, at random points after a commit (mid-batch, mid-commit).
  for (int round = 0; round < 3; ++round) {
    const int64_t kill_at = stored + int64_t{kBatch} * uniform(2, 6);
    Round r = import_and_kill(kill_at, std::chrono::milliseconds(uniform(0, 150)));
    ASSERT_FALSE(HasFailure()) << "round " << round;
    EXPECT_GE(r.settled, kill_at);
    const int64_t now = check_store(r.settled);
    ASSERT_FALSE(HasFailure()) << "round " << round;
    EXPECT_GE(now, stored);
    std::printf("kill %d: after settled=%lld (asked %lld), %lld object(s) stored\n", round + 1,
                static_cast<long long>(r.settled), static_cast<long long>(kill_at),
                static_cast<long long>(now));
    stored = now;
  }
  ASSERT_LT(stored, kObjects) << "the kills should leave work for the last run";

  // Run to completion: the objects already there are duplicates, the rest new.
  const auto t0 = std::chrono::steady_clock::now();
  Round last;
  Child child(import_args(), dir_ / "import.out");
  while (auto line = child.read_line(std::chrono::seconds(120))) take_line(*line, last);
  auto res = child.wait(std::chrono::seconds(120));
  ASSERT_TRUE(res.exited && res.exit_code == 0) << res.describe();
  EXPECT_EQ(last.settled, kObjects);
  std::printf("completing run: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  auto s = parse_json(res.out).as_object();
  EXPECT_EQ(s.at("objects").as_int64(), kObjects);
  EXPECT_EQ(s.at("duplicates").as_int64(), stored);
  EXPECT_EQ(s.at("new_objects").as_int64(), kObjects - stored);
  EXPECT_EQ(s.at("rejected").as_int64(), 0);
  EXPECT_EQ(check_store(kObjects), kObjects);
  auto stats = stats_json(node_);
  EXPECT_EQ(stats.at("by_type").at("indicator").at("objects").as_int64(), kObjects);
  EXPECT_EQ(stats.at("by_type").at("indicator").at("versions").as_int64(), kObjects);
}

}  // namespace
}  // namespace sw::clitest
