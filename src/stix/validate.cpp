#include "stix/validate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"
#include "stix/sco_id.h"
#include "stix/dom_util.h"
#include "stix/validate_formats.h"
#include "stix/validate_tables.h"

// How the validator works: the property tables (stix/validate_tables.cpp) are indexed once into a
// Registry — every property name gets a small integer, every definition an array from that integer
// to its property. Validating an object is then one pass over its fields: look the name up, check
// the value by the property's kind (recursing into nested types), remember where each known
// property was, and finally run the checks that involve several properties. Nothing is allocated
// unless an issue is reported (the SCO deterministic id is the exception: it builds the canonical
// JSON of the contributing properties).

namespace sw::stix {
namespace {

using detail::Cls;
using detail::DictVal;
using detail::K;
using detail::N;
using detail::ObjDef;
using detail::Prop;
using detail::SpecType;
using detail::Targets;
using detail::Use;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr int kMaxProps = 64;
constexpr std::string_view kTlp2ExtensionId =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
constexpr std::string_view kExtensionDefinitionPrefix = "extension-definition--";
constexpr double kMaxInteger = 9007199254740991.0;  // 2^53 - 1 (§2.10)

// ---------------------------------------------------------------------------------------------
// Registry: the tables, indexed.

// Open-addressing map from a name to a small integer; filled once, then read-only.
class NameMap {
 public:
  explicit NameMap(size_t capacity) : slots_(capacity) {}

  int find(std::string_view key) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.value < 0) return -1;
      if (s.key == key) return s.value;
    }
  }

  // Returns the existing value for `key`, or inserts `value`.
  int insert(std::string_view key, int value) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.value < 0) {
        if (2 * ++used_ > slots_.size()) std::abort();  // a table bug: keep the load under a half
        s = {key, value};
        return value;
      }
      if (s.key == key) return s.value;
    }
  }

 private:
  // Constant time: the length and the first and last eight bytes (collisions only cost a probe).
  static uint64_t hash(std::string_view k) {
    uint64_t a = 0, b = 0;
    const size_t n = k.size();
    if (n >= 8) {
      std::memcpy(&a, k.data(), 8);
      std::memcpy(&b, k.data() + n - 8, 8);
    } else {
      for (size_t i = 0; i < n; ++i) a |= uint64_t{static_cast<unsigned char>(k[i])} << (8 * i);
    }
    const uint64_t h =
        a * 0x9E3779B97F4A7C15ull ^ b * 0xC2B2AE3D27D4EB4Full ^ n * 0x165667B19E3779F9ull;
    return h ^ (h >> 31);
  }
  struct Slot {
    std::string_view key;
    int value = -1;
  };
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

struct Registry;

// A definition with its properties in one array (for top-level types: the common properties of
// §3.2 first, with the requiredness of the type's class) and a map from property id to index.
struct DefIndex {
  const ObjDef* def = nullptr;
  std::string_view name;
  std::vector<Prop> props;
  std::vector<int8_t> slot;  // property id -> index in props, or -1
  int own_begin = 0;         // index of the first property that is not a common one

  int find(const Registry& r, std::string_view key) const;
};

struct Registry {
  NameMap prop_ids{1024};
  NameMap types{128};      // specification type name -> SpecType
  NameMap extensions{64};  // predefined extension name -> N
  std::array<DefIndex, detail::kNumSpecTypes> top;
  DefIndex custom;  // any other type: common properties only
  std::array<DefIndex, static_cast<int>(N::kCount)> nested;
  std::array<int, static_cast<int>(N::kCount)> extension_owner{};  // SpecType defining it, or -1
  int num_ids = 0;

  Registry() {
    for (int t = 0; t < detail::kNumSpecTypes; ++t) {
      const auto st = static_cast<SpecType>(t);
      types.insert(detail::kTopDefs[t].name, t);
      init_top(top[t], &detail::kTopDefs[t], detail::kTopDefs[t].name, detail::common_column(st));
    }
    init_top(custom, nullptr, "", detail::kColCustom);
    for (int n = 0; n < static_cast<int>(N::kCount); ++n) {
      DefIndex& d = nested[n];
      d.def = &detail::kNestedDefs[n];
      d.name = d.def->name;
      d.props.assign(d.def->props.begin(), d.def->props.end());
      extension_owner[n] = -1;
    }
    for (int t = 0; t < detail::kNumSpecTypes; ++t)
      for (N n : detail::kTopDefs[t].extensions) {
        extensions.insert(detail::kNestedDefs[static_cast<int>(n)].name, static_cast<int>(n));
        extension_owner[static_cast<int>(n)] = t;
      }
    for (DefIndex& d : top) index(d);
    index(custom);
    for (DefIndex& d : nested) index(d);
    // Every name has its id now: the slot arrays.
    for (DefIndex& d : top) fill(d);
    fill(custom);
    for (DefIndex& d : nested) fill(d);
  }

 private:
  void init_top(DefIndex& d, const ObjDef* def, std::string_view name, detail::CommonColumn col) {
    d.def = def;
    d.name = name;
    for (int i = 0; i < detail::kNumCommon; ++i) {
      Prop p = detail::kCommonProps[i];
      p.use = detail::kCommonUse[col][i];
      d.props.push_back(p);
    }
    d.own_begin = detail::kNumCommon;
    if (def) d.props.insert(d.props.end(), def->props.begin(), def->props.end());
  }

  void index(DefIndex& d) {
    if (d.props.size() > static_cast<size_t>(kMaxProps)) std::abort();  // a table bug
    // insert() returns the existing id, or takes the next free one.
    for (const Prop& p : d.props)
      if (prop_ids.insert(p.name, num_ids) == num_ids) ++num_ids;
  }

  void fill(DefIndex& d) {
    d.slot.assign(static_cast<size_t>(num_ids), -1);
    for (size_t i = 0; i < d.props.size(); ++i)
      d.slot[static_cast<size_t>(prop_ids.find(d.props[i].name))] = static_cast<int8_t>(i);
  }
};

int DefIndex::find(const Registry& r, std::string_view key) const {
  const int id = r.prop_ids.find(key);
  return id < 0 ? -1 : slot[static_cast<size_t>(id)];
}

