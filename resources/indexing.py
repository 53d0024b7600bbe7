"""What the search index holds for a resource (resources/search.py reads it).

The indexed text (``Resource.search_text``) is the resource's own fields, then
the names of its type, categories, targets and features, then the readings of
all of them, in search form; ``search_bigrams`` is its bigrams for PostgreSQL's
GIN index. So a label word (送迎, 体操, 認知症カフェ) is a phrase on that one
index like any other word — an OR of the text and the label's link table made
PostgreSQL read every row at 100,000 resources — and a keyword finds a resource
by what it is: 「認知症」 finds the オレンジカフェ that is a 認知症カフェ.

Every writer fills these fields through ``index_resource``: the write services
(one resource and many), the importer and the migration that built the index.
A category, target or feature renamed re-indexes the resources that carry it
(``resources.services.resources_reindex``, called by the admin).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from resources.models import Category, Feature, Resource, Target

# The links whose names are indexed, by the field name the writers use.
LABEL_MODELS = {"categories": Category, "targets": Target, "features": Feature}
M2M_FIELDS = {"categories": "category_id", "targets": "target_id", "features": "feature_id"}

Links = Mapping[str, Iterable[int]]
Names = Mapping[str, Mapping[int, str]]


def all_label_names() -> dict[str, dict[int, str]]:
    """Every label's name by id, for writers of many resources (three small queries)."""
    return {
        name: dict(model.objects.values_list("pk", "name")) for name, model in LABEL_MODELS.items()
    }


def label_names(
    links: Links, names: Names | None = None, *, resource_id: int | None = None
) -> list[str]:
    """The names of the labels ``links`` holds (ids by link name). A link it does
    not name is the one stored for ``resource_id``. From ``names`` when given (bulk
    writers), else read in one query."""
    if names is not None:
        return sorted(
            names[link][pk] for link, ids in links.items() for pk in ids if pk in names[link]
        )
    queries = []
    for link, model in LABEL_MODELS.items():
        if link in links:
            if not links[link]:
                continue
            rows = model.objects.filter(pk__in=set(links[link]))
        elif resource_id is not None:
            rows = model.objects.filter(resources=resource_id)
        else:
            continue
        queries.append(rows.order_by().values_list("name", flat=True))
    if not queries:
        return []
    first, *rest = queries
    return sorted(first.union(*rest, all=True) if rest else first)


def current_links(resource_ids: Iterable[int]) -> dict[int, dict[str, set[int]]]:
    """The stored label ids of these resources: {resource id: {link: ids}}."""
    ids = list(resource_ids)
    found: dict[int, dict[str, set[int]]] = {
        pk: {link: set() for link in LABEL_MODELS} for pk in ids
    }
    for link, column in M2M_FIELDS.items():
        through = getattr(Resource, link).through
        for start in range(0, len(ids), 1000):
            rows = through.objects.filter(resource_id__in=ids[start : start + 1000])
            for resource_id, other in rows.values_list("resource_id", column):
                found[resource_id][link].add(other)
    return found


def index_resource(
    resource: Resource, links: Links, *, names: Names | None = None, stored: bool = False
) -> None:
    """Fill ``resource``'s search fields in memory from its fields and the labels
    ``links`` holds; with ``stored``, a link it does not name is the stored one."""
    from resources.search import bigram_vector

    found = label_names(links, names, resource_id=resource.pk if stored else None)
    resource.search_text = resource.build_search_text(found)
    resource.name_text = resource.build_name_text()
    resource.search_bigrams = bigram_vector(resource.search_text)


INDEX_INPUTS = ("name", "kana", "description", "organiser", "venue", "address", "resource_type")
INDEX_FIELDS = ("search_text", "name_text", "search_bigrams")


def reindex(model, resource_ids: Iterable[int]) -> int:
    """Write the search fields of these resources again, a thousand at a time.
    ``model`` is the Resource model (a migration passes its historical one);
    the data version is the caller's to move."""
    ids = sorted(resource_ids)
    names = all_label_names()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        links = current_links(chunk)
        rows = list(model.objects.filter(pk__in=chunk).only("pk", *INDEX_INPUTS))
        for row in rows:
            resource = Resource(**{name: getattr(row, name) for name in INDEX_INPUTS})
            index_resource(resource, links[row.pk], names=names)
            for name in INDEX_FIELDS:
                setattr(row, name, getattr(resource, name))
        model.objects.bulk_update(rows, INDEX_FIELDS)
    return len(ids)
