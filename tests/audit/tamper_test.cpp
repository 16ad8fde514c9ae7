// Tampering with a stored audit log behind the store's back — SQL run directly on the SQLite file
// or the PostgreSQL schema, as someone with access to the database would — and what verify() says:
// the first entry that is not as written, and what happened to it.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "store/store_test_util.h"

namespace sw::audit {
namespace {

using store::testing::Backend;

class AuditTamper : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    pg_ = GetParam().postgres;
    if (pg_) SW_REQUIRE_POSTGRES();
    db_ = GetParam().make();
    auto s = db_->open();
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s).value();
    log_ = std::make_unique<Log>(*store_, clock_);
    const char* actions[] = {action::kConfigChange, action::kLogin,      action::kKeyCreate,
                             action::kObjectWrite,  action::kShareCreate, action::kExport};
    for (int i = 0; i < 6; ++i) {
      Event e;
      e.actor = i % 2 ? "alice" : "bob";
      e.org = "identity--b4c5b44d-6f3f-4b1f-9f6e-8c0c7b0d1a11";
      e.action = actions[i];
      e.target = "target-" + std::to_string(i + 1);
      e.details_json = R"({"n":)" + std::to_string(i + 1) + "}";
      auto r = log_->record(e);
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      entries_.push_back(*r);
      clock_.advance_micros(1000);
    }
    // What an intruder does first: the append-only triggers are in the way.
    sql(pg_ ? "DROP TRIGGER audit_log_no_change ON audit_log; "
              "DROP TRIGGER audit_log_no_truncate ON audit_log"
            : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
  }

  void sql(const std::string& text) { ASSERT_TRUE(db_->exec_sql(text)) << text; }
  static std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out.push_back('\'');
      out.push_back(c);
    }
    return out + "'";
  }
  // INSERT of a whole entry.
  void insert(const Entry& e) {
    sql("INSERT INTO audit_log (seq, time_us, actor, org, action, target, outcome, reason, "
        "details, prev_hash, hash) VALUES (" +
        std::to_string(e.seq) + ", " + std::to_string(e.time_us) + ", " + q(e.actor) + ", " +
        q(e.org) + ", " + q(e.action) + ", " + q(e.target) + ", " + q(e.outcome) + ", " +
        q(e.reason) + ", " + q(e.details_json) + ", " + q(e.prev_hash) + ", " + q(e.hash) + ")");
  }
  // Renumbers entries with seq >= from by `by` (two steps: seq is the primary key).
  void renumber(int64_t from, int64_t by) {
    sql("UPDATE audit_log SET seq = -(seq + " + std::to_string(by) +
        ") WHERE seq >= " + std::to_string(from));
    sql("UPDATE audit_log SET seq = -seq WHERE seq < 0");
  }
  Verdict verify(const std::optional<Anchor>& anchor = std::nullopt) {
    // A fresh Store object, as `shieldwall audit verify` would open.
    auto s = db_->open();
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    if (!s.ok()) return {};
    core::FakeClock clock;
    Log log(**s, clock);
    auto v = log.verify(anchor);
    EXPECT_TRUE(v.ok()) << v.error().to_string();
    return v.ok() ? *v : Verdict{};
  }
  void expect_bad(const Verdict& v, int64_t first_bad, Problem kind, const std::string& message) {
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_seq, first_bad) << v.message;
    EXPECT_EQ(problem_name(v.kind), std::string(problem_name(kind))) << v.message;
    EXPECT_EQ(v.message, message);
  }

  bool pg_ = false;
  core::FakeClock clock_{1'717'171'717'000'000};
  std::unique_ptr<store::testing::TestDatabase> db_;
  store::StorePtr store_;
  std::unique_ptr<Log> log_;
  std::vector<Entry> entries_;  // as recorded: entries_[i].seq == i + 1
};

TEST_P(AuditTamper, AnUntouchedLogIsIntact) {
  Verdict v = verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 6);
  EXPECT_EQ(v.head_hash, entries_[5].hash);
}

