// One function per shieldwall command; cli.cpp declares the flags and calls these. Each returns the
// process exit code (see docs/cli.md): 0 done, 1 done in part (some input rejected), 2 bad usage or
// configuration, 3 the store failed.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sw::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitStore = 3;

struct InitArgs {
  std::string data, org, country, store = "sqlite", conninfo, listen = "127.0.0.1:8080";
};
int cmd_init(const InitArgs& a);

struct ImportArgs {
  std::string data;
  std::vector<std::string> inputs;
  bool strict = false;
  bool quiet = false;
  std::string progress = "auto";  // auto | bar | jsonl | none
  std::string summary_format = "text";  // text | json
  std::string share;  // organisation | consortium | group:NAME | public; empty: node default
};
int cmd_import(const ImportArgs& a);

struct ValidateArgs {
  std::vector<std::string> inputs;
  bool warnings = false;
  std::string format = "text";
};
int cmd_validate(const ValidateArgs& a);

struct GetArgs {
  std::string data, id;
  bool all_versions = false;
};
int cmd_get(const GetArgs& a);

struct ExportArgs {
  std::string data;
  std::vector<std::string> types;
  std::string added_after;
  long long limit = 0;
  bool all_versions = false;
};
int cmd_export(const ExportArgs& a);

struct StatsArgs {
  std::string data;
  bool json = false;
};
int cmd_stats(const StatsArgs& a);

struct ServeArgs {
  std::string data, listen;
};
int cmd_serve(const ServeArgs& a);

// cmd_index.cpp: asking the indicator index (docs/matching.md).
struct LookupArgs {
  std::string data, kind, warninglists;
  std::vector<std::string> values;  // "-": one value per line of stdin
  bool no_warninglists = false, quiet = false;
};
int cmd_lookup(const LookupArgs& a);  // 0 some value hit, 1 none did

struct CorrelateArgs {
  std::string data, id;
  long long cap = 0;  // 0: [index] over_correlation_cap
  bool quiet = false;
};
int cmd_correlate(const CorrelateArgs& a);  // 0 done, 1 the id is not in the index

struct MatchArgs {
  std::string data, format = "lines", input, warninglists;
  bool no_warninglists = false, quiet = false;
};
int cmd_match(const MatchArgs& a);  // 0 some observable hit, 1 none did

// shieldwall pattern validate|match|inspect (cmd_pattern.cpp). When one is chosen, app.parse()
// runs it and stores its exit code in exit_code, which must outlive app.
void add_pattern_commands(CLI::App& app, int& exit_code);
// shieldwall audit verify|list (cmd_audit.cpp), the same way.
void add_audit_commands(CLI::App& app, int& exit_code);

// shieldwall org | user | key | group (cmd_accounts.cpp): the node's accounts.
void add_account_commands(CLI::App& app, int& exit_code);

// Prints "error: <where>: <message>" to stderr.
void print_error(const std::string& what);

}  // namespace sw::cli
