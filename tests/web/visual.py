"""The visual check (issue 23, item 6): every page, for every account of a node, in both
languages, at a desktop (1366×900) and a phone (390×844) width, in a real Chromium.

A page fails on horizontal overflow (the document wider than the window), on a console error,
and, in Spanish, on visible English: a word from a list of English-only words, or an English
interface string of the catalogue (web/strings) that differs from its Spanish one. Text a page
marks as English on purpose (``lang="en"``: source documents, proper names in English) is
not counted. Screenshots go to ``$ALIANZA_SCREENSHOTS`` (CI keeps the folder) or a folder the
caller gives.

Used by tests/web/test_visual.py; also runnable by hand against served nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alianza.catalogue import text_of
from alianza.web.i18n import STRINGS

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# The pages a user reaches; ``{…}`` parts are found on the page named after them.
PAGES = [
    "/pme",
    "/pme/actions/10.4.1",
    "/pme/actions/10.99",  # not found: the error page
    "/pme/assessment",
    "/pme/assessment?as_of=1999-08-31",
    "/pme/cycles",
    "/seizures",
    "/seizures/map",
    "/seizures/imports",
    "/seizures/quarantine",
    "/seizures/import",
    "/exchange",
    "/analysis?quarter=2025-Q4",
    "/coop",
    "/ports",
    "/ports/alerts",
    "/ports/2504/analysis",
    "/risk",
    "/risk/rules",
    "/audit",
    "/admin/users",
    "/account/password",
]
# Detail pages: the first link matching the pattern on the page where they are listed.
DETAILS = {
    "/pme/cycles": r"^/pme/cycles/[^/]+$",
    "/seizures/imports": r"^/seizures/imports/\d+$",
    "/exchange": r"^/exchange/packages/\d+$",
    "/risk": r"^/risk/selections/\d+$",
}
SECOND_DETAILS = {r"^/risk/selections/\d+$": r"^/risk/shipments/[^/]+$"}

# Words that are English and not Spanish (nor names): one on a Spanish page is untranslated.
_ENGLISH = """
    the and of with from your yet cannot does not only will which when where who what this
    that these those there their has have been being into than then after before about
    rows row files file open submit approve return lock publish draft approved published
    locked returned review pending action actions status target targets baseline
    measurement measurements deadline due overdue none unknown historical truck lane
    physical document waived release seizure seizures port ports alert alerts queued
    delivered acknowledged sent received stored refused superseded late missing on-time
    quarterly monthly annual weekly daily created updated deleted imported loaded
    quarantine quarantined rejected duplicate duplicates warning warnings errors
    role roles admin coordinator analyst liaison viewer grant grants page pages found
    allowed forbidden request requests most least one two three four five
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    jan apr aug dec
    name plate duty-officer officer year years quarter quarters month months
    week weeks day days hour hours minute minutes wait time crossing crossings
    drill drills held model models rule rules score scores hit hits rate rates
    selected selection selections reason reasons shipment shipments count totals
    show hide menu telephone messaging"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())
COMMAND = re.compile(r"`[^`]*`|\balianza [a-z-]+(?: (?!y\b|o\b)[a-z-]+)?")
IDENTIFIER = re.compile(r"\S*(?:/|_|\w\.\w)\S*")
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ][A-Za-zÁÉÍÓÚÜÑáéíóúüñ'-]*")


def catalogue_english() -> list[str]:
    """English interface strings whose Spanish differs, long enough not to be a name."""
    found = set()
    for key, message in STRINGS.items():
        spanish = text_of(key, message, "es")
        english_forms = message if isinstance(message, tuple) else (message,)
        spanish_forms = spanish if isinstance(spanish, tuple) else (spanish,)
        for english, translated in zip(english_forms, spanish_forms, strict=True):
            for part in re.split(r"\{[^}]*\}", english):
                part = part.strip(" .:;,()·—-")
                if len(part) >= 12 and " " in part and part not in translated:
                    found.add(part)
    return sorted(found)


# In the browser: the visible text of the page, less what is marked lang="en" (or hidden).
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (['script', 'style', 'noscript', 'template', 'code', 'kbd', 'samp'].includes(tag)) return;
    if (node.getAttribute('translate') === 'no') return;  // names, usernames
    if (node !== document.body && node.getAttribute('lang')
        && !node.getAttribute('lang').startsWith('es')) return;
    if (node.hidden || node.getAttribute('aria-hidden') === 'true' && tag !== 'svg') return;
    const style = getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  document.querySelectorAll('input[placeholder], textarea[placeholder]').forEach(
    (el) => out.push(el.getAttribute('placeholder')));
  document.querySelectorAll('[title], [aria-label]').forEach((el) => {
    if (!el.closest('[lang]:not([lang^="es"]):not(html)')) {
      out.push(el.getAttribute('title') || ''); out.push(el.getAttribute('aria-label') || '');
    }
  });
  return out.join(' ');
}"""
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      let clipped = false;  // inside a box that scrolls or clips: not the page's width
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (['auto', 'hidden', 'scroll', 'clip'].includes(getComputedStyle(up).overflowX)) {
          clipped = true; break;
        }
      }
      if (box.right > width + 1 && box.width > 0 && !clipped) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                  + (el.className && typeof el.className === 'string'
                     ? '.' + el.className.split(' ').join('.') : '')
                  + ' ' + Math.round(box.right) + 'px');
        if (wide.length >= 4) break;
      }
    }
    return {scroll: document.documentElement.scrollWidth, width, wide};
  }
  return null;
}"""


