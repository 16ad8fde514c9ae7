// Keeping a long-running node's in-memory state — the indicator index and the share index — up to
// date with its store, by sequence number: whatever was stored after the last catch-up (by this
// process, another `shieldwall` process, an import, a federation pull) is applied, nothing twice,
// nothing missed (the store's sequence is commit order, clause 2 of store.h).
//
// Thread-safety: catch_up() from one thread at a time (the background thread, or a caller that
// has not started it); the index and share index it fills are safe to read meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "index/index.h"
#include "intel/index_loader.h"
#include "intel/shares.h"
#include "store/store.h"

namespace sw::intel {

class Follower {
 public:
  Follower(store::Store& store, index::Index& index, ShareIndex& shares, const core::Clock& clock);
  ~Follower();  // stops the thread
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Applies what was stored after the last catch-up; returns the number of object versions read.
  // `threads` extract atoms (the first catch-up of a large store wants two).
  core::Result<int64_t> catch_up(unsigned threads = 1);
  int64_t seq() const { return seq_.load(); }

  // Catches up every `interval` on a thread of its own until stop(); `on_error` hears failures
  // (the next round tries again); `after_round` runs after each round (other state to refresh).
  void start(std::chrono::milliseconds interval,
             std::function<void(const core::Error&)> on_error = {},
             std::function<void()> after_round = {});
  void stop();

 private:
  store::Store& store_;
  index::Index& index_;
  ShareIndex& shares_;
  const core::Clock& clock_;
  std::atomic<int64_t> seq_{0};
  int64_t share_seq_ = 0;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sw::intel
