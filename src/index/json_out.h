// The JSON forms of look-up hits, warning-list flags and correlations: one definition for every
// place that prints them (the CLI's lookup/match/correlate, the REST API), so a script reading
// one reads the other.
//
// Pure functions; they append to `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/index.h"
#include "index/warninglist.h"

namespace sw::index {

// {"id":…,"type":…,"version":…,"tlp":…,"match":…,"key":…,"satisfied":…}
void append_hit_json(std::string& out, const Hit& hit, bool satisfied);

// ,"warninglists":[ids] — the lists that flag the value (their folder names, e.g.
// "public-dns-v4"); returns whether any did. `scratch` is reused between calls.
bool append_warninglists_json(std::string& out, const WarningLists& lists, Kind kind,
                              std::string_view value, std::vector<uint32_t>& scratch);

// {"id":…,"atoms":n,"related":[{"id","type","version","tlp","shared"}],"over_correlating":[…]}
void append_correlation_json(std::string& out, std::string_view id, const Correlation& c);

}  // namespace sw::index
