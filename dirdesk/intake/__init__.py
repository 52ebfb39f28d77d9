"""Intake of received documents: read a .txt/.docx/.pdf into a draft (dirdesk parse)."""

from dirdesk.intake.parse import parse_file, parse_text
from dirdesk.intake.text_of import IntakeError, lines_of

__all__ = ["IntakeError", "lines_of", "parse_file", "parse_text"]
