// Every STIX indicator pattern in the shared public data ($SW_SHARED_DATA, else the build's
// default) validates: the OASIS examples, the TAXII server's test data, ATT&CK, MBC, ...
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pattern/pattern.h"

namespace sw::pattern {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path shared_data() {
  if (const char* env = std::getenv("SW_SHARED_DATA"); env && *env) return env;
  return SW_SHARED_DATA_DEFAULT;
}

struct Found {
  std::string file, pattern, version;
};

void collect(const json::value& v, const std::string& file, std::vector<Found>& out) {
  if (v.is_array()) {
    for (const json::value& e : v.as_array()) collect(e, file, out);
    return;
  }
  if (!v.is_object()) return;
  const json::object& o = v.as_object();
  const auto str = [&](const char* k) -> std::string {
    const json::value* p = o.if_contains(k);
    return p && p->is_string() ? std::string(p->as_string()) : std::string();
  };
  if (str("type") == "indicator" && o.contains("pattern")) {
    const std::string type = str("pattern_type");
    if (type.empty() || type == "stix") {
      std::string version = str("pattern_version");
      if (version.empty()) version = str("spec_version");
      if (version.empty()) version = "2.0";  // STIX 2.0 objects have no spec_version
      out.push_back({file, str("pattern"), version});
    }
  }
  for (const auto& kv : o) collect(kv.value(), file, out);
}

TEST(SharedData, EveryIndicatorPatternValidates) {
  const fs::path root = shared_data();
  if (!fs::exists(root)) GTEST_SKIP() << "no shared data at " << root;
  std::vector<Found> found;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    if (e.file_size() > (64u << 20)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec) continue;  // not every .json file of the feeds is JSON we care about
    collect(v, fs::relative(e.path(), root).string(), found);
  }
  // The OASIS example bundles alone hold 48 indicators; finding none means the data moved.
  EXPECT_GE(found.size(), 48u);
  for (const Found& f : found) {
    CompileOptions opt;
    opt.version = f.version == "2.0" ? StixVersion::k20 : StixVersion::k21;
    auto p = Pattern::compile(f.pattern, opt);
    EXPECT_TRUE(p.ok()) << f.file << ": " << f.pattern << ": " << p.error().to_string();
  }
  std::printf("validated %zu indicator patterns\n", found.size());
}

}  // namespace
}  // namespace sw::pattern