@dataclass
class Finding:
    node: str
    user: str
    language: str
    width: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.node} {self.user} {self.language} {self.width} {self.path}: {self.problem}"


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    screenshots: int = 0


def english_in(text: str) -> list[str]:
    text = COMMAND.sub(" ", text)  # a command to type: `alianza ports import`
    text = IDENTIFIER.sub(" ", text)  # paths, addresses, codes: 10.1/targets/2, risk.read
    words = {w.lower() for w in WORD.findall(text)}
    found = sorted(words & ENGLISH_WORDS)
    found += [phrase for phrase in catalogue_english() if phrase in text]
    return found


def check_account(
    browser: Any,
    base_url: str,
    node: str,
    user: str,
    password: str,
    screenshots: Path | None,
    outcome: Outcome,
    pages: list[str] = PAGES,
) -> None:
    """Every page as ``user`` in both languages at both widths (one browser context)."""
    context = browser.new_context(base_url=base_url, viewport=dict(zip(("width", "height"),
                                  WIDTHS["desktop"], strict=True)))  # fmt: skip
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/login")
    page.fill("#username", user)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    host = base_url.split("//", 1)[1].split(":")[0]
    paths = list(pages)
    for language in ("es", "en"):
        context.add_cookies([{"name": "lang", "value": language, "domain": host, "path": "/"}])
        index = 0
        while index < len(paths):
            path = paths[index]
            index += 1
            errors.clear()
            page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["desktop"], strict=True)))
            page.goto(path, wait_until="load")
            outcome.pages += 1
            if language == "es" and path in DETAILS:
                _add_detail(page, DETAILS[path], paths)
            for pattern, detail in SECOND_DETAILS.items():
                if language == "es" and re.match(pattern, path):
                    _add_detail(page, detail, paths)
            for width, size in WIDTHS.items():
                page.set_viewport_size(dict(zip(("width", "height"), size, strict=True)))
                where = Finding(node, user, language, width, path, "")
                wide = page.evaluate(OVERFLOW)
                if wide:
                    _report(outcome, where, f"overflows: {wide}")
                if language == "es":
                    english = english_in(page.evaluate(VISIBLE_TEXT))
                    if english:
                        _report(outcome, where, f"English on a Spanish page: {english}")
                if screenshots is not None:
                    name = re.sub(r"[^A-Za-z0-9.-]+", "_", path.strip("/")) or "home"
                    folder = screenshots / node.lower() / user
                    folder.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(folder / f"{name}.{language}.{width}.png"))
                    outcome.screenshots += 1
            for error in errors:
                if "the server responded with a status of" in error:
                    continue  # an error page's own status (403, 404) is what it shows
                _report(outcome, Finding(node, user, language, "-", path, ""), f"console: {error}")
    context.close()


def _add_detail(page: Any, pattern: str, paths: list[str]) -> None:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        target = href.split("#")[0]
        if re.match(pattern, target.split("?")[0]) and target not in paths:
            paths.append(target)
            return


def _report(outcome: Outcome, where: Finding, problem: str) -> None:
    where.problem = problem
    outcome.findings.append(where)