const Registry& registry() {
  static const Registry r;  // built on first use; thread-safe initialisation
  return r;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.


const char* json_kind(element v) {
  switch (v.type()) {
    case element_type::ARRAY:
      return "a list";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

// A value quoted for a message, shortened.
std::string quote(std::string_view s) {
  std::string out = "\"";
  if (s.size() > 80) {
    size_t n = 77;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;  // keep UTF-8 whole
    out.append(s.substr(0, n));
    out += "...";
  } else {
    out.append(s);
  }
  out += '"';
  return out;
}

std::string section(std::string_view s) { return " (STIX 2.1 \xc2\xa7" + std::string(s) + ")"; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool in_vocab(const detail::Vocab& v, std::string_view s) {
  for (std::string_view x : v.values)
    if (x == s) return true;
  return false;
}

const char* class_name(Cls c) {
  switch (c) {
    case Cls::kSdo:
      return "SDO";
    case Cls::kSro:
      return "SRO";
    case Cls::kSco:
      return "SCO";
    case Cls::kMeta:
      return "meta object";
    case Cls::kNested:
      return "nested type";
    case Cls::kCustom:
      return "custom object";
  }
  return "object";
}

std::string describe_targets(Targets t) {
  std::string out;
  auto add = [&](std::string_view s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  for (int i = 0; i < detail::kNumSpecTypes; ++i)
    if (t.types >> i & 1) add(detail::kTopDefs[i].name);
  if (t.classes & detail::kAnySdo) add("an SDO");
  if (t.classes & detail::kAnySro) add("an SRO");
  if (t.classes & detail::kAnySco) add("an SCO");
  if (t.classes & detail::kAnyMeta) add("a meta object");
  return out;
}

// Keys of one JSON object seen so far, for finding repeated ones without allocating for the
// usual small objects.
class KeySet {
 public:
  // False when `key` was already added.
  bool add(std::string_view key) {
    if (n_ < kSmall) {
      for (size_t i = 0; i < n_; ++i)
        if (small_[i].size == key.size() &&
            std::memcmp(small_[i].data, key.data(), key.size()) == 0)
          return false;
      small_[n_++] = {key.data(), key.size()};
      return true;
    }
    if (big_.empty())
      for (const Key& k : small_) big_.emplace(k.data, k.size);
    return big_.insert(key).second;
  }

 private:
  static constexpr size_t kSmall = 16;
  struct Key {  // trivial, so the array is not initialised
    const char* data;
    size_t size;
  };
  Key small_[kSmall];
  size_t n_ = 0;
  std::unordered_set<std::string_view> big_;  // past kSmall keys
};

// ---------------------------------------------------------------------------------------------
// The checker: one object's validation.

enum class Unknown : uint8_t {
  kIgnore,        // properties of nested types the table does not list: only walked
  kSpecObject,    // custom properties of a specification object (§11.1)
  kCustomObject,  // properties of a custom object (§11.2, §7.3)
  kExtension,     // properties of an extension (§7.3.2, §11.1, §11.3)
};

// Where each known property of one JSON object is. The slots are raw storage (an element is
// trivially copyable): only the `seen` ones are ever read, and initialising 64 elements per
// object would cost more than the look-ups.
static_assert(std::is_trivially_copyable_v<element>);
struct Fields {
  const DefIndex* di = nullptr;
  uint64_t seen = 0;
  alignas(element) unsigned char slots[kMaxProps * sizeof(element)];

  bool has(int i) const { return i >= 0 && (seen >> i & 1); }
  void set(int i, element e) {
    std::memcpy(slots + static_cast<size_t>(i) * sizeof(element), &e, sizeof e);
  }
  element get(int i) const {
    element e;
    std::memcpy(&e, slots + static_cast<size_t>(i) * sizeof(element), sizeof e);
    return e;
  }
};

// Validates one object: run() once, then ok(). Holds borrowed views into the object (the simdjson
// document must outlive it) and appends issues to the caller's vector. Not shared between threads;
// the Registry it reads is immutable.
class Checker {
 public:
  explicit Checker(std::vector<Issue>& out) : out_(out), reg_(registry()) {}

  void run(object obj);
  bool ok() const { return errors_ == 0; }

 private:
  // ---- paths and issues ----
  struct Seg {  // trivial: the path stack is not initialised, only pushed to
    std::string_view key;
    size_t index;
    bool is_index;
  };
  class Scope {
   public:
    explicit Scope(Checker& c) : c_(c) {}
    ~Scope() { --c_.depth_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Checker& c_;
  };
  [[nodiscard]] Scope push(std::string_view key) {
    if (depth_ < segs_.size()) segs_[depth_] = {key, 0, false};
    ++depth_;
    return Scope(*this);
  }
  [[nodiscard]] Scope push(size_t index) {
    if (depth_ < segs_.size()) segs_[depth_] = {{}, index, true};
    ++depth_;
    return Scope(*this);
  }
  std::string path() const;
  void report(Severity sev, std::string_view rule, std::string message) {
    if (sev == Severity::kError) ++errors_;
    out_.push_back({sev, path(), std::string(rule), std::move(message)});
  }
  void error(std::string_view rule, std::string message) {
    report(Severity::kError, rule, std::move(message));
  }
  void warn(std::string_view rule, std::string message) {
    report(Severity::kWarning, rule, std::move(message));
  }
  void duplicate(std::string_view key) {  // the path already ends in `key`
    error("duplicate-key",
          "property " + quote(key) +
              " appears more than once; JSON object names MUST be unique (STIX 2.1 \xc2\xa7"
              "1.2.10: "
              "I-JSON, RFC 7493)");
  }

  std::string_view prop_name() const {  // the innermost key on the path
    for (size_t i = std::min(depth_, segs_.size()); i > 0; --i)
      if (!segs_[i - 1].is_index) return segs_[i - 1].key;
    return "value";
  }
  void type_error(element v, const char* expected) {
    error("property-type", quote(prop_name()) + " must be " + expected + ", not " + json_kind(v) +
                               section(cur_section()));
  }
  std::string_view cur_section() const {
    if (!prop_section_.empty()) return prop_section_;
    return cur_ && cur_->def ? cur_->def->section : std::string_view("3.2");
  }

  // ---- generic walking ----
  void visit(const DefIndex& di, object obj, Unknown policy, Fields& f);
  void unknown_property(Unknown policy, std::string_view key, element v);
  void check_custom_ref(std::string_view key, element v);
  void walk(element v, int depth = 0);
  void check_keys_unique(object o);

  // ---- values ----
  void check_value(const Prop& p, element v);
  template <class Fn>
  void for_list(element v, Fn&& fn);
  bool expect_string(element v, std::string_view& s);
  void check_integer(const Prop& p, element v);
  void check_float(const Prop& p, element v);
  void check_timestamp(const Prop& p, element v);
  void check_ref(const Prop& p, element v);
  void check_vocab(const Prop& p, element v, bool closed);
  void check_hashes(element v);
  void check_dict(const Prop& p, element v);
  void check_nested(const DefIndex& di, element v, Unknown policy);
  void check_extensions(element v);
  void check_container(element v);
  void check_lang_contents(element v);
  void check_id(element v);
  bool target_ok(Targets t, std::string_view type) const;

  // ---- cross-property checks ----
  std::optional<element> field(const Fields& f, std::string_view name) const {
    const int i = f.di->find(reg_, name);
    if (!f.has(i)) return std::nullopt;
    return f.get(i);
  }
  bool has(const Fields& f, std::string_view name) const { return f.has(f.di->find(reg_, name)); }
  std::optional<core::Timestamp> timestamp(const Fields& f, std::string_view name) const;
  std::optional<std::string_view> string(const Fields& f, std::string_view name) const {
    std::string_view s;
    auto v = field(f, name);
    if (!v || v->get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
    return s;
  }
  std::optional<bool> boolean(const Fields& f, std::string_view name) const {
    bool b;
    auto v = field(f, name);
    if (!v || v->get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
    return b;
  }
  void require_one_of(const Fields& f, std::initializer_list<std::string_view> names,
                      std::string_view what, std::string_view sec);
  void exclusive(const Fields& f, std::string_view a, std::string_view b, std::string_view sec);
  void order(const Fields& f, std::string_view first, std::string_view last, bool strict,
             std::string_view sec);
  void check_value_format(const Fields& f, std::string_view name, bool (*ok)(std::string_view),
                          const char* what, std::string_view sec);
  void post_top(const Fields& f);
  void post_nested(const DefIndex& di, const Fields& f);
  void post_marking_definition(const Fields& f);
  void post_external_ids(const Fields& f, std::string_view source, bool (*ok)(std::string_view),
                         const char* form, std::string_view sec);
  void check_identifiers();
  bool resolve_selector(std::string_view selector) const;

  std::vector<Issue>& out_;
  const Registry& reg_;
  int errors_ = 0;
  std::array<Seg, 32> segs_;
  size_t depth_ = 0;

  object root_;
  std::string_view type_;
  int spec_type_ = -1;
  Cls cls_ = Cls::kCustom;         // the object's class; for custom types from its extensions
  const DefIndex* cur_ = nullptr;  // the definition being visited (for messages)
  std::string_view prop_section_;  // the section defining the property being checked
  std::string_view id_;            // the object's id, when well-formed
  core::Uuid id_uuid_{};
  bool id_ok_ = false;
  std::optional<core::Timestamp> created_, modified_;  // parsed by check_timestamp (top level)
  bool toplevel_ext_ = false;                          // a toplevel-property-extension is declared
  bool new_object_ext_ = false;                   // a new-sdo/new-sco/new-sro extension is declared
  std::array<std::string_view, 8> unprefixed_{};  // custom properties without "x_"
  size_t num_unprefixed_ = 0;
};

std::string Checker::path() const {
  std::string p = "$";
  const size_t n = std::min(depth_, segs_.size());
  for (size_t i = 0; i < n; ++i) {
    const Seg& s = segs_[i];
    if (s.is_index) {
      p += '[';
      p += std::to_string(s.index);
      p += ']';
      continue;
    }
    bool plain = !s.key.empty();
    for (char c : s.key)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-'))
        plain = false;
    if (plain) {
      p += '.';
      p += s.key;
    } else {
      p += "['";
      for (char c : s.key) {
        if (c == '\'' || c == '\\') p += '\\';
        p += c;
      }
      p += "']";
    }
  }
  if (depth_ > segs_.size()) p += "...";
  return p;
}

// ---- generic walking ----

void Checker::visit(const DefIndex& di, object obj, Unknown policy, Fields& f) {
  const DefIndex* saved = cur_;
  const std::string_view saved_section = prop_section_;
  prop_section_ = {};
  cur_ = &di;
  f.di = &di;
  f.seen = 0;
  KeySet unknown_keys;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const int i = di.find(reg_, key);
    auto scope = push(key);
    if (i >= 0) {
      const uint64_t bit = uint64_t{1} << i;
      if (f.seen & bit) {
        duplicate(key);
      } else {
        f.seen |= bit;
        f.set(i, field.value);
      }
      prop_section_ = i < di.own_begin ? std::string_view("3.2")
                      : di.def         ? di.def->section
                                       : std::string_view("3.2");
      check_value(di.props[static_cast<size_t>(i)], field.value);
      prop_section_ = {};
    } else {
      if (!unknown_keys.add(key)) duplicate(key);
      unknown_property(policy, key, field.value);
    }
  }
  const std::string_view sec = di.def ? di.def->section : std::string_view("3.2");
  for (size_t i = 0; i < di.props.size(); ++i) {
    const Prop& p = di.props[i];
    if (p.use != Use::kRequired || f.has(static_cast<int>(i))) continue;
    const bool common = static_cast<int>(i) < di.own_begin;
    const std::string who = !di.name.empty() ? quote(di.name)
                            : !type_.empty() ? quote(type_)
                                             : std::string("a STIX object");
    error("required-property",
          who + " requires property " + quote(p.name) + section(common ? "3.2" : sec));
  }
  if (di.def && (di.def->flags & (detail::kAtLeastOneProp | detail::kAtLeastOneBesidesFirst))) {
    const int first = di.own_begin + ((di.def->flags & detail::kAtLeastOneBesidesFirst) ? 1 : 0);
    bool any = false;
    for (int i = first; i < static_cast<int>(di.props.size()); ++i) any = any || f.has(i);
    if (!any) {
      error("required-property", quote(di.name) + " MUST contain at least one " +
                                     ((di.def->flags & detail::kAtLeastOneBesidesFirst)
                                          ? "property other than " + quote(di.props[0].name)
                                          : std::string("of its properties")) +
                                     section(sec));
    }
  }
  cur_ = saved;
  prop_section_ = saved_section;
}

void Checker::unknown_property(Unknown policy, std::string_view key, element v) {
  static constexpr std::string_view kReserved[] = {"severity", "username", "phone_number",
                                                   "action"};
  if (policy != Unknown::kIgnore) {
    if (std::find(std::begin(kReserved), std::end(kReserved), key) != std::end(kReserved)) {
      error("reserved-property",
            quote(key) + " is a reserved property name and MUST NOT be used" + section("3.8"));
    } else if (!detail::is_property_name(key)) {
      const char* rule_sec = policy == Unknown::kSpecObject     ? "11.1"
                             : policy == Unknown::kCustomObject ? "11.2"
                                                                : "7.3.2";
      error("property-name",
            "property name " + quote(key) +
                " is invalid: custom and extension property names MUST be 3-250 characters of "
                "a-z, 0-9 and '_', beginning with a letter" +
                section(std::string("3.1, \xc2\xa7") + rule_sec));
    } else if (policy == Unknown::kSpecObject && !starts_with(key, "x_")) {
      if (num_unprefixed_ < unprefixed_.size()) unprefixed_[num_unprefixed_++] = key;
    }
    if (ends_with(key, "_ref")) {
      check_custom_ref(key, v);
    } else if (ends_with(key, "_refs")) {
      if (v.type() != element_type::ARRAY) {
        check_custom_ref(key, v);
      } else {
        size_t i = 0;
        for (element e : as_array(v)) {
          auto scope = push(i++);
          check_custom_ref(key, e);
        }
      }
    }
  }
  walk(v);
}

// §3.1 names embedded references "_ref"/"_refs"; a custom property so named that holds something
// else is not forbidden, but consumers will take it for a reference.
void Checker::check_custom_ref(std::string_view key, element v) {
  std::string_view s, type, uuid;
  core::Uuid u;
  if (v.get_string().get(s) == simdjson::SUCCESS && detail::split_identifier(s, type, uuid) &&
      detail::type_name_problem(type) == nullptr && detail::parse_rfc4122_uuid(uuid, u))
    return;
  warn("reference-format",
       "custom property " + quote(key) +
           " is named as an embedded reference but does not hold an identifier" + section("3.1"));
}

void Checker::check_keys_unique(object o) {
  KeySet keys;
  for (auto field : o) {
    if (keys.add(field.key)) continue;
    auto scope = push(field.key);
    duplicate(field.key);
  }
}

void Checker::walk(element v, int depth) {
  if (depth > 128) return;  // deeper than any STIX content; simdjson bounds the document anyway
  if (v.type() == element_type::OBJECT) {
    object o = as_object(v);
    check_keys_unique(o);
    for (auto field : o) {
      if (field.value.type() != element_type::OBJECT && field.value.type() != element_type::ARRAY)
        continue;
      auto scope = push(field.key);
      walk(field.value, depth + 1);
    }
  } else if (v.type() == element_type::ARRAY) {
    size_t i = 0;
    for (element e : as_array(v)) {
      if (e.type() == element_type::OBJECT || e.type() == element_type::ARRAY) {
        auto scope = push(i);
        walk(e, depth + 1);
      }
      ++i;
    }
  }
}

// ---- values ----

template <class Fn>
void Checker::for_list(element v, Fn&& fn) {
  if (v.type() != element_type::ARRAY) {
    type_error(v, "a list");
    return;
  }
  array a = as_array(v);
  size_t i = 0;
  for (element e : a) {
    auto scope = push(i++);
    fn(e);
  }
  if (i == 0)
    error("list-empty", quote(prop_name()) +
                            " is an empty list; lists MUST have at least one value" +
                            section("2.12"));
}

bool Checker::expect_string(element v, std::string_view& s) {
  if (v.get_string().get(s) == simdjson::SUCCESS) return true;
  type_error(v, "a string");
  return false;
}

void Checker::check_value(const Prop& p, element v) {
  std::string_view s;
  switch (p.kind) {
    case K::kType:
      expect_string(v, s);  // the value itself was checked before the visit
      break;
    case K::kSpecVersion:
      if (expect_string(v, s) && s != "2.1")
        error("spec-version",
              "\"spec_version\" MUST be \"2.1\" for objects of this specification, not " +
                  quote(s) + section("3.2"));
      break;
    case K::kId:
      check_id(v);
      break;
    case K::kString:
      expect_string(v, s);
      break;
    case K::kBoolean:
      if (v.type() != element_type::BOOL) type_error(v, "a boolean (true or false)");
      break;
    case K::kInteger:
      check_integer(p, v);
      break;
    case K::kFloat:
      check_float(p, v);
      break;
    case K::kTimestamp:
      check_timestamp(p, v);
      break;
    case K::kRef:
      check_ref(p, v);
      break;
    case K::kRefList:
      for_list(v, [&](element e) { check_ref(p, e); });
      break;
    case K::kStringList:
      for_list(v, [&](element e) { expect_string(e, s); });
      break;
    case K::kLangTag:
      if (expect_string(v, s) && !detail::is_language_tag(s))
        error("language-tag", quote(prop_name()) + " must be an RFC 5646 language tag, not " +
                                  quote(s) + section(cur_section()));
      break;
    case K::kVocab:
      check_vocab(p, v, false);
      break;
    case K::kVocabList:
      for_list(v, [&](element e) { check_vocab(p, e, false); });
      break;
    case K::kEnum:
      check_vocab(p, v, true);
      break;
    case K::kEnumList:
      for_list(v, [&](element e) { check_vocab(p, e, true); });
      break;
    case K::kHex:
      if (expect_string(v, s) && !detail::is_hex(s))
        error("hex-format",
              quote(p.name) +
                  " must be hexadecimal: an even number of the characters 0-9 and a-f, not " +
                  quote(s) + section("2.8"));
      break;
    case K::kBinary:
      if (expect_string(v, s) && !detail::is_base64(s))
        error("binary-format",
              quote(p.name) + " must be base64 (RFC 4648), not " + quote(s) + section("2.1"));
      break;
    case K::kHashes:
      check_hashes(v);
      break;
    case K::kDict:
      check_dict(p, v);
      break;
    case K::kObject:
      check_nested(reg_.nested[static_cast<size_t>(p.nested - detail::kNestedDefs)], v,
                   Unknown::kIgnore);
      break;
    case K::kObjectList: {
      const DefIndex& di = reg_.nested[static_cast<size_t>(p.nested - detail::kNestedDefs)];
      for_list(v, [&](element e) { check_nested(di, e, Unknown::kIgnore); });
      break;
    }
    case K::kExtensions:
      check_extensions(v);
      break;
    case K::kContainer:
      check_container(v);
      break;
    case K::kLangContents:
      check_lang_contents(v);
      break;
    case K::kMarkingBody:
      if (v.type() != element_type::OBJECT) type_error(v, "an object");
      break;  // its content depends on definition_type: post_marking_definition()
    case K::kReserved:
      error("reserved-property",
            quote(p.name) + " is RESERVED FOR FUTURE USE and MUST NOT be present" + section("3.8"));
      walk(v);
      break;
  }
}

void Checker::check_integer(const Prop& p, element v) {
  double d;
  switch (v.type()) {
    case element_type::INT64:
      d = static_cast<double>(v.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      d = static_cast<double>(v.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      d = v.get_double().value_unsafe();
      if (std::floor(d) == d) break;  // a whole number written with a fraction or exponent
      [[fallthrough]];
    default:
      type_error(v, "an integer");
      return;
  }
  if (std::fabs(d) > kMaxInteger) {
    error("value-range",
          quote(p.name) + " is outside the integer range [-(2^53)+1, (2^53)-1]" + section("2.10"));
  } else if (d < p.lo || d > p.hi) {
    std::string range = std::isinf(p.hi) ? "at least " + std::to_string(static_cast<int64_t>(p.lo))
                                         : "between " + std::to_string(static_cast<int64_t>(p.lo)) +
                                               " and " + std::to_string(static_cast<int64_t>(p.hi));
    report(p.range_must ? Severity::kError : Severity::kWarning, "value-range",
           quote(p.name) + " must be " + range + ", not " +
               std::to_string(static_cast<int64_t>(d)) + section(cur_section()));
  }
}

void Checker::check_float(const Prop& p, element v) {
  double d;
  switch (v.type()) {
    case element_type::INT64:
      d = static_cast<double>(v.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      d = static_cast<double>(v.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      d = v.get_double().value_unsafe();
      break;
    default:
      type_error(v, "a number");
      return;
  }
  if (d < p.lo || d > p.hi) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " must be between %g and %g inclusive, not %g", p.lo, p.hi, d);
    error("value-range", quote(p.name) + buf + section(cur_section()));
  }
}

void Checker::check_timestamp(const Prop& p, element v) {
  std::string_view s;
  if (!expect_string(v, s)) return;
  auto ts = core::parse_timestamp(s);
  if (!ts.ok()) {
    error("timestamp-format", quote(p.name) + ": " + ts.error().message + section("2.16"));
    return;
  }
  if (p.millis) (p.name == "created" ? created_ : modified_) = *ts;
  if (p.millis && ts->digits < 3)
    error("timestamp-precision",
          quote(p.name) +
              " MUST have at least millisecond precision (three digits after the "
              "seconds), not " +
              quote(s) + section("3.2"));
}

bool Checker::target_ok(Targets t, std::string_view type) const {
  const int st = reg_.types.find(type);
  if (st >= 0) {
    if (t.types >> st & 1) return true;
    switch (detail::kTopDefs[st].cls) {
      case Cls::kSdo:
        return t.classes & detail::kAnySdo;
      case Cls::kSro:
        return t.classes & detail::kAnySro;
      case Cls::kSco:
        return t.classes & detail::kAnySco;
      default:
        return t.classes & detail::kAnyMeta;
    }
  }
  if (type == "bundle") return false;  // a bundle is not a STIX object (§8)
  // A custom type may be a custom SDO, SRO or SCO (§7.3, §11.2).
  return t.classes & (detail::kAnySdo | detail::kAnySro | detail::kAnySco);
}

void Checker::check_ref(const Prop& p, element v) {
  std::string_view s;
  if (!expect_string(v, s)) return;
  std::string_view type, uuid;
  core::Uuid u;
  if (!detail::split_identifier(s, type, uuid) || detail::type_name_problem(type) != nullptr ||
      !detail::parse_rfc4122_uuid(uuid, u)) {
    error("reference-type",
          quote(p.name) + " must be an identifier (\"<object-type>--<RFC 4122 UUID>\"), not " +
              quote(s) + section("2.9"));
    return;
  }
  if (!target_ok(p.targets, type))
    error("reference-type", quote(p.name) + " must reference " + describe_targets(p.targets) +
                                ", not " + quote(type) + section(cur_section()));
}

void Checker::check_vocab(const Prop& p, element v, bool closed) {
  std::string_view s;
  if (!expect_string(v, s) || in_vocab(*p.vocab, s)) return;
  if (closed) {
    error("enum", quote(p.name) + ": " + quote(s) + " is not a value of the enumeration " +
                      std::string(p.vocab->name) + section(p.vocab->section));
  } else {
    warn("vocab", quote(p.name) + ": " + quote(s) + " is not a value of the open vocabulary " +
                      std::string(p.vocab->name) + "; values SHOULD come from it" +
                      section(p.vocab->section));
  }
}

void Checker::check_hashes(element v) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, "a hashes dictionary (an object)");
    return;
  }
  KeySet keys;
  size_t n = 0;
  for (auto field : as_object(v)) {
    ++n;
    auto scope = push(field.key);
    if (!keys.add(field.key))
      error("duplicate-key",
            "hash algorithm " + quote(field.key) + " appears more than once" + section("2.7"));
    if (!detail::is_dictionary_key(field.key, 3))
      error("dictionary-key", "hash algorithm name " + quote(field.key) +
                                  " must be 3-250 ASCII characters of a-z, A-Z, 0-9, '-' and '_'" +
                                  section("2.7"));
    std::string_view value;
    if (!expect_string(field.value, value)) continue;
    bool known = false;
    if (!detail::hash_value_ok(field.key, value, known)) {
      error("hash-format", "the " + std::string(field.key) + " hash " + quote(value) +
                               " is not in the format of that algorithm" + section("10.7"));
    } else if (!known) {
      warn("vocab", "hash algorithm " + quote(field.key) +
                        " is not a value of the open vocabulary hash-algorithm-ov; names SHOULD "
                        "come from it" +
                        section("10.7"));
    }
  }
  if (n == 0)
    error("dictionary-empty", quote(prop_name()) +
                                  " is an empty dictionary; hashes MUST hold at least one" +
                                  section("2.7"));
}

void Checker::check_dict(const Prop& p, element v) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, "a dictionary (an object)");
    return;
  }
  KeySet keys;
  size_t n = 0;
  for (auto field : as_object(v)) {
    ++n;
    auto scope = push(field.key);
    if (!keys.add(field.key))
      error("duplicate-key", "dictionary key " + quote(field.key) +
                                 " appears more than once; keys MUST be unique" + section("2.3"));
    if (!detail::is_dictionary_key(field.key))
      error("dictionary-key",
            "dictionary key " + quote(field.key) +
                " must be at most 250 ASCII characters of a-z, A-Z, 0-9, '-' and '_'" +
                section("2.3"));
    const element e = field.value;
    std::string_view s;
    switch (p.dict_val) {
      case DictVal::kAny:
        if (e.type() == element_type::NULL_VALUE) type_error(e, "a value of a STIX type");
        walk(e);
        break;
      case DictVal::kString:
        if (e.type() != element_type::STRING) type_error(e, "a string");
        break;
      case DictVal::kInteger:
        check_integer(Prop{.name = field.key, .kind = K::kInteger}, e);
        break;
      case DictVal::kIntOrString:
        if (e.type() != element_type::STRING)
          check_integer(Prop{.name = field.key, .kind = K::kInteger}, e);
        break;
      case DictVal::kStringList:
        for_list(e, [&](element x) { expect_string(x, s); });
        break;
    }
  }
  if (n == 0)
    error("dictionary-empty",
          quote(p.name) + " is an empty dictionary; dictionaries MUST have at least one entry" +
              section("2.3"));
}

void Checker::check_nested(const DefIndex& di, element v, Unknown policy) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, ("an object (" + std::string(di.name) + ")").c_str());
    return;
  }
  Fields f;
  object o = as_object(v);
  visit(di, o, policy, f);
  post_nested(di, f);
}

