// sw-gen-bundle: writes a STIX 2.1 bundle of N indicators built from the real block lists under
// $SW_SHARED_DATA/feeds, for the benchmarks (bench/run-foundation) and for trying the importer on
// realistic volumes.
//
//   sw-gen-bundle --count N --out FILE [--gzip] [--seed S] [--feeds DIR]
//
// The bundle holds one identity per feed (the producers the indicators' created_by_ref names),
// then N indicators, one per line. Each indicator carries one real value from the feeds — IPv4
// addresses (IPsum, Block List Project), ip:port pairs, domains and URLs (Maltrail, Block List
// Project phishing), country CIDR blocks v4/v6 (ipverse), MD5/SHA-1/SHA-256 sample hashes (ESET) —
// with the pattern, name, description, references and TLP 2.0 marking such a feed would carry
// (about 500–700 bytes each). The values are taken in a seeded shuffle of all distinct real values;
// past the end of the list the cycle starts again with synthetic values derived from the real ones
// (see derive(): another public address, a more-specific block, a sub-domain, a query parameter,
// other hex digits of the same length), distinct from every real value and from each other, so
// every indicator has a value of its own.
//
// Output is streamed (memory is bounded by the feed values, ~150 MB, not by N) and deterministic:
// the same seed and feeds give the same bytes, and a shorter run is a prefix of a longer one. The
// feed values and their synthetic successors come from bench/feeds.h (shared with the engine
// benchmarks).
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "feeds.h"

namespace fs = std::filesystem;

