#include "index/index.h"

#include <algorithm>
#include <bit>
#include <mutex>

#include "index/internal/state.h"
#include "pattern/ip.h"

namespace sw::index {

using internal::CompactKey;
using internal::ObjectEntry;
using internal::Posting;
using internal::State;

namespace internal {

bool make_key(Kind kind, std::string_view text, CompactKey& out) {
  out.kind = kind;
  out.raw_len = 0;
  out.text = {};
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv6: {
      pattern::IpNet net;
      if (!pattern::parse_ip_net(text, net) || net.v6 != (kind == Kind::kIpv6)) return false;
      out.prefix = net.prefix;
      if (net.v6) {
        out.v6 = ipv6_bits(net) & ipv6_mask(net.prefix);
      } else {
        out.v4 = ipv4_bits(net) & ipv4_mask(net.prefix);
      }
      return true;
    }
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512: {
      const size_t n = hash_bytes(kind);
      if (!decode_hex(text, out.raw, n)) return false;
      out.raw_len = static_cast<uint8_t>(n);
      return true;
    }
    default:
      if (text.size() > kMaxKeyBytes) return false;
      out.text = text;
      return true;
  }
}

const Posting* State::find_posting(const CompactKey& k) const {
  if (k.kind == Kind::kIpv4) return v4.by_len[k.prefix].find(k.v4);
  if (k.kind == Kind::kIpv6) return v6.by_len[k.prefix].find(k.v6);
  const RecordTable& t = records[static_cast<size_t>(k.kind)];
  const uint32_t ref = t.find(k.bytes());
  return ref == RecordTable::kNone ? nullptr : &t.posting(ref);
}

std::string_view key_text(const CompactKey& k, char* buf) {
  switch (k.kind) {
    case Kind::kIpv4:
      return {buf, format_ip(ipv4_net(k.v4, k.prefix), buf)};
    case Kind::kIpv6:
      return {buf, format_ip(ipv6_net(k.v6, k.prefix), buf)};
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512: {
      const std::string_view b = k.bytes();
      encode_hex(reinterpret_cast<const uint8_t*>(b.data()), b.size(), buf);
      return {buf, 2 * b.size()};
    }
    default:
      return k.text;
  }
}

std::string State::id_of(const ObjectEntry& e) const {
  std::string id = type_names[e.type];
  id += "--";
  id += core::to_string(e.uuid);
  return id;
}

namespace {

// "<type>--<lower-case uuid>"; false otherwise.
bool split_id(std::string_view id, std::string_view& type, core::Uuid& uuid) {
  const size_t sep = id.rfind("--");
  if (sep == std::string_view::npos || sep == 0) return false;
  type = id.substr(0, sep);
  const std::string_view u = id.substr(sep + 2);
  for (char c : u) {
    if (c >= 'A' && c <= 'F') return false;  // would not round-trip through Hit::id()
  }
  return core::parse_uuid(u, uuid);
}

using Blobs = decltype(State::blobs);

// The append-only vectors (objects, blobs) grow by a quarter instead of doubling: at most a fifth
// of their capacity is unused. They hold most of the bytes per object (Stats::bytes counts their
// capacity); the extra copies cost a few milliseconds per million objects.
template <class V>
void reserve_for(V& v, size_t more, size_t min_step) {
  const size_t need = v.size() + more;
  if (need <= v.capacity()) return;
  v.reserve(std::max(need, v.capacity() + std::max(v.capacity() / 4, min_step)));
}

void put_u32(Blobs& out, uint32_t v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + 4);
}

// What apply() prepares outside the lock.
struct Prepared {
  const stix::Object* object = nullptr;
  std::string_view type;
  core::Uuid uuid{};
  bool ok = false;
  bool leaves = false;  // revoked, expired, or nothing to index
  Extraction extraction;
};

class Writer {
 public:
  explicit Writer(State& s) : s_(s) {}

  void apply(Prepared& p, core::Timestamp now, ApplyReport& report);
  size_t expire(core::Timestamp now);
  void maybe_compact_blobs();

 private:
  void add_atoms(uint32_t slot, const Extraction& ex, ApplyReport& report, LazyPattern* pattern);
  void remove_atoms(uint32_t slot);
  int intern_type(std::string_view type);
  uint32_t intern_owner(std::string_view owner);
  Posting& posting_for_insert(const CompactKey& k, bool& created, uint32_t& ref);
  void erase_key(const CompactKey& k, const Posting* p, uint32_t ref);

