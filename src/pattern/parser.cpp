#include "pattern/parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "pattern/lexer.h"
#include "pattern/text.h"

namespace sw::pattern {
namespace {

using core::Error;
using core::Result;
using core::Status;

// STIX 2.1 §2.8: integers are within ±(2^53 - 1). STIX 2.0 allows 64-bit integers.
constexpr int64_t kMaxInteger21 = (int64_t{1} << 53) - 1;

class Parser {
 public:
  Parser(std::string_view text, const CompileOptions& options)
      : text_(text), options_(options), lexer_(text, options.version) {}

  Result<Ast> run() {
    ast_.version = options_.version;
    SW_TRY(advance());
    if (tok_.kind != Tok::kLBrack && tok_.kind != Tok::kLParen) {
      return expected("'[' to start an observation expression (e.g. [file:name = 'x'])");
    }
    SW_ASSIGN(ast_.root, followed_by());
    if (tok_.kind != Tok::kEnd) {
      return expected("AND, OR, FOLLOWEDBY, WITHIN, REPEATS, START or the end of the pattern");
    }
    ast_.observation_count = observations_;
    return std::move(ast_);
  }

 private:
  Status advance() {
    SW_ASSIGN(tok_, lexer_.next());
    return core::ok_status();
  }

  Error expected(const std::string& what) const {
    return error_at(text_, tok_.offset, "expected " + what + " but found " + describe(text_, tok_));
  }

  Status enter(size_t offset) {
    if (++depth_ > options_.limits.max_depth) {
      return error_at(text_, offset,
                      "nesting is deeper than the limit of " +
                          std::to_string(options_.limits.max_depth) + " levels of '(' and '['");
    }
    return core::ok_status();
  }

  // ---- observation level -------------------------------------------------------------------

  // Builds an n-ary node of `kind` from one or more operands.
  template <class ParseOne>
  Result<ObsNode> obs_chain(Tok op_tok, ObsNode::Kind kind, ParseOne parse_one) {
    SW_ASSIGN(ObsNode first, parse_one());
    if (tok_.kind != op_tok) return first;
    ObsNode node;
    node.kind = kind;
    node.offset = tok_.offset;
    node.children.push_back(std::move(first));
    while (tok_.kind == op_tok) {
      SW_TRY(advance());
      SW_ASSIGN(ObsNode next, parse_one());
      node.children.push_back(std::move(next));
    }
    return node;
  }

  Result<ObsNode> followed_by() {
    return obs_chain(Tok::kFollowedBy, ObsNode::Kind::kFollowedBy, [this] { return obs_or(); });
  }
  Result<ObsNode> obs_or() {
    return obs_chain(Tok::kOr, ObsNode::Kind::kOr, [this] { return obs_and(); });
  }
  Result<ObsNode> obs_and() {
    return obs_chain(Tok::kAnd, ObsNode::Kind::kAnd, [this] { return qualified(); });
  }

  // primary qualifier*, a qualifier kind at most once per chain (§9.5.1).
  Result<ObsNode> qualified() {
    SW_ASSIGN(ObsNode node, obs_primary());
    bool seen_within = false, seen_repeats = false, seen_startstop = false;
    for (;;) {
      ObsNode q;
      q.offset = tok_.offset;
      bool* seen;
      const char* name;
      if (tok_.kind == Tok::kWithin) {
        q.kind = ObsNode::Kind::kWithin, seen = &seen_within, name = "WITHIN";
      } else if (tok_.kind == Tok::kRepeats) {
        q.kind = ObsNode::Kind::kRepeats, seen = &seen_repeats, name = "REPEATS";
      } else if (tok_.kind == Tok::kStart) {
        q.kind = ObsNode::Kind::kStartStop, seen = &seen_startstop, name = "START/STOP";
      } else {
        return node;
      }
      if (*seen) {
        return error_at(text_, tok_.offset,
                        std::string("duplicate ") + name +
                            " qualifier: an observation expression may have one qualifier of each "
                            "kind (put the expression in parentheses to qualify it again)");
      }
      *seen = true;
      SW_TRY(advance());
      switch (q.kind) {
        case ObsNode::Kind::kWithin:
          SW_TRY(within(q));
          break;
        case ObsNode::Kind::kRepeats:
          SW_TRY(repeats(q));
          break;
        default:
          SW_TRY(start_stop(q));
          break;
      }
      q.children.push_back(std::move(node));
      node = std::move(q);
    }
  }