TEST_P(AuditTamper, TheTriggersRefuseChangesThroughSql) {
  // Put them back and check they refuse (the store's own migration created them).
  auto fresh = GetParam().make();
  auto s = fresh->open();
  ASSERT_TRUE(s.ok());
  Log log(**s, clock_);
  Event e;
  e.actor = "alice";
  e.action = action::kLogin;
  ASSERT_TRUE(log.record(e).ok());
  ::testing::TestPartResultArray failures;
  {
    // exec_sql records a failure when the statement fails; here that is what should happen.
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    EXPECT_FALSE(fresh->exec_sql("UPDATE audit_log SET actor = 'mallory'"));
    EXPECT_FALSE(fresh->exec_sql("DELETE FROM audit_log"));
  }
  ASSERT_GE(failures.size(), 2);
  for (int i = 0; i < failures.size(); ++i) {
    EXPECT_NE(std::string(failures.GetTestPartResult(i).message()).find("append-only"),
              std::string::npos)
        << failures.GetTestPartResult(i).message();
  }
}

TEST_P(AuditTamper, AChangedFieldIsNamed) {
  sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
  Verdict v = verify();
  expect_bad(v, 3, Problem::kChanged,
             "entry 3 (after entry 2) does not match its hash: one of its fields (or its hash) "
             "was changed");
  EXPECT_EQ(v.checked, 2);
  EXPECT_EQ(v.head_seq, 2);
  EXPECT_EQ(v.head_hash, entries_[1].hash);
}

TEST_P(AuditTamper, ChangedDetailsTimeOrHashAreNamed) {
  sql("UPDATE audit_log SET details = '{\"n\":50}' WHERE seq = 5");
  EXPECT_EQ(verify().first_bad_seq, 5);
  sql("UPDATE audit_log SET details = '{\"n\":5}' WHERE seq = 5");  // put back
  EXPECT_TRUE(verify().ok);
  sql("UPDATE audit_log SET time_us = time_us + 1 WHERE seq = 1");
  expect_bad(verify(), 1, Problem::kChanged,
             "entry 1 does not match its hash: one of its fields (or its hash) was changed");
  sql("UPDATE audit_log SET time_us = time_us - 1 WHERE seq = 1");
  sql("UPDATE audit_log SET hash = " + q(std::string(64, 'a')) + " WHERE seq = 6");
  EXPECT_EQ(verify().first_bad_seq, 6);
}

TEST_P(AuditTamper, AChangedEntryWithARecomputedHashIsNamed) {
  Entry forged = entries_[2];
  forged.outcome = "denied";
  forged.hash = entry_hash(forged);
  sql("UPDATE audit_log SET outcome = 'denied', hash = " + q(forged.hash) + " WHERE seq = 3");
  Verdict v = verify();
  expect_bad(v, 3, Problem::kChanged,
             "entry 3 is not what entry 4 was chained to (entry 4 recorded its hash as " +
                 entries_[2].hash.substr(0, 12) + "…): entry 3 was changed and its hash recomputed");
  EXPECT_EQ(v.checked, 2);  // entry 3 on its own looks right, but it is not counted
  EXPECT_EQ(v.head_seq, 2);
}

TEST_P(AuditTamper, ARemovedEntryIsNamed) {
  sql("DELETE FROM audit_log WHERE seq = 3");
  Verdict v = verify();
  expect_bad(v, 3, Problem::kRemoved, "entry 3 is missing: entry 4 follows entry 2");
  EXPECT_EQ(v.checked, 2);
}

TEST_P(AuditTamper, RemovedEntriesAtTheStartAreNamed) {
  sql("DELETE FROM audit_log WHERE seq <= 2");
  expect_bad(verify(), 1, Problem::kRemoved,
             "entries 1..2 are missing: entry 3 follows the start of the log");
}

TEST_P(AuditTamper, ARemovedEntryIsNamedEvenWhenTheRestWasRenumbered) {
  sql("DELETE FROM audit_log WHERE seq = 3");
  renumber(4, -1);
  expect_bad(verify(), 3, Problem::kRemoved,
             "entry 3 holds what was written as entry 4: entry 3 was removed and the entries "
             "after renumbered");
}

TEST_P(AuditTamper, SwappedEntriesAreNamed) {
  sql("UPDATE audit_log SET seq = -3 WHERE seq = 3");
  sql("UPDATE audit_log SET seq = 3 WHERE seq = 4");
  sql("UPDATE audit_log SET seq = 4 WHERE seq = -3");
  Verdict v = verify();
  expect_bad(v, 3, Problem::kReordered,
             "entry 3 (after entry 2) holds what was written as entry 4: entries were reordered");
  EXPECT_EQ(v.checked, 2);
}