  State& s_;
};

int Writer::intern_type(std::string_view type) {
  if (int code = s_.find_type(type); code >= 0) return code;
  if (s_.type_names.size() >= 0xFFFF) return -1;
  const auto code = static_cast<uint16_t>(s_.type_names.size());
  s_.type_names.emplace_back(type);
  s_.type_views.push_back(s_.type_names.back());
  s_.type_codes.emplace(std::string(type), code);
  return code;
}

uint32_t Writer::intern_owner(std::string_view owner) {
  if (owner.empty()) return 0;
  auto it = s_.owner_codes.find(absl::string_view(owner.data(), owner.size()));
  if (it != s_.owner_codes.end()) return it->second;
  s_.owner_names.emplace_back(owner);
  s_.owner_views.push_back(s_.owner_names.back());
  const auto code = static_cast<uint32_t>(s_.owner_names.size());
  s_.owner_codes.emplace(std::string(owner), code);
  return code;
}

Posting& Writer::posting_for_insert(const CompactKey& k, bool& created, uint32_t& ref) {
  if (k.kind == Kind::kIpv4) {
    s_.v4.lengths |= uint64_t{1} << k.prefix;
    Posting& p = s_.v4.by_len[k.prefix].find_or_insert(k.v4, created);
    if (created) s_.v4.added(k.v4, k.prefix);
    return p;
  }
  if (k.kind == Kind::kIpv6) {
    s_.v6.set(k.prefix, true);
    Posting& p = s_.v6.by_len[k.prefix].find_or_insert(k.v6, created);
    if (created) s_.v6.added(k.v6, k.prefix);
    return p;
  }
  internal::RecordTable& t = s_.records[static_cast<size_t>(k.kind)];
  ref = t.find_or_insert(k.bytes(), created);
  return t.posting(ref);
}

void Writer::erase_key(const CompactKey& k, const Posting* p, uint32_t ref) {
  if (k.kind == Kind::kIpv4) {
    auto& m = s_.v4.by_len[k.prefix];
    m.erase(p);
    s_.v4.removed(k.v4, k.prefix);
    if (m.empty()) s_.v4.lengths &= ~(uint64_t{1} << k.prefix);
  } else if (k.kind == Kind::kIpv6) {
    auto& m = s_.v6.by_len[k.prefix];
    m.erase(p);
    s_.v6.removed(k.v6, k.prefix);
    if (m.empty()) s_.v6.set(k.prefix, false);
  } else {
    s_.records[static_cast<size_t>(k.kind)].erase(ref);
  }
}

void Writer::add_atoms(uint32_t slot, const Extraction& ex, ApplyReport& report,
                       LazyPattern* pattern) {
  Blobs& blob = s_.blobs;
  // The largest encoding: the pattern prefix, the count, 19 bytes per atom.
  reserve_for(blob, State::kPatternPrefix + 4 + ex.atoms.size() * (2 + 17), 4096);
  if (pattern != nullptr) {
    const auto* p = reinterpret_cast<const uint8_t*>(&pattern);
    blob.insert(blob.end(), p, p + sizeof pattern);
  }
  const size_t start = blob.size();
  put_u32(blob, 0);
  uint32_t n = 0;
  for (const ExtractedAtom& a : ex.atoms) {
    CompactKey k;
    if (!internal::make_key(a.kind, a.key, k)) {  // extract() only yields canonical keys
      ++report.skipped_values;
      continue;
    }
    const uint8_t flags = a.flags & 0x0F;
    bool created = false;
    uint32_t ref = internal::RecordTable::kNone;
    Posting& p = posting_for_insert(k, created, ref);
    s_.postings.add(p, internal::make_item(slot, flags));
    const auto kind = static_cast<size_t>(a.kind);
    s_.keys[kind] += created;
    ++s_.atoms[kind];
    if (p.count() == s_.options.over_correlation_cap + 1) ++s_.over_correlating;
    if (a.kind == Kind::kDomain && (flags & kAtomSubdomains)) {
      ++s_.sub_items_by_labels[std::min<unsigned>(internal::label_count(a.key), 127)];
    }
    blob.push_back(static_cast<uint8_t>(a.kind));
    blob.push_back(flags);
    if (a.kind == Kind::kIpv4) {
      blob.push_back(k.prefix);
      put_u32(blob, k.v4);
    } else if (a.kind == Kind::kIpv6) {
      blob.push_back(k.prefix);
      const auto* hi = reinterpret_cast<const uint8_t*>(&k.v6.hi);
      const auto* lo = reinterpret_cast<const uint8_t*>(&k.v6.lo);
      blob.insert(blob.end(), hi, hi + 8);
      blob.insert(blob.end(), lo, lo + 8);
    } else {
      put_u32(blob, ref);
    }
    ++n;
  }
  std::memcpy(blob.data() + start, &n, 4);
  s_.objects[slot].blob = static_cast<uint32_t>(start);
}

void Writer::remove_atoms(uint32_t slot) {
  ObjectEntry& e = s_.objects[slot];
  if (!e.live()) return;
  s_.for_each_atom(e, [&](const CompactKey& k, uint8_t flags, uint32_t ref) {
    Posting* p;
    if (k.kind == Kind::kIpv4 || k.kind == Kind::kIpv6) {
      p = const_cast<Posting*>(s_.find_posting(k));
    } else {
      p = &s_.records[static_cast<size_t>(k.kind)].posting(ref);
    }
    if (p == nullptr) return;  // cannot happen: the blob mirrors the tables
    const uint32_t before = p->count();
    if (!s_.postings.remove(*p, slot)) return;
    const auto kind = static_cast<size_t>(k.kind);
    --s_.atoms[kind];
    if (before == s_.options.over_correlation_cap + 1) --s_.over_correlating;
    if (k.kind == Kind::kDomain && (flags & kAtomSubdomains)) {
      --s_.sub_items_by_labels[std::min<unsigned>(internal::label_count(k.text), 127)];
    }
    if (p->count() == 0) {
      erase_key(k, p, ref);
      --s_.keys[kind];
    }
  });
  // The blob's size: re-walk is cheap; record the garbage for compaction.
  size_t size = s_.blob_size(e);
  if (e.has_pattern()) {
    delete s_.pattern_of(e);
    --s_.live_patterns;
    size += State::kPatternPrefix;
  }
  s_.blob_garbage += size;
  e.blob = ObjectEntry::kNoBlob;
  e.bits &= static_cast<uint8_t>(~(ObjectEntry::kHasPattern | ObjectEntry::kDecided));
}

void Writer::apply(Prepared& p, core::Timestamp now, ApplyReport& report) {
  const stix::ObjectMeta& meta = p.object->meta;
  const int type = intern_type(p.type);
  if (type < 0) {
    report.errors.push_back(core::Error::exhausted("too many object types", meta.id));
    return;
  }
  const int64_t found = s_.find(p.uuid, static_cast<uint16_t>(type));
  const bool versioned = meta.has_modified || meta.has_created;
  if (found >= 0) {
    const ObjectEntry& held = s_.objects[static_cast<size_t>(found)];
    if (versioned && meta.modified <= held.modified()) {
      ++report.ignored_older;
      ++s_.ignored_older;
      return;
    }
  }
  const Extraction& ex = p.extraction;
  report.skipped_values += ex.skipped;
  s_.skipped_values += ex.skipped;
  const bool leaves = p.leaves || ex.atoms.empty() || (ex.valid_until && *ex.valid_until <= now);
  if (found < 0 && leaves) {
    ++report.without_atoms;
    return;
  }
  uint32_t slot;
  bool was_live = false;
  if (found >= 0) {
    slot = static_cast<uint32_t>(found);
    was_live = s_.objects[slot].live();
    if (was_live) {
      remove_atoms(slot);
      --s_.live_objects;
    } else {
      --s_.tombstones;
    }
  } else {
    if (s_.objects.size() >= internal::kMaxSlots) {
      report.errors.push_back(core::Error::exhausted("the index is full", meta.id));
      return;
    }
    slot = static_cast<uint32_t>(s_.objects.size());
    ObjectEntry e;
    e.uuid = p.uuid;
    e.type = static_cast<uint16_t>(type);
    reserve_for(s_.objects, 1, 1024);
    s_.objects.push_back(e);
    s_.ids.insert(internal::id_hash(p.uuid, static_cast<uint16_t>(type)), slot);
  }
  ObjectEntry& e = s_.objects[slot];
  e.set_modified(meta.modified);
  e.tlp = static_cast<uint8_t>(meta.tlp);
  e.owner = intern_owner(meta.created_by_ref);
  if (leaves) {
    ++s_.tombstones;
    report.removed += was_live;
    return;
  }
  e.bits = static_cast<uint8_t>((e.bits & 0xF0) | (ex.decided ? ObjectEntry::kDecided : 0) |
                                (ex.pattern ? ObjectEntry::kHasPattern : 0));
  LazyPattern* pattern = p.extraction.pattern.release();  // owned by the blob from here
  add_atoms(slot, ex, report, pattern);
  s_.live_patterns += pattern != nullptr;
  ++s_.live_objects;
  ++report.indexed;
  if (ex.valid_until) {
    s_.expiry.push_back({ex.valid_until->seconds, ex.valid_until->nanos, slot, e.seconds, e.nanos});
    std::push_heap(s_.expiry.begin(), s_.expiry.end());
  }
}

size_t Writer::expire(core::Timestamp now) {
  size_t n = 0;
  while (!s_.expiry.empty()) {
    const internal::Expiry top = s_.expiry.front();
    if (core::Timestamp{top.until_seconds, top.until_nanos, 0} > now) break;
    std::pop_heap(s_.expiry.begin(), s_.expiry.end());
    s_.expiry.pop_back();
    ObjectEntry& e = s_.objects[top.slot];
    // Stale entries (a later version replaced it, or it already left) are dropped.
    if (!e.live() || e.seconds != top.version_seconds || e.nanos != top.version_nanos) continue;
    remove_atoms(top.slot);
    --s_.live_objects;
    ++s_.tombstones;
    ++s_.expired;
    ++n;
  }
  return n;
}

void Writer::maybe_compact_blobs() {
  if (s_.blob_garbage < (size_t{1} << 20) || s_.blob_garbage * 2 < s_.blobs.size()) return;
  Blobs fresh;
  fresh.reserve(s_.blobs.size() - s_.blob_garbage);
  for (ObjectEntry& e : s_.objects) {
    if (!e.live()) continue;
    const size_t prefix = e.has_pattern() ? State::kPatternPrefix : 0;
    const uint8_t* q = s_.blobs.data() + e.blob;
    const size_t size = s_.blob_size(e);
    fresh.insert(fresh.end(), q - prefix, q + size);
    e.blob = static_cast<uint32_t>(fresh.size() - size);
  }
  s_.blobs = std::move(fresh);
  s_.blob_garbage = 0;
}

// Prefetches what looking up `k` will touch first: the hash-table groups of its key (of every
// present prefix length for IPs, of the parents that could match for domains).
void prefetch(const State& s, const CompactKey& k) {
  switch (k.kind) {
    case Kind::kIpv4: {
      uint64_t lengths = s.v4.candidates(k.v4, k.prefix);
      while (lengths != 0) {
        const unsigned len = 63 - static_cast<unsigned>(std::countl_zero(lengths));
        lengths &= ~(uint64_t{1} << len);
        s.v4.by_len[len].prefetch(k.v4 & ipv4_mask(len));
      }
      return;
    }
    case Kind::kIpv6: {
      const auto words = s.v6.candidates(k.v6, k.prefix);
      for (unsigned w = 0; w < 3; ++w) {
        for (uint64_t lengths = words[w]; lengths != 0; lengths &= lengths - 1) {
          const unsigned len = w * 64 + static_cast<unsigned>(std::countr_zero(lengths));
          s.v6.by_len[len].prefetch(k.v6 & ipv6_mask(len));
        }
      }
      return;
    }
    case Kind::kDomain: {
      const RecordTable& t = s.records[static_cast<size_t>(k.kind)];
      std::string_view name = k.text;
      t.prefetch(name);
      unsigned labels = label_count(name);
      for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
        name.remove_prefix(dot + 1);
        if (s.sub_items_by_labels[std::min(--labels, 127u)] != 0) t.prefetch(name);
      }
      return;
    }
    default:
      s.records[static_cast<size_t>(k.kind)].prefetch(k.bytes());
  }
}

