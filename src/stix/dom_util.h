// Small helpers over simdjson's DOM shared by the validator and the SCO id code.
#pragma once

#include <simdjson.h>

namespace sw::stix {

// Array/object views of an element known to be one; empty views otherwise. (By value: iterating
// the member of a temporary simdjson_result would dangle.)
inline simdjson::dom::array as_array(simdjson::dom::element e) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return {};
  return a;
}
inline simdjson::dom::object as_object(simdjson::dom::element e) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return {};
  return o;
}

}  // namespace sw::stix
