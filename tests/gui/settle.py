"""Waiting for the window's register operations (dirdesk.gui.operations), which run in workers."""

from dirdesk.gui import operations


def settle(qtbot, timeout: int = 15000) -> None:
    """Until every register operation started so far has delivered its result on the GUI thread."""
    qtbot.waitUntil(lambda: operations.in_flight() == 0, timeout=timeout)
