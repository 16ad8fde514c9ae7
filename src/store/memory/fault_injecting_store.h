// FaultInjectingStore: a Store that forwards to another and makes put() fail when a test says so,
// for tests of the code that calls the store (what an importer does when a batch fails).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "store/store.h"

namespace sw::store {

// Every call is forwarded to the wrapped store (audit calls included), except a put() chosen to
// fail: that one returns an
// error without calling the wrapped store, so nothing of its batch is written — exactly what the
// contract promises for a failed put(). Owns the wrapped store. Other calls never fail here.
//
// Thread-safety: as every Store, used from one thread at a time; the fault controls
// (fail_put_call, set_fail_puts, set_error, put_calls) may be called from any thread at any time.
class FaultInjectingStore final : public Store {
 public:
  explicit FaultInjectingStore(StorePtr inner);

  // Makes put() call number `n` fail (1-based, counting every put() since construction, failed
  // ones included); 0 disables it. One call at a time can be chosen.
  void fail_put_call(int64_t n) { fail_call_ = n; }
  // While set, every put() fails.
  void set_fail_puts(bool fail) { fail_all_ = fail; }
  // The error an injected failure returns; default core::Code::kStore "injected fault".
  void set_error(core::Error error);
  // put() calls so far, failed ones included.
  int64_t put_calls() const { return calls_; }
  // put() calls that failed by injection.
  int64_t injected_failures() const { return injected_; }

  Store& inner() { return *inner_; }

  core::Result<PutResult> put(std::span<const stix::Object> batch, int64_t added_us) override;
  core::Result<std::optional<StoredObject>> get(const std::string& id) override;
  core::Result<std::vector<StoredObject>> get_versions(const std::string& id) override;
  core::Result<std::optional<StoredObject>> get_version(const std::string& id,
                                                        const std::string& version_key) override;
  core::Status scan(const Query& query, const Visitor& visit) override;
  core::Result<Stats> stats() override;
  core::Result<int64_t> max_seq() override;
  core::Status append_audit(std::span<AuditRow> rows, const AuditSeal& seal) override;
  core::Status scan_audit(const AuditQuery& query, const AuditVisitor& visit) override;
  core::Result<std::optional<LocalRecord>> get_local(std::string_view kind,
                                                     std::string_view key) override;
  core::Status scan_local(std::string_view kind, const LocalVisitor& visit) override;
  core::Result<int64_t> put_local(std::string_view kind, std::string_view key,
                                  std::string_view json, int64_t expected) override;
  core::Status delete_local(std::string_view kind, std::string_view key) override;
  const char* backend() const override { return inner_->backend(); }

 private:
  StorePtr inner_;
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> injected_{0};
  std::atomic<int64_t> fail_call_{0};
  std::atomic<bool> fail_all_{false};
  std::mutex error_mu_;
  core::Error error_;  // GUARDED_BY(error_mu_)
};

}  // namespace sw::store
