"""The sample scenarios: what a person does in Acme CRM or mousepad, and the steps vsop should write down.

``actions`` are what the driver performs (``generator/sample/driver/``) with real X input;
``steps`` are the guide steps a correct generator makes of the recording, as (action, target, value):
``target`` is the UI text under the pointer or the label of the field typed into, ``value`` the typed
text, key, combination or scroll direction. Text typed into a password field is expected as ``None``: a
secret is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from generator.guide.model import Action

Stage = Literal[
    "customer-inquiry",
    "needs-assessment",
    "solution-design",
    "proposal",
    "contract",
    "order-acceptance",
    "project-initiation",
    "resource-allocation",
    "production",
    "quality-assurance",
    "delivery-preparation",
    "customer-delivery",
]
STAGES: tuple[str, ...] = get_args(Stage)
AppName = Literal["chromium", "mousepad", "program"]
"""``program``: the scenario's ``command`` (a GTK dialog, a Qt window), its elements found by OCR."""


@dataclass(frozen=True, slots=True)
class Click:
    """Click the element ``selector`` (a CSS selector in the Chromium page): the middle of its text, or of
    the element itself when it is a field or has no text."""

    selector: str
    button: Literal["left", "right"] = "left"
    double: bool = False


@dataclass(frozen=True, slots=True)
class ClickText:
    """Click the text that OCR reads in the active window: menus, dialogs, the open list of a select.
    With ``beside`` (or ``below``), click that many pixels right of where the text starts (below its
    bottom, at its middle) instead: the field that a label on its left (or above it) names."""

    text: str
    beside: int = 0
    below: int = 0


@dataclass(frozen=True, slots=True)
class TypeText:
    """Type ``text`` key by key into whatever has the keyboard focus."""

    text: str


@dataclass(frozen=True, slots=True)
class Press:
    """Press a key or a combination, in xdotool's names: ``BackSpace``, ``Return``, ``ctrl+s``."""

    keys: str


@dataclass(frozen=True, slots=True)
class Scroll:
    """Turn the mouse wheel ``notches`` times, with the pointer over ``over`` (a CSS selector)."""

    direction: Literal["up", "down"]
    notches: int
    over: str


@dataclass(frozen=True, slots=True)
class WaitFor:
    """Wait until the app shows a result: a window title, a visible element, a saved file (and its text)."""

    title: str | None = None
    visible: str | None = None
    file: str | None = None
    contains: str | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    """Do nothing for ``seconds``, as a person reading or looking for the next field: a slower run."""

    seconds: float


Input = Click | ClickText | TypeText | Press | Scroll | WaitFor | Pause


@dataclass(frozen=True, slots=True)
class ExpectedStep:
    action: Action
    target: str | None = None
    value: str | None = None
    count: int = 1


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    stage: Stage
    app: AppName
    start: str | None  # the Acme CRM page Chromium opens on; None for mousepad
    actions: tuple[Input, ...]
    steps: tuple[ExpectedStep, ...]
    titles: tuple[str, ...]  # window titles the recording must show
    command: tuple[str, ...] = ()  # the program an app="program" scenario starts

    @property
    def presses(self) -> int:
        """Mouse button presses the actions make."""
        clicks = [a for a in self.actions if isinstance(a, Click | ClickText)]
        return sum(2 if isinstance(a, Click) and a.double else 1 for a in clicks)

    @property
    def typed(self) -> tuple[str, ...]:
        return tuple(a.text for a in self.actions if isinstance(a, TypeText))

    @property
    def key_presses(self) -> int:
        """Presses of non-modifier keys: one per character typed, one per key or combination."""
        return sum(len(t) for t in self.typed) + sum(1 for a in self.actions if isinstance(a, Press))

    @property
    def scroll_notches(self) -> int:
        return sum(a.notches for a in self.actions if isinstance(a, Scroll))


def fill(selector: str, text: str) -> tuple[Input, ...]:
    return Click(selector), TypeText(text)


def step(action: Action, target: str | None = None, value: str | None = None, count: int = 1) -> ExpectedStep:
    return ExpectedStep(action, target, value, count)


def page(name: str) -> str:
    return f"Acme CRM - {name}"


