#include "pattern/observation.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <unordered_map>
#include <utility>

#include "pattern/text.h"

namespace sw::pattern {

using core::Error;
using core::Result;
using core::Status;
namespace dom = simdjson::dom;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view string_member(dom::object o, std::string_view key) {
  std::string_view v;
  if (o[key].get(v) != simdjson::SUCCESS) return {};
  return v;
}

constexpr uint64_t kMaxNumberObserved = 999'999'999;  // STIX 2.1 §4.14.1

}  // namespace

// Fills an Observation from simdjson DOM elements.
class Observation::Builder {
 public:
  explicit Builder(Observation& o) : o_(o) {}

  Status header(dom::object od, const std::string& where) {
    if (string_member(od, "type") != "observed-data") {
      return Error::invalid(
          "not an observed-data object (type '" + std::string(string_member(od, "type")) + "')",
          where);
    }
    o_.id_.assign(string_member(od, "id"));
    const std::string name = o_.id_.empty() ? std::string("observed-data") : o_.id_;
    for (auto [key, out] :
         {std::pair{"first_observed", &o_.first_}, std::pair{"last_observed", &o_.last_}}) {
      std::string_view v;
      if (od[key].get(v) != simdjson::SUCCESS) {
        return Error::invalid(name + ": " + key + " is missing or not a string", where);
      }
      auto ts = core::parse_timestamp(v);
      if (!ts.ok()) return Error::invalid(name + ": " + key + ": " + ts.error().message, where);
      *out = *ts;
    }
    if (o_.last_ < o_.first_) {
      return Error::invalid(name + ": last_observed is earlier than first_observed", where);
    }
    dom::element n;
    int64_t number = 0;
    if (od["number_observed"].get(n) != simdjson::SUCCESS ||
        n.get_int64().get(number) != simdjson::SUCCESS || number < 1 ||
        static_cast<uint64_t>(number) > kMaxNumberObserved) {
      return Error::invalid(name + ": number_observed must be an integer from 1 to 999999999",
                            where);
    }
    o_.number_ = static_cast<uint64_t>(number);
    return core::ok_status();
  }

  // Adds one SCO; `key` is how references name it (dictionary key in 2.0, id in 2.1).
  void add_sco(std::string_view key, dom::object obj) {
    const uint32_t slot = static_cast<uint32_t>(o_.nodes_.size());
    o_.nodes_.emplace_back();
    fill_object(slot, obj);
    o_.roots_.push_back(slot);
    const std::string_view type = string_member(obj, "type");
    o_.types_.emplace_back(add(type), static_cast<uint32_t>(type.size()));
    o_.keys_.emplace_back(add(key), static_cast<uint32_t>(key.size()));
  }