TEST_P(AuditTamper, DistantSwappedEntriesAreNamed) {
  sql("UPDATE audit_log SET seq = -2 WHERE seq = 2");
  sql("UPDATE audit_log SET seq = 2 WHERE seq = 6");
  sql("UPDATE audit_log SET seq = 6 WHERE seq = -2");
  expect_bad(verify(), 2, Problem::kReordered,
             "entry 2 (after entry 1) holds what was written as entry 6: entries were reordered");
}

TEST_P(AuditTamper, AnInsertedEntryIsNamed) {
  renumber(3, 1);
  Entry forged = entries_[2];
  forged.actor = "mallory";
  forged.action = action::kRoleChange;
  forged.prev_hash = entries_[1].hash;
  forged.hash = std::string(64, 'b');  // someone who does not know how entries are hashed
  insert(forged);
  expect_bad(verify(), 3, Problem::kInserted,
             "entry 3 was not written by shieldwall: entry 4 holds what was written as entry 3 "
             "(an entry was inserted and the rest renumbered)");
}

TEST_P(AuditTamper, AnInsertedEntryWithARecomputedHashIsNamed) {
  renumber(3, 2);
  std::string prev = entries_[1].hash;
  for (int k = 0; k < 2; ++k) {  // two forged entries after entry 2, chained properly
    Entry forged = entries_[2];
    forged.seq = 3 + k;
    forged.actor = "mallory";
    forged.target = "forged-" + std::to_string(k);
    forged.prev_hash = prev;
    forged.hash = entry_hash(forged);  // someone who knows how entries are hashed
    prev = forged.hash;
    insert(forged);
  }
  Verdict v = verify();
  expect_bad(v, 3, Problem::kInserted,
             "entry 5 holds what was written as entry 3: 2 entries were inserted from entry 3 on "
             "and the entries after renumbered");
  // The forged entries are not counted as intact.
  EXPECT_EQ(v.checked, 2);
  EXPECT_EQ(v.head_seq, 2);
  EXPECT_EQ(v.head_hash, entries_[1].hash);
}

// What a chain alone cannot show (docs/audit.md): entries removed from the end, and a rewrite with
// every hash recomputed. An anchor recorded earlier shows both.
TEST_P(AuditTamper, RemovalFromTheEndNeedsAnAnchor) {
  const Anchor head{6, entries_[5].hash};
  sql("DELETE FROM audit_log WHERE seq >= 5");
  Verdict plain = verify();
  EXPECT_TRUE(plain.ok);
  EXPECT_EQ(plain.checked, 4);
  expect_bad(verify(head), 5, Problem::kRemoved,
             "the log ends at entry 4 but the anchor names entry 6: entries 5..6 (at least) were "
             "removed from the end");
}

TEST_P(AuditTamper, ARewriteWithRecomputedHashesNeedsAnAnchor) {
  const Anchor head{6, entries_[5].hash};
  std::string prev = entries_[1].hash;
  for (size_t i = 2; i < 6; ++i) {
    Entry e = entries_[i];
    if (i == 2) e.actor = "mallory";
    e.prev_hash = prev;
    e.hash = entry_hash(e);
    prev = e.hash;
    sql("UPDATE audit_log SET actor = " + q(e.actor) + ", prev_hash = " + q(e.prev_hash) +
        ", hash = " + q(e.hash) + " WHERE seq = " + std::to_string(e.seq));
  }
  EXPECT_TRUE(verify().ok);
  Verdict v = verify(head);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, Problem::kChanged);
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_NE(v.message.find("was rewritten with recomputed hashes"), std::string::npos) << v.message;
  // An anchor from before the change still matches.
  EXPECT_TRUE(verify(Anchor{2, entries_[1].hash}).ok);
}

TEST_P(AuditTamper, AMovedSeqIsNamed) {
  sql("UPDATE audit_log SET seq = 9 WHERE seq = 6");
  expect_bad(verify(), 6, Problem::kChanged,
             "entry 9 holds what was written as entry 6: its sequence number was changed");
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditTamper, ::testing::Values(store::testing::sqlite_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, AuditTamper,
                         ::testing::Values(store::testing::postgres_backend()), backend_name);

}  // namespace
}  // namespace sw::audit
