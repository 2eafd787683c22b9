"""The corpus: scenarios on applications vsop's sample never shows, with the steps a correct guide names.

Four toolkits: web pages in Chromium (``web/``: labels left of fields, above them, only a placeholder,
icon-only toolbar buttons, a table with row actions, a menu, modal dialogs, tabs, a two-column form), GTK 3
dialogs from Debian (zenity), a small Qt window (``qtform.py``, PySide6) and a small Tk window
(``tkform.py``, tkinter: no accessibility tree on Linux, so named by OCR and the pixels alone). Password and
PIN fields in eight layouts; their secrets (``SECRETS``) must never be written anywhere.

Each scenario is performed by the sample driver (``generator/sample/driver/``) with real X input while
``vsop record`` runs; ``steps`` are what the guide must say, (action, target, value), as in
``generator/sample/scenarios.py``. A target is the name a person reads on the screen: a field's label (or
its placeholder when it has no label), a button's text, or, for an icon-only button, its tooltip.
"""

from __future__ import annotations

import sys

from generator.sample.driver.program import EXIT, OUTPUT
from generator.sample.scenarios import (
    Click,
    ClickText,
    Input,
    Press,
    Scenario,
    TypeText,
    WaitFor,
    fill,
    step,
)

WEB = "../corpus/web/"  # the corpus pages, as the driver names pages (relative to the Acme CRM folder)
SECRETS: dict[str, str] = {
    "supplier": "Hunter2-Secret!",
    "supplier-confirm": "Hunter2-Secret!",
    "shipment": "4711-2580",
    "login": "Tr0ub4dor&3x",
    "settings-current": "Oldpass#2024",
    "settings-new": "Newpass#2025",
    "courier": "908172",
    "depot": "Depot-Key-77",
    "stock": "550433",
    "returns": "Rx-Mgr-5521",
}
"""The secret typed into each password or PIN field of the corpus, by the field's scenario."""

ZENITY = ("zenity", "--width", "460")
QT_FORM = (sys.executable, "-m", "generator.sample.corpus.qtform")
TK_FORM = (sys.executable, "-m", "generator.sample.corpus.tkform")


def page(name: str) -> str:
    return f"Northwind - {name}"


def toasts(count: int) -> WaitFor:
    """Until the page has said ``count`` things in its toast (each action that saves says one)."""
    return WaitFor(visible=f"body[data-toasts='{count}'] .toast.show")


def beside(label: str, text: str, offset: int = 150) -> tuple[Input, ...]:
    """Click the field right of ``label`` (read by OCR; ``offset`` px right of where it starts) and type
    ``text`` into it."""
    return ClickText(label, beside=offset), TypeText(text)


def below(label: str, text: str, offset: int = 14) -> tuple[Input, ...]:
    """Click the field under ``label`` (read by OCR) and type ``text`` into it."""
    return ClickText(label, below=offset), TypeText(text)


SUPPLIER = Scenario(
    id="supplier-sign-up",
    title="Sign up as a supplier",
    stage="contract",
    app="chromium",
    start=WEB + "supplier.html",
    actions=(
        *fill("#company", "Baltic Timber AB"),
        *fill("#vat", "SE556677889901"),
        *fill("#street", "Hamngatan 4"),
        *fill("#city", "Gothenburg"),
        *fill("#warehouse", "NW-17"),
        *fill("#password", SECRETS["supplier"]),
        *fill("#confirm", SECRETS["supplier-confirm"]),
        Click("label[for=terms]"),
        Click("#signup button[type=submit]"),
        toasts(1),
    ),
    steps=(
        step("type", "Company", "Baltic Timber AB"),
        step("type", "VAT number", "SE556677889901"),
        step("type", "Street", "Hamngatan 4"),
        step("type", "City", "Gothenburg"),
        step("type", "Warehouse code", "NW-17"),
        step("type", "Portal password", None),
        step("type", "Confirm password", None),
        step("click", "I accept the supplier terms"),
        step("click", "Create account"),
    ),
    titles=(page("Supplier sign-up"),),
)

