#include "pattern/ast.h"

#include "pattern/lexer.h"

namespace sw::pattern {

const char* version_name(StixVersion v) { return v == StixVersion::k20 ? "2.0" : "2.1"; }

const char* kind_name(Constant::Kind k) {
  switch (k) {
    case Constant::Kind::kBool:
      return "boolean";
    case Constant::Kind::kInt:
      return "integer";
    case Constant::Kind::kFloat:
      return "float";
    case Constant::Kind::kString:
      return "string";
    case Constant::Kind::kBinary:
      return "binary";
    case Constant::Kind::kHex:
      return "hex";
    case Constant::Kind::kTimestamp:
      return "timestamp";
  }
  return "?";
}

const char* op_name(Op op) {
  switch (op) {
    case Op::kEq:
      return "=";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kIn:
      return "IN";
    case Op::kLike:
      return "LIKE";
    case Op::kMatches:
      return "MATCHES";
    case Op::kIsSubset:
      return "ISSUBSET";
    case Op::kIsSuperset:
      return "ISSUPERSET";
    case Op::kExists:
      return "EXISTS";
  }
  return "?";
}

namespace {

bool plain_key(std::string_view key) {
  if (key.empty()) return false;
  const auto alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!alpha(key[0])) return false;
  for (char c : key) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return !is_reserved_word(key);
}

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
}

void append_key(std::string& out, std::string_view key) {
  if (plain_key(key)) {
    out.append(key);
  } else {
    append_quoted(out, key);
  }
}

void append_path(std::string& out, const ObjectPath& path) {
  out += path.object_type;
  out.push_back(':');
  for (size_t i = 0; i < path.steps.size(); ++i) {
    const PathStep& s = path.steps[i];
    switch (s.kind) {
      case PathStep::Kind::kKey:
        if (i > 0) out.push_back('.');
        append_key(out, s.key);
        break;
      case PathStep::Kind::kIndex:
        out += '[' + std::to_string(s.index) + ']';
        break;
      case PathStep::Kind::kAnyIndex:
        out += "[*]";
        break;
    }
  }
}

void append_comparison(std::string& out, const Comparison& c) {
  if (c.op == Op::kExists) {
    out += c.negated ? "NOT EXISTS " : "EXISTS ";
    append_path(out, c.path);
    return;
  }
  append_path(out, c.path);
  out.push_back(' ');
  if (c.negated) out += "NOT ";
  out += op_name(c.op);
  out.push_back(' ');
  if (c.op == Op::kIn) {
    out.push_back('(');
    for (size_t i = 0; i < c.values.size(); ++i) {
      if (i) out += ", ";
      out += c.values[i].text;
    }
    out.push_back(')');
  } else {
    out += c.values.at(0).text;
  }
}

void append_comp(std::string& out, const Ast& ast, const CompNode& n) {
  if (n.kind == CompNode::Kind::kComparison) {
    append_comparison(out, ast.comparisons[n.comparison]);
    return;
  }
  const char* op = n.kind == CompNode::Kind::kAnd ? " AND " : " OR ";
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (i) out += op;
    const CompNode& c = n.children[i];
    const bool parens =
        c.kind == n.kind || (n.kind == CompNode::Kind::kAnd && c.kind == CompNode::Kind::kOr);
    if (parens) out.push_back('(');
    append_comp(out, ast, c);
    if (parens) out.push_back(')');
  }
}

int precedence(ObsNode::Kind k) {
  switch (k) {
    case ObsNode::Kind::kFollowedBy:
      return 0;
    case ObsNode::Kind::kOr:
      return 1;
    case ObsNode::Kind::kAnd:
      return 2;
    default:
      return 3;
  }
}

bool is_qualifier(ObsNode::Kind k) {
  return k == ObsNode::Kind::kWithin || k == ObsNode::Kind::kRepeats ||
         k == ObsNode::Kind::kStartStop;
}

void append_obs(std::string& out, const Ast& ast, const ObsNode& n);

void append_qualifier(std::string& out, const ObsNode& q) {
  switch (q.kind) {
    case ObsNode::Kind::kWithin:
      out += " WITHIN " + q.within_text + " SECONDS";
      break;
    case ObsNode::Kind::kRepeats:
      out += " REPEATS " + std::to_string(q.repeats) + " TIMES";
      break;
    case ObsNode::Kind::kStartStop:
      out += " START " + q.start_text + " STOP " + q.stop_text;
      break;
    default:
      break;
  }
}

// A chain of qualifiers on one operand; a kind may appear once per chain (§9.5.1), so a repeated
// kind starts a parenthesised operand.
void append_qualified(std::string& out, const Ast& ast, const ObsNode& n) {
  std::vector<const ObsNode*> chain;
  unsigned seen = 0;
  const ObsNode* operand = &n;
  while (is_qualifier(operand->kind)) {
    const unsigned bit = 1u << static_cast<unsigned>(operand->kind);
    if (seen & bit) break;
    seen |= bit;
    chain.push_back(operand);
    operand = &operand->children[0];
  }
  const bool parens = operand->kind != ObsNode::Kind::kObservation;
  if (parens) out.push_back('(');
  append_obs(out, ast, *operand);
  if (parens) out.push_back(')');
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) append_qualifier(out, **it);
}

void append_obs(std::string& out, const Ast& ast, const ObsNode& n) {
  switch (n.kind) {
    case ObsNode::Kind::kObservation:
      out.push_back('[');
      append_comp(out, ast, n.comparison);
      out.push_back(']');
      return;
    case ObsNode::Kind::kWithin:
    case ObsNode::Kind::kRepeats:
    case ObsNode::Kind::kStartStop:
      append_qualified(out, ast, n);
      return;
    case ObsNode::Kind::kAnd:
    case ObsNode::Kind::kOr:
    case ObsNode::Kind::kFollowedBy: {
      const char* op = n.kind == ObsNode::Kind::kAnd  ? " AND "
                       : n.kind == ObsNode::Kind::kOr ? " OR "
                                                      : " FOLLOWEDBY ";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += op;
        const ObsNode& c = n.children[i];
        const bool parens = precedence(c.kind) <= precedence(n.kind);
        if (parens) out.push_back('(');
        append_obs(out, ast, c);
        if (parens) out.push_back(')');
      }
      return;
    }
  }
}

}  // namespace

std::string to_string(const ObjectPath& path) {
  std::string out;
  append_path(out, path);
  return out;
}

std::string to_string(const Ast& ast) {
  std::string out;
  append_obs(out, ast, ast.root);
  return out;
}

}  // namespace sw::pattern
