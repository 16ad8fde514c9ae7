// The shieldwall command line: parses arguments and dispatches to one command per file.
#pragma once

namespace sw::cli {

// Runs the command line; returns the process exit code.
int run(int argc, char** argv);

}  // namespace sw::cli
