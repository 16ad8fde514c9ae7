// The REST API end to end: a real node (SQLite store in a temporary directory) served by
// app::Runtime on 127.0.0.1:0, spoken to over real sockets — credentials, scopes, sessions with
// CSRF, and what organisations of each kind see through every route.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "app/node.h"
#include "common/stix_objects.h"
#include "audit/audit.h"
#include "app/runtime.h"
#include "core/clock.h"
#include "core/uuid.h"
#include "http/test_client.h"
#include "intel/shares.h"
#include "policy/directory.h"
#include "policy/records.h"
#include "stix/markings.h"
#include "stix/parse.h"

namespace sw::api {
namespace {

namespace json = boost::json;
using http::test::Conn;
using http::test::Reply;
using namespace std::chrono_literals;

// Polls `cond` until it holds; the bound only detects hangs.
bool eventually(const std::function<bool()>& cond) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<uint8_t>(in[i + 2]);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? k[v & 63] : '=';
  }
  return out;
}

std::string ind_id(int n) {
  char b[80];
  std::snprintf(b, sizeof b, "indicator--%08x-5a5a-4000-8000-000000000000", static_cast<unsigned>(n));
  return b;
}

class Api : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("sw-api-" + core::to_string(core::uuid_v4()));
    app::InitOptions io;
    io.data_dir = dir;
    io.org_name = "Fox-IT";
    io.country = "NL";
    auto init = app::init_node(io);
    ASSERT_TRUE(init.ok()) << init.error().to_string();
    config = init->config;
    fox = init->identity_id;
    store = std::move(app::open_store(config).value());
    records = policy::store_records(*store);
    policy::Directory d(*records, core::SystemClock::instance());
    // init made Fox-IT and its first admin; add the others.
    auto nord_org = d.add_org("Nordsec", policy::OrgKind::kMember, "SE");
    ASSERT_TRUE(nord_org.ok()) << nord_org.error().to_string();
    nord = nord_org->id;
    auto police_org = d.add_org("Police", policy::OrgKind::kAuthority, "NL");
    ASSERT_TRUE(police_org.ok());
    police = police_org->id;
    auto group = d.add_group("finance", {"Nordsec"});
    ASSERT_TRUE(group.ok());
    ana_password = d.add_user("ana", "Fox-IT", policy::kAnalyst).value();
    ASSERT_TRUE(d.add_user("nils", "Nordsec", policy::kAnalyst).ok());
    ASSERT_TRUE(d.add_user("pia", "Police", policy::kReadOnly).ok());
    nils_key = d.add_key("nils", policy::kScopeRead, 0)->key;
    pia_key = d.add_key("pia", policy::kScopeRead, 0)->key;
    taxii_only_key = d.add_key("nils", policy::kScopeTaxii, 0)->key;
    auto revoked = d.add_key("nils", policy::kScopeRead, 0);
    revoked_key = revoked->key;
    ASSERT_TRUE(d.revoke_key(revoked->id).ok());

    // Fox-IT's intel: AMBER for the consortium (no share record: the default), RED for the
    // finance group, RED kept to itself, CLEAR made public.
    put({indicator(1, "amber", "a.example"), indicator(2, "red", "b.example"),
         indicator(3, "red", "c.example"), indicator(4, "clear", "d.example"),
         share({ind_id(2)}, "sharing-group:" + group->id), share({ind_id(3)}, "organisation"),
         share({ind_id(4)}, "public")});

    app::RuntimeOptions ro;
    ro.listen = "127.0.0.1:0";
    ro.follow_interval = 20ms;
    ro.access_log = false;
    auto rt = app::Runtime::start(config, ro);
    ASSERT_TRUE(rt.ok()) << rt.error().to_string();
    runtime = std::move(*rt);
  }
  void TearDown() override {
    if (runtime) runtime->stop(1s);
    runtime.reset();
    records.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::string indicator(int n, const std::string& tlp, const std::string& domain) {
    return R"({"type":"indicator","spec_version":"2.1","id":")" + ind_id(n) +
           R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","created_by_ref":")" +
           fox + R"(","object_marking_refs":[")" +
           std::string(stix::tlp2_marking_id(*tlp_of(tlp))) + R"("],"pattern":"[domain-name:value = ')" +
           domain + R"(']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})";
  }
  static std::optional<stix::Tlp> tlp_of(const std::string& name) {
    stix::Tlp t;
    if (!stix::parse_tlp_name(name, t)) return std::nullopt;
    return t;
  }
  std::string share(std::vector<std::string> ids, const std::string& dist) {
    intel::ShareSpec s;
    s.sharer = fox;
    s.object_ids = std::move(ids);
    EXPECT_TRUE(policy::parse_distribution(dist, s.distribution));
    s.created = s.modified = core::SystemClock::instance().now();
    return intel::share_json(s).value();
  }
  void put(const std::vector<std::string>& texts) { sw::testing::put_objects(*store, texts); }

  Reply request(const std::string& method, const std::string& path, const std::string& headers = "",
                const std::string& body = "") {
    Conn c(runtime->port());
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: node\r\n" + headers;
    if (!body.empty()) {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "Connection: close\r\n\r\n" + body;
    auto r = c.exchange(req);
    EXPECT_TRUE(r.has_value()) << method << " " << path;
    return r.value_or(Reply{});
  }
  Reply get(const std::string& path, const std::string& key) {
    return request("GET", path, "Authorization: Bearer " + key + "\r\n");
  }
  static json::value body(const Reply& r) { return json::parse(r.body); }
  void verify_intact() {
    audit::Log log(*store, core::SystemClock::instance());
    auto v = log.verify();
    ASSERT_TRUE(v.ok()) << v.error().to_string();
    EXPECT_TRUE(v->ok);
  }
  std::vector<std::string> hits(const std::string& domain, const std::string& key) {
    auto r = get("/api/v1/lookup?value=" + domain, key);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json::value b = body(r);
    for (const auto& h : b.at("hits").as_array()) ids.emplace_back(h.at("id").as_string());
    return ids;
  }

  std::filesystem::path dir;
  core::NodeConfig config;
  std::string fox, nord, police;
  store::StorePtr store;
  std::unique_ptr<policy::RecordStore> records;
  std::string ana_password, nils_key, pia_key, taxii_only_key, revoked_key;
  std::unique_ptr<app::Runtime> runtime;
};

