// swift-tools-version:5.9
// SPDX-License-Identifier: MIT OR Apache-2.0
// The punktfunk core for Apple platforms: a module over include/punktfunk_core.h
// (CPunktfunkCore) and a thin Swift layer (Punktfunk). libpunktfunk_core must be
// built for the target first (see README.md); this package only links it.
import PackageDescription

let package = Package(
  name: "Punktfunk",
  platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16)],
  products: [.library(name: "Punktfunk", targets: ["Punktfunk"])],
  targets: [
    .systemLibrary(name: "CPunktfunkCore", path: "Sources/CPunktfunkCore"),
    .target(name: "Punktfunk", dependencies: ["CPunktfunkCore"], path: "Sources/Punktfunk"),
  ]
)
