// Filling the indicator index (index/index.h) from the store: at start-up, and after each import
// (only the versions stored since the last load, by sequence number).
//
// The index module sits beside the store (both layer 2) and knows nothing of it; this is where the
// two meet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "index/index.h"
#include "store/store.h"

namespace sw::intel {

// The STIX types whose objects have atoms (index/extract.h).
const std::vector<std::string>& indexed_types();

struct IndexLoadReport {
  int64_t objects = 0;        // latest versions read from the store
  int64_t indexed = 0;        // of which now in the index
  int64_t without_atoms = 0;  // of which had nothing to index
  int64_t removed = 0;        // left the index (revoked, expired)
  int64_t last_seq = 0;       // the greatest sequence number read (resume after it)
  int64_t error_count = 0;    // objects that could not be read (bad pattern, bad JSON)
  std::vector<core::Error> errors;  // the first few of them
};

struct IndexLoadOptions {
  int64_t after_seq = 0;  // only versions stored after this (0: everything)
  size_t batch = 8192;    // objects handed to Index::apply at a time
  size_t max_errors = 20;
  unsigned threads = 2;   // threads applying batches (at most the machine's cores)
};

// Reads the latest version of every object of an indexed type stored after `after_seq` and
// applies them to `index`. The store is read on the calling thread while `threads` others
// extract atoms and compile patterns. Batches may be applied out of order: a batch holds at most
// one version of an id (the scan returns latest versions only), so the order does not matter. Errors: the store's; objects the index refuses are counted
// in the report, not errors.
core::Result<IndexLoadReport> load_index(store::Store& store, index::Index& index,
                                         core::Timestamp now, const IndexLoadOptions& options = {});

}  // namespace sw::intel
