"""Step sentences, Markdown filters and the guide page; rendered Markdown is checked through Python-Markdown
with the extensions the SOP site uses."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import jinja2
import markdown  # type: ignore[import-untyped]
import pytest
from pymdownx import keymap_db  # type: ignore[import-untyped]

from capture.models import Rect
from generator.guide.model import Guide, Revision, Step
from generator.render.environment import environment
from generator.render.filters import code, keys, md
from generator.render.guide_page import Section, guide_markdown, sections_by_window
from generator.render.step_text import Region, plain_text, region_of, step_text

EXTENSIONS = ["pymdownx.keys", "admonition", "attr_list", "md_in_html", "tables", "toc"]
WINDOW = "Acme CRM - New Lead"


def step(action: Any, target: str | None = None, value: str | None = None, **kw: Any) -> Step:
    kw.setdefault("window", WINDOW)
    return Step(id="s-0001", action=action, target=target, value=value, text="", **kw)


def to_html(text: str) -> str:
    return str(markdown.markdown(text, extensions=EXTENSIONS))


class Elements(HTMLParser):
    """The tags and the visible text of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.parts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


TOP_RIGHT = Region("top", "right")
BOTTOM_RIGHT = Region("bottom", "right")
TOP_LEFT = Region("top", "left")

SENTENCES: list[tuple[Step, dict[str, Any], str]] = [
    (step("click", "Save lead"), {}, "Click **Save lead**."),
    (step("click"), {"region": TOP_RIGHT}, f"Click the button at the top right of *{WINDOW}*."),
    (step("click"), {"region": Region("middle", "center")}, f"Click the button in the middle of *{WINDOW}*."),
    (
        step("click"),
        {"region": Region("middle", "left")},
        f"Click the button on the left side of *{WINDOW}*.",
    ),
    (step("click"), {"region": Region("bottom", "center")}, f"Click the button at the bottom of *{WINDOW}*."),
    (step("click", window="Mousepad"), {}, "Click in *Mousepad*."),
    (step("click", window=None), {}, "Click where shown."),
    (step("click", window=None), {"region": TOP_RIGHT}, "Click the button at the top right of the window."),
    (step("double_click", "Report.xlsx"), {}, "Double-click **Report.xlsx**."),
    (step("double_click"), {"region": TOP_LEFT}, f"Double-click the item at the top left of *{WINDOW}*."),
    (step("right_click", "Orders"), {}, "Right-click **Orders**."),
    (step("right_click", window="Files"), {}, "Right-click in *Files*."),
    (step("drag", "Invoice.pdf"), {"end_target": "Archive"}, "Drag **Invoice.pdf** to **Archive**."),
    (step("drag", "Card"), {"end_region": BOTTOM_RIGHT}, f"Drag **Card** to the bottom right of *{WINDOW}*."),
    (
        step("drag"),
        {"region": TOP_LEFT, "end_target": "Done"},
        f"Drag from the top left of *{WINDOW}* to **Done**.",
    ),
    (
        step("drag"),
        {"region": TOP_LEFT, "end_region": BOTTOM_RIGHT},
        f"Drag from the top left to the bottom right of *{WINDOW}*.",
    ),
    (step("drag", "Card"), {}, "Drag **Card** where shown."),
    (step("drag"), {}, "Drag where shown."),
    (step("type", "Company name", "Acme Corp"), {}, "Type `Acme Corp` in **Company name**."),
    (step("type", None, "Acme Corp"), {}, "Type `Acme Corp`."),
    (step("type", "Notes", None), {}, "Type the text in **Notes**."),
    (step("type", "Password", None, secret=True), {}, "Enter your password in **Password**."),
    (step("type", "PIN", None, secret=True), {}, "Enter your PIN in **PIN**."),
    (step("type", "CVV", None, secret=True), {}, "Enter the code in **CVV**."),
    (step("type", "Token", None, secret=True), {}, "Enter the secret value in **Token**."),
    (step("type", None, None, secret=True), {}, "Enter the secret value."),
    (step("key", value="enter"), {}, "Press ++enter++."),
    (step("key", value="down", count=3), {}, "Press ++arrow-down++ 3 times."),
    (step("key", value="page_down"), {}, "Press ++page-down++."),
    (step("key", value="esc"), {}, "Press ++esc++."),
    (step("key", value="f5"), {}, "Press ++f5++."),
    (step("key", value="a"), {}, "Press ++a++."),
    (step("hotkey", value="ctrl+s"), {}, "Press ++ctrl+s++."),
    (step("hotkey", value="ctrl+shift+S"), {}, "Press ++ctrl+shift+s++."),
    (step("hotkey", value="ctrl_l+alt_l+delete"), {}, "Press ++ctrl+alt+delete++."),
    (step("hotkey", value="ctrl+z", count=2), {}, "Press ++ctrl+z++ 2 times."),
    (step("scroll", value="down"), {}, "Scroll down."),
    (step("scroll", "Orders", "down"), {}, "Scroll down in **Orders**."),
    (step("switch_window", window="Mousepad"), {}, "Switch to *Mousepad*."),
    (step("switch_window", window=None), {}, "Switch to the next window."),
    (step("capture"), {}, "Check the screen."),
    (step("capture", "Total"), {}, "Check **Total**."),
]


