"""Legal instruments as data, cited in each edition's language.

An instrument of the register (`LegalInstrument`) or the dict a validated snapshot stores
(`instrument_data`) is formatted by `cite` in the style of each language:

    Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia
    Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers

The names of the kinds come from the dicts below, chosen by the `language` argument (the
edition's), never from the reader's active language. `reference` gives the short form
("UU 18/2017") that the entry page's autocomplete and the answers workbook accept, and
`instrument_lookup` finds an instrument by it.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import LegalInstrument

K = LegalInstrument.Kind
LANGUAGES = ("en", "id")

# What stands before the number, per language; "{issuer}" is the issuing body in the form
# a citation names it (the minister, the agency, the province, the regency or city).
KIND_NAMES: dict[str, dict[str, str]] = {
    "id": {
        K.UU: "Undang-Undang",
        K.PERPPU: "Peraturan Pemerintah Pengganti Undang-Undang",
        K.PP: "Peraturan Pemerintah",
        K.PERPRES: "Peraturan Presiden",
        K.KEPPRES: "Keputusan Presiden",
        K.INPRES: "Instruksi Presiden",
        K.PERMEN: "Peraturan {issuer}",
        K.KEPMEN: "Keputusan {issuer}",
        K.PERBAN: "Peraturan {issuer}",
        K.PERDA_PROV: "Peraturan Daerah Provinsi {issuer}",
        K.PERGUB: "Peraturan Gubernur {issuer}",
        K.PERDA_KAB: "Peraturan Daerah {issuer}",
    },
    "en": {
        K.UU: "Law",
        K.PERPPU: "Government Regulation in Lieu of Law",
        K.PP: "Government Regulation",
        K.PERPRES: "Presidential Regulation",
        K.KEPPRES: "Presidential Decree",
        K.INPRES: "Presidential Instruction",
        K.PERMEN: "Regulation of the {issuer}",
        K.KEPMEN: "Decree of the {issuer}",
        K.PERBAN: "Regulation of the {issuer}",
        K.PERDA_PROV: "{issuer} Provincial Regulation",
        K.PERGUB: "{issuer} Governor Regulation",
        K.PERDA_KAB: "{issuer} Regional Regulation",
    },
}
# "Nomor 18 Tahun 2017 tentang …" / "No. 18 of 2017 on …"
NUMBER = {"id": "Nomor {number} Tahun {year}", "en": "No. {number} of {year}"}
ABOUT = {"id": "tentang", "en": "on"}
ARTICLE = {"id": "Pasal", "en": "Article"}
PARAGRAPH = {"id": "ayat", "en": "paragraph"}
OF = {"id": "", "en": " of"}
# Short forms of running text ("UU 18/2017", "Perpres 125/2016").
SHORT: dict[str, str] = {
    K.UU: "UU",
    K.PERPPU: "Perppu",
    K.PP: "PP",
    K.PERPRES: "Perpres",
    K.KEPPRES: "Keppres",
    K.INPRES: "Inpres",
    K.PERMEN: "Permen",
    K.KEPMEN: "Kepmen",
    K.PERBAN: "Peraturan",
    K.PERDA_PROV: "Perda",
    K.PERGUB: "Pergub",
    K.PERDA_KAB: "Perda",
    K.TREATY: "",
    K.OTHER: "",
}
# Kinds whose citation names the issuing body.
ISSUED_BY_NAMED_BODY = frozenset(
    {K.PERMEN, K.KEPMEN, K.PERBAN, K.PERDA_PROV, K.PERGUB, K.PERDA_KAB, K.OTHER}
)
# "Pasal 5", "Art. 5 ayat (2)", "5": an article the edition's words can be put on.
SIMPLE_ARTICLE = re.compile(
    r"^(?:pasal|article|art\.?|psl\.?)?\s*(?P<n>\d+[A-Za-z]?)"
    r"(?:\s*(?:ayat|paragraph|para\.?|par\.?)\s*(?P<p>\(?\d+\)?))?$",
    re.IGNORECASE,
)


def _minister(name: str, language: str) -> str:
    """ "Kementerian Ketenagakerjaan" → "Menteri Ketenagakerjaan"; "Ministry of Manpower" →
    "Minister of Manpower": a Peraturan Menteri is the minister's, not the ministry's."""
    if language == "id":
        return re.sub(r"^Kementerian\b", "Menteri", name)
    return re.sub(r"^(Coordinating )?Ministry\b", r"\1Minister", name)


def issuer_names(instrument: LegalInstrument) -> dict[str, str]:
    """The issuing body as a citation of this kind names it, in each language: the text
    fields when filled in, otherwise derived from the institution of the register."""
    names = {lang: getattr(instrument, f"issuer_name_{lang}") or "" for lang in LANGUAGES}
    institution = instrument.issuer
    for lang in LANGUAGES:
        if names[lang] or institution is None:
            continue
        kind = instrument.kind
        if kind in (K.PERDA_PROV, K.PERGUB) and institution.province_id:
            names[lang] = getattr(institution.province, f"name_{lang}")
        elif kind in (K.PERMEN, K.KEPMEN):
            names[lang] = _minister(getattr(institution, f"name_{lang}"), lang)
        else:
            names[lang] = getattr(institution, f"name_{lang}")
    if not names["en"]:
        names["en"] = names["id"]
    if not names["id"]:
        names["id"] = names["en"]
    return names


def instrument_data(instrument: LegalInstrument) -> dict[str, Any]:
    """The instrument as plain JSON, as a snapshot freezes it: enough to cite it in either
    language without the register."""
    issuer = issuer_names(instrument)
    return {
        "id": instrument.pk,
        "kind": instrument.kind,
        "number": instrument.number,
        "year": instrument.year,
        "title_id": instrument.title_id,
        "title_en": instrument.title_en,
        "issuer_id": issuer["id"],
        "issuer_en": issuer["en"],
        "issuer_acronym": instrument.issuer.acronym if instrument.issuer else "",
        "enacted_on": instrument.enacted_on.isoformat() if instrument.enacted_on else None,
        "url": instrument.url,
        "reference": reference(instrument),
    }


def _article(article: str, language: str) -> str:
    """The article in the edition's words when it is a plain one ("Pasal 5 ayat (2)" →
    "Article 5 paragraph (2)"), otherwise as it was typed."""
    article = " ".join((article or "").split())
    match = SIMPLE_ARTICLE.match(article)
    if not match:
        return article
    text = f"{ARTICLE[language]} {match['n']}"
    if match["p"]:
        paragraph = match["p"] if match["p"].startswith("(") else f"({match['p'].strip('()')})"
        text += f" {PARAGRAPH[language]} {paragraph}"
    return text


def cite(data: LegalInstrument | dict[str, Any], *, language: str, article: str = "") -> str:
    """The instrument's citation in `language` ("id" or "en"), with its article if given:
    "Pasal 5 Undang-Undang Nomor 18 Tahun 2017 tentang …", "Article 5 of Law No. 18 of
    2017 on …"."""
    if isinstance(data, LegalInstrument):
        data = instrument_data(data)
    language = language if language in LANGUAGES else "en"
    title = (data.get(f"title_{language}") or data.get("title_id") or "").strip()
    kind = data["kind"]
    numbered = NUMBER[language].format(number=data["number"], year=data["year"])
    if kind == K.TREATY:
        text = f"{title} ({data['year']})" if title else numbered
    elif kind == K.OTHER or kind not in KIND_NAMES[language]:
        issuer = data.get(f"issuer_{language}") or ""
        text = ", ".join(p for p in (title, issuer) if p)
        text = f"{text} {numbered}" if text else numbered
    else:
        name = KIND_NAMES[language][kind].format(issuer=data.get(f"issuer_{language}") or "")
        text = f"{' '.join(name.split())} {numbered}"
        if title:
            text += f" {ABOUT[language]} {title}"
    article_text = _article(article, language)
    if not article_text:
        return text
    if language == "en" and kind == K.TREATY and not text.lower().startswith("the "):
        text = f"the {text}"
    return f"{article_text}{OF[language]} {text}"


