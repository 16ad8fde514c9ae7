// intel::Importer against the in-memory store and the fault-injecting store: what the summary
// counts, where findings point, what a batch acknowledgement promises, what a store failure
// leaves behind, and --strict.
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "import_test_util.h"
#include "store/memory/fault_injecting_store.h"
#include "store/memory/memory_store.h"

namespace sw::intel {
namespace {

using testing::bundle;
using testing::Harness;
using testing::indicator;
using testing::indicator_id;

std::string identity(int n, const std::string& modified, const std::string& extra = "") {
  return R"({"type":"identity","spec_version":"2.1","id":"identity--)" +
         std::to_string(10000000 + n) +
         R"(-aaaa-4000-8000-000000000000","created":"2024-01-01T00:00:00.000Z","modified":")" +
         modified + R"(","name":"org )" + std::to_string(n) + "\"" + extra + "}";
}
std::string identity_id(int n) {
  return "identity--" + std::to_string(10000000 + n) + "-aaaa-4000-8000-000000000000";
}

bool stored(store::Store& s, const std::string& id) {
  auto r = s.get(id);
  EXPECT_TRUE(r.ok());
  return r.ok() && r->has_value();
}

// ---------------------------------------------------------------------------------------------
// Summary counts. The outcome of each object must not depend on how the file is cut into
// batches (classification within a batch and across batches agree).

class ImporterSummary : public ::testing::TestWithParam<uint32_t> {};

TEST_P(ImporterSummary, CountsEveryOutcome) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  opt.batch_size = GetParam();
  ImportSummary s;
  const std::string text = bundle({
      identity(1, "2024-02-01T00:00:00.000Z"),                        // new
      identity(2, "2024-01-01T00:00:00.000Z"),                        // new
      identity(1, "2024-03-01T00:00:00.000Z"),                        // newer: new version
      identity(1, "2024-01-15T00:00:00.000Z"),                        // older: history
      identity(2, "2024-01-01T00:00:00.000Z"),                        // duplicate
      identity(3, "2024-01-01T00:00:00.000Z", R"(,"revoked":true)"),  // new (revoked)
      identity(3, "2024-02-01T00:00:00.000Z"),                        // after revocation: refused
      R"({"type":"identity","spec_version":"2.1","id":"identity--10000004-aaaa-4000-8000-000000000000","modified":"2024-01-01T00:00:00.000Z","name":"no created"})",
      indicator(5, R"(,"indicator_types":["not-in-the-vocabulary"])"),  // new, with a warning
  });
  ASSERT_TRUE(h.import(text, opt, s).ok());
  EXPECT_EQ(s.objects, 9);
  EXPECT_EQ(s.new_objects, 4);
  EXPECT_EQ(s.new_versions, 1);
  EXPECT_EQ(s.history, 1);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.revoked, 1);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.rejected_by_rule, (std::map<std::string, int64_t>{{"required-property", 1}}));
  EXPECT_EQ(s.warnings, 1);
  EXPECT_EQ(s.warnings_by_rule.count("vocab"), 1u);
  EXPECT_EQ(s.stored(), 6);
  EXPECT_EQ(s.failed_files, 0);
  EXPECT_TRUE(s.file_errors.empty());
  EXPECT_EQ(s.first_seq, 1);
  EXPECT_EQ(s.last_seq, 6);
  EXPECT_EQ(s.bytes, static_cast<int64_t>(text.size()));

  auto latest = st->get(identity_id(1));
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_NE((*latest)->json.find("2024-03-01T00:00:00.000Z"), std::string::npos);
  EXPECT_EQ((*latest)->added_us, core::to_micros(h.clock.now()));
  auto versions = st->get_versions(identity_id(1));
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 3u);
  auto revoked = st->get(identity_id(3));
  ASSERT_TRUE(revoked.ok() && revoked->has_value());
  EXPECT_TRUE((*revoked)->meta.revoked);
  EXPECT_FALSE(stored(*st, identity_id(4)));
}