@pytest.mark.parametrize(("the_step", "extra", "expected"), SENTENCES)
def test_step_sentence(the_step: Step, extra: dict[str, Any], expected: str) -> None:
    assert step_text(the_step, **extra) == expected


def test_every_action_has_a_sentence() -> None:
    from typing import get_args

    from generator.guide.model import Action

    assert {s.action for s, _, _ in SENTENCES} == set(get_args(Action))


def test_a_secret_value_is_never_shown() -> None:
    text = step_text(step("type", "Password", "hunter2", secret=True))
    assert "hunter2" not in text
    assert text == "Enter your password in **Password**."


def test_positional_drag_end_and_region() -> None:
    assert step_text(step("drag", "A"), "B") == "Drag **A** to **B**."
    assert step_text(step("click"), None, TOP_RIGHT).startswith("Click the button at the top right")


def test_unknown_action_is_an_error() -> None:
    with pytest.raises(ValueError, match="'hover'"):
        step_text(step("hover"))


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((10, 10), Region("top", "left")),
        ((1000, 100), Region("top", "right")),
        ((500, 300), Region("middle", "center")),
        ((100, 550), Region("bottom", "left")),
        ((2000, -50), Region("top", "right")),  # outside the window: clamped
    ],
)
def test_region_of(point: tuple[int, int], expected: Region) -> None:
    assert region_of(point, Rect(0, 0, 1020, 600)) == expected


# Filters -------------------------------------------------------------------------------------------------


