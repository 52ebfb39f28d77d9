"""Write a laid-out document as DOCX with python-docx.

Every run names Times New Roman in all four font slots (ascii, hAnsi,
eastAsia, cs) and no theme font is referenced anywhere, so neither Word nor
LibreOffice falls back to Calibri. Line heights are exact, table rows never
split, and tables are borderless with no cell padding unless the laid-out
table asks for a grid, padding or header rows repeated on every page, as the
PDF writer does. A page wider than high is written as landscape.
"""

from __future__ import annotations

import datetime as dt
import io
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from dirdesk.layout.model import LaidOutDocument, Paragraph, Run, SectionBreak, Table
from dirdesk.render import marks_docx

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
LANGUAGE = "vi-VN"
# python-docx refuses a core property (title, subject, …) longer than this.
CORE_PROPERTY_CHARS = 255


def core_property_text(text: str) -> str:
    """`text` cut to fit a core property: at a word where one is near the end, marked with "…"."""
    if len(text) <= CORE_PROPERTY_CHARS:
        return text
    cut = text[:CORE_PROPERTY_CHARS - 1]
    at_word = cut.rsplit(" ", 1)[0]
    return (at_word if len(at_word) > CORE_PROPERTY_CHARS * 3 // 4 else cut).rstrip(" ,;:.") + "…"


def _twips(points: float) -> int:
    return round(points * 20)


def _set_fonts(rpr, font: str) -> None:
    """Name `font` in all four slots of an rPr and drop any theme font."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in _THEME_SLOTS:
        if rfonts.get(qn(slot)) is not None:
            del rfonts.attrib[qn(slot)]
    for slot in _FONT_SLOTS:
        rfonts.set(qn(slot), font)


def _drop_styles_with_effects(document) -> None:
    """python-docx's template carries word/stylesWithEffects.xml, full of theme fonts; Word rebuilds it."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.rels.pop(rel_id)


def _prepare_styles(document, font: str) -> None:
    _drop_styles_with_effects(document)
    styles_el = document.styles.element
    # Strip theme fonts from every style and from the document defaults.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for slot in _THEME_SLOTS:
            if rfonts.get(qn(slot)) is not None:
                del rfonts.attrib[qn(slot)]
        for slot in _FONT_SLOTS:
            rfonts.set(qn(slot), font)
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(14)
    _set_fonts(normal.element.get_or_add_rPr(), font)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = True


_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")


def _table_properties(table, t: Table) -> None:
    """Borders (none, or a grid), fixed column widths, cell padding; tblPr kept in schema order."""
    tblpr = table._tbl.tblPr
    for tag in ("tblInd", "tblBorders", "tblLayout", "tblCellMar"):
        for old in tblpr.findall(qn(f"w:{tag}")):
            tblpr.remove(old)
    ind = OxmlElement("w:tblInd")
    # Word (compatibility mode 14) and LibreOffice set the table out by its cells' left padding.
    ind.set(qn("w:w"), str(_twips(t.indent + t.padding)))
    ind.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if t.borders:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(round(t.borders * 8)))  # eighths of a point
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(_twips(t.padding)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    for el in (ind, borders, layout, margins):
        tblpr.append(el)
    children = sorted(tblpr, key=lambda c: _TBLPR_ORDER.index(c.tag.split("}")[1]))
    for child in children:
        tblpr.append(child)  # re-appending moves each into sorted position


# The children of sectPr that follow pgNumType in the schema's order.
_SECTPR_AFTER_PGNUM = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                       "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


class _Writer:
    def __init__(self, doc: LaidOutDocument):
        self.doc = doc
        self.font = doc.font
        self.document = Document()
        self._formats: dict = {}  # paragraph format or Run("", size, bold, …) -> its pPr or rPr

    # -- paragraphs ----------------------------------------------------------
    def format_paragraph(self, par, p: Paragraph) -> None:
        fmt = par.paragraph_format
        fmt.alignment = _ALIGN[p.align]
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(p.line)
        fmt.space_before = Pt(p.space_before)
        fmt.space_after = Pt(p.space_after)
        fmt.first_line_indent = Pt(p.first_indent)
        fmt.left_indent = Pt(p.left_indent)
        fmt.right_indent = Pt(p.right_indent)
        fmt.widow_control = True
        if p.keep_with_next:
            fmt.keep_with_next = True
        if p.keep_together:
            fmt.keep_together = True
        ppr = par._p.get_or_add_pPr()
        if p.rule_width is not None:
            edges = {"bottom": (p.rule_thickness, p.rule_gap, "000000")}
        elif p.frame:  # a frame: the four borders, right outside the box (no space), exactly as thick
            edges = dict.fromkeys(("top", "left", "bottom", "right"), (p.frame.thickness, 0, p.frame.color))
        else:
            edges = {}
        if edges:
            borders = OxmlElement("w:pBdr")
            for edge, (thickness, space, color) in edges.items():
                line = OxmlElement(f"w:{edge}")
                line.set(qn("w:val"), "single")
                line.set(qn("w:sz"), str(round(thickness * 8)))  # eighths of a point
                line.set(qn("w:space"), str(round(space)))
                line.set(qn("w:color"), color)
                borders.append(line)
            # pBdr precedes spacing, ind and jc in pPr's schema order.
            ppr.find(qn("w:spacing")).addprevious(borders)
        # The paragraph mark carries the size too, so an empty paragraph keeps its height.
        mark = ppr.find(qn("w:rPr"))
        if mark is None:
            mark = OxmlElement("w:rPr")
            ppr.append(mark)
        self.run_format(mark, p.size)

    def run_format(self, rpr, size: float) -> None:
        _set_fonts(rpr, self.font)
        half_points = str(round(size * 2))
        sz = rpr.get_or_add_sz()  # python-docx puts w:sz in schema order (before w:u)
        sz.set(qn("w:val"), half_points)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            sz.addnext(szcs)
        szcs.set(qn("w:val"), half_points)

    def write_paragraph(self, par, p: Paragraph) -> None:
        # Paragraphs and runs formatted alike get copies of the first one's properties:
        # python-docx's setters are slow, and a register has thousands of cells.
        key = (p.align, p.line, p.space_before, p.space_after, p.first_indent, p.left_indent, p.right_indent,
               p.keep_with_next, p.keep_together, p.rule_width, p.rule_gap, p.rule_thickness, p.size, p.frame)
        ppr = self._formats.get(key)
        if ppr is None:
            self.format_paragraph(par, p)
            self._formats[key] = deepcopy(par._p.pPr)
        else:
            par._p.insert(0, deepcopy(ppr))
        for r in p.runs:
            run = par.add_run(r.text)  # "\n" becomes a line break
            style = Run("", r.size, r.bold, r.italic, r.underline)
            rpr = self._formats.get(style)
            if rpr is None:
                run.bold = r.bold
                run.italic = r.italic
                run.underline = r.underline
                self.run_format(run._r.get_or_add_rPr(), r.size)
                self._formats[style] = deepcopy(run._r.rPr)
            else:
                run._r.insert(0, deepcopy(rpr))
            if p.color:
                run.font.color.rgb = RGBColor.from_string(p.color)

    # -- tables ----------------------------------------------------------------
    def write_table(self, t: Table, container=None) -> None:
        if container is None:
            table = self.document.add_table(rows=len(t.rows), cols=len(t.col_widths))
        else:  # a header: its tables need their width
            table = container.add_table(len(t.rows), len(t.col_widths), Emu(Pt(sum(t.col_widths))))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _table_properties(table, t)
        tblw = table._tbl.tblPr.find(qn("w:tblW"))
        tblw.set(qn("w:w"), str(_twips(sum(t.col_widths))))
        tblw.set(qn("w:type"), "dxa")
        for col, width in zip(table.columns, t.col_widths, strict=True):
            col.width = Emu(Pt(width))
        for index, (row, cells) in enumerate(zip(table.rows, t.rows, strict=True)):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if index < t.header_rows:
                trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
            for cell, width, content in zip(row.cells, t.col_widths, cells, strict=True):
                cell.width = Emu(Pt(width))
                blocks = content.blocks or [Paragraph(role="empty", runs=[], size=1, line=1)]
                for i, p in enumerate(blocks):
                    self.write_paragraph(cell.paragraphs[0] if i == 0 else cell.add_paragraph(), p)

    # -- page ------------------------------------------------------------------
    def page_number_field(self, paragraph, size: float) -> None:
        def run_with(child=None, text=None):
            run = paragraph.add_run(text)
            self.run_format(run._r.get_or_add_rPr(), size)
            if child is not None:
                run._r.append(child)

        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        run_with(begin)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        run_with(instr)
        sep = OxmlElement("w:fldChar")
        sep.set(qn("w:fldCharType"), "separate")
        run_with(sep)
        run_with(text="2")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run_with(end)

    def setup_section(self) -> None:
        page = self.doc.page
        section = self.document.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        if page.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width = Emu(Pt(page.width))
        section.page_height = Emu(Pt(page.height))
        section.top_margin = Emu(Pt(page.top))
        section.bottom_margin = Emu(Pt(page.bottom))
        section.left_margin = Emu(Pt(page.left))
        section.right_margin = Emu(Pt(page.right))
        section.header_distance = Emu(Pt(page.page_number_top))
        section.footer_distance = Emu(Pt(page.footer_distance))
        section.gutter = 0
        # Page numbers centred at the top from page 2 on (page 1 has an empty header), or on every page.
        section.different_first_page_header_footer = not page.number_first_page
        number = Paragraph(role="page_number", runs=[], size=page.page_number_size,
                           line=round(page.page_number_size * 1.15, 2), align="center")
        header_par = section.header.paragraphs[0]
        self.format_paragraph(header_par, number)
        self.page_number_field(header_par, page.page_number_size)
        if not page.number_first_page:
            first = [m for m in self.doc.marks if m.page == "first"]
            if first:
                marks_docx.write_first_page(self, section.first_page_header, first)
            else:
                self.format_paragraph(section.first_page_header.paragraphs[0], number)
            foot = [m for m in self.doc.marks if m.page == "first_foot"]
            if foot:
                marks_docx.write_first_page(self, section.first_page_footer, foot)

    def section_break(self, block: SectionBreak) -> None:
        """End the part so far with a section (its properties on a 1 pt empty paragraph, as Word
        writes them); the next section starts a new page, with page numbers from 1 when asked, and
        takes over the page setup and the page-number headers (no references of its own)."""
        mark = Paragraph(role="section_mark", runs=[], size=1, line=SectionBreak.MARK_LINE)
        carrier = self.document.add_paragraph()
        self.write_paragraph(carrier, mark)
        sentinel = self.document.element.body.get_or_add_sectPr()
        carrier._p.get_or_add_pPr().append(deepcopy(sentinel))  # sectPr comes last in pPr
        for ref in sentinel.xpath("w:headerReference|w:footerReference"):
            sentinel.remove(ref)
        for old in sentinel.findall(qn("w:pgNumType")):
            sentinel.remove(old)
        if any(m.page in ("first", "first_foot") for m in self.doc.marks):
            # The marks of page 1 (phạm vi lưu hành, the state contact lines) are page 1's only: an
            # attached part's first page gets an empty first-page header and footer of its own.
            last = self.document.sections[-1]
            last.first_page_header.is_linked_to_previous = False
            last.first_page_footer.is_linked_to_previous = False
        if block.restart_numbers:
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:start"), "1")
            later = [c for c in sentinel if c.tag.split("}")[1] in _SECTPR_AFTER_PGNUM]
            if later:
                later[0].addprevious(numbering)
            else:
                sentinel.append(numbering)

    def write(self) -> bytes:
        doc, document = self.doc, self.document
        _prepare_styles(document, self.font)
        self.setup_section()
        for block in doc.blocks:
            if isinstance(block, SectionBreak):
                self.section_break(block)
            elif isinstance(block, Table):
                self.write_table(block)
            else:
                self.write_paragraph(document.add_paragraph(), block)
        marks_docx.write_last_page(self, [m for m in doc.marks if m.page == "last"])
        props = document.core_properties
        props.title = core_property_text(doc.title)
        props.subject = core_property_text(doc.subject)  # a 6-line trích yếu: the page keeps all of it
        props.author = core_property_text(doc.author)
        props.keywords = core_property_text(doc.keywords)
        props.language = LANGUAGE
        props.created = props.modified = dt.datetime.now().replace(microsecond=0)
        props.last_modified_by = "DirDesk"
        props.comments = ""
        props.revision = 1
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def write_docx(doc: LaidOutDocument) -> bytes:
    return _Writer(doc).write()
