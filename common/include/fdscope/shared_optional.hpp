// SharedOptional<T>: an optional whose copies share one immutable value.
// A TCP socket's TCP_INFO (~400 bytes) is read once by the sock_diag dump
// and then held by the dump's facts and by the socket's FdInfo; with a
// plain optional each copy cost the bytes again, thousands of times in
// filan -p.  The interface is the part of std::optional the callers use.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace fdscope {

template <typename T>
class SharedOptional {
 public:
  SharedOptional() = default;
  SharedOptional(std::nullopt_t) {}
  SharedOptional(T v) : p_(std::make_shared<const T>(std::move(v))) {}
  SharedOptional& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  SharedOptional& operator=(T v) {
    p_ = std::make_shared<const T>(std::move(v));
    return *this;
  }
  void reset() { p_.reset(); }
  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }

 private:
  std::shared_ptr<const T> p_;
};

}  // namespace fdscope
