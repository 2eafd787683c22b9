"""The lookups in an X11 window tree that the window backend (:mod:`capture.window._xorg`) and the
accessibility backend's screen (:mod:`capture.accessibility._x11`) share. ``win`` is a python-xlib window;
python-xlib is imported only when one is asked about."""

from __future__ import annotations

from typing import Any


def client_window(win: Any, wm_state: int, depth: int = 0) -> Any:
    """The application window inside a window manager's frame: the one with ``WM_STATE`` (the atom
    ``wm_state``), ``win`` itself or one of its descendants down to three levels, topmost first; else None."""
    from Xlib import X

    if win.get_full_property(wm_state, X.AnyPropertyType) is not None:
        return win
    if depth >= 3:
        return None
    for child in reversed(win.query_tree().children):
        found = client_window(child, wm_state, depth + 1)
        if found is not None:
            return found
    return None


def window_pid(win: Any, net_wm_pid: int) -> int | None:
    """The process of ``win``: its ``_NET_WM_PID`` (the atom ``net_wm_pid``), set by nearly every toolkit
    (GTK, Qt, Chromium), else the process of the X client that made it (:func:`client_pid`: Tk and bare X
    clients set no ``_NET_WM_PID``)."""
    from Xlib import Xatom

    prop = win.get_full_property(net_wm_pid, Xatom.CARDINAL)
    return int(prop.value[0]) if prop is not None and len(prop.value) else client_pid(win)


def client_pid(win: Any) -> int | None:
    """The process of the X client that made ``win``, as the X server knows it (the X-Resource extension;
    only for a client on this machine). None where the server has no such extension or does not know."""
    from Xlib.ext import res

    try:
        opcode = win.display.get_extension_major(res.extname)
    except KeyError:
        return None  # the server has no X-Resource extension
    spec = {"client": win.id, "mask": res.LocalClientPIDMask}
    ids = res.QueryClientIds(display=win.display, opcode=opcode, specs=[spec]).ids
    return next((int(i.value[0]) for i in ids if i.spec.mask == res.LocalClientPIDMask and i.value), None)
