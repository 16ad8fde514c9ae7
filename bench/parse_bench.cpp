// sw-parse-bench: STIX parse + validate throughput against simdjson's own parse of the same bytes,
// measured in the same run (Google Benchmark, repetitions interleaved at random).
//
//   sw-parse-bench [--benchmark_* flags] FILE.json
//
// FILE is a bundle (sw-gen-bundle writes one) held in memory for the whole run, so the page cache
// and the disk play no part except in shieldwall/parse_validate_file. Every benchmark goes over all
// of FILE once per iteration; rates are per CPU second of the (single) benchmark thread, which keeps
// the other users of a shared machine out of the figures as far as possible.
//
//   simdjson/dom_per_object     dom::parser::parse of each object on its own, boundaries known in
//                               advance: the same work split the way the importer splits it, and
//                               the faster of the two baselines on large files (the target's)
//   simdjson/dom_whole_bundle   dom::parser::parse of the whole bundle as one document (includes
//                               finding the boundaries; cache-bound on large files)
//   shieldwall/reader           stix::ObjectReader alone: finding object boundaries
//   shieldwall/dom+validate     per-object DOM + stix::validate_object (no reader, meta or minify)
//   shieldwall/parse_validate   ObjectReader + ObjectParser::parse (DOM, validate, metadata,
//                               markings, minify): what import does before the store — the figure
//   shieldwall/parse_validate_file  the same reading FILE through ObjectReader::open
//
// After the table it prints `RESULT key value` lines (medians over the repetitions) that
// bench/run-foundation reads, among them the ratios of parse_validate to both baselines.
//
//   sw-parse-bench --profile N FILE.json   only the import path, N times, for perf and callgrind
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stix/markings.h"
#include "stix/parse.h"
#include "stix/reader.h"
#include "stix/validate.h"

namespace {

struct Input {
  std::string path;
  simdjson::padded_string bytes;
  std::vector<std::pair<size_t, size_t>> objects;  // offset, length of each top-level object
};

Input& input() {
  static Input in;
  return in;
}

void set_rates(benchmark::State& state) {
  const Input& in = input();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.bytes.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.objects.size()));
}

void BM_DomWholeBundle(benchmark::State& state) {
  const Input& in = input();
  simdjson::dom::parser parser;
  if (parser.allocate(in.bytes.size()) != simdjson::SUCCESS) {
    state.SkipWithError("cannot allocate a simdjson parser for the whole file");
    return;
  }
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(in.bytes.data(), in.bytes.size(), false).get(root) != simdjson::SUCCESS) {
      state.SkipWithError("simdjson rejected the file");
      return;
    }
    benchmark::DoNotOptimize(root);
  }
  set_rates(state);
}

void BM_DomPerObject(benchmark::State& state) {
  const Input& in = input();
  simdjson::dom::parser parser;
  for (auto _ : state) {
    for (const auto& [off, len] : in.objects) {
      simdjson::dom::element root;
      if (parser.parse(in.bytes.data() + off, len, false).get(root) != simdjson::SUCCESS) {
        state.SkipWithError("simdjson rejected an object");
        return;
      }
      benchmark::DoNotOptimize(root);
    }
  }
  set_rates(state);
}

void BM_Reader(benchmark::State& state) {
  const Input& in = input();
  std::unique_ptr<sw::stix::ObjectReader> reader;
  for (auto _ : state) {
    state.PauseTiming();
    reader.reset();
    reader = sw::stix::ObjectReader::from_memory(std::string(in.bytes.data(), in.bytes.size()), "bench");
    state.ResumeTiming();
    sw::stix::RawObject raw;
    size_t n = 0;
    for (;;) {
      auto r = reader->next(raw);
      if (!r.ok() || *r == sw::stix::ObjectReader::Next::kEnd) break;
      ++n;
    }
    benchmark::DoNotOptimize(n);
  }
  set_rates(state);
}