namespace {

using namespace sw::bench;  // the feed values (bench/feeds.h)

// ---------------------------------------------------------------------------------------------
// Timestamps: RFC 3339, UTC, millisecond precision.

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01T00:00:00.000Z
constexpr int64_t kSpanMs = 943 * kDayMs;         // up to 2026-08-01

void append_timestamp(std::string& out, int64_t ms) {
  int64_t days = ms / kDayMs, rem = ms % kDayMs;
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = days / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", int(y), int(m),
                              int(d), int(rem / 3'600'000), int(rem / 60'000 % 60),
                              int(rem / 1000 % 60), int(rem % 1000));
  out.append(buf, static_cast<size_t>(n));
}

// ---------------------------------------------------------------------------------------------
// Output

class Sink {
 public:
  ~Sink() { close(); }
  bool open(const std::string& path, bool gzip) {
    path_ = path;
    if (gzip) {
      gz_ = path == "-" ? gzdopen(dup(fileno(stdout)), "wb6") : gzopen(path.c_str(), "wb6");
      if (!gz_) return false;
      gzbuffer(gz_, 1 << 20);
    } else {
      f_ = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
      if (!f_) return false;
    }
    buf_.reserve(kChunk + (64 << 10));
    return true;
  }
  std::string& buffer() { return buf_; }
  bool maybe_flush() { return buf_.size() < kChunk || flush(); }
  bool flush() {
    if (buf_.empty()) return ok_;
    if (gz_) {
      ok_ = ok_ && gzwrite(gz_, buf_.data(), static_cast<unsigned>(buf_.size())) == int(buf_.size());
    } else {
      ok_ = ok_ && std::fwrite(buf_.data(), 1, buf_.size(), f_) == buf_.size();
    }
    written_ += buf_.size();
    buf_.clear();
    return ok_;
  }
  bool close() {
    flush();
    if (gz_) {
      ok_ = gzclose(gz_) == Z_OK && ok_;
      gz_ = nullptr;
    }
    if (f_) {
      ok_ = (f_ == stdout ? std::fflush(f_) : std::fclose(f_)) == 0 && ok_;
      f_ = nullptr;
    }
    return ok_;
  }
  uint64_t written() const { return written_; }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::string path_, buf_;
  FILE* f_ = nullptr;
  gzFile gz_ = nullptr;
  bool ok_ = true;
  uint64_t written_ = 0;
};

constexpr std::string_view kTlpClear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
constexpr std::string_view kTlpGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
constexpr std::string_view kTlpAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

struct Producer {
  std::string id;
  std::string created;
};

void write_identity(std::string& o, const Producer& p, int feed) {
  const FeedInfo& f = kFeedInfo[feed];
  o += R"({"type":"identity","spec_version":"2.1","id":")";
  o += p.id;
  o += R"(","created":")";
  o += p.created;
  o += R"(","modified":")";
  o += p.created;
  o += R"(","name":")";
  append_json_escaped(o, f.producer);
  o += R"(","description":"Publisher of the )";
  append_json_escaped(o, f.source_name);
  o += " feed, ";
  append_json_escaped(o, f.url);
  o += R"lit(","identity_class":"organization","sectors":["technology"],"object_marking_refs":[")lit";
  o += kTlpClear;
  o += "\"]}";
}

std::string capitalised(std::string s) {
  for (auto& c : s)
    if (c == '_' || c == '-') c = ' ';
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// One indicator, ~500–700 bytes: the common properties, then what the feed in question carries.
void write_indicator(std::string& o, const Corpus& corpus, const std::vector<Producer>& producers,
                     const Value& v, uint64_t cycle, uint64_t far, Rng& rng) {
  const Source& src = corpus.sources[v.source];
  const FeedInfo& feed = kFeedInfo[static_cast<int>(src.feed)];
  const std::string value = derive(corpus, v, cycle, far);

  const int64_t created = kStartMs + static_cast<int64_t>(rng.below(kSpanMs));
  const int64_t modified = rng.below(3) == 0 ? created + static_cast<int64_t>(rng.below(90 * kDayMs)) : created;
  std::string created_s, modified_s;
  append_timestamp(created_s, created);
  append_timestamp(modified_s, modified);

  std::string pattern, name, description;
  std::vector<std::string> labels;
  const char* type = "malicious-activity";
  const char* phase = nullptr;  // Lockheed Martin kill chain phase, when the feed implies one
  int64_t valid_days = 0;       // 0: no valid_until
  int confidence = -1;          // -1: none
  bool reference = false;       // external_references with the feed's (or the trail's) URL
  pattern = indicator_pattern(v.kind, value);
  switch (src.feed) {
    case Feed::kIpsum: {
      const int n = v.extra;
      name = "IPsum " + value;
      description = "Reported for attacks or scanning by " + std::to_string(n) + " public block list" +
                    (n == 1 ? "." : "s.");
      type = n >= 3 ? "malicious-activity" : "anomalous-activity";
      labels = {"ipsum", "level-" + std::to_string(std::min(n, 8))};
      valid_days = 30;
      confidence = std::min(95, 30 + 8 * n);
      break;
    }
    case Feed::kIpverse:
      name = src.family + " block " + value;
      description = "Allocated to a network in " + src.detail + " (RIR delegations).";
      type = "attribution";
      labels = {"geo", "country:" + src.family};
      confidence = 90;
      break;
    case Feed::kBlocklistMalware:
      name = "Malware host " + value;
      description = "Distributes or controls malware (Block List Project).";
      labels = {"malware"};
      phase = "command-and-control";
      valid_days = 90;
      break;
    case Feed::kBlocklistPhishing:
      name = "Phishing domain " + value;
      description = "Hosts a credential phishing page (Block List Project).";
      labels = {"phishing"};
      phase = "delivery";
      break;
    case Feed::kMaltrail: {
      const auto bar = src.detail.find('|');
      const std::string category = src.detail.substr(0, bar);
      name = capitalised(src.family) + " " + value;
      labels = {category, src.family};
      reference = v.reference != UINT32_MAX;
      if (!reference) description = "Maltrail static trail (" + category + ").";
      if (category == "malware") phase = "command-and-control";
      break;
    }
    case Feed::kEset: {
      const std::string fam = src.family.substr(0, src.family.find('/'));
      name = capitalised(fam) + " sample";
      description = "File attributed to " + capitalised(fam) + " by ESET Research.";
      labels = {"malware", fam};
      confidence = 85;
      reference = true;
      break;
    }
  }

  o += R"({"type":"indicator","spec_version":"2.1","id":"indicator--)";
  append_uuid4(o, rng);
  o += R"(","created":")";
  o += created_s;
  o += R"(","modified":")";
  o += modified_s;
  o += R"(","created_by_ref":")";
  o += producers[static_cast<size_t>(src.feed)].id;
  o += R"(","name":")";
  append_json_escaped(o, name);
  if (!description.empty()) {
    o += R"(","description":")";
    append_json_escaped(o, description);
  }
  o += R"(","indicator_types":[")";
  o += type;
  o += R"("],"pattern":")";
  append_json_escaped(o, pattern);
  o += R"(","pattern_type":"stix","valid_from":")";
  o += created_s;
  if (valid_days > 0) {
    o += R"(","valid_until":")";
    append_timestamp(o, created + valid_days * kDayMs);
  }
  o += '"';
  if (phase) {
    o += R"(,"kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain","phase_name":")";
    o += phase;
    o += "\"}]";
  }
  o += R"(,"labels":[)";
  for (size_t i = 0; i < labels.size(); ++i) {
    o += i ? ",\"" : "\"";
    append_json_escaped(o, labels[i]);
    o += '"';
  }
  o += ']';
  if (confidence >= 0) {
    o += R"(,"confidence":)";
    o += std::to_string(confidence);
  }
  if (reference) {
    o += R"(,"external_references":[{"source_name":")";
    o += feed.source_name;
    o += R"(","url":")";
    if (src.feed == Feed::kEset) {
      o += feed.url;
      o += "/tree/master/";
      append_json_escaped(o, src.family);
    } else {
      append_json_escaped(o, corpus.references[v.reference]);
    }
    o += "\"}]";
  }
  o += R"(,"object_marking_refs":[")";
  const uint64_t t = rng.below(10);
  o += src.feed == Feed::kIpverse ? kTlpClear : t < 2 ? kTlpClear : t < 9 ? kTlpGreen : kTlpAmber;
  o += "\"]}";
}

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "sw-gen-bundle: %s\n", msg);
  std::fprintf(stderr,
               "usage: sw-gen-bundle --count N --out FILE|- [--gzip] [--seed S] [--feeds DIR]\n"
               "  --count N    number of indicators (the bundle also holds one identity per feed)\n"
               "  --out FILE   output file, '-' for stdout\n"
               "  --gzip       gzip the output (level 6)\n"
               "  --seed S     seed for ids, timestamps and value order (default 1)\n"
               "  --feeds DIR  block lists (default $SW_SHARED_DATA/feeds, else %s/feeds)\n",
               SW_SHARED_DATA_DEFAULT);
  std::exit(2);
}