TEST_F(Api, CredentialsAreRequiredAndCheckedWithReasons) {
  auto none = request("GET", "/api/v1/objects");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("content-type"), "application/problem+json");
  EXPECT_NE(none.header("www-authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(body(none).at("type").as_string(), "urn:shieldwall:problem:unauthorized");

  auto revoked = get("/api/v1/objects", revoked_key);
  EXPECT_EQ(revoked.status, 401);
  EXPECT_NE(std::string(body(revoked).at("detail").as_string()).find("was revoked"), std::string::npos);
  auto wrong = get("/api/v1/objects", nils_key.substr(0, nils_key.size() - 1) + "x");
  EXPECT_EQ(wrong.status, 401);
  auto scope = get("/api/v1/objects", taxii_only_key);
  EXPECT_EQ(scope.status, 403);
  EXPECT_NE(std::string(body(scope).at("detail").as_string()).find("read scope"), std::string::npos);

  auto me = get("/api/v1/me", nils_key);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me).at("user").as_string(), "nils");
  EXPECT_EQ(body(me).at("org_name").as_string(), "Nordsec");
  EXPECT_EQ(body(me).at("scopes").as_string(), "read");
  // Basic with the user and the key works as well (TAXII clients); another user's name does not.
  auto basic = [&](const std::string& user) {
    return request("GET", "/api/v1/me", "Authorization: Basic " + base64(user + ":" + nils_key) + "\r\n");
  };
  EXPECT_EQ(basic("nils").status, 200);
  auto other = basic("ana");
  EXPECT_EQ(other.status, 401);
  EXPECT_EQ(body(other).at("detail").as_string(), "the API key does not belong to that user");
}

