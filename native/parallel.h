// Two-way fork-join on one long-lived helper thread (a thread started per step would also bring
// fresh thread-local workspaces, and their page faults, every step).
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace infoscope {

class Helper {
 public:
  static Helper& get() {
    static Helper h;
    return h;
  }

  // Runs a here and b on the helper, and returns when both are done. When another thread of the
  // process (a JavaScript worker) holds the helper, b runs here after a: the work and its results
  // are the same either way, only the wall time differs.
  void both(const std::function<void()>& a, const std::function<void()>& b) {
    std::unique_lock<std::mutex> own(use_, std::try_to_lock);
    if (!own.owns_lock()) {
      a();
      b();
      return;
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = b;
      pending_ = true;
    }
    wake_.notify_one();
    a();
    std::unique_lock<std::mutex> lk(mu_);
    done_.wait(lk, [this] { return !pending_; });
  }

  Helper(const Helper&) = delete;
  Helper& operator=(const Helper&) = delete;

 private:
  Helper() : thread_([this] { loop(); }) {}
  ~Helper() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        wake_.wait(lk, [this] { return pending_ || stop_; });
        if (stop_) return;
        job = job_;
      }
      job();
      {
        std::lock_guard<std::mutex> lk(mu_);
        pending_ = false;
      }
      done_.notify_one();
    }
  }

  std::mutex use_, mu_;
  std::condition_variable wake_, done_;
  std::function<void()> job_;
  bool pending_ = false, stop_ = false;
  std::thread thread_;
};

// Split [0, n) at its middle: the two halves of a batch.
inline int half(int n) { return n / 2; }

}  // namespace infoscope
