"""How a clinical value appears in the audit trail: not at all."""

HIDDEN = "(hidden)"


def hide(value: str) -> str:
    """Replace a masked field's value; the entry still says that the field changed."""
    return HIDDEN
