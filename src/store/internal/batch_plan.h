// What the three backends share: clause 1 of the store contract (how put() classifies a batch)
// written once, and the conversions of ObjectMeta fields to stored columns. Internal to the store
// module; nothing outside src/store includes this.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "stix/object.h"
#include "store/store.h"

namespace sw::store::internal {

// The stored integer of each enum is its enumerator's value (both SQL backends); these pin the
// values the schema documents (src/store/README.md), so reordering an enum breaks the build rather
// than the data.
static_assert(static_cast<int>(stix::Tlp::kRed) == 5 && static_cast<int>(stix::Tlp::kNone) == 0);
static_assert(static_cast<int>(stix::Pap::kRed) == 4 && static_cast<int>(stix::Pap::kNone) == 0);
static_assert(static_cast<int>(stix::ObjectKind::kSdo) == 0 &&
              static_cast<int>(stix::ObjectKind::kCustom) == 4);

// One numbered schema migration of an SQL backend: it brings the schema from version-1 to version.
struct Migration {
  int version;
  const char* sql;
};

// The latest stored version of an id, as a backend reports it to the classifier.
struct StoredHead {
  std::string version_key;
  bool revoked = false;
  int64_t seq = 0;
};

// What the classifier asks a backend about the versions stored before the batch. Both are asked
// inside the backend's write transaction (or under its write lock), so the answers stay true until
// the batch is committed.
struct StoredLookup {
  // The latest stored version of `id`, nullopt when no version is stored.
  std::function<core::Result<std::optional<StoredHead>>(const std::string& id)> latest;
  // Whether (id, version_key) is stored. Asked only for keys older than the stored latest.
  std::function<core::Result<bool>(const std::string& id, const std::string& version_key)> has;
};

// The classification of one batch: what put() must write and what it returns.
struct BatchPlan {
  std::vector<PutOutcome> outcomes;        // per batch object
  std::vector<std::string> version_keys;   // per batch object
  std::vector<size_t> stored;              // batch indexes to write, in batch order
  std::vector<bool> latest_after;          // per batch object: written and latest after the batch
  std::vector<int64_t> superseded;         // seqs of stored versions that stop being latest
  std::map<std::string, TypeCount> added;  // per type: new ids and written versions
};

// Classifies `batch` against the stored versions (through `lookup`) and against the objects that
// come earlier in the batch, as the store contract's clause 1 says. `keys` are the batch's
// version keys (version_keys(batch)); the plan keeps them. The lookup is asked once per distinct
// id at most for `latest`, and for `has` only when a key is older than the latest. Errors are the
// lookup's; an object without id or type is kInvalidArgument.
core::Result<BatchPlan> plan_batch(std::span<const stix::Object> batch,
                                   std::vector<std::string> keys, const StoredLookup& lookup);

// Every version that is not the latest of its id once the batch is written, when the batch's
// stored objects get first_seq, first_seq + 1, … in order: the stored ones it supersedes, and the
// batch's own history and superseded versions.
std::vector<int64_t> superseded_after(const BatchPlan& plan, int64_t first_seq);

// Timestamps are stored as core::sortable() text (byte order is time order; keeps nanoseconds and
// years 0000-9999) plus the number of sub-second digits the source had.
core::Result<core::Timestamp> decode_timestamp(std::string_view sortable_text, int digits);

// core::sortable(ts), without snprintf: put() formats two or three timestamps per object, and on
// the import path that showed in profiles. Identical output (tests compare the two).
std::string sortable(const core::Timestamp& ts);
// ObjectMeta::version_key(), formatted with sortable() above (tests compare the two).
std::string version_key(const stix::ObjectMeta& meta);
std::vector<std::string> version_keys(std::span<const stix::Object> batch);

// The look-up key of an id in the SQL backends' id index: FNV-1a (64-bit) of the id's bytes
// followed by MurmurHash3's fmix64 finaliser, as a signed integer. It is stored, so it must never
// change (sqlite_store_test pins it); equal hashes of different ids are harmless because every
// look-up also compares the id.
int64_t id_hash(std::string_view id);

// The error every backend returns for a row it cannot decode.
core::Error corrupt_row(std::string_view backend, std::string_view what, int64_t seq);

}  // namespace sw::store::internal
