"""Soạn thảo: the drafting section of the window.

  section.py      DraftingSection: the form, the live preview, the actions
  newdoc.py       the type picker and the template filled in from the profile
  form.py         the draft form (forms/draft_form.ui) as a draft-format dict
  address_list.py "Kính gửi" / "Nơi nhận" lists with the address book
  body_editor.py  the body editor (Ctrl+B/I/U/E) ...
  body_markup.py  ... and its text as body markup, both ways
  preview.py      the PDF preview (QtPdf) and the format findings
  autosave.py     autosave and crash recovery
  files.py        open/save draft files, export, print, open in the system viewer
  printing.py     what Ctrl+P prints: the draft, or an issued document checked against its stored PDF
  issuing.py      Ban hành: confirm the number, issue in a worker
  jobs.py         the slow work, as plain functions for the workers
"""

from dirdesk.gui.drafting.section import DraftingSection

__all__ = ["DraftingSection"]