  Status within(ObsNode& q) {
    if (tok_.kind != Tok::kInt && tok_.kind != Tok::kFloat) {
      return expected("a positive number of seconds after WITHIN");
    }
    const std::string& t = tok_.value;
    if (t[0] == '-') {
      return error_at(text_, tok_.offset, "WITHIN needs a positive number of seconds, not " + t);
    }
    // Exact nanoseconds from the decimal text; saturate far beyond any real window.
    size_t i = t[0] == '+' ? 1 : 0;
    int64_t seconds = 0;
    bool saturated = false;
    for (; i < t.size() && t[i] != '.'; ++i) {
      if (seconds > 9'000'000'000) {
        saturated = true;
      } else {
        seconds = seconds * 10 + (t[i] - '0');
      }
    }
    int64_t nanos = 0;
    int digits = 0;
    if (i < t.size()) {
      for (++i; i < t.size(); ++i) {
        if (digits < 9) {
          nanos = nanos * 10 + (t[i] - '0');
          ++digits;
        } else if (t[i] != '0' && nanos == 0 && seconds == 0) {
          nanos = 1;  // a window below one nanosecond is still positive
        }
      }
    }
    for (; digits < 9; ++digits) nanos *= 10;
    if (seconds == 0 && nanos == 0 && !saturated) {
      return error_at(text_, tok_.offset, "WITHIN needs a positive number of seconds, not " + t);
    }
    q.within_nanos = saturated || seconds > 9'000'000'000 ? std::numeric_limits<int64_t>::max()
                                                          : seconds * 1'000'000'000 + nanos;
    q.within_text = t[0] == '+' ? t.substr(1) : t;
    SW_TRY(advance());
    if (tok_.kind != Tok::kSeconds) {
      return expected("SECONDS after the WITHIN value (seconds are the only unit)");
    }
    return advance();
  }

  Status repeats(ObsNode& q) {
    if (tok_.kind != Tok::kInt) return expected("a positive integer after REPEATS");
    const std::string& t = tok_.value;
    if (t[0] == '-' || t == "0" || t == "+0") {
      return error_at(text_, tok_.offset, "REPEATS needs a positive integer, not " + t);
    }
    uint64_t n = 0;
    for (size_t i = t[0] == '+' ? 1 : 0; i < t.size(); ++i) {
      n = n * 10 + static_cast<uint64_t>(t[i] - '0');
      if (n > options_.limits.max_repeats) {
        return error_at(text_, tok_.offset,
                        "REPEATS " + t + " TIMES is above the limit of " +
                            std::to_string(options_.limits.max_repeats));
      }
    }
    q.repeats = n;
    SW_TRY(advance());
    if (tok_.kind != Tok::kTimes) return expected("TIMES after the REPEATS count");
    return advance();
  }

  // START x STOP y: t'…' constants in STIX 2.1, plain strings '…' in STIX 2.0.
  Result<core::Timestamp> bound(const char* keyword, std::string& text_out) {
    const bool v21 = options_.version == StixVersion::k21;
    if (v21 && tok_.kind == Tok::kString) {
      return error_at(text_, tok_.offset,
                      std::string("in STIX 2.1 ") + keyword +
                          " takes a timestamp constant t'…'; a plain string is STIX 2.0 syntax");
    }
    if (!v21 && tok_.kind == Tok::kTimestamp) {
      return error_at(text_, tok_.offset,
                      std::string("in STIX 2.0 ") + keyword +
                          " takes a string such as '2016-06-01T00:00:00Z', not a t'…' constant");
    }
    if (tok_.kind != (v21 ? Tok::kTimestamp : Tok::kString)) {
      return expected(v21 ? std::string("a timestamp t'…' after ") + keyword
                          : std::string("a timestamp string '…' after ") + keyword);
    }
    auto ts = core::parse_timestamp(tok_.value);
    if (!ts.ok()) return error_at(text_, tok_.offset, ts.error().message);
    text_out.assign(text_.substr(tok_.offset, tok_.length));
    SW_TRY(advance());
    return *ts;
  }