void Checker::check_extensions(element v) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, "a dictionary (an object) of extensions");
    return;
  }
  KeySet keys;
  size_t n = 0;
  for (auto field : as_object(v)) {
    ++n;
    const std::string_view key = field.key;
    const element ext = field.value;
    auto scope = push(key);
    if (!keys.add(key))
      error("duplicate-key",
            "extension " + quote(key) + " appears more than once" + section("3.10"));
    if (!detail::is_dictionary_key(key))
      error("dictionary-key",
            "extension key " + quote(key) +
                " must be at most 250 ASCII characters of a-z, A-Z, 0-9, '-' and '_'" +
                section("2.3"));

    if (starts_with(key, kExtensionDefinitionPrefix)) {
      std::string_view t, uuid;
      core::Uuid u;
      if (!detail::split_identifier(key, t, uuid) || t != "extension-definition" ||
          !detail::parse_rfc4122_uuid(uuid, u))
        error("extension", "extension key " + quote(key) +
                               " is not a valid extension-definition identifier" + section("7.3"));
      if (ext.type() != element_type::OBJECT) {
        type_error(ext, "an object holding the extension's content");
        continue;
      }
      object eo = as_object(ext);
      check_keys_unique(eo);
      bool has_type = false;
      for (auto ef : eo) {
        auto inner = push(ef.key);
        if (ef.key == "extension_type") {
          has_type = true;
          std::string_view et;
          if (!expect_string(ef.value, et)) continue;
          if (!in_vocab(detail::kExtensionTypeEnum, et)) {
            error("enum", "\"extension_type\": " + quote(et) +
                              " is not a value of the enumeration extension-type-enum" +
                              section("10.5"));
          } else if (et == "toplevel-property-extension") {
            toplevel_ext_ = true;
          } else if (starts_with(et, "new-")) {
            new_object_ext_ = true;
            if (spec_type_ >= 0) {
              error("extension",
                    "extension_type " + quote(et) + " declares a new object type, but " +
                        quote(type_) +
                        " is defined by the specification; extensions MUST NOT redefine it" +
                        section("7.3"));
            } else if (cls_ == Cls::kCustom) {
              cls_ = et == "new-sdo" ? Cls::kSdo : et == "new-sro" ? Cls::kSro : Cls::kSco;
            }
          }
        } else {
          unknown_property(Unknown::kExtension, ef.key, ef.value);
          if (key == kTlp2ExtensionId && ef.key == "tlp_2_0") {
            static constexpr std::string_view kLevels[] = {"clear", "green", "amber",
                                                           "amber+strict", "red"};
            std::string_view level;
            if (expect_string(ef.value, level) &&
                std::find(std::begin(kLevels), std::end(kLevels), level) == std::end(kLevels))
              error("tlp-marking",
                    "\"tlp_2_0\" must be one of clear, green, amber, amber+strict, red, not " +
                        quote(level) + " (TLP 2.0 extension)");
          }
        }
      }
      if (!has_type)
        error("extension",
              "extension " + quote(key) +
                  " requires \"extension_type\": when the extension facility is used the property "
                  "MUST be present" +
                  section("3.2"));
      continue;
    }

    const int predefined = reg_.extensions.find(key);
    if (predefined >= 0) {
      const int owner = reg_.extension_owner[static_cast<size_t>(predefined)];
      if (owner != spec_type_) {
        error("extension", quote(key) + " is a predefined extension of " +
                               std::string(detail::kTopDefs[owner].name) + ", not of " +
                               (type_.empty() ? std::string("this object") : quote(type_)) +
                               section(detail::kNestedDefs[predefined].section));
        walk(ext);
      } else {
        check_nested(reg_.nested[static_cast<size_t>(predefined)], ext, Unknown::kExtension);
      }
      continue;
    }

    // A custom extension (§11.3, deprecated): SCOs only, "-ext" names.
    if (cls_ == Cls::kSdo || cls_ == Cls::kSro || cls_ == Cls::kMeta) {
      error("extension",
            "extension key " + quote(key) +
                " is neither an extension-definition identifier nor a predefined extension; custom "
                "extensions can only be used with SCOs" +
                section("11.3"));
      walk(ext);
      continue;
    }
    bool name_ok = key.size() >= 3 && key.size() <= 250 && ends_with(key, "-ext");
    for (char c : key)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) name_ok = false;
    if (!name_ok) {
      error("extension", "custom extension name " + quote(key) +
                             " MUST be 3-250 characters of a-z, 0-9 and '-' and end with \"-ext\" "
                             "(or the key must be "
                             "an extension-definition identifier)" +
                             section("11.3"));
    } else if (!starts_with(key, "x-")) {
      warn("custom-extension-prefix",
           "custom extension name " + quote(key) +
               " does not start with \"x-\"; if compatibility with future versions is "
               "required the prefix MUST be used" +
               section("11.3"));
    }
    if (ext.type() != element_type::OBJECT) {
      type_error(ext, "an object holding the extension's properties");
      continue;
    }
    object eo = as_object(ext);
    check_keys_unique(eo);
    size_t props = 0;
    for (auto ef : eo) {
      ++props;
      auto inner = push(ef.key);
      unknown_property(Unknown::kExtension, ef.key, ef.value);
    }
    if (props == 0)
      error("required-property", "custom extension " + quote(key) +
                                     " MUST have one or more properties" + section("11.3"));
  }
  if (n == 0)
    error("dictionary-empty",
          "\"extensions\" is an empty dictionary; dictionaries MUST have at least one entry" +
              section("2.3"));
}