// Appends every posting list that `k` matches, in report order.
void find_all(const State& s, const CompactKey& k, uint32_t value, std::vector<Found>& out) {
  Found f;
  f.value = value;
  f.kind = k.kind;
  switch (k.kind) {
    case Kind::kIpv4: {
      // Lengths that may hold a block containing the value, longest first.
      uint64_t lengths = s.v4.candidates(k.v4, k.prefix);
      while (lengths != 0) {
        const unsigned len = 63 - static_cast<unsigned>(std::countl_zero(lengths));
        lengths &= ~(uint64_t{1} << len);
        const uint32_t key = k.v4 & ipv4_mask(len);
        const Posting* p = s.v4.by_len[len].find(key);
        if (p == nullptr) continue;
        f.match = len == k.prefix ? Match::kExact : Match::kContainingBlock;
        f.prefix = static_cast<uint8_t>(len);
        f.v4 = key;
        f.posting = p;
        out.push_back(f);
      }
      return;
    }
    case Kind::kIpv6: {
      const auto words = s.v6.candidates(k.v6, k.prefix);
      for (int w = 2; w >= 0; --w) {
        uint64_t lengths = words[static_cast<size_t>(w)];
        while (lengths != 0) {
          const unsigned bit = 63 - static_cast<unsigned>(std::countl_zero(lengths));
          lengths &= ~(uint64_t{1} << bit);
          const unsigned len = static_cast<unsigned>(w) * 64 + bit;
          const U128 key = k.v6 & ipv6_mask(len);
          const Posting* p = s.v6.by_len[len].find(key);
          if (p == nullptr) continue;
          f.match = len == k.prefix ? Match::kExact : Match::kContainingBlock;
          f.prefix = static_cast<uint8_t>(len);
          f.v6 = key;
          f.posting = p;
          out.push_back(f);
        }
      }
      return;
    }
    case Kind::kDomain: {
      const RecordTable& t = s.records[static_cast<size_t>(k.kind)];
      std::string_view name = k.text;
      if (const uint32_t ref = t.find(name); ref != RecordTable::kNone) {
        f.match = Match::kExact;
        f.text = t.key(ref);
        f.posting = &t.posting(ref);
        out.push_back(f);
      }
      unsigned labels = label_count(name);
      for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
        name.remove_prefix(dot + 1);
        if (s.sub_items_by_labels[std::min(--labels, 127u)] == 0) continue;
        if (const uint32_t ref = t.find(name); ref != RecordTable::kNone) {
          f.match = Match::kParentDomain;
          f.text = t.key(ref);
          f.posting = &t.posting(ref);
          out.push_back(f);
        }
      }
      return;
    }
    default: {
      const RecordTable& t = s.records[static_cast<size_t>(k.kind)];
      if (const uint32_t ref = t.find(k.bytes()); ref != RecordTable::kNone) {
        f.match = Match::kExact;
        f.text = t.key(ref);
        f.posting = &t.posting(ref);
        out.push_back(f);
      }
    }
  }
}

