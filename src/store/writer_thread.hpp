#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace playstream::store {

// Gives a store whose writes block (SQLite: a transaction and an fsync) an asynchronous write:
// write_async() queues the rows for a thread of its own, which writes them one batch after the
// other (the thread starts with the first), so the caller goes on reading and decoding meanwhile. Every call to the store underneath
// is serialized (an SQLite connection is used by one thread at a time).
class WriterThread final : public Store {
public:
    explicit WriterThread(std::unique_ptr<Store> store);
    ~WriterThread() override;  // answers what is queued first

    void ensure_schema() override;
    void write(std::span<const model::EnrichedRow> rows) override;
    void write_async(std::span<const model::EnrichedRow> rows, WriteDone done) override;
    model::Table sample(std::size_t limit) override;
    model::Table songs(const HourKey& key) override;
    model::Table stats(const HourKey& key) override;
    std::int64_t count_rows() override;
    TableShape table_shape() override;
    model::Table users(const std::string& prefix, std::size_t limit) override;
    model::Table dates(const std::string& name) override;
    model::Table hours(const std::string& name, const std::string& date) override;
    std::vector<NodeState> node_states() const override;

private:
    struct Job {
        std::span<const model::EnrichedRow> rows;
        WriteDone done;
    };
    void run();

    std::unique_ptr<Store> store_;
    mutable std::mutex store_mutex_;  // one call into store_ at a time
    std::mutex queue_mutex_;
    std::condition_variable queued_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;  // started by the first write_async (a reader never needs it)
};

}  // namespace playstream::store
