"""Text analysis for Korean and English, the same for the index, queries and highlights.

Pure Python (no Django): NFKC and case folding, Korean morphology with kiwipiepy
(its model ships inside the ``kiwipiepy_model`` package; nothing is downloaded), so
particles and endings do not matter (컨테이너를 → 컨테이너, 삭제하면 → 삭제), and the
course glossary, which turns every spelling of a concept (volume, 볼륨, vol) into one
concept term. Terms are runs of letters and digits only, so they pass through SQLite
FTS5's and PostgreSQL's word splitters unchanged and cannot carry query syntax.

The analyser (≈300 MB, ~2 s to load) is loaded once per process, on first use
(``gunicorn --preload`` loads it before forking, so workers share its pages).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

# Content morphemes: nouns, numerals, verb and adjective stems, roots, foreign words,
# numbers, hanja. Particles (J*), endings (E*), suffixes (XS*) and symbols are dropped.
_CONTENT_TAGS = ("NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "MAG")
# Stems that carry no meaning a search could use (light verbs, 있다, 것, 수…).
STOP_TERMS = frozenset("하 되 있 이 것 수 어떻 무엇 같 그 저 좀 등 거 뭐 왜 어디 언제 대하 통하 위하".split())
# Concept terms are the glossary key behind this prefix: no spelling of a word makes one.
CONCEPT_PREFIX = "zq"
_WORD = re.compile(r"[^\W_]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_OR_DIGIT = ("SL", "SN")
_STEM_TAGS = ("VV", "VA")
# A Korean spelling this long also matches inside a longer noun (도커컨테이너): Kiwi leaves
# many compounds of the course's loanwords whole.
SUBSTRING_MIN_CHARS = 2
MAX_SPELLING_WORDS = 4


class Mode(Enum):
    """How much analysis runs: the evaluation compares them (scripts/search_eval.py)."""

    PLAIN = "plain"  # words as written, case-folded: no morphology, no glossary
    MORPHOLOGY = "morphology"
    GLOSSARY = "glossary"  # morphology + glossary: what the site uses


@dataclass(frozen=True)
class Token:
    """A term of the text and where it was written (offsets in the original text)."""

    term: str
    start: int
    end: int
    tag: str = ""


@dataclass
class Glossary:
    """Spellings (as term sequences) → concept keys; concept key → chapters."""

    sequences: dict[tuple[str, ...], str] = field(default_factory=dict)
    korean: dict[str, str] = field(default_factory=dict)  # one-word Hangul spellings, for substrings
    chapters: dict[str, tuple[int, ...]] = field(default_factory=dict)
    nouns: set[str] = field(default_factory=set)
    # concept key → its spellings (term sequences), built on first use (for <mark>).
    _spellings: dict[str, tuple[tuple[str, ...], ...]] | None = field(default=None, repr=False, compare=False)

    def add(self, key: str, spellings, chapters=(), stems=()):
        key = _concept_key(key)
        self._spellings = None
        self.chapters[key] = tuple(dict.fromkeys((*self.chapters.get(key, ()), *chapters)))
        for spelling in [*spellings, *stems]:
            # Taken as written, word by word: a lone word has no context for the analyser
            # (it reads 도커 alone as 도/크다), and each word is the noun or stem it finds in text.
            terms = tuple(token.term for token in plain_words(spelling))
            if not terms or len(terms) > MAX_SPELLING_WORDS:
                continue
            self.sequences.setdefault(terms, key)
            if len(terms) == 1 and len(terms[0]) >= SUBSTRING_MIN_CHARS and _HANGUL.search(terms[0]):
                self.korean.setdefault(terms[0], key)
        # The analyser learns the course's Korean nouns (else 파드 셋 reads as 파/드/셋).
        self.nouns.update(term for spelling in spellings for term in _terms_of(spelling) if _HANGUL.search(term))

    def concept_of(self, term: str) -> str | None:
        return self.sequences.get((term,))

    def spellings_of(self, key: str) -> tuple[tuple[str, ...], ...]:
        if self._spellings is None:
            found: dict[str, list[tuple[str, ...]]] = {}
            for sequence, concept in self.sequences.items():
                found.setdefault(concept, []).append(sequence)
            self._spellings = {concept: tuple(sequences) for concept, sequences in found.items()}
        return self._spellings.get(key, ())


def _concept_key(key: str) -> str:
    cleaned = "".join(_WORD.findall(unicodedata.normalize("NFKC", key).casefold()))
    if not cleaned.isascii() or not cleaned:
        raise ValueError(f"a glossary key is ASCII letters and digits: {key!r}")
    return cleaned


def concept_term(key: str) -> str:
    return CONCEPT_PREFIX + key


# --- the morphological analyser -------------------------------------------------------------

_kiwi = None
_loading = threading.Lock()
# Calls into the analyser one at a time: gunicorn's threads share it.
_kiwi_lock = threading.Lock()
_taught: set[str] = set()


def analyser():
    """The Kiwi instance of this process, loaded on first use."""
    global _kiwi
    if _kiwi is None:
        with _loading:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi(num_workers=-1, load_multi_dict=False, load_typo_dict=False)
    return _kiwi


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC per character, and for each character of the result its offset in ``text``."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        # Most texts are normal already (then so is every character of them): no copy to make.
        return text, list(range(len(text)))
    pieces, origin = [], []
    for offset, char in enumerate(text):
        normal = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        pieces.append(normal)
        origin.extend([offset] * len(normal))
    return "".join(pieces), origin


def _terms_of(form: str) -> list[str]:
    return _WORD.findall(form.casefold())


def plain_words(text: str) -> list[Token]:
    """Words as written (NFKC, case folded), split at anything not a letter or digit."""
    normal, origin = _normalised(text or "")
    origin.append(len(text or ""))
    return [
        Token(match.group().casefold(), origin[match.start()], origin[match.end() - 1] + 1)
        for match in _WORD.finditer(normal)
    ]


def teach(nouns) -> None:
    """Make the analyser read each of ``nouns`` as one noun (once per process and word)."""
    kiwi = analyser()
    with _kiwi_lock:
        for noun in sorted(set(nouns) - _taught):
            kiwi.add_user_word(noun, "NNP", 0)
            _taught.add(noun)


def morphemes(text: str) -> list[Token]:
    """The content morphemes of ``text``, case folded, with their original offsets.

    Letters and digits Kiwi splits (k8s → k, 8, s) are joined back when they touch.
    """
    if not text or not text.strip():
        return []
    normal, origin = _normalised(text)
    tokens: list[Token] = []
    with _kiwi_lock:
        analysed = analyser().tokenize(normal)
    for morpheme in analysed:
        tag = morpheme.tag.split("-")[0]
        if tag not in _CONTENT_TAGS:
            continue
        start, end = morpheme.start, morpheme.start + morpheme.len
        if tag in _LATIN_OR_DIGIT and tokens and tokens[-1].tag in _LATIN_OR_DIGIT and tokens[-1].end == start:
            previous = tokens.pop()
            tokens.append(Token(previous.term + morpheme.form.casefold(), previous.start, end, tag))
            continue
        for term in _terms_of(morpheme.form):
            if term not in STOP_TERMS:
                tokens.append(Token(term, start, end, tag))
    return [
        Token(token.term, origin[token.start], origin[token.end - 1] + 1, token.tag)
        for token in tokens
        if "".join(_terms_of(token.term)) == token.term
    ]


def tokens(text: str, mode: Mode = Mode.GLOSSARY) -> list[Token]:
    return plain_words(text) if mode is Mode.PLAIN else morphemes(text)


# --- glossary concepts ----------------------------------------------------------------------


def concept_spans(found: list[Token], glossary: Glossary, *, every: bool) -> list[tuple[int, int, str]]:
    """(first token, past last token, concept key) of the glossary spellings in ``found``.

    ``every``: all matches, overlapping (the index); else the longest match at each
    place, left to right, so a query's word stands for one concept.
    """
    spans, i = [], 0
    while i < len(found):
        matched = None
        for length in range(min(MAX_SPELLING_WORDS, len(found) - i), 0, -1):
            key = glossary.sequences.get(tuple(token.term for token in found[i : i + length]))
            if key:
                spans.append((i, i + length, key))
                matched = matched or length
                if not every:
                    break
        if matched is None or every:
            spans.extend((i, i + 1, key) for key in _inside(found[i].term, glossary) if (i, i + 1, key) not in spans)
        i += matched if matched and not every else 1
    return spans


def _inside(term: str, glossary: Glossary) -> list[str]:
    """Concepts whose Korean spelling is part of a longer Korean word."""
    if len(term) <= SUBSTRING_MIN_CHARS or not _HANGUL.search(term):
        return []
    return [key for spelling, key in glossary.korean.items() if spelling != term and spelling in term]


def index_terms(text: str, glossary: Glossary | None, mode: Mode = Mode.GLOSSARY) -> list[str]:
    """What the index stores for ``text``: its terms, then the concepts it names."""
    found = tokens(text, mode)
    terms = [token.term for token in found]
    if glossary is not None and mode is Mode.GLOSSARY:
        terms += [concept_term(key) for _, _, key in concept_spans(found, glossary, every=True)]
    return terms


@dataclass(frozen=True)
class Word:
    """One word of a query: every term in ``terms`` must match (a concept stands for all its spellings)."""

    text: str
    terms: tuple[str, ...]
    # Those of ``terms`` that are verb or adjective stems (marked with their ending).
    stems: tuple[str, ...] = ()


def query_words(query: str, glossary: Glossary | None, mode: Mode = Mode.GLOSSARY) -> list[Word]:
    """The words of a query, each with the terms that must match; words with no content are dropped.

    The query is analysed as one text (a word's morphemes depend on its neighbours),
    then its terms are grouped by the space-separated word they were written in.
    """
    query = query or ""
    found = tokens(query, mode)
    spans: dict[int, list[tuple[int, str]]] = {}
    if glossary is not None and mode is Mode.GLOSSARY:
        for start, end, key in concept_spans(found, glossary, every=False):
            spans.setdefault(start, []).append((end, key))
    terms_at: list[tuple[int, str, bool]] = []  # (offset, term, is a stem)
    i = 0
    while i < len(found):
        concepts = spans.get(i)
        if concepts:  # one spelling, or the several concepts a compound word holds
            terms_at += [(found[i].start, concept_term(key), False) for _, key in concepts]
            i = concepts[0][0]
        else:
            terms_at.append((found[i].start, found[i].term, found[i].tag in _STEM_TAGS))
            i += 1
    words = []
    for written in re.finditer(r"\S+", query):
        here = [(term, stem) for start, term, stem in terms_at if written.start() <= start < written.end()]
        if here:
            terms = tuple(dict.fromkeys(term for term, _ in here))
            words.append(Word(written.group(), terms, tuple(dict.fromkeys(term for term, stem in here if stem))))
    return words


def matched_spans(text: str, wanted: set[str], glossary: Glossary | None) -> list[tuple[int, int]]:
    """Offsets in ``text`` of the words whose terms or concepts are among ``wanted`` (for <mark>);
    a wanted word also marks the longer words it starts, as the search matched them."""
    found = morphemes(text)
    words = [term for term in wanted if not term.startswith(CONCEPT_PREFIX)]
    hits = {i for i, token in enumerate(found) if token.term in wanted or token.term.startswith(tuple(words))}
    if glossary is not None:
        for start, end, key in concept_spans(found, glossary, every=True):
            if concept_term(key) in wanted:
                hits.update(range(start, end))
    spans: list[tuple[int, int]] = []
    for i in sorted(hits):
        start, end = found[i].start, found[i].end
        if found[i].tag in _STEM_TAGS:  # a verb is marked with its ending (굵게, not 굵)
            while end < len(text) and _HANGUL.match(text[end]):
                end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


# --- marks without the analyser -------------------------------------------------------------

# Runs of one script in NFKC text: Latin letters and digits, Hangul syllables, other letters.
_RUN = re.compile(r"[A-Za-z0-9]+|[\uac00-\ud7a3]+|[^\W_A-Za-z0-9\uac00-\ud7a3]+")


@dataclass(frozen=True)
class Marks:
    """What a query's <mark>s look for in a text, from its analysed words: each word (a prefix,
    as the search matches it), which of them are verb stems, and every spelling of its concepts."""

    words: tuple[str, ...] = ()
    stems: frozenset[str] = frozenset()
    spellings: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, wanted, glossary: Glossary | None, stems=()) -> Marks:
        """``wanted``: the query's terms (words and concept terms, as the index stores them)."""
        concepts = [term[len(CONCEPT_PREFIX):] for term in wanted if term.startswith(CONCEPT_PREFIX)]
        spellings = [s for key in concepts for s in (glossary.spellings_of(key) if glossary else ())]
        return cls(
            tuple(sorted(term for term in wanted if not term.startswith(CONCEPT_PREFIX))),
            frozenset(stems),
            tuple(sorted(set(spellings))),
        )

    def __bool__(self) -> bool:
        return bool(self.words or self.spellings)


