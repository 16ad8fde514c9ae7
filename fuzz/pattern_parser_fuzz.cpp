// Fuzz target for STIX patterns (untrusted: they come from partners). For arbitrary bytes, read as
// a pattern in STIX 2.0 and in 2.1: validation and compilation never crash or hang and agree;
// every error names its place; a valid pattern prints to text that parses back to the same
// text; inspection, atoms and evaluation against a few observations (with a small search budget)
// complete.
#include <cstdint>
#include <string>
#include <string_view>

#include "pattern/atoms.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"

namespace {

// A few observations touching most value kinds: strings, numbers, binary, lists, references.
const sw::pattern::ObservationSet& observations() {
  static const sw::pattern::ObservationSet set = [] {
    auto s = sw::pattern::load_observations(R"([{"type":"bundle","id":"bundle--1","objects":[
      {"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z",
       "last_observed":"2020-01-01T00:05:00Z","number_observed":3,
       "object_refs":["file--1","ipv4-addr--1","network-traffic--1"]},
      {"type":"observed-data","id":"observed-data--2","first_observed":"2020-01-01T00:01:00Z",
       "last_observed":"2020-01-01T00:01:00Z","number_observed":1,"object_refs":["ipv4-addr--2"]},
      {"type":"file","id":"file--1","name":"foo.dll","size":25536,"magic_number_hex":"ffd8",
       "hashes":{"MD5":"79054025255fb1a26e4bc422aef54eb4"},"x_list":[1,"a",true,null,{"k":"v"}],
       "ctime":"2014-01-13T07:03:17Z","x_ratio":1.5,"x_text":"e\u0301 caf\u00e9"},
      {"type":"ipv4-addr","id":"ipv4-addr--1","value":"198.51.100.1"},
      {"type":"ipv4-addr","id":"ipv4-addr--2","value":"203.0.113.0/24"},
      {"type":"network-traffic","id":"network-traffic--1","src_ref":"ipv4-addr--1",
       "dst_ref":"ipv4-addr--2","protocols":["ipv4","tcp"]}]}])",
                                            sw::pattern::StixVersion::k21);
    return s.ok() ? std::move(s).value() : sw::pattern::ObservationSet{};
  }();
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (64 << 10)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto version : {sw::pattern::StixVersion::k20, sw::pattern::StixVersion::k21}) {
    sw::pattern::CompileOptions opt;
    opt.version = version;
    const auto errors = sw::pattern::Pattern::validate(text, opt);
    auto p = sw::pattern::Pattern::compile(text, opt);
    if (p.ok() != errors.empty()) __builtin_trap();
    if (!p.ok()) {
      if (p.error().where.empty() || p.error().message.empty()) __builtin_trap();
      continue;
    }
    const std::string printed = sw::pattern::to_string(p->ast());
    auto again = sw::pattern::Pattern::compile(printed, opt);
    if (!again.ok() || sw::pattern::to_string(again->ast()) != printed) __builtin_trap();
    (void)sw::pattern::to_json(sw::pattern::inspect(*p));
    (void)sw::pattern::atoms(*p);
    (void)sw::pattern::atom_decision(*p);
    sw::pattern::MatchOptions mo;
    mo.max_steps = 20000;
    mo.max_binding_entries = 64;
    sw::pattern::Matcher m(mo);
    auto r = m.match(*p, observations().observations);
    if (r.ok() && *r && m.binding().empty()) __builtin_trap();  // a match has a binding
  }
  return 0;
}