  // Puts the SCOs in the order of `keys` (2.1: the order of object_refs).
  void order_by(const std::vector<std::string_view>& keys) {
    std::vector<size_t> idx(o_.roots_.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    const auto rank = [&](size_t i) {
      const auto it = std::find(keys.begin(), keys.end(), o_.sco_key(i));
      return static_cast<size_t>(it - keys.begin());
    };
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return rank(a) < rank(b); });
    auto roots = o_.roots_;
    auto types = o_.types_;
    auto ks = o_.keys_;
    for (size_t i = 0; i < idx.size(); ++i) {
      o_.roots_[i] = roots[idx[i]];
      o_.types_[i] = types[idx[i]];
      o_.keys_[i] = ks[idx[i]];
    }
  }

  // Resolves every *_ref string and *_refs list element to the SCO it names.
  void resolve_references() {
    std::unordered_map<std::string_view, int32_t> by_key;
    for (size_t i = 0; i < o_.roots_.size(); ++i)
      by_key.emplace(o_.sco_key(i), static_cast<int32_t>(i));
    const auto target = [&](const Node& n) -> int32_t {
      if (n.kind != Kind::kString) return -1;
      const auto it = by_key.find(o_.bytes(n));
      return it == by_key.end() ? -1 : it->second;
    };
    for (Node& parent : o_.nodes_) {
      if (parent.kind != Kind::kObject) continue;
      for (uint32_t c = parent.off; c < parent.off + parent.len; ++c) {
        Node& m = o_.nodes_[c];
        const std::string_view key = o_.key(m);
        if (ends_with(key, "_ref")) {
          m.ref = target(m);
        } else if (ends_with(key, "_refs") && m.kind == Kind::kArray) {
          for (uint32_t e = m.off; e < m.off + m.len; ++e) o_.nodes_[e].ref = target(o_.nodes_[e]);
        }
      }
    }
  }

 private:
  uint32_t add(std::string_view s) {
    const auto off = static_cast<uint32_t>(o_.pool_.size());
    o_.pool_.append(s);
    return off;
  }

  // Fills nodes_[slot] (already allocated) from an object.
  void fill_object(uint32_t slot, dom::object obj) {
    Node n;
    uint32_t count = 0;
    for (auto kv : obj) {
      (void)kv;
      ++count;
    }
    n.kind = Kind::kObject;
    n.off = static_cast<uint32_t>(o_.nodes_.size());
    n.len = count;
    o_.nodes_.resize(o_.nodes_.size() + count);
    uint32_t i = 0;
    for (auto kv : obj) {
      const uint32_t child = n.off + i++;
      const uint32_t key_off = add(kv.key);
      fill(child, kv.value, kv.key);
      o_.nodes_[child].key_off = key_off;
      o_.nodes_[child].key_len = static_cast<uint32_t>(kv.key.size());
    }
    o_.nodes_[slot] = n;
  }

  // Fills nodes_[slot] (already allocated) from `e`; `key` is its member name, if any. The DOM
  // element's type was checked, so the typed accessors cannot fail.
  void fill(uint32_t slot, dom::element e, std::string_view key) {
    Node n;
    switch (e.type()) {
      case dom::element_type::OBJECT:
        fill_object(slot, e.get_object().value_unsafe());
        return;
      case dom::element_type::ARRAY: {
        const dom::array arr = e.get_array().value_unsafe();
        const auto count = static_cast<uint32_t>(arr.size());
        n.kind = Kind::kArray;
        n.off = static_cast<uint32_t>(o_.nodes_.size());
        n.len = count;
        o_.nodes_.resize(o_.nodes_.size() + count);
        uint32_t i = 0;
        for (dom::element v : arr) fill(n.off + i++, v, {});
        break;
      }
      case dom::element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        if (ends_with(key, "_bin") && text::decode_base64(s, scratch_, false)) {
          n.kind = Kind::kBinary;
          s = scratch_;
        } else if (ends_with(key, "_hex") && text::decode_hex(s, scratch_)) {
          n.kind = Kind::kBinary;
          s = scratch_;
        } else {
          n.kind = Kind::kString;
        }
        n.off = add(s);
        n.len = static_cast<uint32_t>(s.size());
        if (n.kind == Kind::kString && text::may_need_nfc(s) && text::to_nfc(s, nfc_) &&
            nfc_ != s) {
          n.has_nfc = true;
          n.nfc_off = add(nfc_);
          n.nfc_len = static_cast<uint32_t>(nfc_.size());
        }
        break;
      }
      case dom::element_type::INT64:
        n.kind = Kind::kInt;
        n.num.integer = e.get_int64().value_unsafe();
        break;
      case dom::element_type::UINT64: {
        const uint64_t u = e.get_uint64().value_unsafe();
        n.kind = Kind::kFloat;  // beyond int64: keep the magnitude
        n.num.real = static_cast<double>(u);
        break;
      }
      case dom::element_type::DOUBLE:
        n.kind = Kind::kFloat;
        n.num.real = e.get_double().value_unsafe();
        break;
      case dom::element_type::BOOL:
        n.kind = Kind::kBool;
        n.num.boolean = e.get_bool().value_unsafe();
        break;
      case dom::element_type::NULL_VALUE:
        n.kind = Kind::kNull;
        break;
    }
    o_.nodes_[slot] = n;
  }

  Observation& o_;
  std::string scratch_, nfc_;
};

