"""Grouping near-duplicate questions (search.grouping), a pure function over analysed terms."""

from search.analysis import index_terms
from search.glossary import current_glossary
from search.grouping import THRESHOLD, cosine, group_near_duplicates, weighted_vectors


def _terms(*texts):
    glossary = current_glossary()
    return [(n, index_terms(text, glossary)) for n, text in enumerate(texts)]


def test_wordings_of_one_question_group_and_other_questions_stay_apart(db):
    items = _terms(
        "도커 볼륨은 어디에 저장되나요?",
        "PVC를 지우면 PV와 실제 디스크는 어떻게 되나요?",
        "docker volume은 어디에 저장돼요?",  # the first, in English spellings the glossary joins
        "볼륨은 호스트 어디에 저장되나요",
        "persistentvolumeclaim 삭제하면 PV랑 디스크는 어떻게 되나요",
        "인그레스와 서비스 LoadBalancer 타입은 어떻게 다른가요?",
    )
    assert group_near_duplicates(items) == [[0, 2, 3], [1, 4], [5]]


def test_order_leads_and_identical_texts_always_meet():
    items = [("b", ["x", "y"]), ("a", ["x", "y"]), ("c", ["z"]), ("d", ["x", "y"])]
    assert group_near_duplicates(items) == [["b", "a", "d"], ["c"]]


def test_no_terms_is_its_own_entry_and_nothing_is_nothing():
    assert group_near_duplicates([]) == []
    assert group_near_duplicates([(1, []), (2, []), (3, ["pod"])]) == [[1], [2], [3]]


def test_a_common_term_alone_does_not_merge():
    # Every question of a chapter names its main concept: that term weighs (almost) nothing.
    items = [(n, ["pod", word]) for n, word in enumerate(["restart", "ip", "log", "probe"])]
    assert group_near_duplicates(items) == [[0], [1], [2], [3]]


def test_the_threshold_decides():
    vectors = weighted_vectors([["a", "b", "c"], ["a", "b", "d"], ["e"]])
    score = cosine(vectors[0], vectors[1])
    items = [(0, ["a", "b", "c"]), (1, ["a", "b", "d"]), (2, ["e"])]
    assert group_near_duplicates(items, threshold=score) == [[0, 1], [2]]
    assert group_near_duplicates(items, threshold=score + 1e-9) == [[0], [1], [2]]
    assert 0 < score < 1 and THRESHOLD < 1


def test_many_questions_group_quickly():
    import time

    items = [(n, [f"t{n % 97}", f"u{n % 89}", f"v{n}"]) for n in range(2000)]
    started = time.perf_counter()
    groups = group_near_duplicates(items)
    assert sum(len(g) for g in groups) == 2000
    assert time.perf_counter() - started < 5  # generous: near-linear, ~0.1 s here
