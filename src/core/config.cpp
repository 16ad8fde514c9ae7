#include "core/config.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace sw::core {

std::filesystem::path NodeConfig::sqlite_file() const {
  std::filesystem::path p(sqlite_path);
  return p.is_absolute() ? p : data_dir / p;
}

namespace {
std::filesystem::path in_data(const std::filesystem::path& data, const std::string& p) {
  if (p.empty()) return {};
  std::filesystem::path f(p);
  return f.is_absolute() ? f : data / f;
}
}  // namespace

std::filesystem::path NodeConfig::tls_cert_file() const { return in_data(data_dir, tls_cert); }
std::filesystem::path NodeConfig::tls_key_file() const { return in_data(data_dir, tls_key); }

std::filesystem::path NodeConfig::warninglists_dir() const {
  if (warninglists.empty()) return {};
  std::filesystem::path p(warninglists);
  return p.is_absolute() ? p : data_dir / p;
}

std::filesystem::path resolve_data_dir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("SHIELDWALL_DATA"); env && *env) return env;
  return "var";
}

namespace {

struct Reader {
  const toml::table& root;
  std::string file;
  Error err;
  bool failed = false;

  std::string place(const toml::node& n, std::string_view key) const {
    const auto& src = n.source();
    return file + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
           " [" + std::string(key) + "]";
  }
  void fail(std::string msg, std::string where) {
    if (!failed) err = Error::invalid(std::move(msg), std::move(where));
    failed = true;
  }
  const toml::table* section(std::string_view name, const std::set<std::string>& allowed) {
    const toml::node* n = root.get(name);
    if (!n) return nullptr;
    const toml::table* t = n->as_table();
    if (!t) {
      fail("must be a table", place(*n, name));
      return nullptr;
    }
    for (const auto& [k, v] : *t) {
      if (!allowed.count(std::string(k.str())))
        fail("unknown key '" + std::string(k.str()) + "'", place(v, std::string(name) + "." + std::string(k.str())));
    }
    return t;
  }
  void str(const toml::table* t, std::string_view sec, std::string_view key, std::string& out) {
    if (!t) return;
    const toml::node* n = t->get(key);
    if (!n) return;
    if (auto v = n->value<std::string>()) out = *v;
    else fail("must be a string", place(*n, std::string(sec) + "." + std::string(key)));
  }
  void boolean(const toml::table* t, std::string_view sec, std::string_view key, bool& out) {
    if (!t) return;
    const toml::node* n = t->get(key);
    if (!n) return;
    if (auto v = n->value<bool>()) out = *v;
    else fail("must be true or false", place(*n, std::string(sec) + "." + std::string(key)));
  }
  template <class I>
  void integer(const toml::table* t, std::string_view sec, std::string_view key, I& out, int64_t lo,
               int64_t hi) {
    if (!t) return;
    const toml::node* n = t->get(key);
    if (!n) return;
    auto v = n->value<int64_t>();
    if (!v || *v < lo || *v > hi)
      fail("must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
           place(*n, std::string(sec) + "." + std::string(key)));
    else
      out = static_cast<I>(*v);
  }
};

}  // namespace

