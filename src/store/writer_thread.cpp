#include "store/writer_thread.hpp"

#include <utility>

namespace playstream::store {

WriterThread::WriterThread(std::unique_ptr<Store> store)
    : store_(std::move(store)) {}

WriterThread::~WriterThread() {
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void WriterThread::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(queue_mutex_);
            queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued was answered
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        std::exception_ptr error;
        try {
            write(job.rows);
        } catch (...) {
            error = std::current_exception();
        }
        job.done(error);
    }
}

void WriterThread::write_async(std::span<const model::EnrichedRow> rows, WriteDone done) {
    {
        std::lock_guard lock(queue_mutex_);
        queue_.push_back({rows, std::move(done)});
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    queued_.notify_one();
}

void WriterThread::write(std::span<const model::EnrichedRow> rows) {
    std::lock_guard lock(store_mutex_);
    store_->write(rows);
}

void WriterThread::ensure_schema() {
    std::lock_guard lock(store_mutex_);
    store_->ensure_schema();
}

model::Table WriterThread::sample(std::size_t limit) {
    std::lock_guard lock(store_mutex_);
    return store_->sample(limit);
}

model::Table WriterThread::songs(const HourKey& key) {
    std::lock_guard lock(store_mutex_);
    return store_->songs(key);
}

model::Table WriterThread::stats(const HourKey& key) {
    std::lock_guard lock(store_mutex_);
    return store_->stats(key);
}

std::int64_t WriterThread::count_rows() {
    std::lock_guard lock(store_mutex_);
    return store_->count_rows();
}

TableShape WriterThread::table_shape() {
    std::lock_guard lock(store_mutex_);
    return store_->table_shape();
}

model::Table WriterThread::users(const std::string& prefix, std::size_t limit) {
    std::lock_guard lock(store_mutex_);
    return store_->users(prefix, limit);
}

model::Table WriterThread::dates(const std::string& name) {
    std::lock_guard lock(store_mutex_);
    return store_->dates(name);
}

model::Table WriterThread::hours(const std::string& name, const std::string& date) {
    std::lock_guard lock(store_mutex_);
    return store_->hours(name, date);
}

std::vector<NodeState> WriterThread::node_states() const {
    std::lock_guard lock(store_mutex_);
    return store_->node_states();
}

}  // namespace playstream::store