SIGN_IN = Scenario(
    id="sign-in",
    title="Sign in to Acme CRM",
    stage="customer-inquiry",
    app="chromium",
    start="signin.html",
    actions=(
        *fill("#username", "jsmith"),
        *fill("#password", "Winter-2025!"),
        Click("#signin-form button[type=submit]"),
        WaitFor(title=page("Home")),
        Click(".nav a[href='leads.html']"),
        WaitFor(title=page("Leads")),
    ),
    steps=(
        step("type", "Username", "jsmith"),
        step("type", "Password", None),
        step("click", "Sign in"),
        step("click", "Leads"),
    ),
    titles=(page("Sign in"), page("Home"), page("Leads")),
)

NEW_LEAD = Scenario(
    id="new-lead",
    title="Record a new lead",
    stage="customer-inquiry",
    app="chromium",
    start="leads.html",
    actions=(
        Click("#new-lead"),
        WaitFor(title=page("New Lead")),
        *fill("#company", "Acme Corpp"),
        Press("BackSpace"),
        *fill("#contact", "Jane Doe"),
        *fill("#email", "jane.doe@acme.example"),
        *fill("#phone", "+1 555 0100"),
        Click("#industry"),
        ClickText("Manufacturing"),
        Click("label[for=newsletter]"),
        *fill("#notes", "Needs 40 office chairs by March."),
        Click("#lead-form button[type=submit]"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("click", "New lead"),
        step("type", "Company name", "Acme Corp"),
        step("type", "Contact name", "Jane Doe"),
        step("type", "Email", "jane.doe@acme.example"),
        step("type", "Phone", "+1 555 0100"),
        step("click", "Select an industry"),
        step("click", "Manufacturing"),
        step("click", "Subscribe to newsletter"),
        step("type", "Notes", "Needs 40 office chairs by March."),
        step("click", "Save lead"),
    ),
    titles=(page("Leads"), page("New Lead")),
)

QUALIFY_LEAD = Scenario(
    id="qualify-lead",
    title="Assess the needs of a lead",
    stage="needs-assessment",
    app="chromium",
    start="leads.html",
    actions=(
        Click("tr[data-id=globex] td:first-child", double=True),
        WaitFor(title=page("Globex Ltd")),
        Scroll("down", 5, over=".timeline"),
        WaitFor(visible="#assessment button[type=submit]"),
        Click("label[for=need-furniture]"),
        Click("label[for=need-delivery]"),
        *fill("#budget", "25000"),
        *fill("#decision", "2025-04-30"),
        Click("#assessment button[type=submit]"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("double_click", "Globex Ltd"),
        step("scroll", None, "down", count=5),
        step("click", "Office furniture"),
        step("click", "Delivery and assembly"),
        step("type", "Budget (EUR)", "25000"),
        step("type", "Decision by", "2025-04-30"),
        step("click", "Save assessment"),
    ),
    titles=(page("Leads"), page("Globex Ltd")),
)

PLACE_ORDER = Scenario(
    id="place-order",
    title="Place a customer order",
    stage="order-acceptance",
    app="chromium",
    start="orders.html",
    actions=(
        Click("#new-order"),
        WaitFor(title=page("New Order")),
        *fill("#customer", "Globex Ltd"),
        Click("#product"),
        ClickText("Ergonomic chair"),
        *fill("#quantity", "40"),
        *fill("#delivery", "2025-03-14"),
        Click("#order-form button[type=submit]"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("click", "New order"),
        step("type", "Customer", "Globex Ltd"),
        step("click", "Choose a product"),
        step("click", "Ergonomic chair"),
        step("type", "Quantity", "40"),
        step("type", "Delivery date", "2025-03-14"),
        step("click", "Place order"),
    ),
    titles=(page("Orders"), page("New Order")),
)

DELETE_ORDER = Scenario(
    id="delete-order",
    title="Delete a duplicate order",
    stage="order-acceptance",
    app="chromium",
    start="orders.html",
    actions=(
        *fill("#search", "SO-1042"),
        Press("Return"),
        WaitFor(visible="#search-result"),
        Click("tr[data-id=SO-1042] td:nth-child(2)", button="right"),
        WaitFor(visible="#order-menu.open"),
        Click("#menu-delete"),
        WaitFor(visible="#delete-dialog[open]"),
        Click("#delete-confirm"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("type", "Search orders", "SO-1042"),
        step("key", None, "enter"),
        step("right_click", "Globex Ltd"),
        step("click", "Delete order"),
        step("click", "Delete"),
    ),
    titles=(page("Orders"),),
)

QUALITY_CHECK = Scenario(
    id="quality-check",
    title="Approve a batch after the quality check",
    stage="quality-assurance",
    app="chromium",
    start="home.html",
    actions=(
        Click(".nav a[href='quality.html']"),
        WaitFor(title=page("Quality")),
        Click("label[for=qc-frame]"),
        Click("label[for=qc-upholstery]"),
        Click("label[for=qc-wheels]"),
        Click("label[for=qc-packaging]"),
        *fill("#qc-notes", "All 40 chairs checked, no defects."),
        Click("#approve"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("click", "Quality"),
        step("click", "Frame undamaged"),
        step("click", "Upholstery clean"),
        step("click", "Wheels roll freely"),
        step("click", "Packaging intact"),
        step("type", "Inspector notes", "All 40 chairs checked, no defects."),
        step("click", "Approve"),
    ),
    titles=(page("Home"), page("Quality")),
)

PREPARE_DELIVERY = Scenario(
    id="prepare-delivery",
    title="Schedule a delivery",
    stage="delivery-preparation",
    app="chromium",
    start="orders.html",
    actions=(
        Click(".nav a[href='deliveries.html']"),
        WaitFor(title=page("Deliveries")),
        Click("tr[data-id=SO-1041] td:first-child"),
        WaitFor(visible="#driver"),
        *fill("#driver", "Sam Lee"),
        Click("label[for=slot-pm]"),
        Click("#ready"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("click", "Deliveries"),
        step("click", "SO-1041"),
        step("type", "Driver", "Sam Lee"),
        step("click", "Afternoon (13:00-17:00)"),
        step("click", "Mark as ready"),
    ),
    titles=(page("Orders"), page("Deliveries")),
)

NOTE = "delivery-note.txt"
DELIVERY_NOTE = Scenario(
    id="delivery-note",
    title="Write a delivery note",
    stage="customer-delivery",
    app="mousepad",
    start=None,
    actions=(
        TypeText("Delivery note for Globex Ltd: 40 ergonomic chairs, order SO-1041."),
        ClickText("File"),
        ClickText("Save As..."),
        WaitFor(title="Save As"),
        TypeText(NOTE),
        ClickText("Save"),
        WaitFor(file=NOTE, title=f"{NOTE} - Mousepad"),
        Press("Return"),
        TypeText("Received by: Hank Scorpio"),
        Press("ctrl+s"),
        WaitFor(file=NOTE, contains="Received by: Hank Scorpio", title=f"{NOTE} - Mousepad"),
    ),
    steps=(
        step("type", None, "Delivery note for Globex Ltd: 40 ergonomic chairs, order SO-1041."),
        step("click", "File"),
        step("click", "Save As..."),
        step("type", None, NOTE),
        step("click", "Save"),
        step("key", None, "enter"),
        step("type", None, "Received by: Hank Scorpio"),
        step("hotkey", None, "ctrl+s"),
    ),
    titles=("Save As", f"{NOTE} - Mousepad"),
)

NEW_LEAD_V2 = Scenario(
    id="new-lead-v2",
    title=NEW_LEAD.title,
    stage=NEW_LEAD.stage,
    app="chromium",
    start="v2/leads.html",
    actions=(
        Click("#new-lead"),
        WaitFor(title=page("New Lead")),
        *fill("#company", "Acme Corpp"),
        Press("BackSpace"),
        *fill("#contact", "Jane Doe"),
        *fill("#jobtitle", "Head of Purchasing"),
        *fill("#email", "jane.doe@acme.example"),
        *fill("#phone", "+1 555 0100"),
        Click("#industry"),
        ClickText("Manufacturing"),
        *fill("#notes", "Needs 40 office chairs by March."),
        Click("#lead-form button[type=submit]"),
        WaitFor(visible=".toast.show"),
    ),
    steps=(
        step("click", "New lead"),
        step("type", "Company name", "Acme Corp"),
        step("type", "Contact name", "Jane Doe"),
        step("type", "Job title", "Head of Purchasing"),
        step("type", "Email", "jane.doe@acme.example"),
        step("type", "Phone", "+1 555 0100"),
        step("click", "Select an industry"),
        step("click", "Manufacturing"),
        step("type", "Notes", "Needs 40 office chairs by March."),
        step("click", "Create lead"),
    ),
    titles=(page("Leads"), page("New Lead")),
)
"""The same process as NEW_LEAD after Acme CRM changed (``acme/v2/``): a required *Job title* field was
added, the newsletter checkbox removed and *Save lead* renamed *Create lead*. For the tests of
``vsop update``; not part of the demo."""

SCENARIOS: tuple[Scenario, ...] = (
    SIGN_IN,
    NEW_LEAD,
    QUALIFY_LEAD,
    PLACE_ORDER,
    DELETE_ORDER,
    QUALITY_CHECK,
    PREPARE_DELIVERY,
    DELIVERY_NOTE,
)


VARIANTS: tuple[Scenario, ...] = (NEW_LEAD_V2,)
"""Scenarios of a changed version of the sample app: recorded like the others, left out of the demo."""


def _new_lead_run(scenario_id: str, actions: tuple[Input, ...], steps: tuple[ExpectedStep, ...]) -> Scenario:
    return Scenario(
        id=scenario_id,
        title=NEW_LEAD.title,
        stage=NEW_LEAD.stage,
        app="chromium",
        start="leads.html",
        actions=actions,
        steps=steps,
        titles=NEW_LEAD.titles,
    )


_LEAD, _NEWSLETTER = NEW_LEAD.actions, Click("label[for=newsletter]")
_PHONE = _LEAD.index(Click("#phone"))  # the phone number is filled in at _PHONE and _PHONE + 1
_INDUSTRY, _NOTES = _LEAD.index(Click("#industry")), _LEAD.index(Click("#notes"))
NEW_LEAD_AGAIN = _new_lead_run("new-lead-again", _LEAD, NEW_LEAD.steps)
NEW_LEAD_SKIPPED = _new_lead_run(
    "new-lead-skipped",
    tuple(a for a in _LEAD if a != _NEWSLETTER),
    tuple(s for s in NEW_LEAD.steps if s.target != "Subscribe to newsletter"),
)
NEW_LEAD_EXTRA = _new_lead_run(
    "new-lead-extra",
    (*_LEAD[: _PHONE + 2], Click(".topbar .user"), *_LEAD[_PHONE + 2 :]),
    (*NEW_LEAD.steps[:5], step("click", "Jordan Smith"), *NEW_LEAD.steps[5:]),
)
NEW_LEAD_SLOWER = _new_lead_run(
    "new-lead-slower",
    (*_LEAD[:_INDUSTRY], Pause(8), *_LEAD[_INDUSTRY:_NOTES], Pause(8), *_LEAD[_NOTES:]),
    NEW_LEAD.steps,
)
NEW_LEAD_DIFFERENTLY = _new_lead_run(
    "new-lead-differently",
    (
        *_LEAD[:5],
        *fill("#contact", "John Doe"),
        *_LEAD[_PHONE : _PHONE + 2],
        *_LEAD[_PHONE - 2 : _PHONE],
        *_LEAD[_PHONE + 2 :],
    ),
    (
        *NEW_LEAD.steps[:2],
        step("type", "Contact name", "John Doe"),
        NEW_LEAD.steps[4],
        NEW_LEAD.steps[3],
        *NEW_LEAD.steps[5:],
    ),
)
RUNS: tuple[Scenario, ...] = (
    NEW_LEAD_AGAIN,
    NEW_LEAD_SKIPPED,
    NEW_LEAD_EXTRA,
    NEW_LEAD_SLOWER,
    NEW_LEAD_DIFFERENTLY,
)
"""Runs of the new-lead process in the same app, for the tests of ``vsop check``: performed again as written;
the newsletter step skipped; an extra click on the user's name; 8 s pauses before choosing the industry and
before the notes; another contact name typed and the phone filled in before the e-mail address. Recorded into
tests/fixtures/recordings/; not part of the demo."""


def by_id(scenario_id: str, among: tuple[Scenario, ...] = SCENARIOS) -> Scenario:
    for scenario in among:
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(s.id for s in among)
    raise KeyError(f"no sample scenario {scenario_id!r}; known: {known}")