def reference(instrument: LegalInstrument) -> str:
    """The short form typed on the entry page and in the answers workbook: "UU 18/2017",
    "Permen KEMNAKER 9/2019", "Perda Jawa Tengah 2/2022"."""
    if instrument.kind == K.TREATY:
        return f"{instrument.number} ({instrument.year})"
    parts = [SHORT.get(instrument.kind, "")]
    if instrument.kind in ISSUED_BY_NAMED_BODY and instrument.kind != K.OTHER:
        body = instrument.issuer.acronym if instrument.issuer else instrument.issuer_name_id
        parts.append(re.sub(r"^Menteri\s+", "", body))  # "Permen Ketenagakerjaan 9/2019"
    parts.append(f"{instrument.number}/{instrument.year}")
    return " ".join(p for p in parts if p)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def register() -> QuerySet[LegalInstrument]:
    """The register with what citing an instrument reads (its issuer and province)."""
    return LegalInstrument.objects.select_related("issuer__province")


KIND_RANK = {kind: rank for rank, kind in enumerate(K.values)}


def in_hierarchy(found: Iterable[LegalInstrument]) -> list[LegalInstrument]:
    """Instruments in the order of the hierarchy of legislation (laws, then government and
    presidential regulations, …, regional regulations, treaties), newest first in each."""
    return sorted(found, key=lambda i: (KIND_RANK.get(i.kind, 99), -i.year, i.number))


def register_choices(language: str) -> list[tuple[str, str]]:
    """(short form, citation in `language`) of each instrument of the register, in the
    hierarchy's order: the options of a <datalist> that cites the register."""
    return [(reference(i), cite(i, language=language)) for i in in_hierarchy(register())]


def references() -> dict[str, LegalInstrument]:
    """Every instrument by its short form (case and spacing ignored): one query."""
    found: dict[str, LegalInstrument] = {}
    for instrument in register():
        found.setdefault(_key(reference(instrument)), instrument)
    return found


def instrument_lookup(
    text: str, known: dict[str, LegalInstrument] | None = None
) -> LegalInstrument | None:
    """The instrument a typed reference names: its short form ("UU 18/2017"), the short form
    followed by its title (as the autocomplete offers it), or its register number ("#12");
    None when it names none."""
    text = (text or "").strip()
    if not text:
        return None
    number = text.removeprefix("#")
    if number.isdigit():
        return register().filter(pk=int(number)).first()
    known = references() if known is None else known
    return known.get(_key(text)) or known.get(_key(re.split(r"\s+[—–-]\s+", text, maxsplit=1)[0]))
