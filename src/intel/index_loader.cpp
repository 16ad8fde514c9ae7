#include "intel/index_loader.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "intel/internal/bounded_queue.h"

namespace sw::intel {

const std::vector<std::string>& indexed_types() {
  static const std::vector<std::string> types = {
      "indicator", "observed-data", "ipv4-addr", "ipv6-addr", "domain-name",
      "url",       "email-addr",    "file"};
  return types;
}


core::Result<IndexLoadReport> load_index(store::Store& store, index::Index& index,
                                         core::Timestamp now, const IndexLoadOptions& options) {
  IndexLoadReport report;
  std::mutex report_mu;  // the applying thread adds to report
  // At most four batches wait, so memory stays at a few batches whatever the store holds.
  internal::BoundedQueue<std::vector<stix::Object>> queue(4);
  auto apply_batches = [&] {
    std::vector<stix::Object> batch;
    while (queue.pop(batch)) {
      index::ApplyReport r = index.apply(batch, now);
      std::lock_guard lock(report_mu);
      report.indexed += static_cast<int64_t>(r.indexed);
      report.without_atoms += static_cast<int64_t>(r.without_atoms);
      report.removed += static_cast<int64_t>(r.removed);
      report.error_count += static_cast<int64_t>(r.errors.size());
      for (auto& e : r.errors) {
        if (report.errors.size() < options.max_errors) report.errors.push_back(std::move(e));
      }
    }
  };
  // Index::apply() extracts atoms and compiles patterns outside its lock, so appliers on several
  // threads share the work; the store is read on this one meanwhile.
  const unsigned threads = std::max(1u, std::min(options.threads, std::thread::hardware_concurrency()));
  std::vector<std::thread> appliers;
  for (unsigned i = 0; i < threads; ++i) appliers.emplace_back(apply_batches);

  store::Query q;
  q.types = indexed_types();
  q.after_seq = options.after_seq;
  q.latest_only = true;
  std::vector<stix::Object> batch;
  const size_t batch_size = std::max<size_t>(1, options.batch);
  batch.reserve(batch_size);
  int64_t objects = 0, last_seq = options.after_seq;
  bool stopped = false;
  core::Status scanned = store.scan(q, [&](const store::StoredObject& o) {
    ++objects;
    last_seq = std::max(last_seq, o.seq);
    batch.push_back(stix::Object{o.meta, o.json});
    if (batch.size() >= batch_size) {
      if (!queue.push(std::move(batch))) return !(stopped = true);
      batch = {};
      batch.reserve(batch_size);
    }
    return true;
  });
  if (scanned.ok() && !batch.empty() && !stopped) queue.push(std::move(batch));
  queue.close();
  for (auto& t : appliers) t.join();
  if (!scanned.ok()) return std::move(scanned).error();
  report.objects = objects;
  report.last_seq = last_seq;
  return report;
}

}  // namespace sw::intel
