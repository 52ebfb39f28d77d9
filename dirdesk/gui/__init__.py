"""The desktop app (PySide6). The only package that imports Qt: the core
(`dirdesk` draft, rules, registers, intake, rendering) never does.

Layout:
  app.py          start-up: QApplication, the register file, first run, the main window
  main_window.py  the window: side bar of sections, shortcuts, status bar
  sections.py     the list of sections and the contract each one keeps
  workers.py      slow work off the GUI thread (preview, export, backup, intake)
  forms.py        loading the Qt Designer forms of forms/
  printing.py     printing a laid-out document: dialog, worker, progress and Hủy
  painter_writer.py  the layout's pages drawn on a QPainter (QPrinter) in vector form
  drafting/       Soạn thảo: picker, form, body editor, preview, issue, print
  registers/      Văn bản đi / đến / Theo dõi / Sổ đăng ký: lazy table models, entries
  intake.py       a received file into the incoming register
  search.py       Tìm kiếm
  settings.py     Cài đặt and the first-run setup
"""
