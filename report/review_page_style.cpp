#include "report/review_page_style.h"

namespace storyreel::report {

const char* const kReviewPageStyle = R"css(
:root { --bg: #f6f6f4; --ink: #1d1d1f; --muted: #666; --accent: #d9480f; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 "DejaVu Sans", "Noto Sans", sans-serif; background: var(--bg); color: var(--ink); }
header, section { padding: 12px 20px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
nav a { margin-right: 14px; }
h2 { font-size: 17px; margin: 14px 0 8px; }
#movie video { max-width: 100%; max-height: 50vh; background: #000; }
#timeline { width: 100%; height: 140px; background: #fff; border: 1px solid #ccc; display: block; }
#timeline .shot { fill: #c5d1e0; stroke: #fff; }
#timeline .tl-panel rect { fill: #5b7fa8; stroke: #fff; stroke-width: 1; cursor: pointer; }
#timeline .tl-panel:hover rect, #timeline .tl-panel.current rect { fill: var(--accent); }
#timeline .wave-bg { fill: #202124; }
#timeline .wave { fill: #59c98c; }
#timeline .boundary { stroke: #ffbf26; stroke-width: 1; }
#timeline .mark { fill: #e8a400; } #timeline .mark.error { fill: #c92a2a; } #timeline .mark.info { fill: #4c8ed9; }
#timeline .mark.ack { opacity: 0.4; }
.shot-name { font-size: 15px; border-bottom: 1px solid #ccc; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; }
.card { background: var(--card); border: 2px solid transparent; border-radius: 4px; padding: 6px; break-inside: avoid; }
.card.current { border-color: var(--accent); }
.card:target { border-color: #4c8ed9; }
.card img { width: 100%; height: auto; display: block; background: #ddd; }
.card h3 { margin: 4px 0 2px; font-size: 14px; }
.card p { margin: 2px 0; font-size: 12px; white-space: pre-wrap; }
.card .timing .source { color: var(--muted); }
.card .badge a { color: #c92a2a; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
tr.ack td { color: var(--muted); }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 11px; }
@media print {
  body { background: #fff; } nav, #movie, #timeline-section { display: none; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  .card { border: 1px solid #999; }
}
)css";

const char* const kReviewPageScript = R"js(
(function () {
  'use strict';
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  function showCard(id) {
    var card = document.getElementById(id);
    if (!card) return false;
    card.scrollIntoView({block: 'center'});
    return true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('#timeline .tl-panel'), function (link) {
    link.addEventListener('click', function (event) {
      if (showCard(link.getAttribute('data-card'))) event.preventDefault();
    });
  });
  var video = document.querySelector('#movie video');
  if (video) {
    var rate = Number(document.body.getAttribute('data-fps'));
    var current = null;
    video.addEventListener('timeupdate', function () {
      var frame = Math.floor(video.currentTime * rate + 1e-6);
      var found = null;
      for (var i = 0; i < cards.length && !found; ++i) {
        var start = Number(cards[i].getAttribute('data-start'));
        if (frame >= start && frame < start + Number(cards[i].getAttribute('data-frames'))) found = cards[i];
      }
      if (found === current) return;
      if (current) current.classList.remove('current');
      if (found) found.classList.add('current');
      current = found;
    });
  }
  if (location.search.indexOf('selftest') < 0) return;
  // Test hook for the browser tests: load every thumbnail now, click the last panel of the
  // timeline through its real handler, and report what happened.
  var images = Array.prototype.slice.call(document.querySelectorAll('.card img'));
  var result = {cards: cards.length, findings: document.querySelectorAll('#findings tbody tr').length,
                images: images.length, loaded: 0, failed: [], clicked: null, card_in_view: false};
  var pending = images.length;
  function finish() {
    var links = document.querySelectorAll('#timeline .tl-panel');
    if (links.length) {
      var link = links[links.length - 1];
      window.scrollTo(0, 0);
      link.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
      result.clicked = link.getAttribute('data-card');
      var box = document.getElementById(result.clicked).getBoundingClientRect();
      result.card_in_view = box.top >= 0 && box.bottom <= window.innerHeight + 1 && window.scrollY > 0;
    }
    var out = document.getElementById('selftest');
    out.textContent = JSON.stringify(result);
    document.title = 'selftest done';
  }
  function settle(image, ok) {
    if (ok) ++result.loaded; else result.failed.push(image.getAttribute('src'));
    if (--pending === 0) finish();
  }
  if (!pending) { finish(); return; }
  images.forEach(function (image) {
    if (image.complete) { settle(image, image.naturalWidth > 0); return; }
    image.addEventListener('load', function () { settle(image, image.naturalWidth > 0); });
    image.addEventListener('error', function () { settle(image, false); });
    image.loading = 'eager';
  });
})();
)js";

}  // namespace storyreel::report
