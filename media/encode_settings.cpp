#include "media/encode_settings.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/yaml_fields.h"

namespace storyreel {

const char* EncodeSettings::encoder_name() const {
    switch (codec) {
        case VideoCodec::ProRes:
            return prores_encoder.c_str();
        case VideoCodec::DNxHR:
            return "dnxhd";
        case VideoCodec::H264:
            return "libx264";
    }
    return "";
}

const char* EncodeSettings::pixel_format_name() const {
    switch (codec) {
        case VideoCodec::ProRes:
            return "yuv422p10le";
        case VideoCodec::DNxHR:
            return profile == "hqx" ? "yuv422p10le" : "yuv422p";
        case VideoCodec::H264:
            return "yuv420p";
    }
    return "";
}

std::string EncodeSettings::profile_label() const {
    // libx264 is opened with FF_PROFILE_H264_HIGH (video_encoder.cpp).
    return codec == VideoCodec::H264 ? "high" : profile;
}

std::string EncodeSettings::codec_label() const {
    switch (codec) {
        case VideoCodec::ProRes:
            return "prores";
        case VideoCodec::DNxHR:
            return "dnxhr";
        case VideoCodec::H264:
            return "h264";
    }
    return "";
}

const char* container_name(Container container) {
    switch (container) {
        case Container::Mov:
            return "mov";
        case Container::Mp4:
            return "mp4";
        case Container::Mxf:
            return "mxf";
    }
    return "mov";
}

std::string expand_file_name(const std::string& name_template, const std::string& unit,
                             const std::string& stage, const std::string& show) {
    std::string text = name_template;
    const std::pair<const char*, const std::string*> fields[] = {
        {"{unit}", &unit}, {"{stage}", &stage}, {"{show}", &show}};
    for (const auto& [token, value] : fields)
        for (auto at = text.find(token); at != std::string::npos; at = text.find(token))
            text.replace(at, std::string(token).size(), *value);
    for (char& c : text)
        if (c == ' ' || c == '/' || c == '\\') c = '_';
    return text;
}

std::string EncodeSettings::movie_file_name(const std::string& unit, const std::string& stage,
                                            const std::string& show) const {
    return expand_file_name(filename, unit, stage, show) + "." + container_name(container);
}

void check_filename_template(YamlFields& fields, const std::string& text) {
    std::string rest = text;
    for (const char* token : {"{unit}", "{stage}", "{show}"})
        for (auto at = rest.find(token); at != std::string::npos; at = rest.find(token))
            rest.replace(at, std::string(token).size(), "x");
    if (rest.find_first_of("{}/\\") != std::string::npos || rest.find("..") != std::string::npos ||
        rest.empty() || rest[0] == '.')
        fields.problem("filename", "unsafe or unknown file name template '" + text + "'",
                       "use letters, digits, '_', '-' and the fields {unit}, {stage}, {show}");
}

std::string EncodeSettings::reel_name(const std::string& unit) const {
    std::string name = reel.empty() ? unit : reel;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    return name.substr(0, 8);
}

namespace {

/// codec (required) and its profile.
void read_codec_and_profile(YamlFields& fields, EncodeSettings& settings) {
    const std::string codec = fields.string("codec", true).value_or("");
    if (codec == "prores") {
        settings.codec = VideoCodec::ProRes;
        settings.profile = "hq";
    } else if (codec == "dnxhr") {
        settings.codec = VideoCodec::DNxHR;
        settings.profile = "sq";
    } else if (codec == "h264") {
        settings.codec = VideoCodec::H264;
    } else if (!codec.empty()) {
        fields.problem("codec", "unknown codec '" + codec + "'", "use prores, dnxhr or h264");
    }
    if (auto profile = fields.string("profile")) {
        static const std::set<std::string> prores{"proxy", "lt", "standard", "hq"};
        static const std::set<std::string> dnxhr{"lb", "sq", "hq", "hqx"};
        const auto& allowed = settings.codec == VideoCodec::ProRes ? prores : dnxhr;
        if (settings.codec == VideoCodec::H264)
            fields.problem("profile", "h264 takes crf and preset, not a profile");
        else if (!allowed.count(*profile))
            fields.problem(
                "profile", "unknown " + codec + " profile '" + *profile + "'",
                codec == "prores" ? "use proxy, lt, standard or hq" : "use lb, sq, hq or hqx");
        else
            settings.profile = *profile;
    }
}

/// h264's crf, still_crf_boost, keyframe_seconds and preset.
void read_h264_options(YamlFields& fields, EncodeSettings& settings) {
    if (auto crf = fields.integer("crf")) {
        if (*crf < 0 || *crf > 51) fields.problem("crf", "must be between 0 and 51");
        settings.crf = static_cast<int>(*crf);
    }
    if (auto boost = fields.integer("still_crf_boost")) {
        if (settings.codec != VideoCodec::H264)
            fields.problem("still_crf_boost", "only h264 takes still_crf_boost");
        else if (*boost < 0 || *boost > 20)
            fields.problem("still_crf_boost", "must be between 0 and 20");
        settings.still_crf_boost = static_cast<int>(*boost);
    }
    if (auto seconds = fields.number("keyframe_seconds")) {
        if (settings.codec != VideoCodec::H264)
            fields.problem("keyframe_seconds",
                           "only h264 takes keyframe_seconds (every intra frame is a keyframe)");
        else if (!(*seconds == 0 || (*seconds >= 0.1 && *seconds <= 60)))
            fields.problem("keyframe_seconds",
                           "must be 0 (one keyframe per drawing) or between 0.1 and 60 seconds");
        else
            settings.keyframe_seconds = *seconds;
    }
    // libx264 encodes each drawing at crf - still_crf_boost; at 0 that is lossless, which
    // the High profile storyreel writes cannot hold (the encoder would refuse at build time).
    if (settings.codec == VideoCodec::H264 && settings.crf - settings.still_crf_boost < 1) {
        fields.problem(
            fields.has("crf") ? "crf" : "still_crf_boost",
            "crf " + std::to_string(settings.crf) + " with still_crf_boost " +
                std::to_string(settings.still_crf_boost) + " encodes each drawing at crf " +
                std::to_string(std::max(0, settings.crf - settings.still_crf_boost)) +
                ", which is lossless H.264 (High 4:4:4), not the High profile storyreel writes",
            "use crf " + std::to_string(settings.still_crf_boost + 1) +
                " or more, or lower still_crf_boost so that crf - still_crf_boost is at least 1");
    }
    if (auto preset = fields.string("preset")) {
        static const std::set<std::string> presets{"ultrafast", "superfast", "veryfast",
                                                   "faster",    "fast",      "medium",
                                                   "slow",      "slower",    "veryslow"};
        if (!presets.count(*preset))
            fields.problem("preset", "unknown x264 preset '" + *preset + "'",
                           "use ultrafast ... veryslow");
        settings.preset = *preset;
    }
}

/// The ProRes encoder and the container, each checked against the codec.
void read_encoder_and_container(YamlFields& fields, EncodeSettings& settings) {
    if (auto encoder = fields.string("encoder")) {
        if (settings.codec != VideoCodec::ProRes)
            fields.problem("encoder", "only prores has a choice of encoder",
                           "remove encoder: (dnxhr uses dnxhd, h264 libx264)");
        else if (*encoder != "prores_aw" && *encoder != "prores_ks")
            fields.problem("encoder", "unknown ProRes encoder '" + *encoder + "'",
                           "use prores_aw (default) or prores_ks");
        else
            settings.prores_encoder = *encoder;
    }
    settings.container = settings.codec == VideoCodec::H264 ? Container::Mp4 : Container::Mov;
    if (auto container = fields.string("container")) {
        if (*container != "mov" && *container != "mp4" && *container != "mxf")
            fields.problem("container", "unknown container '" + *container + "'",
                           "use mov, mp4 or mxf");
        else if (*container == "mp4" && settings.codec != VideoCodec::H264)
            fields.problem("container", "the MP4 muxer does not take ProRes or DNxHR",
                           "use container: mov");
        else if (*container == "mxf" && settings.codec != VideoCodec::DNxHR)
            fields.problem("container", "MXF (OP1a, for Avid) is written with DNxHR only",
                           "use codec: dnxhr, or container: mov");
        else
            settings.container = *container == "mov"   ? Container::Mov
                                 : *container == "mp4" ? Container::Mp4
                                                       : Container::Mxf;
    }
}

/// File name template, reel, compact_above and held_frames.
void read_file_options(YamlFields& fields, EncodeSettings& settings) {
    if (auto filename = fields.string("filename")) {
        check_filename_template(fields, *filename);
        settings.filename = *filename;
    }
    if (auto reel = fields.string("reel")) settings.reel = *reel;
    if (auto share = fields.number("compact_above")) {
        if (settings.container != Container::Mov)
            fields.problem("compact_above", "only MOV movies are patched (and compacted)",
                           "remove compact_above");
        else if (!(*share > 0 && *share <= 100))
            fields.problem("compact_above", "must be a percentage above 0 and at most 100",
                           "use e.g. 25 (the default): a patched movie is rewritten whole once a "
                           "quarter of it is dead space");
        else
            settings.compact_above = *share / 100;
    }
    if (auto held = fields.string("held_frames")) {
        if (*held == "reuse")
            settings.reuse_held_frames = true;
        else if (*held == "encode_each")
            settings.reuse_held_frames = false;
        else
            fields.problem("held_frames", "unknown value '" + *held + "'",
                           "use reuse (default) or encode_each");
        if (!settings.reuse_held_frames && settings.codec == VideoCodec::H264)
            fields.problem("held_frames", "h264 always writes held frames as skip frames");
    }
}

}  // namespace

std::optional<EncodeSettings> parse_encode_settings(const StageParams& params,
                                                    Diagnostics& diagnostics) {
    YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                      diagnostics);
    if (!fields.is_map()) return std::nullopt;
    const std::size_t before = diagnostics.size();
    fields.allow_only({"codec", "profile", "crf", "preset", "container", "filename", "reel",
                       "held_frames", "still_crf_boost", "encoder", "keyframe_seconds",
                       "compact_above"});
    EncodeSettings settings;
    read_codec_and_profile(fields, settings);
    read_h264_options(fields, settings);
    read_encoder_and_container(fields, settings);
    read_file_options(fields, settings);
    if (diagnostics.size() != before) return std::nullopt;
    return settings;
}

}  // namespace storyreel
