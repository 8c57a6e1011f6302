/* eventhub programme widget, for partner sites.
 *
 * Paste, where the programme should appear:
 *   <script src="https://EVENTHUB/static/widget.js" defer></script>
 *   <div data-eventhub-programme="https://EVENTHUB/events/SLUG"></div>
 *
 * It reads EVENTHUB/events/SLUG/widget.json (served to every origin), without cookies,
 * and writes the timetable with DOM nodes and text only: nothing it reads is parsed
 * as HTML. It takes the host page's fonts and colours; parallel rooms sit side by side
 * on wide screens and one under the other on phones.
 */
(function () {
  "use strict";

  var STYLE_ID = "eventhub-programme-style";
  var CSS = [
    ".ehp{font:inherit;color:inherit;line-height:1.4}",
    ".ehp *{font-family:inherit;box-sizing:border-box}",
    ".ehp-title{font-size:1.25em;font-weight:bold;margin:0 0 .25em}",
    ".ehp-meta{opacity:.75;font-size:.9em;margin:0 0 .75em}",
    ".ehp-day{font-size:1.1em;font-weight:bold;margin:1em 0 .5em}",
    ".ehp-row{display:flex;flex-direction:column;gap:.5em;margin:0 0 .75em}",
    ".ehp-time{font-weight:bold;font-variant-numeric:tabular-nums}",
    ".ehp-slots{display:flex;flex-direction:column;gap:.5em}",
    ".ehp-slot{flex:1 1 0;min-width:0;border:1px solid rgba(127,127,127,.4);" +
      "border-radius:.4em;padding:.5em .75em}",
    ".ehp-slot a{color:inherit}",
    ".ehp-kind,.ehp-room,.ehp-speakers{font-size:.85em;opacity:.8;margin:0}",
    ".ehp-name{font-weight:bold;margin:.15em 0}",
    "@media (min-width:40em){.ehp-row{flex-direction:row}" +
      ".ehp-time{flex:0 0 7em}.ehp-slots{flex:1;flex-direction:row}}"
  ].join("");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function link(href, text) {
    var a = el("a", "", text);
    // Only web addresses become links: a "javascript:" URL would run on the host page.
    if (/^https?:\/\//i.test(href)) { a.href = href; }
    return a;
  }

  function addStyle() {
    if (document.getElementById(STYLE_ID)) { return; }
    var style = el("style");
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function slotNode(slot) {
    var card = el("article", "ehp-slot");
    card.appendChild(el("p", "ehp-kind", slot.kind + " · " + slot.start + "–" + slot.end));
    var name = el("p", "ehp-name");
    name.appendChild(link(slot.url, slot.title));
    card.appendChild(name);
    if (slot.room) { card.appendChild(el("p", "ehp-room", slot.room)); }
    if (slot.speakers.length) {
      card.appendChild(el("p", "ehp-speakers", slot.speakers.join(", ")));
    }
    return card;
  }

  function render(root, data) {
    var box = el("div", "ehp");
    var title = el("p", "ehp-title");
    title.appendChild(link(data.url, data.title));
    box.appendChild(title);
    box.appendChild(el("p", "ehp-meta", [data.place, data.timezone].filter(Boolean).join(" · ")));
    data.days.forEach(function (day) {
      var section = el("section");
      section.appendChild(el("h3", "ehp-day", day.label));
      day.rows.forEach(function (row) {
        var line = el("div", "ehp-row");
        line.appendChild(el("div", "ehp-time", row.start + "–" + row.end));
        var slots = el("div", "ehp-slots");
        row.slots.forEach(function (slot) { slots.appendChild(slotNode(slot)); });
        line.appendChild(slots);
        section.appendChild(line);
      });
      box.appendChild(section);
    });
    root.replaceChildren(box);
  }

  function load(root) {
    var given = root.getAttribute("data-eventhub-programme");
    if (!given) { return; }
    var address = new URL(given, document.baseURI);
    if (!/^https?:$/.test(address.protocol)) { return; }
    var base = address.href.replace(/\/+$/, "");
    root.setAttribute("aria-busy", "true");
    fetch(base + "/widget.json", { credentials: "omit", mode: "cors" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { render(root, data); })
      .catch(function () {
        root.replaceChildren(link(base + "/programme", "Programme"));
      })
      .finally(function () { root.removeAttribute("aria-busy"); });
  }

  function start() {
    addStyle();
    document.querySelectorAll("[data-eventhub-programme]").forEach(load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