def test_md_escapes_html_and_markdown() -> None:
    assert md("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert md("*a* _b_ [c](d) #e +f !g {h} `i` \\") == r"\*a\* \_b\_ \[c\]\(d\) \#e \+f \!g \{h\} \`i\` \\"
    assert md("a | b ~c~ ^d^ ==e== f=g") == "a &#124; b &#126;c&#126; &#94;d&#94; &#61;&#61;e&#61;&#61; f=g"
    assert md("- item") == r"\- item"
    assert md("12. Not a list") == r"12\. Not a list"
    assert md("1.1.0") == "1.1.0"
    assert md("---") == r"\---"
    assert md("-x") == "-x"
    assert md("  two\nlines  ") == "two lines"
    assert md("Acme CRM - New Lead") == "Acme CRM - New Lead"


def test_code_survives_backticks() -> None:
    assert code("Acme Corp") == "`Acme Corp`"
    assert code("a `b` c") == "`` a `b` c ``"
    assert code("``") == "``` `` ```"
    assert "<code></code>" in to_html(f"Type {code('')}.")
    for value in ("`", "a``b`", "```x", "`<b>`"):
        html = to_html(f"Type {code(value)}.")
        assert Elements(html).text == f"Type {value}."
        assert html.count("<code>") == 1


@pytest.mark.parametrize(
    ("combo", "expected"),
    [
        ("ctrl+shift+s", "++ctrl+shift+s++"),
        ("enter", "++enter++"),
        ("page_down", "++page-down++"),
        ("a", "++a++"),
        ("Q", "++q++"),
        ("ctrl++", "++ctrl+plus++"),
        ("+", "++plus++"),
        ("alt_gr+e", "++altgr+e++"),
        ("cmd+space", "++cmd+space++"),
        ("shift+tab", "++shift+tab++"),
        ("backspace", "++backspace++"),
        ("delete", "++delete++"),
        ("up", "++arrow-up++"),
        ("ctrl+.", "++ctrl+period++"),
        ("é", '++"é"++'),
        ("ctrl+media_whatever", '++ctrl+"media_whatever"++'),
    ],
)
def test_keys(combo: str, expected: str) -> None:
    assert keys(combo) == expected


def test_key_names_are_known_to_pymdownx() -> None:
    """Every name the filter emits renders as a <kbd> with pymdownx's class, not as literal ++text++."""
    from generator.render import filters

    names = set(filters._KEY_NAMES.values()) | set(filters._CHAR_NAMES.values())
    for name in names:
        assert name in keymap_db.keymap or name in keymap_db.aliases, name
        html = to_html(f"Press ++{name}++.")
        assert "<kbd" in html and "++" not in html, (name, html)


def test_quoted_keys_render_as_text() -> None:
    for key in ("é", 'a"b', "ß", "<b>"):
        html = to_html(f"Press {keys(key)}.")
        assert Elements(html).text == f"Press {key}.", html
        assert "<b>" not in html


# Hostile text through Python-Markdown -------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- unclosed comment",
    "</p><script>x",
    "`` ++ctrl+s++ `tick` ``",
    "++ctrl+alt+delete++",
    "*bold* _em_ [link](javascript:alert(1)) ![i](x.png) # + - ! | {: onclick=alert(1) } > ~~d~~ ==m== ^s^",
    "&amp; &lt;b&gt;",
    "1. not a list",
    "- not a list",
    "C:\\Users\\",
    "a\n\n# not a heading\n\n<div>",
]


def assert_safe(html: str) -> None:
    for tag, attrs in Elements(html).tags:
        allowed_div = tag == "div" and (attrs.get("class") or "").startswith("admonition")
        assert tag not in ("script", "style", "iframe", "div") or allowed_div, html
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), html
        assert not (tag == "a" and (attrs.get("href") or "").startswith("javascript")), html


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_screen_text_is_shown_as_text(hostile: str) -> None:
    shown = " ".join(hostile.split())
    cases: list[tuple[Step, dict[str, Any]]] = [
        (step("type", hostile, hostile, window=hostile), {}),
        (step("click", None, window=hostile), {"region": TOP_RIGHT}),
        (step("drag", hostile, window=hostile), {"end_target": hostile}),
        (step("switch_window", window=hostile), {}),
    ]
    for the_step, extra in cases:
        sentence = step_text(the_step, **extra)
        html = to_html(sentence + "\n\nNext paragraph.\n")
        assert_safe(html)
        text = Elements(html).text
        assert shown in text, (sentence, html)
        assert text.endswith("Next paragraph.")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_on_the_guide_page(hostile: str) -> None:
    guide = Guide(
        id="g",
        title=hostile,
        stage=hostile,
        version="1.0.0",
        purpose=None,
        recorded={},
        steps=[
            Step(
                "s-1",
                "click",
                hostile,
                None,
                hostile,
                step_text(step("click", hostile)),
                image="images/s-1.png",
            )
        ],
        revisions=[Revision(hostile, hostile, hostile, hostile)],
    )
    html = to_html(guide_markdown(guide))
    assert_safe(html)
    elements = Elements(html)
    shown = " ".join(hostile.split())
    assert elements.text.count(shown) >= 7  # title, stage, section, step, revision x4 (alt is an attribute)
    images = [attrs for tag, attrs in elements.tags if tag == "img"]
    assert [img["alt"] for img in images] == [f"Step 1: Click {shown}"]


