// shieldwall init / serve.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "app/node.h"
#include "app/runtime.h"
#include "cli/audit_record.h"
#include "cli/commands.h"
#include "cli/node_access.h"
#include "core/log.h"
#include "http/server.h"

namespace sw::cli {

int cmd_init(const InitArgs& a) {
  app::InitOptions o;
  o.data_dir = core::resolve_data_dir(a.data);
  o.org_name = a.org;
  o.country = a.country;
  o.store_backend = a.store;
  o.postgres_conninfo = a.conninfo;
  o.listen = a.listen;
  auto r = app::init_node(o);
  if (!r.ok()) {
    print_error(r.error().to_string());
    return r.error().code == core::Code::kStore ? kExitStore : kExitUsage;
  }
  {
    // The node's first audit entry. The store was just created, so this opens it again.
    auto node = open_node(o.data_dir.string());
    if (!node.ok()) return fail_open(node.error());
    audit::Event ev;
    ev.action = audit::action::kConfigChange;
    ev.target = "node";
    ev.reason = "node initialised";
    boost::json::object details{{"org", a.org}, {"country", a.country}, {"store", a.store},
                                {"listen", a.listen}, {"identity", r->identity_id}};
    ev.details_json = boost::json::serialize(details);
    if (!record_cli_event(*node->store, node->config, std::move(ev))) return kExitStore;
  }
  std::printf("initialised node for %s (%s) in %s\n", a.org.c_str(), a.country.c_str(),
              o.data_dir.string().c_str());
  std::printf("organisation identity: %s\n", r->identity_id.c_str());
  std::printf("administrator: %s, one-time password: %s (shown once; change it at first sign-in)\n",
              r->admin_user.c_str(), r->admin_password.c_str());
  std::printf("store: %s\n", a.store == "sqlite" ? r->config.sqlite_file().string().c_str() : "postgres");
  std::printf("next: shieldwall import --data %s FILE.json\n", o.data_dir.string().c_str());
  return kExitOk;
}

int cmd_serve(const ServeArgs& a) {
  // Block the stop signals first — before any thread starts, and so that a SIGTERM that arrives
  // while the node is still starting ends it cleanly too; only StopSignals::wait receives them.
  http::StopSignals signals;

  auto node = open_node(a.data);
  if (!node.ok()) {
    print_error(node.error().to_string());
    return node.error().code == core::Code::kStore ? kExitStore : kExitUsage;
  }
  core::init_logging(core::LogFormat::kJson, spdlog::level::info);

  app::RuntimeOptions ro;
  ro.listen = a.listen;
  auto rt = app::Runtime::start(node->config, ro);
  if (!rt.ok()) {
    print_error(rt.error().to_string());
    return rt.error().code == core::Code::kStore ? kExitStore : kExitUsage;
  }
  const std::string listen = a.listen.empty() ? node->config.listen : a.listen;
  SW_LOG_INFO("serving on {} (port {}), data {}", listen, (*rt)->port(),
              node->config.data_dir.string());
  const int sig = signals.wait();
  SW_LOG_INFO("signal {}: finishing requests in flight", sig);
  (*rt)->stop(std::chrono::seconds(10));
  SW_LOG_INFO("stopped");
  return kExitOk;
}

}  // namespace sw::cli
