#include "policy/directory.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"

namespace sw::policy {

namespace json = boost::json;

namespace {

constexpr std::string_view kOrg = "org";
constexpr std::string_view kUser = "user";
constexpr std::string_view kKey = "key";
constexpr std::string_view kGroup = "group";
constexpr std::string_view kSession = "session";

constexpr std::array<std::pair<Scope, const char*>, 4> kScopeNames = {{
    {kScopeRead, "read"},
    {kScopeWrite, "write"},
    {kScopeAdmin, "admin"},
    {kScopeTaxii, "taxii"},
}};

// What sessions and passwords may do: every scope the roles allow.
Scopes scopes_of(Roles roles) {
  Scopes s = kScopeRead | kScopeTaxii;
  if (roles & (kAdmin | kAnalyst | kIncidentLead)) s |= kScopeWrite;
  if (roles & kAdmin) s |= kScopeAdmin;
  return s;
}

std::string str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
int64_t num(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_int64() ? v->as_int64() : 0;
}
bool flag(const json::object& o, std::string_view k, bool dflt) {
  const json::value* v = o.if_contains(k);
  return v && v->is_bool() ? v->as_bool() : dflt;
}

core::Result<json::object> parse_record(const Record& r) {
  auto v = core::parse_json(r.json, r.kind + "/" + r.key);
  if (!v.ok()) return std::move(v).error();
  if (!v->is_object()) return core::Error::store("not a JSON object", r.kind + "/" + r.key);
  return std::move(v->as_object());
}

// ---- (de)serialisation of each record kind
json::object to_json(const Organisation& o) {
  return {{"id", o.id},           {"name", o.name},           {"kind", org_kind_name(o.kind)},
          {"country", o.country}, {"client_of", o.client_of}, {"active", o.active}};
}
Organisation org_from(const json::object& j) {
  Organisation o;
  o.id = str(j, "id");
  o.name = str(j, "name");
  parse_org_kind(str(j, "kind"), o.kind);
  o.country = str(j, "country");
  o.client_of = str(j, "client_of");
  o.active = flag(j, "active", true);
  return o;
}

json::object to_json(const User& u) {
  return {{"name", u.name},
          {"org", u.org},
          {"roles", roles_string(u.roles)},
          {"active", u.active},
          {"must_change_password", u.must_change_password},
          {"failures", u.failures},
          {"locked_until", u.locked_until},
          {"created", u.created},
          {"last_sign_in", u.last_sign_in},
          {"password_hash", u.password_hash}};
}
User user_from(const json::object& j) {
  User u;
  u.name = str(j, "name");
  u.org = str(j, "org");
  parse_roles(str(j, "roles"), u.roles);
  u.active = flag(j, "active", true);
  u.must_change_password = flag(j, "must_change_password", false);
  u.failures = static_cast<int>(num(j, "failures"));
  u.locked_until = num(j, "locked_until");
  u.created = num(j, "created");
  u.last_sign_in = num(j, "last_sign_in");
  u.password_hash = str(j, "password_hash");
  return u;
}

json::object to_json(const ApiKey& k) {
  return {{"id", k.id},           {"user", k.user},       {"scopes", scopes_string(k.scopes)},
          {"created", k.created}, {"expires", k.expires}, {"revoked", k.revoked},
          {"digest", k.digest}};
}
ApiKey key_from(const json::object& j) {
  ApiKey k;
  k.id = str(j, "id");
  k.user = str(j, "user");
  parse_scopes(str(j, "scopes"), k.scopes);
  k.created = num(j, "created");
  k.expires = num(j, "expires");
  k.revoked = num(j, "revoked");
  k.digest = str(j, "digest");
  return k;
}

json::object to_json(const SharingGroup& g) {
  json::array members;
  for (const std::string& m : g.members) members.emplace_back(m);
  return {{"id", g.id}, {"name", g.name}, {"members", std::move(members)}};
}
SharingGroup group_from(const json::object& j) {
  SharingGroup g;
  g.id = str(j, "id");
  g.name = str(j, "name");
  if (const json::value* m = j.if_contains("members"); m && m->is_array()) {
    for (const json::value& v : m->as_array()) {
      if (v.is_string()) g.members.emplace_back(v.as_string());
    }
  }
  return g;
}

Record record(std::string_view kind, std::string key, const json::object& o) {
  return Record{std::string(kind), std::move(key), json::serialize(o), 0};
}

template <class T, class From>
core::Result<std::vector<T>> scan_all(RecordStore& rs, std::string_view kind, From from) {
  std::vector<T> out;
  std::optional<core::Error> bad;
  auto st = rs.scan(kind, [&](const Record& r) {
    auto j = parse_record(r);
    if (!j.ok()) {
      bad = j.error();
      return false;
    }
    out.push_back(from(*j));
    return true;
  });
  if (!st.ok()) return std::move(st).error();
  if (bad) return *bad;
  return out;
}

// Reads (kind, key), decodes it with `from`, lets `change` edit it (an error aborts), writes it back
// with the version read, and starts again when someone wrote in between. kNotFound (`missing`)
// when the record is not there.
template <class From, class To, class Change>
core::Status update_record(RecordStore& rs, std::string_view kind, std::string_view key,
                           const std::string& missing, From from, To to, Change&& change) {
  for (;;) {
    auto r = rs.get(kind, key);
    if (!r.ok()) return std::move(r).error();
    if (!*r) return core::Error::not_found(missing, std::string(key));
    auto j = parse_record(**r);
    if (!j.ok()) return std::move(j).error();
    auto value = from(*j);
    if (auto st = change(value); !st.ok()) return st;
    auto put = rs.put(record(kind, std::string(key), to(value)), (*r)->version);
    if (put.ok()) return core::ok_status();
    if (put.error().code != core::Code::kFailedPrecondition) return std::move(put).error();
  }
}

// The entry of `all` whose name or id is `name_or_id`.
template <class T>
const T* by_name_or_id(const std::vector<T>& all, std::string_view name_or_id) {
  for (const T& t : all) {
    if (t.id == name_or_id || t.name == name_or_id) return &t;
  }
  return nullptr;
}

core::Error denied(std::string msg) {
  return core::Error{core::Code::kPermissionDenied, std::move(msg), {}};
}

const core::Error& wrong_credentials() {
  static const core::Error e = denied("wrong user name or password");
  return e;
}

std::string when(int64_t micros) { return core::format_timestamp(core::from_micros(micros), 0); }

}  // namespace

bool parse_scopes(std::string_view list, Scopes& out) {
  Scopes s = 0;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    const auto it = std::find_if(kScopeNames.begin(), kScopeNames.end(),
                                 [&](const auto& sn) { return item == sn.second; });
    if (it == kScopeNames.end()) return false;
    s |= it->first;
  }
  if (s == 0) return false;
  out = s;
  return true;
}

