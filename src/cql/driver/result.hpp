#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cql/response/result.hpp"
#include "cql/value.hpp"

namespace playstream::cql::driver {

// What a statement returned: rows (of one page, or of every page for Session::query), or
// another kind of result (a schema change, a keyspace set...).
class Result {
public:
    Result() = default;
    Result(std::string coordinator, response::Result body, std::vector<std::string> warnings);

    // The node that ran the statement (of the last page).
    const std::string& coordinator() const { return coordinator_; }
    // Warnings the server attached (e.g. a batch too large): worth showing to the user.
    const std::vector<std::string>& warnings() const { return warnings_; }
    // The first page's body: its kind says what the statement did.
    const response::Result& body() const { return body_; }

    std::size_t row_count() const;
    const std::vector<response::ColumnSpec>& columns() const;
    // Throws std::out_of_range naming the column when the result has none of that name.
    std::size_t column_index(std::string_view name) const;
    // A cell as T (value.hpp's from_cell): std::nullopt for null. Throws std::out_of_range past
    // the last row or column, TypeError when the column's type does not map to T.
    template <class T>
    std::optional<T> get(std::size_t row, std::size_t column) const {
        const auto [page, index] = locate(row);
        return from_cell<T>(columns().at(column).type, page->cell(index, column));
    }
    template <class T>
    std::optional<T> get(std::size_t row, std::string_view column) const { return get<T>(row, column_index(column)); }

    // Set when more pages follow: put it in the Statement to fetch the next one.
    const std::optional<Bytes>& paging_state() const;
    // Adds the rows of the page that follows this result's last one.
    void append_page(Result next);
    // Drops every row past the first `rows`, and the paging state with them.
    void keep_first_rows(std::size_t rows);
    // Bytes of every page's rows as received.
    std::size_t content_bytes() const;

private:
    std::pair<const response::Rows*, std::size_t> locate(std::size_t row) const;

    std::string coordinator_;
    std::vector<std::string> warnings_;
    response::Result body_;
    std::vector<response::Rows> more_pages_;
};

}  // namespace playstream::cql::driver
