#include "stages/builtin_stages.h"

#include "stages/audio_stage.h"
#include "stages/burnin_stage.h"
#include "stages/conform_stage.h"
#include "stages/cut_lists_stage.h"
#include "stages/encode_stage.h"
#include "stages/ingest_stage.h"
#include "stages/publish_stage.h"
#include "stages/report_stage.h"
#include "stages/slate_stage.h"
#include "stages/waveform_stage.h"

namespace storyreel {

void register_builtin_stages(StageRegistry& registry) {
    registry.add(ingest_stage_type());
    registry.add(conform_stage_type());
    registry.add(audio_stage_type());
    registry.add(encode_stage_type());
    registry.add(cut_lists_stage_type());
    registry.add(burnin_stage_type());
    registry.add(waveform_stage_type());
    registry.add(slate_stage_type());
    registry.add(publish_stage_type());
    registry.add(report_stage_type());
}

StageRegistry builtin_stage_registry() {
    StageRegistry registry;
    register_builtin_stages(registry);
    return registry;
}

}  // namespace storyreel
