// Shared by the log reader tests: read a whole input into plain strings that assertions can
// compare ("ipv4 10.0.0.1 @src_ip").
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "index/logs/reader.h"

namespace sw::index::logs::testing {

inline std::filesystem::path data_dir() {
  return std::filesystem::path(SW_SOURCE_DIR) / "tests" / "index" / "data" / "logs";
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct ReadRecord {
  uint64_t line = 0;
  std::vector<std::string> obs;  // "<kind> <value> @<field>"
  std::string timestamp, src_ip, dst_ip, transport, app_protocol;
  int32_t src_port = -1, dst_port = -1;
};

inline std::string describe(const LogObservable& o) {
  return std::string(kind_name(o.kind)) + " " + std::string(o.value) + " @" +
         std::string(o.field);
}

inline std::vector<ReadRecord> read_all(LogReader& reader) {
  std::vector<ReadRecord> out;
  Record r;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    auto n = reader.next(r);
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().to_string());
    if (!n.ok() || !*n) break;
    ReadRecord rr;
    rr.line = r.line;
    for (const LogObservable& o : r.observables) rr.obs.push_back(describe(o));
    rr.timestamp = r.timestamp;
    rr.src_ip = r.src_ip;
    rr.dst_ip = r.dst_ip;
    rr.transport = r.transport;
    rr.app_protocol = r.app_protocol;
    rr.src_port = r.src_port;
    rr.dst_port = r.dst_port;
    out.push_back(std::move(rr));
  }
  return out;
}

inline std::vector<ReadRecord> read_text(Format format, std::string text,
                                         ReaderOptions options = {}) {
  auto reader = LogReader::from_memory(format, std::move(text), "test", options);
  return read_all(*reader);
}

}  // namespace sw::index::logs::testing
