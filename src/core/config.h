// The node's TOML configuration (DATA/shieldwall.toml): what it is, where its store lives, how it
// listens. Loaded once at start; every bad value is reported with the file, key and what is allowed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace sw::core {

struct NodeConfig {
  // [node]
  std::string org_name;
  std::string org_country;    // ISO 3166-1 alpha-2
  std::string org_identity;   // identity--<uuid> of the organisation running the node
  std::string default_tlp = "amber";  // for objects that carry no TLP marking (ARCHITECTURE.md §3)
  // For objects without a share record: organisation | consortium | public | sharing-group:<id>.
  std::string default_distribution = "consortium";

  // [store]
  std::string store_backend = "sqlite";   // "sqlite" | "postgres"
  std::string sqlite_path = "shieldwall.db";  // relative to the data directory unless absolute
  std::string postgres_conninfo;             // libpq connection string

  // [server]
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert;             // PEM certificate chain; relative to the data directory unless absolute
  std::string tls_key;              // PEM private key; both or neither
  bool allow_plain_remote = false;  // plain HTTP on a non-loopback address (behind a TLS proxy)

  // [import]
  uint32_t import_batch = 50000;                 // objects per store transaction, at most
  uint64_t import_batch_bytes = 32ull << 20;     // JSON bytes per store transaction, at most
  uint64_t max_object_bytes = 64ull << 20;       // larger single objects are rejected

  // [index]
  // MISP warning lists (a directory of <name>/list.json), relative to the data directory unless
  // absolute; empty: none. Hits on listed values are flagged as known-benign.
  std::string warninglists;
  uint32_t over_correlation_cap = 1000;  // a value shared by more objects is reported, not listed

  std::filesystem::path data_dir;  // not in the file: where it was loaded from
  std::filesystem::path sqlite_file() const;
  std::filesystem::path warninglists_dir() const;  // empty when warninglists is
  std::filesystem::path tls_cert_file() const;     // resolved against data_dir; empty when unset
  std::filesystem::path tls_key_file() const;
};

inline constexpr const char* kConfigFileName = "shieldwall.toml";

// Reads DATA/shieldwall.toml. Unknown keys are errors (a typo must not silently fall back).
Result<NodeConfig> load_config(const std::filesystem::path& data_dir);

// Writes the config file (used by `init`); refuses to overwrite an existing one.
Status write_config(const NodeConfig& config);

// DATA from --data, else $SHIELDWALL_DATA, else ./var.
std::filesystem::path resolve_data_dir(const std::string& flag_value);

}  // namespace sw::core
