// A small metrics registry rendered in the Prometheus text exposition format 0.0.4. The server
// records its request counters and latency histograms here; other modules register theirs (store
// and index sizes as callback gauges, ingest counters) through the same registry, which the
// composition root hands to both.
//
// Thread-safety: everything is thread-safe. Metric objects live as long as the registry and never
// move, so callers look a labelled child up once and keep the reference for hot paths; updates
// are lock-free atomics.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sw::http {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Cumulative buckets with the upper bounds given (sorted; +Inf is implicit).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Per-bucket (non-cumulative) counts, the last one for +Inf; sum and count.
  std::vector<uint64_t> counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 100 µs to 10 s.
std::vector<double> default_latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The metric `name` with these labels, created on first use. `help` is taken from the first
  // registration of the name. Names must match [a-zA-Z_:][a-zA-Z0-9_:]* and a name keeps one
  // type: asking for it as another type (or with a bad name) returns a detached metric that is
  // never rendered, and logs the mistake once.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       const Labels& labels = {});
  // A gauge whose value is read when the metrics are rendered (store and index sizes). The
  // callback runs on the thread rendering /metrics and must be thread-safe and quick.
  void gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                      const Labels& labels = {});

  // Prometheus text format 0.0.4 (families sorted by name).
  std::string render() const;

 private:
  struct Family;
  Family* family(std::string_view name, std::string_view help, int kind);
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;  // guarded by mu_
  std::vector<std::unique_ptr<Counter>> detached_counters_;                // guarded by mu_
  std::vector<std::unique_ptr<Gauge>> detached_gauges_;                    // guarded by mu_
  std::vector<std::unique_ptr<Histogram>> detached_histograms_;            // guarded by mu_
};

// The content type of render()'s output.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace sw::http
