// PostgresStore: the store in a PostgreSQL database, for nodes that outgrow one machine (several
// `shieldwall serve` processes on one cluster). See src/store/README.md for the schema and for how
// the store contract is kept.
#pragma once

#include <string>

#include "store/store.h"

namespace sw::store {

// Connects with libpq `conninfo` ("host=… dbname=…" or a postgresql:// URI) and creates the schema
// in the connection's current schema (the first of search_path) when missing, or migrates it; a
// database with a newer schema is refused with kFailedPrecondition. The database must be UTF8 (or
// SQL_ASCII). Each Store object holds one connection and is used from one thread at a time; any
// number of Store objects and processes may share the database. A broken connection is re-opened
// on the next call (the call that saw it break fails with kStore). The scan visitor must not call
// back into the same Store object (such calls fail with kFailedPrecondition). Errors are kStore
// with PostgreSQL's message.
core::Result<StorePtr> open_postgres(const std::string& conninfo);

// The newest schema version this build reads and writes.
int postgres_schema_version();

}  // namespace sw::store