  Status start_stop(ObsNode& q) {
    SW_ASSIGN(q.start, bound("START", q.start_text));
    if (tok_.kind != Tok::kStop) return expected("STOP after the START timestamp");
    SW_TRY(advance());
    SW_ASSIGN(q.stop, bound("STOP", q.stop_text));
    return core::ok_status();
  }

  Result<ObsNode> obs_primary() {
    if (tok_.kind == Tok::kLBrack) {
      SW_TRY(enter(tok_.offset));
      ObsNode node;
      node.kind = ObsNode::Kind::kObservation;
      node.offset = tok_.offset;
      node.observation = observations_++;
      current_observation_ = node.observation;
      SW_TRY(advance());
      SW_ASSIGN(node.comparison, comp_or());
      if (tok_.kind != Tok::kRBrack) return expected("AND, OR or ']'");
      SW_TRY(advance());
      --depth_;
      return node;
    }
    if (tok_.kind == Tok::kLParen) {
      SW_TRY(enter(tok_.offset));
      SW_TRY(advance());
      if (tok_.kind != Tok::kLBrack && tok_.kind != Tok::kLParen) {
        return expected("'[' or '(' to start an observation expression");
      }
      SW_ASSIGN(ObsNode inner, followed_by());
      if (tok_.kind != Tok::kRParen) {
        return expected("AND, OR, FOLLOWEDBY, WITHIN, REPEATS, START or ')'");
      }
      SW_TRY(advance());
      --depth_;
      return inner;
    }
    return expected("'[' or '(' to start an observation expression");
  }

  // ---- comparison level --------------------------------------------------------------------

  template <class ParseOne>
  Result<CompNode> comp_chain(Tok op_tok, CompNode::Kind kind, ParseOne parse_one) {
    SW_ASSIGN(CompNode first, parse_one());
    if (tok_.kind != op_tok) return first;
    CompNode node;
    node.kind = kind;
    node.offset = tok_.offset;
    node.children.push_back(std::move(first));
    while (tok_.kind == op_tok) {
      SW_TRY(advance());
      SW_ASSIGN(CompNode next, parse_one());
      node.children.push_back(std::move(next));
    }
    return node;
  }

  Result<CompNode> comp_or() {
    return comp_chain(Tok::kOr, CompNode::Kind::kOr, [this] { return comp_and(); });
  }
  Result<CompNode> comp_and() {
    return comp_chain(Tok::kAnd, CompNode::Kind::kAnd, [this] { return comp_primary(); });
  }