std::string scopes_string(Scopes scopes) {
  std::string s;
  for (const auto& [bit, name] : kScopeNames) {
    if (!(scopes & bit)) continue;
    if (!s.empty()) s += ',';
    s += name;
  }
  return s;
}

Directory::Directory(RecordStore& records, const core::Clock& clock)
    : Directory(records, clock, Options{}) {}
Directory::Directory(RecordStore& records, const core::Clock& clock, Options options)
    : records_(records), clock_(clock), options_(options) {}

int64_t Directory::now() const { return core::to_micros(clock_.now()); }

// ---- organisations --------------------------------------------------------------------------

core::Result<Organisation> Directory::add_org(std::string name, OrgKind kind, std::string country,
                                              std::string_view client_of, std::string id) {
  if (name.empty()) return core::Error::invalid("an organisation needs a name", "name");
  if (id.empty()) {
    id = "identity--" + core::to_string(core::uuid_v4());
  } else if (core::Uuid u; !id.starts_with("identity--") || !core::parse_uuid(id.substr(10), u)) {
    return core::Error::invalid("not a STIX identity id (identity--<uuid>)", id);
  }
  Organisation o;
  o.name = std::move(name);
  o.kind = kind;
  o.country = std::move(country);
  o.id = std::move(id);
  if (kind == OrgKind::kClient) {
    if (client_of.empty()) {
      return core::Error::invalid("a client organisation needs the member it is a client of",
                                  "--client-of");
    }
    auto parent = find_org(client_of);
    if (!parent.ok()) return std::move(parent).error();
    if (parent->kind != OrgKind::kMember) {
      return core::Error::invalid(parent->name + " is not a member organisation", "--client-of");
    }
    o.client_of = parent->id;
  } else if (!client_of.empty()) {
    return core::Error::invalid("only client organisations have a member they are a client of",
                                "--client-of");
  }
  auto all = orgs();
  if (!all.ok()) return std::move(all).error();
  const Organisation* other = by_name_or_id(*all, o.name);
  if (other == nullptr) other = by_name_or_id(*all, o.id);
  if (other != nullptr) {
    return core::Error{core::Code::kAlreadyExists,
                       "an organisation named " + other->name + " exists (" + other->id + ")", o.name};
  }
  auto put = records_.put(record(kOrg, o.id, to_json(o)), 0);
  if (!put.ok()) return std::move(put).error();
  return o;
}

