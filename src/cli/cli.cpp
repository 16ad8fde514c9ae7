#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"

namespace sw::cli {

void print_error(const std::string& what) { std::fprintf(stderr, "error: %s\n", what.c_str()); }

int run(int argc, char** argv) {
  CLI::App app{"Shieldwall — a federated threat-intelligence node. See docs/ for the manual."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "shieldwall 0.1.0");
  const std::string data_help = "node data directory (default: $SHIELDWALL_DATA, then ./var)";

  InitArgs init;
  auto* c_init = app.add_subcommand("init", "create a node: data directory, config, store, identity");
  c_init->add_option("--data", init.data, data_help);
  c_init->add_option("--org", init.org, "your organisation's name")->required();
  c_init->add_option("--country", init.country, "ISO 3166-1 alpha-2 country code, e.g. NL")->required();
  c_init->add_option("--store", init.store, "sqlite (default) or postgres")
      ->check(CLI::IsMember({"sqlite", "postgres"}));
  c_init->add_option("--conninfo", init.conninfo, "libpq connection string for --store postgres");
  c_init->add_option("--listen", init.listen, "address the server listens on");

  ImportArgs imp;
  auto* c_imp = app.add_subcommand("import", "import STIX 2.1 bundles or objects (.json, .json.gz, directories)");
  c_imp->add_option("--data", imp.data, data_help);
  c_imp->add_option("inputs", imp.inputs, "files or directories")->required();
  c_imp->add_flag("--strict", imp.strict, "a file is all-or-nothing: one invalid object stores none of it");
  c_imp->add_option("--share", imp.share,
                    "share what is imported: organisation, consortium, group:NAME or public "
                    "(a share record per batch; default: the node's default distribution)");
  c_imp->add_flag("-q,--quiet", imp.quiet, "no progress and no list of rejected objects");
  c_imp->add_option("--progress", imp.progress, "auto (bar on a terminal), bar, jsonl, none")
      ->check(CLI::IsMember({"auto", "bar", "jsonl", "none"}));
  c_imp->add_option("--summary", imp.summary_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));

  ValidateArgs val;
  auto* c_val = app.add_subcommand("validate", "check files against STIX 2.1; stores nothing");
  c_val->add_option("inputs", val.inputs, "files or directories")->required();
  c_val->add_flag("-w,--warnings", val.warnings, "also list SHOULD-level warnings");
  c_val->add_option("--format", val.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  GetArgs get;
  auto* c_get = app.add_subcommand("get", "print an object by id");
  c_get->add_option("--data", get.data, data_help);
  c_get->add_option("id", get.id, "STIX id")->required();
  c_get->add_flag("--all-versions", get.all_versions, "every stored version, oldest first");

  ExportArgs exp;
  auto* c_exp = app.add_subcommand("export", "write a STIX 2.1 bundle to stdout");
  c_exp->add_option("--data", exp.data, data_help);
  c_exp->add_option("--type", exp.types, "only these types (repeatable)");
  c_exp->add_option("--added-after", exp.added_after,
                    "only versions stored after this sequence number or RFC 3339 time");
  c_exp->add_option("--limit", exp.limit, "at most N objects")->check(CLI::NonNegativeNumber);
  c_exp->add_flag("--all-versions", exp.all_versions, "every version, not only the latest");

  StatsArgs st;
  auto* c_st = app.add_subcommand("stats", "objects by type, versions, store size");
  c_st->add_option("--data", st.data, data_help);
  c_st->add_flag("--json", st.json, "print JSON");

  ServeArgs srv;
  auto* c_srv = app.add_subcommand("serve", "run the node's server");
  c_srv->add_option("--data", srv.data, data_help);
  c_srv->add_option("--listen", srv.listen, "HOST:PORT (default: server.listen from the config)");

  const std::string lists_help =
      "MISP warning lists directory (default: [index] warninglists of the config)";
  LookupArgs lk;
  auto* c_lk = app.add_subcommand("lookup", "look values up in the indicator index: JSON line per value");
  c_lk->add_option("--data", lk.data, data_help);
  c_lk->add_option("values", lk.values, "IPs, CIDRs, domains, URLs, e-mail addresses, hashes; - reads stdin")
      ->required();
  c_lk->add_option("--kind", lk.kind, "take every value as this kind (e.g. other) instead of guessing");
  c_lk->add_option("--warninglists", lk.warninglists, lists_help);
  c_lk->add_flag("--no-warninglists", lk.no_warninglists, "do not load warning lists");
  c_lk->add_flag("-q,--quiet", lk.quiet, "nothing on stderr but errors");

  CorrelateArgs cr;
  auto* c_cr = app.add_subcommand("correlate", "objects sharing indicator values with an object");
  c_cr->add_option("--data", cr.data, data_help);
  c_cr->add_option("id", cr.id, "STIX id")->required();
  c_cr->add_option("--cap", cr.cap,
                   "a value shared by more objects is reported as over-correlating (default: config)")
      ->check(CLI::PositiveNumber);
  c_cr->add_flag("-q,--quiet", cr.quiet, "nothing on stderr but errors");

  MatchArgs mt;
  auto* c_mt = app.add_subcommand("match", "match a log against the indicator index: JSON line per hit");
  c_mt->add_option("--data", mt.data, data_help);
  c_mt->add_option("input", mt.input, "log file (default: - for stdin)");
  c_mt->add_option("--format", mt.format, "lines (default), jsonl, suricata-eve, zeek")
      ->check(CLI::IsMember({"lines", "jsonl", "suricata-eve", "zeek"}));
  c_mt->add_option("--warninglists", mt.warninglists, lists_help);
  c_mt->add_flag("--no-warninglists", mt.no_warninglists, "do not load warning lists");
  c_mt->add_flag("-q,--quiet", mt.quiet, "no summary on stderr");

  int pattern_exit = -1;
  add_pattern_commands(app, pattern_exit);
  int audit_exit = -1;
  add_audit_commands(app, audit_exit);
  int accounts_exit = -1;
  add_account_commands(app, accounts_exit);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (pattern_exit >= 0) return pattern_exit;
  if (audit_exit >= 0) return audit_exit;
  if (accounts_exit >= 0) return accounts_exit;
  if (*c_init) return cmd_init(init);
  if (*c_imp) return cmd_import(imp);
  if (*c_val) return cmd_validate(val);
  if (*c_get) return cmd_get(get);
  if (*c_exp) return cmd_export(exp);
  if (*c_st) return cmd_stats(st);
  if (*c_srv) return cmd_serve(srv);
  if (*c_lk) return cmd_lookup(lk);
  if (*c_cr) return cmd_correlate(cr);
  if (*c_mt) return cmd_match(mt);
  return kExitUsage;
}

}  // namespace sw::cli
