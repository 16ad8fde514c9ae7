#include "cli/cli.h"

#include <CLI/CLI.hpp>

namespace sw::cli {

int run(int argc, char** argv) {
  CLI::App app{"Shieldwall node"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace sw::cli
