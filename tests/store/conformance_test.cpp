// The store contract (src/store/store.h), clause by clause, run against every backend. A backend
// joins by adding its two lines at the bottom (osquery's DatabasePluginTests pattern).
#include <algorithm>
#include <atomic>
#include <thread>

#include "store/memory/fault_injecting_store.h"
#include "store_test_util.h"

namespace sw::store {
namespace {

using testing::Backend;
using testing::new_id;
using testing::sco;
using testing::sdo;

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam().postgres) SW_REQUIRE_POSTGRES();
    db_ = GetParam().make();
    store_ = open();
    ASSERT_TRUE(store_);
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  StorePtr open() {
    auto s = db_->open();
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  PutResult put(Store& s, std::vector<stix::Object> batch, int64_t added_us = 1000) {
    auto r = s.put(batch, added_us);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    if (!r.ok()) return {};
    EXPECT_EQ(r->outcomes.size(), batch.size());
    EXPECT_EQ(r->seqs.size(), batch.size());
    return std::move(r).value();
  }
  PutResult put(std::vector<stix::Object> batch, int64_t added_us = 1000) {
    return put(*store_, std::move(batch), added_us);
  }

  std::vector<StoredObject> scan(Store& s, const Query& q) {
    std::vector<StoredObject> out;
    auto st = s.scan(q, [&](const StoredObject& o) {
      out.push_back(o);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return out;
  }
  std::vector<StoredObject> scan(const Query& q) { return scan(*store_, q); }
  static std::vector<int64_t> seqs_of(const std::vector<StoredObject>& v) {
    std::vector<int64_t> s;
    for (const auto& o : v) s.push_back(o.seq);
    return s;
  }

  std::optional<StoredObject> get(const std::string& id) {
    auto r = store_->get(id);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : std::nullopt;
  }
  int64_t max_seq(Store& s) {
    auto r = s.max_seq();
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : -1;
  }
  int64_t max_seq() { return max_seq(*store_); }
  std::vector<std::string> version_keys(const std::string& id) {
    auto r = store_->get_versions(id);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    std::vector<std::string> keys;
    if (r.ok()) {
      for (const auto& o : *r) keys.push_back(o.meta.version_key());
    }
    return keys;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  StorePtr store_;
};

using O = PutOutcome;
std::vector<O> outcomes(const PutResult& r) { return r.outcomes; }

// ---- clause 1: versions ------------------------------------------------------------------------

TEST_P(StoreConformance, EachOutcomeAgainstStoredVersions) {
  const std::string id = new_id();
  EXPECT_EQ(outcomes(put({sdo(id, 10)})), std::vector<O>{O::kNew});
  EXPECT_EQ(outcomes(put({sdo(id, 20)})), std::vector<O>{O::kNewVersion});
  EXPECT_EQ(outcomes(put({sdo(id, 5)})), std::vector<O>{O::kHistory});
  EXPECT_EQ(outcomes(put({sdo(id, 10)})), std::vector<O>{O::kDuplicate});  // history version
  EXPECT_EQ(outcomes(put({sdo(id, 20)})), std::vector<O>{O::kDuplicate});  // the latest
  EXPECT_EQ(outcomes(put({sdo(id, 30, /*revoked=*/true)})), std::vector<O>{O::kNewVersion});
  EXPECT_EQ(outcomes(put({sdo(id, 40)})), std::vector<O>{O::kRevoked});
  EXPECT_EQ(outcomes(put({sdo(id, 40, true)})), std::vector<O>{O::kRevoked});
  EXPECT_EQ(outcomes(put({sdo(id, 1)})), std::vector<O>{O::kHistory});  // older than revoked
  EXPECT_EQ(outcomes(put({sdo(id, 30, true)})), std::vector<O>{O::kDuplicate});

  auto latest = get(id);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->meta.modified, sdo(id, 30).meta.modified);
  EXPECT_TRUE(latest->meta.revoked);
  EXPECT_EQ(latest->seq, 4);
  std::vector<std::string> want;
  for (int v : {1, 5, 10, 20, 30}) want.push_back(sdo(id, v).meta.version_key());
  EXPECT_EQ(version_keys(id), want);
  EXPECT_EQ(max_seq(), 5);
}

TEST_P(StoreConformance, NothingWrittenForDuplicateOrRevokedGetsNoSequence) {
  const std::string id = new_id();
  auto r = put({sdo(id, 1, true), sdo(id, 1, true), sdo(id, 2), sdo(id, 0)});
  EXPECT_EQ(r.outcomes, (std::vector<O>{O::kNew, O::kDuplicate, O::kRevoked, O::kHistory}));
  EXPECT_EQ(r.seqs, (std::vector<int64_t>{1, 0, 0, 2}));
  EXPECT_EQ(max_seq(), 2);
  EXPECT_EQ(version_keys(id).size(), 2u);
}

TEST_P(StoreConformance, ClassifiesAgainstEarlierObjectsOfTheSameBatch) {
  struct Case {
    const char* name;
    std::vector<std::pair<int, bool>> stored;  // (version, revoked) put before
    std::vector<std::pair<int, bool>> batch;
    std::vector<O> want;
    int latest;  // expected latest version afterwards
  };
  const Case cases[] = {
      {"same id twice", {}, {{1, false}, {2, false}}, {O::kNew, O::kNewVersion}, 2},
      {"older after newer", {}, {{2, false}, {1, false}}, {O::kNew, O::kHistory}, 2},
      {"duplicate in batch", {}, {{1, false}, {1, false}}, {O::kNew, O::kDuplicate}, 1},
      {"revoked in batch blocks later",
       {},
       {{1, false}, {2, true}, {3, false}},
       {O::kNew, O::kNewVersion, O::kRevoked},
       2},
      {"revoked first, older still history",
       {},
       {{2, true}, {3, false}, {1, false}},
       {O::kNew, O::kRevoked, O::kHistory},
       2},
      {"blocked twice",
       {},
       {{1, true}, {2, false}, {2, false}},
       {O::kNew, O::kRevoked, O::kRevoked},
       1},
      {"history duplicated in batch",
       {{5, false}},
       {{3, false}, {3, false}},
       {O::kHistory, O::kDuplicate},
       5},
      {"against stored",
       {{1, false}},
       {{3, false}, {2, false}, {3, false}, {1, false}},
       {O::kNewVersion, O::kHistory, O::kDuplicate, O::kDuplicate},
       3},
      {"stored revoked latest",
       {{2, true}},
       {{4, false}, {1, false}, {2, true}},
       {O::kRevoked, O::kHistory, O::kDuplicate},
       2},
      {"new versions chain",
       {{1, false}},
       {{2, false}, {3, false}, {4, true}, {5, false}},
       {O::kNewVersion, O::kNewVersion, O::kNewVersion, O::kRevoked},
       4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string id = new_id();
    for (auto [v, rev] : c.stored) put({sdo(id, v, rev)});
    const int64_t before = max_seq();
    std::vector<stix::Object> batch;
    for (auto [v, rev] : c.batch) batch.push_back(sdo(id, v, rev));
    PutResult r = put(batch);
    EXPECT_EQ(r.outcomes, c.want);
    // Stored versions get consecutive numbers in batch order; the rest get 0.
    int64_t next = before + 1;
    for (size_t i = 0; i < r.seqs.size() && i < c.want.size(); ++i) {
      const bool written =
          c.want[i] == O::kNew || c.want[i] == O::kNewVersion || c.want[i] == O::kHistory;
      EXPECT_EQ(r.seqs[i], written ? next++ : 0) << "object " << i;
    }
    auto latest = get(id);
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->meta.version_key(), sdo(id, c.latest).meta.version_key());
    // Exactly one version of the id is visible to latest_only scans: the latest.
    int seen = 0;
    for (const auto& o : scan(Query{})) {
      if (o.meta.id == id) {
        ++seen;
        EXPECT_EQ(o.seq, latest->seq);
      }
    }
    EXPECT_EQ(seen, 1);
  }
}

TEST_P(StoreConformance, ObjectsWithoutVersionKeyHaveOneVersion) {
  auto a = sco("198.51.100.7");
  auto r = put({a, a});
  EXPECT_EQ(r.outcomes, (std::vector<O>{O::kNew, O::kDuplicate}));
  EXPECT_EQ(outcomes(put({a})), std::vector<O>{O::kDuplicate});
  auto got = store_->get_version(a.meta.id, "");
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  ASSERT_TRUE(*got);
  EXPECT_EQ((*got)->json, a.json);
}

TEST_P(StoreConformance, RejectsObjectsWithoutIdWritingNothing) {
  stix::Object bad = sdo(new_id(), 1);
  bad.meta.id.clear();
  auto r = store_->put(std::vector<stix::Object>{sdo(new_id(), 1), bad}, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(max_seq(), 0);
}

// ---- clause 2: sequence ------------------------------------------------------------------------

TEST_P(StoreConformance, SequenceStartsAtOneAndFollowsBatchOrder) {
  std::vector<stix::Object> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(sdo(new_id(), 1));
  auto r = put(batch);
  EXPECT_EQ(r.seqs, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  auto r2 = put({sdo(new_id(), 1), batch[0], sdo(new_id(), 1)});
  EXPECT_EQ(r2.seqs, (std::vector<int64_t>{6, 0, 7}));
  EXPECT_EQ(seqs_of(scan(Query{})), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(put({}).seqs.size(), 0u);
  EXPECT_EQ(max_seq(), 7);
}

TEST_P(StoreConformance, SequenceIsNeverReusedAcrossReopen) {
  put({sdo(new_id(), 1), sdo(new_id(), 1), sdo(new_id(), 1)});
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(max_seq(), 3);
  EXPECT_EQ(put({sdo(new_id(), 1), sdo(new_id(), 1)}).seqs, (std::vector<int64_t>{4, 5}));
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(put({sdo(new_id(), 1)}).seqs, (std::vector<int64_t>{6}));
}

TEST_P(StoreConformance, TwoStoreObjectsWritingAlternatelyShareOneSequence) {
  StorePtr other = open();
  ASSERT_TRUE(other);
  int64_t cursor = 0;
  for (int k = 0; k < 10; ++k) {
    Store& writer = k % 2 ? *other : *store_;
    Store& reader = k % 2 ? *store_ : *other;
    const std::string id = new_id();
    auto r = put(writer, {sdo(id, 1)});
    ASSERT_EQ(r.seqs.size(), 1u);
    EXPECT_EQ(r.seqs[0], k + 1);
    Query q;
    q.after_seq = cursor;
    q.latest_only = false;
    auto seen = scan(reader, q);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].meta.id, id);
    cursor = seen[0].seq;
    // The other handle classifies against what this one wrote.
    EXPECT_EQ(put(reader, {sdo(id, 1)}).outcomes, std::vector<O>{O::kDuplicate});
  }
}

// Two writers, each with its own Store object, and a reader paging by after_seq: the reader sees
// every version exactly once, in increasing order, although writers commit concurrently.
TEST_P(StoreConformance, ConcurrentWritersReaderPagingNeverMissesAVersion) {
  constexpr int kWriters = 2, kBatches = 25, kBatchSize = 20;
  std::vector<StorePtr> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(open());
    ASSERT_TRUE(writers.back());
  }
  StorePtr reader = open();
  ASSERT_TRUE(reader);
  std::atomic<int> running{kWriters};
  std::atomic<int64_t> written{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::vector<std::string> ids;
      for (int b = 0; b < kBatches; ++b) {
        std::vector<stix::Object> batch;
        for (int i = 0; i < kBatchSize; ++i) {
          // Half new objects, half new versions of this writer's earlier ones.
          if (i % 2 == 0 || ids.empty()) {
            ids.push_back(new_id());
            batch.push_back(sdo(ids.back(), b));
          } else {
            batch.push_back(sdo(ids[static_cast<size_t>(i) % ids.size()], 1000 + b));
          }
        }
        auto r = writers[static_cast<size_t>(w)]->put(batch, 1);
        EXPECT_TRUE(r.ok()) << r.error().to_string();
        if (r.ok()) {
          for (int64_t s : r->seqs) written += s ? 1 : 0;
        }
      }
      --running;
    });
  }
  std::vector<int64_t> seen;
  int64_t cursor = 0;
  for (bool last = false; !last;) {
    last = running == 0;  // one more full pass after the writers finished
    Query q;
    q.after_seq = cursor;
    q.latest_only = false;
    q.limit = 37;
    for (;;) {
      q.after_seq = cursor;
      size_t got = 0;
      auto st = reader->scan(q, [&](const StoredObject& o) {
        EXPECT_GT(o.seq, cursor);
        cursor = o.seq;
        seen.push_back(o.seq);
        ++got;
        return true;
      });
      ASSERT_TRUE(st.ok()) << st.error().to_string();
      if (got < static_cast<size_t>(q.limit)) break;
    }
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(static_cast<int64_t>(seen.size()), written.load());
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], static_cast<int64_t>(i) + 1);
}

