// shieldwall import / validate.
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "cli/audit_record.h"
#include "cli/commands.h"
#include "cli/node_access.h"
#include "policy/directory.h"
#include "policy/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "intel/ingest.h"
#include "stix/parse.h"

namespace sw::cli {
namespace {

using Clock = std::chrono::steady_clock;

// A one-line progress bar on stderr (objects/s, bytes, ETA), redrawn at most 5 times a second.
class ProgressBar {
 public:
  void update(const intel::Progress& p, bool force = false) {
    auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double frac = p.file_bytes_total > 0
                            ? std::min(1.0, double(p.file_bytes_read) / double(p.file_bytes_total))
                            : 0.0;
    const int width = 24;
    std::string bar(static_cast<size_t>(width), ' ');
    for (int i = 0; i < int(frac * width); ++i) bar[static_cast<size_t>(i)] = '#';
    const double rate = secs > 0 ? double(p.objects) / secs : 0;
    const double file_secs = std::chrono::duration<double>(now - file_start_).count();
    const double eta = frac > 0.001 ? file_secs * (1 - frac) / frac : 0;
    std::string name = p.file;
    if (name.size() > 32) name = "…" + name.substr(name.size() - 31);
    std::fprintf(stderr, "\r\033[K%3d%% |%s| %s objects  %s/s  %s / %s  ETA %ds  %s",
                 int(frac * 100), bar.c_str(), with_commas(p.objects).c_str(),
                 with_commas(static_cast<long long>(rate)).c_str(),
                 human_bytes(double(p.file_bytes_read)).c_str(),
                 human_bytes(double(p.file_bytes_total)).c_str(), int(eta), name.c_str());
    std::fflush(stderr);
  }
  void file(const std::string&) { file_start_ = Clock::now(); }
  void finish() { std::fprintf(stderr, "\r\033[K"); }

