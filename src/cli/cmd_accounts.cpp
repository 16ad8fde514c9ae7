// shieldwall org | user | key | group: the node's accounts, for operators (docs/accounts.md).
// Each `add` prints what scripts need alone on stdout (an id, a one-time password, a key) and a
// sentence on stderr; `list` prints one JSON line per entry; `disable` (and `enable`) act at once.
// Every change is written to the audit log.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <memory>

#include "cli/audit_record.h"
#include "cli/commands.h"
#include "cli/node_access.h"
#include "core/time.h"
#include "policy/directory.h"
#include "policy/records.h"

namespace sw::cli {

namespace json = boost::json;

namespace {

struct Args {
  std::string data;
  std::string name;
  std::string kind;
  std::string country;
  std::string client_of;
  std::string org;
  std::string roles;
  std::string user;
  std::string scopes = "read";
  int expires_days = 0;
  std::vector<std::string> orgs;
};

// The node, its directory, and the audit trail of what a command changes.
struct Accounts {
  OpenNode node;
  std::unique_ptr<policy::RecordStore> records;
  std::unique_ptr<policy::Directory> directory;

  bool audit(std::string action, std::string target, std::string reason, json::object details = {}) {
    audit::Event ev;
    ev.action = std::move(action);
    ev.target = std::move(target);
    ev.reason = std::move(reason);
    ev.details_json = json::serialize(details);
    return record_cli_event(*node.store, node.config, std::move(ev));
  }
};

std::variant<std::unique_ptr<Accounts>, int> open_accounts(const std::string& data) {
  auto node = open_node(data);
  if (!node.ok()) return fail_open(node.error());
  auto a = std::make_unique<Accounts>();
  a->node = std::move(*node);
  a->records = policy::store_records(*a->node.store);
  a->directory = std::make_unique<policy::Directory>(*a->records, core::SystemClock::instance());
  return a;
}

void line(const json::object& o) {
  const std::string s = json::serialize(o) + "\n";
  std::fwrite(s.data(), 1, s.size(), stdout);
}

std::string when(int64_t micros) {
  return micros == 0 ? std::string() : core::format_timestamp(core::from_micros(micros), 0);
}

// Runs `body` on the opened accounts of `args.data`.
template <class Body>
int with_accounts(const Args& args, Body&& body) {
  auto opened = open_accounts(args.data);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  return body(*std::get<std::unique_ptr<Accounts>>(opened));
}

// ---- org

int org_add(const Args& a) {
  policy::OrgKind kind;
  if (!policy::parse_org_kind(a.kind, kind)) {
    print_error("--kind: member, authority or client");
    return kExitUsage;
  }
  return with_accounts(a, [&](Accounts& acc) {
    auto o = acc.directory->add_org(a.name, kind, a.country, a.client_of);
    if (!o.ok()) return fail_open(o.error());
    if (!acc.audit("org.create", o->id, "organisation added",
                   {{"name", o->name}, {"kind", policy::org_kind_name(o->kind)}, {"country", o->country}}))
      return kExitStore;
    std::printf("%s\n", o->id.c_str());
    std::fprintf(stderr, "organisation %s added as %s (%s)\n", o->name.c_str(),
                 policy::org_kind_name(o->kind), o->id.c_str());
    return kExitOk;
  });
}

int org_list(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto orgs = acc.directory->orgs();
    if (!orgs.ok()) return fail_open(orgs.error());
    for (const auto& o : *orgs) {
      line({{"id", o.id},
            {"name", o.name},
            {"kind", policy::org_kind_name(o.kind)},
            {"country", o.country},
            {"client_of", o.client_of},
            {"active", o.active}});
    }
    return kExitOk;
  });
}

int org_set_active(const Args& a, bool active) {
  return with_accounts(a, [&](Accounts& acc) {
    auto st = acc.directory->set_org_active(a.name, active);
    if (!st.ok()) return fail_open(st.error());
    if (!acc.audit(active ? "org.enable" : "org.disable", a.name,
                   active ? "organisation enabled" : "organisation disabled"))
      return kExitStore;
    std::fprintf(stderr, "organisation %s %s\n", a.name.c_str(), active ? "enabled" : "disabled");
    return kExitOk;
  });
}

// ---- user

int user_add(const Args& a) {
  policy::Roles roles = 0;
  if (!policy::parse_roles(a.roles, roles)) {
    print_error("--role: one or more of admin, analyst, incident-lead, resource-manager, liaison, "
                "board, auditor, read-only (comma-separated)");
    return kExitUsage;
  }
  return with_accounts(a, [&](Accounts& acc) {
    auto pw = acc.directory->add_user(a.name, a.org, roles);
    if (!pw.ok()) return fail_open(pw.error());
    if (!acc.audit("user.create", a.name, "user added",
                   {{"org", a.org}, {"roles", policy::roles_string(roles)}}))
      return kExitStore;
    std::printf("%s\n", pw->c_str());
    std::fprintf(stderr,
                 "user %s added to %s as %s; the line above is a one-time password, shown once: "
                 "it must be changed at first sign-in\n",
                 a.name.c_str(), a.org.c_str(), policy::roles_string(roles).c_str());
    return kExitOk;
  });
}