void Checker::check_container(element v) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, "an observable container (an object)");
    return;
  }
  object o = as_object(v);
  check_keys_unique(o);
  size_t n = 0;
  for (auto field : o) {
    ++n;
    auto scope = push(field.key);
    std::string_view type;
    if (field.value.type() != element_type::OBJECT) {
      type_error(field.value, "a Cyber-observable Object (an object)");
    } else if (field.value["type"].get_string().get(type) != simdjson::SUCCESS) {
      error("required-property",
            "an object in the observable container requires a string \"type\"" + section("2.13"));
    }
    walk(field.value);
  }
  if (n == 0)
    error("dictionary-empty", "\"objects\" MUST contain at least one object" + section("4.14.1"));
  warn("deprecated-property",
       "\"objects\" (the observable container) is deprecated and SHOULD NOT be used in new "
       "content; use "
       "\"object_refs\"" +
           section("2.13"));
}

void Checker::check_lang_contents(element v) {
  if (v.type() != element_type::OBJECT) {
    type_error(v, "a dictionary (an object) keyed by language");
    return;
  }
  object o = as_object(v);
  check_keys_unique(o);
  size_t n = 0;
  for (auto field : o) {
    ++n;
    auto scope = push(field.key);
    if (!detail::is_language_tag(field.key))
      error("language-tag", "\"contents\" key " + quote(field.key) +
                                " must be an RFC 5646 language code" + section("7.1.1"));
    if (field.value.type() != element_type::OBJECT) {
      type_error(field.value, "a dictionary (an object) mirroring the translated properties");
      continue;
    }
    if (as_object(field.value).size() == 0)
      error("dictionary-empty",
            "the translation for " + quote(field.key) + " is an empty dictionary" + section("2.3"));
    walk(field.value);
  }
  if (n == 0) error("dictionary-empty", "\"contents\" is an empty dictionary" + section("2.3"));
}

