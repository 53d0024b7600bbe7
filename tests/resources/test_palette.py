"""The map's marks: Okabe–Ito colours, a shape per kind, numbers that pass WCAG AA."""

from __future__ import annotations

import pytest

from resources.models import Category, Resource
from resources.palette import (
    CATEGORY_COLORS,
    GREY,
    OKABE_ITO,
    SHAPE_LABELS,
    SHAPE_SVG,
    SHAPES,
    TYPE_SHAPES,
    WHITE,
    contrast,
    ink_on,
    shape_of,
)
from resources.reference import CATEGORIES


def test_the_palette_is_okabe_and_itos():
    assert OKABE_ITO == {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }


def test_every_seed_category_has_its_own_colour_from_the_palette():
    seeded = {code: color for code, _name, _group, color in CATEGORIES}
    assert seeded == CATEGORY_COLORS
    assert len(set(seeded.values())) == len(seeded)
    assert set(seeded.values()) <= {*OKABE_ITO.values(), GREY, WHITE}


@pytest.mark.django_db
def test_the_database_holds_the_palette_after_the_migrations():
    assert dict(Category.objects.values_list("code", "color")) == CATEGORY_COLORS


@pytest.mark.parametrize("color", [*OKABE_ITO.values(), GREY, WHITE])
def test_the_number_on_every_colour_passes_wcag_aa(color):
    assert contrast(ink_on(color), color) >= 4.5


def test_known_contrasts():
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert ink_on(OKABE_ITO["blue"]) == "#FFFFFF"
    assert ink_on(OKABE_ITO["yellow"]) == "#000000"


def test_every_type_has_a_shape_and_every_shape_a_label_and_a_drawing():
    assert set(TYPE_SHAPES) == set(Resource.Type.values)
    assert set(TYPE_SHAPES.values()) == set(SHAPES) == set(SHAPE_LABELS) == set(SHAPE_SVG)
    assert shape_of("exercise") != shape_of("salon") != shape_of("life_support")
    assert shape_of(None) == shape_of("other")


@pytest.mark.django_db
def test_the_printed_legend_gives_colours_by_category_then_shapes_by_kind():
    from resources.printing import PrintRow, _legend

    exercise = Category.objects.get(code="exercise")
    shopping = Category.objects.get(code="shopping")

    def row(n, category, shape):
        return PrintRow(n, {"shape": shape}, category, staff_only=False, on_map=True)

    legend = _legend(
        [row(1, exercise, "triangle"), row(2, exercise, "circle"), row(3, shopping, "square")]
    )
    assert [(e.label, e.color, e.count, e.shape) for e in legend] == [
        ("運動", "#009E73", 2, "chip"),
        ("買い物", "#F0E442", 1, "chip"),
        (str(SHAPE_LABELS["circle"]), "#1a1a1a", 1, "circle"),
        (str(SHAPE_LABELS["triangle"]), "#1a1a1a", 1, "triangle"),
        (str(SHAPE_LABELS["square"]), "#1a1a1a", 1, "square"),
    ]
