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

}  // namespace sw::store
