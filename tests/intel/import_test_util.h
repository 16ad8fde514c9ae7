// Shared by the intel tests: STIX objects as text, and running intel::Importer on text held in
// memory against an in-memory store.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "intel/ingest.h"
#include "stix/markings.h"
#include "stix/reader.h"
#include "store/store.h"

namespace sw::stix {
// Readable levels in assertion messages.
inline void PrintTo(Tlp t, std::ostream* os) {
  *os << "TLP:" << (*tlp_name(t) ? tlp_name(t) : "none");
}
inline void PrintTo(Pap p, std::ostream* os) {
  *os << "PAP:" << (*pap_name(p) ? pap_name(p) : "none");
}
}  // namespace sw::stix

namespace sw::intel::testing {

// "indicator--0000000n-…" (a UUIDv4-shaped id) for test object n.
inline std::string indicator_id(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "indicator--%08x-1d2c-4000-8000-000000000000",
                static_cast<unsigned>(n));
  return id;
}

// A valid indicator; `extra` is spliced in before the closing brace (",\"k\":v").
inline std::string indicator(int n, const std::string& extra = "",
                             const std::string& modified = "2024-01-01T00:00:00.000Z") {
  return R"({"type":"indicator","spec_version":"2.1","id":")" + indicator_id(n) +
         R"(","created":"2024-01-01T00:00:00.000Z","modified":")" + modified +
         R"(","pattern":"[domain-name:value = 'host)" + std::to_string(n) +
         R"(.example']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z")" + extra + "}";
}

inline std::string bundle(const std::vector<std::string>& objects) {
  std::string s =
      R"({"type":"bundle","id":"bundle--7b0e5f43-2c9a-4d8e-8f1a-3b6c5d4e2f10","objects":[)";
  for (size_t i = 0; i < objects.size(); ++i) s += (i ? "," : "") + objects[i];
  return s + "]}";
}

// One Importer over `store`, with its clock and marking resolver.
struct Harness {
  explicit Harness(store::Store& s) : store(s), importer(s, clock, markings) {}

  core::Status import(const std::string& text, const ImportOptions& options, ImportSummary& summary,
                      const std::string& name = "test.json") {
    auto reader = stix::ObjectReader::from_memory(text, name, options.reader);
    return importer.import_reader(*reader, name, options, summary);
  }

  store::Store& store;
  core::FakeClock clock;
  stix::MarkingResolver markings;
  Importer importer;
};

}  // namespace sw::intel::testing
