// shieldwall get / export / stats: reading the store.
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "cli/output.h"
#include "core/time.h"
#include "core/uuid.h"

namespace sw::cli {

int cmd_get(const GetArgs& a) {
  auto node = open_node(a.data);
  if (!node.ok()) return fail_open(node.error());
  if (a.all_versions) {
    auto versions = node->store->get_versions(a.id);
    if (!versions.ok()) return fail_open(versions.error());
    if (versions->empty()) {
      print_error(a.id + ": no such object in this node");
      return kExitPartial;
    }
    Out out;
    out.add("[");
    for (size_t i = 0; i < versions->size(); ++i) {
      if (i) out.add(",\n");
      out.add((*versions)[i].json);
    }
    out.add("]\n");
    return kExitOk;
  }
  auto obj = node->store->get(a.id);
  if (!obj.ok()) return fail_open(obj.error());
  if (!*obj) {
    print_error(a.id + ": no such object in this node");
    return kExitPartial;
  }
  Out out;
  out.add((*obj)->json);
  out.add("\n");
  return kExitOk;
}

int cmd_export(const ExportArgs& a) {
  auto node = open_node(a.data);
  if (!node.ok()) return fail_open(node.error());
  store::Query q;
  q.types = a.types;
  q.latest_only = !a.all_versions;
  q.limit = a.limit;
  if (!a.added_after.empty()) {
    char* end = nullptr;
    long long seq = std::strtoll(a.added_after.c_str(), &end, 10);
    if (end && *end == 0) {
      q.after_seq = seq;
    } else {
      auto ts = core::parse_timestamp(a.added_after);
      if (!ts.ok()) {
        print_error("--added-after: neither a sequence number nor a timestamp: " + ts.error().message);
        return kExitUsage;
      }
      q.added_after_us = core::to_micros(*ts);
    }
  }
  Out out;
  out.add("{\"type\":\"bundle\",\"id\":\"bundle--" + core::to_string(core::uuid_v4()) +
          "\",\"objects\":[");
  int64_t n = 0, last_seq = 0;
  auto st = node->store->scan(q, [&](const store::StoredObject& o) {
    if (n++) out.add(",\n");
    out.add(o.json);
    last_seq = o.seq;
    return true;
  });
  out.add("]}\n");
  out.flush();
  if (!st.ok()) {
    print_error(st.error().to_string());
    return kExitStore;
  }
  std::fprintf(stderr, "exported %s object(s)%s\n", with_commas(n).c_str(),
               n ? (" through sequence " + std::to_string(last_seq) +
                    " (continue with --added-after " + std::to_string(last_seq) + ")").c_str()
                 : "");
  return kExitOk;
}

int cmd_stats(const StatsArgs& a) {
  auto node = open_node(a.data);
  if (!node.ok()) return fail_open(node.error());
  auto stats = node->store->stats();
  if (!stats.ok()) return fail_open(stats.error());
  int64_t objects = 0, versions = 0;
  for (const auto& [t, c] : stats->by_type) {
    objects += c.objects;
    versions += c.versions;
  }
  if (a.json) {
    boost::json::object by;
    for (const auto& [t, c] : stats->by_type)
      by[t] = boost::json::object{{"objects", c.objects}, {"versions", c.versions}};
    boost::json::object o{{"backend", node->store->backend()}, {"objects", objects},
                          {"versions", versions}, {"max_seq", stats->max_seq},
                          {"bytes", stats->bytes}, {"by_type", std::move(by)}};
    std::printf("%s\n", boost::json::serialize(o).c_str());
    return kExitOk;
  }
  std::printf("%-32s %12s %12s\n", "type", "objects", "versions");
  for (const auto& [t, c] : stats->by_type)
    std::printf("%-32s %12s %12s\n", t.c_str(), with_commas(c.objects).c_str(),
                with_commas(c.versions).c_str());
  std::printf("%-32s %12s %12s\n", "total", with_commas(objects).c_str(), with_commas(versions).c_str());
  std::printf("\nstore: %s, %s; sequence numbers up to %s\n", node->store->backend(),
              human_bytes(double(stats->bytes)).c_str(), with_commas(stats->max_seq).c_str());
  return kExitOk;
}

}  // namespace sw::cli
