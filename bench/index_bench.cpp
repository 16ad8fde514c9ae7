// sw-index-bench: the indicator index (src/index/index.h) at scale — build time and memory, look-up
// rates by kind against the same look-ups as indexed SQLite queries, and correlation of a large
// report — on indicators made from the real block lists, padded with synthetic values.
//
//   sw-index-bench --atoms N [--lookups M] [--sql-lookups K] [--sql-budget T] [--reps R]
//                  [--correlate C] [--seed S] [--feeds DIR] [--tmp DIR] [--no-sqlite]
//                  [--parallel-build] [--loop STREAM SECONDS]
//
// The data set. Indicator i (0 <= i < N) carries value i of bench/feeds.h — the 769,281 distinct
// values of the feeds in sw-gen-bundle's seeded order, then synthetic ones (a more-specific block,
// a sub-domain, another address, other hex digits) — with sw-gen-bundle's pattern for it, except
// that Maltrail's domains (a trail matches the domain and its subdomains) get
// `[domain-name:value = 'd' OR domain-name:value LIKE '%.d']`, which files d for its subdomains
// too: that is what parent-domain look-ups find. Each object is the minimal indicator (id, type,
// spec_version, created, modified, pattern, pattern_type, valid_from: ~200 bytes of JSON) built
// in memory, 8,192 at a time; N objects give a little more than N atoms (an ip:port pattern also
// files its `dst_ref.type` comparison under an "other" key).
//
// Measured, in this order (progress on stderr; `RESULT key value` lines on stdout, read by
// bench/run-engine):
//  0. the machine's memory latency: dependent random reads in 256 MB (2 MiB and 4 KiB pages) —
//     the floor under a look-up, which touches a few random cache lines of a large index.
//  1. build: Index::apply over the N objects, batch by batch, on one thread (CPU and wall time of
//     the apply calls only, not of making the objects) — that includes parsing each object's JSON
//     and compiling its pattern, the real cost. Memory: the process RSS before and after (heap
//     trimmed both times; RssAnon) and Index::stats().bytes, each per atom; again after one pass
//     over the look-up streams, which compiles the kept patterns they hit (LazyPattern).
//  2. the same objects through index::extract() alone (JSON + pattern compilation + atoms, what
//     apply does outside its lock): apply minus extract is the cost of the tables. The index API
//     takes objects only, so there is no build from pre-extracted atoms to time directly.
//     Meanwhile the atoms go into a SQLite database in a temporary directory (the baseline).
//  3. look-ups: one stream of M values per kind, half hits and half misses (a miss is checked to
//     have no hit at all — for `ipv4`, no exact hit: most public addresses lie in a country block),
//     shuffled; Reader::lookup of every value, and Reader::lookup_batch of 1,024 values at a time
//     (it prefetches), R repetitions with the streams in random order, median rate per CPU second
//     of the thread. Streams:
//        ipv4     addresses: indexed ones / other public addresses       (exact kind)
//        domain   indexed names / made-up names                          (exact kind)
//        url, md5, sha1, sha256  indexed values / others                 (exact kinds)
//        cidr4    addresses inside an indexed IPv4 block / in none       (longest prefix)
//        cidr6    addresses inside an indexed IPv6 block / in none       (longest prefix)
//        parent   a new label under a domain filed for its subdomains / under a made-up one
//     The SQLite baseline answers the same values with prepared statements against a table of
//     (type, value) indexed on both, as MISP does: one equality query (for `parent`: one per
//     suffix of the name, the name included); for the blocks the obvious range query,
//     `lo <= ?1 AND hi >= ?1` on integer (IPv6: 16-byte blob) columns with an index on (lo, hi),
//     and, for information, one equality query per prefix length present (the index's own
//     method, in SQL). Each SQL stream runs K values or T s of CPU, whichever comes first. The
//     values are normalised (index::normalise) on both sides. The database is mmap'ed and warm.
//  4. correlation: Reader::correlate of one report of C attributes not in the index (40 % IPv4
//     addresses, 3 % IPv4 blocks /24-/29, 25 % domains, 12 % URLs, 20 % hashes; a fifth of them
//     indexed values), with the default options (blocks related to what they contain), median of
//     R; also with contained = false.
//  5. with --parallel-build (N <= 4M): the build again from objects made beforehand, on two
//     threads as intel::load_index does (wall time).
//
// --loop STREAM SECONDS: after the build, look up STREAM for SECONDS and exit (for perf).
#include <arpa/inet.h>
#include <malloc.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/time.h"
#include "feeds.h"
#include "index/extract.h"
#include "index/index.h"
#include "index/observable.h"
#include "pattern/ip.h"
#include "stix/object.h"

