// A bounded hand-over of work between threads of the intel pipelines (the importer's parse and
// store threads; the index loader's scanning and applying threads). Internal to intel.
//
// Thread-safe: any number of producers and consumers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace sw::intel::internal {

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Waits for room. False when the consumers have stopped (stop()): the item is dropped.
  bool push(T&& item) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < capacity_ || stopped_; });
    if (stopped_) return false;
    q_.push_back(std::move(item));
    cv_.notify_all();
    return true;
  }
  // Waits for an item. False once the queue is closed and empty.
  bool pop(T& out) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    out = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return true;
  }
  // No more items will come; consumers drain what is queued.
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  // The consumers give up (after an error): producers stop waiting and push() returns false.
  void stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> q_;  // GUARDED_BY(mu_)
  size_t capacity_;
  bool closed_ = false;   // GUARDED_BY(mu_)
  bool stopped_ = false;  // GUARDED_BY(mu_)
};

}  // namespace sw::intel::internal
