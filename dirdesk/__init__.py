"""DirDesk: drafting, issuing and registering the documents of a ward office.

The package root is the core: draft model, rules, symbols and dates, layout
and the DOCX/PDF writers. It never imports Qt; the GUI lives in dirdesk.gui.
"""

__version__ = "0.1.0"
