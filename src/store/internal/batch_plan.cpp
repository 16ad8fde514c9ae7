#include "store/internal/batch_plan.h"

#include <unordered_map>

namespace sw::store::internal {
namespace {

// Where an id stands while the batch is being classified.
struct IdState {
  bool exists = false;
  std::string latest_key;
  bool latest_revoked = false;
  int64_t latest_seq = 0;          // the stored latest's seq; 0 when the latest is in the batch
  size_t latest_index = SIZE_MAX;  // batch index of the latest when it is in the batch
  std::vector<std::string_view> written_keys;  // keys written earlier in this batch
};

}  // namespace

core::Result<BatchPlan> plan_batch(std::span<const stix::Object> batch,
                                   std::vector<std::string> keys, const StoredLookup& lookup) {
  BatchPlan plan;
  if (keys.size() != batch.size()) return core::Error::internal("plan_batch: one key per object");
  plan.outcomes.resize(batch.size());
  plan.version_keys = std::move(keys);
  plan.latest_after.assign(batch.size(), false);
  plan.stored.reserve(batch.size());
  std::unordered_map<std::string_view, IdState> ids;
  ids.reserve(batch.size());

  for (size_t i = 0; i < batch.size(); ++i) {
    const stix::ObjectMeta& meta = batch[i].meta;
    if (meta.id.empty() || meta.type.empty()) {
      return core::Error::invalid("object " + std::to_string(i) + " of the batch has no " +
                                  (meta.id.empty() ? "id" : "type"));
    }
    const std::string& key = plan.version_keys[i];

    auto [it, first_seen] = ids.try_emplace(meta.id);
    IdState& st = it->second;
    if (first_seen) {
      SW_ASSIGN(std::optional<StoredHead> head, lookup.latest(meta.id));
      if (head) {
        st.exists = true;
        st.latest_key = std::move(head->version_key);
        st.latest_revoked = head->revoked;
        st.latest_seq = head->seq;
      }
    }

    auto write = [&](PutOutcome outcome) {
      plan.outcomes[i] = outcome;
      plan.stored.push_back(i);
      st.written_keys.push_back(key);
      TypeCount& c = plan.added[meta.type];
      ++c.versions;
      if (outcome == PutOutcome::kNew) ++c.objects;
    };
    auto become_latest = [&] {
      if (st.latest_index != SIZE_MAX) {
        plan.latest_after[st.latest_index] = false;
      } else if (st.latest_seq != 0) {
        plan.superseded.push_back(st.latest_seq);
      }
      st.exists = true;
      st.latest_key = key;
      st.latest_revoked = meta.revoked;
      st.latest_seq = 0;
      st.latest_index = i;
      plan.latest_after[i] = true;
    };

    if (!st.exists) {
      become_latest();
      write(PutOutcome::kNew);
    } else if (key == st.latest_key) {
      plan.outcomes[i] = PutOutcome::kDuplicate;
    } else if (key > st.latest_key) {
      // The stored latest is the greatest key of the id, so a greater key cannot be stored yet.
      if (st.latest_revoked) {
        plan.outcomes[i] = PutOutcome::kRevoked;
      } else {
        become_latest();
        write(PutOutcome::kNewVersion);
      }
    } else {
      bool stored = false;
      for (std::string_view k : st.written_keys) {
        if (k == key) {
          stored = true;
          break;
        }
      }
      if (!stored) {
        SW_ASSIGN(stored, lookup.has(meta.id, key));
      }
      if (stored) {
        plan.outcomes[i] = PutOutcome::kDuplicate;
      } else {
        write(PutOutcome::kHistory);
      }
    }
  }
  return plan;
}

std::vector<int64_t> superseded_after(const BatchPlan& plan, int64_t first_seq) {
  std::vector<int64_t> out = plan.superseded;
  for (size_t k = 0; k < plan.stored.size(); ++k) {
    if (!plan.latest_after[plan.stored[k]]) out.push_back(first_seq + static_cast<int64_t>(k));
  }
  return out;
}

core::Result<core::Timestamp> decode_timestamp(std::string_view text, int digits) {
  if (digits < 0 || digits > 9) return core::Error::invalid("sub-second digits out of range");
  // What sortable() writes, "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ", decoded directly (every scanned
  // row has two); anything else goes through the full parser.
  static constexpr char kShape[] = "0000-00-00T00:00:00.000000000Z";
  bool fast = text.size() == 30;
  uint64_t f[7] = {};  // year month day hour minute second nanos
  static constexpr int kAt[7] = {0, 5, 8, 11, 14, 17, 20}, kLen[7] = {4, 2, 2, 2, 2, 2, 9};
  for (int k = 0; fast && k < 7; ++k) {
    for (int i = kAt[k]; i < kAt[k] + kLen[k]; ++i) {
      const char c = text[static_cast<size_t>(i)];
      if (c < '0' || c > '9') {
        fast = false;
        break;
      }
      f[k] = f[k] * 10 + static_cast<uint64_t>(c - '0');
    }
  }
  for (int i : {4, 7, 10, 13, 16, 19, 29}) {
    if (fast && text[static_cast<size_t>(i)] != kShape[i]) fast = false;
  }
  if (fast && f[1] >= 1 && f[1] <= 12 && f[2] >= 1 && f[2] <= 31 && f[3] < 24 && f[4] < 60 &&
      f[5] < 60) {
    // Days from civil date: Howard Hinnant's algorithm, as core/time.cpp.
    const auto y = static_cast<int64_t>(f[0]) - (f[1] <= 2);
    const unsigned m = static_cast<unsigned>(f[1]), d = static_cast<unsigned>(f[2]);
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const int64_t days = era * 146097 + static_cast<int64_t>(doe) - 719468;
    core::Timestamp ts;
    ts.seconds = days * 86400 + static_cast<int64_t>(f[3] * 3600 + f[4] * 60 + f[5]);
    ts.nanos = static_cast<uint32_t>(f[6]);
    ts.digits = static_cast<uint8_t>(digits);
    return ts;
  }
  SW_ASSIGN(core::Timestamp ts, core::parse_timestamp(text));
  ts.digits = static_cast<uint8_t>(digits);
  return ts;
}

std::string sortable(const core::Timestamp& ts) {
  // Days to civil date: Howard Hinnant's algorithm, as core/time.cpp.
  const int64_t days = ts.seconds >= 0 ? ts.seconds / 86400 : (ts.seconds - 86399) / 86400;
  const int64_t rem = ts.seconds - days * 86400;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  if (y < 0 || y > 9999 || ts.nanos > 999'999'999) return core::sortable(ts);  // odd: the slow way
  char b[30] = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0, '.'};
  auto put = [&](int at, int width, uint64_t v) {
    for (int k = at + width - 1; k >= at; --k, v /= 10) b[k] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, static_cast<uint64_t>(y));
  put(5, 2, m);
  put(8, 2, d);
  put(11, 2, static_cast<uint64_t>(rem / 3600));
  put(14, 2, static_cast<uint64_t>(rem / 60 % 60));
  put(17, 2, static_cast<uint64_t>(rem % 60));
  put(20, 9, ts.nanos);
  b[29] = 'Z';
  return std::string(b, sizeof b);
}

std::string version_key(const stix::ObjectMeta& meta) {
  if (meta.has_modified) return internal::sortable(meta.modified);
  if (meta.has_created) return internal::sortable(meta.created);
  return {};
}

std::vector<std::string> version_keys(std::span<const stix::Object> batch) {
  std::vector<std::string> keys;
  keys.reserve(batch.size());
  for (const stix::Object& o : batch) keys.push_back(version_key(o.meta));
  return keys;
}

int64_t id_hash(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return static_cast<int64_t>(h);
}

core::Error corrupt_row(std::string_view backend, std::string_view what, int64_t seq) {
  return core::Error::store(std::string(backend) + ": stored version seq " + std::to_string(seq) +
                            " cannot be decoded: " + std::string(what));
}

}  // namespace sw::store::internal
