// Opening the node a command works on: its configuration and its store.
#pragma once

#include <string>

#include "core/config.h"
#include "core/result.h"
#include "store/store.h"

namespace sw::cli {

struct OpenNode {
  core::NodeConfig config;
  store::StorePtr store;
};

// Loads DATA/shieldwall.toml and opens the store it names. Prints the error and returns nullopt-like
// failure through Result.
core::Result<OpenNode> open_node(const std::string& data_flag);

// Prints the error of opening or reading the node and returns the exit code for it: kExitStore
// for a store failure, kExitUsage otherwise (configuration, arguments).
int fail_open(const core::Error& e);

// "12,345,678"
std::string with_commas(long long n);
// "12.3 MB"
std::string human_bytes(double bytes);

}  // namespace sw::cli
