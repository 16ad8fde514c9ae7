// Fuzz target for the STIX input path: the streaming reader finds objects in arbitrary bytes, and
// the parser parses, validates and extracts metadata from each. Neither may crash, hang or leak
// whatever the input; every object either parses or yields issues.
#include <cstdint>
#include <string>
#include <vector>

#include "stix/markings.h"
#include "stix/parse.h"
#include "stix/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sw::stix::ReaderOptions opt;
  opt.max_object_bytes = 1 << 20;
  auto reader = sw::stix::ObjectReader::from_memory(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz", opt);
  sw::stix::MarkingResolver markings;
  sw::stix::ObjectParser parser(markings);
  sw::stix::RawObject raw;
  std::vector<sw::stix::Issue> issues;
  for (int i = 0; i < 100000; ++i) {
    auto next = reader->next(raw);
    if (!next.ok()) {
      if (reader->failed()) break;
      continue;
    }
    if (*next == sw::stix::ObjectReader::Next::kEnd) break;
    sw::stix::Object obj;
    issues.clear();
    const bool ok = parser.parse(raw.json, obj, issues);
    if (ok && obj.meta.id.empty()) __builtin_trap();  // an accepted object always has an id
    if (!ok && issues.empty()) __builtin_trap();      // a rejection always says why
  }
  return 0;
}
