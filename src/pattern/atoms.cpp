#include "pattern/atoms.h"

#include <algorithm>

#include "core/json.h"

namespace sw::pattern {

std::vector<Atom> atoms(const Pattern& pattern) {
  std::vector<Atom> out;
  for (const Comparison& c : pattern.ast().comparisons) {
    Atom a;
    a.expression = c.observation;
    a.object_type = c.path.object_type;
    a.path = c.path.steps;
    a.op = c.op;
    a.negated = c.negated;
    a.values = c.values;
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

bool only_or(const CompNode& n) {
  if (n.kind == CompNode::Kind::kComparison) return true;
  if (n.kind == CompNode::Kind::kAnd) return false;
  return std::all_of(n.children.begin(), n.children.end(), only_or);
}

}  // namespace

AtomDecision atom_decision(const Pattern& pattern) {
  const ObsNode* n = &pattern.ast().root;
  // Qualifiers that always hold for one observation: WITHIN, REPEATS 1 TIMES.
  while (n->kind == ObsNode::Kind::kWithin ||
         (n->kind == ObsNode::Kind::kRepeats && n->repeats == 1)) {
    n = &n->children[0];
  }
  if (n->kind != ObsNode::Kind::kObservation) return AtomDecision::kNeedsEvaluation;
  if (n->comparison.kind == CompNode::Kind::kComparison) return AtomDecision::kSingleAtom;
  return only_or(n->comparison) ? AtomDecision::kAnyAtom : AtomDecision::kNeedsEvaluation;
}

bool decided_by_single_atom(const Pattern& pattern) {
  return atom_decision(pattern) != AtomDecision::kNeedsEvaluation;
}

namespace {

void collect(const ObsNode& n, std::vector<std::pair<uint32_t, std::string>>& quals,
             std::vector<std::pair<uint32_t, std::string>>& ops) {
  switch (n.kind) {
    case ObsNode::Kind::kObservation:
      return;
    case ObsNode::Kind::kAnd:
      ops.emplace_back(n.offset, "AND");
      break;
    case ObsNode::Kind::kOr:
      ops.emplace_back(n.offset, "OR");
      break;
    case ObsNode::Kind::kFollowedBy:
      ops.emplace_back(n.offset, "FOLLOWEDBY");
      break;
    case ObsNode::Kind::kWithin:
      quals.emplace_back(n.offset, "WITHIN " + n.within_text + " SECONDS");
      break;
    case ObsNode::Kind::kRepeats:
      quals.emplace_back(n.offset, "REPEATS " + std::to_string(n.repeats) + " TIMES");
      break;
    case ObsNode::Kind::kStartStop:
      quals.emplace_back(n.offset, "START " + n.start_text + " STOP " + n.stop_text);
      break;
  }
  for (const ObsNode& c : n.children) collect(c, quals, ops);
}

std::vector<std::string> in_text_order(std::vector<std::pair<uint32_t, std::string>> items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [offset, s] : items) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Inspection inspect(const Pattern& pattern) {
  Inspection out;
  std::vector<std::pair<uint32_t, std::string>> quals, ops;
  collect(pattern.ast().root, quals, ops);
  out.qualifiers = in_text_order(std::move(quals));
  out.observation_ops = in_text_order(std::move(ops));
  for (const Comparison& c : pattern.ast().comparisons) {
    InspectedComparison ic;
    ic.path = c.path.steps;
    ic.op = std::string(c.negated ? "NOT " : "") + op_name(c.op);
    if (c.op == Op::kIn) {
      std::string v = "(";
      for (size_t i = 0; i < c.values.size(); ++i) {
        if (i) v += ',';
        v += c.values[i].text;
      }
      ic.value = v + ")";
    } else if (c.op != Op::kExists) {
      ic.value = c.values[0].text;
    }
    auto it = std::find_if(out.comparisons.begin(), out.comparisons.end(),
                           [&](const auto& e) { return e.first == c.path.object_type; });
    if (it == out.comparisons.end()) {
      out.comparisons.emplace_back(c.path.object_type, std::vector<InspectedComparison>{});
      it = out.comparisons.end() - 1;
    }
    it->second.push_back(std::move(ic));
  }
  return out;
}

std::string to_json(const Inspection& inspection) {
  std::string out = "{\"qualifiers\":[";
  const auto strings = [&](const std::vector<std::string>& v) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out.push_back(',');
      core::append_json_string(out, v[i]);
    }
  };
  strings(inspection.qualifiers);
  out += "],\"observation_ops\":[";
  strings(inspection.observation_ops);
  out += "],\"comparisons\":{";
  for (size_t t = 0; t < inspection.comparisons.size(); ++t) {
    if (t) out.push_back(',');
    core::append_json_string(out, inspection.comparisons[t].first);
    out += ":[";
    const auto& list = inspection.comparisons[t].second;
    for (size_t i = 0; i < list.size(); ++i) {
      if (i) out.push_back(',');
      out += "[[";
      for (size_t k = 0; k < list[i].path.size(); ++k) {
        if (k) out.push_back(',');
        const PathStep& s = list[i].path[k];
        switch (s.kind) {
          case PathStep::Kind::kKey:
            core::append_json_string(out, s.key);
            break;
          case PathStep::Kind::kIndex:
            out += std::to_string(s.index);
            break;
          case PathStep::Kind::kAnyIndex:
            out += "\"*\"";
            break;
        }
      }
      out += "],";
      core::append_json_string(out, list[i].op);
      out.push_back(',');
      if (list[i].value) {
        core::append_json_string(out, *list[i].value);
      } else {
        out += "null";
      }
      out.push_back(']');
    }
    out.push_back(']');
  }
  out += "}}";
  return out;
}

}  // namespace sw::pattern
