"""The map's marks: colours a colour-blind reader tells apart, and a shape per kind.

Colour says the category (運動, 買い物 …), shape says the kind of resource (集いの場,
体操, 生活支援, 相談・事業所), and the list number sits inside, so that nothing on a map
is told by colour alone. The colours are Okabe & Ito's eight ("Color Universal Design",
2008; also recommended by the CUDO of Japan), plus a grey and a white for 外出 and
その他 (ten categories, eight colours). The number's ink is black or white, whichever
passes WCAG AA (4.5:1) on the colour; ``tests/resources/test_palette.py`` checks it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Okabe–Ito, in their order.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#999999"
WHITE = "#FFFFFF"

# The seed categories' colours (resources/reference.py seeds them; a city may change one).
CATEGORY_COLORS = {
    "work": OKABE_ITO["orange"],
    "contribution": OKABE_ITO["vermillion"],
    "hobby": OKABE_ITO["sky_blue"],
    "exercise": OKABE_ITO["bluish_green"],
    "learning": OKABE_ITO["blue"],
    "social": OKABE_ITO["reddish_purple"],
    "shopping": OKABE_ITO["yellow"],
    "housework": OKABE_ITO["black"],
    "outing": GREY,
    "other": WHITE,
}
# A resource without a category: white, as その他.
NO_CATEGORY_COLOR = WHITE

# Shapes, by group of resource types (Resource.Type values).
SHAPES = ("circle", "triangle", "square", "diamond")
SHAPE_LABELS = {
    "circle": _("集いの場（サロン・趣味の会・認知症カフェ）"),
    "triangle": _("体操教室"),
    "square": _("生活支援（配食・見守りなど）"),
    "diamond": _("相談窓口・事業所・その他"),
}
TYPE_SHAPES = {
    "salon": "circle",
    "hobby": "circle",
    "dementia_cafe": "circle",
    "exercise": "triangle",
    "life_support": "square",
    "meals": "square",
    "watch": "square",
    "consultation": "diamond",
    "care_office": "diamond",
    "other": "diamond",
}
# The shapes in a 36 × 36 box, as static/js/search.js draws them on the map.
SHAPE_SVG = {
    "circle": '<circle cx="18" cy="18" r="14"/>',
    "triangle": '<polygon points="18,2 35,33 1,33"/>',
    "square": '<rect x="5" y="5" width="26" height="26" rx="3"/>',
    "diamond": '<polygon points="18,1 35,18 18,35 1,18"/>',
}


def shape_of(resource_type: str | None) -> str:
    return TYPE_SHAPES.get(resource_type or "", "diamond")


def _luminance(color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    value = color.lstrip("#")
    if len(value) != 6:
        return 0.0
    channels = []
    for i in (0, 2, 4):
        c = int(value[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(color: str) -> str:
    """The number's colour on a marker of ``color``: the one with more contrast."""
    return "#000000" if contrast(color, "#000000") >= contrast(color, "#FFFFFF") else "#FFFFFF"
