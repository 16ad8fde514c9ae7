// Helpers for the end-to-end tests of the shieldwall binary: running it (to completion, or as a
// child whose stderr is read line by line and which can be signalled), throw-away node
// directories, reading STIX source files with Boost.JSON (never with Shieldwall's own reader, so
// expectations are independent of the code under test), and looking at the SQLite file directly.
//
// Every test gets its own directory (TempDir), so tests run in parallel under ctest.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sw::clitest {

namespace fs = std::filesystem;

// The shieldwall executable of this build tree.
fs::path shieldwall_binary();
// $SW_SHARED_DATA, else the build's default.
fs::path shared_data();

// A fresh directory, removed with everything in it when the object dies (kept when the
// environment has SW_KEEP_TEST_DIRS=1, to look at after a failure).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

struct RunResult {
  bool exited = false;  // ended by exit(); false when killed by a signal (a crash) or timed out
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
  long maxrss_kb = 0;  // peak resident set of the child (wait4's rusage: this child only)
  // "exit 1" / "signal 11" / "timeout" plus stderr: for assertion messages.
  std::string describe() const;
};

// Runs shieldwall with `args` (not including the program name), stdin from /dev/null, and waits
// for it; kills it after `timeout`.
RunResult run(const std::vector<std::string>& args,
              std::chrono::milliseconds timeout = std::chrono::seconds(120));

// A running shieldwall whose stderr is a pipe read line by line; stdout goes to a file.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& stdout_file);
  ~Child();  // kills (SIGKILL) and reaps a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // The next complete stderr line (without '\n'); nullopt at EOF or when `timeout` passes.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  bool eof() const { return eof_; }
  void signal(int sig);
  // Waits for the child (killing it after `timeout`); the rest of stderr stays readable through
  // read_line (it is drained first so the child never blocks on a full pipe).
  RunResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(120));

 private:
  bool fill(int timeout_ms);
  pid_t pid_ = -1;
  int err_fd_ = -1;
  bool eof_ = false;
  bool reaped_ = false;
  std::string buf_;
  fs::path stdout_file_;
};

// Text files.
std::string read_file(const fs::path& p);
void write_file(const fs::path& p, const std::string& text);

// A node created with `shieldwall init` in `dir`/node. Its identity, location and relationship
// are what the store holds before a test imports anything.
struct Node {
  fs::path data;
  std::string identity;
  fs::path db() const { return data / "shieldwall.db"; }
  std::vector<std::string> with_data(std::vector<std::string> args) const;
  // Sets a key of the [import] section of shieldwall.toml (batch_size, max_object_bytes).
  void set_import_option(const std::string& key, long long value) const;
};
Node init_node(const TempDir& dir);
Node init_node_at(const fs::path& data);

// JSON.
boost::json::value parse_json(const std::string& text);  // fails the test (throws) when invalid
// The STIX objects of a file as Boost.JSON values: the `objects` of a bundle, the elements of a
// list, or the single object. Reads .json.gz too.
std::vector<boost::json::value> source_objects(const fs::path& file);
// Every *.json and *.json.gz below `dir`, sorted as std::filesystem::path sorts.
std::vector<fs::path> json_files_below(const fs::path& dir);
// An RFC 3339 timestamp with the fraction padded to 9 digits, so that byte order is time order:
// "2017-05-31T21:32:58.226Z" → "2017-05-31T21:32:58.226000000Z". Fails (throws) on other forms.
std::string normalise_timestamp(const std::string& ts);
// The version key a STIX object's versions are ordered by: normalised `modified`, else
// `created`, else "" (SCOs).
std::string version_key(const boost::json::object& o);
// The string property `key`; "" when absent or not a string.
std::string str_at(const boost::json::object& o, const char* key);

// `shieldwall export` output parsed: the objects of the bundle.
std::vector<boost::json::value> bundle_objects(const std::string& bundle_text);

// What `export --all-versions` shows: every stored version, in sequence order.
std::vector<boost::json::value> export_all_versions(const Node& node);

// `stats --json`.
boost::json::object stats_json(const Node& node);

// The SQLite file, read directly.
struct StoredRow {
  int64_t seq = 0;
  std::string id, version_key, json;
};
std::string sqlite_integrity_check(const fs::path& db);  // "ok" when sound
// Every stored version (table object_versions), in sequence order.
std::vector<StoredRow> sqlite_rows(const fs::path& db);

// Lines of a text.
std::vector<std::string> lines_of(const std::string& text);
bool contains(const std::string& haystack, const std::string& needle);

}  // namespace sw::clitest
