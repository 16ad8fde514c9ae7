#include "pattern/pattern.h"

#include <algorithm>
#include <array>
#include <utility>

#include "pattern/compiled.h"
#include "pattern/lexer.h"
#include "pattern/parser.h"
#include "pattern/text.h"

namespace sw::pattern {

using core::Error;
using core::Result;

std::optional<StixVersion> parse_version(std::string_view text) {
  if (text == "2.0") return StixVersion::k20;
  if (text == "2.1") return StixVersion::k21;
  return std::nullopt;
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Hash algorithms whose values have a fixed number of hex digits (hash-algorithm-ov and the
// algorithms the OASIS validator knows). Keys compare upper-cased without '-' and '_'.
struct HashFormat {
  std::string_view key;
  size_t hex_digits;
};
constexpr std::array<HashFormat, 12> kHashFormats{{
    {"MD5", 32},
    {"SHA1", 40},
    {"SHA224", 56},
    {"SHA256", 64},
    {"SHA384", 96},
    {"SHA512", 128},
    {"SHA3224", 56},
    {"SHA3256", 64},
    {"SHA3384", 96},
    {"SHA3512", 128},
    {"RIPEMD160", 40},
    {"WHIRLPOOL", 128},
}};

const HashFormat* hash_format(std::string_view key) {
  std::string norm;
  for (char c : key) {
    if (c == '-' || c == '_') continue;
    norm.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  for (const HashFormat& f : kHashFormats) {
    if (f.key == norm) return &f;
  }
  return nullptr;
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

class Checker {
 public:
  Checker(std::string_view text, const CompileOptions& options, detail::Compiled& out,
          std::vector<Error>& errors)
      : text_(text), options_(options), out_(out), errors_(errors) {}

  void run() {
    const Ast& ast = out_.ast;
    out_.comparisons.resize(ast.comparisons.size());
    for (size_t i = 0; i < ast.comparisons.size(); ++i) {
      comparison(ast.comparisons[i], out_.comparisons[i]);
    }
    observation_types(ast.root);
  }

 private:
  void fail(size_t offset, std::string message) {
    errors_.push_back(error_at(text_, offset, std::move(message)));
  }

  void comparison(const Comparison& c, detail::CompiledComparison& cc) {
    cc.type = c.path.object_type;
    cc.op = c.op;
    cc.negated = c.negated;
    for (const PathStep& s : c.path.steps) {
      detail::Step step;
      step.kind = s.kind;
      step.key = s.key;
      step.index = s.index;
      if (s.kind == PathStep::Kind::kKey) {
        if (ends_with(s.key, "_ref")) step.ref = detail::Step::Ref::kSingle;
        if (ends_with(s.key, "_refs")) step.ref = detail::Step::Ref::kList;
      }
      cc.steps.push_back(std::move(step));
    }
    for (const Constant& k : c.values) cc.values.push_back(value(k));

    if (c.op == Op::kIn && !c.values.empty()) {
      const auto family = [](Constant::Kind k) {
        return k == Constant::Kind::kHex ? Constant::Kind::kBinary : k;
      };
      for (const Constant& k : c.values) {
        if (family(k.kind) != family(c.values[0].kind)) {
          fail(k.offset, std::string("the constants of an IN list must have one type: ") + k.text +
                             " is " + kind_name(k.kind) + " but " + c.values[0].text + " is " +
                             kind_name(c.values[0].kind));
          break;
        }
      }
    }
    const PathStep& last = c.path.steps.back();
    if ((c.op == Op::kEq || c.op == Op::kNe || c.op == Op::kIn) &&
        last.kind == PathStep::Kind::kKey && last.key == "value") {
      cc.ip_value = std::any_of(cc.values.begin(), cc.values.end(),
                                [](const detail::Value& v) { return v.has_ip; });
    }
    switch (c.op) {
      case Op::kMatches:
        matches(c, cc);
        break;
      case Op::kLike:
        like(c, cc);
        break;
      case Op::kIsSubset:
      case Op::kIsSuperset:
        if (!cc.values[0].has_ip) {
          fail(c.values[0].offset,
               std::string(op_name(c.op)) +
                   " needs an IPv4 or IPv6 address or CIDR block (e.g. '198.51.100.0/24'), not " +
                   text::excerpt(c.values[0].text));
        }
        break;
      default:
        break;
    }
    hashes(c);
  }

  detail::Value value(const Constant& k) {
    detail::Value v;
    v.kind = k.kind;
    v.boolean = k.boolean;
    v.integer = k.integer;
    v.real = k.real;
    v.bytes = k.bytes;
    v.timestamp = k.timestamp;
    if (k.kind == Constant::Kind::kString) {
      v.has_octets = text::to_latin1(k.bytes, v.octets);
      if (!v.has_octets) v.octets.clear();
      v.has_ip = parse_ip_net(k.bytes, v.ip);
    }
    return v;
  }

  bool count_regex(size_t offset) {
    if (++regexes_ > options_.limits.max_regexes) {
      if (regexes_ == options_.limits.max_regexes + 1) {
        fail(offset, "the pattern has more than " + std::to_string(options_.limits.max_regexes) +
                         " regular expressions (MATCHES and LIKE with inner wildcards)");
      }
      return false;
    }
    return true;
  }

  RE2::Options re_options(bool latin1) const {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_dot_nl(true);  // §9.6.1: the DOTALL option
    o.set_never_capture(true);
    o.set_max_mem(options_.limits.regex_max_mem);
    if (latin1) o.set_encoding(RE2::Options::EncodingLatin1);
    return o;
  }

  static std::string regex_problem(const RE2& re) {
    const std::string& arg = re.error_arg();
    switch (re.error_code()) {
      case RE2::ErrorPatternTooLarge:
        return "the regular expression is too large for its memory limit";
      case RE2::ErrorRepeatSize:
        return "a repetition count is too large (at most {1000}): " + re.error();
      case RE2::ErrorBadPerlOp:
      case RE2::ErrorRepeatOp:
      case RE2::ErrorBadEscape:
      case RE2::ErrorBadNamedCapture:
        if (arg.rfind("(?=", 0) == 0 || arg.rfind("(?!", 0) == 0 || arg.rfind("(?<", 0) == 0 ||
            arg.rfind("(?>", 0) == 0 ||
            (arg.size() >= 2 && arg[0] == '\\' && arg[1] >= '1' && arg[1] <= '9') || arg == "++" ||
            arg == "*+" || arg == "?+" || arg.rfind("\\k", 0) == 0 || arg.rfind("\\g", 0) == 0) {
          return "'" + arg +
                 "' needs a backtracking engine (backreferences, lookahead/lookbehind, atomic "
                 "groups and possessive quantifiers are not supported; expressions run on RE2 in "
                 "linear time)";
        }
        return re.error();
      default:
        return re.error();
    }
  }

  void matches(const Comparison& c, detail::CompiledComparison& cc) {
    const Constant& k = c.values[0];
    if (!count_regex(k.offset)) return;
    std::string regex;
    text::to_nfc(k.bytes, regex);
    cc.re_text = std::make_unique<RE2>(regex, re_options(false));
    if (!cc.re_text->ok()) {
      fail(k.offset, "invalid MATCHES regular expression: " + regex_problem(*cc.re_text));
      cc.re_text.reset();
      return;
    }
    std::string octets;
    if (text::to_latin1(regex, octets)) {
      auto re = std::make_unique<RE2>(octets, re_options(true));
      if (re->ok()) cc.re_octets = std::move(re);
    }
  }

  void like(const Comparison& c, detail::CompiledComparison& cc) {
    std::string p;
    text::to_nfc(c.values[0].bytes, p);
    if (p.find('_') == std::string::npos) {
      // '%' only at the ends: exact, prefix, suffix or substring match, no regular expression.
      size_t b = 0, e = p.size();
      while (b < e && p[b] == '%') ++b;
      while (e > b && p[e - 1] == '%') --e;
      const std::string_view mid(p.data() + b, e - b);
      if (mid.find('%') == std::string_view::npos) {
        using Kind = detail::LikePlan::Kind;
        cc.like.literal.assign(mid);
        if (b == 0 && e == p.size()) {
          cc.like.kind = Kind::kExact;
        } else if (mid.empty()) {
          cc.like.kind = Kind::kAnything;
        } else if (b > 0 && e < p.size()) {
          cc.like.kind = Kind::kContains;
        } else {
          cc.like.kind = b > 0 ? Kind::kSuffix : Kind::kPrefix;
        }
        return;
      }
    }
    if (!count_regex(c.values[0].offset)) return;
    std::string re;
    std::string literal;
    const auto flush = [&] {
      if (!literal.empty()) re += RE2::QuoteMeta(literal);
      literal.clear();
    };
    for (char ch : p) {
      if (ch == '%') {
        flush();
        re += ".*";
      } else if (ch == '_') {
        flush();
        re += ".";
      } else {
        literal.push_back(ch);
      }
    }
    flush();
    cc.like.kind = detail::LikePlan::Kind::kRegex;
    cc.like.re = std::make_unique<RE2>(re, re_options(false));
    if (!cc.like.re->ok()) {
      fail(c.values[0].offset, "LIKE pattern cannot be compiled: " + regex_problem(*cc.like.re));
      cc.like.re.reset();
    }
  }

  // file:hashes.'SHA-256' = 'f00' can never match a real hash: say so (as the OASIS validator).
  void hashes(const Comparison& c) {
    if (c.op != Op::kEq && c.op != Op::kNe && c.op != Op::kIn) return;
    const auto& steps = c.path.steps;
    if (steps.size() < 2 || steps.back().kind != PathStep::Kind::kKey) return;
    const PathStep& parent = steps[steps.size() - 2];
    if (parent.kind != PathStep::Kind::kKey || parent.key != "hashes") return;
    const HashFormat* f = hash_format(steps.back().key);
    if (f == nullptr) return;
    for (const Constant& k : c.values) {
      if (k.kind != Constant::Kind::kString) continue;
      if (k.bytes.size() != f->hex_digits || !is_hex(k.bytes)) {
        fail(k.offset, "'" + text::excerpt(k.bytes) + "' is not a valid " + steps.back().key +
                           " hash: expected " + std::to_string(f->hex_digits) +
                           " hexadecimal digits");
      }
    }
  }

  // §9.5: comparisons joined by AND must all be satisfiable by one object, so they must share an
  // object type; the types an expression can match are the intersection (AND) or union (OR).
  std::vector<std::string_view> types(const CompNode& n) {
    if (n.kind == CompNode::Kind::kComparison) {
      return {out_.ast.comparisons[n.comparison].path.object_type};
    }
    std::vector<std::string_view> acc = types(n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      std::vector<std::string_view> next = types(n.children[i]);
      if (n.kind == CompNode::Kind::kOr) {
        for (std::string_view t : next) {
          if (std::find(acc.begin(), acc.end(), t) == acc.end()) acc.push_back(t);
        }
      } else {
        std::vector<std::string_view> both;
        for (std::string_view t : acc) {
          if (std::find(next.begin(), next.end(), t) != next.end()) both.push_back(t);
        }
        if (both.empty() && !acc.empty() && !next.empty()) {
          fail(n.offset, "comparisons joined by AND must start from the same object type ('" +
                             std::string(acc[0]) + "' and '" + std::string(next[0]) +
                             "' here): join comparisons of different types with OR");
          return {};
        }
        acc = std::move(both);
      }
    }
    return acc;
  }

  void observation_types(const ObsNode& n) {
    if (n.kind == ObsNode::Kind::kObservation) {
      types(n.comparison);
      return;
    }
    for (const ObsNode& c : n.children) observation_types(c);
  }

  std::string_view text_;
  const CompileOptions& options_;
  detail::Compiled& out_;
  std::vector<Error>& errors_;
  uint32_t regexes_ = 0;
};

void collect_leaves(const ObsNode& n, std::vector<const ObsNode*>& out) {
  if (n.kind == ObsNode::Kind::kObservation) {
    out[n.observation] = &n;
    return;
  }
  for (const ObsNode& c : n.children) collect_leaves(c, out);
}

// Compiles `text`, appending every problem to `errors`; returns null when there was one.
std::unique_ptr<detail::Compiled> build(std::string_view text, const CompileOptions& options,
                                        std::vector<Error>& errors) {
  if (text.size() > options.limits.max_pattern_bytes) {
    errors.push_back(Error::exhausted("the pattern is " + std::to_string(text.size()) +
                                          " bytes; the limit is " +
                                          std::to_string(options.limits.max_pattern_bytes),
                                      "column 1"));
    return nullptr;
  }
  if (const size_t bad = text::invalid_utf8_offset(text); bad != std::string_view::npos) {
    errors.push_back(error_at(text, bad, "the pattern is not valid UTF-8"));
    return nullptr;
  }
  auto ast = parse(text, options);
  if (!ast.ok()) {
    errors.push_back(std::move(ast).error());
    return nullptr;
  }
  auto out = std::make_unique<detail::Compiled>();
  out->text.assign(text);
  out->ast = std::move(ast).value();
  out->leaves.resize(out->ast.observation_count);
  collect_leaves(out->ast.root, out->leaves);
  const size_t before = errors.size();
  Checker(out->text, options, *out, errors).run();
  if (errors.size() != before) {
    std::stable_sort(errors.begin() + static_cast<ptrdiff_t>(before), errors.end(),
                     [&](const Error& a, const Error& b) {
                       // "column N" / "line L, column N": order by line, then column.
                       const auto key = [](const std::string& w) {
                         size_t line = 1, col = 0;
                         if (w.rfind("line ", 0) == 0) line = std::stoul(w.substr(5));
                         const size_t c = w.rfind("column ");
                         if (c != std::string::npos) col = std::stoul(w.substr(c + 7));
                         return std::pair(line, col);
                       };
                       return key(a.where) < key(b.where);
                     });
    return nullptr;
  }
  return out;
}

}  // namespace

Result<Pattern> Pattern::compile(std::string_view text, const CompileOptions& options) {
  std::vector<Error> errors;
  auto compiled = build(text, options, errors);
  if (!compiled) return std::move(errors.front());
  return Pattern(std::move(compiled));
}

std::vector<Error> Pattern::validate(std::string_view text, const CompileOptions& options) {
  std::vector<Error> errors;
  build(text, options, errors);
  return errors;
}

Pattern::Pattern(std::unique_ptr<detail::Compiled> impl) : impl_(std::move(impl)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

const Ast& Pattern::ast() const { return impl_->ast; }
const std::string& Pattern::text() const { return impl_->text; }
StixVersion Pattern::version() const { return impl_->ast.version; }
uint32_t Pattern::observation_expressions() const { return impl_->ast.observation_count; }

}  // namespace sw::pattern
