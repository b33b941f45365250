// project.yaml for a demo plan, written with yaml-cpp's emitter.

#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "demo/demo_plan.h"

namespace storyreel::demo {

namespace {

void emit_show(YAML::Emitter& out, const DemoOptions& options) {
    out << YAML::Key << "show" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << "Demo Show";
    out << YAML::Key << "frame_rate" << YAML::Value << YAML::DoubleQuoted << options.frame_rate;
    out << YAML::Key << "resolution" << YAML::Value
        << std::to_string(options.width) + "x" + std::to_string(options.height);
    out << YAML::Key << "start_timecode" << YAML::Value << YAML::DoubleQuoted << "01:00:00:00";
    out << YAML::Key << "background" << YAML::Value << YAML::DoubleQuoted << "#000000";
    out << YAML::EndMap;
}

void emit_audio(YAML::Emitter& out, const std::string& audio_file) {
    out << YAML::Key << "audio" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    out << YAML::Key << "file" << YAML::Value << audio_file;
    out << YAML::Key << "offset" << YAML::Value << 0;
    out << YAML::EndMap << YAML::EndSeq;
}

void emit_panel(YAML::Emitter& out, const PlannedPanel& planned) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << planned.placement.panel;
    out << YAML::Key << "board" << YAML::Value << planned.placement.board_file;
    out << YAML::Key << "frames" << YAML::Value << planned.placement.frames;
    if (!planned.dialogue.empty())
        out << YAML::Key << "dialogue" << YAML::Value << YAML::DoubleQuoted << planned.dialogue;
    if (!planned.notes.empty())
        out << YAML::Key << "notes" << YAML::Value << YAML::DoubleQuoted << planned.notes;
    out << YAML::EndMap;
}

/// Panels come in cut order, so a sequence (or shot) is a run of panels sharing its name.
void emit_sequences(YAML::Emitter& out, const std::vector<PlannedPanel>& panels) {
    out << YAML::Key << "sequences" << YAML::Value << YAML::BeginSeq;
    for (std::size_t i = 0; i < panels.size();) {
        const std::string& sequence = panels[i].placement.sequence;
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << sequence;
        out << YAML::Key << "shots" << YAML::Value << YAML::BeginSeq;
        while (i < panels.size() && panels[i].placement.sequence == sequence) {
            const std::string& shot = panels[i].placement.shot;
            out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << shot;
            out << YAML::Key << "panels" << YAML::Value << YAML::BeginSeq;
            for (; i < panels.size() && panels[i].placement.sequence == sequence &&
                   panels[i].placement.shot == shot;
                 ++i)
                emit_panel(out, panels[i]);
            out << YAML::EndSeq << YAML::EndMap;
        }
        out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

}  // namespace

std::string demo_project_yaml(const DemoOptions& options, const DemoPlan& plan,
                              const std::string& audio_file) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "storyreel" << YAML::Value << 1;
    emit_show(out, options);
    if (!audio_file.empty()) emit_audio(out, audio_file);
    emit_sequences(out, plan.panels);
    out << YAML::EndMap;
    if (!out.good())
        throw std::logic_error("demo project.yaml could not be emitted: " + out.GetLastError());
    return std::string(out.c_str()) + "\n";
}

}  // namespace storyreel::demo
