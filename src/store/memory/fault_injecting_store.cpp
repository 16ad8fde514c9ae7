#include "store/memory/fault_injecting_store.h"

namespace sw::store {

FaultInjectingStore::FaultInjectingStore(StorePtr inner)
    : inner_(std::move(inner)), error_(core::Error::store("injected fault")) {}

void FaultInjectingStore::set_error(core::Error error) {
  std::lock_guard lock(error_mu_);
  error_ = std::move(error);
}

core::Result<PutResult> FaultInjectingStore::put(std::span<const stix::Object> batch,
                                                 int64_t added_us) {
  const int64_t call = ++calls_;
  if (fail_all_ || call == fail_call_) {
    ++injected_;
    std::lock_guard lock(error_mu_);
    return error_;
  }
  return inner_->put(batch, added_us);
}

core::Result<std::optional<StoredObject>> FaultInjectingStore::get(const std::string& id) {
  return inner_->get(id);
}

core::Result<std::vector<StoredObject>> FaultInjectingStore::get_versions(const std::string& id) {
  return inner_->get_versions(id);
}

core::Result<std::optional<StoredObject>> FaultInjectingStore::get_version(
    const std::string& id, const std::string& version_key) {
  return inner_->get_version(id, version_key);
}

core::Status FaultInjectingStore::scan(const Query& query, const Visitor& visit) {
  return inner_->scan(query, visit);
}

core::Result<Stats> FaultInjectingStore::stats() { return inner_->stats(); }

core::Result<int64_t> FaultInjectingStore::max_seq() { return inner_->max_seq(); }

core::Status FaultInjectingStore::append_audit(std::span<AuditRow> rows, const AuditSeal& seal) {
  return inner_->append_audit(rows, seal);
}

core::Status FaultInjectingStore::scan_audit(const AuditQuery& query, const AuditVisitor& visit) {
  return inner_->scan_audit(query, visit);
}

}  // namespace sw::store

namespace sw::store {

core::Result<std::optional<LocalRecord>> FaultInjectingStore::get_local(std::string_view kind,
                                                                        std::string_view key) {
  return inner_->get_local(kind, key);
}
core::Status FaultInjectingStore::scan_local(std::string_view kind, const LocalVisitor& visit) {
  return inner_->scan_local(kind, visit);
}
core::Result<int64_t> FaultInjectingStore::put_local(std::string_view kind, std::string_view key,
                                                     std::string_view json, int64_t expected) {
  return inner_->put_local(kind, key, json, expected);
}
core::Status FaultInjectingStore::delete_local(std::string_view kind, std::string_view key) {
  return inner_->delete_local(kind, key);
}

}  // namespace sw::store
