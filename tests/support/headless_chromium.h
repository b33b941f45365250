#pragma once
// Debian's chromium, headless, driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so a test sees
// what a person opening a page would: console errors, uncaught exceptions, every request
// that failed, and can click, evaluate script and take a screenshot. No display, no
// network, runs as root with --no-sandbox in CI.

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace storyreel::testing {

class HeadlessChromium {
  public:
    /// Starts chromium with a fresh profile and opens one page (about:blank), `width` x
    /// `height` CSS pixels. Throws std::runtime_error when it cannot start.
    explicit HeadlessChromium(int width = 1280, int height = 900);
    ~HeadlessChromium();
    HeadlessChromium(const HeadlessChromium&) = delete;
    HeadlessChromium& operator=(const HeadlessChromium&) = delete;

    /// Opens `url` and waits for its load event; returns how long that took.
    std::chrono::duration<double> open(const std::string& url);
    /// The value of a script expression evaluated in the page (promises awaited).
    nlohmann::json evaluate(const std::string& expression);
    /// A real mouse click (pressed and released) at page coordinates `x`, `y` (CSS pixels).
    void click(double x, double y);
    /// A PNG screenshot of the viewport.
    std::string screenshot_png();

    /// Everything the page reported as a problem since it was opened: console errors and
    /// warnings, uncaught exceptions, log entries of level error, failed requests. One line
    /// each.
    const std::vector<std::string>& problems() const { return problems_; }

  private:
    void open_page(int width, int height);
    /// Closes the browser (asked, then killed) and removes the profile; never throws.
    void shut_down() noexcept;
    nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::object(),
                        bool in_page = true);
    nlohmann::json next_message(std::chrono::steady_clock::time_point deadline);
    void note_event(const nlohmann::json& message);
    void wait_for_event(const std::string& method);

    int pid_ = -1;
    int to_browser_ = -1, from_browser_ = -1;
    std::filesystem::path profile_;
    std::string buffer_;
    std::string session_;
    int next_id_ = 1;
    std::vector<nlohmann::json> events_;
    std::vector<std::string> problems_;
};

/// Decodes base64 (the protocol's binary data).
std::string decode_base64(const std::string& text);

}  // namespace storyreel::testing
