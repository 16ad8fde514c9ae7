// Index::Reader::correlate: the objects that share an atom with a subject (an indexed object or a
// set of atoms), counted per object; keys filed by more than `cap` objects reported, not expanded.
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <bit>

#include "index/index.h"
#include "index/internal/state.h"

namespace sw::index {
namespace {

using internal::CompactKey;
using internal::Posting;
using internal::State;

class Correlator {
 public:
  Correlator(const State& s, const CorrelateOptions& options, int64_t self, Correlation& out)
      : s_(s), opt_(options), self_(self), out_(out) {}

  // Relates one atom of the subject.
  void atom(const CompactKey& k, uint8_t flags) {
    ++out_.atoms;
    atom_peers_.clear();
    switch (k.kind) {
      case Kind::kIpv4:
        ipv4(k);
        break;
      case Kind::kIpv6:
        ipv6(k);
        break;
      case Kind::kDomain:
        domain(k, flags);
        break;
      default: {
        if (const Posting* p = s_.find_posting(k)) posting(k, *p, false);
        break;
      }
    }
    std::sort(atom_peers_.begin(), atom_peers_.end());
    atom_peers_.erase(std::unique(atom_peers_.begin(), atom_peers_.end()), atom_peers_.end());
    for (uint32_t slot : atom_peers_) ++peers_[slot];
  }

  void finish() {
    out_.peers.reserve(peers_.size());
    for (const auto& [slot, shared] : peers_) {
      const internal::ObjectEntry& e = s_.objects[slot];
      Correlation::Peer peer;
      peer.object.id = s_.id_of(e);
      peer.object.type = s_.type_names[e.type];
      peer.object.modified = e.modified();
      peer.object.tlp = static_cast<stix::Tlp>(e.tlp);
      if (e.owner != 0) peer.object.owner = std::string(s_.owner_views[e.owner - 1]);
      peer.shared = shared;
      out_.peers.push_back(std::move(peer));
    }
    std::sort(out_.peers.begin(), out_.peers.end(), [](const auto& a, const auto& b) {
      return a.shared != b.shared ? a.shared > b.shared : a.object.id < b.object.id;
    });
  }

 private:
  // The items of one posting list, or an over-correlation report when it is too long.
  void posting(const CompactKey& k, const Posting& p, bool subdomains_only) {
    if (p.count() > opt_.cap) {
      over(k, p.count());
      return;
    }
    for (uint32_t item : s_.postings.items(p)) {
      if (subdomains_only && !(internal::item_flags(item) & kAtomSubdomains)) continue;
      const uint32_t slot = internal::item_slot(item);
      if (static_cast<int64_t>(slot) != self_) atom_peers_.push_back(slot);
    }
  }

  void over(const CompactKey& k, uint64_t count) {
    char buf[internal::kKeyTextMax];
    std::string key(internal::key_text(k, buf));
    std::string tag(1, static_cast<char>(k.kind));
    tag += key;
    if (!over_seen_.insert(std::move(tag)).second) return;
    out_.over_correlating.push_back({k.kind, std::move(key), count});
  }

  // Keys inside the subject's block (or under its domain), gathered first so that their total can
  // be capped as one.
  struct Inside {
    CompactKey key;
    const Posting* posting;
  };

  void expand_inside(const CompactKey& subject, const std::vector<Inside>& inside) {
    uint64_t total = 0;
    for (const Inside& i : inside) total += i.posting->count();
    if (total > opt_.cap) {
      over(subject, total);
      return;
    }
    for (const Inside& i : inside) posting(i.key, *i.posting, false);
  }

  void ipv4(const CompactKey& k) {
    uint64_t lengths = s_.v4.candidates(k.v4, k.prefix);
    while (lengths != 0) {
      const unsigned len = 63 - static_cast<unsigned>(std::countl_zero(lengths));
      lengths &= ~(uint64_t{1} << len);
      CompactKey block = k;
      block.prefix = static_cast<uint8_t>(len);
      block.v4 = k.v4 & internal::ipv4_mask(len);
      if (const Posting* p = s_.v4.by_len[len].find(block.v4)) posting(block, *p, false);
    }
    if (!opt_.contained || k.prefix == 32) return;
    std::vector<Inside> inside;
    const uint32_t mask = internal::ipv4_mask(k.prefix);
    for (unsigned len = k.prefix + 1u; len <= 32; ++len) {
      if (!((s_.v4.lengths >> len) & 1)) continue;
      const auto& m = s_.v4.by_len[len];
      const unsigned bits = len - k.prefix;
      CompactKey key = k;
      key.prefix = static_cast<uint8_t>(len);
      if (bits <= 20 && (uint64_t{1} << bits) <= m.size()) {
        for (uint64_t i = 0; i < (uint64_t{1} << bits); ++i) {
          key.v4 = k.v4 | static_cast<uint32_t>(i << (32 - len));
          if (const Posting* p = m.find(key.v4)) inside.push_back({key, p});
        }
      } else {
        m.for_each([&](uint32_t addr, const Posting& p) {
          if ((addr & mask) != k.v4) return;
          key.v4 = addr;
          inside.push_back({key, &p});
        });
      }
    }
    expand_inside(k, inside);
  }