namespace {

namespace fs = std::filesystem;
namespace fb = sw::bench;
namespace ix = sw::index;

// ---------------------------------------------------------------------------------------------
// Clocks, memory, output

double thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Anonymous resident memory (RssAnon), after giving freed heap back: the index's memory, not the
// mapped files (the SQLite baseline is mmap'ed).
uint64_t rss_bytes() {
  malloc_trim(0);
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  unsigned long long kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "RssAnon: %llu kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb * 1024;
}

void result(const std::string& key, double value) {
  std::printf("RESULT %s %.10g\n", key.c_str(), value);
  std::fflush(stdout);
}

template <typename... A>
void note(const char* fmt, A... a) {
  std::fprintf(stderr, "sw-index-bench: ");
  std::fprintf(stderr, fmt, a...);
  std::fputc('\n', stderr);
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "sw-index-bench: %s\n", msg.c_str());
  std::exit(2);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The floor under any look-up: nanoseconds per dependent random read in `bytes` of memory (a
// random cycle through 64-byte lines), with 2 MiB pages (as the index's tables ask for) or 4 KiB.
double memory_latency_ns(size_t bytes, bool huge, uint64_t seed) {
  struct alignas(64) Line {
    uint32_t next;
    char pad[60];
  };
  const size_t n = bytes / sizeof(Line);
  void* mem = std::aligned_alloc(size_t{2} << 20, n * sizeof(Line));
  if (!mem) return 0;
  madvise(mem, n * sizeof(Line), huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  Line* lines = static_cast<Line*>(mem);
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  fb::Rng rng(fb::mix64(seed ^ 0x1a7e));
  for (size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  for (size_t i = 0; i < n; ++i) lines[order[i]].next = order[(i + 1) % n];
  uint32_t x = order[0];
  constexpr size_t kSteps = 4'000'000;
  const double c0 = thread_cpu();
  for (size_t k = 0; k < kSteps; ++k) x = lines[x].next;
  const double took = thread_cpu() - c0;
  if (x == n) std::fputc(' ', stderr);
  std::free(mem);
  return took * 1e9 / double(kSteps);
}

// ---------------------------------------------------------------------------------------------
// The data set

// What a value is to the look-up streams.
enum class Cat : uint8_t { kAddr4, kBlock4, kBlock6, kDomain, kUrl, kMd5, kSha1, kSha256, kOther };

class DataSet {
 public:
  DataSet(const fb::Corpus& c, uint64_t count, uint64_t seed)
      : c_(c), n_(c.values.size()), far_(fb::far_cycle(count, n_)), count_(count), seed_(seed) {}

  uint64_t size() const { return count_; }
  const fb::Value& base(uint64_t i) const { return c_.values[i % n_]; }
  uint64_t cycle(uint64_t i) const { return i / n_; }
  std::string text(uint64_t i) const { return fb::derive(c_, base(i), cycle(i), far_); }
  bool maltrail(const fb::Value& v) const {
    return c_.sources[v.source].feed == fb::Feed::kMaltrail;
  }

  Cat cat(uint64_t i) const {
    const fb::Value& v = base(i);
    switch (v.kind) {
      case fb::Kind::kIpv4:
        return Cat::kAddr4;
      case fb::Kind::kCidr4:
        return (v.extra && cycle(i) > 0) ? Cat::kAddr4 : Cat::kBlock4;
      case fb::Kind::kCidr6:
        return Cat::kBlock6;
      case fb::Kind::kDomain:
        return Cat::kDomain;
      case fb::Kind::kUrl:
        return Cat::kUrl;
      case fb::Kind::kMd5:
        return Cat::kMd5;
      case fb::Kind::kSha1:
        return Cat::kSha1;
      case fb::Kind::kSha256:
        return Cat::kSha256;
      case fb::Kind::kIpv4Port:
        return Cat::kOther;
    }
    return Cat::kOther;
  }
  // A domain filed for its subdomains.
  bool sub_domain(uint64_t i) const {
    return base(i).kind == fb::Kind::kDomain && maltrail(base(i));
  }

  // Indicator i, minimal, as stix::Object (meta + minified JSON).
  void make_object(uint64_t i, sw::stix::Object& o) const {
    const fb::Value& v = base(i);
    const std::string value = text(i);
    std::string pattern;
    if (v.kind == fb::Kind::kDomain && maltrail(v)) {
      const std::string lit = fb::pattern_literal(value);
      pattern = "[domain-name:value = '" + lit + "' OR domain-name:value LIKE '%." + lit + "']";
    } else {
      pattern = fb::indicator_pattern(v.kind, value);
    }
    fb::Rng rng(fb::mix64(seed_ * 0x2545f4914f6cdd1dull + i));
    o.meta.id = "indicator--";
    fb::append_uuid4(o.meta.id, rng);
    std::string& j = o.json;
    j.clear();
    j += R"({"type":"indicator","spec_version":"2.1","id":")";
    j += o.meta.id;
    j += R"(","created":")";
    j += kCreated;
    j += R"(","modified":")";
    j += kCreated;
    j += R"(","pattern":")";
    fb::append_json_escaped(j, pattern);
    j += R"(","pattern_type":"stix","valid_from":")";
    j += kCreated;
    j += "\"}";
    o.meta.type = "indicator";
    o.meta.spec_version = "2.1";
    o.meta.created = o.meta.modified = created_;
    o.meta.has_created = o.meta.has_modified = true;
    o.meta.tlp = sw::stix::Tlp::kGreen;
    o.meta.kind = sw::stix::ObjectKind::kSdo;
  }

  void make_batch(uint64_t start, uint64_t end, std::vector<sw::stix::Object>& out) const {
    out.resize(end - start);
    for (uint64_t i = start; i < end; ++i) make_object(i, out[i - start]);
  }

 private:
  static constexpr const char* kCreated = "2025-06-01T12:00:00.000Z";
  const fb::Corpus& c_;
  uint64_t n_, far_, count_, seed_;
  sw::core::Timestamp created_ = *sw::core::parse_timestamp(kCreated);
};

// ---------------------------------------------------------------------------------------------
// The SQLite baseline

class Sql {
 public:
  ~Sql() {
    for (auto* s :
         {ins_attr_, ins_c4_, ins_c6_, q_eq_, q_c4_range_, q_c6_range_, q_c4_len_, q_c6_len_})
      if (s) sqlite3_finalize(s);
    if (db_) sqlite3_close(db_);
  }

  void create(const fs::path& file) {
    path_ = file;
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) die("sqlite: cannot open " + file.string());
    exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
        "PRAGMA temp_store=MEMORY; PRAGMA page_size=4096;");
    exec(
        "CREATE TABLE attributes(id INTEGER PRIMARY KEY, object_id INTEGER NOT NULL,"
        " type TEXT NOT NULL, value TEXT NOT NULL);"
        "CREATE TABLE cidr4(id INTEGER PRIMARY KEY, object_id INTEGER NOT NULL,"
        " lo INTEGER NOT NULL, hi INTEGER NOT NULL, plen INTEGER NOT NULL, net INTEGER NOT NULL);"
        "CREATE TABLE cidr6(id INTEGER PRIMARY KEY, object_id INTEGER NOT NULL,"
        " lo BLOB NOT NULL, hi BLOB NOT NULL, plen INTEGER NOT NULL, net BLOB NOT NULL);");
    exec("BEGIN");
    ins_attr_ = prepare("INSERT INTO attributes(object_id, type, value) VALUES (?1, ?2, ?3)");
    ins_c4_ =
        prepare("INSERT INTO cidr4(object_id, lo, hi, plen, net) VALUES (?1, ?2, ?3, ?4, ?2)");
    ins_c6_ =
        prepare("INSERT INTO cidr6(object_id, lo, hi, plen, net) VALUES (?1, ?2, ?3, ?4, ?2)");
  }

  // One atom of object `id`, as the index files it.
  void insert(uint64_t id, const ix::ExtractedAtom& a) {
    if (a.kind == ix::Kind::kIpv4 || a.kind == ix::Kind::kIpv6) {
      sw::pattern::IpNet net;
      if (!sw::pattern::parse_ip_net(a.key, net)) return;
      const unsigned max = net.v6 ? 128 : 32;
      if (net.prefix < max) {  // a block: the range tables
        if (!net.v6) {
          const uint32_t lo = v4(net) & mask4(net.prefix);
          const uint32_t hi = lo | ~mask4(net.prefix);
          sqlite3_bind_int64(ins_c4_, 1, static_cast<int64_t>(id));
          sqlite3_bind_int64(ins_c4_, 2, lo);
          sqlite3_bind_int64(ins_c4_, 3, hi);
          sqlite3_bind_int(ins_c4_, 4, net.prefix);
          step_done(ins_c4_);
          lengths4_ |= uint64_t{1} << net.prefix;
        } else {
          uint8_t lo[16], hi[16];
          range6(net, lo, hi);
          sqlite3_bind_int64(ins_c6_, 1, static_cast<int64_t>(id));
          sqlite3_bind_blob(ins_c6_, 2, lo, 16, SQLITE_TRANSIENT);
          sqlite3_bind_blob(ins_c6_, 3, hi, 16, SQLITE_TRANSIENT);
          sqlite3_bind_int(ins_c6_, 4, net.prefix);
          step_done(ins_c6_);
          lengths6_[net.prefix] = true;
        }
        return;
      }
    }
    sqlite3_bind_int64(ins_attr_, 1, static_cast<int64_t>(id));
    const std::string_view type = ix::kind_name(a.kind);
    sqlite3_bind_text(ins_attr_, 2, type.data(), static_cast<int>(type.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins_attr_, 3, a.key.data(), static_cast<int>(a.key.size()), SQLITE_STATIC);
    step_done(ins_attr_);
  }

  // Commits, builds the indexes, reopens read-only with mmap.
  void finish() {
    exec("COMMIT");
    exec(
        "CREATE INDEX attributes_type_value ON attributes(type, value);"
        "CREATE INDEX cidr4_range ON cidr4(lo, hi); CREATE INDEX cidr4_len ON cidr4(plen, net);"
        "CREATE INDEX cidr6_range ON cidr6(lo, hi); CREATE INDEX cidr6_len ON cidr6(plen, net);"
        "ANALYZE;");
    for (auto** s : {&ins_attr_, &ins_c4_, &ins_c6_}) {
      sqlite3_finalize(*s);
      *s = nullptr;
    }
    sqlite3_close(db_);
    db_ = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      die("sqlite: cannot reopen " + path_.string());
    exec("PRAGMA mmap_size=17179869184; PRAGMA cache_size=-262144;");
    q_eq_ = prepare("SELECT object_id FROM attributes WHERE type = ?1 AND value = ?2");
    q_c4_range_ = prepare("SELECT object_id FROM cidr4 WHERE lo <= ?1 AND hi >= ?1");
    q_c6_range_ = prepare("SELECT object_id FROM cidr6 WHERE lo <= ?1 AND hi >= ?1");
    q_c4_len_ = prepare("SELECT object_id FROM cidr4 WHERE plen = ?1 AND net = ?2");
    q_c6_len_ = prepare("SELECT object_id FROM cidr6 WHERE plen = ?1 AND net = ?2");
  }

  uint64_t file_bytes() const {
    std::error_code ec;
    const auto n = fs::file_size(path_, ec);
    return ec ? 0 : n;
  }

  // Rows of `SELECT … WHERE type = kind AND value = normalise(raw)`.
  size_t eq(ix::Kind kind, std::string_view raw) {
    if (!ix::normalise_into(kind, raw, norm_)) return 0;
    return eq_norm(kind, norm_);
  }

  // The name and each of its suffixes, one query each.
  size_t parents(std::string_view raw) {
    if (!ix::normalise_into(ix::Kind::kDomain, raw, norm_)) return 0;
    size_t rows = 0;
    std::string_view name = norm_;
    for (;;) {
      rows += eq_norm(ix::Kind::kDomain, name);
      const size_t dot = name.find('.');
      if (dot == std::string_view::npos) break;
      name.remove_prefix(dot + 1);
    }
    return rows;
  }

  // The blocks containing an address: the range query, or one equality per prefix length.
  size_t block(std::string_view raw, bool per_length) {
    sw::pattern::IpNet net;
    if (!sw::pattern::parse_ip_net(raw, net)) return 0;
    size_t rows = 0;
    if (!net.v6) {
      const uint32_t a = v4(net);
      if (!per_length) {
        sqlite3_bind_int64(q_c4_range_, 1, a);
        return count(q_c4_range_);
      }
      for (int len = 32; len >= 0; --len) {
        if (!((lengths4_ >> len) & 1)) continue;
        sqlite3_bind_int(q_c4_len_, 1, len);
        sqlite3_bind_int64(q_c4_len_, 2, a & mask4(static_cast<unsigned>(len)));
        rows += count(q_c4_len_);
      }
      return rows;
    }
    uint8_t addr[16];
    std::memcpy(addr, net.addr.data(), 16);
    if (!per_length) {
      sqlite3_bind_blob(q_c6_range_, 1, addr, 16, SQLITE_STATIC);
      return count(q_c6_range_);
    }
    for (int len = 128; len >= 0; --len) {
      if (!lengths6_[static_cast<size_t>(len)]) continue;
      sw::pattern::IpNet b = net;
      b.prefix = static_cast<uint8_t>(len);
      uint8_t lo[16], hi[16];
      range6(b, lo, hi);
      sqlite3_bind_int(q_c6_len_, 1, len);
      sqlite3_bind_blob(q_c6_len_, 2, lo, 16, SQLITE_STATIC);
      rows += count(q_c6_len_);
    }
    return rows;
  }

  int lengths4() const { return std::popcount(lengths4_); }
  int lengths6() const {
    return static_cast<int>(std::count(lengths6_.begin(), lengths6_.end(), true));
  }

 private:
  static uint32_t v4(const sw::pattern::IpNet& n) {
    return uint32_t{n.addr[0]} << 24 | uint32_t{n.addr[1]} << 16 | uint32_t{n.addr[2]} << 8 |
           n.addr[3];
  }
  static uint32_t mask4(unsigned len) { return len == 0 ? 0 : ~uint32_t{0} << (32 - len); }
  static void range6(const sw::pattern::IpNet& n, uint8_t* lo, uint8_t* hi) {
    for (int i = 0; i < 16; ++i) {
      const int bits = std::clamp(static_cast<int>(n.prefix) - 8 * i, 0, 8);
      const auto m = static_cast<uint8_t>(bits == 0 ? 0 : 0xFF << (8 - bits));
      lo[i] = n.addr[static_cast<size_t>(i)] & m;
      hi[i] = static_cast<uint8_t>(lo[i] | static_cast<uint8_t>(~m));
    }
  }

  size_t eq_norm(ix::Kind kind, std::string_view value) {
    const std::string_view type = ix::kind_name(kind);
    sqlite3_bind_text(q_eq_, 1, type.data(), static_cast<int>(type.size()), SQLITE_STATIC);
    sqlite3_bind_text(q_eq_, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return count(q_eq_);
  }

  size_t count(sqlite3_stmt* s) {
    size_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      sink_ += static_cast<uint64_t>(sqlite3_column_int64(s, 0));
      ++rows;
    }
    if (rc != SQLITE_DONE) die(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(s);
    return rows;
  }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string m = err ? err : "?";
      sqlite3_free(err);
      die("sqlite: " + m);
    }
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      die(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return s;
  }
  void step_done(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) die(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }

  fs::path path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt *ins_attr_ = nullptr, *ins_c4_ = nullptr, *ins_c6_ = nullptr;
  sqlite3_stmt *q_eq_ = nullptr, *q_c4_range_ = nullptr, *q_c6_range_ = nullptr;
  sqlite3_stmt *q_c4_len_ = nullptr, *q_c6_len_ = nullptr;
  uint64_t lengths4_ = 0;
  std::vector<bool> lengths6_ = std::vector<bool>(129, false);
  std::string norm_;

 public:
  uint64_t sink_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Look-up streams

// Values in one pool, looked up as views (no allocation or pointer chasing in the timed loop
// beyond the index's own).
struct Stream {
  std::string name;
  ix::Kind kind = ix::Kind::kIpv4;
  bool lpm = false;  // target class: longest prefix / parent domain (else exact)
  std::string pool;
  std::vector<std::pair<uint32_t, uint32_t>> at;  // offset, length
  std::vector<std::string_view> views;            // every value, for lookup_batch()
  std::string_view value(size_t i) const { return {pool.data() + at[i].first, at[i].second}; }
  size_t size() const { return at.size(); }
  void add(std::string_view v) {
    at.emplace_back(static_cast<uint32_t>(pool.size()), static_cast<uint32_t>(v.size()));
    pool.append(v);
  }
};

// Draws hit and miss values of each stream.
class Sampler {
 public:
  Sampler(const DataSet& d, ix::Index::Reader& r, uint64_t seed)
      : d_(d), r_(r), rng_(fb::mix64(seed ^ 0x10c4u)) {}

  // A random indexed value of category `c` (`sub`: a domain filed for its subdomains).
  uint64_t pick(Cat c, bool sub = false) {
    for (int attempt = 0; attempt < 100000; ++attempt) {
      const uint64_t i = rng_.below(d_.size());
      if (d_.cat(i) == c && (!sub || d_.sub_domain(i))) return i;
    }
    die("no value of a wanted kind in the data set (too few atoms?)");
  }

  size_t hits(ix::Kind k, std::string_view v) {
    return r_.lookup(k, v, [](const ix::Hit&) {});
  }
  bool exact_hit(ix::Kind k, std::string_view v) {
    bool exact = false;
    r_.lookup(k, v, [&](const ix::Hit& h) { exact = exact || h.match == ix::Match::kExact; });
    return exact;
  }

  std::string hit(const std::string& stream) {
    if (stream == "ipv4") return d_.text(pick(Cat::kAddr4));
    if (stream == "domain") return d_.text(pick(Cat::kDomain));
    if (stream == "url") return d_.text(pick(Cat::kUrl));
    if (stream == "md5") return d_.text(pick(Cat::kMd5));
    if (stream == "sha1") return d_.text(pick(Cat::kSha1));
    if (stream == "sha256") return d_.text(pick(Cat::kSha256));
    if (stream == "parent") return label() + "." + d_.text(pick(Cat::kDomain, true));
    if (stream == "cidr4") return inside(d_.text(pick(Cat::kBlock4)));
    if (stream == "cidr6") return inside(d_.text(pick(Cat::kBlock6)));
    die("unknown stream " + stream);
  }

  std::string miss(const std::string& stream) {
    for (int attempt = 0; attempt < 10000; ++attempt) {
      std::string v;
      ix::Kind k = ix::Kind::kOther;
      if (stream == "ipv4") {
        v = public4(), k = ix::Kind::kIpv4;
        if (!exact_hit(k, v)) return v;
        continue;
      }
      if (stream == "cidr4") {
        v = attempt < 4 ? public4() : private4(), k = ix::Kind::kIpv4;
      } else if (stream == "cidr6") {
        v = attempt < 4 ? global6() : doc6(), k = ix::Kind::kIpv6;
      } else if (stream == "domain") {
        v = word() + "." + tld(), k = ix::Kind::kDomain;
      } else if (stream == "parent") {
        v = label() + "." + word() + "." + tld(), k = ix::Kind::kDomain;
      } else if (stream == "url") {
        v = (rng_.below(2) ? "http://" : "https://") + word() + "." + tld() + "/" + label() + "/" +
            word() + ".php?id=" + std::to_string(rng_.below(100000)),
        k = ix::Kind::kUrl;
      } else if (stream == "md5") {
        v = hex(32), k = ix::Kind::kMd5;
      } else if (stream == "sha1") {
        v = hex(40), k = ix::Kind::kSha1;
      } else if (stream == "sha256") {
        v = hex(64), k = ix::Kind::kSha256;
      }
      if (hits(k, v) == 0) return v;
    }
    die("cannot find a miss for stream " + stream);
  }

  // An address inside block `cidr`, host bits random.
  std::string inside(const std::string& cidr) {
    sw::pattern::IpNet n;
    if (!sw::pattern::parse_ip_net(cidr, n)) die("bad block " + cidr);
    const int bits = n.v6 ? 128 : 32;
    for (int b = n.prefix; b < bits; ++b) {
      const auto m = static_cast<uint8_t>(0x80 >> (b % 8));
      if (rng_.below(2))
        n.addr[static_cast<size_t>(b / 8)] |= m;
      else
        n.addr[static_cast<size_t>(b / 8)] &= static_cast<uint8_t>(~m);
    }
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(n.v6 ? AF_INET6 : AF_INET, n.addr.data(), buf, sizeof buf);
    return buf;
  }

  std::string public4() {
    for (;;) {
      const auto a = static_cast<uint32_t>(rng_.next());
      if (fb::public_ipv4(a)) return fb::ipv4_string(a);
    }
  }
  std::string private4() {
    static constexpr uint32_t kNets[][2] = {{0x0A000000u, 8},
                                            {0xAC100000u, 12},
                                            {0xC0A80000u, 16},
                                            {0x64400000u, 10},
                                            {0xC6120000u, 15}};
    const auto& n = kNets[rng_.below(std::size(kNets))];
    const uint32_t host = static_cast<uint32_t>(rng_.next()) & ~(~uint32_t{0} << (32 - n[1]));
    return fb::ipv4_string(n[0] | host);
  }
  std::string global6() { return six(0x20, 3); }  // 2000::/3
  std::string doc6() { return six(0x20, 32); }    // 2001:db8::/32
  std::string six(uint8_t, int prefix) {
    uint8_t a[16];
    for (int i = 0; i < 16; i += 8) {
      const uint64_t r = rng_.next();
      std::memcpy(a + i, &r, 8);
    }
    if (prefix == 3) {
      a[0] = static_cast<uint8_t>(0x20 | (a[0] & 0x1F));
    } else {
      a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
    }
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a, buf, sizeof buf);
    return buf;
  }
  std::string hex(size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(n, '0');
    for (auto& c : s) c = kHex[rng_.below(16)];
    return s;
  }
  std::string label() {
    static constexpr const char* kWords[] = {"www",    "mail",   "cdn",   "img",    "api",
                                             "m",      "static", "login", "secure", "dl",
                                             "update", "portal", "ns1",   "app"};
    return std::string(kWords[rng_.below(std::size(kWords))]) +
           (rng_.below(2) ? std::to_string(rng_.below(100)) : "");
  }
  std::string word() {
    static constexpr const char* kSyl[] = {"ka",  "lo",  "mer", "tin", "sa", "vor",
                                           "el",  "qua", "zen", "pri", "do", "ba",
                                           "nex", "tor", "li",  "um",  "ra", "cel"};
    std::string w;
    const uint64_t n = 2 + rng_.below(3);
    for (uint64_t i = 0; i < n; ++i) w += kSyl[rng_.below(std::size(kSyl))];
    w += std::to_string(rng_.below(10000));
    return w;
  }
  std::string tld() {
    static constexpr const char* kTlds[] = {"com", "net", "org", "info", "ru",
                                            "de",  "io",  "xyz", "top",  "co.uk"};
    return kTlds[rng_.below(std::size(kTlds))];
  }

  fb::Rng& rng() { return rng_; }

 private:
  const DataSet& d_;
  ix::Index::Reader& r_;
  fb::Rng rng_;
};

struct StreamDef {
  const char* name;
  ix::Kind kind;
  bool lpm;
};
constexpr StreamDef kStreams[] = {
    {"ipv4", ix::Kind::kIpv4, false},    {"domain", ix::Kind::kDomain, false},
    {"url", ix::Kind::kUrl, false},      {"md5", ix::Kind::kMd5, false},
    {"sha1", ix::Kind::kSha1, false},    {"sha256", ix::Kind::kSha256, false},
    {"cidr4", ix::Kind::kIpv4, true},    {"cidr6", ix::Kind::kIpv6, true},
    {"parent", ix::Kind::kDomain, true},
};

Stream make_stream(const StreamDef& def, size_t m, Sampler& s) {
  Stream st;
  st.name = def.name;
  st.kind = def.kind;
  st.lpm = def.lpm;
  std::vector<std::string> values;
  values.reserve(m);
  for (size_t i = 0; i < m; ++i) values.push_back(i % 2 ? s.miss(def.name) : s.hit(def.name));
  for (size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[s.rng().below(i)]);
  st.pool.reserve(m * 24);
  for (const auto& v : values) st.add(v);
  for (size_t i = 0; i < st.size(); ++i) st.views.push_back(st.value(i));
  return st;
}

struct Timed {
  double cpu = 0, wall = 0;
  uint64_t done = 0, hits = 0, with_hits = 0;
};

Timed run_index(ix::Index::Reader& r, const Stream& st) {
  Timed t;
  uint64_t sink = 0;
  const double c0 = thread_cpu(), w0 = wall();
  for (size_t i = 0; i < st.size(); ++i) {
    const size_t n = r.lookup(st.kind, st.value(i), [&](const ix::Hit& h) { sink += h.uuid[0]; });
    t.hits += n;
    t.with_hits += n != 0;
  }
  t.cpu = thread_cpu() - c0;
  t.wall = wall() - w0;
  t.done = st.size();
  if (sink == 42) std::fputc(' ', stderr);
  return t;
}

// The same through Reader::lookup_batch, kBatchLookups values per call.
constexpr size_t kBatchLookups = 1024;
Timed run_index_batch(ix::Index::Reader& r, const Stream& st) {
  Timed t;
  uint64_t sink = 0;
  std::vector<uint32_t> per(kBatchLookups);
  const double c0 = thread_cpu(), w0 = wall();
  for (size_t start = 0; start < st.size(); start += kBatchLookups) {
    const size_t n = std::min(kBatchLookups, st.size() - start);
    std::fill(per.begin(), per.begin() + static_cast<std::ptrdiff_t>(n), 0u);
    t.hits += r.lookup_batch(st.kind, std::span<const std::string_view>(st.views.data() + start, n),
                             [&](size_t i, const ix::Hit& h) {
                               sink += h.uuid[0];
                               ++per[i];
                             });
    for (size_t i = 0; i < n; ++i) t.with_hits += per[i] != 0;
  }
  t.cpu = thread_cpu() - c0;
  t.wall = wall() - w0;
  t.done = st.size();
  if (sink == 42) std::fputc(' ', stderr);
  return t;
}

Timed run_sql(Sql& sql, const Stream& st, size_t k, double budget_s, bool per_length) {
  Timed t;
  const double c0 = thread_cpu(), w0 = wall();
  const size_t n = std::min(k, st.size());
  for (size_t i = 0; i < n; ++i) {
    size_t rows;
    const std::string_view v = st.value(i);
    if (st.name == "cidr4" || st.name == "cidr6")
      rows = sql.block(v, per_length);
    else if (st.name == "parent")
      rows = sql.parents(v);
    else
      rows = sql.eq(st.kind, v);
    t.hits += rows;
    t.with_hits += rows != 0;
    ++t.done;
    if ((i & 15) == 15 && thread_cpu() - c0 > budget_s) break;
  }
  t.cpu = thread_cpu() - c0;
  t.wall = wall() - w0;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
  uint64_t atoms = 1'000'000;
  uint64_t lookups = 1'000'000;
  uint64_t sql_lookups = 20'000;
  double sql_budget = 1.0;
  int reps = 3;
  uint64_t correlate = 100'000;
  uint64_t seed = 1;
  fs::path feeds = fb::default_feeds_dir();
  fs::path tmp;
  bool sqlite = true;
  bool parallel_build = false;
  std::string loop_stream;
  double loop_seconds = 0;
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "sw-index-bench: %s\n", msg);
  std::fprintf(
      stderr,
      "usage: sw-index-bench --atoms N [--lookups M] [--sql-lookups K] [--sql-budget T] [--reps "
      "R]\n"
      "                      [--correlate C] [--seed S] [--feeds DIR] [--tmp DIR]\n"
      "                      [--no-sqlite] [--parallel-build] [--loop STREAM SECONDS]\n"
      "  --atoms N         indicators (about one atom each; default 1000000)\n"
      "  --lookups M       values per look-up stream, half hits (default 1000000)\n"
      "  --sql-lookups K   values per SQLite stream (default 20000)...\n"
      "  --sql-budget T    ...or T seconds of CPU per stream, whichever comes first (default 1)\n"
      "  --reps R          repetitions, medians reported (default 3)\n"
      "  --correlate C     attributes of the report to correlate (default 100000; 0: skip)\n"
      "  --tmp DIR         where the SQLite database goes (default $TMPDIR or /tmp)\n"
      "  --no-sqlite       no baseline (and no extract-only pass)\n"
      "  --parallel-build  also build on two threads from objects made beforehand\n"
      "  --loop S SECONDS  after the build, look up stream S for SECONDS, then exit\n"
      "streams: ipv4 domain url md5 sha1 sha256 cidr4 cidr6 parent\n");
  std::exit(2);
}

uint64_t parse_u64(const char* s) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (!end || *end || *s == '-') usage("bad number");
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (const char* t = std::getenv("TMPDIR"); t && *t)
    o.tmp = t;
  else
    o.tmp = "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((std::string(a) + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--atoms")
      o.atoms = parse_u64(value());
    else if (a == "--lookups")
      o.lookups = parse_u64(value());
    else if (a == "--sql-lookups")
      o.sql_lookups = parse_u64(value());
    else if (a == "--sql-budget")
      o.sql_budget = std::atof(value());
    else if (a == "--reps")
      o.reps = static_cast<int>(std::max<uint64_t>(1, parse_u64(value())));
    else if (a == "--correlate")
      o.correlate = parse_u64(value());
    else if (a == "--seed")
      o.seed = parse_u64(value());
    else if (a == "--feeds")
      o.feeds = value();
    else if (a == "--tmp")
      o.tmp = value();
    else if (a == "--no-sqlite")
      o.sqlite = false;
    else if (a == "--parallel-build")
      o.parallel_build = true;
    else if (a == "--loop") {
      o.loop_stream = value();
      o.loop_seconds = std::atof(value());
    } else if (a == "-h" || a == "--help")
      usage(nullptr);
    else
      usage(("unknown argument " + std::string(a)).c_str());
  }
  if (o.atoms == 0) usage("--atoms must be positive");

  // ---- the corpus -------------------------------------------------------------------------------
  double w0 = wall();
  fb::Corpus corpus = fb::load_corpus(o.feeds);
  if (corpus.values.empty()) die("no values found under " + o.feeds.string());
  fb::shuffle_values(corpus, o.seed);
  note("%zu feed values loaded from %s in %.1f s", corpus.values.size(), o.feeds.c_str(),
       wall() - w0);
  const DataSet data(corpus, o.atoms, o.seed);
  const sw::core::Timestamp now = *sw::core::parse_timestamp("2026-01-01T00:00:00Z");
  constexpr uint64_t kBatch = 8192;

  // ---- 0. the machine's memory latency (context for the look-up rates)
  // ---------------------------
  if (o.loop_stream.empty()) {
    const double huge = memory_latency_ns(size_t{256} << 20, true, o.seed);
    const double small = memory_latency_ns(size_t{256} << 20, false, o.seed);
    result("memory_latency_ns_2m", huge);
    result("memory_latency_ns_4k", small);
    note(
        "memory latency (dependent random reads in 256 MB): %.0f ns with 2 MiB pages, %.0f ns with "
        "4 KiB",
        huge, small);
  }

  // ---- 1. build ---------------------------------------------------------------------------------
  const uint64_t rss0 = rss_bytes();
  auto index = std::make_unique<ix::Index>();
  double apply_cpu = 0, apply_wall = 0;
  uint64_t errors = 0;
  {
    std::vector<sw::stix::Object> batch;
    w0 = wall();
    for (uint64_t start = 0; start < o.atoms; start += kBatch) {
      data.make_batch(start, std::min(o.atoms, start + kBatch), batch);
      const double c = thread_cpu(), w = wall();
      const ix::ApplyReport rep = index->apply(batch, now);
      apply_cpu += thread_cpu() - c;
      apply_wall += wall() - w;
      if (!rep.errors.empty() && errors == 0)
        note("apply: %s", rep.errors.front().to_string().c_str());
      errors += rep.errors.size();
    }
    note("built the index of %llu indicators: apply %.2f s CPU, %.2f s wall (whole pass %.1f s)",
         static_cast<unsigned long long>(o.atoms), apply_cpu, apply_wall, wall() - w0);
  }
  const uint64_t rss1 = rss_bytes();
  const ix::Stats st = index->stats();
  const uint64_t atoms = st.total_atoms();
  result("objects", static_cast<double>(o.atoms));
  result("indexed_objects", static_cast<double>(st.objects));
  result("atoms", static_cast<double>(atoms));
  result("apply_errors", static_cast<double>(errors));
  result("patterns_kept", static_cast<double>(st.patterns));
  result("build_apply_cpu_s", apply_cpu);
  result("build_apply_wall_s", apply_wall);
  result("build_per_object_us", apply_cpu * 1e6 / double(o.atoms));
  result("index_bytes", static_cast<double>(st.bytes));
  result("rss_delta_bytes", static_cast<double>(rss1 - rss0));
  result("bytes_per_atom_stats", double(st.bytes) / double(atoms));
  result("bytes_per_atom_rss", double(rss1 - rss0) / double(atoms));
  for (int k = 0; k < ix::kKindCount; ++k) {
    if (st.atoms[static_cast<size_t>(k)] == 0) continue;
    note("  %-7s %10llu atoms, %10llu keys",
         std::string(ix::kind_name(static_cast<ix::Kind>(k))).c_str(),
         static_cast<unsigned long long>(st.atoms[static_cast<size_t>(k)]),
         static_cast<unsigned long long>(st.keys[static_cast<size_t>(k)]));
  }
  note(
      "index: %llu objects, %llu atoms, %llu patterns kept; stats().bytes %.0f MB (%.1f B/atom), "
      "RSS +%.0f MB (%.1f B/atom)",
      static_cast<unsigned long long>(st.objects), static_cast<unsigned long long>(atoms),
      static_cast<unsigned long long>(st.patterns), double(st.bytes) / 1e6,
      double(st.bytes) / double(atoms), double(rss1 - rss0) / 1e6,
      double(rss1 - rss0) / double(atoms));

  // ---- look-up streams (made before the SQL pass so that --loop starts quickly)
  // -------------------
  auto reader = std::make_unique<ix::Index::Reader>(index->reader());
  std::vector<Stream> streams;
  {
    Sampler sampler(data, *reader, o.seed);
    w0 = wall();
    for (const StreamDef& def : kStreams) {
      if (!o.loop_stream.empty() && o.loop_stream != def.name) continue;
      streams.push_back(make_stream(def, o.lookups, sampler));
    }
    note("look-up streams of %llu values made in %.1f s",
         static_cast<unsigned long long>(o.lookups), wall() - w0);
  }
  // One untimed pass over every stream. Patterns kept for full evaluation may be compiled on
  // their first undecided hit (LazyPattern): the memory after it includes those the streams
  // needed (the streams' own memory subtracted).
  if (o.loop_stream.empty()) {
    double held = 0;
    for (const Stream& x : streams) {
      run_index(*reader, x);
      held += double(x.pool.capacity() + x.at.capacity() * sizeof(x.at[0]) +
                     x.views.capacity() * sizeof(std::string_view));
    }
    const uint64_t rss2 = rss_bytes();
    const ix::Stats st2 = reader->stats();
    const double delta = double(rss2 - rss0) - held;
    result("rss_delta_after_lookups_bytes", delta);
    result("bytes_per_atom_rss_after_lookups", delta / double(atoms));
    result("index_bytes_after_lookups", static_cast<double>(st2.bytes));
    note(
        "after a pass over the streams: stats().bytes %.0f MB, RSS +%.0f MB (%.1f B/atom; streams' "
        "%.0f MB "
        "subtracted)",
        double(st2.bytes) / 1e6, delta / 1e6, delta / double(atoms), held / 1e6);
  }
  if (!o.loop_stream.empty()) {
    if (streams.empty()) usage("unknown --loop stream");
    double spent = 0;
    uint64_t n = 0;
    while (spent < o.loop_seconds) {
      const Timed t = run_index(*reader, streams.front());
      spent += t.cpu;
      n += t.done;
    }
    note("%s: %llu look-ups, %.0f /s", streams.front().name.c_str(),
         static_cast<unsigned long long>(n), double(n) / spent);
    return 0;
  }

  // ---- 2. extract alone, and the SQLite baseline ------------------------------------------------
  std::unique_ptr<Sql> sql;
  fs::path sql_dir;
  if (o.sqlite) {
    char tmpl[4096];
    std::snprintf(tmpl, sizeof tmpl, "%s/sw-index-bench.XXXXXX", o.tmp.c_str());
    if (!mkdtemp(tmpl)) die("cannot create a directory under " + o.tmp.string());
    sql_dir = tmpl;
    sql = std::make_unique<Sql>();
    sql->create(sql_dir / "baseline.sqlite");
    double extract_cpu = 0, insert_wall = 0;
    std::vector<sw::stix::Object> batch;
    std::vector<ix::Extraction> ex;
    w0 = wall();
    for (uint64_t start = 0; start < o.atoms; start += kBatch) {
      data.make_batch(start, std::min(o.atoms, start + kBatch), batch);
      ex.clear();
      ex.reserve(batch.size());
      const double c = thread_cpu();
      for (const auto& obj : batch) {
        auto r = ix::extract(obj);
        ex.push_back(r.ok() ? std::move(r).value() : ix::Extraction{});
      }
      extract_cpu += thread_cpu() - c;
      const double w = wall();
      for (size_t k = 0; k < ex.size(); ++k)
        for (const auto& a : ex[k].atoms) sql->insert(start + k, a);
      insert_wall += wall() - w;
    }
    const double w = wall();
    sql->finish();
    insert_wall += wall() - w;
    note("extract() alone: %.2f s CPU; SQLite baseline built in %.1f s (%.0f MB), pass %.1f s",
         extract_cpu, insert_wall, double(sql->file_bytes()) / 1e6, wall() - w0);
    result("build_extract_cpu_s", extract_cpu);
    result("build_tables_cpu_s", apply_cpu - extract_cpu);
    result("sqlite_build_s", insert_wall);
    result("sqlite_bytes", static_cast<double>(sql->file_bytes()));
    result("sqlite_v4_lengths", sql->lengths4());
    result("sqlite_v6_lengths", sql->lengths6());
  }

  // ---- 3. look-ups ------------------------------------------------------------------------------
  {
    std::map<std::string, std::vector<double>> idx_rate, idx_wall_rate, batch_rate, sql_rate,
        sql_len_rate;
    std::map<std::string, Timed> last_idx, last_sql;
    fb::Rng order(fb::mix64(o.seed ^ 0x0dde7u));
    std::vector<size_t> perm(streams.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    if (sql) {  // warm the database: one untimed pass over the first values of each stream
      for (const Stream& s : streams) run_sql(*sql, s, 500, 0.5, false);
    }
    for (int rep = 0; rep < o.reps; ++rep) {
      for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[order.below(i)]);
      for (size_t p : perm) {
        const Stream& s = streams[p];
        const Timed t = run_index(*reader, s);
        idx_rate[s.name].push_back(double(t.done) / t.cpu);
        idx_wall_rate[s.name].push_back(double(t.done) / t.wall);
        last_idx[s.name] = t;
        const Timed b = run_index_batch(*reader, s);
        if (b.hits != t.hits || b.with_hits != t.with_hits)
          die("lookup_batch() and lookup() disagree on " + s.name);
        batch_rate[s.name].push_back(double(b.done) / b.cpu);
        if (sql) {
          const Timed q = run_sql(*sql, s, o.sql_lookups, o.sql_budget, false);
          sql_rate[s.name].push_back(double(q.done) / q.cpu);
          last_sql[s.name] = q;
          if (s.name == "cidr4" || s.name == "cidr6") {
            const Timed q2 = run_sql(*sql, s, o.sql_lookups, o.sql_budget, true);
            sql_len_rate[s.name].push_back(double(q2.done) / q2.cpu);
          }
        }
      }
      note("look-ups: repetition %d of %d done", rep + 1, o.reps);
    }
    for (const Stream& s : streams) {
      const double r = median(idx_rate[s.name]);
      const Timed& t = last_idx[s.name];
      result("lookup_" + s.name + "_rate", r);
      result("lookup_" + s.name + "_wall_rate", median(idx_wall_rate[s.name]));
      result("lookup_" + s.name + "_batch_rate", median(batch_rate[s.name]));
      result("lookup_" + s.name + "_with_hits", double(t.with_hits) / double(t.done));
      result("lookup_" + s.name + "_hits_per_value", double(t.hits) / double(t.done));
      std::string line =
          s.name + ": " + std::to_string(static_cast<long long>(r)) + "/s (batch " +
          std::to_string(static_cast<long long>(median(batch_rate[s.name]))) + "/s), " +
          std::to_string(100.0 * double(t.with_hits) / double(t.done)).substr(0, 4) +
          " % with hits, " + std::to_string(double(t.hits) / double(t.done)).substr(0, 4) +
          " hits/value";
      if (sql) {
        const double q = median(sql_rate[s.name]);
        const Timed& qt = last_sql[s.name];
        result("sql_" + s.name + "_rate", q);
        result("sql_" + s.name + "_n", static_cast<double>(qt.done));
        result("sql_" + s.name + "_with_hits", double(qt.with_hits) / double(qt.done));
        result("ratio_" + s.name, r / q);
        line += "; SQLite " + std::to_string(static_cast<long long>(q)) + "/s over " +
                std::to_string(qt.done) + " values (" + std::to_string(r / q).substr(0, 7) + "x)";
        if (!sql_len_rate[s.name].empty()) {
          const double q2 = median(sql_len_rate[s.name]);
          result("sqllen_" + s.name + "_rate", q2);
          result("ratio_len_" + s.name, r / q2);
          line += "; per-length SQL " + std::to_string(static_cast<long long>(q2)) + "/s";
        }
      }
      note("%s", line.c_str());
    }
  }

  // ---- 4. correlation ---------------------------------------------------------------------------
  if (o.correlate > 0) {
    Sampler s(data, *reader, o.seed ^ 0xc0aa);
    std::vector<std::pair<ix::Kind, std::string>> attrs;
    attrs.reserve(o.correlate);
    for (uint64_t i = 0; i < o.correlate; ++i) {
      const bool hit = s.rng().below(5) == 0;
      const uint64_t r = s.rng().below(100);
      if (r < 40) {
        attrs.emplace_back(ix::Kind::kIpv4, hit ? s.hit("ipv4") : s.public4());
      } else if (r < 43) {
        const int len = 24 + static_cast<int>(s.rng().below(6));
        sw::pattern::IpNet n;
        sw::pattern::parse_ip_net(s.public4(), n);
        for (int b = len; b < 32; ++b)
          n.addr[static_cast<size_t>(b / 8)] &= static_cast<uint8_t>(~(0x80 >> (b % 8)));
        char buf[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, n.addr.data(), buf, sizeof buf);
        attrs.emplace_back(ix::Kind::kIpv4, std::string(buf) + "/" + std::to_string(len));
      } else if (r < 68) {
        attrs.emplace_back(ix::Kind::kDomain, hit ? s.hit("domain") : s.word() + "." + s.tld());
      } else if (r < 80) {
        attrs.emplace_back(
            ix::Kind::kUrl,
            hit ? s.hit("url") : "https://" + s.word() + "." + s.tld() + "/" + s.word());
      } else if (r < 88) {
        attrs.emplace_back(ix::Kind::kMd5, hit ? s.hit("md5") : s.hex(32));
      } else if (r < 94) {
        attrs.emplace_back(ix::Kind::kSha1, hit ? s.hit("sha1") : s.hex(40));
      } else {
        attrs.emplace_back(ix::Kind::kSha256, hit ? s.hit("sha256") : s.hex(64));
      }
    }
    std::vector<ix::AtomValue> values;
    values.reserve(attrs.size());
    for (const auto& [k, v] : attrs) values.push_back(ix::AtomValue{k, v, false});
    for (const bool contained : {true, false}) {
      std::vector<double> cpu, wl;
      ix::Correlation c;
      for (int rep = 0; rep < o.reps; ++rep) {
        ix::CorrelateOptions opt;
        opt.contained = contained;
        const double c0 = thread_cpu(), w = wall();
        c = reader->correlate(std::span<const ix::AtomValue>(values), opt);
        cpu.push_back(thread_cpu() - c0);
        wl.push_back(wall() - w);
      }
      const std::string p = contained ? "correlate_" : "correlate_nocontained_";
      result(p + "cpu_s", median(cpu));
      result(p + "wall_s", median(wl));
      result(p + "peers", static_cast<double>(c.peers.size()));
      result(p + "over", static_cast<double>(c.over_correlating.size()));
      result(p + "atoms", static_cast<double>(c.atoms));
      result(p + "skipped", static_cast<double>(c.skipped));
      note(
          "correlate %llu attributes%s: %.3f s CPU, %.3f s wall; %zu related objects, %zu "
          "over-correlating keys",
          static_cast<unsigned long long>(values.size()), contained ? "" : " (contained = false)",
          median(cpu), median(wl), c.peers.size(), c.over_correlating.size());
    }
  }

  // ---- 5. two threads ---------------------------------------------------------------------------
  if (o.parallel_build && o.atoms <= 4'000'000) {
    reader.reset();
    std::vector<std::vector<sw::stix::Object>> batches;
    for (uint64_t start = 0; start < o.atoms; start += kBatch) {
      batches.emplace_back();
      data.make_batch(start, std::min(o.atoms, start + kBatch), batches.back());
    }
    ix::Index second;
    std::atomic<size_t> next{0};
    const double w = wall();
    auto worker = [&] {
      for (size_t b; (b = next.fetch_add(1)) < batches.size();) second.apply(batches[b], now);
    };
    std::thread t1(worker), t2(worker);
    t1.join();
    t2.join();
    const double took = wall() - w;
    result("build_2threads_wall_s", took);
    note("two threads: %.2f s wall for %llu objects (%llu atoms)", took,
         static_cast<unsigned long long>(o.atoms),
         static_cast<unsigned long long>(second.stats().total_atoms()));
  }

  sql.reset();
  if (!sql_dir.empty()) fs::remove_all(sql_dir);
  return 0;
}
