// Every read path of the Catalog — get, versions, list, look-up, correlation — against the plain
// reference model of the sharing rules (tests/policy/reference_model.h), on generated consortia
// whose objects, markings and share records live in a real SQLite store.
#include "intel/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "core/uuid.h"
#include "intel/import_test_util.h"
#include "policy/reference_model.h"
#include "stix/markings.h"
#include "stix/parse.h"
#include "store/sqlite/sqlite_store.h"

namespace sw::intel {
namespace {

using policy::testing::ModelObject;
using policy::testing::ModelWorld;
using stix::Tlp;

std::string org_id(int i) {
  char b[80];
  std::snprintf(b, sizeof b, "identity--%08x-0000-4000-8000-00000000000a", static_cast<unsigned>(i));
  return b;
}
std::string group_id(int i) {
  char b[90];
  std::snprintf(b, sizeof b, "x-shieldwall-sharing-group--%08x-0000-4000-8000-0000000000b0",
                static_cast<unsigned>(i));
  return b;
}
std::string share_id(int i) {
  char b[90];
  std::snprintf(b, sizeof b, "x-shieldwall-share--%08x-0000-4000-8000-0000000000c0",
                static_cast<unsigned>(i));
  return b;
}
std::string domain_of(int n) { return "host" + std::to_string(n % 25) + ".example"; }

struct TempDir {
  TempDir() : path(std::filesystem::temp_directory_path() / ("sw-catalog-" + core::to_string(core::uuid_v4()))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

class Generated {
 public:
  explicit Generated(uint32_t seed) : rng_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }

  void make(int world) {
    model = {};
    policy = policy::Policy{};
    objects.clear();
    texts.clear();
    const int n_orgs = 6;
    for (int i = 0; i < n_orgs; ++i) {
      policy::Organisation o;
      o.id = org_id(world * 100 + i);
      o.name = "Org " + std::to_string(i);
      o.kind = i < 4 ? policy::OrgKind::kMember : i == 4 ? policy::OrgKind::kClient : policy::OrgKind::kAuthority;
      if (o.kind == policy::OrgKind::kClient) o.client_of = org_id(world * 100 + uniform(0, 3));
      o.active = !(i == 3 && coin(0.5));
      policy.put_organisation(o);
      model.orgs[o.id] = {o.id, o.kind, o.client_of, o.active};
      orgs.push_back(o.id);
    }
    for (int g = 0; g < 2; ++g) {
      policy::SharingGroup sg;
      sg.id = group_id(world * 10 + g);
      sg.name = "g" + std::to_string(g);
      for (int i = 0; i < n_orgs; ++i) {
        if (coin(0.4)) sg.members.push_back(org_id(world * 100 + i));
      }
      policy.put_group(sg);
      model.groups[sg.id] = {sg.members.begin(), sg.members.end()};
      groups.push_back(sg.id);
    }
    int shares = 0;
    for (int n = 0; n < 60; ++n) {
      const int id_n = world * 1000 + n;
      ModelObject m;
      const int who = uniform(0, 9);
      m.owner = who < 8 ? org_id(world * 100 + uniform(0, n_orgs - 1))
                        : who == 8 ? "identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5" : "";
      m.tlp = static_cast<Tlp>(uniform(0, 5));
      std::string extra;
      if (!m.owner.empty()) extra += R"(,"created_by_ref":")" + m.owner + "\"";
      if (m.tlp != Tlp::kNone) {
        extra += R"(,"object_marking_refs":[")" + std::string(stix::tlp2_marking_id(m.tlp)) + "\"]";
      }
      std::string text = testing::indicator(id_n, extra);
      // Domains repeat across objects, so look-ups and correlations meet several owners.
      const std::string from = "host" + std::to_string(id_n) + ".example";
      text.replace(text.find(from), from.size(), domain_of(n));
      texts.push_back(text);
      for (int s = uniform(0, 2); s > 0; --s) {
        ShareSpec spec;
        spec.id = share_id(world * 1000 + shares++);
        spec.sharer = coin(0.6) && !m.owner.empty() ? m.owner : orgs[static_cast<size_t>(uniform(0, n_orgs - 1))];
        if (!spec.sharer.starts_with("identity--")) spec.sharer = org_id(world * 100);
        spec.object_ids = {testing::indicator_id(id_n)};
        const int d = uniform(0, 3);
        spec.distribution.kind = static_cast<policy::DistributionKind>(d);
        if (spec.distribution.kind == policy::DistributionKind::kSharingGroup) {
          spec.distribution.group = groups[static_cast<size_t>(uniform(0, 1))];
        }
        spec.created = spec.modified = core::from_micros(1'700'000'000'000'000);
        texts.push_back(*share_json(spec));
        policy::ShareRecord r;
        r.id = spec.id;
        r.sharer = spec.sharer;
        r.distribution = spec.distribution;
        if (coin(0.15)) {  // revoked by a later version
          spec.revoked = true;
          spec.modified = core::from_micros(1'700'000'100'000'000);
          texts.push_back(*share_json(spec));
          r.revoked = true;
        }
        m.shares.push_back(r);
      }
      objects.push_back({testing::indicator_id(id_n), n, m});
    }
  }

  struct Obj {
    std::string id;
    int n;
    ModelObject model;
  };
  ModelWorld model;
  policy::Policy policy;
  std::vector<Obj> objects;
  std::vector<std::string> texts;
  std::vector<std::string> orgs, groups;

 private:
  std::mt19937 rng_;
};

TEST(CatalogProperty, EveryReadPathAgreesWithTheReferenceModel) {
  Generated gen(20261128);
  uint64_t cases = 0, readable = 0;
  for (int world = 1; world <= 12; ++world) {
    gen.make(world);
    TempDir dir;
    auto st = store::open_sqlite(dir.path / "node.db");
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    stix::MarkingResolver markings;
    stix::ObjectParser parser(markings);
    std::vector<stix::Object> batch;
    for (const std::string& t : gen.texts) {
      stix::Object o;
      std::vector<stix::Issue> issues;
      ASSERT_TRUE(parser.parse_unpadded(t, o, issues)) << t;
      batch.push_back(std::move(o));
    }
    ASSERT_TRUE((*st)->put(batch, 1).ok());
    index::Index idx;
    std::vector<stix::Object> indicators;
    for (const auto& o : batch) {
      if (o.meta.type == "indicator") indicators.push_back(o);
    }
    ASSERT_TRUE(idx.apply(indicators, core::from_micros(1'700'000'000'000'000)).errors.empty());
    ShareIndex shares;
    ASSERT_TRUE(shares.load(**st).ok());
    Catalog catalog(**st, idx, shares, gen.policy);

    std::map<std::string, std::set<std::string>> readers;  // object id -> model readers
    for (const auto& o : gen.objects) readers[o.id] = policy::testing::model_readers(gen.model, o.model);

    std::vector<std::string> principals = gen.orgs;
    principals.push_back("identity--00000000-0000-4000-8000-0000000000ff");  // a stranger
    for (const std::string& org : principals) {
      if (!org.starts_with("identity--")) continue;
      const policy::Principal who{"u", org, policy::kAnalyst};
      std::set<std::string> want;
      for (const auto& o : gen.objects) {
        if (readers[o.id].count(org)) want.insert(o.id);
      }
      // list, a page at a time
      std::set<std::string> listed;
      int64_t after = 0;
      for (;;) {
        ListFilter f;
        f.types = {"indicator"};
        auto page = catalog.list(who, f, after, 7, 20);
        ASSERT_TRUE(page.ok());
        for (const auto& o : page->objects) listed.insert(o.meta.id);
        after = page->next;
        if (!page->more) break;
      }
      EXPECT_EQ(listed, want) << org;
      ++cases;
      for (const auto& o : gen.objects) {
        const bool may = want.count(o.id) > 0;
        readable += may;
        // get
        auto got = catalog.get(who, o.id);
        EXPECT_EQ(got.ok(), may) << org << " get " << o.id;
        if (!got.ok()) {
          EXPECT_EQ(got.error().code, core::Code::kNotFound);
        }
        // versions
        EXPECT_EQ(catalog.versions(who, o.id).ok(), may);
        // look-up of its domain: exactly the readable objects with that domain
        auto reader = idx.reader();
        std::set<std::string> hits, expect_hits;
        catalog.lookup(who, reader, index::Kind::kDomain, domain_of(o.n),
                       [&](const index::Hit& h) { hits.insert(h.id()); });
        for (const auto& p : gen.objects) {
          if (domain_of(p.n) == domain_of(o.n) && want.count(p.id)) expect_hits.insert(p.id);
        }
        EXPECT_EQ(hits, expect_hits) << org << " lookup " << domain_of(o.n);
        // correlation: only of what it may read, only with what it may read
        auto c = catalog.correlate(who, o.id);
        EXPECT_EQ(c.ok(), may) << org << " correlate " << o.id;
        if (c.ok()) {
          std::set<std::string> peers;
          for (const auto& p : c->peers) peers.insert(p.object.id);
          std::set<std::string> expect_peers = expect_hits;
          expect_peers.erase(o.id);
          EXPECT_EQ(peers, expect_peers) << org << " correlate " << o.id;
        }
        cases += 5;
      }
    }
  }
  EXPECT_GT(readable, 500u);
  EXPECT_GT(cases, 20000u);
}

}  // namespace
}  // namespace sw::intel
