#include "http/metrics.h"

#include <algorithm>
#include <cmath>
#include <charconv>

#include "core/log.h"

namespace sw::http {

namespace {

enum Kind { kCounter, kGauge, kHistogram, kGaugeCallback };

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string label_text(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\') out += "\\\\";
      else if (c == '"') out += "\\\"";
      else if (c == '\n') out += "\\n";
      else out.push_back(c);
    }
    out += "\"";
  }
  out += "}";
  return out;
}

bool valid_labels(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    if (!valid_name(k) || k.find(':') != std::string::npos || k == "le") return false;
  }
  return true;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // The shortest form that reads back the same; plain decimals where they stay short.
  const double a = std::fabs(v);
  auto r = (a == 0 || (a >= 1e-6 && a < 1e15)) ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                                               : std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// `{a="b"}` + `le="0.5"` -> `{a="b",le="0.5"}`
std::string with_le(const std::string& labels, const std::string& le) {
  std::string l = "le=\"" + le + "\"";
  if (labels.empty()) return "{" + l + "}";
  return labels.substr(0, labels.size() - 1) + "," + l + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::observe(double v) {
  size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::counts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct Registry::Family {
  std::string name;
  std::string help;
  int kind;
  // Keyed by the rendered label text so children render in a stable order.
  std::map<std::string, std::unique_ptr<Counter>> counters;
  std::map<std::string, std::unique_ptr<Gauge>> gauges;
  std::map<std::string, std::unique_ptr<Histogram>> histograms;
  std::map<std::string, std::function<double()>> callbacks;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family* Registry::family(std::string_view name, std::string_view help, int kind) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    if (!valid_name(name)) {
      SW_LOG_ERROR("metrics: bad metric name \"{}\"", std::string(name));
      return nullptr;
    }
    auto f = std::make_unique<Family>();
    f->name = name;
    f->help = help;
    f->kind = kind;
    it = families_.emplace(std::string(name), std::move(f)).first;
  }
  Family* f = it->second.get();
  bool same = f->kind == kind || (f->kind == kGauge && kind == kGaugeCallback) ||
              (f->kind == kGaugeCallback && kind == kGauge);
  if (!same) {
    SW_LOG_ERROR("metrics: \"{}\" registered again as another type", std::string(name));
    return nullptr;
  }
  return f;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = valid_labels(labels) ? family(name, help, kCounter) : nullptr;
  if (!f) return *detached_counters_.emplace_back(std::make_unique<Counter>());
  auto& slot = f->counters[label_text(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = valid_labels(labels) ? family(name, help, kGauge) : nullptr;
  if (!f) return *detached_gauges_.emplace_back(std::make_unique<Gauge>());
  auto& slot = f->gauges[label_text(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                               const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = valid_labels(labels) ? family(name, help, kHistogram) : nullptr;
  if (!f) return *detached_histograms_.emplace_back(std::make_unique<Histogram>(std::move(bounds)));
  auto& slot = f->histograms[label_text(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void Registry::gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                              const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = valid_labels(labels) ? family(name, help, kGaugeCallback) : nullptr;
  if (f) f->callbacks[label_text(labels)] = std::move(read);
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, f] : families_) {
    std::string help;
    for (char c : f->help) {
      if (c == '\\') help += "\\\\";
      else if (c == '\n') help += "\\n";
      else help.push_back(c);
    }
    out += "# HELP " + name + " " + help + "\n";
    const char* type = f->kind == kCounter ? "counter" : f->kind == kHistogram ? "histogram" : "gauge";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [l, c] : f->counters) out += name + l + " " + number(c->value()) + "\n";
    for (const auto& [l, g] : f->gauges) out += name + l + " " + number(g->value()) + "\n";
    for (const auto& [l, cb] : f->callbacks) out += name + l + " " + number(cb ? cb() : 0) + "\n";
    for (const auto& [l, h] : f->histograms) {
      auto counts = h->counts();
      uint64_t cum = 0;
      for (size_t i = 0; i < h->bounds().size(); ++i) {
        cum += counts[i];
        out += name + "_bucket" + with_le(l, number(h->bounds()[i])) + " " + std::to_string(cum) + "\n";
      }
      cum += counts.back();
      out += name + "_bucket" + with_le(l, "+Inf") + " " + std::to_string(cum) + "\n";
      out += name + "_sum" + l + " " + number(h->sum()) + "\n";
      out += name + "_count" + l + " " + std::to_string(cum) + "\n";
    }
  }
  return out;
}

}  // namespace sw::http
