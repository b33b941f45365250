// The review page as a pure function of a unit's panels and build.json: every project text
// escaped once, cards and timeline panels one per panel, findings linked to their cards.

#include <gtest/gtest.h>

#include "report/html_escape.h"
#include "report/review_page.h"
#include "report/timeline_svg.h"

namespace storyreel::report {
namespace {

using nlohmann::json;

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

ReviewUnit hostile_unit() {
    ReviewUnit unit;
    unit.name = "sq010";
    unit.show = "A & B <script>alert('show')</script>";
    unit.frame_count = 72;
    unit.start_timecode = "01:00:00:00";
    for (int i = 0; i < 3; ++i) {
        ReviewPanel panel;
        panel.panel = "p00" + std::to_string(i + 1);
        panel.shot = i < 2 ? "sq010/sh010" : "sq010/sh020";
        panel.name = panel.shot + "/" + panel.panel;
        panel.thumbnail = "thumbs/" + std::to_string(i) + ".jpg";
        panel.unit_start_frame = 24 * i;
        panel.frames = 24;
        panel.timing_source = "explicit";
        panel.dialogue = "<script>alert(\"x\")</script> & 'quotes'";
        panel.notes = "Storm & <b>lightning</b>";
        panel.board = "/boards/<b>&\".png";
        unit.panels.push_back(panel);
    }
    return unit;
}

TEST(HtmlEscape, ReplacesEveryCharacterHtmlGivesMeaningTo) {
    EXPECT_EQ(html_escape("<script>"), "&lt;script&gt;");
    EXPECT_EQ(html_escape("Tom & Jerry"), "Tom &amp; Jerry");
    EXPECT_EQ(html_escape("say \"hi\" it's"), "say &quot;hi&quot; it&#39;s");
    EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");  // escaped once more, shown as typed
    EXPECT_EQ(html_escape("Привет"), "Привет");    // UTF-8 passes through
}

TEST(ReviewPage, ProjectTextNeverBecomesMarkup) {
    const ReviewUnit unit = hostile_unit();
    BuildFacts facts;
    facts.inputs =
        json::array({{{"path", "/boards/<b>&\".png"}, {"role", "board"}, {"hash", "xxh128:00"}}});
    facts.findings = json::array({{{"rule", "dialogue_pace"},
                                   {"severity", "warning"},
                                   {"sequence", "sq010"},
                                   {"shot", "sh010"},
                                   {"panel", "p002"},
                                   {"message", "<i>too fast</i>"},
                                   {"hint", "hold it longer & breathe"},
                                   {"acknowledged", false}}});
    const std::string html = review_page_html(unit, facts);
    EXPECT_EQ(count(html, "<script"), 1u) << "only the page's own script";
    EXPECT_EQ(count(html, "<b>lightning"), 0u) << "the page's own <b> labels only";
    EXPECT_NE(html.find("Storm &amp; &lt;b&gt;lightning&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(count(html, "<i>"), 0u);
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"),
              std::string::npos);
    EXPECT_NE(html.find("A &amp; B &lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("/boards/&lt;b&gt;&amp;&quot;.png"), std::string::npos);
    EXPECT_NE(html.find("hold it longer &amp; breathe"), std::string::npos);
}

TEST(ReviewPage, OneCardAndOneTimelinePanelPerPanelGroupedByShot) {
    const ReviewUnit unit = hostile_unit();
    const std::string html = review_page_html(unit, BuildFacts{});
    EXPECT_EQ(count(html, "<article class=\"card\""), 3u);
    EXPECT_EQ(count(html, "class=\"tl-panel\""), 3u);
    EXPECT_EQ(count(html, "class=\"shot-group\""), 2u);
    EXPECT_EQ(count(html, "loading=\"lazy\""), 3u);
    EXPECT_NE(html.find("1.00 s"), std::string::npos) << "holds in seconds";
    EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing fetched from the network";
    EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST(ReviewPage, FindingsLinkToTheirCardsAndAcknowledgedOnesSaySo) {
    const ReviewUnit unit = hostile_unit();
    BuildFacts facts;
    facts.findings =
        json::array({{{"rule", "a"},
                      {"sequence", "sq010"},
                      {"shot", "sh020"},
                      {"panel", "p003"},
                      {"acknowledged", true},
                      {"ack_reason", "director's call"}},
                     {{"rule", "b"}, {"sequence", "sq010"}, {"shot", "sh010"}, {"panel", ""}}});
    const std::string html = review_page_html(unit, facts);
    EXPECT_NE(html.find("<a href=\"#card-2\">sq010/sh020/p003</a>"), std::string::npos);
    EXPECT_NE(html.find("<a href=\"#card-0\">sq010/sh010</a>"), std::string::npos)
        << "a shot's finding: its first card";
    EXPECT_NE(html.find("acknowledged: director&#39;s call"), std::string::npos);
    EXPECT_EQ(count(html, "class=\"mark "), 1u) << "panel findings are marked on the timeline";
}

TEST(TimelineSvg, PanelsAreDrawnToScaleInTime) {
    ReviewUnit unit = hostile_unit();
    unit.panels[1].frames = 12;
    unit.panels[2].unit_start_frame = 36;
    unit.panels[2].frames = 36;
    unit.waveform = {{-0.5f, 0.5f}, {-1.f, 1.f}};
    const std::string svg = timeline_svg(unit, json::array());
    // 72 frames over 1600 units: 24 frames = 533.3, 12 = 266.7, starting at 533.3.
    EXPECT_NE(svg.find("x=\"533.3\" y=\"16\" width=\"266.7\""), std::string::npos) << svg;
    EXPECT_NE(svg.find("x=\"800.0\" y=\"16\" width=\"800.0\""), std::string::npos) << svg;
    EXPECT_EQ(count(svg, "class=\"boundary\""), 2u);
    EXPECT_EQ(count(svg, "class=\"wave\""), 1u);
}

}  // namespace
}  // namespace storyreel::report
