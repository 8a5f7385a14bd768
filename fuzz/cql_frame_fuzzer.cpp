// libFuzzer target: one response frame as a node sends it (9-byte header, then the body), into
// the header parser and, behind a header that passes, the decoder of the header's message (LZ4
// decompressed first when the compression flag is set, as on a connection that negotiated it). A
// ProtocolError is the expected answer to garbage; anything else escaping (another exception,
// a crash, a sanitizer report) is a bug. Rows are read cell by cell as every C++ type.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "cql/compression.hpp"
#include "cql/error.hpp"
#include "cql/frame.hpp"
#include "cql/response.hpp"
#include "cql/value.hpp"
#include "fuzz_check.hpp"

namespace cql = playstream::cql;

namespace {

template <class T>
void read_as(const cql::ColumnType& type, cql::Cell cell) {
    try {
        (void)cql::from_cell<T>(type, cell);
    } catch (const cql::TypeError&) {
    } catch (const cql::ProtocolError&) {
    }
}

void read_cells(const cql::Response& r) {
    const auto* result = std::get_if<cql::response::Result>(&r.body);
    const auto* rows = result ? std::get_if<cql::response::Rows>(&result->kind) : nullptr;
    if (!rows) return;
    const auto& columns = rows->metadata.columns;
    FUZZ_CHECK(columns.empty() || columns.size() == rows->column_count());
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
    cql::FrameHeader header;
    try {
        header = cql::parse_response_header(input.first(std::min(size, cql::header_size)));
    } catch (const cql::ProtocolError&) {
        return 0;
    }
    FUZZ_CHECK(size >= cql::header_size && header.length <= cql::max_body_length);
    // A frame cut short is decoded as if its length said so: the message decoders see every
    // truncation, where waiting for the rest (as the connection does) would teach nothing.
    const auto body = input.subspan(cql::header_size).first(std::min<std::size_t>(size - cql::header_size, header.length));
    header.length = static_cast<std::uint32_t>(body.size());
    try {
        read_cells(cql::decode_response(header, body, cql::Compression::Lz4));
    } catch (const cql::ProtocolError&) {
    }
    // A compressed body that decompresses compresses and decompresses back to the same bytes.
    if (header.flags & cql::frame_flag::compression) {
        try {
            const auto plain = cql::lz4_decompress(body);
            FUZZ_CHECK(cql::lz4_decompress(cql::lz4_compress(plain)) == plain);
        } catch (const cql::ProtocolError&) {
        }
    }
    return 0;
}
