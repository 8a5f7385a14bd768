#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace playstream::cql::driver {

// A short list of node indices: a query plan, a token's replicas. Up to `inline_capacity` live in
// the object itself, so a plan for a datacenter of that many nodes costs no allocation (one a row
// on the write path when it was a std::vector); a longer one moves to the heap whole.
class NodeList {
public:
    static constexpr std::size_t inline_capacity = 8;
    using value_type = std::size_t;
    using iterator = std::size_t*;
    using const_iterator = const std::size_t*;

    NodeList() = default;
    NodeList(const NodeList&) = default;
    NodeList& operator=(const NodeList&) = default;
    // A moved-from list is empty: its heap part went, so its size must go too.
    NodeList(NodeList&& other) noexcept
        : inline_(other.inline_), heap_(std::move(other.heap_)), size_(std::exchange(other.size_, 0)) {}
    NodeList& operator=(NodeList&& other) noexcept {
        if (this == &other) return *this;
        inline_ = other.inline_;
        heap_ = std::move(other.heap_);
        size_ = std::exchange(other.size_, 0);
        other.heap_.clear();
        return *this;
    }
    NodeList(std::initializer_list<std::size_t> nodes) {
        for (const auto n : nodes) push_back(n);
    }

    void push_back(std::size_t node) {
        if (heap_.empty() && size_ < inline_capacity) {
            inline_[size_++] = node;
            return;
        }
        if (heap_.empty()) heap_.assign(inline_.begin(), inline_.begin() + size_);
        heap_.push_back(node);
        ++size_;
    }
    bool contains(std::size_t node) const { return std::find(begin(), end(), node) != end(); }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t operator[](std::size_t i) const { return begin()[i]; }
    std::size_t& operator[](std::size_t i) { return begin()[i]; }
    const_iterator begin() const { return heap_.empty() ? inline_.data() : heap_.data(); }
    const_iterator end() const { return begin() + size_; }
    iterator begin() { return heap_.empty() ? inline_.data() : heap_.data(); }
    iterator end() { return begin() + size_; }

    friend bool operator==(const NodeList& a, const NodeList& b) { return std::ranges::equal(a, b); }

private:
    std::array<std::size_t, inline_capacity> inline_{};
    std::vector<std::size_t> heap_;  // every node, once there are more than inline_capacity
    std::size_t size_ = 0;
};

}  // namespace playstream::cql::driver
