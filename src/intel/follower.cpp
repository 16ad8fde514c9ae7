#include "intel/follower.h"

#include <algorithm>

namespace sw::intel {

Follower::Follower(store::Store& store, index::Index& index, ShareIndex& shares,
                   const core::Clock& clock)
    : store_(store), index_(index), shares_(shares), clock_(clock) {}

Follower::~Follower() { stop(); }

core::Result<int64_t> Follower::catch_up(unsigned threads) {
  auto max = store_.max_seq();
  if (!max.ok()) return std::move(max).error();
  const int64_t from = seq_.load();
  if (*max <= from) return int64_t{0};
  // Share records first: a look-up that sees a new indicator must also see who it is shared with.
  auto shared = shares_.load(store_, share_seq_);
  if (!shared.ok()) return std::move(shared).error();
  share_seq_ = std::max(*shared, *max);
  IndexLoadOptions o;
  o.after_seq = from;
  o.threads = std::max(1u, threads);
  auto r = load_index(store_, index_, clock_.now(), o);
  if (!r.ok()) return std::move(r).error();
  // Everything up to `max` was committed before we looked; later commits get the next round.
  seq_.store(std::max(*max, r->last_seq));
  index_.expire(clock_.now());
  return r->objects;
}

void Follower::start(std::chrono::milliseconds interval,
                     std::function<void(const core::Error&)> on_error,
                     std::function<void()> after_round) {
  stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval, on_error = std::move(on_error),
                         after_round = std::move(after_round)] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto r = catch_up();
      if (!r.ok() && on_error) on_error(r.error());
      if (after_round) after_round();
      lock.lock();
      wake_.wait_for(lock, interval, [&] { return stopping_; });
    }
  });
}

void Follower::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sw::intel
