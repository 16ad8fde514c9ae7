#include "pattern/matcher.h"

#include <algorithm>
#include <limits>

#include "pattern/compiled.h"
#include "pattern/evaluate.h"

namespace sw::pattern {

using core::Error;
using core::Result;
using core::Timestamp;

namespace detail {

// A time condition that every observation bound inside some part of the pattern must meet.
struct Constraint {
  enum class Kind : uint8_t { kWindow, kAfter, kWithin };
  Kind kind = Kind::kWindow;
  Timestamp a, b;     // kWindow: [a, b). kAfter: last_observed >= a. kWithin: max first, min last.
  int64_t nanos = 0;  // kWithin: the window
  bool any = false;   // kWithin: a and b hold values
};

struct Entry {
  uint32_t expression;
  uint32_t observation;
  uint64_t count;
  size_t undo_begin;
};

struct MatchScratch {
  std::vector<uint64_t> used;
  std::vector<std::vector<uint32_t>> candidates;
  std::vector<uint8_t> ready;
  std::vector<Entry> stack;
  std::vector<Constraint> active;
  std::vector<std::pair<size_t, Constraint>> undo;
};

}  // namespace detail

namespace {

using detail::Constraint;
using detail::Entry;

// A borrowed continuation: "go on with the rest of the pattern". Returns true to stop the search
// (a binding was found, or the search was aborted).
class Cont {
 public:
  template <class F>
  static Cont of(F& f) {
    return Cont(&f, [](void* p) { return (*static_cast<F*>(p))(); });
  }
  bool operator()() const { return fn_(obj_); }

 private:
  Cont(void* obj, bool (*fn)(void*)) : obj_(obj), fn_(fn) {}
  void* obj_;
  bool (*fn_)(void*);
};

// a - b in nanoseconds, saturated.
int64_t diff_nanos(const Timestamp& a, const Timestamp& b) {
  const int64_t s = a.seconds - b.seconds;
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (s > kLimit) return std::numeric_limits<int64_t>::max();
  if (s < -kLimit) return std::numeric_limits<int64_t>::min();
  return s * 1'000'000'000 + (static_cast<int64_t>(a.nanos) - static_cast<int64_t>(b.nanos));
}

}  // namespace

class Search {
 public:
  Search(const detail::Compiled& p, std::span<const Observation> obs, const MatchOptions& options,
         detail::MatchScratch& s)
      : p_(p), obs_(obs), options_(options), s_(s) {}

  Result<bool> run() {
    s_.used.assign(obs_.size(), 0);
    const size_t leaves = p_.ast.observation_count;
    if (s_.candidates.size() < leaves) s_.candidates.resize(leaves);
    for (size_t i = 0; i < leaves; ++i) s_.candidates[i].clear();
    s_.ready.assign(leaves, 0);
    s_.stack.clear();
    s_.active.clear();
    s_.undo.clear();
    auto done = [] { return true; };
    const bool found = possible(p_.ast.root) && gen(p_.ast.root, Cont::of(done));
    if (aborted_) return std::move(error_);
    return found;
  }

 private:
  bool abort(Error e) {
    if (!aborted_) error_ = std::move(e);
    aborted_ = true;
    return true;
  }

  bool step() {
    if (++steps_ <= options_.max_steps) return false;
    return abort(Error::exhausted("deciding this pattern on these observations needs more than " +
                                  std::to_string(options_.max_steps) +
                                  " search steps (the evaluation cost limit)"));
  }

  const std::vector<uint32_t>& candidates(uint32_t expression) {
    if (!s_.ready[expression]) {
      auto& c = s_.candidates[expression];
      const CompNode& tree = p_.leaves[expression]->comparison;
      for (size_t i = 0; i < obs_.size() && !aborted_; ++i) {
        detail::Budget budget;
        budget.remaining = options_.max_steps > steps_ ? options_.max_steps - steps_ : 0;
        const uint64_t before = budget.remaining;
        const bool holds = detail::holds(p_, tree, obs_[i], budget);
        steps_ += before - budget.remaining;
        if (budget.exhausted) {
          step();  // over the limit: records the error
          break;
        }
        if (holds) c.push_back(static_cast<uint32_t>(i));
      }
      s_.ready[expression] = 1;
    }
    return s_.candidates[expression];
  }

