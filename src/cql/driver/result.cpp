#include "cql/driver/result.hpp"

#include <stdexcept>

namespace playstream::cql::driver {
namespace {
const std::optional<Bytes> no_paging_state;
const std::vector<response::ColumnSpec> no_columns;
}  // namespace

Result::Result(std::string coordinator, response::Result body, std::vector<std::string> warnings)
    : coordinator_(std::move(coordinator)), warnings_(std::move(warnings)), body_(std::move(body)) {}

std::size_t Result::row_count() const {
    const auto* first = std::get_if<response::Rows>(&body_.kind);
    if (!first) return 0;
    auto n = first->row_count();
    for (const auto& p : more_pages_) n += p.row_count();
    return n;
}

const std::vector<response::ColumnSpec>& Result::columns() const {
    const auto* first = std::get_if<response::Rows>(&body_.kind);
    return first ? first->metadata.columns : no_columns;
}

std::size_t Result::column_index(std::string_view name) const {
    const auto& cols = columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i].name == name) return i;
    throw std::out_of_range("the result has no column '" + std::string(name) + "'");
}

const std::optional<Bytes>& Result::paging_state() const {
    if (!more_pages_.empty()) return more_pages_.back().metadata.paging_state;
    const auto* first = std::get_if<response::Rows>(&body_.kind);
    return first ? first->metadata.paging_state : no_paging_state;
}

void Result::append_page(Result next) {
    auto* rows = std::get_if<response::Rows>(&next.body_.kind);
    if (!rows || !std::holds_alternative<response::Rows>(body_.kind))
        throw std::logic_error("appending a page to a result without rows");
    coordinator_ = std::move(next.coordinator_);
    warnings_.insert(warnings_.end(), next.warnings_.begin(), next.warnings_.end());
    more_pages_.push_back(std::move(*rows));
}

void Result::keep_first_rows(std::size_t rows) {
    auto* first = std::get_if<response::Rows>(&body_.kind);
    if (!first || row_count() < rows) return;
    std::size_t kept = 0;
    std::size_t pages = 0;  // of more_pages_ kept
    for (auto* page = first; page != nullptr;
         page = pages < more_pages_.size() ? &more_pages_[pages++] : nullptr) {
        page->keep_first(rows - kept);
        kept += page->row_count();
        page->metadata.paging_state.reset();
        if (kept == rows) break;
    }
    more_pages_.resize(pages);
}

std::size_t Result::content_bytes() const {
    const auto* first = std::get_if<response::Rows>(&body_.kind);
    if (!first) return 0;
    auto n = first->content_bytes();
    for (const auto& p : more_pages_) n += p.content_bytes();
    return n;
}

std::pair<const response::Rows*, std::size_t> Result::locate(std::size_t row) const {
    const auto* page = std::get_if<response::Rows>(&body_.kind);
    if (!page) throw std::out_of_range("the result has no rows");
    std::size_t index = row;
    for (std::size_t next = 0; index >= page->row_count() && next < more_pages_.size(); ++next) {
        index -= page->row_count();
        page = &more_pages_[next];
    }
    if (index >= page->row_count())
        throw std::out_of_range("row " + std::to_string(row) + " of a result of " + std::to_string(row_count()));
    return {page, index};
}

}  // namespace playstream::cql::driver