namespace {

// 2.0-style: the SCOs are the "objects" dictionary. Returns the SCO elements used, in order.
Status build_embedded(Observation::Builder& b, dom::object od, const std::string& where,
                      std::vector<dom::element>* used) {
  dom::object objects;
  if (od["objects"].get(objects) != simdjson::SUCCESS) {
    return Error::invalid("observed-data has no \"objects\" dictionary", where);
  }
  for (auto kv : objects) {
    dom::object sco;
    if (kv.value.get_object().get(sco) != simdjson::SUCCESS) continue;  // not an object: no SCO
    b.add_sco(kv.key, sco);
    if (used) used->push_back(kv.value);
  }
  b.resolve_references();
  return core::ok_status();
}

using Lookup = std::unordered_map<std::string_view, dom::element>;

// 2.1: the SCOs are those object_refs lists that `objects` holds.
Status build_referenced(Observation::Builder& b, dom::object od, const Lookup& objects,
                        const std::string& where, std::vector<dom::element>* used) {
  dom::array refs;
  if (od["object_refs"].get(refs) != simdjson::SUCCESS) {
    // The deprecated embedded form: its SCOs are part of the observed-data itself.
    if (od["objects"].error() == simdjson::SUCCESS) return build_embedded(b, od, where, nullptr);
    return Error::invalid("observed-data has no \"object_refs\" list", where);
  }
  std::vector<std::string_view> seen;
  for (dom::element r : refs) {
    std::string_view id;
    if (r.get_string().get(id) != simdjson::SUCCESS) continue;
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    const auto it = objects.find(id);
    dom::object sco;
    if (it == objects.end() || it->second.get_object().get(sco) != simdjson::SUCCESS) {
      continue;  // not supplied: "not found" (§9.7.4)
    }
    b.add_sco(id, sco);
    if (used) used->push_back(it->second);
  }
  b.resolve_references();
  return core::ok_status();
}

Result<dom::object> parse_object(dom::parser& parser, std::string_view json, const char* what) {
  dom::element doc;
  if (auto err = parser.parse(json.data(), json.size()).get(doc); err != simdjson::SUCCESS) {
    return Error::invalid(std::string("invalid JSON in ") + what + ": " +
                          simdjson::error_message(err));
  }
  dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return Error::invalid(std::string(what) + " is not a JSON object");
  }
  return obj;
}

}  // namespace

Result<Observation> Observation::from_json_20(std::string_view observed_data) {
  dom::parser parser;
  SW_ASSIGN(dom::object od, parse_object(parser, observed_data, "observed-data"));
  Observation o;
  Builder b(o);
  SW_TRY(b.header(od, ""));
  SW_TRY(build_embedded(b, od, "", nullptr));
  return o;
}

Result<Observation> Observation::from_json_21(std::string_view observed_data,
                                              std::span<const std::string_view> objects) {
  dom::parser parser;
  SW_ASSIGN(dom::object od, parse_object(parser, observed_data, "observed-data"));
  Observation o;
  Builder b(o);
  SW_TRY(b.header(od, ""));
  dom::array refs;
  if (od["object_refs"].get(refs) != simdjson::SUCCESS) {
    if (od["objects"].error() == simdjson::SUCCESS) {
      SW_TRY(build_embedded(b, od, "", nullptr));
      return o;
    }
    return Error::invalid("observed-data has no \"object_refs\" list");
  }
  // Each SCO text gets its own parse; only the listed ones are added, then put in list order.
  std::vector<std::string> wanted;
  for (dom::element r : refs) {
    std::string_view id;
    if (r.get_string().get(id) == simdjson::SUCCESS) wanted.emplace_back(id);
  }
  std::vector<std::string_view> order(wanted.begin(), wanted.end());
  dom::parser sco_parser;
  std::vector<std::string> added;
  for (size_t i = 0; i < objects.size(); ++i) {
    auto sco = parse_object(sco_parser, objects[i], "an object");
    if (!sco.ok()) return Error::invalid(sco.error().message, "objects[" + std::to_string(i) + "]");
    const std::string_view id = string_member(*sco, "id");
    if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) continue;
    if (std::find(added.begin(), added.end(), id) != added.end()) continue;
    added.emplace_back(id);
    b.add_sco(id, *sco);
  }
  b.order_by(order);
  b.resolve_references();
  return o;
}