SHIPMENT = Scenario(
    id="shipment-request",
    title="Request a courier pickup",
    stage="customer-delivery",
    app="chromium",
    start=WEB + "shipment.html",
    actions=(
        *fill("#sender", "Karin Berg"),
        *fill("#pickup-street", "Hamngatan 4"),
        *fill("#pickup-city", "Gothenburg"),
        *fill("#parcels", "12"),
        *fill("#weight", "340"),
        *fill("#date", "2025-05-06"),
        Click("label[for=express]"),
        Click("label[for=fragile]"),
        *fill("#pin", SECRETS["shipment"]),
        Click("#pickup button[type=submit]"),
        toasts(1),
    ),
    steps=(
        step("type", "Sender name", "Karin Berg"),
        step("type", "Pickup street", "Hamngatan 4"),
        step("type", "Pickup city", "Gothenburg"),
        step("type", "Parcels", "12"),
        step("type", "Weight (kg)", "340"),
        step("type", "Pickup date", "2025-05-06"),
        step("click", "Express"),
        step("click", "Fragile goods"),
        step("type", "Approval PIN", None),
        step("click", "Request pickup"),
    ),
    titles=(page("Shipment request"),),
)

LOGIN = Scenario(
    id="staff-login",
    title="Log in and note a call",
    stage="customer-inquiry",
    app="chromium",
    start=WEB + "login.html",
    actions=(
        *fill("#employee", "E-20431"),
        *fill("#secret", SECRETS["login"]),
        Click("#login button[type=submit]"),
        WaitFor(visible="#search"),
        *fill("#search", "timber"),
        Press("Return"),
        WaitFor(visible="#baltic"),
        Click("#baltic"),
        WaitFor(visible="#note"),
        *fill("#note", "Call back on Monday"),
        Click("#save-note"),
        toasts(1),
        Click("#logout"),
        WaitFor(visible="body[data-out] #employee"),
    ),
    steps=(
        step("type", "Employee ID", "E-20431"),
        step("type", "Password", None),
        step("click", "Log in"),
        step("type", "Search suppliers", "timber"),
        step("key", None, "enter"),
        step("click", "Baltic Timber AB"),
        step("type", "Add a note", "Call back on Monday"),
        step("click", "Save note"),
        step("click", "Log out"),
    ),
    titles=(page("Staff login"),),
)

ORDERS = Scenario(
    id="purchase-orders",
    title="Approve purchase orders",
    stage="order-acceptance",
    app="chromium",
    start=WEB + "orders.html",
    actions=(
        Click("#refresh"),
        WaitFor(visible="#updated:not(:empty)"),
        Click("tr[data-id=PO-3102] .approve"),
        WaitFor(visible="tr[data-id=PO-3102][data-done]"),
        Click("tr[data-id=PO-3103] .approve"),
        WaitFor(visible="tr[data-id=PO-3103][data-done]"),
        Click("#filter"),
        WaitFor(visible="#filter-text:not([hidden])"),
        *fill("#filter-text", "Resin"),
        WaitFor(visible="body[data-filter=resin] tr[data-id=PO-3105]"),
        Click("tr[data-id=PO-3105] .reject"),
        WaitFor(visible="tr[data-id=PO-3105][data-done]"),
        Click("tr[data-id=PO-3104] .approve"),
        WaitFor(visible="tr[data-id=PO-3104][data-done]"),
        Click("#export"),
        toasts(1),
    ),
    steps=(
        step("click", "Refresh"),
        step("click", "Approve"),
        step("click", "Approve"),
        step("click", "Filter"),
        step("type", "Filter by supplier", "Resin"),
        step("click", "Reject"),
        step("click", "Approve"),
        step("click", "Export"),
    ),
    titles=(page("Purchase orders"),),
)