INSTANTIATE_TEST_SUITE_P(BatchSizes, ImporterSummary, ::testing::Values(1u, 2u, 3u, 10000u));

TEST(ImporterSummary, AddsUpOverSeveralFiles) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle({indicator(1), indicator(2)}), opt, s, "a.json").ok());
  ASSERT_TRUE(h.import(bundle({indicator(2), indicator(3)}), opt, s, "b.json").ok());
  EXPECT_EQ(s.objects, 4);
  EXPECT_EQ(s.new_objects, 3);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.first_seq, 1);
  EXPECT_EQ(s.last_seq, 3);
}

// ImportSummary::rejected is "invalid objects": an object with two errors is one rejected object,
// so that objects = stored + duplicates + refused + rejected.
TEST(ImporterSummary, RejectedCountsObjectsNotErrors) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportSummary s;
  ASSERT_TRUE(
      h.import(bundle({indicator(1, R"(,"confidence":"high","labels":"x")"), indicator(2)}), {}, s)
          .ok());
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.objects, s.stored() + s.duplicates + s.revoked + s.rejected);
  EXPECT_EQ(s.findings.size(), 2u) << "both errors are still listed";
}

// ---------------------------------------------------------------------------------------------
// Findings name the file, the JSON path in the file, the id and the rule.

TEST(ImporterFindings, NameTheFilePathIdAndRule) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  opt.reader.max_object_bytes = 2048;
  ImportSummary s;
  const std::string text = bundle({
      indicator(0),
      indicator(1, R"(,"valid_until":"yesterday")"),
      "42",
      indicator(3, R"(,"description":")" + std::string(3000, 'x') + "\""),
      indicator(4, R"(,"external_references":[{"source_name":7,"url":"https://x.example/"}])"),
      indicator(5),
  });
  ASSERT_TRUE(h.import(text, opt, s, "feed.json").ok());
  ASSERT_EQ(s.findings.size(), 4u) << ::testing::PrintToString([&] {
    std::vector<std::string> v;
    for (const auto& f : s.findings) v.push_back(f.to_string());
    return v;
  }());
  auto expect = [&](size_t i, const std::string& path, const std::string& id,
                    const std::string& rule) {
    SCOPED_TRACE(i);
    EXPECT_EQ(s.findings[i].file, "feed.json");
    EXPECT_EQ(s.findings[i].path, path);
    EXPECT_EQ(s.findings[i].id, id);
    EXPECT_EQ(s.findings[i].rule, rule);
    EXPECT_FALSE(s.findings[i].message.empty());
  };
  expect(0, "$.objects[1].valid_until", indicator_id(1), "timestamp-format");
  expect(1, "$.objects[2]", "", "object-size-or-shape");
  expect(2, "$.objects[3]", "", "object-size-or-shape");
  expect(3, "$.objects[4].external_references[0].source_name", indicator_id(4), "property-type");
  EXPECT_NE(s.findings[2].message.find("2048"), std::string::npos) << s.findings[2].message;
  EXPECT_EQ(
      s.findings[0].to_string().rfind(
          "feed.json: $.objects[1].valid_until (" + indicator_id(1) + "): timestamp-format: ", 0),
      0u)
      << s.findings[0].to_string();
  EXPECT_EQ(s.rejected, 4);
  EXPECT_TRUE(stored(*st, indicator_id(0)));
  EXPECT_TRUE(stored(*st, indicator_id(5)));
}

TEST(ImporterFindings, PathsInAListAndInASingleObject) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportSummary s;
  ASSERT_TRUE(h.import("[" + indicator(0) + "," + indicator(1, R"(,"confidence":500)") + "]", {}, s,
                       "list.json")
                  .ok());
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].path, "$[1].confidence");
  ImportSummary one;
  ASSERT_TRUE(h.import(indicator(2, R"(,"confidence":500)"), {}, one, "one.json").ok());
  ASSERT_EQ(one.findings.size(), 1u);
  EXPECT_EQ(one.findings[0].path, "$.confidence");
  EXPECT_EQ(one.findings[0].file, "one.json");
}