Result<ObservationSet> load_observations(std::string_view json, StixVersion version,
                                         const LoadOptions& options) {
  dom::parser parser;
  dom::element doc;
  if (auto err = parser.parse(json.data(), json.size()).get(doc); err != simdjson::SUCCESS) {
    return Error::invalid(std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  std::vector<dom::element> items;
  bool listed = true;
  if (dom::array arr; doc.get_array().get(arr) == simdjson::SUCCESS) {
    for (dom::element e : arr) items.push_back(e);
  } else if (doc.type() == dom::element_type::OBJECT) {
    items.push_back(doc);
    listed = false;
  } else {
    return Error::invalid("expected a JSON list of " + std::string(version == StixVersion::k20
                                                                       ? "observed-data objects"
                                                                       : "bundles"));
  }
  const auto item_where = [&](size_t i) {
    return listed ? "[" + std::to_string(i) + "]" : std::string();
  };

  ObservationSet set;
  const auto add = [&](dom::object od, const std::string& where, const Lookup* lookup,
                       std::string_view bundle_id) -> Status {
    Observation o;
    Observation::Builder b(o);
    SW_TRY(b.header(od, where));
    std::vector<dom::element> used;
    std::vector<dom::element>* keep = options.keep_source ? &used : nullptr;
    if (lookup == nullptr) {
      SW_TRY(build_embedded(b, od, where, keep));
    } else {
      SW_TRY(build_referenced(b, od, *lookup, where, keep));
    }
    set.observations.push_back(std::move(o));
    if (options.keep_source) {
      ObservationSource src;
      src.bundle_id.assign(bundle_id);
      src.observed_data = simdjson::minify(od);
      if (lookup != nullptr) {
        for (dom::element e : used) src.objects.push_back(simdjson::minify(e));
      }
      set.sources.push_back(std::move(src));
    }
    return core::ok_status();
  };

  // STIX 2.1: objects outside bundles form one more bundle.
  Lookup loose;
  if (version == StixVersion::k21) {
    for (dom::element e : items) {
      dom::object o;
      if (e.get_object().get(o) != simdjson::SUCCESS || string_member(o, "type") == "bundle")
        continue;
      const std::string_view id = string_member(o, "id");
      if (!id.empty()) loose.emplace(id, e);
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = item_where(i);
    dom::object obj;
    if (items[i].get_object().get(obj) != simdjson::SUCCESS) {
      return Error::invalid("expected a JSON object", where);
    }
    const std::string_view type = string_member(obj, "type");
    if (type == "bundle") {
      dom::array objects;
      if (obj["objects"].get(objects) != simdjson::SUCCESS) continue;  // an empty bundle
      Lookup by_id;
      if (version == StixVersion::k21) {
        for (dom::element e : objects) {
          dom::object o;
          if (e.get_object().get(o) != simdjson::SUCCESS) continue;
          const std::string_view id = string_member(o, "id");
          if (!id.empty()) by_id.emplace(id, e);
        }
      }
      size_t j = 0;
      for (dom::element e : objects) {
        dom::object o;
        const std::string w =
            where + (where.empty() ? "" : ".") + "objects[" + std::to_string(j++) + "]";
        if (e.get_object().get(o) != simdjson::SUCCESS) continue;
        if (string_member(o, "type") != "observed-data") continue;
        SW_TRY(add(o, w, version == StixVersion::k21 ? &by_id : nullptr, string_member(obj, "id")));
      }
    } else if (type == "observed-data") {
      SW_TRY(add(obj, where, version == StixVersion::k21 ? &loose : nullptr, {}));
    } else if (version == StixVersion::k20) {
      return Error::invalid(
          "expected an observed-data object or a bundle, found type '" + std::string(type) + "'",
          where);
    }
  }
  return set;
}

}  // namespace sw::pattern