TEST_F(Api, EachOrganisationSeesWhatThePolicyAllows) {
  // Nordsec (member, in the finance group): AMBER, the group's RED, the public CLEAR.
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(1), nils_key).status, 200);
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(2), nils_key).status, 200);
  auto red = get("/api/v1/objects/" + ind_id(3), nils_key);
  EXPECT_EQ(red.status, 404);
  auto missing = get("/api/v1/objects/" + ind_id(99), nils_key);
  EXPECT_EQ(missing.status, 404);
  // Not readable reads exactly like not there.
  EXPECT_EQ(body(red).at("title"), body(missing).at("title"));
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(4), nils_key).status, 200);

  // Police (authority): CLEAR made public, nothing else.
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(1), pia_key).status, 404);
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(2), pia_key).status, 404);
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(4), pia_key).status, 200);

  // The same through look-ups and lists.
  EXPECT_EQ(hits("a.example", nils_key), std::vector<std::string>{ind_id(1)});
  EXPECT_EQ(hits("b.example", nils_key), std::vector<std::string>{ind_id(2)});
  EXPECT_TRUE(hits("c.example", nils_key).empty());
  EXPECT_TRUE(hits("a.example", pia_key).empty());
  EXPECT_EQ(hits("d.example", pia_key), std::vector<std::string>{ind_id(4)});
  auto list = get("/api/v1/objects?type=indicator", pia_key);
  ASSERT_EQ(list.status, 200) << list.body;
  const json::value list_body = body(list);
  const auto& objs = list_body.at("objects").as_array();
  ASSERT_EQ(objs.size(), 1u);
  EXPECT_EQ(objs[0].at("id").as_string(), ind_id(4));

  auto batch = request("POST", "/api/v1/lookup", "Authorization: Bearer " + nils_key + "\r\n",
                       R"({"values":["a.example","c.example","not a value at all!"]})");
  ASSERT_EQ(batch.status, 200) << batch.body;
  const json::value batch_body = body(batch);
  const auto& results = batch_body.at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].at("hits").as_array().size(), 1u);
  EXPECT_EQ(results[1].at("hits").as_array().size(), 0u);
  EXPECT_TRUE(results[2].as_object().contains("error"));
}

TEST_F(Api, ListsPageByCursor) {
  std::vector<std::string> seen;
  std::string after = "0";
  for (int pages = 0; pages < 20; ++pages) {
    auto r = get("/api/v1/objects?type=indicator&limit=1&after=" + after, nils_key);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value b = body(r);
    for (const auto& o : b.at("objects").as_array()) seen.emplace_back(o.at("id").as_string());
    after = std::string(b.at("next").as_string());
    if (!b.at("more").as_bool()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ind_id(1), ind_id(2), ind_id(4)}));
  EXPECT_EQ(get("/api/v1/objects?limit=0", nils_key).status, 400);
  EXPECT_EQ(get("/api/v1/objects?after=-3", nils_key).status, 400);
}

