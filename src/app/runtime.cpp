#include "app/runtime.h"

#include <boost/json.hpp>

#include "api/api.h"
#include "audit/audit.h"
#include "core/log.h"
#include "app/node.h"
#include "core/clock.h"
#include "http/server.h"
#include "index/index.h"
#include "intel/follower.h"
#include "intel/index_loader.h"
#include "intel/shares.h"
#include "policy/directory.h"
#include "policy/records.h"

namespace sw::app {

struct Runtime::Impl {
  core::NodeConfig config;
  policy::Policy::Options policy_options;
  store::StorePtr follow_store;  // the follower's connection
  store::StorePtr admin_store;   // policy reloads
  index::Index index;
  intel::ShareIndex shares;
  std::unique_ptr<api::PolicyHolder> policy;
  std::unique_ptr<intel::Follower> follower;
  std::unique_ptr<api::Api> api;
  std::unique_ptr<http::Server> server;
  uint16_t port = 0;
  std::atomic<bool> ready{false};
  // The audit log, written from the server's threads one at a time.
  std::mutex audit_mu;
  store::StorePtr audit_store;
  std::unique_ptr<audit::Log> audit_log;

  void record(audit::Event ev) {
    std::lock_guard lock(audit_mu);
    if (auto r = audit_log->record(ev); !r.ok()) {
      SW_LOG_ERROR("audit log: {}", r.error().to_string());
    }
  }

  core::Result<policy::Policy> load_policy() {
    auto records = policy::store_records(*admin_store);
    policy::Directory dir(*records, core::SystemClock::instance());
    return dir.policy(policy_options);
  }
};

Runtime::Runtime() : impl_(std::make_unique<Impl>()) {}
Runtime::~Runtime() {
  if (impl_) stop(std::chrono::seconds(0));
}

core::Result<std::unique_ptr<Runtime>> Runtime::start(const core::NodeConfig& config,
                                                      const RuntimeOptions& options) {
  std::unique_ptr<Runtime> rt(new Runtime());
  Impl& m = *rt->impl_;
  m.config = config;
  auto po = policy::options_from(config);
  if (!po.ok()) return std::move(po).error();
  m.policy_options = *po;
  auto fs = open_store(config);
  if (!fs.ok()) return std::move(fs).error();
  m.follow_store = std::move(*fs);
  auto as = open_store(config);
  if (!as.ok()) return std::move(as).error();
  m.admin_store = std::move(*as);
  auto aus = open_store(config);
  if (!aus.ok()) return std::move(aus).error();
  m.audit_store = std::move(*aus);
  m.audit_log = std::make_unique<audit::Log>(*m.audit_store, core::SystemClock::instance());
  auto p = m.load_policy();
  if (!p.ok()) return std::move(p).error();
  m.policy = std::make_unique<api::PolicyHolder>(std::move(*p));

  const core::Clock& clock = core::SystemClock::instance();
  m.follower = std::make_unique<intel::Follower>(*m.follow_store, m.index, m.shares, clock);
  auto first = m.follower->catch_up(2);  // the whole store, on two threads
  if (!first.ok()) return std::move(first).error();
  m.ready = true;

  api::Services s;
  s.open_store = [config] { return open_store(config); };
  s.index = &m.index;
  s.shares = &m.shares;
  s.policy = m.policy.get();
  s.clock = &clock;
  s.secure_cookies = !config.tls_cert.empty();
  s.audit = [mp = &m](audit::Event ev) { mp->record(std::move(ev)); };
  m.api = std::make_unique<api::Api>(std::move(s));

  http::ServerOptions so;
  so.listen = options.listen.empty() ? config.listen : options.listen;
  so.threads = options.threads;
  so.tls_cert_file = config.tls_cert_file().string();
  so.tls_key_file = config.tls_key_file().string();
  so.allow_plain_remote = config.allow_plain_remote;
  so.access_log = options.access_log;
  Impl* mp = &m;
  // Refusals worth keeping: bad credentials, missing scopes, CSRF, traversal, floods.
  so.on_security_event = [mp](const http::SecurityEvent& e) {
    if (e.kind == "login-failed") return;  // the API records it with its reason
    audit::Event ev;
    ev.actor = e.principal.empty() ? "anonymous" : e.principal;
    ev.action = e.kind == "forbidden" ? audit::action::kPolicyDeny : "http.refused";
    ev.target = e.path;
    ev.outcome = audit::kDenied;
    ev.reason = e.kind + (e.detail.empty() ? "" : ": " + e.detail);
    ev.details_json = boost::json::serialize(boost::json::object{
        {"remote", e.remote}, {"status", e.status}, {"method", e.method}, {"request_id", e.request_id}});
    mp->record(std::move(ev));
  };
  so.readiness = [mp]() -> core::Status {
    if (!mp->ready) return core::Error::precondition("loading the index");
    return core::ok_status();
  };
  m.server = std::make_unique<http::Server>(so);
  m.server->metrics().gauge_callback(
      "shieldwall_index_objects", "objects with atoms in the indicator index",
      [mp] { return static_cast<double>(mp->index.stats().objects); });
  m.server->metrics().gauge_callback(
      "shieldwall_index_bytes", "memory held by the indicator index",
      [mp] { return static_cast<double>(mp->index.stats().bytes); });
  m.server->metrics().gauge_callback(
      "shieldwall_store_seq", "the store's sequence number the node has caught up to",
      [mp] { return static_cast<double>(mp->follower->seq()); });
  m.api->install(*m.server);
  auto port = m.server->start();
  if (!port.ok()) return std::move(port).error();
  m.port = *port;

  m.follower->start(options.follow_interval, [](const core::Error&) {},
                    [mp] {
                      // Organisations and groups change from other processes (the CLI).
                      if (auto p = mp->load_policy(); p.ok()) mp->policy->set(std::move(*p));
                    });
  return rt;
}

uint16_t Runtime::port() const { return impl_->port; }

void Runtime::stop(std::chrono::milliseconds grace) {
  if (impl_->server) impl_->server->stop(grace);
  if (impl_->follower) impl_->follower->stop();
}

}  // namespace sw::app
