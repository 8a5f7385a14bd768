#include "cql/bound_values.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "cql/byte_order.hpp"

namespace playstream::cql {
namespace {

constexpr std::int32_t null_length = -1;
constexpr std::int32_t unset_length = -2;

}  // namespace

BoundValues::BoundValues(std::initializer_list<Value> values) {
    for (const auto& v : values) add(v);
}

BoundValues::BoundValues(const std::vector<Value>& values) {
    for (const auto& v : values) add(v);
}

void BoundValues::add_raw(const void* data, std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw std::length_error("a value of " + std::to_string(n) + " bytes is too long for the protocol");
    std::uint8_t* out = extend(4 + n);
    store_be(out, static_cast<std::uint32_t>(n));
    if (n != 0) std::memcpy(out + 4, data, n);
    ++count_;
}

void BoundValues::add(std::string_view v) { add_raw(v.data(), v.size()); }
void BoundValues::add(const Uuid& v) { add_raw(v.bytes.data(), v.bytes.size()); }

void BoundValues::add(const Value& v) {
    if (const auto* bytes = std::get_if<Bytes>(&v)) return add_raw(bytes->data(), bytes->size());
    std::uint8_t length[4];
    store_be(length, static_cast<std::uint32_t>(std::holds_alternative<Null>(v) ? null_length : unset_length));
    std::memcpy(extend(4), length, 4);
    ++count_;
}

BoundValues::Located BoundValues::locate(std::size_t index) const {
    if (index >= count_)
        throw std::out_of_range("bound value " + std::to_string(index) + " of " + std::to_string(count_));
    std::size_t at = front_;
    for (;;) {
        const auto length = static_cast<std::int32_t>(load_be<std::uint32_t>(bytes_.data() + at));
        at += 4;
        if (index-- == 0) return {length, at};
        at += length > 0 ? static_cast<std::size_t>(length) : 0;
    }
}

Cell BoundValues::cell(std::size_t index) const {
    const auto [length, at] = locate(index);
    if (length < 0) return std::nullopt;
    return ByteView(bytes_).subspan(at, static_cast<std::size_t>(length));
}

Value BoundValues::at(std::size_t index) const {
    const auto [length, at] = locate(index);
    if (length == null_length) return null;
    if (length == unset_length) return unset;
    const auto bytes = ByteView(bytes_).subspan(at, static_cast<std::size_t>(length));
    return Bytes(bytes.begin(), bytes.end());
}

}  // namespace playstream::cql