int user_list(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto users = acc.directory->users();
    if (!users.ok()) return fail_open(users.error());
    const int64_t now = core::to_micros(core::SystemClock::instance().now());
    for (const auto& u : *users) {
      line({{"name", u.name},
            {"org", u.org},
            {"roles", policy::roles_string(u.roles)},
            {"active", u.active},
            {"locked", u.locked_until > now},
            {"must_change_password", u.must_change_password},
            {"created", when(u.created)},
            {"last_sign_in", when(u.last_sign_in)}});
    }
    return kExitOk;
  });
}

int user_set_active(const Args& a, bool active) {
  return with_accounts(a, [&](Accounts& acc) {
    auto st = acc.directory->set_user_active(a.name, active);
    if (!st.ok()) return fail_open(st.error());
    if (!acc.audit(active ? "user.enable" : "user.disable", a.name,
                   active ? "user enabled (and unlocked)" : "user disabled"))
      return kExitStore;
    std::fprintf(stderr, "user %s %s\n", a.name.c_str(), active ? "enabled and unlocked" : "disabled");
    return kExitOk;
  });
}

int user_set_roles(const Args& a) {
  policy::Roles roles = 0;
  if (!policy::parse_roles(a.roles, roles)) {
    print_error("--role: one or more known roles, comma-separated");
    return kExitUsage;
  }
  return with_accounts(a, [&](Accounts& acc) {
    auto st = acc.directory->set_roles(a.name, roles);
    if (!st.ok()) return fail_open(st.error());
    if (!acc.audit("user.role_change", a.name, "roles changed", {{"roles", policy::roles_string(roles)}}))
      return kExitStore;
    std::fprintf(stderr, "user %s now has %s\n", a.name.c_str(), policy::roles_string(roles).c_str());
    return kExitOk;
  });
}

// ---- key

int key_add(const Args& a) {
  policy::Scopes scopes = 0;
  if (!policy::parse_scopes(a.scopes, scopes)) {
    print_error("--scope: one or more of read, write, taxii, admin (comma-separated)");
    return kExitUsage;
  }
  if (a.expires_days < 0) {
    print_error("--expires: a number of days, 1 or more (0: never)");
    return kExitUsage;
  }
  return with_accounts(a, [&](Accounts& acc) {
    const int64_t expires =
        a.expires_days == 0
            ? 0
            : core::to_micros(core::SystemClock::instance().now()) +
                  int64_t{a.expires_days} * 86'400'000'000;
    auto k = acc.directory->add_key(a.user, scopes, expires);
    if (!k.ok()) return fail_open(k.error());
    if (!acc.audit("key.create", k->id, "API key made",
                   {{"user", a.user}, {"scopes", policy::scopes_string(scopes)}, {"expires", when(expires)}}))
      return kExitStore;
    std::printf("%s\n", k->key.c_str());
    std::fprintf(stderr, "API key %s for %s (%s%s); shown once: store it now\n", k->id.c_str(),
                 a.user.c_str(), policy::scopes_string(scopes).c_str(),
                 expires ? (", expires " + when(expires)).c_str() : ", never expires");
    return kExitOk;
  });
}

int key_list(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto keys = acc.directory->keys();
    if (!keys.ok()) return fail_open(keys.error());
    for (const auto& k : *keys) {
      if (!a.user.empty() && k.user != a.user) continue;
      line({{"id", k.id},
            {"user", k.user},
            {"scopes", policy::scopes_string(k.scopes)},
            {"created", when(k.created)},
            {"expires", when(k.expires)},
            {"revoked", when(k.revoked)}});
    }
    return kExitOk;
  });
}

int key_revoke(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto st = acc.directory->revoke_key(a.name);
    if (!st.ok()) return fail_open(st.error());
    if (!acc.audit("key.revoke", a.name, "API key revoked")) return kExitStore;
    std::fprintf(stderr, "API key %s revoked\n", a.name.c_str());
    return kExitOk;
  });
}

// ---- group

int group_add(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto g = acc.directory->add_group(a.name, a.orgs);
    if (!g.ok()) return fail_open(g.error());
    json::array members;
    for (const auto& m : g->members) members.emplace_back(m);
    if (!acc.audit("group.create", g->id, "sharing group made", {{"name", g->name}, {"members", members}}))
      return kExitStore;
    std::printf("%s\n", g->id.c_str());
    std::fprintf(stderr, "sharing group %s (%zu organisations): share with --share group:%s\n",
                 g->name.c_str(), g->members.size(), g->name.c_str());
    return kExitOk;
  });
}