void BM_DomValidate(benchmark::State& state) {
  const Input& in = input();
  simdjson::dom::parser parser;
  std::vector<sw::stix::Issue> issues;
  for (auto _ : state) {
    for (const auto& [off, len] : in.objects) {
      simdjson::dom::element root;
      simdjson::dom::object obj;
      if (parser.parse(in.bytes.data() + off, len, false).get(root) != simdjson::SUCCESS ||
          root.get_object().get(obj) != simdjson::SUCCESS) {
        state.SkipWithError("simdjson rejected an object");
        return;
      }
      issues.clear();
      benchmark::DoNotOptimize(sw::stix::validate_object(obj, issues));
    }
  }
  set_rates(state);
}

// Reader + ObjectParser over every object; returns the number of objects rejected.
size_t parse_all(sw::stix::ObjectReader& reader) {
  sw::stix::MarkingResolver markings;
  sw::stix::ObjectParser parser(markings);
  std::vector<sw::stix::Issue> issues;
  sw::stix::RawObject raw;
  sw::stix::Object obj;
  size_t rejected = 0;
  for (;;) {
    auto r = reader.next(raw);
    if (!r.ok()) {
      ++rejected;
      if (reader.failed()) break;
      continue;
    }
    if (*r == sw::stix::ObjectReader::Next::kEnd) break;
    issues.clear();
    // A fresh Object per object, as the importer does (it moves each into its batch).
    obj = sw::stix::Object{};
    if (!parser.parse(raw.json, obj, issues)) ++rejected;
    benchmark::DoNotOptimize(obj);
  }
  return rejected;
}

void BM_ParseValidate(benchmark::State& state) {
  const Input& in = input();
  std::unique_ptr<sw::stix::ObjectReader> reader;
  for (auto _ : state) {
    // Copying the input for the reader (and freeing the last one) is set-up, not parsing.
    state.PauseTiming();
    reader.reset();
    reader = sw::stix::ObjectReader::from_memory(std::string(in.bytes.data(), in.bytes.size()), "bench");
    state.ResumeTiming();
    if (parse_all(*reader) != 0) {
      state.SkipWithError("objects were rejected: check the input with `shieldwall validate`");
      return;
    }
  }
  set_rates(state);
}

void BM_ParseValidateFile(benchmark::State& state) {
  const Input& in = input();
  for (auto _ : state) {
    auto reader = sw::stix::ObjectReader::open(in.path);
    if (!reader.ok()) {
      state.SkipWithError(reader.error().to_string().c_str());
      return;
    }
    if (parse_all(**reader) != 0) {
      state.SkipWithError("objects were rejected: check the input with `shieldwall validate`");
      return;
    }
  }
  set_rates(state);
}

// Remembers every repetition's rates so the summary can take medians after the console table.
class Reporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  struct Rates {
    std::vector<double> mbps, objps;
  };
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    const Input& in = input();
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred || r.cpu_accumulated_time <= 0) continue;
      const double iters = static_cast<double>(r.iterations);
      Rates& x = rates[r.run_name.function_name];
      x.mbps.push_back(iters * static_cast<double>(in.bytes.size()) / r.cpu_accumulated_time / 1e6);
      x.objps.push_back(iters * static_cast<double>(in.objects.size()) / r.cpu_accumulated_time);
    }
  }
  std::map<std::string, Rates> rates;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

