// Share records: the act of sharing, as a STIX object owned by the organisation that shares
// (ARCHITECTURE.md §3; rules in docs/policy.md). An `x-shieldwall-share` is a custom SDO declared
// by the extension definition below:
//
//   {"type": "x-shieldwall-share", "spec_version": "2.1", "id": "x-shieldwall-share--<uuid>",
//    "created": …, "modified": …, "created_by_ref": "identity--<sharer>",
//    "object_refs": ["indicator--…", …],              // what it covers (at most kMaxShareRefs)
//    "distribution": "organisation" | "consortium" | "public" | "sharing-group",
//    "sharing_group_ref": "x-shieldwall-sharing-group--…",   // with "sharing-group" only
//    "revoked": false,
//    "extensions": {"extension-definition--3a1c…": {"extension_type": "new-sdo"}}}
//
// Revoking a share (a new version with "revoked": true) unshares; a new version may also change
// what it covers. ShareIndex keeps, in memory, which share records cover each object, for the
// policy to read.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <deque>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "policy/policy.h"
#include "stix/object.h"
#include "store/store.h"

namespace sw::intel {

inline constexpr std::string_view kShareType = "x-shieldwall-share";
// The extension definition of the share record type: the same id and content on every node.
inline constexpr std::string_view kShareExtensionId =
    "extension-definition--3a1c5e0e-5d0b-4f0c-9b8e-6c1f7d2a9e41";
// More objects than this are covered by several share records (one per import batch, at most
// this many each), so that a record stays a reasonable size (~2.5 MB).
inline constexpr size_t kMaxShareRefs = 50000;

struct ShareSpec {
  std::string id;      // empty: a new record (an id is made); else a new version of this one
  std::string sharer;  // the sharing organisation's identity id
  std::vector<std::string> object_ids;
  policy::Distribution distribution;
  bool revoked = false;
  core::Timestamp created;   // of the record (kept across versions)
  core::Timestamp modified;  // of this version
};

// The JSON text of a share record. Errors (kInvalidArgument): no sharer, no objects or more than
// kMaxShareRefs, ids that are not STIX ids, a sharing-group distribution without a group id.
core::Result<std::string> share_json(const ShareSpec& spec);

// The extension definition object (JSON) declaring x-shieldwall-share.
std::string share_extension_definition_json();

// Reads a share record's JSON. Errors (kInvalidArgument, naming the property): not one.
struct ParsedShare {
  policy::ShareRecord record;
  std::vector<std::string> object_ids;
  core::Timestamp modified;
};
core::Result<ParsedShare> parse_share(std::string_view json);

// Which share records cover each object. Thread-safe: apply() takes an exclusive lock, facts()
// a shared one; a record once handed out stays valid for the index's lifetime (replaced versions
// are kept, not freed), so the pointers facts() returns may be used after it returns.
class ShareIndex {
 public:
  // A version of a share record: newer than the one held replaces it (coverage and all), older or
  // equal ones are ignored. Errors: not a share record (nothing changes).
  core::Status apply(std::string_view json);

  // Reads every share record the store holds with seq > after_seq; returns the highest seq seen.
  core::Result<int64_t> load(store::Store& store, int64_t after_seq = 0);

  // The share records covering `object_id` (revoked ones included: the policy skips them).
  void shares_of(std::string_view object_id, std::vector<const policy::ShareRecord*>& out) const;

  // The latest version of a share record by its id, or null.
  const policy::ShareRecord* record(std::string_view share_id) const;

  size_t records() const;
  size_t covered_objects() const;

 private:
  struct Held {
    const policy::ShareRecord* record = nullptr;
    core::Timestamp modified;
    std::vector<std::string> covers;
  };
  mutable std::shared_mutex mu_;
  std::deque<policy::ShareRecord> versions_;  // every version ever applied (stable addresses)
  absl::flat_hash_map<std::string, Held> by_share_;
  absl::flat_hash_map<std::string, std::vector<const policy::ShareRecord*>> by_object_;
};

}  // namespace sw::intel
