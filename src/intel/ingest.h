// The ingest pipeline (ARCHITECTURE.md §4) for STIX files: read (stix/reader.h) → parse and
// validate (stix/parse.h) → store in batches (store::Store::put, one transaction per batch).
//
// Reading and parsing run on the calling thread; storing runs on a second thread, so parsing the
// next batch overlaps committing the previous one. A batch is acknowledged (on_commit) only once
// the store has made it durable.
//
// Not thread-safe: one Importer per thread. The store, clock and marking resolver are borrowed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "policy/policy.h"
#include "stix/markings.h"
#include "stix/reader.h"
#include "store/store.h"

namespace sw::intel {

// A rejected object or a warning, with the place it came from.
struct Finding {
  std::string file;
  std::string path;     // JSON path in the file: "$.objects[17].created"
  std::string id;       // the object's id when known
  std::string rule;
  std::string message;
  bool error = true;  // false: a warning (the object was kept)
  std::string to_string() const;  // "file: $.objects[17].created (indicator--…): rule: message"
};

struct ImportSummary {
  int64_t files = 0;
  int64_t objects = 0;         // objects found in the files
  int64_t new_objects = 0;     // first version of an id
  int64_t new_versions = 0;    // a newer version of a known id
  int64_t history = 0;         // an older version, stored as history
  int64_t duplicates = 0;      // already stored: nothing written
  int64_t revoked = 0;         // newer version of a revoked object: refused
  int64_t rejected = 0;        // invalid objects (each counted once, whatever its number of errors)
  int64_t warnings = 0;
  int64_t bytes = 0;           // bytes read from the files as stored
  int64_t failed_files = 0;    // files that could not be read to the end, or strict files refused
  std::map<std::string, int64_t> rejected_by_rule;  // errors by rule (an object may have several)
  std::map<std::string, int64_t> warnings_by_rule;
  std::vector<Finding> findings;   // rejections first-come, up to max_findings; then warnings
  std::vector<std::string> file_errors;
  int64_t first_seq = 0, last_seq = 0;  // sequence numbers given to stored versions
  int64_t share_records = 0;            // share records written (ImportOptions::share)

  int64_t stored() const { return new_objects + new_versions + history; }
};

struct Progress {
  std::string file;
  int64_t objects = 0;           // objects read so far (all files)
  int64_t file_bytes_read = 0;   // of the current file
  int64_t file_bytes_total = 0;
  int64_t committed = 0;         // objects of the current file acknowledged as stored (by index)
};

struct ImportOptions {
  bool strict = false;           // a file is all-or-nothing: any rejected object stores none of it
  // A batch (one store transaction) ends at batch_size objects or batch_bytes of JSON, whichever
  // comes first. Larger batches commit less often: each commit rewrites every page of the id index
  // that the batch touched, which with random ids is most of them.
  uint32_t batch_size = 50000;
  size_t batch_bytes = size_t{32} << 20;
  size_t max_findings = 1000;    // findings kept in the summary (counts are always complete)
  stix::ReaderOptions reader;
  std::function<void(const Progress&)> on_progress;   // called about every batch
  // Called after each durable commit with the file and the count of its leading objects that are
  // now settled (stored, duplicate or rejected); never called before the data is durable.
  std::function<void(const std::string& file, int64_t settled)> on_commit;
  // Sharing (docs/policy.md): when set, every batch also stores a share record (x-shieldwall-share)
  // owned by `share_as` (an identity id) that covers the batch's accepted objects — new, new
  // versions, history and duplicates alike — with this distribution, in the same transaction.
  std::optional<policy::Distribution> share;
  std::string share_as;
};

class Importer {
 public:
  Importer(store::Store& store, core::Clock& clock, stix::MarkingResolver& markings);

  // Imports one file (bundle, object or list; .json or .json.gz). Adds to `summary`. Returns an
  // error only when the store fails (then nothing after the last acknowledged batch is stored);
  // problems in the file are counted and listed in the summary.
  core::Status import_file(const std::filesystem::path& file, const ImportOptions& options,
                           ImportSummary& summary);

  // Imports from an already opened reader (HTTP bodies, tests). `name` labels findings.
  core::Status import_reader(stix::ObjectReader& reader, const std::string& name,
                             const ImportOptions& options, ImportSummary& summary);

 private:
  store::Store& store_;
  core::Clock& clock_;
  stix::MarkingResolver& markings_;
};

// Files under `path`: the file itself, or every *.json / *.json.gz below a directory, sorted.
std::vector<std::filesystem::path> collect_input_files(const std::filesystem::path& path);

// Loads the TLP/PAP levels of every marking definition in the store into `markings`.
core::Status learn_stored_markings(store::Store& store, stix::MarkingResolver& markings);

}  // namespace sw::intel
