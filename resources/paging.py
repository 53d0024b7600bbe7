"""The pages of a search: at most COUNT_CAP + 1 matches are counted, and a page
nearest a typed place is looked for near it first (resources/search.py finds
the matches)."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from resources.models import Resource
from resources.search import COUNT_CAP, Point, bounded_ids, within_km


class CappedPaginator(Paginator):
    """Finds at most COUNT_CAP + 1 matches: past that, "1,000件以上" is all a reader
    needs, and an exact count of a 16,000-row match would cost more than the page.

    The matches are fetched as ids, which are the count. When there are only a
    few, a page is read by id rather than by searching the whole table again (a
    keyword and an area over 100,000 resources cost more than the ids do)."""

    READ_BY_ID_MAX = 100
    # Nearest first from a typed place, with more matches than NEAREST_FROM: a
    # page is looked for within these radii before the whole result is sorted
    # by distance (fewer are sorted faster than the circles are asked).
    NEAREST_FROM = 500
    NEAREST_RADII_KM = (1, 3, 10)

    def __init__(
        self,
        *args,
        nearest: Point | None = None,
        known_ids: list[int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.nearest = nearest
        # The matching ids when the search already found them (SearchFilters.matching_ids).
        self.known_ids = known_ids

    @cached_property
    def matching_ids(self) -> list[int]:
        if self.known_ids is not None:
            return self.known_ids
        # Without the order or the annotations the page needs: only which rows match.
        return bounded_ids(self.object_list)

    @cached_property
    def count(self) -> int:
        return len(self.matching_ids)

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if self.count <= self.READ_BY_ID_MAX:
            rows = rows.filter(pk__in=self.matching_ids)
        elif self.nearest is not None and self.count > self.NEAREST_FROM:
            found = self._nearest(rows, bottom + self.per_page)
            if found is not None:
                return self._get_page(found[bottom:], number, self)
        return self._get_page(rows[bottom : bottom + self.per_page], number, self)

    def _nearest(self, rows: QuerySet[Resource], wanted: int) -> list[Resource] | None:
        """The ``wanted`` matches nearest the place, when as many lie within one of
        the radii: every match further away is further than all of them, so they
        are the first of the whole order. Sorting 19,000 matches by distance
        read each one's vector; the circle's box is answered by an index."""
        for radius in self.NEAREST_RADII_KM:
            found = list(within_km(rows, self.nearest, radius)[:wanted])
            if len(found) == wanted:
                return found
        return None
