#pragma once
// Errors of publishing and pulling: what went wrong, on which file, and what to do.

#include <stdexcept>
#include <string>

namespace storyreel::publish {

/// A publish or pull that cannot go on (unreadable folder, lock failure, bad manifest).
class PublishError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A file whose bytes do not match the checksum its manifest records.
class ChecksumError : public PublishError {
  public:
    using PublishError::PublishError;
};

}  // namespace storyreel::publish
