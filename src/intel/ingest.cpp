#include "intel/ingest.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>

#include "intel/internal/bounded_queue.h"
#include "intel/shares.h"
#include "stix/parse.h"

namespace sw::intel {

using core::Error;
using core::Status;

std::string Finding::to_string() const {
  std::string s = file + ": " + path;
  if (!id.empty()) s += " (" + id + ")";
  s += ": " + rule + ": " + message;
  return s;
}

namespace {

// One unit of work for the store thread.
struct Batch {
  std::vector<stix::Object> objects;
  int64_t settled = 0;  // leading objects of the file settled once this batch is durable
};

using BatchQueue = internal::BoundedQueue<Batch>;

void count_outcomes(const store::PutResult& r, ImportSummary& s) {
  for (size_t i = 0; i < r.outcomes.size(); ++i) {
    switch (r.outcomes[i]) {
      case store::PutOutcome::kNew: ++s.new_objects; break;
      case store::PutOutcome::kNewVersion: ++s.new_versions; break;
      case store::PutOutcome::kHistory: ++s.history; break;
      case store::PutOutcome::kDuplicate: ++s.duplicates; break;
      case store::PutOutcome::kRevoked: ++s.revoked; break;
    }
    if (r.seqs[i] > 0) {
      if (s.first_seq == 0) s.first_seq = r.seqs[i];
      s.last_seq = std::max(s.last_seq, r.seqs[i]);
    }
  }
}

// Keeps at most `max` findings, every error before any warning (across files too).
void keep_findings(std::vector<Finding>& kept, std::vector<Finding>&& errors,
                   std::vector<Finding>&& warnings, size_t max) {
  std::vector<Finding> out;
  out.reserve(std::min(max, kept.size() + errors.size() + warnings.size()));
  auto take = [&](std::vector<Finding>& from, bool want_error) {
    for (auto& f : from)
      if (f.error == want_error && out.size() < max) out.push_back(std::move(f));
  };
  take(kept, true);
  take(errors, true);
  take(kept, false);
  take(warnings, false);
  kept = std::move(out);
}

std::string join_path(const std::string& base, const std::string& rel) {
  if (rel.empty() || rel == "$") return base;
  return base + rel.substr(1);  // "$.objects[3]" + "$.created" → "$.objects[3].created"
}

}  // namespace

Importer::Importer(store::Store& store, core::Clock& clock, stix::MarkingResolver& markings)
    : store_(store), clock_(clock), markings_(markings) {}

Status Importer::import_file(const std::filesystem::path& file, const ImportOptions& options,
                             ImportSummary& summary) {
  ++summary.files;
  auto reader = stix::ObjectReader::open(file, options.reader);
  if (!reader.ok()) {
    ++summary.failed_files;
    summary.file_errors.push_back(reader.error().to_string());
    return {};
  }
  return import_reader(**reader, file.string(), options, summary);
}

Status Importer::import_reader(stix::ObjectReader& reader, const std::string& name,
                               const ImportOptions& options, ImportSummary& summary) {
  stix::ObjectParser parser(markings_);
  // A strict file that is refused must not teach its marking definitions.
  std::optional<stix::MarkingResolver> markings_before;
  if (options.strict) markings_before = markings_;
  std::vector<stix::Issue> issues;
  const uint32_t batch_size = std::max<uint32_t>(1, options.batch_size);

  // Store thread: commits batches in order and acknowledges them.
  BatchQueue queue(2);
  std::mutex summary_mu;  // guards summary between the two threads
  Status store_status;
  int64_t committed = 0;
  std::thread writer([&] {
    Batch b;
    // The share record of a batch is parsed here, on the store thread, like any object.
    stix::MarkingResolver share_markings;
    stix::ObjectParser share_parser(share_markings);
    while (queue.pop(b)) {
      if (b.objects.empty()) {  // only rejected objects since the last batch
        std::lock_guard lock(summary_mu);
        committed = b.settled;
        if (options.on_commit) options.on_commit(name, b.settled);
        continue;
      }
      // One share record per kMaxShareRefs objects of the batch, stored with it.
      size_t records = 0;
      if (options.share) {
        const size_t n = b.objects.size();
        for (size_t from = 0; from < n; from += kMaxShareRefs) {
          ShareSpec spec;
          spec.sharer = options.share_as;
          spec.distribution = *options.share;
          spec.created = spec.modified = clock_.now();
          for (size_t i = from; i < std::min(n, from + kMaxShareRefs); ++i) {
            spec.object_ids.push_back(b.objects[i].meta.id);
          }
          auto text = share_json(spec);
          stix::Object record;
          std::vector<stix::Issue> issues;
          if (!text.ok() || !share_parser.parse_unpadded(*text, record, issues)) {
            std::lock_guard lock(summary_mu);
            store_status =
                text.ok() ? core::Error::internal("a share record does not validate: " +
                                                  (issues.empty() ? std::string() : issues.front().message))
                          : text.error();
            queue.stop();
            return;
          }
          b.objects.push_back(std::move(record));
          ++records;
        }
      }
      auto r = store_.put(b.objects, core::to_micros(clock_.now()));
      if (!r.ok()) {
        std::lock_guard lock(summary_mu);
        store_status = std::move(r).error();
        queue.stop();
        return;
      }
      {
        std::lock_guard lock(summary_mu);
        // The share records are not objects of the file.
        r->outcomes.resize(r->outcomes.size() - records);
        r->seqs.resize(r->seqs.size() - records);
        summary.share_records += static_cast<int64_t>(records);
        count_outcomes(*r, summary);
        committed = b.settled;
      }
      if (options.on_commit) options.on_commit(name, b.settled);
    }
  });

  // Rejections are listed before warnings, whatever order they come in (see keep_findings below).
  std::vector<Finding> errors, warnings;
  auto add_finding = [&](Finding f, bool error) {
    std::lock_guard lock(summary_mu);
    f.error = error;
    if (error) {
      ++summary.rejected_by_rule[f.rule];
    } else {
      ++summary.warnings;
      ++summary.warnings_by_rule[f.rule];
    }
    auto& kept = error ? errors : warnings;
    if (kept.size() < options.max_findings) kept.push_back(std::move(f));
  };

  Batch batch;
  batch.objects.reserve(options.strict ? 0 : std::min<uint32_t>(batch_size, 65536));
  size_t batch_bytes = 0;
  bool file_ok = true;
  int64_t file_rejected = 0;
  int64_t read = 0;
  auto report_progress = [&] {
    if (!options.on_progress) return;
    Progress p;
    p.file = name;
    {
      std::lock_guard lock(summary_mu);
      p.committed = committed;
    }
    p.objects = summary.objects;
    p.file_bytes_read = static_cast<int64_t>(reader.bytes_read());
    p.file_bytes_total = static_cast<int64_t>(reader.file_size());
    options.on_progress(p);
  };

  stix::RawObject raw;
  for (;;) {
    auto next = reader.next(raw);
    if (!next.ok()) {
      if (reader.failed()) {
        file_ok = false;
        std::lock_guard lock(summary_mu);
        summary.file_errors.push_back(next.error().to_string());
        break;
      }
      // One object could not be taken (too large, too deep, not an object); the file goes on.
      ++read;
      ++file_rejected;
      {
        std::lock_guard lock(summary_mu);
        ++summary.objects;
        ++summary.rejected;
      }
      add_finding({name, raw.path, "", "object-size-or-shape", next.error().message}, true);
      batch.settled = read;
      continue;
    }
    if (*next == stix::ObjectReader::Next::kEnd) break;
    ++read;
    {
      std::lock_guard lock(summary_mu);
      ++summary.objects;
    }
    issues.clear();
    stix::Object obj;
    const bool ok = parser.parse(raw.json, obj, issues);
    for (auto& is : issues) {
      add_finding({name, join_path(raw.path, is.path), obj.meta.id.empty() ? "" : obj.meta.id,
                   is.rule, is.message},
                  is.severity == stix::Severity::kError);
    }
    if (!ok) {
      ++file_rejected;
      {
        std::lock_guard lock(summary_mu);
        ++summary.rejected;
      }
      batch.settled = read;
      continue;
    }
    batch_bytes += obj.json.size();
    batch.objects.push_back(std::move(obj));
    batch.settled = read;
    if (!options.strict &&
        (batch.objects.size() >= batch_size || batch_bytes >= options.batch_bytes)) {
      batch_bytes = 0;
      report_progress();
      Batch full = std::move(batch);
      batch = Batch{};
      batch.objects.reserve(std::min<uint32_t>(batch_size, 65536));
      if (!queue.push(std::move(full))) break;
    }
  }

  const bool refuse = options.strict && (file_rejected > 0 || !file_ok);
  int64_t committed_now;
  {
    std::lock_guard lock(summary_mu);
    committed_now = committed;
  }
  if (refuse) {
    markings_ = *markings_before;
    std::lock_guard lock(summary_mu);
    summary.file_errors.push_back(
        name + ": --strict: " + std::to_string(file_rejected) + " object(s) rejected" +
        (file_ok ? "" : " and the file is unreadable") + "; nothing from this file was stored");
  } else if (!batch.objects.empty() || batch.settled > committed_now) {
    queue.push(std::move(batch));
  }
  queue.close();
  writer.join();
  report_progress();
  if (!file_ok || refuse) ++summary.failed_files;
  keep_findings(summary.findings, std::move(errors), std::move(warnings), options.max_findings);
  summary.bytes += static_cast<int64_t>(reader.bytes_read());
  if (!store_status.ok()) {
    Error e = std::move(store_status).error();
    e.message = "the store failed while importing " + name + "; objects after the last " +
                "acknowledged batch were not stored: " + e.message;
    return e;
  }
  return {};
}

std::vector<std::filesystem::path> collect_input_files(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    out.push_back(path);
    return out;
  }
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string n = it->path().filename().string();
    auto ends = [&](std::string_view suf) {
      return n.size() >= suf.size() && n.compare(n.size() - suf.size(), suf.size(), suf) == 0;
    };
    if (ends(".json") || ends(".json.gz")) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status learn_stored_markings(store::Store& store, stix::MarkingResolver& markings) {
  store::Query q;
  q.types = {"marking-definition"};
  simdjson::dom::parser parser;
  return store.scan(q, [&](const store::StoredObject& o) {
    simdjson::dom::element e;
    simdjson::dom::object obj;
    if (parser.parse(o.json).get(e) == simdjson::SUCCESS && e.get_object().get(obj) == simdjson::SUCCESS) {
      if (auto levels = stix::classify_marking_definition(obj)) markings.learn(o.meta.id, *levels);
    }
    return true;
  });
}

}  // namespace sw::intel
