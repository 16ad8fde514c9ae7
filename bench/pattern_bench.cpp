// sw-pattern-bench: full evaluation of a compiled STIX pattern against one observation
// (pattern::Matcher::match), against a hand-written check of the same three conditions on the
// same Observation in the same run (Google Benchmark, repetitions interleaved at random).
//
//   sw-pattern-bench [--benchmark_* flags]
//
// The observation is what `shieldwall match` builds for a candidate record: a Suricata EVE `tls`
// event read by the EVE reader and turned into an observed-data with its SCOs
// (index/logs/observation.h: two addresses, the SNI's domain-name, the network-traffic with
// src_ref/dst_ref, ports and protocols ["ipv4","tcp","tls"]). Benchmarks:
//
//   match/3-comparisons        the target: [network-traffic:dst_ref.value = '198.51.100.1' AND
//                              network-traffic:dst_port = 443 AND network-traffic:protocols[*] =
//                              'tcp'] — matches
//   match/3-comparisons-miss   the same with dst_port = 80 — does not match
//   match/1-comparison         [ipv4-addr:value = '198.51.100.1']
//   baseline/hand-written      the three conditions coded by hand over the Observation's nodes
//                              (find the network-traffic SCO, follow dst_ref, compare): what an
//                              evaluator cannot beat
//   build/observation          logs::build_observation of the record (once per record that has a
//                              candidate needing evaluation, in `match`)
//   compile/1-comparison       Pattern::compile("[ipv4-addr:value = '198.51.100.7']"): what
//   compile/3-comparisons      building the index pays per indicator, with JSON parsing
//
// After the table: `RESULT key value` lines (medians over repetitions, ns per operation of CPU
// time) that bench/run-engine reads.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "index/logs/observation.h"
#include "index/logs/reader.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"

namespace {

using sw::pattern::Matcher;
using sw::pattern::Observation;
using sw::pattern::Pattern;

constexpr std::string_view kEve =
    R"({"timestamp":"2024-01-15T10:26:30.870001+0000","flow_id":1120987345612,"in_iface":"eth0",)"
    R"("event_type":"tls","src_ip":"10.20.30.42","src_port":51733,"dest_ip":"198.51.100.1",)"
    R"("dest_port":443,"proto":"TCP","pkt_src":"wire/pcap","tls":{"subject":"CN=c2.bad-example.net",)"
    R"("issuerdn":"CN=R3, O=Let's Encrypt, C=US","serial":"04:1A:7B:22:90:3C",)"
    R"("fingerprint":"3a:f1:90:22:c8:11:4d:6e:97:0b:21:5f:8a:9c:01:d2:aa:bb:cc:dd",)"
    R"("sni":"c2.bad-example.net","version":"TLS 1.2","notbefore":"2023-12-01T00:00:00",)"
    R"("notafter":"2024-02-29T23:59:59","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}},)"
    R"("app_proto":"tls"})";

constexpr const char* kPattern3 =
    "[network-traffic:dst_ref.value = '198.51.100.1' AND network-traffic:dst_port = 443 AND "
    "network-traffic:protocols[*] = 'tcp']";
constexpr const char* kPattern3Miss =
    "[network-traffic:dst_ref.value = '198.51.100.1' AND network-traffic:dst_port = 80 AND "
    "network-traffic:protocols[*] = 'tcp']";
constexpr const char* kPattern1 = "[ipv4-addr:value = '198.51.100.1']";

struct Fixture {
  std::unique_ptr<sw::index::logs::LogReader> reader;
  sw::index::logs::Record record;
  sw::core::Timestamp now;
  std::optional<Observation> observation;
  std::optional<Pattern> p3, p3miss, p1;
};

Fixture& fx() {
  static Fixture f;
  return f;
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "sw-pattern-bench: %s\n", msg.c_str());
  std::exit(2);
}

Pattern compile(const char* text) {
  auto p = Pattern::compile(text);
  if (!p.ok()) die(p.error().to_string());
  return std::move(p).value();
}

void set_up() {
  Fixture& f = fx();
  f.reader = sw::index::logs::LogReader::from_memory(sw::index::logs::Format::kSuricataEve,
                                                     std::string(kEve), "eve");
  auto more = f.reader->next(f.record);
  if (!more.ok() || !*more) die("the EVE reader did not return the record");
  f.now = *sw::core::parse_timestamp("2024-01-16T00:00:00Z");
  auto obs = sw::index::logs::build_observation(f.record, f.now);
  if (!obs.ok()) die(obs.error().to_string());
  f.observation.emplace(std::move(*obs));
  f.p3.emplace(compile(kPattern3));
  f.p3miss.emplace(compile(kPattern3Miss));
  f.p1.emplace(compile(kPattern1));
}

