"""The laid-out document: what both writers (DOCX and PDF) print.

`build_layout(draft)` turns a draft and its rule set into a LaidOutDocument of
concrete blocks (paragraphs with sizes, weights, indents and exact line
heights; tables, borderless in documents, ruled with repeated heading rows in
the printed registers of `dirdesk.registers.printing`). The writers translate
blocks one to one and decide nothing about the official format themselves.
"""

from dirdesk.layout.build import build_layout
from dirdesk.layout.model import Block, LaidOutDocument, PageSetup, Paragraph, Run, Table

__all__ = ["build_layout", "Block", "LaidOutDocument", "PageSetup", "Paragraph", "Run", "Table"]
