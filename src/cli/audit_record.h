// Recording what a shieldwall command did in the node's audit log (docs/audit.md).
#pragma once

#include <string>

#include "audit/audit.h"
#include "core/config.h"
#include "store/store.h"

namespace sw::cli {

// "cli:<OS user name>" (the effective user; "cli:uid-N" when it has no name).
std::string cli_actor();

// Records `event` with actor cli_actor() and org the node's organisation (its identity id, else
// its name) unless the event names them. Prints "error: audit log: …" and returns false when it
// could not be recorded.
bool record_cli_event(store::Store& store, const core::NodeConfig& config, audit::Event event);

}  // namespace sw::cli