def _runs(text: str) -> tuple[str, list[int], list[tuple[str, int, int]]]:
    """The NFKC text, the map of its offsets back to ``text``, and its runs
    (case-folded run, offset in the normal text, its end)."""
    normal, origin = _normalised(text)
    return normal, origin, [(m.group().casefold(), m.start(), m.end()) for m in _RUN.finditer(normal)]


def surface_spans(text: str, marks: Marks) -> list[tuple[int, int]]:
    """Offsets in ``text`` of what ``marks`` look for, read from the written forms alone (no
    analyser: a search page marks twenty results per request). A Korean word is marked without
    its particle (컨테이너를 → 컨테이너), a verb stem with its ending (굵게), a Latin word
    whole when a query word starts it; a Korean spelling of two or more syllables also inside
    a compound (도커컨테이너), as the index matches it."""
    if not text or not marks:
        return []
    normal, origin, runs = _runs(text)
    found: list[tuple[int, int]] = []  # in the normal text
    for i, (run, start, end) in enumerate(runs):
        hangul = bool(_HANGUL.match(run))
        for word in marks.words:
            if not hangul:
                if run.startswith(word):
                    found.append((start, end))
                continue
            if run.startswith(word):
                found.append((start, end if word in marks.stems else start + len(word)))
            elif len(word) >= SUBSTRING_MIN_CHARS and (at := run.find(word)) > 0:
                found.append((start + at, start + at + len(word)))
        for spelling in marks.spellings:
            if len(spelling) == 1:
                only = spelling[0]
                if not hangul:
                    if run == only:
                        found.append((start, end))
                elif run.startswith(only):
                    found.append((start, start + len(only)))
                elif len(only) >= SUBSTRING_MIN_CHARS and (at := run.find(only)) > 0:
                    found.append((start + at, start + at + len(only)))
            elif (last := _sequence_end(runs, i, spelling)) is not None:
                found.append((start, last))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        start, end = origin[start], origin[end - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _sequence_end(runs, i: int, spelling: tuple[str, ...]) -> int | None:
    """Where a spelling of several words written from run ``i`` on ends (its last word may carry
    a particle), or None."""
    if i + len(spelling) > len(runs):
        return None
    for offset, part in enumerate(spelling[:-1]):
        if runs[i + offset][0] != part:
            return None
    run, start, end = runs[i + len(spelling) - 1]
    if run == spelling[-1]:
        return end
    if _HANGUL.match(run) and run.startswith(spelling[-1]):
        return start + len(spelling[-1])
    return None
