#include "index/extract.h"

#include <simdjson.h>

#include <unordered_map>

#include "pattern/atoms.h"
#include "pattern/ip.h"

namespace sw::index {
namespace {

using pattern::Op;
using pattern::PathStep;

// Where a comparison's values go.
enum class PathClass : uint8_t {
  kNone,
  kIp,     // ipv4-addr / ipv6-addr value: the kind the object type names
  kIpRef,  // network-traffic src_ref / dst_ref value: an IP, else a domain
  kDomain,
  kUrl,
  kEmail,
  kHash,
};

std::optional<Kind> hash_kind(std::string_view name) {
  std::string n;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    n += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (n == "md5") return Kind::kMd5;
  if (n == "sha1") return Kind::kSha1;
  if (n == "sha256") return Kind::kSha256;
  if (n == "sha512") return Kind::kSha512;
  return std::nullopt;
}

bool is_key(const PathStep& s, std::string_view key) {
  return s.kind == PathStep::Kind::kKey && s.key == key;
}
bool is_index(const PathStep& s) { return s.kind != PathStep::Kind::kKey; }

PathClass classify_path(std::string_view type, const std::vector<PathStep>& p, Kind& kind) {
  if (p.size() == 1 && is_key(p[0], "value")) {
    if (type == "ipv4-addr") return kind = Kind::kIpv4, PathClass::kIp;
    if (type == "ipv6-addr") return kind = Kind::kIpv6, PathClass::kIp;
    if (type == "domain-name") return kind = Kind::kDomain, PathClass::kDomain;
    if (type == "url") return kind = Kind::kUrl, PathClass::kUrl;
    if (type == "email-addr") return kind = Kind::kEmail, PathClass::kEmail;
    return PathClass::kNone;
  }
  if (type == "file" && p.size() == 2 && is_key(p[0], "hashes") &&
      p[1].kind == PathStep::Kind::kKey) {
    if (auto k = hash_kind(p[1].key)) return kind = *k, PathClass::kHash;
    return PathClass::kNone;
  }
  if (type == "network-traffic" && p.size() == 2 &&
      (is_key(p[0], "src_ref") || is_key(p[0], "dst_ref")) && is_key(p[1], "value")) {
    return PathClass::kIpRef;
  }
  if (type == "email-message") {
    if (p.size() == 2 && (is_key(p[0], "from_ref") || is_key(p[0], "sender_ref")) &&
        is_key(p[1], "value")) {
      return kind = Kind::kEmail, PathClass::kEmail;
    }
    if (p.size() == 3 &&
        (is_key(p[0], "to_refs") || is_key(p[0], "cc_refs") || is_key(p[0], "bcc_refs")) &&
        is_index(p[1]) && is_key(p[2], "value")) {
      return kind = Kind::kEmail, PathClass::kEmail;
    }
  }
  return PathClass::kNone;
}

// Collects atoms, one per (kind, key), merging flags. Most objects have one or a few atoms: they
// are compared directly; a map is built only for long IN lists.
class Collector {
 public:
  explicit Collector(Extraction& out) : out_(out) {}

  void add(Kind kind, std::string key, uint8_t flags) {
    if (key.size() > kMaxKeyBytes) {
      ++out_.skipped;
      return;
    }
    const size_t i = find(kind, key);
    if (i == out_.atoms.size()) {
      if (!seen_.empty()) seen_.emplace(tag(kind, key), i);
      out_.atoms.push_back({kind, std::move(key), flags});
      return;
    }
    uint8_t& f = out_.atoms[i].flags;
    const uint8_t undecided = kAtomSelfUndecided | kAtomContainedUndecided;
    f = static_cast<uint8_t>(((f | flags) & kAtomSubdomains) | (f & flags & undecided));
  }

  // normalise() then add(); counts a value that does not normalise.
  void add_value(Kind kind, std::string_view value, uint8_t flags = 0) {
    auto key = normalise(kind, value);
    if (!key) {
      ++out_.skipped;
      return;
    }
    add(kind, std::move(*key), flags);
  }

