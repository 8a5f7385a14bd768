// libFuzzer target: the body of a RESULT message (kind, then for Rows the metadata and the
// rows), decoded as the driver does, then every cell of every row read through the value
// decoders by the C++ type its column's metadata maps to, as the Cassandra store reads a
// result. Driven by the metadata, a read must never be refused for its type (TypeError); it
// may only be refused for a cell of the wrong width (ProtocolError). What is read must encode
// back to the cell's bytes, and the rows of a second page must read as the first.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

#include "cql/decoder.hpp"
#include "cql/driver/result.hpp"
#include "cql/error.hpp"
#include "cql/value.hpp"
#include "events/timestamp.hpp"
#include "fuzz_check.hpp"

namespace cql = playstream::cql;
namespace drv = playstream::cql::driver;

namespace {

// The cell as T, checked against its bytes; false when the width was refused.
template <class T>
bool read_back(const drv::Result& result, std::size_t row, std::size_t column, cql::Cell cell) {
    std::optional<T> value;
    try {
        value = result.get<T>(row, column);
    } catch (const cql::ProtocolError&) {
        FUZZ_CHECK(cell.has_value());
        return false;
    }
    FUZZ_CHECK(value.has_value() == cell.has_value());
    if (value) {
        const auto bytes = std::get<cql::Bytes>(cql::to_value(*value));
        if constexpr (std::is_same_v<T, bool>) {
            FUZZ_CHECK(cell->size() == 1 && *value == (cell->front() != 0));
        } else {
            FUZZ_CHECK(bytes == cql::to_bytes(cell));
        }
    }
    return true;
}

void read_cell(const drv::Result& result, std::size_t row, std::size_t column, cql::Cell cell) {
    using cql::TypeId;
    const auto& type = result.columns()[column].type;
    switch (type.id) {
        case TypeId::Int: read_back<std::int32_t>(result, row, column, cell); break;
        case TypeId::Bigint: case TypeId::Counter: read_back<std::int64_t>(result, row, column, cell); break;
        case TypeId::Timestamp:
            if (read_back<std::int64_t>(result, row, column, cell) && cell) {
                (void)playstream::events::format_timestamp(*result.get<std::int64_t>(row, column));
            }
            break;
        case TypeId::Float: read_back<float>(result, row, column, cell); break;
        case TypeId::Double: read_back<double>(result, row, column, cell); break;
        case TypeId::Boolean: read_back<bool>(result, row, column, cell); break;
        case TypeId::Ascii: case TypeId::Varchar: read_back<std::string>(result, row, column, cell); break;
        case TypeId::Uuid: case TypeId::Timeuuid: read_back<cql::Uuid>(result, row, column, cell); break;
        default:  // no C++ type of ours: refused as such
            try {
                (void)result.get<std::string>(row, column);
                FUZZ_CHECK(false);
            } catch (const cql::TypeError&) {
            }
            (void)cql::to_string(type);
    }
}

void read_rows(const drv::Result& result, const cql::response::Rows& rows) {
    const auto& columns = result.columns();
    FUZZ_CHECK(columns.empty() || columns.size() == rows.column_count());
    // Rows of no column take no bytes, so their count is not bounded by the body (by design,
    // see CqlResponse.ForgedCountsFailFast): there is no cell to read in any of them.
    if (rows.column_count() == 0) return;
    for (std::size_t column = 0; column < columns.size(); ++column) {
        FUZZ_CHECK(result.column_index(columns[column].name) <= column);
    }
    for (std::size_t row = 0; row < result.row_count(); ++row) {
        for (std::size_t column = 0; column < rows.column_count(); ++column) {
            const auto cell = rows.cell(row % rows.row_count(), column);
            if (columns.empty()) {  // No_metadata: nothing says how to read the cell
                try {
                    (void)result.get<std::string>(row, column);
                    FUZZ_CHECK(false);
                } catch (const std::out_of_range&) {
                }
                continue;
            }
            read_cell(result, row, column, cell);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cql::Decoder d(cql::ByteView(data, size));
    auto body = cql::response::Result::decode(d);
    if (!d.ok()) return 0;
    const auto* rows = std::get_if<cql::response::Rows>(&body.kind);
    if (!rows) return 0;
    const auto page = *rows;
    drv::Result result("fuzz", std::move(body), {});
    read_rows(result, page);
    // The same rows again as a second page: row n of the two pages is row n % rows of the first.
    result.append_page(drv::Result("fuzz", cql::response::Result{page}, {}));
    FUZZ_CHECK(result.row_count() == 2 * page.row_count());
    read_rows(result, page);
    return 0;
}
