"""check_dom.py EXPECT.json DOM.html: the listening view shows what the test computed.

Reads the page as Chromium left it after its scripts ran (--dump-dom): the hour bars' table,
the songs, the listen count and averages, the user's name as text; and no element or script
came from the hostile name."""
import json, sys
from html.parser import HTMLParser

expect = json.load(open(sys.argv[1], encoding="utf-8"))
dom = open(sys.argv[2], encoding="utf-8").read()


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.text, self.tags, self.body = [], {}, [], {}
        self.rows = {"hours-table": [], "stats-table": []}
        self.songs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "body":
            self.body = a
        self.stack.append((tag, a.get("id")))
        ids = [i for _, i in self.stack if i]
        table = next((i for i in reversed(ids) if i in self.rows), None)
        if tag == "tr" and table and any(t == "tbody" for t, _ in self.stack):
            self.rows[table].append([])
        if tag == "li" and "songs" in ids:
            self.songs.append("")

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        ids = [i for _, i in self.stack if i]
        for i in ids:
            self.text[i] = self.text.get(i, "") + data
        tag = self.stack[-1][0] if self.stack else ""
        table = next((i for i in reversed(ids) if i in self.rows), None)
        if table and tag in ("th", "td") and any(t == "tbody" for t, _ in self.stack):
            self.rows[table][-1].append(data)
        if tag == "li" and "songs" in ids:
            self.songs[-1] += data


page = Page()
page.feed(dom)
failures = []


def check(what, ok, detail=""):
    print(("ok: " if ok else "FAIL: ") + what + (f" ({detail})" if detail else ""))
    if not ok:
        failures.append(what)


check("the page's scripts finished the listening view", page.body.get("data-ready") == "listening", page.body)
check("the hostile name shows as text", page.text.get("user-name") == expect["user"], page.text.get("user-name"))
# The name's <img onerror> would run only as an element: none exists (the page has no images).
check("no element, so no script, came from the name", not any(t == "img" or "onerror" in a for t, a in page.tags))
check("the name is in the user list as text",
      any(t == "button" for t, _ in page.tags) and dom.count("&lt;img src=x onerror=alert(1)&gt;") >= 2)
hours = {int(h): int(n) for h, n in page.rows["hours-table"]}
check("hour bars equal the listens per hour computed from the events",
      hours == {h: n for h, n in enumerate(expect["hours"])}, hours)
check("songs of the hour, newest first, equal the events'", page.songs == expect["songs"],
      f"{len(page.songs)} songs")
check("listen count of the hour", page.text.get("stats-listens") == str(expect["listens"]), page.text.get("stats-listens"))
shown = {f: float(v) for f, v in page.rows["stats-table"]}
bad = {f: (shown.get(f), v) for f, v in expect["averages"].items()
       if f not in shown or abs(shown[f] - v) > 1e-5 * max(1.0, abs(v))}
check("averages equal the events' (to the 6 digits shown)", not bad and len(shown) == 10, bad or shown)
sys.exit(1 if failures else 0)