int group_list(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto groups = acc.directory->groups();
    if (!groups.ok()) return fail_open(groups.error());
    for (const auto& g : *groups) {
      json::array members;
      for (const auto& m : g.members) members.emplace_back(m);
      line({{"id", g.id}, {"name", g.name}, {"members", members}});
    }
    return kExitOk;
  });
}

int group_remove(const Args& a) {
  return with_accounts(a, [&](Accounts& acc) {
    auto st = acc.directory->remove_group(a.name);
    if (!st.ok()) return fail_open(st.error());
    if (!acc.audit("group.remove", a.name, "sharing group removed")) return kExitStore;
    std::fprintf(stderr, "sharing group %s removed: what was shared with it is shared with nobody now\n",
                 a.name.c_str());
    return kExitOk;
  });
}

}  // namespace

void add_account_commands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<Args>();
  const std::string data_help = "node data directory (default: $SHIELDWALL_DATA, then ./var)";
  auto sub = [&](CLI::App* parent, const char* name, const char* help, auto run) {
    auto* c = parent->add_subcommand(name, help);
    c->add_option("--data", args->data, data_help);
    c->callback([args, &exit_code, run] { exit_code = run(*args); });
    return c;
  };

  auto* org = app.add_subcommand("org", "organisations: member, authority, client");
  org->require_subcommand(1);
  org->add_option("--data", args->data, data_help);  // before or after the subcommand
  auto* org_add_c = sub(org, "add", "add an organisation; prints its identity id", org_add);
  org_add_c->add_option("name", args->name, "its name")->required();
  org_add_c->add_option("--kind", args->kind, "member, authority or client")->required();
  org_add_c->add_option("--country", args->country, "ISO 3166-1 alpha-2 code");
  org_add_c->add_option("--client-of", args->client_of, "for a client: the member it is a client of");
  sub(org, "list", "one JSON line per organisation", org_list);
  sub(org, "disable", "an organisation's users read and write nothing",
      [](const Args& a) { return org_set_active(a, false); })
      ->add_option("name", args->name, "name or identity id")->required();
  sub(org, "enable", "enable a disabled organisation",
      [](const Args& a) { return org_set_active(a, true); })
      ->add_option("name", args->name, "name or identity id")->required();

  auto* user = app.add_subcommand("user", "users of the node and their roles");
  user->require_subcommand(1);
  user->add_option("--data", args->data, data_help);  // before or after the subcommand
  auto* user_add_c = sub(user, "add", "add a user; prints a one-time password", user_add);
  user_add_c->add_option("name", args->name, "user name")->required();
  user_add_c->add_option("--org", args->org, "the user's organisation (name or id)")->required();
  user_add_c->add_option("--role", args->roles, "roles, comma-separated")->required();
  sub(user, "list", "one JSON line per user", user_list);
  sub(user, "disable", "the user can no longer sign in or use keys",
      [](const Args& a) { return user_set_active(a, false); })
      ->add_option("name", args->name, "user name")->required();
  sub(user, "enable", "enable (and unlock) a user", [](const Args& a) { return user_set_active(a, true); })
      ->add_option("name", args->name, "user name")->required();
  auto* roles_c = sub(user, "roles", "replace a user's roles", user_set_roles);
  roles_c->add_option("name", args->name, "user name")->required();
  roles_c->add_option("--role", args->roles, "roles, comma-separated")->required();

  auto* key = app.add_subcommand("key", "API keys for machines");
  key->require_subcommand(1);
  key->add_option("--data", args->data, data_help);  // before or after the subcommand
  auto* key_add_c = sub(key, "add", "make a key; prints it once, alone on stdout", key_add);
  key_add_c->add_option("--user", args->user, "the user it acts as")->required();
  key_add_c->add_option("--scope", args->scopes, "read, write, taxii, admin (default read)");
  key_add_c->add_option("--expires", args->expires_days, "days until it expires (default: never)");
  sub(key, "list", "one JSON line per key (never the key itself)", key_list)
      ->add_option("--user", args->user, "only this user's keys");
  sub(key, "disable", "revoke a key (by its id, swk_…)", key_revoke)
      ->add_option("id", args->name, "the key's id (its visible prefix)")->required();

  auto* group = app.add_subcommand("group", "sharing groups: named recipients");
  group->require_subcommand(1);
  group->add_option("--data", args->data, data_help);  // before or after the subcommand
  auto* group_add_c = sub(group, "add", "make a sharing group; prints its id", group_add);
  group_add_c->add_option("name", args->name, "its name")->required();
  group_add_c->add_option("--orgs", args->orgs, "member organisations (names or ids)")
      ->delimiter(',')
      ->required();
  sub(group, "list", "one JSON line per group", group_list);
  sub(group, "disable", "remove a group", group_remove)
      ->add_option("name", args->name, "name or id")->required();
}

}  // namespace sw::cli
