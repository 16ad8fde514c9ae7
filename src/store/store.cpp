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

}  // namespace sw::store
