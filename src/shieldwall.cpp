// The shieldwall executable: everything is in the cli module; this is only the entry point.
#include "cli/cli.h"

int main(int argc, char** argv) { return sw::cli::run(argc, argv); }
