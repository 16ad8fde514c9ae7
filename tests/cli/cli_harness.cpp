#include "cli_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sw::clitest {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

std::vector<char*> argv_of(const std::vector<std::string>& args, std::string& program) {
  program = shieldwall_binary().string();
  std::vector<char*> argv;
  argv.push_back(program.data());
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Spawns shieldwall: stdin /dev/null, stdout to `out_fd`, stderr to `err_fd`.
pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  std::string program;
  auto argv = argv_of(args, program);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) fail("cannot start " + program + ": " + std::strerror(rc));
  return pid;
}

void fill_status(RunResult& r, int status, const struct rusage& ru) {
  r.maxrss_kb = ru.ru_maxrss;
  if (WIFEXITED(status)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
}

// Waits for `pid` until `deadline`, then kills it.
void reap(pid_t pid, Clock::time_point deadline, RunResult& r) {
  int status = 0;
  struct rusage ru {};
  for (;;) {
    pid_t got = wait4(pid, &status, WNOHANG, &ru);
    if (got == pid) break;
    if (got < 0 && errno != EINTR) fail(std::string("wait4: ") + std::strerror(errno));
    if (Clock::now() > deadline) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &ru);
      break;
    }
    usleep(2000);
  }
  fill_status(r, status, ru);
}

}  // namespace

fs::path shieldwall_binary() { return fs::path(SW_BINARY_DIR) / "src" / "shieldwall"; }

fs::path shared_data() {
  if (const char* e = std::getenv("SW_SHARED_DATA"); e && *e) return e;
  return SW_SHARED_DATA_DEFAULT;
}

TempDir::TempDir() {
  fs::path base = ::testing::TempDir();
  std::string tmpl = (base / "sw-cli-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) fail("mkdtemp " + tmpl + ": " + std::strerror(errno));
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (const char* k = std::getenv("SW_KEEP_TEST_DIRS"); k && std::string(k) == "1") return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string RunResult::describe() const {
  std::string s;
  if (timed_out)
    s = "timed out";
  else if (exited)
    s = "exit " + std::to_string(exit_code);
  else
    s = "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  std::string e = err.size() > 4000 ? err.substr(0, 4000) + "…" : err;
  return s + "; stderr:\n" + e;
}

RunResult run(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  int out_p[2], err_p[2];
  if (pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0) fail("pipe2");
  const pid_t pid = spawn(args, out_p[1], err_p[1]);
  close(out_p[1]);
  close(err_p[1]);
  RunResult r;
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[1 << 16];
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      r.timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) fail("poll");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  reap(pid, deadline + std::chrono::seconds(5), r);
  return r;
}

Child::Child(const std::vector<std::string>& args, const fs::path& stdout_file)
    : stdout_file_(stdout_file) {
  int err_p[2];
  if (pipe2(err_p, O_CLOEXEC) != 0) fail("pipe2");
  const int out_fd = open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0) fail("open " + stdout_file.string());
  pid_ = spawn(args, out_fd, err_p[1]);
  close(out_fd);
  close(err_p[1]);
  err_fd_ = err_p[0];
}

Child::~Child() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (err_fd_ >= 0) close(err_fd_);
}

bool Child::fill(int timeout_ms) {
  if (eof_) return false;
  pollfd p{err_fd_, POLLIN, 0};
  int n = poll(&p, 1, timeout_ms);
  if (n <= 0) return false;
  char buf[1 << 16];
  ssize_t got = read(err_fd_, buf, sizeof buf);
  if (got > 0) {
    buf_.append(buf, static_cast<size_t>(got));
    return true;
  }
  if (got == 0 || errno != EINTR) eof_ = true;
  return false;
}

std::optional<std::string> Child::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      return line;
    }
    if (eof_) {
      if (buf_.empty()) return std::nullopt;
      std::string line = std::move(buf_);  // a last line without '\n'
      buf_.clear();
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    fill(static_cast<int>(std::min<long long>(left.count(), 200)));
  }
}

void Child::signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

RunResult Child::wait(std::chrono::milliseconds timeout) {
  RunResult r;
  const auto deadline = Clock::now() + timeout;
  while (!eof_ && Clock::now() < deadline) fill(100);  // drain, so the child never blocks
  if (!eof_) {
    kill(pid_, SIGKILL);
    r.timed_out = true;
  }
  reap(pid_, deadline + std::chrono::seconds(5), r);
  reaped_ = true;
  r.err = buf_;
  std::error_code ec;
  if (fs::exists(stdout_file_, ec)) r.out = read_file(stdout_file_);
  return r;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) fail("cannot read " + p.string());
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f) fail("cannot write " + p.string());
}

std::vector<std::string> Node::with_data(std::vector<std::string> args) const {
  args.insert(args.begin() + 1, {"--data", data.string()});
  return args;
}

void Node::set_import_option(const std::string& key, long long value) const {
  const fs::path cfg = data / "shieldwall.toml";
  std::string text = read_file(cfg);
  std::regex re("(^|\n)" + key + " = [0-9]+");
  if (!std::regex_search(text, re))
    fail("no '" + key + " = N' line in " + cfg.string() + ":\n" + text);
  text = std::regex_replace(text, re, "$1" + key + " = " + std::to_string(value));
  write_file(cfg, text);
}

