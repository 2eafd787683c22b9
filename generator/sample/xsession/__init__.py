"""The X test helpers, one home for the tests, the sample driver and the benchmarks: a private virtual display
(``display``: Xvfb + openbox, and the X tools found or how to install them), real input through xdotool
(``xdo``), programs on the display, each at home in a folder of its own (``programs``), ``vsop record`` in a
subprocess and what it has written (``recorder``), waiting with a deadline (``waiting``) and their error
(``errors``).

Takes a display size; gives a desktop that a person's hand (xdotool) works on while the real recorder runs.
"""

from generator.sample.xsession.display import VirtualDisplay, require
from generator.sample.xsession.errors import SessionError
from generator.sample.xsession.programs import App, at_home, end
from generator.sample.xsession.recorder import RecorderProcess
from generator.sample.xsession.waiting import wait_until
from generator.sample.xsession.xdo import Xdo

__all__ = [
    "App",
    "RecorderProcess",
    "SessionError",
    "VirtualDisplay",
    "Xdo",
    "at_home",
    "end",
    "require",
    "wait_until",
]
