#include "intel/catalog.h"

#include <algorithm>

namespace sw::intel {

namespace {

// Types that only say what labels mean: readable by everyone.
bool definition_type(std::string_view type) {
  return type == "marking-definition" || type == "extension-definition";
}

}  // namespace

Catalog::Catalog(store::Store& store, const index::Index& index, const ShareIndex& shares,
                 const policy::Policy& policy)
    : store_(store), index_(index), shares_(shares), policy_(policy) {}

bool Catalog::readable(const policy::Principal& who, std::string_view id, std::string_view type,
                       std::string_view owner, stix::Tlp tlp) const {
  if (definition_type(type)) return true;
  policy::ObjectFacts f;
  f.owner = owner;
  f.tlp = tlp;
  if (type == kShareType) {
    // A share record reaches whom it shares with; it carries no content of its own.
    scratch_.clear();
    if (const policy::ShareRecord* r = shares_.record(id)) {
      scratch_.push_back(r);
      f.owner = r->sharer;
    }
    f.tlp = stix::Tlp::kClear;
  } else {
    shares_.shares_of(id, scratch_);
  }
  f.shares = scratch_;
  return policy_.can_read(who, f).allowed;
}

policy::ObjectFacts Catalog::facts(const stix::ObjectMeta& meta,
                                   std::vector<const policy::ShareRecord*>& shares) const {
  policy::ObjectFacts f;
  f.owner = meta.created_by_ref;
  f.tlp = meta.tlp;
  shares_.shares_of(meta.id, shares);
  f.shares = shares;
  return f;
}

policy::Decision Catalog::decide(const policy::Principal& who,
                                 const stix::ObjectMeta& meta) const {
  if (definition_type(meta.type)) {
    return {true, policy::Reason::kPublic, "definitions of markings and extensions are public"};
  }
  std::vector<const policy::ShareRecord*> shares;
  return policy_.can_read(who, facts(meta, shares));
}

core::Result<store::StoredObject> Catalog::get(const policy::Principal& who, std::string_view id,
                                               std::optional<std::string> version) {
  const auto missing = [&] {
    return core::Error::not_found("no object " + std::string(id) + " that you may read",
                                  std::string(id));
  };
  std::optional<store::StoredObject> found;
  if (version) {
    auto r = store_.get_version(std::string(id), *version);
    if (!r.ok()) return std::move(r).error();
    found = std::move(*r);
  } else {
    auto r = store_.get(std::string(id));
    if (!r.ok()) return std::move(r).error();
    found = std::move(*r);
  }
  if (!found) return missing();
  const stix::ObjectMeta& m = found->meta;
  if (!readable(who, m.id, m.type, m.created_by_ref, m.tlp)) return missing();
  return std::move(*found);
}

core::Result<std::vector<store::StoredObject>> Catalog::versions(const policy::Principal& who,
                                                                 std::string_view id) {
  auto all = store_.get_versions(std::string(id));
  if (!all.ok()) return std::move(all).error();
  std::vector<store::StoredObject> out;
  for (store::StoredObject& o : *all) {
    const stix::ObjectMeta& m = o.meta;
    if (readable(who, m.id, m.type, m.created_by_ref, m.tlp)) out.push_back(std::move(o));
  }
  if (out.empty()) {
    return core::Error::not_found("no object " + std::string(id) + " that you may read",
                                  std::string(id));
  }
  return out;
}

core::Result<Page> Catalog::list(const policy::Principal& who, const ListFilter& filter,
                                 int64_t after, size_t limit, size_t budget) {
  Page page;
  page.next = after;
  if (limit == 0) return page;
  store::Query q;
  q.types = filter.types;
  q.after_seq = after;
  q.added_after_us = filter.added_after_us;
  q.latest_only = !filter.all_versions;
  q.limit = static_cast<int64_t>(std::max<size_t>(budget, 1));
  size_t examined = 0;
  auto st = store_.scan(q, [&](const store::StoredObject& o) {
    ++examined;
    page.next = o.seq;
    const stix::ObjectMeta& m = o.meta;
    if (readable(who, m.id, m.type, m.created_by_ref, m.tlp)) page.objects.push_back(o);
    if (page.objects.size() >= limit) {
      page.more = true;
      return false;
    }
    return true;
  });
  if (!st.ok()) return std::move(st).error();
  if (examined >= std::max<size_t>(budget, 1)) page.more = true;
  return page;
}

size_t Catalog::lookup(const policy::Principal& who, index::Index::Reader& reader,
                       index::Kind kind, std::string_view value,
                       const std::function<void(const index::Hit&)>& visit) {
  size_t n = 0;
  std::string id;
  reader.lookup(kind, value, [&](const index::Hit& h) {
    id.clear();
    h.append_id(id);
    if (!readable(who, id, h.type, h.owner, h.tlp)) return;
    ++n;
    visit(h);
  });
  return n;
}

core::Result<index::Correlation> Catalog::correlate(const policy::Principal& who,
                                                    std::string_view id,
                                                    const index::CorrelateOptions& options) {
  auto subject = get(who, id);
  if (!subject.ok()) return std::move(subject).error();
  auto reader = index_.reader();
  auto c = reader.correlate(id, options);
  if (!c.ok()) return c;
  auto& peers = c->peers;
  peers.erase(std::remove_if(peers.begin(), peers.end(),
                             [&](const index::Correlation::Peer& p) {
                               return !readable(who, p.object.id, p.object.type, p.object.owner,
                                                p.object.tlp);
                             }),
              peers.end());
  return c;
}

}  // namespace sw::intel
