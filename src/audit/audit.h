// audit::Log — the node's append-only, hash-chained audit log and its verifier (ARCHITECTURE.md
// §5, layer 3). docs/audit.md is the operator's description; this is the contract.
//
// What is recorded: logins and failed logins, key and role changes, writes, shares, policy
// denials, exports and configuration changes — one Event each, named by a stable dotted action
// (below). Each entry is stored as a store::AuditRow (store.h, clause 6) with a sequence number
// from 1 and two hashes:
//
//   prev_hash = the hash of the entry before it (64 '0's for entry 1)
//   hash      = hex SHA-256 of the canonical encoding of the entry (entry_hash(), below): every
//               field, seq and prev_hash included, each length-prefixed, so no two different
//               entries encode alike.
//
// So changing any field of an entry, removing an entry, reordering entries or inserting one breaks
// the chain at that entry, and verify() names the first entry where it breaks and what happened.
//
// What a chain cannot show: entries removed from the END (the log then just looks shorter), and a
// rewrite by someone who can write the database and recomputes every hash from the changed entry
// on (the algorithm has no secret). Both are caught by comparing with a head recorded elsewhere
// (Verdict::head; verify(anchor)) — docs/audit.md says how to anchor.
//
// Thread-safety: a Log is used from one thread at a time, like the Store it writes to. Several
// Logs (in several threads or processes, each with its own Store object) may append to one
// database together: the store serialises appenders, so they form one chain.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace sw::audit {

// The actions the node records (stable names: auditors filter on them; never rename one).
namespace action {
inline constexpr const char* kLogin = "auth.login";
inline constexpr const char* kLoginFailed = "auth.login_failed";
inline constexpr const char* kKeyCreate = "key.create";
inline constexpr const char* kKeyRevoke = "key.revoke";
inline constexpr const char* kRoleChange = "user.role_change";
inline constexpr const char* kObjectWrite = "object.write";
inline constexpr const char* kShareCreate = "share.create";
inline constexpr const char* kPolicyDeny = "policy.deny";
inline constexpr const char* kExport = "export";
inline constexpr const char* kConfigChange = "config.change";
}  // namespace action

// Outcomes.
inline constexpr const char* kOk = "ok";
inline constexpr const char* kDenied = "denied";
inline constexpr const char* kFailed = "failed";

// One thing that happened. record() checks it: `actor` and `action` are required; `action` is
// lower-case dotted segments of [a-z0-9_] (e.g. auth.login); `outcome` is ok, denied or failed;
// every text is valid UTF-8 without NUL, at most 4096 bytes (details: 1 MiB); `details_json` is a
// JSON object (empty means {}) and is stored in its RFC 8785 canonical form.
struct Event {
  std::string actor;   // who: a user name, "cli:<os user>", a peer node id
  std::string org;     // the actor's organisation (identity id or name); may be empty
  std::string action;  // what: see namespace action
  std::string target;  // on what: an object id, a user, a key id, a file; may be empty
  std::string outcome = kOk;
  std::string reason;        // why it was denied or failed, as shown to the user
  std::string details_json;  // anything else, as a JSON object
};

// A stored entry (the store's row: seq, time_us, the Event's fields, prev_hash, hash).
using Entry = store::AuditRow;

// The prev_hash of entry 1.
inline constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Hex SHA-256 (lower case) of the canonical encoding of `e`: the tag "shieldwall-audit-v1", then
// seq and time_us as 8-byte big-endian integers, then actor, org, action, target, outcome, reason,
// details_json and prev_hash, each as an 8-byte big-endian length and its bytes. `e.hash` is not
// part of it. docs/audit.md gives the same so that anyone can re-check a log without shieldwall.
std::string entry_hash(const Entry& e);

// What verify() found. kind kNone when the log is intact.
enum class Problem { kNone, kChanged, kRemoved, kReordered, kInserted };
const char* problem_name(Problem p);  // "none", "changed", "removed", "reordered", "inserted"

// A head recorded elsewhere: entry `seq` had hash `hash`.
struct Anchor {
  int64_t seq = 0;
  std::string hash;
};
// "SEQ:HASH" → Anchor; kInvalidArgument otherwise.
core::Result<Anchor> parse_anchor(std::string_view text);

struct Verdict {
  bool ok = true;
  int64_t checked = 0;        // entries found intact, from entry 1 up to the first bad one
  int64_t first_bad_seq = 0;  // the first entry that is not as written (0 when ok)
  Problem kind = Problem::kNone;
  std::string message;  // one line for a person: what is wrong, where, and what to do
  // The last intact entry (the whole log's last entry when ok): record it elsewhere to detect
  // removal of entries at the end, or a rewrite, later. 0 and "" for an empty log.
  int64_t head_seq = 0;
  std::string head_hash;
};

class Log {
 public:
  // `store` and `clock` must outlive the Log.
  Log(store::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // Appends one event (or several, atomically and in order), stamped with the clock's time.
  // Returns what was stored. kInvalidArgument for an event record() refuses (nothing stored);
  // store errors as the store reports them (nothing stored).
  core::Result<Entry> record(const Event& event);
  core::Result<std::vector<Entry>> record(std::span<const Event> events);

  // Entries in seq order with the query's filters (store::AuditQuery). The visitor returns false
  // to stop; it must not use this Log.
  core::Status list(const store::AuditQuery& query, const store::AuditVisitor& visit);

  // Walks the whole log from entry 1 and checks every link. With an anchor, also checks that
  // entry anchor.seq exists with that hash. Only store failures are errors; a broken chain is a
  // Verdict with ok false.
  core::Result<Verdict> verify(const std::optional<Anchor>& anchor = std::nullopt);

 private:
  store::Store& store_;
  const core::Clock& clock_;
};

// One entry as a JSON object text (one line): seq, time (RFC 3339), time_us, actor, org, action,
// target, outcome, reason, details (the object itself; a string when the stored text is not a
// JSON object), prev_hash, hash. What `shieldwall audit list` prints and GET /api/v1/audit serves.
std::string entry_json(const Entry& e);
// A verdict as a JSON object text: ok, entries_checked, first_bad_seq, problem, message,
// head {seq, hash}.
std::string verdict_json(const Verdict& v);

}  // namespace sw::audit
