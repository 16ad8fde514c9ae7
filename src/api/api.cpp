#include "api/api.h"

#include <sodium.h>

#include <any>
#include <boost/json.hpp>
#include <charconv>

#include "core/json.h"
#include "core/time.h"
#include "index/json_out.h"
#include "intel/catalog.h"
#include "policy/records.h"

namespace sw::api {

namespace json = boost::json;
using http::Problem;
using http::Request;
using http::Response;

namespace {

constexpr std::string_view kCookie = "sw_session";

Response json_response(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// The value of cookie `name` in a Cookie header ("a=1; sw_session=…").
std::string_view cookie(const Request& req, std::string_view name) {
  auto h = req.header("Cookie");
  if (!h) return {};
  std::string_view rest = *h;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view item = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=') {
      return item.substr(name.size() + 1);
    }
  }
  return {};
}

bool safe_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out(in.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                        in.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

const policy::Authenticated* auth_of(const Request& req) {
  return std::any_cast<policy::Authenticated>(&req.auth);
}

std::string scope_name(policy::Scopes s) { return policy::scopes_string(s); }

Response store_failure(const core::Error& e, const Request& req) {
  Response r = http::problem(Problem::kNotReady, "the node's store failed: " + e.message, req.path);
  r.log_error = e.to_string();
  return r;
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

// ---- store connections ----------------------------------------------------------------------

struct Api::Pool {
  std::function<core::Result<store::StorePtr>()> open;
  std::mutex mu;
  std::vector<store::StorePtr> idle;

  core::Result<store::StorePtr> take() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        store::StorePtr s = std::move(idle.back());
        idle.pop_back();
        return s;
      }
    }
    return open();
  }
  void give(store::StorePtr s) {
    std::lock_guard lock(mu);
    idle.push_back(std::move(s));
  }
};

// A store connection borrowed for one request.
struct Api::Lease {
  Lease(Pool& p, store::StorePtr s) : pool(p), store(std::move(s)) {}
  ~Lease() {
    if (store) pool.give(std::move(store));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Pool& pool;
  store::StorePtr store;
};

// ---- handlers -------------------------------------------------------------------------------

class Api::Handlers {
 public:
  Handlers(Services& s, Pool& pool) : s_(s), pool_(pool) {}

  // What every handler starts with: a store connection, the directory over it, the catalog.
  struct Ctx {
    std::unique_ptr<Lease> lease;
    std::unique_ptr<policy::RecordStore> records;
    std::unique_ptr<policy::Directory> directory;
    std::shared_ptr<const policy::Policy> policy;
    std::unique_ptr<intel::Catalog> catalog;
  };

  std::variant<Ctx, Response> context(const Request& req) {
    auto st = pool_.take();
    if (!st.ok()) return store_failure(st.error(), req);
    Ctx c;
    c.lease = std::make_unique<Lease>(pool_, std::move(*st));
    c.records = policy::store_records(*c.lease->store);
    c.directory = std::make_unique<policy::Directory>(*c.records, *s_.clock);
    c.policy = s_.policy->get();
    c.catalog = std::make_unique<intel::Catalog>(*c.lease->store, *s_.index, *s_.shares, *c.policy);
    return c;
  }