 private:
  Clock::time_point start_ = Clock::now(), file_start_ = Clock::now(), last_{};
};

void print_summary_text(const intel::ImportSummary& s, double secs) {
  std::printf("imported %s file(s), %s, in %.2f s (%s objects/s)\n", with_commas(s.files).c_str(),
              human_bytes(double(s.bytes)).c_str(), secs,
              with_commas(secs > 0 ? static_cast<long long>(double(s.objects) / secs) : 0).c_str());
  std::printf("  objects read   %12s\n", with_commas(s.objects).c_str());
  std::printf("  accepted       %12s  (new objects %s, new versions %s, older versions kept as history %s)\n",
              with_commas(s.stored()).c_str(), with_commas(s.new_objects).c_str(),
              with_commas(s.new_versions).c_str(), with_commas(s.history).c_str());
  std::printf("  duplicates     %12s\n", with_commas(s.duplicates).c_str());
  if (s.share_records)
    std::printf("  shared by      %12s  share record(s) covering the accepted objects and duplicates\n",
                with_commas(s.share_records).c_str());
  if (s.revoked)
    std::printf("  refused        %12s  (newer versions of revoked objects)\n", with_commas(s.revoked).c_str());
  std::printf("  rejected       %12s\n", with_commas(s.rejected).c_str());
  for (const auto& [rule, n] : s.rejected_by_rule)
    std::printf("    %-26s %s\n", rule.c_str(), with_commas(n).c_str());
  if (s.warnings) {
    std::printf("  warnings       %12s\n", with_commas(s.warnings).c_str());
    for (const auto& [rule, n] : s.warnings_by_rule)
      std::printf("    %-26s %s\n", rule.c_str(), with_commas(n).c_str());
  }
  if (s.failed_files) std::printf("  files failed   %12s\n", with_commas(s.failed_files).c_str());
  if (s.first_seq) std::printf("  sequence numbers %lld..%lld\n", (long long)s.first_seq, (long long)s.last_seq);
}

boost::json::object summary_json(const intel::ImportSummary& s, double secs) {
  boost::json::object o;
  o["files"] = s.files;
  o["bytes"] = s.bytes;
  o["seconds"] = secs;
  o["objects"] = s.objects;
  o["accepted"] = s.stored();
  o["new_objects"] = s.new_objects;
  o["new_versions"] = s.new_versions;
  o["history"] = s.history;
  o["duplicates"] = s.duplicates;
  o["revoked_refused"] = s.revoked;
  o["rejected"] = s.rejected;
  o["warnings"] = s.warnings;
  o["failed_files"] = s.failed_files;
  boost::json::object by;
  for (const auto& [k, v] : s.rejected_by_rule) by[k] = v;
  o["rejected_by_rule"] = std::move(by);
  boost::json::object wb;
  for (const auto& [k, v] : s.warnings_by_rule) wb[k] = v;
  o["warnings_by_rule"] = std::move(wb);
  boost::json::array fe;
  for (const auto& e : s.file_errors) fe.emplace_back(e);
  o["file_errors"] = std::move(fe);
  boost::json::array rej;
  for (const auto& f : s.findings) {
    rej.push_back(boost::json::object{{"file", f.file}, {"path", f.path}, {"id", f.id},
                                      {"rule", f.rule}, {"message", f.message},
                                      {"severity", f.error ? "error" : "warning"}});
  }
  o["findings"] = std::move(rej);
  o["first_seq"] = s.first_seq;
  o["last_seq"] = s.last_seq;
  o["share_records"] = s.share_records;
  return o;
}

void list_findings(const intel::ImportSummary& s, bool warnings) {
  int64_t shown = 0;
  for (const auto& e : s.file_errors) std::fprintf(stderr, "error: %s\n", e.c_str());
  for (const auto& f : s.findings) {
    std::fprintf(stderr, "%s\n", f.to_string().c_str());
    ++shown;
  }
  int64_t total = warnings ? s.warnings : 0;
  for (const auto& [rule, n] : s.rejected_by_rule) total += n;
  if (total > shown)
    std::fprintf(stderr, "… and %s more (counts by rule below)\n", with_commas(total - shown).c_str());
}

}  // namespace

int cmd_import(const ImportArgs& a) {
  auto node = open_node(a.data);
  if (!node.ok()) {
    print_error(node.error().to_string());
    return node.error().code == core::Code::kStore ? kExitStore : kExitUsage;
  }
  stix::MarkingResolver markings;
  if (auto st = intel::learn_stored_markings(*node->store, markings); !st.ok()) {
    print_error(st.error().to_string());
    return kExitStore;
  }
  intel::ImportOptions opt;
  if (!a.share.empty()) {
    // group:NAME names a sharing group of this node; the rest are distributions as written.
    policy::Distribution d;
    if (a.share.starts_with("group:")) {
      auto records = policy::store_records(*node->store);
      policy::Directory dir(*records, core::SystemClock::instance());
      auto groups = dir.groups();
      if (!groups.ok()) return fail_open(groups.error());
      const std::string name = a.share.substr(6);
      auto g = std::find_if(groups->begin(), groups->end(),
                            [&](const policy::SharingGroup& x) { return x.name == name || x.id == name; });
      if (g == groups->end()) {
        print_error("--share: no sharing group named '" + name + "' (see shieldwall group list)");
        return kExitUsage;
      }
      d = {policy::DistributionKind::kSharingGroup, g->id};
    } else if (a.share == "organisation" || a.share == "consortium" || a.share == "public") {
      policy::parse_distribution(a.share, d);
    } else {
      print_error("--share: organisation, consortium, group:NAME or public, not '" + a.share + "'");
      return kExitUsage;
    }
    if (node->config.org_identity.empty()) {
      print_error("--share: the node has no organisation identity ([node] identity)");
      return kExitUsage;
    }
    opt.share = d;
    opt.share_as = node->config.org_identity;
  }
  intel::Importer importer(*node->store, core::SystemClock::instance(), markings);
  opt.strict = a.strict;
  opt.batch_size = node->config.import_batch;
  opt.batch_bytes = node->config.import_batch_bytes;
  opt.reader.max_object_bytes = node->config.max_object_bytes;
  opt.max_findings = 1000;
  // Warnings are counted but not listed: rejected objects are what needs acting on.
  std::string mode = a.progress;
  if (mode == "auto") mode = (!a.quiet && isatty(STDERR_FILENO)) ? "bar" : "none";
  ProgressBar bar;
  if (mode == "bar") opt.on_progress = [&](const intel::Progress& p) { bar.update(p); };
  if (mode == "jsonl") {
    opt.on_commit = [](const std::string& file, int64_t settled) {
      std::string line = "{\"event\":\"commit\",\"file\":";
      core::append_json_string(line, file);
      line += ",\"settled\":" + std::to_string(settled) + "}\n";
      std::fputs(line.c_str(), stderr);
      std::fflush(stderr);
    };
  }
  const auto start = Clock::now();
  intel::ImportSummary summary;
  int rc = kExitOk;
  std::vector<std::string> file_names;  // for the audit log
  core::Error store_error;
  for (const auto& input : a.inputs) {
    auto files = intel::collect_input_files(input);
    for (const auto& f : files) {
      file_names.push_back(f.string());
      bar.file(f.string());
      auto st = importer.import_file(f, opt, summary);
      if (!st.ok()) {
        if (mode == "bar") bar.finish();
        print_error(st.error().to_string());
        store_error = st.error();
        rc = kExitStore;
        break;
      }
    }
    if (rc == kExitStore) break;
  }
  if (mode == "bar") bar.finish();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  // Only errors are listed; warnings are summarised by rule.
  intel::ImportSummary listed = summary;
  std::erase_if(listed.findings, [](const intel::Finding& f) { return !f.error; });
  if (!a.quiet) list_findings(listed, false);
  if (a.summary_format == "json") {
    std::printf("%s\n", boost::json::serialize(summary_json(summary, secs)).c_str());
  } else {
    print_summary_text(summary, secs);
  }
  // One audit entry per run: what was written, from which files (the first 100 named).
  boost::json::object details{{"files_total", file_names.size()},
                              {"objects", summary.objects},
                              {"accepted", summary.stored()},
                              {"new_objects", summary.new_objects},
                              {"new_versions", summary.new_versions},
                              {"history", summary.history},
                              {"duplicates", summary.duplicates},
                              {"revoked_refused", summary.revoked},
                              {"rejected", summary.rejected},
                              {"failed_files", summary.failed_files},
                              {"first_seq", summary.first_seq},
                              {"last_seq", summary.last_seq},
                              {"strict", a.strict},
                              {"share", a.share},
                              {"share_records", summary.share_records}};
  boost::json::array names;
  for (size_t i = 0; i < file_names.size() && i < 100; ++i) names.emplace_back(file_names[i]);
  details["files"] = std::move(names);
  audit::Event ev;
  ev.action = audit::action::kObjectWrite;
  ev.target = "import";
  ev.outcome = rc == kExitStore ? audit::kFailed : audit::kOk;
  ev.reason = rc == kExitStore ? store_error.to_string() : std::string();
  ev.details_json = boost::json::serialize(details);
  if (!record_cli_event(*node->store, node->config, std::move(ev))) return kExitStore;
  if (rc != kExitOk) return rc;
  return summary.rejected > 0 || summary.failed_files > 0 ? kExitPartial : kExitOk;
}

int cmd_validate(const ValidateArgs& a) {
  int64_t objects = 0, errors = 0, warnings = 0, files = 0, file_errors = 0;
  boost::json::array findings;
  for (const auto& input : a.inputs) {
    for (const auto& f : intel::collect_input_files(input)) {
      ++files;
      stix::MarkingResolver markings;
      stix::ObjectParser parser(markings);
      auto reader = stix::ObjectReader::open(f);
      auto report = [&](const std::string& path, const std::string& id, const std::string& rule,
                        const std::string& msg, bool error) {
        if (a.format == "json") {
          findings.push_back(boost::json::object{{"file", f.string()}, {"path", path}, {"id", id},
                                                 {"rule", rule}, {"message", msg},
                                                 {"severity", error ? "error" : "warning"}});
        } else {
          intel::Finding fd{f.string(), path, id, rule, msg};
          std::printf("%s%s\n", error ? "" : "warning: ", fd.to_string().c_str());
        }
      };
      if (!reader.ok()) {
        ++file_errors;
        report("", "", "file", reader.error().to_string(), true);
        continue;
      }
      stix::RawObject raw;
      std::vector<stix::Issue> issues;
      for (;;) {
        auto n = (*reader)->next(raw);
        if (!n.ok()) {
          if ((*reader)->failed()) {
            ++file_errors;
            report(raw.path, "", "file", n.error().to_string(), true);
            break;
          }
          ++objects;
          ++errors;
          report(raw.path, "", "object-size-or-shape", n.error().message, true);
          continue;
        }
        if (*n == stix::ObjectReader::Next::kEnd) break;
        ++objects;
        issues.clear();
        stix::Object obj;
        parser.parse(raw.json, obj, issues);
        for (const auto& is : issues) {
          const bool err = is.severity == stix::Severity::kError;
          if (err) ++errors; else ++warnings;
          if (err || a.warnings) {
            std::string path = raw.path + (is.path.size() > 1 ? is.path.substr(1) : "");
            report(path, obj.meta.id, is.rule, is.message, err);
          }
        }
      }
    }
  }
  if (a.format == "json") {
    boost::json::object o{{"files", files}, {"objects", objects}, {"errors", errors},
                          {"warnings", warnings}, {"file_errors", file_errors},
                          {"findings", std::move(findings)}};
    std::printf("%s\n", boost::json::serialize(o).c_str());
  } else {
    std::fprintf(stderr, "%s file(s), %s object(s): %s error(s), %s warning(s)%s\n",
                 with_commas(files).c_str(), with_commas(objects).c_str(),
                 with_commas(errors).c_str(), with_commas(warnings).c_str(),
                 file_errors ? (", " + with_commas(file_errors) + " unreadable file(s)").c_str() : "");
  }
  return errors > 0 || file_errors > 0 ? kExitPartial : kExitOk;
}

}  // namespace sw::cli
