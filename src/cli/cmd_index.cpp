// shieldwall lookup | correlate | match: asking the indicator index (docs/matching.md).
//
// Each command opens the node, fills an index::Index from the store (intel/index_loader.h), loads
// the warning lists of the config (or --warninglists), and prints JSON lines on stdout; what it
// did goes to stderr.
//
//   lookup VALUE... | -          one line per value: {"value", "kind", "hits", "warninglists"}
//   correlate ID                 one document: {"id", "atoms", "related", "over_correlating"}
//   match [--format F] [FILE|-]  one line per observable with hits:
//                                {"line", "observable", "field", "kind", "hits", "warninglists"}
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/time.h"
#include "index/index.h"
#include "index/json_out.h"
#include "index/logs/observation.h"
#include "index/logs/reader.h"
#include "index/warninglist.h"
#include "intel/index_loader.h"
#include "pattern/atoms.h"
#include "pattern/matcher.h"

namespace sw::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

index::Index::Options index_options(const core::NodeConfig& config) {
  index::Index::Options o;
  o.over_correlation_cap = config.over_correlation_cap;
  return o;
}

// The node with its index built and its warning lists loaded.
struct IndexedNode {
  explicit IndexedNode(OpenNode n) : node(std::move(n)), index(index_options(node.config)) {}
  OpenNode node;
  index::Index index;
  index::WarningLists lists;
  core::Timestamp now;
};

// Opens the node, loads the index and the warning lists, reporting both on stderr unless quiet.
// Returns the exit code on failure.
std::variant<std::unique_ptr<IndexedNode>, int> open_indexed(const std::string& data,
                                                             const std::string& lists_flag,
                                                             bool no_lists, bool quiet) {
  auto node = open_node(data);
  if (!node.ok()) return fail_open(node.error());
  auto out = std::make_unique<IndexedNode>(std::move(*node));
  out->now = core::SystemClock::instance().now();

  const auto t0 = Clock::now();
  auto loaded = intel::load_index(*out->node.store, out->index, out->now);
  if (!loaded.ok()) return fail_open(loaded.error());
  if (!quiet) {
    const index::Stats s = out->index.stats();
    std::fprintf(stderr, "index: %s objects read, %s with atoms, %s atoms, %s in %.2f s\n",
                 with_commas(loaded->objects).c_str(), with_commas(loaded->indexed).c_str(),
                 with_commas(static_cast<long long>(s.total_atoms())).c_str(),
                 human_bytes(static_cast<double>(s.bytes)).c_str(), seconds_since(t0));
    if (loaded->error_count > 0) {
      std::fprintf(stderr, "index: %s objects could not be indexed, e.g.\n",
                   with_commas(loaded->error_count).c_str());
      for (const auto& e : loaded->errors) std::fprintf(stderr, "  %s\n", e.to_string().c_str());
    }
  }

  std::filesystem::path dir = lists_flag.empty() ? out->node.config.warninglists_dir()
                                                 : std::filesystem::path(lists_flag);
  if (!no_lists && !dir.empty()) {
    auto lists = index::WarningLists::load_directory(dir);
    if (!lists.ok()) {
      print_error(lists.error().to_string());
      return kExitUsage;
    }
    out->lists = std::move(*lists);
    if (!quiet) {
      std::fprintf(stderr, "warning lists: %zu loaded from %s\n", out->lists.lists().size(),
                   dir.c_str());
      for (const auto& e : out->lists.skipped())
        std::fprintf(stderr, "  skipped: %s\n", e.to_string().c_str());
    }
  }
  return out;
}

}  // namespace

