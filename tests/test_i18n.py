"""The English catalog: complete, compiled, and switched on by the language cookie.

The project's messages are written in Russian; ``locale/en`` translates them. The
compiled ``.mo`` is not in Git, so the module compiles it when it is missing or older
than the ``.po`` — which needs GNU gettext's ``msgfmt``; without it the tests that
need the compiled catalog are skipped with that reason (the ``.po`` checks still run).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
RU_PO_PATH = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as {"flags": [...], "msgid": ..., "msgstr[0]": ..., ...}.

    Obsolete entries (``#~``) are skipped; continuation lines are joined.
    """
    entries: list[dict] = []
    entry: dict | None = None
    key: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": []}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].extend(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        elif line.startswith('"') and key is not None:
            entry[key] += _unquote(line)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    return [e for e in entries if "msgid" in e]


@pytest.fixture(scope="module")
def english_catalog():
    """Compile locale/en when needed, and make Django reload its catalogs."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed: the English catalog cannot be compiled")
    stale = [
        po.parent.parent.parent.name
        for po in (PO_PATH, RU_PO_PATH)
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        # ignore_patterns=["*"] prunes compilemessages' walk of the current directory
        # (it would descend into .venv); LOCALE_PATHS are compiled regardless.
        call_command("compilemessages", locale=stale, ignore_patterns=["*"], verbosity=0)
    assert MO_PATH.exists(), "compilemessages did not produce locale/en/LC_MESSAGES/django.mo"
    # Django caches loaded catalogs per process; changing LOCALE_PATHS (even to the same
    # value) clears that cache, so a catalog compiled just now is read.
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield MO_PATH


def test_every_entry_is_translated():
    entries = parse_po(PO_PATH)
    header = [e for e in entries if e["msgid"] == ""]
    messages = [e for e in entries if e["msgid"] != ""]
    assert header, "the .po has no header entry"
    assert len(messages) > 100, f"only {len(messages)} messages: was makemessages run?"

    def translated(entry: dict) -> bool:
        strs = [v for k, v in entry.items() if k.startswith("msgstr")]
        return bool(strs) and all(s.strip() for s in strs)

    untranslated = [e["msgid"] for e in messages if not translated(e)]
    assert not untranslated, f"untranslated: {untranslated}"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries (ignored by msgfmt): {fuzzy}"


def test_plural_forms_are_english():
    entries = parse_po(PO_PATH)
    header = next(e for e in entries if e["msgid"] == "")["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    for entry in entries:
        if "msgid_plural" in entry:
            assert set(entry) >= {"msgstr[0]", "msgstr[1]"}, entry["msgid"]
            assert "msgstr[2]" not in entry, entry["msgid"]


def test_placeholders_are_kept():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")
    for entry in parse_po(PO_PATH):
        if not entry["msgid"]:
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for key, text in entry.items():
            if not key.startswith("msgstr"):
                continue
            source = sources[1] if key not in {"msgstr", "msgstr[0]"} else sources[0]
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(source)), (
                f"{entry['msgid']!r} -> {text!r}"
            )


def test_gettext_translates_to_english(english_catalog):
    with translation.override("en"):
        assert translation.gettext("Цеха") == "Shops"
        assert translation.gettext("тарифная сетка") == "tariff grid"
        assert translation.ngettext("%(years)s год", "%(years)s лет", 1) % {"years": 1} == "1 year"
        assert translation.ngettext("%(years)s год", "%(years)s лет", 5) % {"years": 5} == "5 years"
    with translation.override("ru"):
        assert translation.gettext("Цеха") == "Цеха"


@pytest.mark.django_db
def test_login_page_in_english_with_the_language_cookie(client, english_catalog):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert "Log in to the system" in html
    assert "Войти" not in html


@pytest.mark.django_db
def test_login_page_in_russian_by_default(client, english_catalog):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    html = response.content.decode()
    assert "Войти" in html
    assert "Log in" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["ru", "en", "en-US,en;q=0.9"])
def test_accept_language_does_not_switch_the_language(client, english_catalog, accept_language):
    """enterprise.middleware.LanguageMiddleware ignores the browser on purpose: only the
    cookie set by the language switch (``set_language``) turns English on."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    assert "Войти" in response.content.decode()


@pytest.mark.django_db
def test_set_language_switches_to_english(client, english_catalog):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("years", "expected"),
    [(1, "1 год"), (2, "2 года"), (4, "4 года"), (5, "5 лет"), (11, "11 лет"), (21, "21 год"),
     (22, "22 года"), (25, "25 лет"), (112, "112 лет")],
)  # fmt: skip
def test_years_take_the_three_russian_plural_forms(english_catalog, years, expected):
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktranslate count years=n %}{{ years }} год"
        "{% plural %}{{ years }} лет{% endblocktranslate %}"
    )
    with translation.override("ru"):
        assert template.render(Context({"n": years})) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "lang"), [(None, "ru"), ("en", "en"), ("ru", "ru")])
def test_the_page_says_its_language_in_html_lang(client, english_catalog, cookie, lang):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    html = client.get(reverse("login")).content.decode()
    assert f'<html lang="{lang}">' in html


def _main_menu(html: str) -> str:
    return html.split('id="mainnav"', 1)[1].split('data-testid="user-menu"', 1)[0]


def test_the_kept_menu_is_kept_per_language(client, world, english_catalog):
    """The main menu's markup is cached (``{% cache %}`` in base.html) and holds translated
    labels: a page in one language never shows the menu kept for the other."""
    client.force_login(world.users["labour"])
    menus = {}
    for language in ("ru", "en", "ru", "en"):  # the second round reads the kept markup
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(reverse("home")).content.decode()
        assert f'<html lang="{language}">' in html
        menus.setdefault(language, set()).add(_main_menu(html))
    assert len(menus["ru"]) == len(menus["en"]) == 1
    assert "Структура" in menus["ru"].pop()
    english = menus["en"].pop()
    assert "Structure" in english and "Структура" not in english
