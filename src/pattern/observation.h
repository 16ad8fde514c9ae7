// Observations as the matcher sees them: one observed-data SDO (first_observed, last_observed,
// number_observed) with its SCOs flattened into one compact, read-only tree — nodes in a single
// vector, all text in a single pool, references (`*_ref`, `*_refs`) resolved to the SCO they name,
// `*_bin` / `*_hex` values decoded to octets, and an NFC copy of any string that is not already in
// NFC (LIKE and MATCHES compare NFC text, §9.6.1). Evaluating a pattern against it allocates
// nothing.
//
// Which SCOs a pattern sees:
//  - STIX 2.0: every object of the observed-data's "objects" dictionary; references are its keys.
//  - STIX 2.1: the SCOs listed in "object_refs" (found among the objects supplied with it); a
//    reference to an object not listed there is "not found" (§9.7.4). An observed-data that uses
//    the deprecated "objects" dictionary instead is read as in 2.0.
//
// An Observation is immutable once built and safe to read from several threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "pattern/ast.h"

namespace sw::pattern {

class Observation {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kFloat, kString, kBinary, kArray, kObject };

  // One JSON value. Object members and array elements of a node are consecutive nodes
  // [first, first + count); a member's key is in the pool.
  struct Node {
    Kind kind = Kind::kNull;
    bool has_nfc = false;  // kString: nfc_off/nfc_len hold its NFC form
    int32_t ref = -1;      // kString under a *_ref / *_refs key: the SCO it names, or -1
    uint32_t key_off = 0, key_len = 0;
    uint32_t off = 0, len = 0;  // kString/kBinary: bytes in the pool; kArray/kObject: children
    uint32_t nfc_off = 0, nfc_len = 0;
    union {
      int64_t integer;
      double real;
      bool boolean;
    } num{};
  };

  // Reads a STIX 2.0 observed-data object (objects embedded in "objects").
  static core::Result<Observation> from_json_20(std::string_view observed_data);

  // Reads a STIX 2.1 observed-data object; `objects` are the JSON texts of the SCOs it may
  // reference (any order; others are ignored).
  static core::Result<Observation> from_json_21(std::string_view observed_data,
                                                std::span<const std::string_view> objects = {});

  const std::string& id() const { return id_; }
  const core::Timestamp& first_observed() const { return first_; }
  const core::Timestamp& last_observed() const { return last_; }
  uint64_t number_observed() const { return number_; }

  // The flattened tree (read by the matcher).
  size_t sco_count() const { return roots_.size(); }
  uint32_t sco_node(size_t i) const { return roots_[i]; }
  std::string_view sco_type(size_t i) const { return str(types_[i].first, types_[i].second); }
  std::string_view sco_key(size_t i) const { return str(keys_[i].first, keys_[i].second); }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  std::string_view key(const Node& n) const { return str(n.key_off, n.key_len); }
  std::string_view bytes(const Node& n) const { return str(n.off, n.len); }
  std::string_view nfc(const Node& n) const {
    return n.has_nfc ? str(n.nfc_off, n.nfc_len) : str(n.off, n.len);
  }

  class Builder;

 private:
  std::string_view str(uint32_t off, uint32_t len) const {
    return std::string_view(pool_.data() + off, len);  // offsets were checked when built
  }

  std::string id_;
  core::Timestamp first_, last_;
  uint64_t number_ = 1;
  std::vector<Node> nodes_;
  std::string pool_;
  std::vector<uint32_t> roots_;                       // node of each SCO
  std::vector<std::pair<uint32_t, uint32_t>> types_;  // its "type" in the pool
  std::vector<std::pair<uint32_t, uint32_t>> keys_;   // its key (2.0) or id (2.1) in the pool
};

// Where an observation came from, for showing a match (the CLI prints these).
struct ObservationSource {
  std::string bundle_id;             // 2.1: the bundle it was in ("" when none)
  std::string observed_data;         // the observed-data object, minified JSON
  std::vector<std::string> objects;  // 2.1: the SCOs it lists in object_refs, minified JSON
};

struct ObservationSet {
  std::vector<Observation> observations;
  std::vector<ObservationSource> sources;  // parallel to observations (empty unless kept)
};

struct LoadOptions {
  bool keep_source = false;
};

// Reads a JSON document of observations:
//  - 2.0: a list of observed-data objects (or bundles holding them), objects embedded;
//  - 2.1: a list of bundles; each observed-data in a bundle sees the SCOs of the same bundle.
//    Objects in the list outside any bundle form one more bundle.
// A single object instead of a list is read as a list of one. Errors name the JSON path
// ("[2].objects[1]") and what is wrong.
core::Result<ObservationSet> load_observations(std::string_view json, StixVersion version,
                                               const LoadOptions& options = {});

}  // namespace sw::pattern