int cmd_lookup(const LookupArgs& a) {
  std::optional<index::Kind> forced;
  if (!a.kind.empty()) {
    forced = index::parse_kind(a.kind);
    if (!forced) {
      print_error("--kind: unknown kind '" + a.kind +
                  "' (ipv4, ipv6, domain, url, email, md5, sha1, sha256, sha512, other)");
      return kExitUsage;
    }
  }
  std::vector<std::string> values;
  for (const auto& v : a.values) {
    if (v != "-") {
      values.push_back(v);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) values.push_back(line);
    }
  }
  auto opened = open_indexed(a.data, a.warninglists, a.no_warninglists, a.quiet);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  IndexedNode& n = *std::get<std::unique_ptr<IndexedNode>>(opened);

  Out out;
  auto reader = n.index.reader();
  std::vector<uint32_t> flagged;
  bool any_hit = false;
  for (const auto& value : values) {
    std::string& line = out.buffer();
    line += "{\"value\":";
    core::append_json_string(line, value);
    const std::optional<index::Kind> kind = forced ? forced : index::classify(value);
    if (!kind) {
      line +=
          ",\"kind\":null,\"error\":\"not an IP address or block, domain, URL, e-mail address "
          "or MD5/SHA-1/SHA-256/SHA-512 hash (give --kind other for an exact value)\"}\n";
      continue;
    }
    line += ",\"kind\":";
    core::append_json_string(line, index::kind_name(*kind));
    line += ",\"hits\":[";
    bool first = true;
    const size_t hits = reader.lookup(*kind, value, [&](const index::Hit& h) {
      if (!first) line += ',';
      first = false;
      index::append_hit_json(line, h, h.decided);
    });
    any_hit = any_hit || hits > 0;
    line += ']';
    index::append_warninglists_json(line, n.lists, *kind, value, flagged);
    line += "}\n";
    out.maybe_flush();
  }
  return any_hit ? kExitOk : kExitPartial;
}

