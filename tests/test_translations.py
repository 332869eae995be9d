"""The English translation of the citizen website, its e-mails and SMS (locale/en).

The interface is written in Indonesian (LANGUAGE_CODE "id", the msgids); English comes from
locale/en/LC_MESSAGES/django.po, compiled to django.mo next to it. These tests keep the catalog
complete (no empty or fuzzy entry), the compiled file in step with it, the placeholders intact,
and check that the pages really switch to English while Indonesian stays the default.

Refresh the catalog after changing a marked string, translate what it added, then compile
(both commands take --ignore=.venv --ignore=node_modules --ignore=var, and need DEBUG=1):
    manage.py makemessages -l en ...     manage.py compilemessages -l en ...
"""

from __future__ import annotations

import gettext
import html
import itertools
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.builders import submit, verify

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"


# --- reading the .po file ----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The key GNU gettext uses in a compiled catalog (context EOT msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    body = token.strip()
    assert body.startswith('"'), body
    assert body.endswith('"'), body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def read_po(path: Path = PO_PATH) -> tuple[Entry, list[Entry]]:
    """(header, entries) of a .po file: enough of the format for makemessages' output."""
    entries: list[Entry] = []
    current, target = Entry(), None
    started = False

    def finish():
        nonlocal current, target, started
        if started:
            entries.append(current)
        current, target, started = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#"):
            if started:
                finish()
            if line.startswith("#,"):
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                current.references += line[2:].split()
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            started = True
            if index is not None:
                current.msgstr_plural[int(index)] = value
                target = ("plural", int(index))
            else:
                setattr(current, keyword, value)
                target = (keyword,)
            continue
        assert line.startswith('"'), f"unexpected line in {path.name}: {raw!r}"
        value = _unquote(line)
        if target[0] == "plural":
            current.msgstr_plural[target[1]] += value
        else:
            setattr(current, target[0], getattr(current, target[0]) + value)
    finish()
    assert entries, f"{path} has no entries"
    assert entries[0].msgid == "", "the .po file has no header entry"
    return entries[0], entries[1:]