void Checker::check_id(element v) {
  std::string_view s;
  if (!expect_string(v, s)) return;
  std::string_view type, uuid;
  if (!detail::split_identifier(s, type, uuid)) {
    error("id-format",
          "\"id\" must be \"<object-type>--<UUID>\", not " + quote(s) + section("2.9"));
    return;
  }
  bool good = true;
  if (!type_.empty() && type != type_) {
    error("id-format", "the type part of \"id\" (" + quote(type) + ") must be the object's type " +
                           quote(type_) + section("2.9"));
    good = false;
  }
  core::Uuid u;
  if (!detail::parse_rfc4122_uuid(uuid, u)) {
    error("id-format",
          "the UUID part of \"id\" (" + quote(uuid) + ") is not an RFC 4122 UUID" + section("2.9"));
    good = false;
  }
  if (good) {
    id_ = s;
    id_uuid_ = u;
    id_ok_ = true;
  }
}

// ---- cross-property checks ----

std::optional<core::Timestamp> Checker::timestamp(const Fields& f, std::string_view name) const {
  auto s = string(f, name);
  if (!s) return std::nullopt;
  auto ts = core::parse_timestamp(*s);
  if (!ts.ok()) return std::nullopt;
  return *ts;
}

void Checker::require_one_of(const Fields& f, std::initializer_list<std::string_view> names,
                             std::string_view what, std::string_view sec) {
  for (std::string_view n : names)
    if (has(f, n)) return;
  error("required-property", std::string(what) + section(sec));
}