bool load(const std::string& path) {
  Input& in = input();
  in.path = path;
  auto loaded = simdjson::padded_string::load(path);
  if (loaded.error()) {
    std::fprintf(stderr, "sw-parse-bench: cannot read %s: %s\n", path.c_str(),
                 simdjson::error_message(loaded.error()));
    return false;
  }
  in.bytes = std::move(loaded).value_unsafe();
  // The reader finds the boundaries once; the simdjson baselines then reuse them.
  auto reader = sw::stix::ObjectReader::from_memory(std::string(in.bytes.data(), in.bytes.size()), path);
  sw::stix::RawObject raw;
  for (;;) {
    auto r = reader->next(raw);
    if (!r.ok()) {
      std::fprintf(stderr, "sw-parse-bench: %s\n", r.error().to_string().c_str());
      return false;
    }
    if (*r == sw::stix::ObjectReader::Next::kEnd) break;
    in.objects.emplace_back(raw.byte_offset, raw.json.size());
  }
  // The offsets are into the file; check they point at the same bytes the reader returned.
  if (in.objects.empty() || in.bytes.data()[in.objects.front().first] != '{') {
    std::fprintf(stderr, "sw-parse-bench: %s holds no objects\n", path.c_str());
    return false;
  }
  auto check = sw::stix::ObjectReader::from_memory(std::string(in.bytes.data(), in.bytes.size()), path);
  if (size_t rejected = parse_all(*check); rejected != 0) {
    std::fprintf(stderr, "sw-parse-bench: %zu object(s) of %s are rejected by the parser\n", rejected,
                 path.c_str());
    return false;
  }
  return true;
}

}  // namespace

BENCHMARK(BM_DomWholeBundle)->Name("simdjson/dom_whole_bundle")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DomPerObject)->Name("simdjson/dom_per_object")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reader)->Name("shieldwall/reader")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DomValidate)->Name("shieldwall/dom+validate")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseValidate)->Name("shieldwall/parse_validate")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseValidateFile)->Name("shieldwall/parse_validate_file")->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // --profile N FILE: only the import path (ObjectReader::open + ObjectParser) N times over FILE,
  // with no set-up pass, for perf / callgrind (docs/benchmarks.md, "Profiling").
  if (argc == 4 && std::string_view(argv[1]) == "--profile") {
    const int n = std::atoi(argv[2]);
    size_t rejected = 0;
    for (int i = 0; i < n; ++i) {
      auto reader = sw::stix::ObjectReader::open(argv[3]);
      if (!reader.ok()) {
        std::fprintf(stderr, "sw-parse-bench: %s\n", reader.error().to_string().c_str());
        return 1;
      }
      rejected += parse_all(**reader);
    }
    return rejected == 0 ? 0 : 1;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: sw-parse-bench [--benchmark_* flags] FILE.json\n"
                         "       sw-parse-bench --profile N FILE.json\n");
    return 2;
  }
  if (!load(argv[1])) return 1;
  const Input& in = input();
  std::printf("input: %s, %.1f MB, %zu objects (avg %.0f bytes), simdjson implementation %s\n",
              in.path.c_str(), double(in.bytes.size()) / 1e6, in.objects.size(),
              double(in.bytes.size()) / double(in.objects.size()),
              simdjson::get_active_implementation()->name().c_str());
  std::fflush(stdout);
  Reporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                          : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  auto get = [&](const char* name, bool objects) {
    auto it = reporter.rates.find(name);
    if (it == reporter.rates.end()) return 0.0;
    return median(objects ? it->second.objps : it->second.mbps);
  };
  const char* names[][2] = {
      {"simdjson/dom_whole_bundle", "baseline_dom_whole"}, {"simdjson/dom_per_object", "baseline_dom_per_object"},
      {"shieldwall/reader", "reader"},                     {"shieldwall/dom+validate", "dom_validate"},
      {"shieldwall/parse_validate", "parse_validate"},     {"shieldwall/parse_validate_file", "parse_validate_file"},
  };
  std::printf("\nmedians over repetitions (per CPU second):\n");
  for (auto& [bench, key] : names) {
    std::printf("RESULT %s_mbps %.1f\n", key, get(bench, false));
    std::printf("RESULT %s_objps %.0f\n", key, get(bench, true));
  }
  const double base = get("simdjson/dom_whole_bundle", false);
  const double per_obj = get("simdjson/dom_per_object", false);
  const double ours = get("shieldwall/parse_validate", false);
  std::printf("RESULT ratio_vs_dom_whole %.3f\n", base > 0 ? ours / base : 0.0);
  std::printf("RESULT ratio_vs_dom_per_object %.3f\n", per_obj > 0 ? ours / per_obj : 0.0);
  return 0;
}
