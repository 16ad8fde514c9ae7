// The accounts of a node: organisations, users and their roles, API keys, sharing groups, web
// sessions — and signing in with any of them. Kept as local records (records.h): never synced.
//
// Organisations and sharing groups feed the Policy (policy()); users and keys become the
// Principal a request acts as. Secrets are never stored: passwords as Argon2id hashes, keys and
// session tokens as SHA-256 digests (credentials.h). A new user gets a one-time password that must
// be changed at first sign-in; a new key is shown once.
//
// Sign-in failures say "wrong user name or password" whether or not the user exists (and cost the
// same time); after Options::max_failures failures in a row the account is locked for
// Options::lockout_micros, which the error says.
//
// Thread-safety: one Directory per thread (it holds no state of its own beyond the options; the
// record store serialises writes, and counters are updated by compare-and-set).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "policy/credentials.h"
#include "policy/policy.h"
#include "policy/records.h"

namespace sw::policy {

// What an API key may be used for (a bit set).
enum Scope : uint8_t { kScopeRead = 1, kScopeWrite = 2, kScopeAdmin = 4, kScopeTaxii = 8 };
using Scopes = uint8_t;
bool parse_scopes(std::string_view list, Scopes& out);  // "read,write,taxii,admin"
std::string scopes_string(Scopes scopes);

struct User {
  std::string name;  // unique on the node
  std::string org;   // organisation id
  Roles roles = 0;
  bool active = true;
  bool must_change_password = true;
  int failures = 0;            // failed sign-ins in a row
  int64_t locked_until = 0;    // micros since the epoch; 0 when not locked
  int64_t created = 0;
  int64_t last_sign_in = 0;
  std::string password_hash;  // never shown
};

struct ApiKey {
  std::string id;  // the visible prefix "swk_…"
  std::string user;
  Scopes scopes = kScopeRead;
  int64_t created = 0;
  int64_t expires = 0;  // 0: never
  int64_t revoked = 0;  // 0: not revoked
  std::string digest;   // never shown
};

// Who a request acts as, once signed in.
struct Authenticated {
  Principal principal;
  Scopes scopes = 0;   // keys: the key's; passwords and sessions: every scope the roles allow
  std::string key_id;  // the API key used, if any
  std::string csrf;    // sessions: the token a state-changing request must echo
  bool must_change_password = false;
};

struct NewSession {
  std::string token;  // the cookie value, shown once
  std::string csrf;
  int64_t expires = 0;
};

class Directory {
 public:
  struct Options {
    int max_failures = 5;
    int64_t lockout_micros = 15LL * 60 * 1'000'000;
    int64_t session_micros = 12LL * 3600 * 1'000'000;
  };

  Directory(RecordStore& records, const core::Clock& clock);
  Directory(RecordStore& records, const core::Clock& clock, Options options);

  // ---- organisations. `name_or_id`: the name as added, or the identity id.
  // Adds an organisation; `id` is its STIX identity id ("identity--<uuid>", made when empty).
  // kAlreadyExists for a name or id in use; kInvalidArgument for a client without a member, a
  // member or authority with one, or an id that is not an identity id.
  core::Result<Organisation> add_org(std::string name, OrgKind kind, std::string country,
                                     std::string_view client_of = {}, std::string id = {});
  core::Result<std::vector<Organisation>> orgs();
  core::Result<Organisation> find_org(std::string_view name_or_id);
  core::Status set_org_active(std::string_view name_or_id, bool active);

  // ---- users. add_user returns the one-time password.
  core::Result<std::string> add_user(std::string name, std::string_view org, Roles roles);
  core::Result<std::vector<User>> users();
  core::Result<User> find_user(std::string_view name);
  core::Status set_user_active(std::string_view name, bool active);
  core::Status set_roles(std::string_view name, Roles roles);
  // Sets a password chosen by the user (at least 12 characters); clears must_change_password.
  core::Status set_password(std::string_view name, std::string_view password);

  // ---- API keys. add_key returns the key, once; `expires` 0 for never.
  core::Result<NewApiKey> add_key(std::string_view user, Scopes scopes, int64_t expires);
  core::Result<std::vector<ApiKey>> keys();  // every user's
  core::Status revoke_key(std::string_view id);

  // ---- sharing groups. Members by organisation name or id.
  core::Result<SharingGroup> add_group(std::string name, const std::vector<std::string>& orgs);
  core::Result<std::vector<SharingGroup>> groups();
  core::Status remove_group(std::string_view name_or_id);

  // ---- signing in. Errors: kPermissionDenied with a message a person can act on (and that does
  // not tell whether a user exists); kStore and others from the record store.
  core::Result<Authenticated> sign_in(std::string_view user, std::string_view password);
  core::Result<Authenticated> authenticate_key(std::string_view key);
  core::Result<NewSession> open_session(std::string_view user);
  core::Result<Authenticated> session(std::string_view token);
  core::Status close_session(std::string_view token);

  // The policy over the current organisations and groups.
  core::Result<Policy> policy(const Policy::Options& options);

 private:
  core::Result<Authenticated> principal_of(const User& u);
  int64_t now() const;

  RecordStore& records_;
  const core::Clock& clock_;
  Options options_;
};

}  // namespace sw::policy