# The guide page ------------------------------------------------------------------------------------------


def small_guide() -> Guide:
    def s(sid: str, action: Any, target: str | None, window: str | None, **kw: Any) -> Step:
        base = step(action, target, kw.pop("value", None), window=window, **kw)
        base.id = sid
        base.text = step_text(base)
        return base

    return Guide(
        id="capture-a-new-lead",
        title="Capture a new lead",
        stage="customer-inquiry",
        version="1.1.0",
        purpose="Enter a lead from a trade fair into the CRM.",
        recorded={},
        prerequisites=["A CRM account with the *Sales* role", "The lead's business card"],
        steps=[
            s("s-0001", "click", "New lead", WINDOW, image="images/s-0001.png"),
            s(
                "s-0002",
                "type",
                "Company name",
                WINDOW,
                value="Acme Corp",
                note="Use the legal name.\nSee the [register](https://example.org).",
                image="images/s-0002.png",
            ),
            s("s-0003", "click", "Save lead", WINDOW, dropped="nothing changed on screen"),
            s("s-0004", "hotkey", None, None, value="ctrl+s", image="images/s-0004.png"),
            s("s-0005", "switch_window", None, "Mousepad"),
            s("s-0006", "type", None, "Mousepad", value="Called | 10:00"),
        ],
        revisions=[
            Revision("1.0.0", "2026-11-22", "Recorded", "A. Weber"),
            Revision("1.1.0", "2026-11-23", "Added the note on *legal* names | typo fixed"),
        ],
    )


GOLDEN = """\
# Capture a new lead

Enter a lead from a trade fair into the CRM.

Stage: **customer-inquiry** · Version 1.1.0

## Before you start

- A CRM account with the *Sales* role
- The lead's business card

## Steps

### In *Acme CRM - New Lead*

**1.** Click **New lead**.

[![Step 1: Click New lead](images/s-0001.png)](images/s-0001-full.png)

**2.** Type `Acme Corp` in **Company name**.

!!! note

    Use the legal name.
    See the [register](https://example.org).

[![Step 2: Type Acme Corp in Company name](images/s-0002.png)](images/s-0002-full.png)

**3.** Press ++ctrl+s++.

[![Step 3: Press Ctrl\\+S](images/s-0004.png)](images/s-0004-full.png)

### In *Mousepad*

**4.** Switch to *Mousepad*.

**5.** Type `Called | 10:00`.

## Revision history

| Version | Date | Author | Summary |
| --- | --- | --- | --- |
| 1.0.0 | 2026-11-22 | A. Weber | Recorded |
| 1.1.0 | 2026-11-23 |  | Added the note on \\*legal\\* names &#124; typo fixed |
"""


def test_guide_page_golden() -> None:
    assert guide_markdown(small_guide()) == GOLDEN


def test_guide_page_renders_for_the_site() -> None:
    html = to_html(guide_markdown(small_guide()))
    elements = Elements(html)
    tags = [tag for tag, _ in elements.tags]
    assert tags.count("h1") == 1 and tags.count("h3") == 2
    assert '<div class="admonition note">' in html
    assert '<a href="https://example.org">register</a>' in html
    assert (
        '<a href="images/s-0001-full.png"><img alt="Step 1: Click New lead" src="images/s-0001.png"' in html
    )
    assert '<kbd class="key-control">Ctrl</kbd>' in html
    assert "Save lead" not in elements.text  # the dropped step
    rows = html.split("<tbody>")[1]
    assert rows.count("<tr>") == 2
    assert "<td>Added the note on *legal* names &#124; typo fixed</td>" in rows
    assert "<code>Called | 10:00</code>" in html


