// RecordStore over a node's store (store.h, clause 7: local records).
#include "policy/records.h"
#include "store/store.h"

namespace sw::policy {

namespace {

class StoreRecords final : public RecordStore {
 public:
  explicit StoreRecords(store::Store& s) : s_(s) {}

  core::Result<std::optional<Record>> get(std::string_view kind, std::string_view key) override {
    auto r = s_.get_local(kind, key);
    if (!r.ok()) return std::move(r).error();
    if (!*r) return std::optional<Record>{};
    return std::optional<Record>(Record{std::move((*r)->kind), std::move((*r)->key),
                                        std::move((*r)->json), (*r)->version});
  }
  core::Status scan(std::string_view kind, const std::function<bool(const Record&)>& visit) override {
    Record rec;
    return s_.scan_local(kind, [&](const store::LocalRecord& l) {
      rec.kind = l.kind;
      rec.key = l.key;
      rec.json = l.json;
      rec.version = l.version;
      return visit(rec);
    });
  }
  core::Result<int64_t> put(const Record& r, int64_t expected) override {
    return s_.put_local(r.kind, r.key, r.json, expected);
  }
  core::Status remove(std::string_view kind, std::string_view key) override {
    return s_.delete_local(kind, key);
  }

 private:
  store::Store& s_;
};

}  // namespace

std::unique_ptr<RecordStore> store_records(store::Store& store) {
  return std::make_unique<StoreRecords>(store);
}

}  // namespace sw::policy
