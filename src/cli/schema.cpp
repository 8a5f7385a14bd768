#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "store/store.hpp"

namespace playstream::cli {

Command add_schema(CLI::App& app) {
    auto uri = std::make_shared<std::string>();
    auto* c = app.add_subcommand("schema", "Create the listening_history table if it is missing");
    add_store_option(*c, *uri);
    return {c, [uri] {
        store::open_store(*uri)->ensure_schema();
        fmt::print(stderr, "schema: listening_history is ready in {}\n", *uri);
        return 0;
    }};
}

}  // namespace playstream::cli