TEST(ImporterFindings, KeepsAtMostMaxFindingsButCountsAll) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  opt.max_findings = 3;
  std::vector<std::string> objs;
  for (int i = 0; i < 10; ++i) objs.push_back(indicator(i, R"(,"confidence":500)"));
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle(objs), opt, s).ok());
  EXPECT_EQ(s.findings.size(), 3u);
  EXPECT_EQ(s.rejected, 10);
  EXPECT_EQ(s.rejected_by_rule.begin()->second, 10);
}

// ImportSummary::findings: "rejections first-come, up to max_findings; then warnings" — a
// rejection must not be crowded out by warnings that came before it.
TEST(ImporterFindings, RejectionsAreKeptBeforeWarnings) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  opt.max_findings = 3;
  std::vector<std::string> objs;
  for (int i = 0; i < 5; ++i) objs.push_back(indicator(i, R"(,"indicator_types":["odd"])"));
  objs.push_back(indicator(5, R"(,"confidence":500)"));
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle(objs), opt, s).ok());
  EXPECT_EQ(s.warnings, 5);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_LE(s.findings.size(), 3u);
  bool listed = false;
  for (const auto& f : s.findings) listed = listed || f.id == indicator_id(5);
  EXPECT_TRUE(listed) << "the one rejected object is missing from the findings";
}

TEST(ImporterFindings, AStructuralErrorEndsTheFileKeepingWhatCameBefore) {
  auto st = store::make_memory_store();
  Harness h(*st);
  ImportOptions opt;
  opt.batch_size = 2;
  const std::string full = bundle({indicator(0), indicator(1), indicator(2), indicator(3)});
  const std::string cut = full.substr(0, full.find(indicator(3)) + 10);
  ImportSummary s;
  ASSERT_TRUE(h.import(cut, opt, s, "cut.json").ok());
  EXPECT_EQ(s.failed_files, 1);
  ASSERT_EQ(s.file_errors.size(), 1u);
  EXPECT_NE(s.file_errors[0].find("cut.json:byte " + std::to_string(cut.size())), std::string::npos)
      << s.file_errors[0];
  EXPECT_EQ(s.new_objects, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(stored(*st, indicator_id(i))) << i;
}

// ---------------------------------------------------------------------------------------------
// Batch acknowledgements: on_commit(file, settled) promises that the first `settled` objects are
// settled — each valid one stored — at the moment it is called.

struct Commits {
  std::mutex mu;
  std::vector<int64_t> settled;
  std::vector<std::string> violations;
};

// Objects 0..n-1, every index in `bad` invalid.
std::vector<std::string> objects_with_bad(int n, const std::set<int>& bad) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(bad.count(i) ? indicator(i, R"(,"confidence":-1)") : indicator(i));
  return out;
}

void check_on_commit(store::Store& reader, std::set<int> bad, ImportOptions& opt, Commits& c) {
  opt.on_commit = [&reader, bad, &c](const std::string& file, int64_t settled) {
    std::lock_guard lock(c.mu);
    if (file != "test.json") c.violations.push_back("file " + file);
    if (!c.settled.empty() && settled <= c.settled.back())
      c.violations.push_back("settled did not grow: " + std::to_string(settled));
    c.settled.push_back(settled);
    for (int i = 0; i < settled; ++i) {
      if (bad.count(i)) continue;
      auto got = reader.get(indicator_id(i));
      if (!got.ok() || !got->has_value())
        c.violations.push_back("settled " + std::to_string(settled) + " but object " +
                               std::to_string(i) + " is not stored");
    }
  };
}