  // The auth hook: API key (bearer, or Basic with the key as password), else session cookie.
  std::optional<Response> authenticate(Request& req) {
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    Ctx& c = std::get<Ctx>(ctx);
    core::Result<policy::Authenticated> a = core::Error::invalid("", "");
    bool by_session = false;
    if (auto h = req.header("Authorization")) {
      std::string_view v = *h;
      if (v.size() > 7 && http::iequals(v.substr(0, 7), "Bearer ")) {
        a = c.directory->authenticate_key(v.substr(7));
      } else if (v.size() > 6 && http::iequals(v.substr(0, 6), "Basic ")) {
        auto decoded = base64_decode(v.substr(6));
        const size_t colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) return unauthorized(req, "malformed Basic credentials");
        a = c.directory->authenticate_key(std::string_view(*decoded).substr(colon + 1));
        if (a.ok() && a->principal.user != decoded->substr(0, colon)) {
          return unauthorized(req, "the API key does not belong to that user");
        }
      } else {
        return unauthorized(req, "use a Bearer API key, Basic with user and API key, or a session");
      }
    } else if (std::string_view token = cookie(req, kCookie); !token.empty()) {
      a = c.directory->session(token);
      by_session = true;
    } else {
      return unauthorized(req, "this needs an API key (Authorization: Bearer swk_…) or a session");
    }
    if (!a.ok()) {
      if (a.error().code == core::Code::kPermissionDenied) return unauthorized(req, a.error().message);
      return store_failure(a.error(), req);
    }
    if (by_session && !safe_method(req.method)) {
      auto sent = req.header("X-CSRF-Token");
      if (!sent || !policy::digests_equal(*sent, a->csrf)) {
        Response r = http::problem(Problem::kCsrf,
                                   "a signed-in browser request that changes something must send "
                                   "the X-CSRF-Token header it received at sign-in",
                                   req.path);
        r.security_event = "csrf";
        return r;
      }
    }
    req.principal = a->key_id.empty() ? a->principal.user : a->principal.user + "/" + a->key_id;
    req.rate_key = a->key_id.empty() ? "user:" + a->principal.user : a->key_id;
    req.auth = std::move(*a);
    return std::nullopt;
  }

  static Response unauthorized(const Request& req, std::string_view why) {
    Response r = http::problem(Problem::kUnauthorized, why, req.path);
    r.headers.set("WWW-Authenticate", "Bearer realm=\"shieldwall\", Basic realm=\"shieldwall\"");
    r.security_event = "unauthorized";
    return r;
  }

  // The caller's identity with `scope`, or the 403 that refuses it.
  static std::variant<const policy::Authenticated*, Response> need(const Request& req,
                                                                   policy::Scopes scope) {
    const policy::Authenticated* a = auth_of(req);
    if (a == nullptr) return http::problem(Problem::kUnauthorized, "not signed in", req.path);
    if ((a->scopes & scope) != scope) {
      Response r = http::problem(Problem::kForbidden,
                                 "this needs the " + scope_name(scope) + " scope; the credentials have " +
                                     (a->scopes ? scope_name(a->scopes) : std::string("none")),
                                 req.path);
      r.security_event = "forbidden";
      return r;
    }
    if (a->must_change_password) {
      return http::problem(Problem::kForbidden,
                           "change the one-time password first (POST /api/v1/me/password)",
                           req.path);
    }
    return a;
  }

  // ---- sessions

  Response sign_in(Request& req) {
    auto body = core::parse_json(req.body, "request body");
    const json::object* o = body.ok() ? body->if_object() : nullptr;
    const json::value* u = o ? o->if_contains("user") : nullptr;
    const json::value* p = o ? o->if_contains("password") : nullptr;
    if (!u || !p || !u->is_string() || !p->is_string()) {
      return http::problem(Problem::kBadRequest,
                           "send {\"user\": \"…\", \"password\": \"…\"} as JSON", req.path);
    }
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    Ctx& c = std::get<Ctx>(ctx);
    const std::string user(u->as_string());
    auto a = c.directory->sign_in(user, std::string_view(p->as_string()));
    if (!a.ok()) {
      if (a.error().code != core::Code::kPermissionDenied) return store_failure(a.error(), req);
      record(user, "", audit::action::kLoginFailed, audit::kDenied, a.error().message, req);
      Response r = http::problem(Problem::kUnauthorized, a.error().message, req.path);
      r.security_event = "login-failed";
      req.principal = user;
      return r;
    }
    record(user, a->principal.org, audit::action::kLogin, audit::kOk, "signed in", req);
    auto s = c.directory->open_session(user);
    if (!s.ok()) return store_failure(s.error(), req);
    req.principal = user;
    json::object out{{"user", a->principal.user},
                     {"org", a->principal.org},
                     {"roles", policy::roles_string(a->principal.roles)},
                     {"csrf", s->csrf},
                     {"must_change_password", a->must_change_password}};
    Response r = json_response(json::serialize(out));
    std::string cookie_value = std::string(kCookie) + "=" + s->token +
                               "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200";
    if (s_.secure_cookies) cookie_value += "; Secure";
    r.headers.set("Set-Cookie", cookie_value);
    return r;
  }

