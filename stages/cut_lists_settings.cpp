#include "stages/cut_lists_settings.h"

#include <algorithm>

#include "pipeline/pipeline_spec.h"
#include "pipeline/yaml_fields.h"
#include "stages/slate_spec.h"

namespace storyreel {

namespace {

constexpr CutListFormat kAllFormats[] = {CutListFormat::Edl, CutListFormat::Otio,
                                         CutListFormat::Xmeml, CutListFormat::Fcpxml};

void read_formats(YamlFields& fields, CutListSettings& settings) {
    if (!fields.has("formats")) {
        settings.formats.assign(std::begin(kAllFormats), std::end(kAllFormats));
        return;
    }
    const YAML::Node list = fields.node("formats");
    if (!list.IsSequence() || list.size() == 0) {
        fields.problem("formats", "expected a non-empty list of formats",
                       "use e.g. [edl, otio, xmeml, fcpxml]");
        return;
    }
    for (const auto& item : list) {
        const std::string name = item.IsScalar() ? item.Scalar() : "";
        const auto* found = std::find_if(std::begin(kAllFormats), std::end(kAllFormats),
                                         [&](CutListFormat f) { return format_name(f) == name; });
        if (found == std::end(kAllFormats)) {
            fields.diagnostics().add(location_of(item, fields.file()), fields.subject(),
                                     "unknown cut list format '" + name + "'",
                                     "use edl, otio, xmeml or fcpxml");
            continue;
        }
        if (std::find(settings.formats.begin(), settings.formats.end(), *found) ==
            settings.formats.end())
            settings.formats.push_back(*found);
    }
}

/// The encode stage named by `movie`, or the pipeline's only encode stage.
const StageSpec* find_movie_stage(YamlFields& fields, const PipelineSpec& pipeline) {
    std::vector<const StageSpec*> encodes;
    for (const auto& stage : pipeline.stages)
        if (stage.type == "encode") encodes.push_back(&stage);
    if (auto movie = fields.string("movie")) {
        const StageSpec* stage = pipeline.find(*movie);
        if (stage && stage->type == "encode") return stage;
        fields.problem("movie", "'" + *movie + "' is not an encode stage of this pipeline",
                       "name the encode stage whose movie the cut lists point at");
        return nullptr;
    }
    if (encodes.size() == 1) return encodes.front();
    fields.problem("movie",
                   encodes.empty() ? "the pipeline has no encode stage for the cut lists to "
                                     "point at"
                                   : "the pipeline has several encode stages",
                   "add 'movie: STAGE' naming the encode stage whose movie the lists describe");
    return nullptr;
}

void read_movie(YamlFields& fields, const StageParams& params, CutListSettings& settings) {
    if (!params.pipeline) return;
    const StageSpec* stage = find_movie_stage(fields, *params.pipeline);
    if (!stage) return;
    settings.movie_stage = stage->name;
    // The encode stage reports its own param problems; here only its settings are needed.
    Diagnostics ignored;
    StageParams movie_params{stage->name,    stage->params, params.file,
                             params.project, nullptr,       params.pipeline};
    if (auto movie = parse_encode_settings(movie_params, ignored)) settings.movie = *movie;
    for (const auto& need : stage->needs)
        if (const StageSpec* other = params.pipeline->find(need); other && other->type == "audio") {
            settings.movie_has_audio = true;
        } else if (other && other->type == "slate") {  // its own problems are reported by it
            StageParams slate_params{other->name,    other->params, params.file,
                                     params.project, nullptr,       params.pipeline};
            if (auto slate = parse_slate_spec(slate_params, ignored))
                settings.movie_slate_frames = slate->frames;
        }
}

/// `edl: split | single | off`.
void read_edl_limit(YamlFields& fields, CutListSettings& settings) {
    const auto edl = fields.string("edl");
    if (!edl) return;
    if (*edl == "split") {
        settings.edl = EdlLimit::Split;
    } else if (*edl == "single") {
        settings.edl = EdlLimit::Single;
    } else if (*edl == "off") {
        std::erase(settings.formats, CutListFormat::Edl);
        if (settings.formats.empty())
            fields.problem("edl", "'edl: off' leaves this stage no format to write",
                           "list other formats, or remove the cut_lists stage");
    } else {
        fields.problem(
            "edl", "unknown value '" + *edl + "'",
            "use split (several EDLs past 999 events), single (one EDL; refused past 999 "
            "events) or off (no EDL)");
    }
}

}  // namespace

std::string format_name(CutListFormat format) {
    switch (format) {
        case CutListFormat::Edl:
            return "edl";
        case CutListFormat::Otio:
            return "otio";
        case CutListFormat::Xmeml:
            return "xmeml";
        case CutListFormat::Fcpxml:
            return "fcpxml";
    }
    return "";
}

std::string CutListSettings::base_name(const std::string& unit, const std::string& stage,
                                       const std::string& show) const {
    return expand_file_name(filename, unit, stage, show);  // the same expansion as movie names
}

std::optional<CutListSettings> parse_cut_list_settings(const StageParams& params,
                                                       Diagnostics& diagnostics) {
    const std::size_t before = diagnostics.size();
    const YAML::Node node = params.params.IsDefined() && !params.params.IsNull()
                                ? params.params
                                : YAML::Node(YAML::NodeType::Map);
    YamlFields fields(node, params.file, "stage '" + params.stage_name + "' params", diagnostics);
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"formats", "movie", "filename", "edl"});
    CutListSettings settings;
    settings.where = fields.where();
    read_formats(fields, settings);
    read_edl_limit(fields, settings);
    read_movie(fields, params, settings);
    if (auto filename = fields.string("filename")) {
        check_filename_template(fields, *filename);
        settings.filename = *filename;
    }
    if (diagnostics.size() != before) return std::nullopt;
    return settings;
}

}  // namespace storyreel