void prefetch_objects(const State& s, const Found& f) {
  const auto items = s.postings.items(*f.posting);
  for (size_t i = 0; i < items.size() && i < 4; ++i) {
    __builtin_prefetch(&s.objects[item_slot(items[i])]);
  }
}

// A hit for every item of a found posting list (only those filed for subdomains under
// kParentDomain).
template <class Visit>
size_t emit(const State& s, const Found& f, char* buf, Hit& h, Visit&& visit) {
  std::string_view key;
  switch (f.kind) {
    case Kind::kIpv4:
      key = {buf, format_ip(ipv4_net(f.v4, f.prefix), buf)};
      break;
    case Kind::kIpv6:
      key = {buf, format_ip(ipv6_net(f.v6, f.prefix), buf)};
      break;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
      encode_hex(reinterpret_cast<const uint8_t*>(f.text.data()), f.text.size(), buf);
      key = {buf, 2 * f.text.size()};
      break;
    default:
      key = f.text;
  }
  const uint8_t undecided = f.match == Match::kExact             ? kAtomSelfUndecided
                            : f.match == Match::kContainingBlock ? kAtomContainedUndecided
                                                                 : 0;
  size_t n = 0;
  // `h` is the Reader's, reused: every field is set here.
  h.kind = f.kind;
  h.match = f.match;
  h.key = key;
  for (const uint32_t item : s.postings.items(*f.posting)) {
    const uint8_t flags = item_flags(item);
    if (f.match == Match::kParentDomain && !(flags & kAtomSubdomains)) continue;
    const uint32_t slot = item_slot(item);
    const ObjectEntry& e = s.objects[slot];
    h.atom_flags = flags;
    h.type = s.type_views[e.type];
    h.uuid = e.uuid;
    h.modified = e.modified();
    h.tlp = static_cast<stix::Tlp>(e.tlp);
    h.owner = e.owner == 0 ? std::string_view() : s.owner_views[e.owner - 1];
    h.decided = e.decided() && !(flags & undecided);
    h.pattern = h.decided ? nullptr : s.pattern_of(e);
    visit(h);
    ++n;
  }
  return n;
}

}  // namespace

