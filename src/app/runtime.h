// A running node (`shieldwall serve`): the store, the indicator index and share index kept in step
// with it by a follower thread, the policy over the node's organisations and groups (reloaded as
// they change), and the HTTP server carrying the REST API and the operations endpoints.
//
// Thread-safety: start() and stop() from one controlling thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/result.h"

namespace sw::app {

struct RuntimeOptions {
  std::string listen;  // overrides [server] listen when set
  int threads = 2;     // HTTP I/O threads
  std::chrono::milliseconds follow_interval{1000};
  // Logs (JSON lines) go to stderr; tests may silence the access log.
  bool access_log = true;
};

class Runtime {
 public:
  // Opens the store, loads the index and share index, builds the policy, starts the follower and
  // the server. Errors name what failed (the store, the certificate, the port).
  static core::Result<std::unique_ptr<Runtime>> start(const core::NodeConfig& config,
                                                      const RuntimeOptions& options);
  ~Runtime();

  uint16_t port() const;
  // Stops the server (finishing requests in flight for up to `grace`) and the follower.
  void stop(std::chrono::milliseconds grace);

 private:
  Runtime();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::app