Result<NodeConfig> load_config(const std::filesystem::path& data_dir) {
  const auto file = data_dir / kConfigFileName;
  if (!std::filesystem::exists(file))
    return Error::not_found("no node here: " + file.string() +
                                " does not exist (run `shieldwall init --data " + data_dir.string() +
                                "` first)");
  // Debian's toml++ is built with exceptions; they stop here.
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return Error::invalid(std::string(e.description()),
                          file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                              std::to_string(e.source().begin.column));
  }
  Reader r{root, file.string(), {}, false};
  for (const auto& [k, v] : root) {
    static const std::set<std::string> kSections = {"node", "store", "server", "import",
                                                    "index"};
    if (!kSections.count(std::string(k.str())))
      r.fail("unknown section '" + std::string(k.str()) + "'", r.place(v, k.str()));
  }
  NodeConfig c;
  c.data_dir = data_dir;
  auto* node = r.section("node", {"org", "country", "identity", "default_tlp", "default_distribution"});
  r.str(node, "node", "org", c.org_name);
  r.str(node, "node", "country", c.org_country);
  r.str(node, "node", "identity", c.org_identity);
  r.str(node, "node", "default_tlp", c.default_tlp);
  r.str(node, "node", "default_distribution", c.default_distribution);
  auto* store = r.section("store", {"backend", "path", "conninfo"});
  r.str(store, "store", "backend", c.store_backend);
  r.str(store, "store", "path", c.sqlite_path);
  r.str(store, "store", "conninfo", c.postgres_conninfo);
  auto* server = r.section("server", {"listen", "tls_cert", "tls_key", "allow_plain_remote"});
  r.str(server, "server", "listen", c.listen);
  r.str(server, "server", "tls_cert", c.tls_cert);
  r.str(server, "server", "tls_key", c.tls_key);
  r.boolean(server, "server", "allow_plain_remote", c.allow_plain_remote);
  auto* import = r.section("import", {"batch_size", "batch_bytes", "max_object_bytes"});
  r.integer(import, "import", "batch_size", c.import_batch, 1, 1'000'000);
  r.integer(import, "import", "batch_bytes", c.import_batch_bytes, 1 << 16, int64_t{1} << 30);
  r.integer(import, "import", "max_object_bytes", c.max_object_bytes, 1024, int64_t{4} << 30);
  auto* index = r.section("index", {"warninglists", "over_correlation_cap"});
  r.str(index, "index", "warninglists", c.warninglists);
  r.integer(index, "index", "over_correlation_cap", c.over_correlation_cap, 1, 100'000'000);
  if (r.failed) return r.err;
  if (c.store_backend != "sqlite" && c.store_backend != "postgres") {
    const toml::node* n = store ? store->get("backend") : nullptr;
    return Error::invalid("must be \"sqlite\" or \"postgres\", not \"" + c.store_backend + "\"",
                          n ? r.place(*n, "store.backend") : file.string());
  }
  if (c.store_backend == "postgres" && c.postgres_conninfo.empty())
    return Error::invalid("backend \"postgres\" needs store.conninfo (a libpq connection string)",
                          file.string() + " [store]");
  static const std::set<std::string> kTlp = {"clear", "green", "amber", "amber+strict", "red"};
  if (!kTlp.count(c.default_tlp))
    return Error::invalid("must be one of clear, green, amber, amber+strict, red",
                          file.string() + " [node.default_tlp]");
  if (c.tls_cert.empty() != c.tls_key.empty())
    return Error::invalid("tls_cert and tls_key go together: set both (TLS) or neither",
                          file.string() + " [server]");
  if (c.default_distribution != "organisation" && c.default_distribution != "consortium" &&
      c.default_distribution != "public" &&
      !(c.default_distribution.starts_with("sharing-group:") && c.default_distribution.size() > 14))
    return Error::invalid(
        "must be one of organisation, consortium, public, sharing-group:<id>",
        file.string() + " [node.default_distribution]");
  return c;
}

Status write_config(const NodeConfig& c) {
  const auto file = c.data_dir / kConfigFileName;
  if (std::filesystem::exists(file))
    return Error::precondition("already initialised: " + file.string() + " exists");
  toml::table node{{"org", c.org_name}, {"country", c.org_country}, {"identity", c.org_identity},
                   {"default_tlp", c.default_tlp},
                   {"default_distribution", c.default_distribution}};
  toml::table store{{"backend", c.store_backend}};
  if (c.store_backend == "sqlite") store.insert("path", c.sqlite_path);
  else store.insert("conninfo", c.postgres_conninfo);
  toml::table server{{"listen", c.listen}};
  if (!c.tls_cert.empty()) {
    server.insert("tls_cert", c.tls_cert);
    server.insert("tls_key", c.tls_key);
  }
  if (c.allow_plain_remote) server.insert("allow_plain_remote", true);
  toml::table import{{"batch_size", static_cast<int64_t>(c.import_batch)},
                     {"batch_bytes", static_cast<int64_t>(c.import_batch_bytes)},
                     {"max_object_bytes", static_cast<int64_t>(c.max_object_bytes)}};
  toml::table index{{"over_correlation_cap", static_cast<int64_t>(c.over_correlation_cap)}};
  if (!c.warninglists.empty()) index.insert("warninglists", c.warninglists);
  std::ostringstream os;
  os << "# Shieldwall node configuration. See docs/configuration.md.\n\n";
  os << "[node]\n" << node << "\n\n[store]\n" << store << "\n\n[server]\n" << server
     << "\n\n[import]\n" << import << "\n\n[index]\n" << index << "\n";
  std::ofstream f(file);
  f << os.str();
  f.close();
  if (!f) return Error::io("cannot write " + file.string());
  return {};
}

}  // namespace sw::core
