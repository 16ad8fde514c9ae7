// The pattern language from data files (STYLE.md: DuckDB-style data-driven tests), written from
// STIX 2.1 §9 and STIX 2.0 Part 5:
//   data/match_*.json  pattern + observations + expected outcome (match, binding, error)
//   data/errors.json   invalid patterns with the exact error (column and what was expected)
//   data/valid.json    valid patterns; each also survives print → parse unchanged
//   data/inspect.json  patterns with the expected `pattern inspect` JSON
// Each case is its own test, named after its file and position.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pattern/atoms.h"
#include "pattern/matcher.h"
#include "pattern/observation.h"
#include "pattern/pattern.h"

namespace sw::pattern {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

fs::path data_dir() { return fs::path(SW_SOURCE_DIR) / "tests" / "pattern" / "data"; }

json::value read_json(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(ss.str(), ec);
  if (ec) {
    ADD_FAILURE() << p << ": " << ec.message();
    return {};
  }
  return v;
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

StixVersion version_of(const std::string& v) {
  auto parsed = parse_version(v);
  EXPECT_TRUE(parsed.has_value()) << "bad version " << v;
  return parsed.value_or(StixVersion::k21);
}

std::string sanitize(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

// ---- match cases -------------------------------------------------------------------------------

struct MatchCase {
  std::string name;
  std::string where;  // file and index, for messages
  std::string version;
  std::string pattern;
  std::string observed;  // JSON text for load_observations
  json::object expect;
};

std::vector<MatchCase> match_cases() {
  std::vector<MatchCase> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(data_dir())) {
    const std::string n = e.path().filename().string();
    if (n.rfind("match_", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    json::value doc = read_json(f);
    if (!doc.is_object()) continue;
    const json::object& d = doc.as_object();
    const std::string version = d.contains("version") ? str(d.at("version")) : "2.1";
    const json::object empty;
    const json::object& sets =
        d.contains("observations") ? d.at("observations").as_object() : empty;
    size_t i = 0;
    for (const json::value& cv : d.at("cases").as_array()) {
      const json::object& c = cv.as_object();
      MatchCase m;
      m.where = f.filename().string() + " case " + std::to_string(i);
      m.name = sanitize(f.stem().string()) + "_" + std::to_string(i++);
      m.version = c.contains("version") ? str(c.at("version")) : version;
      m.pattern = str(c.at("pattern"));
      const json::value& obs = c.at("observed");
      m.observed = json::serialize(obs.is_string() ? sets.at(obs.as_string()) : obs);
      m.expect = c;
      out.push_back(std::move(m));
    }
  }
  return out;
}

void PrintTo(const MatchCase& c, std::ostream* os) { *os << c.where << ": " << c.pattern; }

class Match : public testing::TestWithParam<MatchCase> {};

TEST_P(Match, Case) {
  const MatchCase& m = GetParam();
  SCOPED_TRACE(m.where + ": " + m.pattern);
  CompileOptions opt;
  opt.version = version_of(m.version);
  auto p = Pattern::compile(m.pattern, opt);
  if (m.expect.contains("compile_error")) {
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().to_string(), str(m.expect.at("compile_error")));
    return;
  }
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  auto set = load_observations(m.observed, opt.version);
  if (m.expect.contains("load_error")) {
    ASSERT_FALSE(set.ok());
    EXPECT_NE(set.error().to_string().find(str(m.expect.at("load_error"))), std::string::npos)
        << set.error().to_string();
    return;
  }
  ASSERT_TRUE(set.ok()) << set.error().to_string();
  MatchOptions mo;
  if (m.expect.contains("max_steps")) mo.max_steps = m.expect.at("max_steps").to_number<uint64_t>();
  Matcher matcher(mo);
  auto r = matcher.match(*p, set->observations);
  if (m.expect.contains("error")) {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().to_string().find(str(m.expect.at("error"))), std::string::npos)
        << r.error().to_string();
    return;
  }
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(*r, m.expect.at("match").as_bool());
  if (*r && m.expect.contains("ids")) {
    std::vector<std::string> ids;
    for (uint32_t i : matcher.bound_observations()) ids.push_back(set->observations[i].id());
    std::vector<std::string> want;
    for (const json::value& v : m.expect.at("ids").as_array()) want.push_back(str(v));
    EXPECT_EQ(ids, want);
  }
  if (*r && m.expect.contains("binding")) {
    std::vector<std::string> got;
    for (const BindingEntry& e : matcher.binding()) {
      got.push_back(std::to_string(e.expression) + ":" + set->observations[e.observation].id() +
                    "x" + std::to_string(e.count));
    }
    std::vector<std::string> want;
    for (const json::value& v : m.expect.at("binding").as_array()) {
      const json::array& a = v.as_array();
      want.push_back(std::to_string(a[0].to_number<int>()) + ":" + str(a[1]) + "x" +
                     std::to_string(a.size() > 2 ? a[2].to_number<int>() : 1));
    }
    EXPECT_EQ(got, want);
  }
}

INSTANTIATE_TEST_SUITE_P(Data, Match, testing::ValuesIn(match_cases()),
                         [](const testing::TestParamInfo<MatchCase>& i) { return i.param.name; });

// ---- error cases -------------------------------------------------------------------------------

struct ErrorCase {
  std::string name, version, pattern;
  std::vector<std::string> errors;  // the first is what compile() reports
};

std::vector<ErrorCase> error_cases() {
  std::vector<ErrorCase> out;
  json::value doc = read_json(data_dir() / "errors.json");
  if (!doc.is_array()) return out;
  size_t i = 0;
  for (const json::value& cv : doc.as_array()) {
    const json::object& c = cv.as_object();
    ErrorCase e;
    e.name = "error_" + std::to_string(i++);
    e.version = c.contains("version") ? str(c.at("version")) : "2.1";
    e.pattern = str(c.at("pattern"));
    if (c.contains("errors")) {  // everything validate() reports; the first is compile()'s
      for (const json::value& v : c.at("errors").as_array()) e.errors.push_back(str(v));
    } else {
      e.errors.push_back(str(c.at("error")));
    }
    out.push_back(std::move(e));
  }
  return out;
}

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.pattern; }

class Invalid : public testing::TestWithParam<ErrorCase> {};

TEST_P(Invalid, ReportsColumnAndExpectation) {
  const ErrorCase& e = GetParam();
  SCOPED_TRACE(e.pattern);
  CompileOptions opt;
  opt.version = version_of(e.version);
  auto p = Pattern::compile(e.pattern, opt);
  ASSERT_FALSE(p.ok());
  ASSERT_FALSE(e.errors.empty());
  EXPECT_EQ(p.error().to_string(), e.errors[0]);
  if (e.errors.size() > 1) {
    std::vector<std::string> all;
    for (const core::Error& err : Pattern::validate(e.pattern, opt)) all.push_back(err.to_string());
    EXPECT_EQ(all, e.errors);
  }
}

INSTANTIATE_TEST_SUITE_P(Data, Invalid, testing::ValuesIn(error_cases()),
                         [](const testing::TestParamInfo<ErrorCase>& i) { return i.param.name; });

// ---- valid patterns ----------------------------------------------------------------------------

struct ValidCase {
  std::string name, version, pattern;
};

std::vector<ValidCase> valid_cases() {
  std::vector<ValidCase> out;
  json::value doc = read_json(data_dir() / "valid.json");
  if (!doc.is_object()) return out;
  for (const auto& [version, list] : doc.as_object()) {
    size_t i = 0;
    for (const json::value& v : list.as_array()) {
      out.push_back({"v" + sanitize(std::string(version)) + "_" + std::to_string(i++),
                     std::string(version), str(v)});
    }
  }
  return out;
}

void PrintTo(const ValidCase& c, std::ostream* os) { *os << c.pattern; }

class Valid : public testing::TestWithParam<ValidCase> {};

TEST_P(Valid, CompilesAndPrintsStably) {
  const ValidCase& c = GetParam();
  SCOPED_TRACE(c.pattern);
  CompileOptions opt;
  opt.version = version_of(c.version);
  auto p = Pattern::compile(c.pattern, opt);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(Pattern::validate(c.pattern, opt).empty());
  const std::string printed = to_string(p->ast());
  auto again = Pattern::compile(printed, opt);
  ASSERT_TRUE(again.ok()) << printed << ": " << again.error().to_string();
  EXPECT_EQ(to_string(again->ast()), printed);
  EXPECT_EQ(to_json(inspect(*again)), to_json(inspect(*p)));
}

INSTANTIATE_TEST_SUITE_P(Data, Valid, testing::ValuesIn(valid_cases()),
                         [](const testing::TestParamInfo<ValidCase>& i) { return i.param.name; });

// ---- inspect -----------------------------------------------------------------------------------

struct InspectCase {
  std::string name, version, pattern;
  json::value expected;
};

std::vector<InspectCase> inspect_cases() {
  std::vector<InspectCase> out;
  json::value doc = read_json(data_dir() / "inspect.json");
  if (!doc.is_array()) return out;
  size_t i = 0;
  for (const json::value& cv : doc.as_array()) {
    const json::object& c = cv.as_object();
    out.push_back({"inspect_" + std::to_string(i++),
                   c.contains("version") ? str(c.at("version")) : "2.1", str(c.at("pattern")),
                   c.at("expected")});
  }
  return out;
}

void PrintTo(const InspectCase& c, std::ostream* os) { *os << c.pattern; }

class Inspect : public testing::TestWithParam<InspectCase> {};

TEST_P(Inspect, MatchesExpectedJson) {
  const InspectCase& c = GetParam();
  SCOPED_TRACE(c.pattern);
  CompileOptions opt;
  opt.version = version_of(c.version);
  auto p = Pattern::compile(c.pattern, opt);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const std::string got = to_json(inspect(*p));
  EXPECT_EQ(json::parse(got), c.expected) << got;
}

INSTANTIATE_TEST_SUITE_P(Data, Inspect, testing::ValuesIn(inspect_cases()),
                         [](const testing::TestParamInfo<InspectCase>& i) { return i.param.name; });

}  // namespace
}  // namespace sw::pattern
