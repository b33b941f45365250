#!/usr/bin/env python3
"""Opens a page in Debian's headless chromium over the DevTools pipe and prints how long it
took from navigation to the load event (seconds), then the problems the page reported
(console errors, failed requests), one per line. Usage: page_open_time.py FILE [RUNS]"""
import json, os, shutil, subprocess, sys, tempfile, time

def main():
    page = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="storyreel-bench-chromium-")
    def child():
        os.dup2(to_r, 3)
        os.dup2(from_w, 4)
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
         "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile, "about:blank"],
        pass_fds=(3, 4), preexec_fn=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_r); os.close(from_w)
    buffer = b""; next_id = [0]; problems = []; events = []
    def read_message():
        nonlocal buffer
        while b"\0" not in buffer:
            chunk = os.read(from_r, 65536)
            if not chunk: raise SystemExit("chromium closed the pipe")
            buffer += chunk
        message, buffer = buffer.split(b"\0", 1)
        return json.loads(message)
    def call(method, params=None, session=None):
        next_id[0] += 1
        message = {"id": next_id[0], "method": method, "params": params or {}}
        if session: message["sessionId"] = session
        os.write(to_w, json.dumps(message).encode() + b"\0")
        while True:
            reply = read_message()
            if reply.get("id") == next_id[0]: return reply.get("result", {})
            events.append(reply)
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime.enable", "Network.enable", "Page.enable", "Log.enable"):
        call(domain, session=session)
    for _ in range(runs):
        events.clear()
        start = time.monotonic()
        call("Page.navigate", {"url": "file://" + page}, session)
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            events.append(read_message())
        print("%.3f" % (time.monotonic() - start))
        for e in events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Network.loadingFailed": problems.append("request failed: " + p.get("errorText", ""))
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning"): problems.append("console " + p["type"])
            if m == "Runtime.exceptionThrown": problems.append("exception")
        call("Page.navigate", {"url": "about:blank"}, session)
    for problem in problems: print(problem)
    call("Browser.close")
    browser.wait(timeout=20)
    shutil.rmtree(profile, ignore_errors=True)

main()
