"""The customers contract in plain Python, for the property-based isolation tests: its search
rule, what it stores, and Hypothesis strategies for request bodies and search terms.

The matching rule, written here independently of the service:

- case- and accent-insensitive substring on ``nombre`` and ``email``;
- on ``documento`` and ``telefono`` also ignoring spaces, dots and dashes on both sides;
- ``%``, ``_`` and ``\\`` are plain characters; a blank term means no filter.

The service folds accents with a ``translate()`` table over Latin-1/Latin Extended-A letters,
so the generated text keeps to ASCII letters and digits, spaces, ``.-%_\\@`` and a few accented
Spanish letters, where that table and Unicode decomposition agree.
"""

import re
import string
import unicodedata

from hypothesis import strategies as st

FIELDS = ("nombre", "documento", "email", "telefono", "direccion", "notas")
OPTIONAL = FIELDS[1:]

ACCENTED = "áéíóúñÁÉÍÓÚÑü"
TEXT_ALPHABET = string.ascii_letters + string.digits + " .-%_\\@" + ACCENTED
CODE_ALPHABET = string.ascii_letters + string.digits + " .-"
PHONE_ALPHABET = string.digits + " .-+"
PUNCTUATION = re.compile(r"[\s.\-]+")


# --- the contract's matching rule, in plain Python ----------------------------------------
def fold(text: str) -> str:
    """Accents removed (Unicode decomposition), lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def without_punctuation(text: str) -> str:
    return PUNCTUATION.sub("", text)


def matches(row: dict, term: str) -> bool:
    folded = fold(term)
    if any(row[f] is not None and folded in fold(row[f]) for f in ("nombre", "email")):
        return True
    code = without_punctuation(folded)
    return bool(code) and any(
        row[f] is not None and code in without_punctuation(fold(row[f]))
        for f in ("documento", "telefono")
    )


def canonical_documento(value: str | None) -> str | None:
    return None if value is None else without_punctuation(value).upper()


def stored(value: str | None) -> str | None:
    """What the contract stores for an optional text: trimmed, ``""`` and null as null."""
    if value is None:
        return None
    value = value.strip()
    return value or None


# --- strategies ---------------------------------------------------------------------------
def _padded(strategy):
    """Values with optional surrounding spaces (the service trims them)."""
    pad = st.sampled_from(["", " ", "  "])
    return st.tuples(pad, strategy, pad).map("".join)


nombres = _padded(st.text(TEXT_ALPHABET, min_size=1, max_size=24)).filter(str.strip)
documentos = _padded(
    st.text(CODE_ALPHABET, min_size=1, max_size=12).filter(lambda s: any(c.isalnum() for c in s))
)
emails = st.builds(
    "{}@{}".format,
    st.from_regex(r"[A-Za-z0-9_%+\-]{1,8}(\.[A-Za-z0-9_%\-]{1,5})?", fullmatch=True),
    st.sampled_from(["example.com", "tienda.co", "Correo.Example.org"]),
)
telefonos = st.text(PHONE_ALPHABET, min_size=1, max_size=14)
textos = st.text(TEXT_ALPHABET, max_size=40)
empty = st.sampled_from([None, "", "  "])

OPTIONAL_VALUES = {
    "documento": st.one_of(empty, documentos),
    "email": st.one_of(empty, emails),
    "telefono": st.one_of(empty, telefonos),
    "direccion": st.one_of(empty, textos),
    "notas": st.one_of(empty, textos),
}


def create_bodies():
    return st.fixed_dictionaries(
        {"nombre": nombres}, optional={f: OPTIONAL_VALUES[f] for f in OPTIONAL}
    )


def update_bodies():
    return st.fixed_dictionaries(
        {}, optional={"nombre": nombres, **{f: OPTIONAL_VALUES[f] for f in OPTIONAL}}
    )


def unaccent_some(draw, text: str) -> str:
    """Randomly strip accents, swap case, or leave characters alone."""
    out = []
    for ch in text:
        how = draw(st.sampled_from(["keep", "fold", "swap"]))
        out.append(fold(ch) if how == "fold" else ch.swapcase() if how == "swap" else ch)
    return "".join(out)


def search_terms(rows: list[dict[int, dict]]):
    """Random text, or a piece of any shop's stored value, its case and accents mangled."""
    known = [
        (field, row[field])
        for shop_rows in rows
        for row in shop_rows.values()
        for field in FIELDS[:4]
        if row[field]
    ]
    random_text = st.text(TEXT_ALPHABET, max_size=10)
    if not known:
        return random_text

    @st.composite
    def piece(draw):
        field, value = draw(st.sampled_from(known))
        start = draw(st.integers(0, len(value) - 1))
        end = draw(st.integers(start + 1, len(value)))
        text = unaccent_some(draw, value[start:end])
        if field in ("documento", "telefono") and draw(st.booleans()):
            text = without_punctuation(text)
            cut = draw(st.integers(0, len(text)))
            text = text[:cut] + draw(st.sampled_from([" ", ".", "-", " - "])) + text[cut:]
        return text

    return st.one_of(piece(), piece(), random_text)
