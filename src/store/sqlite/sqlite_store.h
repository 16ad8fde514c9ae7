// SqliteStore: the store in one SQLite file — a node's default. See src/store/README.md for the
// schema and for how the store contract is kept.
#pragma once

#include <cstdint>
#include <filesystem>

#include "store/store.h"

namespace sw::store {

struct SqliteOptions {
  // How long a put() waits for another connection's write transaction (another process or
  // another Store on the same file) before it fails with kStore "database is locked".
  int busy_timeout_ms = 30'000;
  // Page cache per connection, in MiB. The (id, version) index is probed at random on every
  // put(); keeping it cached is what keeps put() fast once the file is large.
  int cache_mib = 64;
};

// Opens (creating when missing) the store in `file`: WAL journal, synchronous=FULL (a put() that
// returned ok survives kill -9 and power loss), the schema created or migrated to the version this
// build knows; a file with a newer schema is refused with kFailedPrecondition. Several processes
// and several Store objects may open one file together; each Store object is used from one thread
// at a time, and its scan visitor must not call back into the same object (that call fails with
// kFailedPrecondition; use another Store). Each Store object owns a second connection and a thread
// that checkpoints the WAL in the background (joined when the Store is destroyed). Errors are
// kStore (or kIo when the directory is missing) and name the file. Needs SQLite 3.37 or later
// (STRICT tables).
core::Result<StorePtr> open_sqlite(const std::filesystem::path& file);
core::Result<StorePtr> open_sqlite(const std::filesystem::path& file, const SqliteOptions& options);

// The newest schema version this build reads and writes.
int sqlite_schema_version();

}  // namespace sw::store
