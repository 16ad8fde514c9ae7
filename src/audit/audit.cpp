#include "audit/audit.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <deque>

#include "core/json.h"
#include "core/time.h"

namespace sw::audit {
namespace {

constexpr size_t kMaxText = 4096;
constexpr size_t kMaxDetails = 1 << 20;
// How far from an entry's own seq verify() looks for the seq its content was written under
// (reordered or renumbered entries).
constexpr int64_t kRenumberWindow = 1 << 16;
// How many intact entries verify() remembers, to recognise a link to an earlier entry.
constexpr size_t kRecent = 64;

constexpr std::string_view kTag = "shieldwall-audit-v1";

void put_u64(crypto_hash_sha256_state& st, uint64_t v) {
  std::array<unsigned char, 8> b;
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<unsigned char>(v >> (56 - 8 * i));
  crypto_hash_sha256_update(&st, b.data(), b.size());
}

void put_text(crypto_hash_sha256_state& st, std::string_view s) {
  put_u64(st, s.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// entry_hash() of `e` as if its seq were `seq`.
std::string hash_as(const Entry& e, int64_t seq) {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  put_text(st, kTag);
  put_u64(st, static_cast<uint64_t>(seq));
  put_u64(st, static_cast<uint64_t>(e.time_us));
  for (const std::string* f : {&e.actor, &e.org, &e.action, &e.target, &e.outcome, &e.reason,
                               &e.details_json, &e.prev_hash}) {
    put_text(st, *f);
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&st, digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(n) >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return false;
    }
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

bool valid_action(std::string_view a) {
  if (a.empty() || a.front() == '.' || a.back() == '.') return false;
  char prev = 0;
  for (char c : a) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

// The event as it will be stored (seq, prev_hash and hash are filled by the seal).
core::Result<Entry> checked_entry(const Event& ev, int64_t time_us) {
  auto text = [](const char* name, const std::string& v, size_t max) -> core::Status {
    if (v.size() > max) {
      return core::Error::invalid("audit event: " + std::string(name) + " is longer than " +
                                  std::to_string(max) + " bytes");
    }
    if (!valid_utf8(v)) {
      return core::Error::invalid("audit event: " + std::string(name) +
                                  " is not valid UTF-8 (or holds a NUL byte)");
    }
    return core::ok_status();
  };
  SW_TRY(text("actor", ev.actor, kMaxText));
  SW_TRY(text("org", ev.org, kMaxText));
  SW_TRY(text("action", ev.action, kMaxText));
  SW_TRY(text("target", ev.target, kMaxText));
  SW_TRY(text("reason", ev.reason, kMaxText));
  SW_TRY(text("details", ev.details_json, kMaxDetails));
  if (ev.actor.empty()) return core::Error::invalid("audit event: actor is required");
  if (!valid_action(ev.action)) {
    return core::Error::invalid("audit event: action \"" + ev.action +
                                "\" is not dotted lower-case words (e.g. auth.login)");
  }
  if (ev.outcome != kOk && ev.outcome != kDenied && ev.outcome != kFailed) {
    return core::Error::invalid("audit event: outcome \"" + ev.outcome +
                                "\" is not ok, denied or failed");
  }
  Entry e;
  e.time_us = time_us;
  e.actor = ev.actor;
  e.org = ev.org;
  e.action = ev.action;
  e.target = ev.target;
  e.outcome = ev.outcome;
  e.reason = ev.reason;
  if (ev.details_json.empty()) {
    e.details_json = "{}";
  } else {
    SW_ASSIGN(boost::json::value v, core::parse_json(ev.details_json, "audit event details"));
    if (!v.is_object()) return core::Error::invalid("audit event: details must be a JSON object");
    e.details_json = core::canonical_json(v);
  }
  return e;
}

std::string range(int64_t first, int64_t last) {
  return first == last ? "entry " + std::to_string(first)
                       : "entries " + std::to_string(first) + ".." + std::to_string(last);
}

std::string short_hash(std::string_view h) {
  return std::string(h.substr(0, 12)) + (h.size() > 12 ? "…" : "");
}

// Works out what happened at the first entry that does not verify, from that entry (`bad`), the
// one after it (`next`, if any), what the chain expected there and the intact entries before it.
Verdict classify(const Entry& bad, const std::optional<Entry>& next, int64_t expected_seq,
                 const std::string& expected_prev,
                 const std::deque<std::pair<int64_t, std::string>>& recent) {
  Verdict v;
  v.ok = false;
  const int64_t s = bad.seq, e = expected_seq;
  const std::string after = e > 1 ? " (after entry " + std::to_string(e - 1) + ")" : "";
  auto done = [&](Problem kind, int64_t first, std::string msg) {
    v.kind = kind;
    v.first_bad_seq = first;
    v.message = std::move(msg);
    return v;
  };
  // Whether `x`'s content was written as entry `seq`.
  auto written_as = [](const Entry& x, int64_t seq) { return hash_as(x, seq) == x.hash; };
  const bool self_ok = written_as(bad, s);

  if (s < e) {  // only at the start: seq 0 or below
    return done(Problem::kInserted, s,
                "entry " + std::to_string(s) +
                    " has a sequence number below 1: it was not written by shieldwall");
  }
  if (self_ok) {
    if (s > e) {
      if (bad.prev_hash != expected_prev) {
        return done(Problem::kRemoved, e,
                    range(e, s - 1) + (s - e == 1 ? " is" : " are") + " missing: entry " +
                        std::to_string(s) + " follows " +
                        (e > 1 ? "entry " + std::to_string(e - 1) : "the start of the log"));
      }
      return done(Problem::kInserted, s,
                  "entry " + std::to_string(s) + " links to entry " + std::to_string(e - 1) +
                      " but skips sequence numbers: it was not written by shieldwall");
    }
    // s == e, its own hash is right, but it names another predecessor.
    for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
      if (it->second == bad.prev_hash && it->first < e - 1) {
        return done(Problem::kInserted, it->first + 1,
                    range(it->first + 1, e - 1) + (e - 1 - it->first == 1 ? " was" : " were") +
                        " inserted: entry " + std::to_string(e) + " was written right after entry " +
                        std::to_string(it->first));
      }
    }
    if (e == 1) {
      return done(Problem::kChanged, 1,
                  "entry 1 names a previous entry (prev_hash " + short_hash(bad.prev_hash) +
                      ") but is the first: it was changed and its hash recomputed");
    }
    return done(Problem::kChanged, e - 1,
                "entry " + std::to_string(e - 1) + " is not what entry " + std::to_string(e) +
                    " was chained to (entry " + std::to_string(e) + " recorded its hash as " +
                    short_hash(bad.prev_hash) + "): entry " + std::to_string(e - 1) +
                    " was changed and its hash recomputed");
  }
  // Its hash does not match its content. Was the content written under another seq?
  std::optional<int64_t> alt;
  for (int64_t d = 1; d <= kRenumberWindow && !alt; ++d) {
    for (int64_t c : {s - d, s + d}) {
      if (c >= 1 && written_as(bad, c)) {
        alt = c;
        break;
      }
    }
  }
  if (alt) {
    const int64_t w = *alt;
    if (s > e) {  // a gap before it
      if (w == e) {
        return done(Problem::kChanged, e,
                    "entry " + std::to_string(s) + " holds what was written as entry " +
                        std::to_string(e) + ": its sequence number was changed");
      }
      return done(Problem::kRemoved, e,
                  range(e, s - 1) + (s - e == 1 ? " is" : " are") + " missing, and entry " +
                      std::to_string(s) + " holds what was written as entry " + std::to_string(w));
    }
    // Renumbered: the entry after it is shifted by the same amount.
    const bool shifted =
        !next || (next->seq == s + 1 && written_as(*next, w + 1));
    if (w > s && shifted) {
      return done(Problem::kRemoved, s,
                  "entry " + std::to_string(s) + " holds what was written as entry " +
                      std::to_string(w) + ": " + range(s, w - 1) +
                      (w - s == 1 ? " was" : " were") +
                      " removed and the entries after renumbered");
    }
    if (w < s && shifted) {
      return done(Problem::kInserted, w,
                  "entry " + std::to_string(s) + " holds what was written as entry " +
                      std::to_string(w) + ": " + std::to_string(s - w) + " entr" +
                      (s - w == 1 ? "y was" : "ies were") + " inserted from entry " +
                      std::to_string(w) + " on and the entries after renumbered");
    }
    return done(Problem::kReordered, s,
                "entry " + std::to_string(s) + after + " holds what was written as entry " +
                    std::to_string(w) + ": entries were reordered");
  }
  if (s > e && bad.prev_hash != expected_prev) {
    return done(Problem::kRemoved, e,
                range(e, s - 1) + (s - e == 1 ? " is" : " are") + " missing, and entry " +
                    std::to_string(s) + " does not match its hash");
  }
  if (next && next->seq == s + 1 && written_as(*next, s)) {
    return done(Problem::kInserted, s,
                "entry " + std::to_string(s) + " was not written by shieldwall: entry " +
                    std::to_string(s + 1) + " holds what was written as entry " +
                    std::to_string(s) + " (an entry was inserted and the rest renumbered)");
  }
  return done(Problem::kChanged, s,
              "entry " + std::to_string(s) + after +
                  " does not match its hash: one of its fields (or its hash) was changed");
}

}  // namespace

std::string entry_hash(const Entry& e) { return hash_as(e, e.seq); }

const char* problem_name(Problem p) {
  switch (p) {
    case Problem::kNone: return "none";
    case Problem::kChanged: return "changed";
    case Problem::kRemoved: return "removed";
    case Problem::kReordered: return "reordered";
    case Problem::kInserted: return "inserted";
  }
  return "?";
}

core::Result<Anchor> parse_anchor(std::string_view text) {
  const size_t colon = text.find(':');
  Anchor a;
  bool ok = colon != std::string_view::npos && colon > 0;
  if (ok) {
    const std::string_view num = text.substr(0, colon), hash = text.substr(colon + 1);
    ok = num.size() <= 18 && std::all_of(num.begin(), num.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
    if (ok) a.seq = std::stoll(std::string(num));
    ok = ok && a.seq >= 1 && hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
    a.hash = std::string(hash);
  }
  if (!ok) {
    return core::Error::invalid("anchor \"" + std::string(text) +
                                "\" is not SEQ:HASH (a sequence number from 1, a colon and 64 "
                                "lower-case hex digits, as `audit verify` prints for the head)");
  }
  return a;
}

core::Result<Entry> Log::record(const Event& event) {
  SW_ASSIGN(std::vector<Entry> one, record(std::span<const Event>(&event, 1)));
  return std::move(one.front());
}

core::Result<std::vector<Entry>> Log::record(std::span<const Event> events) {
  std::vector<Entry> rows;
  rows.reserve(events.size());
  const int64_t now = core::to_micros(clock_.now());
  for (const Event& ev : events) {
    SW_ASSIGN(Entry e, checked_entry(ev, now));
    rows.push_back(std::move(e));
  }
  if (rows.empty()) return rows;
  SW_TRY(store_.append_audit(rows, [](const Entry* last, std::span<Entry> fresh) -> core::Status {
    int64_t seq = last ? last->seq : 0;
    std::string prev = last ? last->hash : std::string(kZeroHash);
    for (Entry& r : fresh) {
      r.seq = ++seq;
      r.prev_hash = std::move(prev);
      r.hash = entry_hash(r);
      prev = r.hash;
    }
    return core::ok_status();
  }));
  return rows;
}

core::Status Log::list(const store::AuditQuery& query, const store::AuditVisitor& visit) {
  return store_.scan_audit(query, visit);
}

core::Result<Verdict> Log::verify(const std::optional<Anchor>& anchor) {
  Verdict v;
  int64_t expected_seq = 1;
  std::string expected_prev(kZeroHash);
  std::deque<std::pair<int64_t, std::string>> recent;
  std::optional<Entry> bad, next;
  std::optional<std::string> anchored;  // the hash of entry anchor->seq, when reached intact
  SW_TRY(store_.scan_audit(store::AuditQuery{}, [&](const Entry& r) {
    if (bad) {  // the one entry after the first bad one, to tell what happened
      next = r;
      return false;
    }
    if (r.seq != expected_seq || r.prev_hash != expected_prev || entry_hash(r) != r.hash) {
      bad = r;
      return true;
    }
    ++v.checked;
    if (anchor && r.seq == anchor->seq) anchored = r.hash;
    expected_seq = r.seq + 1;
    expected_prev = r.hash;
    v.head_seq = r.seq;
    v.head_hash = r.hash;
    recent.emplace_back(r.seq, r.hash);
    if (recent.size() > kRecent) recent.pop_front();
    return true;
  }));
  if (bad) {
    Verdict c = classify(*bad, next, expected_seq, expected_prev, recent);
    c.checked = v.checked;
    c.head_seq = v.head_seq;
    c.head_hash = v.head_hash;
    // The first bad entry may come before the one where the walk stopped (an entry changed with
    // its hash recomputed, forged entries inserted): the intact part ends before it.
    if (c.first_bad_seq >= 1 && c.first_bad_seq <= c.head_seq) {
      c.checked = c.first_bad_seq - 1;
      c.head_seq = 0;
      c.head_hash.clear();
      for (const auto& [seq, hash] : recent) {
        if (seq == c.first_bad_seq - 1) {
          c.head_seq = seq;
          c.head_hash = hash;
        }
      }
    }
    return c;
  }
  if (anchor) {
    if (!anchored) {
      v.ok = false;
      v.kind = Problem::kRemoved;
      v.first_bad_seq = v.head_seq + 1;
      v.message = "the log ends at entry " + std::to_string(v.head_seq) +
                  " but the anchor names entry " + std::to_string(anchor->seq) + ": " +
                  range(v.head_seq + 1, anchor->seq) + " (at least) " +
                  (anchor->seq - v.head_seq == 1 ? "was" : "were") + " removed from the end";
      return v;
    }
    if (*anchored != anchor->hash) {
      v.ok = false;
      v.kind = Problem::kChanged;
      v.first_bad_seq = anchor->seq;
      v.message = "entry " + std::to_string(anchor->seq) + " has hash " + short_hash(*anchored) +
                  " but the anchor says " + short_hash(anchor->hash) +
                  ": the log up to entry " + std::to_string(anchor->seq) +
                  " was rewritten with recomputed hashes; compare it with a backup to find the "
                  "first changed entry";
      return v;
    }
  }
  v.message = v.checked == 0
                  ? std::string("audit log intact: no entries")
                  : "audit log intact: " + std::to_string(v.checked) + " entr" +
                        (v.checked == 1 ? "y" : "ies") + ", head " + std::to_string(v.head_seq) +
                        ":" + v.head_hash;
  return v;
}

std::string entry_json(const Entry& e) {
  std::string out = "{\"seq\":" + std::to_string(e.seq) + ",\"time\":";
  core::append_json_string(out, core::format_timestamp(core::from_micros(e.time_us), 6));
  out += ",\"time_us\":" + std::to_string(e.time_us);
  auto field = [&](const char* name, const std::string& v) {
    out += ",\"";
    out += name;
    out += "\":";
    core::append_json_string(out, v);
  };
  field("actor", e.actor);
  field("org", e.org);
  field("action", e.action);
  field("target", e.target);
  field("outcome", e.outcome);
  field("reason", e.reason);
  // The stored text as it is when it is a JSON object (it is canonical JSON as written); as a
  // string otherwise, so a damaged entry still gives a valid line.
  auto details = core::parse_json(e.details_json);
  if (details.ok() && details->is_object()) {
    out += ",\"details\":" + core::canonical_json(*details);
  } else {
    field("details", e.details_json);
  }
  field("prev_hash", e.prev_hash);
  field("hash", e.hash);
  out.push_back('}');
  return out;
}

std::string verdict_json(const Verdict& v) {
  std::string out = std::string("{\"ok\":") + (v.ok ? "true" : "false") +
                    ",\"entries_checked\":" + std::to_string(v.checked) +
                    ",\"first_bad_seq\":" + (v.ok ? std::string("null") : std::to_string(v.first_bad_seq)) +
                    ",\"problem\":";
  core::append_json_string(out, v.ok ? "none" : problem_name(v.kind));
  out += ",\"message\":";
  core::append_json_string(out, v.message);
  out += ",\"head\":";
  if (v.head_seq == 0) {
    out += "null";
  } else {
    out += "{\"seq\":" + std::to_string(v.head_seq) + ",\"hash\":";
    core::append_json_string(out, v.head_hash);
    out += "}";
  }
  out.push_back('}');
  return out;
}

}  // namespace sw::audit