INVOICES = Scenario(
    id="invoice-actions",
    title="Chase an overdue invoice",
    stage="customer-delivery",
    app="chromium",
    start=WEB + "invoices.html",
    actions=(
        Click("#actions"),
        WaitFor(visible="#menu.open #remind"),
        Click("#remind"),
        WaitFor(visible="#reminder[open] #subject"),
        *fill("#subject", "Invoice INV-884 is overdue"),
        *fill("#message", "Please pay by Friday."),
        Click("label[for=attach]"),
        Click("#send"),
        toasts(1),
        Click("#actions"),
        WaitFor(visible="#menu.open #credit"),
        Click("#credit"),
        WaitFor(visible="#credit-dialog[open] #amount"),
        *fill("#amount", "120.00"),
        *fill("#reason", "Late delivery"),
        Click("#create-credit"),
        toasts(2),
        Click("#actions"),
        WaitFor(visible="#menu.open #archive"),
        Click("#archive"),
        WaitFor(visible="#archive-dialog[open] #archive-confirm"),
        Click("#archive-confirm"),
        toasts(3),
    ),
    steps=(
        step("click", "Actions"),
        step("click", "Send reminder"),
        step("type", "Subject", "Invoice INV-884 is overdue"),
        step("type", "Message", "Please pay by Friday."),
        step("click", "Attach the invoice"),
        step("click", "Send"),
        step("click", "Actions"),
        step("click", "Credit note"),
        step("type", "Amount", "120.00"),
        step("type", "Reason", "Late delivery"),
        step("click", "Create credit note"),
        step("click", "Actions"),
        step("click", "Archive"),
        step("click", "Archive invoice"),
    ),
    titles=(page("Invoices"),),
)

SETTINGS = Scenario(
    id="account-settings",
    title="Change the portal password and notifications",
    stage="contract",
    app="chromium",
    start=WEB + "settings.html",
    actions=(
        Click("#tab-security"),
        WaitFor(visible="#current"),
        *fill("#current", SECRETS["settings-current"]),
        *fill("#new", SECRETS["settings-new"]),
        Click("#password-form button[type=submit]"),
        toasts(1),
        Click("#tab-notify"),
        WaitFor(visible="label[for=ships]"),
        Click("label[for=ships]"),
        Click("label[for=weekly]"),
        Click("#save-prefs"),
        toasts(2),
        Click("#tab-profile"),
        WaitFor(visible="#profile:not([hidden]) p"),
    ),
    steps=(
        step("click", "Security"),
        step("type", "Current password", None),
        step("type", "New password", None),
        step("click", "Change password"),
        step("click", "Notifications"),
        step("click", "Email me when an order ships"),
        step("click", "Weekly summary"),
        step("click", "Save preferences"),
        step("click", "Profile"),
    ),
    titles=(page("Account settings"),),
)

CUSTOMER = Scenario(
    id="new-customer",
    title="Add a customer",
    stage="customer-inquiry",
    app="chromium",
    start=WEB + "customer.html",
    actions=(
        *fill("#first", "Karin"),
        *fill("#last", "Berg"),
        *fill("#org", "Oslo Steelworks"),
        *fill("#dept", "Purchasing"),
        *fill("#town", "Oslo"),
        *fill("#postcode", "0150"),
        *fill("#number", "C-7781"),
        *fill("#limit", "50000"),
        Click("#customer button[type=submit]"),
        toasts(1),
    ),
    steps=(
        step("type", "First name", "Karin"),
        step("type", "Last name", "Berg"),
        step("type", "Company", "Oslo Steelworks"),
        step("type", "Department", "Purchasing"),
        step("type", "City", "Oslo"),
        step("type", "Postcode", "0150"),
        step("type", "Customer number", "C-7781"),
        step("type", "Credit limit", "50000"),
        step("click", "Add customer"),
    ),
    titles=(page("New customer"),),
)

COURIER = Scenario(
    id="courier-form",
    title="Book a courier pickup",
    stage="delivery-preparation",
    app="program",
    start=None,
    command=(
        *ZENITY,
        "--forms",
        "--title",
        "Book a courier pickup",
        "--text",
        "Book a courier pickup",
        "--add-entry",
        "Contact person",
        "--add-entry",
        "Street",
        "--add-entry",
        "Parcels",
        "--add-password",
        "Account PIN",
        "--add-combo",
        "Time window",
        "--combo-values",
        "Morning|Afternoon|Evening",
    ),
    actions=(
        *beside("Contact person", "Sam Lee"),
        *beside("Street", "Hamngatan 4"),
        *beside("Parcels", "3"),
        *beside("Account PIN", SECRETS["courier"]),
        ClickText("Time window", beside=150),
        ClickText("Afternoon"),
        ClickText("OK"),
        WaitFor(file=OUTPUT, contains="Sam Lee|Hamngatan 4|3|"),
    ),
    steps=(
        step("type", "Contact person", "Sam Lee"),
        step("type", "Street", "Hamngatan 4"),
        step("type", "Parcels", "3"),
        step("type", "Account PIN", None),
        step("click", "Time window"),
        step("click", "Afternoon"),
        step("click", "OK"),
    ),
    titles=("Book a courier pickup",),
)

