#include "policy/records.h"

namespace sw::policy {

core::Result<std::optional<Record>> MemoryRecords::get(std::string_view kind,
                                                       std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = records_.find({std::string(kind), std::string(key)});
  if (it == records_.end()) return std::optional<Record>{};
  return std::optional<Record>(it->second);
}

core::Status MemoryRecords::scan(std::string_view kind,
                                 const std::function<bool(const Record&)>& visit) {
  std::vector<Record> copy;
  {
    std::lock_guard lock(mu_);
    for (auto it = records_.lower_bound({std::string(kind), std::string()});
         it != records_.end() && it->first.first == kind; ++it) {
      copy.push_back(it->second);
    }
  }
  for (const Record& r : copy) {
    if (!visit(r)) break;
  }
  return core::ok_status();
}

core::Result<int64_t> MemoryRecords::put(const Record& r, int64_t expected) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = records_.try_emplace({r.kind, r.key}, r);
  if (inserted) {
    if (expected != 0) {
      records_.erase(it);
      return core::Error::precondition("the record changed meanwhile", r.kind + "/" + r.key);
    }
    it->second.version = 1;
    return int64_t{1};
  }
  if (expected == 0) {
    return core::Error{core::Code::kAlreadyExists, "already exists", r.kind + "/" + r.key};
  }
  if (it->second.version != expected) {
    return core::Error::precondition("the record changed meanwhile", r.kind + "/" + r.key);
  }
  const int64_t v = it->second.version + 1;
  it->second = r;
  it->second.version = v;
  return v;
}

core::Status MemoryRecords::remove(std::string_view kind, std::string_view key) {
  std::lock_guard lock(mu_);
  records_.erase({std::string(kind), std::string(key)});
  return core::ok_status();
}

}  // namespace sw::policy