  Result<CompNode> comp_primary() {
    if (tok_.kind == Tok::kLParen) {
      SW_TRY(enter(tok_.offset));
      SW_TRY(advance());
      SW_ASSIGN(CompNode inner, comp_or());
      if (tok_.kind != Tok::kRParen) return expected("AND, OR or ')'");
      SW_TRY(advance());
      --depth_;
      return inner;
    }
    Comparison c;
    c.observation = current_observation_;
    if (tok_.kind == Tok::kNot || tok_.kind == Tok::kExists) {
      // [NOT] EXISTS path (STIX 2.1).
      c.offset = tok_.offset;
      if (tok_.kind == Tok::kNot) {
        c.negated = true;
        SW_TRY(advance());
        if (tok_.kind != Tok::kExists) {
          return expected(
              options_.version == StixVersion::k21
                  ? "EXISTS (NOT goes between the object path and the operator)"
                  : "an object path (NOT goes between the object path and the operator)");
        }
      }
      c.op = Op::kExists;
      SW_TRY(advance());
      SW_ASSIGN(c.path, path());
      return leaf(std::move(c));
    }
    if (tok_.kind == Tok::kIdent && tok_.value == "EXISTS" &&
        options_.version == StixVersion::k20) {
      return error_at(text_, tok_.offset,
                      "EXISTS is STIX 2.1 patterning; it is not part of STIX 2.0");
    }
    if (tok_.kind != Tok::kIdent) {
      return expected(options_.version == StixVersion::k21
                          ? "an object path (type:property), EXISTS or '('"
                          : "an object path (type:property) or '('");
    }
    SW_ASSIGN(c.path, path());
    if (tok_.kind == Tok::kNot) {
      c.negated = true;
      c.offset = tok_.offset;
      SW_TRY(advance());
    } else {
      c.offset = tok_.offset;
    }
    switch (tok_.kind) {
      case Tok::kEq:
        c.op = Op::kEq;
        break;
      case Tok::kNe:
        c.op = Op::kNe;
        break;
      case Tok::kLt:
        c.op = Op::kLt;
        break;
      case Tok::kLe:
        c.op = Op::kLe;
        break;
      case Tok::kGt:
        c.op = Op::kGt;
        break;
      case Tok::kGe:
        c.op = Op::kGe;
        break;
      case Tok::kIn:
        c.op = Op::kIn;
        break;
      case Tok::kLike:
        c.op = Op::kLike;
        break;
      case Tok::kMatches:
        c.op = Op::kMatches;
        break;
      case Tok::kIsSubset:
        c.op = Op::kIsSubset;
        break;
      case Tok::kIsSuperset:
        c.op = Op::kIsSuperset;
        break;
      default:
        return expected(
            std::string(c.negated ? "a comparison operator after NOT" : "a comparison operator") +
            " (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
    }
    const char* op = op_name(c.op);
    SW_TRY(advance());
    switch (c.op) {
      case Op::kIn: {
        if (tok_.kind != Tok::kLParen) return expected("'(' and a list of constants after IN");
        SW_TRY(advance());
        if (tok_.kind == Tok::kRParen) {
          SW_TRY(advance());
          break;  // an empty set: nothing is in it
        }
        for (;;) {
          SW_ASSIGN(Constant k, constant("IN"));
          c.values.push_back(std::move(k));
          if (tok_.kind == Tok::kRParen) break;
          if (tok_.kind != Tok::kComma) return expected("',' or ')' in the IN list");
          SW_TRY(advance());
        }
        SW_TRY(advance());
        break;
      }
      case Op::kLike:
      case Op::kMatches:
      case Op::kIsSubset:
      case Op::kIsSuperset: {
        if (tok_.kind != Tok::kString) {
          return expected(std::string("a string constant '…' after ") + op);
        }
        SW_ASSIGN(Constant k, constant(op));
        c.values.push_back(std::move(k));
        break;
      }
      default: {
        SW_ASSIGN(Constant k, constant(op));
        if (k.kind == Constant::Kind::kBool && c.op != Op::kEq && c.op != Op::kNe) {
          return error_at(
              text_, k.offset,
              std::string("'") + op + "' cannot order booleans; use = or != with true/false");
        }
        c.values.push_back(std::move(k));
        break;
      }
    }
    return leaf(std::move(c));
  }

  CompNode leaf(Comparison&& c) {
    CompNode n;
    n.kind = CompNode::Kind::kComparison;
    n.offset = c.offset;
    n.comparison = static_cast<uint32_t>(ast_.comparisons.size());
    ast_.comparisons.push_back(std::move(c));
    return n;
  }

  Result<ObjectPath> path() {
    ObjectPath p;
    p.offset = tok_.offset;
    const auto check_length = [&]() -> core::Status {
      if (p.steps.size() > options_.limits.max_path_steps) {
        return error_at(text_, tok_.offset,
                        "the object path has more than " +
                            std::to_string(options_.limits.max_path_steps) + " steps");
      }
      return core::ok_status();
    };
    if (tok_.kind != Tok::kIdent) return expected("an object type (e.g. file, ipv4-addr)");
    p.object_type = tok_.value;
    SW_TRY(advance());
    if (tok_.kind != Tok::kColon) {
      return expected("':' between the object type and the property (" + p.object_type + ":…)");
    }
    SW_TRY(advance());
    SW_ASSIGN(std::string first, key("a property name after ':'"));
    p.steps.push_back(PathStep{PathStep::Kind::kKey, std::move(first), 0});
    for (;;) {
      if (tok_.kind == Tok::kDot) {
        SW_TRY(advance());
        SW_ASSIGN(std::string k, key("a property name or quoted key after '.'"));
        p.steps.push_back(PathStep{PathStep::Kind::kKey, std::move(k), 0});
      } else if (tok_.kind == Tok::kLBrack) {
        SW_TRY(advance());
        PathStep s;
        if (tok_.kind == Tok::kStar) {
          s.kind = PathStep::Kind::kAnyIndex;
        } else if (tok_.kind == Tok::kInt) {
          s.kind = PathStep::Kind::kIndex;
          SW_ASSIGN(s.index, integer(tok_, std::numeric_limits<int64_t>::max()));
        } else {
          return expected("a list index (an integer or *)");
        }
        SW_TRY(advance());
        if (tok_.kind != Tok::kRBrack) return expected("']' after the list index");
        SW_TRY(advance());
        p.steps.push_back(std::move(s));
      } else {
        return p;
      }
      SW_TRY(check_length());
    }
  }

  Result<std::string> key(const char* what) {
    if (tok_.kind == Tok::kString) {
      std::string k = std::move(tok_.value);
      SW_TRY(advance());
      return k;
    }
    if (tok_.kind != Tok::kIdent) return expected(what);
    if (tok_.hyphen) {
      return error_at(
          text_, tok_.offset,
          "property name '" + tok_.value + "' contains '-': quote it ('" + tok_.value + "')");
    }
    std::string k = std::move(tok_.value);
    SW_TRY(advance());
    return k;
  }

  Result<int64_t> integer(const Token& t, int64_t max_abs) {
    const std::string& s = t.value;
    const bool negative = s[0] == '-';
    uint64_t v = 0;
    for (size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0; i < s.size(); ++i) {
      const auto d = static_cast<uint64_t>(s[i] - '0');
      if (v > (static_cast<uint64_t>(max_abs) - d) / 10) {
        return error_at(text_, t.offset,
                        "integer " + text::excerpt(s) + " is out of range (at most " +
                            std::to_string(max_abs) + " in absolute value)");
      }
      v = v * 10 + d;
    }
    return negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  }

  Result<Constant> constant(const char* after) {
    Constant k;
    k.offset = tok_.offset;
    k.text.assign(text_.substr(tok_.offset, tok_.length));
    switch (tok_.kind) {
      case Tok::kTrue:
      case Tok::kFalse:
        k.kind = Constant::Kind::kBool;
        k.boolean = tok_.kind == Tok::kTrue;
        break;
      case Tok::kInt: {
        k.kind = Constant::Kind::kInt;
        const int64_t max = options_.version == StixVersion::k21
                                ? kMaxInteger21
                                : std::numeric_limits<int64_t>::max();
        SW_ASSIGN(k.integer, integer(tok_, max));
        break;
      }
      case Tok::kFloat: {
        k.kind = Constant::Kind::kFloat;
        errno = 0;
        k.real = std::strtod(tok_.value.c_str(), nullptr);
        if (!std::isfinite(k.real)) {
          return error_at(text_, tok_.offset,
                          "float " + text::excerpt(tok_.value) + " is out of range");
        }
        break;
      }
      case Tok::kString:
        k.kind = Constant::Kind::kString;
        k.bytes = std::move(tok_.value);
        break;
      case Tok::kHex:
        k.kind = Constant::Kind::kHex;
        k.bytes = std::move(tok_.value);
        break;
      case Tok::kBinary:
        k.kind = Constant::Kind::kBinary;
        k.bytes = std::move(tok_.value);
        break;
      case Tok::kTimestamp: {
        k.kind = Constant::Kind::kTimestamp;
        auto ts = core::parse_timestamp(tok_.value);
        if (!ts.ok()) return error_at(text_, tok_.offset, ts.error().message);
        k.timestamp = *ts;
        break;
      }
      default:
        return expected(std::string("a constant after ") + after +
                        " (a string '…', a number, true, false, h'…', b'…' or t'…')");
    }
    SW_TRY(advance());
    return k;
  }

  std::string_view text_;
  const CompileOptions& options_;
  Lexer lexer_;
  Token tok_;
  Ast ast_;
  uint32_t depth_ = 0;
  uint32_t observations_ = 0;
  uint32_t current_observation_ = 0;
};

}  // namespace

Result<Ast> parse(std::string_view text, const CompileOptions& options) {
  Parser p(text, options);
  return p.run();
}

}  // namespace sw::pattern
