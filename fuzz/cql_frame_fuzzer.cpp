// libFuzzer target: arbitrary bytes into the CQL frame header parser and the response
// dispatcher. A ProtocolError is the expected answer to garbage; anything else escaping
// (another exception, a crash, a sanitizer report) is a bug.
#include <array>
#include <cstddef>
#include <cstdint>

#include "cql/error.hpp"
#include "cql/frame.hpp"
#include "cql/response.hpp"
#include "cql/value.hpp"

namespace cql = playstream::cql;

namespace {

constexpr std::array response_opcodes{cql::Opcode::Error,  cql::Opcode::Ready,         cql::Opcode::Authenticate,
                                      cql::Opcode::Supported, cql::Opcode::Result,     cql::Opcode::Event,
                                      cql::Opcode::AuthChallenge, cql::Opcode::AuthSuccess};

template <class T>
void read_as(const cql::ColumnType& type, cql::Cell cell) {
    try {
        (void)cql::from_cell<T>(type, cell);
    } catch (const cql::TypeError&) {
    } catch (const cql::ProtocolError&) {
    }
}

// Reads every cell of a Rows result as every C++ type, so value decoding is fuzzed too.
void read_cells(const cql::Response& r) {
    const auto* result = std::get_if<cql::response::Result>(&r.body);
    const auto* rows = result ? std::get_if<cql::response::Rows>(&result->kind) : nullptr;
    if (!rows) return;
    const auto& columns = rows->metadata.columns;
    for (std::size_t i = 0; i < rows->row_count() * rows->column_count(); ++i) {
        const auto col = i % rows->column_count();
        const auto cell = rows->cell(i / rows->column_count(), col);
        if (columns.empty()) continue;
        const auto& type = columns[col].type;
        (void)cql::to_string(type);
        read_as<std::int32_t>(type, cell);
        read_as<std::int64_t>(type, cell);
        read_as<float>(type, cell);
        read_as<double>(type, cell);
        read_as<bool>(type, cell);
        read_as<std::string>(type, cell);
        read_as<cql::Uuid>(type, cell);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const cql::ByteView input(data, size);
    try {
        (void)cql::parse_response_header(input.first(std::min(size, cql::header_size)));
    } catch (const cql::ProtocolError&) {
    }
    // The dispatcher behind a header that passes, so garbage reaches every message decoder:
    // byte 0 picks the opcode, byte 1 is the flags, the rest is the body.
    if (size < 2) return 0;
    cql::FrameHeader header;
    header.opcode = response_opcodes[data[0] % response_opcodes.size()];
    header.flags = data[1];
    const auto body = input.subspan(2);
    header.length = static_cast<std::uint32_t>(body.size());
    try {
        read_cells(cql::decode_response(header, body));
    } catch (const cql::ProtocolError&) {
    }
    return 0;
}
