#include "pattern/evaluate.h"

#include <string.h>  // memmem (GNU)
#include <cmath>
#include <cstring>

#include "pattern/text.h"

namespace sw::pattern::detail {
namespace {

using Kind = Observation::Kind;
using Node = Observation::Node;

constexpr uint32_t kNoHolder = UINT32_MAX;

// The outcome of comparing a property value with a constant.
enum class Cmp : uint8_t { kLess, kEqual, kGreater, kUnequal, kIncomparable };

Cmp from_int(int c) { return c < 0 ? Cmp::kLess : c > 0 ? Cmp::kGreater : Cmp::kEqual; }

int compare_bytes(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  if (n != 0) {
    if (const int c = std::memcmp(a.data(), b.data(), n); c != 0) return c;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// sign(i - d), exactly (§9.2: an integer compared with a float is not truncated).
int compare_int_real(int64_t i, double d) {
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  const double t = std::trunc(d);
  const auto ti = static_cast<int64_t>(t);
  if (i != ti) return i < ti ? -1 : 1;
  const double frac = d - t;
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

int compare_real(double a, double b) { return a < b ? -1 : a > b ? 1 : 0; }

// The "type" of the object holding a property (for ipv4-addr / ipv6-addr values).
std::string_view holder_type(const Observation& o, uint32_t holder) {
  if (holder == kNoHolder) return {};
  const Node& h = o.node(holder);
  if (h.kind != Kind::kObject) return {};
  for (uint32_t c = h.off; c < h.off + h.len; ++c) {
    const Node& m = o.node(c);
    if (m.kind == Kind::kString && o.key(m) == "type") return o.bytes(m);
  }
  return {};
}

// Property value `v` against constant `k` (§9.2 comparable types; §9.6.2-§9.6.4).
Cmp compare(const CompiledComparison& c, const Value& k, const Observation& o, const Node& v,
            uint32_t holder) {
  switch (k.kind) {
    case Constant::Kind::kBool:
      if (v.kind != Kind::kBool) return Cmp::kIncomparable;
      return v.num.boolean == k.boolean ? Cmp::kEqual : Cmp::kUnequal;
    case Constant::Kind::kInt:
      if (v.kind == Kind::kInt) {
        return from_int(v.num.integer < k.integer ? -1 : v.num.integer > k.integer ? 1 : 0);
      }
      if (v.kind == Kind::kFloat) return from_int(-compare_int_real(k.integer, v.num.real));
      return Cmp::kIncomparable;
    case Constant::Kind::kFloat:
      if (v.kind == Kind::kInt) return from_int(compare_int_real(v.num.integer, k.real));
      if (v.kind == Kind::kFloat) return from_int(compare_real(v.num.real, k.real));
      return Cmp::kIncomparable;
    case Constant::Kind::kString:
      if (v.kind == Kind::kString) {
        if (c.ip_value && k.has_ip) {
          const std::string_view t = holder_type(o, holder);
          IpNet net;
          if ((t == "ipv4-addr" || t == "ipv6-addr") && parse_ip_net(o.bytes(v), net)) {
            return same_block(net, k.ip) ? Cmp::kEqual : Cmp::kUnequal;
          }
        }
        return from_int(compare_bytes(o.bytes(v), k.bytes));
      }
      if (v.kind == Kind::kBinary) {
        if (!k.has_octets) return Cmp::kIncomparable;
        return from_int(compare_bytes(o.bytes(v), k.octets));
      }
      return Cmp::kIncomparable;
    case Constant::Kind::kBinary:
    case Constant::Kind::kHex:
      if (v.kind == Kind::kBinary) return from_int(compare_bytes(o.bytes(v), k.bytes));
      if (v.kind == Kind::kString) {
        const auto r = text::compare_octets_with_string(k.bytes, o.bytes(v));
        return r ? from_int(-*r) : Cmp::kIncomparable;
      }
      return Cmp::kIncomparable;
    case Constant::Kind::kTimestamp: {
      if (v.kind != Kind::kString) return Cmp::kIncomparable;
      auto ts = core::parse_timestamp(o.bytes(v));
      if (!ts.ok()) return Cmp::kIncomparable;
      return *ts < k.timestamp ? Cmp::kLess : *ts > k.timestamp ? Cmp::kGreater : Cmp::kEqual;
    }
  }
  return Cmp::kIncomparable;
}

bool like(const LikePlan& plan, std::string_view s) {
  using K = LikePlan::Kind;
  const std::string_view lit = plan.literal;
  switch (plan.kind) {
    case K::kExact:
      return s == lit;
    case K::kPrefix:
      return s.substr(0, lit.size()) == lit;
    case K::kSuffix:
      return s.size() >= lit.size() && s.substr(s.size() - lit.size()) == lit;
    case K::kContains:
      return memmem(s.data(), s.size(), lit.data(), lit.size()) != nullptr;
    case K::kAnything:
      return true;
    case K::kRegex:
      return plan.re && RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *plan.re);
  }
  return false;
}

// The comparison on one value, before NOT.
bool test(const CompiledComparison& c, const Observation& o, const Node& v, uint32_t holder) {
  switch (c.op) {
    case Op::kEq:
      return compare(c, c.values[0], o, v, holder) == Cmp::kEqual;
    case Op::kNe:
      return compare(c, c.values[0], o, v, holder) != Cmp::kEqual;
    case Op::kLt:
      return compare(c, c.values[0], o, v, holder) == Cmp::kLess;
    case Op::kLe: {
      const Cmp r = compare(c, c.values[0], o, v, holder);
      return r == Cmp::kLess || r == Cmp::kEqual;
    }
    case Op::kGt:
      return compare(c, c.values[0], o, v, holder) == Cmp::kGreater;
    case Op::kGe: {
      const Cmp r = compare(c, c.values[0], o, v, holder);
      return r == Cmp::kGreater || r == Cmp::kEqual;
    }
    case Op::kIn:
      for (const Value& k : c.values) {
        if (compare(c, k, o, v, holder) == Cmp::kEqual) return true;
      }
      return false;
    case Op::kLike:
      return v.kind == Kind::kString && like(c.like, o.nfc(v));
    case Op::kMatches:
      if (v.kind == Kind::kString) {
        const std::string_view s = o.nfc(v);
        return c.re_text && RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *c.re_text);
      }
      if (v.kind == Kind::kBinary) {
        const std::string_view s = o.bytes(v);
        return c.re_octets && RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *c.re_octets);
      }
      return false;
    case Op::kIsSubset:
    case Op::kIsSuperset: {
      IpNet net;
      if (v.kind != Kind::kString || !parse_ip_net(o.bytes(v), net)) return false;
      return c.op == Op::kIsSubset ? is_subset(net, c.values[0].ip)
                                   : is_subset(c.values[0].ip, net);
    }
    case Op::kExists:
      return true;
  }
  return false;
}

// Calls f(value node, holder object) for every value the path reaches from node n, stopping at
// the first true. `deref` is set after a *_refs key: the next index step follows references.
template <class F>
bool walk(const CompiledComparison& c, const Observation& o, uint32_t n, size_t step, bool deref,
          uint32_t holder, F& f, Budget& budget) {
  if (budget.remaining == 0) {
    budget.exhausted = true;
    return false;
  }
  --budget.remaining;
  const Node& node = o.node(n);
  if (step == c.steps.size()) {
    if (node.kind == Kind::kNull) return false;  // null is no value
    return f(node, holder);
  }
  const Step& s = c.steps[step];
  if (s.kind == PathStep::Kind::kKey) {
    if (node.kind != Kind::kObject) return false;
    for (uint32_t m = node.off; m < node.off + node.len; ++m) {
      const Node& member = o.node(m);
      if (o.key(member) != s.key) continue;
      switch (s.ref) {
        case Step::Ref::kSingle:
          if (member.kind != Kind::kString || member.ref < 0) return false;  // not found
          return walk(c, o, o.sco_node(static_cast<size_t>(member.ref)), step + 1, false, n, f,
                      budget);
        case Step::Ref::kList:
          return walk(c, o, m, step + 1, true, n, f, budget);
        case Step::Ref::kNone:
          return walk(c, o, m, step + 1, false, n, f, budget);
      }
    }
    return false;
  }
  if (node.kind != Kind::kArray) return false;
  const auto visit = [&](uint32_t e) {
    if (!deref) return walk(c, o, e, step + 1, false, kNoHolder, f, budget);
    const Node& r = o.node(e);
    if (r.kind != Kind::kString || r.ref < 0) return false;
    return walk(c, o, o.sco_node(static_cast<size_t>(r.ref)), step + 1, false, kNoHolder, f,
                budget);
  };
  if (s.kind == PathStep::Kind::kIndex) {
    if (s.index < 0 || static_cast<uint64_t>(s.index) >= node.len) return false;  // §9.7.2
    return visit(node.off + static_cast<uint32_t>(s.index));
  }
  for (uint32_t e = node.off; e < node.off + node.len; ++e) {
    if (visit(e)) return true;
  }
  return false;
}

// §9.6: a path that reaches no value makes the comparison false whatever the operator, NOT
// included; NOT negates the comparison of each value reached ([*]: any value). NOT EXISTS holds
// for an object of the type that lacks the property.
bool comparison(const CompiledComparison& c, const Observation& o, size_t sco, Budget& budget) {
  if (o.sco_type(sco) != c.type) return false;
  const uint32_t root = o.sco_node(sco);
  if (c.op == Op::kExists) {
    auto any = [](const Node&, uint32_t) { return true; };
    const bool found = walk(c, o, root, 0, false, root, any, budget);
    return c.negated ? !found : found;
  }
  auto check = [&](const Node& v, uint32_t holder) { return test(c, o, v, holder) != c.negated; };
  return walk(c, o, root, 0, false, root, check, budget);
}

bool node(const Compiled& p, const CompNode& n, const Observation& o, size_t sco, Budget& budget) {
  switch (n.kind) {
    case CompNode::Kind::kComparison:
      return comparison(p.comparisons[n.comparison], o, sco, budget);
    case CompNode::Kind::kAnd:
      for (const CompNode& c : n.children) {
        if (!node(p, c, o, sco, budget)) return false;
      }
      return true;
    case CompNode::Kind::kOr:
      for (const CompNode& c : n.children) {
        if (node(p, c, o, sco, budget)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

bool holds(const Compiled& p, const CompNode& tree, const Observation& o, Budget& budget) {
  for (size_t sco = 0; sco < o.sco_count() && !budget.exhausted; ++sco) {
    if (node(p, tree, o, sco, budget)) return !budget.exhausted;
  }
  return false;
}

}  // namespace sw::pattern::detail
