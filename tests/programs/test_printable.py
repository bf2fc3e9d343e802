"""Text made to fit the PDF's shipped fonts: printed whole, or with what they lack left out."""

from __future__ import annotations

import pytest

from programs.builder import plan_for
from programs.pdf import plan_print_html
from programs.printable import printable_code_points, printable_text
from tests import personas
from tests.programs.pango import needs_weasyprint


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Zoë, Ștefan, Łukasz, Привет, Ελλάδα", "Zoë, Ștefan, Łukasz, Привет, Ελλάδα"),
        ("Ze\u0301", "Zé"),  # composed, as the font draws it
        ("slow 👍🏽 and 🙂 steady", "slow  and  steady"),  # emoji, with a skin tone too
        # A family emoji's joiners stay: they are in the fonts and print as nothing.
        ("👨\u200d👩\u200d👧", "\u200d\u200d"),
        ("加油 go", " go"),  # no Chinese, Japanese or Korean in the fonts
        ("𝐬𝐭𝐞𝐩𝐬 ＡＢＣ", "steps ABC"),  # styled and full-width letters fall back to plain ones
        ("line one\nline two\tend", "line one\nline two\tend"),  # layout characters stay
        ("≤ 3/10 ✓ → ☐", "≤ 3/10 ✓ → ☐"),
        ("", ""),
    ],
)
def test_text_is_kept_where_the_fonts_draw_it_and_cleanly_left_out_where_not(typed, printed):
    assert printable_text(typed) == printed
    assert all(ord(c) in printable_code_points() or c in "\t\n\r" for c in printable_text(typed))


def test_the_fonts_draw_latin_greek_and_cyrillic():
    covered = printable_code_points()
    for alphabet in ("AZaz", "ĀžȘț", "ΑΩαω", "АЯаяЁё"):
        assert all(ord(c) in covered for c in alphabet), alphabet


@needs_weasyprint
@pytest.mark.parametrize("name", ["RUNNER", "FOOTBALLER", "GROWING_KNEE", "ROUTINE", "URGENT"])
def test_our_own_print_template_passes_through_unchanged(name):
    # Everything we write prints as it is; only typed text can lose a character.
    answers = getattr(personas, name)
    html = plan_print_html(plan_for(answers), paper="a4", date=None, answers=answers)
    assert printable_text(html) == html


@needs_weasyprint
def test_new_fonts_make_new_pdfs(tmp_path, monkeypatch):
    # A cached PDF printed with other fonts (or another rule for typed text) is not served again.
    import shutil

    from programs import pdf, printable

    for font in printable.FONTS:
        shutil.copy(printable.FONTS_DIR / font, tmp_path / font)
    monkeypatch.setattr(printable, "FONTS_DIR", tmp_path)
    before = pdf.template_version()
    (tmp_path / printable.FONTS[0]).write_bytes(b"another font")
    assert pdf.template_version() != before
