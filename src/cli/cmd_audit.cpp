// shieldwall audit verify | list: the node's audit log (docs/audit.md).
//
//   audit verify [--json] [--anchor SEQ:HASH]   one line (or a JSON document): 0 intact,
//                                               1 not (names the first bad entry), 2 usage,
//                                               3 the store failed
//   audit list [--after SEQ] [--limit N] [--action A] [--actor U] [--org O] [--outcome O]
//              [--since TIME] [--until TIME]    one JSON line per entry, in seq order
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include "audit/audit.h"
#include "cli/audit_record.h"
#include "cli/commands.h"
#include "cli/node_access.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/time.h"

namespace sw::cli {
namespace {

struct AuditArgs {
  std::string data;
  // verify
  bool json = false;
  std::string anchor;
  // list
  long long after = 0, limit = 0;
  std::string action, actor, org, outcome, since, until;
};

int run_verify(const AuditArgs& a) {
  std::optional<audit::Anchor> anchor;
  if (!a.anchor.empty()) {
    auto parsed = audit::parse_anchor(a.anchor);
    if (!parsed.ok()) {
      print_error("--anchor: " + parsed.error().message);
      return kExitUsage;
    }
    anchor = *parsed;
  }
  auto node = open_node(a.data);
  if (!node.ok()) return fail_open(node.error());
  audit::Log log(*node->store, core::SystemClock::instance());
  auto verdict = log.verify(anchor);
  if (!verdict.ok()) {
    print_error(verdict.error().to_string());
    return kExitStore;
  }
  const audit::Verdict& v = *verdict;
  if (a.json) {
    std::printf("%s\n", audit::verdict_json(v).c_str());
  } else if (v.ok) {
    std::printf("%s\n", v.message.c_str());
  } else {
    std::printf("audit log NOT intact: first bad entry %lld (%s): %s\n",
                static_cast<long long>(v.first_bad_seq), audit::problem_name(v.kind),
                v.message.c_str());
  }
  return v.ok ? kExitOk : kExitPartial;
}

int run_list(const AuditArgs& a) {
  store::AuditQuery q;
  q.after_seq = a.after;
  q.limit = a.limit;
  q.action = a.action;
  q.actor = a.actor;
  q.org = a.org;
  q.outcome = a.outcome;
  for (auto [flag, text, out] : {std::tuple{"--since", &a.since, &q.since_us},
                                 std::tuple{"--until", &a.until, &q.until_us}}) {
    if (text->empty()) continue;
    auto ts = core::parse_timestamp(*text);
    if (!ts.ok()) {
      print_error(std::string(flag) + ": " + ts.error().message);
      return kExitUsage;
    }
    *out = core::to_micros(*ts);
  }
  auto node = open_node(a.data);
  if (!node.ok()) return fail_open(node.error());
  audit::Log log(*node->store, core::SystemClock::instance());
  Out out;
  auto st = log.list(q, [&](const audit::Entry& e) {
    out.add(audit::entry_json(e));
    out.add("\n");
    return true;
  });
  out.flush();
  if (!st.ok()) {
    print_error(st.error().to_string());
    return kExitStore;
  }
  return kExitOk;
}

}  // namespace

std::string cli_actor() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) {
    return std::string("cli:") + pw->pw_name;
  }
  return "cli:uid-" + std::to_string(geteuid());
}

bool record_cli_event(store::Store& store, const core::NodeConfig& config, audit::Event event) {
  if (event.actor.empty()) event.actor = cli_actor();
  if (event.org.empty()) event.org = config.org_identity.empty() ? config.org_name : config.org_identity;
  audit::Log log(store, core::SystemClock::instance());
  auto r = log.record(event);
  if (!r.ok()) {
    print_error("audit log: " + r.error().to_string());
    return false;
  }
  return true;
}

void add_audit_commands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AuditArgs>();  // shared by the callbacks, which app owns
  const std::string data_help = "node data directory (default: $SHIELDWALL_DATA, then ./var)";
  auto* cmd = app.add_subcommand("audit", "the node's hash-chained audit log: verify, list");
  cmd->require_subcommand(1);
  // Both `audit --data DIR verify` and `audit verify --data DIR`.
  cmd->add_option("--data", args->data, data_help);

  auto* verify = cmd->add_subcommand(
      "verify", "check every entry's hash and link; names the first entry that is not as written");
  verify->add_option("--data", args->data, data_help);
  verify->add_flag("--json", args->json, "print the verdict as a JSON document");
  verify->add_option("--anchor", args->anchor,
                     "SEQ:HASH of a head recorded earlier: also detects entries removed from the "
                     "end and rewrites");
  verify->callback([args, &exit_code] { exit_code = run_verify(*args); });

  auto* list = cmd->add_subcommand("list", "entries as JSON lines, in sequence order");
  list->add_option("--data", args->data, data_help);
  list->add_option("--after", args->after, "only entries after this sequence number")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--limit", args->limit, "at most N entries")->check(CLI::NonNegativeNumber);
  list->add_option("--action", args->action,
                   "this action and those below it (auth matches auth.login, auth.login_failed)");
  list->add_option("--actor", args->actor, "only this actor");
  list->add_option("--org", args->org, "only this organisation");
  list->add_option("--outcome", args->outcome, "ok, denied or failed")
      ->check(CLI::IsMember({audit::kOk, audit::kDenied, audit::kFailed}));
  list->add_option("--since", args->since, "only entries at or after this RFC 3339 time");
  list->add_option("--until", args->until, "only entries before this RFC 3339 time");
  list->callback([args, &exit_code] { exit_code = run_list(*args); });
}

}  // namespace sw::cli