core::Result<std::vector<Organisation>> Directory::orgs() {
  return scan_all<Organisation>(records_, kOrg, org_from);
}

core::Result<Organisation> Directory::find_org(std::string_view name_or_id) {
  auto all = orgs();
  if (!all.ok()) return std::move(all).error();
  if (const Organisation* o = by_name_or_id(*all, name_or_id)) return *o;
  return core::Error::not_found("no organisation named " + std::string(name_or_id),
                                std::string(name_or_id));
}

core::Status Directory::set_org_active(std::string_view name_or_id, bool active) {
  auto o = find_org(name_or_id);
  if (!o.ok()) return std::move(o).error();
  return update_record(records_, kOrg, o->id, "no organisation named " + std::string(name_or_id),
                       org_from, [](const Organisation& x) { return to_json(x); },
                       [&](Organisation& x) {
                         x.active = active;
                         return core::ok_status();
                       });
}

// ---- users ----------------------------------------------------------------------------------

core::Result<std::string> Directory::add_user(std::string name, std::string_view org,
                                              Roles roles) {
  if (name.empty() || name.size() > 128 ||
      name.find_first_of(" \t\r\n:/\\\"'") != std::string::npos) {
    return core::Error::invalid(
        "a user name is 1-128 characters without spaces, quotes, colons or slashes", name);
  }
  if (roles == 0) return core::Error::invalid("a user needs at least one role", "--role");
  auto o = find_org(org);
  if (!o.ok()) return std::move(o).error();
  User u;
  u.name = std::move(name);
  u.org = o->id;
  u.roles = roles;
  u.created = now();
  std::string password = one_time_password();
  auto hash = hash_password(password);
  if (!hash.ok()) return std::move(hash).error();
  u.password_hash = std::move(*hash);
  auto put = records_.put(record(kUser, u.name, to_json(u)), 0);
  if (!put.ok()) {
    if (put.error().code == core::Code::kAlreadyExists) {
      return core::Error{core::Code::kAlreadyExists, "a user named " + u.name + " exists", u.name};
    }
    return std::move(put).error();
  }
  return password;
}

core::Result<std::vector<User>> Directory::users() {
  return scan_all<User>(records_, kUser, user_from);
}

core::Result<User> Directory::find_user(std::string_view name) {
  auto r = records_.get(kUser, name);
  if (!r.ok()) return std::move(r).error();
  if (!*r) return core::Error::not_found("no user named " + std::string(name), std::string(name));
  auto j = parse_record(**r);
  if (!j.ok()) return std::move(j).error();
  return user_from(*j);
}

namespace {

template <class Change>
core::Status update_user(RecordStore& rs, std::string_view name, Change&& change) {
  return update_record(rs, kUser, name, "no user named " + std::string(name), user_from,
                       [](const User& u) { return to_json(u); }, std::forward<Change>(change));
}

}  // namespace

core::Status Directory::set_user_active(std::string_view name, bool active) {
  return update_user(records_, name, [&](User& u) {
    u.active = active;
    if (active) {
      u.failures = 0;
      u.locked_until = 0;
    }
    return core::ok_status();
  });
}

core::Status Directory::set_roles(std::string_view name, Roles roles) {
  if (roles == 0) return core::Error::invalid("a user needs at least one role", "--role");
  return update_user(records_, name, [&](User& u) {
    u.roles = roles;
    return core::ok_status();
  });
}

core::Status Directory::set_password(std::string_view name, std::string_view password) {
  if (password.size() < 12) {
    return core::Error::invalid("a password needs at least 12 characters", "password");
  }
  auto hash = hash_password(password);
  if (!hash.ok()) return std::move(hash).error();
  return update_user(records_, name, [&](User& u) {
    u.password_hash = *hash;
    u.must_change_password = false;
    return core::ok_status();
  });
}