  Response sign_out(Request& req) {
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    if (std::string_view token = cookie(req, kCookie); !token.empty()) {
      (void)std::get<Ctx>(ctx).directory->close_session(token);
    }
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.set("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  }

  Response me(Request& req) {
    const policy::Authenticated* a = auth_of(req);
    if (!a) return http::problem(Problem::kUnauthorized, "not signed in", req.path);
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    Ctx& c = std::get<Ctx>(ctx);
    const policy::Organisation* org = c.policy->organisation(a->principal.org);
    json::object out{{"user", a->principal.user},
                     {"org", a->principal.org},
                     {"org_name", org ? org->name : ""},
                     {"org_kind", org ? policy::org_kind_name(org->kind) : ""},
                     {"roles", policy::roles_string(a->principal.roles)},
                     {"scopes", scope_name(a->scopes)},
                     {"key", a->key_id},
                     {"must_change_password", a->must_change_password}};
    return json_response(json::serialize(out));
  }

  Response change_password(Request& req) {
    const policy::Authenticated* a = auth_of(req);
    if (!a) return http::problem(Problem::kUnauthorized, "not signed in", req.path);
    auto body = core::parse_json(req.body, "request body");
    const json::object* o = body.ok() ? body->if_object() : nullptr;
    const json::value* cur = o ? o->if_contains("current") : nullptr;
    const json::value* nxt = o ? o->if_contains("new") : nullptr;
    if (!cur || !nxt || !cur->is_string() || !nxt->is_string()) {
      return http::problem(Problem::kBadRequest, "send {\"current\": \"…\", \"new\": \"…\"} as JSON",
                           req.path);
    }
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    Ctx& c = std::get<Ctx>(ctx);
    auto check = c.directory->sign_in(a->principal.user, std::string_view(cur->as_string()));
    if (!check.ok()) {
      if (check.error().code != core::Code::kPermissionDenied) return store_failure(check.error(), req);
      return http::problem(Problem::kForbidden, "the current password is wrong", req.path);
    }
    auto st = c.directory->set_password(a->principal.user, std::string_view(nxt->as_string()));
    if (st.ok()) {
      record(a->principal.user, a->principal.org, "user.password_change", audit::kOk,
             "password changed", req);
    }
    if (!st.ok()) {
      if (st.error().code == core::Code::kInvalidArgument) {
        return http::problem(Problem::kUnprocessable, st.error().message, req.path);
      }
      return store_failure(st.error(), req);
    }
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }

  // ---- objects

  Response get_object(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    Ctx& c = std::get<Ctx>(ctx);
    std::optional<std::string> version;
    if (auto v = req.query.get("version")) {
      auto t = core::parse_timestamp(*v);
      if (!t.ok()) {
        return http::problem(Problem::kBadRequest, "version: not an RFC 3339 timestamp", req.path);
      }
      version = core::sortable(*t);
    }
    auto o = c.catalog->get(a.principal, req.param("id"), version);
    if (!o.ok()) return not_found_or_failure(o.error(), req);
    return json_response(std::move(o->json));
  }

  Response versions(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    auto v = std::get<Ctx>(ctx).catalog->versions(a.principal, req.param("id"));
    if (!v.ok()) return not_found_or_failure(v.error(), req);
    std::string out = "{\"versions\":[";
    for (size_t i = 0; i < v->size(); ++i) {
      if (i) out += ',';
      out += (*v)[i].json;
    }
    out += "]}";
    return json_response(std::move(out));
  }

  Response list(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    intel::ListFilter f;
    for (std::string_view t : req.query.all("type")) f.types.emplace_back(t);
    int64_t after = 0;
    if (auto c = req.query.get("after")) {
      auto v = parse_int(*c);
      if (!v || *v < 0) return http::problem(Problem::kBadRequest, "after: not a cursor", req.path);
      after = *v;
    }
    if (auto t = req.query.get("added_after")) {
      auto ts = core::parse_timestamp(*t);
      if (!ts.ok()) {
        return http::problem(Problem::kBadRequest, "added_after: not an RFC 3339 timestamp",
                             req.path);
      }
      f.added_after_us = core::to_micros(*ts);
    }
    int64_t limit = 100;
    if (auto l = req.query.get("limit")) {
      auto v = parse_int(*l);
      if (!v || *v < 1 || *v > 1000) {
        return http::problem(Problem::kBadRequest, "limit: a number from 1 to 1000", req.path);
      }
      limit = *v;
    }
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    auto page = std::get<Ctx>(ctx).catalog->list(a.principal, f, after, static_cast<size_t>(limit));
    if (!page.ok()) return store_failure(page.error(), req);
    std::string out = "{\"objects\":[";
    for (size_t i = 0; i < page->objects.size(); ++i) {
      if (i) out += ',';
      out += page->objects[i].json;
    }
    out += "],\"next\":\"" + std::to_string(page->next) + "\",\"more\":";
    out += page->more ? "true}" : "false}";
    return json_response(std::move(out));
  }

  Response correlations(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    const std::string id(req.param("id"));
    auto c = std::get<Ctx>(ctx).catalog->correlate(a.principal, id);
    if (!c.ok()) return not_found_or_failure(c.error(), req);
    std::string out;
    index::append_correlation_json(out, id, *c);
    return json_response(std::move(out));
  }

  // ---- look-ups

  // {"value":…,"kind":…,"hits":[…]} for one value, or a 400-worthy message.
  std::optional<std::string> lookup_one(Ctx& c, index::Index::Reader& reader,
                                        const policy::Principal& who, std::string_view value,
                                        std::optional<index::Kind> kind, std::string& out) {
    if (!kind) kind = index::classify(value);
    if (!kind) return "cannot tell what kind of value '" + std::string(value.substr(0, 80)) +
                      "' is; pass kind=";
    out += "{\"value\":";
    core::append_json_string(out, value);
    out += ",\"kind\":";
    core::append_json_string(out, index::kind_name(*kind));
    out += ",\"hits\":[";
    bool first = true;
    c.catalog->lookup(who, reader, *kind, value, [&](const index::Hit& h) {
      if (!first) out += ',';
      first = false;
      index::append_hit_json(out, h, h.decided);
    });
    out += "]}";
    return std::nullopt;
  }

  Response lookup(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    auto value = req.query.get("value");
    if (!value || value->empty()) {
      return http::problem(Problem::kBadRequest, "value: the value to look up is missing", req.path);
    }
    std::optional<index::Kind> kind;
    if (auto k = req.query.get("kind")) {
      kind = index::parse_kind(*k);
      if (!kind) return http::problem(Problem::kBadRequest, "kind: unknown kind", req.path);
    }
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    auto reader = s_.index->reader();
    std::string out;
    if (auto bad = lookup_one(std::get<Ctx>(ctx), reader, a.principal, *value, kind, out)) {
      return http::problem(Problem::kBadRequest, *bad, req.path);
    }
    return json_response(std::move(out));
  }

  Response lookup_batch(Request& req) {
    auto n = need(req, policy::kScopeRead);
    if (auto* r = std::get_if<Response>(&n)) return std::move(*r);
    const policy::Authenticated& a = *std::get<const policy::Authenticated*>(n);
    auto body = core::parse_json(req.body, "request body");
    const json::object* o = body.ok() ? body->if_object() : nullptr;
    const json::value* values = o ? o->if_contains("values") : nullptr;
    if (!values || !values->is_array()) {
      return http::problem(Problem::kBadRequest, "send {\"values\": [\"…\", …]} as JSON", req.path);
    }
    if (values->as_array().size() > s_.max_lookup_values) {
      return http::problem(Problem::kBadRequest,
                           "at most " + std::to_string(s_.max_lookup_values) + " values per request",
                           req.path);
    }
    auto ctx = context(req);
    if (auto* r = std::get_if<Response>(&ctx)) return std::move(*r);
    auto reader = s_.index->reader();
    std::string out = "{\"results\":[";
    bool first = true;
    for (const json::value& v : values->as_array()) {
      if (!v.is_string()) {
        return http::problem(Problem::kBadRequest, "values: every value must be a string", req.path);
      }
      if (!first) out += ',';
      first = false;
      const size_t mark = out.size();
      if (auto bad = lookup_one(std::get<Ctx>(ctx), reader, a.principal, v.as_string(),
                                std::nullopt, out)) {
        out.resize(mark);
        out += "{\"value\":";
        core::append_json_string(out, v.as_string());
        out += ",\"error\":";
        core::append_json_string(out, *bad);
        out += '}';
      }
    }
    out += "]}";
    return json_response(std::move(out));
  }

 private:
  void record(const std::string& actor, const std::string& org, const char* action,
              const char* outcome, const std::string& reason, const Request& req) {
    if (!s_.audit) return;
    audit::Event ev;
    ev.actor = actor;
    ev.org = org;
    ev.action = action;
    ev.target = actor;
    ev.outcome = outcome;
    ev.reason = reason;
    ev.details_json = json::serialize(json::object{{"remote", req.remote}, {"request_id", req.request_id}});
    s_.audit(std::move(ev));
  }

  static Response not_found_or_failure(const core::Error& e, const Request& req) {
    if (e.code == core::Code::kNotFound) return http::problem(Problem::kNotFound, e.message, req.path);
    return store_failure(e, req);
  }

  Services& s_;
  Pool& pool_;
};

Api::Api(Services services) : s_(std::move(services)), pool_(std::make_unique<Pool>()) {
  pool_->open = s_.open_store;
}

Api::~Api() = default;

void Api::install(http::Server& server) {
  auto h = std::make_shared<Handlers>(s_, *pool_);
  server.set_auth_hook([h](Request& req) { return h->authenticate(req); });
  const std::vector<std::string> json_body = {"application/json"};
  auto add = [&](const std::string& method, const std::string& path, auto fn,
                 http::RouteOptions options = {}) {
    server.route(method, path, [h, fn](Request& req) { return ((*h).*fn)(req); }, options);
    routes_.emplace_back(method, path);
  };
  http::RouteOptions open_json;
  open_json.authenticate = false;
  open_json.accepts = json_body;
  open_json.max_body_bytes = 64 * 1024;
  add("POST", "/api/v1/session", &Handlers::sign_in, open_json);
  http::RouteOptions open;
  open.authenticate = false;
  add("DELETE", "/api/v1/session", &Handlers::sign_out, open);
  add("GET", "/api/v1/me", &Handlers::me);
  http::RouteOptions small_json;
  small_json.accepts = json_body;
  small_json.max_body_bytes = 64 * 1024;
  add("POST", "/api/v1/me/password", &Handlers::change_password, small_json);
  add("GET", "/api/v1/objects", &Handlers::list);
  add("GET", "/api/v1/objects/{id}", &Handlers::get_object);
  add("GET", "/api/v1/objects/{id}/versions", &Handlers::versions);
  add("GET", "/api/v1/objects/{id}/correlations", &Handlers::correlations);
  add("GET", "/api/v1/lookup", &Handlers::lookup);
  http::RouteOptions batch;
  batch.accepts = json_body;
  batch.max_body_bytes = 8 << 20;
  add("POST", "/api/v1/lookup", &Handlers::lookup_batch, batch);
}

}  // namespace sw::api
