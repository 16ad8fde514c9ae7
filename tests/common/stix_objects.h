// STIX JSON texts as parsed objects, and stored — for tests that write objects the way an import
// would (every object validated by the real parser).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stix/markings.h"
#include "stix/parse.h"
#include "store/store.h"

namespace sw::testing {

// Parses each text; a text that does not validate fails the test and is left out.
inline std::vector<stix::Object> parse_objects(const std::vector<std::string>& texts) {
  stix::MarkingResolver markings;
  stix::ObjectParser parser(markings);
  std::vector<stix::Object> out;
  for (const std::string& t : texts) {
    stix::Object o;
    std::vector<stix::Issue> issues;
    if (!parser.parse_unpadded(t, o, issues)) {
      ADD_FAILURE() << "does not validate: " << (issues.empty() ? "" : issues.front().message) << "\n" << t;
      continue;
    }
    out.push_back(std::move(o));
  }
  return out;
}

// Parses and stores the texts in one batch.
inline void put_objects(store::Store& store, const std::vector<std::string>& texts) {
  auto r = store.put(parse_objects(texts), 1);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
}

}  // namespace sw::testing