DEPOT = Scenario(
    id="depot-sign-in",
    title="Sign in to the depot",
    stage="delivery-preparation",
    app="program",
    start=None,
    command=(*ZENITY, "--password", "--username", "--title", "Depot sign-in"),
    actions=(
        # tesseract never reads "Username:" next to the focused field: its field is found under the caption
        ClickText("Type your username and password", below=57),
        TypeText("depot-7"),
        *beside("Password", SECRETS["depot"]),
        ClickText("OK"),
        WaitFor(file=OUTPUT, contains="depot-7|"),
    ),
    steps=(
        step("type", "Username", "depot-7"),
        step("type", "Password", None),
        step("click", "OK"),
    ),
    titles=("Depot sign-in",),
)

RENAME = Scenario(
    id="rename-batch",
    title="Rename a batch",
    stage="production",
    app="program",
    start=None,
    command=(*ZENITY, "--entry", "--title", "Rename batch", "--text", "New batch name"),
    actions=(
        *below("New batch name", "B-2291"),
        ClickText("OK"),
        WaitFor(file=OUTPUT, contains="B-2291"),
    ),
    steps=(step("type", "New batch name", "B-2291"), step("click", "OK")),
    titles=("Rename batch",),
)

PICK_ORDER = Scenario(
    id="pick-order",
    title="Pick the next order to ship",
    stage="delivery-preparation",
    app="program",
    start=None,
    command=(
        *ZENITY,
        "--list",
        "--height",
        "320",
        "--title",
        "Open orders",
        "--text",
        "Pick the order to ship",
        "--column",
        "Order",
        "--column",
        "Customer",
        "--column",
        "Items",
        *("PO-3102", "Baltic Timber AB", "12"),
        *("PO-3103", "Oslo Steelworks", "40"),
        *("PO-3104", "Nordic Resin Oy", "7"),
    ),
    actions=(
        ClickText("Oslo Steelworks"),
        ClickText("OK"),
        WaitFor(file=OUTPUT, contains="PO-3103"),
    ),
    steps=(step("click", "Oslo Steelworks"), step("click", "OK")),
    titles=("Open orders",),
)

DELETE_BATCH = Scenario(
    id="delete-batch",
    title="Delete an empty batch",
    stage="production",
    app="program",
    start=None,
    command=(
        *ZENITY,
        "--question",
        "--title",
        "Delete batch",
        "--text",
        "Delete batch B-2291?",
        "--ok-label",
        "Delete batch",
        "--cancel-label",
        "Keep batch",
    ),
    actions=(ClickText("Delete batch"), WaitFor(file=EXIT, contains="0")),
    steps=(step("click", "Delete batch"),),
    titles=("Delete batch",),
)

STOCK = Scenario(
    id="book-stock",
    title="Book stock into a bin",
    stage="production",
    app="program",
    start=None,
    command=QT_FORM,
    actions=(
        *beside("Item code", "CH-40-BLK"),
        *beside("Quantity", "40"),
        *beside("Bin", "A-12-3"),
        ClickText("Main warehouse"),
        ClickText("Returns depot"),
        *beside("Supervisor PIN", SECRETS["stock"]),
        ClickText("Print label"),
        *below("Remarks", "Two boxes dented"),
        ClickText("Book stock"),
        WaitFor(title="Stock booked"),
        Press("Return"),
        WaitFor(file=OUTPUT, contains="booked item=CH-40-BLK quantity=40 bin=A-12-3 warehouse=Returns depot"),
    ),
    steps=(
        step("type", "Item code", "CH-40-BLK"),
        step("type", "Quantity", "40"),
        step("type", "Bin", "A-12-3"),
        step("click", "Main warehouse"),
        step("click", "Returns depot"),
        step("type", "Supervisor PIN", None),
        step("click", "Print label"),
        step("type", "Remarks", "Two boxes dented"),
        step("click", "Book stock"),
        step("key", None, "enter"),
    ),
    titles=("Northwind Stock",),
)

