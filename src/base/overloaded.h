// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

// std::visit with one lambda per alternative:
//   std::visit(pf::Overloaded{[](const A&) {...}, [](const B&) {...}}, v);
namespace pf {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace pf
