// What the three backends share for the audit table (store.h, clause 6): the check of what a seal
// produced, and the call of the seal itself. Internal to the store module.
#pragma once

#include <span>

#include "core/result.h"
#include "store/store.h"

namespace sw::store::internal {

// Calls `seal(last, rows)` and checks what it produced: seqs strictly increasing, each greater
// than `last`'s (or ≥ 1 when there is none). kInvalidArgument naming the first bad row otherwise.
core::Status seal_audit_rows(const AuditRow* last, std::span<AuditRow> rows,
                             const AuditSeal& seal);

}  // namespace sw::store::internal
