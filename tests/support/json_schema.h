#pragma once
// A small JSON Schema validator for the tests: the keywords storyreel's own schemas use
// (type, required, properties, additionalProperties: false, items, enum, const, minimum,
// minLength, minItems, pattern). Enough to hold documents to docs/*.schema.json.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace storyreel::testing {

/// Every place `document` breaks `schema`, as "/findings/0/severity: not one of ...";
/// empty when it is valid. An unsupported keyword in the schema is reported too.
std::vector<std::string> schema_violations(const nlohmann::json& document,
                                           const nlohmann::json& schema);

}  // namespace storyreel::testing
