#include "tests/support/headless_chromium.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace storyreel::testing {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTimeout = std::chrono::seconds(60);

}  // namespace

HeadlessChromium::HeadlessChromium(int width, int height) {
    std::string pattern = (fs::temp_directory_path() / "storyreel-chromium-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a chromium profile folder");
    profile_ = pattern;
    int to[2], from[2];
    if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0)
        throw std::runtime_error("cannot create pipes for chromium");
    const std::string size =
        "--window-size=" + std::to_string(width) + "," + std::to_string(height);
    const std::string profile = "--user-data-dir=" + profile_.string();
    pid_ = ::fork();
    if (pid_ == 0) {
        // chromium reads commands on fd 3 and answers on fd 4. Copies first: a pipe end may
        // already be fd 3 or 4 (with close-on-exec set, which dup2 onto itself would keep).
        const int commands = ::dup(to[0]), answers = ::dup(from[1]);
        ::dup2(commands, 3);
        ::dup2(answers, 4);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execlp("chromium", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                 "--remote-debugging-pipe", "--no-first-run", "--disable-extensions",
                 "--hide-scrollbars", size.c_str(), profile.c_str(), "about:blank",
                 static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(to[0]);
    ::close(from[1]);
    to_browser_ = to[1];
    from_browser_ = from[0];
    if (pid_ < 0) throw std::runtime_error("cannot start chromium");
    try {
        open_page(width, height);
    } catch (...) {  // no destructor runs for a constructor that throws: clean up here
        shut_down();
        throw;
    }
}

void HeadlessChromium::open_page(int width, int height) {
    const json target = call("Target.createTarget", {{"url", "about:blank"}}, false);
    const json attached = call("Target.attachToTarget",
                               {{"targetId", target.at("targetId")}, {"flatten", true}}, false);
    session_ = attached.at("sessionId");
    for (const char* domain : {"Runtime.enable", "Log.enable", "Network.enable", "Page.enable"})
        call(domain);
    call("Emulation.setDeviceMetricsOverride",
         {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}});
}

HeadlessChromium::~HeadlessChromium() { shut_down(); }

void HeadlessChromium::shut_down() noexcept {
    if (pid_ > 0) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == 0) {  // still there (else writing would SIGPIPE)
            try {
                call("Browser.close", json::object(), false);
            } catch (...) {
            }
        }
        ::close(to_browser_);
        ::close(from_browser_);
        for (int i = 0; i < 50 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) ::usleep(100'000);
        if (::waitpid(pid_, &status, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
    }
    std::error_code ignored;
    fs::remove_all(profile_, ignored);
}

json HeadlessChromium::next_message(Clock::time_point deadline) {
    for (;;) {
        const auto end = buffer_.find('\0');
        if (end != std::string::npos) {
            json message = json::parse(buffer_.substr(0, end));
            buffer_.erase(0, end + 1);
            return message;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) throw std::runtime_error("chromium did not answer in time");
        pollfd wait{from_browser_, POLLIN, 0};
        if (::poll(&wait, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[65536];
        const ssize_t got = ::read(from_browser_, chunk, sizeof chunk);
        if (got <= 0) throw std::runtime_error("chromium closed its DevTools pipe");
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
}

void HeadlessChromium::note_event(const json& message) {
    const std::string method = message.value("method", "");
    const json& params = message.contains("params") ? message["params"] : json::object();
    if (method == "Runtime.consoleAPICalled") {
        const std::string type = params.value("type", "");
        if (type == "error" || type == "warning" || type == "assert") {
            std::string text = "console " + type + ":";
            for (const auto& argument : params.value("args", json::array()))
                text += " " + (argument.contains("value") ? argument["value"].dump()
                                                          : argument.value("description", ""));
            problems_.push_back(text);
        }
    } else if (method == "Runtime.exceptionThrown") {
        problems_.push_back("exception: " + params.at("exceptionDetails").dump());
    } else if (method == "Log.entryAdded") {
        const json& entry = params.at("entry");
        if (entry.value("level", "") == "error" || entry.value("level", "") == "warning")
            problems_.push_back("log " + entry.value("level", "") + ": " + entry.value("text", "") +
                                " " + entry.value("url", ""));
    } else if (method == "Network.loadingFailed") {
        problems_.push_back("request failed: " + params.value("errorText", "") + " (" +
                            params.value("requestId", "") + ")");
    }
    events_.push_back(message);
}

json HeadlessChromium::call(const std::string& method, json params, bool in_page) {
    const int id = next_id_++;
    json message = {{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (in_page) message["sessionId"] = session_;
    const std::string text = message.dump() + '\0';
    for (std::size_t sent = 0; sent < text.size();) {
        const ssize_t wrote = ::write(to_browser_, text.data() + sent, text.size() - sent);
        if (wrote <= 0) throw std::runtime_error("cannot write to chromium's DevTools pipe");
        sent += static_cast<std::size_t>(wrote);
    }
    const auto deadline = Clock::now() + kTimeout;
    for (;;) {
        json reply = next_message(deadline);
        if (reply.value("id", -1) != id) {
            note_event(reply);
            continue;
        }
        if (reply.contains("error"))
            throw std::runtime_error(method + " failed: " + reply["error"].dump());
        return reply.value("result", json::object());
    }
}

void HeadlessChromium::wait_for_event(const std::string& method) {
    for (const auto& event : events_)
        if (event.value("method", "") == method) return;
    const auto deadline = Clock::now() + kTimeout;
    for (;;) {
        json message = next_message(deadline);
        note_event(message);
        if (message.value("method", "") == method) return;
    }
}

std::chrono::duration<double> HeadlessChromium::open(const std::string& url) {
    events_.clear();
    problems_.clear();
    const auto start = Clock::now();
    const json navigated = call("Page.navigate", {{"url", url}});
    if (navigated.contains("errorText"))
        throw std::runtime_error("cannot open " + url + ": " +
                                 navigated["errorText"].get<std::string>());
    wait_for_event("Page.loadEventFired");
    return Clock::now() - start;
}

json HeadlessChromium::evaluate(const std::string& expression) {
    const json result =
        call("Runtime.evaluate",
             {{"expression", expression}, {"awaitPromise", true}, {"returnByValue", true}});
    if (result.contains("exceptionDetails"))
        throw std::runtime_error("script failed: " + result["exceptionDetails"].dump());
    return result.at("result").value("value", json());
}

void HeadlessChromium::click(double x, double y) {
    for (const char* type : {"mousePressed", "mouseReleased"})
        call("Input.dispatchMouseEvent",
             {{"type", type}, {"x", x}, {"y", y}, {"button", "left"}, {"clickCount", 1}});
}

std::string HeadlessChromium::screenshot_png() {
    return decode_base64(call("Page.captureScreenshot", {{"format", "png"}}).at("data"));
}

std::string decode_base64(const std::string& text) {
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (const char c : text) {
        int digit;
        if (c >= 'A' && c <= 'Z')
            digit = c - 'A';
        else if (c >= 'a' && c <= 'z')
            digit = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            digit = c - '0' + 52;
        else if (c == '+')
            digit = 62;
        else if (c == '/')
            digit = 63;
        else
            continue;  // '=' padding, line breaks
        value = (value << 6) | static_cast<unsigned>(digit);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace storyreel::testing
