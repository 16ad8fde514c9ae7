#include "app/node.h"

#include <cctype>

#include "core/clock.h"
#include "core/json.h"
#include "core/uuid.h"
#include "policy/directory.h"
#include "policy/records.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "stix/parse.h"

namespace sw::app {

using core::Error;
using core::Result;

Result<store::StorePtr> open_store(const core::NodeConfig& config) {
  if (config.store_backend == "postgres") return store::open_postgres(config.postgres_conninfo);
  return store::open_sqlite(config.sqlite_file());
}

Result<InitResult> init_node(const InitOptions& o) {
  if (o.org_name.empty()) return Error::invalid("--org is required: the name of your organisation");
  if (o.country.size() != 2 || !std::isupper(static_cast<unsigned char>(o.country[0])) ||
      !std::isupper(static_cast<unsigned char>(o.country[1])))
    return Error::invalid("--country must be an ISO 3166-1 alpha-2 code in capitals, e.g. NL");
  if (o.store_backend != "sqlite" && o.store_backend != "postgres")
    return Error::invalid("--store must be sqlite or postgres");
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return Error::io("cannot create the data directory: " + ec.message(), o.data_dir.string());

  core::NodeConfig c;
  c.data_dir = o.data_dir;
  c.org_name = o.org_name;
  c.org_country = o.country;
  c.store_backend = o.store_backend;
  c.postgres_conninfo = o.postgres_conninfo;
  c.listen = o.listen;
  c.org_identity = "identity--" + core::to_string(core::uuid_v4());
  SW_TRY(core::write_config(c));
  SW_ASSIGN(auto st, open_store(c));

  // The organisation as STIX: an identity, its country as a location, and located-at between them.
  const std::string now = core::format_timestamp(core::SystemClock::instance().now());
  const std::string loc_id = "location--" + core::to_string(core::uuid_v4());
  const std::string rel_id = "relationship--" + core::to_string(core::uuid_v4());
  auto common = [&](const char* type, const std::string& id) {
    std::string s = "{\"type\":\"";
    s += type;
    s += "\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"" + now +
         "\",\"modified\":\"" + now + "\",\"created_by_ref\":\"" + c.org_identity + "\"";
    return s;
  };
  std::string name_json;
  core::append_json_string(name_json, c.org_name);
  std::vector<std::string> texts = {
      common("identity", c.org_identity) + ",\"name\":" + name_json +
          ",\"identity_class\":\"organization\"}",
      common("location", loc_id) + ",\"country\":\"" + c.org_country + "\"}",
      common("relationship", rel_id) + ",\"relationship_type\":\"located-at\",\"source_ref\":\"" +
          c.org_identity + "\",\"target_ref\":\"" + loc_id + "\"}"};
  stix::MarkingResolver markings;
  stix::ObjectParser parser(markings);
  std::vector<stix::Object> objects;
  for (const auto& t : texts) {
    std::vector<stix::Issue> issues;
    stix::Object obj;
    if (!parser.parse_unpadded(t, obj, issues))
      return Error::internal("the node's own identity does not validate: " +
                             (issues.empty() ? std::string() : issues.front().message));
    objects.push_back(std::move(obj));
  }
  SW_ASSIGN(auto put, st->put(objects, core::to_micros(core::SystemClock::instance().now())));
  (void)put;

  // The accounts: the node's own organisation and its first administrator.
  auto records = policy::store_records(*st);
  policy::Directory directory(*records, core::SystemClock::instance());
  SW_ASSIGN(auto org, directory.add_org(c.org_name, policy::OrgKind::kMember, c.org_country, {},
                                        c.org_identity));
  (void)org;
  InitResult result{c, c.org_identity};
  SW_ASSIGN(result.admin_password,
            directory.add_user(result.admin_user, c.org_identity, policy::kAdmin));
  return result;
}

}  // namespace sw::app
