#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

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

    // Serializations of spec section 6, as to_value (value.hpp) makes them.
    void add(std::int32_t v);
    void add(std::int64_t v);
    void add(float v);
    void add(double v);
    void add(bool v);
    void add(std::string_view v);
    void add(const char* v) { add(std::string_view(v)); }
    void add(const Uuid& v);
    void add(const Value& v);
    // Room for `bytes` more serialized bytes, so that adding a row's values allocates once.
    void reserve(std::size_t bytes) { bytes_.reserve(bytes_.size() + bytes); }

    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    // The [value]s, without their count.
    ByteView serialized() const { return bytes_; }
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

    Bytes bytes_;
    std::size_t count_ = 0;
};

}  // namespace playstream::cql