  uint64_t available(uint32_t i) const { return obs_[i].number_observed() - s_.used[i]; }

  // Static feasibility, ignoring time and shared capacity: prunes whole branches early.
  bool possible(const ObsNode& n) {
    switch (n.kind) {
      case ObsNode::Kind::kObservation:
        return !candidates(n.observation).empty();
      case ObsNode::Kind::kOr:
        return std::any_of(n.children.begin(), n.children.end(),
                           [&](const ObsNode& c) { return possible(c); });
      case ObsNode::Kind::kAnd:
      case ObsNode::Kind::kFollowedBy:
        return std::all_of(n.children.begin(), n.children.end(),
                           [&](const ObsNode& c) { return possible(c); });
      case ObsNode::Kind::kRepeats: {
        const ObsNode* leaf = leaf_under(n.children[0]);
        if (leaf == nullptr) return possible(n.children[0]);
        uint64_t total = 0;
        for (uint32_t i : candidates(leaf->observation)) {
          total += obs_[i].number_observed();
          if (total >= n.repeats) return true;
        }
        return false;
      }
      default:
        return possible(n.children[0]);
    }
  }

  // The observation expression under a chain of WITHIN / START-STOP qualifiers, if that is all.
  static const ObsNode* leaf_under(const ObsNode& n) {
    const ObsNode* c = &n;
    while (c->kind == ObsNode::Kind::kWithin || c->kind == ObsNode::Kind::kStartStop)
      c = &c->children[0];
    return c->kind == ObsNode::Kind::kObservation ? c : nullptr;
  }

  // Binds `count` observations of observed-data i to `expression` if every active constraint
  // allows it.
  bool push(uint32_t expression, uint32_t i, uint64_t count) {
    if (s_.stack.size() >= options_.max_binding_entries) {
      abort(Error::exhausted("a binding would need more than " +
                             std::to_string(options_.max_binding_entries) +
                             " observed-data entries (the binding size limit)"));
      return false;
    }
    const Observation& o = obs_[i];
    for (const Constraint& c : s_.active) {
      switch (c.kind) {
        case Constraint::Kind::kWindow:
          if (!(o.first_observed() < c.b && o.last_observed() >= c.a)) return false;
          break;
        case Constraint::Kind::kAfter:
          if (o.last_observed() < c.a) return false;
          break;
        case Constraint::Kind::kWithin: {
          const Timestamp max_first =
              c.any ? std::max(c.a, o.first_observed()) : o.first_observed();
          const Timestamp min_last = c.any ? std::min(c.b, o.last_observed()) : o.last_observed();
          if (c.nanos != std::numeric_limits<int64_t>::max() &&  // saturated: no bound
              diff_nanos(max_first, min_last) >= c.nanos) {
            return false;
          }
          break;
        }
      }
    }
    const size_t undo_begin = s_.undo.size();
    for (size_t k = 0; k < s_.active.size(); ++k) {
      Constraint& c = s_.active[k];
      if (c.kind != Constraint::Kind::kWithin) continue;
      s_.undo.emplace_back(k, c);
      c.a = c.any ? std::max(c.a, o.first_observed()) : o.first_observed();
      c.b = c.any ? std::min(c.b, o.last_observed()) : o.last_observed();
      c.any = true;
    }
    s_.stack.push_back(Entry{expression, i, count, undo_begin});
    s_.used[i] += count;
    return true;
  }

  void pop() {
    const Entry e = s_.stack.back();
    s_.stack.pop_back();
    s_.used[e.observation] -= e.count;
    while (s_.undo.size() > e.undo_begin) {
      s_.active[s_.undo.back().first] = s_.undo.back().second;
      s_.undo.pop_back();
    }
  }

