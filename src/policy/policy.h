// The sharing policy: who may read, write and share what (ARCHITECTURE.md §3). Every read path —
// REST, TAXII, search, exports, correlation and look-up hits, the event stream, federation — asks
// Policy::can_read and nothing else; every write asks can_write, every share can_share. Each
// decision carries a reason that can be shown to the person and written to the audit log.
//
// The rules (docs/policy.md has them with examples):
//
//  * Distribution decides who receives. A share record — owned by the organisation that shares —
//    names a distribution: `organisation` (the sharer alone), `consortium` (every member
//    organisation), `sharing-group:<id>` (the group's named organisations) or `public`. An object
//    without share records is shared by its owner with the node's default distribution
//    (`consortium`). A revoked share record shares nothing.
//  * TLP 2.0 binds what recipients may do. With T the object's effective TLP (the node's default,
//    AMBER unless configured, when it has none):
//      - RED reaches only the named recipients of a sharing group; under any other distribution,
//        only the owner and the sharer.
//      - AMBER+STRICT stays inside each recipient organisation.
//      - AMBER also reaches the recipients' clients (a client organisation of a recipient member).
//      - GREEN stays in the community: members, groups and members' clients, never public.
//      - CLEAR goes wherever the distribution allows, public included.
//  * Organisation kinds. Members receive what the distribution names them in. Clients receive
//    what a group names them in, CLEAR made public, and CLEAR/GREEN/AMBER that their member may
//    pass on (the member received it, or owns or shared it under a distribution wider than
//    `organisation`). Authorities (police, national CSIRTs, regulators) receive CLEAR that is
//    public or shared with a group naming them — and, in a later capability, release packages —
//    nothing else.
//  * Re-sharing. The owner shares anything. An organisation that holds an object through a share
//    record may share it onwards only as its TLP allows: CLEAR anywhere, GREEN to the community
//    (not public), AMBER, AMBER+STRICT and RED not at all. Content whose owner is not an
//    organisation of the consortium (a MITRE ATT&CK object, a public report) is shared by whoever
//    brought it in, as if they owned the share.
//  * Ownership. Only the owner's organisation writes new versions of an object (revocation is a
//    version); intel is written by users with the analyst, incident-lead or admin role.
//
// Thread-safety: const member functions may be called concurrently; put_*() and remove_*() need
// exclusive access (the node swaps in a new Policy, or guards it with a lock).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "stix/object.h"

