// A sanity timing, not a unit test (disabled by default): puts N new indicator-like objects
// (~600-byte JSON) in batches of 10,000 and scans them back, per backend. Run with
//   SW_BENCH_OBJECTS=1000000 store_test --gtest_also_run_disabled_tests
//     --gtest_filter='*StoreBench*'
// (PostgreSQL needs SW_TEST_POSTGRES, see store_test_util.h). The SQLite file goes to $TMPDIR.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include <sstream>

#include "store_test_util.h"

namespace sw::store {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds used so far by this process (all threads), and by the PostgreSQL backends serving
// `db` (found by application_name; the server runs on this machine). The machine is shared, so
// wall-clock rates depend on what else runs; CPU per object does not.
double process_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double backend_cpu(testing::TestDatabase& db) {
  auto* pg = dynamic_cast<testing::PostgresDatabase*>(&db);
  if (!pg) return 0;
  PGconn* c = PQconnectdb(testing::postgres_conninfo());
  double total = 0;
  PGresult* r = PQexec(
      c,
      ("SELECT pid FROM pg_stat_activity WHERE application_name = '" + pg->schema() + "'").c_str());
  for (int i = 0; i < PQntuples(r); ++i) {
    std::ifstream stat("/proc/" + std::string(PQgetvalue(r, i, 0)) + "/stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int k = 1; k <= 13 && rest >> field; ++k) {
      if (k == 12) utime = std::stod(field);
      if (k == 13) stime = std::stod(field);
    }
    total += (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  PQclear(r);
  PQfinish(c);
  return total;
}

class StoreBench : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(StoreBench, DISABLED_PutAndScan) {
  if (GetParam().postgres) SW_REQUIRE_POSTGRES();
  const char* env = std::getenv("SW_BENCH_OBJECTS");
  const int64_t n = env ? std::atoll(env) : 1'000'000;
  constexpr int64_t kBatch = 10'000;
  auto db = GetParam().make();
  auto opened = db->open();
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  Store& store = **opened;
  const char* name = GetParam().name;

  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(n));
  double put_s = 0, last_s = 0, put_cpu = 0, put_server_cpu = 0;
  int64_t json_bytes = 0;
  std::vector<stix::Object> batch;
  for (int64_t done = 0; done < n; done += kBatch) {
    batch.clear();
    for (int64_t i = 0; i < kBatch && done + i < n; ++i) {
      ids.push_back(testing::new_id());
      batch.push_back(testing::sdo(ids.back(), 1));
      json_bytes += static_cast<int64_t>(batch.back().json.size());
    }
    const double cpu0 = process_cpu(), server0 = backend_cpu(*db);
    const auto t = Clock::now();
    auto r = store.put(batch, 1'700'000'000'000'000 + done);
    const double s = seconds_since(t);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    put_cpu += process_cpu() - cpu0;
    put_server_cpu += backend_cpu(*db) - server0;
    put_s += s;
    if (done + kBatch >= n) last_s = s;
  }
  std::printf(
      "BENCH %-8s put %lld new objects (%.0f bytes of JSON each) in batches of %lld: "
      "%.0f objects/s (last batch %.0f objects/s); CPU per object: %.1f us here + %.1f us "
      "in the server\n",
      name, static_cast<long long>(n), static_cast<double>(json_bytes) / n,
      static_cast<long long>(kBatch), n / put_s, kBatch / last_s, put_cpu * 1e6 / n,
      put_server_cpu * 1e6 / n);

  // Classification paths on the full store: a batch of new versions, then the same batch again.
  std::mt19937_64 rng(7);
  batch.clear();
  for (int64_t i = 0; i < kBatch; ++i) {
    batch.push_back(testing::sdo(ids[rng() % ids.size()], 2 + i));
  }
  auto t = Clock::now();
  auto nv = store.put(batch, 1);
  ASSERT_TRUE(nv.ok()) << nv.error().to_string();
  std::printf("BENCH %-8s put %lld new versions of random stored ids: %.0f objects/s\n", name,
              static_cast<long long>(kBatch), kBatch / seconds_since(t));
  t = Clock::now();
  auto dup = store.put(batch, 1);
  ASSERT_TRUE(dup.ok()) << dup.error().to_string();
  std::printf("BENCH %-8s put %lld duplicates: %.0f objects/s\n", name,
              static_cast<long long>(kBatch), kBatch / seconds_since(t));

  for (bool latest : {true, false}) {
    Query q;
    q.latest_only = latest;
    int64_t count = 0, bytes = 0;
    const double cpu0 = process_cpu(), server0 = backend_cpu(*db);
    t = Clock::now();
    auto st = store.scan(q, [&](const StoredObject& o) {
      ++count;
      bytes += static_cast<int64_t>(o.json.size());
      return true;
    });
    const double s = seconds_since(t);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    const double cpu = process_cpu() - cpu0, server = backend_cpu(*db) - server0;
    std::printf(
        "BENCH %-8s scan %s: %lld objects in %.2f s: %.0f objects/s (%.0f MB/s of JSON); "
        "CPU per object %.2f us here + %.2f us in the server\n",
        name, latest ? "latest_only" : "all versions", static_cast<long long>(count), s, count / s,
        static_cast<double>(bytes) / s / 1e6, cpu * 1e6 / count, server * 1e6 / count);
  }
  {
    Query q;
    q.types = {"indicator"};
    q.after_seq = n / 2;
    int64_t count = 0;
    t = Clock::now();
    auto st = store.scan(q, [&](const StoredObject&) { return ++count, true; });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    std::printf("BENCH %-8s scan type=indicator after_seq=n/2: %lld objects: %.0f objects/s\n",
                name, static_cast<long long>(count), count / seconds_since(t));
  }
  t = Clock::now();
  auto stats = store.stats();
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  std::printf("BENCH %-8s stats in %.3f s: max_seq %lld, %.0f MB on disk\n", name, seconds_since(t),
              static_cast<long long>(stats->max_seq), static_cast<double>(stats->bytes) / 1e6);
}

std::string backend_name(const ::testing::TestParamInfo<testing::Backend>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Memory, StoreBench, ::testing::Values(testing::memory_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreBench, ::testing::Values(testing::sqlite_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreBench, ::testing::Values(testing::postgres_backend()),
                         backend_name);

}  // namespace
}  // namespace sw::store