// ---- clause 3: atomicity -----------------------------------------------------------------------

TEST_P(StoreConformance, FailedPutFromWrapperWritesNothingAndStoreStaysUsable) {
  auto inner = open();
  ASSERT_TRUE(inner);
  FaultInjectingStore faulty(std::move(inner));
  faulty.fail_put_call(2);
  const std::string a = new_id(), b = new_id();
  ASSERT_TRUE(faulty.put(std::vector<stix::Object>{sdo(a, 1)}, 1).ok());
  auto r = faulty.put(std::vector<stix::Object>{sdo(b, 1), sdo(a, 2)}, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kStore);
  EXPECT_FALSE(get(b));
  EXPECT_EQ(get(a)->meta.version_key(), sdo(a, 1).meta.version_key());
  EXPECT_EQ(max_seq(), 1);
  auto again = faulty.put(std::vector<stix::Object>{sdo(b, 1), sdo(a, 2)}, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcomes, (std::vector<O>{O::kNew, O::kNewVersion}));
  EXPECT_EQ(again->seqs, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(faulty.put_calls(), 3);
  EXPECT_EQ(faulty.injected_failures(), 1);
}

// The database itself refuses the third object of a batch, after the first two (one of which
// supersedes a stored latest) were written inside the transaction.
TEST_P(StoreConformance, BackendErrorMidBatchLeavesNothingVisible) {
  const std::string old_id = new_id(), a = new_id(), bad = new_id(), d = new_id();
  put({sdo(old_id, 1)});
  auto before = store_->stats();
  ASSERT_TRUE(before.ok());
  if (!db_->fail_writes_of(bad)) {
    GTEST_SKIP() << GetParam().name
                 << " has no failure path of its own; the fault-injecting wrapper test covers it";
  }
  const std::vector<stix::Object> batch = {sdo(a, 1), sdo(old_id, 2), sdo(bad, 1), sdo(d, 1)};
  auto r = store_->put(batch, 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kStore);
  EXPECT_NE(r.error().message.find("injected-by-test"), std::string::npos) << r.error().message;

  // Nothing of the batch, through this handle or another.
  StorePtr other = open();
  ASSERT_TRUE(other);
  for (Store* s : {store_.get(), other.get()}) {
    EXPECT_EQ(max_seq(*s), 1);
    auto got = s->get(a);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_FALSE(*got);
    auto latest = s->get(old_id);
    ASSERT_TRUE(latest.ok() && *latest);
    EXPECT_EQ((*latest)->seq, 1);
    auto all = scan(*s, Query{});
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].meta.id, old_id);
    auto after = s->stats();
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->by_type.at("indicator").versions, before->by_type.at("indicator").versions);
    EXPECT_EQ(after->by_type.at("indicator").objects, before->by_type.at("indicator").objects);
  }

  // Clause 5: the same Store object works once the cause is gone.
  db_->stop_failing();
  auto ok = store_->put(batch, 7);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->outcomes, (std::vector<O>{O::kNew, O::kNewVersion, O::kNew, O::kNew}));
  EXPECT_EQ(ok->seqs, (std::vector<int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(get(old_id)->seq, 3);
}

// ---- reads -------------------------------------------------------------------------------------

TEST_P(StoreConformance, GetVersionsAndGetVersion) {
  const std::string id = new_id();
  EXPECT_FALSE(get(id));
  auto none = store_->get_versions(id);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto nov = store_->get_version(id, sdo(id, 1).meta.version_key());
  ASSERT_TRUE(nov.ok());
  EXPECT_FALSE(*nov);

  put({sdo(id, 2), sdo(id, 3), sdo(id, 1)}, 42);
  auto versions = store_->get_versions(id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  for (int v = 1; v <= 3; ++v) {
    const stix::Object want = sdo(id, v);
    const StoredObject& got = (*versions)[static_cast<size_t>(v - 1)];  // oldest first
    EXPECT_EQ(got.json, want.json);
    testing::expect_same_meta(got.meta, want.meta);
    EXPECT_EQ(got.added_us, 42);
    auto one = store_->get_version(id, want.meta.version_key());
    ASSERT_TRUE(one.ok() && *one);
    EXPECT_EQ((*one)->seq, got.seq);
    EXPECT_EQ((*one)->json, want.json);
  }
  EXPECT_EQ((*versions)[0].seq, 3);
  EXPECT_EQ(get(id)->seq, 2);
  auto missing = store_->get_version(id, sdo(id, 9).meta.version_key());
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

TEST_P(StoreConformance, EveryMetadataFieldRoundTrips) {
  std::vector<stix::Object> objs;
  {
    stix::Object o = sdo(new_id("threat-actor"), 0);
    o.meta.created = core::Timestamp{1'456'000'000, 123'456'000, 6};
    o.meta.modified = core::Timestamp{1'756'000'000, 987'654'321, 9};
    o.meta.created_by_ref = "identity--00000000-0000-4000-8000-000000000000";
    o.meta.marking_refs = {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                           "marking-definition--\"quoted\\ and ünïcode 🛡\"", ""};
    o.meta.tlp = stix::Tlp::kAmberStrict;
    o.meta.pap = stix::Pap::kRed;
    objs.push_back(o);
  }
  {
    stix::Object o = sco("203.0.113.9");  // no created, no modified, no markings
    objs.push_back(o);
  }
  {
    stix::Object o;  // a marking definition: created but no modified (modified equals created)
    o.meta.id = new_id("marking-definition");
    o.meta.type = "marking-definition";
    o.meta.spec_version = "2.1";
    o.meta.created = core::Timestamp{0, 0, 0};
    o.meta.modified = o.meta.created;
    o.meta.has_created = true;
    o.meta.kind = stix::ObjectKind::kMeta;
    o.meta.tlp = stix::Tlp::kClear;
    o.meta.pap = stix::Pap::kGreen;
    o.json = R"({"type":"marking-definition","id":")" + o.meta.id + R"("})";
    objs.push_back(o);
  }
  {
    stix::Object o = sdo(new_id("x-shieldwall-task"), 0, true);
    o.meta.spec_version = "2.1";
    o.meta.created = core::Timestamp{253'402'300'799, 999'999'999, 9};  // 9999-12-31T23:59:59
    o.meta.modified = o.meta.created;
    o.meta.kind = stix::ObjectKind::kCustom;
    o.meta.tlp = stix::Tlp::kRed;
    o.meta.pap = stix::Pap::kNone;
    o.meta.created_by_ref.clear();
    objs.push_back(o);
  }
  {
    stix::Object o = sdo(new_id("relationship"), 0);
    o.meta.kind = stix::ObjectKind::kSro;
    o.meta.spec_version = "2.0";
    o.meta.created = core::Timestamp{-62'135'596'800, 0, 1};  // 0001-01-01T00:00:00.0Z
    o.meta.modified = core::Timestamp{1, 1, 9};
    o.meta.tlp = stix::Tlp::kNone;
    o.meta.pap = stix::Pap::kClear;
    objs.push_back(o);
  }
  auto r = put(objs, -5);
  for (O o : r.outcomes) EXPECT_EQ(o, O::kNew);

  auto check_all = [&](Store& s) {
    for (const stix::Object& want : objs) {
      SCOPED_TRACE(want.meta.id);
      auto got = s.get(want.meta.id);
      ASSERT_TRUE(got.ok() && *got);
      testing::expect_same_meta((*got)->meta, want.meta);
      EXPECT_EQ((*got)->json, want.json);
      EXPECT_EQ((*got)->added_us, -5);
      auto v = s.get_version(want.meta.id, want.meta.version_key());
      ASSERT_TRUE(v.ok() && *v);
      testing::expect_same_meta((*v)->meta, want.meta);
    }
    auto all = scan(s, Query{});
    ASSERT_EQ(all.size(), objs.size());
    for (size_t i = 0; i < objs.size(); ++i) {
      testing::expect_same_meta(all[i].meta, objs[i].meta);
      EXPECT_EQ(all[i].json, objs[i].json);
    }
  };
  check_all(*store_);
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  check_all(*store_);
}

// ---- clause 4: content -------------------------------------------------------------------------

TEST_P(StoreConformance, JsonComesBackByteIdentical) {
  std::vector<stix::Object> objs;
  auto with_json = [&](std::string json) {
    stix::Object o = sdo(new_id(), 1);
    o.json = std::move(json);
    objs.push_back(std::move(o));
  };
  with_json(
      R"({"name":"Ünïcödé – 日本語 – Ελληνικά – 🛡️⚔️","description":"\u00e9\u0000\"\\\/"})");
  with_json("{\n\t\"type\" : \"indicator\" ,\r\n  \"name\":\"spaces  kept\"  }  ");
  with_json(R"({"pattern":"[file:name = 'C:\\\\Windows\\\\x.exe' AND file:size > 0]"})");
  with_json(R"({"a":"\ud83d\udee1","b":1.0e+10,"c":-0,"d":[],"e":{}})");
  with_json(R"({"z":1,"a":2,"z":3})");  // duplicate keys, unsorted: a JSONB column would lose this
  {
    std::string big = R"({"type":"indicator","description":")";
    const std::string chunk = "abcdefghij\\\"klmnopqrstuvwxyz0123456789 ÄÖÜ €𝄞 \\u0001\\n";
    while (big.size() < (1u << 20)) big += chunk;
    big += "\"}";
    with_json(big);  // > 1 MB
  }
  put(objs);
  for (const auto& o : objs) {
    auto got = get(o.meta.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->json.size(), o.json.size());
    EXPECT_TRUE(got->json == o.json) << "JSON of " << o.meta.id << " changed";
  }
  auto all = scan(Query{});
  ASSERT_EQ(all.size(), objs.size());
  for (size_t i = 0; i < objs.size(); ++i) EXPECT_TRUE(all[i].json == objs[i].json) << i;
}

// ---- scan --------------------------------------------------------------------------------------

TEST_P(StoreConformance, ScanFiltersLikeTheModel) {
  // The model: every stored version with what the store should know about it.
  struct Row {
    int64_t seq;
    std::string id, type;
    int64_t added;
    bool latest;
  };
  std::vector<Row> model;
  auto put_tracked = [&](std::vector<stix::Object> batch, int64_t added) {
    PutResult r = put(batch, added);
    for (size_t i = 0; i < batch.size() && i < r.seqs.size(); ++i) {
      if (!r.seqs[i]) continue;
      if (r.outcomes[i] != O::kHistory) {
        for (Row& m : model) {
          if (m.id == batch[i].meta.id) m.latest = false;
        }
      }
      model.push_back(
          {r.seqs[i], batch[i].meta.id, batch[i].meta.type, added, r.outcomes[i] != O::kHistory});
    }
  };
  const std::string i1 = new_id("indicator"), i2 = new_id("indicator"), i3 = new_id("indicator");
  const std::string m1 = new_id("malware"), m2 = new_id("malware"), t1 = new_id("tool");
  // Many objects of one type, so that queries for the others select a small part of the store
  // and queries for it a large part (backends may take different paths for the two).
  std::vector<stix::Object> filler;
  for (int i = 0; i < 60; ++i) filler.push_back(sdo(new_id("x-filler"), i % 7));
  put_tracked(filler, 500);
  put_tracked({sdo(i1, 1), sdo(m1, 1), sdo(i2, 1)}, 1000);
  put_tracked({sdo(t1, 1), sdo(i1, 2), sdo(m2, 1)}, 2000);
  put_tracked({sdo(i3, 1), sdo(m1, 2), sdo(i2, 0), sdo(i1, 3)}, 3000);
  put_tracked({sdo(m2, 5), sdo(t1, 0)}, 3000);

  std::vector<Query> queries;
  const std::vector<std::vector<std::string>> type_sets = {
      {},       {"indicator"},       {"malware", "tool"}, {"tool", "indicator", "tool"},
      {"nope"}, {"malware", "nope"}, {"x-filler"},        {"x-filler", "tool"}};
  for (const auto& types : type_sets) {
    for (bool latest : {true, false}) {
      for (int64_t after : {0, 3, 63, 67, 100}) {
        for (int64_t added : {0, 500, 1000, 2999}) {
          for (int64_t limit : {0, 1, 2, 50}) {
            Query q;
            q.types = types;
            q.latest_only = latest;
            q.after_seq = after;
            q.added_after_us = added;
            q.limit = limit;
            queries.push_back(q);
          }
        }
      }
    }
  }
  for (const Query& q : queries) {
    std::vector<int64_t> want;
    for (const Row& m : model) {
      if (q.latest_only && !m.latest) continue;
      if (m.seq <= q.after_seq) continue;
      if (q.added_after_us != 0 && m.added <= q.added_after_us) continue;
      if (!q.types.empty() && std::find(q.types.begin(), q.types.end(), m.type) == q.types.end()) {
        continue;
      }
      if (q.limit > 0 && static_cast<int64_t>(want.size()) >= q.limit) break;
      want.push_back(m.seq);
    }
    std::string types;
    for (const auto& t : q.types) types += t + ",";
    EXPECT_EQ(seqs_of(scan(q)), want)
        << "types=" << types << " latest=" << q.latest_only << " after=" << q.after_seq << " added>"
        << q.added_after_us << " limit=" << q.limit;
  }
}

TEST_P(StoreConformance, ScanStopsWhenTheVisitorSaysSo) {
  std::vector<stix::Object> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(sdo(new_id(), 1));
  put(batch);
  for (int stop_after : {1, 7, 50}) {
    int visits = 0;
    auto st = store_->scan(Query{}, [&](const StoredObject&) { return ++visits < stop_after; });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    EXPECT_EQ(visits, stop_after);
  }
  // The store is usable right after an early stop.
  EXPECT_EQ(put({sdo(new_id(), 1)}).seqs, std::vector<int64_t>{51});
}

TEST_P(StoreConformance, ScanStreamsManyVersionsInOrder) {
  constexpr int kN = 25'000;  // more than one fetch of the PostgreSQL cursor
  std::vector<stix::Object> batch;
  for (int i = 0; i < kN; ++i) batch.push_back(sdo(new_id(i % 3 ? "indicator" : "malware"), 1));
  put(batch);
  int64_t last = 0, n = 0;
  auto st = store_->scan(Query{}, [&](const StoredObject& o) {
    EXPECT_EQ(o.seq, last + 1);
    last = o.seq;
    ++n;
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(n, kN);
  Query q;
  q.types = {"malware"};
  q.after_seq = 20'000;
  EXPECT_EQ(static_cast<int64_t>(scan(q).size()), (kN - 20'000 + 2) / 3);
}

TEST_P(StoreConformance, VisitorCallingBackIntoTheSameStoreIsRefused) {
  put({sdo(new_id(), 1), sdo(new_id(), 1)});
  StorePtr other = open();
  ASSERT_TRUE(other);
  int visits = 0;
  auto st = store_->scan(Query{}, [&](const StoredObject& o) {
    ++visits;
    auto same = store_->get(o.meta.id);
    EXPECT_FALSE(same.ok());
    if (!same.ok()) {
      EXPECT_EQ(same.error().code, core::Code::kFailedPrecondition);
    }
    auto via_other = other->get(o.meta.id);  // another Store object is fine
    EXPECT_TRUE(via_other.ok() && *via_other);
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(visits, 2);
  EXPECT_TRUE(get(scan(Query{})[0].meta.id));
}

// ---- stats and persistence ---------------------------------------------------------------------

TEST_P(StoreConformance, StatsCountIdsVersionsAndSize) {
  auto empty = store_->stats();
  ASSERT_TRUE(empty.ok()) << empty.error().to_string();
  EXPECT_TRUE(empty->by_type.empty());
  EXPECT_EQ(empty->max_seq, 0);

  const std::string i1 = new_id(), i2 = new_id(), m1 = new_id("malware");
  auto batch = std::vector<stix::Object>{sdo(i1, 1), sdo(i1, 2), sdo(i2, 1), sdo(m1, 1)};
  put(batch);
  put({sdo(i1, 0), sdo(i1, 2), sdo(m1, 3, true), sdo(m1, 4)});  // history, dup, new, revoked
  auto s = store_->stats();
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  ASSERT_EQ(s->by_type.size(), 2u);
  EXPECT_EQ(s->by_type.at("indicator").objects, 2);
  EXPECT_EQ(s->by_type.at("indicator").versions, 4);
  EXPECT_EQ(s->by_type.at("malware").objects, 1);
  EXPECT_EQ(s->by_type.at("malware").versions, 2);
  EXPECT_EQ(s->max_seq, 6);
  EXPECT_GT(s->bytes, 0);
  if (std::string(store_->backend()) == "memory") {
    int64_t json = 0;
    for (const auto& o : scan(Query{.latest_only = false}))
      json += static_cast<int64_t>(o.json.size());
    EXPECT_EQ(s->bytes, json);
  }
}

TEST_P(StoreConformance, EverythingSurvivesReopen) {
  const std::string a = new_id(), b = new_id("malware");
  put({sdo(a, 1), sdo(b, 1)}, 10);
  put({sdo(a, 2, true), sdo(b, 0)}, 20);
  auto before_stats = store_->stats();
  ASSERT_TRUE(before_stats.ok());
  auto before = scan(Query{.latest_only = false});
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  auto after = scan(Query{.latest_only = false});
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].seq, before[i].seq);
    EXPECT_EQ(after[i].added_us, before[i].added_us);
    EXPECT_EQ(after[i].json, before[i].json);
    testing::expect_same_meta(after[i].meta, before[i].meta);
  }
  EXPECT_EQ(seqs_of(scan(Query{})), (std::vector<int64_t>{2, 3}));
  auto after_stats = store_->stats();
  ASSERT_TRUE(after_stats.ok());
  EXPECT_EQ(after_stats->max_seq, before_stats->max_seq);
  EXPECT_EQ(after_stats->by_type.at("indicator").versions, 2);
  // Classification after reopen sees the revoked latest.
  EXPECT_EQ(outcomes(put({sdo(a, 3), sdo(b, 1)})), (std::vector<O>{O::kRevoked, O::kDuplicate}));
}

// ---- clause 6: audit rows ----------------------------------------------------------------------

AuditRow audit_row(const std::string& action, const std::string& actor = "alice",
                   int64_t time_us = 1000) {
  AuditRow r;
  r.time_us = time_us;
  r.actor = actor;
  r.org = "identity--b4c5b44d-6f3f-4b1f-9f6e-8c0c7b0d1a11";
  r.action = action;
  r.target = "indicator--00000000-0000-4000-8000-000000000000";
  r.outcome = "ok";
  r.details_json = "{}";
  return r;
}

// A seal numbering rows after the last one and recording what it was shown.
struct NumberingSeal {
  std::vector<int64_t> last_seen;  // the `last` seq each call saw (0: none)
  AuditSeal fn() {
    return [this](const AuditRow* last, std::span<AuditRow> rows) -> core::Status {
      last_seen.push_back(last ? last->seq : 0);
      int64_t seq = last ? last->seq : 0;
      std::string prev = last ? last->hash : "start";
      for (AuditRow& r : rows) {
        r.seq = ++seq;
        r.prev_hash = prev;
        r.hash = "h" + std::to_string(r.seq);
        prev = r.hash;
      }
      return core::ok_status();
    };
  }
};

std::vector<AuditRow> scan_audit(Store& s, const AuditQuery& q = {}) {
  std::vector<AuditRow> out;
  auto st = s.scan_audit(q, [&](const AuditRow& r) {
    out.push_back(r);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  return out;
}

std::vector<int64_t> audit_seqs(const std::vector<AuditRow>& rows) {
  std::vector<int64_t> s;
  for (const auto& r : rows) s.push_back(r.seq);
  return s;
}

// ---- clause 7: local records --------------------------------------------------------------------

TEST_P(StoreConformance, LocalRecordsCompareAndSet) {
  auto none = store_->get_local("user", "ana");
  ASSERT_TRUE(none.ok()) << none.error().to_string();
  EXPECT_FALSE(*none);
  auto v1 = store_->put_local("user", "ana", R"({"roles":"analyst"})", 0);
  ASSERT_TRUE(v1.ok()) << v1.error().to_string();
  EXPECT_EQ(*v1, 1);
  auto again = store_->put_local("user", "ana", "{}", 0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Code::kAlreadyExists);
  auto stale = store_->put_local("user", "ana", "{}", 7);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, core::Code::kFailedPrecondition);
  auto v2 = store_->put_local("user", "ana", R"({"roles":"admin"})", 1);
  ASSERT_TRUE(v2.ok()) << v2.error().to_string();
  EXPECT_EQ(*v2, 2);
  auto got = store_->get_local("user", "ana");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->json, R"({"roles":"admin"})");
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->kind, "user");
  EXPECT_EQ((*got)->key, "ana");
  ASSERT_TRUE(store_->delete_local("user", "ana").ok());
  ASSERT_TRUE(store_->delete_local("user", "ana").ok());  // absent: fine
  EXPECT_FALSE(*store_->get_local("user", "ana"));
  auto gone = store_->put_local("user", "ana", "{}", 2);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, core::Code::kFailedPrecondition);
  EXPECT_EQ(store_->put_local("", "x", "{}", 0).error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(store_->put_local("k", std::string(300, 'x'), "{}", 0).error().code,
            core::Code::kInvalidArgument);
}

TEST_P(StoreConformance, LocalRecordsScanOneKindByKeyAndSurviveReopen) {
  for (const char* k : {"b", "a", "c"}) ASSERT_TRUE(store_->put_local("key", k, k, 0).ok());
  ASSERT_TRUE(store_->put_local("user", "a", "u", 0).ok());
  ASSERT_TRUE(store_->put_local("keys", "z", "z", 0).ok());  // a kind that only shares a prefix
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  std::vector<std::string> seen;
  auto st = store_->scan_local("key", [&](const LocalRecord& r) {
    seen.push_back(r.key + "=" + r.json + "@" + std::to_string(r.version));
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(seen, (std::vector<std::string>{"a=a@1", "b=b@1", "c=c@1"}));
  seen.clear();
  ASSERT_TRUE(store_->scan_local("key", [&](const LocalRecord& r) {
                      seen.push_back(r.key);
                      return false;
                    })
                  .ok());
  EXPECT_EQ(seen.size(), 1u);
  // Local records are not objects: no sequence number, nothing in scans or stats.
  EXPECT_EQ(max_seq(), 0);
  EXPECT_TRUE(scan(Query{.latest_only = false}).empty());
}

TEST_P(StoreConformance, LocalRecordCountersLoseNoUpdateAcrossStoreObjects) {
  ASSERT_TRUE(store_->put_local("counter", "c", "0", 0).ok());
  constexpr int kEach = 25;
  auto bump = [&](Store& s) {
    for (int i = 0; i < kEach; ++i) {
      for (;;) {
        auto cur = s.get_local("counter", "c");
        ASSERT_TRUE(cur.ok() && *cur) << (cur.ok() ? "gone" : cur.error().to_string());
        const int n = std::stoi((*cur)->json) + 1;
        auto w = s.put_local("counter", "c", std::to_string(n), (*cur)->version);
        if (w.ok()) break;
        ASSERT_EQ(w.error().code, core::Code::kFailedPrecondition) << w.error().to_string();
      }
    }
  };
  StorePtr other = open();
  ASSERT_TRUE(other);
  std::thread t([&] { bump(*other); });
  bump(*store_);
  t.join();
  auto end = store_->get_local("counter", "c");
  ASSERT_TRUE(end.ok() && *end);
  EXPECT_EQ((*end)->json, std::to_string(2 * kEach));
  EXPECT_EQ((*end)->version, 2 * kEach + 1);
}

TEST_P(StoreConformance, AuditAppendShowsTheSealTheLastRowAndStoresWhatItFilledIn) {
  NumberingSeal seal;
  std::vector<AuditRow> first{audit_row("auth.login"), audit_row("key.create")};
  ASSERT_TRUE(store_->append_audit(first, seal.fn()).ok());
  std::vector<AuditRow> second{audit_row("export")};
  ASSERT_TRUE(store_->append_audit(second, seal.fn()).ok());
  EXPECT_EQ(seal.last_seen, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(second[0].seq, 3);  // the caller's rows hold what was stored
  EXPECT_EQ(second[0].prev_hash, "h2");

  auto rows = scan_audit(*store_);
  ASSERT_EQ(audit_seqs(rows), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(rows[0].prev_hash, "start");
  EXPECT_EQ(rows[1].action, "key.create");
  EXPECT_EQ(rows[2].prev_hash, "h2");
  EXPECT_EQ(rows[2].hash, "h3");
  // An empty append writes nothing and does not call the seal.
  std::vector<AuditRow> none;
  ASSERT_TRUE(store_->append_audit(none, seal.fn()).ok());
  EXPECT_EQ(seal.last_seen.size(), 2u);
  // Audit rows are not objects: the object sequence is untouched.
  EXPECT_EQ(max_seq(), 0);
  EXPECT_EQ(put({sdo(new_id(), 1)}).seqs, std::vector<int64_t>{1});
}

TEST_P(StoreConformance, AuditRowsRoundTripEveryFieldByteForByte) {
  AuditRow r = audit_row("policy.deny", "Zoë \"quoted\" \\ back\tslash", -5);
  r.org = "Ørganisation — 組織";
  r.target = "";
  r.outcome = "denied";
  r.reason = "TLP:RED object outside its sharing group\nsecond line";
  r.details_json = R"({"b":[1,2.5,"x"],"a":{"nested":true},"emoji":"😀"})";
  r.details_json += std::string(100'000, ' ') + "";
  std::vector<AuditRow> rows{r};
  ASSERT_TRUE(store_
                  ->append_audit(rows,
                                 [](const AuditRow*, std::span<AuditRow> fresh) -> core::Status {
                                   fresh[0].seq = 7;  // any increasing seq is the store's to keep
                                   fresh[0].prev_hash = std::string(64, '0');
                                   fresh[0].hash = std::string(64, 'f');
                                   return core::ok_status();
                                 })
                  .ok());
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto got = scan_audit(*store_);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].seq, 7);
    EXPECT_EQ(got[0].time_us, -5);
    EXPECT_EQ(got[0].actor, r.actor);
    EXPECT_EQ(got[0].org, r.org);
    EXPECT_EQ(got[0].action, r.action);
    EXPECT_EQ(got[0].target, r.target);
    EXPECT_EQ(got[0].outcome, r.outcome);
    EXPECT_EQ(got[0].reason, r.reason);
    EXPECT_EQ(got[0].details_json, r.details_json);
    EXPECT_EQ(got[0].prev_hash, std::string(64, '0'));
    EXPECT_EQ(got[0].hash, std::string(64, 'f'));
    store_.reset();
    store_ = open();
    ASSERT_TRUE(store_);
  }
}

TEST_P(StoreConformance, AuditAppendWritesNothingWhenTheSealFailsOrNumbersBadly) {
  NumberingSeal seal;
  std::vector<AuditRow> one{audit_row("auth.login")};
  ASSERT_TRUE(store_->append_audit(one, seal.fn()).ok());

  std::vector<AuditRow> two{audit_row("a"), audit_row("b")};
  auto failing = [](const AuditRow*, std::span<AuditRow>) -> core::Status {
    return core::Error::invalid("refused by the seal");
  };
  auto st = store_->append_audit(two, failing);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "refused by the seal");

  // Seqs not after the last row, or not increasing: refused, nothing written.
  for (std::vector<int64_t> seqs : {std::vector<int64_t>{1, 2}, std::vector<int64_t>{3, 3},
                                    std::vector<int64_t>{4, 2}, std::vector<int64_t>{0, 5}}) {
    auto bad = [&](const AuditRow*, std::span<AuditRow> rows) -> core::Status {
      rows[0].seq = seqs[0];
      rows[1].seq = seqs[1];
      return core::ok_status();
    };
    auto r = store_->append_audit(two, bad);
    ASSERT_FALSE(r.ok()) << seqs[0] << "," << seqs[1];
    EXPECT_EQ(r.error().code, core::Code::kInvalidArgument);
  }
  EXPECT_EQ(audit_seqs(scan_audit(*store_)), std::vector<int64_t>{1});
  // Still usable.
  std::vector<AuditRow> more{audit_row("export")};
  ASSERT_TRUE(store_->append_audit(more, seal.fn()).ok());
  EXPECT_EQ(audit_seqs(scan_audit(*store_)), (std::vector<int64_t>{1, 2}));
}

TEST_P(StoreConformance, AuditAppendIsAtomicWhenTheDatabaseFailsHalfWay) {
  NumberingSeal seal;
  std::vector<AuditRow> one{audit_row("auth.login")};
  ASSERT_TRUE(store_->append_audit(one, seal.fn()).ok());
  // The database refuses the second row of the batch (a trigger), after the first was inserted.
  std::vector<AuditRow> two{audit_row("a"), audit_row("b")};
  auto numbered = [](const AuditRow* last, std::span<AuditRow> rows) -> core::Status {
    rows[0].seq = last->seq + 1;
    rows[1].seq = last->seq + 2;
    return core::ok_status();
  };
  if (std::string(GetParam().name) != "memory") {
    // SQL backends: make the second insert fail inside the database.
    const bool pg = GetParam().postgres;
    ASSERT_TRUE(db_->exec_sql(
        pg ? "CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "RAISE EXCEPTION 'injected-by-test'; END $$; CREATE TRIGGER test_fail_audit BEFORE "
             "INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'b') EXECUTE FUNCTION "
             "test_fail_audit()"
           : "CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'b' "
             "BEGIN SELECT RAISE(ABORT, 'injected-by-test'); END"));
    auto st = store_->append_audit(two, numbered);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, core::Code::kStore);
    EXPECT_NE(st.error().message.find("injected-by-test"), std::string::npos)
        << st.error().message;
    EXPECT_EQ(audit_seqs(scan_audit(*store_)), std::vector<int64_t>{1});
  }
  std::vector<AuditRow> more{audit_row("export")};
  ASSERT_TRUE(store_->append_audit(more, seal.fn()).ok());
  EXPECT_EQ(audit_seqs(scan_audit(*store_)), (std::vector<int64_t>{1, 2}));
}

TEST_P(StoreConformance, ScanAuditFiltersPagesAndStops) {
  struct Spec {
    const char* action;
    const char* actor;
    const char* org;
    const char* outcome;
    int64_t time;
  };
  const Spec specs[] = {
      {"auth.login", "alice", "o1", "ok", 100},       {"auth.login_failed", "bob", "o1", "failed", 200},
      {"authz.check", "alice", "o2", "ok", 300},      {"auth", "carol", "o2", "denied", 400},
      {"key.create", "alice", "o1", "ok", 500},       {"auth.login", "bob", "o2", "ok", 600},
      {"export", "carol", "o1", "ok", 700},           {"auth.login.mfa", "alice", "o1", "ok", 800},
      {"policy.deny", "bob", "o1", "denied", 900},    {"au", "alice", "o1", "ok", 1000},
  };
  std::vector<AuditRow> rows;
  for (const Spec& sp : specs) {
    AuditRow r = audit_row(sp.action, sp.actor, sp.time);
    r.org = sp.org;
    r.outcome = sp.outcome;
    rows.push_back(r);
  }
  NumberingSeal seal;
  ASSERT_TRUE(store_->append_audit(rows, seal.fn()).ok());

  std::vector<AuditQuery> queries;
  for (std::string action : {"", "auth", "auth.login", "au", "export", "nothing"}) {
    for (std::string actor : {"", "alice"}) {
      for (std::string outcome : {"", "ok", "denied"}) {
        for (auto [since, until] : {std::pair<int64_t, int64_t>{0, 0}, {300, 0}, {0, 800},
                                    {200, 700}}) {
          for (int64_t after : {0, 4}) {
            for (int64_t limit : {0, 1, 3}) {
              AuditQuery q;
              q.action = action;
              q.actor = actor;
              q.outcome = outcome;
              q.since_us = since;
              q.until_us = until;
              q.after_seq = after;
              q.limit = limit;
              queries.push_back(q);
            }
          }
        }
      }
    }
  }
  AuditQuery by_org;
  by_org.org = "o2";
  queries.push_back(by_org);
  for (const AuditQuery& q : queries) {
    std::vector<int64_t> want;
    for (size_t i = 0; i < std::size(specs); ++i) {
      const Spec& sp = specs[i];
      const int64_t seq = static_cast<int64_t>(i) + 1;
      if (seq <= q.after_seq || !audit_action_matches(sp.action, q.action)) continue;
      if (!q.actor.empty() && q.actor != sp.actor) continue;
      if (!q.org.empty() && q.org != sp.org) continue;
      if (!q.outcome.empty() && q.outcome != sp.outcome) continue;
      if (q.since_us && sp.time < q.since_us) continue;
      if (q.until_us && sp.time >= q.until_us) continue;
      if (q.limit > 0 && static_cast<int64_t>(want.size()) >= q.limit) break;
      want.push_back(seq);
    }
    EXPECT_EQ(audit_seqs(scan_audit(*store_, q)), want)
        << "action=" << q.action << " actor=" << q.actor << " outcome=" << q.outcome
        << " since=" << q.since_us << " until=" << q.until_us << " after=" << q.after_seq
        << " limit=" << q.limit << " org=" << q.org;
  }
  // The dotted-prefix rule itself.
  AuditQuery auth;
  auth.action = "auth";
  EXPECT_EQ(audit_seqs(scan_audit(*store_, auth)), (std::vector<int64_t>{1, 2, 4, 6, 8}));

  int visits = 0;
  ASSERT_TRUE(store_->scan_audit({}, [&](const AuditRow&) { return ++visits < 3; }).ok());
  EXPECT_EQ(visits, 3);
  // Usable right after an early stop.
  std::vector<AuditRow> more{audit_row("export")};
  ASSERT_TRUE(store_->append_audit(more, seal.fn()).ok());
  EXPECT_EQ(more[0].seq, 11);
}

TEST_P(StoreConformance, ScanAuditStreamsMoreRowsThanOneFetch) {
  constexpr int kN = 12'000;  // more than one fetch of the PostgreSQL cursor
  std::vector<AuditRow> rows(kN, audit_row("object.write"));
  NumberingSeal seal;
  ASSERT_TRUE(store_->append_audit(rows, seal.fn()).ok());
  int64_t last = 0, n = 0;
  ASSERT_TRUE(store_
                  ->scan_audit({}, [&](const AuditRow& r) {
                    EXPECT_EQ(r.seq, last + 1);
                    last = r.seq;
                    ++n;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(n, kN);
}

TEST_P(StoreConformance, AuditVisitorCallingBackIntoTheSameStoreIsRefused) {
  NumberingSeal seal;
  std::vector<AuditRow> rows{audit_row("a"), audit_row("b")};
  ASSERT_TRUE(store_->append_audit(rows, seal.fn()).ok());
  int visits = 0;
  auto st = store_->scan_audit({}, [&](const AuditRow&) {
    ++visits;
    std::vector<AuditRow> more{audit_row("c")};
    auto again = store_->append_audit(more, seal.fn());
    EXPECT_FALSE(again.ok());
    if (!again.ok()) {
      EXPECT_EQ(again.error().code, core::Code::kFailedPrecondition);
    }
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(visits, 2);
}

// Appenders on separate Store objects run one at a time: each seal sees the row the previous
// appender wrote, so seqs come out 1..N with no gap and no duplicate, and every row's prev_hash
// names its predecessor.
TEST_P(StoreConformance, ConcurrentAuditAppendersSerialise) {
  constexpr int kPerThread = 60;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      StorePtr s = open();
      if (!s) {
        ++failures;
        return;
      }
      NumberingSeal seal;
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<AuditRow> rows{audit_row("t" + std::to_string(t))};
        if (i % 3 == 0) rows.push_back(audit_row("t" + std::to_string(t)));
        if (!s->append_audit(rows, seal.fn()).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = scan_audit(*store_);
  ASSERT_EQ(rows.size(), 2u * (kPerThread + kPerThread / 3));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(rows[i].prev_hash, i == 0 ? "start" : "h" + std::to_string(i));
  }
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

// Each backend: its two lines.
INSTANTIATE_TEST_SUITE_P(Memory, StoreConformance, ::testing::Values(testing::memory_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(testing::sqlite_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(testing::postgres_backend()),
                         backend_name);

}  // namespace
}  // namespace sw::store
