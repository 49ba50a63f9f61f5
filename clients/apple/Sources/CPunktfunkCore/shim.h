/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* The one header of the C ABI, from the repository's include/ directory. */
#include "../../../../include/punktfunk_core.h"