def test_guide_page_without_enlarge_links_and_with_given_sections() -> None:
    guide = small_guide()
    sections = [Section("Everything", tuple(s for s in guide.steps if s.dropped is None))]
    page = guide_markdown(guide, sections, enlarge=False)
    assert "### In *Everything*" in page and page.count("### ") == 1
    assert "![Step 1: Click New lead](images/s-0001.png)\n" in page
    assert "-full.png" not in page


def test_minimal_guide_page() -> None:
    guide = Guide(id="g", title="T", stage=None, version="1.0.0", purpose=None, recorded={})
    assert guide_markdown(guide) == "# T\n\nVersion 1.0.0\n\n## Steps\n\n"


def test_sections_follow_window_changes() -> None:
    steps = [
        step("click", "A", window="One"),
        step("key", value="enter", window=None),
        step("click", "B", window="Two"),
        step("click", "C", window="Two", dropped="noise"),
        step("click", "D", window="One"),
    ]
    sections = sections_by_window(steps)
    assert [(s.window, [x.target or x.value for x in s.steps]) for s in sections] == [
        ("One", ["A", "enter"]),
        ("Two", ["B"]),
        ("One", ["D"]),
    ]


def test_image_paths_are_link_safe() -> None:
    guide = small_guide()
    guide.steps[0].image = "images/step one (1).png"
    page = guide_markdown(guide)
    assert (
        "[![Step 1: Click New lead](images/step%20one%20%281%29.png)](images/step%20one%20%281%29-full.png)"
        in page
    )


def test_plain_text() -> None:
    assert plain_text("Press ++ctrl+s++.") == "Press Ctrl+S."
    assert plain_text("Type `a*b` in **X**.") == "Type a*b in X."


def test_rendering_from_several_threads_at_once() -> None:
    """vsop serve renders pages on one thread while its editors save guides (and render guide.md) on others:
    each thread gets the same sentences and pages as one thread alone would."""
    forms = (
        "Press ++ctrl+{key}++ in *Win {i}*.",
        "Type `v{i}*x` in **Field {i}**.",
        "Click **Save {i}** <b>now</b>.",
    )
    sentences = [forms[i % 3].format(i=i, key=chr(97 + i % 26)) for i in range(300)]
    steps = [step("type", f"Field {i}", f"v{i}") for i in range(60)] + [step("hotkey", value="ctrl+s")]
    expected = (
        [plain_text(t) for t in sentences],
        [step_text(s) for s in steps],
        guide_markdown(small_guide()),
    )
    start = threading.Barrier(8)

    def work(offset: int) -> tuple[list[str], list[str], str]:
        start.wait()
        texts = {i: plain_text(sentences[i]) for i in _rotated(len(sentences), offset)}
        words = {i: step_text(steps[i]) for i in _rotated(len(steps), offset)}
        page = guide_markdown(small_guide())
        return [texts[i] for i in range(len(sentences))], [words[i] for i in range(len(steps))], page

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(0, 8 * 37, 37)))
    assert all(result == expected for result in results)
    assert expected[0][:3] == ["Press Ctrl+A in Win 0.", "Type v1*x in Field 1.", "Click Save 2 now."]


def _rotated(count: int, offset: int) -> list[int]:
    """0..count-1 starting at ``offset``: each thread reads the sentences in its own order."""
    return [(offset + i) % count for i in range(count)]


def test_one_strict_environment() -> None:
    env = environment()
    assert env is environment()
    assert callable(env.autoescape)
    assert env.autoescape("step.md.j2") is False
    assert env.autoescape("export.html.j2") is True
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(TypeError, match="filter md"):
        env.from_string("{{ none|md }}").render(none=None)
