#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "cql/byte_order.hpp"
#include "cql/primitives.hpp"
#include "cql/value.hpp"

namespace playstream::cql {

// The bound values of one request, serialized as they are added: the [value]s of spec section 3
// back to back, ready to be copied into a frame. One buffer per request instead of a heap
// allocation per value, and nothing left to convert on the I/O thread.
class BoundValues {
public:
    BoundValues() = default;
    BoundValues(std::initializer_list<Value> values);
    explicit BoundValues(const std::vector<Value>& values);
    // Values serialized after `front` bytes of room and with `back` bytes spare behind them, for
    // the fields a frame puts around them: the frame is then written around the values in this
    // very buffer (request::encode_execute) instead of the values being copied into another.
    // Nothing is allocated until the first reserve or add, which allocates front, values and back at once.
    BoundValues(std::size_t front, std::size_t back) : front_(front), back_(back), used_(front) {}

    // Serializations of spec section 6, as to_value (value.hpp) makes them.
    // The fixed-width ones inline: a row of listen columns is mostly numbers, and a library call
    // per 4-byte copy showed in profiles of the write path.
    void add(std::int32_t v) { add_fixed<4>(static_cast<std::uint32_t>(v)); }
    void add(std::int64_t v) { add_fixed<8>(static_cast<std::uint64_t>(v)); }
    void add(float v) { add(std::bit_cast<std::int32_t>(v)); }
    void add(double v) { add(std::bit_cast<std::int64_t>(v)); }
    void add(bool v) { add_fixed<1>(std::uint8_t{v ? std::uint8_t{1} : std::uint8_t{0}}); }
    void add(std::string_view v);
    void add(const char* v) { add(std::string_view(v)); }
    void add(const Uuid& v);
    void add(const Value& v);
    // Room for `bytes` more serialized bytes (and the spare room behind them), so that adding a
    // row's values allocates once.
    void reserve(std::size_t bytes) {
        if (bytes_.size() < used_ + bytes + back_) bytes_.resize(used_ + bytes + back_);
    }

    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    // The [value]s, without their count.
    ByteView serialized() const {
        return used_ == front_ ? ByteView() : ByteView(bytes_).subspan(front_, used_ - front_);
    }
    std::size_t front_room() const { return front_; }
    // The buffer itself, ending with the last value: the room in front (for the caller to fill),
    // then the values, and at least the spare room behind them in its capacity. Leaves this empty.
    Bytes release_buffer() {
        bytes_.resize(used_);
        Bytes out = std::move(bytes_);
        *this = BoundValues();
        return out;
    }
    // Value `index` (< size()); walks the buffer, so meant for a few values (routing keys, tests).
    Value at(std::size_t index) const;
    // Value `index`'s bytes, viewing this buffer; std::nullopt for null or unset.
    Cell cell(std::size_t index) const;

private:
    struct Located {
        std::int32_t length;  // -1 null, -2 unset
        std::size_t offset;   // of its bytes
    };
    Located locate(std::size_t index) const;
    void add_raw(const void* data, std::size_t n);
    // `n` more bytes at the end, to be written; grows the buffer when it lacks room.
    std::uint8_t* extend(std::size_t n) {
        // The room behind the values stays free, so the frame's tail does not reallocate.
        if (bytes_.size() < used_ + n + back_) bytes_.resize(std::max(used_ + n + back_, 2 * bytes_.size()));
        return bytes_.data() + std::exchange(used_, used_ + n);
    }
    template <std::size_t N, class U>
    void add_fixed(U bits) {
        std::uint8_t* out = extend(4 + N);
        store_be(out, static_cast<std::uint32_t>(N));
        store_be(out + 4, bits);
        ++count_;
    }

    // Sized ahead in whole rows (reserve) and zero-filled then, once, so that adding a value is
    // a bounds check and a store; the values are bytes front_ to used_.
    Bytes bytes_;
    std::size_t front_ = 0;
    std::size_t back_ = 0;
    std::size_t used_ = 0;
    std::size_t count_ = 0;
};

}  // namespace playstream::cql