 private:
  static constexpr size_t kLinear = 16;

  static std::string tag(Kind kind, std::string_view key) {
    std::string t(1, static_cast<char>(kind));
    t += key;
    return t;
  }

  // The index of (kind, key) in out_.atoms, or its size.
  size_t find(Kind kind, const std::string& key) {
    auto& atoms = out_.atoms;
    if (atoms.size() < kLinear) {
      for (size_t i = 0; i < atoms.size(); ++i) {
        if (atoms[i].kind == kind && atoms[i].key == key) return i;
      }
      return atoms.size();
    }
    if (seen_.empty()) {
      for (size_t i = 0; i < atoms.size(); ++i) seen_.emplace(tag(atoms[i].kind, atoms[i].key), i);
    }
    auto it = seen_.find(tag(kind, key));
    return it == seen_.end() ? atoms.size() : it->second;
  }

  Extraction& out_;
  std::unordered_map<std::string, size_t> seen_;  // (kind, key) -> index, once past kLinear
};

// An IP-valued comparison constant: `=`/IN compare blocks, ISSUBSET asks for containment.
void add_ip(Collector& c, std::optional<Kind> want, std::string_view value, Op op,
            bool allow_domain) {
  pattern::IpNet net;
  if (!pattern::parse_ip_net(value, net) || (want && (*want == Kind::kIpv6) != net.v6)) {
    if (allow_domain && op != Op::kIsSubset) {
      c.add_value(Kind::kDomain, value);
    } else {
      c.add_value(want.value_or(Kind::kIpv4), value);  // counts it as skipped
    }
    return;
  }
  const Kind kind = net.v6 ? Kind::kIpv6 : Kind::kIpv4;
  const bool host = net.prefix == (net.v6 ? 128 : 32);
  const uint8_t flags = (op == Op::kIsSubset || host) ? 0 : kAtomContainedUndecided;
  c.add_value(kind, value, flags);
}

void add_comparison(Collector& c, const pattern::Atom& a) {
  if (a.negated) return;
  if (a.op != Op::kEq && a.op != Op::kIn && a.op != Op::kIsSubset && a.op != Op::kLike) return;
  Kind kind = Kind::kOther;
  const PathClass cls = classify_path(a.object_type, a.path, kind);
  for (const pattern::Constant& v : a.values) {
    if (v.kind != pattern::Constant::Kind::kString) continue;
    const std::string_view s = v.bytes;
    switch (cls) {
      case PathClass::kIp:
        if (a.op != Op::kLike) add_ip(c, kind, s, a.op, false);
        break;
      case PathClass::kIpRef:
        if (a.op != Op::kLike) add_ip(c, std::nullopt, s, a.op, true);
        break;
      case PathClass::kDomain:
        if (a.op == Op::kEq || a.op == Op::kIn) {
          c.add_value(kind, s);
        } else if (a.op == Op::kLike) {
          // '%.suffix' / '%suffix' / a constant without wildcards; anything else is not indexable.
          std::string_view rest = s;
          const bool leading = !rest.empty() && rest.front() == '%';
          if (leading) rest.remove_prefix(1);
          if (rest.find_first_of("%_") != std::string_view::npos) break;
          if (!leading) {
            c.add_value(kind, rest);
          } else if (!rest.empty() && rest.front() == '.') {
            c.add_value(kind, rest.substr(1), kAtomSubdomains | kAtomSelfUndecided);
          } else if (!rest.empty()) {
            c.add_value(kind, rest, kAtomSubdomains);
          }
        }
        break;
      case PathClass::kUrl:
      case PathClass::kEmail:
      case PathClass::kHash:
        if (a.op == Op::kEq || a.op == Op::kIn) c.add_value(kind, s);
        break;
      case PathClass::kNone:
        if (a.op == Op::kEq || a.op == Op::kIn) {
          pattern::ObjectPath path;
          path.object_type = a.object_type;
          path.steps = a.path;
          c.add(Kind::kOther, other_key(pattern::to_string(path), s), 0);
        }
        break;
    }
  }
}

std::string_view str(simdjson::dom::object o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

// The values of one SCO (top-level or embedded in a 2.0 observed-data).
void add_sco(Collector& c, std::string_view type, simdjson::dom::object o) {
  std::optional<Kind> kind;
  if (type == "ipv4-addr")
    kind = Kind::kIpv4;
  else if (type == "ipv6-addr")
    kind = Kind::kIpv6;
  else if (type == "domain-name")
    kind = Kind::kDomain;
  else if (type == "url")
    kind = Kind::kUrl;
  else if (type == "email-addr")
    kind = Kind::kEmail;
  if (kind) {
    std::string_view value;
    if (o["value"].get_string().get(value) == simdjson::SUCCESS) c.add_value(*kind, value);
    return;
  }
  if (type == "file") {
    simdjson::dom::object hashes;
    if (o["hashes"].get_object().get(hashes) != simdjson::SUCCESS) return;
    for (auto field : hashes) {
      std::string_view value;
      auto k = hash_kind(field.key);
      if (!k || field.value.get_string().get(value) != simdjson::SUCCESS) continue;
      c.add_value(*k, value);
    }
  }
}

}  // namespace

std::string other_key(std::string_view path, std::string_view value) {
  std::string k;
  k.reserve(path.size() + 1 + value.size());
  k.append(path);
  k += '=';
  k.append(value);
  return k;
}

void extract_pattern_atoms(const pattern::Pattern& p, Extraction& out) {
  Collector c(out);
  for (const pattern::Atom& a : pattern::atoms(p)) add_comparison(c, a);
}

core::Result<Extraction> extract(const stix::Object& object) {
  thread_local simdjson::dom::parser parser;
  const std::string& where = object.meta.id;
  simdjson::dom::element root;
  if (auto err = parser.parse(object.json.data(), object.json.size()).get(root)) {
    return core::Error::invalid(std::string("JSON: ") + simdjson::error_message(err), where);
  }
  simdjson::dom::object o;
  if (root.get_object().get(o) != simdjson::SUCCESS) {
    return core::Error::invalid("not a JSON object", where);
  }
  Extraction out;
  const std::string_view type = object.meta.type;
  if (type == "indicator") {
    out.is_indicator = true;
    if (const std::string_view until = str(o, "valid_until"); !until.empty()) {
      auto ts = core::parse_timestamp(until);
      if (!ts.ok()) return core::Error::invalid("valid_until: " + ts.error().message, where);
      out.valid_until = *ts;
    }
    std::string_view pattern_type = str(o, "pattern_type");
    if (!pattern_type.empty() && pattern_type != "stix") return out;
    const std::string_view text = str(o, "pattern");
    if (text.empty()) return out;
    const std::string_view spec = str(o, "spec_version");
    pattern::CompileOptions options;
    options.version =
        spec.empty() || spec == "2.0" ? pattern::StixVersion::k20 : pattern::StixVersion::k21;
    auto compiled = pattern::Pattern::compile(text, options);
    if (!compiled.ok()) {
      return core::Error::invalid("pattern: " + compiled.error().to_string(), where);
    }
    extract_pattern_atoms(*compiled, out);
    out.decided = pattern::decided_by_single_atom(*compiled);
    bool undecided_atom = false;
    for (const ExtractedAtom& a : out.atoms) {
      undecided_atom = undecided_atom || (a.flags & (kAtomSelfUndecided | kAtomContainedUndecided));
    }
    if (!out.atoms.empty() && (!out.decided || undecided_atom)) {
      out.pattern = std::make_unique<pattern::Pattern>(std::move(compiled).value());
    }
    return out;
  }
  Collector c(out);
  if (type == "observed-data") {
    simdjson::dom::object objects;
    if (o["objects"].get_object().get(objects) == simdjson::SUCCESS) {
      for (auto field : objects) {
        simdjson::dom::object sco;
        if (field.value.get_object().get(sco) != simdjson::SUCCESS) continue;
        add_sco(c, str(sco, "type"), sco);
      }
    }
    return out;
  }
  add_sco(c, type, o);
  return out;
}

}  // namespace sw::index
