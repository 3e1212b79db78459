// Error messages: the one place where an Error becomes the text a user reads
// ("what: errno text"), so every program words failures the same way.
#include "fdscope/result.hpp"

#include <cstring>

namespace fdscope {

std::string Error::message() const {
  if (err == 0) return what;
  return what + ": " + std::strerror(err);
}

}  // namespace fdscope
