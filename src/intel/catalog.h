// The Catalog: every read of intel on behalf of someone, through the policy (ARCHITECTURE.md §3).
// REST get, list, search, look-up, correlation, export and the event stream — and TAXII and
// federation later — read through here, never from the store or the index directly, so that no
// path filters on its own. What a principal may not read is answered exactly as what does not
// exist (kNotFound, or simply absent from a list), so existence does not leak either.
//
// The facts the policy needs per object: its owner (created_by_ref), its effective TLP (from its
// markings, the node default when none) and the share records covering it (ShareIndex). A share
// record is itself readable by whom it shares with; marking and extension definitions are
// readable by everyone (they only say what labels mean).
//
// Thread-safety: one Catalog per thread (it holds the store, which is one-thread); the index,
// share index and policy may be shared with other threads' Catalogs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "index/index.h"
#include "intel/shares.h"
#include "policy/policy.h"
#include "store/store.h"

namespace sw::intel {

struct ListFilter {
  std::vector<std::string> types;  // empty: every type
  int64_t added_after_us = 0;      // 0: any
  bool all_versions = false;
};

struct Page {
  std::vector<store::StoredObject> objects;
  int64_t next = 0;   // the cursor to pass as `after` for the next page
  bool more = false;  // there may be more (the scan stopped at `limit` or at its work budget)
};

class Catalog {
 public:
  Catalog(store::Store& store, const index::Index& index, const ShareIndex& shares,
          const policy::Policy& policy);

  // The facts the policy decides on for a stored object.
  policy::ObjectFacts facts(const stix::ObjectMeta& meta,
                            std::vector<const policy::ShareRecord*>& shares_scratch) const;

  // The decision for one object as stored.
  policy::Decision decide(const policy::Principal& who, const stix::ObjectMeta& meta) const;

  // The latest version of `id` (or the version whose `modified` is `version`), when `who` may
  // read it; kNotFound otherwise, the same whether it is missing or not readable.
  core::Result<store::StoredObject> get(const policy::Principal& who, std::string_view id,
                                        std::optional<std::string> version = std::nullopt);

  // Every version of `id` that `who` may read, oldest first; kNotFound when none.
  core::Result<std::vector<store::StoredObject>> versions(const policy::Principal& who,
                                                          std::string_view id);

  // Up to `limit` readable objects with sequence numbers after `after`, in sequence order. The
  // scan examines at most `budget` stored objects per call (a principal who may read little does
  // not make one call scan the whole store); `more` then says to continue from `next`.
  core::Result<Page> list(const policy::Principal& who, const ListFilter& filter, int64_t after,
                          size_t limit, size_t budget = 100000);

  // Look-up hits that `who` may read: visit(hit) per readable hit; returns how many.
  size_t lookup(const policy::Principal& who, index::Index::Reader& reader, index::Kind kind,
                std::string_view value, const std::function<void(const index::Hit&)>& visit);

  // Correlation of object `id` (which `who` must be able to read; kNotFound otherwise), with the
  // peers `who` may not read removed.
  core::Result<index::Correlation> correlate(const policy::Principal& who, std::string_view id,
                                             const index::CorrelateOptions& options = {});

 private:
  bool readable(const policy::Principal& who, std::string_view id, std::string_view type,
                std::string_view owner, stix::Tlp tlp) const;

  store::Store& store_;
  const index::Index& index_;
  const ShareIndex& shares_;
  const policy::Policy& policy_;
  mutable std::vector<const policy::ShareRecord*> scratch_;
};

}  // namespace sw::intel
