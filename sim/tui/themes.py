"""Themes: Textual's dark theme for laptops and a light, high-contrast one for projectors."""

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#0b3d91",
    secondary="#6a1b9a",
    accent="#b00020",
    warning="#8a4b00",
    error="#b00020",
    success="#1b5e20",
    foreground="#000000",
    background="#ffffff",
    surface="#f2f2f2",
    panel="#e0e0e0",
    dark=False,
)

DARK = "textual-dark"
THEMES = (DARK, PROJECTOR.name)