void Checker::exclusive(const Fields& f, std::string_view a, std::string_view b,
                        std::string_view sec) {
  if (has(f, a) && has(f, b))
    error("property-conflict",
          quote(a) + " and " + quote(b) + " MUST NOT both be present" + section(sec));
}

void Checker::order(const Fields& f, std::string_view first, std::string_view last, bool strict,
                    std::string_view sec) {
  auto b = timestamp(f, last);
  if (!b) return;
  auto a = timestamp(f, first);
  if (!a) return;
  if (strict ? *b > *a : *b >= *a) return;
  auto scope = push(last);
  error("timestamp-order", quote(last) + " MUST be " +
                               (strict ? "later than " : "later than or equal to ") + quote(first) +
                               section(sec));
}

void Checker::check_value_format(const Fields& f, std::string_view name,
                                 bool (*ok)(std::string_view), const char* what,
                                 std::string_view sec) {
  auto s = string(f, name);
  if (!s || ok(*s)) return;
  auto scope = push(name);
  error("value-format", quote(name) + " must be " + what + ", not " + quote(*s) + section(sec));
}

void Checker::post_external_ids(const Fields& f, std::string_view source,
                                bool (*ok)(std::string_view), const char* form,
                                std::string_view sec) {
  auto refs = field(f, "external_references");
  if (!refs || refs->type() != element_type::ARRAY) return;
  auto outer = push("external_references");
  size_t i = 0;
  for (element e : as_array(*refs)) {
    auto idx = push(i++);
    std::string_view src, id;
    if (e["source_name"].get_string().get(src) != simdjson::SUCCESS || src != source) continue;
    if (e["external_id"].get_string().get(id) != simdjson::SUCCESS || ok(id)) continue;
    auto scope = push("external_id");
    error("value-format", "an external reference with source_name " + quote(source) +
                              " MUST have an external_id " + form + ", not " + quote(id) +
                              section(sec));
  }
}

namespace fmt {
bool capec(std::string_view s) {
  if (!starts_with(s, "CAPEC-") || s.size() == 6) return false;
  for (char c : s.substr(6))
    if (c < '0' || c > '9') return false;
  return true;
}
bool cve(std::string_view s) {
  // CVE-YYYY-NNNN with four or more digits in the sequence number.
  if (s.size() < 13 || !starts_with(s, "CVE-") || s[8] != '-') return false;
  for (size_t i = 4; i < s.size(); ++i)
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}
bool relationship_type(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}
}  // namespace fmt

