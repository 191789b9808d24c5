"""The framework visuals a model version draws for itself, as the library lists them.

CONTRACT (for the library): ``framework_visuals(version)`` returns one ``FrameworkVisual`` per downloadable visual
of that published model version, in display order. Each names its public page and its SVG, PNG and PDF downloads.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FrameworkVisual:
    slug: str  # "model", "worksheet-pdsa", ...
    title: str
    alt_text: str  # short text alternative
    description: str  # the long description, plain text
    page_url: str
    svg_url: str = ""
    png_url: str = ""
    pdf_url: str = ""


def framework_visuals(version) -> list[FrameworkVisual]:
    raise NotImplementedError("being written: see the framework visuals work for issue 12")


def visual_file(version, slug: str, fmt: str) -> tuple[bytes, str, str]:
    """The bytes, content type and download file name of one visual in one format ("svg", "png" or "pdf"), for the
    library's packs. Raises ``KeyError`` for a visual or format the version does not have."""
    raise NotImplementedError("being written: see the framework visuals work for issue 12")
