// The composition root: the one place where concrete backends are chosen from the configuration
// and wired together (STYLE.md: Envoy's source/exe). Commands and the server get their parts here.
#pragma once

#include <filesystem>
#include <string>

#include "core/config.h"
#include "core/result.h"
#include "store/store.h"

namespace sw::app {

// Opens the store the configuration names (SQLite file in the data directory, or PostgreSQL).
core::Result<store::StorePtr> open_store(const core::NodeConfig& config);

struct InitOptions {
  std::filesystem::path data_dir;
  std::string org_name;
  std::string country;             // ISO 3166-1 alpha-2, upper case
  std::string store_backend = "sqlite";
  std::string postgres_conninfo;
  std::string listen = "127.0.0.1:8080";
};

struct InitResult {
  core::NodeConfig config;
  std::string identity_id;
  std::string admin_user = "admin";
  std::string admin_password;  // one-time: must be changed at first sign-in
};

// Creates a node: the data directory, shieldwall.toml, the store with its schema, the STIX
// identity of the organisation (with its country as a location), the organisation's account
// record (a member) and its first administrator with a one-time password. Refuses an existing
// node.
core::Result<InitResult> init_node(const InitOptions& options);

}  // namespace sw::app
