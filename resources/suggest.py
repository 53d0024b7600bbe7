"""「もしかして」: for a word that found nothing, a known word that is close to it.

The vocabulary is the labels (categories, types, targets, features), the area
and 町丁 names, and the nouns of public resources' names, each with its reading.
A word is compared by reading (so 体躁, たいそ and だいそう all come near 体操)
with rapidfuzz's Levenshtein distance: at most one edit for words of up to four
characters, two beyond. rapidfuzz is a compiled, well-kept library (MIT), about
a millisecond for the whole vocabulary of a city.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from portal.cache import versioned_value
from portal.models import Area
from portal.text import search_key
from resources.models import Category, Feature, Resource, Target
from resources.readings import nouns, reading
from resources.words import Word, vocabulary

# Names read for the vocabulary, at most: enough for a city's words, and a bound
# on the first suggestion's cost after a change at prefecture scale.
VOCABULARY_NAMES = 20000


@versioned_value
def suggestion_vocabulary() -> dict[str, str]:
    """reading → the word as written, the most frequent writing of each reading."""
    counts: Counter[str] = Counter()
    for model in (Category, Target, Feature):
        counts.update({name: 1000 for name in model.objects.values_list("name", flat=True)})
    counts.update({str(label): 1000 for _code, label in Resource.Type.choices})
    counts.update({name: 500 for name in Area.objects.values_list("name", flat=True)})
    counts.update({place.name: 100 for place in vocabulary()["places"].values()})
    public = Resource.objects.filter(
        visibility=Resource.Visibility.PUBLIC, status=Resource.Status.ACTIVE
    )
    for name in public.order_by("pk").values_list("name", flat=True)[:VOCABULARY_NAMES]:
        counts.update(nouns(name))
    by_reading: dict[str, tuple[int, str]] = {}
    for written, count in counts.items():
        for key in {reading(written), search_key(written)}:
            if len(key) >= 2 and count > by_reading.get(key, (0, ""))[0]:
                by_reading[key] = (count, written)
    return {key: written for key, (_count, written) in by_reading.items()}


def suggest(word: Word) -> str | None:
    """A known word near ``word``, as written, or None."""
    vocab = suggestion_vocabulary()
    spoken = word.readings[0] if word.readings and word.readings[0] else word.key
    if len(spoken) < 2 or (spoken in vocab and vocab[spoken] == word.text):
        return None
    limit = 1 if len(spoken) <= 4 else 2
    found = process.extractOne(
        spoken, vocab.keys(), scorer=Levenshtein.distance, score_cutoff=limit
    )
    if found is None:
        return None
    written = vocab[found[0]]
    return None if search_key(written) == word.key else written


def suggestions_for(words: list[Word]) -> list[tuple[Word, str]]:
    return [(w, s) for w in words if (s := suggest(w))]