bool raw_key(Kind kind, std::string_view raw, std::string& scratch, CompactKey& k) {
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv6:
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
      return make_key(kind, raw, k);  // parsed leniently: any case, host bits
    default:
      return normalise_into(kind, raw, scratch) && make_key(kind, scratch, k);
  }
}

}  // namespace internal

std::string_view match_name(Match match) {
  switch (match) {
    case Match::kExact:
      return "exact";
    case Match::kContainingBlock:
      return "block";
    case Match::kParentDomain:
      return "parent";
  }
  return "?";
}

void Hit::append_id(std::string& out) const {
  out.append(type);
  out += "--";
  out += core::to_string(uuid);
}

std::string Hit::id() const {
  std::string s;
  append_id(s);
  return s;
}

uint64_t Stats::total_atoms() const {
  uint64_t n = 0;
  for (uint64_t a : atoms) n += a;
  return n;
}

Index::Index() : Index(Options{}) {}
Index::Index(Options options) : state_(std::make_unique<State>(options)) {}
Index::~Index() = default;

ApplyReport Index::apply(const stix::Object& object, core::Timestamp now) {
  return apply(std::span<const stix::Object>(&object, 1), now);
}

ApplyReport Index::apply(std::span<const stix::Object> objects, core::Timestamp now) {
  ApplyReport report;
  // Outside the lock: parse, extract, compile.
  std::vector<internal::Prepared> prepared(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) {
    internal::Prepared& p = prepared[i];
    const stix::Object& o = objects[i];
    p.object = &o;
    std::string_view id_type;
    if (!internal::split_id(o.meta.id, id_type, p.uuid) || id_type != o.meta.type) {
      report.errors.push_back(
          core::Error::invalid("id is not \"" + o.meta.type + "--<lower-case UUID>\"", o.meta.id));
      continue;
    }
    p.type = o.meta.type;
    if (o.meta.revoked) {
      p.leaves = true;
      p.ok = true;
      continue;
    }
    auto ex = extract(o);
    if (!ex.ok()) {
      // The version is still recorded: the atoms of an earlier version are out of date.
      report.errors.push_back(std::move(ex).error());
      p.leaves = true;
      p.ok = true;
      continue;
    }
    p.extraction = std::move(ex).value();
    p.ok = true;
  }
  State& s = *state_;
  auto lock = s.lock_exclusive();
  internal::Writer w(s);
  for (internal::Prepared& p : prepared) {
    if (p.ok) w.apply(p, now, report);
  }
  w.expire(now);
  w.maybe_compact_blobs();
  return report;
}

