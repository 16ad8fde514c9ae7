#include "store/store.h"

namespace sw::store {

const char* outcome_name(PutOutcome o) {
  switch (o) {
    case PutOutcome::kNew: return "new";
    case PutOutcome::kNewVersion: return "new-version";
    case PutOutcome::kHistory: return "history";
    case PutOutcome::kDuplicate: return "duplicate";
    case PutOutcome::kRevoked: return "revoked";
  }
  return "?";
}

bool audit_action_matches(std::string_view action, std::string_view prefix) {
  if (prefix.empty() || action == prefix) return true;
  return action.size() > prefix.size() && action.substr(0, prefix.size()) == prefix &&
         action[prefix.size()] == '.';
}

core::Status check_local_record(std::string_view kind, std::string_view key,
                                std::string_view json) {
  const std::string where = std::string(kind.substr(0, 64)) + "/" + std::string(key.substr(0, 64));
  if (kind.empty() || kind.size() > 256 || key.empty() || key.size() > 256) {
    return core::Error::invalid("a local record's kind and key are 1-256 bytes", where);
  }
  if (json.size() > (1u << 20)) {
    return core::Error::invalid("a local record holds at most 1 MiB of JSON", where);
  }
  return core::ok_status();
}

}  // namespace sw::store
