"""search.analysis, tested directly: particles, endings, glossary, NFKC, mixed scripts, limits."""

import pytest

from search.analysis import (
    Glossary,
    Mode,
    concept_term,
    index_terms,
    matched_spans,
    morphemes,
    plain_words,
    query_words,
    teach,
)
from search.glossary import file_terms


@pytest.fixture(scope="module")
def glossary():
    built = Glossary()
    for term in file_terms():
        built.add(term["key"], term["spellings"], term.get("chapters", ()), term.get("stems", ()))
    teach(built.nouns)
    return built


def terms(text):
    return [token.term for token in morphemes(text)]


def test_particles_and_endings_are_dropped():
    assert terms("컨테이너를 삭제하면 데이터는") == ["컨테이너", "삭제", "데이터"]
    assert terms("컨테이너가 삭제되는") == terms("컨테이너는 삭제했어요") == ["컨테이너", "삭제"]


def test_nfkc_and_case_folding():
    assert terms("ＤＯＣＫＥＲ Ｐｏｄ") == ["docker", "pod"]
    assert [t.term for t in plain_words("ﬁle ＡＢＣ")] == ["file", "abc"]


def test_offsets_point_into_the_text_as_written():
    text = "ＡＢ 컨테이너를"
    assert [(text[t.start : t.end]) for t in morphemes(text)] == ["ＡＢ", "컨테이너"]


def test_mixed_scripts_keep_latin_words_whole():
    assert terms("k8s에서 Pod를 port-forward로") == ["k8s", "pod", "port", "forward"]


def test_the_glossary_gives_every_spelling_one_concept(glossary):
    for text in ("volume", "볼륨을", "Volumes"):
        assert concept_term("volume") in index_terms(text, glossary), text
    for text in ("kubectl port-forward", "포트포워딩으로", "포트 포워딩"):
        assert concept_term("portforward") in index_terms(text, glossary), text
    assert {concept_term("kubernetes")} <= set(index_terms("k8s 쿠버네티스 kubernetes", glossary))


def test_the_analyser_learns_the_glossary_nouns(glossary):
    assert terms("파드 셋?") == ["파드", "셋"]


def test_a_course_word_inside_a_korean_compound(glossary):
    found = set(index_terms("도커컨테이너", glossary))
    assert {concept_term("docker"), concept_term("container")} <= found


def test_query_words_group_terms_by_the_word_written(glossary):
    words = query_words("컨테이너를 삭제하면 ingress", glossary)
    assert [w.text for w in words] == ["컨테이너를", "삭제하면", "ingress"]
    assert [w.terms for w in words] == [(concept_term("container"),), (concept_term("remove"),),
                                        (concept_term("ingress"),)]


def test_plain_and_morphology_modes_skip_what_they_lack(glossary):
    assert index_terms("컨테이너를", glossary, Mode.PLAIN) == ["컨테이너를"]
    assert index_terms("컨테이너를", glossary, Mode.MORPHOLOGY) == ["컨테이너"]


def test_matched_spans_cover_the_word_not_its_particle(glossary):
    text = "볼륨을 지우면 Volume"
    assert [text[a:b] for a, b in matched_spans(text, {concept_term("volume")}, glossary)] == ["볼륨", "Volume"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "?!…", "--- ```"])
def test_empty_or_contentless_input_gives_no_terms(glossary, text):
    assert index_terms(text, glossary) == []
    assert query_words(text, glossary) == []


def test_huge_input_is_analysed_whole():
    sentence = "컨테이너를 삭제하면 볼륨의 데이터는 남나요? kubectl delete pod "
    found = terms(sentence * 1_000)  # 50 KB, an answer at its limit
    assert found.count("볼륨") == found.count("kubectl") == 1_000


def test_a_glossary_key_must_be_ascii():
    with pytest.raises(ValueError):
        Glossary().add("볼륨", ["볼륨"])
