#include "cli/node_access.h"

#include <cstdio>

#include "app/node.h"
#include "cli/commands.h"

namespace sw::cli {

core::Result<OpenNode> open_node(const std::string& data_flag) {
  SW_ASSIGN(auto config, core::load_config(core::resolve_data_dir(data_flag)));
  SW_ASSIGN(auto st, app::open_store(config));
  return OpenNode{std::move(config), std::move(st)};
}

int fail_open(const core::Error& e) {
  print_error(e.to_string());
  return e.code == core::Code::kStore ? kExitStore : kExitUsage;
}

std::string with_commas(long long n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string s = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

std::string human_bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

}  // namespace sw::cli
