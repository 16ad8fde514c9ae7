#include "store/internal/audit_rows.h"

#include <string>

namespace sw::store::internal {

core::Status seal_audit_rows(const AuditRow* last, std::span<AuditRow> rows,
                             const AuditSeal& seal) {
  SW_TRY(seal(last, rows));
  int64_t prev = last ? last->seq : 0;
  for (const AuditRow& r : rows) {
    if (r.seq <= prev) {
      return core::Error::invalid("audit append: the sealed row seq " + std::to_string(r.seq) +
                                  " is not greater than " + std::to_string(prev) +
                                  " (seqs must be strictly increasing after the last stored row)");
    }
    prev = r.seq;
  }
  return core::ok_status();
}

}  // namespace sw::store::internal