// ---- keys -----------------------------------------------------------------------------------

core::Result<NewApiKey> Directory::add_key(std::string_view user, Scopes scopes, int64_t expires) {
  auto u = find_user(user);
  if (!u.ok()) return std::move(u).error();
  if (scopes == 0) return core::Error::invalid("a key needs at least one scope", "--scope");
  if ((scopes & kScopeAdmin) && !(u->roles & kAdmin)) {
    return core::Error::invalid("the admin scope needs a user with the admin role; " + u->name +
                                    " has " + roles_string(u->roles),
                                "--scope");
  }
  if ((scopes & kScopeWrite) && !(scopes_of(u->roles) & kScopeWrite)) {
    return core::Error::invalid(
        "the write scope needs the analyst, incident-lead or admin role; " + u->name + " has " +
            roles_string(u->roles),
        "--scope");
  }
  if (expires != 0 && expires <= now()) {
    return core::Error::invalid("the expiry is not in the future", "--expires");
  }
  NewApiKey made = make_api_key();
  ApiKey k;
  k.id = made.id;
  k.user = u->name;
  k.scopes = scopes;
  k.created = now();
  k.expires = expires;
  k.digest = made.digest;
  auto put = records_.put(record(kKey, k.id, to_json(k)), 0);
  if (!put.ok()) return std::move(put).error();
  return made;
}

core::Result<std::vector<ApiKey>> Directory::keys() {
  return scan_all<ApiKey>(records_, kKey, key_from);
}

core::Status Directory::revoke_key(std::string_view id) {
  const int64_t t = now();
  return update_record(records_, kKey, id, "no API key " + std::string(id), key_from,
                       [](const ApiKey& k) { return to_json(k); }, [&](ApiKey& k) {
                         if (k.revoked == 0) k.revoked = t;
                         return core::ok_status();
                       });
}

// ---- groups ---------------------------------------------------------------------------------

core::Result<SharingGroup> Directory::add_group(std::string name,
                                                const std::vector<std::string>& orgs) {
  if (name.empty()) return core::Error::invalid("a sharing group needs a name", "name");
  SharingGroup g;
  g.name = std::move(name);
  g.id = "x-shieldwall-sharing-group--" + core::to_string(core::uuid_v4());
  for (const std::string& o : orgs) {
    auto found = find_org(o);
    if (!found.ok()) return std::move(found).error();
    if (std::find(g.members.begin(), g.members.end(), found->id) == g.members.end()) {
      g.members.push_back(found->id);
    }
  }
  auto all = groups();
  if (!all.ok()) return std::move(all).error();
  if (by_name_or_id(*all, g.name) != nullptr) {
    return core::Error{core::Code::kAlreadyExists, "a sharing group named " + g.name + " exists",
                       g.name};
  }
  auto put = records_.put(record(kGroup, g.id, to_json(g)), 0);
  if (!put.ok()) return std::move(put).error();
  return g;
}

core::Result<std::vector<SharingGroup>> Directory::groups() {
  return scan_all<SharingGroup>(records_, kGroup, group_from);
}

core::Status Directory::remove_group(std::string_view name_or_id) {
  auto all = groups();
  if (!all.ok()) return std::move(all).error();
  if (const SharingGroup* g = by_name_or_id(*all, name_or_id)) return records_.remove(kGroup, g->id);
  return core::Error::not_found("no sharing group named " + std::string(name_or_id),
                                std::string(name_or_id));
}

// ---- signing in -----------------------------------------------------------------------------

core::Result<Authenticated> Directory::principal_of(const User& u) {
  if (!u.active) return denied("the account " + u.name + " is disabled");
  auto o = find_org(u.org);
  if (!o.ok() || !o->active) {
    return denied("the organisation of " + u.name + " is disabled or unknown on this node");
  }
  Authenticated a;
  a.principal = {u.name, u.org, u.roles};
  a.scopes = scopes_of(u.roles);
  a.must_change_password = u.must_change_password;
  return a;
}

