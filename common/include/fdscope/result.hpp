// Result<T>: the value of a fallible operation or an Error saying what failed,
// on which object, and why (errno).  GCC 12 has no std::expected; this small
// type serves the whole suite.  Programs turn an Error into one line on stderr
// and a non-zero exit; the library never prints.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace fdscope {

// Exit codes shared by all programs (see STYLE: usage 2, runtime 1).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct Error {
  std::string what;  // "open \"/x\"", "pidfd_getfd(pid 12, fd 3)", ...
  int err = 0;       // errno, or 0 when the failure is not a system error

  // "what: strerror(err)" or just "what" when err == 0.
  std::string message() const;

  // Prefix more context: Error{"read"}.context("fd 3") -> "fd 3: read".
  Error context(const std::string& outer) const& { return {outer + ": " + what, err}; }
  Error context(const std::string& outer) && {
    what = outer + ": " + what;
    return std::move(*this);
  }
};

// An Error from the current errno.
inline Error sys_error(std::string what) { return Error{std::move(what), errno}; }
inline Error sys_error(std::string what, int err) { return Error{std::move(what), err}; }
inline Error plain_error(std::string what) { return Error{std::move(what), 0}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

  T value_or(T other) const& { return ok() ? value() : std::move(other); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return err_; }
  Error&& take_error() { return std::move(err_); }

 private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace fdscope