namespace sw::policy {

enum class OrgKind : uint8_t { kMember, kAuthority, kClient };
const char* org_kind_name(OrgKind kind);  // "member", "authority", "client"
bool parse_org_kind(std::string_view name, OrgKind& out);

// Roles of a user (a bit set).
enum Role : uint16_t {
  kAdmin = 1 << 0,
  kAnalyst = 1 << 1,
  kIncidentLead = 1 << 2,
  kResourceManager = 1 << 3,
  kLiaison = 1 << 4,
  kBoard = 1 << 5,
  kAuditor = 1 << 6,
  kReadOnly = 1 << 7,
};
using Roles = uint16_t;
inline constexpr Roles kAllRoles = 0xFF;
const char* role_name(Role role);  // "admin", "analyst", "incident-lead", ...
// "analyst,incident-lead" → bits; false (out unchanged) naming nothing or an unknown role.
bool parse_roles(std::string_view list, Roles& out);
std::string roles_string(Roles roles);  // in the order of the enum, comma-separated

struct Organisation {
  std::string id;  // its STIX identity id ("identity--…"), the same on every node
  std::string name;
  OrgKind kind = OrgKind::kMember;
  std::string country;    // ISO 3166 alpha-2, may be empty
  std::string client_of;  // kClient: the id of the member organisation whose client it is
  bool active = true;     // a disabled organisation reads and writes nothing
};

struct SharingGroup {
  std::string id;  // "x-shieldwall-sharing-group--<uuid>"
  std::string name;
  std::vector<std::string> members;  // organisation ids: the named recipients
};

enum class DistributionKind : uint8_t { kOrganisation, kConsortium, kSharingGroup, kPublic };

struct Distribution {
  DistributionKind kind = DistributionKind::kConsortium;
  std::string group;  // kSharingGroup: the group's id
  friend bool operator==(const Distribution&, const Distribution&) = default;
};
// "organisation", "consortium", "sharing-group:<id>", "public".
std::string distribution_string(const Distribution& d);
bool parse_distribution(std::string_view text, Distribution& out);

// The act of sharing, owned by the sharer (an `x-shieldwall-share` object).
struct ShareRecord {
  std::string id;
  std::string sharer;  // organisation id
  Distribution distribution;
  bool revoked = false;
};

// What the policy needs to know about one object.
struct ObjectFacts {
  std::string_view owner;  // created_by_ref; empty when the object has none
  stix::Tlp tlp = stix::Tlp::kNone;
  std::span<const ShareRecord* const> shares;  // every share record covering the object
};

// Who asks.
struct Principal {
  std::string user;  // user name; empty for a node's own processes
  std::string org;   // organisation id
  Roles roles = 0;
};

enum class Reason : uint8_t {
  // Allowed.
  kOwner,         // the reader's organisation owns the object
  kSharer,        // the reader's organisation shared it
  kConsortium,    // shared with the consortium
  kSharingGroup,  // shared with a group naming the reader's organisation
  kPublic,        // shared publicly
  kClient,        // passed on to the reader as a client of a recipient member
  kMayWrite,      // a write or a share the rules allow
  // Denied.
  kUnknownOrganisation,  // the principal's organisation is unknown or disabled
  kNotShared,            // no share record reaches the reader
  kRedNamedOnly,         // RED reaches only named recipients of a sharing group
  kAuthorityClearOnly,   // authorities receive CLEAR (and releases) only
  kClientTlp,            // clients do not receive AMBER+STRICT or RED through their member
  kNotOwner,             // only the owner writes new versions
  kRole,                 // the principal's roles do not allow it
  kReshareTlp,           // the TLP forbids sharing onwards
  kUnknownGroup,         // the distribution names a group the node does not know
};
const char* reason_code(Reason r);  // stable, for logs and APIs: "owner", "not-shared", ...

struct Decision {
  bool allowed = false;
  Reason reason = Reason::kNotShared;
  std::string message;  // a sentence a person can act on
  explicit operator bool() const { return allowed; }
};

class Policy {
 public:
  struct Options {
    stix::Tlp default_tlp = stix::Tlp::kAmber;  // for objects without a TLP
    Distribution default_distribution;          // for objects without share records: consortium
  };

  Policy();
  explicit Policy(Options options);

  void put_organisation(Organisation org);
  void put_group(SharingGroup group);
  void remove_group(std::string_view id);
  const Organisation* organisation(std::string_view id) const;
  const SharingGroup* group(std::string_view id) const;
  const Options& options() const { return options_; }

  // The TLP the rules apply to an object: its own, or the node's default.
  stix::Tlp effective_tlp(stix::Tlp tlp) const {
    return tlp == stix::Tlp::kNone ? options_.default_tlp : tlp;
  }

  // May `who` read the object?
  Decision can_read(const Principal& who, const ObjectFacts& object) const;
  // The same for an organisation (what every user of it may read).
  Decision org_can_read(std::string_view org, const ObjectFacts& object) const;

  // May `who` write a version of the object (`object.owner` is its created_by_ref; shares are
  // not consulted)?
  Decision can_write(const Principal& who, const ObjectFacts& object) const;

  // May `who` share the object with `to` (create a share record)?
  Decision can_share(const Principal& who, const ObjectFacts& object,
                     const Distribution& to) const;

  // Every active organisation that may read the object, with the reason ("who can see this").
  std::vector<std::pair<const Organisation*, Decision>> readers(const ObjectFacts& object) const;

 private:
  struct Valid;  // the share records that count, see policy.cpp
  void valid_shares(const ObjectFacts& object, Valid& out) const;
  bool in_consortium(std::string_view org) const;
  bool named_in(const Distribution& d, std::string_view org) const;
  Decision read_decision(const Organisation& reader, const ObjectFacts& object,
                         const Valid& valid) const;

  Options options_;
  std::unordered_map<std::string, Organisation> orgs_;
  std::unordered_map<std::string, SharingGroup> groups_;
};

// The options a node's configuration sets: [node] default_tlp and default_distribution. Errors
// (kInvalidArgument, naming the key) for values load_config() would not have let through.
core::Result<Policy::Options> options_from(const core::NodeConfig& config);

}  // namespace sw::policy
