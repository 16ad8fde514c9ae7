#include "index/extract.h"

#include <simdjson.h>

#include <array>
#include <cstring>
#include <new>
#include <unordered_map>

#include "pattern/atoms.h"
#include "pattern/ip.h"
#include "pattern/text.h"

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
  char n[8];
  size_t len = 0;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    if (len == sizeof n) return std::nullopt;
    n[len++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view v(n, len);
  if (v == "md5") return Kind::kMd5;
  if (v == "sha1") return Kind::kSha1;
  if (v == "sha256") return Kind::kSha256;
  if (v == "sha512") return Kind::kSha512;
  return std::nullopt;
}

// Steps are pattern::PathStep (compiled) or ScanStep (scanned): the same classification for both.
template <class Step>
bool is_key(const Step& s, std::string_view key) {
  return s.kind == PathStep::Kind::kKey && s.key == key;
}
template <class Step>
bool is_index(const Step& s) {
  return s.kind != PathStep::Kind::kKey;
}

template <class Steps>
PathClass classify_path(std::string_view type, const Steps& p, Kind& kind) {
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

// One string constant of a comparison on an indexable path (cls != kNone).
void add_string(Collector& c, PathClass cls, Kind kind, Op op, std::string_view s) {
  switch (cls) {
    case PathClass::kIp:
      if (op != Op::kLike) add_ip(c, kind, s, op, false);
      break;
    case PathClass::kIpRef:
      if (op != Op::kLike) add_ip(c, std::nullopt, s, op, true);
      break;
    case PathClass::kDomain:
      if (op == Op::kEq || op == Op::kIn) {
        c.add_value(kind, s);
      } else if (op == Op::kLike) {
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
      if (op == Op::kEq || op == Op::kIn) c.add_value(kind, s);
      break;
    case PathClass::kNone:
      break;
  }
}

void add_comparison(Collector& c, const pattern::Atom& a) {
  if (a.negated) return;
  if (a.op != Op::kEq && a.op != Op::kIn && a.op != Op::kIsSubset && a.op != Op::kLike) return;
  Kind kind = Kind::kOther;
  const PathClass cls = classify_path(a.object_type, a.path, kind);
  for (const pattern::Constant& v : a.values) {
    if (v.kind != pattern::Constant::Kind::kString) continue;
    if (cls != PathClass::kNone) {
      add_string(c, cls, kind, a.op, v.bytes);
    } else if (a.op == Op::kEq || a.op == Op::kIn) {
      pattern::ObjectPath path;
      path.object_type = a.object_type;
      path.steps = a.path;
      c.add(Kind::kOther, other_key(pattern::to_string(path), v.bytes), 0);
    }
  }
}

// --- the scanner of simple patterns ---------------------------------------------------------

struct ScanStep {
  PathStep::Kind kind = PathStep::Kind::kKey;
  std::string_view key;
};

struct ScanPath {
  std::array<ScanStep, 4> steps;
  size_t n = 0;
  size_t size() const { return n; }
  const ScanStep& operator[](size_t i) const { return steps[i]; }
};

size_t hash_hex_digits(Kind k) {
  switch (k) {
    case Kind::kMd5:
      return 32;
    case Kind::kSha1:
      return 40;
    case Kind::kSha256:
      return 64;
    case Kind::kSha512:
      return 128;
    default:
      return 0;
  }
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

// Reads `[ cmp (OR cmp)* ]` where cmp is `type:path = 'string'` or `type:path IN ('s', ...)` on an
// indexable path, exactly as the lexer and parser of pattern/ would (tokens, whitespace, escapes),
// and adds the atoms as add_comparison() would. run() is false for anything else — including
// everything Pattern::compile would reject — and then the collector's output must be discarded.
class Scanner {
 public:
  Scanner(std::string_view text, Collector& c) : t_(text), c_(c) {}

  bool run() {
    space();
    if (!eat('[')) return false;
    for (;;) {
      space();
      if (!comparison()) return false;
      ++comparisons_;
      space();
      if (eat(']')) {
        space();
        return i_ == t_.size();
      }
      if (!keyword("OR")) return false;
    }
  }

  // Comparisons read by run().
  size_t comparisons() const { return comparisons_; }

 private:
  static bool ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool ident_char(char c) { return ident_start(c) || digit(c) || c == '-'; }

  char peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }
  bool at_end() const { return i_ >= t_.size(); }
  bool eat(char c) {
    if (at_end() || t_[i_] != c) return false;
    ++i_;
    return true;
  }
  // ASCII White_Space; comments and other whitespace are left to the compiler.
  void space() {
    while (!at_end()) {
      const char c = t_[i_];
      if (c != ' ' && !(c >= '\t' && c <= '\r')) return;
      ++i_;
    }
  }
  // An upper-case keyword as a whole token.
  bool keyword(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return false;
    const size_t end = i_ + word.size();
    if (end < t_.size() && ident_char(t_[end])) return false;
    i_ = end;
    return true;
  }
  // [a-zA-Z_][a-zA-Z0-9_-]*, not followed by a quote (h'..', b'..', t'..' are constants).
  bool ident(std::string_view& out, bool& hyphen) {
    if (at_end() || !ident_start(t_[i_])) return false;
    const size_t start = i_;
    hyphen = false;
    while (!at_end() && ident_char(t_[i_])) hyphen |= t_[i_++] == '-';
    out = t_.substr(start, i_ - start);
    return peek() != '\'';
  }
  // A string constant at a quote, escapes resolved (into buf_ when it has any).
  bool string(std::string_view& out) {
    if (!eat('\'')) return false;
    const size_t start = i_;
    bool escaped = false;
    for (;;) {
      if (at_end()) return false;  // unterminated
      const char c = t_[i_];
      if (c == '\'') break;
      if (c == '\\') {
        if (i_ + 1 >= t_.size() || (t_[i_ + 1] != '\'' && t_[i_ + 1] != '\\')) return false;
        escaped = true;
        i_ += 2;
        continue;
      }
      ++i_;
    }
    out = t_.substr(start, i_ - start);
    ++i_;
    if (escaped) {
      buf_.clear();
      for (size_t k = 0; k < out.size(); ++k) {
        if (out[k] == '\\') ++k;
        buf_.push_back(out[k]);
      }
      out = buf_;
    }
    return true;
  }
  // A property name or a quoted key (without escapes).
  bool key(ScanStep& s) {
    s.kind = PathStep::Kind::kKey;
    if (peek() == '\'') {
      const size_t start = i_ + 1;
      const size_t end = t_.find_first_of("'\\", start);
      if (end == std::string_view::npos || t_[end] != '\'') return false;
      s.key = t_.substr(start, end - start);
      i_ = end + 1;
      return true;
    }
    bool hyphen;
    return ident(s.key, hyphen) && !hyphen;
  }
  // `*` or a non-negative integer without leading zeros, then `]`.
  bool index(ScanStep& s) {
    space();
    if (eat('*')) {
      s.kind = PathStep::Kind::kAnyIndex;
    } else {
      const size_t start = i_;
      while (!at_end() && digit(t_[i_])) ++i_;
      const size_t len = i_ - start;
      if (len == 0 || len > 18 || (len > 1 && t_[start] == '0')) return false;
      if (!at_end() && (ident_start(t_[i_]) || t_[i_] == '.')) return false;
      s.kind = PathStep::Kind::kIndex;
    }
    space();
    return eat(']');
  }

  bool comparison() {
    std::string_view type;
    bool hyphen;
    if (!ident(type, hyphen)) return false;
    space();
    if (!eat(':')) return false;
    space();
    ScanPath path;
    if (!key(path.steps[path.n++])) return false;
    for (;;) {
      space();
      if (peek() != '.' && peek() != '[') break;
      if (path.n == path.steps.size()) return false;
      ScanStep& s = path.steps[path.n++];
      if (eat('.')) {
        space();
        if (!key(s)) return false;
      } else {
        ++i_;
        if (!index(s)) return false;
      }
    }
    Kind kind = Kind::kOther;
    const PathClass cls = classify_path(type, path, kind);
    if (cls == PathClass::kNone) return false;
    std::string_view v;
    if (eat('=')) {
      eat('=');  // '==' is the grammar's alias
      space();
      return string(v) && value(cls, kind, Op::kEq, v);
    }
    if (!keyword("IN")) return false;
    space();
    if (!eat('(')) return false;
    space();
    if (eat(')')) return true;  // an empty set
    for (;;) {
      space();
      if (!string(v) || !value(cls, kind, Op::kIn, v)) return false;
      space();
      if (eat(')')) return true;
      if (!eat(',')) return false;
    }
  }

  bool value(PathClass cls, Kind kind, Op op, std::string_view v) {
    // Pattern::compile rejects a hash of the wrong length or with non-hex digits.
    if (cls == PathClass::kHash && (v.size() != hash_hex_digits(kind) || !is_hex(v))) return false;
    add_string(c_, cls, kind, op, v);
    return true;
  }

  std::string_view t_;
  Collector& c_;
  size_t i_ = 0;
  size_t comparisons_ = 0;
  std::string buf_;
};

bool has_undecided_atom(const Extraction& out) {
  for (const ExtractedAtom& a : out.atoms) {
    if (a.flags & (kAtomSelfUndecided | kAtomContainedUndecided)) return true;
  }
  return false;
}

// The scanner's reading of `text` into `out`; false (and `out` untouched) when it is not sure.
bool scan_simple(std::string_view text, Extraction& out) {
  if (text.size() > pattern::Limits{}.max_pattern_bytes) return false;
  if (pattern::text::invalid_utf8_offset(text) != std::string_view::npos) return false;
  const size_t skipped = out.skipped;
  Collector c(out);
  Scanner scanner(text, c);
  if (!scanner.run()) {
    out.atoms.clear();
    out.skipped = skipped;
    return false;
  }
  out.single_comparison = scanner.comparisons() == 1;
  return true;
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

std::unique_ptr<LazyPattern> LazyPattern::make(std::string_view text,
                                               pattern::StixVersion version) {
  void* mem = ::operator new(sizeof(LazyPattern) + text.size());
  auto* p = new (mem) LazyPattern(static_cast<uint32_t>(text.size()), version);
  if (!text.empty()) std::memcpy(reinterpret_cast<char*>(p + 1), text.data(), text.size());
  return std::unique_ptr<LazyPattern>(p);
}

LazyPattern::~LazyPattern() { delete compiled_.load(std::memory_order_acquire); }

const pattern::Pattern* LazyPattern::get() const {
  if (const pattern::Pattern* p = compiled_.load(std::memory_order_acquire)) return p;
  pattern::CompileOptions options;
  options.version = version_;
  auto r = pattern::Pattern::compile(text(), options);
  if (!r.ok()) return nullptr;
  auto* mine = new pattern::Pattern(std::move(r).value());
  const pattern::Pattern* winner = nullptr;
  if (compiled_.compare_exchange_strong(winner, mine, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
    return mine;
  }
  delete mine;  // another thread published first
  return winner;
}

size_t LazyPattern::bytes() const {
  size_t b = sizeof(LazyPattern) + size_;
  // A rough figure for a compiled pattern: its text, its tree and the compiled program.
  if (compiled() != nullptr) b += 512 + 8 * size_;
  return b;
}

void extract_pattern_atoms(const pattern::Pattern& p, Extraction& out) {
  Collector c(out);
  for (const pattern::Atom& a : pattern::atoms(p)) add_comparison(c, a);
}

core::Status extract_pattern_text(std::string_view text, pattern::StixVersion version,
                                  Extraction& out, const ExtractOptions& options) {
  if (options.scan_simple_patterns && scan_simple(text, out)) {
    out.scanned = true;
    out.decided = true;  // one observation expression of comparisons joined by OR
    if (!out.atoms.empty() && !out.single_comparison && has_undecided_atom(out))
      out.pattern = LazyPattern::make(text, version);
    return core::ok_status();
  }
  pattern::CompileOptions co;
  co.version = version;
  auto compiled = pattern::Pattern::compile(text, co);
  if (!compiled.ok()) return std::move(compiled).error();
  extract_pattern_atoms(*compiled, out);
  const pattern::AtomDecision decision = pattern::atom_decision(*compiled);
  out.decided = decision != pattern::AtomDecision::kNeedsEvaluation;
  out.single_comparison = decision == pattern::AtomDecision::kSingleAtom;
  if (!out.atoms.empty() && !out.single_comparison && (!out.decided || has_undecided_atom(out))) {
    // The text only: most kept patterns are never evaluated (a hit must need it).
    out.pattern = LazyPattern::make(text, version);
  }
  return core::ok_status();
}

core::Result<Extraction> extract(const stix::Object& object, const ExtractOptions& options) {
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
    const pattern::StixVersion version =
        spec.empty() || spec == "2.0" ? pattern::StixVersion::k20 : pattern::StixVersion::k21;
    if (auto st = extract_pattern_text(text, version, out, options); !st.ok()) {
      return core::Error::invalid("pattern: " + st.error().to_string(), where);
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
