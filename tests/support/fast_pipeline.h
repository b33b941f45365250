#pragma once
// The quickest whole pipeline, for tests that need a real build but not a particular look:
// boards, conform, temp audio, one ProRes proxy movie per sequence.

namespace storyreel::testing {

inline constexpr const char* kFastProxyPipeline = R"(pipeline: 1
name: fast-proxy-test
settings: {frames_in_flight: 2}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: proxy}}
)";

}  // namespace storyreel::testing