TRANSFER = Scenario(
    id="move-units",
    title="Move units between bins",
    stage="production",
    app="program",
    start=None,
    command=QT_FORM,
    actions=(
        ClickText("Transfer"),
        WaitFor(title="Northwind Stock"),
        *beside("From bin", "A-12-3"),
        *beside("To bin", "C-01-1"),
        *beside("Units", "8"),
        ClickText("Urgent"),
        ClickText("Move units"),
        WaitFor(title="Units moved"),
        Press("Return"),
        WaitFor(file=OUTPUT, contains="moved from=A-12-3 to=C-01-1 units=8 urgent=True"),
    ),
    steps=(
        step("click", "Transfer"),
        step("type", "From bin", "A-12-3"),
        step("type", "To bin", "C-01-1"),
        step("type", "Units", "8"),
        step("click", "Urgent"),
        step("click", "Move units"),
        step("key", None, "enter"),
    ),
    titles=("Northwind Stock",),
)

RETURN = Scenario(
    id="register-return",
    title="Register a customer return",
    stage="customer-delivery",
    app="program",
    start=None,
    command=TK_FORM,
    actions=(
        *beside("Customer", "Oslo Steelworks", 220),
        *beside("Order number", "PO-3103", 220),
        ClickText("Damaged in transit"),
        ClickText("Wrong item"),
        *beside("Quantity", "4", 170),
        *beside("Manager password", SECRETS["returns"], 220),
        ClickText("Restock the items"),
        ClickText("Replacement"),
        *below("Notes", "Two boxes dented", 20),
        ClickText("Save"),
        WaitFor(
            file=OUTPUT,
            contains="saved customer=Oslo Steelworks order=PO-3103 reason=Wrong item quantity=4 restock=True "
            "remedy=Replacement notes=Two boxes dented password=set",
        ),
        ClickText("File"),
        ClickText("New return"),
        WaitFor(file=OUTPUT, contains="new return"),
    ),
    steps=(
        step("type", "Customer", "Oslo Steelworks"),
        step("type", "Order number", "PO-3103"),
        step("click", "Damaged in transit"),
        step("click", "Wrong item"),
        step("type", "Quantity", "4"),
        step("type", "Manager password", None),
        step("click", "Restock the items"),
        step("click", "Replacement"),
        step("type", "Notes", "Two boxes dented"),
        step("click", "Save"),
        step("click", "File"),
        step("click", "New return"),
    ),
    titles=("Northwind Returns",),
)

CORPUS: tuple[Scenario, ...] = (
    SUPPLIER,
    SHIPMENT,
    LOGIN,
    ORDERS,
    INVOICES,
    SETTINGS,
    CUSTOMER,
    COURIER,
    DEPOT,
    RENAME,
    PICK_ORDER,
    DELETE_BATCH,
    STOCK,
    TRANSFER,
    RETURN,
)
"""Every scenario of the corpus, in the order it is recorded (the web pages share one Chromium)."""

TOOLKITS = {"chromium": "web", "program": "gtk"}


def toolkit(scenario: Scenario) -> str:
    """The toolkit of the scenario's screens: web (Chromium), gtk (zenity), qt (the PySide6 window) or tk
    (the tkinter window)."""
    if scenario.command == QT_FORM:
        return "qt"
    if scenario.command == TK_FORM:
        return "tk"
    return TOOLKITS[scenario.app]


def secret_of(scenario: Scenario) -> tuple[str, ...]:
    """The secrets the scenario types (each into a password or PIN field)."""
    typed = {a.text for a in scenario.actions if isinstance(a, TypeText)}
    return tuple(sorted(s for s in set(SECRETS.values()) if s in typed))
