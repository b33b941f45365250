#include "pipeline/diagnostics.h"

#include <sstream>

namespace storyreel {

std::string SourceLocation::to_string() const {
    std::ostringstream out;
    out << file;
    if (line > 0) {
        out << ':' << line;
        if (column > 0) out << ':' << column;
    }
    return out.str();
}

std::string Diagnostic::to_string() const {
    std::ostringstream out;
    const std::string place = where.to_string();
    if (!place.empty()) out << place << ": ";
    if (!subject.empty()) out << subject << ": ";
    out << message;
    if (!hint.empty()) out << " (" << hint << ")";
    return out.str();
}

void Diagnostics::add(SourceLocation where, std::string subject, std::string message,
                      std::string hint) {
    items_.push_back(
        Diagnostic{std::move(where), std::move(subject), std::move(message), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string Diagnostics::to_string() const {
    std::ostringstream out;
    for (const auto& item : items_) out << item.to_string() << '\n';
    return out.str();
}

ValidationError::ValidationError(Diagnostics diagnostics)
    : std::runtime_error(diagnostics.to_string()), diagnostics_(std::move(diagnostics)) {}

BuildError::BuildError(Diagnostic diagnostic)
    : std::runtime_error(diagnostic.to_string()), diagnostic_(std::move(diagnostic)) {}

}  // namespace storyreel