  // Generates the bindings of `child` with `c` in force for its observations, and calls k on
  // each (with `c` lifted: the rest of the pattern is not bound by it).
  bool constrained(const Constraint& c, const ObsNode& child, Cont k) {
    s_.active.push_back(c);
    auto next = [&] {
      const Constraint mine = s_.active.back();
      s_.active.pop_back();
      const bool r = k();
      s_.active.push_back(mine);
      return r;
    };
    const bool r = gen(child, Cont::of(next));
    s_.active.pop_back();
    return r;
  }

  bool gen(const ObsNode& n, Cont k) {
    if (step()) return true;
    switch (n.kind) {
      case ObsNode::Kind::kObservation:
        return leaf(n.observation, k);
      case ObsNode::Kind::kAnd:
        return all(n, 0, k);
      case ObsNode::Kind::kOr:
        for (const ObsNode& c : n.children) {
          if (!possible(c)) continue;
          if (gen(c, k)) return true;
        }
        return false;
      case ObsNode::Kind::kFollowedBy:
        return followed(n, 0, s_.stack.size(), k);
      case ObsNode::Kind::kWithin: {
        Constraint c;
        c.kind = Constraint::Kind::kWithin;
        c.nanos = n.within_nanos;
        return constrained(c, n.children[0], k);
      }
      case ObsNode::Kind::kStartStop: {
        Constraint c;
        c.kind = Constraint::Kind::kWindow;
        c.a = n.start;
        c.b = n.stop;
        return constrained(c, n.children[0], k);
      }
      case ObsNode::Kind::kRepeats:
        return repeats(n, k);
    }
    return false;
  }

  bool leaf(uint32_t expression, Cont k) {
    const auto& cands = candidates(expression);
    for (uint32_t i : cands) {
      if (step()) return true;
      if (available(i) == 0) continue;
      if (!push(expression, i, 1)) {
        if (aborted_) return true;
        continue;
      }
      if (k()) return true;
      pop();
    }
    return false;
  }

  bool all(const ObsNode& n, size_t idx, Cont k) {
    if (idx == n.children.size()) return k();
    if (idx == 0 && !possible(n)) return false;
    auto next = [&] { return all(n, idx + 1, k); };
    return gen(n.children[idx], Cont::of(next));
  }

  bool followed(const ObsNode& n, size_t idx, size_t begin, Cont k) {
    if (idx == n.children.size()) return k();
    auto next = [&] { return followed(n, idx + 1, begin, k); };
    if (idx == 0) {
      if (!possible(n)) return false;
      return gen(n.children[0], Cont::of(next));
    }
    Constraint c;
    c.kind = Constraint::Kind::kAfter;
    c.a = obs_[s_.stack[begin].observation].first_observed();
    for (size_t e = begin; e < s_.stack.size(); ++e) {
      c.a = std::max(c.a, obs_[s_.stack[e].observation].first_observed());
    }
    return constrained(c, n.children[idx], Cont::of(next));
  }

  bool repeats(const ObsNode& n, Cont k) {
    const ObsNode& child = n.children[0];
    if (const ObsNode* target = leaf_under(child)) {
      // REPEATS of one observation expression: bind counts per observed-data, not one
      // observation at a time (n may be large). WITHIN on a single observation always holds;
      // START/STOP windows apply to each.
      size_t windows = 0;
      for (const ObsNode* c = &child; c != target; c = &c->children[0]) {
        if (c->kind != ObsNode::Kind::kStartStop) continue;
        Constraint w;
        w.kind = Constraint::Kind::kWindow;
        w.a = c->start;
        w.b = c->stop;
        s_.active.push_back(w);
        ++windows;
      }
      auto next = [&] {
        if (windows == 0) return k();
        std::vector<Constraint>& a = s_.active;
        const std::vector<Constraint> saved(a.end() - static_cast<ptrdiff_t>(windows), a.end());
        a.resize(a.size() - windows);
        const bool r = k();
        a.insert(a.end(), saved.begin(), saved.end());
        return r;
      };
      const bool r = counted(target->observation, 0, n.repeats, Cont::of(next));
      s_.active.resize(s_.active.size() - windows);
      return r;
    }
    return repeat(child, n.repeats, 0, 0, 0, k);
  }