core::Result<Authenticated> Directory::sign_in(std::string_view user, std::string_view password) {
  auto u = find_user(user);
  if (!u.ok()) {
    if (u.error().code != core::Code::kNotFound) return std::move(u).error();
    // Cost the same as a real check, so timing does not tell which user names exist.
    static const std::string dummy = *hash_password("no such user, no such password");
    (void)verify_password(password, dummy);
    return wrong_credentials();
  }
  const int64_t t = now();
  if (u->locked_until > t) {
    return denied("too many failed sign-ins: the account " + u->name + " is locked until " +
                  when(u->locked_until) + "; an administrator can unlock it (user enable)");
  }
  const bool ok = verify_password(password, u->password_hash);
  bool locked_now = false;
  auto st = update_user(records_, u->name, [&](User& w) {
    if (ok) {
      w.failures = 0;
      w.locked_until = 0;
      w.last_sign_in = t;
    } else if (++w.failures >= options_.max_failures) {
      w.failures = 0;
      w.locked_until = t + options_.lockout_micros;
      locked_now = true;
    }
    return core::ok_status();
  });
  if (!st.ok()) return std::move(st).error();
  if (!ok) {
    if (locked_now) {
      return denied("too many failed sign-ins: the account " + u->name + " is locked until " +
                    when(t + options_.lockout_micros));
    }
    return wrong_credentials();
  }
  return principal_of(*u);
}

core::Result<Authenticated> Directory::authenticate_key(std::string_view key) {
  auto parsed = parse_api_key(key);
  if (!parsed.ok()) return denied(parsed.error().message);
  auto r = records_.get(kKey, parsed->id);
  if (!r.ok()) return std::move(r).error();
  const auto unknown = [] { return denied("unknown or wrong API key"); };
  if (!*r) return unknown();
  auto j = parse_record(**r);
  if (!j.ok()) return std::move(j).error();
  const ApiKey k = key_from(*j);
  if (!digests_equal(k.digest, parsed->digest)) return unknown();
  if (k.revoked != 0) return denied("the API key " + k.id + " was revoked on " + when(k.revoked));
  if (k.expires != 0 && k.expires <= now()) {
    return denied("the API key " + k.id + " expired on " + when(k.expires));
  }
  auto u = find_user(k.user);
  if (!u.ok()) return denied("the API key " + k.id + " belongs to no user");
  auto a = principal_of(*u);
  if (!a.ok()) return a;
  a->scopes = k.scopes & scopes_of(u->roles);
  a->key_id = k.id;
  a->must_change_password = false;  // keys are for machines
  return a;
}

core::Result<NewSession> Directory::open_session(std::string_view user) {
  auto u = find_user(user);
  if (!u.ok()) return std::move(u).error();
  NewSession s;
  s.token = random_token();
  s.csrf = random_token();
  s.expires = now() + options_.session_micros;
  json::object o{{"user", u->name}, {"csrf", s.csrf}, {"expires", s.expires}};
  auto put = records_.put(record(kSession, token_digest(s.token), o), 0);
  if (!put.ok()) return std::move(put).error();
  return s;
}

core::Result<Authenticated> Directory::session(std::string_view token) {
  if (token.size() != 43) return denied("not signed in");
  const std::string digest = token_digest(token);
  auto r = records_.get(kSession, digest);
  if (!r.ok()) return std::move(r).error();
  if (!*r) return denied("not signed in, or the session ended");
  auto j = parse_record(**r);
  if (!j.ok()) return std::move(j).error();
  if (num(*j, "expires") <= now()) {
    (void)records_.remove(kSession, digest);
    return denied("the session expired; sign in again");
  }
  auto u = find_user(str(*j, "user"));
  if (!u.ok()) return denied("the session's user no longer exists");
  auto a = principal_of(*u);
  if (!a.ok()) return a;
  a->csrf = str(*j, "csrf");
  return a;
}

core::Status Directory::close_session(std::string_view token) {
  return records_.remove(kSession, token_digest(token));
}

core::Result<Policy> Directory::policy(const Policy::Options& options) {
  Policy p(options);
  auto os = orgs();
  if (!os.ok()) return std::move(os).error();
  for (Organisation& o : *os) p.put_organisation(std::move(o));
  auto gs = groups();
  if (!gs.ok()) return std::move(gs).error();
  for (SharingGroup& g : *gs) p.put_group(std::move(g));
  return p;
}

}  // namespace sw::policy