size_t Index::expire(core::Timestamp now) {
  auto lock = state_->lock_exclusive();
  internal::Writer w(*state_);
  const size_t n = w.expire(now);
  w.maybe_compact_blobs();
  return n;
}

Index::Reader Index::reader() const { return Reader(*state_); }

Index::Reader::Reader(const State& state) : state_(&state), lock_(state.lock_shared()) {}
Index::Reader::Reader(Reader&&) noexcept = default;
Index::Reader& Index::Reader::operator=(Reader&&) noexcept = default;
Index::Reader::~Reader() = default;

bool Index::Reader::contains(std::string_view id) const {
  std::string_view type;
  core::Uuid uuid;
  if (!internal::split_id(id, type, uuid)) return false;
  const int code = state_->find_type(type);
  if (code < 0) return false;
  const int64_t slot = state_->find(uuid, static_cast<uint16_t>(code));
  return slot >= 0 && state_->objects[static_cast<size_t>(slot)].live();
}

size_t Index::Reader::lookup(Kind kind, std::string_view raw,
                             absl::FunctionRef<void(const Hit&)> visit) {
  const State& s = *state_;
  if (scratch_.empty()) scratch_.resize(1);
  CompactKey k;
  if (!internal::raw_key(kind, raw, scratch_[0], k)) return 0;
  std::vector<internal::Found>& found = found_[0];
  found.clear();
  internal::find_all(s, k, 0, found);
  size_t hits = 0;
  for (const internal::Found& f : found) hits += internal::emit(s, f, key_buf_, hit_, visit);
  return hits;
}