uint64_t parse_u64(const char* s, const char* what) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno || !end || *end || *s == '-') usage((std::string("bad ") + what).c_str());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0, seed = 1;
  bool have_count = false, gzip = false;
  std::string out_path;
  fs::path feeds = default_feeds_dir();
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((std::string(a) + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--count") count = parse_u64(value(), "--count"), have_count = true;
    else if (a == "--out") out_path = value();
    else if (a == "--gzip") gzip = true;
    else if (a == "--seed") seed = parse_u64(value(), "--seed");
    else if (a == "--feeds") feeds = value();
    else if (a == "-h" || a == "--help") usage(nullptr);
    else usage(("unknown argument " + std::string(a)).c_str());
  }
  if (!have_count || out_path.empty()) usage("--count and --out are required");

  const auto t0 = std::chrono::steady_clock::now();
  Corpus corpus = load_corpus(feeds);
  if (corpus.values.empty()) {
    std::fprintf(stderr, "sw-gen-bundle: no values found under %s\n", feeds.c_str());
    return 1;
  }
  // A seeded shuffle, so that every stretch of the file mixes feeds and kinds.
  shuffle_values(corpus, seed);

  Sink sink;
  if (!sink.open(out_path, gzip)) {
    std::fprintf(stderr, "sw-gen-bundle: cannot write %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }
  Rng meta(mix64(seed));
  std::vector<Producer> producers(kFeeds);
  std::string& o = sink.buffer();
  o += R"({"type":"bundle","id":"bundle--)";
  append_uuid4(o, meta);
  o += R"(","objects":[)";
  bool first = true;
  int identities = 0;
  for (int f = 0; f < kFeeds; ++f) {
    if (f > 0 && std::string_view(kFeedInfo[f].producer) == kFeedInfo[f - 1].producer) {
      producers[static_cast<size_t>(f)] = producers[static_cast<size_t>(f - 1)];
      continue;
    }
    Producer& p = producers[static_cast<size_t>(f)];
    p.id = "identity--";
    append_uuid4(p.id, meta);
    append_timestamp(p.created, kStartMs - static_cast<int64_t>(meta.below(365 * kDayMs)));
    o += first ? "\n" : ",\n";
    first = false;
    write_identity(o, p, f);
    ++identities;
  }
  const uint64_t n_values = corpus.values.size();
  const uint64_t far = far_cycle(count, n_values);
  for (uint64_t i = 0; i < count; ++i) {
    // Each object draws from its own stream, so object i does not depend on --count.
    Rng rng(mix64(seed * 0x2545f4914f6cdd1dull + i));
    o += ",\n";
    write_indicator(o, corpus, producers, corpus.values[i % n_values], i / n_values, far, rng);
    if (!sink.maybe_flush()) break;
  }
  o += "\n]}\n";
  if (!sink.close()) {
    std::fprintf(stderr, "sw-gen-bundle: writing %s failed: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "sw-gen-bundle: %llu indicators (+%d identities) from %llu distinct feed values, "
               "%.1f MB uncompressed, avg %.0f bytes/indicator, %.1f s\n",
               static_cast<unsigned long long>(count), identities,
               static_cast<unsigned long long>(n_values), double(sink.written()) / 1e6,
               count ? double(sink.written()) / double(count) : 0.0, secs);
  return 0;
}