int cmd_correlate(const CorrelateArgs& a) {
  auto opened = open_indexed(a.data, "", true, a.quiet);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  IndexedNode& n = *std::get<std::unique_ptr<IndexedNode>>(opened);
  index::CorrelateOptions opt;
  opt.cap = a.cap > 0 ? static_cast<uint32_t>(a.cap) : n.node.config.over_correlation_cap;
  auto reader = n.index.reader();
  auto c = reader.correlate(a.id, opt);
  if (!c.ok()) {
    if (c.error().code == core::Code::kNotFound) {
      print_error(a.id + ": not in the index (no such object, or nothing in it to correlate on)");
      return kExitPartial;
    }
    print_error(c.error().to_string());
    return kExitStore;
  }
  std::string out;
  index::append_correlation_json(out, a.id, *c);
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int cmd_match(const MatchArgs& a) {
  const auto format = index::logs::parse_format(a.format);
  if (!format) {
    print_error("--format: unknown format '" + a.format +
                "' (lines, jsonl, suricata-eve, zeek)");
    return kExitUsage;
  }
  const std::string input = a.input.empty() ? "-" : a.input;
  auto reader = index::logs::LogReader::open(*format, input);
  if (!reader.ok()) {
    print_error(reader.error().to_string());
    return kExitUsage;
  }
  auto opened = open_indexed(a.data, a.warninglists, a.no_warninglists, a.quiet);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  IndexedNode& n = *std::get<std::unique_ptr<IndexedNode>>(opened);

  Out out;
  auto ix = n.index.reader();
  pattern::Matcher matcher;
  index::logs::Record rec;
  std::vector<uint32_t> flagged;
  // The record as an observation, built once and only when a candidate needs full evaluation.
  std::optional<pattern::Observation> observation;
  bool observation_failed = false;
  uint64_t observables_hit = 0, hits = 0, listed = 0, unsatisfied = 0, eval_errors = 0;
  const auto t0 = Clock::now();
  for (;;) {
    auto more = (*reader)->next(rec);
    if (!more.ok()) {
      print_error(more.error().to_string());
      return kExitUsage;
    }
    if (!*more) break;
    observation.reset();
    observation_failed = false;
    for (const auto& ob : rec.observables) {
      std::string& line = out.buffer();
      const size_t mark = line.size();
      bool first = true;
      const size_t found = ix.lookup(ob.kind, ob.value, [&](const index::Hit& h) {
        if (first) {
          line += "{\"line\":" + std::to_string(rec.line) + ",\"observable\":";
          core::append_json_string(line, ob.value);
          line += ",\"field\":";
          core::append_json_string(line, ob.field);
          line += ",\"kind\":";
          core::append_json_string(line, index::kind_name(ob.kind));
          line += ",\"hits\":[";
        } else {
          line += ',';
        }
        first = false;
        bool satisfied = h.decided;
        // An undecided hit without a pattern is false for this observable: a pattern of one
        // comparison that this atom does not decide (an address inside a block compared with
        // '=', a domain against LIKE '%.domain'). The record is built only for patterns of
        // more than one comparison.
        const pattern::Pattern* compiled =
            satisfied || h.pattern == nullptr ? nullptr : h.pattern->get();
        if (compiled != nullptr) {
          if (!observation && !observation_failed) {
            auto built = index::logs::build_observation(rec, n.now);
            if (built.ok()) {
              observation.emplace(std::move(*built));
            } else {
              observation_failed = true;
            }
          }
          if (observation) {
            auto m = matcher.match(*compiled, std::span<const pattern::Observation>(&*observation, 1));
            if (m.ok()) {
              satisfied = *m;
            } else {
              ++eval_errors;
            }
          }
        }
        if (!satisfied) ++unsatisfied;
        index::append_hit_json(line, h, satisfied);
      });
      if (found == 0) {
        line.resize(mark);
        continue;
      }
      ++observables_hit;
      hits += found;
      line += ']';
      if (index::append_warninglists_json(line, n.lists, ob.kind, ob.value, flagged)) ++listed;
      line += "}\n";
      out.maybe_flush();
    }
  }
  out.flush();
  const double secs = seconds_since(t0);
  const auto& st = (*reader)->stats();
  if (!a.quiet) {
    std::fprintf(stderr,
                 "match: %s lines, %s records, %s observables looked up in %.2f s (%s lines/s)\n"
                 "match: %s observables hit (%s hits, %s not satisfying the whole pattern), %s on "
                 "warning lists\n",
                 with_commas(static_cast<long long>(st.lines)).c_str(),
                 with_commas(static_cast<long long>(st.records)).c_str(),
                 with_commas(static_cast<long long>(st.observables)).c_str(), secs,
                 with_commas(static_cast<long long>(secs > 0 ? st.lines / secs : 0)).c_str(),
                 with_commas(static_cast<long long>(observables_hit)).c_str(),
                 with_commas(static_cast<long long>(hits)).c_str(),
                 with_commas(static_cast<long long>(unsatisfied)).c_str(),
                 with_commas(static_cast<long long>(listed)).c_str());
    if (st.skipped_total() > 0) {
      std::string by;
      for (int r = 0; r < index::logs::kSkipReasonCount; ++r) {
        const uint64_t c = st.skipped[static_cast<size_t>(r)];
        if (c == 0) continue;
        if (!by.empty()) by += ", ";
        by += std::string(index::logs::skip_reason_name(static_cast<index::logs::SkipReason>(r))) +
              " " + with_commas(static_cast<long long>(c));
      }
      std::fprintf(stderr, "match: %s lines skipped (%s), e.g.\n",
                   with_commas(static_cast<long long>(st.skipped_total())).c_str(), by.c_str());
      for (const auto& e : (*reader)->errors())
        std::fprintf(stderr, "  %s: %s\n", e.where.c_str(), e.message.c_str());
    }
    if (eval_errors > 0)
      std::fprintf(stderr, "match: %s pattern evaluations exceeded their search bound\n",
                   with_commas(static_cast<long long>(eval_errors)).c_str());
  }
  return observables_hit > 0 ? kExitOk : kExitPartial;
}

}  // namespace sw::cli