size_t Index::Reader::lookup_batch(Kind kind, std::span<const std::string_view> values,
                                   absl::FunctionRef<void(size_t, const Hit&)> visit) {
  // A pipeline over groups of values, so that the memory reads of neighbouring values overlap
  // instead of following one another. Round r: parse group r and prefetch its hash-table groups;
  // probe group r - 1 (its table groups were requested one round ago) and prefetch the objects
  // found; report group r - 2 (its objects were requested one round ago).
  constexpr size_t kGroup = 8;
  const State& s = *state_;
  if (scratch_.size() < 2 * kGroup) scratch_.resize(2 * kGroup);
  CompactKey keys[2][kGroup];
  bool ok[2][kGroup];
  size_t size[2] = {0, 0};
  size_t hits = 0;
  const size_t groups = (values.size() + kGroup - 1) / kGroup;
  for (size_t round = 0; round < groups + 2; ++round) {
    if (round < groups) {
      const size_t b = round % 2, start = round * kGroup;
      size[b] = std::min(kGroup, values.size() - start);
      for (size_t i = 0; i < size[b]; ++i) {
        ok[b][i] = internal::raw_key(kind, values[start + i], scratch_[b * kGroup + i], keys[b][i]);
        if (ok[b][i]) internal::prefetch(s, keys[b][i]);
      }
    }
    // Group g's keys are in keys[g % 2], what it found in found_[g % 2].
    if (round >= 2) {
      for (const internal::Found& f : found_[round % 2]) {
        hits += internal::emit(s, f, key_buf_, hit_, [&](const Hit& h) { visit(f.value, h); });
      }
      found_[round % 2].clear();
    }
    if (round >= 1 && round - 1 < groups) {
      const size_t b = (round - 1) % 2, start = (round - 1) * kGroup;
      std::vector<internal::Found>& found = found_[b];
      found.clear();
      for (size_t i = 0; i < size[b]; ++i) {
        if (ok[b][i]) internal::find_all(s, keys[b][i], static_cast<uint32_t>(start + i), found);
      }
      for (const internal::Found& f : found) internal::prefetch_objects(s, f);
    }
  }
  return hits;
}

Stats Index::Reader::stats() const {
  const State& s = *state_;
  Stats st;
  st.keys = s.keys;
  st.atoms = s.atoms;
  st.objects = s.live_objects;
  st.tombstones = s.tombstones;
  st.patterns = s.live_patterns;
  st.over_correlating = s.over_correlating;
  st.skipped_values = s.skipped_values;
  st.ignored_older = s.ignored_older;
  st.expired = s.expired;
  uint64_t b = sizeof(State);
  b += s.objects.capacity() * sizeof(ObjectEntry);
  b += s.ids.bytes();
  for (const auto& m : s.v4.by_len) b += m.bytes();
  for (const auto& m : s.v6.by_len) b += m.bytes();
  b += s.v4.filter_bytes() + s.v6.filter_bytes();
  for (const auto& t : s.records) b += t.bytes();
  b += s.postings.bytes();
  b += s.blobs.capacity();
  b += s.expiry.capacity() * sizeof(internal::Expiry);
  for (const ObjectEntry& e : s.objects) {
    if (const LazyPattern* p = s.pattern_of(e)) b += p->bytes();  // the pointer is in `blobs`
  }
  for (const auto& t : s.type_names) b += sizeof(std::string) + t.capacity() + 48;
  for (const auto& o : s.owner_names) b += 2 * (sizeof(std::string) + o.capacity()) + 64;
  st.bytes = b;
  return st;
}

}  // namespace sw::index
