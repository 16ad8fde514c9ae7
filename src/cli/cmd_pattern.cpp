// shieldwall pattern validate | match | inspect: STIX patterning from the command line
// (docs/patterning.md). Each prints exactly one JSON document on stdout.
//
//   pattern validate [--stix-version V] PATTERN           {"valid", "errors"}       0 valid, 1 not
//   pattern match [--stix-version V] --pattern P --observed FILE
//                                                          {"matched", "observed_data_ids", "sdos"}
//                                                          0 matched, 1 not, 3 error {"error": …}
//   pattern inspect [--stix-version V] PATTERN            {"qualifiers", "observation_ops",
//                                                          "comparisons"}            0, or 3 error
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "core/json.h"
#include "core/uuid.h"
#include "pattern/atoms.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"

namespace sw::cli {
namespace {

constexpr int kPatternYes = 0;    // valid / matched / inspected
constexpr int kPatternNo = 1;     // invalid / not matched
constexpr int kPatternError = 3;  // the pattern or the observations could not be used

struct PatternArgs {
  std::string version = "2.1";
  std::string pattern;
  std::string observed;
};

void print(const std::string& json) {
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

int print_error(const char* kind, const std::string& message) {
  std::string out = "{\"error\":{\"kind\":";
  core::append_json_string(out, kind);
  out += ",\"message\":";
  core::append_json_string(out, message);
  out += "}}";
  print(out);
  return kPatternError;
}

pattern::CompileOptions options(const PatternArgs& a) {
  pattern::CompileOptions o;
  o.version = pattern::parse_version(a.version).value_or(pattern::StixVersion::k21);
  return o;
}

int run_validate(const PatternArgs& a) {
  const auto errors = pattern::Pattern::validate(a.pattern, options(a));
  std::string out =
      errors.empty() ? "{\"valid\":true,\"errors\":[" : "{\"valid\":false,\"errors\":[";
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i) out.push_back(',');
    core::append_json_string(out, errors[i].to_string());
  }
  out += "]}";
  print(out);
  return errors.empty() ? kPatternYes : kPatternNo;
}

int run_inspect(const PatternArgs& a) {
  auto p = pattern::Pattern::compile(a.pattern, options(a));
  if (!p.ok()) return print_error("parse", p.error().to_string());
  print(pattern::to_json(pattern::inspect(*p)));
  return kPatternYes;
}

bool read_file(const std::string& path, std::string& out, std::string& error) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

int run_match(const PatternArgs& a) {
  const pattern::CompileOptions opt = options(a);
  auto p = pattern::Pattern::compile(a.pattern, opt);
  if (!p.ok()) return print_error("parse", p.error().to_string());
  std::string text, error;
  if (!read_file(a.observed, text, error)) return print_error("matcher", error);
  pattern::LoadOptions load;
  load.keep_source = true;
  auto set = pattern::load_observations(text, opt.version, load);
  if (!set.ok())
    return print_error("matcher", a.observed + set.error().to_string().insert(0, ": "));
  pattern::Matcher matcher;
  auto matched = matcher.match(*p, set->observations);
  if (!matched.ok()) return print_error("matcher", matched.error().to_string());

  std::string out = *matched ? "{\"matched\":true,\"observed_data_ids\":["
                             : "{\"matched\":false,\"observed_data_ids\":[";
  const std::vector<uint32_t> bound =
      *matched ? matcher.bound_observations() : std::vector<uint32_t>{};
  for (size_t i = 0; i < bound.size(); ++i) {
    if (i) out.push_back(',');
    core::append_json_string(out, set->observations[bound[i]].id());
  }
  out += "],\"sdos\":[";
  for (size_t i = 0; i < bound.size(); ++i) {
    if (i) out.push_back(',');
    const pattern::ObservationSource& src = set->sources[bound[i]];
    if (opt.version == pattern::StixVersion::k20) {
      out += src.observed_data;  // the observed-data object as given
      continue;
    }
    // STIX 2.1: one bundle per observation, the observed-data first, then the SCOs it lists.
    out += "{\"type\":\"bundle\",\"id\":";
    core::append_json_string(
        out, "bundle--" + core::to_string(core::uuid_v5(core::stix_sco_namespace(),
                                                        set->observations[bound[i]].id())));
    out += ",\"objects\":[";
    out += src.observed_data;
    for (const std::string& o : src.objects) {
      out.push_back(',');
      out += o;
    }
    out += "]}";
  }
  out += "]}";
  print(out);
  return *matched ? kPatternYes : kPatternNo;
}

}  // namespace

// Declares `pattern validate|match|inspect` on `app`. When one is chosen, app.parse() runs it and
// stores its exit code in `exit_code` (which must outlive `app`); otherwise exit_code is untouched.
void add_pattern_commands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PatternArgs>();  // shared by the callbacks, which app owns
  auto* cmd = app.add_subcommand("pattern",
                                 "STIX patterns: validate, match against observed-data, inspect");
  cmd->require_subcommand(1);
  const auto version = [&](CLI::App* sub) {
    sub->add_option("--stix-version", args->version,
                    "STIX version of the pattern: 2.0 or 2.1 (default 2.1)")
        ->check(CLI::IsMember({"2.0", "2.1"}));
  };

  auto* validate =
      cmd->add_subcommand("validate", "check a pattern; prints {\"valid\", \"errors\"}");
  version(validate);
  validate->add_option("pattern", args->pattern, "the STIX pattern")->required();
  validate->callback([args, &exit_code] { exit_code = run_validate(*args); });

  auto* match = cmd->add_subcommand("match",
                                    "match a pattern against observed-data; prints {\"matched\", "
                                    "\"observed_data_ids\", \"sdos\"}");
  version(match);
  match->add_option("--pattern", args->pattern, "the STIX pattern")->required();
  match
      ->add_option(
          "--observed", args->observed,
          "JSON list: 2.0 observed-data objects (objects embedded), or 2.1 bundles holding "
          "observed-data and the SCOs they reference ('-' reads stdin)")
      ->required();
  match->callback([args, &exit_code] { exit_code = run_match(*args); });

  auto* inspect = cmd->add_subcommand(
      "inspect", "list a pattern's qualifiers, observation operators and comparisons as JSON");
  version(inspect);
  inspect->add_option("pattern", args->pattern, "the STIX pattern")->required();
  inspect->callback([args, &exit_code] { exit_code = run_inspect(*args); });
}

}  // namespace sw::cli
