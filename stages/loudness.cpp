#include "stages/loudness.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "media/av_handles.h"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
}

namespace storyreel {

namespace {

constexpr const char* kWhat = "loudness measurement";

struct FilterGraphDeleter {
    void operator()(AVFilterGraph* graph) const { avfilter_graph_free(&graph); }
};
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;

/// abuffer (48 kHz stereo float) -> ebur128 (true peak, per-frame metadata) -> abuffersink.
struct MeterGraph {
    FilterGraphPtr graph{avfilter_graph_alloc()};
    AVFilterContext* source = nullptr;
    AVFilterContext* sink = nullptr;

    MeterGraph() {
        if (!graph) throw std::bad_alloc();
        AVFilterContext* meter = nullptr;
        av::check(avfilter_graph_create_filter(
                      &source, avfilter_get_by_name("abuffer"), "in",
                      "sample_rate=48000:sample_fmt=flt:channel_layout=stereo:time_base=1/48000",
                      nullptr, graph.get()),
                  "creating the audio source filter", kWhat);
        av::check(avfilter_graph_create_filter(&meter, avfilter_get_by_name("ebur128"), "meter",
                                               "peak=true:metadata=1", nullptr, graph.get()),
                  "creating the ebur128 filter", kWhat);
        av::check(avfilter_graph_create_filter(&sink, avfilter_get_by_name("abuffersink"), "out",
                                               nullptr, nullptr, graph.get()),
                  "creating the audio sink filter", kWhat);
        av::check(avfilter_link(source, 0, meter, 0), "linking filters", kWhat);
        av::check(avfilter_link(meter, 0, sink, 0), "linking filters", kWhat);
        av::check(avfilter_graph_config(graph.get(), nullptr), "configuring filters", kWhat);
    }
};

double metadata_value(const AVFrame* frame, const char* key, double fallback) {
    const AVDictionaryEntry* entry = av_dict_get(frame->metadata, key, nullptr, 0);
    return entry ? std::strtod(entry->value, nullptr) : fallback;
}

}  // namespace

LoudnessMeasurement measure_loudness(std::int64_t count,
                                     const std::function<void(std::int64_t, int, float*)>& read) {
    MeterGraph meter;
    LoudnessMeasurement result;
    double peak = 0;
    auto output = av::make_frame();
    auto drain = [&] {
        while (true) {
            const int status = av_buffersink_get_frame(meter.sink, output.get());
            if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
            av::check(status, "reading the ebur128 filter", kWhat);
            result.integrated_lufs =
                metadata_value(output.get(), "lavfi.r128.I", result.integrated_lufs);
            peak = std::max(peak, metadata_value(output.get(), "lavfi.r128.true_peak", 0.0));
            av_frame_unref(output.get());
        }
    };
    constexpr int kBlock = 4800;
    for (std::int64_t done = 0; done < count; done += kBlock) {
        auto input = av::make_frame();
        const int n = static_cast<int>(std::min<std::int64_t>(kBlock, count - done));
        input->nb_samples = n;
        input->format = AV_SAMPLE_FMT_FLT;
        input->sample_rate = 48000;
        av_channel_layout_default(&input->ch_layout, 2);
        input->pts = done;
        av::check(av_frame_get_buffer(input.get(), 0), "allocating audio", kWhat);
        read(done, n, reinterpret_cast<float*>(input->data[0]));
        av::check(av_buffersrc_add_frame(meter.source, input.get()), "feeding ebur128", kWhat);
        drain();
    }
    av::check(av_buffersrc_add_frame(meter.source, nullptr), "flushing ebur128", kWhat);
    drain();
    result.true_peak_dbtp = peak > 0 ? 20.0 * std::log10(peak) : -144.0;
    return result;
}

double normalisation_gain_db(const LoudnessMeasurement& measured, double target_lufs,
                             double max_true_peak_dbtp) {
    if (measured.integrated_lufs <= -70.0) return 0.0;  // silence: nothing to bring up
    const double wanted = target_lufs - measured.integrated_lufs;
    return std::min(wanted, max_true_peak_dbtp - measured.true_peak_dbtp);
}

}  // namespace storyreel
