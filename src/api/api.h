// The REST API (/api/v1): handlers over the layer-4 services, installed on an http::Server. Every
// request is authenticated (an API key as a bearer token or as the password of HTTP Basic, or the
// web UI's session cookie with its CSRF token on state-changing requests), checked against the
// key's scopes, and reads intel only through intel::Catalog — the policy on every path.
//
// Routes (docs/api.md):
//   POST   /api/v1/session                   sign in (user, password) → session cookie + CSRF token
//   DELETE /api/v1/session                   sign out
//   GET    /api/v1/me                        who the caller is
//   GET    /api/v1/objects                   list (type, added_after, after, limit), by cursor
//   GET    /api/v1/objects/{id}              latest version (or ?version=<modified>)
//   GET    /api/v1/objects/{id}/versions     every readable version
//   GET    /api/v1/objects/{id}/correlations objects sharing atoms with it
//   GET    /api/v1/lookup?value=V[&kind=K]   hits for one value
//   POST   /api/v1/lookup                    {"values": [...]} → hits per value
//
// Thread-safety: handlers run concurrently on the server's I/O threads; each borrows a store
// connection from a pool. The index, share index and policy are shared (their own locks).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/server.h"
#include "index/index.h"
#include "intel/shares.h"
#include "policy/directory.h"
#include "policy/policy.h"
#include "store/store.h"

namespace sw::api {

// The policy in force, replaced when organisations or groups change. Thread-safe.
class PolicyHolder {
 public:
  explicit PolicyHolder(policy::Policy p) : p_(std::make_shared<const policy::Policy>(std::move(p))) {}
  std::shared_ptr<const policy::Policy> get() const {
    std::lock_guard lock(mu_);
    return p_;
  }
  void set(policy::Policy p) {
    auto next = std::make_shared<const policy::Policy>(std::move(p));
    std::lock_guard lock(mu_);
    p_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const policy::Policy> p_;
};

struct Services {
  // Opens one more connection to the node's store (the pool calls it as threads need one).
  std::function<core::Result<store::StorePtr>()> open_store;
  const index::Index* index = nullptr;
  const intel::ShareIndex* shares = nullptr;
  PolicyHolder* policy = nullptr;
  const core::Clock* clock = nullptr;
  // Session cookies get `Secure` when the server speaks TLS.
  bool secure_cookies = true;
  // Upper bound of values in one POST /lookup.
  size_t max_lookup_values = 10000;
  // Writes an entry to the audit log (sign-ins, failed sign-ins, password changes). Thread-safe;
  // null: nothing is recorded.
  std::function<void(audit::Event)> audit;
};

class Api {
 public:
  explicit Api(Services services);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Adds the routes and the auth hook to `server` (before it starts).
  void install(http::Server& server);

  // For tests and the OpenAPI check: every (method, template) installed.
  const std::vector<std::pair<std::string, std::string>>& routes() const { return routes_; }

 private:
  struct Pool;
  struct Lease;
  class Handlers;

  Services s_;
  std::unique_ptr<Pool> pool_;
  std::vector<std::pair<std::string, std::string>> routes_;
};

}  // namespace sw::api
