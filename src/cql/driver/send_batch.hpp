#pragma once

namespace playstream::cql::driver {

// While a SendBatch lives on a thread, the requests that thread sends are not handed to the I/O
// thread one wake-up at a time: each connection's are started together, in one hop, when the
// outermost SendBatch of the thread ends. Around a loop of execute_async this saves a post and a
// wake-up of the I/O thread per request (it would otherwise start the first few requests one by
// one while the loop still runs). Nothing is sent until the batch ends, so never wait for one of
// its requests inside it (execute, which waits, sends what the batch holds first). Requests past
// the in-flight cap wait in the session's queue and go once the batch's own are answered.
class SendBatch {
public:
    SendBatch();
    ~SendBatch();
    SendBatch(const SendBatch&) = delete;
    SendBatch& operator=(const SendBatch&) = delete;

    // Starts what this thread's batch holds now; the batch goes on. No-op outside a batch.
    static void flush();
};

}  // namespace playstream::cql::driver