TEST_F(Api, SessionsNeedTheOneTimePasswordChangedAndCsrfTokens) {
  auto bad = request("POST", "/api/v1/session", "", R"({"user":"ana","password":"guess"})");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(body(bad).at("detail").as_string(), "wrong user name or password");

  auto in = request("POST", "/api/v1/session", "",
                    R"({"user":"ana","password":")" + ana_password + R"("})");
  ASSERT_EQ(in.status, 200) << in.body;
  const std::string set_cookie = in.header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf(body(in).at("csrf").as_string());
  EXPECT_TRUE(body(in).at("must_change_password").as_bool());

  const std::string c = "Cookie: " + cookie + "\r\n";
  auto blocked = request("GET", "/api/v1/objects", c);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_NE(std::string(body(blocked).at("detail").as_string()).find("one-time password"), std::string::npos);

  const std::string change = R"({"current":")" + ana_password + R"(","new":"a long new passphrase"})";
  auto no_csrf = request("POST", "/api/v1/me/password", c, change);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(body(no_csrf).at("type").as_string(), "urn:shieldwall:problem:csrf-token-missing");
  auto changed = request("POST", "/api/v1/me/password", c + "X-CSRF-Token: " + csrf + "\r\n", change);
  EXPECT_EQ(changed.status, 204) << changed.body;

  // The old session still carries must_change_password until signing in again.
  auto again = request("POST", "/api/v1/session", "",
                       R"({"user":"ana","password":"a long new passphrase"})");
  ASSERT_EQ(again.status, 200) << again.body;
  const std::string cookie2 = again.header("set-cookie").substr(0, again.header("set-cookie").find(';'));
  auto list = request("GET", "/api/v1/objects?type=indicator", "Cookie: " + cookie2 + "\r\n");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list).at("objects").as_array().size(), 4u);  // Fox-IT owns them all

  audit::Log log(*store, core::SystemClock::instance());
  std::vector<std::string> actions;
  ASSERT_TRUE(log.list({.action = "auth"}, [&](const store::AuditRow& r) {
                   actions.push_back(r.action + " " + r.actor);
                   return true;
                 }).ok());
  EXPECT_EQ(actions, (std::vector<std::string>{"auth.login_failed ana", "auth.login ana",
                                               "auth.login ana"}));
  auto out = request("DELETE", "/api/v1/session", "Cookie: " + cookie2 + "\r\n");
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(request("GET", "/api/v1/me", "Cookie: " + cookie2 + "\r\n").status, 401);
}

TEST_F(Api, PasswordGuessingLocksTheAccount) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(request("POST", "/api/v1/session", "", R"({"user":"ana","password":"guess"})").status, 401);
  }
  auto locked = request("POST", "/api/v1/session", "",
                        R"({"user":"ana","password":")" + ana_password + R"("})");
  EXPECT_EQ(locked.status, 401);
  EXPECT_NE(std::string(body(locked).at("detail").as_string()).find("locked until"), std::string::npos);
  // Every attempt is in the audit log, with its reason; so is a refused key.
  EXPECT_EQ(get("/api/v1/objects", revoked_key).status, 401);
  audit::Log log(*store, core::SystemClock::instance());
  std::vector<std::string> seen;
  ASSERT_TRUE(log.list({}, [&](const store::AuditRow& r) {
                   if (r.action.starts_with("auth.") || r.action == "http.refused") {
                     seen.push_back(r.action + " " + r.actor + " " + r.outcome);
                   }
                   return true;
                 }).ok());
  ASSERT_EQ(seen.size(), 7u) << ::testing::PrintToString(seen);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], "auth.login_failed ana denied");
  EXPECT_EQ(seen[6], "http.refused anonymous denied");
  verify_intact();
}

TEST_F(Api, NewIntelAndNewSharesShowWithoutRestart) {
  EXPECT_TRUE(hits("e.example", nils_key).empty());
  put({indicator(5, "amber", "e.example")});
  ASSERT_TRUE(eventually([&] { return hits("e.example", nils_key).size() == 1; }));
  // Kept to Fox-IT by a share record: gone for Nordsec.
  put({share({ind_id(5)}, "organisation")});
  ASSERT_TRUE(eventually([&] { return hits("e.example", nils_key).empty(); }));
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(5), nils_key).status, 404);
}

TEST_F(Api, CorrelationsOnlyOfAndWithReadableObjects) {
  put({indicator(6, "red", "a.example"), share({ind_id(6)}, "organisation"),
       indicator(7, "amber", "a.example")});
  ASSERT_TRUE(eventually([&] { return hits("a.example", nils_key).size() == 2; }));
  auto c = get("/api/v1/objects/" + ind_id(1) + "/correlations", nils_key);
  ASSERT_EQ(c.status, 200) << c.body;
  const json::value c_body = body(c);
  const auto& related = c_body.at("related").as_array();
  ASSERT_EQ(related.size(), 1u);  // indicator 7; indicator 6 is Fox-IT's alone
  EXPECT_EQ(related[0].at("id").as_string(), ind_id(7));
  EXPECT_EQ(get("/api/v1/objects/" + ind_id(6) + "/correlations", nils_key).status, 404);
}

}  // namespace
}  // namespace sw::api