  // Binds `remaining` observations to `expression` from candidates [pos, …), as many as
  // possible from the earliest first.
  bool counted(uint32_t expression, size_t pos, uint64_t remaining, Cont k) {
    if (remaining == 0) return k();
    const auto& cands = candidates(expression);
    for (size_t j = pos; j < cands.size(); ++j) {
      if (step()) return true;
      const uint32_t i = cands[j];
      const uint64_t avail = available(i);
      if (avail == 0) continue;
      // How many must come from here: what later candidates cannot supply.
      uint64_t later = 0;
      for (size_t m = j + 1; m < cands.size() && later < remaining; ++m) {
        if (step()) return true;
        later += available(cands[m]);
      }
      if (avail + later < remaining) return false;
      const uint64_t most = std::min(avail, remaining);
      const uint64_t least = remaining > later ? remaining - later : 1;
      for (uint64_t t = most; t >= least; --t) {
        if (step()) return true;
        if (!push(expression, i, t)) {
          if (aborted_) return true;
          break;  // the constraints do not depend on t
        }
        if (counted(expression, j + 1, remaining - t, k)) return true;
        pop();
      }
    }
    return false;
  }

  // Entries [b1, e1) before [b2, e2) in lexicographic order.
  bool less(size_t b1, size_t e1, size_t b2, size_t e2) const {
    for (; b1 < e1 && b2 < e2; ++b1, ++b2) {
      const Entry& x = s_.stack[b1];
      const Entry& y = s_.stack[b2];
      if (x.expression != y.expression) return x.expression < y.expression;
      if (x.observation != y.observation) return x.observation < y.observation;
      if (x.count != y.count) return x.count < y.count;
    }
    return b1 == e1 && b2 != e2;
  }

  // The general REPEATS: n bindings of `child` on different observations. The repetitions are
  // interchangeable, so each is required to sort after the previous (no permutations).
  bool repeat(const ObsNode& child, uint64_t n, uint64_t rep, size_t prev_begin, size_t prev_end,
              Cont k) {
    if (rep == n) return k();
    if (rep == 0 && !possible(child)) return false;
    const size_t begin = s_.stack.size();
    auto next = [&] {
      const size_t end = s_.stack.size();
      if (rep > 0 && less(begin, end, prev_begin, prev_end)) return false;
      return repeat(child, n, rep + 1, begin, end, k);
    };
    return gen(child, Cont::of(next));
  }

  const detail::Compiled& p_;
  std::span<const Observation> obs_;
  const MatchOptions& options_;
  detail::MatchScratch& s_;
  uint64_t steps_ = 0;
  bool aborted_ = false;
  Error error_;
};

Matcher::Matcher(MatchOptions options)
    : options_(options), scratch_(std::make_unique<detail::MatchScratch>()) {}
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

Result<bool> Matcher::match(const Pattern& pattern, std::span<const Observation> observations) {
  binding_.clear();
  Search search(pattern.compiled(), observations, options_, *scratch_);
  auto r = search.run();
  if (r.ok() && *r) {
    for (const Entry& e : scratch_->stack) {
      binding_.push_back(BindingEntry{e.expression, e.observation, e.count});
    }
  }
  return r;
}

bool Matcher::holds(const Pattern& pattern, uint32_t expression, const Observation& observation) {
  const auto& leaves = pattern.compiled().leaves;
  if (expression >= leaves.size()) return false;
  detail::Budget budget;
  budget.remaining = MatchOptions{}.max_steps;
  return detail::holds(pattern.compiled(), leaves[expression]->comparison, observation, budget);
}

std::vector<uint32_t> Matcher::bound_observations() const {
  std::vector<uint32_t> out;
  for (const BindingEntry& e : binding_) {
    if (std::find(out.begin(), out.end(), e.observation) == out.end()) out.push_back(e.observation);
  }
  return out;
}

}  // namespace sw::pattern
