// The address parser (see address_parser.hpp): nestlex splits the text,
// the registry resolves keyword and options, and every check that can be
// made without opening anything is made here, with socat's error texts.
#include "core/address_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/nestlex.hpp"
#include "core/registry.hpp"

namespace relay {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string param_count_text(const AddressType& t) {
  if (t.min_params == t.max_params) return std::to_string(t.min_params);
  if (t.max_params == t.min_params + 1) return fmt::format("{} or {}", t.min_params, t.max_params);
  return fmt::format("{} to {}", t.min_params, t.max_params);
}

}  // namespace

fdscope::Result<AddressSpec> parse_address(std::string_view text, const ParseSettings& settings) {
  AddressSpec spec;
  spec.text = std::string(text);
  if (text.empty()) return fdscope::plain_error("empty address");

  auto head = nestlex(text, 0, {":", ","});
  if (!head) return head.take_error();
  size_t pos = head->end;
  std::string_view stop = head->stop;

  const AddressType* type = registry::find_address(head->token);
  if (type != nullptr) {
    spec.keyword = head->token;
  } else if (all_digits(head->token)) {
    type = registry::find_address("FD");
    spec.params.push_back(head->token);
  } else if (head->token.find('/') != std::string::npos) {
    type = registry::find_address("GOPEN");
    spec.params.push_back(head->token);
  }
  if (type == nullptr) return fdscope::plain_error(fmt::format("unknown device/address \"{}\"", head->token));
  if ((type->flags & addrflag::Experimental) && !settings.experimental)
    return fdscope::plain_error(
        fmt::format("address type \"{}\" is experimental: use option --experimental", type->keyword));
  spec.type = type;

  // Parameters: ':'-separated up to the first ','.
  while (stop == ":") {
    auto p = nestlex(text, pos + 1, {":", ","});
    if (!p) return p.take_error();
    spec.params.push_back(std::move(p->token));
    pos = p->end;
    stop = p->stop;
  }
  int n = static_cast<int>(spec.params.size());
  if (n < type->min_params || n > type->max_params) {
    std::string kw = spec.keyword.empty() ? std::string(type->keyword) : spec.keyword;
    return fdscope::plain_error(fmt::format("{}: wrong number of parameters ({} instead of {}): usage: {}",
                                            kw, n, param_count_text(*type), type->usage));
  }

  // Options: ','-separated, each name[=value].
  while (stop == ",") {
    auto name = nestlex(text, pos + 1, {"=", ","});
    if (!name) return name.take_error();
    pos = name->end;
    stop = name->stop;
    std::string value;
    bool present = false;
    if (stop == "=") {
      auto v = nestlex(text, pos + 1, {","});
      if (!v) return v.take_error();
      value = std::move(v->token);
      present = true;
      pos = v->end;
      stop = v->stop;
    }
    if (name->token.empty()) {
      if (present) return fdscope::plain_error(fmt::format("option without a name in \"{}\"", text));
      continue;  // ",," or a trailing ',' is harmless, as in socat
    }
    const OptionDesc* desc = registry::find_option(name->token);
    if (desc == nullptr) return fdscope::plain_error(fmt::format("unknown option \"{}\"", name->token));
    if (settings.check_groups && !type->accepts(*desc))
      return fdscope::plain_error(
          fmt::format("option \"{}\" not supported with this address type", name->token));
    auto parsed = parse_option_value(*desc, value, present);
    if (!parsed) return parsed.take_error();
    spec.options.push_back(OptionSetting{desc, std::move(name->token), std::move(*parsed)});
  }
  return spec;
}

fdscope::Result<AddressArg> parse_address_arg(std::string_view text, const ParseSettings& settings) {
  AddressArg arg;
  arg.text = std::string(text);
  auto first = nestlex(text, 0, {"!!"});
  if (!first) return first.take_error();
  std::string_view left = text.substr(0, first->end);
  auto a = parse_address(left, settings);
  if (!a) return a.take_error();
  arg.first = std::move(*a);
  if (first->stop.empty()) return arg;
  std::string_view right = text.substr(first->end + 2);
  if (right.find("!!") != std::string_view::npos) {
    auto again = nestlex(right, 0, {"!!"});
    if (!again) return again.take_error();
    if (!again->stop.empty())
      return fdscope::plain_error(fmt::format("more than one \"!!\" in address \"{}\"", text));
  }
  auto b = parse_address(right, settings);
  if (!b) return b.take_error();
  arg.dual = true;
  arg.second = std::move(*b);
  return arg;
}

}  // namespace relay
