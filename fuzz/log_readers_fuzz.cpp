// Fuzz target for the log readers (index/logs): the same bytes are read as each format — lines,
// jsonl, Suricata EVE, Zeek — through a small buffer so lines straddle reads and long lines are
// dropped, and the first records of each are turned into STIX observed data. Nothing may crash,
// hang or leak; every record's observables are within the limits; a record always builds an
// observation the matcher accepts.
#include <cstdint>
#include <string>

#include "core/time.h"
#include "index/logs/observation.h"
#include "index/logs/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sw::index::logs;
  const std::string input(reinterpret_cast<const char*>(data), size);
  ReaderOptions opt;
  opt.max_line_bytes = 2048;
  opt.read_chunk_bytes = 4096;
  opt.max_observables = 16;
  const sw::core::Timestamp now = sw::core::from_micros(1'700'000'000'000'000);
  for (Format f : {Format::kLines, Format::kJsonl, Format::kSuricataEve, Format::kZeek}) {
    auto reader = LogReader::from_memory(f, input, "fuzz", opt);
    Record r;
    uint64_t last_line = 0;
    for (int i = 0; i < 100000; ++i) {
      auto next = reader->next(r);
      if (!next.ok() || !*next) break;
      if (r.line <= last_line || r.line > reader->stats().lines) __builtin_trap();
      if (r.observables.size() > opt.max_observables) __builtin_trap();
      last_line = r.line;
      if (i < 8 && !build_observation(r, now).ok()) __builtin_trap();
    }
    const ReaderStats& s = reader->stats();
    if (s.records + s.skipped_total() > s.lines) __builtin_trap();
    if (s.bytes != size) __builtin_trap();
  }
  return 0;
}