@pytest.fixture(scope="module")
def po():
    return read_po()


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves a request's language active in the thread: a test that browses
    in English must not leave English behind for the next test in this worker."""
    yield
    translation.deactivate()


# --- the catalog -------------------------------------------------------------------------------


def test_the_catalog_is_english_with_english_plural_rules(po):
    header, entries = po
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert len(entries) > 900  # the whole site, not a sample


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    header, entries = po
    assert "fuzzy" not in header.flags
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert fuzzy == []
    obsolete = [e.msgid for e in entries if e.obsolete]
    assert obsolete == []
    untranslated = [e.msgid for e in entries if not all(t.strip() for t in e.translations)]
    assert untranslated == []
    plurals_incomplete = [
        e.msgid for e in entries if e.msgid_plural is not None and sorted(e.msgstr_plural) != [0, 1]
    ]
    assert plurals_incomplete == []


_PERCENT = re.compile(r"%%|%\((\w+)\)[sd]|%[sd]")
_BRACES = re.compile(r"\{(\w+)\}")
_TAGS = re.compile(r"</?\w+")


def _placeholders(text: str, brace: bool) -> list[str]:
    found = sorted(m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%")
    if brace:
        found += sorted(m.group(0) for m in _BRACES.finditer(text))
    return found


def test_translations_keep_every_placeholder_and_markup(po):
    _header, entries = po
    broken = []
    for e in entries:
        brace = "python-brace-format" in e.flags
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid_plural]
        expected = _placeholders(sources[0], brace)
        for translation_ in e.translations:
            if _placeholders(translation_, brace) != expected:
                broken.append((e.msgid, translation_))
            # HTML inside a blocktranslate string must survive as well.
            if sorted(_TAGS.findall(e.msgid)) != sorted(_TAGS.findall(translation_)):
                broken.append((e.msgid, translation_))
    assert broken == []


def test_proper_nouns_survive_the_translation(po):
    _header, entries = po
    for e in entries:
        for name in ("SP4N-LAPOR!", "Kudus", "WIB", "lapor.go.id"):
            if name in e.msgid:
                assert all(name in t for t in e.translations), (name, e.msgid)


def test_the_compiled_catalog_matches_the_po_file(po):
    """django.mo was compiled from this django.po: every entry, no more, no less."""
    _header, entries = po
    assert MO_PATH.exists(), "run compilemessages (see this module's docstring)"
    with MO_PATH.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    expected_keys = set()
    for e in entries:
        if e.msgid_plural is None:
            expected_keys.add(e.key)
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else mo.gettext(e.msgid)
            if got != e.msgstr:
                stale.append(e.msgid)
        else:
            for index, (n, wanted) in enumerate(zip((1, 2), e.translations, strict=True)):
                expected_keys.add((e.key, index))
                if e.msgctxt is not None:
                    got = mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                else:
                    got = mo.ngettext(e.msgid, e.msgid_plural, n)
                if got != wanted:
                    stale.append(e.msgid)
    assert stale == [], "django.mo is older than django.po: run compilemessages"
    compiled_keys = {k for k in mo._catalog if k != ""}
    assert compiled_keys == expected_keys, "django.mo and django.po hold different entries"


# --- the pages ---------------------------------------------------------------------------------

# Each test's browser has an address of its own, so rate-limit counters never carry over.
_ips = itertools.count(secrets.randbelow(2**20))


def new_browser(**headers) -> Client:
    n = next(_ips)
    return Client(REMOTE_ADDR=f"172.{16 + (n >> 16) % 16}.{(n >> 8) % 256}.{n % 256}", **headers)


def english_browser() -> Client:
    browser = new_browser()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


@pytest.fixture
def published(world, settings, tmp_path):
    """One verified public report, so the lists show a report item."""
    settings.MEDIA_ROOT = tmp_path
    complaint, _code = submit(world)
    verify(world, complaint)
    return complaint


PAGES = {
    # url name: (English strings the page must show, Indonesian phrases that must be gone,
    #            sources whose strings the page shows)
    "complaints:home": (
        ["Submit a report", "Track a report", "What happens to your report",
         "Latest public reports", "Privacy notice"],
        ["Buat laporan", "Lacak laporan", "Apa yang terjadi pada laporan Anda",
         "Laporan publik terbaru", "Pemberitahuan privasi"],
        ["templates/base.html", "templates/complaints/home.html",
         "templates/complaints/public/_report_item.html"],
    ),
    "complaints:report_create": (
        ["Submit a report", "Send report", "Your report", "Confidentiality",
         "Keep the report confidential", "Hide my identity (anonymous)"],
        ["Kirim laporan", "Laporan Anda", "Kerahasiaan", "Rahasiakan laporan",
         "Sembunyikan identitas saya", "Kontak Anda"],
        ["templates/base.html", "templates/complaints/report/form.html",
         "complaints/forms/report.py"],
    ),
    "complaints:track": (
        ["Track your report", "Tracking number", "Access code", "Forgot your access code?"],
        ["Lacak laporan Anda", "Nomor pelacakan", "Kode akses", "Lupa kode akses?"],
        ["templates/base.html", "templates/complaints/tracking/track.html",
         "complaints/forms/tracking.py"],
    ),
    "complaints:public_list": (
        ["Public reports", "Clear all filters", "All statuses", "Apply",
         "1 report", "Mejobo District"],
        ["Laporan publik", "Cari dan saring laporan publik", "Semua status", "Terapkan",
         "Hapus semua filter", "Kec. Mejobo"],
        ["templates/base.html", "templates/complaints/public/list.html",
         "templates/complaints/public/_results.html",
         "templates/complaints/public/_report_item.html", "complaints/forms/public.py"],
    ),
}  # fmt: skip


def _indonesian_leftovers(po_entries, sources, text) -> list[str]:
    """Indonesian msgids of ``sources`` still on the page (long enough not to be a name)."""
    leftovers = []
    for e in po_entries:
        if not any(ref.rsplit(":", 1)[0] in sources for ref in e.references):
            continue
        if len(e.msgid) < 12 or "%" in e.msgid or "<" in e.msgid or e.msgid in e.translations:
            continue
        if e.msgid in text:
            leftovers.append(e.msgid)
    return leftovers


@pytest.mark.parametrize("url_name", list(PAGES))
def test_the_page_is_in_english_with_the_language_cookie(url_name, published, po):
    english, indonesian, sources = PAGES[url_name]
    response = english_browser().get(reverse(url_name))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    text = visible_text(response)
    for phrase in english:
        assert phrase in text, phrase
    for phrase in indonesian:
        assert phrase not in text, phrase
    # Attributes too (aria-label, placeholder, data-* texts for the scripts).
    markup = html.unescape(response.content.decode())
    assert _indonesian_leftovers(po[1], sources, markup) == []


def test_the_browsers_language_choice_is_followed_too(published):
    response = new_browser(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get(reverse("complaints:home"))
    text = visible_text(response)
    assert response.headers["Content-Language"] == "en"
    assert "Submit a report" in text
    assert "Buat laporan" not in text


def test_indonesian_stays_the_default(published):
    for browser in (new_browser(), new_browser(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")):
        response = browser.get(reverse("complaints:home"))
        text = visible_text(response)
        assert response.headers["Content-Language"] == "id"
        assert '<html lang="id">' in response.content.decode()
        assert "Buat laporan" in text
        assert "Submit a report" not in text


def test_the_footer_language_switch_changes_the_language(published):
    browser = new_browser()
    response = browser.post(reverse("set_language"), {"language": "en", "next": "/lacak/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/lacak/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = visible_text(browser.get(reverse("complaints:track")))
    assert "Track your report" in text
    browser.post(reverse("set_language"), {"language": "id", "next": "/lacak/"})
    assert "Lacak laporan Anda" in visible_text(browser.get(reverse("complaints:track")))


def test_a_village_reads_naturally_in_both_languages(published):
    desa = published.desa
    assert str(desa) == f"Desa {desa.name}"
    with translation.override("en"):
        assert str(desa) == f"{desa.name} Village"


# --- e-mails and SMS ---------------------------------------------------------------------------

MAIL_CONTEXT = {
    "tracking_number": "KDS-ABCD-2345",
    "tracking_url": "https://lapor.example/lacak/?nomor=KDS-ABCD-2345",
    "resend_url": "https://lapor.example/lacak/kirim-ulang-kode/",
    "site_url": "https://lapor.example",
    "access_code": "ABCDE23456",
    "guide": "",
    "status_label": "",
}


@pytest.mark.parametrize(
    ("template", "english", "indonesian"),
    [
        ("complaints/email/submitted.txt",
         ["Dear Reporter,", "Thank you. We have received your report.", "Tracking number: ",
          "Access code:", "This e-mail was sent automatically"],
         ["Yth. Pelapor", "Terima kasih", "Nomor pelacakan", "Kode akses"]),
        ("complaints/email/submitted.html",
         ["Dear Reporter,", "We have received your report.", "View report KDS-ABCD-2345",
          "Do not give your access code to anyone"],
         ["Yth. Pelapor", "Lihat laporan", "Jangan berikan"]),
        ("complaints/email/access_code.txt",
         ["New access code: ABCDE23456", "The old code no longer works."],
         ["Kode akses baru", "Kode lama"]),
        ("complaints/sms/submitted.txt",
         ["Report KDS-ABCD-2345 received.", "Access code: ABCDE23456 (keep it secret).",
          "Track:"],
         ["Laporan", "diterima", "rahasiakan", "Lacak"]),
    ],
)  # fmt: skip
def test_notifications_have_an_english_version(template, english, indonesian):
    with translation.override("en"):
        text = render_to_string(template, MAIL_CONTEXT)
    for phrase in english:
        assert phrase in text, phrase
    for phrase in indonesian:
        assert phrase not in text, phrase


def test_notifications_are_still_indonesian_by_default():
    text = render_to_string("complaints/email/submitted.txt", MAIL_CONTEXT)
    assert text.startswith("Yth. Pelapor,\n")
    assert "Nomor pelacakan: KDS-ABCD-2345" in text
