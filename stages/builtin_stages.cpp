#include "stages/builtin_stages.h"

#include "stages/audio_stage.h"
#include "stages/burnin_stage.h"
#include "stages/conform_stage.h"
#include "stages/cut_lists_stage.h"
#include "stages/encode_stage.h"
#include "stages/ingest_stage.h"
#include "stages/library_versions.h"
#include "stages/publish_stage.h"
#include "stages/report_stage.h"
#include "stages/slate_stage.h"
#include "stages/waveform_stage.h"

namespace storyreel {

namespace {

/// `type` with what enters its stages' cache keys beside their params.
StageType keyed(StageType type, CacheKeyRecipe recipe) {
    type.key = std::move(recipe);
    return type;
}

}  // namespace

// Every stage type's key recipe, side by side (pipeline/cache_key.h). The libraries are
// declared per type, not all for all: an x264 update re-encodes the movies but leaves the
// thumbnails, and an OpenImageIO one redraws what it reads, resizes and renders. A sink's
// shot key also holds the keys of the stages upstream of it, so a library that shapes
// the pixels it is given (OIIO in ingest and conform) reaches its key that way.
void register_builtin_stages(StageRegistry& registry) {
    registry.set_library_versions(loaded_library_versions());
    registry.add(keyed(ingest_stage_type(), {1, {"oiio"}, {}, {ShowSetting::Background}}));
    registry.add(keyed(conform_stage_type(),
                       {1, {"oiio"}, {}, {ShowSetting::Resolution, ShowSetting::Background}}));
    registry.add(keyed(audio_stage_type(), {2, {"libav"}, {}, {}}));
    // The file name template names the movie, and compact_above only decides whether a
    // redraw patches the movie or writes it whole: neither changes an encoded shot.
    // v3: H.264 IDR pictures with their own idr_pic_id, IDRs every keyframe interval of a
    // run of changing frames.
    registry.add(keyed(encode_stage_type(), {3,
                                             {"libav", "x264"},
                                             {"filename", "compact_above"},
                                             {ShowSetting::Resolution, ShowSetting::FrameRate}}));
    // The lists' file names; what the lists say does not depend on them. v2: EDL locators.
    registry.add(keyed(cut_lists_stage_type(), {2, {}, {"filename"}, {}}));
    registry.add(keyed(burnin_stage_type(), {1, {"oiio"}, {}, {}}));
    registry.add(keyed(waveform_stage_type(), {1, {"oiio"}, {}, {}}));
    registry.add(keyed(slate_stage_type(), {1, {"oiio"}, {}, {}}));
    // Where a version is published, not what it holds.
    registry.add(keyed(publish_stage_type(), {1, {}, {"root"}, {}}));
    registry.add(keyed(report_stage_type(), {1, {"oiio", "cairo", "pango"}, {}, {}}));
}

StageRegistry builtin_stage_registry() {
    StageRegistry registry;
    register_builtin_stages(registry);
    return registry;
}

}  // namespace storyreel
