// The index's open-addressing tables (internal/table.h) and posting lists (internal/postings.h)
// against std containers, through random inserts and erases (backward-shift deletion, growth,
// spilled lists growing and shrinking).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "index/internal/postings.h"
#include "index/internal/table.h"

namespace sw::index::internal {
namespace {

TEST(KeyMap, MatchesStdMapThroughInsertsAndErases) {
  std::mt19937 rng(5);
  KeyMap<uint32_t> m;
  std::map<uint32_t, uint32_t> ref;  // key -> the item its posting holds
  for (int step = 0; step < 200000; ++step) {
    const uint32_t key = rng() % 3000;  // a small key space: long clusters, many erases
    if (rng() % 3 != 0) {
      bool created = false;
      Posting& p = m.find_or_insert(key, created);
      EXPECT_EQ(created, !ref.count(key));
      p.head = key * 7;
      p.meta = 1;
      ref[key] = key * 7;
    } else if (Posting* p = m.find(key)) {
      ASSERT_TRUE(ref.count(key));
      m.erase(p);
      ref.erase(key);
    } else {
      ASSERT_FALSE(ref.count(key));
    }
    if (step % 10000 == 0) {
      ASSERT_EQ(m.size(), ref.size());
      for (uint32_t k = 0; k < 3000; ++k) {
        const Posting* p = m.find(k);
        ASSERT_EQ(p != nullptr, ref.count(k) == 1) << k;
        if (p) {
          ASSERT_EQ(p->head, ref[k]);
        }
      }
    }
  }
  size_t n = 0;
  m.for_each([&](uint32_t k, const Posting& p) {
    EXPECT_EQ(ref.at(k), p.head);
    ++n;
  });
  EXPECT_EQ(n, ref.size());
}

TEST(RefSet, MatchesStdSetThroughInsertsAndErases) {
  std::mt19937 rng(6);
  RefSet s;
  std::set<uint32_t> ref;
  // The "key" of a reference is the reference; few hash bits collide on purpose.
  auto hash = [](uint32_t r) { return RefSet::hash_of(r % 500); };
  for (int step = 0; step < 100000; ++step) {
    const uint32_t r = rng() % 2000;
    const uint32_t found = s.find(hash(r), [&](uint32_t x) { return x == r; });
    ASSERT_EQ(found != RefSet::kNone, ref.count(r) == 1);
    if (found == RefSet::kNone) {
      s.insert(hash(r), r);
      ref.insert(r);
    } else if (rng() % 2) {
      s.erase(hash(r), r);
      ref.erase(r);
    }
  }
  EXPECT_EQ(s.size(), ref.size());
  std::set<uint32_t> all;
  s.for_each([&](uint32_t r) { all.insert(r); });
  EXPECT_EQ(all, ref);
}

TEST(PostingStore, ListsGrowShrinkAndStayIntact) {
  std::mt19937 rng(7);
  PostingStore store;
  std::vector<Posting> lists(50);
  std::vector<std::set<uint32_t>> ref(50);
  for (int step = 0; step < 100000; ++step) {
    const size_t l = rng() % lists.size();
    const uint32_t slot = rng() % 300;
    if (ref[l].count(slot)) {
      ASSERT_TRUE(store.remove(lists[l], slot));
      ref[l].erase(slot);
    } else {
      store.add(lists[l], make_item(slot, static_cast<uint8_t>(slot % 16)));
      ref[l].insert(slot);
    }
  }
  for (size_t l = 0; l < lists.size(); ++l) {
    std::set<uint32_t> got;
    for (uint32_t item : store.items(lists[l])) {
      EXPECT_EQ(item_flags(item), item_slot(item) % 16);
      got.insert(item_slot(item));
    }
    EXPECT_EQ(got, ref[l]);
    EXPECT_EQ(lists[l].count(), ref[l].size());
  }
  EXPECT_FALSE(store.remove(lists[0], 100000));
}

}  // namespace
}  // namespace sw::index::internal