TEST(ImporterBatches, OnCommitNeverReportsObjectsThatAreNotStored) {
  store::MemoryStore st;
  auto reader = st.another_handle();
  Harness h(st);
  const std::set<int> bad = {4, 11, 12, 24};  // the last object is rejected too
  ImportOptions opt;
  opt.batch_size = 4;
  Commits c;
  check_on_commit(*reader, bad, opt, c);
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle(objects_with_bad(25, bad)), opt, s).ok());
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);
  ASSERT_FALSE(c.settled.empty());
  EXPECT_EQ(c.settled.back(), 25) << "the file's end (a rejected object) is settled too";
  EXPECT_GE(c.settled.size(), 6u) << "21 stored objects in batches of 4";
  EXPECT_EQ(s.new_objects, 21);
  EXPECT_EQ(s.rejected, 4);
}

// A batch also ends when its JSON reaches batch_bytes: with objects of ~300 bytes and a 1 KiB
// cap, batches hold at most 4 objects however large batch_size is.
TEST(ImporterBatches, BatchBytesCapsABatch) {
  store::MemoryStore st;
  auto reader = st.another_handle();
  Harness h(st);
  ImportOptions opt;
  opt.batch_size = 1000;
  opt.batch_bytes = 1024;
  Commits c;
  check_on_commit(*reader, {}, opt, c);
  ImportSummary s;
  const auto objects = objects_with_bad(20, {});
  ASSERT_LT(objects[0].size(), 400u);
  ASSERT_GT(objects[0].size(), 256u);
  ASSERT_TRUE(h.import(bundle(objects), opt, s).ok());
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);
  EXPECT_EQ(s.new_objects, 20);
  ASSERT_GE(c.settled.size(), 5u) << "20 objects of ~300 bytes under a 1 KiB cap";
  int64_t previous = 0;
  for (int64_t settled : c.settled) {
    EXPECT_LE(settled - previous, 4) << "a batch held more than 1 KiB";
    previous = settled;
  }
}

TEST(ImporterBatches, AStoreFailureStopsTheImportAndKeepsAcknowledgedBatches) {
  auto mem = std::make_unique<store::MemoryStore>();
  auto reader = mem->another_handle();
  store::FaultInjectingStore st(std::move(mem));
  st.fail_put_call(3);
  Harness h(st);
  ImportOptions opt;
  opt.batch_size = 5;
  Commits c;
  check_on_commit(*reader, {}, opt, c);
  ImportSummary s;
  auto status = h.import(bundle(objects_with_bad(40, {})), opt, s);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::Code::kStore);
  EXPECT_NE(status.error().message.find("test.json"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("injected fault"), std::string::npos)
      << status.error().message;
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);
  EXPECT_EQ(c.settled, (std::vector<int64_t>{5, 10}));
  for (int i = 0; i < 40; ++i) EXPECT_EQ(stored(*reader, indicator_id(i)), i < 10) << i;
  EXPECT_EQ(s.new_objects, 10);
  EXPECT_EQ(st.put_calls(), 3) << "nothing is put after the failure";

  // The store is usable after the error: importing again completes the file.
  ImportSummary again;
  Commits c2;
  check_on_commit(*reader, {}, opt, c2);
  ASSERT_TRUE(h.import(bundle(objects_with_bad(40, {})), opt, again).ok());
  EXPECT_EQ(again.duplicates, 10);
  EXPECT_EQ(again.new_objects, 30);
  EXPECT_TRUE(c2.violations.empty()) << ::testing::PrintToString(c2.violations);
  EXPECT_EQ(c2.settled.back(), 40);
}