void Checker::post_top(const Fields& f) {
  const std::string_view sec = reg_.top[static_cast<size_t>(spec_type_)].def->section;
  // §3.1: an "_enc" property MUST NOT be present without the property it describes.
  for (int i = f.di->own_begin; i < static_cast<int>(f.di->props.size()); ++i) {
    const std::string_view name = f.di->props[static_cast<size_t>(i)].name;
    if (f.has(i) && ends_with(name, "_enc") && !has(f, name.substr(0, name.size() - 4))) {
      auto scope = push(name);
      error("property-conflict", quote(name) + " MUST NOT be present when " +
                                     quote(name.substr(0, name.size() - 4)) + " is not" +
                                     section("3.1"));
    }
  }
  switch (static_cast<SpecType>(spec_type_)) {
    case detail::kAttackPattern:
      post_external_ids(f, "capec", fmt::capec, "formatted as CAPEC-[id]", sec);
      break;
    case detail::kVulnerability:
      post_external_ids(f, "cve", fmt::cve, "that is an exact CVE identifier (CVE-YYYY-NNNN)", sec);
      break;
    case detail::kCampaign:
    case detail::kInfrastructure:
    case detail::kIntrusionSet:
    case detail::kThreatActor:
    case detail::kSighting:
      order(f, "first_seen", "last_seen", false, sec);
      break;
    case detail::kMalware:
      order(f, "first_seen", "last_seen", false, sec);
      if (boolean(f, "is_family").value_or(false) && !has(f, "name"))
        error("required-property",
              "a malware family (\"is_family\": true) MUST have \"name\"" + section(sec));
      break;
    case detail::kIndicator:
      order(f, "valid_from", "valid_until", true, sec);
      break;
    case detail::kObservedData: {
      order(f, "first_observed", "last_observed", false, sec);
      exclusive(f, "objects", "object_refs", "4.14");
      require_one_of(f, {"object_refs", "objects"},
                     "\"observed-data\" requires \"object_refs\" (or the deprecated \"objects\")",
                     "4.14");
      auto refs = field(f, "object_refs");
      if (refs && refs->type() == element_type::ARRAY) {
        bool any_sco = false, any = false;
        for (element e : as_array(*refs)) {
          std::string_view s, type, uuid;
          if (e.get_string().get(s) != simdjson::SUCCESS ||
              !detail::split_identifier(s, type, uuid))
            continue;
          any = true;
          const int st = reg_.types.find(type);
          if (st < 0 || detail::kTopDefs[st].cls == Cls::kSco)
            any_sco = true;  // custom: maybe a custom SCO
        }
        if (any && !any_sco) {
          auto scope = push("object_refs");
          error("reference-type",
                "\"object_refs\" MUST contain at least one SCO reference" + section(sec));
        }
      }
      break;
    }
    case detail::kRelationship:
      order(f, "start_time", "stop_time", true, sec);
      check_value_format(f, "relationship_type", fmt::relationship_type, "ASCII a-z, 0-9 and '-'",
                         sec);
      break;
    case detail::kLocation: {
      const bool lat = has(f, "latitude"), lon = has(f, "longitude");
      if (!has(f, "region") && !has(f, "country") && !(lat && lon))
        error("required-property",
              "\"location\" requires \"region\", \"country\", or \"latitude\" and \"longitude\"" +
                  section("4.10"));
      if (lat != lon)
        error("required-property", std::string("\"") + (lat ? "latitude" : "longitude") +
                                       "\" requires \"" + (lat ? "longitude" : "latitude") + "\"" +
                                       section(sec));
      if (has(f, "precision") && !(lat && lon))
        error("required-property",
              "\"precision\" requires \"latitude\" and \"longitude\"" + section(sec));
      break;
    }
    case detail::kMalwareAnalysis:
      require_one_of(f, {"result", "analysis_sco_refs"},
                     "\"malware-analysis\" requires \"result\" or \"analysis_sco_refs\"", "4.12");
      break;
    case detail::kArtifact:
      exclusive(f, "payload_bin", "url", sec);
      require_one_of(f, {"payload_bin", "url"}, "\"artifact\" requires \"payload_bin\" or \"url\"",
                     "6.1");
      if (has(f, "url") && !has(f, "hashes"))
        error("required-property", "\"hashes\" MUST be present when \"url\" is" + section(sec));
      if (has(f, "decryption_key") && !has(f, "encryption_algorithm")) {
        auto scope = push("decryption_key");
        error("property-conflict",
              "\"decryption_key\" MUST NOT be present when \"encryption_algorithm\" is absent" +
                  section(sec));
      }
      check_value_format(f, "url", detail::is_url, "a valid URL (RFC 3986)", sec);
      break;
    case detail::kEmailMessage: {
      auto multipart = boolean(f, "is_multipart");
      if (multipart && *multipart && has(f, "body")) {
        auto scope = push("body");
        error("property-conflict",
              "\"body\" MUST NOT be used when \"is_multipart\" is true" + section(sec));
      }
      if (multipart && !*multipart && has(f, "body_multipart")) {
        auto scope = push("body_multipart");
        error("property-conflict",
              "\"body_multipart\" MUST NOT be used when \"is_multipart\" is false" + section(sec));
      }
      break;
    }
    case detail::kFile:
      require_one_of(f, {"hashes", "name"}, "a \"file\" MUST contain \"hashes\" or \"name\"",
                     "6.7");
      break;
    case detail::kNetworkTraffic: {
      require_one_of(f, {"src_ref", "dst_ref"},
                     "\"network-traffic\" MUST contain \"src_ref\" or \"dst_ref\"", "6.12");
      order(f, "start", "end", false, sec);
      if (boolean(f, "is_active").value_or(false) && has(f, "end")) {
        auto scope = push("end");
        error("property-conflict",
              "\"end\" MUST NOT be included when \"is_active\" is true" + section(sec));
      }
      break;
    }
    case detail::kProcess:
    case detail::kUserAccount:
    case detail::kWindowsRegistryKey:
    case detail::kX509Certificate: {
      // "at least one property ... from this object"; for process and user-account the object's
      // extensions count (their property tables list "extensions").
      bool any = false;
      for (int i = f.di->own_begin; i < static_cast<int>(f.di->props.size()); ++i)
        any = any || f.has(i);
      const bool ext_counts = spec_type_ == detail::kProcess || spec_type_ == detail::kUserAccount;
      if (!any && !(ext_counts && f.has(detail::kCExtensions)))
        error("required-property",
              quote(type_) + " MUST contain at least one of its own properties" + section(sec));
      if (spec_type_ == detail::kWindowsRegistryKey) {
        auto key = string(f, "key");
        if (key && detail::is_abbreviated_hive(*key)) {
          auto scope = push("key");
          error("value-format",
                "the hive of \"key\" MUST be fully expanded (HKEY_LOCAL_MACHINE, not HKLM), in " +
                    quote(*key) + section(sec));
        }
      }
      break;
    }
    case detail::kIpv4Addr:
      check_value_format(f, "value", detail::is_ipv4_cidr, "an IPv4 address in CIDR notation", sec);
      break;
    case detail::kIpv6Addr:
      check_value_format(f, "value", detail::is_ipv6_cidr, "an IPv6 address in CIDR notation", sec);
      break;
    case detail::kMacAddr:
      check_value_format(f, "value", detail::is_mac_address,
                         "a colon-delimited, lowercase MAC-48 address with leading zeros", sec);
      break;
    case detail::kDomainName:
      check_value_format(f, "value", detail::is_domain_name, "a domain name (RFC 1034, RFC 5890)",
                         sec);
      break;
    case detail::kUrl:
      check_value_format(f, "value", detail::is_url, "a URL (RFC 3986)", sec);
      break;
    case detail::kEmailAddr:
      check_value_format(f, "value", detail::is_email_address,
                         "an RFC 5322 addr-spec without a display name", sec);
      break;
    case detail::kSoftware: {
      check_value_format(f, "cpe", detail::is_cpe23, "a CPE 2.3 entry", sec);
      auto langs = field(f, "languages");
      if (langs && langs->type() == element_type::ARRAY) {
        auto outer = push("languages");
        size_t i = 0;
        for (element e : as_array(*langs)) {
          auto idx = push(i++);
          std::string_view s;
          if (e.get_string().get(s) == simdjson::SUCCESS && !detail::is_language_tag(s))
            error("language-tag", "\"languages\" values MUST be RFC 5646 language codes, not " +
                                      quote(s) + section(sec));
        }
      }
      break;
    }
    case detail::kMarkingDefinition:
      post_marking_definition(f);
      break;
    case detail::kExtensionDefinition: {
      auto props = field(f, "extension_properties");
      if (!props) break;
      bool toplevel = false;
      if (auto types = field(f, "extension_types"); types && types->type() == element_type::ARRAY)
        for (element e : as_array(*types)) {
          std::string_view s;
          if (e.get_string().get(s) == simdjson::SUCCESS && s == "toplevel-property-extension")
            toplevel = true;
        }
      auto scope = push("extension_properties");
      if (!toplevel)
        error("extension",
              "\"extension_properties\" MUST only be used when \"extension_types\" includes "
              "\"toplevel-property-extension\"" +
                  section(sec));
      if (props->type() == element_type::ARRAY) {
        size_t i = 0;
        for (element e : as_array(*props)) {
          auto idx = push(i++);
          std::string_view s;
          if (e.get_string().get(s) == simdjson::SUCCESS && !detail::is_property_name(s))
            error("property-name", "extension property name " + quote(s) +
                                       " MUST be 3-250 characters of a-z, 0-9 and '_'" +
                                       section("7.3.2"));
        }
      }
      break;
    }
    default:
      break;
  }
}