  void ipv6(const CompactKey& k) {
    const auto words = s_.v6.candidates(k.v6, k.prefix);
    for (unsigned len = 0; len <= k.prefix; ++len) {
      if (!((words[len / 64] >> (len % 64)) & 1)) continue;
      CompactKey block = k;
      block.prefix = static_cast<uint8_t>(len);
      block.v6 = k.v6 & internal::ipv6_mask(len);
      if (const Posting* p = s_.v6.by_len[len].find(block.v6)) posting(block, *p, false);
    }
    if (!opt_.contained || k.prefix == 128) return;
    std::vector<Inside> inside;
    const internal::U128 mask = internal::ipv6_mask(k.prefix);
    for (unsigned len = k.prefix + 1u; len <= 128; ++len) {
      if (!s_.v6.has(len)) continue;
      const auto& m = s_.v6.by_len[len];
      const unsigned bits = len - k.prefix;
      CompactKey key = k;
      key.prefix = static_cast<uint8_t>(len);
      if (bits <= 20 && (uint64_t{1} << bits) <= m.size()) {
        for (uint64_t i = 0; i < (uint64_t{1} << bits); ++i) {
          // i placed just above the host bits of `len` (it spans at most 20 bits).
          const unsigned shift = 128 - len;
          internal::U128 add;
          if (shift >= 64) {
            add.hi = i << (shift - 64);
          } else {
            add.lo = i << shift;
            add.hi = shift == 0 ? 0 : i >> (64 - shift);
          }
          key.v6 = {k.v6.hi | add.hi, k.v6.lo | add.lo};
          if (const Posting* p = m.find(key.v6)) inside.push_back({key, p});
        }
      } else {
        m.for_each([&](const internal::U128& addr, const Posting& p) {
          if (!((addr & mask) == k.v6)) return;
          key.v6 = addr;
          inside.push_back({key, &p});
        });
      }
    }
    expand_inside(k, inside);
  }

  void domain(const CompactKey& k, uint8_t flags) {
    const internal::RecordTable& t = s_.records[static_cast<size_t>(Kind::kDomain)];
    std::string_view name = k.text;
    if (const uint32_t ref = t.find(name); ref != internal::RecordTable::kNone) {
      posting(k, t.posting(ref), false);
    }
    for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
      name.remove_prefix(dot + 1);
      if (const uint32_t ref = t.find(name); ref != internal::RecordTable::kNone) {
        CompactKey parent = k;
        parent.text = t.key(ref);
        posting(parent, t.posting(ref), true);
      }
    }
    if (!opt_.contained || !(flags & kAtomSubdomains)) return;
    // Names under the subject's: a scan of every indexed domain.
    std::vector<Inside> inside;
    t.for_each([&](uint32_t ref) {
      const std::string_view key = t.key(ref);
      if (key.size() > k.text.size() && key.ends_with(k.text) &&
          key[key.size() - k.text.size() - 1] == '.') {
        CompactKey child = k;
        child.text = key;
        inside.push_back({child, &t.posting(ref)});
      }
    });
    expand_inside(k, inside);
  }

  const State& s_;
  const CorrelateOptions& opt_;
  const int64_t self_;
  Correlation& out_;
  absl::flat_hash_map<uint32_t, uint32_t> peers_;
  absl::flat_hash_set<std::string> over_seen_;
  std::vector<uint32_t> atom_peers_;
};

}  // namespace

core::Result<Correlation> Index::Reader::correlate(std::string_view id,
                                                   const CorrelateOptions& options) {
  const State& s = *state_;
  const size_t sep = id.rfind("--");
  core::Uuid uuid;
  int type = -1;
  if (sep != std::string_view::npos && core::parse_uuid(id.substr(sep + 2), uuid)) {
    type = s.find_type(id.substr(0, sep));
  }
  const int64_t slot = type < 0 ? -1 : s.find(uuid, static_cast<uint16_t>(type));
  if (slot < 0 || !s.objects[static_cast<size_t>(slot)].live()) {
    return core::Error::not_found("no atoms of this object in the index", std::string(id));
  }
  Correlation out;
  Correlator c(s, options, slot, out);
  s.for_each_atom(s.objects[static_cast<size_t>(slot)],
                  [&](const CompactKey& k, uint8_t flags, uint32_t) { c.atom(k, flags); });
  c.finish();
  return out;
}

Correlation Index::Reader::correlate(std::span<const AtomValue> atoms,
                                     const CorrelateOptions& options) {
  Correlation out;
  Correlator c(*state_, options, -1, out);
  if (scratch_.empty()) scratch_.resize(1);
  for (const AtomValue& a : atoms) {
    CompactKey k;
    if (!internal::raw_key(a.kind, a.value, scratch_[0], k)) {
      ++out.skipped;
      continue;
    }
    c.atom(k, a.include_subdomains && a.kind == Kind::kDomain ? kAtomSubdomains : 0);
  }
  c.finish();
  return out;
}

}  // namespace sw::index