TEST(ImporterBatches, AFailureOfTheFirstBatchStoresNothingAndAcknowledgesNothing) {
  auto mem = std::make_unique<store::MemoryStore>();
  auto reader = mem->another_handle();
  store::FaultInjectingStore st(std::move(mem));
  st.set_fail_puts(true);
  Harness h(st);
  ImportOptions opt;
  opt.batch_size = 3;
  Commits c;
  check_on_commit(*reader, {}, opt, c);
  ImportSummary s;
  auto status = h.import(bundle(objects_with_bad(20, {})), opt, s);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::Code::kStore);
  EXPECT_TRUE(c.settled.empty());
  EXPECT_EQ(s.stored(), 0);
  auto stats = reader->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->by_type.empty());
}

TEST(ImporterBatches, RejectedObjectsBeforeAFailedBatchAreNotAcknowledgedPastIt) {
  // Objects 0-1 stored (batch 1), 2-3 rejected, 4-5 fail (batch 2): settled may reach 2, not 6.
  auto mem = std::make_unique<store::MemoryStore>();
  auto reader = mem->another_handle();
  store::FaultInjectingStore st(std::move(mem));
  st.fail_put_call(2);
  Harness h(st);
  ImportOptions opt;
  opt.batch_size = 2;
  const std::set<int> bad = {2, 3};
  Commits c;
  check_on_commit(*reader, bad, opt, c);
  ImportSummary s;
  ASSERT_FALSE(h.import(bundle(objects_with_bad(8, bad)), opt, s).ok());
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);
  ASSERT_FALSE(c.settled.empty());
  EXPECT_LE(c.settled.back(), 4);
  EXPECT_FALSE(stored(*reader, indicator_id(4)));
}

// ---------------------------------------------------------------------------------------------
// --strict: all or nothing per file.

TEST(ImporterStrict, OneBadObjectStoresNothingFromTheFile) {
  store::MemoryStore st;
  Harness h(st);
  ImportOptions opt;
  opt.strict = true;
  opt.batch_size = 2;
  Commits c;
  auto reader = st.another_handle();
  check_on_commit(*reader, {7}, opt, c);
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle(objects_with_bad(10, {7})), opt, s, "test.json").ok());
  EXPECT_EQ(s.failed_files, 1);
  ASSERT_EQ(s.file_errors.size(), 1u);
  EXPECT_NE(s.file_errors[0].find("--strict"), std::string::npos) << s.file_errors[0];
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.stored(), 0);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(stored(st, indicator_id(i))) << i;
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);

  // A good file in the same run (same importer, same summary) is stored whole.
  opt.on_commit = nullptr;
  ASSERT_TRUE(
      h.import(bundle({indicator(20), indicator(21), indicator(22)}), opt, s, "good.json").ok());
  EXPECT_EQ(s.stored(), 3);
  EXPECT_EQ(s.failed_files, 1);
  for (int i : {20, 21, 22}) EXPECT_TRUE(stored(st, indicator_id(i))) << i;
}

TEST(ImporterStrict, AnUnreadableFileStoresNothing) {
  store::MemoryStore st;
  Harness h(st);
  ImportOptions opt;
  opt.strict = true;
  opt.batch_size = 1;
  const std::string full = bundle(objects_with_bad(5, {}));
  ImportSummary s;
  ASSERT_TRUE(h.import(full.substr(0, full.size() - 20), opt, s).ok());
  EXPECT_EQ(s.failed_files, 1);
  EXPECT_EQ(s.stored(), 0);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(stored(st, indicator_id(i))) << i;
}

TEST(ImporterStrict, AGoodFileIsAcknowledgedInFull) {
  store::MemoryStore st;
  Harness h(st);
  ImportOptions opt;
  opt.strict = true;
  opt.batch_size = 2;
  Commits c;
  auto reader = st.another_handle();
  check_on_commit(*reader, {}, opt, c);
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle(objects_with_bad(9, {})), opt, s).ok());
  EXPECT_EQ(s.new_objects, 9);
  EXPECT_TRUE(c.violations.empty()) << ::testing::PrintToString(c.violations);
  ASSERT_FALSE(c.settled.empty());
  EXPECT_EQ(c.settled.back(), 9);
}

}  // namespace
}  // namespace sw::intel