// The three conditions by hand: some network-traffic SCO whose dst_ref names an SCO with value
// '198.51.100.1', whose dst_port is 443 and whose protocols hold 'tcp'.
bool hand_written(const Observation& o) {
  using K = Observation::Kind;
  for (size_t i = 0; i < o.sco_count(); ++i) {
    if (o.sco_type(i) != "network-traffic") continue;
    const Observation::Node& root = o.node(o.sco_node(i));
    bool dst = false, port = false, tcp = false;
    for (uint32_t c = root.off; c < root.off + root.len; ++c) {
      const Observation::Node& n = o.node(c);
      const std::string_view key = o.key(n);
      if (key == "dst_ref" && n.kind == K::kString && n.ref >= 0) {
        const Observation::Node& sco = o.node(o.sco_node(static_cast<size_t>(n.ref)));
        for (uint32_t d = sco.off; d < sco.off + sco.len; ++d) {
          const Observation::Node& v = o.node(d);
          if (o.key(v) == "value" && v.kind == K::kString && o.bytes(v) == "198.51.100.1")
            dst = true;
        }
      } else if (key == "dst_port" && n.kind == K::kInt) {
        port = n.num.integer == 443;
      } else if (key == "protocols" && n.kind == K::kArray) {
        for (uint32_t e = n.off; e < n.off + n.len; ++e) {
          const Observation::Node& v = o.node(e);
          if (v.kind == K::kString && o.bytes(v) == "tcp") tcp = true;
        }
      }
    }
    if (dst && port && tcp) return true;
  }
  return false;
}

void BM_Match3(benchmark::State& s) {
  Fixture& f = fx();
  const Pattern& p = *f.p3;
  Matcher m;
  const std::span<const Observation> obs(&*f.observation, 1);
  for (auto _ : s) {
    auto r = m.match(p, obs);
    if (!r.ok() || !*r) {
      s.SkipWithError("the pattern did not match");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

void BM_Match3Miss(benchmark::State& s) {
  Fixture& f = fx();
  const Pattern& p = *f.p3miss;
  Matcher m;
  const std::span<const Observation> obs(&*f.observation, 1);
  for (auto _ : s) {
    auto r = m.match(p, obs);
    if (!r.ok() || *r) {
      s.SkipWithError("the pattern matched");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

void BM_Match1(benchmark::State& s) {
  Fixture& f = fx();
  const Pattern& p = *f.p1;
  Matcher m;
  const std::span<const Observation> obs(&*f.observation, 1);
  for (auto _ : s) {
    auto r = m.match(p, obs);
    if (!r.ok() || !*r) {
      s.SkipWithError("the pattern did not match");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

void BM_HandWritten(benchmark::State& s) {
  const Observation& o = *fx().observation;
  for (auto _ : s) {
    const bool r = hand_written(o);
    if (!r) {
      s.SkipWithError("the hand-written check did not match");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

void BM_BuildObservation(benchmark::State& s) {
  Fixture& f = fx();
  for (auto _ : s) {
    auto o = sw::index::logs::build_observation(f.record, f.now);
    if (!o.ok()) {
      s.SkipWithError("build_observation failed");
      return;
    }
    benchmark::DoNotOptimize(o);
  }
}

void BM_Compile(benchmark::State& s, const char* text) {
  for (auto _ : s) {
    auto p = Pattern::compile(text);
    if (!p.ok()) {
      s.SkipWithError("compile failed");
      return;
    }
    benchmark::DoNotOptimize(p);
  }
}

BENCHMARK(BM_Match3)->Name("match/3-comparisons");
BENCHMARK(BM_Match3Miss)->Name("match/3-comparisons-miss");
BENCHMARK(BM_Match1)->Name("match/1-comparison");
BENCHMARK(BM_HandWritten)->Name("baseline/hand-written");
BENCHMARK(BM_BuildObservation)->Name("build/observation");
BENCHMARK_CAPTURE(BM_Compile, one, "[ipv4-addr:value = '198.51.100.7']")
    ->Name("compile/1-comparison");
BENCHMARK_CAPTURE(BM_Compile, three, kPattern3)->Name("compile/3-comparisons");

// Remembers every repetition's CPU time per iteration so the summary can take medians.
class Reporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.error_occurred) failed = true;
      if (r.run_type != Run::RT_Iteration || r.error_occurred || r.iterations == 0) continue;
      ns[r.run_name.function_name].push_back(r.cpu_accumulated_time * 1e9 /
                                             static_cast<double>(r.iterations));
    }
  }
  std::map<std::string, std::vector<double>> ns;
  bool failed = false;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 1) {
    std::fprintf(stderr, "usage: sw-pattern-bench [--benchmark_* flags]\n");
    return 2;
  }
  set_up();
  const Observation& o = *fx().observation;
  std::printf("observation: %zu SCOs (", o.sco_count());
  for (size_t i = 0; i < o.sco_count(); ++i)
    std::printf("%s%s", i ? ", " : "", std::string(o.sco_type(i)).c_str());
  std::printf(")\n");
  std::fflush(stdout);
  Reporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                          : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  auto get = [&](const char* name) {
    auto it = reporter.ns.find(name);
    return it == reporter.ns.end() ? 0.0 : median(it->second);
  };
  const char* names[][2] = {
      {"match/3-comparisons", "match3_ns"},          {"match/3-comparisons-miss", "match3_miss_ns"},
      {"match/1-comparison", "match1_ns"},           {"baseline/hand-written", "hand_written_ns"},
      {"build/observation", "build_observation_ns"}, {"compile/1-comparison", "compile1_ns"},
      {"compile/3-comparisons", "compile3_ns"},
  };
  std::printf("\nmedians over repetitions (CPU ns per operation):\n");
  for (auto& [bench, key] : names) std::printf("RESULT %s %.1f\n", key, get(bench));
  const double base = get("baseline/hand-written"), ours = get("match/3-comparisons");
  std::printf("RESULT match3_vs_hand_written %.2f\n", base > 0 ? ours / base : 0.0);
  return reporter.failed ? 1 : 0;
}