Node init_node(const TempDir& dir) { return init_node_at(dir / "node"); }

Node init_node_at(const fs::path& data) {
  Node n;
  n.data = data;
  auto r = run({"init", "--data", n.data.string(), "--org", "Test CERT", "--country", "NL"});
  if (!r.exited || r.exit_code != 0) fail("shieldwall init failed: " + r.describe());
  std::smatch m;
  if (!std::regex_search(r.out, m, std::regex("organisation identity: (identity--[0-9a-f-]+)")))
    fail("init did not print the identity: " + r.out);
  n.identity = m[1];
  return n;
}

boost::json::value parse_json(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) fail("not JSON (" + ec.message() + "): " + text.substr(0, 300));
  return v;
}

namespace {

std::string read_maybe_gzip(const fs::path& file) {
  const std::string name = file.string();
  if (name.size() < 3 || name.compare(name.size() - 3, 3, ".gz") != 0) return read_file(file);
  gzFile g = gzopen(name.c_str(), "rb");
  if (!g) fail("gzopen " + name);
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(g, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(g);
  if (n < 0) fail("corrupt gzip " + name);
  return out;
}

}  // namespace

std::vector<boost::json::value> source_objects(const fs::path& file) {
  boost::json::value doc = parse_json(read_maybe_gzip(file));
  std::vector<boost::json::value> out;
  if (doc.is_array()) {
    for (auto& v : doc.as_array()) out.push_back(v);
  } else if (doc.is_object() && doc.as_object().contains("objects") &&
             doc.as_object().at("type") == "bundle") {
    for (auto& v : doc.as_object().at("objects").as_array()) out.push_back(v);
  } else {
    out.push_back(doc);
  }
  return out;
}

std::vector<fs::path> json_files_below(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string n = e.path().filename().string();
    auto ends = [&](const std::string& s) {
      return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
    };
    if (ends(".json") || ends(".json.gz")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string normalise_timestamp(const std::string& ts) {
  static const std::regex re(R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$)");
  std::smatch m;
  if (!std::regex_match(ts, m, re)) fail("not an RFC 3339 UTC timestamp: " + ts);
  std::string frac = m[2].matched ? m[2].str() : "";
  frac.resize(9, '0');
  return m[1].str() + "." + frac + "Z";
}

std::string str_at(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->as_string());
}

std::string version_key(const boost::json::object& o) {
  if (auto* m = o.if_contains("modified"); m && m->is_string())
    return normalise_timestamp(std::string(m->as_string()));
  if (auto* c = o.if_contains("created"); c && c->is_string())
    return normalise_timestamp(std::string(c->as_string()));
  return "";
}

std::vector<boost::json::value> bundle_objects(const std::string& bundle_text) {
  boost::json::value b = parse_json(bundle_text);
  if (!b.is_object() || b.as_object().at("type") != "bundle")
    fail("export did not print a bundle: " + bundle_text.substr(0, 200));
  std::vector<boost::json::value> out;
  for (auto& v : b.as_object().at("objects").as_array()) out.push_back(v);
  return out;
}

std::vector<boost::json::value> export_all_versions(const Node& node) {
  auto r = run(node.with_data({"export", "--all-versions"}));
  if (!r.exited || r.exit_code != 0) fail("export failed: " + r.describe());
  return bundle_objects(r.out);
}

boost::json::object stats_json(const Node& node) {
  auto r = run(node.with_data({"stats", "--json"}));
  if (!r.exited || r.exit_code != 0) fail("stats failed: " + r.describe());
  return parse_json(r.out).as_object();
}

namespace {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const fs::path& file) {
    if (!fs::exists(file)) fail("no store file " + file.string());
    // Read-write so that a WAL left by a killed process is recovered, as the next shieldwall
    // process would; nothing is written.
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      fail("sqlite3_open " + file.string() + ": " + sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 10000);
  }
  ~Db() { sqlite3_close(db); }
};

}  // namespace

std::string sqlite_integrity_check(const fs::path& file) {
  Db d(file);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK)
    fail(std::string("integrity_check: ") + sqlite3_errmsg(d.db));
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (!out.empty()) out += "\n";
    out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

std::vector<StoredRow> sqlite_rows(const fs::path& file) {
  Db d(file);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db,
                         "SELECT seq, id, version_key, json FROM object_versions ORDER BY seq", -1,
                         &st, nullptr) != SQLITE_OK)
    fail(std::string("select: ") + sqlite3_errmsg(d.db));
  std::vector<StoredRow> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    StoredRow r;
    r.seq = sqlite3_column_int64(st, 0);
    r.id = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    r.version_key = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    r.json.assign(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)),
                  static_cast<size_t>(sqlite3_column_bytes(st, 3)));
    out.push_back(std::move(r));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) fail(std::string("select: ") + sqlite3_errmsg(d.db));
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  std::string line;
  while (std::getline(s, line)) out.push_back(line);
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace sw::clitest