void Checker::post_marking_definition(const Fields& f) {
  const std::string_view sec = "7.2.1";
  auto definition_type = string(f, "definition_type");
  auto definition = field(f, "definition");
  if (!has(f, "extensions")) {
    if (!has(f, "definition_type"))
      error("required-property",
            "\"marking-definition\" without \"extensions\" requires \"definition_type\"" +
                section(sec));
    if (!definition)
      error("required-property",
            "\"marking-definition\" without \"extensions\" requires \"definition\"" + section(sec));
  }
  if (definition && definition->type() == element_type::OBJECT) {
    auto scope = push("definition");
    object body = as_object(*definition);
    if (definition_type == "statement") {
      check_nested(reg_.nested[static_cast<size_t>(N::kStatementMarking)], *definition,
                   Unknown::kIgnore);
    } else if (definition_type == "tlp") {
      check_nested(reg_.nested[static_cast<size_t>(N::kTlpMarking)], *definition, Unknown::kIgnore);
      struct Tlp1 {
        std::string_view level, id;
      };
      static constexpr Tlp1 kTlp1[] = {
          {"white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
          {"green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
          {"amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
          {"red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
      };
      std::string_view level;
      if (body["tlp"].get_string().get(level) == simdjson::SUCCESS) {
        const Tlp1* match = nullptr;
        for (const Tlp1& t : kTlp1)
          if (t.level == level) match = &t;
        auto inner = push("tlp");
        if (!match) {
          error("tlp-marking", "\"tlp\" must be white, green, amber or red, not " + quote(level) +
                                   section("7.2.1.4"));
        } else if (id_ok_ && id_ != match->id) {
          error("tlp-marking",
                "TLP marking definitions MUST be the standard ones: TLP:" + std::string(level) +
                    " is " + std::string(match->id) + ", not " + quote(id_) + section("7.2.1.4"));
        }
      }
    } else {
      walk(*definition);  // a custom definition type
    }
  }
  // §3.2: a marking definition's markings MUST NOT reference itself.
  if (auto refs = field(f, "object_marking_refs");
      refs && id_ok_ && refs->type() == element_type::ARRAY) {
    size_t i = 0;
    for (element e : as_array(*refs)) {
      std::string_view s;
      if (e.get_string().get(s) == simdjson::SUCCESS && s == id_) {
        auto outer = push("object_marking_refs");
        auto idx = push(i);
        error("circular-marking",
              "a marking definition MUST NOT be marked with itself" + section("3.2"));
      }
      ++i;
    }
  }
}

bool Checker::resolve_selector(std::string_view selector) const {
  if (selector.empty()) return false;
  element cur;
  bool at_root = true;
  size_t i = 0;
  while (i <= selector.size()) {
    size_t j = selector.find('.', i);
    if (j == std::string_view::npos) j = selector.size();
    const std::string_view c = selector.substr(i, j - i);
    if (c.empty()) return false;
    if (c.front() == '[' && c.back() == ']' && c.size() > 2) {
      if (at_root || cur.type() != element_type::ARRAY) return false;
      size_t index = 0;
      for (char d : c.substr(1, c.size() - 2)) {
        if (d < '0' || d > '9') return false;
        index = index * 10 + static_cast<size_t>(d - '0');
        if (index > 1'000'000'000) return false;
      }
      if (as_array(cur).at(index).get(cur) != simdjson::SUCCESS) return false;
    } else {
      object o;
      if (at_root) {
        o = root_;
      } else if (cur.get_object().get(o) != simdjson::SUCCESS) {
        return false;
      }
      if (o.at_key(c).get(cur) != simdjson::SUCCESS) return false;
    }
    at_root = false;
    i = j + 1;
  }
  return true;
}

void Checker::post_nested(const DefIndex& di, const Fields& f) {
  const N n = static_cast<N>(&di - reg_.nested.data());
  switch (n) {
    case N::kExternalReference:
      require_one_of(f, {"description", "url", "external_id"},
                     "an external reference requires \"description\", \"url\" or \"external_id\" "
                     "besides \"source_name\"",
                     "2.5.2");
      break;
    case N::kKillChainPhase:
      for (std::string_view name : {"kill_chain_name", "phase_name"}) {
        auto s = string(f, name);
        if (!s) continue;
        bool ok = !s->empty();
        for (char c : *s)
          if ((c >= 'A' && c <= 'Z') || c == ' ' || c == '_') ok = false;
        if (!ok) {
          auto scope = push(name);
          warn("kill-chain-format", quote(name) + " " + quote(*s) +
                                        " SHOULD be all lowercase with hyphens as word separators" +
                                        section("2.11"));
        }
      }
      break;
    case N::kGranularMarking: {
      const bool lang = has(f, "lang"), marking = has(f, "marking_ref");
      if (lang == marking)
        error(lang ? "property-conflict" : "required-property",
              "a granular marking MUST have exactly one of \"lang\" and \"marking_ref\"" +
                  section("7.2.3"));
      if (auto ref = string(f, "marking_ref");
          ref && id_ok_ && *ref == id_ && spec_type_ == detail::kMarkingDefinition) {
        auto scope = push("marking_ref");
        error("circular-marking",
              "a marking definition MUST NOT be marked with itself" + section("3.2"));
      }
      auto selectors = field(f, "selectors");
      if (selectors && selectors->type() == element_type::ARRAY) {
        auto outer = push("selectors");
        size_t i = 0;
        for (element e : as_array(*selectors)) {
          auto idx = push(i++);
          std::string_view s;
          if (e.get_string().get(s) == simdjson::SUCCESS && !resolve_selector(s))
            error("granular-marking",
                  "selector " + quote(s) +
                      " does not refer to a property or list item present on the object" +
                      section("7.2.3"));
        }
      }
      break;
    }
    case N::kEmailMimePart:
      require_one_of(f, {"body", "body_raw_ref"},
                     "an email MIME part requires \"body\" or \"body_raw_ref\"", "6.6.2");
      break;
    default:
      break;
  }
}

void Checker::check_identifiers() {
  if (!id_ok_ || spec_type_ < 0) return;
  const int version = core::uuid_version(id_uuid_);
  if (cls_ != Cls::kSco) {
    if (version != 4)
      warn("uuid-version", quote(type_) + " ids SHOULD use a UUIDv4, not a UUIDv" +
                               std::to_string(version) + section("2.9"));
    return;
  }
  const auto det = sco_deterministic_uuid(type_, root_);
  if (!det) {
    if (version != 4)
      error("uuid-version",
            "an SCO without any ID contributing property MUST use a UUIDv4, not a UUIDv" +
                std::to_string(version) + section("2.9"));
    return;
  }
  if (*det != id_uuid_) {
    warn("sco-id-not-deterministic",
         "the id SHOULD be the deterministic UUIDv5 of the ID contributing properties: " +
             std::string(type_) + "--" + core::to_string(*det) +
             section("2.9, \xc2\xa7"
                     "3.4"));
  } else if (root_.at_key("created").error() == simdjson::SUCCESS ||
             root_.at_key("modified").error() == simdjson::SUCCESS) {
    error("sco-id-namespace",
          "a versioned SCO (with created/modified) MUST NOT use the default namespace for its "
          "deterministic id" +
              section("3.6"));
  }
}

void Checker::run(object obj) {
  root_ = obj;
  element tv;
  if (obj.at_key("type").get(tv) == simdjson::SUCCESS) {
    std::string_view type;
    if (tv.get_string().get(type) == simdjson::SUCCESS) type_ = type;
  }
  const DefIndex* di = &reg_.custom;
  if (!type_.empty()) {
    spec_type_ = reg_.types.find(type_);
    if (spec_type_ >= 0) {
      di = &reg_.top[static_cast<size_t>(spec_type_)];
      cls_ = di->def->cls;
    } else {
      auto scope = push("type");
      if (type_ == "bundle") {
        error("type-format",
              "a bundle is not a STIX object; validate the objects it holds" + section("8"));
      } else if (const char* why = detail::type_name_problem(type_)) {
        error("type-format", "type " + quote(type_) + " " + why +
                                 section("3.1, \xc2\xa7"
                                         "11.2"));
      }
    }
  }

  Fields f;
  visit(*di, obj, spec_type_ >= 0 ? Unknown::kSpecObject : Unknown::kCustomObject, f);

  // Common properties by class: specification types have theirs in the table; a custom type's
  // class is known only from a new-sdo/new-sco/new-sro extension (§7.3).
  detail::CommonColumn col = detail::kColCustom;
  if (spec_type_ >= 0) {
    col = detail::common_column(static_cast<SpecType>(spec_type_));
  } else if (cls_ != Cls::kCustom) {
    col = cls_ == Cls::kSco ? detail::kColSco : detail::kColSdoSro;
    for (int i = 0; i < detail::kNumCommon; ++i)
      if (detail::kCommonUse[col][i] == Use::kRequired && !f.has(i))
        error("required-property", "a custom " + std::string(class_name(cls_)) +
                                       " requires property " + quote(detail::kCommonProps[i].name) +
                                       section("3.2, \xc2\xa7"
                                               "7.3"));
  }
  if (col != detail::kColCustom) {
    for (int i = 0; i < detail::kNumCommon; ++i) {
      if (detail::kCommonUse[col][i] != Use::kNotApplicable || !f.has(i)) continue;
      auto scope = push(detail::kCommonProps[i].name);
      if (i == detail::kCDefanged)
        error("not-applicable-property",
              "\"defanged\" MUST NOT be used on objects other than SCOs" + section("3.2"));
      else
        warn("not-applicable-property",
             quote(detail::kCommonProps[i].name) + " is not a property of " +
                 (spec_type_ >= 0 ? quote(type_) : std::string("this object")) +
                 section(spec_type_ >= 0 ? di->def->section : std::string_view("3.2")));
    }
  }
  if (spec_type_ < 0 && !type_.empty() && !new_object_ext_ && !starts_with(type_, "x-") &&
      type_ != "bundle" && detail::type_name_problem(type_) == nullptr) {
    auto scope = push("type");
    warn("custom-type-prefix",
         "custom object type " + quote(type_) +
             " does not start with \"x-\"; if compatibility with future versions is required "
             "the prefix MUST be used" +
             section("11.2"));
  }
  if (!toplevel_ext_) {
    for (size_t i = 0; i < num_unprefixed_; ++i) {
      auto scope = push(unprefixed_[i]);
      warn("custom-property-prefix",
           "custom property " + quote(unprefixed_[i]) +
               " does not start with \"x_\"; if compatibility with future versions is "
               "required the prefix MUST be used" +
               section("11.1"));
    }
  }

  // §3.2, §3.6.1: modified >= created.
  if (created_ && modified_ && *modified_ < *created_) {
    auto scope = push("modified");
    error("modified-before-created",
          "\"modified\" MUST be later than or equal to \"created\"" + section("3.2"));
  }
  if (spec_type_ >= 0) post_top(f);
  check_identifiers();
}

}  // namespace

bool validate_object(simdjson::dom::object obj, std::vector<Issue>& issues) {
  Checker c(issues);
  c.run(obj);
  return c.ok();
}

}  // namespace sw::stix
